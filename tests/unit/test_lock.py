"""The lock (issue 25): the database encrypted at rest, the key file, the passphrase, the recovery
code, recognised before anything else, and an unlocked store that pays nothing."""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from kapprep.cli import main
from kapprep.store import Store, StoreError, cipher, keyfile, locking
from kapprep.store.keyfile import WrongSecret

PASS = "correct horse battery"
WORD = "Quixotryzm"  # a unique word: it must be in no file once the store is locked


@pytest.fixture(autouse=True)
def _quick_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    """The floor's parameters (not the half-second calibration): the tests stay quick."""
    monkeypatch.setenv("KAPPREP_KDF_MS", "1")


@pytest.fixture
def folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    found = {name: tmp_path / name for name in ("data", "config", "cache", "tmp")}
    for path in found.values():
        path.mkdir(mode=0o700)
    monkeypatch.setenv("KAPPREP_CONFIG", str(found["config"]))
    monkeypatch.setenv("XDG_CACHE_HOME", str(found["cache"]))
    monkeypatch.setenv("TMPDIR", str(found["tmp"]))
    monkeypatch.delenv("KAPPREP_HOME", raising=False)
    monkeypatch.setattr(sys.stdin, "isatty", lambda: False)
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", None)  # read TMPDIR again
    return found


def fd_with(*lines: str) -> str:
    """A pipe's read end holding `lines` (for --passphrase-fd)."""
    read, write = os.pipe()
    os.write(write, "".join(f"{line}\n" for line in lines).encode())
    os.close(write)
    return str(read)


def kapprep(data: Path, *args: str) -> int:
    return main(["--data-dir", str(data), *args])


def all_files(*roots: Path) -> dict[str, str]:
    """Every file under the roots, by path: the SHA-256 of its bytes."""
    return {
        str(p): hashlib.sha256(p.read_bytes()).hexdigest()
        for root in roots
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def a_store(data: Path, note: str = f"{WORD} before") -> int:
    from datetime import UTC, datetime

    with Store.open(data) as store:
        session = store.add_session(datetime(2026, 12, 3, 9, tzinfo=UTC))
        store.set_note(session.id, "pack-bag", note)
        return session.id


def locked(data: Path) -> str:
    """Lock a store with a note in it; the recovery code."""
    a_store(data)
    code = locking.lock(data, PASS).recovery_code
    cipher.use_key(data, None)  # as a new process: nothing remembered
    return code


def test_locked_database_is_no_sqlite_file_and_no_file_holds_the_word(
    folders: dict[str, Path],
) -> None:
    data = folders["data"]
    sid = a_store(data)
    with Store.open(data) as store:  # a plain copy kapprep kept: a backup before an import
        from kapprep.store.backups import take_backup

        take_backup(store, "before-import")
    exports = data / "exports"
    exports.mkdir()
    assert kapprep(data, "export", "-o", str(exports / "all.json")) == 0
    assert any(WORD.encode() in p.read_bytes() for p in data.rglob("*") if p.is_file())

    fd = fd_with(PASS)
    assert (
        kapprep(
            data, "lock", "--yes", "--copies", "encrypt", "--files", "remove", "--passphrase-fd", fd
        )
        == 0
    )
    note = ["note", "list-medications", f"{WORD} after", "--passphrase-fd", fd_with(PASS)]
    assert kapprep(data, *note) == 0
    with Store.open(data, key=keyfile.open_with_passphrase(data, PASS)) as store:
        store.set_note(sid, "bring-water", f"{WORD} after, typed while locked")
        assert f"{WORD} before" in store.notes(sid).values()

    assert not (data / "kapprep.db").read_bytes().startswith(b"SQLite format 3")
    for name, digest in all_files(*folders.values()).items():
        assert WORD.encode() not in Path(name).read_bytes(), f"{WORD} is in {name} ({digest})"
        assert WORD.encode("utf-16-le") not in Path(name).read_bytes(), name
    backups = list((data / "backups").glob("*.db"))
    assert backups, "the backups were encrypted, not dropped"
    for backup in backups:
        assert not backup.read_bytes().startswith(b"SQLite format 3")


def test_three_wrong_passphrases_change_nothing_and_the_right_one_opens(
    folders: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    data = folders["data"]
    locked(data)
    before = all_files(data)
    capsys.readouterr()
    for wrong in ("correct horse batterx", "", "Correct horse battery"):
        assert kapprep(data, "next", "--passphrase-fd", fd_with(wrong)) == 1
        err = capsys.readouterr().err
        assert err == "kapprep: that passphrase does not open your data; nothing was changed\n"
        assert all_files(data) == before
    assert kapprep(data, "next", "--passphrase-fd", fd_with(PASS)) == 0
    assert "Next session 1" in capsys.readouterr().out


def test_a_locked_store_is_known_before_any_damage_check(folders: dict[str, Path]) -> None:
    data = folders["data"]
    locked(data)
    before = all_files(data)
    with pytest.raises(keyfile.Locked):
        Store.open(data)  # no key: refused before the file is looked at, nothing set aside
    assert all_files(data) == before
    assert not list(data.glob("kapprep.db.damaged-*"))


def test_no_terminal_and_no_fd_is_one_line(
    folders: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    data = folders["data"]
    locked(data)
    capsys.readouterr()
    assert kapprep(data, "next") == 1
    assert capsys.readouterr().err.count("\n") == 1


def test_recovery_code_opens_and_sets_a_new_passphrase(folders: dict[str, Path]) -> None:
    data = folders["data"]
    code = locked(data)
    typed = code.lower().replace("-", " ")  # as a person might type it
    assert kapprep(data, "recover", "--passphrase-fd", fd_with(typed, "a brand new one")) == 0
    with pytest.raises(WrongSecret):
        keyfile.open_with_passphrase(data, PASS)
    with pytest.raises(WrongSecret):
        keyfile.open_with_code(data, code)  # spent: a new code was shown
    key = keyfile.open_with_passphrase(data, "a brand new one")
    with Store.open(data, key=key) as store:
        assert f"{WORD} before" in store.notes(1).values()


def test_passphrase_change_rewraps_the_key_and_keeps_the_data(folders: dict[str, Path]) -> None:
    data = folders["data"]
    code = locked(data)
    database = (data / "kapprep.db").read_bytes()
    assert kapprep(data, "passphrase", "--passphrase-fd", fd_with(PASS, "another fine one")) == 0
    assert (data / "kapprep.db").read_bytes() == database  # the key rewrapped, not the database
    with pytest.raises(WrongSecret):
        keyfile.open_with_passphrase(data, PASS)
    assert keyfile.open_with_code(data, code) == keyfile.open_with_passphrase(
        data, "another fine one"
    )
    key = keyfile.open_with_passphrase(data, "another fine one")
    with Store.open(data, key=key) as store:
        assert f"{WORD} before" in store.notes(1).values()


def test_a_key_file_below_the_floor_is_refused(folders: dict[str, Path]) -> None:
    data = folders["data"]
    locked(data)
    path = data / keyfile.KEY_FILE
    doc = json.loads(path.read_text())
    assert doc["passphrase"]["n"] >= keyfile.FLOOR_N
    doc["passphrase"]["n"] = 2**14
    path.write_text(json.dumps(doc))
    with pytest.raises(StoreError, match="weaker key derivation"):
        keyfile.open_with_passphrase(data, PASS)
    doc["passphrase"]["n"] = 2**16  # stronger but not what it was made with: the MAC says so
    path.write_text(json.dumps(doc))
    with pytest.raises(WrongSecret):
        keyfile.open_with_passphrase(data, PASS)


def test_calibration_never_goes_below_the_floor() -> None:
    assert keyfile.calibrate(0) == keyfile.Params(keyfile.FLOOR_N, 8, 1)
    assert keyfile.calibrate(10**9).n == keyfile.MAX_N


def test_lock_off_gives_the_plain_store_back(folders: dict[str, Path]) -> None:
    data = folders["data"]
    locked(data)
    assert kapprep(data, "lock", "--off", "--yes", "--passphrase-fd", fd_with(PASS)) == 0
    assert (data / "kapprep.db").read_bytes().startswith(b"SQLite format 3")
    assert not (data / keyfile.KEY_FILE).exists()
    for backup in (data / "backups").glob("*.db"):
        assert backup.read_bytes().startswith(b"SQLite format 3")
    with Store.open(data) as store:
        assert f"{WORD} before" in store.notes(1).values()


def test_sqlcipher_is_version_4_and_its_errors_are_sqlite3_errors(tmp_path: Path) -> None:
    module = cipher.sqlcipher()
    conn = cipher.keyed(tmp_path / "x.db", bytes(32))
    try:
        version = conn.execute("PRAGMA cipher_version").fetchone()[0]
        assert int(version.split(".")[0]) >= 4, version
    finally:
        conn.close()
    for name in ("DatabaseError", "OperationalError", "IntegrityError", "ProgrammingError"):
        assert issubclass(getattr(module, name), getattr(sqlite3, name))
    (tmp_path / "junk.db").write_bytes(b"\x01" * 8192)
    junk = cipher.keyed(tmp_path / "junk.db", bytes(32))
    with pytest.raises(sqlite3.DatabaseError):
        junk.execute("SELECT count(*) FROM sqlite_master").fetchall()
    junk.close()


def test_damage_in_a_locked_store_is_set_aside_and_nothing_is_written_plain(
    folders: dict[str, Path],
) -> None:
    data = folders["data"]
    locked(data)
    key = keyfile.open_with_passphrase(data, PASS)
    raw = bytearray((data / "kapprep.db").read_bytes())
    raw[4096 + 100 : 4096 + 200] = bytes(100)  # a page whose HMAC no longer fits
    (data / "kapprep.db").write_bytes(bytes(raw))
    (data / "kapprep.db.checked").unlink(missing_ok=True)
    with Store.open(data, key=key) as store:
        assert any("kept, not deleted" in n for n in store.notices)
    assert list(data.glob("kapprep.db.damaged-*"))
    assert not list(data.glob("*.readable.json"))
    for path in data.rglob("*"):
        if path.is_file():
            assert WORD.encode() not in path.read_bytes(), path


def test_an_unlocked_store_imports_no_cipher(tmp_path: Path) -> None:
    code = f"""
import sys
from kapprep.cli import main
from kapprep.store import Store
with Store.open({str(tmp_path / "data")!r}) as store:
    pass
main(["--data-dir", {str(tmp_path / "data")!r}, "next"])
main(["--data-dir", {str(tmp_path / "data")!r}, "export", "-o", {str(tmp_path / "x.json")!r}])
heavy = sorted(
    m for m in sys.modules
    if m.split(".")[0] in ("sqlcipher3", "pyrage")
    or m in ("kapprep.store.keyfile", "kapprep.store.locking")
)
print(heavy)
"""
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip().splitlines()[-1] == "[]"


def test_lock_keeps_only_the_crisis_numbers_outside(folders: dict[str, Path]) -> None:
    from datetime import UTC, datetime

    from kapprep.settings import set_settings

    data = folders["data"]
    with Store.open(data) as store:
        store.add_session(
            datetime(2026, 12, 3, 9, tzinfo=UTC), clinic="Fjord Clinic", phone="+47 22 00 00 00"
        )
        set_settings(store, country="DE", emergency_number="113")
    assert kapprep(data, "lock", "--yes", "--passphrase-fd", fd_with(PASS)) == 0
    kept = json.loads((data / "kapprep.db.crisis.json").read_text())
    assert kept == {"country": "DE", "emergency_number": "113", "clinic_phone": "+47 22 00 00 00"}
    assert (data / "kapprep.db.crisis.json").stat().st_mode & 0o077 == 0


def test_breathe_on_a_locked_store_needs_no_passphrase_and_says_it_is_not_logged(
    folders: dict[str, Path], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import io

    from kapprep import clock

    data = folders["data"]
    locked(data)
    before = all_files(data)
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    with clock.run_fast():
        assert kapprep(data, "breathe", "box", "--cycles", "1") == 0
    out = capsys.readouterr().out
    assert "not saved in your log" in out and "Breathe in, 4 seconds" in out
    assert all_files(data) == before
    with clock.run_fast():  # with the passphrase, it is logged
        assert (
            kapprep(data, "breathe", "box", "--cycles", "1", "--passphrase-fd", fd_with(PASS)) == 0
        )
    with Store.open(data, key=keyfile.open_with_passphrase(data, PASS)) as store:
        assert [p.pattern for p in store.practices()] == ["box"]


def test_a_newer_locked_store_is_refused_after_keying_and_left_as_it_was(
    folders: dict[str, Path],
) -> None:
    from kapprep.store.schema import SCHEMA_VERSION

    data = folders["data"]
    locked(data)
    key = keyfile.open_with_passphrase(data, PASS)
    conn = cipher.keyed(data / "kapprep.db", key, isolation_level=None)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    before = all_files(data)
    with pytest.raises(StoreError, match="newer version of kapprep"):
        Store.open(data, key=key)
    after = all_files(data)
    # Every file is as it was; the read-only probe that read the version may leave SQLite's
    # empty WAL and its index beside it (the plain store's refusal reads the header instead).
    assert {k: v for k, v in after.items() if k in before} == before
    added = {Path(k).name: v for k, v in after.items() if k not in before}
    assert set(added) <= {"kapprep.db-wal", "kapprep.db-shm"}
    assert (
        added.get("kapprep.db-wal", hashlib.sha256(b"").hexdigest())
        == hashlib.sha256(b"").hexdigest()
    )


def test_delete_erases_a_locked_store_without_its_passphrase(folders: dict[str, Path]) -> None:
    data = folders["data"]
    locked(data)
    assert kapprep(data, "delete", "--yes") == 0
    left = [p.name for p in data.rglob("*")]
    assert left == [], left


def test_a_locked_store_is_migrated_with_a_locked_backup_first(folders: dict[str, Path]) -> None:
    from kapprep.store.backups import backup_doc, list_backups
    from kapprep.store.schema import SCHEMA_VERSION, migrate

    if SCHEMA_VERSION < 2:
        pytest.skip("needs a migration from a version that holds data")
    data = folders["data"]
    conn = sqlite3.connect(data / "kapprep.db", isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    migrate(conn, SCHEMA_VERSION - 1)
    conn.execute(
        "INSERT INTO sessions (start_utc, tz, created_at, updated_at)"
        f" VALUES ('2026-12-03T09:00:00+00:00', 'UTC', '{WORD}', 'x')"
    )
    conn.close()
    locking.lock(data, PASS)
    cipher.use_key(data, None)
    key = keyfile.open_with_passphrase(data, PASS)
    with Store.open(data, key=key) as store:
        assert store.schema_version() == SCHEMA_VERSION
        [copy] = [b for b in list_backups(data) if b.reason == "before-migration"]
        assert not copy.path.read_bytes().startswith(b"SQLite format 3")
        assert WORD.encode() not in copy.path.read_bytes()
        assert len(backup_doc(copy)["tables"]["sessions"]) == 1  # and it reads back, keyed


def test_lock_is_refused_while_another_kapprep_has_the_data_open(
    folders: dict[str, Path],
) -> None:
    data = folders["data"]
    a_store(data)
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time\nfrom kapprep.store import Store\n"
         f"s = Store.open({str(data)!r})\ns.sessions()\nprint('open', flush=True)\n"
         "sys.stdin.readline()"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "open\n"
        before = all_files(data)
        with pytest.raises(StoreError, match="open in another kapprep window"):
            locking.lock(data, PASS)
        assert all_files(data) == before
        assert not (data / keyfile.KEY_FILE).exists()
    finally:
        holder.communicate("\n", timeout=30)


def test_damage_the_opening_shortcut_cannot_see_is_set_aside_in_a_locked_store(
    folders: dict[str, Path],
) -> None:
    """Pages overwritten with the file's size and time kept: SQLCipher's HMAC finds them."""
    data = folders["data"]
    locked(data)
    key = keyfile.open_with_passphrase(data, PASS)
    with Store.open(data, key=key, daily_backup=False):
        pass  # a clean close: the next opening trusts the file as it is
    path = data / "kapprep.db"
    st = path.stat()
    with open(path, "r+b") as fh:
        for page in range(2, st.st_size // 4096):
            fh.seek(page * 4096 + 200)
            fh.write(bytes(64))
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    with Store.open(data, key=key, daily_backup=False) as store:
        assert any("kept, not deleted" in n for n in store.notices), store.notices
        assert store.sessions() == []  # a fresh database, locked like the old one
    assert list(data.glob("kapprep.db.damaged-*"))
    assert not (data / "kapprep.db").read_bytes().startswith(b"SQLite format 3")


def test_restore_brings_a_locked_backup_back(folders: dict[str, Path]) -> None:
    from kapprep.store.backups import list_backups, take_backup

    data = folders["data"]
    locked(data)
    key = keyfile.open_with_passphrase(data, PASS)
    with Store.open(data, key=key) as store:
        copy = take_backup(store, "before-import")
        store.remove_session(1)
    assert not copy.read_bytes().startswith(b"SQLite format 3")
    assert list_backups(data)  # listed without the passphrase: only names and times
    code = kapprep(data, "restore", copy.name, "--yes", "--passphrase-fd", fd_with(PASS))
    assert code == 0
    with Store.open(data, key=key) as store:
        assert f"{WORD} before" in store.notes(1).values()


def test_a_key_file_of_other_data_moves_nothing_aside(
    folders: dict[str, Path], tmp_path: Path
) -> None:
    data, other = folders["data"], tmp_path / "other"
    locked(data)
    a_store(other, "other data")
    locking.lock(other, PASS)  # the same passphrase, another data key
    cipher.use_key(other, None)
    (data / keyfile.KEY_FILE).write_bytes((other / keyfile.KEY_FILE).read_bytes())
    before = all_files(data)
    key = keyfile.open_with_passphrase(data, PASS)  # the passphrase opens the (wrong) key file
    with pytest.raises(StoreError, match="does not fit its lock file"):
        Store.open(data, key=key)
    assert all_files(data) == before
    assert not list(data.glob("kapprep.db.damaged-*"))
