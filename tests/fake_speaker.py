"""A speaker whose programs are faked, for the spoken-cue tests: nothing is said out loud."""

from __future__ import annotations

import io
from typing import Any

from kapprep.speech import Speaker


class FakeProc:
    """A started speaker process that has already exited with `code` (None: still speaking)."""

    def __init__(self, code: int | None = 0, stderr: bytes = b"") -> None:
        self.code = code
        self.stderr = io.BytesIO(stderr)
        self.terminated = False

    def poll(self) -> int | None:
        return self.code

    def terminate(self) -> None:
        self.terminated = True
        self.code = -15

    def wait(self, timeout: float | None = None) -> int | None:
        return self.code


def fake_speaker(
    code: int | None = 0,
    program: str | None = "espeak-ng",
    said: list[str] | None = None,
    **kwargs: Any,
) -> tuple[Speaker, list[str]]:
    """A Speaker that finds only `program` and whose every process exits with `code`; the words
    it was asked to say, in order (added to `said` when given)."""
    said = [] if said is None else said

    def spawn(args: list[str], **kw: Any) -> FakeProc:
        said.append(args[-1])
        return FakeProc(code)

    def which(name: str) -> str | None:
        return f"/usr/bin/{name}" if name == program else None

    return Speaker(which=which, spawn=spawn, **kwargs), said
