"""Quiet hours: the part of the night in which the calendar sets no alarm.

A span of wall-clock times in the session's own zone, "22:00-07:00" by default (it may wrap past
midnight), or off. `contains` tells whether a moment falls inside; `began_before` and
`ends_after` give the edges of the quiet span around a moment, as aware datetimes in that zone
(`zoneinfo`), compared in UTC so a daylight-saving change does not shift them. Pure, no I/O.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from kapprep.errors import KapprepError

__all__ = ["DEFAULT_QUIET", "QuietHours", "QuietHoursError", "parse_quiet_hours"]


class QuietHoursError(KapprepError, ValueError):
    """Quiet hours that cannot be read; the message says what to write."""


_SPAN_RE = re.compile(r"(\d{1,2}):(\d{2})\s*(?:-|–|—|to)\s*(\d{1,2}):(\d{2})", re.IGNORECASE)
LONGEST_MINUTES = 16 * 60
"""Quiet hours longer than this are refused: the day's reminders need room."""
_OFF = frozenset({"off", "none", "no"})


@dataclass(frozen=True, slots=True)
class QuietHours:
    """From `start` to `end` (wall clock, the session's zone); start == end: no quiet hours."""

    start: time = time(22, 0)
    end: time = time(7, 0)

    @property
    def off(self) -> bool:
        return self.start == self.end

    def __str__(self) -> str:
        return "off" if self.off else f"{self.start:%H:%M}-{self.end:%H:%M}"

    def contains(self, moment: datetime, zone: tzinfo) -> bool:
        """True when `moment` (aware) is inside the quiet hours in `zone`."""
        if self.off:
            return False
        clock = moment.astimezone(zone).time().replace(tzinfo=None)
        if self.start < self.end:
            return self.start <= clock < self.end
        return clock >= self.start or clock < self.end

    def began_before(self, moment: datetime, zone: tzinfo) -> datetime:
        """When the quiet span holding `moment` began (for a moment inside them)."""
        local = moment.astimezone(zone)
        begin = _at(local.date(), self.start, zone)
        if _utc(begin) > _utc(local):
            begin = _at(local.date() - timedelta(days=1), self.start, zone)
        return begin

    def ends_after(self, moment: datetime, zone: tzinfo) -> datetime:
        """The first end of quiet hours after `moment`."""
        local = moment.astimezone(zone)
        end = _at(local.date(), self.end, zone)
        if _utc(end) <= _utc(local):
            end = _at(local.date() + timedelta(days=1), self.end, zone)
        return end


DEFAULT_QUIET = QuietHours()


def _at(day: date, clock: time, zone: tzinfo) -> datetime:
    return datetime.combine(day, clock, tzinfo=zone)


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


def parse_quiet_hours(text: str) -> QuietHours:
    """ "22:00-07:00" (also with – or "to"), or "off". Raises `QuietHoursError`."""
    typed = text.strip()
    if typed.lower() in _OFF:
        return QuietHours(time(0, 0), time(0, 0))
    m = _SPAN_RE.fullmatch(typed)
    if m:
        h1, m1, h2, m2 = (int(g) for g in m.groups())
        if h1 < 24 and h2 < 24 and m1 < 60 and m2 < 60:
            span = ((h2 * 60 + m2) - (h1 * 60 + m1)) % (24 * 60)
            if span > LONGEST_MINUTES:
                raise QuietHoursError(
                    f"quiet hours: {typed} is longer than {LONGEST_MINUTES // 60} hours, "
                    "which leaves little time for reminders"
                )
            return QuietHours(time(h1, m1), time(h2, m2))
    raise QuietHoursError(
        'quiet hours: write them like 22:00-07:00 (in the session\'s time zone), or "off"'
    )
