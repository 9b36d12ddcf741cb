"""`kapprep calendar` through the real entry point: a private file, the same UIDs on a second
run, --every-step and --discreet, and a clear message when there is nothing to write."""

from __future__ import annotations

import stat
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest

from kapprep.cli import main
from kapprep.store import Store

LONDON = ZoneInfo("Europe/London")


@pytest.fixture
def data(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    with Store.open(folder) as store:
        for day in (5, 12, 19):
            store.add_session(datetime(2026, 12, day, 10, tzinfo=LONDON), place="Room 2")
    return folder


def run(data: Path, *args: str) -> int:
    return main(["--data-dir", str(data), *args])


def _alarms(cal: icalendar.Calendar) -> int:
    return sum(len(ev.walk("VALARM")) for ev in cal.walk("VEVENT"))


def test_calendar_file_parses_and_keeps_uids(data: Path, tmp_path: Path) -> None:
    out = tmp_path / "kap.ics"
    assert run(data, "calendar", "-o", str(out)) == 0
    first = icalendar.Calendar.from_ical(out.read_bytes())
    before = out.read_bytes()
    assert run(data, "calendar", "-o", str(out)) == 1  # an existing file needs --force
    assert out.read_bytes() == before
    assert run(data, "calendar", "-o", str(out), "--force") == 0
    second = icalendar.Calendar.from_ical(out.read_bytes())
    uids = [str(e["uid"]) for e in first.walk("VEVENT")]
    assert uids == [str(e["uid"]) for e in second.walk("VEVENT")]
    sessions = [e for e in first.walk("VEVENT") if str(e["summary"]) == "KAP session"]
    assert len(sessions) == 3
    assert first.walk("VTIMEZONE")
    assert stat.S_IMODE(out.stat().st_mode) == 0o600


def test_calendar_without_sessions_says_what_to_do(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(tmp_path / "empty", "calendar") == 1
    assert "no sessions yet" in capsys.readouterr().err


def test_every_step_and_discreet(data: Path, tmp_path: Path) -> None:
    few, every, quiet = tmp_path / "few.ics", tmp_path / "every.ics", tmp_path / "quiet.ics"
    assert run(data, "calendar", "--session", "1", "-o", str(few)) == 0
    assert run(data, "calendar", "--session", "1", "--every-step", "-o", str(every)) == 0
    assert run(data, "calendar", "--session", "1", "--discreet", "-o", str(quiet)) == 0
    read = [icalendar.Calendar.from_ical(p.read_bytes()) for p in (few, every, quiet)]
    assert 1 <= _alarms(read[0]) <= 12 < _alarms(read[1])
    assert _alarms(read[2]) == _alarms(read[0])
    assert b"KAP" not in quiet.read_bytes() and b"Room 2" not in quiet.read_bytes()


def test_an_unknown_session_is_named(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(data, "calendar", "--session", "9") == 1
    assert "there is no session 9" in capsys.readouterr().err
