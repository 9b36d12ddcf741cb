"""The journal screen in a small host app with a real store and a fixed clock."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
import pytest
from textual.app import App, SystemCommand
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Input, SelectionList, Static, TabbedContent, TextArea

from kapprep import journal as j
from kapprep import paths
from kapprep.checklists import load_layers
from kapprep.store import Store
from kapprep.ui.context import AppContext
from kapprep.ui.screens.journal import JournalScreen
from kapprep.ui.widgets.open_steps import OpenSteps, open_steps_text

LONDON = ZoneInfo("Europe/London")
NOW = datetime(2026, 10, 20, 12, 0, tzinfo=LONDON)
DAYS = (5, 12, 19)


def make_ctx(folder: Path) -> AppContext:
    store = Store.open(folder)
    return AppContext(
        store=store,
        checklists=load_layers([paths.shipped_checklists_dir()]),
        clock=lambda: NOW,
        monotonic=lambda: 0.0,
        zone=LONDON,
    )


def add_sessions(ctx: AppContext) -> list[int]:
    return [
        ctx.store.add_session(datetime(2026, 10, d, 10, tzinfo=LONDON), place="Room 2").id
        for d in DAYS
    ]


class Host(App[None]):
    """Pushes the journal screen; yields its commands into the palette as the real app should."""

    def __init__(self, ctx: AppContext, export_dir: Path) -> None:
        super().__init__()
        self.ctx, self.export_dir = ctx, export_dir

    def on_mount(self) -> None:
        self.push_screen(JournalScreen(self.ctx, export_dir=self.export_dir))

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        if isinstance(screen, JournalScreen):
            yield from screen.get_system_commands()


@pytest.fixture
def ctx(tmp_path: Path) -> Iterator[AppContext]:
    c = make_ctx(tmp_path / "data")
    yield c
    c.store.close()


async def type_into(pilot: Pilot[None], selector: str, text: str) -> None:
    widget = pilot.app.screen.query_one(selector)
    widget.focus()
    await pilot.pause()
    await pilot.press(*["space" if ch == " " else ch for ch in text])
    await pilot.pause()


async def test_three_sessions_written_read_back_charted_and_exported(
    ctx: AppContext, tmp_path: Path
) -> None:
    ids = add_sessions(ctx)
    out = tmp_path / "exports"
    app = Host(ctx, out)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, JournalScreen)
        # all sessions are past: it opens on the latest; go back to the first
        assert screen.current is not None and screen.current.session_id == ids[2]
        await pilot.press("ctrl+b", "ctrl+b")
        await pilot.pause()
        assert screen.current.session_id == ids[0]
        for n, sid in enumerate(ids, start=1):
            assert screen.current.session_id == sid
            title = str(screen.query_one("#session-title", Static).render())
            assert f"Session {n} of 3" in title
            await type_into(pilot, "#intention-hope", f"to rest {n}")
            await type_into(pilot, "#intention-anchor", "[b]tide")
            await type_into(pilot, "#integration-came-up", f"the sea {n}")
            await type_into(pilot, "#rating-mood-before", str(2 + n))
            await type_into(pilot, "#rating-mood-after", str(5 + n))
            await type_into(pilot, "#rating-anxiety-before", str(9 - n))
            await type_into(pilot, "#new-step", f"walk {n}")
            await pilot.press("enter")
            await pilot.pause()
            if n == 1:  # tick the first session's step with the keyboard
                steps = screen.query_one("#steps", SelectionList)
                steps.focus()
                await pilot.press("space")
                await pilot.pause()
            await pilot.press("ctrl+f")
            await pilot.pause()
        # a rating out of range is refused: the last valid value typed ("1") stays saved
        await type_into(pilot, "#rating-anxiety-after", "12")
        assert j.ratings(ctx.store, ids[2]).get(("anxiety", "after")) == 1
        assert screen.query_one("#rating-anxiety-after", Input).has_class("-invalid")
        await pilot.press("backspace", "backspace")
        await pilot.pause()
        assert ("anxiety", "after") not in j.ratings(ctx.store, ids[2])

        # read back from the store
        for n, sid in enumerate(ids, start=1):
            assert j.entries(ctx.store, sid, "intention") == {
                "hope": f"to rest {n}",
                "anchor": "[b]tide",
            }
            assert j.entries(ctx.store, sid, "integration") == {"came-up": f"the sea {n}"}
            assert j.ratings(ctx.store, sid) == {
                ("mood", "before"): 2 + n,
                ("mood", "after"): 5 + n,
                ("anxiety", "before"): 9 - n,
            }
            assert [(s.text, s.done) for s in j.steps(ctx.store, sid)] == [(f"walk {n}", n == 1)]

        # read back on screen: going back loads what was written
        await pilot.press("ctrl+b")
        await pilot.pause()
        assert screen.query_one("#intention-hope", TextArea).text == "to rest 2"
        assert screen.query_one("#rating-mood-after", Input).value == "7"

        # the chart across sessions
        await pilot.press("f3")
        await pilot.pause()
        assert screen.query_one("#journal-tabs", TabbedContent).active == "series"
        chart = str(screen.query_one("#chart", Static).render())
        assert "Mood    before" in chart and j.sparkline([3, 4, 5]) in chart
        assert "not a clinical score" in chart
        table = str(screen.query_one("#series-table", Static).render())
        assert "steps 1/1" in table and "mood 3→6" in table

        # questions: add two, mark one asked
        await pilot.press("f4")
        await type_into(pilot, "#new-question", "can i drive the next day?")
        await pilot.press("enter")
        await type_into(pilot, "#new-question", "what about sleep?")
        await pilot.press("enter")
        await pilot.pause()
        qlist = screen.query_one("#question-list", SelectionList)
        qlist.focus()
        await pilot.press("space")
        await pilot.pause()
        qs = j.questions(ctx.store)
        assert [(q.text, q.asked) for q in qs] == [
            ("can i drive the next day?", True),
            ("what about sleep?", False),
        ]

        # export for the therapist and the calendar file
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        md = (out / "journal-2026-10-20.md").read_text()
        for n in (1, 2, 3):
            assert f"to rest {n}" in md and f"the sea {n}" in md and f"walk {n}" in md
        assert "\\[b\\]tide" in md and "can i drive the next day?" in md
        assert (out / "journal-2026-10-20.pdf").read_bytes().startswith(b"%PDF-")
        assert (out / "journal-2026-10-20.html").read_text().count(
            '<section class="intentions">'
        ) == 3
        await pilot.press("ctrl+t")
        await pilot.pause()
        cal = icalendar.Calendar.from_ical((out / "kapprep.ics").read_bytes())
        summaries = [str(e["summary"]) for e in cal.walk("VEVENT")]
        assert summaries.count("KAP session") == 3
        assert summaries.count("Journal: write down what came up") == 3


async def test_palette_lists_the_journal_commands(ctx: AppContext, tmp_path: Path) -> None:
    add_sessions(ctx)
    app = Host(ctx, tmp_path / "x")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        names = {c.title for c in app.get_system_commands(app.screen)}
        for want in ("Export", "Calendar", "Earlier", "Later", "Add step", "Questions"):
            assert f"Journal: {want}" in names
        footer_keys = {k for k, b in app.screen.active_bindings.items() if b.binding.show}
        assert {"ctrl+s", "ctrl+t", "ctrl+b", "ctrl+f"} <= {k.split(".")[-1] for k in footer_keys}


async def test_stacks_at_60_columns_and_works_with_no_sessions(
    ctx: AppContext, tmp_path: Path
) -> None:
    app = Host(ctx, tmp_path / "x")
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert screen.has_class("-narrow")
        assert "No sessions yet" in str(screen.query_one("#session-title", Static).render())
        assert screen.query_one("#intention-hope", TextArea).disabled
        await pilot.press("ctrl+f", "ctrl+t")  # nothing to move to, nothing to write
        await pilot.pause()
        assert not (tmp_path / "x" / "kapprep.ics").exists()


async def test_open_steps_widget(ctx: AppContext) -> None:
    ids = add_sessions(ctx)
    j.add_step(ctx.store, ids[0], "[red]walk[/]", NOW)
    done = j.add_step(ctx.store, ids[1], "call", NOW)
    j.set_step_done(ctx.store, done, True, NOW)

    class Home(App[None]):
        def compose(self) -> Any:
            yield OpenSteps(ctx, id="steps")

    async with Home().run_test(size=(60, 10)) as pilot:
        await pilot.pause()
        text = str(pilot.app.query_one(OpenSteps).render())
        assert "[red]walk[/]  (session 1)" in text and "call" not in text
    assert "None open" not in open_steps_text(ctx).plain


def _snapshot_ctx(tmp_path: Path) -> AppContext:
    ctx = make_ctx(tmp_path / "data")
    ids = add_sessions(ctx)
    for n, sid in enumerate(ids, start=1):
        j.save_entry(ctx.store, sid, "intention", "hope", f"To rest, and to listen {n}", NOW)
        j.save_entry(ctx.store, sid, "intention", "anchor", "The tide", NOW)
        j.save_entry(ctx.store, sid, "integration", "came-up", f"The sea, and my father {n}", NOW)
        j.set_rating(ctx.store, sid, "mood", "before", 2 + n, NOW)
        j.set_rating(ctx.store, sid, "mood", "after", 5 + n, NOW)
        j.add_step(ctx.store, sid, f"Walk by the river {n}", NOW)
    j.add_question(ctx.store, "Can I drive the day after?", NOW)
    return ctx


def test_journal_snapshot(snap_compare: Any, tmp_path: Path) -> None:
    """The session tab at 80×24: intentions beside integration, fixed clock and data."""
    ctx = _snapshot_ctx(tmp_path)

    async def settle(pilot: Pilot[None]) -> None:
        await pilot.pause()
        pilot.app.screen.set_focus(None)
        await pilot.pause()

    try:
        assert snap_compare(Host(ctx, tmp_path / "x"), terminal_size=(80, 24), run_before=settle)
    finally:
        ctx.store.close()


def test_journal_series_snapshot_narrow(snap_compare: Any, tmp_path: Path) -> None:
    """The "Over time" tab at 60×20: the series and the ratings chart."""
    ctx = _snapshot_ctx(tmp_path)

    async def to_series(pilot: Pilot[None]) -> None:
        await pilot.pause()
        await pilot.press("f3")
        await pilot.pause()

    try:
        assert snap_compare(Host(ctx, tmp_path / "x"), terminal_size=(60, 20), run_before=to_series)
    finally:
        ctx.store.close()
