"""Short versions of tests/stress/store_stress.py: kill -9 loses no acknowledged write, and two
processes writing at once lose nothing. (The long runs: python tests/stress/store_stress.py.)"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")


def stress() -> ModuleType:
    path = Path(__file__).resolve().parents[1] / "stress" / "store_stress.py"
    spec = importlib.util.spec_from_file_location("store_stress", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def test_kill_9_at_random_moments_loses_no_acknowledged_write(tmp_path: Path) -> None:
    report = stress().kill_rounds(tmp_path, rounds=20, seed=20261203, max_delay=0.5)
    assert report.rounds == 20
    assert report.acknowledged > 0, "the writer never got to write: the test proved nothing"


def test_two_writers_at_once_lose_nothing(tmp_path: Path) -> None:
    stress().concurrent(tmp_path, actions=300)
