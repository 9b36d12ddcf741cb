"""The check-in log for a session at home, kept in the app: the rows the sitter wrote on the
printed log (`kapprep.pocket.log_section`), typed in afterwards so the clinic gets them with the
journal export.

A row is a look-in during the session (the time, how they seemed, a note) or a reading before or
after it (blood pressure and pulse, when the clinic asked for them). Times are clock times on the
session's day in the session's own zone, checked against the session's start and against now;
readings are checked only as typing (two numbers like 120/80, the first the larger, a pulse in
beats a minute), never judged: what the numbers mean is the clinic's to say. Stored in
`check_ins` (store migration 4; the SQL is in `kapprep.checkins.repo`), exported, imported and
deleted with everything else. Pure domain code: no Textual.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Final, Literal

from kapprep.cleantext import clean
from kapprep.errors import KapprepError

__all__ = [
    "MAX_WORDS_TEXT",
    "MOMENTS",
    "CheckIn",
    "CheckInError",
    "Moment",
    "check_in",
    "log_session",
    "parse_pressure",
    "parse_pulse",
    "parse_time",
    "reading_text",
]

Moment = Literal["before", "during", "after"]
MOMENTS: Final[dict[str, str]] = {
    "before": "Before the session (a reading)",
    "during": "During the session (a look-in)",
    "after": "After the session (a reading)",
}
MAX_WORDS_TEXT: Final = 500
"""The longest "how they seemed" or note, in characters (a line or two)."""
_PRESSURE = re.compile(r"^\s*(\d{2,3})\s*/\s*(\d{2,3})\s*$")
_TYPED_RANGE: Final = {"systolic": (50, 300), "diastolic": (20, 200), "pulse": (20, 250)}
"""What a home cuff can show, to catch a slip of the finger (1200/80); not a medical range."""


class CheckInError(KapprepError, ValueError):
    """What was typed for a check-in cannot be kept; the message says what to type."""


@dataclass(frozen=True, slots=True)
class CheckIn:
    """One row of the log."""

    id: int | None
    session_id: int
    moment: Moment
    at: datetime
    """Aware; shown in the session's zone."""
    seems: str = ""
    note: str = ""
    systolic: int | None = None
    diastolic: int | None = None
    pulse: int | None = None


def log_session(sessions: Sequence[Any], now: datetime, chosen: int | None = None) -> Any:
    """The session whose log to type in: the chosen one if it is at home, else the latest at
    home that has begun (rows are typed afterwards), else the next at home; None without one."""
    home = [s for s in sessions if getattr(s, "place_kind", None) == "home"]
    picked = next((s for s in home if s.id == chosen), None)
    begun = [s for s in home if s.start <= now and getattr(s, "status", "") != "cancelled"]
    coming = [s for s in home if s.start > now and getattr(s, "status", "") != "cancelled"]
    if picked is not None:
        return picked
    if begun:
        return max(begun, key=lambda s: s.start)
    return min(coming, key=lambda s: s.start) if coming else None


def reading_text(row: CheckIn) -> str:
    """ "blood pressure 128/84, pulse 72", or "" without a reading."""
    parts = []
    if row.systolic is not None and row.diastolic is not None:
        parts.append(f"blood pressure {row.systolic}/{row.diastolic}")
    if row.pulse is not None:
        parts.append(f"pulse {row.pulse}")
    return ", ".join(parts)


def parse_time(text: str, moment: str, start: datetime, now: datetime) -> datetime:
    """The time typed ("10:15") on the session's day in its zone, checked: a reading before the
    session is not after its start, a look-in or a reading after it is not before, and none is
    still to come. A look-in after midnight belongs to an evening session's next day."""
    from kapprep.plan import PlanError, parse_clock

    try:
        clock = parse_clock(text)
    except PlanError:
        raise CheckInError("Time: write it as HH:MM, like 10:15") from None
    at = start.replace(hour=clock.hour, minute=clock.minute, second=0, microsecond=0)
    begins = f"{start:%H:%M}"
    if moment == "before":
        if at > start:
            raise CheckInError(f"Time: a reading before the session is at or before {begins}")
    elif at < start:
        if start.hour >= 18 and clock.hour < 12:  # past midnight, after an evening session
            at += timedelta(days=1)
        else:
            raise CheckInError(
                f"Time: the session started at {begins}; {text.strip()} is before it"
            )
    if at > now:
        raise CheckInError(f"Time: {text.strip()} has not come yet; type the time it was")
    return at


def _in_range(value: int, what: str, label: str, example: str) -> int:
    low, high = _TYPED_RANGE[what]
    if not low <= value <= high:
        raise CheckInError(f"{label}: {value} is not a number a cuff shows; type it like {example}")
    return value


def parse_pressure(text: str) -> tuple[int | None, int | None]:
    """ "128/84" -> (128, 84); "" -> (None, None); CheckInError otherwise."""
    if not text.strip():
        return None, None
    found = _PRESSURE.match(text)
    if not found:
        raise CheckInError("Blood pressure: type the two numbers the cuff shows, like 120/80")
    top, bottom = int(found.group(1)), int(found.group(2))
    if top <= bottom:
        raise CheckInError("Blood pressure: the first number is the larger one, like 120/80")
    return (
        _in_range(top, "systolic", "Blood pressure", "120/80"),
        _in_range(bottom, "diastolic", "Blood pressure", "120/80"),
    )


def parse_pulse(text: str) -> int | None:
    if not text.strip():
        return None
    if not text.strip().isdigit():
        raise CheckInError("Pulse: type the beats a minute as a number, like 72")
    return _in_range(int(text.strip()), "pulse", "Pulse", "72")


def _text(text: str, label: str) -> str:
    words = " ".join(clean(text).split())
    if len(words) > MAX_WORDS_TEXT:
        raise CheckInError(f"{label}: keep it under {MAX_WORDS_TEXT} characters")
    return words


def check_in(
    session_id: int,
    start: datetime,
    now: datetime,
    *,
    moment: str,
    time: str,
    seems: str = "",
    note: str = "",
    pressure: str = "",
    pulse: str = "",
) -> CheckIn:
    """A row from what was typed, every field checked (CheckInError names the first problem)."""
    if moment not in MOMENTS:
        raise CheckInError("Choose before, during or after the session")
    at = parse_time(time, moment, start, now)
    systolic, diastolic = parse_pressure(pressure)
    beats = parse_pulse(pulse)
    row = CheckIn(
        None,
        session_id,
        moment,  # type: ignore[arg-type]
        at,
        _text(seems, "How they seemed"),
        _text(note, "Note"),
        systolic,
        diastolic,
        beats,
    )
    if moment != "during" and systolic is None and beats is None:
        raise CheckInError(
            "A reading before or after the session: type the blood pressure or pulse"
        )
    if moment == "during" and not (row.seems or row.note or systolic or beats):
        raise CheckInError("Write how they seemed or a note (or a reading) for this look-in")
    return row
