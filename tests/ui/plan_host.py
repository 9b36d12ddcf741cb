"""A small host App for the plan and briefing screens, over a real Store in a temporary folder."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from textual.app import App
from textual.screen import Screen

from kapprep.checklists import ChecklistSet
from kapprep.store import Store
from kapprep.ui.context import AppContext

LONDON = ZoneInfo("Europe/London")
NOW = datetime(2026, 12, 1, 9, 0, tzinfo=LONDON)


def make_ctx(folder: Path) -> AppContext:
    store = Store.open(folder)
    store.set_setting("country", "GB")
    return AppContext(
        store=store,
        load_checklists=ChecklistSet,  # these screens do not use checklists: an empty set
        clock=lambda: NOW,
        monotonic=lambda: 0.0,
        zone=LONDON,
    )


class Host(App[None]):
    """Pushes one screen over an empty one; `app.home` pops it, as in the real app."""

    def __init__(self, ctx: AppContext, factory: Callable[[AppContext], Screen[Any]]) -> None:
        super().__init__()
        self.ctx = ctx
        self.factory = factory

    def on_mount(self) -> None:
        self.push_screen(self.factory(self.ctx))

    async def action_home(self) -> None:
        while len(self.screen_stack) > 1:
            await self.pop_screen()
