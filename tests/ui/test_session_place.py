"""The session form asks where the session is (at the clinic, at home, somewhere else), with the
keyboard only, and keeps it when the session is edited (issue 20)."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, RadioButton, RadioSet

from kapprep.ui.screens.session_form import SessionFormScreen

from .helpers import make_app


async def _pause(pilot, n: int = 3) -> None:  # type: ignore[no-untyped-def]
    for _ in range(n):
        await pilot.pause()


async def test_a_session_at_home_is_saved_from_the_form_with_the_keyboard(seeded: Path) -> None:
    app = make_app(seeded)
    async with app.run_test(size=(100, 40)) as pilot:
        await _pause(pilot, 4)
        await pilot.press("a")
        await _pause(pilot)
        form = app.screen
        assert isinstance(form, SessionFormScreen)
        form.query_one("#start", Input).value = "17 Dec 10:00"
        form.query_one("#zone", Input).value = "UTC"
        radios = form.query_one("#place-kind", RadioSet)
        assert radios.pressed_button is None  # nothing is assumed
        radios.focus()
        await pilot.press("right", "enter")  # the second choice: at home
        await _pause(pilot)
        assert form.query_one("#place-home", RadioButton).value
        await pilot.press("ctrl+s")
        await _pause(pilot)
        saved = [s for s in app.ctx.store.sessions() if s.start.day == 17]
        assert [s.place_kind for s in saved] == ["home"]


async def test_editing_keeps_the_kind_and_can_change_it(seeded: Path) -> None:
    """And the chosen place shows by its symbol, ▐●▌, the others ▐ ▌: Textual draws ▐●▌ on
    every radio button and tells the pressed one by colour only, so under NO_COLOR, or to a
    braille display, "At the clinic" and "At home" looked alike (seen in tmux at 80x24)."""
    app = make_app(seeded)
    session = app.ctx.store.sessions()[0]
    app.ctx.store.update_session(session.id, place_kind="home")
    async with app.run_test(size=(100, 40)) as pilot:
        await _pause(pilot, 4)
        app.push_screen(SessionFormScreen(app.ctx, app.ctx.store.session(session.id)))
        await _pause(pilot)
        form = app.screen

        def drawn(kind: str) -> str:
            return form.query_one(f"#place-{kind}", RadioButton).render_line(0).text

        assert form.query_one("#place-home", RadioButton).value
        assert "●" in drawn("home")
        assert "●" not in drawn("clinic") and "●" not in drawn("other")
        form.query_one("#place-clinic", RadioButton).value = True
        await _pause(pilot)
        assert "●" in drawn("clinic") and "●" not in drawn("home")
        await pilot.press("ctrl+s")
        await _pause(pilot)
        assert app.ctx.store.session(session.id).place_kind == "clinic"  # type: ignore[union-attr]
