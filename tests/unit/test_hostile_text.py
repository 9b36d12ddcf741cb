"""Terminal escapes from outside never reach the terminal: a clinic's file that carries ESC,
7-bit and 8-bit CSI, OSC and a bidi override is refused by `validate` with each place, and text
kept before this check (here written straight into the store) is escaped by every command."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from kapprep.cleantext import is_unsafe
from kapprep.cli import main
from kapprep.store import Store

EVIL = """\
format: 1
id: evil
title: "Day \\e]0;OWNED\\a\\e[2J"
phase: day-of
sources:
  - title: A guide
    url: https://example.org/a
items:
  - id: x1
    text: "Eat \\x9b2J now"
  - id: x2
    text: "Turn \\u202e it"
  - id: x3
    text: "OSC \\x9d0;T\\x9c"
"""

ATTACK = "\x1b]0;OWNED\x07\x1b[2J\x9b2J\u202e"


def clean_output(text: str) -> bool:
    return not any(is_unsafe(ch) for ch in text)


@pytest.fixture(autouse=True)
def _private(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KAPPREP_HOME", raising=False)
    monkeypatch.setenv("KAPPREP_CONFIG", str(tmp_path / "config"))
    monkeypatch.setattr(sys.stdin, "isatty", lambda: False)


def test_validate_names_each_escape_with_its_line_and_column(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "evil.yaml"
    path.write_text(EVIL)
    assert main(["checklists", "validate", str(path)]) == 1
    out = capsys.readouterr()
    said = out.out + out.err
    assert f"{path}:3:8: this text holds ESC (U+001B)" in said
    assert f"{path}:10:11: this text holds CSI (U+009B)" in said
    assert f"{path}:12:11: this text holds U+202E, a direction override" in said
    assert f"{path}:14:11: this text holds OSC (U+009D)" in said
    assert clean_output(said)


def test_a_refused_file_is_not_listed_and_nothing_reaches_the_terminal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "lists"
    folder.mkdir()
    (folder / "evil.yaml").write_text(EVIL)
    main(["--checklists", str(folder), "checklists", "list"])
    out = capsys.readouterr()
    assert "OWNED" not in out.out and clean_output(out.out + out.err)


def test_old_text_in_the_store_is_escaped_by_every_command(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    assert main(["--data-dir", str(data), "session", "add", "2026-12-03 10:00", "--tz", "UTC",
                 "--clinic", "Calm"]) == 0  # fmt: skip
    with Store.open(data) as store:
        [s] = store.sessions()
        with store.transaction() as conn:  # as if kept before the check existed
            conn.execute("UPDATE sessions SET clinic = ?, place = ?", (ATTACK, ATTACK))
            conn.execute(
                "INSERT INTO notes (session_id, item_id, text, updated_at) VALUES (?, ?, ?, ?)",
                (s.id, "stop-eating", ATTACK, "2026-11-20T12:00:00+00:00"),
            )
    capsys.readouterr()
    for command in (["session", "list"], ["next", "--all"], ["next", "--json"], ["export"]):
        main(["--data-dir", str(data), *command])
        out = capsys.readouterr()
        assert clean_output(out.out + out.err), command
