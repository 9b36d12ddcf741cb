"""The passphrase before the app (issue 25): nothing private on screen until it opens the lock, a
wrong one changes nothing, and the crisis panel works while locked."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

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
        assert text.count("Your clinic") == 1  # the heading, not "Your clinic" twice over
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, LockedCrisisScreen)


async def test_escape_leaves_without_opening(locked: Path) -> None:
    app = UnlockApp(locked)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("escape")
    assert app.return_value is None


# -- in the app: turning the lock on, and the idle lock --------------------------------------


async def test_the_lock_is_turned_on_from_settings_and_the_code_shown_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kapprep.store import keyfile
    from kapprep.ui.screens.lock import LockScreen, RecoveryCodeScreen
    from kapprep.ui.screens.settings import SettingsScreen
    from kapprep.ui.widgets.tickbox import TickBox

    from .helpers import make_app

    monkeypatch.setenv("KAPPREP_KDF_MS", "1")
    folder = tmp_path / "data"
    with Store.open(folder) as store:
        store.add_session(datetime(2026, 12, 3, 10, tzinfo=UTC), clinic="Calm Clinic")
        store.set_setting("welcome_done", True)
    app = make_app(folder)
    async with app.run_test(size=(80, 40)) as pilot:
        app.push_screen(SettingsScreen(app.ctx))
        await pilot.pause()
        app.screen.query_one("#lock-data").press()
        await pilot.pause()
        assert isinstance(app.screen, LockScreen)
        app.screen.query_one("#new", Input).value = PASS
        app.screen.query_one("#again", Input).value = PASS + "x"
        app.screen.query_one("#lock").press()
        await pilot.pause()
        assert "not the same" in shown(app)  # type: ignore[arg-type]
        app.screen.query_one("#again", Input).value = PASS
        app.screen.query_one("#lock").press()
        await pilot.pause()
        assert "tick that you understand" in shown(app)  # type: ignore[arg-type]
        app.screen.query_one("#understood", TickBox).value = True
        app.screen.query_one("#lock").press()
        while not isinstance(app.screen, RecoveryCodeScreen):
            await pilot.pause()
        code = str(app.screen.query_one("#recovery-code", Static).render())
        assert keyfile.open_with_code(folder, code) == keyfile.open_with_passphrase(folder, PASS)
        assert not (folder / "kapprep.db").read_bytes().startswith(b"SQLite format 3")
        app.ctx.store.set_note(1, "pack-bag", "still saved")  # the app goes on, locked
        await pilot.press("escape")  # a reflex Escape only reminds: the code is not shown again
        await pilot.pause()
        assert isinstance(app.screen, RecoveryCodeScreen)
        status = str(app.screen.query_one("#code-status", Static).render())
        assert "not shown again" in status
        await pilot.press("enter")  # "I wrote it down" has the focus
        await pilot.pause()
        assert not isinstance(app.screen, RecoveryCodeScreen)
        assert "Your data is locked with a passphrase" in shown(app)  # type: ignore[arg-type]
    cipher.use_key(folder, None)
    with Store.open(folder, key=keyfile.open_with_passphrase(folder, PASS)) as store:
        assert store.notes(1)["pack-bag"] == "still saved"


async def test_the_idle_lock_covers_the_app_and_lets_only_crisis_through(locked: Path) -> None:
    from kapprep.store import keyfile
    from kapprep.ui.app import build_app
    from kapprep.ui.unlock import IdleLockScreen

    from .helpers import CHECKLISTS, Clock

    key = keyfile.open_with_passphrase(locked, PASS)
    with Store.open(locked, key=key) as store:
        set_settings(store, idle_lock_minutes=5, welcome_done=True)
    now = [0.0]
    app = build_app(
        data_dir=locked, checklist_dirs=[CHECKLISTS], clock=Clock(), monotonic=lambda: now[0],
        key=key,
    )  # fmt: skip
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        now[0] = 299.0
        app.idle_tick()
        assert not isinstance(app.screen, IdleLockScreen)
        now[0] = 301.0
        app.idle_tick()
        await pilot.pause()
        assert isinstance(app.screen, IdleLockScreen)
        assert "Secretnoteword" not in shown(app) and "Fjord" not in shown(app)  # type: ignore[arg-type]
        app.set_focus(None)
        await pilot.press("s")  # a screen's key does nothing while locked
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, IdleLockScreen)
        await pilot.press("ctrl+e")
        await pilot.pause()
        assert isinstance(app.screen, LockedCrisisScreen)
        assert "Fjord" not in shown(app)  # type: ignore[arg-type]
        await pilot.press("escape")
        await pilot.pause()
        field = app.screen.query_one("#passphrase", Input)
        field.value = "wrong one here"
        await pilot.press("enter")
        await app.workers.wait_for_complete()  # scrypt runs off the UI thread
        await pilot.pause()
        assert isinstance(app.screen, IdleLockScreen)
        field.value = PASS
        field.focus()
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not isinstance(app.screen, IdleLockScreen)
        assert not app.idle_locked


def opened_app(folder: Path) -> Any:
    """The app on the locked data, opened with its passphrase (the welcome done)."""
    from kapprep.store import keyfile
    from kapprep.ui.app import build_app

    from .helpers import CHECKLISTS, Clock

    key = keyfile.open_with_passphrase(folder, PASS)
    with Store.open(folder, key=key) as store:
        set_settings(store, welcome_done=True)
    return build_app(
        data_dir=folder, checklist_dirs=[CHECKLISTS], clock=Clock(), monotonic=lambda: 0.0,
        key=key,
    )  # fmt: skip


async def test_the_idle_lock_with_a_lock_file_gone_bad_says_so_and_stays_locked(
    locked: Path,
) -> None:
    """A key file that cannot be read while the app is idle-locked was an uncaught StoreError
    in the app's message loop: the app crashed with a traceback instead of one calm line."""
    from kapprep.store import keyfile
    from kapprep.ui.unlock import IdleLockScreen

    app = opened_app(locked)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.cover_with_lock()
        await pilot.pause()
        (locked / keyfile.KEY_FILE).write_text("{not json")
        assert isinstance(app.screen, IdleLockScreen)
        app.screen.query_one("#passphrase", Input).value = PASS
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, IdleLockScreen)
        message = str(app.screen.query_one("#unlock-message", Static).render())
        assert "could not be read" in message
        assert app.return_code is None  # still running


async def test_the_idle_lock_says_how_to_close_kapprep_and_ctrl_q_does(locked: Path) -> None:
    """The app's quit key is q, which the focused passphrase field takes as a letter: the idle
    lock showed only the crisis key, and a patient who wanted to leave saw no way out."""
    app = opened_app(locked)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.notify("Saved to briefing-Secretnoteword.pdf", timeout=10)
        await pilot.pause()
        assert list(app._notifications)
        app.cover_with_lock()
        await pilot.pause()
        assert not list(app._notifications), "a toast of the app's stayed over the lock"
        text = shown(app)  # type: ignore[arg-type]
        assert "locked itself while you were away" in text
        assert "Ctrl+Q" in text
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert app.return_code is not None
