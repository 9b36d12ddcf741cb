"""The data folder is ours, or refused: made private with every new parent, never taken over
from another user, and kapprep's own files never followed through a symbolic link.

Python's `sqlite3` cannot pass `SQLITE_OPEN_NOFOLLOW`, so the folder's entries are checked
before SQLite opens them: a symlink (or a pipe, or a device) where kapprep's database, its WAL,
its SHM or its `.checked` record should be is refused and named. A folder someone else owns is
refused and never chmodded (on a shared folder such as /tmp that would lock its owner out, or
open the folder to everyone); our own folder that others could read is made private again and
the patient told, unless others could also write to it and it holds files kapprep did not make,
in which case it is refused.
"""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path
from typing import Final

from kapprep.store.base import _STAMP, DB_NAME, StoreError

__all__ = ["OWN_FILES", "check_own_files", "make_private", "prepare_folder"]

OWN_FILES: Final = (DB_NAME, DB_NAME + "-wal", DB_NAME + "-shm", _STAMP, DB_NAME + ".key")
"""The files kapprep opens in its folder, by name."""
_MADE_HERE: Final = (
    "backups",
    "briefings",
    "exports",
    "crash-reports",
    "cache",
)
"""Folders kapprep makes in its data folder (`kapprep.store.erase` removes them)."""


def _ours(name: str) -> bool:
    return name in OWN_FILES or name in _MADE_HERE or name.startswith(DB_NAME + ".")


def prepare_folder(folder: Path) -> list[str]:
    """Make `folder` (and every missing parent) private, or check that it is ours; what to tell
    the patient (a folder made private again). `StoreError` when it cannot be used."""
    try:
        st = folder.stat()
    except FileNotFoundError:
        _make_folders(folder)
        return []
    except OSError as exc:
        raise StoreError(
            f"kapprep cannot use its data folder {folder} ({exc.strerror or 'error'})"
        ) from None
    if not stat.S_ISDIR(st.st_mode):
        raise StoreError(f"{folder} is a file, not a folder; choose another data folder")
    if hasattr(os, "getuid") and st.st_uid != os.getuid():
        raise StoreError(
            f"the data folder {folder} belongs to another user; kapprep will not use or change "
            "it. Choose a folder of your own (--data-dir, or KAPPREP_HOME)"
        )
    if not st.st_mode & 0o077:
        return []
    try:
        strangers = sorted(name for name in os.listdir(folder) if not _ours(name))
    except OSError as exc:
        raise StoreError(
            f"kapprep cannot read its data folder {folder} ({exc.strerror or 'error'})"
        ) from None
    if strangers and st.st_mode & 0o022:
        raise StoreError(
            f"the data folder {folder} can be changed by other users and holds files kapprep did "
            f"not make ({', '.join(strangers[:3])}{', …' if len(strangers) > 3 else ''}); "
            "kapprep will not keep your data there. Choose a private folder of your own"
        )
    try:
        os.chmod(folder, 0o700)
    except OSError as exc:
        raise StoreError(
            f"the data folder {folder} can be read by others and kapprep cannot make it private "
            f"({exc.strerror or 'error'}); choose another folder"
        ) from None
    if not strangers and not (folder / DB_NAME).exists():
        return []  # a new, empty folder: nothing of the patient's was open to anyone
    return [f"Your data folder {folder} could be read by other users; kapprep made it private."]


def _make_folders(folder: Path) -> None:
    """Make `folder` and each missing parent 0700, whatever the umask."""
    missing = []
    here = folder
    while not here.exists():
        missing.append(here)
        if here.parent == here:
            break
        here = here.parent
    try:
        for path in reversed(missing):
            os.mkdir(path, 0o700)
            os.chmod(path, 0o700)
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


def check_own_files(folder: Path) -> None:
    """Refuse a symlink, pipe or device where one of kapprep's own files should be (without
    following or opening it)."""
    for name in OWN_FILES:
        path = folder / name
        try:
            st = os.lstat(path)
        except FileNotFoundError:
            continue
        except OSError as exc:
            raise StoreError(f"kapprep cannot check {path} ({exc.strerror or 'error'})") from None
        if stat.S_ISLNK(st.st_mode):
            raise StoreError(
                f"{path} is a symbolic link; kapprep opens only its own files in its data folder, "
                "never through a link. Move the link away, or choose another data folder"
            )
        if not stat.S_ISREG(st.st_mode):
            raise StoreError(
                f"{path} is not an ordinary file (a pipe, a device or a folder); move it away, "
                "or choose another data folder"
            )


def make_private(path: Path) -> None:
    """Take away group and other permissions from one of kapprep's files (never adds any: a 0400
    file stays read-only); a link is never followed, so its target is never changed."""
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return
    if not stat.S_ISREG(st.st_mode):
        return
    current = st.st_mode & 0o777
    if current & 0o077:
        flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
        with contextlib.suppress(OSError):  # gone, or not readable: SQLite will say so
            fd = os.open(path, flags)
            try:
                os.fchmod(fd, current & 0o700)
            finally:
                os.close(fd)
