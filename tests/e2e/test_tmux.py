"""End to end: the installed `kapprep` in a real terminal (tmux, 80×24).

Ticks an item with send-keys, quits, starts again and reads the tick back with capture-pane.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
]

KAPPREP = Path(sys.executable).parent / "kapprep"
TIMEOUT = 30.0


class Tmux:
    def __init__(self, tmp: Path) -> None:
        self.sock = f"kapprep-e2e-{os.getpid()}"
        self.tmp = tmp

    def run(self, *args: str) -> str:
        return subprocess.run(
            ["tmux", "-L", self.sock, "-f", "/dev/null", *args],
            check=True,
            capture_output=True,
            text=True,
        ).stdout

    def start(self, command: str) -> None:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("TEXTUAL", "NO_COLOR"))}
        env["TERM"] = "xterm-256color"
        env["TZ"] = "Europe/London"
        subprocess.run(
            ["tmux", "-L", self.sock, "-f", "/dev/null", "new-session", "-d", "-s", "e2e",
             "-x", "80", "-y", "24", command],
            check=True,
            env=env,
        )  # fmt: skip

    def screen(self) -> str:
        return self.run("capture-pane", "-p", "-t", "e2e")

    def keys(self, *keys: str) -> None:
        self.run("send-keys", "-t", "e2e", *keys)

    def wait_for(self, check: Callable[[str], bool], what: str) -> str:
        end = time.monotonic() + TIMEOUT
        screen = ""
        while time.monotonic() < end:
            screen = self.screen()
            if check(screen):
                return screen
            time.sleep(0.1)
        raise AssertionError(f"timed out waiting for {what}; the screen was:\n{screen}")

    def alive(self) -> bool:
        return (
            subprocess.run(
                ["tmux", "-L", self.sock, "has-session", "-t", "e2e"], capture_output=True
            ).returncode
            == 0
        )

    def kill(self) -> None:
        subprocess.run(["tmux", "-L", self.sock, "kill-server"], capture_output=True)


@pytest.fixture
def tmux(tmp_path: Path) -> Iterator[Tmux]:
    t = Tmux(tmp_path)
    yield t
    t.kill()


def test_tick_survives_a_restart(tmux: Tmux, tmp_path: Path) -> None:
    assert KAPPREP.exists(), f"kapprep is not installed in {KAPPREP.parent}"
    data = tmp_path / "data"
    # A session tomorrow, so the shipped day-of items are upcoming; made with the store directly.
    from kapprep.store import Store

    zone = ZoneInfo("Europe/London")
    start = (datetime.now(zone) + timedelta(days=1)).replace(
        hour=10, minute=0, second=0, microsecond=0
    )
    with Store.open(data) as store:
        session = store.add_session(start)
        store.set_setting("welcome_done", True)
    command = f"{KAPPREP} --data-dir {data}"
    tmux.start(command)
    tmux.wait_for(lambda s: "Next session" in s, "the home screen")
    tmux.keys("c")
    first = tmux.wait_for(lambda s: "Tick" in s and "☐" in s, "the checklist")
    assert "☑" not in first
    tmux.keys("Space")
    tmux.wait_for(lambda s: "☑" in s, "the tick")
    tmux.keys("q")
    end = time.monotonic() + TIMEOUT
    while tmux.alive() and time.monotonic() < end:
        time.sleep(0.1)
    assert not tmux.alive(), "kapprep did not quit on q"
    with Store.open(data) as store:
        ticked = set(store.ticks(session.id))
    assert len(ticked) == 1
    tmux.start(command)
    tmux.wait_for(lambda s: "Next session" in s, "the home screen, again")
    tmux.keys("c")
    again = tmux.wait_for(lambda s: "☑" in s and "Tick" in s, "the tick read back")
    assert again.count("☑") == 1
