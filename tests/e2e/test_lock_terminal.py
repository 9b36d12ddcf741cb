"""End to end (issue 25): the installed `kapprep` on locked data in a real terminal (tmux, 80×24):
the passphrase screen first with nothing private on it, the crisis panel from there, a wrong
passphrase told calmly, then the home screen."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from kapprep import clock

from .terminal import KAPPREP, Terminal, needs_tmux

pytestmark = needs_tmux
PASS = "correct horse battery"


def test_the_app_asks_the_passphrase_first_on_locked_data(
    terminal: Terminal, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kapprep.crisis_outside import save_outside
    from kapprep.settings import set_settings
    from kapprep.store import Store, cipher, locking

    monkeypatch.setenv("KAPPREP_KDF_MS", "1")
    data = tmp_path / "data"
    start = (clock.now(ZoneInfo("Europe/London")) + timedelta(days=1)).replace(
        hour=10, minute=0, second=0, microsecond=0
    )
    with Store.open(data) as store:
        store.add_session(start, clinic="Fjord Clinic", phone="+44 20 7946 0000")
        set_settings(store, welcome_done=True, country="GB")
        save_outside(store)
    locking.lock(data, PASS)
    cipher.use_key(data, None)

    terminal.start(f"{KAPPREP} --data-dir {data}", TZ="Europe/London")
    first = terminal.wait_for(lambda s: "locked" in s and "passphrase" in s, "the passphrase")
    assert "Fjord" not in first and "Next session" not in first
    terminal.keys("C-e")
    crisis = terminal.wait_for(lambda s: "In an emergency" in s, "the crisis panel")
    assert "+44 20 7946 0000" in crisis and "Fjord" not in crisis
    terminal.keys("Escape")
    terminal.wait_for(lambda s: "Type your passphrase" in s, "the passphrase, again")
    terminal.type("not the passphrase")
    wrong = terminal.wait_for(lambda s: "does not open your data" in s, "the wrong one told")
    assert "not the passphrase" not in wrong  # never shown as typed
    terminal.type(PASS)
    home = terminal.wait_for(lambda s: "Next session" in s, "the home screen")
    assert PASS not in home
