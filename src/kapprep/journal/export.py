"""The journal for the therapist: one document of the series, rendered as plain text, Markdown or
HTML.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from kapprep.journal.model import (
    INTEGRATION_PROMPTS,
    INTENTION_PROMPTS,
    MOMENTS,
    RATING_NOTE,
    SCALES,
    JournalError,
    Question,
    SessionJournal,
)
from kapprep.journal.repo import journal, questions, series

if TYPE_CHECKING:
    from kapprep.checkins import CheckIn
    from kapprep.documents.model import Document, Row, Section
    from kapprep.store import Store


# --------------------------------------------------------------------------------------------
# Export for the therapist: one document, rendered as plain text, Markdown or HTML


@dataclass(frozen=True, slots=True)
class JournalDocument:
    """What an export holds: the sessions' journals, the questions, and when it was made."""

    sessions: tuple[SessionJournal, ...]
    questions: tuple[Question, ...]
    made_at: datetime
    zone_name: str = ""
    check_ins: dict[int, tuple[CheckIn, ...]] = field(default_factory=dict)
    """Per session id, the check-in log typed in after a session at home (`kapprep.checkins`)."""


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
        check_ins=_check_ins(store, chosen),
    )


def _check_ins(store: Store, chosen: Sequence[SessionJournal]) -> dict[int, tuple[CheckIn, ...]]:
    from kapprep.checkins.repo import rows

    found: dict[int, tuple[CheckIn, ...]] = {}
    for sj in chosen:
        zone = str(getattr(sj.start.tzinfo, "key", "UTC"))
        kept = rows(store, sj.session_id, zone)
        if kept:
            found[sj.session_id] = tuple(kept)
    return found


def _log_section(heading: str, kept: tuple[CheckIn, ...]) -> Section:
    """The check-in log for the clinic: each row's time, moment, how they seemed, readings."""
    from kapprep.checkins import reading_text
    from kapprep.documents.model import Section

    labels = {"before": "before the session", "during": "", "after": "after the session"}
    table = tuple(
        (
            f"{row.at:%H:%M}",
            "; ".join(x for x in (labels[row.moment], row.seems) if x),
            "; ".join(x for x in (reading_text(row), row.note) if x),
        )
        for row in kept
    )
    return Section(
        key="checkins",
        title=f"{heading}: check-in log (at home)",
        intro="Written by the person who sat with me; readings as the cuff showed them.",
        columns=("Time", "How I seemed", "Readings and notes"),
        table=table,
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
    from kapprep.documents.model import Row

    out = []
    for scale, (label, low, high) in SCALES.items():
        before, after = sj.rating(scale, "before"), sj.rating(scale, "after")
        if before is None and after is None:
            continue
        b = "–" if before is None else str(before)
        a = "–" if after is None else str(after)
        out.append(Row(label, f"before {b}, after {a}", f"{low}, {high}"))
    return out


def rating_bars(values: Sequence[int | None]) -> str:
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


def to_document(doc: JournalDocument) -> Document:
    """The journal in the briefing's document model, so the briefing's four renderers print it."""
    from kapprep.documents.model import Document, Row, Section

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
        if sj.session_id in doc.check_ins:
            sections.append(_log_section(heading, doc.check_ins[sj.session_id]))
    tr = trends(doc.sessions)
    if len(doc.sessions) > 1 and tr:
        sections.append(
            Section(
                key="trends",
                title="Ratings across sessions",
                rows=tuple(
                    Row(
                        f"{label} {moment}",
                        f"{rating_bars(values)}  "
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
    return Document(
        title=TITLE,
        subtitle=INTRO,
        sections=tuple(sections),
        missing=(),
        footer=f"Made {long_date(doc.made_at)} with kapprep, which gives no medical advice.",
    )


def render(doc: JournalDocument, fmt: str) -> bytes:
    """The document as bytes in one of: md, html, text, pdf (the briefing's renderers)."""
    from kapprep import briefing
    from kapprep.documents.model import FORMATS

    for known in FORMATS:
        if fmt == known and known != "vcf":  # a journal holds no numbers to save
            return briefing.render(to_document(doc), known)
    raise JournalError(f'"{fmt}" is not an export format; use md, html, pdf or text')
