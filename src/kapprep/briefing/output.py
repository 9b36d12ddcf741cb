"""Saving and printing a rendered briefing: private files, and `lp` where the system has it."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from kapprep.briefing.model import SUFFIXES


class OutputError(Exception):
    """Saving or printing failed; the message says what happened and where the file is."""


def write_private(path: Path, data: bytes) -> Path:
    """Write atomically; a new file is readable only by you (the briefing holds health details)."""
    path = path.expanduser()
    folder = path.parent
    if not folder.is_dir():
        raise OutputError(f"{folder}: no such folder")
    try:
        fd, tmp = tempfile.mkstemp(prefix=".kapprep-", dir=folder)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except IsADirectoryError:
        raise OutputError(f"{path}: is a folder; give a file name") from None
    except OSError as exc:
        raise OutputError(f"{path}: could not write ({exc.strerror or 'error'})") from None
    return path


def save_in(folder: Path, fmt: str, data: bytes, now: datetime | None = None) -> Path:
    """Save in `folder` (made private if new) as briefing-YYYYMMDD-HHMMSS.<ext>."""
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"{folder}: could not make the folder ({exc.strerror})") from None
    stamp = f"{(now or datetime.now(UTC)):%Y%m%d-%H%M%S}"
    return write_private(folder / f"briefing-{stamp}{SUFFIXES.get(fmt, '.txt')}", data)


def print_pdf(path: Path) -> str:
    """Send a PDF to the default printer with `lp`; returns what to tell the patient."""
    lp = shutil.which("lp")
    if lp is None:
        raise OutputError(
            f"there is no printer command (lp) on this computer. The PDF is at {path}: "
            "open it and print it from there"
        )
    try:
        result = subprocess.run(
            [lp, "--", str(path)], capture_output=True, text=True, timeout=60, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        raise OutputError(
            f"the printer command (lp) did not answer. The PDF is at {path}"
        ) from None
    if result.returncode != 0:
        why = (result.stderr or result.stdout).strip().splitlines()
        raise OutputError(
            f"lp could not print ({why[0] if why else 'no reason given'}). The PDF is at {path}"
        )
    return f"Sent the briefing to the printer. The PDF is also at {path}"
