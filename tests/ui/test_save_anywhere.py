"""Saving where the patient wants: the journal export into a chosen folder, asked before replacing."""

from __future__ import annotations

import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Input, Static

from kapprep.ui.app import KapprepApp
from kapprep.ui.screens.journal import JournalScreen
from kapprep.ui.screens.save_as import SaveAsScreen

from .test_journal_screen import add_sessions, make_app, open_journal


@pytest.fixture
def app(tmp_path: Path) -> Iterator[KapprepApp]:
    a = make_app(tmp_path / "data")
    yield a
    a.ctx.store.close()


async def test_the_journal_export_goes_to_a_chosen_folder_and_asks_before_replacing(
    app: KapprepApp, tmp_path: Path
) -> None:
    add_sessions(app.ctx)
    stick = tmp_path / "stick"
    stick.mkdir()
    names = {f"journal-2026-10-20.{fmt}" for fmt in ("md", "html", "pdf")}
    async with app.run_test(size=(80, 24)) as pilot:
        await open_journal(pilot)
        for attempt in range(2):
            await pilot.press("ctrl+s")
            await app.workers.wait_for_complete()
            await pilot.pause()
            dialog = app.screen
            assert isinstance(dialog, SaveAsScreen)
            field = dialog.query_one("#save-as-path", Input)
            assert field.value == str(Path(app.ctx.store.folder) / "exports")  # the default
            field.value = str(stick)
            await pilot.press("enter")
            await pilot.pause()
            if attempt == 0:
                assert isinstance(app.screen, JournalScreen)
                assert {p.name for p in stick.iterdir()} == names
                for p in stick.iterdir():
                    assert stat.S_IMODE(p.stat().st_mode) == 0o600
                (stick / "journal-2026-10-20.md").write_text("mine", encoding="utf-8")
        assert isinstance(app.screen, SaveAsScreen), "asked before replacing"
        status = str(app.screen.query_one("#calendar-status", Static).render())
        assert "There is already a file at" in status and "journal-2026-10-20.md" in status
        assert (stick / "journal-2026-10-20.md").read_text(encoding="utf-8") == "mine"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, JournalScreen)
        assert (stick / "journal-2026-10-20.md").read_text(encoding="utf-8") != "mine"
        default = Path(app.ctx.store.folder) / "exports"
        assert not list(default.glob("journal-*")), "nothing in the default folder"


async def test_the_maps_setting_puts_map_links_on_the_saved_phone_page(
    app: KapprepApp, tmp_path: Path
) -> None:
    from kapprep import plan as plans
    from kapprep.ui.screens.briefing import BriefingScreen
    from kapprep.ui.widgets.tickbox import TickBox

    plans.set_field(app.ctx.store, "home_address", "4 Elm Road, Leeds")

    async def save_page(pilot: Any, target: Path) -> str:
        await app.push_screen(BriefingScreen(app.ctx))
        await pilot.pause()
        await pilot.press("w")
        await app.workers.wait_for_complete()
        await pilot.pause()
        app.screen.query_one("#save-as-path", Input).value = str(target)
        await pilot.press("enter")
        await pilot.pause()
        return target.read_text(encoding="utf-8")

    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "openstreetmap" not in await save_page(pilot, tmp_path / "off.html")  # the default
        await pilot.press("s")  # Settings: tick the map links
        await pilot.pause()
        box = app.screen.query_one("#maps", TickBox)
        assert box.value is False
        box.value = True
        await pilot.pause()
        assert app.ctx.store.get_setting("maps_link") is True
        await pilot.press("escape")
        await pilot.pause()
        page = await save_page(pilot, tmp_path / "on.html")
        assert "openstreetmap.org/search?query=4%20Elm%20Road%2C%20Leeds" in page
