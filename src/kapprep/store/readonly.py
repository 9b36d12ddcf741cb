"""Opening the database where kapprep cannot write: a read-only data folder (a locked-down
account, a backup disk, a folder shared for reading) still shows, lists and exports everything.

Nothing is changed there: no WAL file made, no check recorded, no migration, no backup. A WAL
left beside the file is read through SQLite's read-only mode; without one the file is opened as
immutable, which takes no lock at all (there is no writer: the folder cannot be written). A
change the patient then tries is refused with a plain `StoreError`.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from kapprep.store.base import DB_NAME, StoreError
from kapprep.store.folder import check_own_files
from kapprep.store.schema import SCHEMA_VERSION

__all__ = ["NOTICE", "open_read_only", "read_only_folder"]

NOTICE = (
    "Your data folder {folder} is read-only here: kapprep shows and exports what is saved, but "
    "cannot save changes until it can write there again."
)


def read_only_folder(folder: Path) -> bool:
    """True when the database is there and the folder cannot be written."""
    return (folder / DB_NAME).is_file() and not os.access(folder, os.W_OK)


def open_read_only(folder: Path) -> tuple[sqlite3.Connection, int]:
    """(a read-only connection, the database's id); `StoreError` when it cannot be read as is."""
    check_own_files(folder)
    path = folder / DB_NAME
    try:
        with open(path, "rb") as fh:
            head = fh.read(100)
    except OSError as exc:
        raise StoreError(f"kapprep cannot read its data file {path} ({exc.strerror})") from None
    from kapprep.store.cipher import connect, key_for, row_factory

    locked = key_for(folder) is not None
    if locked:  # the header is encrypted: the version is read once keyed
        head = head[:60] + SCHEMA_VERSION.to_bytes(4, "big") + bytes(4)
    elif not head.startswith(b"SQLite format 3\x00") or len(head) < 100:
        raise StoreError(
            f"{path} is not a kapprep database, and the folder is read-only, so kapprep cannot "
            "set it aside; make the folder writable, or choose another"
        )
    version = int.from_bytes(head[60:64], "big")
    if version != SCHEMA_VERSION:
        newer = version > SCHEMA_VERSION
        raise StoreError(
            f"the data in {folder} was saved by {'a newer' if newer else 'an older'} kapprep and "
            f"needs {'that kapprep' if newer else 'updating'}, which a read-only folder does not "
            "allow; make the folder writable, or use the kapprep that saved it"
        )
    wal = folder / (DB_NAME + "-wal")
    mode = "mode=ro" if wal.exists() and wal.stat().st_size > 0 else "mode=ro&immutable=1"
    try:
        conn = connect(
            f"{path.as_uri()}?{mode}",
            folder,
            uri=True,
            isolation_level=None,
            check_same_thread=False,
        )
        conn.row_factory = row_factory(conn)
        conn.execute("PRAGMA query_only = ON")
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        if locked:
            if int(conn.execute("PRAGMA user_version").fetchone()[0]) != SCHEMA_VERSION:
                conn.close()
                raise StoreError(
                    f"the data in {folder} needs a kapprep that matches it, which a read-only "
                    "folder does not allow; make the folder writable, or use the kapprep that "
                    "saved it"
                )
            return conn, int(conn.execute("PRAGMA application_id").fetchone()[0])
    except sqlite3.Error as exc:
        raise StoreError(f"kapprep cannot read its data file {path} ({exc})") from None
    return conn, int.from_bytes(head[68:72], "big", signed=True)
