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


def screen_lines(app) -> list[str]:  # type: ignore[no-untyped-def]
    """The text the terminal shows now, one string per row (what a user would read)."""
    import io

    from rich.console import Console

    width, height = app.size
    console = Console(
        width=width,
        height=height,
        file=io.StringIO(),
        force_terminal=True,
        color_system="truecolor",
        record=True,
        legacy_windows=False,
        safe_box=False,
    )
    console.print(
        app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
    )
    return console.export_text().splitlines()[:height]
