"""Breathing held safe (issue 20): no hold ever lasts longer than about 8 seconds, whatever
Lengthen, the rate (--rate 3 to 12) or a user's file asks for; the warning says what to do if the
feeling does not pass; every built-in exercise names the page it comes from."""

from __future__ import annotations

import argparse
import math
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kapprep import grounding as g
from kapprep.cli.breathe_cmd import _rate

RATES = st.floats(min_value=3, max_value=12, allow_nan=False)
BREATHS = sorted(p for p in g.BUILTIN if not g.BUILTIN[p].is_steps)


def _holds_seen(pattern: g.Pattern, lengthen: g.Lengthen | None, cycles: int) -> list[float]:
    """The length of every hold the pacer shows in the first `cycles` cycles, from phase_at."""
    out = []
    for k in range(cycles):
        t = g.cycle_start(pattern, k, lengthen)
        for _ in pattern.phases:
            state = g.phase_at(pattern, t + 1e-9, lengthen)
            if state.phase.kind in ("hold", "rest"):
                out.append(state.end - state.start)
            t = state.end
    return out


def test_the_cap_is_about_eight_seconds() -> None:
    assert g.MAX_HOLD_SECONDS == 8.0
    assert all(p.longest_hold <= g.MAX_HOLD_SECONDS for p in g.BUILTIN.values())


@pytest.mark.parametrize("pid", BREATHS)
def test_lengthen_never_stretches_a_hold(pid: str) -> None:
    pattern = g.BUILTIN[pid]
    lengthen = g.Lengthen()
    holds = _holds_seen(pattern, lengthen, lengthen.ramp + 5)
    assert all(h <= g.MAX_HOLD_SECONDS + 1e-6 for h in holds), max(holds, default=0)
    # 4-7-8 was the case in the issue: Lengthen made its hold 10.5 s.
    if pid == "4-7-8":
        assert max(holds) == pytest.approx(7.0)


@settings(max_examples=200, deadline=None)
@given(pid=st.sampled_from(BREATHS), rate=RATES, lengthen=st.booleans())
def test_no_rate_and_lengthen_yields_a_longer_hold(pid: str, rate: float, lengthen: bool) -> None:
    paced = g.with_rate(g.BUILTIN[pid], rate)
    assert paced.longest_hold <= g.MAX_HOLD_SECONDS + 1e-9
    assert paced.cycle_seconds == pytest.approx(60 / rate)  # the rate asked for is kept
    ln = g.Lengthen() if lengthen else None
    holds = _holds_seen(paced, ln, 3 if ln is None else ln.ramp + 2)
    assert all(h <= g.MAX_HOLD_SECONDS + 1e-6 for h in holds)


@settings(max_examples=200, deadline=None)
@given(
    phases=st.lists(
        st.tuples(
            st.sampled_from(g.BREATH_KINDS),
            st.floats(min_value=g.MIN_PHASE_SECONDS, max_value=g.MAX_HOLD_SECONDS),
        ),
        min_size=1,
        max_size=6,
    ),
    rate=RATES,
    lengthen=st.booleans(),
)
def test_any_valid_user_pattern_at_any_rate(
    phases: list[tuple[str, float]], rate: float, lengthen: bool
) -> None:
    """A user's file may hold up to the cap; at any allowed rate and with Lengthen it stays there."""
    kinds = [k for k, _ in phases]
    if "in" not in kinds or "out" not in kinds:
        phases = [("in", 4.0), *phases, ("out", 4.0)]
    pattern = g.with_rate(g.breath_pattern("mine", "Mine", "", "mine", phases), rate)
    ln = g.Lengthen() if lengthen else None
    for h in _holds_seen(pattern, ln, 2 if ln is None else ln.ramp + 2):
        assert h <= g.MAX_HOLD_SECONDS + 1e-6


def test_the_issue_example_a_2_7_2_at_three_breaths_a_minute() -> None:
    """2-7-2 at 3 breaths a minute used to hold 12.7 s; now 8, and the breaths take the rest."""
    mine = g.breath_pattern("mine", "Mine", "", "mine", [("in", 2), ("hold", 7), ("out", 2)])
    slow = g.with_rate(mine, 3)
    assert [p.seconds for p in slow.phases] == pytest.approx([6.0, 8.0, 6.0])
    assert math.isclose(slow.cycle_seconds, 20.0)


def test_the_rates_the_command_line_allows_are_the_ones_tested() -> None:
    assert _rate("3") == 3 and _rate("12") == 12
    for bad in ("2.9", "12.5"):
        with pytest.raises(argparse.ArgumentTypeError):
            _rate(bad)


def _file(hold: str) -> str:
    return (
        f"format: 1\nid: long\nname: Long hold\nbreaths:\n  - in: 4\n  - hold: {hold}\n  - out: 4\n"
    )


def test_a_longer_hold_in_a_file_is_refused_with_its_line_and_column() -> None:
    pattern, problems = g.parse_pattern(_file("60"), "long.yaml")
    assert pattern is None
    assert [(p.line, p.col) for p in problems] == [(6, 11)]
    assert "at most 8 seconds" in problems[0].message
    assert str(problems[0]).startswith("long.yaml:6:11: ")
    rest = "format: 1\nid: r\nname: R\nbreaths:\n  - in: 4\n  - out: 4\n  - rest: 8.5\n"
    assert g.parse_pattern(rest, "r.yaml")[0] is None


def test_a_hold_of_eight_seconds_in_a_file_is_fine() -> None:
    pattern, problems = g.parse_pattern(_file("8"), "ok.yaml")
    assert problems == [] and pattern is not None
    assert pattern.longest_hold == 8.0


def test_the_warning_gives_its_next_step() -> None:
    warning = g.LIGHTHEADED_WARNING
    assert "stop and breathe normally" in warning
    assert "does not settle in a few minutes" in warning
    assert "chest pain or trouble breathing" in warning
    assert "call the emergency number" in warning
    for _title, url, quote in g.WARNING_SOURCES:
        assert re.match(r"^https://[^/]+/.", url) and quote.strip()


@pytest.mark.parametrize("pid", sorted(g.BUILTIN))
def test_every_built_in_exercise_names_its_page_and_the_words(pid: str) -> None:
    pattern = g.BUILTIN[pid]
    assert re.match(r"^https://[^/]+/.", pattern.url), pattern.url  # a page, not a bare site
    assert len(pattern.quote.split()) >= 3
