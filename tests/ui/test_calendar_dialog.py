"""Saving the calendar from the app: the Briefing screen's k and the command palette open one
dialog; it saves to the private folder by default, or where the patient types, discreet when
asked, and never replaces another file without a second Save."""

from __future__ import annotations

import stat
from datetime import time, timedelta
from pathlib import Path

import icalendar
from textual.widgets import Input, Static

from kapprep import paths
from kapprep.ui.app import CALENDAR_TITLE, KapprepApp
from kapprep.ui.screens.calendar import CalendarScreen
from kapprep.ui.widgets.tickbox import TickBox

from .helpers import ZONE, make_app

SIZE = (80, 24)


def _app(data: Path) -> KapprepApp:
    return make_app(data, dirs=paths.checklist_layers([]))  # the shipped checklists


async def settle(pilot) -> None:  # type: ignore[no-untyped-def]
    for _ in range(3):
        await pilot.pause()


async def until(pilot, done) -> None:  # type: ignore[no-untyped-def]
    """Wait on a condition, not a time: a busy machine takes more pauses, never a sleep."""
    for _ in range(200):
        if done():
            return
        await pilot.pause()


def status(app: KapprepApp) -> str:
    return str(app.screen.query_one("#calendar-status", Static).render())


async def test_briefing_k_saves_a_discreet_calendar_in_the_private_folder(seeded: Path) -> None:
    app = _app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("b")
        await settle(pilot)
        await pilot.press("k")
        await settle(pilot)
        assert isinstance(app.screen, CalendarScreen)
        field = app.screen.query_one("#calendar-path", Input)
        target = seeded / "calendar" / "kapprep.ics"
        assert field.value == str(target)  # the private folder by default
        app.screen.query_one("#calendar-discreet", TickBox).value = True
        await pilot.press("ctrl+s")
        await until(pilot, lambda: not isinstance(app.screen, CalendarScreen))
        assert not isinstance(app.screen, CalendarScreen)  # closed, back on the briefing
        assert type(app.screen).__name__ == "BriefingScreen"
        assert any(f"Saved the calendar to {target}" in str(n.message) for n in app._notifications)
    data = target.read_bytes()
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert stat.S_IMODE(target.parent.stat().st_mode) == 0o700
    cal = icalendar.Calendar.from_ical(data)
    alarms = sum(len(ev.walk("VALARM")) for ev in cal.walk("VEVENT"))
    assert 1 <= alarms <= 12
    for word in (b"KAP", b"Calm Clinic", b"Stop eating", b"clinic"):
        assert word not in data
    assert "Appointment" in {str(ev["summary"]) for ev in cal.walk("VEVENT")}


async def test_palette_saves_where_the_patient_chooses_and_asks_before_replacing(
    seeded: Path, tmp_path: Path
) -> None:
    mine = tmp_path / "mine.ics"
    app = _app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert CALENDAR_TITLE in {c.title for c in app.get_system_commands(app.screen)}
        await pilot.press("ctrl+p")
        await settle(pilot)
        await pilot.press(*CALENDAR_TITLE)
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CalendarScreen)
        field = app.screen.query_one("#calendar-path", Input)

        field.value = str(tmp_path / "notes.txt")  # not a calendar file
        await pilot.press("enter")
        await settle(pilot)
        assert "ends in .ics" in status(app) and isinstance(app.screen, CalendarScreen)

        field.value = str(tmp_path / "mine")  # no ending: .ics is added
        app.screen.query_one("#calendar-every", TickBox).value = True
        await pilot.press("enter")
        await until(pilot, lambda: not isinstance(app.screen, CalendarScreen))
        assert not isinstance(app.screen, CalendarScreen)
        first = icalendar.Calendar.from_ical(mine.read_bytes())
        assert sum(len(ev.walk("VALARM")) for ev in first.walk("VEVENT")) > 12  # every step
        assert b"KAP session" in mine.read_bytes()

        # the same file again: told first, replaced on the second Save
        app.action_calendar()
        await settle(pilot)
        app.screen.query_one("#calendar-path", Input).value = str(mine)
        before = mine.read_bytes()
        await pilot.click("#save")
        await until(pilot, lambda: "already a file" in status(app))
        assert "already a file" in status(app) and mine.read_bytes() == before
        await pilot.press("ctrl+s")
        await until(pilot, lambda: not isinstance(app.screen, CalendarScreen))
        assert not isinstance(app.screen, CalendarScreen)
        again = icalendar.Calendar.from_ical(mine.read_bytes())
        assert sum(len(ev.walk("VALARM")) for ev in again.walk("VEVENT")) <= 12  # few again
        # every event the first file made is in the newer one, to be updated on import
        assert {str(e["uid"]) for e in again.walk("VEVENT")} >= {
            str(e["uid"]) for e in first.walk("VEVENT")
        }


async def test_no_sessions_and_a_missing_folder_are_told_calmly(
    data_dir: Path, seeded: Path, tmp_path: Path
) -> None:
    app = _app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.action_calendar()
        await settle(pilot)
        app.screen.query_one("#calendar-path", Input).value = str(tmp_path / "nowhere" / "c.ics")
        await pilot.press("enter")
        await settle(pilot)
        assert "There is no folder" in status(app) and "nowhere" in status(app)
        assert isinstance(app.screen, CalendarScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, CalendarScreen)
    empty = tmp_path / "empty"
    app = _app(empty)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("escape")  # the first-run welcome
        await settle(pilot)
        app.action_calendar()
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "Add a session first" in status(app)
    assert not (empty / "calendar" / "kapprep.ics").exists()


async def test_quiet_hours_are_set_in_the_dialog_and_kept(seeded: Path) -> None:
    from kapprep.settings import load_settings

    app = _app(seeded)
    target = seeded / "calendar" / "kapprep.ics"
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.action_calendar()
        await settle(pilot)
        quiet = app.screen.query_one("#calendar-quiet", Input)
        assert quiet.value == "22:00-07:00"
        quiet.value = "late"
        await pilot.press("ctrl+s")
        await until(pilot, lambda: "Nothing was written" in status(app))
        assert "like 22:00-07:00" in status(app) and not target.exists()
        quiet.value = "21:00-08:30"
        await pilot.press("ctrl+s")
        await until(pilot, lambda: not isinstance(app.screen, CalendarScreen))
    assert load_settings(app.ctx.store).quiet_hours == "21:00-08:30"
    cal = icalendar.Calendar.from_ical(target.read_bytes())
    for ev in cal.walk("VEVENT"):
        for al in ev.walk("VALARM"):
            at = (ev.decoded("dtstart") + al.decoded("trigger")).astimezone(ZONE)
            exempt = ev.decoded("dtstart") - at == timedelta(hours=2)  # the session's own
            assert exempt or (time(8, 30) <= at.time() < time(21, 0)), at
