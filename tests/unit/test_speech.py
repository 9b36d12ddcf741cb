"""Spoken cues (issue 24): which cue a phase gets, and a speaker that never blocks or raises.

The speaker is driven with a fake `which` and `spawn`, so nothing is said out loud here; the
lengths of the real words are checked against espeak-ng in test_cues_espeak.py."""

from __future__ import annotations

import subprocess
from typing import Any

import pytest

from fake_speaker import FakeProc
from kapprep.grounding import cues
from kapprep.speech import NONE_FOUND, Speaker, command, sound_cue


class Spawner:
    def __init__(self, *procs: FakeProc | Exception) -> None:
        self.procs = list(procs)
        self.calls: list[tuple[list[str], dict[str, Any]]] = []

    def __call__(self, args: list[str], **kwargs: Any) -> FakeProc:
        self.calls.append((args, kwargs))
        proc = self.procs.pop(0) if self.procs else FakeProc()
        if isinstance(proc, Exception):
            raise proc
        return proc


def _which(*present: str) -> Any:
    return lambda name: f"/usr/bin/{name}" if name in present else None


def test_a_word_that_fits_is_spoken_and_rings_no_bell() -> None:
    assert cues.cue_for("in", 4, speak=True, bell=True) == cues.Cue("in", 0)
    assert cues.cue_for("out", 6, speak=True, bell=False) == cues.Cue("out", 0)
    assert cues.cue_for("rest", 4, speak=True, bell=False) == cues.Cue("rest", 0)


def test_a_word_that_does_not_fit_gets_the_bell_alone() -> None:
    short = cues.SPOKEN_SECONDS["in"] + cues.START_MARGIN_SECONDS  # exactly full: no room
    assert cues.cue_for("in", short, speak=True, bell=False) == cues.Cue(None, 1)
    assert cues.cue_for("out", 0.6, speak=True, bell=False) == cues.Cue(None, 2)
    assert cues.cue_for("hold", 0.6, speak=True, bell=False) == cues.Cue(None, 0)


def test_bell_only_and_nothing() -> None:
    assert cues.cue_for("in", 4, speak=False, bell=True) == cues.Cue(None, 1)
    assert cues.cue_for("out", 4, speak=False, bell=True) == cues.Cue(None, 2)
    assert cues.cue_for("out", 4, speak=False, bell=False).silent
    assert cues.cue_for("step", 30, speak=True, bell=True).silent


def test_spd_say_is_preferred_and_espeak_ng_runs_at_kapprep_rate() -> None:
    assert Speaker(which=_which("spd-say", "espeak-ng")).program == "spd-say"
    assert Speaker(which=_which("espeak-ng")).program == "espeak-ng"
    assert command("espeak-ng", "in") == ["espeak-ng", "-s", str(cues.SPEECH_WPM), "in"]
    assert command("spd-say", "out")[0] == "spd-say"


def test_saying_starts_a_process_and_returns_at_once() -> None:
    spawn = Spawner(FakeProc(code=None))
    speaker = Speaker(which=_which("espeak-ng"), spawn=spawn)
    assert speaker.say("in")
    ((args, kwargs),) = spawn.calls
    assert args[-1] == "in"
    assert kwargs["stdin"] is subprocess.DEVNULL and kwargs["start_new_session"]
    speaker.close()  # the one still speaking is stopped and collected


def test_no_speaker_is_said_once_and_the_bell_rings() -> None:
    told: list[str] = []
    rung: list[int] = []
    speaker = Speaker(which=_which(), on_problem=told.append)
    assert not speaker.available
    for _ in range(3):
        cue = sound_cue("out", 6, speaker=speaker, bell=False, ring=rung.append)
        assert cue == cues.Cue(None, 2)
    assert told == [NONE_FOUND]
    assert rung == [2, 2, 2]


@pytest.mark.parametrize(
    "first",
    [FakeProc(code=1), FakeProc(code=0, stderr=b"ALSA lib ...\nerror: No such file"), OSError()],
    ids=["exit-1", "error-on-stderr", "cannot-start"],
)
def test_a_failing_speaker_turns_to_the_bell_said_once(first: FakeProc | Exception) -> None:
    told: list[str] = []
    rung: list[int] = []
    spawn = Spawner(first)
    speaker = Speaker(which=_which("espeak-ng"), spawn=spawn, on_problem=told.append)
    sound_cue("in", 4, speaker=speaker, bell=False, ring=rung.append)
    for _ in range(3):
        cue = sound_cue("in", 4, speaker=speaker, bell=False, ring=rung.append)
        assert cue == cues.Cue(None, 1)
    assert len(spawn.calls) == 1  # never tried again
    assert len(told) == 1 and "espeak-ng" in told[0] and "bell" in told[0]
    assert rung[-3:] == [1, 1, 1]


def test_a_working_speaker_is_used_phase_after_phase() -> None:
    spawn = Spawner()
    rung: list[int] = []
    speaker = Speaker(which=_which("espeak-ng"), spawn=spawn, on_problem=pytest.fail)
    said = [
        sound_cue(kind, 4, speaker=speaker, bell=True, ring=rung.append).word
        for kind in ("in", "hold", "out", "rest")
    ]
    assert said == ["in", "hold", "out", "rest"]
    assert rung == []
