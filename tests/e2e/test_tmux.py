"""End to end: the installed `kapprep` in a real terminal (tmux, 80×24).

Ticks an item with send-keys, quits, starts again and reads the tick back with capture-pane.
"""

from __future__ import annotations

import time
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from kapprep import clock

from .terminal import KAPPREP, TIMEOUT, Terminal, needs_tmux

pytestmark = needs_tmux


def test_tick_survives_a_restart(terminal: Terminal, tmp_path: Path) -> None:
    data = tmp_path / "data"
    # A session tomorrow, so the shipped day-of items are upcoming; made with the store directly.
    from kapprep.store import Store

    zone = ZoneInfo("Europe/London")
    start = (clock.now(zone) + timedelta(days=1)).replace(
        hour=10, minute=0, second=0, microsecond=0
    )
    with Store.open(data) as store:
        session = store.add_session(start)
        store.set_setting("welcome_done", True)
    command = f"{KAPPREP} --data-dir {data}"
    terminal.start(command, TZ="Europe/London")
    terminal.wait_for(lambda s: "Next session" in s, "the home screen")
    terminal.keys("c")
    first = terminal.wait_for(lambda s: "Tick" in s and "☐" in s, "the checklist")
    assert "☑" not in first
    terminal.keys("Space")
    terminal.wait_for(lambda s: "☑" in s, "the tick")
    terminal.keys("q")
    end = time.monotonic() + TIMEOUT
    while terminal.alive() and time.monotonic() < end:
        time.sleep(0.1)
    assert not terminal.alive(), "kapprep did not quit on q"
    with Store.open(data) as store:
        ticked = set(store.ticks(session.id))
    assert len(ticked) == 1
    terminal.start(command, TZ="Europe/London")
    terminal.wait_for(lambda s: "Next session" in s, "the home screen, again")
    terminal.keys("c")
    again = terminal.wait_for(lambda s: "☑" in s and "Tick" in s, "the tick read back")
    assert again.count("☑") == 1


def test_a_session_in_another_zone_shows_its_own_clock_named(
    terminal: Terminal, tmp_path: Path
) -> None:
    """On a computer set to UTC, a 09:30 Los Angeles session reads 09:30, named, at 80×24."""
    from kapprep.store import Store

    data = tmp_path / "data"
    zone = ZoneInfo("America/Los_Angeles")
    start = (clock.now(zone) + timedelta(days=1)).replace(
        hour=9, minute=30, second=0, microsecond=0
    )
    with Store.open(data) as store:
        store.add_session(start)
        store.set_setting("welcome_done", True)
    terminal.start(f"{KAPPREP} --data-dir {data}", TZ="UTC")
    screen = terminal.wait_for(lambda s: "Next session" in s, "the home screen")
    assert "09:30 Los Angeles time" in screen, screen
    assert "17:30" not in screen
