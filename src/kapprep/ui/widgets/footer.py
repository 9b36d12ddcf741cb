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
        # Textual's Footer composes its keys a frame after the screen (on its "bindings updated"
        # signal). On home they are composed with the screen instead (see compose): a second
        # frame is a full layout of home, dearer than the keys themselves.

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

    _wanted: tuple[tuple[str, str, bool], ...] | None = None
    """The keys of the recompose last asked for: Textual's Footer queues one per signal, and a
    screen's start sends several (each recompose is ~8 ms and another frame)."""

    def bindings_changed(self, screen: Screen[object]) -> None:
        """Recompose only when the keys shown would change."""
        signature = self._signature()
        if screen is self.screen and signature == self._wanted:
            return
        super().bindings_changed(screen)
        if screen is self.screen and self.app.app_focus:
            self._wanted = signature

    def compose(self) -> ComposeResult:
        if self.home and not self._bindings_ready:
            # Home's keys in its first frame. The signal that follows recomposes only if the
            # keys it finds differ from these (bindings_changed).
            self.set_reactive(Footer._bindings_ready, True)
            self._wanted = self._signature()
        if not self._bindings_ready:  # composed again on the first "bindings updated" signal
            return
        widgets: list[Widget] = list(super().compose())
        keys = [w for w in widgets if not self._hidden(w)]
        keys.sort(
            key=lambda w: (
                0 if isinstance(w, FooterKey) and w.action in ("crisis", "app.crisis") else 1
            )
        )
        yield from keys
