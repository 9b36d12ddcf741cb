"""Helpers for the UI tests: a fixed clock, test checklists, the app factory."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

DATA = Path(__file__).parent / "data"
CHECKLISTS = DATA / "checklists"
ZONE = ZoneInfo("Europe/London")
NOW = datetime(2026, 12, 2, 18, 0, tzinfo=ZONE)
"""Wednesday evening; the test session is on Thursday at 10:00."""
SESSION_START = datetime(2026, 12, 3, 10, 0, tzinfo=ZONE)


class Clock:
    """A clock the test can move."""

    def __init__(self, now: datetime = NOW) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def make_app(
    data_dir: Path, clock: Callable[[], datetime] | None = None, dirs: list[Path] | None = None
):  # type: ignore[no-untyped-def]
    from kapprep.ui.app import build_app

    return build_app(
        data_dir=data_dir,
        checklist_dirs=dirs if dirs is not None else [CHECKLISTS],
        clock=clock or Clock(),
        monotonic=lambda: 0.0,
    )
