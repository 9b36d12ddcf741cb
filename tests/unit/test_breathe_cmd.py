"""`kapprep breathe` without a terminal: the list, mistakes, a whole run on a fake clock, keys."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from kapprep import clock
from kapprep import grounding as g
from kapprep.cli import breathe_cmd, breathe_inline, main
from kapprep.plain import choice
from kapprep.store import Store


@pytest.fixture(autouse=True)
def _config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KAPPREP_CONFIG", str(tmp_path / "config"))


class FakeTime:
    """Stands in for the `time` module: sleeping moves the monotonic clock on."""

    def __init__(self) -> None:
        self.now = 100.0
        self.slept = 0

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept += 1
        self.now += seconds


def test_list(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["breathe", "--list"]) == 0
    out = capsys.readouterr().out
    assert "exhale" in out and "(default)" in out
    assert "54321" in out and "Box breathing (4-4-4-4)" in out
    assert g.LIGHTHEADED_WARNING in out


def test_unknown_pattern_is_a_user_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--data-dir", str(tmp_path / "d"), "breathe", "boxx"]) == 1
    err = capsys.readouterr().err
    assert 'no exercise called "boxx"; did you mean "box"?' in err
    assert "Traceback" not in err


def test_minutes_and_cycles_together_is_usage() -> None:
    with pytest.raises(SystemExit) as exc:
        main(["breathe", "--minutes", "2", "--cycles", "3"])
    assert exc.value.code == 2
    for bad in (["--minutes", "nan"], ["--rate", "2"], ["--rate", "six"]):
        with pytest.raises(SystemExit) as exc:
            main(["breathe", *bad])
        assert exc.value.code == 2


def test_whole_run_without_a_terminal_is_logged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Off a terminal `kapprep breathe` follows plain mode's rule (issue 23): one ASCII line
    per phase, nothing redrawn, on kapprep's clock (run fast here)."""
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    data = tmp_path / "d"
    with clock.run_fast() as fast:
        assert main(["--data-dir", str(data), "breathe", "box", "--cycles", "2", "--bell"]) == 0
    out = capsys.readouterr().out
    assert out.count("Breathe in, 4 seconds") == 2
    assert "Hold, 4 seconds (2 breaths left)" in out
    assert "Breathe out, 4 seconds (1 breath left)" in out
    assert "\x1b" not in out and "\a" not in out  # not a terminal: plain lines, no bells
    assert all(" " <= ch <= "~" for ch in out.replace("\n", ""))
    assert "Well done. 32 seconds practised" in out
    with Store.open(data) as store:
        [practice] = store.practices()
    assert (practice.pattern, practice.finished, practice.seconds) == ("box", True, 32.0)
    assert fast.elapsed == 32.0  # waited only for the phases: 8 of 4 seconds


def test_default_is_the_last_choice_or_gentle() -> None:
    args = SimpleNamespace(pattern=None, no_holds=False, lengthen=False, minutes=None, cycles=None)
    patterns = dict(g.BUILTIN)
    assert breathe_cmd.choose_plan(args, patterns, None).pattern.id == g.DEFAULT_PATTERN  # type: ignore[arg-type]
    assert breathe_cmd.choose_plan(args, patterns, {"pattern": "sigh"}).pattern.id == "sigh"  # type: ignore[arg-type]
    assert breathe_cmd.choose_plan(args, patterns, {"pattern": "gone"}).pattern.id == "exhale"  # type: ignore[arg-type]
    args.pattern, args.no_holds, args.lengthen = "box", True, True
    plan = breathe_cmd.choose_plan(args, patterns, None)  # type: ignore[arg-type]
    assert plan.pattern.id == "box-no-holds" and plan.lengthen is not None
    args.no_holds, args.rate = False, 6.0
    plan = breathe_cmd.choose_plan(args, patterns, None)  # type: ignore[arg-type]
    assert plan.pattern.cycle_seconds == pytest.approx(10.0)  # box at 6 a minute: 2.5 s each
    assert [p.seconds for p in plan.pattern.phases] == pytest.approx([2.5] * 4)


class FakeTty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_ansi_redraws_only_changed_lines_and_keys_work() -> None:
    fake = FakeTime()
    out = FakeTty()
    inline = breathe_inline.Inline(
        g.Exercise(g.BUILTIN["box"], cycles=1), clock=fake.monotonic, stdout=out, bell=True
    )
    inline.timer.start()
    inline._draw()
    first = out.getvalue()
    assert "Breathe in  1" in first and "▕" in first
    fake.now += 0.5
    out.seek(0)
    out.truncate()
    inline._draw()
    redraw = out.getvalue()
    assert "Breathe in" not in redraw  # the word line did not change: not rewritten
    assert "\x1b[2K▕" in redraw  # the bar line was
    fake.now += 3.6  # into the hold
    inline._draw()
    inline._keys(" ")
    assert not inline.timer.running
    fake.now += 100
    frame, _ = inline._draw()
    assert frame.word == "Hold" and "paused" in inline.drawn[-1]
    inline._keys(" ")
    fake.now += 4.0  # out-breath: one bell now, a second one shortly
    out.seek(0)
    out.truncate()
    inline._draw()
    assert out.getvalue().count("\a") == 1 and inline._bell_at is not None
    assert inline._keys("q") and inline.stopped


def test_cli_never_imports_textual() -> None:
    code = (
        "import sys; from kapprep.cli import build_parser; build_parser(); "
        "import kapprep.cli.breathe_cmd, kapprep.cli.breathe_inline; "
        "sys.exit('textual' in sys.modules)"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


def test_reduced_motion_setting_is_honoured(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[bool] = []

    class Spy(breathe_inline.Inline):
        def run(self) -> bool:
            seen.append(self.reduced_motion)
            return True

    monkeypatch.setattr(breathe_inline, "Inline", Spy)
    monkeypatch.setattr(choice, "reason", lambda *a, **k: None)  # as in a full terminal
    data = tmp_path / "d"
    assert main(["--data-dir", str(data), "breathe", "--cycles", "1"]) == 0
    with Store.open(data) as store:
        store.set_setting("reduced_motion", True)
    assert main(["--data-dir", str(data), "breathe", "--cycles", "1"]) == 0
    assert seen == [False, True]


def test_speak_without_a_speaker_says_so_once_and_still_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`--speak` (issue 24) with neither spd-say nor espeak-ng: one calm line, then the
    exercise as usual (the bell stands in where there is a terminal)."""
    import shutil

    from kapprep.speech import NONE_FOUND

    monkeypatch.setattr(shutil, "which", lambda name: None)
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    with clock.run_fast():
        code = main(
            ["--data-dir", str(tmp_path / "d"), "breathe", "box", "--cycles", "1", "--speak"]
        )
    assert code == 0
    out = capsys.readouterr().out
    assert out.count(NONE_FOUND.split(":")[0]) == 1
    assert "Well done." in out
