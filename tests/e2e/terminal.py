"""A real terminal for the end-to-end tests: tmux at 80×24 on a private server socket.

The tests drive the installed `kapprep` (the one in this venv, which `dev.py test` installs) with
send-keys and read the screen with capture-pane.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

KAPPREP = Path(sys.executable).parent / "kapprep"
TIMEOUT = 30.0

IN_CI = os.environ.get("CI", "").strip().lower() in {"true", "1", "yes"}
"""Under CI (`CI=true`, as `.ci/run` is run) a missing tmux fails these tests: CI must not pass
without its end-to-end tests. On a developer's machine without tmux they are skipped."""

needs_tmux = [
    pytest.mark.e2e,
    pytest.mark.skipif(
        shutil.which("tmux") is None and not IN_CI,
        reason="tmux is not installed (with CI=true this is a failure, not a skip)",
    ),
]


class Terminal:
    """One detached 80×24 tmux session running a command."""

    _made = 0

    def __init__(self, name: str) -> None:
        # One socket per terminal, never reused: the variants of a parametrized test share the
        # name's first 20 characters, and a server just killed can still hold its socket, so
        # the next variant's new-session failed now and then (seen once in CI with xdist).
        Terminal._made += 1
        self.sock = f"kapprep-{name}-{os.getpid()}-{Terminal._made}"

    def _tmux(self, *args: str, env: dict[str, str] | None = None) -> str:
        return subprocess.run(
            ["tmux", "-L", self.sock, "-f", "/dev/null", *args],
            check=True,
            capture_output=True,
            text=True,
            env=env,
        ).stdout

    def start(self, command: str, **env: str) -> None:
        """Run `command` in a fresh session; no colour or Textual settings leak in from outside."""
        clean = {k: v for k, v in os.environ.items() if not k.startswith(("TEXTUAL", "NO_COLOR"))}
        self._tmux("new-session", "-d", "-s", "t", "-x", "80", "-y", "24", command,
                   env={**clean, "TERM": "xterm-256color", **env})  # fmt: skip

    def screen(self) -> str:
        return self._tmux("capture-pane", "-p", "-t", "t")

    def keys(self, *keys: str) -> None:
        self._tmux("send-keys", "-t", "t", *keys)

    def type(self, line: str) -> None:
        """Type a line literally, then Enter."""
        self._tmux("send-keys", "-t", "t", "-l", line)
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

    def alive(self) -> bool:
        probe = ["tmux", "-L", self.sock, "has-session", "-t", "t"]
        return subprocess.run(probe, capture_output=True).returncode == 0

    def cursor_visible(self) -> bool:
        return self._tmux("display-message", "-p", "-t", "t", "#{cursor_flag}").strip() == "1"

    def close(self) -> None:
        subprocess.run(["tmux", "-L", self.sock, "kill-server"], check=False, capture_output=True)
