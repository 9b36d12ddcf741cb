"""One session's preparation at a glance: the timeline, what is next, what is late, progress.

The home screen, the checklist screen and day-of mode all show this, computed by one pure
function from the checklists, the session start, the ticks and the patient's own clinic times.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime

from kapprep.checklists import PHASE_TITLES, PHASES, ChecklistSet
from kapprep.due import Due, DueSyntaxError, parse_due
from kapprep.schedule import Entry, due_next, overdue, timeline

__all__ = ["Overview", "PhaseProgress", "clinic_times", "overview"]


@dataclass(frozen=True, slots=True)
class PhaseProgress:
    phase: str
    title: str
    done: int
    total: int


@dataclass(frozen=True, slots=True)
class Overview:
    entries: tuple[Entry, ...]
    """Every item with its due time, timed ones first in time order."""
    done: frozenset[str]
    due_next: tuple[Entry, ...]
    overdue: tuple[Entry, ...]
    phases: tuple[PhaseProgress, ...]
    """Only phases that have items, in the order they happen."""


def clinic_times(raw: Mapping[str, tuple[str | None, str | None]]) -> dict[str, Due]:
    """The patient's own clinic's due times from the store's overrides (unreadable ones skipped)."""
    out: dict[str, Due] = {}
    for item_id, (due, _value) in raw.items():
        if due:
            try:
                out[item_id] = parse_due(due)
            except DueSyntaxError:
                continue
    return out


def overview(
    checklists: ChecklistSet,
    start: datetime,
    now: datetime,
    ticks: Collection[str] = (),
    overrides: Mapping[str, Due] | None = None,
    limit: int = 3,
) -> Overview:
    entries = timeline(checklists.items(), start, overrides)
    done = frozenset(ticks)
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
    return Overview(
        entries=tuple(entries),
        done=done,
        due_next=tuple(due_next(entries, now, done, limit)),
        overdue=tuple(overdue(entries, now, done)),
        phases=phases,
    )
