"""The command line on a fresh clone and in scripts: relative folders, one calm line for every
user mistake, `--checklists` checked by every command, the options for every command anywhere on
the line, file endings, `--json` (against the schemas in docs/json/), `next --all`, "did you
mean" and `briefing --session`."""

from __future__ import annotations

import json
import sqlite3
import sys
from pathlib import Path

import jsonschema
import pytest

from conftest import FIXED_NOW, REPO_ROOT
from conftest import TIMED_CHECKLIST as CHECKLIST
from kapprep import clock
from kapprep.cli import main
from kapprep.store import Store

SCHEMAS = REPO_ROOT / "docs" / "json"


@pytest.fixture
def lists(tmp_path: Path) -> Path:
    folder = tmp_path / "lists"
    folder.mkdir()
    (folder / "test.yaml").write_text(CHECKLIST)
    return folder


@pytest.fixture(autouse=True)
def _no_terminal(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(sys.stdin, "isatty", lambda: False)
    monkeypatch.delenv("KAPPREP_HOME", raising=False)
    monkeypatch.setenv("KAPPREP_CONFIG", str(tmp_path / "config"))


def crash_reports(folder: Path) -> list[Path]:
    return (
        sorted((folder / "crash-reports").glob("*")) if (folder / "crash-reports").is_dir() else []
    )


def one_calm_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("kapprep: ") and "something went wrong" not in lines[0], err
    assert "Traceback" not in err
    return lines[0]


# -- a relative data folder ------------------------------------------------------------------


@pytest.mark.parametrize("how", ["--data-dir", "KAPPREP_HOME"])
def test_a_relative_data_folder_works_and_is_made_absolute(
    how: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    opts = ["--data-dir", "d"] if how == "--data-dir" else []
    if how == "KAPPREP_HOME":
        monkeypatch.setenv("KAPPREP_HOME", "d")
    assert main([*opts, "session", "add", "2026-12-03 10:00", "--tz", "UTC"]) == 0
    assert main([*opts, "session", "list"]) == 0
    assert "Thu 03 Dec 2026 10:00 (UTC)" in capsys.readouterr().out
    assert main([*opts, "where"]) == 0
    assert capsys.readouterr().out.strip() == str(tmp_path / "d")
    assert not crash_reports(tmp_path / "d")
    monkeypatch.chdir(tmp_path.parent)  # the store's folder does not move with the process
    with Store.open(tmp_path / "d") as store:
        assert store.folder.is_absolute() and len(store.sessions()) == 1


# -- every command: a user's mistake is one calm line and exit 1 -------------------------------


@pytest.mark.parametrize(
    "command",
    [
        ["session", "add", "2026-12-03 10:00", "--tz", "UTC"],
        ["session", "list"],
        ["next"],
        ["export"],
        ["plan", "show"],
        ["journal", "questions"],
    ],
)
def test_a_data_folder_that_is_a_file_is_one_calm_line(
    command: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "d"
    blocker.write_text("not a folder")
    assert main(["--data-dir", str(blocker), *command]) == 1
    line = one_calm_line(capsys.readouterr().err)
    assert str(blocker) in line and "not a folder" in line
    assert not (tmp_path / "crash-reports").exists()


def test_session_add_to_a_newer_database_is_one_calm_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "d"
    Store.open(data).close()
    with sqlite3.connect(data / "kapprep.db") as conn:
        conn.execute("PRAGMA user_version = 999")
    conn.close()
    assert main(["--data-dir", str(data), "session", "add", "2026-12-03 10:00", "--tz", "UTC"]) == 1
    line = one_calm_line(capsys.readouterr().err)
    assert "newer" in line
    assert not crash_reports(data)


# -- --checklists: checked by every command and the app ----------------------------------------


@pytest.mark.parametrize(
    "command",
    [
        ["next"],
        ["tick", "test-pack-bag"],
        ["calendar"],
        ["session", "list"],
        ["checklists", "list"],
        [],
    ],
    ids=["next", "tick", "calendar", "session-list", "checklists-list", "app"],
)
def test_a_missing_checklists_folder_is_reported_by_every_command(
    command: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = ["--data-dir", str(tmp_path / "d")]
    assert main([*data, "session", "add", "2026-12-03 10:00", "--tz", "UTC"]) == 0
    capsys.readouterr()
    missing = tmp_path / "nope"
    # With no command this would start the app: it must refuse before Textual is imported.
    assert main([*data, "--checklists", str(missing), *command]) == 1
    line = one_calm_line(capsys.readouterr().err)
    assert line == f"kapprep: --checklists {missing}: there is no such folder"


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_an_unreadable_checklists_folder_is_reported(
    tmp_path: Path, lists: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from kapprep.cli.common import UserError, check_checklist_folders

    check_checklist_folders([str(lists)])  # a readable one is fine
    broken = tmp_path / "loop"
    broken.symlink_to(broken)  # unreadable even for root: a link to itself
    with pytest.raises(UserError, match=r"--checklists .*loop: kapprep cannot read it \("):
        check_checklist_folders([str(broken)])


# -- the options for every command, anywhere on the line ---------------------------------------


def test_global_options_work_before_and_after_the_command(
    tmp_path: Path, lists: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = str(tmp_path / "d")
    assert main(["session", "add", "2026-12-03 10:00", "--tz", "UTC", "--data-dir", data]) == 0
    capsys.readouterr()
    assert main(["next", "--all", "--data-dir", data, "--checklists", str(lists)]) == 0
    after = capsys.readouterr().out
    assert main(["--data-dir", data, "--checklists", str(lists), "next", "--all"]) == 0
    assert capsys.readouterr().out == after and "test-drink-water" in after
    assert main(["tick", "test-pack-bag", "--checklists", str(lists), "--data-dir", data]) == 0
    with Store.open(data) as store:
        assert store.ticks(1).keys() == {"test-pack-bag"}


def test_checklists_folders_before_and_after_the_command_all_count(
    tmp_path: Path, lists: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    other = tmp_path / "other"
    other.mkdir()
    (other / "x.yaml").write_text(
        CHECKLIST.replace("test-prep", "other-prep").replace("test-", "other-")
    )
    assert main(["--checklists", str(lists), "checklists", "list", "--checklists", str(other)]) == 0
    out = capsys.readouterr().out
    assert "test-pack-bag" in out and "other-pack-bag" in out


# -- file endings ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("command", "name"),
    [(["briefing"], "x.docx"), (["journal", "export"], "j.odt"), (["briefing"], "b.rtf")],
)
def test_an_unknown_file_ending_is_refused_with_the_formats(
    command: list[str], name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / name
    assert main(["--data-dir", str(tmp_path / "d"), *command, "-o", str(target)]) == 1
    line = one_calm_line(capsys.readouterr().err)
    assert f"does not write {target.suffix} files" in line and ".md" in line and ".pdf" in line
    assert "--format" in line
    assert not target.exists()


def test_a_known_ending_or_format_still_chooses(tmp_path: Path) -> None:
    data = ["--data-dir", str(tmp_path / "d")]
    assert main([*data, "briefing", "-o", str(tmp_path / "b.txt")]) == 0
    assert (tmp_path / "b.txt").read_text().startswith("SUPPORT BRIEFING")
    assert main([*data, "briefing", "--format", "md", "-o", str(tmp_path / "b.docx")]) == 0
    assert (tmp_path / "b.docx").read_text().startswith("#")
    assert main([*data, "journal", "export", "-o", str(tmp_path / "journal")]) == 0  # no ending: md
    assert (tmp_path / "journal").read_text().startswith("#")


# -- --json, next --all, did you mean, briefing --session ----------------------------------------


def schema(name: str) -> dict[str, object]:
    loaded: dict[str, object] = json.loads((SCHEMAS / f"{name}.schema.json").read_text())
    return loaded


def json_of(capsys: pytest.CaptureFixture[str], *argv: str) -> dict[str, object]:
    assert main(list(argv)) == 0
    doc: dict[str, object] = json.loads(capsys.readouterr().out)
    return doc


def test_the_json_schemas_are_valid_schemas() -> None:
    for name in ("next", "sessions", "checklists"):
        jsonschema.Draft202012Validator.check_schema(schema(name))


def test_next_json_matches_its_schema_with_offsets_and_the_zone(
    tmp_path: Path, lists: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    opts = ["--data-dir", str(tmp_path / "d"), "--checklists", str(lists)]
    empty = json_of(capsys, *opts, "next", "--json")
    jsonschema.validate(empty, schema("next"))
    assert empty["session"] is None and empty["due_next"] == []
    # A session in New York, seen from a UTC computer: times carry New York's offset.
    assert main([*opts, "session", "add", "2026-11-21 09:00", "--tz", "America/New_York"]) == 0
    capsys.readouterr()
    doc = json_of(capsys, *opts, "next", "--json", "--all")
    jsonschema.validate(doc, schema("next"))
    assert (doc["format"], doc["version"]) == ("kapprep-next", 1)
    session = doc["session"]
    assert isinstance(session, dict)
    assert session["zone"] == "America/New_York"
    assert session["start"] == "2026-11-21T09:00:00-05:00"
    assert doc["now"] == "2026-11-20T07:00:00-05:00"  # FIXED_NOW, in the session's zone
    coming = doc["due_next"]
    assert isinstance(coming, list)
    due = {e["item"]: e["due"] for e in coming}
    assert due["test-pack-bag"] == "2026-11-20T20:00:00-05:00"  # the day before at 20:00
    assert due["test-drink-water"] == "2026-11-21T07:00:00-05:00"
    assert doc["due_next_total"] == len(coming)


def test_session_list_json_matches_its_schema(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = ["--data-dir", str(tmp_path / "d")]
    assert main([*data, "session", "add", "2026-12-03 10:00", "--tz", "Europe/Oslo"]) == 0
    assert (
        main([*data, "session", "add", "2026-12-10 10:00", "--tz", "UTC", "--clinic", "Calm"]) == 0
    )
    capsys.readouterr()
    doc = json_of(capsys, *data, "session", "list", "--json")
    jsonschema.validate(doc, schema("sessions"))
    sessions = doc["sessions"]
    assert isinstance(sessions, list)
    assert [(s["number"], s["start"], s["zone"], s["clinic"]) for s in sessions] == [
        (1, "2026-12-03T10:00:00+01:00", "Europe/Oslo", None),
        (2, "2026-12-10T10:00:00+00:00", "UTC", "Calm"),
    ]


def test_checklists_list_json_matches_its_schema_and_reports_problems(
    tmp_path: Path, lists: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = json_of(capsys, "--checklists", str(lists), "checklists", "list", "--json")
    jsonschema.validate(doc, schema("checklists"))
    checklists = doc["checklists"]
    assert isinstance(checklists, list)
    mine = next(c for c in checklists if c["id"] == "test-prep")
    assert mine["items"][0] == {
        "id": "test-pack-bag",
        "text": "Pack a bag",
        "due": "-1d@20:00",
        "why": None,
        "tags": [],
        "clinic_decides": False,
        "default_from": None,
    }
    (lists / "bad.yaml").write_text("format: 1\nid: bad\ntitle: [\n")
    assert main(["--checklists", str(lists), "checklists", "list", "--json"]) == 1
    bad = json.loads(capsys.readouterr().out)
    jsonschema.validate(bad, schema("checklists"))
    assert [(p["path"].endswith("bad.yaml"), p["line"]) for p in bad["problems"]] == [(True, 4)]


def test_next_all_lists_every_open_item(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = ["--data-dir", str(tmp_path / "d")]
    # With the shipped checklists, a session four weeks away has far more than 3 items to come.
    assert main([*data, "session", "add", "2026-12-18 10:00", "--tz", "UTC"]) == 0
    capsys.readouterr()
    assert main([*data, "next"]) == 0
    short = capsys.readouterr().out
    assert "more later (see them all: kapprep next --all)" in short
    assert main([*data, "next", "--all"]) == 0
    full = capsys.readouterr().out
    assert "see them all" not in full
    doc = json_of(capsys, *data, "next", "--all", "--json")
    coming = doc["due_next"]
    assert isinstance(coming, list) and len(coming) == doc["due_next_total"] > 3
    for entry in coming:
        assert entry["item"] in full


@pytest.mark.parametrize(
    ("argv", "suggestion"),
    [(["sesion", "list"], "did you mean session?"), (["session", "lst"], "did you mean list?"),
     (["nxt"], "did you mean next?"), (["breifing"], "did you mean briefing?")],
)  # fmt: skip
def test_a_mistyped_command_gets_did_you_mean(
    argv: list[str], suggestion: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as stop:
        main(argv)
    assert stop.value.code == 2
    assert suggestion in capsys.readouterr().err


def test_briefing_for_a_chosen_session(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = ["--data-dir", str(tmp_path / "d")]
    assert main([*data, "session", "add", "2026-12-03 10:00", "--tz", "UTC"]) == 0
    assert main([*data, "session", "add", "2026-12-10 14:30", "--tz", "UTC"]) == 0
    capsys.readouterr()
    assert main([*data, "briefing"]) == 0
    assert "10:00" in capsys.readouterr().out
    assert main([*data, "briefing", "--session", "2"]) == 0
    assert "14:30" in capsys.readouterr().out
    assert main([*data, "briefing", "--session", "7"]) == 1
    assert "there is no session 7" in capsys.readouterr().err


# -- the one clock -----------------------------------------------------------------------------


def test_every_command_reads_the_one_clock(
    tmp_path: Path, fixed_clock: clock.freeze, capsys: pytest.CaptureFixture[str]
) -> None:
    from datetime import timedelta

    data = ["--data-dir", str(tmp_path / "d")]
    assert clock.now() == FIXED_NOW
    assert main([*data, "session", "add", "2026-11-20 15:00", "--tz", "UTC"]) == 0
    assert "in 3 h" in capsys.readouterr().out
    fixed_clock.advance(timedelta(hours=4))
    assert main([*data, "session", "list"]) == 0
    assert "1 h ago" in capsys.readouterr().out
    assert main([*data, "next"]) == 0  # a session just begun is still the one `next` is about
    assert capsys.readouterr().out.startswith(
        "Next session 1: Fri 20 Nov 2026 15:00 (UTC), 1 h ago"
    )
