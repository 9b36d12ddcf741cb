"""The journal's model: the intention and integration prompts, the 0-10 self-ratings, steps,
questions for the clinic, and one session's journal. Pure: no store, no clock.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Literal

from kapprep.checklist_model import Item
from kapprep.errors import KapprepError
from kapprep.prompts import answered_in, integration_items

if TYPE_CHECKING:
    pass


Kind = Literal["intention", "integration"]
Scale = Literal["mood", "anxiety"]
Moment = Literal["before", "after"]

MAX_TEXT = 20_000
"""The longest answer kept for one prompt (characters): a few pages, far more than a prompt needs."""
MAX_LINE = 500
"""The longest step or question (characters)."""


class JournalError(KapprepError, ValueError):
    """Input the journal cannot keep (an unknown prompt, a rating outside 0–10); plain words."""


# --------------------------------------------------------------------------------------------
# Prompts


@dataclass(frozen=True, slots=True)
class Prompt:
    """One optional question the patient may answer, in their own words."""

    key: str
    """Stable id stored in journal_entries.prompt (never shown)."""
    kind: Kind
    text: str
    """The prompt as shown: short and calm."""
    hint: str = ""
    """A gentle example or nudge shown beside an empty answer."""


INTENTION_PROMPTS: tuple[Prompt, ...] = (
    Prompt("hope", "intention", "What I hope for", "Something you would like."),
    Prompt("fear", "intention", "What I am afraid of", "Naming it can help."),
    Prompt("let-go", "intention", "What I would like to let go of", "A worry, a habit, a story."),
    Prompt(
        "anchor",
        "intention",
        "A word or image to return to",
        "To come back to if it is hard.",
    ),
    Prompt(
        "support",
        "intention",
        "What I want my support person to know",
        "How they can help.",
    ),
)
"""Before a session (after ketwellalaska.com's intention questions)."""

INTEGRATION_PROMPTS: tuple[Prompt, ...] = (
    Prompt("came-up", "integration", "What came up", "Images, feelings, memories."),
    Prompt("important", "integration", "What felt important", "What to keep hold of."),
    Prompt(
        "step",
        "integration",
        "One small step this week",
        "Small and kind; add it below too.",
    ),
    Prompt(
        "share",
        "integration",
        "Whom I will share it with",
        "Your therapist, a friend.",
    ),
)
"""After a session: for the therapy appointment that follows it (askp.org)."""

_PROMPTS: dict[tuple[str, str], Prompt] = {
    (p.kind, p.key): p for p in (*INTENTION_PROMPTS, *INTEGRATION_PROMPTS)
}


def prompt(kind: str, key: str) -> Prompt:
    """The prompt with this kind and key; `JournalError` if there is none."""
    try:
        return _PROMPTS[(kind, key)]
    except KeyError:
        raise JournalError(f'there is no {kind} prompt called "{key}"') from None


# --------------------------------------------------------------------------------------------
# Ratings

RATING_NOTE = "A self-check, not a clinical score."
"""Shown beside every rating, on screen and in every export."""

SCALES: dict[str, tuple[str, str, str]] = {
    "mood": ("Mood", "0 very low", "10 very good"),
    "anxiety": ("Anxiety", "0 calm", "10 very anxious"),
}
"""scale -> (label, what 0 means, what 10 means)."""
MOMENTS: dict[str, str] = {"before": "before", "after": "after"}


@dataclass(frozen=True, slots=True)
class Rating:
    """A 0–10 self-rating of one scale at one moment (before or after a session)."""

    session_id: int
    scale: Scale
    moment: Moment
    value: int
    updated_at: datetime


# --------------------------------------------------------------------------------------------
# Steps and questions


@dataclass(frozen=True, slots=True)
class Step:
    """A small action step the patient set themselves after a session."""

    id: int
    session_id: int
    text: str
    created_at: datetime
    done_at: datetime | None = None

    @property
    def done(self) -> bool:
        return self.done_at is not None


@dataclass(frozen=True, slots=True)
class Question:
    """A question for the clinic: captured, shown before each session, never answered here."""

    id: int
    text: str
    created_at: datetime
    asked_at: datetime | None = None
    position: int = 0

    @property
    def asked(self) -> bool:
        return self.asked_at is not None


# --------------------------------------------------------------------------------------------
# One session's journal, and the series


@dataclass(frozen=True, slots=True)
class SessionJournal:
    """Everything written for one session: the intentions, and the integration that links to them."""

    session_id: int
    start: datetime
    status: str
    number: int
    """1-based place in the series (by start time, cancelled sessions left out)."""
    intentions: dict[str, str] = field(default_factory=dict)
    integration: dict[str, str] = field(default_factory=dict)
    steps: tuple[Step, ...] = ()
    ratings: dict[tuple[str, str], int] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return not (self.intentions or self.integration or self.steps or self.ratings)

    def rating(self, scale: str, moment: str) -> int | None:
        return self.ratings.get((scale, moment))


# --------------------------------------------------------------------------------------------
# The integration prompts on the timeline

# The integration prompts' schedule and their timeline items: kapprep.prompts (the timeline
# reads them without importing the rest of the journal).


def with_integration(items: Iterable[Item], start: datetime | None = None) -> Iterator[Item]:
    """The checklist items followed by the integration prompts (for `schedule.timeline`)."""
    yield from items
    yield from integration_items(start)


def answered_items(sj: SessionJournal) -> set[str]:
    """The integration timeline items whose prompt has an answer (they count as done)."""
    return _answered(sj.integration)


def _answered(integration: Mapping[str, str]) -> set[str]:
    return answered_in(integration)
