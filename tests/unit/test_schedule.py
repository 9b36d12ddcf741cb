"""The preparation timeline at its edges: daylight-saving changes in both directions and both
hemispheres' rules we ship to (Europe/London, America/New_York), clock anchors around midnight,
wall-clock times that do not exist or happen twice, the patient's own overrides, and what is due
next, overdue or undated."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from kapprep.checklists import Item
from kapprep.due import parse_due
from kapprep.schedule import (
    Entry,
    due_next,
    overdue,
    timeline,
)
from kapprep.whentext import humanize
from kapprep.zones import zone

LONDON = ZoneInfo("Europe/London")
NEW_YORK = ZoneInfo("America/New_York")


def at(due: str, start: datetime) -> datetime:
    return parse_due(due).resolve(start)


def elapsed(earlier: datetime, later: datetime) -> timedelta:
    # Python subtracts same-zone datetimes by wall clock; real elapsed time needs UTC.
    return later.astimezone(UTC) - earlier.astimezone(UTC)


def item(item_id: str, due: str | None = None) -> Item:
    return Item(
        id=item_id,
        text=item_id,
        checklist_id="c",
        phase="day-of",
        due=parse_due(due) if due else None,
    )


def test_plain_offsets() -> None:
    start = datetime(2026, 6, 10, 10, 0, tzinfo=LONDON)
    assert at("-7d", start) == datetime(2026, 6, 3, 10, 0, tzinfo=LONDON)
    assert at("-4h30m", start) == datetime(2026, 6, 10, 5, 30, tzinfo=LONDON)
    assert at("+1d", start) == datetime(2026, 6, 11, 10, 0, tzinfo=LONDON)
    assert at("0d", start) == start


def test_london_spring_forward() -> None:
    # 2026-03-29 01:00 GMT -> 02:00 BST. The day before the session is 23 hours long.
    start = datetime(2026, 3, 29, 10, 0, tzinfo=LONDON)
    assert start.utcoffset() == timedelta(hours=1)
    evening = at("-1d@20:00", start)
    assert (evening.isoformat(), evening.utcoffset()) == (
        "2026-03-28T20:00:00+00:00",
        timedelta(0),
    )
    assert at("-1d", start).isoformat() == "2026-03-28T10:00:00+00:00"  # same clock time
    assert at("-24h", start).isoformat() == "2026-03-28T09:00:00+00:00"  # 24 hours elapsed
    assert elapsed(at("-1d", start), start) == timedelta(hours=23)
    assert elapsed(at("-24h", start), start) == timedelta(hours=24)
    assert at("-7d", start).isoformat() == "2026-03-22T10:00:00+00:00"


def test_london_fall_back() -> None:
    # 2026-10-25 02:00 BST -> 01:00 GMT. The day before the session is 25 hours long.
    start = datetime(2026, 10, 25, 10, 0, tzinfo=LONDON)
    assert at("-1d", start).isoformat() == "2026-10-24T10:00:00+01:00"
    assert at("-24h", start).isoformat() == "2026-10-24T11:00:00+01:00"
    assert elapsed(at("-1d", start), start) == timedelta(hours=25)
    assert at("-1d@20:00", start).isoformat() == "2026-10-24T20:00:00+01:00"
    assert at("+1d", start).isoformat() == "2026-10-26T10:00:00+00:00"


def test_new_york_spring_forward_and_a_time_that_does_not_exist() -> None:
    # 2026-03-08 02:00 EST -> 03:00 EDT: 02:30 that day does not exist; it moves forward.
    start = datetime(2026, 3, 9, 2, 30, tzinfo=NEW_YORK)
    skipped = at("-1d", start)
    assert skipped.isoformat() == "2026-03-08T03:30:00-04:00"
    assert at("-1d@02:15", start).isoformat() == "2026-03-08T03:15:00-04:00"
    assert at("-1d@01:59", start).isoformat() == "2026-03-08T01:59:00-05:00"
    assert at("-24h", start).isoformat() == "2026-03-08T01:30:00-05:00"


def test_new_york_fall_back_and_an_ambiguous_time() -> None:
    # 2026-11-01 02:00 EDT -> 01:00 EST: 01:30 happens twice; the first (EDT) is taken.
    start = datetime(2026, 11, 2, 1, 30, tzinfo=NEW_YORK)
    first = at("-1d", start)
    assert first.isoformat() == "2026-11-01T01:30:00-04:00"
    assert at("-1d@01:45", start).isoformat() == "2026-11-01T01:45:00-04:00"
    assert at("-24h", start).isoformat() == "2026-11-01T01:30:00-05:00"  # the second 01:30
    # A session in the repeated hour itself, the second time round: offsets keep that instant.
    second = datetime(2026, 11, 1, 1, 30, fold=1, tzinfo=NEW_YORK)
    assert second.utcoffset() == timedelta(hours=-5)
    assert at("0d", second) == second
    assert at("-30m", second).isoformat() == "2026-11-01T01:00:00-05:00"
    assert at("-90m", second).isoformat() == "2026-11-01T01:00:00-04:00"


def test_clock_anchors_around_midnight() -> None:
    just_after = datetime(2026, 6, 10, 0, 30, tzinfo=LONDON)
    assert at("-1d@20:00", just_after).isoformat() == "2026-06-09T20:00:00+01:00"
    assert elapsed(at("-1d@20:00", just_after), just_after) == timedelta(hours=4, minutes=30)
    # "0d@06:00" is the session's calendar day: after a 00:30 start, not before it.
    assert at("0d@06:00", just_after).isoformat() == "2026-06-10T06:00:00+01:00"
    just_before = datetime(2026, 6, 10, 23, 30, tzinfo=LONDON)
    assert at("-1d@20:00", just_before).isoformat() == "2026-06-09T20:00:00+01:00"
    assert at("0d@06:00", just_before).isoformat() == "2026-06-10T06:00:00+01:00"
    assert at("+1d", just_before).isoformat() == "2026-06-11T23:30:00+01:00"
    assert at("-1h", just_after).isoformat() == "2026-06-09T23:30:00+01:00"


def test_anchor_the_evening_before_a_dst_change() -> None:
    start = datetime(2026, 3, 30, 0, 30, tzinfo=LONDON)  # just after the change day
    assert at("-1d@20:00", start).isoformat() == "2026-03-29T20:00:00+01:00"
    assert at("-2d@20:00", start).isoformat() == "2026-03-28T20:00:00+00:00"


def test_fixed_offset_and_utc_starts_work_too() -> None:
    start = datetime(2026, 3, 29, 10, 0, tzinfo=UTC)
    assert at("-1d@20:00", start).isoformat() == "2026-03-28T20:00:00+00:00"
    plus2 = datetime(2026, 3, 29, 10, 0, tzinfo=timezone(timedelta(hours=2)))
    assert at("-24h", plus2).isoformat() == "2026-03-28T10:00:00+02:00"


def test_naive_start_is_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        timeline([item("a", "-1h")], datetime(2026, 1, 1, 10, 0))
    with pytest.raises(ValueError, match="timezone-aware"):
        at("-1h", datetime(2026, 1, 1, 10, 0))


START = datetime(2026, 3, 29, 10, 0, tzinfo=LONDON)
ITEMS = [
    item("anytime"),
    item("evening", "-1d@20:00"),
    item("stop-eating", "-6h"),
    item("week", "-7d"),
    item("arrive", "-10m"),
    item("also-arrive", "-10m"),
    item("after", "+2h"),
]


def test_timeline_orders_by_time_then_file_order_undated_last() -> None:
    entries = timeline(ITEMS, START)
    assert [e.item.id for e in entries] == [
        "week",
        "evening",
        "stop-eating",
        "arrive",
        "also-arrive",
        "after",
        "anytime",
    ]
    assert entries[-1].due is None
    assert all(e.due is None or e.due.tzinfo is LONDON for e in entries)


def test_overrides_replace_the_shipped_time() -> None:
    overrides = {"stop-eating": parse_due("-4h"), "anytime": parse_due("-1h")}
    entries = {e.item.id: e for e in timeline(ITEMS, START, overrides)}
    assert entries["stop-eating"].due == datetime(2026, 3, 29, 6, 0, tzinfo=LONDON)
    assert entries["stop-eating"].overridden is True
    assert entries["anytime"].due == datetime(2026, 3, 29, 9, 0, tzinfo=LONDON)
    assert entries["arrive"].overridden is False


def test_due_next_overdue_and_undated() -> None:
    entries = timeline(ITEMS, START)
    now = datetime(2026, 3, 29, 5, 0, tzinfo=LONDON)  # after stop-eating (04:00), before arrive
    assert [e.item.id for e in overdue(entries, now)] == ["week", "evening", "stop-eating"]
    assert [e.item.id for e in overdue(entries, now, done={"week"})] == ["evening", "stop-eating"]
    assert [e.item.id for e in due_next(entries, now)] == ["arrive", "also-arrive", "after"]
    assert [e.item.id for e in due_next(entries, now, done={"arrive"}, limit=1)] == ["also-arrive"]
    assert due_next(entries, START + timedelta(days=1)) == []
    undated = [e for e in entries if e.due is None]
    assert [e.status(now, done=False) for e in undated] == ["anytime"]


def test_an_item_due_exactly_now_is_next_not_overdue() -> None:
    entries = timeline(ITEMS, START)
    now = START - timedelta(minutes=10)
    assert [e.item.id for e in due_next(entries, now, limit=2)] == ["arrive", "also-arrive"]
    assert "arrive" not in [e.item.id for e in overdue(entries, now)]


def test_ordering_and_due_next_use_real_time_in_the_repeated_hour() -> None:
    # 01:40 EDT comes before 01:20 EST, though its wall clock is later.
    start = datetime(2026, 11, 1, 3, 0, tzinfo=NEW_YORK)
    late_first = item("first", "-2h20m")  # 01:40 EDT
    early_second = item("second", "-1h40m")  # 01:20 EST
    entries = timeline([early_second, late_first], start)
    assert [e.due.isoformat() for e in entries if e.due] == [
        "2026-11-01T01:40:00-04:00",
        "2026-11-01T01:20:00-05:00",
    ]
    now = datetime(2026, 11, 1, 1, 50, tzinfo=NEW_YORK)  # 01:50 EDT, the first time round
    assert [e.item.id for e in due_next(entries, now)] == ["second"]
    assert [e.item.id for e in overdue(entries, now)] == ["first"]
    assert entries[1].status(now, done=False) == "soon"


def test_status() -> None:
    entry = Entry(item("x", "-1h"), datetime(2026, 3, 29, 9, 0, tzinfo=LONDON))
    assert entry.status(datetime(2026, 3, 29, 9, 1, tzinfo=LONDON), done=False) == "overdue"
    assert entry.status(datetime(2026, 3, 29, 9, 1, tzinfo=LONDON), done=True) == "done"
    # 24 real hours before 09:00 BST on the change day is 08:00 GMT the day before.
    assert entry.status(datetime(2026, 3, 28, 8, 0, tzinfo=LONDON), done=False) == "soon"
    assert entry.status(datetime(2026, 3, 28, 7, 59, tzinfo=LONDON), done=False) == "later"


@pytest.mark.parametrize(
    ("delta", "text"),
    [
        (timedelta(0), "now"),
        (timedelta(seconds=59), "now"),
        (timedelta(seconds=-59), "now"),
        (timedelta(minutes=1), "in 1 min"),
        (timedelta(minutes=40), "in 40 min"),
        (-timedelta(minutes=15), "15 min ago"),
        (timedelta(minutes=59, seconds=59), "in 59 min"),
        (timedelta(hours=1), "in 1 h"),
        (timedelta(hours=2, minutes=30), "in 2 h 30 min"),
        (timedelta(hours=12, minutes=30), "in 12 h"),
        (timedelta(hours=47, minutes=59), "in 47 h"),
        (timedelta(hours=48), "in 2 d"),
        (-timedelta(days=3, hours=5), "3 d ago"),
    ],
)
def test_humanize(delta: timedelta, text: str) -> None:
    now = datetime(2026, 3, 29, 10, 0, tzinfo=LONDON)
    assert humanize(now + delta, now) == text


def test_humanize_counts_elapsed_time_across_dst() -> None:
    # 00:00 to 10:00 local on the spring-forward day is 9 hours, not 10.
    midnight = datetime(2026, 3, 29, 0, 0, tzinfo=LONDON)
    assert humanize(START, midnight) == "in 9 h"


def test_zone_names() -> None:
    assert zone("Europe/London") is LONDON
    for bad in ("", "Mars/Olympus", "../etc/passwd", "/etc/localtime", "Europe/../London"):
        with pytest.raises(ValueError, match="is not a time zone we know"):
            zone(bad)
