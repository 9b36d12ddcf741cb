"""The data folder is ours, or refused: nothing kapprep does follows a link out of it or changes
a folder or file that belongs to someone else (tried as root with the `nobody` user)."""

from __future__ import annotations

import os
import pwd
import stat
from pathlib import Path

import pytest

from kapprep.store import Store, StoreError


def mode(path: Path) -> int:
    return stat.S_IMODE(os.lstat(path).st_mode)


@pytest.fixture
def target(tmp_path: Path) -> Path:
    """A file outside the data folder that kapprep must never write or chmod."""
    path = tmp_path / "elsewhere" / "precious.txt"
    path.parent.mkdir()
    path.write_text("do not touch")
    os.chmod(path, 0o644)
    return path


@pytest.mark.parametrize(
    "name", ["kapprep.db.checked", "kapprep.db", "kapprep.db-wal", "kapprep.db-shm"]
)
def test_a_link_where_our_file_should_be_is_refused_and_its_target_untouched(
    tmp_path: Path, target: Path, name: str
) -> None:
    folder = tmp_path / "data"
    Store.open(folder).close()  # a real store, then a link planted in place of one of its files
    (folder / name).unlink(missing_ok=True)
    (folder / name).symlink_to(target)
    with pytest.raises(StoreError) as told:
        Store.open(folder).close()
    assert str(folder / name) in str(told.value) and "symbolic link" in str(told.value)
    assert target.read_text() == "do not touch" and mode(target) == 0o644


def test_a_pipe_where_the_database_should_be_is_refused_without_opening_it(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir(mode=0o700)
    os.mkfifo(folder / "kapprep.db")
    with pytest.raises(StoreError, match="not an ordinary file"):
        Store.open(folder)


def _nobody() -> int:
    if os.getuid() != 0:
        pytest.skip("needs root, to make a folder that belongs to another user")
    try:
        return pwd.getpwnam("nobody").pw_uid
    except KeyError:
        pytest.skip("there is no user called nobody on this machine")


def test_a_shared_folder_of_another_user_is_refused_and_never_chmodded(tmp_path: Path) -> None:
    uid = _nobody()
    shared = tmp_path / "shared"
    shared.mkdir()
    theirs = shared / "their-file.txt"
    theirs.write_text("theirs")
    os.chown(shared, uid, uid)
    os.chown(theirs, uid, uid)
    os.chmod(shared, 0o1777)
    os.chmod(theirs, 0o600)
    with pytest.raises(StoreError, match="belongs to another user"):
        Store.open(shared)
    assert mode(shared) == 0o1777 and mode(theirs) == 0o600
    assert not (shared / "kapprep.db").exists()


def test_our_folder_open_to_everyone_with_strangers_files_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "open"
    folder.mkdir()
    (folder / "dropped-here.txt").write_text("?")
    os.chmod(folder, 0o777)
    with pytest.raises(StoreError, match="can be changed by other users"):
        Store.open(folder)
    assert mode(folder) == 0o777 and not (folder / "kapprep.db").exists()


def test_new_parents_are_private_whatever_the_umask(tmp_path: Path) -> None:
    old = os.umask(0)
    try:
        Store.open(tmp_path / "a" / "b" / "data").close()
    finally:
        os.umask(old)
    for path in (tmp_path / "a", tmp_path / "a" / "b", tmp_path / "a" / "b" / "data"):
        assert mode(path) == 0o700, path
    assert mode(tmp_path / "a" / "b" / "data" / "kapprep.db") == 0o600
