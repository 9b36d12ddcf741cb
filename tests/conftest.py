"""Fixtures shared by the whole suite. Keep this small: feature fixtures live beside their tests."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from kapprep import clock

FIXED_NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
"""The "now" of every test: a Friday noon in UTC, two weeks before the sample sessions of
"2026-12-03 10:00". No test reads the wall clock, so the suite passes at any hour on any day."""

REPO_ROOT = Path(__file__).resolve().parents[1]

VALID_CHECKLIST = """\
format: 1
id: sample
title: A sample checklist
phase: day-of
sources:
  - title: American Society of Ketamine Physicians
    url: https://askp.org
items:
  - id: sample-item
    text: Arrive ten minutes early
    due: -10m
"""
"""A minimal valid checklist; tests edit it to make one mistake at a known line."""

TIMED_CHECKLIST = """\
format: 1
id: test-prep
title: Test preparation
phase: day-before
sources:
  - title: A test source
    url: https://example.org
items:
  - id: test-pack-bag
    text: Pack a bag
    due: -1d@20:00
  - id: test-drink-water
    text: Drink water
    due: -2h
  - id: test-long-ago
    text: Something far back
    due: -30d
"""
"""A clinic's file for the command-line tests: the evening before, two hours before, long ago."""

CLINIC_RULES_FILE = """\
format: 1
id: clinic-after
title: Our clinic, after
phase: after
sources:
  - title: Our clinic's letter
    url: https://clinic.example/letter
clinic_rules:
  driving: 24 hours
  decisions: not until you have slept on it
  check_in_minutes: 15
  blood_pressure: [before, after]
items:
  - id: clinic-rest
    text: Rest
"""
"""A clinic's file that states its rules for after the session (`clinic_rules:`)."""


@pytest.fixture(autouse=True)
def _isolated_config(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """No test reads the real user's config or data folder."""
    root = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("KAPPREP_CONFIG", str(root / "config"))
    monkeypatch.setenv("KAPPREP_HOME", str(root / "data"))


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[clock.freeze]:
    """Every front end's "now" is `FIXED_NOW` (move it with `fixed_clock.advance(timedelta)`),
    in UTC as the computer's zone, whatever the hour, the day and the zone of the machine. Child
    processes (the end-to-end tests) get the same time through `KAPPREP_NOW`."""
    monkeypatch.setenv("TZ", "UTC")
    monkeypatch.setenv(clock.ENV, FIXED_NOW.isoformat())
    time.tzset()
    try:
        with clock.freeze(FIXED_NOW) as frozen:
            yield frozen
    finally:
        monkeypatch.undo()
        time.tzset()


@pytest.fixture
def write(tmp_path: Path) -> Callable[..., Path]:
    """write("name.yaml", text_or_bytes, folder="sub") -> the path written under tmp_path."""

    def _write(name: str, content: str | bytes, folder: str = "") -> Path:
        path = tmp_path / folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        return path

    return _write
