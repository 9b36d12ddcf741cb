"""Stopping an exercise stops its speaker without raising and without holding the screen."""

from __future__ import annotations

import subprocess
from typing import Any

from fake_speaker import FakeProc
from kapprep.speech import Speaker


class Stubborn(FakeProc):
    """A speaker that does not end when asked to (a wedged audio server), until killed."""

    def __init__(self) -> None:
        super().__init__(code=None)
        self.killed = False
        self.waits: list[float | None] = []

    def terminate(self) -> None:
        self.terminated = True  # and goes on

    def kill(self) -> None:
        self.killed = True
        self.code = -9

    def wait(self, timeout: float | None = None) -> int | None:
        self.waits.append(timeout)
        if self.code is None:
            raise subprocess.TimeoutExpired("espeak-ng", timeout or 0)
        return self.code


def test_a_speaker_that_will_not_stop_is_killed_and_close_does_not_raise() -> None:
    """`wait(timeout=1)` raised subprocess.TimeoutExpired (not an OSError) out of close(), into
    the Grounding screen's stop, and left the process running."""
    proc = Stubborn()

    def spawn(args: list[str], **kw: Any) -> Stubborn:
        return proc

    speaker = Speaker(which=lambda name: f"/usr/bin/{name}", spawn=spawn)
    assert speaker.say("in")
    speaker.close()  # must not raise
    assert proc.terminated and proc.killed
    assert all(t is not None and t <= 0.2 for t in proc.waits), proc.waits  # the UI is not held
