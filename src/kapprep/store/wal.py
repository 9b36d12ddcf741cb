"""Whose is a `-wal` file left beside the database? Read without SQLite, so a WAL of another
database is moved aside and reported, never replayed into ours.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import struct
from datetime import UTC, datetime
from pathlib import Path
from typing import Final

from kapprep.store.base import (
    _STAMP,
    BUSY_TIMEOUT_MS,
    DB_NAME,
    StoreError,
    _explain,
    _is_environmental,
)

# -- the WAL's owner --------------------------------------------------------------------------

_WAL_MAGIC: Final = (0x377F0682, 0x377F0683)
_WAL_HEADER: Final = 32
_FRAME_HEADER: Final = 24


def _wal_problem(folder: Path, expected_id: int) -> str | None:
    """Why the `-wal` beside the database does not belong to it (None: it does, or is empty).

    Read before any read-write connection, so SQLite never replays a WAL that is not ours. The
    frames are read without SQLite: every commit kapprep makes writes page 1 (with the database's
    id), so the last commit of our WAL holds page 1. Then a read-only probe reads the id the WAL
    would give the database (a consistent snapshot, safe while another kapprep writes). A
    database with no id yet (made before ids) cannot tell, so its WAL is trusted as before.
    """
    wal = folder / (DB_NAME + "-wal")
    try:
        with open(wal, "rb") as fh:
            header = fh.read(_WAL_HEADER)
            if not header:
                return None
            if len(header) < _WAL_HEADER:
                return None  # SQLite ignores a WAL without a whole header
            magic, _version, page_size = struct.unpack(">III", header[:12])
            if magic not in _WAL_MAGIC:
                return "it is not a WAL file"
            salts = header[16:24]
            last_commit_has_page1 = None
            group_has_page1 = False
            while True:
                frame = fh.read(_FRAME_HEADER)
                if len(frame) < _FRAME_HEADER or frame[8:16] != salts:
                    break
                page_no, commit = struct.unpack(">II", frame[:8])
                if page_no == 1:
                    group_has_page1 = True
                if len(fh.read(page_size)) < page_size:
                    break
                if commit:
                    last_commit_has_page1 = group_has_page1
                    group_has_page1 = False
    except FileNotFoundError:
        return None
    except OSError:
        return None  # SQLite will say what is wrong with the folder
    if last_commit_has_page1 is None or not expected_id:
        return None  # nothing committed in it (SQLite replays nothing), or a database of before
    if not last_commit_has_page1:
        return "it was not written by kapprep"
    probe = _read_only(folder / DB_NAME, folder)
    try:
        seen = int(probe.execute("PRAGMA application_id").fetchone()[0])
    except sqlite3.DatabaseError as exc:
        if _is_environmental(exc):
            raise _explain(exc, folder) from None
        return "it does not fit the database"
    finally:
        probe.close()
    if seen != expected_id:
        return "it belongs to another database"
    return None


_SHM_DMS: Final = 128
"""The byte of the `-shm` file every SQLite connection to the database holds a read lock on
(SQLite's unix VFS: UNIX_SHM_DMS)."""


def _open_elsewhere(folder: Path) -> bool:
    """Whether another process has the database open (Linux: an open-file-description lock
    query, which takes no lock; elsewhere it cannot be told without harm, so False).

    Only called when no connection of this process is open on the database: closing any
    descriptor of a file drops the process's POSIX locks on it.
    """
    try:
        import fcntl

        query = fcntl.F_OFD_GETLK
    except (ImportError, AttributeError):
        return False
    try:
        fd = os.open(folder / (DB_NAME + "-shm"), os.O_RDWR)
    except OSError:
        return False
    try:
        layout = "hhqqi4x"  # struct flock: type, whence, start, len, pid
        asked = struct.pack(layout, fcntl.F_WRLCK, os.SEEK_SET, _SHM_DMS, 1, 0)
        answer = fcntl.fcntl(fd, query, asked)
        return bool(struct.unpack(layout, answer)[0] != fcntl.F_UNLCK)
    except OSError:
        return False
    finally:
        os.close(fd)


def _move_wal_aside(folder: Path, notices: list[str], why: str) -> None:
    if _open_elsewhere(folder):
        # Most likely an older kapprep (whose commits carry no id) writing it right now; moving
        # a WAL from under a running process would split the data in two. Touch nothing.
        raise StoreError(
            f"your data in {folder} is open in another program and a file beside it "
            f"({DB_NAME}-wal) does not look like kapprep's; close the other kapprep windows and "
            "try again. Nothing was changed"
        )
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")  # a new name, even under a test clock
    base = _free_name(folder, f"{DB_NAME}-wal.foreign-{stamp}")
    try:
        os.replace(folder / (DB_NAME + "-wal"), base)
        with contextlib.suppress(FileNotFoundError):
            os.replace(folder / (DB_NAME + "-shm"), Path(str(base) + "-shm"))
        (folder / _STAMP).unlink(missing_ok=True)
    except OSError:
        raise StoreError(
            f"a file beside kapprep's data in {folder} does not belong to it and could not be "
            "moved aside; nothing was changed"
        ) from None
    notices.append(
        f"A file beside your data did not belong to it ({why}), so kapprep set it aside and did "
        f"not use it; your data is as it was before that file came. It was kept: {base}"
    )


def _free_name(folder: Path, name: str) -> Path:
    base = folder / name
    n = 1
    while base.exists():
        n += 1
        base = folder / f"{name}-{n}"
    return base


def _read_only(path: Path, folder: Path) -> sqlite3.Connection:
    """A read-only connection: it never checkpoints a WAL into the file when it closes."""
    try:
        from kapprep.store.cipher import connect

        conn: sqlite3.Connection = connect(
            path.as_uri() + "?mode=ro", folder, uri=True, timeout=BUSY_TIMEOUT_MS / 1000
        )
        return conn
    except sqlite3.Error as exc:
        raise _explain(exc, folder) from None
