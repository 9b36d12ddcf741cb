"""Opening the store: private modes, migrations, damaged and newer files, read-only and full disks."""

from __future__ import annotations

import functools
import hashlib
import json
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from kapprep.store import Store, StoreError
from kapprep.store.schema import MIGRATIONS, SCHEMA_VERSION, migrate

OSLO = ZoneInfo("Europe/Oslo")
START = datetime(2026, 12, 3, 10, tzinfo=OSLO)
ROOT = os.geteuid() == 0 if hasattr(os, "geteuid") else False


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@contextmanager
def umask(value: int) -> Iterator[None]:
    old = os.umask(value)
    try:
        yield
    finally:
        os.umask(old)


def digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


@pytest.mark.parametrize("mask", [0o022, 0o000, 0o002])
def test_folder_and_every_file_are_private_whatever_the_umask(tmp_path: Path, mask: int) -> None:
    folder = tmp_path / "deep" / "data"
    with umask(mask), Store.open(folder) as store:
        s = store.add_session(START)
        store.tick(s.id, "a")
        names = {p.name for p in folder.iterdir()}
        assert {"kapprep.db", "kapprep.db-wal", "kapprep.db-shm"} <= names
        assert mode(folder) == 0o700
        for p in folder.iterdir():
            assert mode(p) == 0o600, p.name


def test_an_existing_wide_open_folder_of_ours_is_made_private(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    os.chmod(folder, 0o755)
    Store.open(folder).close()
    assert mode(folder) == 0o700
    os.chmod(folder, 0o777)
    os.chmod(folder / "kapprep.db", 0o644)
    Store.open(folder).close()
    assert mode(folder) == 0o700 and mode(folder / "kapprep.db") == 0o600


def test_our_folder_that_others_can_read_is_made_private_and_the_patient_told(
    tmp_path: Path,
) -> None:
    (tmp_path / "my-notes.txt").write_text("x")  # the patient's own folder, with their files
    os.chmod(tmp_path, 0o755)
    with Store.open(tmp_path) as store:
        assert any("made it private" in n for n in store.notices)
    assert mode(tmp_path) == 0o700
    assert mode(tmp_path / "kapprep.db") == 0o600
    assert (tmp_path / "my-notes.txt").read_text() == "x"


def test_the_data_folder_path_being_a_file_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    with pytest.raises(StoreError, match="is a file, not a folder"):
        Store.open(tmp_path / "file")


@pytest.mark.parametrize("target", range(1, SCHEMA_VERSION + 1))
def test_each_migration_upgrades_a_database_of_the_version_before(
    tmp_path: Path, target: int
) -> None:
    path = tmp_path / "kapprep.db"
    conn = sqlite3.connect(path, isolation_level=None)
    assert migrate(conn, target - 1) == target - 1
    if target - 1 >= 1:  # a version that has sessions: keep one and see it survive
        conn.execute(
            "INSERT INTO sessions (start_utc, tz, created_at, updated_at)"
            " VALUES ('2026-12-03T09:00:00+00:00', 'Europe/Oslo', 'x', 'x')"
        )
    conn.close()
    with Store.open(tmp_path) as store:
        assert store.schema_version() == SCHEMA_VERSION == len(MIGRATIONS)
        assert store.integrity_ok()
        if target - 1 >= 1:
            assert store.sessions()[0].start == START
        s = store.add_session(START)
        store.tick(s.id, "a")


def test_migration_2_keeps_the_clinic_time_set_last_for_the_series(tmp_path: Path) -> None:
    conn = sqlite3.connect(tmp_path / "kapprep.db", isolation_level=None)
    migrate(conn, 1)
    conn.executescript(
        """
        INSERT INTO sessions (id, start_utc, tz, created_at, updated_at) VALUES
            (1, '2026-12-03T09:00:00+00:00', 'UTC', 'x', 'x'),
            (2, '2026-12-10T09:00:00+00:00', 'UTC', 'x', 'x');
        INSERT INTO overrides (session_id, item_id, due, value, updated_at) VALUES
            (1, 'stop-eating', '-6h', NULL, '2026-11-01T09:00:00+00:00'),
            (2, 'stop-eating', '-4h', NULL, '2026-11-02T09:00:00+00:00'),
            (1, 'stop-drinking', NULL, '2 hours', '2026-11-02T09:00:00+00:00');
        """
    )
    conn.close()
    with Store.open(tmp_path) as store:
        assert store.clinic_times() == {"stop-eating": "-4h"}
        assert "overrides" not in {r[0] for r in store.fetch("SELECT name FROM sqlite_master")}


def test_migrations_are_applied_once(tmp_path: Path) -> None:
    with Store.open(tmp_path) as store:
        store.add_session(START)
    with Store.open(tmp_path) as store:
        assert len(store.sessions()) == 1


def test_a_database_from_a_newer_kapprep_is_refused_and_untouched(tmp_path: Path) -> None:
    with Store.open(tmp_path) as store:
        store.add_session(START)
    conn = sqlite3.connect(tmp_path / "kapprep.db")
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.commit()
    conn.close()
    before = digest(tmp_path)
    with pytest.raises(StoreError, match="newer version of kapprep") as info:
        Store.open(tmp_path)
    assert "not changed" in str(info.value)
    assert digest(tmp_path) == before


def test_a_file_that_is_not_a_database_is_moved_aside(tmp_path: Path) -> None:
    content = b"my notes, not a database\n" * 10
    (tmp_path / "kapprep.db").write_bytes(content)
    with Store.open(tmp_path) as store:
        assert len(store.notices) == 1
        moved = sorted(tmp_path.glob("kapprep.db.damaged-*"))
        assert len(moved) == 1 and moved[0].read_bytes() == content
        assert str(moved[0]) in store.notices[0]
        assert store.sessions() == []
        store.add_session(START)
    with Store.open(tmp_path) as store:  # the fresh one is kept, nothing new moved aside
        assert store.notices == [] and len(store.sessions()) == 1


def test_a_database_failing_its_check_is_moved_aside_with_its_wal(tmp_path: Path) -> None:
    with Store.open(tmp_path) as store:
        s = store.add_session(START)
        with store.transaction() as conn:
            for i in range(400):
                conn.execute(
                    "INSERT INTO ticks VALUES (?, ?, '2026-12-01T00:00:00+00:00')",
                    (s.id, f"item-{i:04d}-" + "x" * 60),
                )
        store.fetch("PRAGMA wal_checkpoint(TRUNCATE)")
    path = tmp_path / "kapprep.db"
    data = bytearray(path.read_bytes())
    page = 4096
    assert len(data) > 4 * page
    data[2 * page + 8 : 3 * page] = b"\xa5" * (page - 8)  # scribble over a b-tree page
    mtime = path.stat().st_mtime_ns
    path.write_bytes(bytes(data))
    os.utime(path, ns=(mtime + 10**9, mtime + 10**9))  # as a real change a second later would
    (tmp_path / "kapprep.db-wal").write_bytes(b"")
    with Store.open(tmp_path) as store:
        assert store.notices and "kept, not deleted" in store.notices[0]
        assert store.integrity_ok() and store.sessions() == []
    moved = sorted(tmp_path.glob("kapprep.db.damaged-*"))
    assert [p.name.endswith("-wal") for p in moved].count(True) == 1
    assert any(p.read_bytes() == bytes(data) for p in moved)


def test_an_empty_file_is_just_a_new_database(tmp_path: Path) -> None:
    (tmp_path / "kapprep.db").write_bytes(b"")
    with Store.open(tmp_path) as store:
        assert store.notices == [] and store.schema_version() == SCHEMA_VERSION


def test_a_full_disk_is_a_clear_error_and_keeps_what_was_saved(tmp_path: Path) -> None:
    with Store.open(tmp_path) as store:
        s = store.add_session(START)
        store.tick(s.id, "saved-before")
        pages = store.fetch("PRAGMA page_count")[0][0]
        store.fetch(f"PRAGMA max_page_count = {pages}")
        with pytest.raises(StoreError, match="disk is full") as info:
            store.set_note(s.id, "big", "x" * 100_000)
        assert "safe" in str(info.value) and "xxx" not in str(info.value)
        assert store.notes(s.id) == {}
        assert set(store.ticks(s.id)) == {"saved-before"}
        store.fetch(f"PRAGMA max_page_count = {pages * 100}")
        store.set_note(s.id, "big", "x" * 100_000)  # once there is room again, it works
    with Store.open(tmp_path) as store:
        assert store.integrity_ok() and set(store.ticks(s.id)) == {"saved-before"}


def _runs_as_nobody(python: str) -> bool:
    probe = "import sqlite3, sys, zoneinfo; assert sys.version_info >= (3, 11)"
    try:
        done = subprocess.run(
            [python, "-c", probe],
            capture_output=True,
            timeout=30,
            cwd="/",
            env={"PATH": "/usr/bin:/bin"},
            user=65534,
            group=65534,
            check=False,
        )
    except OSError:
        return False
    return done.returncode == 0


@functools.cache
def _interpreter_for_nobody() -> str | None:
    """A Python 3.11+ that `nobody` can run. This venv's may sit in a folder only root can enter
    (a clone under `mktemp -d`, or a pyenv in /root): then the base interpreter, then the
    system's."""
    seen: list[str] = []
    for candidate in (
        sys.executable,
        os.path.realpath(sys.executable),
        getattr(sys, "_base_executable", ""),
        shutil.which("python3", path="/usr/local/bin:/usr/bin:/bin") or "",
    ):
        if candidate and candidate not in seen:
            seen.append(candidate)
            if _runs_as_nobody(candidate):
                return candidate
    return None


def run_unprivileged(script: str) -> subprocess.CompletedProcess[str]:
    """Run `script` in a fresh interpreter, as user `nobody` when the tests run as root.

    Root can write to read-only folders and files, so only an unprivileged process can show what
    a read-only folder does. The script's folder is a fresh one `nobody` owns, with a copy of the
    kapprep sources in it: the clone itself may sit where `nobody` cannot reach it.
    """
    folder = Path(tempfile.mkdtemp(prefix="kapprep-ro-"))
    os.chmod(folder, 0o755)
    python = sys.executable
    kwargs: dict[str, object] = {}
    if ROOT:
        import pwd

        try:
            pwd.getpwuid(65534)
        except KeyError:
            pytest.skip("there is no user nobody (uid 65534) to run as")
        found = _interpreter_for_nobody()
        if found is None:
            pytest.fail(
                "no Python 3.11+ that user nobody can run: tried this venv's, its base and "
                "the system's python3"
            )
        python = found
        os.chown(folder, 65534, 65534)
        kwargs["user"] = 65534
        kwargs["group"] = 65534
    src = folder / "src"
    shutil.copytree(SRC, src / "kapprep", ignore=shutil.ignore_patterns("__pycache__"))
    try:
        return subprocess.run(
            [python, "-c", script, str(folder / "data")],
            capture_output=True,
            text=True,
            timeout=60,
            cwd=folder,
            env={**os.environ, "PYTHONPATH": str(src), "PYTHONNOUSERSITE": "1"},
            check=False,
            **kwargs,  # type: ignore[arg-type]
        )
    finally:
        shutil.rmtree(folder, ignore_errors=True)


SRC = Path(__file__).resolve().parents[2] / "src" / "kapprep"
READ_ONLY_SCRIPT = """
import hashlib, os, sys
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo
from kapprep.store import Store, StoreError

folder = Path(sys.argv[1])
with Store.open(folder) as store:
    s = store.add_session(datetime(2026, 12, 3, 10, tzinfo=ZoneInfo("Europe/Oslo")))
    store.tick(s.id, "saved-before")
before = hashlib.sha256((folder / "kapprep.db").read_bytes()).hexdigest()
MAKE_READ_ONLY
try:
    with Store.open(folder) as store:
        store.tick(s.id, "new")
    print("NO ERROR")
except StoreError as exc:
    print("ERROR:", exc)
finally:
    os.chmod(folder, 0o700)
    os.chmod(folder / "kapprep.db", 0o600)
assert hashlib.sha256((folder / "kapprep.db").read_bytes()).hexdigest() == before
with Store.open(folder) as store:
    assert set(store.ticks(s.id)) == {"saved-before"}, store.ticks(s.id)
print("INTACT")
"""


def test_a_read_only_folder_is_a_clear_error_and_loses_nothing() -> None:
    make = 'os.chmod(folder / "kapprep.db", 0o400); os.chmod(folder, 0o500)'
    result = run_unprivileged(READ_ONLY_SCRIPT.replace("MAKE_READ_ONLY", make))
    assert result.returncode == 0, result.stderr
    error = result.stdout.splitlines()[0]
    assert error.startswith("ERROR:") and "data" in error, result.stdout
    assert "read-only" in error or "write" in error
    assert "Traceback" not in result.stderr
    assert result.stdout.splitlines()[-1] == "INTACT"


def test_a_read_only_database_file_is_a_clear_error() -> None:
    make = 'os.chmod(folder / "kapprep.db", 0o400)'
    result = run_unprivileged(READ_ONLY_SCRIPT.replace("MAKE_READ_ONLY", make))
    assert result.returncode == 0, result.stderr
    error = result.stdout.splitlines()[0]
    assert error.startswith("ERROR:") and ("read-only" in error or "write" in error), error
    assert result.stdout.splitlines()[-1] == "INTACT"


def test_a_folder_that_cannot_be_created_is_a_clear_error() -> None:
    script = """
import os, sys
from pathlib import Path
from kapprep.store import Store, StoreError
parent = Path(sys.argv[1]).parent / "locked"
parent.mkdir(mode=0o500)
try:
    Store.open(parent / "data")
    print("NO ERROR")
except StoreError as exc:
    print("ERROR:", exc)
"""
    result = run_unprivileged(script)
    assert result.stdout.startswith("ERROR:") and "permission denied" in result.stdout, (
        result.stdout + result.stderr
    )


def corrupt_keeping_stat(folder: Path) -> bytes:
    """Scribble over a b-tree page but keep the file's size and modification time."""
    with Store.open(folder) as store:
        s = store.add_session(START)
        with store.transaction() as conn:
            conn.executemany(
                "INSERT INTO ticks VALUES (?, ?, '2026-12-01T00:00:00+00:00')",
                ((s.id, f"item-{i:04d}-" + "x" * 60) for i in range(400)),
            )
    # Opened again before the damage: this takes the day's backup (itself a full check of a
    # copy), so the next opening within the day trusts the file as kapprep left it.
    Store.open(folder).close()
    path = folder / "kapprep.db"
    st = path.stat()
    data = bytearray(path.read_bytes())
    data[2 * 4096 + 8 : 3 * 4096] = b"\xa5" * (4096 - 8)
    path.write_bytes(bytes(data))
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    return bytes(data)


def test_an_untouched_database_is_fully_checked_once_a_day(tmp_path: Path) -> None:
    corrupt_keeping_stat(tmp_path)
    # Exactly as kapprep left it and checked minutes ago: opening skips the slow full check.
    with Store.open(tmp_path) as store:
        assert store.notices == []
    stamp = tmp_path / "kapprep.db.checked"
    assert mode(stamp) == 0o600
    record = json.loads(stamp.read_text())
    record["checked_at"] = "2000-01-01T00:00:00+00:00"
    stamp.write_text(json.dumps(record))
    with Store.open(tmp_path) as store:  # a day later the full check runs and finds it
        assert store.notices and "kept, not deleted" in store.notices[0]
    assert not stamp.exists() or json.loads(stamp.read_text())["checked_at"] != "2000"


def test_a_database_left_with_a_wal_is_fully_checked(tmp_path: Path) -> None:
    from kapprep.store.opening import _trusted_since

    with Store.open(tmp_path) as store:
        store.add_session(START)
    assert _trusted_since(tmp_path) is not None
    (tmp_path / "kapprep.db-wal").write_bytes(b"left by a crash")
    assert _trusted_since(tmp_path) is None
    (tmp_path / "kapprep.db-wal").unlink()
    os.utime(tmp_path / "kapprep.db", ns=(0, 10**9))  # changed outside kapprep
    assert _trusted_since(tmp_path) is None
