"""The Footer, with the crisis key always first and the screen keys listed on the home screen.

Textual's Footer lists the screen's keys, then the app's; at 80 columns the last ones fall off. The
crisis key must never fall off, so it goes first. The one-key-per-screen bindings (c, d, s, …) are
shown as a menu on the home screen instead of here, so the Footer has room for each screen's own
keys; they still work everywhere and are in help and the command palette.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

HOME_ONLY = ("reload", "quit", "app.reload", "app.quit")
"""Refresh and Quit are listed on the home screen only (they work everywhere)."""


class KapprepFooter(Footer):
    """Compact, crisis first, no screen-switching keys; Refresh, Quit and Ctrl+P on home only."""

    def __init__(self, *, home: bool = False) -> None:
        super().__init__(compact=True, show_command_palette=home)
        self.home = home
        # Textual's Footer waits for a "bindings updated" signal and composes its keys a frame
        # or two after the screen; the crisis key must be there in the first frame.
        self._bindings_ready = True

    def _hidden(self, widget: Widget) -> bool:
        if not isinstance(widget, FooterKey):
            return False
        return widget.action.startswith("app.open(") or (
            not self.home and widget.action in HOME_ONLY
        )

    def _signature(self) -> tuple[tuple[str, str, bool], ...]:
        return tuple(
            (binding.key, binding.description, enabled)
            for _, binding, enabled, _tip in self.screen.active_bindings.values()
            if binding.show
        )

    def bindings_changed(self, screen: Screen[object]) -> None:
        """Recompose only when the keys shown would change (each recompose is another frame)."""
        if screen is self.screen and self._signature() == getattr(self, "_composed", None):
            return
        super().bindings_changed(screen)

    def compose(self) -> ComposeResult:
        self._composed = self._signature()
        widgets: list[Widget] = list(super().compose())
        keys = [w for w in widgets if not self._hidden(w)]
        keys.sort(
            key=lambda w: (
                0 if isinstance(w, FooterKey) and w.action in ("crisis", "app.crisis") else 1
            )
        )
        yield from keys
