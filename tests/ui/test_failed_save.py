"""A save that fails (the disk went away) is told calmly where it happened, what was typed stays,
and the screen goes on answering keys: on the plan and the grounding screens, as on the rest.

The store is closed under the screen, so every write raises `StoreError` (a `KapprepError`):
the same path a full disk or a removed folder takes."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from textual.app import App
from textual.widgets import Input, OptionList, Static

from kapprep.checklists import ChecklistSet
from kapprep.store import Store
from kapprep.ui.context import AppContext
from kapprep.ui.screens.grounding import GroundingScreen
from kapprep.ui.screens.plan import PlanScreen

from .plan_host import Host, make_ctx

ZONE = ZoneInfo("Europe/London")
NOW = datetime(2026, 12, 2, 18, 0, tzinfo=ZONE)


def told(app: App[None]) -> list[str]:
    return [str(n.message) for n in app._notifications]


@pytest.fixture(autouse=True)
def _no_user_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KAPPREP_CONFIG", str(tmp_path / "config"))


@pytest.fixture
def ctx(tmp_path: Path) -> Iterator[AppContext]:
    c = make_ctx(tmp_path / "data")
    yield c
    c.store.close()


async def test_plan_a_failed_save_keeps_the_text_and_the_screen_answers(ctx: AppContext) -> None:
    app = Host(ctx, PlanScreen)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, PlanScreen)
        field = screen.query_one("#f-clinic", Input)
        field.focus()
        await pilot.pause()
        ctx.store.close()  # as if the disk went away
        await pilot.press(*"Calm Clinic", "tab")
        await pilot.pause()
        assert app.is_running and app.screen is screen
        error = screen.query_one("#err-f-clinic", Static)
        assert error.display and "That was not saved" in str(error.render())
        assert any(m.startswith("That was not saved") for m in told(app))
        assert field.value == "Calm Clinic"  # what was typed is kept
        # The screen still answers keys: the next field takes typing...
        nxt = screen.focused
        assert isinstance(nxt, Input) and nxt is not field
        await pilot.press("x")
        await pilot.pause()
        assert nxt.value.endswith("x")
        # ...and Escape stays, so nothing typed is lost by leaving.
        field.focus()
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen and field.value == "Calm Clinic"


class GroundingHost(App[None]):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx

    def on_mount(self) -> None:
        self.push_screen(GroundingScreen(self.ctx))

    def action_home(self) -> None:
        pass


async def test_grounding_a_failed_save_keeps_the_rating_and_the_screen_answers(
    tmp_path: Path,
) -> None:
    store = Store.open(tmp_path / "data")
    ctx = AppContext(store, ChecklistSet, lambda: NOW, lambda: 100.0, ZONE)
    app = GroundingHost(ctx)
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            screen = app.screen
            before = screen.query_one("#calm-before", Input)
            before.focus()
            await pilot.press("4")
            store.close()  # as if the disk went away
            await pilot.press("enter")  # start: the practice cannot be logged
            await pilot.pause()
            assert app.is_running and app.screen is screen
            assert any(m.startswith("That was not saved") for m in told(app))
            assert not screen.running  # nothing started that could not be logged
            assert before.value == "4"  # the rating typed is kept
            patterns = screen.query_one("#patterns", OptionList)
            patterns.focus()
            await pilot.pause()
            first = patterns.highlighted
            await pilot.press("down")
            await pilot.pause()
            assert patterns.highlighted != first  # the screen still answers keys
    finally:
        store.close()
