"""A pseudo-terminal for plain mode's transcript tests (the standard library's `pty`, no new
dependency): the installed `kapprep` runs with the pty as its controlling terminal, so Ctrl-C
and Ctrl-D behave as they do for a patient.

The child gets its time as every child process does: "now" from `KAPPREP_NOW` (the suite's
fixed time), and the breathing pacer's elapsed time from `kapprep.clock.run_fast`, started by a
`sitecustomize.py` that only these tests put on `PYTHONPATH`. kapprep itself reads no option,
variable or file that makes its clock run fast, so there is no back door a patient could hit.
The same hook writes, as the child exits, which Textual modules it had imported.
"""

from __future__ import annotations

import fcntl
import json
import os
import select
import subprocess
import sys
import termios
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

KAPPREP = Path(sys.executable).parent / "kapprep"
TIMEOUT = 15.0

SITECUSTOMIZE = """
import atexit, json, os, sys
from kapprep import clock
clock.run_fast().__enter__()
def _probe():
    with open(os.environ["KAPPREP_TEST_PROBE"], "w") as fh:
        json.dump(sorted(m for m in sys.modules if m.split(".")[0] == "textual"), fh)
atexit.register(_probe)
"""


def child_env(tmp: Path, **extra: str) -> dict[str, str]:
    hook = tmp / "hook"
    hook.mkdir(exist_ok=True)
    (hook / "sitecustomize.py").write_text(SITECUSTOMIZE, encoding="utf-8")
    keep = ("PATH", "HOME", "LANG", "LC_ALL", "KAPPREP_NOW", "TZ")
    env = {k: v for k, v in os.environ.items() if k in keep}
    env.update(
        PYTHONPATH=str(hook),
        KAPPREP_CONFIG=str(tmp / "config"),
        KAPPREP_HOME=str(tmp / "data"),
        KAPPREP_TEST_PROBE=str(tmp / "probe.json"),
        TERM="dumb",
    )
    env.update(extra)
    return env


def textual_modules(tmp: Path) -> list[str]:
    """The Textual modules the child had imported when it exited."""
    return list(json.loads((tmp / "probe.json").read_text(encoding="utf-8")))


class Pty:
    """`kapprep` on a pseudo-terminal: `expect` what it says, `line` what the patient types."""

    def __init__(self, argv: list[str], env: dict[str, str], *, stdout_pipe: bool = False) -> None:
        self.master, slave = os.openpty()
        attrs = termios.tcgetattr(slave)
        attrs[1] &= ~termios.ONLCR  # newlines as written: no "\r\n" to strip
        termios.tcsetattr(slave, termios.TCSANOW, attrs)

        def controlling_tty() -> None:
            os.setsid()
            fcntl.ioctl(0, termios.TIOCSCTTY, 0)

        self.proc = subprocess.Popen(
            argv,
            stdin=slave,
            stdout=subprocess.PIPE if stdout_pipe else slave,
            stderr=slave,
            env=env,
            preexec_fn=controlling_tty,
            close_fds=True,
        )
        os.close(slave)
        self.pipe = self.proc.stdout
        self.text = ""
        self.seen = 0

    def _read(self, timeout: float) -> None:
        fds = [self.master] + ([self.pipe.fileno()] if self.pipe else [])
        ready, _, _ = select.select(fds, [], [], timeout)
        for fd in ready:
            try:
                chunk = os.read(fd, 65536)
            except OSError:  # the child closed the pty
                chunk = b""
            if fd == self.master or not self.pipe:
                self.text += chunk.decode("utf-8", "replace").replace("\r", "")
            else:
                self.text += chunk.decode("utf-8", "replace")

    def expect(self, wanted: str) -> str:
        """Wait until `wanted` appears after what was last expected; what came in between."""
        end = time.monotonic() + TIMEOUT
        while True:
            found = self.text.find(wanted, self.seen)
            if found >= 0:
                before = self.text[self.seen : found + len(wanted)]
                self.seen = found + len(wanted)
                return before
            if time.monotonic() > end:
                raise AssertionError(
                    f"never saw {wanted!r}; the end of what came:\n{self.text[-1500:]}"
                )
            if self.proc.poll() is not None:
                self._read(0.05)
                if self.text.find(wanted, self.seen) < 0:
                    raise AssertionError(f"kapprep exited before {wanted!r}:\n{self.text[-1500:]}")
                continue
            self._read(0.2)

    def line(self, text: str) -> None:
        os.write(self.master, text.encode("utf-8") + b"\n")

    def key(self, raw: bytes) -> None:
        os.write(self.master, raw)

    def wait(self) -> int:
        end = time.monotonic() + TIMEOUT
        while self.proc.poll() is None and time.monotonic() < end:
            self._read(0.1)
        code = self.proc.wait(timeout=1)
        for _ in range(5):
            self._read(0.01)
        return code

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        os.close(self.master)


@pytest.fixture
def run_pty(tmp_path: Path) -> Iterator[object]:
    started: list[Pty] = []

    def start(*args: str, stdout_pipe: bool = False, **env: str) -> Pty:
        pty = Pty([str(KAPPREP), *args], child_env(tmp_path, **env), stdout_pipe=stdout_pipe)
        started.append(pty)
        return pty

    yield start
    for pty in started:
        pty.close()
