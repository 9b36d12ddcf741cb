"""Typing the printed check-in log into the app: from the Briefing screen (l), rows checked with
the fields kept, there after a restart, and in the journal export for the clinic."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Input, OptionList, Select, Static

from kapprep.checkins import CheckInError, check_in
from kapprep.journal import export as journal_export
from kapprep.ui.screens.briefing import BriefingScreen
from kapprep.ui.screens.checkins import CheckInScreen

from .test_journal_screen import LONDON, NOW, make_app


def _lines(app: Any) -> list[str]:
    rows = app.screen.query_one("#checkin-rows", OptionList)
    return [str(rows.get_option_at_index(i).prompt) for i in range(rows.option_count)]


async def _type(pilot: Any, **fields: str) -> None:
    screen = pilot.app.screen
    for name, value in fields.items():
        if name == "moment":
            screen.query_one("#checkin-moment", Select).value = value
        else:
            screen.query_one(f"#checkin-{name}", Input).value = value
    await pilot.pause()
    await pilot.press("ctrl+s")
    await pilot.pause()


async def _open_log(pilot: Any) -> None:
    app = pilot.app
    await app.push_screen(BriefingScreen(app.ctx))
    await pilot.pause()
    await pilot.press("l")
    await pilot.pause()
    assert isinstance(app.screen, CheckInScreen)


async def test_rows_typed_in_are_checked_kept_after_a_restart_and_exported(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    app = make_app(folder)
    app.ctx.store.add_session(datetime(2026, 10, 19, 10, tzinfo=LONDON), place_kind="home")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await _open_log(pilot)
        assert "Nothing typed in yet" in _lines(app)[0]
        await _type(pilot, time="09:40", seems="resting")  # before the session started
        error = str(app.screen.query_one("#checkin-error", Static).render())
        assert "the session started at 10:00; 09:40 is before it" in error
        assert app.screen.query_one("#checkin-seems", Input).value == "resting", "kept to fix"
        await _type(pilot, time="10:15")
        assert _lines(app) == ["10:15  resting"]
        await _type(pilot, moment="before", time="09:50", pressure="84/128")
        error = str(app.screen.query_one("#checkin-error", Static).render())
        assert "the first number is the larger one" in error
        await _type(pilot, pressure="128/84", pulse="72")
        await _type(pilot, moment="during", time="10:30", seems="asleep", note="snoring a bit")
        assert _lines(app) == [
            "09:50  before · blood pressure 128/84, pulse 72",
            "10:15  resting",
            "10:30  asleep · snoring a bit",
        ]
        rows = app.screen.query_one("#checkin-rows", OptionList)
        rows.focus()
        rows.highlighted = 2
        await pilot.press("delete")
        await pilot.pause()
        assert len(_lines(app)) == 2
    app.ctx.store.close()

    again = make_app(folder)  # a restart: the rows are still there
    async with again.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await _open_log(pilot)
        assert _lines(again) == [
            "09:50  before · blood pressure 128/84, pulse 72",
            "10:15  resting",
        ]
        md = journal_export.render(journal_export.document(again.ctx.store, NOW), "md").decode()
        assert "| 10:15 | resting |  |" in md
    again.ctx.store.close()


async def test_without_a_session_at_home_the_key_says_so(tmp_path: Path) -> None:
    app = make_app(tmp_path / "data")
    app.ctx.store.add_session(datetime(2026, 10, 19, 10, tzinfo=LONDON), place_kind="clinic")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await app.push_screen(BriefingScreen(app.ctx))
        await pilot.pause()
        await pilot.press("l")
        await pilot.pause()
        assert isinstance(app.screen, BriefingScreen)
        status = str(app.screen.query_one("#briefing-status", Static).render())
        assert "for a session at home" in status
    app.ctx.store.close()


async def test_a_mistake_takes_the_focus_to_the_field_it_names_in_sight(tmp_path: Path) -> None:
    """Enter in the Note field with the time wrong scrolled to the message at the top and left
    the focus in the Note field, out of sight below at 80x24: what was typed next went where
    nobody could see it, and the hidden cursor sat on the footer (seen in tmux)."""
    app = make_app(tmp_path / "data")
    app.ctx.store.add_session(datetime(2026, 10, 19, 10, tzinfo=LONDON), place_kind="home")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await _open_log(pilot)
        screen = app.screen
        screen.query_one("#checkin-time", Input).value = "25:00"
        note = screen.query_one("#checkin-note", Input)
        note.value = "dozing"
        note.focus()
        await pilot.pause()
        await pilot.press("enter")
        for _ in range(3):
            await pilot.pause()
        time = screen.query_one("#checkin-time", Input)
        assert screen.focused is time
        body = screen.query_one("#settings-body").content_region
        error = screen.query_one("#checkin-error", Static)
        assert "Time: write it as HH:MM" in str(error.render())
        assert body.contains_region(time.region) and body.contains_region(error.region)
        assert app.cursor_position.y == time.region.y
        await pilot.press("1", "0", ":", "1", "5")
        assert time.value.endswith("10:15"), "what is typed next goes into the field in sight"
        screen.query_one("#checkin-time", Input).value = "10:15"
        screen.query_one("#checkin-pulse", Input).value = "7z"
        note.focus()
        await pilot.pause()
        await pilot.press("enter")
        for _ in range(3):
            await pilot.pause()
        assert screen.focused is screen.query_one("#checkin-pulse", Input)


def test_every_check_in_message_names_its_field() -> None:
    start = datetime(2026, 10, 19, 10, tzinfo=LONDON)
    now = datetime(2026, 10, 19, 14, tzinfo=LONDON)
    cases = {
        "moment": {"moment": "later", "time": "10:15"},
        "time": {"moment": "during", "time": "9"},
        "pressure": {"moment": "during", "time": "10:15", "pressure": "80/120"},
        "pulse": {"moment": "during", "time": "10:15", "pulse": "fast"},
        "seems": {"moment": "during", "time": "10:15"},
        "note": {"moment": "during", "time": "10:15", "note": "x" * 501},
    }
    for field, typed in cases.items():
        with pytest.raises(CheckInError) as caught:
            check_in(1, start, now, **typed)
        assert CheckInScreen._field_of(str(caught.value)) == field, (field, str(caught.value))
    with pytest.raises(CheckInError) as caught:
        check_in(1, start, now, moment="after", time="12:00")
    assert CheckInScreen._field_of(str(caught.value)) == "pressure"
