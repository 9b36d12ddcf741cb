"""SVG snapshots of every screen at 80×24, with a fixed clock and fixed data.

Update after a deliberate change with `pytest tests/snapshots --snapshot-update`, then look at
the SVGs (snapshot_report.html) before committing them.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from kapprep.store import Store
from kapprep.ui.app import KapprepApp
from ui.helpers import CHECKLISTS, DATA, NOW, SESSION_START, Clock, make_app

SnapCompare = Callable[..., bool]


def seed(folder: Path, *, welcomed: bool = True, country: str | None = "GB") -> Path:
    with Store.open(folder) as store:
        if welcomed:
            session = store.add_session(
                SESSION_START, place="Calm Clinic", clinic="Calm Clinic", phone="0161 496 0000"
            )
            store.add_session(SESSION_START + timedelta(days=14), clinic="Calm Clinic")
            store.tick(session.id, "book-therapy")
            store.set_note(session.id, "no-alcohol", "ask about [bold] tea")
            store.set_setting("welcome_done", True)
            if country:
                store.set_setting("country", country)
            with store.transaction() as conn:
                conn.execute(
                    "INSERT INTO plan_people (name, phone, updated_at) VALUES (?, ?, ?)",
                    ("Sam", "07700 900123", NOW.isoformat()),
                )
    return folder


def app_for(
    tmp_path: Path, clock: Clock | None = None, *, all_phases: bool = False, **kw: Any
) -> KapprepApp:
    folder = seed(tmp_path / "data", **kw)
    dirs = [CHECKLISTS, DATA / "more-phases"] if all_phases else None
    app = make_app(folder, clock or Clock(), dirs)
    app.data_folder = Path("/home/you/.local/share/kapprep")  # a stable path in the picture
    return app


async def still(pilot: Pilot[Any]) -> None:
    """No blinking cursor, nothing pending: the same picture on a busy machine."""
    for widget in pilot.app.screen.query(Input):
        widget.cursor_blink = False
    await pilot.pause()
    await pilot.wait_for_scheduled_animations()
    await pilot.pause()


def keys(*pressed: str) -> Callable[[Pilot[Any]], Any]:
    async def run(pilot: Pilot[Any]) -> None:
        await pilot.pause()
        for key in pressed:
            await pilot.press(key)
            await pilot.pause()
        await still(pilot)

    return run


@pytest.fixture
def british(monkeypatch: pytest.MonkeyPatch) -> None:
    """The first start's country comes from the locale: the same one on every machine."""
    monkeypatch.setenv("LANG", "en_GB.UTF-8")
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_TELEPHONE", raising=False)


def test_welcome(snap_compare: SnapCompare, tmp_path: Path, british: None) -> None:
    app = app_for(tmp_path, welcomed=False)
    assert snap_compare(app, run_before=keys(*"3/12", "enter"))


def test_home(snap_compare: SnapCompare, tmp_path: Path) -> None:
    assert snap_compare(app_for(tmp_path), run_before=keys())


def test_home_on_the_day_narrow(snap_compare: SnapCompare, tmp_path: Path) -> None:
    app = app_for(tmp_path, Clock(SESSION_START - timedelta(hours=3)))
    assert snap_compare(app, run_before=keys(), terminal_size=(60, 20))


def test_home_high_contrast(snap_compare: SnapCompare, tmp_path: Path) -> None:
    app = app_for(tmp_path)
    app.theme = "kapprep-high-contrast"
    assert snap_compare(app, run_before=keys())


def test_checklist_with_why(snap_compare: SnapCompare, tmp_path: Path) -> None:
    assert snap_compare(app_for(tmp_path), run_before=keys("c", "down", "w"))


def test_checklist_clinic_item(snap_compare: SnapCompare, tmp_path: Path) -> None:
    assert snap_compare(app_for(tmp_path), run_before=keys("c", "right"))


def test_checklist_overdue_filter(snap_compare: SnapCompare, tmp_path: Path) -> None:
    assert snap_compare(app_for(tmp_path), run_before=keys("c", "f", "f", "f"))


def test_note_editor(snap_compare: SnapCompare, tmp_path: Path) -> None:
    assert snap_compare(app_for(tmp_path), run_before=keys("c", "n"))


def test_session_form_error(snap_compare: SnapCompare, tmp_path: Path) -> None:
    assert snap_compare(app_for(tmp_path), run_before=keys("a", *"someday", "enter"))


def test_session_menu(snap_compare: SnapCompare, tmp_path: Path) -> None:
    assert snap_compare(app_for(tmp_path), run_before=keys("enter"))


def test_crisis(snap_compare: SnapCompare, tmp_path: Path) -> None:
    assert snap_compare(app_for(tmp_path), run_before=keys("ctrl+e"))


def test_crisis_no_country(snap_compare: SnapCompare, tmp_path: Path) -> None:
    assert snap_compare(app_for(tmp_path, country=None), run_before=keys("ctrl+e"))


def test_help(snap_compare: SnapCompare, tmp_path: Path) -> None:
    assert snap_compare(app_for(tmp_path), run_before=keys("question_mark"))


def test_settings(snap_compare: SnapCompare, tmp_path: Path) -> None:
    assert snap_compare(app_for(tmp_path), run_before=keys("s"))


def test_day_of_next_step(snap_compare: SnapCompare, tmp_path: Path) -> None:
    app = app_for(tmp_path, Clock(SESSION_START - timedelta(hours=8)))
    assert snap_compare(app, run_before=keys("d"))


def test_day_of_whom_to_call(snap_compare: SnapCompare, tmp_path: Path) -> None:
    app = app_for(tmp_path, Clock(SESSION_START - timedelta(hours=8)))
    assert snap_compare(app, run_before=keys("d", "right", "right"))


def test_day_of_after(snap_compare: SnapCompare, tmp_path: Path) -> None:
    app = app_for(tmp_path, Clock(SESSION_START + timedelta(hours=3)))
    assert snap_compare(app, run_before=keys("d"))


@pytest.mark.parametrize("size", [(60, 20)])
def test_checklist_narrow(snap_compare: SnapCompare, tmp_path: Path, size: tuple[int, int]) -> None:
    assert snap_compare(app_for(tmp_path), run_before=keys("c"), terminal_size=size)


def test_home_no_color(
    snap_compare: SnapCompare, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """NO_COLOR is read when the App is built: the home screen in monochrome."""
    monkeypatch.setenv("NO_COLOR", "1")
    app = app_for(tmp_path)
    assert app.no_color
    assert snap_compare(app, run_before=keys())


# -- 60×20, as a new user on a small terminal: nothing cut, focus and state visible ----------

NARROW = (60, 20)


def test_checklist_six_phases_narrow(snap_compare: SnapCompare, tmp_path: Path) -> None:
    """QA: at 60×20 the tab row read "…Day of  After  Integrat". All six names are whole."""
    app = app_for(tmp_path, all_phases=True)
    assert snap_compare(app, run_before=keys("c"), terminal_size=NARROW)


def test_checklist_no_color_ticks(
    snap_compare: SnapCompare, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """NO_COLOR: a ticked item shows ☑ and an open one ☐; the highlighted row is reversed and
    underlined and the active phase tab reversed, not told apart by a shade."""
    monkeypatch.setenv("NO_COLOR", "1")
    app = app_for(tmp_path, all_phases=True)
    assert app.no_color
    assert snap_compare(app, run_before=keys("c", "space"), terminal_size=NARROW)


def test_briefing_narrow(snap_compare: SnapCompare, tmp_path: Path) -> None:
    """QA: the "Not set yet" notice was cut after four lines; it shows whole, with the keys."""
    assert snap_compare(app_for(tmp_path), run_before=keys("b"), terminal_size=NARROW)


def test_plan_narrow_focus(snap_compare: SnapCompare, tmp_path: Path) -> None:
    """QA: the "Not set yet" list was cut; the focused field has a block on its left."""
    assert snap_compare(app_for(tmp_path), run_before=keys("p", "tab"), terminal_size=NARROW)


def test_settings_narrow_no_color(
    snap_compare: SnapCompare, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """QA: the theme label was cut ("ansi-* u"). Ticked and not ticked differ by an X."""
    monkeypatch.setenv("NO_COLOR", "1")
    app = app_for(tmp_path)
    assert snap_compare(app, run_before=keys("s", "tab"), terminal_size=NARROW)


def test_grounding_narrow(snap_compare: SnapCompare, tmp_path: Path) -> None:
    """The Footer keeps Start, Longer and Shorter; the other keys are beside their options."""
    assert snap_compare(app_for(tmp_path), run_before=keys("g"), terminal_size=NARROW)


def test_welcome_narrow_focus(snap_compare: SnapCompare, tmp_path: Path, british: None) -> None:
    """First run at 60×20: the field being typed in is marked by a block, not only a shade."""
    app = app_for(tmp_path, welcomed=False)
    assert snap_compare(app, run_before=keys("tab"), terminal_size=NARROW)
