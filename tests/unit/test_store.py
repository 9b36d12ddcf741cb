"""The store's API: sessions, ticks, notes, overrides, settings, practice, transactions."""

from __future__ import annotations

import sqlite3
import threading
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from kapprep.store import Practice, Session, Store, StoreError

OSLO = ZoneInfo("Europe/Oslo")


@pytest.fixture
def store(tmp_path: Path) -> Store:
    s = Store.open(tmp_path / "data")
    yield s
    s.close()


def test_add_and_read_a_session(store: Store) -> None:
    start = datetime(2026, 12, 3, 10, 0, tzinfo=OSLO)
    s = store.add_session(start, place="Room 2", clinic="Calm Clinic", phone="+47 22 00 00 00")
    assert s == Session(s.id, start, "Europe/Oslo", "Room 2", "Calm Clinic", "+47 22 00 00 00")
    assert s.start.tzinfo == OSLO and s.start.hour == 10
    assert store.session(s.id) == s
    assert store.sessions() == [s]
    row = store.fetch("SELECT start_utc FROM sessions")[0]
    assert row["start_utc"] == "2026-12-03T09:00:00+00:00"


def test_session_start_needs_a_named_zone(store: Store) -> None:
    with pytest.raises(ValueError, match="named time zone"):
        store.add_session(datetime(2026, 12, 3, 10, tzinfo=timezone(timedelta(hours=1))))
    with pytest.raises(ValueError, match="named time zone"):
        store.add_session(datetime(2026, 12, 3, 10))  # type: ignore[arg-type]


def test_update_changes_only_given_fields(store: Store) -> None:
    s = store.add_session(datetime(2026, 12, 3, 10, tzinfo=OSLO), clinic="A", phone="1")
    u = store.update_session(s.id, phone=None, status="done")
    assert (u.clinic, u.phone, u.status, u.start) == ("A", None, "done", s.start)
    later = datetime(2026, 12, 4, 9, tzinfo=ZoneInfo("America/New_York"))
    u = store.update_session(s.id, start=later)
    assert u.start == later and u.tz == "America/New_York" and u.clinic == "A"
    with pytest.raises(StoreError, match="no session 99"):
        store.update_session(99, clinic="x")
    with pytest.raises(ValueError):
        store.update_session(s.id, status="maybe")  # type: ignore[arg-type]


def test_next_session_is_earliest_planned_from_a_day_ago(store: Store) -> None:
    now = datetime(2026, 12, 10, 12, tzinfo=UTC)
    old = store.add_session(now - timedelta(hours=30))
    recent = store.add_session((now - timedelta(hours=20)).astimezone(OSLO))
    later = store.add_session((now + timedelta(days=7)).astimezone(OSLO))
    assert old.tz == "UTC" and store.next_session(now) == recent
    store.update_session(recent.id, status="cancelled")
    assert store.next_session(now) == later
    store.update_session(later.id, status="done")
    assert store.next_session(now) is None


def test_remove_session_removes_its_ticks_and_notes(store: Store) -> None:
    s = store.add_session(datetime(2026, 12, 3, 10, tzinfo=OSLO))
    store.tick(s.id, "eat-light")
    store.set_note(s.id, "eat-light", "soup")
    store.set_clinic_time("stop-eating", "-6h")
    store.remove_session(s.id)
    assert store.sessions() == []
    assert store.clinic_times() == {"stop-eating": "-6h"}  # the series', not the session's
    for table in ("ticks", "notes"):
        assert store.fetch(f"SELECT count(*) FROM {table}")[0][0] == 0
    with pytest.raises(StoreError):
        store.remove_session(s.id)


def test_ticks_keep_the_first_time_and_untick_removes(store: Store) -> None:
    s = store.add_session(datetime(2026, 12, 3, 10, tzinfo=OSLO))
    t1 = datetime(2026, 12, 1, 8, tzinfo=UTC)
    store.tick(s.id, "a", at=t1)
    store.tick(s.id, "a", at=t1 + timedelta(hours=1))
    store.tick(s.id, "b", at=t1.astimezone(OSLO))
    assert store.ticks(s.id) == {"a": t1, "b": t1}
    store.untick(s.id, "a")
    store.untick(s.id, "never-ticked")
    assert set(store.ticks(s.id)) == {"b"}
    with pytest.raises(StoreError, match="no session"):
        store.tick(999, "a")


def test_notes_and_the_clinics_times(store: Store) -> None:
    s = store.add_session(datetime(2026, 12, 3, 10, tzinfo=OSLO))
    store.set_note(s.id, "a", "first")
    store.set_note(s.id, "a", "[bold]second[/] ✓")
    store.set_note(s.id, "b", "x")
    assert store.notes(s.id) == {"a": "[bold]second[/] ✓", "b": "x"}
    store.set_note(s.id, "b", "")
    assert store.notes(s.id) == {"a": "[bold]second[/] ✓"}
    store.set_clinic_time("stop-eating", "-6h")
    store.set_clinic_time("stop-drinking", "-2h")
    store.set_clinic_time("stop-eating", "-4h")
    assert store.clinic_times() == {"stop-eating": "-4h", "stop-drinking": "-2h"}
    store.set_clinic_time("stop-eating", None)
    store.set_clinic_time("never-set", "")
    assert store.clinic_times() == {"stop-drinking": "-2h"}


def test_settings_are_json(store: Store) -> None:
    assert store.get_setting("theme") is None
    assert store.get_setting("theme", "dark") == "dark"
    store.set_setting("theme", "light")
    store.set_setting("crisis", {"number": "112", "lines": [1, 2.5, True]})
    assert store.get_setting("theme") == "light"
    assert store.get_setting("crisis") == {"number": "112", "lines": [1, 2.5, True]}
    store.set_setting("theme", None)
    assert store.get_setting("theme", 0) == 0


def test_practice_log(store: Store) -> None:
    at = datetime(2026, 11, 30, 20, tzinfo=OSLO)
    pid = store.add_practice("box-4", at, 0, False, calm_before=3)
    store.update_practice(pid, seconds=240.5, finished=True, calm_after=7)
    assert store.practices() == [Practice(pid, "box-4", at, 240.5, True, 3, 7)]
    with pytest.raises(StoreError):
        store.update_practice(pid + 1, seconds=1)


def test_transaction_rolls_back_on_error(store: Store) -> None:
    with pytest.raises(RuntimeError), store.transaction() as conn:
        conn.execute("INSERT INTO questions (text, created_at) VALUES ('q', 'now')")
        raise RuntimeError("boom")
    assert store.fetch("SELECT count(*) FROM questions")[0][0] == 0
    with store.transaction() as conn:
        conn.execute("INSERT INTO questions (text, created_at) VALUES ('q', 'now')")
        with store.transaction() as inner:  # nested joins the outer one
            inner.execute("INSERT INTO questions (text, created_at) VALUES ('r', 'now')")
    rows = store.fetch("SELECT text FROM questions ORDER BY id")
    assert [r["text"] for r in rows] == ["q", "r"]


def test_pragmas(store: Store) -> None:
    assert store.fetch("PRAGMA journal_mode")[0][0] == "wal"
    assert store.fetch("PRAGMA foreign_keys")[0][0] == 1
    assert store.fetch("PRAGMA synchronous")[0][0] == 2  # FULL
    assert store.fetch("PRAGMA busy_timeout")[0][0] >= 5000


def test_two_stores_on_one_folder_see_each_other(tmp_path: Path) -> None:
    with Store.open(tmp_path) as a, Store.open(tmp_path) as b:
        s = a.add_session(datetime(2026, 12, 3, 10, tzinfo=OSLO))
        b.tick(s.id, "x")
        a.tick(s.id, "y")
        assert set(a.ticks(s.id)) == set(b.ticks(s.id)) == {"x", "y"}


def test_threads_share_one_store(store: Store) -> None:
    s = store.add_session(datetime(2026, 12, 3, 10, tzinfo=OSLO))

    def work(n: int) -> None:
        for i in range(50):
            store.tick(s.id, f"t{n}-{i}")

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(store.ticks(s.id)) == 200


def test_closed_store_refuses(tmp_path: Path) -> None:
    s = Store.open(tmp_path)
    s.close()
    s.close()
    with pytest.raises(StoreError, match="closed"):
        s.sessions()


def test_open_defaults_to_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KAPPREP_HOME", str(tmp_path / "home"))
    with Store.open() as s:
        assert s.path == tmp_path / "home" / "kapprep.db"
        assert s.path.exists()


def test_read_errors_are_sqlite_errors_for_bad_sql(store: Store) -> None:
    with pytest.raises(sqlite3.OperationalError):
        store.fetch("SELECT nope FROM sessions")
