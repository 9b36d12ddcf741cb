"""The user's private data: one SQLite database, sessions, ticks, notes, settings, practice log.

`Store.open(folder)` gives the store; every change is one short transaction, so two kapprep windows
never overwrite each other. See `kapprep.store.core` for the durability and privacy choices and
docs/export-format.md for the export format; `kapprep.store.backups` keeps the copies to come
back to, and `kapprep.store.erase` removes everything kapprep made.
"""

from __future__ import annotations

from kapprep.store.core import UNSET, DamageFound, Practice, Session, Store, StoreError

__all__ = ["UNSET", "DamageFound", "Practice", "Session", "Store", "StoreError"]
