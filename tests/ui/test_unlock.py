"""The passphrase before the app (issue 25): nothing private on screen until it opens the lock, a
wrong one changes nothing, and the crisis panel works while locked."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from pathlib import Path

import pytest
from textual.widgets import Input, Static

from kapprep.settings import set_settings
from kapprep.store import Store, cipher, locking
from kapprep.ui.screens.crisis import LockedCrisisScreen
from kapprep.ui.unlock import WRONG, UnlockApp

PASS = "correct horse battery"
SIZE = (80, 24)


@pytest.fixture
def locked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("KAPPREP_KDF_MS", "1")
    folder = tmp_path / "data"
    with Store.open(folder) as store:
        store.add_session(
            datetime(2026, 12, 3, 9, tzinfo=UTC), clinic="Fjord Clinic", phone="+47 22 00 00 00"
        )
        store.set_note(1, "pack-bag", "Secretnoteword")
        set_settings(store, country="DE", emergency_number="113")
    from kapprep.crisis_outside import save_outside

    with Store.open(folder) as store:
        save_outside(store)
    locking.lock(folder, PASS)
    cipher.use_key(folder, None)
    return folder


def files(folder: Path) -> dict[str, str]:
    return {
        str(p): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def shown(app: UnlockApp) -> str:
    return "\n".join(str(w.render()) for w in app.screen.query(Static))


async def typed(pilot, text: str) -> None:  # type: ignore[no-untyped-def]
    pilot.app.query_one("#passphrase", Input).value = text
    await pilot.press("enter")
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def test_a_wrong_passphrase_changes_nothing_and_the_right_one_opens(locked: Path) -> None:
    before = files(locked)
    app = UnlockApp(locked)
    async with app.run_test(size=SIZE) as pilot:
        assert "Secretnoteword" not in shown(app) and "Fjord" not in shown(app)
        field = app.query_one("#passphrase", Input)
        assert field.password and field.has_focus
        for wrong in ("not it at all", "correct horse batterY", "again wrong"):
            await typed(pilot, wrong)
            assert WRONG in shown(app)
            assert field.value == ""
        assert files(locked) == before
        await typed(pilot, PASS)
    key = app.return_value
    assert isinstance(key, bytes) and len(key) == 32
    with Store.open(locked, key=key) as store:
        assert store.notes(1)["pack-bag"] == "Secretnoteword"


async def test_the_crisis_panel_works_while_locked(locked: Path) -> None:
    app = UnlockApp(locked)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+e")  # while the passphrase field has the focus
        await pilot.pause()
        assert isinstance(app.screen, LockedCrisisScreen)
        text = shown(app)
        assert "113" in text  # the emergency number kept outside the lock
        assert "+47 22 00 00 00" in text  # and the clinic's phone
        assert "Fjord" not in text  # the clinic's name stays locked
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, LockedCrisisScreen)


async def test_escape_leaves_without_opening(locked: Path) -> None:
    app = UnlockApp(locked)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("escape")
    assert app.return_value is None
