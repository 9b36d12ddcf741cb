"""The patient's note for the support person: the journal answer "What I want my support person
to know" for a session, shown on that session's briefing only when the patient ticks "show this
to my support person". Nothing is shared by default, and unticking takes it off again.

One row a session and prompt in `shared_notes` (migration 3; its SQL is in `kapprep.journal.repo`);
the answer itself stays where the journal keeps it, so the briefing always shows the words as
they are now. No Textual here.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Final

from kapprep.journal import repo

if TYPE_CHECKING:
    from kapprep.store import Store

__all__ = ["SUPPORT_PROMPT", "is_shared", "set_shared", "shared_note"]

SUPPORT_PROMPT: Final = "support"
"""The intention prompt "What I want my support person to know"."""


def set_shared(store: Store, session_id: int, shared: bool, now: datetime) -> None:
    """Show (or stop showing) the session's note on its briefing."""
    repo.set_shared(store, session_id, SUPPORT_PROMPT, shared, now)


def is_shared(store: Store, session_id: int) -> bool:
    return repo.is_shared(store, session_id, SUPPORT_PROMPT)


def shared_note(store: Store, session_id: int | None) -> str | None:
    """The note to show on the session's briefing: its answer, when the patient chose to show
    it and it is not blank; else None."""
    if session_id is None or not is_shared(store, session_id):
        return None
    text = repo.entries(store, session_id, "intention").get(SUPPORT_PROMPT, "").strip()
    return text or None
