"""The screens one key opens from anywhere: one `ScreenSpec` line each.

Each gets its key in the Footer, an entry in the command palette, a line in the help screen and
on home's menu. The screen's module is imported when first opened, so start-up pays only for
home. Kept apart from the app so that home can list the screens without importing the app.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module
from typing import TYPE_CHECKING, Any

from textual.binding import Binding

if TYPE_CHECKING:
    from textual.screen import Screen

    from kapprep.ui.context import AppContext

__all__ = ["SCREENS", "ScreenSpec"]


@dataclass(frozen=True, slots=True)
class ScreenSpec:
    """One screen the patient can open with one key from anywhere."""

    name: str
    key: str
    title: str
    target: str
    """ "module:Class"; the class is built as `Class(ctx)` and imported on first use."""
    description: str

    def build(self, ctx: AppContext) -> Screen[Any]:
        module, _, cls = self.target.partition(":")
        screen: Screen[Any] = getattr(import_module(module), cls)(ctx)
        return screen

    def binding(self) -> Binding:
        return Binding(
            self.key,
            f"app.open('{self.name}')",
            self.title,
            id=f"open-{self.name}",
            tooltip=self.description,
        )


SCREENS: tuple[ScreenSpec, ...] = (
    ScreenSpec(
        "checklist",
        "c",
        "Checklist",
        "kapprep.ui.screens.checklist:ChecklistScreen",
        "Tick off what you have done, read why, add notes",
    ),
    ScreenSpec(
        "dayof",
        "d",
        "Day of",
        "kapprep.ui.screens.dayof:DayOfScreen",
        "Large and simple: one thing at a time on the day of your session",
    ),
    ScreenSpec(
        "grounding",
        "g",
        "Grounding",
        "kapprep.ui.screens.grounding:GroundingScreen",
        "Breathing and grounding exercises, and your practice log",
    ),
    ScreenSpec(
        "plan",
        "p",
        "Plan",
        "kapprep.ui.screens.plan:PlanScreen",
        "Who helps you, how and when; what helps; what to watch for",
    ),
    ScreenSpec(
        "briefing",
        "b",
        "Briefing",
        "kapprep.ui.screens.briefing:BriefingScreen",
        "What your support person gets: preview, save, print",
    ),
    ScreenSpec(
        "journal",
        "j",
        "Journal",
        "kapprep.ui.screens.journal:JournalScreen",
        "Intentions before, integration notes after, ratings and questions",
    ),
    ScreenSpec(
        "settings",
        "s",
        "Settings",
        "kapprep.ui.screens.settings:SettingsScreen",
        "Theme, clock, emergency number, crisis lines",
    ),
)
"""Every screen reachable by one key; the home screen is always underneath."""
