"""Cues you can hear, for breathing with eyes closed: which cue each phase gets.

A breath phase starts with a spoken word ("in", "hold", "out", "rest") when the patient turned
spoken cues on and a speaker is there, and when the word, spoken at `SPEECH_WPM`, plus
`START_MARGIN_SECONDS` for the speaker to start, fits inside the phase. Otherwise it gets the
terminal bell alone: one to breathe in, two to breathe out (`patterns.bells_for`), never a word
that would run into the next phase. Grounding steps get no cue (their words are read, not heard).

Pure: the speaker itself is `kapprep.speech`. A test renders every word with `espeak-ng -w` at
this rate, reads each WAV's length, and checks that `SPOKEN_SECONDS` is never shorter, and that
every word chosen here fits its phase for every built-in pattern at every allowed rate.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from kapprep.grounding.patterns import bells_for

SPEECH_WPM: Final = 140
"""Words a minute for espeak-ng (its default is 175): slow and calm, still one short word."""

SPOKEN_WORDS: Final[dict[str, str]] = {"in": "in", "hold": "hold", "out": "out", "rest": "rest"}
"""The word said at the start of each kind of breath phase."""

SPOKEN_SECONDS: Final[dict[str, float]] = {"in": 0.75, "hold": 0.96, "out": 0.79, "rest": 0.85}
"""How long each word lasts at `SPEECH_WPM`: the whole WAV that `espeak-ng -s 140 -w` (1.51)
wrote for it, its trailing silence included (0.747, 0.957, 0.790 and 0.841 s), rounded up.
tests/unit/test_cues_espeak.py renders them again and fails if one grew longer."""

START_MARGIN_SECONDS: Final = 0.15
"""Time allowed for the speaker to start before its first sound. benchmarks/speech_start.py,
40 runs on the 2-CPU test machine under load (December 2026): espeak-ng took 9.8 ms (median),
19.8 ms (95th percentile) and 26.6 ms at most from spawn to its first audio sample, against
1.2 ms for `true` in the same run. 0.15 s is over five times the worst seen, leaving room for
opening a sound device, which that machine (it has none) could not measure."""

ALLOWED_RATES: Final[tuple[float, ...]] = (5.5, 6.0, 6.5)
"""Breaths a minute the app's Pace key offers besides the pattern's own (resonance: 5.5-6)."""


@dataclass(frozen=True, slots=True)
class Cue:
    """What marks the start of one phase: a spoken word, or a number of bells (or nothing)."""

    word: str | None
    bells: int

    @property
    def silent(self) -> bool:
        return self.word is None and self.bells == 0


def fits(kind: str, seconds: float) -> bool:
    """Whether the word for `kind`, spoken, plus the start-up margin, ends inside a phase of
    `seconds`."""
    spoken = SPOKEN_SECONDS.get(kind)
    return spoken is not None and spoken + START_MARGIN_SECONDS < seconds


def cue_for(kind: str, seconds: float, *, speak: bool, bell: bool) -> Cue:
    """The cue for a phase of `kind` lasting `seconds`. With `speak` (spoken cues on and a
    speaker there) the word where it fits, else the bell; the bell also when `bell` alone is on.
    """
    if speak and fits(kind, seconds):
        return Cue(SPOKEN_WORDS[kind], 0)
    if speak or bell:
        return Cue(None, bells_for(kind))
    return Cue(None, 0)
