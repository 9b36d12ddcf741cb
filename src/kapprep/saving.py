"""Saving a file where the patient chooses: the briefing, its contacts, the calendar, a journal
export. No Textual here; the app's "Save to" dialog (`ui/screens/save_as.py`) uses it.

The private data folder is the default. A typed folder gets the usual file name; a name without
an ending gets the format's. A file already there is replaced only when the patient confirms
(`SaveError.exists`). Files are written private (0600, `kapprep.files`); on a filesystem that
cannot keep them private (a FAT or exFAT USB stick, many network shares) the mode stays what the
filesystem says, and `privacy_note` says so in plain words instead of claiming privacy.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from kapprep.errors import KapprepError

__all__ = ["SaveError", "kept_private", "privacy_note", "resolve", "resolve_folder", "save"]


class SaveError(KapprepError):
    """The place typed cannot take the file; the message says why and what to do."""

    def __init__(self, message: str, exists: tuple[Path, ...] = ()) -> None:
        super().__init__(message)
        self.exists = exists
        """Set when the only problem is files already there (the dialog asks to replace them)."""


def resolve(typed: str, name: str, default_folder: Path) -> Path:
    """The file to write for what was typed: a folder gets `name` ("briefing-….pdf"), a name
    without an ending gets `name`'s; "" is the default folder. SaveError when it cannot be."""
    text = typed.strip()
    suffix = Path(name).suffix
    if not text:
        return default_folder / name
    path = Path(text).expanduser()
    if text.endswith(("/", os.sep)) or path.is_dir():
        path = path / name
    elif not path.suffix:
        path = path.with_suffix(suffix)
    elif path.suffix.lower() != suffix:
        raise SaveError(f"This file ends in {suffix}; {path.name} does not. Change the name.")
    if path.parent != default_folder and not path.parent.is_dir():
        raise SaveError(f"There is no folder {path.parent}. Type a folder that exists.")
    return path


def resolve_folder(typed: str, default_folder: Path) -> Path:
    """The folder for several files at once (a journal export): what was typed, or the default."""
    text = typed.strip()
    if not text:
        return default_folder
    path = Path(text).expanduser()
    if path != default_folder and not path.is_dir():
        raise SaveError(f"There is no folder {path}. Type a folder that exists.")
    return path


def _mode(path: Path) -> int:
    return path.stat().st_mode


def kept_private(path: Path) -> bool:
    """True when only the owner can read `path` (what the filesystem says, after writing)."""
    return not stat.S_IMODE(_mode(path)) & 0o077


def save(
    files: dict[Path, bytes], default_folder: Path, *, replace: frozenset[Path] = frozenset()
) -> str:
    """Write each file privately; returns what to tell the patient. The default folder is made
    (0700) if need be; a file already there is replaced only when it is in `replace`, and
    nothing is written while one is not."""
    from kapprep.files import WriteError, write_private

    if any(path.parent == default_folder for path in files):
        try:
            default_folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        except OSError as exc:
            why = exc.strerror or "error"
            raise SaveError(f"{default_folder}: could not make the folder ({why})") from None
    there = [path for path in files if path.exists() and path not in replace]
    if there:
        names = ", ".join(str(p) for p in there)
        raise SaveError(f"There is already a file at {names}.", exists=tuple(there))
    for path, data in files.items():
        try:
            write_private(path, data, replace=path in replace)
        except WriteError as exc:
            raise SaveError(f"Not saved: {exc}.") from None
    shown = next(iter(files)) if len(files) == 1 else next(iter(files)).parent
    return f"Saved to {shown}." + privacy_note(next(iter(files)))


def privacy_note(path: Path) -> str:
    """ "" when the file is private; else a sentence saying the filesystem would not keep it so."""
    try:
        if kept_private(path):
            return ""
    except OSError:
        return ""
    return (
        " This drive cannot keep files private (like a USB stick formatted FAT): anyone using it "
        "can read this file. Delete it when it has been handed over."
    )
