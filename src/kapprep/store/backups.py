"""Backups to come back to: whole copies of the database in the data folder's `backups/`.

A copy is taken with SQLite's online backup (one consistent snapshot, safe while another kapprep
window writes) once a day when the store is opened, and before every import, plan import,
restore and migration. Each copy is checked (`PRAGMA quick_check`) before it joins the rotation,
so a damaged database never pushes out a good copy: damage found that way is handled like damage
found while reading (`DamageFound`). The last `KEEP` copies are kept, files 0600 in a 0700 folder.

Names hold the time by `clock.now()` and why the copy was taken:
`kapprep-20261120T120000Z-before-import.db` (`-2-` before the reason when one already has that
second). The JSON copies earlier versions kept before an import (`before-import-<UTC>.json`) are
part of the same rotation: listed, restorable and pruned like the others.

No copy is taken before a damaged file is moved aside: that file is itself kept whole, with what
could still be read from it beside it, and a copy of damaged data would push a good one out of the
rotation. A copy that cannot be written (a full disk) is a `StoreError`: the import or restore
that wanted it does not happen, and the data is left as it is (never taken for damage).
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import sqlite3
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from kapprep import clock
from kapprep.store.base import StoreError, is_damage, table_names
from kapprep.store.cipher import connect

if TYPE_CHECKING:
    from kapprep.store.core import Store

__all__ = [
    "BACKUPS",
    "KEEP",
    "Backup",
    "backup_connection",
    "backup_doc",
    "backups_dir",
    "list_backups",
    "offer",
    "restore",
    "take_backup",
    "take_daily_backup",
]

BACKUPS: Final = "backups"
KEEP: Final = 7
DAILY: Final = timedelta(hours=24)
_DB_NAME: Final = re.compile(
    r"^kapprep-(?P<at>\d{8}T\d{6}Z)-(?:(?P<n>\d+)-)?(?P<why>[a-z][a-z-]*)\.db$"
)
_JSON_NAME: Final = re.compile(r"^before-import-(?P<at>\d{8}T\d{6})\d*Z\.json$")
REASONS: Final = {
    "daily": "the daily copy",
    "before-import": "before an import",
    "before-plan-import": "before a plan import",
    "before-restore": "before a restore",
    "before-migration": "before kapprep updated the data's format",
}


@dataclass(frozen=True, slots=True)
class Backup:
    path: Path
    taken_at: datetime
    """Aware, UTC (by `clock.now()` when it was taken)."""
    reason: str
    """A key of `REASONS` ("daily", "before-import", …)."""
    order: int = 1

    @property
    def why(self) -> str:
        return REASONS.get(self.reason, self.reason.replace("-", " "))


def backups_dir(folder: Path) -> Path:
    return folder / BACKUPS


def list_backups(folder: Path) -> list[Backup]:
    """Every backup in the rotation, newest first."""
    found: list[Backup] = []
    try:
        names = os.listdir(backups_dir(folder))
    except OSError:
        return []
    for name in names:
        path = backups_dir(folder) / name
        if m := _DB_NAME.match(name):
            at = datetime.strptime(m["at"], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
            found.append(Backup(path, at, m["why"], int(m["n"] or 1)))
        elif m := _JSON_NAME.match(name):
            at = datetime.strptime(m["at"], "%Y%m%dT%H%M%S").replace(tzinfo=UTC)
            found.append(Backup(path, at, "before-import"))
    found.sort(key=lambda b: (b.taken_at, b.order, b.path.name), reverse=True)
    return found


def _private_folder(folder: Path) -> Path:
    where = backups_dir(folder)
    try:
        where.mkdir(mode=0o700, exist_ok=True)
        os.chmod(where, 0o700)
    except OSError as exc:
        raise StoreError(
            f"kapprep could not make its backups folder in {folder} ({exc.strerror or 'error'})"
        ) from None
    return where


def _target(folder: Path, reason: str) -> Path:
    at = clock.now().astimezone(UTC)
    stamp = f"{at:%Y%m%dT%H%M%SZ}"
    # Numbered after every copy of the same second, so the newest sorts first whatever its reason.
    n = 1 + sum(1 for b in list_backups(folder) if b.taken_at == at.replace(microsecond=0))
    while True:
        name = f"kapprep-{stamp}-{reason}.db" if n == 1 else f"kapprep-{stamp}-{n}-{reason}.db"
        path = backups_dir(folder) / name
        if not path.exists():
            return path
        n += 1


def _copy(copy_into: Any, folder: Path, reason: str) -> Path | None:
    """Copy the database (via `copy_into(connection)`) into a new backup; None if the copy is
    damaged (then nothing joins the rotation)."""
    where = _private_folder(folder)
    fd, tmp_name = tempfile.mkstemp(prefix=".backup-", suffix=".tmp", dir=where)  # 0600
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        try:
            target = connect(tmp, folder, isolation_level=None)  # a locked store's: locked
            try:
                copy_into(target)  # the store's own errors: StoreError, or DamageFound
                target.execute("PRAGMA journal_mode = DELETE")  # one file, no -wal beside it
                ok = _checks_out(target)
            finally:
                target.close()
        except sqlite3.Error:
            # Writing the copy failed (a full disk): not damage of the data, which stays as it is.
            raise StoreError(f"kapprep could not keep a backup in {where}") from None
        if not ok:
            return None
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        path = _target(folder, reason)
        os.replace(tmp, path)
        _prune(folder)
        return path
    except OSError as exc:
        raise StoreError(
            f"kapprep could not keep a backup in {where} ({exc.strerror or 'error'})"
        ) from None
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()
        for extra in ("-journal", "-wal", "-shm"):
            with contextlib.suppress(OSError):
                Path(str(tmp) + extra).unlink()


def _checks_out(copy: sqlite3.Connection) -> bool:
    """The copy passes `quick_check`: False when it shows damage (then the original is damaged:
    the online backup copies pages as they are)."""
    try:
        rows = copy.execute("PRAGMA quick_check").fetchall()
    except sqlite3.DatabaseError as exc:
        if is_damage(exc):
            return False
        raise
    return len(rows) == 1 and rows[0][0] == "ok"


def _prune(folder: Path) -> None:
    for old in list_backups(folder)[KEEP:]:
        with contextlib.suppress(OSError):
            old.path.unlink()


def take_backup(store: Store, reason: str) -> Path:
    """A backup of the store now, before a change (`reason`: a key of `REASONS`).

    Raises `StoreError` when it cannot be kept (the caller then changes nothing), and
    `DamageFound` when the copy shows the database is damaged.
    """
    path = _copy(store.copy_into, store.folder, reason)
    if path is None:
        raise store._damage_found()
    return path


def backup_connection(conn: sqlite3.Connection, folder: Path, reason: str) -> Path | None:
    """A backup from a bare connection (before a migration, while the store is being opened)."""
    return _copy(conn.backup, folder, reason)


def _holds_data(store: Store) -> bool:
    names = table_names(store.conn)
    return any(store.fetch(f'SELECT EXISTS (SELECT 1 FROM "{n}")')[0][0] for n in names)


def take_daily_backup(store: Store) -> Path | None:
    """The day's backup, if none was taken in the last 24 hours and there is something to keep.

    An empty database is not copied: after a fresh start its copies would push out the copies of
    the data that came before. A backup that cannot be written is left for the next opening.
    """
    now = clock.now()
    latest = next(iter(list_backups(store.folder)), None)
    if latest is not None and timedelta(0) <= now - latest.taken_at < DAILY:
        return None
    if not _holds_data(store):
        return None
    try:
        return take_backup(store, "daily")
    except StoreError as exc:
        if type(exc) is not StoreError:
            raise  # DamageFound: the caller says so
        return None


def backup_doc(backup: Backup) -> dict[str, Any]:
    """The backup as an export document (docs/export-format.md), to compare and restore."""
    if backup.path.suffix == ".json":
        from kapprep.store.transfer import MAX_IMPORT_BYTES, parse_export

        try:
            with open(backup.path, "rb") as fh:
                data = fh.read(MAX_IMPORT_BYTES + 1)
        except OSError as exc:
            raise StoreError(f"could not read {backup.path}: {exc.strerror or 'error'}") from None
        doc: dict[str, Any] = parse_export(data, str(backup.path))
        return doc
    from kapprep.store.schema import SCHEMA_VERSION, migrate
    from kapprep.store.transfer import export_connection

    try:
        folder = backup.path.parent.parent
        conn = connect(backup.path.as_uri() + "?mode=ro", folder, uri=True)
        try:
            version = int(conn.execute("PRAGMA user_version").fetchone()[0])
            if version >= SCHEMA_VERSION:
                return export_connection(conn)  # a newer one is refused by the import's check
        finally:
            conn.close()
        # A copy from before kapprep updated the data's format (one taken before a migration):
        # updated the same way in a private temporary copy, so it can be compared and restored.
        with tempfile.TemporaryDirectory(prefix=".restore-", dir=backup.path.parent) as tmp:
            copy = Path(tmp) / "copy.db"
            shutil.copyfile(backup.path, copy)
            conn = connect(copy, folder, isolation_level=None)
            try:
                migrate(conn)
                return export_connection(conn)
            finally:
                conn.close()
    except (sqlite3.Error, OSError):
        raise StoreError(f"the backup {backup.path} could not be read") from None


def restore(store: Store, backup: Backup) -> dict[str, tuple[int, int]]:
    """Replace the store's data with the backup's, after a backup of the data as it is now."""
    doc = backup_doc(backup)
    store.import_data(doc, dry_run=True)  # a copy that cannot be restored changes nothing
    take_backup(store, "before-restore")
    return store.import_data(doc)


def describe(backup: Backup) -> str:
    return f"{backup.taken_at:%a %d %b %Y %H:%M} UTC ({backup.why})"


def offer(folder: Path) -> str:
    """The sentence that offers the latest backup after damage ("" when there is none)."""
    latest = next(iter(list_backups(folder)), None)
    if latest is None:
        return ""
    return f"Your latest backup, from {describe(latest)}, can be brought back with: kapprep restore"
