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

Identity: each database carries a random id in its header (`PRAGMA application_id`), also kept in
`kapprep.db.checked`. Every write transaction sets it again, so every commit in a WAL holds page 1
with the id of the database that wrote it. Before SQLite may replay a `-wal` left beside the file,
`_wal_problem` reads the WAL's frames (without SQLite) and a read-only probe reads the id the WAL
would give: a WAL of another database, or of another kapprep's database, is moved aside
(`kapprep.db-wal.foreign-<UTC timestamp>`) and reported, never replayed. A database whose schema
version reads 0 while it holds tables has lost its version: it is damaged, never new.

Damage found later, while reading (a page overwritten with its size and mtime kept, which the
opening shortcut cannot see), is handled as at opening: what can still be read is saved beside the
file (`….readable.json`), the file is moved aside, a fresh database is started and `DamageFound`
(a `StoreError`) tells the patient where everything is and which backup can be brought back
(`kapprep.store.backups`).
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import sqlite3
import struct
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
    "PLACE_KINDS",
    "UNSET",
    "DamageFound",
    "PlaceKind",
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
PLACE_KINDS: Final = ("clinic", "home", "other")
"""Where a session is: at the clinic, at home (a sitter stays nearby), or somewhere else."""
PlaceKind = Literal["clinic", "home", "other"]
_HEADER: Final = b"SQLite format 3\x00"


class StoreError(Exception):
    """A problem with the data folder or database the user should hear about, in plain words.

    Messages never contain the user's content: at most a file path.
    """


class DamageFound(StoreError):
    """Damage met while reading: the file was set aside and a fresh database started.

    `readable` is what could still be read from it (an export document, maybe with tables cut
    short: `incomplete` names them), also saved beside the set-aside file.
    """

    def __init__(
        self, message: str, aside: Path, readable: dict[str, Any] | None, incomplete: list[str]
    ) -> None:
        super().__init__(message)
        self.aside = aside
        self.readable = readable
        self.incomplete = incomplete


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
    place_kind: PlaceKind | None = None
    """Where it is, as a kind: at the clinic, at home or other (None: not said)."""

    @property
    def at_home(self) -> bool:
        return self.place_kind == "home"


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
_DAMAGE_ERRORS: Final = ("malformed", "not a database", "corrupt")


def _is_environmental(exc: sqlite3.Error) -> bool:
    text = str(exc).lower()
    return isinstance(exc, sqlite3.OperationalError) and any(w in text for w in _ENV_ERRORS)


def is_damage(exc: BaseException) -> bool:
    """SQLite met a damaged page (not a full disk, a lock or a read-only folder)."""
    if not isinstance(exc, sqlite3.DatabaseError) or _is_environmental(exc):
        return False
    text = str(exc).lower()
    return any(w in text for w in _DAMAGE_ERRORS)


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
        store_id: int = 0,
    ) -> None:
        self.folder = folder
        self.path = folder / DB_NAME
        self.notices = notices
        """Things to tell the user once, in plain words (a damaged file was moved aside)."""
        self.set_aside: list[SetAside] = []
        """Files this store moved aside since it was opened, with what could still be read."""
        self._conn: sqlite3.Connection | None = conn
        self._lock = threading.RLock()
        self._depth = 0
        self._checked_at = checked_at
        self.id = store_id
        """The database's random id (its `application_id`), written again by every transaction."""

    # -- opening ----------------------------------------------------------------------------

    @classmethod
    def open(
        cls, folder: str | os.PathLike[str] | None = None, *, daily_backup: bool = True
    ) -> Store:
        """Open (creating if needed) the store in `folder` (None: `paths.data_dir()`).

        Once a day (by `clock.now()`) a backup is taken on opening, unless `daily_backup` is
        False (`kapprep delete` takes none of what the patient asked to delete)."""
        from kapprep import paths

        # Made absolute once, here: SQLite's URI (`Path.as_uri`) and every message need a whole
        # path, and a relative one would change meaning if the process changed folder.
        where = Path(folder).expanduser().absolute() if folder is not None else paths.data_dir()
        _prepare_folder(where)
        notices: list[str] = []
        set_aside: list[SetAside] = []
        conn, checked_at, store_id = _open_db(where, notices, set_aside)
        store = cls(where, conn, notices, checked_at, store_id)
        store.set_aside = set_aside
        if daily_backup:
            from kapprep.store.backups import take_daily_backup

            # Damage the copy shows is set aside and told in `notices`, as at the opening check.
            with contextlib.suppress(DamageFound):
                take_daily_backup(store)
        return store

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                with contextlib.suppress(sqlite3.Error):
                    self._conn.close()
                self._conn = None
                if self._checked_at is not None:
                    _write_stamp(self.folder, self._checked_at, self.id)

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
                # Page 1 carries the id in every commit, so a WAL tells whose it is.
                conn.execute(f"PRAGMA application_id = {int(self.id)}")
            except sqlite3.Error as exc:
                if conn.in_transaction:
                    with contextlib.suppress(sqlite3.Error):
                        conn.execute("ROLLBACK")
                if _is_environmental(exc):
                    raise _explain(exc, self.folder) from None
                if is_damage(exc):
                    raise self._damage_found() from None
                raise
            self._depth = 1
            try:
                yield conn
                conn.execute("COMMIT")
            except BaseException as exc:
                if isinstance(exc, DamageFound):
                    raise  # the connection was closed and replaced already
                if conn.in_transaction:
                    with contextlib.suppress(sqlite3.Error):
                        conn.execute("ROLLBACK")
                if isinstance(exc, sqlite3.Error) and _is_environmental(exc):
                    raise _explain(exc, self.folder) from None
                if is_damage(exc):
                    raise self._damage_found() from None
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
        with self._lock, self._told():
            return self.conn.execute(sql, params).fetchall()

    def copy_into(self, target: sqlite3.Connection) -> None:
        """Copy the whole database into `target` with SQLite's online backup (one snapshot)."""
        with self._lock, self._told():
            self.conn.backup(target)

    @contextlib.contextmanager
    def _told(self) -> Iterator[None]:
        """Disk and folder problems become `StoreError`; damage met is handled (`DamageFound`)."""
        try:
            yield
        except sqlite3.Error as exc:
            if _is_environmental(exc):
                raise _explain(exc, self.folder) from None
            if is_damage(exc):
                raise self._damage_found() from None
            raise

    def _damage_found(self) -> DamageFound:
        """Damage met while reading: keep what can be read, set the file aside, start afresh.

        Called with the lock held, from inside a failed read or transaction. The connection is
        closed first (its last checkpoint only copies the WAL's pages into the file, which is then
        kept as it is); a fresh database is opened so the app can go on.
        """
        with self._lock:
            conn = self._conn
            readable: dict[str, Any] | None = None
            incomplete: list[str] = []
            if conn is not None:
                from kapprep.store.transfer import salvage_doc

                with contextlib.suppress(sqlite3.Error):
                    if conn.in_transaction:
                        conn.execute("ROLLBACK")
                try:
                    readable, incomplete = salvage_doc(conn)
                except sqlite3.Error:
                    readable = None
                with contextlib.suppress(sqlite3.Error):
                    conn.close()
            self._conn = None
            self._checked_at = None
            self._depth = 0
            told: list[str] = []
            aside = _move_aside(
                self.folder, told, "it was found damaged while reading it", readable, incomplete
            )
            found = SetAside(aside, readable, incomplete)
            self.set_aside.append(found)
            self.notices.extend(told)
            conn, checked_at, store_id = _open_db(self.folder, self.notices, self.set_aside)
            self._conn, self._checked_at, self.id = conn, checked_at, store_id
            return DamageFound(told[-1], aside, readable, incomplete)

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
        place_kind: PlaceKind | None = None,
    ) -> Session:
        tz = _zone_name(start)
        now = iso(_now())
        _check_place_kind(place_kind)
        with self.transaction() as conn:
            cur = conn.execute(
                "INSERT INTO sessions (start_utc, tz, place, clinic, phone, status, created_at,"
                " updated_at, place_kind) VALUES (?, ?, ?, ?, ?, 'planned', ?, ?, ?)",
                (iso(start), tz, place, clinic, phone, now, now, place_kind),
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
        place_kind: PlaceKind | _Unset | None = UNSET,
    ) -> Session:
        """Change only the fields given; raises `StoreError` if there is no such session."""
        sets: list[str] = []
        params: list[Any] = []
        if not isinstance(place_kind, _Unset):
            _check_place_kind(place_kind)
            sets.append("place_kind = ?")
            params.append(place_kind)
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


@dataclass(frozen=True, slots=True)
class SetAside:
    """A database file kapprep moved aside, and what could still be read from it."""

    path: Path
    readable: dict[str, Any] | None
    incomplete: list[str]


_SESSION_SQL: Final = (
    "SELECT id, start_utc, tz, place, clinic, phone, status, place_kind FROM sessions"
)


def _check_place_kind(kind: str | None) -> None:
    if kind is not None and kind not in PLACE_KINDS:
        raise ValueError(f"place_kind must be one of {', '.join(PLACE_KINDS)}")


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
        place_kind=row[7] if row[7] in PLACE_KINDS else None,
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
    store_id = _header_id(_read_header(folder / DB_NAME))
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
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        _make_private(path)
    except OSError:
        pass  # only a shortcut: without it the next open runs the full check


def _open_db(
    folder: Path, notices: list[str], set_aside: list[SetAside]
) -> tuple[sqlite3.Connection, datetime | None, int]:
    """Check and open the database: (connection, when last fully checked, its id)."""
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
        conn = _connect(path)
        try:
            store_id = _configure_retrying(conn, folder)
            return conn, checked_at, store_id
        except BaseException as exc:
            conn.close()
            if isinstance(exc, _LostVersion) and not attempt:
                set_aside.append(_set_aside_damaged(folder, notices, str(exc)))
                continue
            if isinstance(exc, sqlite3.Error):
                raise _explain(exc, folder) from None
            raise
    raise StoreError(f"kapprep could not start a fresh database in {folder}")


class _LostVersion(Exception):
    """The database holds tables but its schema version reads 0: damaged, never new."""


_LOST_VERSION: Final = "it lost its data version, so it cannot be told apart from a new one"


def _set_aside_damaged(folder: Path, notices: list[str], why: str) -> SetAside:
    """Save what can still be read from the damaged file, then move it aside."""
    from kapprep.store.transfer import salvage_doc

    readable: dict[str, Any] | None = None
    incomplete: list[str] = []
    path = folder / DB_NAME
    try:
        probe = sqlite3.connect(path.as_uri() + "?mode=ro", uri=True)
        try:
            readable, incomplete = salvage_doc(probe)
        finally:
            probe.close()
    except sqlite3.Error:
        readable = None
    if readable is not None and not any(readable["tables"].values()):
        readable = None  # nothing could be read: no file of nothing
    aside = _move_aside(folder, notices, why, readable, incomplete)
    return SetAside(aside, readable, incomplete)


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
        return sqlite3.connect(path.as_uri() + "?mode=ro", uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
    except sqlite3.Error as exc:
        raise _explain(exc, folder) from None


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
                store_id = secrets.randbelow(2**31 - 2) + 1
                conn.execute(f"PRAGMA application_id = {store_id}")
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
    _fix_modes(folder)
    return store_id


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
    if readable is not None:
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
