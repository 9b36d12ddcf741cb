"""Saving and printing a rendered briefing: private files, and `lp` where the system has it."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from kapprep.documents.model import SUFFIXES
from kapprep.errors import KapprepError


class OutputError(KapprepError):
    """Saving or printing failed; the message says what happened and where the file is."""


def write_private(path: Path, data: bytes, *, replace: bool = False) -> Path:
    """Write privately and atomically (see `kapprep.files`); failures become `OutputError`."""
    from kapprep.files import write_private as write

    try:
        return write(path, data, replace=replace)
    except OSError as exc:
        raise OutputError(str(exc)) from None


def save_in(folder: Path, fmt: str, data: bytes, now: datetime | None = None) -> Path:
    """Save in `folder` (made private if new) as briefing-YYYYMMDD-HHMMSS.<ext> (with -2, -3 …
    for another save in the same second), never over an earlier file."""
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"{folder}: could not make the folder ({exc.strerror})") from None
    for name in _names(fmt, now):
        if not (folder / name).exists():
            try:
                return write_private(folder / name, data)
            except OutputError:
                if (folder / name).exists():
                    continue  # another window took the name just now
                raise
    raise OutputError(f"{folder}: too many briefings saved in one second; try again")


def _names(fmt: str, now: datetime | None) -> Iterator[str]:
    """briefing-YYYYMMDD-HHMMSS.<ext>, then with -2, -3 … (another save in the same second)."""
    stamp = f"{(now or datetime.now(UTC)):%Y%m%d-%H%M%S}"
    suffix = SUFFIXES.get(fmt, ".txt")
    for n in range(1, 1000):
        yield f"briefing-{stamp}{'' if n == 1 else f'-{n}'}{suffix}"


def free_name(folder: Path, fmt: str, now: datetime | None = None) -> str:
    """The name `save_in` would give a briefing saved now in `folder` (the app's default)."""
    return next(
        (n for n in _names(fmt, now) if not (folder / n).exists()),
        "briefing" + SUFFIXES.get(fmt, ".txt"),
    )


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
