"""No driving or decision rule of kapprep's own: the clinic decides. Only `kapprep.clinic_rules`
says what many clinics say; nothing counts down to a driving time or says it "has passed"."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import REPO_ROOT
from kapprep.clinic_rules import DECISIONS_DEFAULT, DRIVING_DEFAULT

RULES = re.compile(
    r"until the next day|until tomorrow|next morning|for 24 hours|for 24 h\b"
    r"|(?:driv|decision|24 hours)[^.\n]{0,60}ha(?:s|ve) passed"
    r"|driv\w*[^.\n]{0,40}\b\d{1,2}[:.]\d{2}|\b\d{1,2}[:.]\d{2}[^.\n]{0,40}driv",
    re.IGNORECASE,
)
THE_ONE_PLACE = REPO_ROOT / "src" / "kapprep" / "clinic_rules.py"


def _files() -> list[Path]:
    src = REPO_ROOT / "src" / "kapprep"
    return [
        *(p for p in src.rglob("*.py") if p != THE_ONE_PLACE),
        *(p for p in src.rglob("*.tcss")),
        *(REPO_ROOT / "checklists").glob("*.yaml"),
        *(REPO_ROOT / "docs").glob("*.md"),
        REPO_ROOT / "README.md",
    ]


def test_no_driving_or_decision_rule_of_our_own() -> None:
    found = []
    for path in _files():
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            m = RULES.search(line)
            if m:
                found.append(f"{path.relative_to(REPO_ROOT)}:{n}: {m.group(0)!r}")
    assert found == []


@pytest.mark.parametrize("text", [DRIVING_DEFAULT, DECISIONS_DEFAULT])
def test_the_one_place_says_the_clinic_decides(text: str) -> None:
    assert "Your clinic tells you" in text and "many say" in text
    assert not re.search(r"\d{1,2}[:.]\d{2}", text)  # no clock time
