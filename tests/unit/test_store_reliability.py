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


def _locked(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A locked store in `folder`; the writers get its data key as a process that asked would."""
    from datetime import UTC, datetime

    from kapprep.store import Store, cipher, keyfile, locking

    monkeypatch.setenv("KAPPREP_KDF_MS", "1")
    with Store.open(folder) as store:
        store.add_session(datetime(2026, 12, 3, 9, tzinfo=UTC))
    locking.lock(folder, "correct horse battery")
    cipher.use_key(folder, None)
    key = keyfile.open_with_passphrase(folder, "correct horse battery")
    monkeypatch.setenv("KAPPREP_STRESS_KEY", key.hex())


def test_kill_9_on_a_locked_store_loses_no_acknowledged_write(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _locked(tmp_path, monkeypatch)
    report = stress().kill_rounds(tmp_path, rounds=12, seed=20261225, max_delay=0.5)
    assert report.acknowledged > 0, "the writer never got to write: the test proved nothing"
    assert not (tmp_path / "kapprep.db").read_bytes().startswith(b"SQLite format 3")
    for path in tmp_path.rglob("*"):  # the WAL a kill left behind is encrypted too
        if path.is_file():
            assert b"note r" not in path.read_bytes(), path


def test_two_writers_on_a_locked_store_lose_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _locked(tmp_path, monkeypatch)
    stress().concurrent(tmp_path, actions=200)
    assert not (tmp_path / "kapprep.db").read_bytes().startswith(b"SQLite format 3")
