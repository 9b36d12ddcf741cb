"""The lock's review (issue 25): defects found after the merge, each shown by a test here."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from tests.unit.test_lock import PASS, WORD, fd_with, folders, kapprep, locked

from kapprep.store import Store, StoreError, cipher, keyfile, locking

__all__ = ["folders"]  # the fixture, shared with test_lock


@pytest.fixture(autouse=True)
def _quick_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KAPPREP_KDF_MS", "1")


def stopped_before_the_swap(monkeypatch: pytest.MonkeyPatch, step: Any, data: Path) -> None:
    """Run `step(data, PASS)` killed just before its swap (as kill -9 there), then forget."""

    def crash(*_: object) -> None:
        raise KeyboardInterrupt

    with monkeypatch.context() as m:
        m.setattr(locking, "_swap", crash)
        with pytest.raises(KeyboardInterrupt):
            step(data, PASS)
    cipher.use_key(data, None)  # as a new process


def test_a_key_file_asking_for_gigabytes_through_r_or_p_is_refused_before_scrypt_runs(
    folders: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """n is capped at 2**20, but r and p multiply scrypt's memory and time: n=2**20 with r=16 is
    2 GiB, which the ceiling is there to refuse."""
    data = folders["data"]
    locked(data)
    path = data / keyfile.KEY_FILE
    doc = json.loads(path.read_text())
    ran: list[int] = []
    monkeypatch.setattr(keyfile, "_derive", lambda *a: ran.append(1) or bytes(64))
    for n, r, p in ((2**20, 16, 1), (2**20, 8, 4), (2**19, 16, 4)):
        doc["passphrase"].update(n=n, r=r, p=p)
        path.write_text(json.dumps(doc))
        with pytest.raises(StoreError, match="will not run"):
            keyfile.open_with_passphrase(data, PASS)
    assert ran == []
    assert keyfile.Params(keyfile.MAX_N).check(path) is None  # the calibration's top still opens


def test_an_interrupted_lock_off_leaves_no_plain_copy_unlisted(
    folders: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`lock --off` writes the whole plain database to kapprep.db.unlocking before the swap: a
    crash there left a plain copy of everything beside the locked store, listed nowhere."""
    data = folders["data"]
    locked(data)
    stopped_before_the_swap(monkeypatch, locking.unlock, data)
    assert cipher.is_locked(data)
    left = data / "kapprep.db.unlocking"
    assert left.exists() and WORD.encode() in left.read_bytes()
    assert left in locking.plain_leftovers(data).files


def test_lock_on_a_locked_store_settles_the_plain_files_found_since(
    folders: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    """A briefing saved while locked (the app's saves are plain) and a plain backup copy put back
    are found by `kapprep lock` run again, which encrypts or removes them with the passphrase."""
    data = folders["data"]
    locked(data)
    (data / "briefings").mkdir(mode=0o700, exist_ok=True)
    briefing = data / "briefings" / "briefing.html"
    briefing.write_text(f"{WORD} in a briefing saved while locked")
    assert (
        kapprep(data, "lock", "--yes", "--files", "remove", "--passphrase-fd", fd_with(PASS)) == 0
    )
    out = capsys.readouterr().out
    assert "Removed" in out and str(briefing) in out
    assert not briefing.exists()
    assert kapprep(data, "lock", "--yes", "--passphrase-fd", fd_with(PASS)) == 0
    assert "no plain files" in capsys.readouterr().out
    with Store.open(data, key=keyfile.open_with_passphrase(data, PASS)) as store:
        assert f"{WORD} before" in store.notes(1).values()


def test_lock_again_with_a_wrong_passphrase_changes_nothing(
    folders: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    data = folders["data"]
    locked(data)
    (data / "exports").mkdir(mode=0o700, exist_ok=True)
    (data / "exports" / "x.json").write_text(WORD)
    assert (
        kapprep(
            data, "lock", "--yes", "--files", "remove", "--passphrase-fd", fd_with("nope nope nope")
        )
        == 1
    )
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "does not open" in err
    assert (data / "exports" / "x.json").exists()


def test_a_briefing_or_calendar_saved_from_the_command_line_while_locked_says_it_is_plain(
    folders: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    data = folders["data"]
    locked(data)
    out = folders["tmp"]
    for args in (
        ("briefing", "--format", "md", "-o", str(out / "b.md")),
        ("calendar", "-o", str(out / "c.ics")),
    ):
        assert kapprep(data, *args, "--passphrase-fd", fd_with(PASS)) == 0, args
        err = capsys.readouterr().err
        assert "not protected by the lock" in err, args


def test_the_idle_lock_is_set_from_the_command_line(
    folders: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    from kapprep.settings import load_settings

    data = folders["data"]
    locked(data)
    assert (
        kapprep(data, "settings", "set", "idle-lock", "15", "--passphrase-fd", fd_with(PASS)) == 0
    )
    assert "15 minutes" in capsys.readouterr().out
    assert kapprep(data, "settings", "set", "idle-lock", "7", "--passphrase-fd", fd_with(PASS)) == 1
    err = capsys.readouterr().err
    assert "off, 5, 15, 30 or 60" in err and err.count("\n") == 1
    assert (
        kapprep(data, "settings", "set", "idle-lock", "off", "--passphrase-fd", fd_with(PASS)) == 0
    )
    with Store.open(data, key=keyfile.open_with_passphrase(data, PASS)) as store:
        assert load_settings(store).idle_lock_minutes == 0


def test_a_too_short_passphrase_is_told_at_once_and_asked_again(
    folders: dict[str, Path], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """At a prompt, "short" was taken, then the backups question asked, and only then was the
    patient told it was too short, with everything to do again."""
    import getpass
    import sys

    from tests.unit.test_lock import a_store

    data = folders["data"]
    a_store(data)
    typed = iter(["short", PASS, PASS])
    asked: list[str] = []

    def fake_getpass(prompt: str = "") -> str:
        asked.append(prompt)
        return next(typed)

    monkeypatch.setattr(getpass, "getpass", fake_getpass)
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True)
    monkeypatch.setattr("builtins.input", lambda _="": "y")
    assert kapprep(data, "lock", "--copies", "encrypt", "--files", "keep") == 0
    assert asked == ["New passphrase: ", "New passphrase: ", "The same passphrase again: "]
    assert "at least 8 characters" in capsys.readouterr().err
    assert cipher.is_locked(data)


def test_a_briefing_left_plain_is_removed_while_the_app_has_the_data_open(
    folders: dict[str, Path],
) -> None:
    """Removing a saved briefing needs no closed store (only backups do): run from a second
    terminal beside the open app, lock again asked everything, then refused."""
    data = folders["data"]
    locked(data)
    (data / "briefings").mkdir(mode=0o700, exist_ok=True)
    briefing = data / "briefings" / "b.txt"
    briefing.write_text(WORD)
    key = keyfile.open_with_passphrase(data, PASS)
    with Store.open(data, key=key):
        cipher.use_key(data, None)  # as another process
        _, removed, _ = locking.settle_locked(data, PASS, "encrypt", "remove")
    assert removed == [briefing] and not briefing.exists()


def test_plain_mode_says_the_locked_clinic_once(folders: dict[str, Path]) -> None:
    from kapprep.crisis_outside import locked_card
    from kapprep.plain.core import card_lines

    data = folders["data"]
    locked(data)
    (data / "kapprep.db.crisis.json").write_text('{"clinic_phone": "+47 22 00 00 00"}')
    lines = "\n".join(card_lines(locked_card(data)))
    assert "Your clinic: +47 22 00 00 00." in lines  # was "Your clinic, your clinic: …"


def test_passphrase_and_recover_on_a_lock_that_did_not_finish_say_the_data_is_not_locked(
    folders: dict[str, Path], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A lock stopped after its key file was written and before the swap leaves a key file
    beside the plain database (not a lock). `kapprep passphrase` then said "Your passphrase was
    changed", and the patient believed the data locked."""
    from tests.unit.test_lock import a_store

    data = folders["data"]
    a_store(data)
    stopped_before_the_swap(monkeypatch, locking.lock, data)
    assert (data / keyfile.KEY_FILE).exists() and not cipher.is_locked(data)
    new = "another good passphrase"
    assert kapprep(data, "passphrase", "--passphrase-fd", fd_with(PASS, new)) == 1
    assert "not locked" in capsys.readouterr().err
    code = "0000-0000-0000-0000-0000-0000"
    assert kapprep(data, "recover", "--passphrase-fd", fd_with(code, new)) == 1
    assert "not locked" in capsys.readouterr().err
    with Store.open(data) as store:  # plain, as it was
        assert f"{WORD} before" in store.notes(1).values()
    assert kapprep(data, "lock", "--yes", "--passphrase-fd", fd_with(new)) == 0  # then it locks
    assert cipher.is_locked(data) and not (data / "kapprep.db.locking").exists()


def test_the_apps_calendar_file_is_listed_as_plain(folders: dict[str, Path]) -> None:
    """The app saves its calendar to calendar/kapprep.ics in the data folder (session times, the
    clinic's name): the lock's listing looked only in briefings/ and exports/."""
    data = folders["data"]
    locked(data)
    (data / "calendar").mkdir(mode=0o700)
    ics = data / "calendar" / "kapprep.ics"
    ics.write_text(f"BEGIN:VCALENDAR\nSUMMARY:{WORD}\nEND:VCALENDAR\n")
    assert ics in locking.plain_leftovers(data).files
