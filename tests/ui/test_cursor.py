"""Where the hidden cursor goes (issue 24, `kapprep.ui.cursor`), checked in the app with Pilot:
on the chosen radio button, on an open drop-down's highlighted row, on the focused tick box; and
only ever inside the screen. The same journeys in a real terminal are in tests/e2e."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Checkbox, OptionList, RadioSet, Select

from kapprep.ui.cursor import focus_offset

from .helpers import make_app, screen_lines


async def test_the_cursor_is_on_the_radio_button_being_chosen(seeded: Path) -> None:
    app = make_app(seeded)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("a")  # add a session: its form has "Where is it?" as radio buttons
        await pilot.pause()
        radios = app.screen.query_one(RadioSet)
        radios.focus()
        await pilot.pause()
        await pilot.press("down")
        await pilot.pause()
        buttons = list(radios.query_children())
        chosen = buttons[radios._selected or 0]
        assert radios._selected == 1
        assert app.cursor_position == (chosen.content_region.x, chosen.content_region.y)
        assert app.cursor_position.y != buttons[0].content_region.y


async def test_an_open_drop_down_puts_it_on_its_highlighted_row(seeded: Path) -> None:
    app = make_app(seeded)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("s")
        await pilot.pause()
        country = app.screen.query_one("#country", Select)
        country.focus()
        await pilot.pause()
        assert app.cursor_position == (country.content_region.x, country.content_region.y)
        await pilot.press("enter")
        await pilot.pause()
        for _ in range(5):
            await pilot.press("down")
        await pilot.pause()
        overlay = app.screen.focused
        assert isinstance(overlay, OptionList) and overlay.highlighted == 5
        assert focus_offset(overlay) == app.cursor_position
        label = str(overlay.get_option_at_index(5).prompt)
        row = screen_lines(app)[app.cursor_position.y]
        assert label in row, (label, row)


async def test_a_tick_box_has_it_at_its_start(seeded: Path) -> None:
    app = make_app(seeded)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("s")
        await pilot.pause()
        box = app.screen.query_one("#speech", Checkbox)
        box.focus()
        await pilot.pause()
        assert app.cursor_position == (box.content_region.x, box.content_region.y)
        width, height = app.size
        assert 0 <= app.cursor_position.x < width and 0 <= app.cursor_position.y < height
