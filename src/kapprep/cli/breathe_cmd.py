"""`kapprep breathe`: a breathing or grounding exercise right here in the terminal, without the app.

Starting takes no questions: with no PATTERN it runs the one last chosen in the app, or a gentle
one with no holds. It draws with plain ANSI escapes (a few lines, rewritten only when what they
show changes, at the moments `kapprep.grounding.frame_at` gives), reads keys in cbreak mode
(space pauses, n skips a grounding step, q or Esc stops, Ctrl-C too) and puts the terminal back on
every way out: the end, q, Ctrl-C, SIGTERM, SIGHUP or an error. The practice is logged in the store
when it starts and again when it ends. No Textual here (a test proves it).
"""

from __future__ import annotations

import argparse
import contextlib
import difflib
import math
import os
import select
import shutil
import signal
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from types import FrameType
from typing import Any, TextIO

from kapprep import grounding as g
from kapprep.cli.common import UserError

SETTING = "grounding.last"
"""Shared with the app's Grounding screen: what the user last chose."""
REDUCED_MOTION = "reduced_motion"
"""The app's Settings switch (`kapprep.ui.common.SETTING_REDUCED_MOTION`), honoured here too."""
_HIDE, _SHOW = "\x1b[?25l", "\x1b[?25h"


def register(sub: Any) -> None:
    parser = sub.add_parser(
        "breathe",
        help="a breathing or grounding exercise here in the terminal (q to stop)",
        description=(
            "Run a breathing or grounding exercise in this terminal. Space pauses, n goes to the "
            "next grounding step, q or Esc stops. " + g.LIGHTHEADED_WARNING
        ),
    )
    parser.add_argument(
        "pattern",
        nargs="?",
        metavar="PATTERN",
        help="which exercise (see --list); default: the last one you chose, or a gentle one",
    )
    length = parser.add_mutually_exclusive_group()
    length.add_argument("--minutes", type=_minutes, metavar="N", help="how long, in minutes")
    length.add_argument("--cycles", type=_cycles, metavar="N", help="how many breaths (or rounds)")
    parser.add_argument(
        "--reduced-motion", action="store_true", help="only words and the count, no moving bar"
    )
    parser.add_argument(
        "--bell", action="store_true", help="a bell to breathe in (one) and out (two)"
    )
    parser.add_argument("--no-holds", action="store_true", help="leave out the breath holds")
    parser.add_argument(
        "--lengthen", action="store_true", help="let the breaths lengthen slowly as you go"
    )
    parser.add_argument("--list", action="store_true", help="list the exercises and stop")
    parser.set_defaults(func=cmd_breathe)


def _minutes(raw: str) -> float:
    try:
        value = float(raw)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{raw!r} is not a number of minutes") from None
    if not 0.1 <= value <= 120 or math.isnan(value):
        raise argparse.ArgumentTypeError("minutes should be from 0.1 to 120")
    return value


def _cycles(raw: str) -> int:
    if not raw.isdigit() or not 1 <= int(raw) <= 500:
        raise argparse.ArgumentTypeError("cycles should be a whole number from 1 to 500")
    return int(raw)


def _load() -> dict[str, g.Pattern]:
    patterns, problems = g.load_patterns([g.user_patterns_dir()])
    for problem in problems:
        print(f"kapprep: {problem} (this exercise file was left out)", file=sys.stderr)
    return patterns


def cmd_list(patterns: dict[str, g.Pattern]) -> int:
    width = max(len(p) for p in patterns)
    for pid, pattern in patterns.items():
        mark = "  (default)" if pid == g.DEFAULT_PATTERN else ""
        print(f"{pid:<{width}}  {pattern.name} ({pattern.summary}){mark}")
        print(f"{'':<{width}}  {pattern.description}")
    print()
    print(g.LIGHTHEADED_WARNING)
    print(f"Your own exercises: YAML files in {g.user_patterns_dir()}")
    return 0


def choose_plan(args: argparse.Namespace, patterns: dict[str, g.Pattern], last: object) -> g.Plan:
    wanted = args.pattern
    if wanted is None:
        remembered = last.get("pattern") if isinstance(last, dict) else None
        wanted = remembered if remembered in patterns else g.DEFAULT_PATTERN
    if wanted not in patterns:
        close = difflib.get_close_matches(wanted, list(patterns), n=1)
        hint = f'did you mean "{close[0]}"? ' if close else ""
        one_line = wanted.replace("\n", " ")
        raise UserError(f'no exercise called "{one_line}"; {hint}see: kapprep breathe --list')
    pattern = patterns[wanted]
    if args.no_holds:
        pattern = g.without_holds(pattern)
    lengthen = g.Lengthen() if args.lengthen and not pattern.is_steps else None
    return g.Plan(pattern, minutes=args.minutes, cycles=args.cycles, lengthen=lengthen)


def cmd_breathe(args: argparse.Namespace) -> int:
    patterns = _load()
    if args.list:
        return cmd_list(patterns)
    from kapprep.cli.data_cmd import open_store
    from kapprep.store import StoreError

    try:
        with open_store(args) as store:
            plan = choose_plan(args, patterns, store.get_setting(SETTING, None))
            practice = store.add_practice(plan.pattern.id, datetime.now(UTC), 0.0, False)
            reduced = args.reduced_motion or bool(store.get_setting(REDUCED_MOTION, False))
            runner = Inline(plan, reduced_motion=reduced, bell=args.bell)
            try:
                finished = runner.run()
            finally:
                store.update_practice(
                    practice, seconds=round(runner.timer.active(), 1), finished=runner.finished
                )
    except StoreError as exc:
        raise UserError(str(exc)) from None
    minutes = runner.timer.active() / 60
    said = "" if finished else "Stopped. "
    print(f"{said}{minutes:.1f} min practised; saved in your practice log.")
    return 0


# --------------------------------------------------------------------------------------------
# The inline pacer


class Inline:
    """Draws a `Plan` on a few lines of the terminal and reads keys; see the module docstring."""

    def __init__(
        self,
        plan: g.Plan,
        *,
        reduced_motion: bool = False,
        bell: bool = False,
        clock: Callable[[], float] | None = None,
        stdin: TextIO | None = None,
        stdout: TextIO | None = None,
    ) -> None:
        self.plan = plan
        self.reduced_motion = reduced_motion
        self.bell = bell
        self.clock = clock or time.monotonic
        self.timer = g.Timer(self.clock)
        self.stdin = stdin or sys.stdin
        self.stdout = stdout or sys.stdout
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
        moved_on = previous is not None and (frame.index, frame.cycle) != (
            previous.index,
            previous.cycle,
        )
        if self.bell and self.fancy and moved_on and not frame.done:
            rings = g.bells_for(frame.kind)
            if rings:
                self._write("\a")
            if rings > 1:
                self._bell_at = self.clock() + 0.35
        paused = "" if self.timer.running else "  ·  paused (space to carry on)"
        count = "" if frame.done or frame.kind == "step" else f"  {frame.count}"
        lines = [f"{frame.word}{count}", f"{frame.left}{paused}"]
        if motion:
            lines.insert(1, "▕" + g.render_bar(frame.level, width) + "▏")
        self._render(lines, frame, previous)
        return frame, next_change

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
