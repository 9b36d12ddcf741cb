"""Reading a date and time typed the way people type them, and showing times back calmly.

`parse_when("3 Dec 10:00", now)` accepts, case-insensitively:

    2026-12-03 10:00      2026-12-03T10:00     3 Dec 10:00       3 December 2026 10:00
    Dec 3 10:00           Dec 3, 2026 9:30pm   tomorrow 9am      today 14:30
    friday 10:00          fri at 9             3 Dec at 10       3.12. 10:00 is refused

A date without a year means its next occurrence (today or later). Slashed dates (3/12) are refused
with a hint, because day and month order differ between countries. Times without am/pm are 24-hour.
Pure and stdlib-only; no Textual (a third-party parser such as dateparser costs ~300 ms to import).
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from kapprep.due import DueSyntaxError, format_due, parse_due
from kapprep.errors import KapprepError

__all__ = [
    "ClockChangeError",
    "WhenError",
    "check_year",
    "format_clock",
    "format_day",
    "format_when",
    "humanize",
    "localize",
    "parse_offset",
    "parse_when",
    "whole_minutes",
]

EXAMPLES = '"3 Dec 10:00", "2026-12-03 10:00" or "tomorrow 9am"'

_MONTHS = {
    name: n
    for n, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}
_WEEKDAYS = {
    name: n
    for n, names in enumerate(
        (
            ("mon", "monday"),
            ("tue", "tues", "tuesday"),
            ("wed", "wednesday"),
            ("thu", "thur", "thurs", "thursday"),
            ("fri", "friday"),
            ("sat", "saturday"),
            ("sun", "sunday"),
        )
    )
    for name in names
}

_TIME_RE = re.compile(
    r"(?:^|\s)(?:at\s+)?(?P<h>\d{1,2})(?:[:.](?P<m>\d{2}))?\s*(?P<ampm>am|pm|a\.m\.|p\.m\.)?$"
)
_ISO_RE = re.compile(r"^(?P<y>\d{4})-(?P<mo>\d{1,2})-(?P<d>\d{1,2})(?:[t\s]+(?P<rest>.*))?$")


class WhenError(KapprepError, ValueError):
    """Text that is not a date and time we can read; the message says what to write instead."""


class ClockChangeError(WhenError):
    """A time the clocks skip, one they pass twice without saying which, or an abbreviation that
    is not the zone's on that day."""


def parse_when(text: str, now: datetime) -> datetime:
    """The aware datetime (in `now`'s zone) that `text` names; raise `WhenError` otherwise."""
    return check_year(_parse_when(text, now))


def _parse_when(text: str, now: datetime) -> datetime:
    """`parse_when` before its year is checked."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    raw = " ".join(text.strip().lower().replace(",", " ").split())
    if not raw:
        raise WhenError(f"Type a date and time, like {EXAMPLES}.")
    raw, abbrev = _zone_word(raw)
    if "/" in raw:
        raise WhenError(
            'Write the month as a word or use year-month-day, like "3 Dec 10:00" or '
            '"2026-12-03 10:00" (3/12 means different days in different countries).'
        )
    iso = _ISO_RE.match(raw)
    if iso:
        day = _date(int(iso["y"]), int(iso["mo"]), int(iso["d"]), text)
        clock = _clock(iso["rest"] or "", text)
        return _combine(day, clock, now.tzinfo, abbrev)
    m = _TIME_RE.search(raw)
    if m is None:
        _day(raw, now, text)  # an unreadable date is the first thing to say ("32 Dec", "garbage")
        raise WhenError(f'Add the time, like "10:00" or "9am" — for example {EXAMPLES}.')
    clock = _clock(m.group(0), text)
    words = raw[: m.start()].strip()
    words = re.sub(r"\s+at$", "", words).strip()
    day = _day(words, now, text)
    return _combine(day, clock, now.tzinfo, abbrev)


_NOT_ZONE_WORDS = {"am", "pm", "today", "tomorrow", "tonight", "noon", "next", "this", "at"}


def _zone_word(raw: str) -> tuple[str, str | None]:
    """A zone abbreviation typed after the time ("01:30 bst") is taken off, to say which of two
    times is meant where the clocks go back."""
    m = re.search(r"\s([a-z]{2,5})$", raw)
    if m is None:
        return raw, None
    word = m.group(1)
    if word in _NOT_ZONE_WORDS or word in _MONTHS or word in _WEEKDAYS:
        return raw, None
    return raw[: m.start()].rstrip(), word.upper()


def _clock(part: str, original: str) -> time:
    part = part.strip()
    m = _TIME_RE.search(part) if part else None
    if m is None or (m.start() != 0 and part[: m.start()].strip()):
        raise WhenError(f'Add the time, like "10:00" or "9am" — for example {EXAMPLES}.')
    hour, minute = int(m["h"]), int(m["m"] or 0)
    ampm = (m["ampm"] or "").replace(".", "")
    if ampm:
        if not 1 <= hour <= 12:
            raise WhenError(f'"{original.strip()}": with am or pm the hour is 1 to 12.')
        hour = hour % 12 + (12 if ampm == "pm" else 0)
    if hour > 23 or minute > 59:
        raise WhenError(f'"{original.strip()}" has a time that does not exist; use 00:00 to 23:59.')
    return time(hour, minute)


def _date(year: int, month: int, day: int, original: str) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise WhenError(f'"{original.strip()}" is not a date in the calendar.') from None


def _day(words: str, now: datetime, original: str) -> date:
    today = now.date()
    if words in ("", "today"):
        return today
    if words in ("tomorrow", "tmrw", "tmr"):
        return today + timedelta(days=1)
    if words.startswith("next "):
        words = words[5:]
    if words in _WEEKDAYS:
        ahead = (_WEEKDAYS[words] - today.weekday()) % 7
        return today + timedelta(days=ahead)
    tokens = words.split()
    # Drop a leading weekday ("thu 3 dec").
    if len(tokens) > 1 and tokens[0] in _WEEKDAYS:
        tokens = tokens[1:]
    day_n = month_n = year_n = None
    for token in tokens:
        token = token.rstrip(".")
        stripped = re.sub(r"(st|nd|rd|th)$", "", token)
        if token in _MONTHS and month_n is None:
            month_n = _MONTHS[token]
        elif stripped.isascii() and stripped.isdigit() and len(stripped) <= 2 and day_n is None:
            day_n = int(stripped)
        elif token.isascii() and token.isdigit() and len(token) == 4 and year_n is None:
            year_n = int(token)
        else:
            raise WhenError(f'"{original.strip()}" is not a date we can read; try {EXAMPLES}.')
    if day_n is None or month_n is None:
        raise WhenError(f'"{original.strip()}" needs a day and a month; try {EXAMPLES}.')
    if year_n is not None:
        return _date(year_n, month_n, day_n, original)
    candidate = (
        _date(today.year, month_n, day_n, original) if _valid(today.year, month_n, day_n) else None
    )
    if candidate is None or candidate < today:
        for year in range(today.year + 1, today.year + 9):
            if _valid(year, month_n, day_n):
                return date(year, month_n, day_n)
        raise WhenError(f'"{original.strip()}" is not a date in the calendar.')
    return candidate


def _valid(year: int, month: int, day: int) -> bool:
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


def _combine(day: date, clock: time, zone: tzinfo, abbrev: str | None = None) -> datetime:
    # The year first: a zone's arithmetic overflows near year 9999 (and before year 1).
    return localize(check_year(datetime.combine(day, clock)), zone, abbrev)


def localize(wall: datetime, zone: tzinfo, abbrev: str | None = None) -> datetime:
    """A wall-clock time (naive) in `zone`, aware. A time skipped by a daylight-saving change is
    refused; one that comes twice (the clocks go back) must say which by its abbreviation
    ("01:30 BST", "01:30 GMT"), as must an abbreviation that is not the zone's then. Raises
    `WhenError`, saying what to type."""
    first = wall.replace(tzinfo=zone, fold=0)
    second = wall.replace(tzinfo=zone, fold=1)
    back = first.astimezone(UTC).astimezone(zone)
    if back.replace(tzinfo=None) != wall:
        raise ClockChangeError(
            f"{wall:%H:%M} on {wall.day} {wall:%b %Y} does not exist there (the clocks go "
            "forward then); choose another time."
        )
    names = (first.tzname() or "", second.tzname() or "")
    if abbrev is not None:
        for candidate, name in zip((first, second), names, strict=True):
            if name.upper() == abbrev.upper():
                return candidate.astimezone(UTC).astimezone(zone)
        shown = names[0] if names[0] == names[1] else f"{names[0]} or {names[1]}"
        raise ClockChangeError(
            f"{abbrev.upper()} is not the time there on {wall.day} {wall:%b %Y} (it is {shown}); "
            "leave it out, or check the time zone."
        )
    if first.utcoffset() != second.utcoffset():
        raise ClockChangeError(
            f"{wall:%H:%M} on {wall.day} {wall:%b %Y} comes twice there (the clocks go back "
            f"then): add {names[0]} for the first or {names[1]} for the second, like "
            f'"{wall.day} {wall:%b} {wall:%H:%M} {names[0]}".'
        )
    return back


_UNITS = {
    "d": "d",
    "day": "d",
    "days": "d",
    "h": "h",
    "hr": "h",
    "hrs": "h",
    "hour": "h",
    "hours": "h",
    "m": "m",
    "min": "m",
    "mins": "m",
    "minute": "m",
    "minutes": "m",
}
_OFFSET_RE = re.compile(r"^(?P<n>\d{1,4})\s*(?P<unit>[a-z]+)\s+(?P<way>before|after)$")
_DAY_AT_RE = re.compile(
    r"^(?:(?:the )?(?P<one>day) before|(?P<n>\d{1,3}) days? before"
    r"|(?:on )?the day)(?: of the session)?,? at (?P<h>\d{1,2})[:.](?P<m>\d{2})$"
)
"""Clock times on a day before (or on the day of) the session: "the day before at 20:00"."""


def parse_offset(text: str) -> str:
    """A clinic's time for an item, as a `due` text: "4 hours before" -> "-4h"; "-1d@20:00" as is.

    Raises `WhenError` with a plain message when it cannot be read.
    """
    raw = " ".join(text.strip().lower().split())
    m = _OFFSET_RE.match(raw)
    if m and m["unit"] in _UNITS:
        raw = f"{'-' if m['way'] == 'before' else '+'}{int(m['n'])}{_UNITS[m['unit']]}"
    day = _DAY_AT_RE.match(raw)
    if day:
        days = 1 if day["one"] else int(day["n"] or 0)
        raw = f"{'-' if days else ''}{days}d@{int(day['h']):02d}:{day['m']}"
    try:
        return format_due(parse_due(raw))
    except DueSyntaxError:
        raise WhenError(
            'Write it like "4 hours before", "30 min before" or "the day before at 20:00".'
        ) from None


def format_clock(dt: datetime, h24: bool = True) -> str:
    """ "14:30" or "2:30 pm"."""
    if h24:
        return f"{dt:%H:%M}"
    hour = dt.hour % 12 or 12
    return f"{hour}:{dt:%M} {'am' if dt.hour < 12 else 'pm'}"


def format_day(dt: datetime, now: datetime) -> str:
    """ "today", "tomorrow", "yesterday", "Thu 3 Dec", or "Thu 3 Dec 2027" in another year."""
    delta = (dt.date() - now.date()).days
    if delta == 0:
        return "today"
    if delta == 1:
        return "tomorrow"
    if delta == -1:
        return "yesterday"
    text = f"{dt:%a} {dt.day} {dt:%b}"
    return text if dt.year == now.year else f"{text} {dt.year}"


def format_when(dt: datetime, now: datetime, h24: bool = True) -> str:
    """ "today 14:30", "Thu 3 Dec 10:00" — in `now`'s zone."""
    local = dt.astimezone(now.tzinfo)
    return f"{format_day(local, now)} {format_clock(local, h24)}"


def humanize(target: datetime, now: datetime) -> str:
    """ "in 3 h", "in 2 d", "in 40 min", "now", "15 min ago" — short and calm."""
    seconds = (target.astimezone(UTC) - now.astimezone(UTC)).total_seconds()
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


MAX_MINUTES = 24 * 60


def whole_minutes(text: str) -> int | None:
    """A number of minutes as the plan keeps it ("90"): whole, at most a day; else None."""
    value = text.strip()
    if not (value.isascii() and value.isdigit()) or int(value) > MAX_MINUTES:
        return None
    return int(value)


FIRST_YEAR, LAST_YEAR = 1970, 2200
"""The years kapprep takes a date in: a session in 9999 or in year 1 is a typing slip, and
beyond these a time zone's rules and the calendar's arithmetic run out."""


def check_year(dt: datetime, what: str = "that date") -> datetime:
    """`dt`, or `WhenError` when its year is outside FIRST_YEAR-LAST_YEAR (the range said)."""
    if not FIRST_YEAR <= dt.year <= LAST_YEAR:
        raise WhenError(
            f"{what} is in the year {dt.year}; kapprep takes dates from {FIRST_YEAR} to {LAST_YEAR}"
        )
    return dt
