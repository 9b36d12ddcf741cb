"""The `terminal` fixture: a tmux session for each end-to-end test (see terminal.py)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import pytest

from .terminal import KAPPREP, Terminal


@pytest.fixture
def terminal(request: pytest.FixtureRequest) -> Iterator[Terminal]:
    # Not a skip: `dev.py test` always installs kapprep, so a missing one is a real failure.
    assert KAPPREP.exists(), f"kapprep is not installed in {KAPPREP.parent}"
    assert shutil.which("tmux"), "tmux is not installed: the end-to-end tests need it"
    term = Terminal(request.node.name[:20].replace("[", "-").replace("]", ""))
    try:
        yield term
    finally:
        term.close()
