"""The journal: intentions before a session, integration after it, steps, ratings and questions.

Before each session the patient may answer a few gentle intention prompts; after it, a few
integration prompts, a handful of small action steps with a done state, and 0–10 self-ratings of
mood and anxiety before and after (a self-check, not a clinical score). Between appointments they
keep a list of questions for their clinic: kapprep captures the questions and never answers them.

Every prompt is optional and saved as typed: each function below is one short transaction on the
store (`store.transaction()` / `store.read()`), so nothing is lost and two running copies of the
app never overwrite each other's work. The integration prompts also come due on a schedule (the
same evening, the next day, three days and a week after the session) as synthetic checklist items
in the "integration" phase, so they show in the timeline and the calendar like any other item.

Sources for the prompts (see shared research notes): the intention questions follow the ones one
clinic gives its patients (ketwellalaska.com: what do I hope for, what do I fear, what would I like
to let go of); journaling after a session and bringing notes to the therapist follow
soulhealingcalgary.com and propeltherapeutics.com; a therapy appointment 24–48 hours after each
session follows askp.org. Pure domain code: no Textual, no network.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Literal

from kapprep.checklist_model import Item
from kapprep.prompts import answered_in, entries, integration_items

if TYPE_CHECKING:
    from kapprep.briefing.model import Briefing, Row
    from kapprep.store import Session, Store

__all__ = [
    "INTEGRATION_PROMPTS",
    "INTENTION_PROMPTS",
    "RATING_NOTE",
    "SCALES",
    "JournalError",
    "Prompt",
    "Question",
    "Rating",
    "SessionJournal",
    "Step",
    "add_question",
    "add_step",
    "entries",
    "integration_items",
    "journal",
    "open_steps",
    "prompt",
    "questions",
    "ratings",
    "remove_question",
    "remove_step",
    "save_entry",
    "series",
    "set_asked",
    "set_rating",
    "set_step_done",
    "steps",
]

Kind = Literal["intention", "integration"]
Scale = Literal["mood", "anxiety"]
Moment = Literal["before", "after"]

MAX_TEXT = 20_000
"""The longest answer kept for one prompt (characters): a few pages, far more than a prompt needs."""
MAX_LINE = 500
"""The longest step or question (characters)."""


class JournalError(ValueError):
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
# Storage helpers


def _iso(dt: datetime) -> str:
    if dt.tzinfo is None:
        raise ValueError("journal times must be timezone-aware")
    return dt.astimezone(UTC).isoformat(timespec="seconds")


def _when(text: str | None) -> datetime | None:
    if text is None:
        return None
    dt = datetime.fromisoformat(text)
    return dt if dt.tzinfo is not None else dt.replace(tzinfo=UTC)


def _clean(text: str, limit: int, what: str) -> str:
    if "\x00" in text:
        text = text.replace("\x00", "")
    if len(text) > limit:
        raise JournalError(f"{what} is {len(text):,} characters long; keep it under {limit:,}")
    return text


# --------------------------------------------------------------------------------------------
# Entries (intentions and integration notes)


def save_entry(
    store: Store, session_id: int, kind: str, key: str, text: str, now: datetime
) -> None:
    """Save one prompt's answer as typed; blank text removes it. One short transaction."""
    prompt(kind, key)  # validates kind and key
    text = _clean(text, MAX_TEXT, "this answer")
    with store.transaction() as db:
        if not text.strip():
            db.execute(
                "DELETE FROM journal_entries WHERE session_id = ? AND kind = ? AND prompt = ?",
                (session_id, kind, key),
            )
            return
        db.execute(
            "INSERT INTO journal_entries (session_id, kind, prompt, text, updated_at)"
            " VALUES (?, ?, ?, ?, ?)"
            " ON CONFLICT (session_id, kind, prompt)"
            " DO UPDATE SET text = excluded.text, updated_at = excluded.updated_at",
            (session_id, kind, key, text, _iso(now)),
        )


# --------------------------------------------------------------------------------------------
# Ratings


def set_rating(
    store: Store,
    session_id: int,
    scale: str,
    moment: str,
    value: int | None,
    now: datetime,
) -> None:
    """Set (or with None clear) one 0–10 self-rating. One short transaction."""
    if scale not in SCALES:
        raise JournalError(f'"{scale}" is not a rating; use mood or anxiety')
    if moment not in MOMENTS:
        raise JournalError(f'"{moment}" is not a moment; use before or after')
    if value is not None and (
        isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10
    ):
        raise JournalError(f"a rating is a whole number from 0 to 10, not {value!r}")
    with store.transaction() as db:
        if value is None:
            db.execute(
                "DELETE FROM journal_ratings WHERE session_id = ? AND scale = ? AND moment = ?",
                (session_id, scale, moment),
            )
            return
        db.execute(
            "INSERT INTO journal_ratings (session_id, scale, moment, value, updated_at)"
            " VALUES (?, ?, ?, ?, ?)"
            " ON CONFLICT (session_id, scale, moment)"
            " DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
            (session_id, scale, moment, value, _iso(now)),
        )


def ratings(store: Store, session_id: int) -> dict[tuple[str, str], int]:
    """(scale, moment) -> value for one session."""
    rows = store.read(
        "SELECT scale, moment, value FROM journal_ratings WHERE session_id = ?", (session_id,)
    )
    return {(str(r["scale"]), str(r["moment"])): int(r["value"]) for r in rows}


# --------------------------------------------------------------------------------------------
# Steps


def _step(row: sqlite3.Row) -> Step:
    created = _when(row["created_at"])
    assert created is not None
    return Step(
        id=int(row["id"]),
        session_id=int(row["session_id"]),
        text=str(row["text"]),
        created_at=created,
        done_at=_when(row["done_at"]),
    )


def add_step(store: Store, session_id: int, text: str, now: datetime) -> int:
    """Add an action step to a session; returns its id."""
    text = _clean(text, MAX_LINE, "this step").strip()
    if not text:
        raise JournalError("a step needs a few words saying what you will do")
    with store.transaction() as db:
        cur = db.execute(
            "INSERT INTO journal_steps (session_id, text, created_at) VALUES (?, ?, ?)",
            (session_id, text, _iso(now)),
        )
        return int(cur.lastrowid or 0)


def set_step_done(store: Store, step_id: int, done: bool, now: datetime) -> None:
    """Mark a step done (keeping the first time it was done) or not done."""
    with store.transaction() as db:
        if done:
            db.execute(
                "UPDATE journal_steps SET done_at = COALESCE(done_at, ?) WHERE id = ?",
                (_iso(now), step_id),
            )
        else:
            db.execute("UPDATE journal_steps SET done_at = NULL WHERE id = ?", (step_id,))


def remove_step(store: Store, step_id: int) -> None:
    with store.transaction() as db:
        db.execute("DELETE FROM journal_steps WHERE id = ?", (step_id,))


def steps(store: Store, session_id: int | None = None) -> list[Step]:
    """The steps of one session (or every session), oldest first."""
    if session_id is None:
        rows = store.read("SELECT * FROM journal_steps ORDER BY created_at, id")
    else:
        rows = store.read(
            "SELECT * FROM journal_steps WHERE session_id = ? ORDER BY created_at, id",
            (session_id,),
        )
    return [_step(r) for r in rows]


def open_steps(store: Store) -> list[Step]:
    """Every step not yet done, across sessions, oldest first (for the home screen)."""
    rows = store.read("SELECT * FROM journal_steps WHERE done_at IS NULL ORDER BY created_at, id")
    return [_step(r) for r in rows]


# --------------------------------------------------------------------------------------------
# Questions for the clinic


def add_question(store: Store, text: str, now: datetime) -> int:
    """Add a question for the clinic at the end of the list; returns its id."""
    text = " ".join(_clean(text, MAX_LINE, "this question").split())
    if not text:
        raise JournalError("a question needs some words")
    with store.transaction() as db:
        cur = db.execute(
            "INSERT INTO questions (text, created_at, position)"
            " VALUES (?, ?, (SELECT COALESCE(MAX(position), 0) + 1 FROM questions))",
            (text, _iso(now)),
        )
        return int(cur.lastrowid or 0)


def set_asked(store: Store, question_id: int, asked: bool, now: datetime) -> bool:
    """Mark a question asked (or not yet asked); False when there is no such question."""
    with store.transaction() as db:
        cur = db.execute(
            "UPDATE questions SET asked_at = ? WHERE id = ?",
            (_iso(now) if asked else None, question_id),
        )
        return cur.rowcount > 0


def remove_question(store: Store, question_id: int) -> bool:
    with store.transaction() as db:
        return db.execute("DELETE FROM questions WHERE id = ?", (question_id,)).rowcount > 0


def questions(store: Store, *, include_asked: bool = True) -> list[Question]:
    """The questions in the order they were added (open ones only with include_asked=False)."""
    where = "" if include_asked else " WHERE asked_at IS NULL"
    rows = store.read(f"SELECT * FROM questions{where} ORDER BY position, id")
    out = []
    for r in rows:
        created = _when(r["created_at"])
        assert created is not None
        out.append(
            Question(
                id=int(r["id"]),
                text=str(r["text"]),
                created_at=created,
                asked_at=_when(r["asked_at"]),
                position=int(r["position"]),
            )
        )
    return out


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


def _journal_of(store: Store, session: Session, number: int) -> SessionJournal:
    return SessionJournal(
        session_id=session.id,
        start=session.start,
        status=session.status,
        number=number,
        intentions=entries(store, session.id, "intention"),
        integration=entries(store, session.id, "integration"),
        steps=tuple(steps(store, session.id)),
        ratings=ratings(store, session.id),
    )


def series(store: Store) -> list[SessionJournal]:
    """The journal of every session that was not cancelled, in time order, numbered 1, 2, 3…"""
    kept = sorted((s for s in store.sessions() if s.status != "cancelled"), key=lambda s: s.start)
    return [_journal_of(store, s, n) for n, s in enumerate(kept, start=1)]


def journal(store: Store, session_id: int) -> SessionJournal | None:
    """One session's journal (numbered in its series), or None when there is no such session."""
    for sj in series(store):
        if sj.session_id == session_id:
            return sj
    for s in store.sessions():  # a cancelled session: still readable, number 0
        if s.id == session_id:
            return _journal_of(store, s, 0)
    return None


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


# --------------------------------------------------------------------------------------------
# Export for the therapist: one document, rendered as plain text, Markdown or HTML


@dataclass(frozen=True, slots=True)
class JournalDocument:
    """What an export holds: the sessions' journals, the questions, and when it was made."""

    sessions: tuple[SessionJournal, ...]
    questions: tuple[Question, ...]
    made_at: datetime
    zone_name: str = ""


def document(store: Store, now: datetime, session_id: int | None = None) -> JournalDocument:
    """The journal as one document: every session (or just one) and the open questions.

    `JournalError` when `session_id` names no session.
    """
    if session_id is None:
        chosen = tuple(series(store))
    else:
        one = journal(store, session_id)
        if one is None:
            raise JournalError(
                f"there is no session {session_id}; `kapprep session list` shows them"
            )
        chosen = (one,)
    return JournalDocument(
        sessions=chosen,
        questions=tuple(questions(store)),
        made_at=now,
        zone_name=str(getattr(now.tzinfo, "key", "") or ""),
    )


TITLE = "My KAP journal"
INTRO = (
    "Written by me, for my therapist. Ratings are 0–10 self-checks, not clinical scores. "
    "Made with kapprep, which gives no medical advice."
)


def long_date(dt: datetime) -> str:
    """ "Monday 26 October 2026, 10:00" (portable: no %-d)."""
    return f"{dt:%A} {dt.day} {dt:%B %Y, %H:%M}"


def _session_heading(sj: SessionJournal, zone: Any) -> str:
    """In the session's own zone, named where `zone` (the computer's) shows another time."""
    from kapprep.zones import zone_label

    label = f"Session {sj.number}" if sj.number else "Session (cancelled)"
    named = zone_label(sj.start, zone) if zone is not None else ""
    return f"{label} — {long_date(sj.start)}{f' {named}' if named else ''}"


def _rating_rows(sj: SessionJournal) -> list[Row]:
    from kapprep.briefing.model import Row

    out = []
    for scale, (label, low, high) in SCALES.items():
        before, after = sj.rating(scale, "before"), sj.rating(scale, "after")
        if before is None and after is None:
            continue
        b = "–" if before is None else str(before)
        a = "–" if after is None else str(after)
        out.append(Row(label, f"before {b}, after {a}", f"{low}, {high}"))
    return out


def sparkline(values: Sequence[int | None]) -> str:
    """0–10 values as one character each (a gap for a missing value): ▁▂▃▄▅▆▇█."""
    bars = "▁▂▃▄▅▆▇█"
    return "".join(" " if v is None else bars[min(7, max(0, round(v * 7 / 10)))] for v in values)


def trends(doc_sessions: Sequence[SessionJournal]) -> list[tuple[str, str, list[int | None]]]:
    """(label, moment, values across sessions) for every scale/moment with at least one value."""
    out = []
    for scale, (label, _, _) in SCALES.items():
        for moment in MOMENTS:
            values = [sj.rating(scale, moment) for sj in doc_sessions]
            if any(v is not None for v in values):
                out.append((label, moment, values))
    return out


def to_briefing(doc: JournalDocument) -> Briefing:
    """The journal in the briefing's document model, so the briefing's four renderers print it."""
    from kapprep.briefing.model import Briefing, Row, Section

    zone = doc.made_at.tzinfo
    sections: list[Section] = []
    for sj in doc.sessions:
        heading = _session_heading(sj, zone)
        intentions = tuple(
            Row(p.text, sj.intentions[p.key]) for p in INTENTION_PROMPTS if p.key in sj.intentions
        )
        sections.append(
            Section(
                key="intentions",
                title=f"{heading}: intentions",
                rows=intentions,
                paragraphs=() if intentions else ("Nothing written before this session.",),
            )
        )
        after = [
            Row(p.text, sj.integration[p.key])
            for p in INTEGRATION_PROMPTS
            if p.key in sj.integration
        ]
        ratings = _rating_rows(sj)
        notes = []
        if not after:
            notes.append("Nothing written after this session yet.")
        if ratings:
            notes.append(f"Ratings: {RATING_NOTE.lower()}")
        sections.append(
            Section(
                key="integration",
                title=f"Session {sj.number or '(cancelled)'}: integration, looking back at these intentions",
                rows=(*after, *ratings),
                bullets=tuple(f"{'Done' if s.done else 'To do'}: {s.text}" for s in sj.steps),
                paragraphs=tuple(notes),
            )
        )
    tr = trends(doc.sessions)
    if len(doc.sessions) > 1 and tr:
        sections.append(
            Section(
                key="trends",
                title="Ratings across sessions",
                rows=tuple(
                    Row(
                        f"{label} {moment}",
                        f"{sparkline(values)}  "
                        + " ".join("–" if v is None else str(v) for v in values),
                    )
                    for label, moment, values in tr
                ),
                paragraphs=(f"One mark per session, oldest first. {RATING_NOTE}",),
            )
        )
    if doc.questions:
        sections.append(
            Section(
                key="questions",
                title="Questions for my clinic",
                bullets=tuple(f"{q.text}{' (asked)' if q.asked else ''}" for q in doc.questions),
            )
        )
    return Briefing(
        title=TITLE,
        subtitle=INTRO,
        sections=tuple(sections),
        missing=(),
        footer=f"Made {long_date(doc.made_at)} with kapprep, which gives no medical advice.",
    )


def render(doc: JournalDocument, fmt: str) -> bytes:
    """The document as bytes in one of: md, html, text, pdf (the briefing's renderers)."""
    from kapprep import briefing
    from kapprep.briefing.model import FORMATS

    for known in FORMATS:
        if fmt == known:
            return briefing.render(to_briefing(doc), known)
    raise JournalError(f'"{fmt}" is not an export format; use md, html, pdf or text')
