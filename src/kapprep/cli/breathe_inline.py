"""The inline pacer behind `kapprep breathe`: a few lines of plain ANSI and cbreak keys.

What is drawn comes from `kapprep.grounding.frame_at`, which also says when it next changes: the
loop sleeps (in `select`, so keys still come in) until then and rewrites only the lines that
changed. The terminal is put back on every way out: the end, q, Esc, Ctrl-C, SIGTERM, SIGHUP or
an error; Ctrl-Z gives it back too, and `fg` carries on where it paused. Plain ANSI was measured
against Rich Live drawing the same frames (benchmarks/pacer.py): about a third of the CPU. No
Textual here.
"""

from __future__ import annotations

import contextlib
import math
import os
import select
import shutil
import signal
import sys
import time
from collections.abc import Callable
from types import FrameType
from typing import Any, TextIO

from kapprep import grounding as g
from kapprep.speech import PhaseCues, Speaker

_HIDE, _SHOW = "\x1b[?25l", "\x1b[?25h"


class Inline:
    """Draws a `Plan` on a few lines of the terminal and reads keys; see the module docstring."""

    def __init__(
        self,
        plan: g.Exercise,
        *,
        reduced_motion: bool = False,
        bell: bool = False,
        speaker: Speaker | None = None,
        clock: Callable[[], float] | None = None,
        stdin: TextIO | None = None,
        stdout: TextIO | None = None,
    ) -> None:
        self.plan = plan
        self.reduced_motion = reduced_motion
        self.bell = bell
        self.cues = PhaseCues(plan, speaker=speaker, bell=bell, ring=self._ring)
        """Each breath phase's cue: its word said (spoken cues on), else the bell if on."""
        self.notice = ""
        self.clock = clock or time.monotonic
        self.timer = g.Timer(self.clock)
        self.stdin = stdin or sys.stdin
        # Its own escape codes (hide and show the cursor, redraw a line) must reach the terminal:
        # past the command line's SafeStream, which escapes every other output.
        self.stdout: TextIO = stdout or getattr(sys.stdout, "raw", None) or sys.stdout
        self.finished = False
        self.stopped = False
        self.drawn: list[str] = []
        self.frames = 0
        """How many times something was drawn (the benchmark reads it)."""
        self._bell_at: float | None = None
        self._frame: g.Frame | None = None
        self._dirty = False
        self.fancy = self._isatty(self.stdout)

    @staticmethod
    def _isatty(stream: TextIO) -> bool:
        try:
            return stream.isatty()
        except (AttributeError, ValueError):
            return False

    def run(self) -> bool:
        """Run to the end (True) or until stopped (False); the terminal is always restored."""
        fd = self._key_fd()
        saved = None
        if fd is not None:
            import termios
            import tty

            saved = termios.tcgetattr(fd)
        old_handlers = self._install_signals()
        if fd is not None and saved is not None:
            old_handlers.update(self._install_suspend(fd, saved))
        try:
            if fd is not None:
                tty.setcbreak(fd)
            if self.fancy:
                self._write(_HIDE)
            self._intro()
            self.timer.start()
            self._loop(fd)
        except KeyboardInterrupt:
            self.stopped = True
        finally:
            self.timer.pause()
            if fd is not None and saved is not None:
                import termios

                termios.tcsetattr(fd, termios.TCSADRAIN, saved)
            if self.fancy:
                self._write(_SHOW + "\n")
            self._restore_signals(old_handlers)
        return self.finished

    def _key_fd(self) -> int | None:
        if not self._isatty(self.stdin):
            return None
        try:
            return self.stdin.fileno()
        except (AttributeError, ValueError, OSError):
            return None

    def _install_suspend(self, fd: int, saved: list[Any]) -> dict[int, Any]:
        """Ctrl-Z: put the terminal back and pause before stopping; on `fg`, carry on."""
        import termios
        import tty

        tstp, cont = getattr(signal, "SIGTSTP", None), getattr(signal, "SIGCONT", None)
        if tstp is None or cont is None:
            return {}

        was_running = [True]

        def suspend(signum: int, frame: FrameType | None) -> None:
            was_running[0] = self.timer.running
            self.timer.pause()
            termios.tcsetattr(fd, termios.TCSADRAIN, saved)
            if self.fancy:
                self._write(_SHOW + "\n")
            signal.signal(tstp, signal.SIG_DFL)
            os.kill(os.getpid(), tstp)  # stops here until `fg`

        def carry_on(signum: int, frame: FrameType | None) -> None:
            signal.signal(tstp, suspend)
            tty.setcbreak(fd)
            if self.fancy:
                self._write(_HIDE)
            self.drawn = []  # the shell wrote below the pacer: draw it afresh
            self._dirty = True
            if was_running[0]:
                self.timer.resume()

        old: dict[int, Any] = {}
        with contextlib.suppress(ValueError, OSError):
            old[tstp] = signal.signal(tstp, suspend)
            old[cont] = signal.signal(cont, carry_on)
        return old

    def _install_signals(self) -> dict[int, Any]:
        def leave(signum: int, frame: FrameType | None) -> None:
            raise KeyboardInterrupt

        old: dict[int, Any] = {}
        for name in ("SIGTERM", "SIGHUP"):
            signum = getattr(signal, name, None)
            if signum is not None:
                with contextlib.suppress(ValueError, OSError):
                    old[signum] = signal.signal(signum, leave)
        return old

    @staticmethod
    def _restore_signals(old: dict[int, Any]) -> None:
        for signum, handler in old.items():
            with contextlib.suppress(ValueError, OSError):
                signal.signal(signum, handler)

    def _intro(self) -> None:
        pattern = self.plan.pattern
        keys = "space pause · n next step · q stop" if pattern.is_steps else "space pause · q stop"
        lines = [f"{pattern.name} ({pattern.summary})  ·  {keys}"]
        if not pattern.is_steps:
            lines.append(g.LIGHTHEADED_WARNING)
        self._write("\n".join(lines) + "\n")

    def _loop(self, fd: int | None) -> None:
        while True:
            frame, next_change = self._draw()
            if frame.done:
                self.finished = True
                return
            wait = self.timer.seconds_until(next_change)
            if self._bell_at is not None:
                wait = min(wait, max(0.0, self._bell_at - self.clock()))
            timeout = None if math.isinf(wait) else wait
            if fd is None:
                if timeout is None:
                    return  # paused with no keyboard: cannot happen, but never spin
                time.sleep(timeout)
            else:
                ready, _, _ = select.select([fd], [], [], timeout)
                if ready:
                    keys = os.read(fd, 32).decode("utf-8", "replace")
                    if self._keys(keys):
                        return
            if self._bell_at is not None and self.clock() >= self._bell_at:
                self._bell_at = None
                self._write("\a")

    def _keys(self, keys: str) -> bool:
        """Act on keys; True to stop."""
        for key in keys:
            if key in ("q", "Q", "\x1b", "\x03"):
                self.stopped = True
                return True
            if key in (" ", "p"):
                if self.timer.running:
                    self.timer.pause()
                else:
                    self.timer.resume()
                self._dirty = True
            elif key == "n" and self.plan.pattern.is_steps:
                state = g.phase_at(self.plan.pattern, self.timer.elapsed())
                self.timer.jump_to(state.end)
        return False

    def _bar_width(self) -> int:
        columns = shutil.get_terminal_size((80, 24)).columns
        return max(4, min(40, columns - 4))

    def _draw(self) -> tuple[g.Frame, float]:
        width = self._bar_width()
        motion = self.fancy and not self.reduced_motion
        frame, next_change = g.frame_at(
            self.plan,
            self.timer.elapsed(),
            levels=width * 8 if motion else 0,
            reduced_motion=not motion,
        )
        if not self.fancy and not frame.done:
            # Off a terminal only the phase lines are written: wake at the boundaries only.
            state = g.phase_at(self.plan.pattern, self.timer.elapsed(), self.plan.lengthen)
            next_change = min(state.end, self.plan.total_seconds)
        if frame == self._frame and not self._dirty:
            return frame, next_change
        self._dirty = False
        previous, self._frame = self._frame, frame
        self.cues.frame_drawn(frame, self.timer.elapsed(), running=self.timer.running)
        paused = "" if self.timer.running else "  ·  paused (space to carry on)"
        paused += self.notice
        count = "" if frame.done or frame.kind == "step" else f"  {frame.count}"
        lines = [f"{frame.word}{count}", f"{frame.left}{paused}"]
        if motion:
            lines.insert(1, "▕" + g.render_bar(frame.level, width) + "▏")
        self._render(lines, frame, previous)
        return frame, next_change

    def _ring(self, times: int) -> None:
        """One bell now and, for two, the second 0.35 s later: two bells at once often sound as
        one (xterm, for one, drops a bell that follows another within 200 ms)."""
        if not self.fancy or times < 1:
            return
        self._write("\a")
        if times > 1:
            self._bell_at = self.clock() + 0.35

    def told(self, message: str) -> None:
        """A speaker's problem, kept on the status line from now on (it is said once)."""
        self.notice = "  ·  bell instead of spoken cues"
        self._dirty = True
        if not self.fancy:
            self._write(message + "\n")

    def _render(self, lines: list[str], frame: g.Frame, previous: g.Frame | None) -> None:
        self.frames += 1
        if not self.fancy:
            # Not a terminal: one plain line per phase, nothing rewritten.
            if frame.done or (
                previous is not None
                and (frame.index, frame.cycle)
                == (
                    previous.index,
                    previous.cycle,
                )
            ):
                return
            state = g.phase_at(self.plan.pattern, self.timer.elapsed(), self.plan.lengthen)
            length = state.end - state.start
            self._write(f"{frame.word} ({length:.0f} s)  ·  {frame.left}\n")
            return
        out = []
        if not self.drawn:
            out.append("\n".join(lines))
        else:
            up = len(self.drawn) - 1
            out.append("\r")
            if up:
                out.append(f"\x1b[{up}A")
            for i, line in enumerate(lines):
                if i >= len(self.drawn) or line != self.drawn[i]:
                    out.append(f"\r\x1b[2K{line}")
                if i < len(lines) - 1:
                    out.append("\x1b[1B")
        self.drawn = lines
        self._write("".join(out))

    def _write(self, text: str) -> None:
        self.stdout.write(text)
        self.stdout.flush()
