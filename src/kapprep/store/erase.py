"""`kapprep delete`: remove every file kapprep made in the data folder, and say what went.

The database's rows are deleted first with `secure_delete` on and the file vacuumed, so the
freed pages are overwritten before the file is unlinked; no backup is taken of what the patient
asked to delete (the store is opened without the daily backup). Then go: the database with its
WAL, SHM and `.checked` record, every damaged file or stray WAL set aside (with what could be read
from it), and the folders kapprep writes into: backups, briefings, exports (journal exports and
calendars from the app), crash reports and the cache (parsed checklists, `cache/`). A file kapprep
did not make is left where it is.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from pathlib import Path
from typing import Final

from kapprep.store.base import DB_NAME
from kapprep.store.core import Store

__all__ = ["MADE_FOLDERS", "erase"]

MADE_FOLDERS: Final = (
    ("backups", "backup"),
    ("briefings", "briefing"),
    ("exports", "export"),
    ("crash-reports", "crash report"),
    ("cache", "cached file"),
)
"""The folders kapprep makes in the data folder, and what one file in each is called."""


def _count(n: int, what: str) -> str:
    return f"{n} {what}{'' if n == 1 else 's'}"


def _files_in(folder: Path) -> int:
    return sum(len(files) for _, _, files in os.walk(folder))


def erase(folder: Path) -> list[str]:
    """Delete everything kapprep made in `folder`; what was removed, in words (empty: nothing)."""
    removed: list[str] = []
    from kapprep.store.cipher import is_locked

    # A locked store is erased without its passphrase: its key file goes, and with it any way
    # to read the database, its WAL and its backups (removed below all the same).
    if (folder / DB_NAME).exists() and not is_locked(folder):
        with Store.open(folder, daily_backup=False) as store:
            store.delete_all()
    live = [
        folder / (DB_NAME + s) for s in ("", "-wal", "-shm", ".checked", ".key", ".crisis.json")
    ]
    aside = sorted(
        p
        for pattern in (f"{DB_NAME}.damaged-*", f"{DB_NAME}-wal.foreign-*")
        for p in folder.glob(pattern)
    )
    if any(p.exists() for p in live):
        removed.append("your data file")
    for path in [*live, *aside]:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
    if aside:
        removed.append(_count(len(aside), "file set aside"))
    for name, what in MADE_FOLDERS:
        sub = folder / name
        if sub.is_dir():
            count = _files_in(sub)
            shutil.rmtree(sub, ignore_errors=True)
            if count:
                removed.append(_count(count, what))
    return removed
