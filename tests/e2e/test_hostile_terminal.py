"""End to end: a clinic's file full of terminal escapes, and escapes kept in the store before
kapprep checked text (written straight into the database), never reach the real terminal: the
pane's title stays as it was and the screen is not wiped, on home, the checklist and day-of."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from kapprep import clock

from .terminal import KAPPREP, Terminal, needs_tmux

pytestmark = needs_tmux

ATTACK = "\x1b]0;OWNED\x07\x1b]2;OWNED\x07\x1b[2J\x9b2J\u202e"
EVIL = """\
format: 1
id: evil
title: "Day \\e]0;OWNED\\a\\e[2J"
phase: day-of
sources:
  - title: A guide
    url: https://example.org/a
items:
  - id: evil-1
    text: "Eat \\x9b2J now \\e]2;OWNED\\a"
"""


def title(terminal: Terminal) -> str:
    return terminal._tmux("display-message", "-p", "-t", "t", "#{pane_title}").strip()


def test_nothing_from_a_clinic_file_or_old_text_reaches_the_terminal(
    terminal: Terminal, tmp_path: Path
) -> None:
    from kapprep.store import Store

    data, lists = tmp_path / "data", tmp_path / "lists"
    lists.mkdir()
    (lists / "evil.yaml").write_text(EVIL)
    zone = ZoneInfo("Europe/London")
    start = (clock.now(zone) + timedelta(days=1)).replace(hour=10, minute=0, second=0)
    with Store.open(data) as store:
        session = store.add_session(start, clinic="Calm Clinic")
        store.set_setting("welcome_done", True)
        with store.transaction() as conn:  # kept before the check: old text
            conn.execute("UPDATE sessions SET clinic = ?, place = ?", (ATTACK, ATTACK))
            conn.execute(
                "INSERT INTO notes (session_id, item_id, text, updated_at) VALUES (?, ?, ?, ?)",
                (session.id, "stop-eating", ATTACK, "2026-11-20T12:00:00+00:00"),
            )
    terminal.start(f"{KAPPREP} --data-dir {data} --checklists {lists}", TZ="Europe/London")
    home = terminal.wait_for(lambda s: "Next session" in s, "the home screen")
    assert "]0;OWNED" in home  # the old text is shown, less its escapes
    before = title(terminal)
    assert "OWNED" not in before
    for key, seen in (("c", "Tick"), ("escape", "Next session"), ("d", "Day of")):
        terminal.keys(key)
        terminal.wait_for(lambda s, seen=seen: seen in s, f"the screen after {key}")
        assert title(terminal) == before, key  # shown as harmless text, never acted on
    terminal.keys("q")
