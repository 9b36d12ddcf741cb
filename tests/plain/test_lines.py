"""Plain mode's pieces in-process: the pacer's lines on the fast clock, ASCII and widths, and
the one voice shared with the app (`kapprep.messages`)."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

from kapprep import clock, messages
from kapprep import grounding as g
from kapprep.checklist_model import ChecklistSet
from kapprep.plain import pacer
from kapprep.plain.console import WIDTH, Console, Leave, User, cells, to_ascii
from kapprep.plain.core import PlainApp, spoken
from kapprep.store import Store, StoreError


def _console(text: str = "") -> tuple[Console, io.StringIO]:
    out = io.StringIO()
    return Console(io.StringIO(text), out, crisis=lambda: ["CRISIS LINES"]), out


def test_two_minutes_of_breathing_one_line_a_phase_on_the_fast_clock() -> None:
    console, out = _console()
    plan = g.Exercise(g.BUILTIN["box"], minutes=2)
    with clock.run_fast() as fast:
        result = pacer.run(plan, console)
    lines = out.getvalue().splitlines()
    assert (result.finished, result.seconds, fast.elapsed) == (True, 128.0, 128.0)
    phases = [line for line in lines if " seconds (" in line]
    assert len(phases) == 8 * 4  # eight breaths of four phases, nothing written twice
    assert phases[:4] == [
        "Breathe in, 4 seconds (about 2 minutes left)",
        "Hold, 4 seconds (about 2 minutes left)",
        "Breathe out, 4 seconds (about 2 minutes left)",
        "Rest, 4 seconds (about 2 minutes left)",
    ]
    assert phases[-1] == "Rest, 4 seconds (less than a minute left)"
    assert lines[-1] == "Done."
    assert all(line.isascii() and line.isprintable() and len(line) <= WIDTH for line in lines)


def test_grounding_steps_say_which_step() -> None:
    console, out = _console()
    steps = next(p for p in g.BUILTIN.values() if p.is_steps)
    with clock.run_fast():
        pacer.run(g.Exercise(steps, cycles=1), console)
    assert f"Step 1 of {len(steps.phases)}: " in out.getvalue()


@pytest.mark.parametrize(("typed", "said"), [("stop\n", ""), ("!\n", "CRISIS LINES")])
def test_a_typed_line_stops_it(typed: str, said: str) -> None:
    read, write = os.pipe()
    os.write(write, typed.encode())
    out = io.StringIO()
    with os.fdopen(read) as stdin:
        console = Console(stdin, out, crisis=lambda: ["CRISIS LINES"])
        with clock.run_fast():
            result = pacer.run(g.Exercise(g.BUILTIN["box"], minutes=2), console)
    os.close(write)
    assert result.finished is False
    assert out.getvalue().count(" seconds (") == 1
    assert said in out.getvalue()


def test_input_that_ends_lets_the_exercise_run_to_its_end() -> None:
    with open(os.devnull) as null:
        out = io.StringIO()
        with clock.run_fast():
            result = pacer.run(g.Exercise(g.BUILTIN["box"], cycles=2), Console(null, out))
    assert result.finished and result.seconds == 32.0


def test_kapprep_words_are_ascii_and_typed_text_is_kept() -> None:
    assert to_ascii("Follow your clinic’s instructions — “calmly”… · →") == (
        'Follow your clinic\'s instructions - "calmly"... - ->'
    )
    assert to_ascii("café\x1b[31m") == "cafe[31m"
    console, out = _console()
    console.say("Your note: ", User("für Zoë \x1b[31m\u202e"), "…")
    assert out.getvalue() == "Your note: für Zoë [31m...\n"  # what a terminal acts on: gone


def test_no_line_is_wider_than_80_cells_even_with_wide_typed_text() -> None:
    console, out = _console()
    console.say("Note: ", User("漢字" * 60))
    console.say("word " * 40)
    assert all(cells(line) <= WIDTH for line in out.getvalue().splitlines())


def test_prompts_answer_crisis_and_help_then_ask_again() -> None:
    console, out = _console("crisis\nhelp\n  yes  \n")
    assert console.ask("Ready?", "Say yes.") == "yes"
    text = out.getvalue()
    assert text.count("Ready?") == 3 and "CRISIS LINES" in text and "Say yes." in text
    # quit leaves at any prompt, a text prompt too (where it was once saved as the answer)
    for typed in ("q\n", "quit\n", " QUIT \n"):
        console, _ = _console(typed)
        with pytest.raises(Leave):
            console.ask("A note:", "")
    console, _ = _console("quite well\n")
    assert console.ask("A note:", "") == "quite well"
    console, _ = _console("")
    with pytest.raises(Leave):
        console.ask("Choose:", "")


def test_spoken_times_are_whole_words() -> None:
    now = clock.now()
    from datetime import timedelta

    assert spoken(now + timedelta(days=2, hours=1), now) == "in 2 days"
    assert spoken(now + timedelta(hours=3, minutes=20), now) == "in 3 hours 20 minutes"
    assert spoken(now - timedelta(minutes=1), now) == "1 minute ago"
    assert spoken(now, now) == "now"


def test_a_failed_save_says_the_apps_words(tmp_path: Path) -> None:
    console, out = _console()
    with Store.open(tmp_path / "d") as store:
        app = PlainApp(store, ChecklistSet(()), console)

        def fail() -> str:
            raise StoreError("the disk is full")

        assert app.saving(fail) is False
    assert out.getvalue() == messages.not_saved("the disk is full") + "\n"


def test_nothing_in_kapprep_turns_the_fast_clock_on() -> None:
    """No back door: only tests start `clock.run_fast` (no option, variable or file does)."""
    src = Path(clock.__file__).parent
    users = sorted(
        p.relative_to(src).as_posix()
        for p in src.rglob("*.py")
        if "run_fast" in p.read_text(encoding="utf-8")
    )
    assert users == ["clock.py"]
