"""What kapprep says after an action, in one place: the app's notifications and plain mode's
lines both come from here, so the two front ends cannot drift apart.

Plain functions returning plain text (no markup); callers that show it in Textual pass
`markup=False` where the text holds what the patient typed. No Textual here.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kapprep.errors import KapprepError

ADD_SESSION_FIRST = "Add your session on the home screen first (press a there)."
"""In the app; plain mode says `ADD_SESSION_FIRST_PLAIN`."""
ADD_SESSION_FIRST_PLAIN = "Add your session first (sessions, then add)."
NOT_A_CLINIC_TIME = "This item's time is not one a clinic decides."
RULE_SAVED = "Saved your clinic's rule."
RULE_CLEARED = "Cleared: day-of mode says your clinic decides."
UP_TO_DATE = "Up to date."
RATING_RANGE = "A rating is from 0 to 10."
NO_CALENDAR_YET = "Add a session first; then the calendar has something to show."


def not_saved(reason: object) -> str:
    """A write that failed (disk full, folder gone): what happened; the app goes on."""
    return f"That was not saved: {reason}"


def told(exc: KapprepError) -> str:
    """What kapprep says for an error the patient can do something about: a save that failed
    begins "That was not saved"; any other says what is wrong."""
    from kapprep.files import WriteError
    from kapprep.store import StoreError

    if isinstance(exc, StoreError | WriteError):
        return not_saved(exc)
    text = str(exc)
    return text[:1].upper() + text[1:]


def ticked(text: str) -> str:
    return f"Ticked: {text}"


def unticked(text: str) -> str:
    return f"Not done any more: {text}"


def note_kept(text: str) -> str:
    return f"Note kept on: {text}"


def note_removed(text: str) -> str:
    return f"Note removed from: {text}"


def clinic_time_saved(text: str, due: str) -> str:
    return f"Your clinic's time for {text}: {due}" if due else f"Back to the usual time: {text}"


def session_saved(when: str) -> str:
    return f"Saved: {when}."


def session_done(when: str) -> str:
    return f"Marked done: the session of {when}."


def saved_to(what: str, path: Path | str) -> str:
    return f"Saved the {what} to {path}"


def calendar_saved(path: Path | str) -> str:
    return (
        f"Saved the calendar to {path}. Import it into your calendar app; importing a newer file "
        "updates the same events."
    )


def could_not_save(path: Path | str, reason: object) -> str:
    return f"Could not save {path}: {reason}"


def journal_saved(prompt: str) -> str:
    return f"Saved in your journal: {prompt}"


def journal_cleared(prompt: str) -> str:
    return f"Removed from your journal: {prompt}"


def setting_saved(name: str, shown: str) -> str:
    return f"Saved: {name} is {shown}."


def plan_saved(label: str) -> str:
    return f"Saved in your plan: {label}"


def person_removed(name: str) -> str:
    return f"Removed from your plan: {name}"


def practice_logged(finished: bool, practised: str) -> str:
    said = "Well done. " if finished else "Stopped. That counts too. "
    return f"{said}{practised} practised; saved in your practice log."
