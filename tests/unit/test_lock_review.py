"""The lock's review (issue 25): defects found after the merge, each shown by a test here."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kapprep.store import Store, StoreError, cipher, keyfile, locking
from tests.unit.test_lock import PASS, folders, locked

__all__ = ["folders"]  # the fixture, shared with test_lock


@pytest.fixture(autouse=True)
def _quick_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KAPPREP_KDF_MS", "1")


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

