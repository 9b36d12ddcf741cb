"""The grounding patterns' maths, the timer, and user pattern files — no terminal needed."""

from __future__ import annotations

import itertools
import math
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kapprep import grounding as g

BOX = g.BUILTIN["box"]
EXHALE = g.BUILTIN["exhale"]
SIGH = g.BUILTIN["sigh"]


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_box_phases_at_known_times() -> None:
    expected = [
        (0.0, "in", 0),
        (3.999, "in", 0),
        (4.0, "hold", 0),
        (8.0, "out", 0),
        (12.0, "rest", 0),
        (16.0, "in", 1),
        (17.5, "in", 1),
    ]
    for t, kind, cycle in expected:
        state = g.phase_at(BOX, t)
        assert (state.phase.kind, state.cycle) == (kind, cycle), t
    mid = g.phase_at(BOX, 2.0)
    assert mid.progress == pytest.approx(0.5)
    assert mid.size == pytest.approx(0.5)
    assert mid.left == pytest.approx(2.0)
    assert g.phase_at(BOX, 10.0).size == pytest.approx(0.5)  # shrinking on the out-breath
    assert g.phase_at(BOX, 6.0).size == 1.0  # full while holding
    assert g.phase_at(BOX, 14.0).size == 0.0


def test_boundaries_after_ten_minutes_are_exact() -> None:
    # 600 s is 37.5 box cycles: every boundary in the eleventh minute falls on a multiple of 4 s.
    for n in range(150, 166):
        boundary = 4.0 * n
        before = g.phase_at(BOX, boundary - 1e-6)
        after = g.phase_at(BOX, boundary)
        assert before.index != after.index
        assert after.start == pytest.approx(boundary, abs=1e-9)
        assert before.end == pytest.approx(boundary, abs=1e-9)


def test_timer_ten_minutes_of_frames_no_drift() -> None:
    """Drive a pacer loop for ten minutes with jittery, late wake-ups on a fake clock: the phase
    word changes within one frame of where the pattern puts each boundary."""
    clock = FakeClock()
    timer = g.Timer(clock)
    plan = g.Exercise(BOX, minutes=11)
    timer.start()
    import random

    rnd = random.Random(7)
    last_word_index = -1
    worst = 0.0
    while timer.elapsed() < 600:
        frame, next_change = g.frame_at(plan, timer.elapsed(), levels=320)
        if frame.index != last_word_index:
            boundary = g.phase_at(BOX, timer.elapsed()).start
            worst = max(worst, timer.elapsed() - boundary)
            last_word_index = frame.index
        clock.now += timer.seconds_until(next_change) + rnd.uniform(0, 0.01)  # late wake-ups
    assert worst <= g.FRAME_SECONDS


def test_pause_resumes_mid_phase() -> None:
    clock = FakeClock()
    timer = g.Timer(clock)
    timer.start()
    clock.now += 2.5
    timer.pause()
    before = g.phase_at(BOX, timer.elapsed())
    clock.now += 300  # a long pause changes nothing
    assert timer.elapsed() == pytest.approx(2.5)
    assert not timer.running
    assert timer.seconds_until(4.0) == math.inf
    timer.resume()
    after = g.phase_at(BOX, timer.elapsed())
    assert (after.index, after.progress) == (before.index, pytest.approx(before.progress))
    clock.now += 1.5
    assert g.phase_at(BOX, timer.elapsed()).phase.kind == "hold"
    assert timer.active() == pytest.approx(4.0)


def test_timer_hold_and_jump_for_steps() -> None:
    clock = FakeClock()
    timer = g.Timer(clock)
    timer.start()
    timer.hold_at(30.0)
    clock.now += 50
    assert timer.elapsed() == 30.0  # waits for the user
    assert timer.seconds_until(31.0) == math.inf
    timer.jump_to(30.0)
    timer.hold_at(60.0)
    assert timer.elapsed() == pytest.approx(30.0)
    assert timer.active() == pytest.approx(50.0)  # the log keeps the real time
    clock.now += 5
    assert timer.elapsed() == pytest.approx(35.0)


def test_sigh_tops_up_then_empties() -> None:
    sizes = [(p.kind, round(p.start_size, 3), round(p.end_size, 3)) for p in SIGH.phases]
    assert sizes == [("in", 0.0, 0.667), ("in", 0.667, 1.0), ("out", 1.0, 0.0)]
    assert SIGH.phases[1].word == "A little more in"


def test_without_holds_and_rate() -> None:
    plain = g.without_holds(BOX)
    assert [p.kind for p in plain.phases] == ["in", "out"]
    assert plain.id == "box-no-holds"
    assert not plain.has_holds
    assert g.without_holds(EXHALE) is EXHALE
    slow = g.with_rate(g.BUILTIN["resonance"], 5.5)
    assert slow.cycle_seconds == pytest.approx(60 / 5.5)


def test_lengthening_is_exact_and_gradual() -> None:
    lengthen = g.Lengthen(step=0.02, most=1.5)
    starts = [g.cycle_start(BOX, k, lengthen) for k in range(60)]
    lengths = [b - a for a, b in itertools.pairwise(starts)]
    assert lengths[0] == pytest.approx(16.0)
    assert lengths[1] == pytest.approx(16.32)
    assert max(lengths) == pytest.approx(24.0)  # capped at 1.5 times
    assert all(b >= a for a, b in itertools.pairwise(lengths))
    for k, start in enumerate(starts):
        assert g.cycle_index(BOX, start, lengthen) == k
        if k:
            assert g.cycle_index(BOX, start - 1e-7, lengthen) == k - 1
    state = g.phase_at(BOX, starts[10] + 0.5, lengthen)
    assert state.cycle == 10
    assert state.end - state.start == pytest.approx(4 * 1.2)


@settings(max_examples=300, deadline=None)
@given(
    t=st.floats(min_value=0, max_value=36_000, allow_nan=False),
    lengthen=st.booleans(),
    pid=st.sampled_from(sorted(g.BUILTIN)),
)
def test_phase_at_is_consistent(t: float, lengthen: bool, pid: str) -> None:
    pattern = g.BUILTIN[pid]
    ln = g.Lengthen() if lengthen else None
    state = g.phase_at(pattern, t, ln)
    assert state.start <= t < state.end or math.isclose(t, state.end)
    assert 0.0 <= state.progress <= 1.0
    assert 0.0 <= state.size <= 1.0
    assert g.cycle_start(pattern, state.cycle, ln) <= t


def test_plan_lengths() -> None:
    assert g.Exercise(BOX, cycles=3).total_seconds == 48.0
    assert g.Exercise(BOX, minutes=1).total_cycles == 4  # 64 s: the last breath is not cut off
    assert g.Exercise(EXHALE, minutes=1).total_seconds == 60.0
    assert g.Exercise(EXHALE).total_seconds == 180.0  # the pattern's default length
    steps = g.Exercise(g.BUILTIN["54321"])
    assert steps.total_cycles == 1
    assert steps.total_seconds == 150.0


def test_frames_change_only_when_drawn_differs() -> None:
    plan = g.Exercise(EXHALE, cycles=1)
    t, frames, gaps = 0.0, [], []
    while True:
        frame, nxt = g.frame_at(plan, t, levels=320)
        frames.append(frame)
        if nxt == math.inf:
            break
        assert nxt > t
        gaps.append(nxt - t)
        t = nxt
    assert frames[-1].done
    # Every scheduled change changes what is drawn, and the shape moves at least every 50 ms.
    assert all(a != b for a, b in itertools.pairwise(frames))
    assert max(gaps) <= 0.05 + 1e-9
    levels = [f.level for f in frames if f.kind == "in"]
    assert levels == sorted(levels) and levels[0] == 0
    # A frame is constant between two changes.
    frame, nxt = g.frame_at(plan, 1.0, levels=320)
    assert g.frame_at(plan, (1.0 + nxt) / 2, levels=320)[0] == frame


def test_reduced_motion_changes_once_a_second() -> None:
    plan = g.Exercise(BOX, cycles=1)
    t, changes = 0.0, 0
    while t < plan.total_seconds:
        frame, nxt = g.frame_at(plan, t, levels=320, reduced_motion=True)
        assert frame.level == 0
        assert nxt - t >= 1.0 - 1e-9 or nxt == plan.total_seconds
        t, changes = nxt, changes + 1
    assert changes == 16
    assert g.frame_at(plan, 5.5, reduced_motion=True)[0].count == 2


def test_left_text() -> None:
    plan = g.Exercise(BOX, cycles=3)
    assert g.frame_at(plan, 0)[0].left == "3 breaths left"
    assert g.frame_at(plan, 40)[0].left == "1 breath left"
    timed = g.Exercise(EXHALE, minutes=3)
    assert g.frame_at(timed, 0)[0].left == "about 3 minutes left"
    assert g.frame_at(timed, 150)[0].left == "less than a minute left"
    assert g.frame_at(g.Exercise(g.BUILTIN["54321"]), 31)[0].left == "step 2 of 5"


def test_render_bar_and_bells() -> None:
    assert g.render_bar(0, 3) == "   "
    assert g.render_bar(12, 3) == "█▌ "
    assert g.render_bar(99, 2) == "██"
    assert (g.bells_for("in"), g.bells_for("out"), g.bells_for("hold")) == (1, 2, 0)


def test_builtins_name_sources_and_default() -> None:
    assert g.DEFAULT_PATTERN in g.BUILTIN
    assert not g.BUILTIN[g.DEFAULT_PATTERN].has_holds
    for pattern in g.BUILTIN.values():
        assert pattern.source and pattern.description and pattern.name
        assert "\n" not in pattern.description
    assert "balancehealthandhealing.com" in g.BUILTIN["box"].source
    assert "Not while driving" in g.BUILTIN["54321"].source
    assert "light-headed" in g.LIGHTHEADED_WARNING


# -- user files --------------------------------------------------------------------------------

GOOD = """\
format: 1
id: slow
name: Slow breath
description: In 4, out 8.
breaths:
  - in: 4
  - out: 8
    say: Let it go
"""


def test_parse_good_pattern() -> None:
    pattern, problems = g.parse_pattern(GOOD, "slow.yaml")
    assert problems == []
    assert pattern is not None
    assert pattern.summary == "4-8"
    assert pattern.phases[1].word == "Let it go"
    assert "slow.yaml" in pattern.source


def test_parse_steps_pattern() -> None:
    text = "format: 1\nid: mine\nname: Mine\nsteps:\n  - text: Feel your feet\n    seconds: 20\n  - text: Look around\n"
    pattern, problems = g.parse_pattern(text, "m.yaml")
    assert problems == [] and pattern is not None
    assert pattern.is_steps
    assert [p.seconds for p in pattern.phases] == [20.0, 30.0]


@pytest.mark.parametrize(
    ("text", "where", "words"),
    [
        (GOOD.replace("  - in: 4", "  - in: four"), (6, 9), "number of seconds"),
        (GOOD.replace("  - in: 4", "  - in: 90"), (6, 9), "from 0.5 to 60"),
        (GOOD.replace("name: Slow breath", "nme: Slow breath"), (3, 1), 'did you mean "name"'),
        (GOOD.replace("id: slow", "id: Slow Breath"), (2, 5), "not a valid id"),
        (GOOD + "id: again\n", (9, 1), "appears twice"),
        (GOOD.replace("  - in: 4\n", ""), (6, 3), "one 'in' and one 'out'"),
        (GOOD.replace("  - in: 4", "  - in: 4\n    out: 3"), (6, 5), "exactly one of"),
        (GOOD.replace("  - in: 4", "\t- in: 4"), (6, 1), "tab"),
        ("format: 1\nid: x\nname: X\n", (1, 1), "either breaths"),
        ("format: 1\nid: x\nname: X\nsteps:\n  - seconds: 20\n", (5, 5), 'missing "text"'),
        ("a: &x 1\nb: *x\n", (2, 4), "exercise files do not use aliases"),
        ('format: 1\nid: "x\n', (2, 5), "quote is never closed"),
    ],
)
def test_parse_problems_have_places(text: str, where: tuple[int, int], words: str) -> None:
    pattern, problems = g.parse_pattern(text, "p.yaml")
    assert pattern is None
    assert any((p.line, p.col) == where and words in p.message for p in problems), problems
    assert all(str(p).startswith("p.yaml:") for p in problems)


def test_every_problem_is_reported() -> None:
    text = GOOD.replace("  - in: 4", "  - in: x").replace("  - out: 8", "  - out: -1")
    _, problems = g.parse_pattern(text, "p.yaml")
    assert [(p.line, p.col) for p in problems] == [(6, 9), (7, 10)]


def test_load_patterns_from_folder(tmp_path: Path) -> None:
    (tmp_path / "slow.yaml").write_text(GOOD, encoding="utf-8")
    (tmp_path / "box.yaml").write_text(GOOD.replace("id: slow", "id: box"), encoding="utf-8")
    (tmp_path / "bad.yaml").write_bytes(b"format: 1\x00")
    (tmp_path / "empty.yml").write_text("\n", encoding="utf-8")
    (tmp_path / "notes.txt").write_text("ignored", encoding="utf-8")
    patterns, problems = g.load_patterns([tmp_path, tmp_path / "missing"])
    assert patterns["slow"].name == "Slow breath"
    assert patterns["box"].path.endswith("box.yaml")  # a user file replaces a built-in by id
    assert "54321" in patterns
    messages = sorted(str(p) for p in problems)
    assert messages[0].startswith(f"{tmp_path / 'bad.yaml'}:1:10: this is not a text file")
    assert "an exercise needs format, id, name" in messages[1]


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_any_text_gives_a_pattern_or_problems(text: str) -> None:
    pattern, problems = g.parse_pattern(text, "p.yaml")
    assert (pattern is None) == bool(problems)


def test_no_textual_import() -> None:
    code = "import sys, kapprep.grounding; sys.exit('textual' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


def test_the_format_doc_examples_are_valid() -> None:
    doc = Path(__file__).parents[2] / "docs" / "grounding-format.md"
    blocks = doc.read_text(encoding="utf-8").split("```yaml\n")[1:]
    assert len(blocks) == 2
    for block in blocks:
        pattern, problems = g.parse_pattern(block.split("```")[0], "doc.yaml")
        assert problems == [] and pattern is not None


def test_practised_is_said_the_same_way_in_the_app_and_the_cli() -> None:
    from kapprep.grounding import practised

    assert practised(2.4) == "2 seconds"
    assert practised(89) == "89 seconds"
    assert practised(90) == "2 min"
    assert practised(600) == "10 min"
