"""Markup typed into a field is shown as typed and never parsed: `zz [a="]x` in the date field
stopped the app and lost the form (a MarkupError), and `[reverse]` styled the message."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, Static

from kapprep.ui.screens.session_form import SessionFormScreen

from .helpers import make_app

TYPED = 'zz [a="]x [reverse]R'
"""Markup that Textual cannot parse, then a style it would apply."""


async def _pause(pilot, n: int = 3) -> None:  # type: ignore[no-untyped-def]
    for _ in range(n):
        await pilot.pause()


async def test_markup_in_the_session_forms_fields_is_shown_as_typed(seeded: Path) -> None:
    app = make_app(seeded)
    async with app.run_test(size=(100, 40)) as pilot:
        await _pause(pilot, 4)
        await pilot.press("a")
        await _pause(pilot)
        assert isinstance(app.screen, SessionFormScreen)
        for field in ("start", "zone", "phone"):
            for other in ("start", "zone", "phone"):  # one mistake at a time
                app.screen.query_one(f"#{other}", Input).value = {
                    "start": "17 Dec 10:00",
                    "zone": "UTC",
                    "phone": "",
                }[other]
            app.screen.query_one(f"#{field}", Input).value = TYPED
            await pilot.press("ctrl+s")
            await _pause(pilot)
            assert isinstance(app.screen, SessionFormScreen), field  # still here, form kept
            error = app.screen.query_one(f"#{field}-error", Static)
            assert error.display, field  # the mistake is told beside the field
            if field == "zone":  # this one quotes what was typed: as typed
                assert 'zz [a="]x [reverse]R' in str(error.render())
            assert not error.render().spans or "reverse" not in str(error.render().spans)
        assert app.return_code is None


async def test_markup_in_the_checklists_dialogs_is_shown_as_typed(seeded: Path) -> None:
    app = make_app(seeded)
    async with app.run_test(size=(100, 40)) as pilot:
        await _pause(pilot, 4)
        await pilot.press("c", "right")  # the day of: Stop eating (clinic decides) first
        await _pause(pilot)
        await pilot.press("o")
        await _pause(pilot)
        await pilot.press(*TYPED, "enter")
        await _pause(pilot)
        assert app.screen.query_one("#clinic-time-error", Static).display
        assert app.return_code is None  # the dialog is still there, nothing stopped
        await pilot.press("escape", "n")
        await _pause(pilot)
        await pilot.press(*TYPED, "enter")
        await _pause(pilot)
        assert app.ctx.store.notes(1) == {"stop-eating": TYPED}
        assert TYPED in str(app.screen.query_one("#detail", Static).render())


async def test_a_data_folder_whose_name_looks_like_markup_is_shown_as_it_is(
    tmp_path: Path,
) -> None:
    from kapprep.store import Store

    for name in ("My Data [backup]", 'odd [a="] [/] name'):
        folder = tmp_path / name
        with Store.open(folder) as store:
            store.set_setting("welcome_done", True)
        app = make_app(folder)
        async with app.run_test(size=(100, 40)) as pilot:
            await _pause(pilot, 4)
            await pilot.press("s")
            await _pause(pilot)
            shown = str(app.screen.query_one("#data-folder", Static).render())
            assert shown == str(folder), name
            await pilot.press("escape")
            await _pause(pilot)
            assert app.is_running
