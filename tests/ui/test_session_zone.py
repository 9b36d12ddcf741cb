"""Every time of a session in that session's zone, named where this computer's clock differs:
home, checklist, day-of and journal, and the zone typed on the session form."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from textual.widgets import Digits, Input, OptionList, Static

from kapprep.store import Store
from kapprep.ui.app import build_app

from .helpers import CHECKLISTS, screen_lines

LA = ZoneInfo("America/Los_Angeles")
UTC_ZONE = ZoneInfo("UTC")
START = datetime(2026, 12, 3, 9, 30, tzinfo=LA)
NOW = datetime(2026, 12, 2, 12, 0, tzinfo=LA)  # the day before, at noon in Los Angeles


def _app(data: Path, computer: ZoneInfo):  # type: ignore[no-untyped-def]
    return build_app(
        data_dir=data,
        checklist_dirs=[CHECKLISTS],
        clock=lambda: NOW.astimezone(computer),
        monotonic=lambda: 0.0,
        zone=computer,
    )


@pytest.fixture
def data(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    with Store.open(folder) as store:
        store.add_session(START, clinic="Calm Clinic")
        store.set_setting("welcome_done", True)
    return folder


async def _pause(pilot, n: int = 3) -> None:  # type: ignore[no-untyped-def]
    for _ in range(n):
        await pilot.pause()


@pytest.mark.parametrize(
    ("computer", "named"), [(UTC_ZONE, True), (LA, False)], ids=["utc-computer", "la-computer"]
)
async def test_session_times_in_the_sessions_zone_named_where_the_computer_differs(
    data: Path, computer: ZoneInfo, named: bool
) -> None:
    app = _app(data, computer)
    async with app.run_test(size=(100, 40)) as pilot:
        await _pause(pilot, 4)
        home = "\n".join(screen_lines(app))
        assert "09:30" in home  # never 17:30, the UTC clock time
        assert ("09:30 Los Angeles time" in home) is named
        assert "17:30" not in home

        await pilot.press("c")
        await _pause(pilot)
        rows = [str(o.prompt) for o in app.screen.query_one("#items", OptionList).options]
        timed = [r for r in rows if ":" in r]
        assert timed and all(("Los Angeles time" in r) is named for r in timed)

        await pilot.press("escape", "d")
        await _pause(pilot)
        await pilot.press("right")  # the second card: the session itself
        await _pause(pilot)
        card = str(app.screen.query_one("#dayof-text", Static).render())
        assert "09:30" in card and ("Los Angeles time" in card) is named
        digits = app.screen.query_one("#dayof-digits", Digits)
        assert digits.value == "09:30"  # the big digits on the session's clocks too, not 17:30

        await pilot.press("escape", "j")
        await _pause(pilot)
        journal = "\n".join(screen_lines(app))
        assert "3 December 2026, 09:30" in journal
        assert ("09:30 Los Angeles time" in journal) is named


async def test_the_session_form_asks_for_the_zone(data: Path) -> None:
    app = _app(data, UTC_ZONE)
    async with app.run_test(size=(100, 40)) as pilot:
        await _pause(pilot, 4)
        await pilot.press("a")
        await _pause(pilot)
        zone = app.screen.query_one("#zone", Input)
        assert zone.value == "UTC"  # this computer's, to change
        app.screen.query_one("#start", Input).value = "10 Dec 09:30"
        zone.value = "IST"
        await pilot.press("ctrl+s")
        await _pause(pilot)
        assert "can mean Asia/Kolkata, Europe/Dublin or Asia/Jerusalem" in str(
            app.screen.query_one("#zone-error", Static).render()
        )
        zone.value = "los angeles"
        await pilot.press("ctrl+s")
        await _pause(pilot)
        with Store.open(data) as store:
            added = store.sessions()[-1]
        assert added.tz == "America/Los_Angeles"
        assert added.start == datetime(2026, 12, 10, 9, 30, tzinfo=LA)


async def test_editing_the_zone_keeps_the_clock_time_and_says_so(data: Path) -> None:
    app = _app(data, UTC_ZONE)
    async with app.run_test(size=(100, 40)) as pilot:
        await _pause(pilot, 4)
        listing = app.screen.query_one("#sessions", OptionList)
        listing.focus()
        listing.highlighted = 0
        await pilot.press("enter")
        await _pause(pilot)
        menu = app.screen.query_one("#menu", OptionList)
        menu.highlighted = next(i for i, o in enumerate(menu.options) if o.id == "edit")
        await pilot.press("enter")
        await _pause(pilot)
        assert app.screen.query_one("#start", Input).value == "2026-12-03 09:30"  # its own clock
        assert app.screen.query_one("#zone", Input).value == "America/Los_Angeles"
        said = " ".join(str(w.render()) for w in app.screen.query(".hint"))
        assert "keeps the clock time typed above" in said
        app.screen.query_one("#zone", Input).value = "London"
        await pilot.press("ctrl+s")
        await _pause(pilot)
    with Store.open(data) as store:
        moved = store.sessions()[0]
    assert (moved.tz, f"{moved.start:%H:%M}") == ("Europe/London", "09:30")
