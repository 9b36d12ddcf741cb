"""One session's timeline (the crisis directory: test_crisis_directory.py)."""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from kapprep.checklists import load_layers
from kapprep.store import Session
from kapprep.timeline import TimelineInputs, clinic_times, session_timeline

LONDON = ZoneInfo("Europe/London")
CHECKLISTS = Path(__file__).parents[1] / "ui" / "data" / "checklists"


def test_overview_counts_progress_and_finds_next_and_late() -> None:
    checklists = load_layers([CHECKLISTS])
    start = datetime(2026, 12, 3, 10, 0, tzinfo=LONDON)
    now = start - timedelta(hours=16)
    session = Session(1, start, "Europe/London")
    inputs = TimelineInputs(
        session, tuple(checklists.items()), {}, frozenset({"book-therapy"}), frozenset()
    )
    view = session_timeline(inputs, now)
    assert [e.item.id for e in view.due_next] == ["sleep-well", "stop-eating", "arrive-early"]
    assert [e.item.id for e in view.overdue] == ["arrange-ride", "no-alcohol"]
    assert [(p.phase, p.done, p.total) for p in view.phases] == [
        ("week-before", 1, 2),
        ("day-before", 0, 2),
        ("day-of", 0, 2),
    ]


def test_clinic_times_skip_what_cannot_be_read() -> None:
    got = clinic_times({"stop-eating": "-4h", "x": "soon"})
    assert list(got) == ["stop-eating"] and got["stop-eating"].delta == timedelta(hours=-4)


@pytest.mark.parametrize("module", ["kapprep.crisis", "kapprep.whentext", "kapprep.timeline"])
def test_domain_modules_do_not_import_textual(module: str) -> None:
    code = f"import sys, {module}; print('textual' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
