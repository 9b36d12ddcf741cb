"""The public YAML test suite as a robustness corpus: none of its inputs is a checklist, so every
one must be refused with its file named in every message, a sane line and column, and no
traceback or hang — whether the YAML is valid, invalid, or uses anchors, tags and directives.

A vendored subset (tests/data/yaml-test-suite, MIT) always runs; the whole suite runs when
`../shared/corpora/yaml-test-suite/` is beside the clone (as in CI)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO_ROOT
from kapprep.checklists import validate_paths

VENDORED = REPO_ROOT / "tests" / "data" / "yaml-test-suite"


def _shared_corpus() -> Path | None:
    # CI: ../shared beside the clone. Here, worktrees sit one level deeper (../../shared).
    for base in (REPO_ROOT.parent, REPO_ROOT.parent.parent):
        folder = base / "shared" / "corpora" / "yaml-test-suite"
        if folder.is_dir():
            return folder
    return None


SHARED = _shared_corpus()
needs_shared = pytest.mark.skipif(
    SHARED is None,
    reason="the full YAML test suite is not beside the clone (../shared/corpora/yaml-test-suite)",
)


def _check_refused(folder: Path) -> int:
    inputs = sorted(folder.glob("*.yaml"))
    assert inputs
    for path in inputs:
        checklists, problems = validate_paths([path])
        assert checklists == [], path.name
        assert problems, path.name
        text_lines = max(1, path.read_bytes().count(b"\n") + 1)
        for problem in problems:
            assert problem.path == str(path)
            assert str(problem).startswith(f"{path}:{problem.line}:{problem.col}: ")
            assert problem.line in range(1, text_lines + 1), (path.name, problem)
            assert problem.col >= 1
            assert problem.message and "\n" not in problem.message
            assert "Traceback" not in problem.message
    return len(inputs)


def test_vendored_subset_is_refused_cleanly() -> None:
    assert _check_refused(VENDORED) == 21
    assert (VENDORED / "LICENSE").read_text().startswith("MIT License")


def _run_cli(folder: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT / "src")}
    return subprocess.run(
        [sys.executable, "-m", "kapprep", "checklists", "validate", str(folder)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


def test_cli_names_every_vendored_file_and_counts() -> None:
    result = _run_cli(VENDORED)
    assert result.returncode == 1
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    for path in VENDORED.glob("*.yaml"):
        assert any(line.startswith(f"{path}:") for line in lines), path.name
    assert lines[-1].endswith(" in 21 files")


@needs_shared
def test_whole_yaml_test_suite_is_refused_cleanly() -> None:
    assert SHARED is not None
    assert _check_refused(SHARED) == 402


@needs_shared
def test_cli_on_the_whole_yaml_test_suite() -> None:
    assert SHARED is not None
    result = _run_cli(SHARED)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines()[-1].endswith(" in 402 files")
