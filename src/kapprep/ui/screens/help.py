"""Help: what kapprep is and is not, and every key, built from the app's own bindings."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from kapprep.ui.context import AppContext
from kapprep.ui.keys import CRISIS_BINDINGS
from kapprep.ui.widgets.footer import KapprepFooter

ABOUT = (
    "kapprep is a companion for preparing for ketamine-assisted therapy sessions: checklists timed "
    "to your session, notes, and crisis information one key away. It is not a clinician and gives "
    "no medical or dosing advice: follow your clinic's instructions. Everything stays on this "
    "computer."
)


def key_label(key: str) -> str:
    names = {
        "question_mark": "?",
        "exclamation_mark": "!",
        "space": "Space",
        "escape": "Esc",
        "ctrl+e": "Ctrl+E",
        "ctrl+p": "Ctrl+P",
        "ctrl+s": "Ctrl+S",
        "ctrl+q": "Ctrl+Q",
        "left": "←",
        "right": "→",
    }
    return names.get(key, key)


class HelpScreen(ModalScreen[None]):
    """Lists the keys of the screen underneath and of the whole app."""

    BINDINGS: ClassVar[list[BindingType]] = [
        *CRISIS_BINDINGS,
        Binding("escape", "close", "Close", id="help-close", tooltip="Close help"),
    ]
    """Escape closes help."""

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx

    def compose(self) -> ComposeResult:
        stack = self.app.screen_stack
        under = stack[stack.index(self) - 1] if self in stack and stack.index(self) > 0 else None
        # A two-column grid, so a long description wraps under itself and the keys stay a
        # column of their own at 60 columns too (a plain line wrapped back to the left edge).
        keys = Table.grid(padding=(0, 1))
        keys.add_column(no_wrap=True, style="bold")
        keys.add_column()
        seen: set[str] = set()
        sources = [("This screen", under._bindings if under else None), ("Everywhere", None)]
        for title, bindings in sources:
            rows = bindings if bindings is not None else self.app._bindings
            grouped: dict[str, tuple[list[str], Binding]] = {}
            for key, binding in rows:
                # Textual's own keys (Tab, copy) have no id; ours all do.
                if binding.id is None or not binding.description or key in seen:
                    continue
                seen.add(key)
                grouped.setdefault(binding.action, ([], binding))[0].append(key_label(key))
            keys.add_row(Text(title, style="bold underline"), "")
            for names, binding in grouped.values():
                said = Text(binding.description)
                if binding.tooltip:
                    said.append(f" — {binding.tooltip}", style="dim")
                keys.add_row(Text(f"  {' or '.join(names)}"), said)
        keys.add_row(Text("  Ctrl+P"), Text("Search every action"))
        keys.add_row(Text("  Ctrl+Q"), Text("Quit (everything is already saved)"))
        with VerticalScroll(classes="dialog", id="help-box"):
            yield Static("Help", classes="dialog-title")
            yield Static(ABOUT, id="about", classes="para")
            yield Static(keys, id="keys")
            yield Static("Escape closes help.", classes="hint")
        yield KapprepFooter()

    def action_close(self) -> None:
        self.dismiss(None)
