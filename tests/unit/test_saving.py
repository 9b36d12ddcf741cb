"""`kapprep.saving`: where a typed place puts the file, asking before replacing, privacy told."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

import kapprep.saving
from kapprep.saving import SaveError, resolve, resolve_folder, save


def test_a_typed_folder_gets_the_usual_name_and_a_bare_name_its_ending(tmp_path: Path) -> None:
    default = tmp_path / "private"
    assert resolve("", "briefing-1.pdf", default) == default / "briefing-1.pdf"
    assert resolve(str(tmp_path), "briefing-1.pdf", default) == tmp_path / "briefing-1.pdf"
    assert resolve(str(tmp_path / "for-sam"), "b.vcf", default) == tmp_path / "for-sam.vcf"
    with pytest.raises(SaveError, match=r"ends in \.pdf; b\.txt does not"):
        resolve(str(tmp_path / "b.txt"), "b.pdf", default)
    with pytest.raises(SaveError, match="There is no folder"):
        resolve(str(tmp_path / "nope" / "b.pdf"), "b.pdf", default)
    with pytest.raises(SaveError, match="There is no folder"):
        resolve_folder(str(tmp_path / "nope"), default)


def test_nothing_is_replaced_unless_asked_and_the_default_folder_is_made_private(
    tmp_path: Path,
) -> None:
    default = tmp_path / "private"
    told = save({default / "a.txt": b"one"}, default)
    assert told == f"Saved to {default / 'a.txt'}."
    assert stat.S_IMODE(default.stat().st_mode) == 0o700
    assert stat.S_IMODE((default / "a.txt").stat().st_mode) == 0o600
    with pytest.raises(SaveError) as caught:
        save({default / "a.txt": b"two", default / "b.txt": b"two"}, default)
    assert caught.value.exists == (default / "a.txt",)
    assert not (default / "b.txt").exists(), "nothing written while one file is in the way"
    save({default / "a.txt": b"two"}, default, replace=frozenset({default / "a.txt"}))
    assert (default / "a.txt").read_bytes() == b"two"


def test_a_drive_that_cannot_keep_it_private_is_said(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(kapprep.saving, "_mode", lambda path: 0o100777)  # as FAT reports it
    told = save({tmp_path / "a.txt": b"x"}, tmp_path / "private")
    assert "cannot keep files private" in told and "anyone using it can read" in told
