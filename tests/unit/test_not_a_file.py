"""A FIFO (or a device) named like a file is refused at once, never read: `validate`, `import`
and `plan import` waited for a writer forever."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO_ROOT

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")


def _kapprep(tmp_path: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT / "src")}
    return subprocess.run(
        [sys.executable, "-m", "kapprep", "--data-dir", str(tmp_path / "d"), *argv],
        capture_output=True,
        text=True,
        timeout=30,  # a hang fails the test instead of stopping the suite
        env=env,
        stdin=subprocess.DEVNULL,
        check=False,
    )


@pytest.mark.parametrize(
    ("name", "argv", "told"),
    [
        ("list.yaml", ["checklists", "validate"], "is not a file (a pipe or a device)"),
        ("data.json", ["import"], "is not a file (a pipe or a device)"),
        ("plan.json", ["plan", "import"], "not a file (a pipe or a device)"),
    ],
)
def test_a_fifo_is_refused_at_once(tmp_path: Path, name: str, argv: list[str], told: str) -> None:
    fifo = tmp_path / name
    os.mkfifo(fifo)
    done = _kapprep(tmp_path, *argv, str(fifo))
    assert done.returncode == 1, done.stderr
    assert told in done.stdout + done.stderr
    assert "Traceback" not in done.stderr


def test_a_regular_file_still_reads(tmp_path: Path) -> None:
    from kapprep.files import read_regular

    path = tmp_path / "x.yaml"
    path.write_bytes(b"abcdef")
    assert read_regular(path, 4) == b"abcd"
    with pytest.raises(IsADirectoryError):
        read_regular(tmp_path, 4)
    with pytest.raises(FileNotFoundError):
        read_regular(tmp_path / "nope", 4)
