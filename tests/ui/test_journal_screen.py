"""The journal screen in a small host app with a real store and a fixed clock."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
import pytest
from textual.app import App
from textual.pilot import Pilot
from textual.widgets import Input, SelectionList, Static, TabbedContent, TextArea

from kapprep import journal as j
from kapprep import paths
from kapprep.journal.export import rating_bars
from kapprep.store import Store
from kapprep.ui.app import KapprepApp, build_app
from kapprep.ui.context import AppContext
from kapprep.ui.screens.journal import JournalScreen
from kapprep.ui.widgets.open_steps import OpenSteps, open_steps_text

LONDON = ZoneInfo("Europe/London")
NOW = datetime(2026, 10, 20, 12, 0, tzinfo=LONDON)
DAYS = (5, 12, 19)


def make_app(folder: Path) -> KapprepApp:
    """The real app (crisis key, footer, palette) over a store in `folder`, with a fixed clock."""
    with Store.open(folder) as store:
        store.set_setting("welcome_done", True)
    return build_app(
        data_dir=folder,
        checklist_dirs=[paths.shipped_checklists_dir()],
        clock=lambda: NOW,
        monotonic=lambda: 0.0,
    )


def add_sessions(ctx: AppContext) -> list[int]:
    return [
        ctx.store.add_session(datetime(2026, 10, d, 10, tzinfo=LONDON), place="Room 2").id
        for d in DAYS
    ]


async def open_journal(pilot: Pilot[Any], export_dir: Path | None = None) -> JournalScreen:
    app = pilot.app
    assert isinstance(app, KapprepApp)
    await app.push_screen(JournalScreen(app.ctx, export_dir=export_dir))
    await pilot.pause()
    assert isinstance(app.screen, JournalScreen)
    return app.screen


@pytest.fixture
def app(tmp_path: Path) -> Iterator[KapprepApp]:
    a = make_app(tmp_path / "data")
    yield a
    a.ctx.store.close()


async def type_into(pilot: Pilot[Any], selector: str, text: str) -> None:
    widget = pilot.app.screen.query_one(selector)
    widget.focus()
    await pilot.pause()
    await pilot.press(*["space" if ch == " " else ch for ch in text])
    await pilot.pause()


async def test_three_sessions_written_read_back_charted_and_exported(
    app: KapprepApp, tmp_path: Path
) -> None:
    ctx = app.ctx
    ids = add_sessions(ctx)
    out = tmp_path / "exports"
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_journal(pilot, out)
        # all sessions are past: it opens on the latest; go back to the first
        assert screen.current is not None and screen.current.session_id == ids[2]
        await pilot.press("ctrl+b", "ctrl+b")
        await pilot.pause()
        assert screen.current.session_id == ids[0]
        for n, sid in enumerate(ids, start=1):
            assert screen.current.session_id == sid
            title = str(screen.query_one("#session-title", Static).render())
            assert f"Session {n} of 3" in title
            due = str(screen.query_one("#integration-due", Static).render())
            day = DAYS[n - 1]
            assert f"{day:02d} Oct 20:00" in due and f"{day + 7:02d} Oct 10:00" in due
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
        # a rating out of range cannot be typed: the field and the store both keep "1"
        await type_into(pilot, "#rating-anxiety-after", "12")
        assert j.ratings(ctx.store, ids[2]).get(("anxiety", "after")) == 1
        assert screen.query_one("#rating-anxiety-after", Input).value == "1"
        await pilot.press("backspace")
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
        assert "Mood    before" in chart and rating_bars([3, 4, 5]) in chart
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
        await pilot.press("enter")  # "Save to": the folder it offers
        await pilot.pause()
        md = (out / "journal-2026-10-20.md").read_text()
        for n in (1, 2, 3):
            assert f"to rest {n}" in md and f"the sea {n}" in md and f"walk {n}" in md
        assert "\\[b\\]tide" in md and "can i drive the next day?" in md
        assert (out / "journal-2026-10-20.pdf").read_bytes().startswith(b"%PDF-")
        assert (out / "journal-2026-10-20.html").read_text().count(
            '<section class="intentions">'
        ) == 3
        # Ctrl+T opens the calendar dialog (it once wrote a file straight away, with the
        # defaults, into the exports folder); Enter saves to the private folder it offers.
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert type(app.screen).__name__ == "CalendarScreen"
        assert not (out / "kapprep.ics").exists()
        await pilot.press("enter")
        await pilot.pause()
        assert type(app.screen).__name__ == "JournalScreen"
        ics = app.ctx.store.folder / "calendar" / "kapprep.ics"
        cal = icalendar.Calendar.from_ical(ics.read_bytes())
        summaries = [str(e["summary"]) for e in cal.walk("VEVENT")]
        assert summaries.count("KAP session") == 3
        assert summaries.count("Journal: write down what came up") == 3


async def test_palette_footer_and_crisis_key_while_typing(app: KapprepApp) -> None:
    add_sessions(app.ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_journal(pilot)
        names = {c.title for c in app.get_system_commands(screen)}
        for want in ("Export", "Calendar", "Earlier", "Later", "Add step", "Questions"):
            assert want in names
        shown = {k for k, b in screen.active_bindings.items() if b.binding.show}
        assert {"ctrl+s", "ctrl+n", "ctrl+e"} <= shown  # the rest: on the screen, ? and Ctrl+P
        # the crisis panel opens even while typing an answer
        await type_into(pilot, "#intention-hope", "calm")
        await pilot.press("ctrl+e")
        await pilot.pause()
        assert type(app.screen).__name__ == "CrisisScreen"
        assert j.entries(app.ctx.store, app.ctx.store.sessions()[-1].id, "intention") == {
            "hope": "calm"
        }


async def test_stacks_at_60_columns_and_works_with_no_sessions(
    app: KapprepApp, tmp_path: Path
) -> None:
    async with app.run_test(size=(60, 20)) as pilot:
        screen = await open_journal(pilot, tmp_path / "x")
        assert screen.has_class("-narrow")
        assert "No sessions yet" in str(screen.query_one("#session-title", Static).render())
        assert screen.query_one("#intention-hope", TextArea).disabled
        await pilot.press("ctrl+f", "ctrl+t")  # nothing to move to, nothing to write
        await pilot.pause()
        assert not (tmp_path / "x" / "kapprep.ics").exists()


async def test_open_steps_widget(app: KapprepApp) -> None:
    ctx = app.ctx
    ids = add_sessions(ctx)
    j.add_step(ctx.store, ids[0], "[red]walk[/]", NOW)
    done = j.add_step(ctx.store, ids[1], "call", NOW)
    j.set_step_done(ctx.store, done, True, NOW)

    class Home(App[None]):
        def compose(self) -> Any:
            yield OpenSteps(ctx, id="steps")

    async with Home().run_test(size=(60, 10)) as pilot:
        pilot.app.query_one(OpenSteps).refresh_steps()
        await pilot.pause()
        text = str(pilot.app.query_one(OpenSteps).render())
        assert "[red]walk[/]  (session Mon 5 Oct 10:00)" in text and "call" not in text
    assert "None open" not in open_steps_text(ctx).plain


def _snapshot_app(tmp_path: Path) -> KapprepApp:
    app = make_app(tmp_path / "data")
    ctx = app.ctx
    ids = add_sessions(ctx)
    for n, sid in enumerate(ids, start=1):
        j.save_entry(ctx.store, sid, "intention", "hope", f"To rest, and to listen {n}", NOW)
        j.save_entry(ctx.store, sid, "intention", "anchor", "The tide", NOW)
        j.save_entry(ctx.store, sid, "integration", "came-up", f"The sea, and my father {n}", NOW)
        j.set_rating(ctx.store, sid, "mood", "before", 2 + n, NOW)
        j.set_rating(ctx.store, sid, "mood", "after", 5 + n, NOW)
        j.add_step(ctx.store, sid, f"Walk by the river {n}", NOW)
    j.add_question(ctx.store, "Can I drive the day after?", NOW)
    return app


def test_journal_snapshot(snap_compare: Any, tmp_path: Path) -> None:
    """The session tab at 80×24: intentions beside integration, fixed clock and data."""
    app = _snapshot_app(tmp_path)

    async def settle(pilot: Pilot[Any]) -> None:
        await open_journal(pilot)
        pilot.app.screen.set_focus(None)
        await pilot.pause()

    try:
        assert snap_compare(app, terminal_size=(80, 24), run_before=settle)
    finally:
        app.ctx.store.close()


def test_journal_series_snapshot_narrow(snap_compare: Any, tmp_path: Path) -> None:
    """The "Over time" tab at 60×20: the series and the ratings chart."""
    app = _snapshot_app(tmp_path)

    async def to_series(pilot: Pilot[Any]) -> None:
        await open_journal(pilot)
        await pilot.press("f3")
        await pilot.pause()

    try:
        assert snap_compare(app, terminal_size=(60, 20), run_before=to_series)
    finally:
        app.ctx.store.close()


async def test_delete_removes_the_highlighted_step_and_question(app: KapprepApp) -> None:
    ids = add_sessions(app.ctx)
    keep = j.add_step(app.ctx.store, ids[2], "keep me", NOW)
    j.add_step(app.ctx.store, ids[2], "remove me", NOW)
    j.add_question(app.ctx.store, "a question", NOW)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_journal(pilot)
        steps = screen.query_one("#steps", SelectionList)
        steps.focus()
        await pilot.press("down", "delete")
        await pilot.pause()
        assert [s.id for s in j.steps(app.ctx.store, ids[2])] == [keep]
        assert steps.option_count == 1
        # Delete inside a text field edits the text, never removes a step
        await type_into(pilot, "#new-step", "ab")
        await pilot.press("left", "delete")
        await pilot.pause()
        assert screen.query_one("#new-step", Input).value == "a"
        assert len(j.steps(app.ctx.store, ids[2])) == 1
        await pilot.press("f4")
        await pilot.pause()
        screen.query_one("#question-list", SelectionList).focus()
        await pilot.press("delete")
        await pilot.pause()
        assert j.questions(app.ctx.store) == []


async def test_a_session_removed_elsewhere_is_told_not_a_crash(app: KapprepApp) -> None:
    """QA found typing into the journal after another window removed its session closed the app."""
    ctx = app.ctx
    add_sessions(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_journal(pilot)
        assert app.focused is not None and app.focused.id == "intention-hope"  # typing lands here
        assert screen.current is not None
        with Store.open(ctx.store.folder) as other:  # "another window"
            other.remove_session(screen.current.session_id)
        await pilot.press("a")
        await pilot.pause()
        assert app.is_running and app.screen is screen
        assert any("no longer there" in str(n.message) for n in app._notifications)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, JournalScreen)


async def test_a_done_step_and_an_open_one_look_different_without_colour(
    app: KapprepApp,
) -> None:
    # Under NO_COLOR Textual's SelectionList drew "▐X▌" for both; only the shade differed.
    ids = add_sessions(app.ctx)
    j.add_step(app.ctx.store, ids[2], "walk", NOW)
    j.add_question(app.ctx.store, "what to eat", NOW)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_journal(pilot)
        steps = screen.query_one("#steps", SelectionList)
        assert "▐ ▌ walk" in steps.render_line(0).text
        steps.focus()
        await pilot.press("space")
        await pilot.pause()
        assert [s.done for s in j.steps(app.ctx.store, ids[2])] == [True]
        assert "▐X▌ walk" in steps.render_line(0).text
        await pilot.press("f4")
        await pilot.pause()
        questions = screen.query_one("#question-list", SelectionList)
        assert "▐ ▌ what to eat" in questions.render_line(0).text


async def test_a_rating_over_10_cannot_be_typed(app: KapprepApp) -> None:
    # Typing "11" used to save 1, then show "11" in the field with a 3-second warning.
    ids = add_sessions(app.ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_journal(pilot)
        await type_into(pilot, "#rating-mood-after", "11")
        assert screen.query_one("#rating-mood-after", Input).value == "1"
        assert j.ratings(app.ctx.store, ids[2]) == {("mood", "after"): 1}
        await pilot.press("backspace", "1", "0")
        await pilot.pause()
        assert screen.query_one("#rating-mood-after", Input).value == "10"
        assert j.ratings(app.ctx.store, ids[2]) == {("mood", "after"): 10}
