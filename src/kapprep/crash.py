"""The crash report: what kapprep writes when something goes wrong inside it (never a user's
mistake: those are `KapprepError`s, told calmly). Shared by the command line and the app."""

from __future__ import annotations

import os
import sys
import traceback
from datetime import UTC, datetime
from pathlib import Path

__all__ = ["report_crash"]


def report_crash(exc: BaseException, data_dir: str | Path | None, command: str | None) -> Path:
    """Write a short report of an unexpected error that leaves out the user's content.

    Only the exception's type and the code locations (file, line, function) are written: never the
    exception's message or local values, which may hold health information.
    """
    from kapprep import __version__, paths

    frames = traceback.extract_tb(exc.__traceback__)
    lines = [
        f"kapprep {__version__} on Python {sys.version.split()[0]} ({sys.platform})",
        f"time: {datetime.now(UTC):%Y-%m-%dT%H:%M:%SZ}",
        f"command: {command or 'app'}",
        f"error type: {type(exc).__module__}.{type(exc).__qualname__}",
        "where (most recent call last):",
        *(f"  {Path(f.filename).name}:{f.lineno} in {f.name}" for f in frames),
        "",
        "The error's message and your data were left out on purpose.",
    ]
    try:
        folder = paths.data_dir(data_dir) / "crash-reports"
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        path = folder / f"crash-{datetime.now(UTC):%Y%m%dT%H%M%S%f}.txt"
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write("\n".join(lines) + "\n")
        return path
    except (OSError, paths.FolderError):
        return Path("(could not be written)")
