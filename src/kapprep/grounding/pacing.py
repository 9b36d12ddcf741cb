"""Pacing as pure functions of the elapsed time: which cycle and phase, what a pacer draws and when
that changes next, and a timer that pauses and resumes exactly.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from kapprep.grounding.patterns import Pattern, Phase

FRAME_SECONDS = 0.045
"""The shape moves at most this often (22 steps a second): smooth, under the 50 ms target, and
less than half the CPU of a naive 30 fps repaint (see benchmarks/pacer.py)."""


# --------------------------------------------------------------------------------------------
# Time: cycles, phases, plans


@dataclass(frozen=True, slots=True)
class Lengthen:
    """Lengthen the breaths slowly: cycle k lasts `1 + step * k` times the pattern, up to `most`."""

    step: float = 0.02
    most: float = 1.5

    def scale(self, k: int) -> float:
        return min(1.0 + self.step * k, self.most)

    @property
    def ramp(self) -> int:
        """How many cycles until the breaths stop lengthening."""
        return math.ceil((self.most - 1.0) / self.step) if self.step > 0 else 0


def _scale(lengthen: Lengthen | None, k: int) -> float:
    return 1.0 if lengthen is None else lengthen.scale(k)


def cycle_start(pattern: Pattern, k: int, lengthen: Lengthen | None = None) -> float:
    """Elapsed seconds at which cycle `k` (0-based) starts; a closed form, so exact for any k."""
    c = pattern.cycle_seconds
    if lengthen is None or lengthen.step <= 0:
        return c * k
    ramp = lengthen.ramp
    if k <= ramp:
        return c * (k + lengthen.step * k * (k - 1) / 2)
    return c * (ramp + lengthen.step * ramp * (ramp - 1) / 2 + lengthen.most * (k - ramp))


def cycle_index(pattern: Pattern, elapsed: float, lengthen: Lengthen | None = None) -> int:
    """The cycle running at `elapsed` (the largest k with cycle_start(k) <= elapsed)."""
    if elapsed <= 0:
        return 0
    c = pattern.cycle_seconds
    if lengthen is None or lengthen.step <= 0:
        k = int(elapsed // c)
    else:
        ramp = lengthen.ramp
        g = lengthen.step
        at_ramp = cycle_start(pattern, ramp, lengthen)
        if elapsed < at_ramp:
            # c * (g/2 k^2 + (1 - g/2) k) = elapsed
            b = 1 - g / 2
            k = int((-b + math.sqrt(b * b + 2 * g * elapsed / c)) / g)
        else:
            k = ramp + int((elapsed - at_ramp) // (c * lengthen.most))
    # Floating point can be one off right at a boundary: settle it exactly.
    while k > 0 and cycle_start(pattern, k, lengthen) > elapsed:
        k -= 1
    while cycle_start(pattern, k + 1, lengthen) <= elapsed:
        k += 1
    return k


@dataclass(frozen=True, slots=True)
class PhaseState:
    """Where a pattern is at one moment."""

    index: int
    """Which phase of the cycle (or which step)."""
    phase: Phase
    progress: float
    """How far through the phase, 0..1."""
    cycle: int
    """Cycles completed before this one (0 in the first)."""
    left: float
    """Seconds left in this phase."""
    start: float
    """Elapsed seconds at which this phase began."""
    end: float
    """Elapsed seconds at which it ends (the next boundary)."""

    @property
    def size(self) -> float:
        """The shape's size now, 0..1."""
        p = self.phase
        return p.start_size + (p.end_size - p.start_size) * self.progress


def phase_at(pattern: Pattern, elapsed: float, lengthen: Lengthen | None = None) -> PhaseState:
    """The phase at `elapsed` seconds since the start: a pure function, so it never drifts."""
    elapsed = max(0.0, elapsed)
    k = cycle_index(pattern, elapsed, lengthen)
    t0 = cycle_start(pattern, k, lengthen)
    t_next = cycle_start(pattern, k + 1, lengthen)
    scale = _scale(lengthen, k)
    start = t0
    last = len(pattern.phases) - 1
    for i, phase in enumerate(pattern.phases):
        end = t_next if i == last else start + phase.seconds * scale
        if elapsed < end or i == last:
            length = end - start
            progress = min(1.0, max(0.0, (elapsed - start) / length)) if length > 0 else 1.0
            return PhaseState(i, phase, progress, k, end - elapsed, start, end)
        start = end
    raise AssertionError("unreachable: a pattern has at least one phase")


@dataclass(frozen=True, slots=True)
class Exercise:
    """One exercise as the user set it up: a pattern and a length in minutes or in cycles."""

    pattern: Pattern
    minutes: float | None = None
    cycles: int | None = None
    lengthen: Lengthen | None = None

    @property
    def total_cycles(self) -> int:
        """Whole cycles: a length in minutes is rounded up so no breath is cut off halfway."""
        if self.cycles is not None:
            return max(1, self.cycles)
        minutes = self.minutes if self.minutes is not None else self.pattern.default_minutes
        if self.pattern.is_steps:
            return max(1, math.ceil(minutes * 60 / self.pattern.cycle_seconds - 1e-9))
        target = minutes * 60
        k = cycle_index(self.pattern, target, self.lengthen)
        if cycle_start(self.pattern, k, self.lengthen) < target - 1e-9:
            k += 1
        return max(1, k)

    @property
    def total_seconds(self) -> float:
        return cycle_start(self.pattern, self.total_cycles, self.lengthen)

    def left_text(self, elapsed: float, state: PhaseState) -> str:
        """What is left, in the unit the user chose: breaths (or rounds), or minutes."""
        if self.pattern.is_steps:
            return f"step {state.index + 1} of {len(self.pattern.phases)}"
        if self.cycles is not None:
            n = self.total_cycles - state.cycle
            return f"{n} breath{'s' * (n != 1)} left"
        left = self.total_seconds - elapsed
        if left < 60:
            return "less than a minute left"
        minutes = max(1, math.floor(left / 60 + 0.5))
        return f"about {minutes} minute{'s' * (minutes != 1)} left"


# --------------------------------------------------------------------------------------------
# Frames: what a pacer draws, and when that changes next


@dataclass(frozen=True, slots=True)
class Frame:
    """Everything a pacer draws at one moment; equal frames draw the same."""

    word: str
    count: int
    """Seconds counting up within the phase: 1, 2, 3, 4 (0 in reduced motion is never used)."""
    level: int
    """The shape's size in drawing steps, 0..levels (0 with reduced motion)."""
    left: str
    kind: str
    index: int
    cycle: int
    done: bool = False


def frame_at(
    plan: Exercise, elapsed: float, *, levels: int = 0, reduced_motion: bool = False
) -> tuple[Frame, float]:
    """What to draw at `elapsed`, and the elapsed time at which that next changes.

    `levels` is how many sizes the shape can be drawn at (eighths of a cell across its width).
    During an in- or out-breath the shape steps at most every `FRAME_SECONDS`, and each step is
    drawn at the size due at the step's start, so the drawing is constant between two steps and
    the pacer need not repaint in between. The count changes once a second, the word at each
    boundary. Past the end, the frame is `done` and the next change is never (math.inf).
    """
    total = plan.total_seconds
    if elapsed >= total:
        last = phase_at(plan.pattern, math.nextafter(total, 0.0), plan.lengthen)
        return Frame(
            "Done. Well done.", 0, 0, "finished", "done", last.index, plan.total_cycles, True
        ), math.inf
    state = phase_at(plan.pattern, elapsed, plan.lengthen)
    into = elapsed - state.start
    count = int(into) + 1
    while state.start + count <= elapsed:
        count += 1
    next_change = min(state.end, state.start + count)
    level = 0
    kind = state.phase.kind
    if not reduced_motion and levels > 0 and kind != "step":
        phase = state.phase
        span = abs(phase.end_size - phase.start_size) * levels
        length = state.end - state.start
        if span >= 1 and length > 0:
            steps = max(1, min(int(span), math.ceil(length / FRAME_SECONDS)))
            step_len = length / steps
            i = min(steps - 1, int(into // step_len))
            while i < steps - 1 and state.start + (i + 1) * step_len <= elapsed:
                i += 1  # floating point put us one step early, right at a step's start
            at = i / steps
            size = phase.start_size + (phase.end_size - phase.start_size) * at
            next_change = min(next_change, state.start + (i + 1) * step_len)
        else:
            size = phase.start_size
        level = round(size * levels)
    frame = Frame(
        state.phase.word,
        count,
        level,
        plan.left_text(elapsed, state),
        kind,
        state.index,
        state.cycle,
    )
    return frame, min(next_change, total)


_EIGHTHS = " ▏▎▍▌▋▊▉"


def render_bar(level: int, width: int) -> str:
    """A bar `level` eighths of a cell long, padded to `width` cells with spaces."""
    level = max(0, min(level, width * 8))
    full, part = divmod(level, 8)
    bar = "█" * full + (_EIGHTHS[part] if part else "")
    return bar.ljust(width)


# --------------------------------------------------------------------------------------------
# The timer


class Timer:
    """Elapsed exercise time from an injected monotonic clock; pauses and resumes exactly.

    `elapsed()` stops while paused, so pausing mid-phase resumes mid-phase. `hold_at` caps the
    elapsed time the pacer sees (a grounding step waiting for the user's key), while `active()`
    keeps counting the real time spent, for the practice log.
    """

    def __init__(self, clock: Callable[[], float]) -> None:
        self._clock = clock
        self._base = 0.0
        self._since: float | None = None
        self._shift = 0.0
        self._ceiling: float | None = None

    @property
    def running(self) -> bool:
        return self._since is not None

    def start(self) -> None:
        """Start (or resume) counting."""
        if self._since is None:
            self._since = self._clock()

    resume = start

    def pause(self) -> None:
        if self._since is not None:
            self._base += self._clock() - self._since
            self._since = None

    def active(self) -> float:
        """Seconds spent running, pauses left out."""
        extra = self._clock() - self._since if self._since is not None else 0.0
        return self._base + extra

    def elapsed(self) -> float:
        """Seconds into the exercise: running time, plus skips, capped by `hold_at`."""
        value = self.active() + self._shift
        return value if self._ceiling is None else min(value, self._ceiling)

    def hold_at(self, ceiling: float | None) -> None:
        """Let `elapsed()` go no further than `ceiling` (None: no cap)."""
        self._ceiling = ceiling

    def jump_to(self, elapsed: float) -> None:
        """Move the exercise to `elapsed` (the next step), without changing `active()`."""
        self._shift = elapsed - self.active()

    def seconds_until(self, elapsed: float) -> float:
        """Monotonic seconds from now until the exercise reaches `elapsed` (inf if paused)."""
        if not self.running or (self._ceiling is not None and elapsed > self._ceiling):
            return math.inf
        return max(0.0, elapsed - self.elapsed())
