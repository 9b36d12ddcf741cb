"""kapprep.files: private, atomic, and never over a file the user did not mean to replace."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from kapprep.cli import main
from kapprep.files import WriteError, write_private


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_new_file_is_private_and_complete(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        path = write_private(tmp_path / "out.json", b"{}")
    finally:
        os.umask(old)
    assert path.read_bytes() == b"{}" and mode(path) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]  # no temporary file left


def test_existing_file_is_kept_unless_replace(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("mine")
    path.chmod(0o644)
    with pytest.raises(WriteError, match="already exists; add --force"):
        write_private(path, b"new")
    assert path.read_text() == "mine" and mode(path) == 0o644
    write_private(path, b"new", replace=True)
    assert path.read_text() == "new" and mode(path) == 0o600


def test_never_writes_over_a_device_or_into_proc() -> None:
    with pytest.raises(WriteError, match="not an ordinary file"):
        write_private("/dev/null", b"x", replace=True)
    if Path("/proc/version").exists():  # Linux: refused with a plain message, no traceback
        with pytest.raises(WriteError, match="could not write"):
            write_private("/proc/version", b"x", replace=True)


def test_symlinks_and_folders_and_missing_folders(tmp_path: Path) -> None:
    real = tmp_path / "real"
    real.write_text("keep")
    link = tmp_path / "link"
    link.symlink_to(real)
    with pytest.raises(WriteError, match="not an ordinary file"):
        write_private(link, b"x", replace=True)
    assert real.read_text() == "keep"
    with pytest.raises(WriteError, match="is a folder"):
        write_private(tmp_path, b"x")
    with pytest.raises(WriteError, match="no such folder"):
        write_private(tmp_path / "nope" / "x.txt", b"x")


def test_cli_refuses_to_overwrite_without_force(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """QA found `kapprep calendar -o /etc/passwd` replaced it (and made it 0600) as root."""
    data, out = tmp_path / "data", tmp_path / "existing.txt"
    out.write_text("precious")
    for argv in (["export", "-o", str(out)], ["plan", "export", "-o", str(out)]):
        assert main(["--data-dir", str(data), *argv]) == 1
        assert "already exists; add --force" in capsys.readouterr().err
        assert out.read_text() == "precious"
    assert main(["--data-dir", str(data), "export", "-o", str(out), "--force"]) == 0
    assert out.read_text().startswith("{")
