"""Plain mode on a locked store (issue 25): the passphrase first, never said back; crisis help at
that question; a wrong one changes nothing."""

from __future__ import annotations

import hashlib
import io
from datetime import UTC, datetime
from pathlib import Path

import pytest

from kapprep.plain.app import run
from kapprep.settings import set_settings
from kapprep.store import Store, cipher, locking

PASS = "correct horse battery"


@pytest.fixture
def locked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("KAPPREP_KDF_MS", "1")
    folder = tmp_path / "data"
    with Store.open(folder) as store:
        store.add_session(datetime(2026, 12, 3, 9, tzinfo=UTC), clinic="Fjord Clinic")
        set_settings(store, country="DE", emergency_number="113", welcome_done=True)
        from kapprep.crisis_outside import save_outside

        save_outside(store)  # as `kapprep lock` does
    locking.lock(folder, PASS)
    cipher.use_key(folder, None)
    return folder


def files(folder: Path) -> dict[str, str]:
    return {
        str(p): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def talk(folder: Path, *lines: str) -> str:
    out = io.StringIO()
    code = run(
        data_dir=str(folder),
        checklist_dirs=[],
        why="a test",
        stdin=io.StringIO("".join(f"{line}\n" for line in lines)),
        stdout=out,
    )
    assert code == 0
    return out.getvalue()


def test_plain_mode_asks_the_passphrase_first_and_never_says_it_back(locked: Path) -> None:
    before = files(locked)
    said = talk(locked, "crisis", "wrong passphrase", "quit")
    assert "Your kapprep data is locked" in said
    assert "113" in said  # crisis help from outside the lock
    assert "does not open your data" in said
    assert "wrong passphrase" not in said
    assert "Fjord" not in said
    assert files(locked) == before
    said = talk(locked, PASS, "quit")
    assert PASS not in said
    assert "Main menu" in said
