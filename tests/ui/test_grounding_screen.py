"""The Grounding screen and the pacer, driven with Pilot on a real store and a fake monotonic clock."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from textual.app import App
from textual.widgets import Input

from kapprep import grounding as g
from kapprep.checklists import ChecklistSet
from kapprep.store import Store
from kapprep.ui.context import AppContext
from kapprep.ui.screens.grounding import GroundingScreen
from kapprep.ui.widgets.pacer import Pacer

ZONE = ZoneInfo("Europe/London")
NOW = datetime(2026, 12, 2, 18, 0, tzinfo=ZONE)


class Mono:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.t = 500.0

    def __call__(self) -> float:
        return self.t


class Host(App[None]):
    """A small app that shows only the Grounding screen."""

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx

    went_home = False

    def on_mount(self) -> None:
        self.push_screen(GroundingScreen(self.ctx))

    def action_home(self) -> None:
        """The real app's Home action (ui/app.py); Esc on the list goes there."""
        self.went_home = True


@pytest.fixture(autouse=True)
def _no_user_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KAPPREP_CONFIG", str(tmp_path / "config"))


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(tmp_path / "data") as opened:
        yield opened


@pytest.fixture
def mono() -> Mono:
    return Mono()


def make_host(store: Store, mono: Mono) -> Host:
    ctx = AppContext(store, ChecklistSet, lambda: NOW, mono, ZONE)
    return Host(ctx)


def lines(pacer: Pacer) -> list[str]:
    return [text for text, _ in pacer._lines]


async def advance(pilot, mono: Mono, seconds: float) -> Pacer:  # type: ignore[no-untyped-def]
    mono.t += seconds
    pacer = pilot.app.screen.query_one(Pacer)
    pacer.sync()
    await pilot.pause()
    return pacer


async def test_one_key_starts_the_default_and_logs_it(store: Store, mono: Mono) -> None:
    async with make_host(store, mono).run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        pacer = pilot.app.screen.query_one(Pacer)
        assert lines(pacer)[1] == "Breathe in"
        [practice] = store.practices()
        assert (practice.pattern, practice.finished, practice.seconds) == ("exhale", False, 0.0)
        assert practice.started_at == NOW
        pacer = await advance(pilot, mono, 2.0)
        assert lines(pacer)[2] == "3"
        assert pacer.bar_width == 48
        # 2 s into a 4 s in-breath: half the bar (48 cells of 8 steps), to within one step.
        assert pacer.frame is not None
        assert abs(pacer.frame.level - 192) <= 384 * g.FRAME_SECONDS / 4
        assert lines(pacer)[4].strip() == g.render_bar(pacer.frame.level, 48).strip()
        assert lines(pacer)[4] == lines(pacer)[5] == lines(pacer)[6]
        pacer = await advance(pilot, mono, 2.5)
        assert lines(pacer)[1] == "Breathe out"
        assert store.get_setting("grounding.last")["pattern"] == "exhale"


async def test_pause_resumes_mid_phase_and_saves(store: Store, mono: Mono) -> None:
    async with make_host(store, mono).run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await advance(pilot, mono, 5.0)  # one second into the out-breath
        await pilot.press("space")
        pacer = await advance(pilot, mono, 120.0)  # a long pause
        assert not pacer.timer.running
        assert "paused" in lines(pacer)[8]
        assert lines(pacer)[1] == "Breathe out"
        assert store.practices()[0].seconds == 5.0  # saved when paused
        before = pacer.frame
        await pilot.press("space")
        pacer = await advance(pilot, mono, 0.0)
        assert pacer.frame is not None and before is not None
        assert (pacer.frame.word, pacer.frame.count, pacer.frame.level) == (
            before.word,
            before.count,
            before.level,
        )
        assert pacer.timer.elapsed() == pytest.approx(5.0)


async def test_runs_to_the_end_and_asks_calm_after(store: Store, mono: Mono) -> None:
    async with make_host(store, mono).run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("m")  # length in breaths
        await pilot.press("minus", "minus", "minus")  # down to 3 breaths
        await pilot.press("tab")
        await pilot.press("4")  # calm before
        await pilot.press("enter")  # starts from the calm field too
        await pilot.pause()
        screen = pilot.app.screen
        assert isinstance(screen, GroundingScreen)
        assert screen.running
        await advance(pilot, mono, 30.0)
        await pilot.pause()
        assert screen.finished and not screen.running
        after = screen.query_one("#calm-after", Input)
        assert after.display and after.has_focus
        await pilot.press("8", "enter")
        await pilot.pause()
        [practice] = store.practices()
        assert practice.finished
        assert practice.seconds == 30.0
        assert (practice.calm_before, practice.calm_after) == (4, 8)
        log = str(screen.query_one("#log").render())
        assert "+4.0 on average (1 practice)" in log
        assert "finished" in log


async def test_stop_early_and_skip_rating(store: Store, mono: Mono) -> None:
    async with make_host(store, mono).run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await advance(pilot, mono, 65.0)
        await pilot.press("escape")  # stop
        await pilot.pause()
        await pilot.press("escape")  # skip the rating
        await pilot.pause()
        screen = pilot.app.screen
        assert isinstance(screen, GroundingScreen)
        assert not screen.running and not screen.finished
        assert screen.query_one("#choose").display
        [practice] = store.practices()
        assert (practice.finished, practice.seconds, practice.calm_after) == (False, 65.0, None)
        assert "stopped early" in str(screen.query_one("#log").render())
        assert not pilot.app.went_home
        await pilot.press("escape")  # on the list: home, as on every screen
        assert pilot.app.went_home


async def test_grounding_steps_advance_by_key(store: Store, mono: Mono) -> None:
    async with make_host(store, mono).run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = pilot.app.screen
        assert isinstance(screen, GroundingScreen)
        while screen.pattern.id != "54321":
            await pilot.press("down")
        await pilot.press("enter")
        await pilot.pause()
        pacer = screen.query_one(Pacer)
        assert lines(pacer)[1].startswith("Name five things you can see")
        assert lines(pacer)[8] == "step 1 of 5"
        await pilot.press("n")
        await pilot.pause()
        assert lines(pacer)[1].startswith("Name four things")
        pacer = await advance(pilot, mono, 31.0)  # the gentle timer moves on by itself
        assert lines(pacer)[1].startswith("Name three things")
        assert store.practices()[0].pattern == "54321"


async def test_grounding_steps_can_wait_for_the_key(store: Store, mono: Mono) -> None:
    async with make_host(store, mono).run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = pilot.app.screen
        assert isinstance(screen, GroundingScreen)
        while screen.pattern.id != "orienting":
            await pilot.press("down")
        await pilot.press("w", "enter")
        await pilot.pause()
        pacer = await advance(pilot, mono, 300.0)  # long past the gentle timer
        assert lines(pacer)[1].startswith("Put your feet flat on the floor")
        assert "Press n" in lines(pacer)[5]
        assert pacer._wake is None  # waiting: no wake-ups at all
        await pilot.press("n")
        pacer = await advance(pilot, mono, 100.0)
        assert lines(pacer)[1].startswith("Slowly look around the room")
        assert lines(pacer)[8] == "step 2 of 5"


async def test_options_change_the_plan_and_are_remembered(store: Store, mono: Mono) -> None:
    async with make_host(store, mono).run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = pilot.app.screen
        assert isinstance(screen, GroundingScreen)
        while screen.pattern.id != "box":
            await pilot.press("down")
        await pilot.press("o", "l", "plus")
        plan = screen.plan()
        assert [p.kind for p in plan.pattern.phases] == ["in", "out"]
        assert plan.lengthen is not None
        assert plan.minutes == 5
        assert "no holds" in str(screen.query_one("#options").render())
        saved = store.get_setting("grounding.last")
        assert saved["no_holds"] and saved["lengthen"] and saved["length-minutes"] == 5
    # A new screen opens on the same choice, ready for one key.
    async with make_host(store, mono).run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert store.practices()[-1].pattern == "box-no-holds"


async def test_the_shortest_length_reads_1_minute(store: Store, mono: Mono) -> None:
    # QA walk at 60×20: "Length: 1 minutes".
    async with make_host(store, mono).run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = pilot.app.screen
        assert isinstance(screen, GroundingScreen)
        while screen.plan().minutes != 1:
            await pilot.press("minus")
        await pilot.pause()
        shown = str(screen.query_one("#options").render())
        assert "Length: 1 minute " in shown and "1 minutes" not in shown


async def test_pace_key_sets_breaths_a_minute(store: Store, mono: Mono) -> None:
    async with make_host(store, mono).run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = pilot.app.screen
        assert isinstance(screen, GroundingScreen)
        while screen.pattern.id != "resonance":
            await pilot.press("down")
        assert screen.plan().pattern.cycle_seconds == pytest.approx(10.0)
        await pilot.press("v")
        assert screen.plan().pattern.cycle_seconds == pytest.approx(60 / 5.5)
        assert "5.5 breaths a minute" in str(screen.query_one("#options").render())
        await pilot.press("v", "v", "v")  # 6, 6.5, then the pattern's own again
        assert screen.plan().pattern.cycle_seconds == pytest.approx(10.0)


async def test_reduced_motion_draws_only_words(store: Store, mono: Mono) -> None:
    app = make_host(store, mono)
    async with app.run_test(size=(60, 20)) as pilot:
        app.animation_level = "none"
        await pilot.pause()
        await pilot.press("enter")
        pacer = await advance(pilot, mono, 2.0)
        assert lines(pacer)[1] == "Breathe in"
        assert lines(pacer)[4] == ""
        painted: list[list[int]] = []
        pacer.on_paint = lambda frame, rows: painted.append(rows)
        await advance(pilot, mono, 0.5)  # the same second: nothing redrawn
        await advance(pilot, mono, 0.5)
        assert painted == [[2]]  # only the count's row


async def test_pacer_repaints_only_changed_rows(store: Store, mono: Mono) -> None:
    async with make_host(store, mono).run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        pacer = await advance(pilot, mono, 1.01)
        painted: list[list[int]] = []
        pacer.on_paint = lambda frame, rows: painted.append(rows)
        await advance(pilot, mono, 0.04)
        assert painted == [[4, 5, 6]]  # the bar's three rows, not the word or count


async def test_user_pattern_file_problems_are_shown(
    store: Store, mono: Mono, tmp_path: Path
) -> None:
    folder = tmp_path / "config" / "grounding"
    folder.mkdir(parents=True)
    (folder / "mine.yaml").write_text(
        "format: 1\nid: mine\nname: My [b]breath[/b]\nbreaths:\n  - in: 3\n  - out: 5\n",
        encoding="utf-8",
    )
    (folder / "bad.yaml").write_text("format: 1\nid: bad\nname: Bad\n", encoding="utf-8")
    async with make_host(store, mono).run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = pilot.app.screen
        assert isinstance(screen, GroundingScreen)
        assert "mine" in screen.patterns
        assert any("bad.yaml:1:1" in str(p) for p in screen.problems)
        assert any("bad.yaml" in n.message for n in pilot.app._notifications)


def test_pacer_snapshot(snap_compare, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The pacer 2.5 s into box breathing: "Breathe in", count 3, the bar most of the way."""
    mono = Mono()
    store = Store.open(tmp_path / "data")
    app = make_host(store, mono)

    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await pilot.pause()
        screen = pilot.app.screen
        while screen.pattern.id != "box":
            await pilot.press("down")
        await pilot.press("enter")
        await advance(pilot, mono, 2.5)

    try:
        assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)
    finally:
        store.close()


async def test_a_file_whose_key_looks_like_markup_is_told_as_written(
    store: Store, mono: Mono, tmp_path: Path
) -> None:
    folder = tmp_path / "config" / "grounding"
    folder.mkdir(parents=True)
    (folder / "odd.yaml").write_text(
        "format: 1\nid: odd\nname: Odd\n'[a=\"]x': 1\nbreaths:\n  - in: 3\n  - out: 5\n",
        encoding="utf-8",
    )
    async with make_host(store, mono).run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert pilot.app.is_running
        told = [str(n.message) for n in pilot.app._notifications]
        assert any('"[a="]x" is not a key' in m for m in told), told
        await pilot.press("down")
        await pilot.pause()
        assert pilot.app.is_running
