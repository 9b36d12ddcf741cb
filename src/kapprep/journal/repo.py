"""All of the journal's SQL. Each function is one short transaction on the store, so nothing is
lost and two running copies of the app never overwrite each other's work.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from kapprep.cleantext import clean
from kapprep.journal.model import (
    MAX_LINE,
    MAX_TEXT,
    MOMENTS,
    SCALES,
    JournalError,
    Question,
    SessionJournal,
    Step,
    prompt,
)
from kapprep.prompts import answered_in

if TYPE_CHECKING:
    from kapprep.store import Session, Store


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
    # Line ends as newlines; a pasted escape sequence (which would scramble the screen) left out.
    text = clean(text.replace("\r\n", "\n").replace("\r", "\n"))
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
    rows = store.fetch(
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
        text=clean(str(row["text"])),
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
        rows = store.fetch("SELECT * FROM journal_steps ORDER BY created_at, id")
    else:
        rows = store.fetch(
            "SELECT * FROM journal_steps WHERE session_id = ? ORDER BY created_at, id",
            (session_id,),
        )
    return [_step(r) for r in rows]


def open_steps(store: Store) -> list[Step]:
    """Every step not yet done, across sessions, oldest first (for the home screen)."""
    rows = store.fetch("SELECT * FROM journal_steps WHERE done_at IS NULL ORDER BY created_at, id")
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
    rows = store.fetch(f"SELECT * FROM questions{where} ORDER BY position, id")
    out = []
    for r in rows:
        created = _when(r["created_at"])
        assert created is not None
        out.append(
            Question(
                id=int(r["id"]),
                text=clean(str(r["text"])),
                created_at=created,
                asked_at=_when(r["asked_at"]),
                position=int(r["position"]),
            )
        )
    return out


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


def entries(store: Store, session_id: int, kind: str) -> dict[str, str]:
    """prompt key -> the saved answer, for one session and kind (only answered prompts). The
    journal's one query for its entries."""
    rows = store.fetch(
        "SELECT prompt, text FROM journal_entries WHERE session_id = ? AND kind = ?",
        (session_id, kind),
    )
    return {str(r["prompt"]): clean(str(r["text"])) for r in rows}  # old text is cleaned too


def answered_prompts(store: Store, session_id: int) -> set[str]:
    """The answered prompts of one session, in one query (the timeline's loader reads this)."""
    return answered_in(entries(store, session_id, "integration"))
