"""Saying a cue word out loud through `spd-say` or `espeak-ng`, without waiting and never raising.

`Speaker.say(word)` starts the program as a child process and returns at once (the app's event
loop, `kapprep breathe` and plain mode all go on drawing). `spd-say` comes first when installed:
it goes through speech-dispatcher, so the patient's own voice and rate settings apply and it
queues with a screen reader that uses it (Orca does). `espeak-ng` speaks directly, at
`cues.SPEECH_WPM`.

A speaker that is missing, cannot start, exits with an error or writes one (espeak-ng with no
sound device still exits 0 but says "error" on stderr) is noted once: `problem` says so calmly,
`on_problem` is called once with it, and from then on `say` returns False so the caller rings the
bell instead. Nothing here raises into the caller. No Textual here.
"""

from __future__ import annotations

import contextlib
import shutil
import subprocess
from collections.abc import Callable
from typing import Any, Final

from kapprep.grounding.cues import SPEECH_WPM, Cue, cue_for
from kapprep.grounding.pacing import Exercise, Frame, phase_at
from kapprep.grounding.patterns import bells_for

PROGRAMS: Final = ("spd-say", "espeak-ng")
"""Tried in this order."""
STOP_WAIT: Final = 0.1
"""Seconds `close` waits for a speaker asked to stop, then for one killed."""

NONE_FOUND: Final = (
    "Spoken cues need spd-say or espeak-ng, and neither is installed: the bell marks each "
    "breath instead."
)


def espeak_args(word: str) -> list[str]:
    """espeak-ng's command line for `word` at kapprep's rate (the fit test renders with it)."""
    return ["espeak-ng", "-s", str(SPEECH_WPM), word]


def command(program: str, word: str) -> list[str]:
    if program == "spd-say":
        # speech-dispatcher's rate runs from -100 to 100 (0: the user's default); a little slower.
        return ["spd-say", "-r", "-20", word]
    return espeak_args(word)


def failed(program: str) -> str:
    return (
        f"Spoken cues stopped: {program} could not speak (is a sound device there?). The bell "
        "marks each breath instead."
    )


class Speaker:
    """Speaks cue words in the background; see the module docstring."""

    def __init__(
        self,
        *,
        which: Callable[[str], str | None] | None = None,
        spawn: Callable[..., Any] | None = None,
        on_problem: Callable[[str], None] | None = None,
    ) -> None:
        self._spawn = spawn or subprocess.Popen
        self.on_problem = on_problem
        found = which or shutil.which
        self.program: str | None = next((p for p in PROGRAMS if found(p)), None)
        self.problem: str | None = None if self.program else NONE_FOUND
        self._told = False
        self._running: list[Any] = []

    @property
    def available(self) -> bool:
        """A speaker was found and has not failed (yet)."""
        self._reap()
        return self.problem is None

    def say(self, word: str) -> bool:
        """Start saying `word`; False (and nothing said) when there is no working speaker."""
        if not self.available or self.program is None:
            self.report()
            return False
        try:
            proc = self._spawn(
                command(self.program, word),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                start_new_session=True,  # a Ctrl-C meant for kapprep is not sent to it
            )
        except (OSError, ValueError, subprocess.SubprocessError):
            self._fail()
            return False
        self._running.append(proc)
        return True

    def close(self) -> None:
        """Stop anything still speaking (the exercise ended) and collect it: asked to stop, then
        killed if it has not within `STOP_WAIT` (the screen waits that long at most, never
        raising: a wedged audio server once made `wait` raise TimeoutExpired into the screen)."""
        for proc in self._running:
            with contextlib.suppress(OSError, ValueError, subprocess.SubprocessError):
                if proc.poll() is None:
                    proc.terminate()
                try:
                    proc.wait(timeout=STOP_WAIT)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait(timeout=STOP_WAIT)
            self._close_pipe(proc)
        self._running = []

    def tell_once(self) -> str | None:
        """The problem, the first time it is asked for (None after that, or with none)."""
        if self.problem is None or self._told:
            return None
        self._told = True
        return self.problem

    # -- inside ---------------------------------------------------------------------------

    def _reap(self) -> None:
        """Collect finished speakers; one that failed turns spoken cues off, said once."""
        still: list[Any] = []
        for proc in self._running:
            try:
                code = proc.poll()
            except (OSError, ValueError):
                code = -1
            if code is None:
                still.append(proc)
                continue
            said = b""
            with contextlib.suppress(OSError, ValueError):
                if proc.stderr is not None:
                    said = proc.stderr.read() or b""
            self._close_pipe(proc)
            if code != 0 or b"error" in said.lower():
                self._fail()
        self._running = still

    @staticmethod
    def _close_pipe(proc: Any) -> None:
        with contextlib.suppress(OSError, ValueError, AttributeError):
            if proc.stderr is not None:
                proc.stderr.close()

    def _fail(self) -> None:
        if self.problem is None:
            self.problem = failed(self.program or "the speaker")
        self.report()

    def report(self) -> None:
        """Hand the problem to `on_problem`, the first time only."""
        if self.on_problem is not None:
            message = self.tell_once()
            if message is not None:
                with contextlib.suppress(Exception):
                    self.on_problem(message)


def sound_cue(
    kind: str,
    seconds: float,
    *,
    speaker: Speaker | None,
    bell: bool,
    ring: Callable[[int], None],
) -> Cue:
    """Mark the start of a phase of `kind` lasting `seconds`: the spoken word where it fits and
    the speaker works, else the bells (`ring(n)`); the cue given (`word` None if it was rung)."""
    speak = speaker is not None and speaker.available
    if speaker is not None and not speak:
        speaker.report()  # said once; spoken cues on means the bell stands in for them
    cue = cue_for(kind, seconds, speak=speak, bell=bell or speaker is not None)
    if cue.word is not None and speaker is not None and not speaker.say(cue.word):
        cue = Cue(None, bells_for(kind))
    if cue.bells:
        ring(cue.bells)
    return cue


class PhaseCues:
    """Gives each breath phase of one exercise its cue once, as it begins: the first phase too,
    never again after a pause or a redraw, and never while paused. The app's pacer and
    `kapprep breathe` both use it; `bell` may change while the exercise runs."""

    def __init__(
        self,
        plan: Exercise,
        *,
        speaker: Speaker | None,
        bell: bool,
        ring: Callable[[int], None],
    ) -> None:
        self.plan = plan
        self.speaker = speaker
        self.bell = bell
        self.ring = ring
        self._cued: tuple[int, int] | None = None

    def frame_drawn(self, frame: Frame, elapsed: float, *, running: bool) -> None:
        """Called with each frame drawn; cues the phase it shows if that phase has had none."""
        at = (frame.index, frame.cycle)
        if frame.done or frame.kind == "step" or at == self._cued or not running:
            return
        self._cued = at
        if not self.bell and self.speaker is None:
            return
        state = phase_at(self.plan.pattern, elapsed, self.plan.lengthen)
        length = state.end - state.start
        sound_cue(frame.kind, length, speaker=self.speaker, bell=self.bell, ring=self.ring)

    def close(self) -> None:
        """The exercise ended: stop a word still being said."""
        if self.speaker is not None:
            self.speaker.close()
