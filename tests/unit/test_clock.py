"""The one clock: every front end's "now", set in one place by tests (and by `KAPPREP_NOW` for a
separate process), never read from the wall clock elsewhere."""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from conftest import FIXED_NOW, REPO_ROOT
from kapprep import clock

SRC = REPO_ROOT / "src" / "kapprep"

WALL_CLOCK_ALLOWED = {
    # Names and reports that must carry the real time, not the one a test set.
    "clock.py": "the one place",
    "zones.py": "local_zone(): the machine's offset, when its zone has no name",
    "documents/output.py": "a saved document's file name (unique)",
    "crash.py": "the crash report's time and file name",
    "store/opening.py": "the new name (unique) of a damaged file",
    "store/wal.py": "the new name (unique) of a WAL that is not its own",
}


def test_the_suite_runs_at_its_fixed_time() -> None:
    assert clock.now() == FIXED_NOW
    assert clock.now(ZoneInfo("America/New_York")).isoformat() == "2026-11-20T07:00:00-05:00"


def test_freeze_nests_and_moves_on(fixed_clock: clock.freeze) -> None:
    later = datetime(2027, 3, 27, 21, 0, tzinfo=ZoneInfo("Europe/London"))
    with clock.freeze(later) as frozen:
        assert clock.now() == later and clock.now().tzinfo is UTC
        frozen.advance(timedelta(hours=5))  # across the change to summer time
        assert clock.now(ZoneInfo("Europe/London")).isoformat() == "2027-03-28T03:00:00+01:00"
    assert clock.now() == FIXED_NOW
    fixed_clock.advance(timedelta(minutes=1))
    assert clock.now() == FIXED_NOW + timedelta(minutes=1)


def test_freeze_needs_an_aware_time() -> None:
    with pytest.raises(ValueError, match="aware"):
        clock.freeze(datetime(2026, 12, 3, 10, 0))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-12-03T10:00:00+01:00", "2026-12-03T09:00:00+00:00"),
        ("not a time", None),  # ignored: the real time
        ("2026-12-03T10:00:00", None),  # no offset: ignored
        ("", None),
    ],
)
def test_a_separate_process_takes_its_time_from_kapprep_now(
    value: str, expected: str | None
) -> None:
    code = "from kapprep import clock; print(clock.now().isoformat())"
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(REPO_ROOT / "src"), clock.ENV: value}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    ).stdout.strip()
    if expected is not None:
        assert out == expected
    else:
        assert datetime.fromisoformat(out).year >= 2026  # the real clock, whatever it says


def test_no_other_module_reads_the_wall_clock() -> None:
    """`datetime.now()`, `date.today()` and `time.time()` only where the list above says why."""
    found = set()
    for path in SRC.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        if re.search(r"\bdatetime\.now\(|\bdate\.today\(|\btime\.time\(", text):
            found.add(path.relative_to(SRC).as_posix())
    assert found - set(WALL_CLOCK_ALLOWED) == set(), "read clock.now() instead"
