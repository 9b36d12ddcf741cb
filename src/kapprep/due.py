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
days before it. Limits, so that every offset stays readable: at most 366 days, 999 hours, 59 minutes
after hours (or 999 minutes alone). `DUE_PATTERN` is the same grammar as a regular expression, for
the JSON Schema. Pure and stdlib-only: the schedule uses `Due.resolve`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from kapprep.errors import KapprepError

__all__ = ["DUE_PATTERN", "EXAMPLES", "Due", "DueSyntaxError", "format_due", "parse_due"]

# ASCII digits only: `\d` would also take other scripts' digits, which int() accepts.
_DUE_RE = re.compile(
    r"""(?P<sign>[+-])?
        (?:(?P<days>[0-9]+)d)?
        (?:(?P<hours>[0-9]+)h)?
        (?:(?P<minutes>[0-9]+)m)?
        (?:@(?P<hh>[0-9]{1,2}):(?P<mm>[0-9]{2}))?""",
    re.VERBOSE,
)

DUE_PATTERN = (
    r"^[+-]?(?:"
    r"(?:[0-9]{1,2}|[0-2][0-9]{2}|3[0-5][0-9]|36[0-6])d"
    r"(?:@(?:[01]?[0-9]|2[0-3]):[0-5][0-9]|[0-9]{1,3}h(?:[0-5]?[0-9]m)?|[0-9]{1,3}m)?"
    r"|[0-9]{1,3}h(?:[0-5]?[0-9]m)?"
    r"|[0-9]{1,3}m"
    r")$"
)
"""Exactly the texts `parse_due` accepts, as an ECMA-262/Python regular expression."""

EXAMPLES = "-7d, -24h, -4h30m, +1d, -1d@20:00 or 0d@06:00"
MAX_DAYS = 366
MAX_HOURS = 999
MAX_MINUTES = 999


class DueSyntaxError(KapprepError, ValueError):
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
        hour skipped in spring) moves forward by the gap; an ambiguous one (the hour repeated in
        autumn) takes the first, earlier instant.
        """
        if start.tzinfo is None:
            raise ValueError("session start must be timezone-aware")
        tz = start.tzinfo
        if self.days == 0 and self.at is None:
            local = start
        else:
            day: date = start.date() + timedelta(days=self.days)
            clock = self.at if self.at is not None else start.time()
            # fold=0: the first of two ambiguous instants, and the pre-gap offset for a skipped one
            local = _normalise(datetime.combine(day, clock, tzinfo=tz))
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
    m = _DUE_RE.fullmatch(text)
    if m is None or not any(m.group(k) for k in ("days", "hours", "minutes", "hh")):
        shown = text if len(text) <= 40 else text[:37] + "..."
        if text != text.strip() and _DUE_RE.fullmatch(text.strip()):
            raise DueSyntaxError(f'"{shown}" has spaces around it; write it without them')
        raise DueSyntaxError(
            f'"{shown}" is not a time before or after the session; write it like {EXAMPLES}'
        )
    sign = -1 if m.group("sign") == "-" else 1
    days_text, hours_text, minutes_text = m.group("days", "hours", "minutes")
    at: time | None = None
    if m.group("hh") is not None:
        if hours_text or minutes_text:
            raise DueSyntaxError(
                f'"{text}" mixes hours with a clock time; write the days and a clock time '
                "(like -1d@20:00) or an offset (like -4h30m), not both"
            )
        if days_text is None:
            raise DueSyntaxError(
                f'"{text}" needs the day before the clock time, like 0d@06:00 or -1d@20:00'
            )
        hh, mm = int(m.group("hh")), int(m.group("mm"))
        if hh > 23 or mm > 59:
            raise DueSyntaxError(
                f'"{text}" has a clock time that does not exist; use 00:00 to 23:59'
            )
        at = time(hh, mm)
    days = int(days_text or 0)
    hours = int(hours_text or 0)
    minutes = int(minutes_text or 0)
    if days > MAX_DAYS:
        raise DueSyntaxError(
            f'"{text}" is more than a year from the session; keep it within a year'
        )
    if hours > MAX_HOURS:
        raise DueSyntaxError(
            f'"{text}" has more than {MAX_HOURS} hours; write whole days instead, like -7d'
        )
    if hours_text is not None and (minutes > 59 or len(minutes_text or "") > 2):
        raise DueSyntaxError(
            f'"{text}" has more than 59 minutes after the hours; write it like -4h30m'
        )
    if minutes > MAX_MINUTES:
        raise DueSyntaxError(
            f'"{text}" has more than {MAX_MINUTES} minutes; write hours and minutes, like -4h30m'
        )
    if any(len(t) > 3 for t in (days_text, hours_text, minutes_text) if t):
        raise DueSyntaxError(
            f'"{text}" has extra zeros in front of a number; write it like {EXAMPLES}'
        )
    delta = timedelta(hours=hours, minutes=minutes) * sign
    return Due(days=days * sign, delta=delta, at=at)


def format_due(due: Due) -> str:
    """The canonical text of a `Due`: `parse_due(format_due(d)) == d` for every parsed `d`."""
    minutes = int(due.delta.total_seconds()) // 60
    if due.days and minutes and (due.days < 0) != (minutes < 0):
        # Mixed signs cannot come from the parser; show the parts explicitly.
        return f"{due.days:+d}d{minutes:+d}m"
    negative = due.days < 0 or minutes < 0
    sign = "-" if negative else "+"
    if due.at is not None:
        return f"{sign if due.days else ''}{abs(due.days)}d@{due.at:%H:%M}"
    parts = []
    if due.days:
        parts.append(f"{abs(due.days)}d")
    hours, rest = divmod(abs(minutes), 60)
    if hours:
        parts.append(f"{hours}h")
    if rest:
        parts.append(f"{rest}m")
    if not parts:
        return "0d"
    return sign + "".join(parts)
