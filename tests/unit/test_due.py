"""`due` offsets: the grammar, its limits, the canonical text, and the regex the schema uses."""

from __future__ import annotations

import re
from datetime import time, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kapprep.due import DUE_PATTERN, Due, DueSyntaxError, format_due, parse_due


@pytest.mark.parametrize(
    ("text", "due", "canonical"),
    [
        ("-7d", Due(days=-7), "-7d"),
        ("-24h", Due(delta=timedelta(hours=-24)), "-24h"),
        ("-4h30m", Due(delta=timedelta(hours=-4, minutes=-30)), "-4h30m"),
        ("+1d", Due(days=1), "+1d"),
        ("1d", Due(days=1), "+1d"),
        ("-1d@20:00", Due(days=-1, at=time(20, 0)), "-1d@20:00"),
        ("0d@06:00", Due(at=time(6, 0)), "0d@06:00"),
        ("-0d@6:05", Due(at=time(6, 5)), "0d@06:05"),
        ("+2d@09:30", Due(days=2, at=time(9, 30)), "+2d@09:30"),
        ("-90m", Due(delta=timedelta(minutes=-90)), "-1h30m"),
        ("-1d2h", Due(days=-1, delta=timedelta(hours=-2)), "-1d2h"),
        ("0d", Due(), "0d"),
        ("-0m", Due(), "0d"),
        ("366d", Due(days=366), "+366d"),
        ("-999h59m", Due(delta=-timedelta(hours=999, minutes=59)), "-999h59m"),
    ],
)
def test_parse_and_format(text: str, due: Due, canonical: str) -> None:
    assert parse_due(text) == due
    assert format_due(due) == canonical == str(due)
    assert parse_due(canonical) == due
    assert re.fullmatch(DUE_PATTERN, text)


@pytest.mark.parametrize(
    "text",
    [
        "",
        " ",
        "-",
        "+",
        "d",
        "7",
        "-7",
        "-7 d",
        "-7d ",
        "-7D",
        "7days",
        "--7d",
        "-1d-2h",
        "-30m4h",
        "@06:00",
        "-2h@06:00",
        "-1d@6",
        "-1d@06:0",
        "-1d@24:00",
        "-1d@23:60",
        "-367d",
        "-1000h",
        "-1h60m",
        "-1000m",
        "-1.5h",
        "-٣d",
        "-7d\n",
        "1d@06:00:00",
    ],
)
def test_refused(text: str) -> None:
    with pytest.raises(DueSyntaxError) as info:
        parse_due(text)
    assert str(info.value).startswith(f'"{text[:37]}')
    assert not re.fullmatch(DUE_PATTERN, text)


def test_mixed_signs_cannot_be_parsed_but_still_format() -> None:
    assert format_due(Due(days=-1, delta=timedelta(hours=2))) == "-1d+120m"


@st.composite
def dues(draw: st.DrawFn) -> Due:
    sign = draw(st.sampled_from([-1, 1]))
    days = draw(st.integers(0, 366))
    if draw(st.booleans()):
        clock = time(draw(st.integers(0, 23)), draw(st.integers(0, 59)))
        return Due(days=sign * days, at=clock)
    hours = draw(st.integers(0, 999))
    minutes = draw(st.integers(0, 59 if hours else 999))
    return Due(days=sign * days, delta=sign * timedelta(hours=hours, minutes=minutes))


@settings(max_examples=300, deadline=None)
@given(dues())
def test_round_trip(due: Due) -> None:
    text = format_due(due)
    assert parse_due(text) == due
    assert re.fullmatch(DUE_PATTERN, text)


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="+-0123456789dhm@: ", max_size=12))
def test_the_schema_pattern_accepts_exactly_what_the_parser_does(text: str) -> None:
    try:
        parse_due(text)
        parsed = True
    except DueSyntaxError:
        parsed = False
    assert parsed == bool(re.fullmatch(DUE_PATTERN, text)), text
