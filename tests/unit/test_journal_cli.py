"""`kapprep journal export|questions` through the real entry point."""

from __future__ import annotations

import stat
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from kapprep import journal as j
from kapprep.cli import main
from kapprep.store import Store

LONDON = ZoneInfo("Europe/London")
NOW = datetime(2026, 11, 2, 9, 0, tzinfo=LONDON)


@pytest.fixture
def data(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    with Store.open(folder) as store:
        for n, day in enumerate((5, 12, 19), start=1):
            s = store.add_session(datetime(2026, 10, day, 10, tzinfo=LONDON), place="Room 2")
            j.save_entry(store, s.id, "intention", "hope", f"hope {n} — ✓", NOW)
            j.save_entry(store, s.id, "integration", "important", f"important {n}", NOW)
            j.set_rating(store, s.id, "mood", "after", n + 4, NOW)
            j.add_step(store, s.id, f"step {n}", NOW)
    return folder


def run(data: Path, *args: str) -> int:
    return main(["--data-dir", str(data), *args])


def test_export_markdown_to_stdout(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(data, "journal", "export") == 0
    out = capsys.readouterr().out
    assert out.startswith("# My KAP journal")
    for n in (1, 2, 3):
        assert f"hope {n} — ✓" in out and f"important {n}" in out and f"step {n}" in out
    assert "Ratings across sessions" in out


def test_export_each_format_to_a_private_file(data: Path, tmp_path: Path) -> None:
    for name, check in (
        ("j.html", lambda b: b.startswith(b"<!DOCTYPE html>") and b"hope 2" in b),
        ("j.md", lambda b: b.startswith(b"# My KAP journal")),
        ("j.txt", lambda b: b.startswith(b"MY KAP JOURNAL\n")),
        ("j.pdf", lambda b: b.startswith(b"%PDF-") and len(b) > 1000),
    ):
        out = tmp_path / name
        assert run(data, "journal", "export", "-o", str(out)) == 0
        body = out.read_bytes()
        assert check(body), name
        assert stat.S_IMODE(out.stat().st_mode) == 0o600


def test_export_one_session_and_errors(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(data, "journal", "export", "--session", "2", "--format", "text") == 0
    out = capsys.readouterr().out
    assert "hope 2" in out and "hope 1" not in out
    assert run(data, "journal", "export", "--session", "9") == 1
    assert "no session 9" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exc:
        run(data, "journal", "export", "--format", "docx")
    assert exc.value.code == 2


def test_questions_add_list_done_remove(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(data, "journal", "questions", "add", "Can", "I", "drive", "after?") == 0
    assert run(data, "journal", "questions", "add", "What about sleep?") == 0
    assert run(data, "journal", "questions", "done", "1") == 0
    capsys.readouterr()
    assert run(data, "journal", "questions") == 0
    out = capsys.readouterr().out
    assert "1. [x] Can I drive after?" in out and "2. [ ] What about sleep?" in out
    assert run(data, "journal", "questions", "done", "7") == 1
    assert "no question 7" in capsys.readouterr().err
    assert run(data, "journal", "questions", "remove", "2") == 0
    with Store.open(data) as store:
        assert [q.text for q in j.questions(store)] == ["Can I drive after?"]
