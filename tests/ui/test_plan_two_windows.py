"""Two windows on one plan (issue 15): the app writes only the field it changed, keeps the phone
the command line changed meanwhile, and says so when the command line changed the same field."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from textual.widgets import Input, Static

from kapprep import plan as plans
from kapprep.cli import main
from kapprep.ui.context import AppContext
from kapprep.ui.screens.plan import PlanScreen

from .plan_host import Host, make_ctx

FIRST = "+44 113 496 0001"
CHANGED = "+44 113 496 0002"


@pytest.fixture
def ctx(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AppContext:
    monkeypatch.setenv("KAPPREP_CONFIG", str(tmp_path / "config"))
    monkeypatch.setattr(sys.stdin, "isatty", lambda: False)
    c = make_ctx(tmp_path / "data")
    plans.add_person(c.store, plans.Person(name="Sam", phone=FIRST), "GB")
    yield c
    c.store.close()


def other_window_changes_the_phone(ctx: AppContext) -> None:
    folder = str(ctx.store.folder)
    assert main(["--data-dir", folder, "plan", "person", "edit", "Sam", "--phone", CHANGED]) == 0


async def test_the_app_keeps_the_phone_another_window_changed(ctx: AppContext) -> None:
    pid = plans.load_plan(ctx.store).people[0].id
    app = Host(ctx, PlanScreen)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        other_window_changes_the_phone(ctx)  # while the app shows the old phone
        notes = app.screen.query_one(f"#p-{pid}-notes", Input)
        notes.focus()
        await pilot.pause()
        await pilot.press(*"spare key", "tab")
        await pilot.pause()
        person = plans.load_plan(ctx.store).people[0]
        assert (person.phone, person.notes) == (CHANGED, "spare key")
        # The form now shows the other window's phone, so leaving it writes nothing stale.
        phone = app.screen.query_one(f"#p-{pid}-phone", Input)
        assert phone.value == CHANGED
        phone.focus()
        await pilot.pause()
        await pilot.press("tab")
        await pilot.pause()
        assert plans.load_plan(ctx.store).people[0].phone == CHANGED


async def test_the_other_windows_change_to_the_same_field_is_told(ctx: AppContext) -> None:
    pid = plans.load_plan(ctx.store).people[0].id
    app = Host(ctx, PlanScreen)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        other_window_changes_the_phone(ctx)
        phone = app.screen.query_one(f"#p-{pid}-phone", Input)
        phone.focus()
        await pilot.pause()
        phone.value = ""
        await pilot.press(*"0113 496 0003", "tab")
        await pilot.pause()
        error = app.screen.query_one(f"#err-p-{pid}-phone", Static)
        assert error.display and "changed in another kapprep window" in str(error.render())
        assert plans.load_plan(ctx.store).people[0].phone == CHANGED
