"""Opening the database safely: the folder and file modes, damage found and set aside, the
version and the migrations.

Privacy: the folder is 0700 and the database, `-wal` and `-shm` files 0600 whatever the umask (the
database file is created by us with mode 0600 before SQLite opens it; SQLite gives the WAL and SHM
files the database file's mode, and we chmod them again after opening). `secure_delete` is on, so
deleted notes are overwritten, not left in free pages.

Damage: a file that is not a SQLite database, or fails `PRAGMA quick_check`, is renamed to
`kapprep.db.damaged-<UTC timestamp>` (with its `-wal` and `-shm`), never overwritten; a fresh
database is started and `Store.notices` says where the old one went. The check reads through a
read-only connection, so a damaged file and its WAL are kept exactly as they were. The full
`quick_check` runs on open after a crash (a WAL was left behind), after any change made outside
kapprep (size or modification time differ from `kapprep.db.checked`, written at each clean
close), and at least once a day; otherwise opening a big database would cost ~15x opening an empty
one (benchmarks/store_bench.py). A database made by a newer kapprep is refused with `StoreError`
and not touched (its header is read before SQLite opens it).

Identity: each database carries a random id in its header (`PRAGMA application_id`), also kept in
`kapprep.db.checked`. Every write transaction sets it again, so every commit in a WAL holds page 1
with the id of the database that wrote it. Before SQLite may replay a `-wal` left beside the file,
`_wal_problem` reads the WAL's frames (without SQLite) and a read-only probe reads the id the WAL
would give: a WAL of another database, or of another kapprep's database, is moved aside
(`kapprep.db-wal.foreign-<UTC timestamp>`) and reported, never replayed. A database whose schema
version reads 0 while it holds tables has lost its version: it is damaged, never new.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Final

from kapprep.store.base import (
    _HEADER,
    _STAMP,
    BUSY_TIMEOUT_MS,
    DB_NAME,
    SetAside,
    StoreError,
    _explain,
    _is_environmental,
    _now,
    from_iso,
    is_damage,
    iso,
)
from kapprep.store.cipher import connect, key_for, row_factory
from kapprep.store.folder import check_own_files, make_private
from kapprep.store.schema import SCHEMA_VERSION, migrate
from kapprep.store.wal import _free_name, _move_wal_aside, _read_only, _wal_problem

# --------------------------------------------------------------------------------------------
# Opening: folder, file modes, damage, version, migrations


def _fix_modes(folder: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        make_private(folder / (DB_NAME + suffix))


def _create_file(path: Path) -> None:
    """Create an empty file with mode 0600, before SQLite opens it (umask cannot widen it)."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    except OSError as exc:
        folder = path.parent
        if exc.errno in (13, 30):  # EACCES, EROFS
            raise StoreError(
                f"kapprep cannot write to its data folder {folder} (it is read-only)"
            ) from None
        if exc.errno == 28:  # ENOSPC
            raise StoreError(
                "the disk is full, so kapprep cannot start its data file; free some space"
            ) from None
        raise StoreError(
            f"kapprep cannot create its data file in {folder} ({exc.strerror})"
        ) from None
    try:
        os.fchmod(fd, 0o600)
    finally:
        os.close(fd)


def _read_header(path: Path) -> bytes:
    try:
        with open(path, "rb") as fh:
            return fh.read(100)
    except FileNotFoundError:
        return b""


def _looks_like_sqlite(head: bytes) -> bool:
    return head == b"" or head.startswith(_HEADER)


def _newer_message(folder: Path, version: int) -> str:
    return (
        f"the data in {folder} was saved by a newer version of kapprep (data version "
        f"{version}; this kapprep knows up to {SCHEMA_VERSION}). Please update kapprep; "
        "your data was not changed"
    )


def _connect(path: Path, folder: Path) -> sqlite3.Connection:
    conn: sqlite3.Connection = connect(
        path,
        folder,
        timeout=BUSY_TIMEOUT_MS / 1000,
        isolation_level=None,  # we issue BEGIN IMMEDIATE / COMMIT ourselves
        check_same_thread=False,  # shared under Store._lock
    )
    conn.row_factory = row_factory(conn)
    return conn


CHECK_EVERY: Final = timedelta(hours=24)


def _db_state(folder: Path) -> tuple[int, int] | None:
    """(size, mtime_ns) of the database when it is at rest (no WAL left over), else None."""
    try:
        wal = (folder / (DB_NAME + "-wal")).stat().st_size
    except FileNotFoundError:
        wal = 0
    if wal:
        return None
    try:
        st = (folder / DB_NAME).stat()
    except FileNotFoundError:
        return None
    return st.st_size, st.st_mtime_ns


def _header_id(head: bytes) -> int:
    """The id in a database header (`application_id`, bytes 68-71); 0 when there is none."""
    return int.from_bytes(head[68:72], "big", signed=True) if len(head) >= 72 else 0


def _stamp(folder: Path) -> dict[str, Any]:
    try:
        stamp = json.loads((folder / _STAMP).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return stamp if isinstance(stamp, dict) else {}


def _trusted_since(folder: Path) -> datetime | None:
    """When the database was last fully checked, if it is untouched since kapprep closed it.

    `kapprep.db.checked` records the file's size and modification time at the last clean close
    (no WAL left behind) and the time of the last `quick_check`. If the file is exactly as kapprep
    left it, nothing can have damaged it but the disk itself, which the daily check covers; so
    opening a big database costs no more than opening a small one. After a crash (a WAL is left),
    a change made outside kapprep, or a day, the full check runs.
    """
    state = _db_state(folder)
    if state is None:
        return None
    stamp = _stamp(folder)
    # A locked database's header is encrypted: its id is read only once keyed.
    store_id = stamp.get("id") if key_for(folder) else _header_id(_read_header(folder / DB_NAME))
    try:
        if [stamp["size"], stamp["mtime_ns"]] != list(state) or stamp.get("id") != store_id:
            return None
        return from_iso(stamp["checked_at"])
    except (ValueError, KeyError, TypeError):
        return None


def _write_stamp(folder: Path, checked_at: datetime, store_id: int) -> None:
    state = _db_state(folder)
    path = folder / _STAMP
    try:
        if state is None:  # another kapprep still has it open: it will write the stamp
            path.unlink(missing_ok=True)
            return
        text = json.dumps(
            {
                "size": state[0],
                "mtime_ns": state[1],
                "checked_at": iso(checked_at),
                "id": store_id,
            }
        )
        flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0)
        fd = os.open(path, flags, 0o600)  # never through a link planted in its place
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        make_private(path)
    except OSError:
        pass  # only a shortcut: without it the next open runs the full check


def _open_db(
    folder: Path, notices: list[str], set_aside: list[SetAside]
) -> tuple[sqlite3.Connection, datetime | None, int]:
    """Check and open the database: (connection, when last fully checked, its id)."""
    path = folder / DB_NAME
    for attempt in range(2):
        check_own_files(folder)  # before SQLite opens them: it would follow a link
        _create_file(path)
        _fix_modes(folder)
        locked = key_for(folder) is not None
        # A locked database's header is encrypted: its version is checked once keyed (`_check`).
        head = b"" if locked else _read_header(path)
        damage = None if _looks_like_sqlite(head) else "it is not a kapprep database"
        if (
            damage is None
            and len(head) >= 64
            and int.from_bytes(head[60:64], "big") > SCHEMA_VERSION
        ):
            # Refused before SQLite opens it, so not even a checkpoint can change the file.
            raise StoreError(_newer_message(folder, int.from_bytes(head[60:64], "big")))
        if damage is None:
            expected = _header_id(head) or _stamp(folder).get("id")
            stray = _wal_problem(folder, expected if isinstance(expected, int) else 0)
            if stray is not None:
                _move_wal_aside(folder, notices, stray)
        now = _now()
        checked_at = _trusted_since(folder) if damage is None else None
        if checked_at is not None and not timedelta(0) <= now - checked_at <= CHECK_EVERY:
            checked_at = None
        if damage is None and checked_at is None:
            damage = _check(path, folder, head)
            checked_at = now
        if damage is not None:
            if attempt:
                raise StoreError(f"kapprep could not start a fresh database in {folder}")
            set_aside.append(_set_aside_damaged(folder, notices, damage))
            continue
        conn = _connect(path, folder)
        try:
            store_id = _configure_retrying(conn, folder)
            return conn, checked_at, store_id
        except BaseException as exc:
            conn.close()
            if isinstance(exc, _LostVersion) and not attempt:
                set_aside.append(_set_aside_damaged(folder, notices, str(exc)))
                continue
            if locked and not attempt and (is_damage(exc) or isinstance(exc, MemoryError)):
                # A page failing its HMAC, met past the opening shortcut: SQLCipher says
                # "malformed" once, then NOMEM (MemoryError) for every read after it.
                set_aside.append(_set_aside_damaged(folder, notices, _UNREADABLE))
                continue
            if isinstance(exc, sqlite3.Error):
                raise _explain(exc, folder) from None
            raise
    raise StoreError(f"kapprep could not start a fresh database in {folder}")


class _LostVersion(Exception):
    """The database holds tables but its schema version reads 0: damaged, never new."""


_UNREADABLE: Final = "it is damaged and could not be read"
_LOST_VERSION: Final = "it lost its data version, so it cannot be told apart from a new one"


def _set_aside_damaged(folder: Path, notices: list[str], why: str) -> SetAside:
    """Save what can still be read from the damaged file, then move it aside."""
    from kapprep.store.transfer import salvage_doc

    readable: dict[str, Any] | None = None
    incomplete: list[str] = []
    path = folder / DB_NAME
    try:
        probe = connect(path.as_uri() + "?mode=ro", folder, uri=True)
        try:
            readable, incomplete = salvage_doc(probe)
        finally:
            probe.close()
    except (sqlite3.Error, MemoryError):  # SQLCipher tells a page that fails its HMAC as NOMEM
        readable = None
    if readable is not None and not any(readable["tables"].values()):
        readable = None  # nothing could be read: no file of nothing
    aside = _move_aside(folder, notices, why, readable, incomplete)
    return SetAside(aside, readable, incomplete)


def _check(path: Path, folder: Path, head: bytes = b"") -> str | None:
    """Why the database cannot be used (None if it can), read through a read-only connection.

    Read-only, so a damaged file and its WAL are left exactly as they were (a read-write
    connection would checkpoint the WAL into the file when it closes).
    """
    probe = _read_only(path, folder)
    try:
        version = int(probe.execute("PRAGMA user_version").fetchone()[0])
        if version > SCHEMA_VERSION:
            raise StoreError(_newer_message(folder, version))
        file_version = int.from_bytes(head[60:64], "big") if len(head) >= 64 else 0
        if version == 0 and (
            file_version or probe.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
        ):
            return _LOST_VERSION
        if version > 0:
            rows = probe.execute("PRAGMA quick_check").fetchall()
            if len(rows) != 1 or rows[0][0] != "ok":
                return "it failed SQLite's integrity check"
        return None
    except sqlite3.DatabaseError as exc:
        if _is_environmental(exc):
            raise _explain(exc, folder) from None
        return "it is damaged and could not be read"
    finally:
        probe.close()


def _configure_retrying(conn: sqlite3.Connection, folder: Path) -> int:
    """`_configure`, tried again while another process holds the lock.

    Two processes opening a new database at once race to switch it to WAL and migrate it; SQLite
    can answer "database is locked" at once there without calling the busy handler (seen about one
    run in three of the two-writers test on a loaded machine). Every step is idempotent.
    """
    import time

    deadline = time.monotonic() + 2 * BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            return _configure(conn, folder)
        except sqlite3.OperationalError as exc:
            busy = "locked" in str(exc) or "busy" in str(exc)
            if not busy or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


def _configure(conn: sqlite3.Connection, folder: Path) -> int:
    """Set the connection up, migrate, and give the database its id if it has none; the id."""
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
    if str(mode).lower() != "wal":
        raise StoreError(f"kapprep could not use its data in {folder} safely (journal mode)")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA secure_delete = ON")
    _fix_modes(folder)
    version = int(conn.execute("PRAGMA user_version").fetchone()[0])
    if version > SCHEMA_VERSION:  # another, newer kapprep migrated it in between
        raise StoreError(_newer_message(folder, version))
    if version == 0 and conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
        raise _LostVersion(_LOST_VERSION)
    if 0 < version < SCHEMA_VERSION:
        from kapprep.store.backups import backup_connection

        backup_connection(conn, folder, "before-migration")
    if version < SCHEMA_VERSION:
        migrate(conn)
    store_id = int(conn.execute("PRAGMA application_id").fetchone()[0])
    if not store_id:
        conn.execute("BEGIN IMMEDIATE")
        try:
            store_id = int(conn.execute("PRAGMA application_id").fetchone()[0])
            if not store_id:  # another kapprep may have given it one in between
                import secrets  # once per store: not worth its ~3 ms (hmac) on every start

                store_id = secrets.randbelow(2**31 - 2) + 1
                conn.execute(f"PRAGMA application_id = {store_id}")
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
    _fix_modes(folder)
    return store_id


def _move_aside(
    folder: Path,
    notices: list[str],
    why: str,
    readable: dict[str, Any] | None = None,
    incomplete: Sequence[str] = (),
) -> Path:
    """Rename the database (with its WAL and SHM) to `kapprep.db.damaged-<UTC>`, save what could
    be read beside it, and tell the patient, offering the latest backup; the new name."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    base = _free_name(folder, f"{DB_NAME}.damaged-{stamp}")
    try:
        (folder / _STAMP).unlink(missing_ok=True)
        for suffix in ("", "-wal", "-shm"):
            src = folder / (DB_NAME + suffix)
            if src.exists():
                os.replace(src, Path(str(base) + suffix))
    except OSError:
        raise StoreError(
            f"kapprep's data file in {folder} is damaged and could not be moved aside; "
            "it was left as it was"
        ) from None
    message = (
        f"Your data file could not be used ({why}), so kapprep started a fresh one. "
        f"The old file was kept, not deleted: {base}."
    )
    if readable is not None and key_for(folder) is None:  # a locked store's is never written plain
        from kapprep.files import write_private
        from kapprep.store.transfer import dumps

        saved = Path(str(base) + ".readable.json")
        try:
            write_private(saved, dumps(readable).encode("utf-8"))
            message += f" What could still be read from it was saved in {saved}"
            if incomplete:
                message += f" (some rows of {', '.join(incomplete)} could not be read)"
            message += "."
        except OSError:
            pass
    from kapprep.store.backups import offer

    notices.append(f"{message} {offer(folder)}".rstrip())
    return base
