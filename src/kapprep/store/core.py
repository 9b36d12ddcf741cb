"""The private SQLite store: one database file, opened safely, one short transaction per action.

Durability: WAL mode with `synchronous=FULL`. In WAL mode `NORMAL` already survives the process
being killed (a committed transaction is in the WAL, in the OS page cache), but not a power cut or
a laptop battery running flat while asleep: the last commits may be lost. `FULL` fsyncs the WAL on
every commit, so a change kapprep has reported as saved survives both. It costs one fsync per user
action, which is still cheaper than a bare SQLite INSERT in the default rollback-journal mode
(benchmarks/store_bench.py measures both).

Damage found later, while reading (a page overwritten with its size and mtime kept, which the
opening shortcut cannot see), is handled as at opening: what can still be read is saved beside the
file (`….readable.json`), the file is moved aside, a fresh database is started and `DamageFound`
(a `StoreError`) tells the patient where everything is and which backup can be brought back
(`kapprep.store.backups`). Opening (folder, file modes, damage, migrations): `store.opening`.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import threading
from collections.abc import Callable, Iterator, Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from kapprep.cleantext import clean
from kapprep.store.base import (
    _SESSION_SQL,
    DB_NAME,
    STATUSES,
    UNSET,
    DamageFound,
    PlaceKind,
    Session,
    SetAside,
    Status,
    StoreError,
    _check_place_kind,
    _explain,
    _is_environmental,
    _now,
    _one_line,
    _session,
    _Unset,
    _zone_name,
    from_iso,
    is_damage,
    iso,
    table_names,
)
from kapprep.store.cipher import recognise
from kapprep.store.folder import prepare_folder
from kapprep.store.opening import _fix_modes, _move_aside, _open_db, _write_stamp
from kapprep.store.practice import PracticeLog
from kapprep.store.readonly import NOTICE as READ_ONLY
from kapprep.store.readonly import open_read_only, read_only_folder

# --------------------------------------------------------------------------------------------
# The store


class Store(PracticeLog):
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
        self.read_only = False
        """True when the folder could not be written: everything reads, nothing saves."""

    # -- opening ----------------------------------------------------------------------------

    @classmethod
    def open(
        cls,
        folder: str | os.PathLike[str] | None = None,
        *,
        daily_backup: bool = True,
        key: bytes | None = None,
    ) -> Store:
        """Open (creating if needed) the store in `folder` (None: `paths.data_dir()`).

        Once a day (by `clock.now()`) a backup is taken on opening, unless `daily_backup` is
        False (`kapprep delete` takes none of what the patient asked to delete)."""
        from kapprep import paths

        # Made absolute once, here: SQLite's URI (`Path.as_uri`) and every message need a whole
        # path, and a relative one would change meaning if the process changed folder.
        where = Path(folder).expanduser().absolute() if folder is not None else paths.data_dir()
        notices: list[str] = prepare_folder(where)
        recognise(where, key)  # locked: known first, `Locked` without its data `key` (keyfile)
        set_aside: list[SetAside] = []
        if read_only_folder(where):  # shows, lists and exports; saves nothing
            conn, store_id = open_read_only(where)
            store = cls(where, conn, [*notices, READ_ONLY.format(folder=where)], None, store_id)
            store.read_only = True
            return store
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
        if self.read_only:
            raise StoreError(
                f"kapprep cannot write to its data folder {self.folder} (it is read-only). "
                "Everything saved before is safe"
            )
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

    @contextlib.contextmanager
    def snapshot(self) -> Iterator[sqlite3.Connection]:
        """One read transaction: every query in it sees the same state (an export). Works in a
        read-only folder too, where `transaction` refuses."""
        with self._lock, self._told():
            conn = self.conn
            if self._depth or conn.in_transaction:
                yield conn
                return
            conn.execute("BEGIN")
            try:
                yield conn
            finally:
                if conn.in_transaction:
                    conn.execute("COMMIT")

    def fetch(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> list[sqlite3.Row]:
        """Run one query and return every row (`sqlite3.Row`: by index or column name). For
        `kapprep.store` and the features' repo modules only (the house rule; a test checks it)."""
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
        place, clinic, phone = (_one_line(v) for v in (place, clinic, phone))
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
                params.append(_one_line(value))
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
        rows = self.fetch(_SESSION_SQL + " WHERE id = ?", (id,))
        return _session(rows[0]) if rows else None

    def sessions(self) -> list[Session]:
        """Every session, earliest first."""
        return [_session(r) for r in self.fetch(_SESSION_SQL + " ORDER BY start_utc, id")]

    def next_session(self, now: datetime) -> Session | None:
        """The earliest planned session that started no more than 24 h before `now`."""
        rows = self.fetch(
            _SESSION_SQL + " WHERE status = 'planned' AND start_utc >= ? ORDER BY start_utc, id"
            " LIMIT 1",
            (iso(now - timedelta(hours=24)),),
        )
        return _session(rows[0]) if rows else None

    def session_at(self, start: datetime) -> Session | None:
        """A session (not cancelled) that starts at this very moment: the same one added twice
        would split the ticks between two copies, so callers ask before adding."""
        rows = self.fetch(
            _SESSION_SQL + " WHERE status != 'cancelled' AND start_utc = ? ORDER BY id LIMIT 1",
            (iso(start),),
        )
        return _session(rows[0]) if rows else None

    def _require_session(self, conn: sqlite3.Connection, session_id: int) -> None:
        if conn.execute("SELECT 1 FROM sessions WHERE id = ?", (session_id,)).fetchone() is None:
            raise StoreError(f"there is no session {session_id}")

    # -- ticks, notes, the clinic's times ---------------------------------------------------

    def tick(
        self, session_id: int, item_id: str, at: datetime | None = None, *, note: str | None = None
    ) -> None:
        """Mark an item done (again: keeps the first time it was ticked); with `note`, keep that
        note too, in the same transaction (both or neither)."""
        when = iso(at or _now())
        with self.transaction() as conn:
            self._require_session(conn, session_id)
            conn.execute(
                "INSERT OR IGNORE INTO ticks (session_id, item_id, ticked_at) VALUES (?, ?, ?)",
                (session_id, item_id, when),
            )
            if note is not None:
                self.set_note(session_id, item_id, note)

    def untick(self, session_id: int, item_id: str) -> None:
        self._write("DELETE FROM ticks WHERE session_id = ? AND item_id = ?", (session_id, item_id))

    def ticks(self, session_id: int) -> dict[str, datetime]:
        """Item id -> when it was ticked (aware, UTC)."""
        rows = self.fetch(
            "SELECT item_id, ticked_at FROM ticks WHERE session_id = ? ORDER BY ticked_at",
            (session_id,),
        )
        return {r[0]: from_iso(r[1]) for r in rows}

    def set_note(self, session_id: int, item_id: str, text: str) -> None:
        """Keep a note on an item; "" (or only spaces) removes it. Characters a terminal acts on
        (a pasted escape sequence) are left out (`kapprep.cleantext`)."""
        text = clean(text)
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
        rows = self.fetch("SELECT item_id, text FROM notes WHERE session_id = ?", (session_id,))
        return {r[0]: clean(r[1]) for r in rows}  # kept before the check: old text too

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
        return {r[0]: r[1] for r in self.fetch("SELECT item_id, due FROM clinic_times")}

    # -- settings ---------------------------------------------------------------------------

    def plan_field(self, key: str) -> str | None:
        """One field of the support plan as stored, or None: the timeline reads the session's
        length without loading (and importing) the whole plan."""
        rows = self.fetch("SELECT value FROM plan_fields WHERE key = ?", (key,))
        return str(rows[0][0]) if rows else None

    def get_setting(self, key: str, default: Any = None) -> Any:
        rows = self.fetch("SELECT value FROM settings WHERE key = ?", (key,))
        return json.loads(rows[0][0]) if rows else default

    def settings(self) -> dict[str, Any]:
        """Every setting kept, key -> value, in one query (`kapprep.settings` types them)."""
        return {str(r[0]): json.loads(r[1]) for r in self.fetch("SELECT key, value FROM settings")}

    def set_settings(self, values: dict[str, Any]) -> None:
        """Keep several settings at once, in one transaction (None removes one)."""
        with self.transaction():
            for key, value in values.items():
                self.set_setting(key, value)

    def change_setting(self, key: str, change: Callable[[Any], Any]) -> None:
        """Keep `change(value kept now)` (None when there is none; a None result removes it),
        reading and writing in one write transaction: a second kapprep changing the same setting
        waits, so neither change is lost (as one would be by reading, then writing)."""
        with self.transaction() as conn:
            row = conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
            self.set_setting(key, change(json.loads(row[0]) if row else None))

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
        rows = self.fetch("PRAGMA integrity_check")
        return len(rows) == 1 and rows[0][0] == "ok"

    def schema_version(self) -> int:
        return int(self.fetch("PRAGMA user_version")[0][0])
