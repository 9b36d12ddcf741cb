"""Fixtures shared by the whole suite. Keep this small: feature fixtures live beside their tests."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]

VALID_CHECKLIST = """\
format: 1
id: sample
title: A sample checklist
phase: day-of
sources:
  - title: American Society of Ketamine Physicians
    url: https://askp.org
items:
  - id: sample-item
    text: Arrive ten minutes early
    due: -10m
"""
"""A minimal valid checklist; tests edit it to make one mistake at a known line."""


@pytest.fixture(autouse=True)
def _isolated_config(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """No test reads the real user's config or data folder."""
    root = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("KAPPREP_CONFIG", str(root / "config"))
    monkeypatch.setenv("KAPPREP_HOME", str(root / "data"))


@pytest.fixture
def write(tmp_path: Path) -> Callable[..., Path]:
    """write("name.yaml", text_or_bytes, folder="sub") -> the path written under tmp_path."""

    def _write(name: str, content: str | bytes, folder: str = "") -> Path:
        path = tmp_path / folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        return path

    return _write
