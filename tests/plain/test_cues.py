"""Cues you hear in plain mode and in `kapprep breathe` (issue 24): each breath phase's word said
through the speaker (faked here), the first phase too; a failing speaker said once, then the bell;
an out-breath's two bells apart, never sent as one "\\a\\a" that a terminal plays as one."""

from __future__ import annotations

import io

from fake_speaker import fake_speaker
from kapprep import clock
from kapprep import grounding as g
from kapprep.cli import breathe_inline
from kapprep.plain import pacer
from kapprep.plain.console import Console


class Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_plain_mode_says_each_breath_phase() -> None:
    out = Tty()
    speaker, said = fake_speaker()
    with clock.run_fast():
        result = pacer.run(
            g.Exercise(g.BUILTIN["box"], cycles=2), Console(io.StringIO(), out), speaker=speaker
        )
    assert result.finished
    assert said == ["in", "hold", "out", "rest"] * 2
    assert "\a" not in out.getvalue()  # the words stand in for the bell


def test_plain_mode_a_failing_speaker_is_said_once_then_the_bell() -> None:
    out = Tty()
    console = Console(io.StringIO(), out)
    speaker, said = fake_speaker(code=1, on_problem=console.say)
    with clock.run_fast():
        pacer.run(g.Exercise(g.BUILTIN["exhale"], cycles=3), console, speaker=speaker)
    text = out.getvalue()
    assert said == ["in"]
    assert text.count("Spoken cues stopped") == 1
    assert text.count("\a") == 2 + 1 + 2 + 1 + 2  # out, in, out, in, out after the first word


class TimedConsole(Console):
    """Notes when (on the fast clock) each bell was written."""

    def __init__(self) -> None:
        super().__init__(io.StringIO(), Tty())
        self.rung: list[float] = []

    def bell(self, times: int = 1) -> None:
        assert times == 1  # never "\a\a" at once: a terminal plays that as one bell
        self.rung.append(round(clock.monotonic(), 2))
        super().bell(times)


def test_plain_mode_rings_the_out_breaths_two_bells_apart() -> None:
    console = TimedConsole()
    with clock.run_fast() as fast:
        start = fast.elapsed
        pacer.run(g.Exercise(g.BUILTIN["exhale"], cycles=2), console, bell=True)
    rung = [round(t - start, 2) for t in console.rung]
    assert rung == [0.0, 4.0, 4.35, 10.0, 14.0, 14.35]  # in: one; out: two, 0.35 s apart


class Fake:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_breathe_inline_says_the_first_phase_and_each_after() -> None:
    fake = Fake()
    speaker, said = fake_speaker()
    inline = breathe_inline.Inline(
        g.Exercise(g.BUILTIN["box"], cycles=1), clock=fake, stdout=Tty(), speaker=speaker
    )
    inline.timer.start()
    for _ in range(4):
        inline._draw()
        fake.now += 4.0
    assert said == ["in", "hold", "out", "rest"]
    inline._keys(" ")  # a pause, and carrying on, cue nothing again
    inline._draw()
    inline._keys(" ")
    inline._draw()
    assert said == ["in", "hold", "out", "rest"]


def test_breathe_inline_a_failing_speaker_shows_and_rings() -> None:
    fake = Fake()
    out = Tty()
    speaker, said = fake_speaker(code=1)
    inline = breathe_inline.Inline(
        g.Exercise(g.BUILTIN["exhale"], cycles=2), clock=fake, stdout=out, speaker=speaker
    )
    speaker.on_problem = inline.told
    inline.timer.start()
    inline._draw()
    fake.now += 4.0
    inline._draw()
    assert said == ["in"]
    assert "bell instead of spoken cues" in inline.drawn[-1]
    assert out.getvalue().count("\a") == 1 and inline._bell_at is not None  # the second to come
