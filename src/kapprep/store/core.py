"""The private SQLite store: one database file, opened safely, one short transaction per action.

Durability: WAL mode with `synchronous=FULL`. In WAL mode `NORMAL` already survives the process
being killed (a committed transaction is in the WAL, in the OS page cache), but not a power cut or
a laptop battery running flat while asleep: the last commits may be lost. `FULL` fsyncs the WAL on
every commit, so a change kapprep has reported as saved survives both. It costs one fsync per user
action, which is still cheaper than a bare SQLite INSERT in the default rollback-journal mode
(benchmarks/store_bench.py measures both).

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
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import Enum
from pathlib import Path
from typing import Any, Final, Literal
from zoneinfo import ZoneInfo

from kapprep.store.schema import MIGRATIONS, SCHEMA_VERSION

__all__ = [
    "DB_NAME",
    "UNSET",
    "Practice",
    "Session",
    "Status",
    "Store",
    "StoreError",
]

DB_NAME: Final = "kapprep.db"
BUSY_TIMEOUT_MS: Final = 5000
STATUSES: Final = ("planned", "done", "cancelled")
Status = Literal["planned", "done", "cancelled"]
_HEADER: Final = b"SQLite format 3\x00"


class StoreError(Exception):
    """A problem with the data folder or database the user should hear about, in plain words.

    Messages never contain the user's content: at most a file path.
    """


class _Unset(Enum):
    UNSET = "UNSET"


UNSET: Final = _Unset.UNSET
"""Marks an argument of `update_*` that was not given (None means "clear it")."""


@dataclass(frozen=True, slots=True)
class Session:
    """One therapy session of the series."""

    id: int
    start: datetime
    """Aware, in the session's own zone (`ZoneInfo(tz)`)."""
    tz: str
    """IANA zone name, like Europe/Oslo."""
    place: str | None = None
    clinic: str | None = None
    phone: str | None = None
    status: Status = "planned"


@dataclass(frozen=True, slots=True)
class Practice:
    """One grounding or breathing practice from the practice log."""

    id: int
    pattern: str
    started_at: datetime
    """Aware, UTC."""
    seconds: float
    finished: bool
    calm_before: int | None = None
    calm_after: int | None = None


# --------------------------------------------------------------------------------------------
# Helpers


def iso(dt: datetime) -> str:
    """An aware datetime as the stored text: UTC, to the second ("2026-12-03T09:00:00+00:00")."""
    if dt.tzinfo is None or dt.utcoffset() is None:
        raise ValueError("times given to the store must be timezone-aware")
    return dt.astimezone(UTC).isoformat(timespec="seconds")


def from_iso(text: str) -> datetime:
    dt = datetime.fromisoformat(text)
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt


def _now() -> datetime:
    from kapprep import clock

    return clock.now()


def _zone_name(start: datetime) -> str:
    tz = start.tzinfo
    if tz is UTC:
        return "UTC"
    if not isinstance(tz, ZoneInfo) or not tz.key:
        raise ValueError("a session start needs a named time zone (a zoneinfo.ZoneInfo)")
    return tz.key


def _split_sql(script: str) -> list[str]:
    """Split a migration script into statements (lines are joined until SQLite says complete)."""
    statements: list[str] = []
    buf = ""
    for line in script.splitlines(keepends=True):
        buf += line
        if sqlite3.complete_statement(buf):
            if buf.strip():
                statements.append(buf.strip())
            buf = ""
    if buf.strip():
        statements.append(buf.strip())
    return statements


def _make_private(path: Path) -> None:
    """Take away group and other permissions (never adds any: a 0400 file stays read-only)."""
    with contextlib.suppress(FileNotFoundError):
        current = path.stat().st_mode & 0o777
        if current & 0o077:
            os.chmod(path, current & 0o700)


def _explain(exc: sqlite3.Error, folder: Path) -> StoreError:
    """Turn an SQLite error about the disk or folder into a plain message (no user content)."""
    text = str(exc).lower()
    if "disk is full" in text or "database or disk is full" in text:
        msg = (
            "the disk is full, so this change was not saved. Everything saved before is safe; "
            "free some space and try again"
        )
    elif "readonly" in text or "read-only" in text:
        msg = (
            f"kapprep cannot write to its data folder {folder} (it is read-only). "
            "Everything saved before is safe"
        )
    elif "unable to open" in text:
        msg = (
            f"kapprep cannot open its data in {folder}: check that the folder exists and is "
            "yours to write to"
        )
    elif "locked" in text or "busy" in text:
        msg = "another kapprep window is busy saving; this change was not saved. Please try again"
    elif "disk i/o" in text:
        msg = f"the disk could not be read or written ({folder}). Everything saved before is safe"
    else:
        msg = f"the data in {folder} could not be used ({type(exc).__name__})"
    err = StoreError(msg)
    err.__cause__ = None
    return err


_ENV_ERRORS: Final = ("full", "readonly", "read-only", "unable to open", "locked", "busy", "i/o")


def _is_environmental(exc: sqlite3.Error) -> bool:
    text = str(exc).lower()
    return isinstance(exc, sqlite3.OperationalError) and any(w in text for w in _ENV_ERRORS)


# --------------------------------------------------------------------------------------------
# The store


class Store:
    """The user's data. Open with `Store.open(folder)`; use as a context manager or `close()`.

    Thread-safe: one connection shared under a lock (Textual workers may call it from threads).
    """

    def __init__(
        self,
        folder: Path,
        conn: sqlite3.Connection,
        notices: list[str],
        checked_at: datetime | None = None,
    ) -> None:
        self.folder = folder
        self.path = folder / DB_NAME
        self.notices = notices
        """Things to tell the user once, in plain words (a damaged file was moved aside)."""
        self._conn: sqlite3.Connection | None = conn
        self._lock = threading.RLock()
        self._depth = 0
        self._checked_at = checked_at

    # -- opening ----------------------------------------------------------------------------

    @classmethod
    def open(cls, folder: str | os.PathLike[str] | None = None) -> Store:
        """Open (creating if needed) the store in `folder` (None: `paths.data_dir()`)."""
        from kapprep import paths

        # Made absolute once, here: SQLite's URI (`Path.as_uri`) and every message need a whole
        # path, and a relative one would change meaning if the process changed folder.
        where = Path(folder).expanduser().absolute() if folder is not None else paths.data_dir()
        _prepare_folder(where)
        notices: list[str] = []
        conn, checked_at = _open_db(where, notices)
        return cls(where, conn, notices, checked_at)

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                with contextlib.suppress(sqlite3.Error):
                    self._conn.close()
                self._conn = None
                if self._checked_at is not None:
                    _write_stamp(self.folder, self._checked_at)

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def conn(self) -> sqlite3.Connection:
        if self._conn is None:
            raise StoreError("the store is closed")
        return self._conn

    # -- transactions -----------------------------------------------------------------------

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction (BEGIN IMMEDIATE … COMMIT); rolled back if the block raises.

        Nested use joins the outer transaction. Disk and folder problems become `StoreError`.
        """
        with self._lock:
            conn = self.conn
            if self._depth:
                self._depth += 1
                try:
                    yield conn
                finally:
                    self._depth -= 1
                return
            try:
                conn.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as exc:
                if _is_environmental(exc):
                    raise _explain(exc, self.folder) from None
                raise
            self._depth = 1
            try:
                yield conn
                conn.execute("COMMIT")
            except BaseException as exc:
                if conn.in_transaction:
                    with contextlib.suppress(sqlite3.Error):
                        conn.execute("ROLLBACK")
                if isinstance(exc, sqlite3.Error) and _is_environmental(exc):
                    raise _explain(exc, self.folder) from None
                if isinstance(exc, sqlite3.IntegrityError) and "FOREIGN KEY" in str(exc):
                    # The session this belongs to was removed (in another window, or from the
                    # command line) while this window still showed it.
                    raise StoreError(
                        "that session is no longer there (was it removed in another window?); "
                        "press r to refresh"
                    ) from None
                raise
            finally:
                self._depth = 0
                _fix_modes(self.folder)

    def read(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> list[sqlite3.Row]:
        """Run one query and return every row (`sqlite3.Row`: by index or column name)."""
        with self._lock:
            try:
                return self.conn.execute(sql, params).fetchall()
            except sqlite3.Error as exc:
                if _is_environmental(exc):
                    raise _explain(exc, self.folder) from None
                raise

    def _write(self, sql: str, params: Sequence[Any] = ()) -> sqlite3.Cursor:
        with self.transaction() as conn:
            return conn.execute(sql, params)

    # -- sessions ---------------------------------------------------------------------------

    def add_session(
        self,
        start: datetime,
        *,
        place: str | None = None,
        clinic: str | None = None,
        phone: str | None = None,
    ) -> Session:
        tz = _zone_name(start)
        now = iso(_now())
        with self.transaction() as conn:
            cur = conn.execute(
                "INSERT INTO sessions (start_utc, tz, place, clinic, phone, status, created_at,"
                " updated_at) VALUES (?, ?, ?, ?, ?, 'planned', ?, ?)",
                (iso(start), tz, place, clinic, phone, now, now),
            )
            new_id = cur.lastrowid
        assert new_id is not None
        session = self.session(new_id)
        assert session is not None
        return session

    def update_session(
        self,
        id: int,
        *,
        start: datetime | _Unset = UNSET,
        place: str | _Unset | None = UNSET,
        clinic: str | _Unset | None = UNSET,
        phone: str | _Unset | None = UNSET,
        status: Status | _Unset = UNSET,
    ) -> Session:
        """Change only the fields given; raises `StoreError` if there is no such session."""
        sets: list[str] = []
        params: list[Any] = []
        if not isinstance(start, _Unset):
            sets += ["start_utc = ?", "tz = ?"]
            params += [iso(start), _zone_name(start)]
        for name, value in (("place", place), ("clinic", clinic), ("phone", phone)):
            if not isinstance(value, _Unset):
                sets.append(f"{name} = ?")
                params.append(value)
        if not isinstance(status, _Unset):
            if status not in STATUSES:
                raise ValueError(f"status must be one of {', '.join(STATUSES)}")
            sets.append("status = ?")
            params.append(status)
        sets.append("updated_at = ?")
        params += [iso(_now()), id]
        with self.transaction() as conn:
            cur = conn.execute(f"UPDATE sessions SET {', '.join(sets)} WHERE id = ?", params)
            if cur.rowcount == 0:
                raise StoreError(f"there is no session {id}")
        session = self.session(id)
        assert session is not None
        return session

    def remove_session(self, id: int) -> None:
        """Remove a session with its ticks, notes and journal entries."""
        with self.transaction() as conn:
            cur = conn.execute("DELETE FROM sessions WHERE id = ?", (id,))
            if cur.rowcount == 0:
                raise StoreError(f"there is no session {id}")

    def session(self, id: int) -> Session | None:
        rows = self.read(_SESSION_SQL + " WHERE id = ?", (id,))
        return _session(rows[0]) if rows else None

    def sessions(self) -> list[Session]:
        """Every session, earliest first."""
        return [_session(r) for r in self.read(_SESSION_SQL + " ORDER BY start_utc, id")]

    def next_session(self, now: datetime) -> Session | None:
        """The earliest planned session that started no more than 24 h before `now`."""
        rows = self.read(
            _SESSION_SQL + " WHERE status = 'planned' AND start_utc >= ? ORDER BY start_utc, id"
            " LIMIT 1",
            (iso(now - timedelta(hours=24)),),
        )
        return _session(rows[0]) if rows else None

    def session_at(self, start: datetime) -> Session | None:
        """A session (not cancelled) that starts at this very moment: the same one added twice
        would split the ticks between two copies, so callers ask before adding."""
        rows = self.read(
            _SESSION_SQL + " WHERE status != 'cancelled' AND start_utc = ? ORDER BY id LIMIT 1",
            (iso(start),),
        )
        return _session(rows[0]) if rows else None

    def _require_session(self, conn: sqlite3.Connection, session_id: int) -> None:
        if conn.execute("SELECT 1 FROM sessions WHERE id = ?", (session_id,)).fetchone() is None:
            raise StoreError(f"there is no session {session_id}")

    # -- ticks, notes, the clinic's times ---------------------------------------------------

    def tick(self, session_id: int, item_id: str, at: datetime | None = None) -> None:
        """Mark an item done (again: keeps the first time it was ticked)."""
        when = iso(at or _now())
        with self.transaction() as conn:
            self._require_session(conn, session_id)
            conn.execute(
                "INSERT OR IGNORE INTO ticks (session_id, item_id, ticked_at) VALUES (?, ?, ?)",
                (session_id, item_id, when),
            )

    def untick(self, session_id: int, item_id: str) -> None:
        self._write("DELETE FROM ticks WHERE session_id = ? AND item_id = ?", (session_id, item_id))

    def ticks(self, session_id: int) -> dict[str, datetime]:
        """Item id -> when it was ticked (aware, UTC)."""
        rows = self.read(
            "SELECT item_id, ticked_at FROM ticks WHERE session_id = ? ORDER BY ticked_at",
            (session_id,),
        )
        return {r[0]: from_iso(r[1]) for r in rows}

    def set_note(self, session_id: int, item_id: str, text: str) -> None:
        """Keep a note on an item; "" (or only spaces) removes it."""
        with self.transaction() as conn:
            if not text.strip():
                conn.execute(
                    "DELETE FROM notes WHERE session_id = ? AND item_id = ?", (session_id, item_id)
                )
                return
            self._require_session(conn, session_id)
            conn.execute(
                "INSERT INTO notes (session_id, item_id, text, updated_at) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (session_id, item_id) DO UPDATE SET text = excluded.text,"
                " updated_at = excluded.updated_at",
                (session_id, item_id, text, iso(_now())),
            )

    def notes(self, session_id: int) -> dict[str, str]:
        rows = self.read("SELECT item_id, text FROM notes WHERE session_id = ?", (session_id,))
        return {r[0]: r[1] for r in rows}

    def set_clinic_time(self, item_id: str, due: str | None) -> None:
        """The patient's own clinic's due time for an item (text like "-6h"), for every session
        of the series; None (or "") clears it, so the checklist's time shows again."""
        with self.transaction() as conn:
            if not due:
                conn.execute("DELETE FROM clinic_times WHERE item_id = ?", (item_id,))
                return
            conn.execute(
                "INSERT INTO clinic_times (item_id, due, updated_at) VALUES (?, ?, ?)"
                " ON CONFLICT (item_id) DO UPDATE SET due = excluded.due,"
                " updated_at = excluded.updated_at",
                (item_id, due, iso(_now())),
            )

    def clinic_times(self) -> dict[str, str]:
        """Item id -> the clinic's due text, as typed and checked (`kapprep.due` reads it)."""
        return {r[0]: r[1] for r in self.read("SELECT item_id, due FROM clinic_times")}

    # -- settings ---------------------------------------------------------------------------

    def plan_field(self, key: str) -> str | None:
        """One field of the support plan as stored, or None: the timeline reads the session's
        length without loading (and importing) the whole plan."""
        rows = self.read("SELECT value FROM plan_fields WHERE key = ?", (key,))
        return str(rows[0][0]) if rows else None

    def get_setting(self, key: str, default: Any = None) -> Any:
        rows = self.read("SELECT value FROM settings WHERE key = ?", (key,))
        return json.loads(rows[0][0]) if rows else default

    def set_setting(self, key: str, value: Any) -> None:
        """Keep a setting (any JSON value); None removes it."""
        if value is None:
            self._write("DELETE FROM settings WHERE key = ?", (key,))
            return
        text = json.dumps(value, ensure_ascii=False, allow_nan=False, sort_keys=True)
        self._write(
            "INSERT INTO settings (key, value) VALUES (?, ?)"
            " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, text),
        )

    # -- practice log -----------------------------------------------------------------------

    def add_practice(
        self,
        pattern: str,
        started_at: datetime,
        seconds: float,
        finished: bool,
        calm_before: int | None = None,
        calm_after: int | None = None,
    ) -> int:
        with self.transaction() as conn:
            cur = conn.execute(
                "INSERT INTO practice (pattern, started_at, seconds, finished, calm_before,"
                " calm_after) VALUES (?, ?, ?, ?, ?, ?)",
                (pattern, iso(started_at), float(seconds), int(finished), calm_before, calm_after),
            )
            new_id = cur.lastrowid
        assert new_id is not None
        return new_id

    def update_practice(
        self,
        id: int,
        *,
        seconds: float | _Unset = UNSET,
        finished: bool | _Unset = UNSET,
        calm_before: int | _Unset | None = UNSET,
        calm_after: int | _Unset | None = UNSET,
    ) -> None:
        sets: list[str] = []
        params: list[Any] = []
        if not isinstance(seconds, _Unset):
            sets.append("seconds = ?")
            params.append(float(seconds))
        if not isinstance(finished, _Unset):
            sets.append("finished = ?")
            params.append(int(finished))
        for name, value in (("calm_before", calm_before), ("calm_after", calm_after)):
            if not isinstance(value, _Unset):
                sets.append(f"{name} = ?")
                params.append(value)
        if not sets:
            return
        with self.transaction() as conn:
            cur = conn.execute(f"UPDATE practice SET {', '.join(sets)} WHERE id = ?", (*params, id))
            if cur.rowcount == 0:
                raise StoreError(f"there is no practice {id}")

    def practices(self) -> list[Practice]:
        """The practice log, oldest first."""
        rows = self.read(
            "SELECT id, pattern, started_at, seconds, finished, calm_before, calm_after"
            " FROM practice ORDER BY started_at, id"
        )
        return [
            Practice(r[0], r[1], from_iso(r[2]), float(r[3]), bool(r[4]), r[5], r[6]) for r in rows
        ]

    # -- export, import, delete -------------------------------------------------------------

    def export_data(self) -> dict[str, Any]:
        """Every table as one versioned JSON-ready document (see docs/export-format.md)."""
        from kapprep.store.transfer import export_doc

        return export_doc(self)

    def import_data(self, doc: Any, dry_run: bool = False) -> dict[str, tuple[int, int]]:
        """Replace all data with `doc` in one transaction, after validating it strictly.

        Returns, per table, (rows now, rows after). With `dry_run` nothing changes. A malformed
        document raises `StoreError` and changes nothing.
        """
        from kapprep.store.transfer import import_doc

        return import_doc(self, doc, dry_run=dry_run)

    def delete_all(self) -> None:
        """Remove every row of every table (one transaction), then wipe the freed pages and WAL."""
        with self.transaction() as conn:
            conn.execute("PRAGMA defer_foreign_keys = ON")
            for name in table_names(conn):
                conn.execute(f'DELETE FROM "{name}"')
        with self._lock:
            try:
                self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                self.conn.execute("VACUUM")
                self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            except sqlite3.Error as exc:
                if _is_environmental(exc):
                    raise _explain(exc, self.folder) from None
                raise

    # -- checks -----------------------------------------------------------------------------

    def integrity_ok(self) -> bool:
        rows = self.read("PRAGMA integrity_check")
        return len(rows) == 1 and rows[0][0] == "ok"

    def schema_version(self) -> int:
        return int(self.read("PRAGMA user_version")[0][0])


_SESSION_SQL: Final = "SELECT id, start_utc, tz, place, clinic, phone, status FROM sessions"


def _session(row: sqlite3.Row) -> Session:
    tz = row[2]
    try:
        zone = ZoneInfo(tz)
    except (KeyError, ValueError, OSError):  # zone vanished from tzdata: show it in UTC
        zone = ZoneInfo("UTC")
    return Session(
        id=row[0],
        start=from_iso(row[1]).astimezone(zone),
        tz=tz,
        place=row[3],
        clinic=row[4],
        phone=row[5],
        status=row[6],
    )


def table_names(conn: sqlite3.Connection) -> list[str]:
    """The user's tables, in creation order (SQLite's own and FTS shadow tables left out)."""
    rows = conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        " ORDER BY rowid"
    ).fetchall()
    return [r[0] for r in rows]


# --------------------------------------------------------------------------------------------
# Opening: folder, file modes, damage, version, migrations


def _prepare_folder(folder: Path) -> None:
    try:
        existed = folder.is_dir()
        if not existed:
            folder.mkdir(parents=True, mode=0o700)
            os.chmod(folder, 0o700)
        elif folder.stat().st_mode & 0o077 and (
            (folder / DB_NAME).exists() or not any(folder.iterdir())
        ):
            # Our own folder (it holds our database, or nothing yet): make it private again.
            os.chmod(folder, 0o700)
    except FileExistsError:
        raise StoreError(f"{folder} is a file, not a folder; choose another data folder") from None
    except PermissionError:
        raise StoreError(
            f"kapprep cannot create or use its data folder {folder}: permission denied"
        ) from None
    except OSError as exc:
        raise StoreError(
            f"kapprep cannot create its data folder {folder} ({exc.strerror or 'error'})"
        ) from None


def _fix_modes(folder: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        with contextlib.suppress(OSError):
            _make_private(folder / (DB_NAME + suffix))


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


def _connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(
        path,
        timeout=BUSY_TIMEOUT_MS / 1000,
        isolation_level=None,  # we issue BEGIN IMMEDIATE / COMMIT ourselves
        check_same_thread=False,  # shared under Store._lock
    )
    conn.row_factory = sqlite3.Row
    return conn


CHECK_EVERY: Final = timedelta(hours=24)
_STAMP: Final = DB_NAME + ".checked"


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
    try:
        stamp = json.loads((folder / _STAMP).read_text(encoding="utf-8"))
        if [stamp["size"], stamp["mtime_ns"]] != list(state):
            return None
        return from_iso(stamp["checked_at"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _write_stamp(folder: Path, checked_at: datetime) -> None:
    state = _db_state(folder)
    path = folder / _STAMP
    try:
        if state is None:  # another kapprep still has it open: it will write the stamp
            path.unlink(missing_ok=True)
            return
        text = json.dumps({"size": state[0], "mtime_ns": state[1], "checked_at": iso(checked_at)})
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        _make_private(path)
    except OSError:
        pass  # only a shortcut: without it the next open runs the full check


def _open_db(folder: Path, notices: list[str]) -> tuple[sqlite3.Connection, datetime | None]:
    path = folder / DB_NAME
    for attempt in range(2):
        _create_file(path)
        _fix_modes(folder)
        head = _read_header(path)
        damage = None if _looks_like_sqlite(head) else "it is not a kapprep database"
        if (
            damage is None
            and len(head) >= 64
            and int.from_bytes(head[60:64], "big") > SCHEMA_VERSION
        ):
            # Refused before SQLite opens it, so not even a checkpoint can change the file.
            raise StoreError(_newer_message(folder, int.from_bytes(head[60:64], "big")))
        now = _now()
        checked_at = _trusted_since(folder) if damage is None else None
        if checked_at is not None and not timedelta(0) <= now - checked_at <= CHECK_EVERY:
            checked_at = None
        if damage is None and checked_at is None:
            damage = _check(path, folder)
            checked_at = now
        if damage is not None:
            if attempt:
                raise StoreError(f"kapprep could not start a fresh database in {folder}")
            _move_aside(folder, notices, damage)
            continue
        conn = _connect(path)
        try:
            _configure_retrying(conn, folder)
            return conn, checked_at
        except BaseException as exc:
            conn.close()
            if isinstance(exc, sqlite3.Error):
                raise _explain(exc, folder) from None
            raise
    raise StoreError(f"kapprep could not start a fresh database in {folder}")


def _check(path: Path, folder: Path) -> str | None:
    """Why the database cannot be used (None if it can), read through a read-only connection.

    Read-only, so a damaged file and its WAL are left exactly as they were (a read-write
    connection would checkpoint the WAL into the file when it closes).
    """
    try:
        probe = sqlite3.connect(
            path.as_uri() + "?mode=ro", uri=True, timeout=BUSY_TIMEOUT_MS / 1000
        )
    except sqlite3.Error as exc:
        raise _explain(exc, folder) from None
    try:
        version = int(probe.execute("PRAGMA user_version").fetchone()[0])
        if version > SCHEMA_VERSION:
            raise StoreError(_newer_message(folder, version))
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


def _configure_retrying(conn: sqlite3.Connection, folder: Path) -> None:
    """`_configure`, tried again while another process holds the lock.

    Two processes opening a new database at once race to switch it to WAL and migrate it; SQLite
    can answer "database is locked" at once there without calling the busy handler (seen about one
    run in three of the two-writers test on a loaded machine). Every step is idempotent.
    """
    import time

    deadline = time.monotonic() + 2 * BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            _configure(conn, folder)
            return
        except sqlite3.OperationalError as exc:
            busy = "locked" in str(exc) or "busy" in str(exc)
            if not busy or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


def _configure(conn: sqlite3.Connection, folder: Path) -> None:
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
    if version < SCHEMA_VERSION:
        migrate(conn)
    _fix_modes(folder)


def migrate(conn: sqlite3.Connection, target: int = SCHEMA_VERSION) -> int:
    """Apply migrations up to `target` in one transaction; returns the version reached."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        for number in range(version + 1, target + 1):
            for statement in _split_sql(MIGRATIONS[number - 1]):
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {number}")
            version = number
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    return version


def _move_aside(folder: Path, notices: list[str], why: str) -> None:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    base = folder / f"{DB_NAME}.damaged-{stamp}"
    n = 1
    while base.exists():
        n += 1
        base = folder / f"{DB_NAME}.damaged-{stamp}-{n}"
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
    notices.append(
        f"Your data file could not be used ({why}), so kapprep started a fresh one. "
        f"The old file was kept, not deleted: {base}"
    )
