"""Nothing lost, for real (issue 15): a stray WAL never wins, delete deletes, imports ask, damage
found late is handled, and there is a backup to come back to."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import stat
import sys
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from kapprep import clock
from kapprep.cli import main
from kapprep.store import Store
from kapprep.store.schema import SCHEMA_VERSION

START = datetime.fromisoformat("2026-12-03T10:00:00+00:00")


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("KAPPREP_HOME", raising=False)
    monkeypatch.setenv("KAPPREP_CONFIG", str(tmp_path / "config"))
    monkeypatch.setattr(sys.stdin, "isatty", lambda: False)
    return tmp_path / "data"


def run(folder: Path, *args: str) -> int:
    return main(["--data-dir", str(folder), *args])


def add_sessions(folder: Path, count: int = 3) -> None:
    with Store.open(folder) as store:
        for i in range(count):
            session = store.add_session(START + timedelta(days=7 * i), clinic=f"Clinic {i}")
            store.tick(session.id, f"item-{i}")


def set_aside(folder: Path) -> list[Path]:
    """The damaged files moved aside (not their -wal, -shm or .readable.json)."""
    return [p for p in folder.glob("kapprep.db.damaged-*") if p.name[-1] == "Z"]


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


# -- a WAL that does not belong -----------------------------------------------------------------


def test_a_foreign_wal_is_set_aside_and_every_session_stays(
    folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    add_sessions(folder)
    other = tmp_path / "other.db"
    conn = sqlite3.connect(other, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA wal_autocheckpoint = 0")
    conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)")
    conn.executemany("INSERT INTO notes (text) VALUES (?)", [("x" * 200,)] * 50)
    try:
        shutil.copyfile(tmp_path / "other.db-wal", folder / "kapprep.db-wal")
    finally:
        conn.close()
    capsys.readouterr()
    assert run(folder, "session", "list") == 0
    out, err = capsys.readouterr()
    assert out.count("Clinic ") == 3, out
    assert "did not belong" in err and "kept" in err
    aside = [p for p in folder.glob("kapprep.db-wal.foreign-*") if not p.name.endswith("-shm")]
    assert len(aside) == 1 and mode(aside[0]) == 0o600
    with Store.open(folder) as store:
        assert [s.clinic for s in store.sessions()] == ["Clinic 0", "Clinic 1", "Clinic 2"]
        assert store.integrity_ok()


def test_another_kapprep_wal_is_set_aside_and_splices_nothing_in(
    folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    add_sessions(folder)
    with Store.open(folder) as store:
        before = store.export_data()["tables"]
    other = Store.open(tmp_path / "other")
    try:
        s = other.add_session(START)
        for i in range(30):
            other.tick(s.id, f"spliced-{i}")
            other.set_note(s.id, f"spliced-{i}", "not yours")
        # Left by a kill: the other kapprep's WAL, copied beside this database.
        shutil.copyfile(tmp_path / "other" / "kapprep.db-wal", folder / "kapprep.db-wal")
    finally:
        other.close()
    capsys.readouterr()
    assert run(folder, "session", "list") == 0
    out, err = capsys.readouterr()
    assert out.count("Clinic ") == 3 and "did not belong" in err
    assert (
        len([p for p in folder.glob("kapprep.db-wal.foreign-*") if not p.name.endswith("-shm")])
        == 1
    )
    with Store.open(folder) as store:
        after = store.export_data()["tables"]
        assert store.notices == []  # told once, then the folder is clean
    assert after == before


def test_our_own_wal_left_by_a_crash_is_replayed(folder: Path, tmp_path: Path) -> None:
    add_sessions(folder, 1)
    store = Store.open(folder)
    store.tick(1, "after-the-crash")
    saved = tmp_path / "wal"
    shutil.copyfile(folder / "kapprep.db-wal", saved)
    store.close()
    shutil.copyfile(saved, folder / "kapprep.db-wal")  # as if the process had been killed
    with Store.open(folder) as again:
        assert again.notices == [] and "after-the-crash" in again.ticks(1)


def test_a_database_that_loses_its_schema_version_is_damaged_never_new(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    add_sessions(folder)
    conn = sqlite3.connect(folder / "kapprep.db")
    conn.execute("PRAGMA user_version = 0")
    conn.commit()
    conn.close()
    capsys.readouterr()
    assert run(folder, "session", "list") == 0
    err = capsys.readouterr().err
    assert "lost its data version" in err and "kept, not deleted" in err
    aside = set_aside(folder)
    assert len(aside) == 1
    readable = json.loads(Path(str(aside[0]) + ".readable.json").read_text())
    assert len(readable["tables"]["sessions"]) == 3


# -- damage found while reading ------------------------------------------------------------------


def overwrite_a_page_keeping_stat(folder: Path) -> None:
    """Overwrite the ticks table's page, keeping the file's size and modification time."""
    with Store.open(folder) as store:
        s = store.add_session(START, clinic="Calm Clinic")
        with store.transaction() as conn:
            conn.executemany(
                "INSERT INTO ticks VALUES (?, ?, '2026-12-01T00:00:00+00:00')",
                ((s.id, f"item-{i:04d}-" + "x" * 60) for i in range(400)),
            )
        root = store.fetch("SELECT rootpage FROM sqlite_master WHERE name = 'ticks'")[0][0]
    Store.open(folder).close()  # the day's backup is taken (and checked) before the damage
    path = folder / "kapprep.db"
    st = path.stat()
    with open(path, "r+b") as fh:
        fh.seek((root - 1) * 4096)
        fh.write(b"\xa5" * 4096)
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))


def test_damage_found_while_reading_is_set_aside_and_export_writes_what_is_readable(
    folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    overwrite_a_page_keeping_stat(folder)
    out = tmp_path / "export.json"
    capsys.readouterr()
    assert run(folder, "export", "-o", str(out)) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err and "something went wrong" not in err
    assert "found damaged while reading" in err and "kept, not deleted" in err
    assert "kapprep restore" in err  # the latest backup is offered
    doc = json.loads(out.read_text())
    assert [s["clinic"] for s in doc["tables"]["sessions"]] == ["Calm Clinic"]
    assert mode(out) == 0o600
    aside = set_aside(folder)
    assert len(aside) == 1
    saved = Path(str(aside[0]) + ".readable.json")
    assert json.loads(saved.read_text())["tables"]["sessions"] == doc["tables"]["sessions"]
    assert mode(saved) == 0o600
    # A fresh database was started; the backup from before the damage brings everything back.
    assert run(folder, "restore", "--yes") == 0
    with Store.open(folder) as store:
        assert [s.clinic for s in store.sessions()] == ["Calm Clinic"]
        assert len(store.ticks(1)) == 400


def test_damage_found_while_reading_in_any_command_is_one_calm_message(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    overwrite_a_page_keeping_stat(folder)
    capsys.readouterr()
    assert run(folder, "next", "--session", "1") == 1
    err = capsys.readouterr().err
    assert err.count("kapprep:") == 1 and "found damaged while reading" in err
    assert len(set_aside(folder)) == 1


# -- backups -------------------------------------------------------------------------------------


def test_seven_daily_backups_remain_over_nine_days(folder: Path, fixed_clock: clock.freeze) -> None:
    add_sessions(folder, 1)
    for _ in range(9):
        fixed_clock.advance(timedelta(days=1))
        Store.open(folder).close()
        Store.open(folder).close()  # a second opening the same day takes no second copy
    copies = sorted((folder / "backups").glob("*.db"))
    assert len(copies) == 7
    assert all("-daily" in p.name for p in copies)
    days = {p.name.split("-")[1][:8] for p in copies}
    assert days == {f"{(clock.now() - timedelta(days=d)):%Y%m%d}" for d in range(7)}
    assert mode(folder / "backups") == 0o700 and all(mode(p) == 0o600 for p in copies)
    for copy in copies:  # each is a whole, checked database on its own, with no -wal beside it
        conn = sqlite3.connect(copy.as_uri() + "?mode=ro", uri=True)
        assert conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT count(*) FROM sessions").fetchone()[0] == 1
        conn.close()
    assert not list((folder / "backups").glob("*-wal"))


def test_an_empty_database_takes_no_backup(folder: Path, fixed_clock: clock.freeze) -> None:
    Store.open(folder).close()
    fixed_clock.advance(timedelta(days=2))
    Store.open(folder).close()
    assert not (folder / "backups").exists() or not any((folder / "backups").iterdir())


def test_restore_brings_back_the_copy_from_before_an_import(
    folder: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    add_sessions(folder, 3)
    with Store.open(folder) as store:
        before = store.export_data()["tables"]
    other = tmp_path / "other"
    add_sessions(other, 1)
    assert run(other, "export", "-o", str(tmp_path / "other.json")) == 0
    assert run(folder, "import", str(tmp_path / "other.json"), "--yes") == 0
    with Store.open(folder) as store:
        assert len(store.sessions()) == 1
    capsys.readouterr()
    assert run(folder, "backups") == 0
    listing = capsys.readouterr().out
    assert "before an import" in listing.splitlines()[1]
    assert run(folder, "restore") == 1  # no terminal and no --yes: nothing changes
    assert "confirmation" in capsys.readouterr().err
    with Store.open(folder) as store:
        assert len(store.sessions()) == 1
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True)
    monkeypatch.setattr("builtins.input", lambda prompt: "n")
    assert run(folder, "restore", "1") == 0
    assert "sessions: 1 now, 3 after" in capsys.readouterr().out
    monkeypatch.setattr("builtins.input", lambda prompt: "y")
    assert run(folder, "restore", "1") == 0
    with Store.open(folder) as store:
        assert store.export_data()["tables"] == before
    # The data as it was just before the restore is kept too.
    assert any("before-restore" in p.name for p in (folder / "backups").iterdir())
    assert run(folder, "restore", "99", "--yes") == 1
    assert "there is no backup 99" in capsys.readouterr().err


def test_the_json_copies_of_earlier_versions_join_the_rotation(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    add_sessions(folder, 2)
    with Store.open(folder) as store:
        from kapprep.store.transfer import dumps

        text = dumps(store.export_data())
    (folder / "backups").mkdir(exist_ok=True)
    old = folder / "backups" / "before-import-20261101T080000123456Z.json"
    old.write_text(text)
    capsys.readouterr()
    assert run(folder, "backups") == 0
    assert old.name in capsys.readouterr().out
    with Store.open(folder) as store:
        store.remove_session(1)
    assert run(folder, "restore", old.name, "--yes") == 0
    with Store.open(folder) as store:
        assert len(store.sessions()) == 2


# -- delete deletes, plan import asks -------------------------------------------------------------


def test_after_delete_no_file_kapprep_made_remains(
    folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from kapprep.crash import report_crash

    add_sessions(folder, 2)
    assert run(folder, "plan", "person", "add", "Sam", "--phone", "+44 113 496 0001") == 0
    assert run(folder, "briefing", "--format", "pdf") == 0  # saved in briefings/
    (folder / "exports").mkdir(mode=0o700)
    (folder / "exports" / "journal.md").write_text("my integration notes")  # as the app saves

    report_crash(ValueError("x"), str(folder), "next")
    assert run(folder, "export", "-o", str(tmp_path / "all.json")) == 0
    assert run(folder, "import", str(tmp_path / "all.json"), "--yes") == 0  # a backup
    (folder / "kapprep.db.damaged-20260101T000000Z").write_text("old private words")
    (folder / "cache").mkdir(mode=0o700)
    (folder / "cache" / "checklists.json").write_text("{}")  # as the app's checklist cache
    made = [p for p in folder.rglob("*") if p.is_file()]
    assert {p.parent.name for p in made} >= {"briefings", "exports", "crash-reports", "backups"}
    capsys.readouterr()
    assert run(folder, "delete", "--yes") == 0
    said = capsys.readouterr().out
    assert "backup" in said and "briefing" in said and "crash report" in said
    left = [p for p in folder.rglob("*")] if folder.exists() else []
    assert left == []


def test_delete_in_a_terminal_offers_an_export_first(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_sessions(folder, 2)
    keep = tmp_path / "kept.json"
    answers = {"file name": str(keep), "delete": "delete"}
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True)
    monkeypatch.setattr(
        "builtins.input", lambda prompt: next(v for k, v in answers.items() if k in prompt)
    )
    assert run(folder, "delete") == 0
    assert len(json.loads(keep.read_text())["tables"]["sessions"]) == 2 and mode(keep) == 0o600
    assert not (folder / "backups").exists()  # no backup of what was asked to be deleted
    assert not (folder / "kapprep.db").exists()


def test_plan_import_without_yes_and_without_a_terminal_changes_nothing(
    folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(folder, "plan", "person", "add", "Sam", "--phone", "+44 113 496 0001") == 0
    assert run(folder, "plan", "set", "home_address", "4 Elm Road") == 0
    capsys.readouterr()
    assert run(folder, "plan", "export") == 0
    before = capsys.readouterr().out
    almost_empty = tmp_path / "plan.json"
    almost_empty.write_text('{"format": "kapprep-plan", "version": 1}')
    assert run(folder, "plan", "import", str(almost_empty)) == 1
    err = capsys.readouterr().err
    assert "confirmation" in err and "Traceback" not in err
    assert run(folder, "plan", "export") == 0
    assert capsys.readouterr().out == before
    # With --yes (a script) it replaces the plan, after a backup to come back to.
    assert run(folder, "plan", "import", str(almost_empty), "--yes") == 0
    said = capsys.readouterr().out
    assert "people: 1 now, 0 after" in said and "Home address" in said
    assert any("before-plan-import" in p.name for p in (folder / "backups").iterdir())
    assert run(folder, "restore", "--yes") == 0
    capsys.readouterr()
    assert run(folder, "plan", "export") == 0
    assert capsys.readouterr().out == before


# -- two windows ---------------------------------------------------------------------------------


def test_two_windows_write_only_what_they_changed(folder: Path) -> None:
    from dataclasses import replace

    from kapprep import plan as plans

    with Store.open(folder) as store:
        sam = plans.add_person(store, plans.Person(name="Sam", phone="+44 113 496 0001"), "GB")
        app_read = plans.load_plan(store).people[0]
        # The command line changes the phone while the app shows the person.
        cli_read = plans.load_plan(store).people[0]
        plans.update_person(store, replace(cli_read, phone="+44 113 496 0002"), "GB", read=cli_read)
        # The app changes the notes: the command line's phone is kept.
        saved = plans.update_person(
            store, replace(app_read, notes="spare key"), "GB", read=app_read
        )
        assert saved.phone == "+44 113 496 0002" and saved.notes == "spare key"
        stored = plans.load_plan(store).people[0]
        assert (stored.phone, stored.notes, stored.name) == ("+44 113 496 0002", "spare key", "Sam")
        assert sam.id == stored.id


def test_the_other_windows_change_to_the_same_field_is_told_not_overwritten(
    folder: Path,
) -> None:
    from dataclasses import replace

    from kapprep import plan as plans

    with Store.open(folder) as store:
        plans.add_person(store, plans.Person(name="Sam", phone="+44 113 496 0001"), "GB")
        app_read = plans.load_plan(store).people[0]
        cli_read = plans.load_plan(store).people[0]
        plans.update_person(store, replace(cli_read, phone="+44 113 496 0002"), "GB", read=cli_read)
        with pytest.raises(plans.PlanError, match="changed in another kapprep window"):
            plans.update_person(
                store, replace(app_read, phone="+44 113 496 0003"), "GB", read=app_read
            )
        assert plans.load_plan(store).people[0].phone == "+44 113 496 0002"


def test_a_backup_that_cannot_be_written_stops_the_import_and_sets_nothing_aside(
    folder: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from kapprep.store import backups

    add_sessions(folder, 2)
    assert run(folder, "export", "-o", str(tmp_path / "all.json")) == 0
    with Store.open(folder) as store:
        store.remove_session(1)

    def full_disk(copy: sqlite3.Connection) -> bool:
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(backups, "_checks_out", full_disk)
    capsys.readouterr()
    assert run(folder, "import", str(tmp_path / "all.json"), "--yes") == 1
    err = capsys.readouterr().err
    assert "could not keep a backup" in err and err.count("\n") == 1
    assert set_aside(folder) == []
    with Store.open(folder, daily_backup=False) as store:
        assert len(store.sessions()) == 1  # the import did not happen without its backup


def test_a_stray_looking_wal_in_use_by_another_process_is_left_alone(
    folder: Path, tmp_path: Path
) -> None:
    import subprocess

    from kapprep.store import StoreError
    from kapprep.store.wal import _open_elsewhere

    add_sessions(folder, 1)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, sqlite3; c = sqlite3.connect(sys.argv[1], isolation_level=None);"
            " c.execute('SELECT count(*) FROM sessions').fetchall(); print('open', flush=True);"
            " sys.stdin.readline()",
            str(folder / "kapprep.db"),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "open\n"
        assert _open_elsewhere(folder)
        other = tmp_path / "other.db"
        conn = sqlite3.connect(other, isolation_level=None)
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA wal_autocheckpoint = 0")
        conn.execute("CREATE TABLE t (x)")
        conn.execute("INSERT INTO t VALUES (1)")
        shutil.copyfile(tmp_path / "other.db-wal", folder / "kapprep.db-wal")
        conn.close()
        with pytest.raises(StoreError, match="open in another program"):
            Store.open(folder)
        assert (folder / "kapprep.db-wal").exists()
        assert not list(folder.glob("kapprep.db-wal.foreign-*"))
    finally:
        assert holder.stdin is not None
        holder.stdin.close()
        holder.wait(timeout=10)
    assert not _open_elsewhere(folder)


def test_a_copy_in_an_older_format_is_updated_to_be_compared_and_restored(folder: Path) -> None:
    from kapprep.store.backups import Backup, backup_doc
    from kapprep.store.schema import migrate

    add_sessions(folder, 1)
    old = folder / "backups" / "kapprep-20261101T080000Z-before-migration.db"
    old.parent.mkdir(mode=0o700, exist_ok=True)
    conn = sqlite3.connect(old, isolation_level=None)
    migrate(conn, SCHEMA_VERSION - 1)
    conn.close()
    before = old.read_bytes()
    doc = backup_doc(Backup(old, datetime.fromisoformat("2026-11-01T08:00:00+00:00"), "x"))
    assert doc["schema_version"] == SCHEMA_VERSION
    with Store.open(folder) as store:
        assert set(doc["tables"]) == set(store.export_data()["tables"])
        store.import_data(doc, dry_run=True)  # it fits the database as it is now
    assert old.read_bytes() == before  # the copy itself is never changed
    assert [p.name for p in old.parent.iterdir() if p.name.startswith(".restore-")] == []


@pytest.mark.skipif(SCHEMA_VERSION < 2, reason="needs a migration from a version that holds data")
def test_a_migration_takes_a_backup_first_that_can_be_restored(folder: Path) -> None:
    from kapprep.store.backups import list_backups
    from kapprep.store.schema import migrate

    folder.mkdir(mode=0o700)
    conn = sqlite3.connect(folder / "kapprep.db", isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    migrate(conn, SCHEMA_VERSION - 1)
    conn.execute(
        "INSERT INTO sessions (start_utc, tz, created_at, updated_at)"
        " VALUES ('2026-12-03T09:00:00+00:00', 'UTC', 'x', 'x')"
    )
    conn.close()
    with Store.open(folder) as store:
        assert store.schema_version() == SCHEMA_VERSION
        copies = [b for b in list_backups(folder) if b.reason == "before-migration"]
        assert len(copies) == 1
        store.remove_session(1)
    assert main(["--data-dir", str(folder), "restore", copies[0].path.name, "--yes"]) == 0
    with Store.open(folder) as store:
        assert len(store.sessions()) == 1
