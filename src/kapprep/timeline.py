"""THE timeline of one session: what is due, done, overdue and untimed, computed in one pure place.

Every front end reads it — home, the checklist screen, day-of mode, the journal's prompt times,
`kapprep next` and the calendar — and none places items itself (a test proves that only this
module calls `kapprep.schedule`). Two steps:

1. `load_timeline_inputs(store, checklists, session)` gathers what the timeline is made of: the
   active checklists' items, the journal's integration prompts, the clinic's own times (one per
   item, for the whole series), the session's ticks and answered prompts, and the session's
   length from the plan. A fixed number of queries, however many sessions there are.
2. `session_timeline(inputs, now)` joins them: no database, no clock, so a test can give it any
   "now".
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from kapprep.due import Due, DueSyntaxError, parse_due
from kapprep.schedule import Entry, due_next, overdue, timeline
from kapprep.whentext import whole_minutes

if TYPE_CHECKING:
    from kapprep.checklist_model import Item
    from kapprep.store import Session, Store

__all__ = [
    "MISSED_NOTE",
    "Entry",
    "PhaseProgress",
    "Timeline",
    "TimelineInputs",
    "clinic_times",
    "load_timeline_inputs",
    "missed_note",
    "prompt_times",
    "session_in_view",
    "session_timeline",
]

DUE_NEXT = 3
"""How many coming items "due next" shows (home, day-of, `kapprep next` without --all)."""
AFTER_WITHOUT_LENGTH = timedelta(hours=2)
"""Without a length in the plan, a session counts as over two hours after it began (KAP dosing
sessions last one to two hours); then home and day-of ask whether it happened."""
ON_THE_DAY = timedelta(hours=12)
"""A missed clinic step counts as "on the day" when it was due up to this long before the
session (stop eating, stop drinking, the morning's medicines), not the day before's questions."""
MISSED_NOTE = (
    "If you ate or drank after this time, tell your clinic before the session; don't just go ahead."
)
MISSED_OTHER = (
    "If you could not do this in time, tell your clinic before the session; don't just go ahead."
)
_FOOD_WORDS = ("eat", "food", "drink", "fluid", "liquid", "fast")


def missed_note(entry: Entry) -> str:
    """What to do about a missed clinic step: calm, plain, and the clinic decides."""
    text = entry.item.text.lower()
    return MISSED_NOTE if any(w in text for w in _FOOD_WORDS) else MISSED_OTHER


@dataclass(frozen=True, slots=True)
class PhaseProgress:
    phase: str
    title: str
    done: int
    total: int


@dataclass(frozen=True, slots=True)
class TimelineInputs:
    """Everything one session's timeline is made of, as read from the store and the files."""

    session: Session
    items: tuple[Item, ...]
    """The active checklists' items, then the journal's integration prompts."""
    clinic_times: Mapping[str, Due]
    """Item id -> the patient's own clinic's time for it (the same for every session)."""
    ticks: frozenset[str]
    answered: frozenset[str]
    """Integration prompts with an answer in the journal: they count as done."""
    minutes: int | None = None
    """The session's length from the plan, when the patient gave it."""


@dataclass(frozen=True, slots=True)
class Timeline:
    """One session's timeline at one moment."""

    session: Session
    now: datetime
    """The moment it was worked out for, in the session's zone."""
    entries: tuple[Entry, ...]
    """Every item with its due time: timed ones in time order, then the untimed."""
    done: frozenset[str]
    """Ticked items and answered prompts."""
    overdue: tuple[Entry, ...]
    """Open items whose time has passed and that can still be done, oldest first: once the
    session has begun, the steps before it are not overdue any more (they cannot be done)."""
    missed: tuple[Entry, ...]
    """On the day, before the session: clinic-decided steps due before it whose time passed
    unticked (stop eating, say). They come first everywhere, with `MISSED_NOTE`."""
    coming: tuple[Entry, ...]
    """Open items still to come, soonest first."""
    untimed: tuple[Entry, ...]
    """Open items with no due time."""
    phases: tuple[PhaseProgress, ...]
    """Done and total per phase, only phases that have items, in the order they happen."""
    end: datetime | None
    """start + the session's length from the plan, or None when the plan does not say."""

    @property
    def start(self) -> datetime:
        return self.session.start

    @property
    def due_next(self) -> tuple[Entry, ...]:
        """The first few coming items."""
        return self.coming[:DUE_NEXT]

    @property
    def awaiting_word(self) -> bool:
        """The session's time is over (its end, or two hours after it began) and it is still
        planned: ask whether it happened (done, or moved to a new time)."""
        end = self.end or self.start + AFTER_WITHOUT_LENGTH
        over = self.now.astimezone(UTC) >= end.astimezone(UTC)
        return over and self.session.status == "planned"

    def is_done(self, entry: Entry) -> bool:
        return entry.item.id in self.done


def clinic_times(raw: Mapping[str, str]) -> dict[str, Due]:
    """The store's clinic times (item id -> due text) as `Due`s; a text that no longer reads
    (only possible from a hand-edited import) is left out, so the checklist's own time shows."""
    out: dict[str, Due] = {}
    for item_id, text in raw.items():
        try:
            out[item_id] = parse_due(text)
        except DueSyntaxError:
            continue
    return out


def load_timeline_inputs(store: Store, items: Iterable[Item], session: Session) -> TimelineInputs:
    """Read what `session_timeline` needs for `session` (`items`: the active checklists'),
    in four short queries."""
    from kapprep import prompts
    from kapprep.journal.repo import answered_prompts

    length = store.plan_field("session_minutes")
    return TimelineInputs(
        session=session,
        items=(*items, *prompts.integration_items(session.start)),
        clinic_times=clinic_times(store.clinic_times()),
        ticks=frozenset(store.ticks(session.id)),
        answered=frozenset(answered_prompts(store, session.id)),
        minutes=whole_minutes(length) if length else None,  # as `Plan.minutes` reads it
    )


HOME_TAG = "home"
"""Items tagged so are for a session at home (a quiet, safe room; the sitter's check-ins)."""
AWAY_TAG = "away"
"""Items tagged so are for a session away from home (the ride there and back, arriving)."""


def for_place(items: Iterable[Item], place_kind: str | None) -> list[Item]:
    """The items that apply to a session at `place_kind`: the at-home ones show only for a
    session at home, or one whose place was never said (its patient may well be at home); the
    away ones for any session but one at home (nobody needs a ride home from their own room)."""
    if place_kind is None:
        return list(items)
    if place_kind == "home":
        return [i for i in items if AWAY_TAG not in i.tags]
    return [i for i in items if HOME_TAG not in i.tags]


def session_timeline(inputs: TimelineInputs, now: datetime) -> Timeline:
    """Join the inputs into the timeline at `now` (aware). Pure."""
    from kapprep.checklist_model import PHASE_TITLES, PHASES

    session = inputs.session
    local_now = now.astimezone(session.start.tzinfo)
    items = for_place(inputs.items, session.place_kind)
    entries = timeline(items, session.start, inputs.clinic_times)
    done = inputs.ticks | inputs.answered
    start_utc = session.start.astimezone(UTC)
    began = local_now.astimezone(UTC) >= start_utc
    late = [
        e
        for e in overdue(entries, local_now, done)
        if not (began and e.due is not None and e.due.astimezone(UTC) < start_utc)
    ]
    missed = [
        e
        for e in late
        if e.item.clinic_decides
        and e.due is not None
        and start_utc - ON_THE_DAY <= e.due.astimezone(UTC) < start_utc
    ]
    counts: dict[str, list[int]] = {phase: [0, 0] for phase in PHASES}
    for entry in entries:
        pair = counts.setdefault(entry.item.phase, [0, 0])
        pair[1] += 1
        pair[0] += entry.item.id in done
    phases = tuple(
        PhaseProgress(phase, PHASE_TITLES.get(phase, phase), d, t)
        for phase, (d, t) in counts.items()
        if t
    )
    end = (
        (session.start.astimezone(UTC) + timedelta(minutes=inputs.minutes)).astimezone(
            session.start.tzinfo
        )
        if inputs.minutes
        else None
    )
    return Timeline(
        session=session,
        now=local_now,
        entries=tuple(entries),
        done=frozenset(done),
        overdue=tuple(late),
        missed=tuple(missed),
        coming=tuple(due_next(entries, local_now, done, limit=len(entries))),
        untimed=tuple(e for e in entries if e.due is None and e.item.id not in done),
        phases=phases,
        end=end,
    )


def session_in_view(store: Store, now: datetime, chosen: int | None = None) -> Session | None:
    """The session every front end is about: the one chosen (if it still exists), else the next
    planned one (up to a day after its start), else the latest that was not cancelled, so that
    after the last session its integration steps still show."""
    if chosen is not None:
        found = store.session(chosen)
        if found is not None:
            return found
    coming = store.next_session(now)
    if coming is not None:
        return coming
    kept = [s for s in store.sessions() if s.status != "cancelled"]
    return kept[-1] if kept else None


def prompt_times(start: datetime) -> list[Entry]:
    """The journal's integration prompts on a session starting at `start`, in time order (for
    the journal screen, which shows when each comes due)."""
    from kapprep import prompts

    return timeline(prompts.integration_items(start), start)
