"""Fixtures for the UI tests: a temporary data folder, seeded with one session."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from kapprep.store import Store

from .helpers import SESSION_START, Clock


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def seeded(data_dir: Path) -> Iterator[Path]:
    """A data folder past the first run, with one planned session."""
    with Store.open(data_dir) as store:
        store.add_session(
            SESSION_START, place="Calm Clinic", clinic="Calm Clinic", phone="0161 000"
        )
        store.set_setting("welcome_done", True)
    yield data_dir
