"""The Footer, with the crisis key always first and the screen keys listed on the home screen.

Textual's Footer lists the screen's keys, then the app's; at 80 columns the last ones fall off. The
crisis key must never fall off, so it goes first. The one-key-per-screen bindings (c, d, s, …) are
shown as a menu on the home screen instead of here, so the Footer has room for each screen's own
keys; they still work everywhere and are in help and the command palette.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widget import Widget
from textual.widgets import Footer
from textual.widgets._footer import FooterKey


class KapprepFooter(Footer):
    """Compact, crisis first, no screen-switching keys."""

    def __init__(self) -> None:
        super().__init__(compact=True)

    def compose(self) -> ComposeResult:
        widgets: list[Widget] = list(super().compose())
        keys = [
            w
            for w in widgets
            if not (isinstance(w, FooterKey) and w.action.startswith("app.open("))
        ]
        keys.sort(
            key=lambda w: (
                0 if isinstance(w, FooterKey) and w.action in ("crisis", "app.crisis") else 1
            )
        )
        yield from keys
