"""A data folder kapprep cannot write to still shows, lists and exports what is saved, changes
nothing there, and refuses a change calmly.

As root every folder is writable, so the folder is made to read as unwritable (`os.access`), and
the test checks that no file in it is made or touched; `test_as_nobody` runs the real thing as
the `nobody` user where that user can reach this Python."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from kapprep import plan as plans
from kapprep.cli import main
from kapprep.store import Store, StoreError, readonly


def state(folder: Path) -> dict[str, tuple[int, int]]:
    return {p.name: (p.stat().st_size, p.stat().st_mtime_ns) for p in sorted(folder.iterdir())}


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    data = tmp_path / "data"
    with Store.open(data) as store:
        store.add_session(datetime(2026, 12, 20, 10, tzinfo=UTC), clinic="Calm Clinic")
        plans.set_field(store, "home_address", "4 Elm Road")
    real = os.access

    def access(path: object, mode: int, **kw: object) -> bool:
        if mode == os.W_OK and Path(str(path)) == data:
            return False
        return real(path, mode)  # type: ignore[arg-type]

    monkeypatch.setattr(readonly.os, "access", access)
    monkeypatch.setenv("KAPPREP_CONFIG", str(tmp_path / "config"))
    monkeypatch.setattr(sys.stdin, "isatty", lambda: False)
    return data


def test_it_lists_shows_and_exports_and_changes_nothing(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = state(folder)
    assert main(["--data-dir", str(folder), "session", "list"]) == 0
    assert main(["--data-dir", str(folder), "plan", "show"]) == 0
    assert main(["--data-dir", str(folder), "export"]) == 0
    out = capsys.readouterr()
    assert "Calm Clinic" in out.out and "4 Elm Road" in out.out
    doc = json.loads(out.out[out.out.index('{"') :]) if '{"' in out.out else None
    assert doc is None or doc["format"] == "kapprep-export"
    assert "read-only here" in out.err
    assert state(folder) == before  # not a byte, not a new file (no backup, no check record)


def test_a_change_is_refused_calmly(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = state(folder)
    assert main(["--data-dir", str(folder), "session", "edit", "1", "--clinic", "Other"]) == 1
    err = capsys.readouterr().err
    assert "it is read-only" in err and "not your fault" not in err
    with Store.open(folder) as store:
        assert store.read_only
        with pytest.raises(StoreError, match="read-only"):
            store.tick(1, "stop-eating")
        assert store.sessions()[0].clinic == "Calm Clinic"
    assert state(folder) == before


def test_as_nobody() -> None:
    import shutil
    import tempfile

    base = Path(tempfile.mkdtemp())  # under /tmp itself: nobody cannot pass pytest's 0700 one
    try:
        _as_nobody(base)
    finally:
        shutil.rmtree(base, ignore_errors=True)


def _as_nobody(tmp_path: Path) -> None:
    if os.getuid() != 0:
        pytest.skip("needs root, to hand a folder to the nobody user")
    probe = subprocess.run(
        ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", sys.executable, "-c",
         "import kapprep"],
        capture_output=True, check=False,
    )  # fmt: skip
    if probe.returncode != 0:
        pytest.skip("the nobody user cannot run this Python (the clone sits in a private folder)")
    data = tmp_path / "data"
    with Store.open(data) as store:
        store.add_session(datetime(2026, 12, 20, 10, tzinfo=UTC), clinic="Calm Clinic")
    os.chmod(tmp_path, 0o755)
    for path in (data, *data.iterdir()):
        os.chown(path, 65534, 65534)
        os.chmod(path, 0o500 if path.is_dir() else 0o400)
    env = {**os.environ, "KAPPREP_CONFIG": str(tmp_path / "nowhere"), "HOME": str(tmp_path)}
    done = subprocess.run(
        ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", sys.executable, "-m",
         "kapprep", "--data-dir", str(data), "session", "list"],
        capture_output=True, text=True, env=env, check=False, stdin=subprocess.DEVNULL,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "Calm Clinic" in done.stdout
