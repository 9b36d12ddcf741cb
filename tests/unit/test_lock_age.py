"""Encrypted exports (issue 25): Debian's `age` opens them, with an identity file and with a
passphrase typed at a pseudo-terminal (the standard library's `pty`), and `kapprep import` reads
them back into an identical store. With CI=true a missing `age` fails these tests; elsewhere it
skips them."""

from __future__ import annotations

import json
import os
import pty
import select
import shutil
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from kapprep.cli import main
from kapprep.store import Store, cipher, locking

PASS = "correct horse battery"
EXPORT_PASS = "a passphrase for the export"
WORD = "Quixotryzm"


def _age() -> str:
    found = shutil.which("age")
    if found is None:
        if os.environ.get("CI") == "true":
            pytest.fail("the age tool is not installed: .ci/run installs it (need age age)")
        pytest.skip("the age tool is not installed (apt-get install age)")
    return found


@pytest.fixture(autouse=True)
def _quick_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KAPPREP_KDF_MS", "1")
    monkeypatch.setattr(sys.stdin, "isatty", lambda: False)


def fd_with(*lines: str) -> str:
    read, write = os.pipe()
    os.write(write, "".join(f"{line}\n" for line in lines).encode())
    os.close(write)
    return str(read)


@pytest.fixture
def data(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    with Store.open(folder) as store:
        session = store.add_session(datetime(2026, 12, 3, 9, tzinfo=UTC), clinic="Fjord Clinic")
        store.set_note(session.id, "pack-bag", f"{WORD} in a note")
    locking.lock(folder, PASS)
    cipher.use_key(folder, None)
    return folder


def tables(folder: Path, key_pass: str = PASS) -> dict[str, object]:
    from kapprep.store import keyfile

    key = keyfile.open_with_passphrase(folder, key_pass) if cipher.is_locked(folder) else None
    with Store.open(folder, key=key, daily_backup=False) as store:
        doc = store.export_data()
    cipher.use_key(folder, None)
    return doc["tables"]  # type: ignore[no-any-return]


def test_age_opens_an_export_for_a_recipient_and_import_reads_it_back(
    data: Path, tmp_path: Path
) -> None:
    age = _age()
    keygen = shutil.which("age-keygen")
    assert keygen, "age-keygen comes with age"
    identity = tmp_path / "me.key"
    subprocess.run([keygen, "-o", str(identity)], check=True, capture_output=True)
    recipient = subprocess.run(
        [keygen, "-y", str(identity)], check=True, capture_output=True, text=True
    ).stdout.strip()
    out = tmp_path / "all.json.age"
    code = main(["--data-dir", str(data), "export", "-o", str(out), "--recipient", recipient,
                 "--passphrase-fd", fd_with(PASS)])  # fmt: skip
    assert code == 0
    assert WORD.encode() not in out.read_bytes()
    plain = subprocess.run(
        [age, "-d", "-i", str(identity), str(out)], check=True, capture_output=True
    ).stdout
    assert json.loads(plain)["tables"] == tables(data)

    other = tmp_path / "other"
    with Store.open(other):
        pass
    code = main(["--data-dir", str(other), "import", str(out), "--identity", str(identity),
                 "--yes"])  # fmt: skip
    assert code == 0
    assert tables(other) == tables(data)


def _age_with_passphrase(age: str, encrypted: Path, target: Path, passphrase: str) -> int:
    """Run `age -d` with its own terminal (a pty) and type the passphrase at its prompt."""
    pid, master = pty.fork()
    if pid == 0:  # the child: the pty is its controlling terminal, where age asks
        os.execv(age, [age, "-d", "-o", str(target), str(encrypted)])
    seen = b""
    deadline = time.monotonic() + 60
    typed = False
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([master], [], [], 1.0)
            if ready:
                try:
                    chunk = os.read(master, 1024)
                except OSError:
                    break  # the child closed the terminal
                if not chunk:
                    break
                seen += chunk
                if not typed and b"passphrase" in seen.lower():
                    os.write(master, passphrase.encode() + b"\r")
                    typed = True
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                return os.waitstatus_to_exitcode(status)
        _, status = os.waitpid(pid, 0)
        return os.waitstatus_to_exitcode(status)
    finally:
        os.close(master)


def test_age_opens_an_export_with_its_passphrase_at_a_terminal(data: Path, tmp_path: Path) -> None:
    age = _age()
    out = tmp_path / "all.age"
    code = main(["--data-dir", str(data), "export", "-o", str(out), "--encrypt",
                 "--passphrase-fd", fd_with(PASS, EXPORT_PASS)])  # fmt: skip
    assert code == 0
    assert out.read_bytes().startswith(b"age-encryption.org/v1\n-> scrypt ")
    target = tmp_path / "opened.json"
    assert _age_with_passphrase(age, out, target, EXPORT_PASS) == 0
    assert json.loads(target.read_bytes())["tables"] == tables(data)

    other = tmp_path / "other"
    with Store.open(other):
        pass
    code = main(["--data-dir", str(other), "import", str(out), "--yes",
                 "--passphrase-fd", fd_with(EXPORT_PASS)])  # fmt: skip
    assert code == 0
    assert tables(other) == tables(data)


def test_a_wrong_export_passphrase_is_one_line(
    data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "all.age"
    main(["--data-dir", str(data), "export", "-o", str(out), "--encrypt",
          "--passphrase-fd", fd_with(PASS, EXPORT_PASS)])  # fmt: skip
    capsys.readouterr()
    code = main(["--data-dir", str(data), "import", str(out), "--yes",
                 "--passphrase-fd", fd_with("not the one", PASS)])  # fmt: skip
    assert code == 1
    assert capsys.readouterr().err == (
        "kapprep: that passphrase does not open this file; nothing was changed\n"
    )


def test_the_journal_export_can_be_encrypted(data: Path, tmp_path: Path) -> None:
    out = tmp_path / "journal.md.age"
    code = main(["--data-dir", str(data), "journal", "export", "-o", str(out), "--encrypt",
                 "--passphrase-fd", fd_with(PASS, EXPORT_PASS)])  # fmt: skip
    assert code == 0
    from kapprep import agefile

    opened = agefile.decrypt(out.read_bytes(), passphrase=EXPORT_PASS)
    assert opened.startswith(b"#")  # Markdown, chosen by the name under .age
