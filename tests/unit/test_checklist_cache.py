"""The app's cache of parsed checklists: the same set as reading the files, read again whenever a
file changes, never in the way when it is damaged, and no PyYAML while it is valid."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import pytest

from conftest import REPO_ROOT, TIMED_CHECKLIST
from kapprep import paths
from kapprep.checklist_cache import CACHE_NAME, cached_layers
from kapprep.checklists import ChecklistSet, load_layers


class Counting:
    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, layers: Sequence[Path]) -> ChecklistSet:
        self.calls += 1
        return load_layers(layers)


@pytest.fixture
def layers(tmp_path: Path) -> list[Path]:
    clinic = tmp_path / "clinic"
    clinic.mkdir()
    (clinic / "ours.yaml").write_text(TIMED_CHECKLIST)
    (clinic / "bad.yaml").write_text("format: 1\nid: bad\ntitle: [\n")
    return [paths.shipped_checklists_dir(), clinic]


def test_the_cache_gives_the_same_set_as_the_files(layers: list[Path], tmp_path: Path) -> None:
    read = Counting()
    first = cached_layers(layers, tmp_path / "cache", read)
    again = cached_layers(layers, tmp_path / "cache", read)
    assert read.calls == 1  # the second came from the cache
    assert again == first == load_layers(layers)
    assert [str(p) for p in again.problems] == [str(p) for p in first.problems] != []
    assert again.item("stop-eating") == first.item("stop-eating")
    mode = stat.S_IMODE(os.stat(tmp_path / "cache" / CACHE_NAME).st_mode)
    assert mode == 0o600


@pytest.mark.parametrize("change", ["edit", "add", "remove", "touch"])
def test_a_changed_file_is_read_again(layers: list[Path], tmp_path: Path, change: str) -> None:
    read = Counting()
    cached_layers(layers, tmp_path / "cache", read)
    ours = layers[1] / "ours.yaml"
    if change == "edit":
        ours.write_text(TIMED_CHECKLIST.replace("Pack a bag", "Pack a small bag"))
    elif change == "add":
        (layers[1] / "more.yaml").write_text(
            TIMED_CHECKLIST.replace("test-", "more-").replace("id: more-prep", "id: more")
        )
    elif change == "remove":
        (layers[1] / "bad.yaml").unlink()
    else:  # same bytes, a new modification time
        st = ours.stat()
        os.utime(ours, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000))
    fresh = cached_layers(layers, tmp_path / "cache", read)
    assert read.calls == 2 and fresh == load_layers(layers)


@pytest.mark.parametrize("damage", [b"", b"{not json", b'{"key": 1}', b'{"key": [], "set": 5}'])
def test_a_damaged_cache_is_not_in_the_way(
    layers: list[Path], tmp_path: Path, damage: bytes
) -> None:
    (tmp_path / "cache").mkdir()
    (tmp_path / "cache" / CACHE_NAME).write_bytes(damage)
    read = Counting()
    assert cached_layers(layers, tmp_path / "cache", read) == load_layers(layers)
    assert read.calls == 1
    assert json.loads((tmp_path / "cache" / CACHE_NAME).read_text())["key"]  # written anew


def test_a_damaged_cache_that_matches_its_key_is_read_again(
    layers: list[Path], tmp_path: Path
) -> None:
    cached_layers(layers, tmp_path / "cache", Counting())
    path = tmp_path / "cache" / CACHE_NAME
    doc = json.loads(path.read_text())
    doc["set"]["checklists"][0]["items"][0][5] = "soon"  # a due text that does not read
    path.write_text(json.dumps(doc))
    read = Counting()
    assert cached_layers(layers, tmp_path / "cache", read) == load_layers(layers)
    assert read.calls == 1


def test_the_apps_checklists_need_no_yaml_once_cached(tmp_path: Path) -> None:
    """In a fresh interpreter: the first start reads the files; the next builds home's timeline
    (the journal's prompts included) with no PyYAML."""
    from datetime import UTC, datetime

    from kapprep.store import Store

    with Store.open(tmp_path / "data") as store:
        store.add_session(datetime(2026, 12, 3, 10, tzinfo=UTC))
    code = f"""
import sys
from pathlib import Path
from kapprep import paths
from kapprep.ui.app import build_app
from kapprep.ui.common import current_session, session_timeline
app = build_app(data_dir=Path({str(tmp_path / "data")!r}), checklist_dirs=paths.checklist_layers([]))
line = session_timeline(app.ctx, current_session(app.ctx), app.ctx.clock())
print(len(line.entries), "yaml" in sys.modules, "kapprep.checklists" in sys.modules)
app.ctx.store.close()
"""
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT / "src")}
    runs = [
        subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
        ).stdout.split()
        for _ in range(2)
    ]
    assert runs[0][1:] == ["True", "True"]  # read from the files, then cached
    assert runs[1][1:] == ["False", "False"]  # from the cache: no YAML, no validator
    assert runs[0][0] == runs[1][0] and int(runs[0][0]) > 40
