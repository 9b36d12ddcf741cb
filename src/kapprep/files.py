"""Writing the user's files: private (0600), atomic, and never over something we should not touch.

Exports, briefings, journals and calendars hold health information, so a file kapprep writes is
readable only by its owner. It is written to a temporary file beside the target and renamed over
it, so a crash never leaves half a file. An existing file is replaced only when the caller says so
(the command line's `--force`; the app's own folders): kapprep must never silently overwrite a
file the user typed by mistake, and never anything that is not a regular file (a device, /proc).
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from kapprep.errors import KapprepError

__all__ = ["NotAFileError", "WriteError", "read_regular", "write_private"]


class NotAFileError(KapprepError, OSError):
    """Not a regular file (a FIFO, a device, a socket): refused before anything is read from it,
    since reading a FIFO waits for a writer forever."""


def read_regular(path: str | os.PathLike[str], limit: int) -> bytes:
    """Up to `limit` bytes of a regular file. A FIFO or a device is opened without blocking and
    refused (`NotAFileError`) before anything is read; other problems raise `OSError` as usual
    (FileNotFoundError, IsADirectoryError, PermissionError)."""
    import stat

    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise IsADirectoryError(21, "Is a directory", str(path))
        if not stat.S_ISREG(mode):
            raise NotAFileError(0, "not a regular file (a pipe or a device)", str(path))
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        with os.fdopen(fd, "rb", closefd=True) as fh:
            fd = -1
            return fh.read(limit)
    finally:
        if fd != -1:
            os.close(fd)


class WriteError(KapprepError, OSError):
    """The file was not written; the message says why in plain words (and names no content)."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else "could not write the file"


def write_private(path: str | os.PathLike[str], data: bytes, *, replace: bool = False) -> Path:
    """Write `data` to `path` (0600, atomically); refuse to replace an existing file unless asked."""
    target = Path(path).expanduser()
    if target.is_dir():
        raise WriteError(f"{target} is a folder; give a file name")
    if target.exists() or target.is_symlink():
        if not target.is_file() or target.is_symlink():
            raise WriteError(f"{target} is not an ordinary file; kapprep will not write over it")
        if not replace:
            raise WriteError(f"{target} already exists; add --force to replace it")
    folder = target.parent
    if not folder.is_dir():
        raise WriteError(f"{folder}: no such folder")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise WriteError(f"could not write in {folder} ({exc.strerror or 'error'})") from None
    try:
        with os.fdopen(fd, "wb") as fh:  # mkstemp makes it 0600 whatever the umask
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise WriteError(f"could not write {target} ({exc.strerror or 'error'})") from None
    return target
