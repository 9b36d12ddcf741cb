"""A save made while the data is locked says the file is not protected by the lock."""

from __future__ import annotations

from pathlib import Path

import pytest

from kapprep.lock_note import lock_note
from kapprep.store import cipher, locking
from kapprep.store.locking import plain_leftovers


@pytest.fixture(autouse=True)
def _quick_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KAPPREP_KDF_MS", "1")


def test_a_save_of_plain_data_says_nothing_more(tmp_path: Path) -> None:
    from kapprep.store import Store

    with Store.open(tmp_path / "data") as store:
        assert lock_note(store.folder, store.folder / "briefings" / "b.html") == ""


def test_a_save_of_locked_data_says_it_is_not_protected_and_where_it_is_listed(
    tmp_path: Path,
) -> None:
    from kapprep.store import Store

    data = tmp_path / "data"
    Store.open(data).close()
    locking.lock(data, "correct horse battery")
    inside = data / "briefings" / "b.html"
    told = lock_note(data, inside)
    assert "not protected by the lock" in told and "kapprep lock" in told
    inside.parent.mkdir(mode=0o700, exist_ok=True)
    inside.write_text("plain")
    assert inside in plain_leftovers(data).files  # where the note says it is listed
    assert "kapprep lock" in lock_note(data, data / "calendar" / "kapprep.ics")
    assert "kapprep lock" not in lock_note(data, data / "b.html")  # not where the listing looks
    elsewhere = lock_note(data, tmp_path / "stick" / "b.html")
    assert "not protected by the lock" in elsewhere and "kapprep lock" not in elsewhere
    assert lock_note(data, None) == ""
    cipher.use_key(data, None)
