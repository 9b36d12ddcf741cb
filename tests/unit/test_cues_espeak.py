"""Spoken cues fit their phases (issue 24): every word kapprep would say, rendered with
`espeak-ng -w` at kapprep's own rate, its WAV length read with `wave`, plus the stated start-up
margin, ends before its phase does, for every built-in pattern (with and without holds) at its own
pace and at every rate the app's Pace key offers, and at every rate `kapprep breathe --rate`
accepts (3 to 12 breaths a minute, in half steps). Where a word cannot fit, the phase gets the
bell alone.

espeak-ng is needed: without it these tests are skipped on a developer's machine, and fail under
CI (`CI=true`, as `.ci/run` runs them, which installs it)."""

from __future__ import annotations

import os
import shutil
import subprocess
import wave
from functools import cache
from pathlib import Path

import pytest

from kapprep import grounding as g
from kapprep.grounding import cues
from kapprep.speech import espeak_args

IN_CI = os.environ.get("CI", "").strip().lower() in {"true", "1", "yes"}
HAVE = shutil.which("espeak-ng") is not None
pytestmark = pytest.mark.skipif(
    not HAVE and not IN_CI,
    reason="espeak-ng is not installed (with CI=true this is a failure, not a skip)",
)

BREATHS = [p for p in g.builtin_patterns() if not p.is_steps]
CLI_RATES = [3 + 0.5 * n for n in range(19)]  # 3, 3.5, ... 12: what --rate accepts


@cache
def _wav_seconds(word: str, folder: str) -> float:
    assert HAVE, "espeak-ng is not installed: .ci/run installs it (Debian package espeak-ng)"
    path = Path(folder) / f"{word}.wav"
    subprocess.run([*espeak_args(word), "-w", str(path)], check=True, capture_output=True)
    with wave.open(str(path), "rb") as wav:
        frames, rate = wav.getnframes(), wav.getframerate()
    assert frames > 0, f"espeak-ng wrote no sound for {word!r}"
    return frames / rate


@pytest.fixture(scope="module")
def spoken(tmp_path_factory: pytest.TempPathFactory) -> dict[str, float]:
    folder = str(tmp_path_factory.mktemp("cues"))
    return {kind: _wav_seconds(word, folder) for kind, word in cues.SPOKEN_WORDS.items()}


def _variants(rates: list[float | None]) -> list[tuple[str, g.Pattern]]:
    out = []
    for pattern in BREATHS:
        for base in (pattern, g.without_holds(pattern)):
            for rate in rates:
                shaped = base if rate is None else g.with_rate(base, rate)
                out.append((f"{base.id}@{rate or 'own'}", shaped))
    return out


def test_the_stated_lengths_are_never_shorter_than_espeak_ng_speaks(
    spoken: dict[str, float],
) -> None:
    for kind, seconds in spoken.items():
        assert seconds <= cues.SPOKEN_SECONDS[kind], (kind, seconds)


@pytest.mark.parametrize("rates", [[None, *cues.ALLOWED_RATES], CLI_RATES], ids=["app", "cli"])
def test_every_spoken_cue_plus_the_margin_ends_inside_its_phase(
    spoken: dict[str, float], rates: list[float | None]
) -> None:
    said = 0
    for name, pattern in _variants(rates):
        for phase in pattern.phases:
            cue = cues.cue_for(phase.kind, phase.seconds, speak=True, bell=False)
            if cue.word is None:
                assert cue.bells == g.bells_for(phase.kind), (name, phase)  # the bell alone
                continue
            said += 1
            ends = spoken[phase.kind] + cues.START_MARGIN_SECONDS
            assert ends < phase.seconds, f"{name}: {cue.word!r} ({ends:.3f} s) in {phase}"
    assert said > 0


def test_at_the_apps_paces_every_breath_of_two_seconds_or_more_is_spoken() -> None:
    for name, pattern in _variants([None, *cues.ALLOWED_RATES]):
        for phase in pattern.phases:
            cue = cues.cue_for(phase.kind, phase.seconds, speak=True, bell=False)
            if phase.seconds >= 2:
                assert cue.word == cues.SPOKEN_WORDS[phase.kind], (name, phase)
