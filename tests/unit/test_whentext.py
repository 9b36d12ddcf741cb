"""The forgiving date-and-time reader behind the session form and the first run."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kapprep.whentext import WhenError, format_clock, format_when, parse_offset, parse_when

LONDON = ZoneInfo("Europe/London")
NOW = datetime(2026, 11, 25, 12, 0, tzinfo=LONDON)  # a Wednesday


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3 Dec 10:00", datetime(2026, 12, 3, 10, 0)),
        ("2026-12-03 10:00", datetime(2026, 12, 3, 10, 0)),
        ("2026-12-03T10:00", datetime(2026, 12, 3, 10, 0)),
        ("tomorrow 9am", datetime(2026, 11, 26, 9, 0)),
        ("Tomorrow at 9:30 PM", datetime(2026, 11, 26, 21, 30)),
        ("today 14:30", datetime(2026, 11, 25, 14, 30)),
        ("friday 10:00", datetime(2026, 11, 27, 10, 0)),
        ("fri at 9", datetime(2026, 11, 27, 9, 0)),
        ("Dec 3, 2026 9:30pm", datetime(2026, 12, 3, 21, 30)),
        ("3 December 2026 10:00", datetime(2026, 12, 3, 10, 0)),
        ("Thu 3 Dec 10:00", datetime(2026, 12, 3, 10, 0)),
        ("3rd dec at 10", datetime(2026, 12, 3, 10, 0)),
        ("1 Jan 10:00", datetime(2027, 1, 1, 10, 0)),  # no year: the next one
        ("12am", datetime(2026, 11, 25, 0, 0)),
        ("12pm", datetime(2026, 11, 25, 12, 0)),
    ],
)
def test_reads_what_people_type(text: str, expected: datetime) -> None:
    assert parse_when(text, NOW) == expected.replace(tzinfo=LONDON)


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("", "Type a date and time"),
        ("3/12 10:00", "month as a word"),
        ("2026-12-03", "Add the time"),
        ("3 Dec", "Add the time"),
        ("30 Feb 10:00", "not a date in the calendar"),
        ("2026-02-30 10:00", "not a date in the calendar"),
        ("25:00", "does not exist"),
        ("13pm", "1 to 12"),
        ("next blursday 10:00", "not a date we can read"),
    ],
)
def test_mistakes_get_a_plain_message(text: str, says: str) -> None:
    with pytest.raises(WhenError, match=says):
        parse_when(text, NOW)


def test_a_time_skipped_by_daylight_saving_is_refused_plainly() -> None:
    spring = datetime(2027, 3, 20, 12, 0, tzinfo=LONDON)
    with pytest.raises(WhenError, match="01:30 on 28 Mar 2027 does not exist"):
        parse_when("28 Mar 2027 01:30", spring)  # 01:00-02:00 does not exist in London
    # 01:30 comes twice that night: kapprep asks which (it took the first without a word)
    with pytest.raises(WhenError, match="comes twice"):
        parse_when("31 Oct 2027 01:30", spring)
    autumn = parse_when("31 Oct 2027 01:30 BST", spring)
    assert autumn.utcoffset() is not None and autumn.hour == 1


def test_formats_times_calmly() -> None:
    dt = datetime(2026, 12, 3, 14, 5, tzinfo=LONDON)
    assert format_clock(dt) == "14:05"
    assert format_clock(dt, h24=False) == "2:05 pm"
    assert format_when(dt, NOW) == "Thu 3 Dec 14:05"
    assert format_when(NOW.replace(hour=20), NOW) == "today 20:00"
    assert format_when(datetime(2027, 1, 4, 9, 0, tzinfo=LONDON), NOW) == "Mon 4 Jan 2027 09:00"


@given(st.text(max_size=40))
def test_any_text_gives_a_time_or_a_clear_error(text: str) -> None:
    try:
        got = parse_when(text, NOW)
    except WhenError as exc:
        assert str(exc).strip()
    else:
        assert got.tzinfo is not None


@pytest.mark.parametrize(
    ("text", "due"),
    [
        ("4 hours before", "-4h"),
        ("4h before", "-4h"),
        ("30 min before", "-30m"),
        ("1 day after", "+1d"),
        ("-1d@20:00", "-1d@20:00"),
        (" -4h30m ", "-4h30m"),
        # QA walk: "-1d@20:00" is jargon for a foggy reader; clock times read in words too.
        ("the day before at 20:00", "-1d@20:00"),
        ("The day before at 8.30", "-1d@08:30"),
        ("2 days before at 07:00", "-2d@07:00"),
        ("on the day at 06:00", "0d@06:00"),
    ],
)
def test_clinic_times_read_plainly(text: str, due: str) -> None:
    assert parse_offset(text) == due


@pytest.mark.parametrize(
    "text",
    [
        "soon",
        "4 parsecs before",
        "before",
        "-1d@25:00",
        "the day before at 25:00",
        "the evening before at 8.30",
    ],
)
def test_clinic_time_mistakes(text: str) -> None:
    with pytest.raises(WhenError, match="4 hours before"):
        parse_offset(text)
