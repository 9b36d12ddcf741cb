"""Keys shared by every screen, modal ones included (a modal screen hides the app's own keys)."""

from __future__ import annotations

from textual.binding import Binding

CRISIS_KEY = "ctrl+e"
"""The crisis panel: a Ctrl key works in every terminal, even while typing in a field (F-keys
are taken by some terminals, e.g. F1 opens GNOME Terminal's help, and need Fn on many laptops)."""

CRISIS_TOOLTIP = "Emergency number, your clinic and crisis lines"

CRISIS_BINDINGS = (
    Binding(CRISIS_KEY, "app.crisis", "Crisis", priority=True, id="crisis", tooltip=CRISIS_TOOLTIP),
    Binding(
        "exclamation_mark",
        "app.crisis",
        "Crisis",
        show=False,
        id="crisis-alt",
        tooltip=CRISIS_TOOLTIP,
    ),
)
"""Ctrl+E everywhere (priority: it works inside text fields); ! when not typing."""
