"""The preparation timeline: every item's due time for one session, and what is next.

Times are aware datetimes in the session's zone (`zoneinfo`), so "the evening before at 20:00" is
right across a daylight-saving change and around midnight. Pure functions, no I/O.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from kapprep.due import Due, DueSyntaxError, parse_due

if TYPE_CHECKING:  # the checklist model (and PyYAML with it) is not needed to tell the time
    from kapprep.checklists import Item

__all__ = [
    "Entry",
    "due_next",
    "humanize",
    "local_zone",
    "overdue",
    "overrides_from_store",
    "timeline",
    "zone",
]

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


def overrides_from_store(raw: Mapping[str, tuple[str | None, str | None]]) -> dict[str, Due]:
    """The patient's own due times from `Store.overrides()` (item id -> (due text, value)).

    Entries without a due text are left out (they carry only a value, such as the clinic's
    fasting hours written out); so is a due text that no longer parses, which the UI refuses
    when it is typed, so that the shipped time still shows.
    """
    out: dict[str, Due] = {}
    for item_id, (due_text, _value) in raw.items():
        if due_text is None:
            continue
        try:
            out[item_id] = parse_due(due_text)
        except DueSyntaxError:
            continue
    return out


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


def humanize(target: datetime, now: datetime) -> str:
    """ "in 3 h", "in 2 d", "in 40 min", "now", "15 min ago" — short and calm."""
    seconds = (_utc(target) - _utc(now)).total_seconds()
    ahead = seconds >= 0
    s = abs(seconds)
    if s < 60:
        return "now"
    if s < 3600:
        text = f"{int(s // 60)} min"
    elif s < 48 * 3600:
        hours, rest = divmod(int(s), 3600)
        minutes = rest // 60
        text = f"{hours} h" if hours >= 10 or minutes == 0 else f"{hours} h {minutes} min"
    else:
        text = f"{int(s // 86400)} d"
    return f"in {text}" if ahead else f"{text} ago"


def zone(name: str) -> ZoneInfo:
    """A time zone by IANA name ("Europe/Oslo"); a clear `ValueError` when there is none."""
    try:
        if not name or name.startswith(("/", ".")) or ".." in name:
            raise ZoneInfoNotFoundError(name)
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # "US" is a folder of zones: OSError
        raise ValueError(
            f'"{name}" is not a time zone we know; use a name like Europe/London or America/New_York'
        ) from None


def local_zone() -> tzinfo:
    """The machine's zone: a `ZoneInfo` when it can be named (from TZ or /etc/localtime)."""
    import os

    name = os.environ.get("TZ", "").lstrip(":")
    if name:
        try:
            return zone(name)
        except ValueError:
            pass
    try:
        link = os.path.realpath("/etc/localtime")
        if "zoneinfo/" in link:
            return zone(link.split("zoneinfo/", 1)[1])
    except (OSError, ValueError):
        pass
    tz = datetime.now().astimezone().tzinfo
    assert tz is not None
    return tz
