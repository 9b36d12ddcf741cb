"""The session's own zone: typed the way people type it, every time shown in it and named where
this computer's clock differs, and the clocks' changes checked the same way everywhere."""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest

from kapprep.cli import main
from kapprep.store import Store
from kapprep.whentext import ClockChangeError, localize, parse_when
from kapprep.zones import ZoneError, read_zone, zone_label

LONDON = ZoneInfo("Europe/London")
LA = ZoneInfo("America/Los_Angeles")
UTC_ZONE = ZoneInfo("UTC")


@pytest.mark.parametrize(
    ("typed", "key"),
    [("Europe/London", "Europe/London"), ("europe/london", "Europe/London"),
     ("London", "Europe/London"), ("los angeles", "America/Los_Angeles"),
     ("Los_Angeles", "America/Los_Angeles"), ("  New   York ", "America/New_York"),
     ("Buenos Aires", "America/Argentina/Buenos_Aires"), ("Istanbul", "Asia/Istanbul"),
     ("PDT", "America/Los_Angeles"), ("utc", "UTC"), ("UTC", "UTC")],
)  # fmt: skip
def test_a_zone_typed_as_people_type_it(typed: str, key: str) -> None:
    assert read_zone(typed).key == key


@pytest.mark.parametrize(
    ("typed", "meant"),
    [("PST", {"America/Los_Angeles", "Asia/Manila"}),
     ("IST", {"Asia/Kolkata", "Europe/Dublin", "Asia/Jerusalem"}),
     ("cst", {"America/Chicago", "Asia/Shanghai", "America/Havana"})],
)  # fmt: skip
def test_an_ambiguous_abbreviation_asks_which(typed: str, meant: set[str]) -> None:
    with pytest.raises(ZoneError, match="can mean") as info:
        read_zone(typed)
    assert set(info.value.choices) == meant
    for key in meant:
        assert key in str(info.value)


@pytest.mark.parametrize("typed", ["", "nowhere", "Europe/Nowhere", "../etc/passwd"])
def test_an_unknown_zone_says_what_to_type(typed: str) -> None:
    with pytest.raises(ZoneError, match="London"):
        read_zone(typed)


def test_the_zone_is_named_only_where_this_computers_clock_differs() -> None:
    assert zone_label(datetime(2026, 12, 3, 9, 30, tzinfo=LA), UTC_ZONE) == "Los Angeles time"
    assert zone_label(datetime(2026, 12, 3, 9, 30, tzinfo=LA), LA) == ""
    # London is UTC in winter, an hour ahead in summer
    assert zone_label(datetime(2026, 12, 3, 9, 30, tzinfo=LONDON), UTC_ZONE) == ""
    assert zone_label(datetime(2026, 6, 3, 9, 30, tzinfo=LONDON), UTC_ZONE) == "London time"


def test_a_skipped_time_is_refused_and_a_doubled_one_asks_which() -> None:
    with pytest.raises(ClockChangeError, match="does not exist"):
        localize(datetime(2027, 3, 28, 1, 30), LONDON)
    with pytest.raises(ClockChangeError, match=r"comes twice.*BST for the first or GMT"):
        localize(datetime(2026, 10, 25, 1, 30), LONDON)
    first = localize(datetime(2026, 10, 25, 1, 30), LONDON, "BST")
    second = localize(datetime(2026, 10, 25, 1, 30), LONDON, "gmt")
    assert (second - first).total_seconds() == 0  # same wall clock: compare in UTC instead
    assert (second.astimezone(UTC_ZONE) - first.astimezone(UTC_ZONE)).total_seconds() == 3600
    with pytest.raises(ClockChangeError, match="BST is not the time there"):
        localize(datetime(2026, 12, 3, 10, 0), LONDON, "BST")


def test_the_forms_reader_takes_the_abbreviation_after_the_time() -> None:
    now = datetime(2026, 10, 20, 9, 0, tzinfo=LONDON)
    assert parse_when("25 Oct 01:30 BST", now).utcoffset().total_seconds() == 3600  # type: ignore[union-attr]
    assert parse_when("25 Oct 1:30am gmt", now).utcoffset().total_seconds() == 0  # type: ignore[union-attr]
    with pytest.raises(ClockChangeError, match="comes twice"):
        parse_when("25 Oct 01:30", now)
    assert parse_when("tomorrow 9 am", now).hour == 9  # "am" is not a zone


# -- the command line ---------------------------------------------------------------------------


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    monkeypatch.setattr(sys.stdin, "isatty", lambda: False)
    return ["--data-dir", str(tmp_path / "d")]


def test_a_session_in_los_angeles_on_a_utc_computer(
    cli: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([*cli, "session", "add", "2026-12-03 09:30", "--tz", "Los Angeles"]) == 0
    assert "Thu 03 Dec 2026 09:30 (America/Los_Angeles)" in capsys.readouterr().out
    assert main([*cli, "next", "--all"]) == 0
    out = capsys.readouterr().out
    assert "Wed 02 Dec 2026 20:00 Los Angeles time" in out  # the evening before, its own clock
    assert main([*cli, "calendar"]) == 0
    ics = capsys.readouterr().out
    assert "DTSTART;TZID=America/Los_Angeles:20261203T093000" in ics
    events = icalendar.Calendar.from_ical(ics).walk("VEVENT")
    assert events[0].decoded("dtstart") == datetime(2026, 12, 3, 9, 30, tzinfo=LA)


def test_in_the_sessions_own_zone_no_zone_is_named(
    cli: list[str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import time

    monkeypatch.setenv("TZ", "America/Los_Angeles")
    time.tzset()
    try:
        assert main([*cli, "session", "add", "2026-12-03 09:30"]) == 0
        assert main([*cli, "next", "--all"]) == 0
    finally:
        monkeypatch.setenv("TZ", "UTC")
        time.tzset()
    out = capsys.readouterr().out
    assert "(America/Los_Angeles)" in out and "Los Angeles time" not in out


def test_edit_tz_keeps_the_clock_time_and_says_so(
    cli: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([*cli, "session", "add", "2026-12-03 09:30", "--tz", "UTC"]) == 0
    assert main([*cli, "session", "edit", "1", "--tz", "America/Los_Angeles"]) == 0
    out = capsys.readouterr().out
    assert "Kept the clock time: 09:30 in America/Los_Angeles" in out
    assert "--when" in out
    with Store.open(cli[1]) as store:
        assert store.sessions()[0].start == datetime(2026, 12, 3, 9, 30, tzinfo=LA)


def test_edit_tz_across_a_gap_or_a_fold_is_checked_as_add_is(
    cli: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([*cli, "session", "add", "2027-03-28 01:30", "--tz", "UTC"]) == 0
    assert main([*cli, "session", "add", "2026-10-25 01:30", "--tz", "UTC"]) == 0
    capsys.readouterr()
    with Store.open(cli[1]) as store:
        by_month = {s.start.month: str(s.id) for s in store.sessions()}
    spring, autumn = by_month[3], by_month[10]
    assert main([*cli, "session", "edit", spring, "--tz", "London"]) == 1  # 28 Mar 2027 01:30
    assert "does not exist there" in capsys.readouterr().err
    assert main([*cli, "session", "edit", autumn, "--tz", "London"]) == 1  # 25 Oct 2026 01:30
    assert "comes twice" in capsys.readouterr().err
    fixed = ["--tz", "London", "--when", "2026-10-25 01:30 GMT"]
    assert main([*cli, "session", "edit", autumn, *fixed]) == 0
    with Store.open(cli[1]) as store:
        moved = store.session(int(autumn))
        assert moved is not None and moved.tz == "Europe/London"
        assert moved.start.utcoffset().total_seconds() == 0  # type: ignore[union-attr]


def test_the_briefing_names_the_sessions_zone_only_where_it_differs(
    cli: list[str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import time

    assert main([*cli, "session", "add", "2026-12-03 09:30", "--tz", "Los Angeles"]) == 0
    capsys.readouterr()
    assert main([*cli, "briefing"]) == 0
    out = capsys.readouterr().out
    assert "Thursday 03 December 2026 (times in Los Angeles time)" in out
    assert "Session starts:     09:30" in out
    monkeypatch.setenv("TZ", "America/Los_Angeles")
    time.tzset()
    try:
        assert main([*cli, "briefing"]) == 0
    finally:
        monkeypatch.setenv("TZ", "UTC")
        time.tzset()
    assert "Los Angeles time" not in capsys.readouterr().out
