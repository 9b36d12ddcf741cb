"""A checkbox whose state is a symbol, not only a colour.

Textual's Checkbox draws the same "X" ticked or not and tells them apart by colour; under
NO_COLOR or an ANSI theme both look alike. Here a ticked box shows "X" and an empty one a blank.
"""

from __future__ import annotations

from textual.widgets import Checkbox


class TickBox(Checkbox):
    """A Checkbox showing ▐X▌ when ticked and ▐ ▌ when not, in any colour scheme."""

    BUTTON_INNER = " "
    """Blank until ticked; `_show_state` puts the X in."""

    def on_mount(self) -> None:
        self._show_state()

    def watch_value(self) -> None:
        self._show_state()
        super().watch_value()

    def _show_state(self) -> None:
        self.BUTTON_INNER = "X" if self.value else " "
        self.refresh()
