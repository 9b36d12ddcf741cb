"""The patient's note for the support person, as data and on the command line's briefing: shown
only for the session it was written for, only when chosen, and never when blank."""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from briefing_samples import SESSION, typical_plan

from kapprep import clock, journal
from kapprep.briefing import build_briefing, render_text
from kapprep.cli import main
from kapprep.journal_share import is_shared, set_shared, shared_note
from kapprep.store import Store

LONDON = ZoneInfo("Europe/London")


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store.open(tmp_path / "data")


def test_nothing_is_shared_until_chosen_and_unticking_takes_it_off(store: Store) -> None:
    s1 = store.add_session(datetime(2026, 12, 3, 10, tzinfo=LONDON))
    s2 = store.add_session(datetime(2026, 12, 10, 10, tzinfo=LONDON))
    now = clock.now()
    journal.save_entry(store, s1.id, "intention", "support", "  Curtains closed, please. ", now)
    assert shared_note(store, s1.id) is None and not is_shared(store, s1.id)
    set_shared(store, s1.id, True, now)
    set_shared(store, s1.id, True, now)  # twice is the same as once
    assert shared_note(store, s1.id) == "Curtains closed, please."
    assert shared_note(store, s2.id) is None  # another session's note stays its own
    set_shared(store, s2.id, True, now)
    assert shared_note(store, s2.id) is None  # chosen, but blank: nothing to show
    set_shared(store, s1.id, False, now)
    assert shared_note(store, s1.id) is None and shared_note(store, None) is None
    store.remove_session(s2.id)  # its choice goes with it
    assert store.fetch("SELECT count(*) FROM shared_notes")[0][0] == 0


def test_the_briefing_shows_the_note_in_its_own_section() -> None:
    plain = build_briefing(typical_plan(), SESSION)
    assert plain.section("note") is None
    with_note = build_briefing(typical_plan(), SESSION, support_note="Curtains closed, please.")
    note = with_note.section("note")
    assert note is not None and note.title == "What Alex Morgan wants you to know"
    assert note.paragraphs == ("Curtains closed, please.",)
    keys = [s.key for s in with_note.sections]
    assert keys.index("day") < keys.index("note") < keys.index("watch")
    assert build_briefing(typical_plan(), SESSION, support_note="   ").section("note") is None
    assert "Curtains closed" in render_text(with_note)


def test_the_briefing_command_shows_it_only_when_chosen(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("KAPPREP_HOME", raising=False)
    monkeypatch.setenv("KAPPREP_CONFIG", str(tmp_path / "config"))
    monkeypatch.setattr(sys.stdin, "isatty", lambda: False)
    env = ["--data-dir", str(tmp_path / "data")]
    with Store.open(tmp_path / "data") as store:
        s = store.add_session(datetime(2026, 12, 3, 10, tzinfo=LONDON))
        journal.save_entry(store, s.id, "intention", "support", "Curtains closed", clock.now())
    assert main([*env, "briefing"]) == 0
    assert "Curtains closed" not in capsys.readouterr().out
    with Store.open(tmp_path / "data") as store:
        set_shared(store, s.id, True, clock.now())
    assert main([*env, "briefing"]) == 0
    assert "Curtains closed" in capsys.readouterr().out
