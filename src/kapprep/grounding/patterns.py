"""Breathing and grounding patterns as data: a cycle of breath phases ("in", "hold", "out",
"rest") or a list of grounding steps, and the built-in ones with their sources.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace

from kapprep.checklists import (
    Problem,
)
from kapprep.errors import KapprepError

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
    "If you feel light-headed, tingly or your heart races, stop and breathe normally."
)
"""Shown before every breathing exercise (from a public terminal pacer; see kap-guides.md)."""


MIN_PHASE_SECONDS = 0.5
MAX_PHASE_SECONDS = 60.0
MAX_STEP_SECONDS = 600.0


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
    def summary(self) -> str:
        """The timing in a few characters: "4-4-4-4", or "5 steps"."""
        if self.is_steps:
            return f"{len(self.phases)} steps"
        return "-".join(_fmt_seconds(p.seconds) for p in self.phases)


def _fmt_seconds(value: float) -> str:
    return f"{value:g}"


class PatternError(KapprepError):
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
) -> Pattern:
    """A breathing pattern from (kind, seconds[, word]) tuples; the words default to plain ones."""
    full = [(p[0], float(p[1]), p[2] if len(p) > 2 else DEFAULT_WORDS[p[0]]) for p in phases]
    return Pattern(id, name, description, source, _with_sizes(full), default_minutes, path)


def step_pattern(
    id: str,
    name: str,
    description: str,
    source: str,
    steps: Sequence[tuple[str, float]],
    *,
    path: str = "",
) -> Pattern:
    """A step-by-step grounding exercise: (text, seconds for the gentle timer) per step."""
    phases = tuple(Phase("step", float(s), text) for text, s in steps)
    minutes = math.fsum(p.seconds for p in phases) / 60
    return Pattern(id, name, description, source, phases, minutes, path)


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
    """The pattern stretched or squeezed to a number of breaths a minute (resonance: 5.5-6)."""
    if pattern.is_steps:
        return pattern
    scale = (60.0 / breaths_per_minute) / pattern.cycle_seconds
    phases = tuple(replace(p, seconds=p.seconds * scale) for p in pattern.phases)
    summary = "-".join(f"{p.seconds:.3g}" for p in phases)
    return replace(
        pattern,
        phases=phases,
        description=f"{breaths_per_minute:g} breaths a minute ({summary}).",
    )


# --------------------------------------------------------------------------------------------
# Built-in patterns. Sources: the project's research notes (kap-guides.md) (public clinic and
# mental-health pages); the wording of the steps is kapprep's own.

_BREATH_SOURCE = (
    "A common paced-breathing pattern. cacheketamine.com suggests practising breathing and "
    "grounding for anxiety before a session."
)


def builtin_patterns() -> tuple[Pattern, ...]:
    """The exercises that ship with kapprep, the default first."""
    return (
        breath_pattern(
            "exhale",
            "Longer out-breath",
            "In for 4, out for 6. No holding. A gentle way to settle.",
            "Extended exhale (4-6). " + _BREATH_SOURCE,
            [("in", 4), ("out", 6)],
        ),
        breath_pattern(
            "box",
            "Box breathing",
            "In 4, hold 4, out 4, hold 4. Practise 2-5 minutes, a few times a day.",
            "Box breathing 4-4-4-4: balancehealthandhealing.com suggests practising it for "
            "2-5 minutes several times a day before a dosing day.",
            [("in", 4), ("hold", 4), ("out", 4), ("rest", 4)],
        ),
        breath_pattern(
            "resonance",
            "Resonance breathing",
            "In 5, out 5: about 6 breaths a minute. Slow and even.",
            "Resonance (coherent) breathing, about 5.5-6 breaths a minute. " + _BREATH_SOURCE,
            [("in", 5), ("out", 5)],
        ),
        breath_pattern(
            "4-7-8",
            "4-7-8 breathing",
            "In 4, hold 7, out 8. Skip the hold if it feels uncomfortable.",
            "4-7-8 breathing. " + _BREATH_SOURCE,
            [("in", 4), ("hold", 7), ("out", 8)],
        ),
        breath_pattern(
            "sigh",
            "Physiological sigh",
            "Two breaths in, one long breath out.",
            "The physiological sigh (two inhales, one long exhale). " + _BREATH_SOURCE,
            [("in", 2), ("in", 1, "A little more in"), ("out", 6, "Long breath out")],
            default_minutes=2.0,
        ),
        step_pattern(
            "54321",
            "5-4-3-2-1 senses",
            "Notice 5 things you see, 4 you touch, 3 you hear, 2 you smell, 1 you taste.",
            "The 5-4-3-2-1 grounding exercise, from several public mental-health pages. "
            "Out loud or silently. Not while driving.",
            [
                ("Name five things you can see.", 30),
                ("Name four things you can touch. Feel them.", 30),
                ("Name three things you can hear.", 30),
                ("Name two things you can smell. If there are none, recall a favourite smell.", 30),
                ("Name one thing you can taste. If there is none, recall a favourite taste.", 30),
            ],
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
        ),
    )


DEFAULT_PATTERN = "exhale"
"""Starting takes no questions: this one, gentle and with no holds, unless the user chose another."""

BUILTIN: dict[str, Pattern] = {p.id: p for p in builtin_patterns()}


def bells_for(kind: str) -> int:
    """How many terminal bells mark the start of a phase: one to breathe in, two to breathe out."""
    return {"in": 1, "out": 2}.get(kind, 0)
