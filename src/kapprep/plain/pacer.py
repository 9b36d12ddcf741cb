"""Breathing and grounding, one line per phase: "Breathe in, 4 seconds (2 breaths left)".

Nothing is redrawn: a line is written when a phase begins, and the pacer waits on kapprep's
clock (`clock.wait`) until the next one, or until the patient types a line: "stop" (or
"q", or Enter) ends it, "crisis" (or "!") shows the crisis information and ends it. Used by
plain mode's menu and by `kapprep breathe` whenever plain mode is chosen. No Textual here.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from kapprep import clock
from kapprep import grounding as g
from kapprep.plain.console import CRISIS_WORDS, Console
from kapprep.speech import Speaker, sound_cue

STOP_HINT = 'Type stop (or press Enter) to stop; "crisis" for crisis help.'


@dataclass
class Result:
    finished: bool
    seconds: float


def _count(seconds: float) -> str:
    n = max(1, round(seconds))
    return f"{n} second{'s' * (n != 1)}"


def phase_line(plan: g.Exercise, state: g.PhaseState, elapsed: float) -> str:
    """The line said as a phase begins."""
    length = _count(state.end - state.start)
    pattern = plan.pattern
    if pattern.is_steps:
        return f"Step {state.index + 1} of {len(pattern.phases)}: {state.phase.word} ({length})"
    return f"{state.phase.word}, {length} ({plan.left_text(elapsed, state)})"


def intro_lines(plan: g.Exercise) -> list[str]:
    pattern = plan.pattern
    minutes = plan.total_seconds / 60
    lines = [f"{pattern.name} ({pattern.summary}), about {max(1, round(minutes))} min."]
    if not pattern.is_steps:
        lines.append(g.LIGHTHEADED_WARNING)
    lines.append(STOP_HINT)
    return lines


def run(
    plan: g.Exercise, console: Console, *, bell: bool = False, speaker: Speaker | None = None
) -> Result:
    """Run `plan` to its end (finished) or until stopped (a typed line, or Ctrl-C); how long
    it ran, in seconds. With `speaker`, each breath phase's word is also said aloud where it
    fits (`kapprep.speech.sound_cue`); the bell stands in where it does not."""
    for line in intro_lines(plan):
        console.say(line)
    start = clock.monotonic()
    try:
        return _run(plan, console, bell, start, speaker)
    except KeyboardInterrupt:
        console.blank()
        return Result(False, min(clock.monotonic() - start, plan.total_seconds))


SECOND_BELL = 0.35
"""Seconds between the two bells of an out-breath: two at once often sound as one."""


def _run(
    plan: g.Exercise, console: Console, bell: bool, start: float, speaker: Speaker | None
) -> Result:
    total = plan.total_seconds
    shown: tuple[int, int] | None = None
    elapsed = 0.0
    listening = True
    second_bell: float | None = None

    def ring(times: int) -> None:
        nonlocal second_bell
        console.bell(1)
        second_bell = elapsed + SECOND_BELL if times > 1 else None

    while elapsed < total - 1e-9:
        state = g.phase_at(plan.pattern, elapsed, plan.lengthen)
        if second_bell is not None and elapsed >= second_bell:
            second_bell = None
            console.bell(1)
        if (state.index, state.cycle) != shown:
            shown = (state.index, state.cycle)
            if (bell or speaker is not None) and not plan.pattern.is_steps:
                length = state.end - state.start
                sound_cue(state.phase.kind, length, speaker=speaker, bell=bell, ring=ring)
            console.say(phase_line(plan, state, elapsed))
        wait = min(state.end, total, second_bell or math.inf) - elapsed
        if listening and console.wait_for_line(wait):
            answer = console.input.readline()
            if answer is None:
                listening = False  # input ended (a pipe, /dev/null): carry on to the end
            else:
                word = answer.strip().lower()
                if word in CRISIS_WORDS:
                    console.show_crisis()
                    return Result(False, clock.monotonic() - start)
                if word in ("", "stop", "s", "q", "quit"):
                    return Result(False, clock.monotonic() - start)
                console.say('Still breathing. Type stop to stop, or "crisis".')
        elif not listening:
            clock.wait(wait)
        elapsed = clock.monotonic() - start
    console.say("Done.")
    return Result(True, min(elapsed, total))
