"""Turning the lock on and off, changing the passphrase, and recovering with the code.

Locking copies the database into a new SQLCipher file under a random data key
(`sqlcipher_export`), writes the key file (`kapprep.store.keyfile`), then renames the new file
over the old one in one step; the old plain file is overwritten with zeros through a descriptor
kept open on it, then let go. A crash at any point leaves either the plain store (a key file
beside a plain database is not a lock: `cipher.is_locked`) or the locked one, never neither.
`--off` does the same the other way, the backups first, the key file last.

The plain copies kapprep itself left before the lock (backups, damaged files set aside, what
could be read from them, saved briefings, exports and the calendar in the data folder) are listed by
`plain_leftovers`; the patient chooses: database copies are encrypted with the same key, or
removed; other files removed, or kept as they are. Removing overwrites a file with zeros before
unlinking it: best effort only, since an SSD, a journaling or copy-on-write file system, or a
backup made outside kapprep may keep the old blocks (the docs say so).

Locking refuses while another kapprep has the data open (it would go on writing the old file).
"""

from __future__ import annotations

import contextlib
import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Final, Literal

from kapprep.store.base import _HEADER, _STAMP, BUSY_TIMEOUT_MS, DB_NAME, StoreError
from kapprep.store.cipher import is_locked, key_for, key_text, keyed, use_key
from kapprep.store.keyfile import (
    KEY_BYTES,
    calibrate,
    check_new_passphrase,
    key_path,
    new_recovery_code,
    normal_code,
    normal_passphrase,
    open_with_code,
    open_with_passphrase,
    read_key_file,
    sync_folder,
    wrap,
    write_key_file,
)

if TYPE_CHECKING:
    from kapprep.store.core import Store

CopyChoice = Literal["encrypt", "remove", "keep"]
FileChoice = Literal["remove", "keep"]
LISTED_FOLDERS: Final = ("briefings", "exports", "calendar")  # where the app saves


@dataclass(frozen=True, slots=True)
class Leftovers:
    """Plain files kapprep left in the data folder: database copies, and other files."""

    copies: list[Path] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.copies or self.files)


def _is_plain_db(path: Path) -> bool:
    try:
        with open(path, "rb") as fh:
            return fh.read(len(_HEADER)) == _HEADER
    except OSError:
        return False


def plain_leftovers(folder: Path) -> Leftovers:
    """What kapprep left in `folder` that is not locked (the live database aside)."""
    copies: list[Path] = []
    files: list[Path] = []
    backups = folder / "backups"
    for path in sorted(backups.glob("*")) if backups.is_dir() else []:
        if path.is_file() and path.suffix == ".db" and _is_plain_db(path):
            copies.append(path)
        elif path.is_file() and path.suffix == ".json":
            files.append(path)
        elif path.is_file() and path.name.startswith(".") and _is_plain_db(path):
            files.append(path)  # a backup half re-encrypted when kapprep was stopped
    # .locking and .unlocking: the new file of a lock or an --off that was stopped before the
    # swap; the one of an --off is a plain copy of everything
    tails = ("damaged-*", "locking", "unlocking")
    patterns = (*(f"{DB_NAME}.{t}" for t in tails), f"{DB_NAME}-wal.foreign-*")
    for pattern in patterns:
        for path in sorted(folder.glob(pattern)):
            if path.is_file() and (path.name.endswith(".json") or not is_locked_copy(path)):
                files.append(path)
    for name in LISTED_FOLDERS:
        where = folder / name
        if where.is_dir():
            files.extend(sorted(p for p in where.rglob("*") if p.is_file()))
    return Leftovers(copies, files)


def is_locked_copy(path: Path) -> bool:
    """A file that is not plain: an encrypted database (or WAL frames of one)."""
    if path.name.endswith(("-wal", "-shm")) or ".foreign-" in path.name:
        return False  # a WAL's frame headers and an SHM are plain; set aside, treat as plain
    return not _is_plain_db(path)


def scrub(path: Path) -> None:
    """Overwrite a file with zeros, then remove it (best effort against the disk keeping it)."""
    try:
        fd = os.open(path, os.O_WRONLY | getattr(os, "O_NOFOLLOW", 0))
    except FileNotFoundError:
        return
    try:
        _zero(fd)
    finally:
        os.close(fd)
    path.unlink(missing_ok=True)


def _zero(fd: int) -> None:
    size = os.fstat(fd).st_size
    os.lseek(fd, 0, os.SEEK_SET)
    block = bytes(64 * 1024)
    left = size
    while left > 0:
        left -= os.write(fd, block[: min(left, len(block))])
    os.fsync(fd)


def _export(source: Path, source_key: bytes | None, target: Path, target_key: bytes | None) -> None:
    """Copy a whole database into a new file `target`, encrypted under `target_key` (None:
    plain), with its version and id; then WAL mode and `quick_check` on the new file."""
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(str(target) + suffix).unlink(missing_ok=True)
    conn = keyed(source, source_key, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        store_id = int(conn.execute("PRAGMA application_id").fetchone()[0])
        key = key_text(target_key) if target_key is not None else ""
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        os.close(fd)
        conn.execute("ATTACH DATABASE ? AS target KEY ?", (str(target), key))
        conn.execute("BEGIN IMMEDIATE")  # no other writer while the copy is made
        conn.execute("SELECT sqlcipher_export('target')")
        conn.execute(f"PRAGMA target.user_version = {version}")
        conn.execute(f"PRAGMA target.application_id = {store_id}")
        conn.execute("COMMIT")
        conn.execute("DETACH DATABASE target")
    finally:
        conn.close()
    check = keyed(target, target_key, isolation_level=None)
    try:
        check.execute("PRAGMA journal_mode = WAL")
        ok = check.execute("PRAGMA quick_check").fetchall()
    finally:
        check.close()
    if len(ok) != 1 or ok[0][0] != "ok":
        raise StoreError(f"the new copy of your data in {target.parent} did not check out")
    with open(target, "rb+") as fh:
        os.fsync(fh.fileno())


def _swap(folder: Path, new: Path) -> None:
    """Rename `new` over the database in one step, then zero the old file (still open here)."""
    path = folder / DB_NAME
    old = os.open(path, os.O_RDWR | getattr(os, "O_NOFOLLOW", 0))
    try:
        for suffix in ("-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)  # emptied by the checkpoint
        (folder / _STAMP).unlink(missing_ok=True)
        os.replace(new, path)
        sync_folder(folder)
        _zero(old)
    finally:
        os.close(old)


def _refuse_if_open(folder: Path) -> None:
    from kapprep.store.wal import _open_elsewhere

    if _open_elsewhere(folder):
        raise StoreError(
            f"your data in {folder} is open in another kapprep window; close it and try again. "
            "Nothing was changed"
        )


@dataclass(frozen=True, slots=True)
class Locking:
    """What turning the lock on gave: the recovery code (shown once) and what was done."""

    recovery_code: str
    encrypted: list[Path]
    removed: list[Path]
    kept: list[Path]


def lock(
    folder: Path, passphrase: str, copies: CopyChoice = "encrypt", files: FileChoice = "keep"
) -> Locking:
    """Turn the lock on for the (plain, closed) store in `folder`."""
    check_new_passphrase(passphrase)
    if is_locked(folder):
        raise StoreError(f"your data in {folder} is locked already (kapprep passphrase changes it)")
    if not (folder / DB_NAME).is_file():
        raise StoreError(f"there is no kapprep data in {folder} to lock yet")
    _refuse_if_open(folder)
    leftovers = plain_leftovers(folder)
    data_key = secrets.token_bytes(KEY_BYTES)
    code = new_recovery_code()
    params = calibrate()
    new = folder / (DB_NAME + ".locking")
    _export(folder / DB_NAME, None, new, data_key)
    write_key_file(
        folder,
        wrap(data_key, normal_passphrase(passphrase), params),
        wrap(data_key, normal_code(code), params),
    )
    _swap(folder, new)
    use_key(folder, data_key)
    encrypted, removed, kept = _settle(leftovers, data_key, copies, files)
    return Locking(code, encrypted, removed, kept)


def lock_open(store: Store, passphrase: str) -> tuple[Store, Locking]:
    """Lock the store the app has open: closed, locked, opened again with its key (the new
    `Store`). Backups are encrypted; other plain files are kept and listed in `kept`."""
    from kapprep.store.core import Store as StoreClass

    check_new_passphrase(passphrase)
    folder = store.folder
    store.close()
    try:
        done = lock(folder, passphrase, "encrypt", "keep")
    finally:
        key = key_for(folder)
        reopened = StoreClass.open(folder, key=key, daily_backup=False)
    return reopened, done


def settle_locked(
    folder: Path, passphrase: str, copies: CopyChoice = "encrypt", files: FileChoice = "keep"
) -> tuple[list[Path], list[Path], list[Path]]:
    """On a store that is locked already: the plain files found since (saves made while locked,
    a plain backup put back, what a stopped `--off` left) encrypted under the store's key, removed
    or kept. A wrong passphrase changes nothing."""
    data_key = open_with_passphrase(folder, passphrase)
    if not is_locked(folder):
        raise StoreError(f"your data in {folder} is not locked")
    leftovers = plain_leftovers(folder)
    if leftovers.copies and copies != "keep":
        _refuse_if_open(folder)  # backups: an open kapprep may be writing one
    return _settle(leftovers, data_key, copies, files)


def _settle(
    leftovers: Leftovers, data_key: bytes, copies: CopyChoice, files: FileChoice
) -> tuple[list[Path], list[Path], list[Path]]:
    encrypted: list[Path] = []
    removed: list[Path] = []
    kept: list[Path] = []
    for path in leftovers.copies:
        if copies == "encrypt":
            _reencrypt(path, None, data_key)
            encrypted.append(path)
        elif copies == "remove":
            scrub(path)
            removed.append(path)
        else:
            kept.append(path)
    for path in leftovers.files:
        if files == "remove":
            scrub(path)
            removed.append(path)
        else:
            kept.append(path)
    return encrypted, removed, kept


def _reencrypt(path: Path, old_key: bytes | None, new_key: bytes | None) -> None:
    """Encrypt (or decrypt) a backup copy in place: a new file renamed over it, the old zeroed."""
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    try:
        _export(path, old_key, tmp, new_key)
        check = keyed(tmp, new_key, isolation_level=None)
        try:
            check.execute("PRAGMA journal_mode = DELETE")  # a backup is one file
        finally:
            check.close()
        old = os.open(path, os.O_RDWR | getattr(os, "O_NOFOLLOW", 0))
        try:
            os.replace(tmp, path)
            _zero(old)
        finally:
            os.close(old)
    finally:
        for suffix in ("", "-wal", "-shm", "-journal"):
            with contextlib.suppress(OSError):
                Path(str(tmp) + suffix).unlink()


def unlock(folder: Path, passphrase: str) -> list[Path]:
    """Turn the lock off: the database and its backups made plain again, the key file removed.
    The backups decrypted (the list) come first: without the key file they could not be read."""
    data_key = open_with_passphrase(folder, passphrase)
    if not is_locked(folder):
        raise StoreError(f"your data in {folder} is not locked")
    _refuse_if_open(folder)
    decrypted: list[Path] = []
    backups = folder / "backups"
    for path in sorted(backups.glob("*.db")) if backups.is_dir() else []:
        if not _is_plain_db(path):
            _reencrypt(path, data_key, None)
            decrypted.append(path)
    new = folder / (DB_NAME + ".unlocking")
    _export(folder / DB_NAME, data_key, new, None)
    _swap(folder, new)
    key_path(folder).unlink(missing_ok=True)
    sync_folder(folder)
    use_key(folder, None)
    return decrypted


def _refuse_if_not_locked(folder: Path) -> None:
    """A key file beside a plain database is a lock that did not finish, not a lock: changing
    its passphrase would say "changed" over data anyone can read."""
    if not is_locked(folder):
        raise StoreError(
            f"your data in {folder} is not locked (a lock that did not finish leaves its lock "
            "file); lock it with: kapprep lock"
        )


def change_passphrase(folder: Path, old: str, new: str) -> None:
    """A new passphrase: the data key rewrapped (the database is not rewritten)."""
    check_new_passphrase(new)
    _refuse_if_not_locked(folder)
    data_key = open_with_passphrase(folder, old)
    doc = read_key_file(folder)
    write_key_file(folder, wrap(data_key, normal_passphrase(new), calibrate()), doc["recovery"])


def recover(folder: Path, code: str, new: str) -> str:
    """Open with the recovery code and set a new passphrase; the new recovery code (the old one
    was typed somewhere, so it is spent)."""
    check_new_passphrase(new)
    _refuse_if_not_locked(folder)
    data_key = open_with_code(folder, code)
    params = calibrate()
    fresh = new_recovery_code()
    write_key_file(
        folder,
        wrap(data_key, normal_passphrase(new), params),
        wrap(data_key, normal_code(fresh), params),
    )
    return fresh


__all__ = [
    "Leftovers",
    "Locking",
    "change_passphrase",
    "lock",
    "lock_open",
    "plain_leftovers",
    "recover",
    "scrub",
    "settle_locked",
    "unlock",
]
