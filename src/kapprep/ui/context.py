"""What every screen is given: the store, the active checklists, a clock and the settings.

Screens take an `AppContext` in their constructor and read and write only through it, so Pilot
tests can build a screen with a temporary store and a fixed clock.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, tzinfo
from functools import cached_property
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kapprep.checklists import ChecklistSet
    from kapprep.store import Store


@dataclass
class AppContext:
    store: Store
    load_checklists: Callable[[], ChecklistSet]
    """Reads the checklists; called once, when a screen first needs `checklists` (home, for its
    first frame). While no file changed they come from the JSON cache (`checklist_cache`):
    reading YAML (importing PyYAML, ~12 ms, and parsing, ~4 ms) would delay that frame by a
    tenth."""
    clock: Callable[[], datetime]
    """Wall-clock now, aware, in the user's zone (tests pass a fixed clock)."""
    monotonic: Callable[[], float]
    """Monotonic seconds, for timers and the pacer (tests pass a fake)."""
    zone: tzinfo
    """The user's local zone, for showing times."""
    session_id: int | None = None
    """The session the patient chose on the home screen (None: the next one)."""

    @cached_property
    def checklists(self) -> ChecklistSet:
        """The active checklists (shipped, then the user's and clinics' own), read on first use."""
        return self.load_checklists()

    @property
    def checklists_loaded(self) -> bool:
        return "checklists" in self.__dict__
