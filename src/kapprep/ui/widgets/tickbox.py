"""A checkbox (and a radio button) whose state is a symbol, not only a colour.

Textual's Checkbox draws the same "X" ticked or not and tells them apart by colour; under
NO_COLOR or an ANSI theme both look alike. Here a ticked box shows "X" and an empty one a blank.
"""

from __future__ import annotations

from typing import TypeVar

from rich.segment import Segment
from textual.strip import Strip
from textual.widgets import Checkbox, RadioButton, SelectionList
from textual.widgets._toggle_button import ToggleButton
from textual.widgets.option_list import OptionDoesNotExist

SelectType = TypeVar("SelectType")


class _MarkWhenOn:
    """Shows `MARK` inside the button when its value is on and a blank when off, so the state
    never rests on colour alone (Textual draws the same mark on every button)."""

    MARK = "X"
    BUTTON_INNER = " "
    value: bool

    def on_mount(self) -> None:
        self._show_state()

    def watch_value(self) -> None:
        self._show_state()
        super().watch_value()  # type: ignore[misc]

    def _show_state(self) -> None:
        self.BUTTON_INNER = self.MARK if self.value else " "
        self.refresh()  # type: ignore[attr-defined]


class TickBox(_MarkWhenOn, Checkbox):
    """A Checkbox showing ▐X▌ when ticked and ▐ ▌ when not, in any colour scheme."""


class RadioDot(_MarkWhenOn, RadioButton):
    """A RadioButton showing ▐●▌ when chosen and ▐ ▌ when not: Textual draws the dot on every
    button of a RadioSet and tells the chosen one by colour only."""

    MARK = "●"


class TickList(SelectionList[SelectType]):
    """A SelectionList whose boxes show ▐X▌ when chosen and ▐ ▌ when not, in any colour scheme.

    Textual draws the same "X" in every box and tells chosen ones apart by colour only; under
    NO_COLOR a done action step and an open one looked alike (seen at 80×24 in the journal).
    """

    def render_line(self, y: int) -> Strip:
        strip = super().render_line(y)
        try:
            selection = self.get_option_at_index(self.scroll_offset.y + y)
        except OptionDoesNotExist:
            return strip
        if selection.value in self.selected:
            return strip
        segments = list(strip)
        if len(segments) < 2 or segments[1].text != ToggleButton.BUTTON_INNER:
            return strip
        segments[1] = Segment(" ", segments[1].style, segments[1].control)
        return Strip(segments, strip.cell_length)
