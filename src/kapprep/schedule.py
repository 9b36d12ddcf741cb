"""Placing items on one session's timeline: every item's due time, and what is next or late.

Only `kapprep.timeline` calls these (a test proves it): every front end reads that module's
`Timeline`, so none places items on its own. Times are aware datetimes in the session's zone
(`zoneinfo`), so "the evening before at 20:00" is right across a daylight-saving change and around
midnight. Pure functions, no I/O.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from kapprep.due import Due

if TYPE_CHECKING:  # the checklist model (and PyYAML with it) is not needed to tell the time
    from kapprep.checklist_model import Item

__all__ = ["Entry", "due_next", "overdue", "timeline"]

DUE_SOON = timedelta(hours=24)


@dataclass(frozen=True, slots=True)
class Entry:
    """An item placed on a session's timeline."""

    item: Item
    due: datetime | None
    """Aware local due time, or None for items with no `due`."""
    overridden: bool = False
    """True when the patient set their own clinic's time for this item."""

    def status(self, now: datetime, done: bool) -> str:
        """'done', 'overdue', 'soon' (within 24 h), 'later' or 'anytime' (no due time)."""
        if done:
            return "done"
        if self.due is None:
            return "anytime"
        left = _utc(self.due) - _utc(now)
        if left < timedelta(0):
            return "overdue"
        return "soon" if left <= DUE_SOON else "later"


def _utc(moment: datetime) -> datetime:
    """Python compares and subtracts two datetimes of the same zone by their wall clocks, which
    is wrong across a daylight-saving change (and in the repeated hour); UTC is not."""
    return moment.astimezone(UTC)


def timeline(
    items: Iterable[Item], start: datetime, overrides: Mapping[str, Due] | None = None
) -> list[Entry]:
    """Every item with its due time for a session starting at `start` (aware).

    Timed items come first in time order (ties keep file order), then items with no due time.
    `overrides` maps an item id to the patient's own clinic's `Due` for that item.
    """
    if start.tzinfo is None:
        raise ValueError("session start must be timezone-aware")
    overrides = overrides or {}
    timed: list[Entry] = []
    untimed: list[Entry] = []
    for item in items:
        due = overrides.get(item.id, item.due)
        if due is None:
            untimed.append(Entry(item, None))
        else:
            timed.append(Entry(item, due.resolve(start), item.id in overrides))
    timed.sort(key=lambda e: _utc(e.due or start))
    return timed + untimed


def due_next(
    entries: Iterable[Entry], now: datetime, done: Collection[str] = (), limit: int = 3
) -> list[Entry]:
    """The next `limit` open items due at or after `now`, soonest first."""
    now = _utc(now)
    upcoming = [
        e for e in entries if e.due is not None and _utc(e.due) >= now and e.item.id not in done
    ]
    return upcoming[:limit]


def overdue(entries: Iterable[Entry], now: datetime, done: Collection[str] = ()) -> list[Entry]:
    """Open items whose due time has passed, oldest first."""
    now = _utc(now)
    return [e for e in entries if e.due is not None and _utc(e.due) < now and e.item.id not in done]
