"""What a save says when the data is locked: the file it wrote is not protected by the lock.

The lock encrypts the database; a briefing, a calendar file or an export saved from the app is
written as the patient asked for it, to be handed over, so it is plain. While the data is locked
the save must say so in plain words, and say how to be rid of it: a file in the data folder's
`briefings/`, `exports/` or `calendar/` is listed by `kapprep lock` run again (`store.locking.plain_leftovers`),
one saved elsewhere is the patient's to delete. No Textual here.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["lock_note"]

_PLAIN = " This file is not protected by the lock: anyone who can open your files can read it."
_LISTED = " Delete it when it has been handed over (kapprep lock, run again, lists it)."
_ELSEWHERE = " Delete it when it has been handed over."


def lock_note(folder: Path, saved: Path | None) -> str:
    """ "" while the data in `folder` is not locked (or nothing was saved); else the sentences
    to add after "Saved to …"."""
    if saved is None:
        return ""
    from kapprep.store.cipher import key_for

    if key_for(folder) is None:
        return ""
    from kapprep.store.locking import LISTED_FOLDERS  # locked: the lock's code is loaded

    where = Path(saved).absolute()
    inside = any(where.is_relative_to(Path(folder).absolute() / n) for n in LISTED_FOLDERS)
    return _PLAIN + (_LISTED if inside else _ELSEWHERE)
