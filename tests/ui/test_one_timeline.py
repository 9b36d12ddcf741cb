"""One timeline, every front end: home, the checklist screen, day-of mode, `kapprep next --json
--all` and the calendar show the same items, due times and done states for the same session and
clock, the journal's prompts and the clinic's own times included. And only `kapprep.timeline`
places items; building a timeline costs the same queries with 1 session or 200."""

from __future__ import annotations

import ast
import json
from datetime import datetime, timedelta
from pathlib import Path

import icalendar
import pytest
from textual.widgets import OptionList, Static, Tabs

from kapprep import clock, journal, paths
from kapprep.checklists import load_layers
from kapprep.cli import main
from kapprep.ical import event_uid, install_id
from kapprep.store import Store
from kapprep.timeline import Timeline, load_timeline_inputs, session_timeline
from kapprep.ui.app import build_app

from .helpers import SESSION_START, ZONE

NOW = datetime(2026, 12, 2, 18, 0, tzinfo=ZONE)
"""The evening before the session: some items are past, the day-of items and prompts to come."""
SRC = Path(__file__).resolve().parents[2] / "src" / "kapprep"


def _seed(data: Path) -> None:
    with Store.open(data) as store:
        s = store.add_session(SESSION_START, clinic="Calm Clinic", phone="0161 000")
        store.set_setting("welcome_done", True)
        store.set_clinic_time("stop-eating", "-4h")  # the clinic's own, for the series
        journal.save_entry(store, s.id, "integration", "important", "Kindness.", NOW)


def _truth(data: Path) -> Timeline:
    items = load_layers(paths.checklist_layers([])).items()
    with Store.open(data) as store:
        session = store.sessions()[0]
        return session_timeline(load_timeline_inputs(store, items, session), NOW)


@pytest.fixture
def data(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    _seed(folder)
    truth = _truth(folder)
    with Store.open(folder) as store:  # tick the first coming item and one overdue one
        store.tick(1, truth.coming[0].item.id)
        store.tick(1, truth.overdue[0].item.id)
    return folder


def test_the_timeline_itself(data: Path) -> None:
    truth = _truth(data)
    ids = [e.item.id for e in truth.entries]
    assert {"journal-same-evening", "journal-one-week"} <= set(ids)  # the prompts are on it
    assert "journal-next-day" in truth.done  # answered in the journal: done
    eating = next(e for e in truth.entries if e.item.id == "stop-eating")
    assert eating.overridden and eating.due == SESSION_START - timedelta(hours=4)
    assert truth.now == NOW and truth.start == SESSION_START


async def test_every_front_end_shows_the_same_items_times_and_done_states(
    data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    truth = _truth(data)
    coming = [e for e in truth.coming if e.due is not None]
    ticked = [e for e in truth.entries if e.item.id in truth.done]
    assert len(coming) > 3 and ticked

    # -- kapprep next --json --all
    with clock.freeze(NOW):
        assert main(["--data-dir", str(data), "next", "--json", "--all"]) == 0
        doc = json.loads(capsys.readouterr().out)
        assert main(["--data-dir", str(data), "calendar"]) == 0
        ics = capsys.readouterr().out
    as_json = [(e["item"], datetime.fromisoformat(e["due"])) for e in doc["due_next"]]
    assert as_json == [(e.item.id, e.due) for e in coming]
    overdue = [(e["item"], datetime.fromisoformat(e["due"])) for e in doc["overdue"]]
    assert overdue == [(e.item.id, e.due) for e in truth.overdue]
    assert not {i for i, _ in as_json + overdue} & truth.done

    # -- the calendar: every open future item (prompts included) at the same time
    with Store.open(data) as store:
        install = install_id(store)
    events = {
        str(ev["uid"]): ev.decoded("dtstart")
        for ev in icalendar.Calendar.from_ical(ics).walk("VEVENT")
    }
    for entry in coming:
        uid = event_uid(install, 1, entry.item.id)
        assert events[uid] == entry.due, entry.item.id

    # -- the app: home's due list, every checklist tab, day-of's first card
    app = build_app(
        data_dir=data, checklist_dirs=paths.checklist_layers([]), clock=lambda: NOW, zone=ZONE
    )
    async with app.run_test(size=(100, 40)) as pilot:
        for _ in range(4):
            await pilot.pause()
        due = str(app.screen.query_one("#due", Static).render())
        for entry in truth.due_next:
            assert entry.item.text in due
        assert ticked[0].item.text not in due
        assert f"and {len(truth.overdue) - 1} more" in due

        await pilot.press("c")
        for _ in range(3):
            await pilot.pause()
        tabs = app.screen.query_one(Tabs)
        seen: dict[str, bool] = {}
        for phase in [t.id for t in tabs.query("Tab")]:
            tabs.active = phase
            await pilot.pause()
            await pilot.pause()
            listing = app.screen.query_one("#items", OptionList)
            for option in listing.options:
                if option.id is not None:
                    seen[option.id] = str(option.prompt).startswith("☑")
        on_tabs = {e.item.id: e.item.id in truth.done for e in truth.entries}
        assert seen == on_tabs  # every item, prompts too, with the same done state

        await pilot.press("escape", "d")
        for _ in range(3):
            await pilot.pause()
        first_card = str(app.screen.query_one("#dayof-text", Static).render())
        assert truth.due_next[0].item.text in first_card


def test_only_the_timeline_places_items() -> None:
    """No front end assembles a timeline: `kapprep.schedule` is imported by timeline.py alone."""
    importers = set()
    for path in SRC.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module, *(f"{node.module}.{a.name}" for a in node.names)]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            if any(n in ("kapprep.schedule", "kapprep.overview") for n in names):
                importers.add(path.relative_to(SRC).as_posix())
    assert importers == {"timeline.py"}


def _statements(store: Store, session_id: int) -> list[str]:
    items = tuple(load_layers(paths.checklist_layers([])).items())
    seen: list[str] = []
    store.conn.set_trace_callback(seen.append)
    try:
        with store.transaction():  # as the loader runs inside the app's own reads
            pass
        seen.clear()
        session = store.session(session_id)
        assert session is not None
        session_timeline(load_timeline_inputs(store, items, session), NOW)
    finally:
        store.conn.set_trace_callback(None)
    return seen


def test_a_timeline_costs_the_same_queries_with_1_or_200_sessions(tmp_path: Path) -> None:
    with Store.open(tmp_path / "one") as one:
        s = one.add_session(SESSION_START)
        one.tick(s.id, "stop-eating")
        few = _statements(one, s.id)
    with Store.open(tmp_path / "many") as many:
        for week in range(200):
            t = many.add_session(SESSION_START + timedelta(weeks=week - 100))
            many.tick(t.id, "stop-eating")
            journal.save_entry(many, t.id, "integration", "important", "x", NOW)
        lots = _statements(many, 100)
    assert len(few) == len(lots) <= 6, lots


def test_the_clinics_time_is_set_once_for_every_session_of_the_series(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    items = tuple(load_layers(paths.checklist_layers([])).items())
    with Store.open(tmp_path) as store:
        first = store.add_session(SESSION_START)
        later = store.add_session(SESSION_START + timedelta(weeks=2))
        store.set_clinic_time("stop-eating", "-3h")  # once, as the checklist's `o` does
        for session in (first, later):
            line = session_timeline(load_timeline_inputs(store, items, session), NOW)
            eating = next(e for e in line.entries if e.item.id == "stop-eating")
            assert eating.overridden and eating.due == session.start - timedelta(hours=3)
        store.set_clinic_time("stop-eating", None)  # cleared: the checklist's own time again
        line = session_timeline(load_timeline_inputs(store, items, later), NOW)
        eating = next(e for e in line.entries if e.item.id == "stop-eating")
        assert not eating.overridden and eating.due == later.start - timedelta(hours=6)


async def test_home_lists_the_coming_and_the_last_few_sessions_of_a_long_series(
    tmp_path: Path,
) -> None:
    data = tmp_path / "data"
    with Store.open(data) as store:
        for week in range(-30, 3):  # 30 weekly sessions before NOW's week, then 3 to come
            store.add_session(SESSION_START + timedelta(weeks=week))
        store.set_setting("welcome_done", True)
    app = build_app(data_dir=data, checklist_dirs=paths.checklist_layers([]), clock=lambda: NOW)
    async with app.run_test(size=(100, 40)) as pilot:
        for _ in range(4):
            await pilot.pause()
        listing = app.screen.query_one("#sessions", OptionList)
        rows = [str(listing.get_option_at_index(i).prompt) for i in range(listing.option_count)]
        assert rows[0] == "… and 25 earlier sessions: the journal (j) has them all"
        assert len(rows) == 1 + 5 + 3
        assert listing.highlighted is not None
        highlighted = listing.get_option_at_index(listing.highlighted)
        assert highlighted.id == "31" and "shown above" in str(highlighted.prompt)  # the next one
