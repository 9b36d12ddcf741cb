"""The terminal cursor follows the focus, for braille displays and screen magnifiers.

Textual hides the terminal's cursor but, after every frame it writes, moves it to
`App.cursor_position`. Braille displays (and magnifiers and screen readers in review mode) follow
that hidden cursor, so `cursor_for` puts it where the patient is: on the highlighted row of a
list (an `OptionList`, and so a `SelectionList` or an open `Select`), on the chosen button of a
`RadioSet`, on the active tab of a tab bar, at the typing position of a text field (the cell an
`Input` draws its own cursor in; the place a `TextArea` gives itself), and otherwise at the start
of the focused widget. With nothing focused, a screen may say where it belongs (the Grounding
screen puts it on the pacer's word, "Breathe in", while an exercise runs). The app calls it just before each frame is written (`KapprepApp._display`),
when the layout and scrolling of that frame are known.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

from textual.geometry import Offset

if TYPE_CHECKING:
    from textual.screen import Screen
    from textual.widget import Widget
    from textual.widgets import Input, OptionList, RadioSet


def _kind(widget: Widget, module: str, name: str) -> bool:
    """Whether `widget` is a `name` from Textual's `module`, without importing it: a widget of a
    class never imported cannot be one (importing Input, RadioSet and Tabs here would cost the
    home screen's first frame ~7 ms)."""
    found: Any = getattr(sys.modules.get(f"textual.widgets.{module}"), name, None)
    return found is not None and isinstance(widget, found)


def cursor_for(screen: Screen[object]) -> Offset | None:
    """Where the cursor belongs on `screen` now: on its focus, or, with nothing focused (a
    breathing exercise running), where the screen's own `cursor_offset()` says (None: leave it)."""
    if screen.focused is not None:
        return focus_offset(screen.focused)
    anchor = getattr(screen, "cursor_offset", None)
    try:
        return anchor() if callable(anchor) else None
    except Exception:  # pragma: no cover - never worth a crash
        return None


def focus_offset(widget: Widget | None) -> Offset | None:
    """Where on the screen the cursor belongs for the focused `widget` (None: leave it)."""
    if widget is None or not widget.is_mounted or not widget.display:
        return None
    try:
        if _kind(widget, "_input", "Input"):
            return _typing(widget)  # type: ignore[arg-type]
        typing = getattr(widget, "cursor_screen_offset", None)  # TextArea
        if isinstance(typing, Offset):
            return typing
        if _kind(widget, "_option_list", "OptionList"):
            return _option_row(widget)  # type: ignore[arg-type]
        if _kind(widget, "_tabs", "Tabs"):
            tab = widget.active_tab  # type: ignore[attr-defined]
            return _start(tab) if tab is not None else _start(widget)
        if _kind(widget, "_radio_set", "RadioSet"):
            return _radio(widget)  # type: ignore[arg-type]
        return _start(widget)
    except Exception:  # pragma: no cover - a cursor in the wrong place is never worth a crash
        return None


def _start(widget: Widget) -> Offset:
    region = widget.content_region
    return Offset(region.x, region.y)


def _typing(field: Input) -> Offset:
    """The cell the next character typed goes into. (`Input.cursor_screen_offset` is one cell
    further at the end of the text, in Textual 8.2.8: past the cursor the field itself draws.)"""
    region = field.content_region
    cell = field._position_to_cell(field.cursor_position)
    x = region.x + cell - round(field.scroll_offset.x)
    return Offset(max(region.x, min(x, region.right - 1)), region.y)


def _option_row(options: OptionList) -> Offset:
    """The first line of the highlighted option, as drawn now (scrolling included)."""
    region = options.content_region
    index = options.highlighted
    lines: dict[int, int] = getattr(options, "_index_to_line", {})
    if index is None or index not in lines:
        return Offset(region.x, region.y)
    y = region.y + lines[index] - round(options.scroll_offset.y)
    return Offset(region.x, max(region.y, min(y, region.bottom - 1)))


def _radio(radios: RadioSet) -> Offset:
    index = getattr(radios, "_selected", None)
    buttons = list(radios.query_children())
    if index is not None and 0 <= index < len(buttons):
        return _start(buttons[index])
    return _start(radios)
