"""Issue 19's "Done when", one test each: the shipped checklists and a 09:30 session, the calendar
parsed back with icalendar. Few alarms, none in the quiet hours, each critical point its own event,
an honest re-export, the session's real length, and a discreet file that names nothing."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest

from kapprep import paths
from kapprep import plan as plans
from kapprep.checklist_model import Item
from kapprep.checklists import load_layers
from kapprep.due import parse_due
from kapprep.ical import calendar_for_store, event_uid, install_id
from kapprep.quiet_hours import parse_quiet_hours
from kapprep.reminders import MAX_ALARMS, matters
from kapprep.store import Session, Store
from kapprep.timeline import Timeline, load_timeline_inputs, session_timeline

LONDON = ZoneInfo("Europe/London")
START = datetime(2026, 12, 3, 9, 30, tzinfo=LONDON)
"""Thursday 09:30: the shipped "Stop eating" (-6h) falls at 03:30, the medicines at 06:30."""
NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
"""The suite's fixed "now": the assessment items (-14d, 19 Nov) are past already."""
ITEMS = tuple(load_layers(paths.checklist_layers([])).items())


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store.open(tmp_path / "data")
    yield s
    s.close()


@pytest.fixture
def session(store: Store) -> Session:
    return store.add_session(START, clinic="Calm Clinic", place="Calm Clinic, Room 2")


def _cal(store: Store, now: datetime = NOW, **kw: object) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(calendar_for_store(store, ITEMS, now, **kw))  # type: ignore[arg-type]


def _alarms(cal: icalendar.Calendar) -> list[tuple[datetime, icalendar.Event]]:
    """(when each alarm rings, its event)."""
    out = []
    for ev in cal.walk("VEVENT"):
        for al in ev.walk("VALARM"):
            out.append((ev.decoded("dtstart") + al.decoded("trigger"), ev))
    return out


def _quiet(moment: datetime) -> bool:
    clock = moment.astimezone(LONDON).time()
    return clock >= time(22, 0) or clock < time(7, 0)


def _timeline(store: Store, session: Session, now: datetime = NOW) -> Timeline:
    return session_timeline(load_timeline_inputs(store, ITEMS, session), now)


def _by_uid(cal: icalendar.Calendar) -> dict[str, icalendar.Event]:
    return {str(ev["uid"]): ev for ev in cal.walk("VEVENT")}


def test_no_alarm_inside_the_default_quiet_hours(store: Store, session: Session) -> None:
    rings = _alarms(_cal(store))
    assert rings
    inside = [(at, str(ev["summary"])) for at, ev in rings if _quiet(at)]
    assert inside == []


def test_a_night_step_is_announced_by_an_alarmed_event_before_the_quiet_hours(
    store: Store, session: Session
) -> None:
    cal = _cal(store)
    quiet_begins = datetime(2026, 12, 2, 22, 0, tzinfo=LONDON)
    evening = [
        (at, ev)
        for at, ev in _alarms(cal)
        if quiet_begins - timedelta(hours=3) <= at < quiet_begins
        and "Stop eating (03:30, or your clinic's time)" in str(ev.get("description", ""))
    ]
    assert len(evening) == 1
    at, ev = evening[0]
    assert at == datetime(2026, 12, 2, 21, 30, tzinfo=LONDON)  # half an hour before they begin
    assert str(ev["status"]) == "CONFIRMED"
    assert str(ev["summary"]).startswith("Tonight: ")
    # the medicines at 06:30 are announced in the same event, calmly and plainly
    text = str(ev["description"])
    assert "Take or pause your usual medicines exactly as your clinic told you (06:30)" in text
    assert text.startswith("No alarm rings in your quiet hours (22:00–07:00)")
    # the step itself still has its own event at 03:30, with no alarm of its own
    own = _by_uid(cal)[event_uid(install_id(store), session.id, "stop-eating")]
    assert own.decoded("dtstart") == datetime(2026, 12, 3, 3, 30, tzinfo=LONDON)
    assert not own.walk("VALARM")


def test_the_sessions_own_reminder_is_there_even_for_an_early_session(store: Store) -> None:
    nine_thirty = store.add_session(START)
    early = store.add_session(datetime(2026, 12, 10, 6, 0, tzinfo=LONDON))
    events = _by_uid(_cal(store))
    install = install_id(store)
    for s, soon in ((nine_thirty, time(7, 30)), (early, time(4, 0))):
        ev = events[event_uid(install, s.id, None)]
        rings = [ev.decoded("dtstart") + al.decoded("trigger") for al in ev.walk("VALARM")]
        # two hours before, even inside quiet hours (04:00 for the 06:00 session) ...
        assert any(r.astimezone(LONDON).time() == soon for r in rings), s.start
        # ... and the day before, never in the quiet hours
        assert len(rings) == 2 and not _quiet(min(rings))


def test_each_critical_point_is_its_own_event_with_a_reminder_before_it(
    store: Store, session: Session
) -> None:
    cal = _cal(store)
    events = _by_uid(cal)
    install = install_id(store)
    line = _timeline(store, session)
    critical = [e for e in line.coming if matters(e)]
    ids = {e.item.id for e in critical}
    # the clinic's steps, the ride, what the clinic rules on after the session
    assert {
        "stop-eating",
        "stop-drinking",
        "medicines-as-told",
        "confirm-ride",
        "arrive-early",
        "ride-home-no-driving",
        "no-big-decisions",
    } <= ids
    reminders = [(at, f"{ev['summary']} {ev.get('description', '')}") for at, ev in _alarms(cal)]
    for entry in critical:
        ev = events[event_uid(install, session.id, entry.item.id)]
        assert ev.decoded("dtstart") == entry.due and str(ev["status"]) == "CONFIRMED"
        assert ev.decoded("dtend") - ev.decoded("dtstart") <= timedelta(minutes=15)
        # an alarm names it, at or before its time: on its own event, or on a reminder event
        # of its own for several steps (which shows in a calendar that drops the alarm)
        assert any(entry.item.text in text and at <= entry.due for at, text in reminders), (
            entry.item.id
        )


def test_between_one_and_twelve_alarms(store: Store, session: Session) -> None:
    count = len(_alarms(_cal(store)))
    assert 1 <= count <= MAX_ALARMS


def test_never_more_than_twelve_alarms_for_a_clinic_with_many_steps(store: Store) -> None:
    store.add_session(START)
    many = tuple(
        Item(
            id=f"clinic-{n}",
            text=f"Clinic step {n}",
            checklist_id="clinic",
            phase="day-before",
            due=parse_due(f"-{n * 5}h"),
            clinic_decides=True,
        )
        for n in range(1, 40)
    )
    cal = icalendar.Calendar.from_ical(calendar_for_store(store, many, NOW))
    rings = _alarms(cal)
    assert 1 <= len(rings) <= MAX_ALARMS
    assert not [at for at, _ in rings if _quiet(at) and at.time() != time(7, 30)]
    # every future step is still named by a reminder at or before it
    text = " ".join(str(ev.get("description", "")) for _, ev in rings)
    for item in many:
        assert item.due is not None
        if item.due.resolve(START) >= NOW:
            assert f"{item.text} (" in text, item.id


def test_no_ticked_or_past_step_is_an_active_event(store: Store, session: Session) -> None:
    store.tick(session.id, "stop-drinking")
    store.tick(session.id, "confirm-ride")
    cal = _cal(store)
    line = _timeline(store, session)
    install = install_id(store)
    events = _by_uid(cal)
    for entry in line.entries:
        if entry.due is None:
            continue
        ev = events[event_uid(install, session.id, entry.item.id)]
        done_or_past = entry.item.id in line.done or entry.due < NOW
        assert (str(ev["status"]) == "CANCELLED") == done_or_past, entry.item.id
        if done_or_past:
            assert not ev.walk("VALARM")
    assert str(events[event_uid(install, session.id, "stop-drinking")]["status"]) == "CANCELLED"
    # no active reminder names a ticked step
    for _, ev in _alarms(cal):
        text = f"{ev['summary']} {ev.get('description', '')}"
        assert "Stop drinking" not in text and "Confirm your ride" not in text
        assert ev.decoded("dtstart") >= NOW


def test_the_sessions_end_is_its_start_plus_the_plans_length(
    store: Store, session: Session
) -> None:
    uid = event_uid(install_id(store), session.id, None)
    plans.set_field(store, "session_minutes", "90")
    ev = _by_uid(_cal(store))[uid]
    assert ev.decoded("dtstart") == START
    assert ev.decoded("dtend") == START + timedelta(minutes=90)
    assert "DTEND" in ev and "DURATION" not in ev
    # without a length in the plan: two hours, and the event says how to set it
    plans.set_field(store, "session_minutes", "")
    ev = _by_uid(_cal(store))[uid]
    assert ev.decoded("dtend") == START + timedelta(hours=2)
    assert "add the session's length, as your clinic says" in str(ev["description"])


def test_discreet_names_neither_ketamine_kap_nor_the_clinic(store: Store, session: Session) -> None:
    cal = _cal(store, discreet=True)
    words: list[str] = [str(cal.get("x-wr-calname", ""))]
    for ev in cal.walk("VEVENT"):
        words += [str(ev.get(k, "")) for k in ("summary", "description", "location")]
        words += [str(al.get("description", "")) for al in ev.walk("VALARM")]
    for text in words:
        low = text.lower()
        for banned in ("ketamine", "kap", "clinic", "calm", "eating", "driv"):
            assert banned not in low, text
    assert {str(ev["summary"]) for ev in cal.walk("VEVENT")} >= {"Appointment", "Reminder"}
    # the same alarms as the plain file, at the same times
    plain = sorted(at for at, _ in _alarms(_cal(store)))
    assert sorted(at for at, _ in _alarms(cal)) == plain


def test_a_second_export_after_ticks_updates_the_same_uids(
    store: Store, session: Session, tmp_path: Path
) -> None:
    first_file = tmp_path / "first.ics"
    first_file.write_bytes(calendar_for_store(store, ITEMS, NOW))
    store.tick(session.id, "confirm-ride")
    store.tick(session.id, "ask-fasting-times")
    later = datetime(2026, 12, 2, 20, 0, tzinfo=LONDON)  # the evening before
    second_file = tmp_path / "second.ics"
    second_file.write_bytes(calendar_for_store(store, ITEMS, later))

    first = _by_uid(icalendar.Calendar.from_ical(first_file.read_bytes()))
    second = _by_uid(icalendar.Calendar.from_ical(second_file.read_bytes()))
    # every event the first file made is in the second, under the same UID, as an update
    assert set(first) == set(second)
    for uid, ev in first.items():
        assert int(second[uid]["sequence"]) > int(ev["sequence"])
    install = install_id(store)
    for item_id in ("confirm-ride", "ask-fasting-times"):  # ticked
        uid = event_uid(install, session.id, item_id)
        assert str(first[uid]["status"]) == "CONFIRMED"
        assert str(second[uid]["status"]) == "CANCELLED" and not second[uid].walk("VALARM")
    # past by then (the week before): cancelled in the second, with the same UID
    week = event_uid(install, session.id, "arrange-ride")
    assert str(first[week]["status"]) == "CONFIRMED"
    assert str(second[week]["status"]) == "CANCELLED"
    # the reminders too: those whose time has passed are cancelled, tonight's still rings
    rang = [u for u, ev in first.items() if ev.walk("VALARM") and ev.decoded("dtstart") < later]
    assert rang  # (three with the shipped checklists as they are)
    for uid in rang:
        assert str(second[uid]["status"]) == "CANCELLED" and not second[uid].walk("VALARM")
    active = [ev for ev in second.values() if ev.walk("VALARM")]
    assert any(str(ev["summary"]).startswith("Tonight: ") for ev in active)
    assert all(ev.decoded("dtstart") >= later for ev in active if "KAP" not in ev["summary"])


def test_every_step_option_gives_one_alarm_per_step_still_none_at_night(
    store: Store, session: Session
) -> None:
    grouped = _by_uid(_cal(store))  # a grouped file first, as if imported before
    cal = _cal(store, per_item=True)
    line = _timeline(store, session)
    events = _by_uid(cal)
    install = install_id(store)
    timed = [e for e in line.coming if e.due is not None]
    for entry in timed:
        assert len(events[event_uid(install, session.id, entry.item.id)].walk("VALARM")) == 1
    rings = _alarms(cal)
    assert len(rings) == len(timed) + 2  # and the session's own two
    assert not [at for at, _ in rings if _quiet(at)]
    # the grouped reminders the grouped file made are cancelled, so a switch leaves none behind
    for uid, ev in grouped.items():
        if str(ev["summary"]).startswith(("Tonight", "Today", "Tomorrow")):
            assert str(events[uid]["status"]) == "CANCELLED"


@pytest.mark.parametrize(
    ("setting", "inside"),
    [
        ("21:00-08:00", lambda t: t >= time(21, 0) or t < time(8, 0)),
        ("23:30-05:00", lambda t: t >= time(23, 30) or t < time(5, 0)),
    ],
)
def test_the_quiet_hours_setting_is_kept(
    store: Store, session: Session, setting: str, inside: object
) -> None:
    store.set_setting("quiet_hours", setting)
    exempt = START - timedelta(hours=2)  # the session's own, two hours before
    rings = [at.astimezone(LONDON).time() for at, _ in _alarms(_cal(store)) if at != exempt]
    assert rings and not [t for t in rings if inside(t)]  # type: ignore[operator]
    if setting == "23:30-05:00":  # the medicines at 06:30 now ring at 06:15
        assert time(6, 15) in rings


def test_quiet_hours_off_rings_at_night_and_a_zone_keeps_its_own_night(store: Store) -> None:
    store.set_setting("quiet_hours", "off")
    store.add_session(START)
    rings = [at.astimezone(LONDON).time() for at, _ in _alarms(_cal(store))]
    assert time(3, 15) in rings  # stop eating, 15 minutes before
    # quiet hours are the session's own night: a New York session, read on a London computer
    store.set_setting("quiet_hours", None)
    york = ZoneInfo("America/New_York")
    with Store.open(store.folder / "other") as other:
        other.add_session(datetime(2026, 12, 3, 9, 30, tzinfo=york))
        cal = icalendar.Calendar.from_ical(calendar_for_store(other, ITEMS, NOW))
    for at, _ in _alarms(cal):
        local = at.astimezone(york).time()
        assert not (local >= time(22, 0) or local < time(7, 0)), at


def test_quiet_hours_parse_and_edges() -> None:
    q = parse_quiet_hours("22:00-07:00")
    edge = datetime(2026, 3, 29, 1, 30, tzinfo=LONDON)  # the night the clocks go forward
    assert q.contains(edge, LONDON)
    assert q.began_before(edge, LONDON) == datetime(2026, 3, 28, 22, 0, tzinfo=LONDON)
    assert q.ends_after(edge, LONDON) == datetime(2026, 3, 29, 7, 0, tzinfo=LONDON)
    assert not q.contains(datetime(2026, 3, 29, 7, 0, tzinfo=LONDON), LONDON)
    day = parse_quiet_hours("13:00 to 14:30")  # not wrapping midnight
    assert day.contains(datetime(2026, 3, 2, 13, 59, tzinfo=LONDON), LONDON)
    assert not day.contains(datetime(2026, 3, 2, 12, 59, tzinfo=LONDON), LONDON)
    assert parse_quiet_hours("off").off and str(parse_quiet_hours("off")) == "off"


def test_what_an_older_file_made_and_a_newer_one_lacks_is_cancelled(
    store: Store, session: Session
) -> None:
    """A reminder regrouped (the clinic's own time moved the step out of the night) and a
    session removed: importing the newer file clears what the older one made."""
    other = store.add_session(datetime(2026, 12, 17, 9, 30, tzinfo=LONDON))
    first = _by_uid(_cal(store))
    install = install_id(store)
    night = event_uid(install, session.id, "evening:stop-eating")
    assert first[night].walk("VALARM")
    store.set_clinic_time("stop-eating", "-1d@18:00")  # the clinic's: the evening before
    store.remove_session(other.id)
    second = _by_uid(_cal(store))
    assert set(first) <= set(second)
    assert str(second[night]["status"]) == "CANCELLED" and not second[night].walk("VALARM")
    gone = [uid for uid in first if uid in second and str(second[uid]["status"]) == "CANCELLED"]
    for key in ("", "stop-eating", "confirm-ride"):  # every event of the removed session
        assert event_uid(install, other.id, key or None) in gone
    removed = [event_uid(install, other.id, k or None) for k in ("", "stop-eating")]
    for uid in removed:  # written from what was remembered: neutral words, nothing else
        assert str(second[uid]["summary"]) in ("Appointment", "Reminder")
        assert "description" not in second[uid] and "location" not in second[uid]
    # the step's own event moved with the clinic's time, under the same UID
    eat = second[event_uid(install, session.id, "stop-eating")]
    assert eat.decoded("dtstart") == datetime(2026, 12, 2, 18, 0, tzinfo=LONDON)
    # a third file still cancels them: the older file may be imported anywhere, any time
    third = _by_uid(_cal(store))
    assert str(third[night]["status"]) == "CANCELLED"


def test_the_words_follow_the_patients_clock(store: Store, session: Session) -> None:
    store.set_setting("clock_24h", False)
    words = " ".join(
        f"{ev['summary']} {ev.get('description', '')}" for ev in _cal(store).walk("VEVENT")
    )
    assert "Stop eating (3:30 am, or your clinic's time)" in words
    assert "03:30" not in words


def test_sessions_long_past_are_left_out_so_a_long_series_stays_small(tmp_path: Path) -> None:
    with Store.open(tmp_path / "many") as store:
        with store.transaction():
            for day in range(400):  # more than a year of sessions, all long over
                store.add_session(NOW - timedelta(days=500 - day))
        store.add_session(NOW + timedelta(days=2))
        cal = icalendar.Calendar.from_ical(calendar_for_store(store, ITEMS, NOW))
    starts = [ev.decoded("dtstart") for ev in cal.walk("VEVENT")]
    assert starts, "the coming session is written"
    # Its steps start up to a week or so before it; nothing of the 400 sessions long over.
    assert min(starts) >= NOW - timedelta(days=100), "a session long over was written"
