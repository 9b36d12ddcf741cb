"""The patient's note for the helper (issue 20): the journal answer "What I want my support person
to know" reaches the briefing for that session only when the patient ticks "show this to my
support person", and leaves it again when they untick it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Static

from kapprep.journal_share import is_shared
from kapprep.ui.app import KapprepApp
from kapprep.ui.screens.briefing import BriefingScreen
from kapprep.ui.widgets.tickbox import TickBox

from .test_journal_screen import LONDON, make_app, open_journal, type_into

NOTE = "Please keep the curtains closed"


@pytest.fixture
def app(tmp_path: Path) -> Iterator[KapprepApp]:
    a = make_app(tmp_path / "data")
    yield a
    a.ctx.store.close()


async def _briefing_text(pilot: Pilot[Any]) -> str:
    app = pilot.app
    assert isinstance(app, KapprepApp)
    await app.push_screen(BriefingScreen(app.ctx))
    await pilot.pause()
    text = str(app.screen.query_one("#briefing-text", Static).render())
    app.pop_screen()
    await pilot.pause()
    return " ".join(text.split())


async def test_the_note_reaches_the_briefing_only_when_chosen(app: KapprepApp) -> None:
    session = app.ctx.store.add_session(datetime(2026, 10, 22, 10, tzinfo=LONDON))
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await open_journal(pilot)
        await type_into(pilot, "#intention-support", NOTE)
        tick = screen.query_one("#share-support", TickBox)
        assert not tick.value and not is_shared(app.ctx.store, session.id)
        assert NOTE not in await _briefing_text(pilot)  # written, but not chosen: not shown

        tick.focus()
        await pilot.press("space")  # "show this to my support person"
        await pilot.pause()
        assert tick.value and is_shared(app.ctx.store, session.id)
        text = await _briefing_text(pilot)
        assert "WANTS YOU TO KNOW" in text and NOTE in text

        screen.query_one("#share-support", TickBox).focus()
        await pilot.press("space")  # unticked: it leaves the briefing again
        await pilot.pause()
        assert not is_shared(app.ctx.store, session.id)
        assert NOTE not in await _briefing_text(pilot)


async def test_the_tick_is_per_session_and_read_back(app: KapprepApp) -> None:
    from kapprep.journal_share import set_shared

    first = app.ctx.store.add_session(datetime(2026, 10, 22, 10, tzinfo=LONDON))
    app.ctx.store.add_session(datetime(2026, 10, 29, 10, tzinfo=LONDON))
    set_shared(app.ctx.store, first.id, True, app.ctx.clock())
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await open_journal(pilot)
        assert screen.current is not None and screen.current.session_id == first.id
        assert screen.query_one("#share-support", TickBox).value
        await pilot.press("ctrl+f")  # the session after: nothing shared there
        await pilot.pause()
        assert not screen.query_one("#share-support", TickBox).value
