"""When a checklist item is due, relative to the session start.

A `due` is written as a signed offset from the session start:

    -7d        seven calendar days before, at the same local clock time
    -24h       twenty-four hours (elapsed time) before
    -4h30m     four and a half hours before
    +1d        the next day, same local clock time
    -1d@20:00  the evening before, at 20:00 local time
    0d@06:00   the day of the session, at 06:00 local time

Days are calendar days in the session's time zone (so "-7d" keeps the clock time across a
daylight-saving change); hours and minutes are elapsed time. A clock anchor (`@HH:MM`) takes only
days before it. Pure and stdlib-only: the schedule uses `Due.resolve`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

__all__ = ["Due", "DueSyntaxError", "parse_due"]

_DUE_RE = re.compile(
    r"""^(?P<sign>[+-])?
        (?:(?P<days>\d{1,3})d)?
        (?:(?P<hours>\d{1,4})h)?
        (?:(?P<minutes>\d{1,5})m)?
        (?:@(?P<hh>\d{1,2}):(?P<mm>\d{2}))?$""",
    re.VERBOSE,
)

EXAMPLES = "-7d, -24h, -4h30m, +1d, -1d@20:00 or 0d@06:00"


class DueSyntaxError(ValueError):
    """A `due` text that is not an offset; the message says what to write instead."""


@dataclass(frozen=True, slots=True)
class Due:
    """A signed offset from the session start: calendar days, then elapsed time or a clock time."""

    days: int = 0
    delta: timedelta = timedelta(0)
    at: time | None = None

    def resolve(self, start: datetime) -> datetime:
        """The aware local datetime this offset names for a session starting at `start`.

        `start` must be aware, ideally with a `zoneinfo.ZoneInfo` so that calendar days and clock
        anchors follow the zone's daylight-saving rules. A wall-clock time that does not exist (the
        hour skipped in spring) moves forward by the gap; an ambiguous one takes the first.
        """
        if start.tzinfo is None:
            raise ValueError("session start must be timezone-aware")
        tz = start.tzinfo
        day: date = start.date() + timedelta(days=self.days)
        wall = datetime.combine(day, self.at if self.at is not None else start.timetz())
        local = _normalise(wall.replace(tzinfo=tz))
        if self.delta:
            local = (local.astimezone(UTC) + self.delta).astimezone(tz)
        return local

    def __str__(self) -> str:
        return format_due(self)


def _normalise(dt: datetime) -> datetime:
    """Map a local wall time to a real instant, shown again in its own zone."""
    tz = dt.tzinfo
    assert tz is not None
    return dt.astimezone(UTC).astimezone(tz)


def parse_due(text: str) -> Due:
    """Parse `-1d@20:00` and friends; raise `DueSyntaxError` with a plain-words message."""
    raw = text.strip()
    m = _DUE_RE.match(raw)
    if not raw or m is None or not any(m.group(k) for k in ("days", "hours", "minutes", "hh")):
        raise DueSyntaxError(
            f'"{text}" is not a time before or after the session; write it like {EXAMPLES}'
        )
    sign = -1 if m.group("sign") == "-" else 1
    days = int(m.group("days") or 0) * sign
    at: time | None = None
    if m.group("hh") is not None:
        if m.group("hours") or m.group("minutes"):
            raise DueSyntaxError(
                f'"{text}" mixes hours with a clock time; write the days and a clock time '
                "(like -1d@20:00) or an offset (like -4h30m), not both"
            )
        if m.group("days") is None:
            raise DueSyntaxError(
                f'"{text}" needs the day before the clock time, like 0d@06:00 or -1d@20:00'
            )
        hh, mm = int(m.group("hh")), int(m.group("mm"))
        if hh > 23 or mm > 59:
            raise DueSyntaxError(
                f'"{text}" has a clock time that does not exist; use 00:00 to 23:59'
            )
        at = time(hh, mm)
    delta = timedelta(hours=int(m.group("hours") or 0), minutes=int(m.group("minutes") or 0)) * sign
    if abs(days) > 366 or abs(delta) > timedelta(days=366):
        raise DueSyntaxError(
            f'"{text}" is more than a year from the session; keep it within a year'
        )
    return Due(days=days, delta=delta, at=at)


def format_due(due: Due) -> str:
    """The canonical text of a `Due` (parse_due(format_due(d)) == d)."""
    total = due.days * 86400 * 1 + int(due.delta.total_seconds())
    negative = due.days < 0 or (due.days == 0 and due.delta < timedelta(0))
    if due.days and due.delta and (due.days < 0) != (due.delta < timedelta(0)):
        # Mixed signs cannot come from the parser; show the parts explicitly.
        return f"{due.days:+d}d{int(due.delta.total_seconds()) // 60:+d}m"
    sign = "-" if negative else "+"
    parts = []
    if due.days:
        parts.append(f"{abs(due.days)}d")
    minutes = abs(int(due.delta.total_seconds())) // 60
    if minutes >= 60:
        parts.append(f"{minutes // 60}h")
    if minutes % 60:
        parts.append(f"{minutes % 60}m")
    if due.at is not None:
        return f"{sign if due.days else ''}{abs(due.days)}d@{due.at:%H:%M}"
    if not parts:
        return "0d" if total == 0 else f"{sign}0m"
    return sign + "".join(parts)
