"""Shared by the benchmarks: run a command in a private tmux server and read its screen."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def clean_env() -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("TEXTUAL", "NO_COLOR")) and k != "PYTHONDONTWRITEBYTECODE"
    }
    env["TERM"] = "xterm-256color"
    return env


def compile_sources() -> None:
    """Byte-compile kapprep's sources first, as an installed wheel is: with
    PYTHONDONTWRITEBYTECODE set (some shells and CI set it), an editable install would compile
    every module on each start (~15 ms here) while Textual's are compiled at install."""
    import compileall

    compileall.compile_dir(str(ROOT / "src"), quiet=1)


class Tmux:
    _made = 0

    def __init__(self, width: int = 80, height: int = 24) -> None:
        # One socket per server: a server just killed can still hold the previous name.
        Tmux._made += 1
        self.sock = f"kapprep-bench-{os.getpid()}-{Tmux._made}"
        self.size = (str(width), str(height))
        self.base = ["tmux", "-L", self.sock, "-f", "/dev/null"]

    def run(self, *args: str) -> str:
        return subprocess.run(
            [*self.base, *args], check=True, capture_output=True, text=True, env=clean_env()
        ).stdout

    def start(self, name: str, command: list[str]) -> int:
        """Start `command` in a new session; return its pid (the command is exec'd)."""
        line = "exec " + shlex.join(command)
        self.run("new-session", "-d", "-s", name, "-x", self.size[0], "-y", self.size[1], line)
        return int(self.run("display-message", "-p", "-t", name, "#{pane_pid}").strip())

    def screen(self, name: str) -> str:
        return self.run("capture-pane", "-p", "-t", name)

    def stop(self, name: str) -> None:
        subprocess.run([*self.base, "kill-session", "-t", name], capture_output=True)

    def kill(self) -> None:
        subprocess.run([*self.base, "kill-server"], capture_output=True)


def seeded_data_dir(minutes_ahead: int = 50, sessions: int = 1) -> Path:
    """A data folder with one session soon, so the home screen's countdown is live; with
    `sessions` > 1, that many in all (weekly, the rest in the past, each with ticks and a journal
    answer), as a long series would leave."""
    compile_sources()
    sys.path.insert(0, str(ROOT / "src"))
    from kapprep import journal
    from kapprep.store import Store

    folder = Path(tempfile.mkdtemp(prefix="kapprep-bench-")) / "data"
    zone = ZoneInfo("UTC")
    soon = datetime.now(zone) + timedelta(minutes=minutes_ahead)
    with Store.open(folder) as store:
        for weeks_ago in range(sessions - 1, 0, -1):
            past = store.add_session(soon - timedelta(weeks=weeks_ago), clinic="Clinic")
            for item in ("stop-eating", "stop-drinking", "pack-bag", "arrange-ride"):
                store.tick(past.id, item)
            journal.save_entry(store, past.id, "integration", "important", "A note.", soon)
        store.add_session(soon, clinic="Clinic")
        store.set_setting("welcome_done", True)
    return folder


def kapprep_command(data: Path) -> list[str]:
    exe = BIN / "kapprep"
    if not exe.exists():
        raise SystemExit(
            f"kapprep is not installed next to {sys.executable}; run python3 dev.py test"
        )
    return [str(exe), "--data-dir", str(data)]


def minimal_command() -> list[str]:
    return [sys.executable, str(ROOT / "benchmarks" / "minimal_app.py")]


def wait_until(check, timeout: float = 20.0, poll: float = 0.005) -> float:  # type: ignore[no-untyped-def]
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        if check():
            return time.monotonic() - start
        time.sleep(poll)
    raise TimeoutError("the screen never showed what we waited for")
