"""Grounding exercises: breathing patterns and step-by-step grounding, as pure functions of time.

A pattern is data: a cycle of breath phases ("in", "hold", "out", "rest") or a list of grounding
steps. Everything the pacer shows is a pure function of the *elapsed* monotonic time since the
exercise began (`phase_at`, `frame_at`), so nothing drifts however long it runs: the boundaries fall
where the pattern says, whatever the frame rate or the delays of the event loop. `Timer` turns an
injected monotonic clock into that elapsed time, and pauses and resumes exactly.

`frame_at` also says when what is drawn next changes, so a pacer repaints only then: the shape
moves in small steps during an in- or out-breath (at most every `FRAME_SECONDS`), the count once a
second, and nothing else in between. With reduced motion only the words and the count change.

Users add their own patterns as YAML files in `paths.config_dir()/"grounding"`, checked with the
same rules and the same file:line:col messages as checklist files (the walker is shared with
`kapprep.checklists`).

No Textual here (a test proves it): the app's pacer widget and `kapprep breathe` both draw from it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta, tzinfo
from pathlib import Path
from typing import Protocol

from yaml.nodes import Node, ScalarNode

from kapprep.checklists import (
    Problem,
    _line_col,
    _Walker,
    read_document,
)

__all__ = [
    "BUILTIN",
    "DEFAULT_PATTERN",
    "FRAME_SECONDS",
    "LIGHTHEADED_WARNING",
    "Frame",
    "Lengthen",
    "Pattern",
    "PatternError",
    "Phase",
    "PhaseState",
    "Plan",
    "Problem",
    "Timer",
    "bells_for",
    "breath_pattern",
    "builtin_patterns",
    "calm_change",
    "frame_at",
    "load_patterns",
    "minutes_per_day",
    "parse_pattern",
    "phase_at",
    "render_bar",
    "sparkline",
    "step_pattern",
    "without_holds",
]

BREATH_KINDS = ("in", "hold", "out", "rest")
"""In-breath, hold after breathing in, out-breath, pause after breathing out."""
DEFAULT_WORDS = {
    "in": "Breathe in",
    "hold": "Hold",
    "out": "Breathe out",
    "rest": "Rest",
    "step": "",
}
LIGHTHEADED_WARNING = (
    "If you feel light-headed, tingly or your heart races, stop and breathe normally. If it does "
    "not settle in a few minutes, or with chest pain or trouble breathing, call the emergency "
    "number."
)
"""Shown before every breathing exercise (see `WARNING_SOURCES`)."""
WARNING_SOURCES: tuple[tuple[str, str, str], ...] = (
    (
        "NeuroBreath, breathing: a quick explainer",
        "https://neurobreath.co.uk/breathing/breath",
        "If you feel dizzy: pause, breathe normally, and try a shorter round later.",
    ),
    (
        "TripSit wiki, Emergency Procedure (chest pain)",
        "https://wiki.tripsit.me/index.php?oldid=4692&title=Emergency_Procedure",
        "Chest pains | Heart attack",
    ),
)
"""The pages the warning relies on (title, address, the page's own words)."""
MAX_HOLD_SECONDS = 8.0
"""No hold (or pause after breathing out) ever lasts longer than this: not in a built-in pattern,
not after Lengthen or any allowed rate, and a user's file with a longer one is refused with its
line and column. Longer holds can leave people light-headed."""

FRAME_SECONDS = 0.045
"""The shape moves at most this often (22 steps a second): smooth, under the 50 ms target, and
less than half the CPU of a naive 30 fps repaint (see benchmarks/pacer.py)."""
MIN_PHASE_SECONDS = 0.5
MAX_PHASE_SECONDS = 60.0
MAX_STEP_SECONDS = 600.0
MAX_BYTES = 256 * 1024
"""A pattern file larger than this is refused before it is parsed."""
FORMAT_VERSION = 1
_ID_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")
_NUMBER_RE = re.compile(r"^\d+(\.\d+)?$")


# --------------------------------------------------------------------------------------------
# The model


@dataclass(frozen=True, slots=True)
class Phase:
    """One part of a cycle: a breath phase, or one grounding step (kind "step")."""

    kind: str
    seconds: float
    word: str
    start_size: float = 0.0
    """How big the shape is when the phase starts (0..1); it moves linearly to `end_size`."""
    end_size: float = 0.0


@dataclass(frozen=True, slots=True)
class Pattern:
    """A breathing pattern (phases repeat as cycles) or a grounding exercise (steps, in order)."""

    id: str
    name: str
    description: str
    """One plain line, shown when choosing."""
    source: str
    """Where the exercise comes from, in words (a public guide, or the user's own file)."""
    phases: tuple[Phase, ...]
    default_minutes: float = 3.0
    path: str = ""
    """The user's file it was read from; "" for a built-in pattern."""
    url: str = ""
    """The page the exercise comes from (every built-in pattern names one)."""
    quote: str = ""
    """The page's own words that the exercise relies on."""

    @property
    def is_steps(self) -> bool:
        return bool(self.phases) and self.phases[0].kind == "step"

    @property
    def has_holds(self) -> bool:
        return any(p.kind in ("hold", "rest") for p in self.phases)

    @property
    def cycle_seconds(self) -> float:
        return math.fsum(p.seconds for p in self.phases)

    @property
    def moving_seconds(self) -> float:
        """The breathing part of a cycle (in- and out-breaths): what Lengthen stretches."""
        return math.fsum(p.seconds for p in self.phases if p.kind in ("in", "out"))

    @property
    def longest_hold(self) -> float:
        """The longest hold or pause after breathing out, in seconds (0 with none)."""
        return max((p.seconds for p in self.phases if p.kind in ("hold", "rest")), default=0.0)

    @property
    def summary(self) -> str:
        """The timing in a few characters: "4-4-4-4", or "5 steps"."""
        if self.is_steps:
            return f"{len(self.phases)} steps"
        return "-".join(_fmt_seconds(p.seconds) for p in self.phases)


def _fmt_seconds(value: float) -> str:
    return f"{value:g}"


class PatternError(Exception):
    """A pattern file (or files) with problems; `problems` lists each with its place."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


def _with_sizes(phases: Sequence[tuple[str, float, str]]) -> tuple[Phase, ...]:
    """Give each breath phase its shape sizes: consecutive in-phases grow the shape to full (in
    proportion to their lengths, so the sigh's second, short in-breath tops it up), out-phases
    shrink it to nothing, holds keep it. The cycle repeats, so it starts where it ends."""
    moving = [kind for kind, _, _ in phases if kind in ("in", "out")]
    level = 1.0 if moving and moving[-1] == "in" else 0.0
    out: list[Phase] = []
    i = 0
    while i < len(phases):
        kind = phases[i][0]
        if kind not in ("in", "out"):
            out.append(Phase(kind, phases[i][1], phases[i][2], level, level))
            i += 1
            continue
        j = i
        while j < len(phases) and phases[j][0] == kind:
            j += 1
        target = 1.0 if kind == "in" else 0.0
        total = math.fsum(s for _, s, _ in phases[i:j])
        done = 0.0
        for k in range(i, j):
            start = level + (target - level) * (done / total)
            done += phases[k][1]
            end = target if k == j - 1 else level + (target - level) * (done / total)
            out.append(Phase(kind, phases[k][1], phases[k][2], start, end))
        level = target
        i = j
    return tuple(out)


def breath_pattern(
    id: str,
    name: str,
    description: str,
    source: str,
    phases: Sequence[tuple[str, float] | tuple[str, float, str]],
    *,
    default_minutes: float = 3.0,
    path: str = "",
    url: str = "",
    quote: str = "",
) -> Pattern:
    """A breathing pattern from (kind, seconds[, word]) tuples; the words default to plain ones."""
    full = [(p[0], float(p[1]), p[2] if len(p) > 2 else DEFAULT_WORDS[p[0]]) for p in phases]
    return Pattern(
        id, name, description, source, _with_sizes(full), default_minutes, path, url, quote
    )


def step_pattern(
    id: str,
    name: str,
    description: str,
    source: str,
    steps: Sequence[tuple[str, float]],
    *,
    path: str = "",
    url: str = "",
    quote: str = "",
) -> Pattern:
    """A step-by-step grounding exercise: (text, seconds for the gentle timer) per step."""
    phases = tuple(Phase("step", float(s), text) for text, s in steps)
    minutes = math.fsum(p.seconds for p in phases) / 60
    return Pattern(id, name, description, source, phases, minutes, path, url, quote)


def without_holds(pattern: Pattern) -> Pattern:
    """The same pattern with no breath holds (for anyone who finds holding uncomfortable)."""
    if pattern.is_steps or not pattern.has_holds:
        return pattern
    kept = [(p.kind, p.seconds, p.word) for p in pattern.phases if p.kind in ("in", "out")]
    # Two in-phases that a hold separated (never in the built-ins) would merge: fine.
    return replace(
        pattern,
        id=f"{pattern.id}-no-holds",
        name=f"{pattern.name} (no holds)",
        phases=_with_sizes(kept),
    )


def with_rate(pattern: Pattern, breaths_per_minute: float) -> Pattern:
    """The pattern stretched or squeezed to a number of breaths a minute (resonance: 5.5-6).

    Every phase keeps its share of the cycle, except that no hold grows past `MAX_HOLD_SECONDS`:
    the time a capped hold would have taken goes to the in- and out-breaths instead, so the rate
    is still the one asked for."""
    if pattern.is_steps:
        return pattern
    target = 60.0 / breaths_per_minute
    scale = target / pattern.cycle_seconds
    held = [
        min(p.seconds * scale, MAX_HOLD_SECONDS)
        for p in pattern.phases
        if p.kind not in ("in", "out")
    ]
    moving = pattern.moving_seconds
    breathe = (target - math.fsum(held)) / moving if moving > 0 else scale
    phases = tuple(
        replace(
            p,
            seconds=p.seconds * breathe
            if p.kind in ("in", "out")
            else min(p.seconds * scale, MAX_HOLD_SECONDS),
        )
        for p in pattern.phases
    )
    summary = "-".join(f"{p.seconds:.3g}" for p in phases)
    return replace(
        pattern,
        phases=phases,
        description=f"{breaths_per_minute:g} breaths a minute ({summary}).",
    )


# --------------------------------------------------------------------------------------------
# Built-in patterns. Each names its page and the page's words (checked against the pages in
# December 2026, as /work/shared/research/kap-guides.md asks); the wording of the steps is
# kapprep's own.

_GROUNDING_URL = "https://cacheketamine.com/ketamine/ketamine-preparation/"
_GROUNDING_QUOTE = (
    "cultivate skills such as grounding and breathing exercises in order to self-treat feelings "
    "like anxiety"
)


def builtin_patterns() -> tuple[Pattern, ...]:
    """The exercises that ship with kapprep, the default first; each names the page it comes
    from and the words relied on (no hold is longer than `MAX_HOLD_SECONDS`)."""
    return (
        breath_pattern(
            "exhale",
            "Longer out-breath",
            "In for 4, out for 6. No holding. A gentle way to settle.",
            "Extended exhale (4-6), from Choose Ketamine's blog on breathing.",
            [("in", 4), ("out", 6)],
            url="https://www.chooseketamine.com/blog/the-benefits-of-preparation-after-the-pill-has-dissolved",
            quote="extending the exhale beyond the length of the inhale is the most common breath "
            "pattern for calming",
        ),
        breath_pattern(
            "box",
            "Box breathing",
            "In 4, hold 4, out 4, hold 4. Practise 2-5 minutes, a few times a day.",
            "Box breathing 4-4-4-4: balancehealthandhealing.com suggests practising it for "
            "2-5 minutes several times a day before a session.",
            [("in", 4), ("hold", 4), ("out", 4), ("rest", 4)],
            url="https://balancehealthandhealing.com/faq-how-do-i-prepare-for-ketamine-therapy/",
            quote="Please begin practicing box breathing for 2 -5 minutes several times per day.",
        ),
        breath_pattern(
            "resonance",
            "Resonance breathing",
            "In 5, out 5: about 6 breaths a minute. Slow and even.",
            "Resonance (coherent) breathing, about 5 to 6 breaths a minute, from Breathing "
            "Symphony's page on it.",
            [("in", 5), ("out", 5)],
            url="https://www.breathingsymphony.com/pattern/coherent.html",
            quote="a balanced, rhythmic pattern of inhalations and exhalations typically at a rate "
            "of 5 to 6 breath cycles per minute",
        ),
        breath_pattern(
            "4-7-8",
            "4-7-8 breathing",
            "In 4, hold 7, out 8. Skip the hold if it feels uncomfortable.",
            "4-7-8 breathing, from Well With Alchemy's page on relaxing breath.",
            [("in", 4), ("hold", 7), ("out", 8)],
            url="https://wellwithalchemy.com/relaxing-breath/",
            quote="Hold your breath for a count seven.",
        ),
        breath_pattern(
            "sigh",
            "Physiological sigh",
            "Two breaths in, one long breath out.",
            "The physiological sigh (two inhales, one long exhale), from Kathleen Francis's "
            "page on it.",
            [("in", 2), ("in", 1, "A little more in"), ("out", 6, "Long breath out")],
            default_minutes=2.0,
            url="https://kathleenfrancis.ca/blog/physiological-sigh",
            quote="a pattern of breathing of two inhales, followed by an extended exhale",
        ),
        step_pattern(
            "54321",
            "5-4-3-2-1 senses",
            "Notice 5 things you see, 4 you touch, 3 you hear, 2 you smell, 1 you taste.",
            "The 5-4-3-2-1 grounding exercise, from Empathics' page on it. Out loud or "
            "silently. Not while driving.",
            [
                ("Name five things you can see.", 30),
                ("Name four things you can touch. Feel them.", 30),
                ("Name three things you can hear.", 30),
                ("Name two things you can smell. If there are none, recall a favourite smell.", 30),
                ("Name one thing you can taste. If there is none, recall a favourite taste.", 30),
            ],
            url="https://empathics.co.uk/?p=223",
            quote="Please do not attempt this technique while driving.",
        ),
        step_pattern(
            "body-scan",
            "Short body scan",
            "Notice each part of your body in turn, from your feet up.",
            "A short body scan. cacheketamine.com suggests practising grounding for anxiety; "
            "the steps are kapprep's own wording.",
            [
                ("Notice your feet. Feel where they touch the floor.", 20),
                ("Notice your legs, heavy and supported.", 20),
                ("Notice your belly rise and fall as you breathe.", 20),
                ("Notice your chest and shoulders. Let them soften.", 20),
                ("Notice your arms and hands. Let them rest.", 20),
                ("Notice your jaw and face. Let them loosen.", 20),
                ("Notice your whole body, here and now.", 20),
            ],
            url=_GROUNDING_URL,
            quote=_GROUNDING_QUOTE,
        ),
        step_pattern(
            "orienting",
            "Orienting",
            "Feel your feet on the floor, look around, name where you are.",
            "An orienting exercise. cacheketamine.com suggests practising grounding for anxiety; "
            "the steps are kapprep's own wording.",
            [
                ("Put your feet flat on the floor. Feel the ground under you.", 20),
                ("Slowly look around the room. Let your eyes rest on what they find.", 25),
                ("Name where you are, out loud or silently.", 20),
                ("Name today's day and the time.", 20),
                ("Name one thing around you that feels safe or pleasant.", 25),
            ],
            url=_GROUNDING_URL,
            quote=_GROUNDING_QUOTE,
        ),
    )


DEFAULT_PATTERN = "exhale"
"""Starting takes no questions: this one, gentle and with no holds, unless the user chose another."""

BUILTIN: dict[str, Pattern] = {p.id: p for p in builtin_patterns()}


def bells_for(kind: str) -> int:
    """How many terminal bells mark the start of a phase: one to breathe in, two to breathe out."""
    return {"in": 1, "out": 2}.get(kind, 0)


# --------------------------------------------------------------------------------------------
# Time: cycles, phases, plans


@dataclass(frozen=True, slots=True)
class Lengthen:
    """Lengthen the breaths slowly: in cycle k the in- and out-breaths last `1 + step * k` times
    the pattern's, up to `most`. Holds keep their length, so none grows past the pattern's own
    (and so never past `MAX_HOLD_SECONDS`)."""

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


def _scale_sum(lengthen: Lengthen, k: int) -> float:
    """The sum of the breath scales of cycles 0..k-1, in closed form."""
    ramp = lengthen.ramp
    if k <= ramp:
        return k + lengthen.step * k * (k - 1) / 2
    return ramp + lengthen.step * ramp * (ramp - 1) / 2 + lengthen.most * (k - ramp)


def _phase_seconds(phase: Phase, scale: float) -> float:
    """How long a phase lasts in a cycle whose breaths are stretched by `scale` (holds are not)."""
    return phase.seconds * scale if phase.kind in ("in", "out") else phase.seconds


def cycle_start(pattern: Pattern, k: int, lengthen: Lengthen | None = None) -> float:
    """Elapsed seconds at which cycle `k` (0-based) starts; a closed form, so exact for any k."""
    if lengthen is None or lengthen.step <= 0:
        return pattern.cycle_seconds * k
    moving = pattern.moving_seconds
    held = pattern.cycle_seconds - moving
    return held * k + moving * _scale_sum(lengthen, k)


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
        moving = pattern.moving_seconds
        held = c - moving
        at_ramp = cycle_start(pattern, ramp, lengthen)
        if elapsed < at_ramp and moving > 0:
            # (moving g/2) k^2 + (held + moving (1 - g/2)) k = elapsed
            a = moving * g / 2
            b = held + moving * (1 - g / 2)
            k = int((-b + math.sqrt(b * b + 4 * a * elapsed)) / (2 * a))
        elif elapsed < at_ramp:
            k = int(elapsed // c)
        else:
            k = ramp + int((elapsed - at_ramp) // (held + moving * lengthen.most))
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
        end = t_next if i == last else start + _phase_seconds(phase, scale)
        if elapsed < end or i == last:
            length = end - start
            progress = min(1.0, max(0.0, (elapsed - start) / length)) if length > 0 else 1.0
            return PhaseState(i, phase, progress, k, end - elapsed, start, end)
        start = end
    raise AssertionError("unreachable: a pattern has at least one phase")


@dataclass(frozen=True, slots=True)
class Plan:
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
    plan: Plan, elapsed: float, *, levels: int = 0, reduced_motion: bool = False
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


# --------------------------------------------------------------------------------------------
# The user's own patterns, from YAML

_TOP_KEYS = {
    "format": "the format version, always 1",
    "id": "a short name for the exercise, like slow-exhale",
    "name": "the exercise's name, shown when choosing",
    "description": "one line saying what to do",
    "source": "where the exercise comes from",
    "breaths": "the breath phases, like '- in: 4'",
    "steps": "the grounding steps, each with text and seconds",
    "minutes": "how long it runs unless you choose",
}
_TOP_REQUIRED = ("format", "id", "name")
_PHASE_KEYS = {**{k: "" for k in BREATH_KINDS}, "say": "the word shown, like Breathe in"}
_STEP_KEYS = {"text": "what to do in this step", "seconds": "how long before the next step"}
_REWORD = (
    ("keep one checklist per file", "keep one exercise per file"),
    ("checklists do not", "exercise files do not"),
    ("checklists\n", "exercise files\n"),
    ("in checklists", "in exercise files"),
    ("a checklist needs", "an exercise needs"),
)


def _reword(problem: Problem) -> Problem:
    """The shared checklist helpers speak of checklists; say "exercise" instead."""
    message = problem.message
    for old, new in _REWORD:
        message = message.replace(old, new)
    return replace(problem, message=message)


class _PatternWalker(_Walker):
    """The checklist walker's shape checks (mappings, duplicate keys, aliases, tags) reused for
    the pattern format."""

    def number(self, node: Node, what: str, low: float, high: float) -> float | None:
        raw = node.value.strip() if isinstance(node, ScalarNode) else ""
        if not isinstance(node, ScalarNode) or not _NUMBER_RE.match(raw):
            shown = f'"{node.value}"' if isinstance(node, ScalarNode) else "a list or a mapping"
            self.err(node, f"{what} should be a number of seconds like 4 or 5.5, not {shown}")
            return None
        value = float(raw)
        if not low <= value <= high:
            self.err(node, f"{what} should be from {low:g} to {high:g} seconds, not {raw}")
            return None
        return value

    def pattern(self, root: Node) -> Pattern | None:
        if not self.visit(root):
            return None
        top = self.mapping(root, "the exercise", _TOP_KEYS)
        if top is None:
            return None
        self.require(root, top, _TOP_REQUIRED, "the exercise", _TOP_KEYS)
        if "format" in top:
            node = top["format"][1]
            if not (isinstance(node, ScalarNode) and node.value.strip() == str(FORMAT_VERSION)):
                self.err(node, f"format should be {FORMAT_VERSION}")
        pid = self.ident(top["id"][1], "the exercise id") if "id" in top else None
        name = self.text(top["name"][1], "name") if "name" in top else None
        description = (
            self.text(top["description"][1], "description") if "description" in top else None
        )
        source = self.text(top["source"][1], "source") if "source" in top else None
        minutes = self.number(top["minutes"][1], "minutes", 0.5, 120) if "minutes" in top else None
        has_breaths, has_steps = "breaths" in top, "steps" in top
        if has_breaths == has_steps:
            self.err(
                root,
                "an exercise needs either breaths (a breathing pattern) or steps (grounding "
                "steps), not both"
                if has_steps
                else "an exercise needs either breaths (a breathing pattern) or steps (grounding steps)",
            )
            return None
        built: Pattern | None = None
        desc = description or ""
        src = source or f"your own exercise ({self.path})"
        if has_breaths:
            phases = self.breaths(top["breaths"][1])
            if phases is not None and pid and name:
                built = breath_pattern(pid, name, desc, src, phases, path=self.path)
                if minutes is not None:
                    built = replace(built, default_minutes=minutes)
        else:
            steps = self.steps(top["steps"][1])
            if steps is not None and pid and name:
                built = step_pattern(pid, name, desc, src, steps, path=self.path)
        return built if not self.problems else None

    def breaths(self, node: Node) -> list[tuple[str, float, str]] | None:
        entries = self.sequence(node, "breaths")
        if entries is None:
            return None
        out: list[tuple[str, float, str]] = []
        for n, entry in enumerate(entries, start=1):
            where = f"breath phase {n}"
            found = self.mapping(entry, where, _PHASE_KEYS)
            if found is None:
                continue
            kinds = [k for k in found if k in BREATH_KINDS]
            if len(kinds) != 1:
                self.err(entry, f"{where} needs exactly one of in, hold, out or rest, like 'in: 4'")
                continue
            kind = kinds[0]
            seconds = self.number(
                found[kind][1], f"{where}'s {kind}", MIN_PHASE_SECONDS, MAX_PHASE_SECONDS
            )
            if seconds is not None and kind in ("hold", "rest") and seconds > MAX_HOLD_SECONDS:
                self.err(
                    found[kind][1],
                    f"{where}'s {kind} is {seconds:g} seconds; a hold may last at most "
                    f"{MAX_HOLD_SECONDS:g} seconds here, because longer holds can make you "
                    f"light-headed. Write {MAX_HOLD_SECONDS:g} or less",
                )
                seconds = None
            say = (
                self.text(found["say"][1], f"{where}'s say")
                if "say" in found
                else DEFAULT_WORDS[kind]
            )
            if seconds is not None and say is not None:
                out.append((kind, seconds, say))
        if out and not {"in", "out"} <= {k for k, _, _ in out}:
            self.err(node, "breaths needs at least one 'in' and one 'out' phase")
        if not entries:
            self.err(node, "breaths is empty; add phases like '- in: 4' and '- out: 6'")
        return out

    def steps(self, node: Node) -> list[tuple[str, float]] | None:
        entries = self.sequence(node, "steps")
        if entries is None:
            return None
        if not entries:
            self.err(node, "steps is empty; add at least one step with text and seconds")
        out: list[tuple[str, float]] = []
        for n, entry in enumerate(entries, start=1):
            where = f"step {n}"
            found = self.mapping(entry, where, _STEP_KEYS)
            if found is None:
                continue
            self.require(entry, found, ("text",), where, _STEP_KEYS)
            text = self.text(found["text"][1], f"{where}'s text") if "text" in found else None
            seconds = (
                self.number(found["seconds"][1], f"{where}'s seconds", 5, MAX_STEP_SECONDS)
                if "seconds" in found
                else 30.0
            )
            if text is not None and seconds is not None:
                out.append((text, seconds))
        return out


def parse_pattern(text: str, path: str = "<text>") -> tuple[Pattern | None, list[Problem]]:
    """Validate one pattern file's text; return the pattern (or None) and every problem.

    The same steps as checklists (`kapprep.checklists.read_document`): tabs reported and read as
    the author meant them, anchors, aliases and tags reported where written, YAML syntax errors in
    plain words, then the walk."""

    def walk(root: Node) -> tuple[Pattern | None, list[Problem]]:
        walker = _PatternWalker(path)
        return walker.pattern(root), walker.problems

    pattern, problems = read_document(
        text, path, walk, nested="the file is nested too deeply to be an exercise", empty=_EMPTY
    )
    return pattern, [_reword(p) for p in problems]


_EMPTY = "the file is empty; an exercise needs format, id, name, and breaths or steps"


def _read(path: Path) -> tuple[str | None, list[Problem]]:
    """The file's text, or why it cannot be read (too big, binary, not UTF-8)."""
    from kapprep.files import NotAFileError, read_regular

    name = str(path)
    try:
        data = read_regular(path, MAX_BYTES + 1)
    except NotAFileError:
        return None, [Problem(name, 1, 1, "this is not a file (a pipe or a device)")]
    except OSError as exc:
        return None, [
            Problem(name, 1, 1, f"cannot read this file ({exc.strerror or 'unknown reason'})")
        ]
    if len(data) > MAX_BYTES:
        return None, [
            Problem(
                name,
                1,
                1,
                f"the file is too big; exercise files may be at most {MAX_BYTES // 1024} KiB",
            )
        ]
    if not data.removeprefix(b"\xef\xbb\xbf").strip():
        return None, [Problem(name, 1, 1, _EMPTY)]
    nul = data.find(b"\x00")
    if nul != -1:
        line, col = _line_col(data, nul)
        return None, [Problem(name, line, col, "this is not a text file (it contains binary data)")]
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        line, col = _line_col(data, exc.start)
        return None, [
            Problem(name, line, col, "this character is not UTF-8 text; save the file as UTF-8")
        ]


def load_file(path: Path) -> tuple[Pattern | None, list[Problem]]:
    text, problems = _read(path)
    if text is None:
        return None, problems
    return parse_pattern(text, str(path))


def load_patterns(folders: Iterable[Path] = ()) -> tuple[dict[str, Pattern], list[Problem]]:
    """The built-in patterns, then the user's (a user file with a built-in's id replaces it).

    A file with mistakes is left out and its problems returned; the rest still load.
    """
    patterns = dict(BUILTIN)
    problems: list[Problem] = []
    for folder in folders:
        if not folder.is_dir():
            continue
        seen: dict[str, str] = {}
        for path in sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml")):
            pattern, found = load_file(path)
            problems.extend(found)
            if pattern is None:
                continue
            if pattern.id in seen:
                problems.append(
                    Problem(
                        str(path),
                        1,
                        1,
                        f'exercise id "{pattern.id}" is also used by {seen[pattern.id]}; give one of them another id',
                    )
                )
                continue
            seen[pattern.id] = str(path)
            patterns[pattern.id] = pattern
    return patterns, problems


def user_patterns_dir() -> Path:
    """Where the user's own exercises live: `<config folder>/grounding/*.yaml`."""
    from kapprep import paths

    return paths.config_dir() / "grounding"


# --------------------------------------------------------------------------------------------
# The practice log, summed up


class PracticeLike(Protocol):
    """What the summaries read from a logged practice (`kapprep.store.Practice` fits)."""

    @property
    def started_at(self) -> datetime: ...
    @property
    def seconds(self) -> float: ...
    @property
    def calm_before(self) -> int | None: ...
    @property
    def calm_after(self) -> int | None: ...


def minutes_per_day(
    practices: Iterable[PracticeLike], today: date, zone: tzinfo, days: int = 14
) -> list[float]:
    """Minutes practised on each of the last `days` days in `zone`, oldest first, today last."""
    first = today - timedelta(days=days - 1)
    out = [0.0] * days
    for practice in practices:
        day = practice.started_at.astimezone(zone).date()
        if first <= day <= today:
            out[(day - first).days] += practice.seconds / 60
    return out


def calm_change(practices: Iterable[PracticeLike]) -> tuple[float, int] | None:
    """The average change from "calm before" to "calm after", and over how many practices."""
    pairs = [
        (p.calm_after - p.calm_before)
        for p in practices
        if p.calm_before is not None and p.calm_after is not None
    ]
    if not pairs:
        return None
    return math.fsum(pairs) / len(pairs), len(pairs)


_SPARK = " ▁▂▃▄▅▆▇█"


def sparkline(values: Sequence[float]) -> str:
    """One character per value, scaled to the largest; a day with no practice is a blank."""
    top = max(values, default=0.0)
    if top <= 0:
        return "·" * len(values)
    chars = []
    for value in values:
        if value <= 0:
            chars.append("·")
        else:
            chars.append(_SPARK[max(1, min(8, math.ceil(value / top * 8)))])
    return "".join(chars)


def practised(seconds: float) -> str:
    """How long someone practised, in calm words: "40 seconds", "3 min" (the app and the CLI)."""
    return f"{seconds / 60:.0f} min" if seconds >= 90 else f"{seconds:.0f} seconds"
