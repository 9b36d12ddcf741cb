"""The journal's integration prompts on a session's timeline: when each comes due, and which
are answered. Pure and small on purpose: the timeline (and home's due list) reads it without the
rest of the journal; the answers themselves come from `kapprep.journal.repo`."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, time

from kapprep.checklist_model import Item
from kapprep.due import Due, parse_due

__all__ = [
    "INTEGRATION_CHECKLIST_ID",
    "answered_in",
    "integration_items",
]

INTEGRATION_CHECKLIST_ID = "journal"

_SCHEDULE: tuple[tuple[str, str, str, str], ...] = (
    # item id, due, text, the integration prompt it points to
    ("journal-same-evening", "0d@20:00", "Journal: write down what came up", "came-up"),
    ("journal-next-day", "+1d", "Journal: what felt important?", "important"),
    ("journal-three-days", "+3d", "Journal: one small step for this week", "step"),
    ("journal-one-week", "+7d", "Journal: look back, and whom to share it with", "share"),
)
_WHY = (
    "Writing it down while it is fresh helps you bring it to your therapy appointment. "
    "Read your intentions for this session first."
)


def integration_items(start: datetime | None = None) -> tuple[Item, ...]:
    """The integration prompts as timeline items (phase "integration", checklist "journal").

    Due the same evening at 20:00, then one, three and seven days after the session. A session
    that starts at 18:00 or later gets its same-evening prompt three hours after it starts
    instead, so it never comes due before the session has ended.
    """
    out = []
    for item_id, due_text, text, key in _SCHEDULE:
        due: Due = parse_due(due_text)
        if item_id == "journal-same-evening" and start is not None and start.time() >= time(18):
            due = parse_due("+3h")
        out.append(
            Item(
                id=item_id,
                text=text,
                checklist_id=INTEGRATION_CHECKLIST_ID,
                phase="integration",
                why=_WHY,
                due=due,
                tags=("journal", f"prompt:{key}"),
            )
        )
    return tuple(out)


def answered_in(integration: Mapping[str, str]) -> set[str]:
    """The prompts' timeline items whose answer (prompt key -> text) is not blank."""
    return {item_id for item_id, _, _, key in _SCHEDULE if integration.get(key, "").strip()}
