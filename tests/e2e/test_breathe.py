"""End to end: `kapprep breathe` inline in a real terminal (tmux), stopped with q and with Ctrl-C.

Runs the installed `.venv/bin/kapprep` in a bash inside tmux, waits for the phase word, stops it,
then checks the shell's terminal modes were put back (canonical mode and echo on, cursor shown)
and that the practice is in the log.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
]

KAPPREP = Path(sys.executable).parent / "kapprep"
TIMEOUT = 30.0


class Shell:
    """A bash in a detached 80×24 tmux session on its own server socket."""

    def __init__(self, tmp: Path) -> None:
        self.sock = f"kapprep-breathe-{os.getpid()}"
        env = {k: v for k, v in os.environ.items() if not k.startswith(("TEXTUAL", "NO_COLOR"))}
        env.update(TERM="xterm-256color", KAPPREP_CONFIG=str(tmp / "config"), PS1="$ ")
        self._tmux("new-session", "-d", "-s", "b", "-x", "80", "-y", "24",
                   "bash --norc --noprofile", env=env)  # fmt: skip

    def _tmux(self, *args: str, env: dict[str, str] | None = None) -> str:
        return subprocess.run(
            ["tmux", "-L", self.sock, "-f", "/dev/null", *args],
            check=True,
            capture_output=True,
            text=True,
            env=env,
        ).stdout

    def screen(self) -> str:
        return self._tmux("capture-pane", "-p", "-t", "b")

    def keys(self, *keys: str) -> None:
        self._tmux("send-keys", "-t", "b", *keys)

    def type(self, line: str) -> None:
        self._tmux("send-keys", "-t", "b", "-l", line)
        self.keys("Enter")

    def wait_for(self, check: Callable[[str], bool], what: str) -> str:
        end = time.monotonic() + TIMEOUT
        screen = ""
        while time.monotonic() < end:
            screen = self.screen()
            if check(screen):
                return screen
            time.sleep(0.1)
        raise AssertionError(f"timed out waiting for {what}; the screen was:\n{screen}")

    def cursor_visible(self) -> bool:
        return self._tmux("display-message", "-p", "-t", "b", "#{cursor_flag}").strip() == "1"

    def close(self) -> None:
        subprocess.run(["tmux", "-L", self.sock, "kill-server"], check=False, capture_output=True)


@pytest.fixture
def shell(tmp_path: Path) -> Iterator[Shell]:
    if not KAPPREP.exists():
        pytest.skip("kapprep is not installed in this venv")
    sh = Shell(tmp_path)
    try:
        yield sh
    finally:
        sh.close()


def _practices(data: Path) -> list[tuple[str, bool, float]]:
    from kapprep.store import Store

    with Store.open(data) as store:
        return [(p.pattern, p.finished, p.seconds) for p in store.practices()]


@pytest.mark.parametrize(("stop_key", "word"), [("q", "Stopped."), ("C-c", "Stopped.")])
def test_breathe_inline_stops_and_restores_terminal(
    shell: Shell, tmp_path: Path, stop_key: str, word: str
) -> None:
    data = tmp_path / "data"
    shell.type(f"{KAPPREP} --data-dir {data} breathe box --minutes 2; echo EXIT=$?")
    shell.wait_for(lambda s: "Breathe in" in s, "the phase word")
    shell.wait_for(lambda s: "Hold" in s, "the next phase")  # it moves on by itself
    assert not shell.cursor_visible()  # hidden while the pacer draws
    shell.keys(stop_key)
    # "EXIT=$?" is on the typed command line too: wait for the number the shell prints.
    screen = shell.wait_for(lambda s: re.search(r"EXIT=\d", s) is not None, "kapprep to exit")
    assert word in screen
    assert "EXIT=0" in screen
    assert "Traceback" not in screen
    assert shell.cursor_visible()
    # The terminal is back as it was: canonical mode and echo on.
    shell.type("stty -a | tr ' ' '\\n' | grep -x -e icanon -e echo | sort | tr '\\n' ,; echo")
    screen = shell.wait_for(lambda s: "echo,icanon," in s, "stty's report")
    [(pattern, finished, seconds)] = _practices(data)
    assert (pattern, finished) == ("box", False)
    assert 4.0 <= seconds < 60.0


def test_ctrl_z_gives_the_terminal_back_and_fg_carries_on(shell: Shell, tmp_path: Path) -> None:
    data = tmp_path / "data"
    shell.type(f"{KAPPREP} --data-dir {data} breathe box --minutes 2")
    shell.wait_for(lambda s: "Breathe in" in s, "the phase word")
    shell.keys("C-z")
    shell.wait_for(lambda s: "Stopped" in s, "the shell to say the job stopped")
    assert shell.cursor_visible()
    shell.type("stty -a | tr ' ' '\\n' | grep -x -e icanon -e echo | sort | tr '\\n' ,; echo")
    shell.wait_for(lambda s: "echo,icanon," in s, "stty's report while suspended")
    shell.type("fg")
    shell.wait_for(lambda s: s.count("breaths left") + s.count("minutes left") >= 2, "a redraw")
    assert not shell.cursor_visible()
    shell.keys("q")
    shell.wait_for(lambda s: "saved in your practice log" in s, "kapprep to exit")
    [(pattern, finished, _seconds)] = _practices(data)
    assert (pattern, finished) == ("box", False)
