"""The calendar file, parsed back with icalendar and checked item by item."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest

from kapprep.checklists import Item
from kapprep.due import parse_due
from kapprep.ical import INSTALL_ID_KEY, calendar_for_store, event_uid, install_id
from kapprep.store import Store

LONDON = ZoneInfo("Europe/London")
NOW = datetime(2026, 10, 1, 9, 0, tzinfo=UTC)


def _item(item_id: str, due: str, text: str = "", phase: str = "week-before") -> Item:
    return Item(
        id=item_id,
        text=text or f"Do {item_id}",
        checklist_id="t",
        phase=phase,
        why="Because.",
        due=parse_due(due),
    )


ITEMS = (
    _item("week", "-7d", "Book the ride home"),
    _item("eve", "-1d@20:00", "Pack your bag", "day-before"),
    _item("fast", "-6h", "Stop eating", "day-of"),
    _item("hours", "-36h", "No alcohol from now", "day-before"),
    Item(id="anytime", text="Untimed", checklist_id="t", phase="assessment"),
)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store.open(tmp_path / "data")
    yield s
    s.close()


def _events(data: bytes) -> dict[str, icalendar.Event]:
    cal = icalendar.Calendar.from_ical(data)
    return {str(ev["summary"]): ev for ev in cal.walk("VEVENT")}


def test_local_times_across_the_october_change(store: Store) -> None:
    # Monday 26 Oct 2026 in London, the day after BST ends (25 Oct): -7d is 19 Oct, still BST.
    session = store.add_session(datetime(2026, 10, 26, 10, 0, tzinfo=LONDON), place="Room 2")
    data = calendar_for_store(store, ITEMS, NOW)
    events = _events(data)
    expected_local = {
        "KAP session": datetime(2026, 10, 26, 10, 0),
        "Book the ride home": datetime(2026, 10, 19, 10, 0),  # calendar days: same clock time
        "Pack your bag": datetime(2026, 10, 25, 20, 0),
        "Stop eating": datetime(2026, 10, 26, 4, 0),
        "No alcohol from now": datetime(2026, 10, 24, 23, 0),  # 36 elapsed hours: BST then
        "Journal: write down what came up": datetime(2026, 10, 26, 20, 0),
        "Journal: what felt important?": datetime(2026, 10, 27, 10, 0),
        "Journal: one small step for this week": datetime(2026, 10, 29, 10, 0),
        "Journal: look back, and whom to share it with": datetime(2026, 11, 2, 10, 0),
    }
    assert set(events) == set(expected_local)  # the untimed item has no event
    for summary, local in expected_local.items():
        start = events[summary].decoded("dtstart")
        assert start.tzinfo is not None and str(start.tzinfo) == "Europe/London", summary
        assert start.replace(tzinfo=None) == local, summary
        assert events[summary]["dtstart"].params["TZID"] == "Europe/London"
    # the instants are right too: 19 Oct is BST (UTC+1), 26 Oct is GMT
    week = events["Book the ride home"].decoded("dtstart")
    assert week.astimezone(UTC) == datetime(2026, 10, 19, 9, 0, tzinfo=UTC)
    assert events["KAP session"].decoded("dtstart").astimezone(UTC) == datetime(
        2026, 10, 26, 10, 0, tzinfo=UTC
    )
    assert str(events["KAP session"]["location"]) == "Room 2"
    assert session.id > 0


def test_vtimezone_present_and_covering_both_offsets(store: Store) -> None:
    store.add_session(datetime(2026, 10, 26, 10, 0, tzinfo=LONDON))
    store.add_session(datetime(2026, 12, 3, 9, 0, tzinfo=ZoneInfo("America/New_York")))
    cal = icalendar.Calendar.from_ical(calendar_for_store(store, ITEMS, NOW))
    tzids = {str(tz["tzid"]) for tz in cal.walk("VTIMEZONE")}
    assert tzids == {"Europe/London", "America/New_York"}
    london = next(tz for tz in cal.walk("VTIMEZONE") if str(tz["tzid"]) == "Europe/London")
    offsets = {sub["tzoffsetto"].td for sub in london.subcomponents}
    assert timedelta(0) in offsets and timedelta(hours=1) in offsets
    # every TZID used by an event is defined in the file
    assert cal.get_missing_tzids() == set()
    # VTIMEZONEs come before the events that use them
    names = [c.name for c in cal.subcomponents]
    assert max(i for i, n in enumerate(names) if n == "VTIMEZONE") < names.index("VEVENT")


def test_one_alarm_per_step_when_asked_each_before_its_step_and_private(store: Store) -> None:
    store.add_session(datetime(2026, 10, 26, 10, 0, tzinfo=LONDON))
    events = _events(calendar_for_store(store, ITEMS, NOW, per_item=True))
    for summary, ev in events.items():
        alarms = [c for c in ev.subcomponents if c.name == "VALARM"]
        assert alarms, summary
        for al in alarms:
            assert str(al["action"]) == "DISPLAY" and al.get("description")
            assert al.decoded("trigger") < timedelta(0)
        assert str(ev["class"]) == "PRIVATE"
        assert ev.get("dtstamp") is not None
    session_triggers = sorted(al.decoded("trigger") for al in events["KAP session"].subcomponents)
    assert session_triggers == [timedelta(days=-1), timedelta(hours=-2)]
    assert events["Pack your bag"].subcomponents[0].decoded("trigger") == timedelta(minutes=-15)
    # 04:00 and 23:00 are in the quiet hours (22:00-07:00): announced at 21:30 the evening before
    assert events["Stop eating"].subcomponents[0].decoded("trigger") == -timedelta(hours=6.5)
    assert events["No alcohol from now"].subcomponents[0].decoded("trigger") == -timedelta(
        hours=1.5
    )
    assert str(events["Stop eating"].subcomponents[0]["description"]).startswith("Tonight: ")


def test_uids_are_stable_across_runs_and_leak_nothing(store: Store) -> None:
    s = store.add_session(datetime(2026, 10, 26, 10, 0, tzinfo=LONDON))
    first = _events(calendar_for_store(store, ITEMS, NOW))
    second = _events(calendar_for_store(store, ITEMS, NOW + timedelta(days=2)))
    uids1 = {k: str(v["uid"]) for k, v in first.items()}
    uids2 = {k: str(v["uid"]) for k, v in second.items()}
    assert uids1 == uids2
    assert len(set(uids1.values())) == len(uids1)  # all distinct
    for uid in uids1.values():
        assert "eat" not in uid and "fast" not in uid and str(s.id) + "-" not in uid
        assert uid.endswith("@kapprep") and len(uid) == 32 + len("@kapprep")
    # a later export has a higher SEQUENCE, so calendars take it as an update
    assert int(second["KAP session"]["sequence"]) > int(first["KAP session"]["sequence"])
    # the per-install id lives in the settings; another install gives other UIDs
    key = store.get_setting(INSTALL_ID_KEY)
    assert install_id(store) == key and len(key) == 32
    assert uids1["Stop eating"] == event_uid(key, s.id, "fast")
    assert event_uid("another-install-id-0000", s.id, "fast") != uids1["Stop eating"]


def test_overrides_cancelled_sessions_and_one_session(store: Store) -> None:
    a = store.add_session(datetime(2026, 10, 26, 10, 0, tzinfo=LONDON))
    b = store.add_session(datetime(2026, 11, 9, 10, 0, tzinfo=LONDON))
    store.set_clinic_time("fast", "-3h")
    store.update_session(b.id, status="cancelled")
    cal = icalendar.Calendar.from_ical(calendar_for_store(store, ITEMS, NOW))
    fasts = [ev for ev in cal.walk("VEVENT") if str(ev["summary"]) == "Stop eating"]
    by_day = {ev.decoded("dtstart").date().day: ev for ev in fasts}
    assert by_day[26].decoded("dtstart").hour == 7  # the clinic's -3h, not the shipped -6h
    assert str(by_day[9]["status"]) == "CANCELLED"
    assert not [c for c in by_day[9].subcomponents if c.name == "VALARM"]
    only_a = _events(calendar_for_store(store, ITEMS, NOW, session_id=a.id))
    assert only_a["Stop eating"].decoded("dtstart").day == 26
    with pytest.raises(LookupError):
        calendar_for_store(store, ITEMS, NOW, session_id=999)


def test_empty_store_gives_a_valid_empty_calendar(store: Store) -> None:
    cal = icalendar.Calendar.from_ical(calendar_for_store(store, ITEMS, NOW))
    assert str(cal["version"]) == "2.0" and not cal.walk("VEVENT")


def test_importing_the_modules_pulls_in_neither_textual_nor_icalendar() -> None:
    import subprocess
    import sys

    code = (
        "import sys, kapprep.ical, kapprep.journal, kapprep.cli.journal_cmd, kapprep.cli.calendar_cmd;"
        "bad = [m for m in ('textual', 'icalendar', 'fpdf') if m in sys.modules];"
        "print(bad); sys.exit(1 if bad else 0)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_discreet_calendar_has_neutral_titles_and_the_same_times_and_uids(store: Store) -> None:
    store.add_session(datetime(2026, 10, 26, 10, 0, tzinfo=LONDON), place="Calm Clinic")
    plain = icalendar.Calendar.from_ical(calendar_for_store(store, ITEMS, NOW))
    data = calendar_for_store(store, ITEMS, NOW, discreet=True, per_item=True)
    quiet = icalendar.Calendar.from_ical(data)
    for word in (b"KAP", b"eating", b"Calm Clinic", b"Journal", b"clinic", b"(kapprep)"):
        assert word not in data
    a = [(str(e["uid"]), e.decoded("dtstart")) for e in plain.walk("VEVENT")]
    b = [(str(e["uid"]), e.decoded("dtstart")) for e in quiet.walk("VEVENT")]
    assert a == b
    assert {str(e["summary"]) for e in quiet.walk("VEVENT")} == {
        "Appointment",
        "Reminder",
    }
    assert all(e.walk("VALARM") for e in quiet.walk("VEVENT"))
