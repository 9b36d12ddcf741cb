"""The data commands: session, next, tick/untick/note, where, export, import, delete."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import TIMED_CHECKLIST as CHECKLIST
from kapprep import clock
from kapprep.cli import main
from kapprep.cli.common import UserError
from kapprep.cli.sessions import parse_session_time as parse_when
from kapprep.store import Store


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    lists = tmp_path / "lists"
    lists.mkdir()
    (lists / "test.yaml").write_text(CHECKLIST)
    monkeypatch.delenv("KAPPREP_HOME", raising=False)
    monkeypatch.setenv("KAPPREP_CONFIG", str(tmp_path / "config"))
    monkeypatch.setattr(sys.stdin, "isatty", lambda: False)
    return ["--data-dir", str(tmp_path / "data"), "--checklists", str(lists)]


def run(env: list[str], *args: str) -> int:
    return main([*env, *args])


def soon(hours: float) -> str:
    """A start `hours` from now, to the minute (rounded up, so "in 5 h" and not "in 4 h 59 min")."""
    return (clock.now() + timedelta(hours=hours)).strftime("%Y-%m-%d %H:%M")


def data(env: list[str]) -> Store:
    return Store.open(env[1])


# -- typed dates ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["2026-12-03 10:00", "2026-12-03T10:00", "03 Dec 2026 10:00", "3 December 2026 10:00",
     "2026-12-03 10:00am", "2026-12-03  10:00 AM", "2026-12-03 10am"],
)  # fmt: skip
def test_dates_in_several_spellings(text: str) -> None:
    assert parse_when(text, "Europe/Oslo") == datetime.fromisoformat("2026-12-03T10:00+01:00")


def test_pm_is_afternoon() -> None:
    assert parse_when("2026-12-03 2:30pm", "Europe/Oslo").hour == 14


@pytest.mark.parametrize(
    ("text", "tz", "message"),
    [
        ("2026-13-03 10:00", "Europe/Oslo", "not a date and time"),
        ("tomorrow", "Europe/Oslo", "not a date and time"),
        ("2026-12-03 25:00", "Europe/Oslo", "not a date and time"),
        ("2026-12-03", "Europe/Oslo", "not a date and time"),
        ("2026-12-03 10:00", "Mars/Olympus", "not a time zone"),
        ("2026-12-03 10:00", "../../etc/passwd", "not a time zone"),
        ("2026-03-29 02:30", "Europe/Oslo", "does not exist"),
    ],
)
def test_wrong_dates_and_zones_are_one_clear_line(text: str, tz: str, message: str) -> None:
    with pytest.raises(UserError, match=message):
        parse_when(text, tz)


def test_cli_wrong_date_exits_1_with_one_line(
    env: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(env, "session", "add", "2026-02-30 10:00", "--tz", "Europe/Oslo") == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err and "2026-12-03 10:00" in err


def test_default_zone_is_the_computers(env: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "America/Chicago")
    assert run(env, "session", "add", "2026-12-03 10:00") == 0
    with data(env) as store:
        assert store.sessions()[0].tz == "America/Chicago"


def test_an_unnamed_local_zone_asks_for_tz(
    env: list[str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from datetime import timezone

    monkeypatch.setattr("kapprep.zones.local_zone", lambda: timezone(timedelta(hours=2)))
    assert run(env, "session", "add", "2026-12-03 10:00") == 1
    assert "--tz" in capsys.readouterr().err


# -- sessions ------------------------------------------------------------------------------


def test_session_add_list_edit_remove(env: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert run(env, "session", "list") == 0
    assert "No sessions yet" in capsys.readouterr().out
    assert run(env, "session", "add", "2026-12-03 10:00", "--tz", "Europe/Oslo",
               "--clinic", "Calm Clinic", "--phone", "+47 22", "--place", "Room 2") == 0  # fmt: skip
    out = capsys.readouterr().out
    assert out.startswith("Added session 1: Thu 03 Dec 2026 10:00 (Europe/Oslo)")
    assert "Calm Clinic" in out
    assert run(env, "session", "edit", "1", "--when", "2026-12-04 11:30", "--phone", "") == 0
    assert run(env, "session", "edit", "1", "--status", "done") == 0
    capsys.readouterr()
    assert run(env, "session", "list") == 0
    out = capsys.readouterr().out
    assert "Fri 04 Dec 2026 11:30 (Europe/Oslo)" in out and "[done]" in out and "+47" not in out
    with data(env) as store:
        s = store.sessions()[0]
        assert (s.clinic, s.phone, s.place, s.status) == ("Calm Clinic", None, "Room 2", "done")
    assert run(env, "session", "edit", "1", "--tz", "Asia/Tokyo") == 0
    with data(env) as store:
        s = store.sessions()[0]
        assert (s.tz, s.start.hour, s.start.minute) == ("Asia/Tokyo", 11, 30)
    assert run(env, "session", "edit", "7", "--clinic", "x") == 1
    assert run(env, "session", "edit", "1") == 1


def test_session_remove_asks_in_a_terminal(
    env: list[str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    run(env, "session", "add", soon(30), "--tz", "UTC")
    assert run(env, "session", "remove", "1") == 1  # no terminal, no --yes
    assert "--yes" in capsys.readouterr().err
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True)
    monkeypatch.setattr("builtins.input", lambda prompt: "n")
    assert run(env, "session", "remove", "1") == 0
    assert "Nothing was removed" in capsys.readouterr().out
    monkeypatch.setattr("builtins.input", lambda prompt: "y")
    assert run(env, "session", "remove", "1") == 0
    with data(env) as store:
        assert store.sessions() == []
    assert run(env, "session", "remove", "1", "--yes") == 1


# -- next, tick ----------------------------------------------------------------------------


def test_next_without_a_session_is_friendly(
    env: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(env, "next") == 0
    out = capsys.readouterr().out
    assert "No session yet" in out and "kapprep session add" in out


def test_next_after_the_last_session_shows_its_integration_prompts(
    env: list[str], capsys: pytest.CaptureFixture[str], fixed_clock: clock.freeze
) -> None:
    """As the app does: with no session to come, the latest one and what is left of it."""
    run(env, "session", "add", soon(5), "--tz", "UTC")
    fixed_clock.advance(timedelta(days=2))
    capsys.readouterr()
    assert run(env, "next") == 0
    out = capsys.readouterr().out
    assert out.startswith("Session 1: Fri 20 Nov 2026 17:00 (UTC), 43 h ago")
    assert "journal-three-days: Journal: one small step for this week" in out


def test_next_shows_due_items_with_times_and_overdue_marked(
    env: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    run(env, "session", "add", soon(5), "--tz", "UTC", "--clinic", "Calm")
    capsys.readouterr()
    assert run(env, "next") == 0
    out = capsys.readouterr().out
    assert out.startswith("Next session 1:") and "in 5 h" in out and "Calm" in out
    overdue, _, coming = out.partition("Due next:")
    assert (
        "Overdue:" in overdue
        and "! " in overdue
        and "test-long-ago" in overdue
        and "ago)" in overdue
    )
    assert "test-drink-water" in coming and "(in 3 h)" in coming
    run(env, "tick", "test-long-ago")
    capsys.readouterr()
    run(env, "next")
    assert "test-long-ago" not in capsys.readouterr().out


def test_tick_untick_and_notes(env: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    run(env, "session", "add", soon(30), "--tz", "UTC")
    assert run(env, "tick", "test-pack-bag", "--note", "blue bag [bold]") == 0
    assert "Done: test-pack-bag: Pack a bag (session 1)" in capsys.readouterr().out
    assert run(env, "note", "test-drink-water", "1 litre") == 0
    with data(env) as store:
        assert set(store.ticks(1)) == {"test-pack-bag"}
        assert store.notes(1) == {"test-pack-bag": "blue bag [bold]", "test-drink-water": "1 litre"}
    assert run(env, "untick", "test-pack-bag") == 0
    assert run(env, "note", "test-drink-water", "") == 0
    with data(env) as store:
        assert store.ticks(1) == {} and list(store.notes(1)) == ["test-pack-bag"]


def test_unknown_item_says_did_you_mean(env: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    run(env, "session", "add", soon(30), "--tz", "UTC")
    capsys.readouterr()
    assert run(env, "tick", "test-pack-bags") == 1
    err = capsys.readouterr().err
    assert 'no checklist item "test-pack-bags"' in err and "did you mean test-pack-bag" in err
    with data(env) as store:
        assert store.ticks(1) == {}


def test_an_empty_item_id_is_asked_for_plainly(
    env: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    run(env, "session", "add", soon(30), "--tz", "UTC")
    capsys.readouterr()
    assert run(env, "tick", " ") == 1
    assert capsys.readouterr().err == (
        "kapprep: name a checklist item by its id, like stop-eating "
        "(see: kapprep checklists list)\n"
    )


def test_the_same_session_is_not_added_twice(
    env: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    # Two copies of one session split the ticks between them: the app then shows the new,
    # empty copy and the patient's progress looks lost.
    assert run(env, "session", "add", "2026-12-03 10:00", "--tz", "Europe/Oslo") == 0
    capsys.readouterr()
    assert run(env, "session", "add", "3 Dec 2026 10:00", "--tz", "Europe/Oslo") == 1
    assert capsys.readouterr().err == (
        "kapprep: session 1 is already at Thu 03 Dec 2026 10:00 Oslo time; "
        "to change it: kapprep session edit 1\n"
    )
    # The same moment typed in another zone is the same session too; a cancelled one is not.
    assert run(env, "session", "add", "2026-12-03 09:00", "--tz", "UTC") == 1
    assert run(env, "session", "edit", "1", "--status", "cancelled") == 0
    assert run(env, "session", "add", "2026-12-03 10:00", "--tz", "Europe/Oslo") == 0
    with data(env) as store:
        assert [s.status for s in store.sessions()] == ["cancelled", "planned"]


def test_tick_without_a_session_says_how_to_add_one(
    env: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(env, "tick", "test-pack-bag") == 1
    assert "kapprep session add" in capsys.readouterr().err


def test_tick_a_chosen_session(env: list[str]) -> None:
    run(env, "session", "add", soon(30), "--tz", "UTC")
    run(env, "session", "add", soon(300), "--tz", "UTC")
    assert run(env, "tick", "test-pack-bag", "--session", "2") == 0
    assert run(env, "tick", "test-pack-bag", "--session", "3") == 1
    with data(env) as store:
        assert store.ticks(1) == {} and list(store.ticks(2)) == ["test-pack-bag"]


# -- where, export, import, delete ---------------------------------------------------------


def test_where(env: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert run(env, "where") == 0
    assert capsys.readouterr().out.strip() == env[1]


def test_export_to_a_private_file_and_import_it_back(
    env: list[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setattr(os, "umask", os.umask)  # restored by monkeypatch
    old = os.umask(0o022)
    try:
        run(env, "session", "add", soon(30), "--tz", "UTC", "--clinic", "Calm")
        run(env, "tick", "test-pack-bag", "--note", "blue bag")
        out = tmp_path / "export.json"
        assert run(env, "export", "-o", str(out)) == 0
    finally:
        os.umask(old)
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    doc = json.loads(out.read_text())
    assert doc["tables"]["notes"][0]["text"] == "blue bag"
    capsys.readouterr()
    assert run(env, "export") == 0
    assert json.loads(capsys.readouterr().out)["tables"] == doc["tables"]

    run(env, "session", "add", soon(60), "--tz", "UTC")
    assert run(env, "import", str(out)) == 1  # no terminal: refuses without --yes
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True)
    monkeypatch.setattr("builtins.input", lambda prompt: "no")
    assert run(env, "import", str(out)) == 0
    assert "sessions: 2 now, 1 after" in capsys.readouterr().out
    with data(env) as store:
        assert len(store.sessions()) == 2
    monkeypatch.setattr("builtins.input", lambda prompt: "y")
    assert run(env, "import", str(out)) == 0
    printed = capsys.readouterr().out
    assert "Imported" in printed
    with data(env) as store:
        assert len(store.sessions()) == 1 and store.notes(1) == {"test-pack-bag": "blue bag"}
    # The copy taken before the import (a database, in the backups' rotation) holds both.
    from kapprep.store.backups import backup_doc, list_backups

    before = [b for b in list_backups(Path(env[1])) if b.reason == "before-import"]
    assert len(before) == 1 and stat.S_IMODE(before[0].path.stat().st_mode) == 0o600
    assert len(backup_doc(before[0])["tables"]["sessions"]) == 2


def test_import_of_a_bad_file_changes_nothing(
    env: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run(env, "session", "add", soon(30), "--tz", "UTC")
    bad = tmp_path / "bad.json"
    bad.write_text(
        '{"format": "kapprep-export", "version": 1, "exported_at": "2026-12-01T08:00:00+00:00", "tables": {}}'
    )
    assert run(env, "import", str(bad), "--yes") == 1
    err = capsys.readouterr().err
    assert "not a valid kapprep export" in err and "tables.sessions" in err
    assert run(env, "import", str(tmp_path / "missing.json"), "--yes") == 1
    bad.write_bytes(b"\x00\x01binary")
    assert run(env, "import", str(bad), "--yes") == 1
    with data(env) as store:
        assert len(store.sessions()) == 1


def test_delete_needs_typed_confirmation(
    env: list[str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    run(env, "session", "add", soon(30), "--tz", "UTC")
    run(env, "tick", "test-pack-bag", "--note", "private words")
    assert run(env, "delete") == 1  # no terminal, no --yes
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True)
    # No export first (Enter), then "yes" is not the word asked for.
    monkeypatch.setattr("builtins.input", lambda prompt: "" if "file name" in prompt else "yes")
    assert run(env, "delete") == 0
    assert "Nothing was deleted" in capsys.readouterr().out
    with data(env) as store:
        assert len(store.sessions()) == 1
    (Path(env[1]) / "kapprep.db.damaged-20260101T000000Z").write_text("old private words")
    monkeypatch.setattr("builtins.input", lambda prompt: "" if "file name" in prompt else "delete")
    assert run(env, "delete") == 0
    with data(env) as store:
        assert store.sessions() == [] and store.export_data()["tables"]["notes"] == []
    assert not list(Path(env[1]).glob("*.damaged-*"))
    for f in Path(env[1]).iterdir():  # secure_delete + VACUUM: the words are gone from disk
        assert b"private words" not in f.read_bytes(), f.name


def test_delete_yes_for_scripts(env: list[str]) -> None:
    run(env, "session", "add", soon(30), "--tz", "UTC")
    assert run(env, "delete", "--yes") == 0
    with data(env) as store:
        assert store.sessions() == []


def test_a_newer_database_is_one_clear_line(
    env: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    import sqlite3

    run(env, "session", "list")
    conn = sqlite3.connect(Path(env[1]) / "kapprep.db")
    conn.execute("PRAGMA user_version = 99")
    conn.commit()
    conn.close()
    capsys.readouterr()
    assert run(env, "session", "list") == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "newer version of kapprep" in err


def test_a_damaged_database_is_moved_aside_and_the_user_told(
    env: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    Path(env[1]).mkdir(mode=0o700)
    (Path(env[1]) / "kapprep.db").write_text("garbage")
    assert run(env, "session", "list") == 0
    err = capsys.readouterr().err
    assert "started a fresh one" in err and "kapprep.db.damaged-" in err


# -- privacy and speed, in a fresh interpreter ---------------------------------------------

NO_NETWORK = r"""
import socket, sys
def refuse(*a, **k):
    raise AssertionError("kapprep opened a socket")
def audit(event, args):
    if event.startswith("socket."):
        raise AssertionError(f"kapprep used the network: {event}")
sys.addaudithook(audit)
socket.socket = refuse
socket.create_connection = refuse
from kapprep import clock
from kapprep.cli import main
base = sys.argv[1:3] + ["--checklists", sys.argv[3]]
steps = [
    ["session", "add", "2099-12-03 10:00", "--tz", "Europe/Oslo", "--clinic", "C"],
    ["session", "list"], ["session", "edit", "1", "--place", "Room"], ["next"],
    ["tick", "test-pack-bag", "--note", "n"], ["untick", "test-pack-bag"],
    ["note", "test-pack-bag", "x"], ["where"], ["export", "-o", sys.argv[4]],
    ["import", sys.argv[4], "--yes"], ["delete", "--yes"],
]
for step in steps:
    code = main(base + step)
    assert code == 0, (step, code)
print("textual" in sys.modules, "rich" in sys.modules)
"""


def test_no_socket_and_no_textual_on_any_data_command(tmp_path: Path) -> None:
    lists = tmp_path / "lists"
    lists.mkdir()
    (lists / "test.yaml").write_text(CHECKLIST)
    result = subprocess.run(
        [sys.executable, "-c", NO_NETWORK, "--data-dir", str(tmp_path / "d"), str(lists),
         str(tmp_path / "e.json")],
        capture_output=True, text=True, timeout=120, check=False,
        env={**os.environ, "KAPPREP_CONFIG": str(tmp_path / "c")},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "False False"


def test_a_crash_report_leaves_the_users_content_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    secret = "my private intention 12345"

    def boom(self: Store, session_id: int, item_id: str, at: object = None, **_: object) -> None:
        raise RuntimeError(f"failed while saving {secret}")

    monkeypatch.setattr(Store, "tick", boom)
    monkeypatch.setattr(sys.stdin, "isatty", lambda: False)
    monkeypatch.setenv("KAPPREP_CONFIG", str(tmp_path / "c"))
    data_dir = str(tmp_path / "d")
    assert main(["--data-dir", data_dir, "session", "add", "2099-12-03 10:00", "--tz", "UTC"]) == 0
    assert main(["--data-dir", data_dir, "tick", "stop-eating", "--note", secret]) == 1
    err = capsys.readouterr().err
    assert secret not in err and "not your fault" in err and "Traceback" not in err
    reports = list((tmp_path / "d" / "crash-reports").iterdir())
    assert len(reports) == 1
    text = reports[0].read_text()
    assert secret not in text and "RuntimeError" in text and "next_cmd.py" in text
    assert stat.S_IMODE(reports[0].stat().st_mode) == 0o600


@settings(max_examples=300, deadline=None)
@given(text=st.text(max_size=30), tz=st.sampled_from(["Europe/Oslo", "UTC", "Asia/Kolkata"]))
def test_any_typed_date_is_a_time_or_one_clear_error(text: str, tz: str) -> None:
    try:
        when = parse_when(text, tz)
    except UserError as exc:
        assert "\n" not in str(exc)
    else:
        assert when.tzinfo is not None and when.utcoffset() is not None


@settings(max_examples=300, deadline=None)
@given(data=st.binary(max_size=200) | st.text(max_size=200).map(str.encode))
def test_any_bytes_parse_or_give_a_clear_error(data: bytes) -> None:
    from kapprep.store import StoreError
    from kapprep.store.transfer import parse_export

    try:
        parse_export(data)
    except StoreError as exc:
        assert "not a kapprep export" in str(exc)


@settings(max_examples=100, deadline=None)
@given(name=st.text(max_size=30))
def test_any_typed_zone_is_a_zone_or_one_clear_error(name: str) -> None:
    try:
        parse_when("2026-12-03 10:00", name or "UTC")
    except UserError as exc:
        assert "\n" not in str(exc) and "time zone" in str(exc)


def test_a_phone_that_is_not_a_number_is_refused(
    env: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    """QA: `session add --phone abc` was kept and then shown in the crisis panel."""
    assert run(env, "session", "add", soon(30), "--tz", "UTC", "--phone", "abc") == 1
    assert 'phone "abc": Use digits' in capsys.readouterr().err
    assert run(env, "session", "add", soon(30), "--tz", "UTC", "--phone", "+44 20 7946 0000") == 0
    assert run(env, "session", "edit", "1", "--phone", "call me") == 1
    with data(env) as store:
        assert [s.phone for s in store.sessions()] == ["+44 20 7946 0000"]


def test_terminal_control_codes_are_left_out_of_notes(env: list[str]) -> None:
    """QA: a note holding ESC [31m turned the checklist red."""
    run(env, "session", "add", soon(30), "--tz", "UTC")
    assert run(env, "note", "test-pack-bag", "a\x1b[31mred\nline two\tend") == 0
    with data(env) as store:
        assert store.notes(1) == {"test-pack-bag": "a[31mred\nline two\tend"}


def test_session_add_reads_the_same_words_as_the_app(env: list[str]) -> None:
    """QA: the app suggests "tomorrow 9am" and "3 Dec 10:00"; `session add` refused both."""
    assert run(env, "session", "add", "tomorrow 9am", "--tz", "Europe/London") == 0
    assert run(env, "session", "add", "3 Dec 2031 10:00", "--tz", "Europe/London") == 0
    with data(env) as store:
        starts = [s.start for s in store.sessions()]
    assert [(s.hour, s.minute) for s in starts] == [(9, 0), (10, 0)]
    assert (starts[1].year, starts[1].month, starts[1].day) == (2031, 12, 3)
