"""The user's private data: one SQLite database, sessions, ticks, notes, settings, practice log.

`Store.open(folder)` gives the store; every change is one short transaction, so two kapprep
windows never overwrite each other. `base` holds the records and errors every part shares, `core`
the `Store` (durability), `opening` the folder, file modes, damage and migrations (privacy,
identity), `wal` the check of a left-behind WAL's owner, `schema` the migrations, `transfer` the
export (docs/export-format.md), `backups` the copies to come back to, and `erase` removes
everything kapprep made. The lock (docs/lock.md): `cipher` gives every connection (SQLCipher for
a locked store), `keyfile` the wrapped data key, `locking` turns it on and off.
"""

from __future__ import annotations

from kapprep.store.base import UNSET, DamageFound, Practice, Session, StoreError
from kapprep.store.core import Store

__all__ = ["UNSET", "DamageFound", "Practice", "Session", "Store", "StoreError"]
