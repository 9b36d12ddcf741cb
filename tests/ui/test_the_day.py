"""On the day: a clinic step whose time passed comes first, in plain and kind words, on day-of,
home and `kapprep next`; and once the session's time is over, kapprep asks whether it happened
and lists no step before it as overdue."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from textual.widgets import Static

from kapprep import clock
from kapprep.cli import main
from kapprep.store import Store
from kapprep.timeline import MISSED_NOTE

from .helpers import CHECKLISTS, SESSION_START, Clock, make_app, screen_lines


async def _pause(pilot, n: int = 3) -> None:  # type: ignore[no-untyped-def]
    for _ in range(n):
        await pilot.pause()


async def test_three_hours_before_stop_eating_unticked_comes_first(
    seeded: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    now = SESSION_START - timedelta(hours=3)  # stop eating was due at -6h
    app = make_app(seeded, Clock(now))
    async with app.run_test(size=(100, 40)) as pilot:
        await _pause(pilot, 4)
        home = "\n".join(screen_lines(app))
        top = home.index("Before your session")
        assert top < home.index("Due next")
        assert "! Stop eating: time passed (today 04:00)." in home
        assert (
            MISSED_NOTE in home.replace("\n", " ").replace("  ", " ") or "tell your clinic" in home
        )
        assert "no rush" not in home
        await pilot.press("d")
        await _pause(pilot)
        assert str(app.screen.query_one("#dayof-title", Static).render()) == "Before your session"
        card = str(app.screen.query_one("#dayof-text", Static).render())
        assert card.startswith("Stop eating\nTime passed: today 04:00.")
        assert MISSED_NOTE in card
    with clock.freeze(now):
        assert main(["--data-dir", str(seeded), "--checklists", str(CHECKLISTS), "next"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[1] == "Before your session:"
    assert "stop-eating: Stop eating: time passed." in out[2]
    assert out[3].strip() == MISSED_NOTE


async def test_after_the_session_kapprep_asks_whether_it_happened(
    seeded: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    now = SESSION_START + timedelta(hours=2, minutes=5)
    app = make_app(seeded, Clock(now))
    async with app.run_test(size=(100, 40)) as pilot:
        await _pause(pilot, 4)
        home = "\n".join(screen_lines(app))
        assert "Did this session happen?" in home
        # steps before the session cannot be done any more: not "still open"
        assert "Stop eating" not in home and "Still open" not in home
        await pilot.press("d")
        await _pause(pilot)
        assert "Did your session happen?" in str(
            app.screen.query_one("#dayof-title", Static).render()
        )
    with Store.open(seeded) as store:
        store.update_session(1, status="done")
    with clock.freeze(now):
        code = main(
            ["--data-dir", str(seeded), "--checklists", str(CHECKLISTS), "next", "--json", "--all"]
        )
    assert code == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["session"]["status"] == "done"
    # no step before the session is overdue; the hours after it are what is left
    assert doc["overdue"] and all(
        datetime.fromisoformat(e["due"]) >= SESSION_START for e in doc["overdue"]
    )
    app = make_app(seeded, Clock(now))
    async with app.run_test(size=(100, 40)) as pilot:
        await _pause(pilot, 4)
        home = "\n".join(screen_lines(app))
        assert "Did this session happen?" not in home and "Stop eating" not in home
