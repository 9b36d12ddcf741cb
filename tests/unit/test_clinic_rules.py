"""No driving or decision rule of kapprep's own: the clinic decides. Only `kapprep.clinic_rules`
says what many clinics say; nothing counts down to a driving time or says it "has passed"."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import CLINIC_RULES_FILE as CLINIC_FILE
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


# -- the clinic's rules as data -----------------------------------------------------------------


def test_a_clinic_file_states_its_rules(tmp_path: Path) -> None:
    from datetime import timedelta

    from kapprep.checklists import load_layers

    (tmp_path / "after.yaml").write_text(CLINIC_FILE)
    rules = load_layers([tmp_path]).clinic_rules
    assert rules.driving is not None and rules.driving.after == timedelta(hours=24)
    assert rules.decisions is not None and rules.decisions.words == "not until you have slept on it"
    assert (rules.check_in_minutes, rules.blood_pressure) == (15, ("before", "after"))
    shipped = load_layers([REPO_ROOT / "checklists"]).clinic_rules
    assert (shipped.driving, shipped.decisions) == (None, None)  # kapprep states none


@pytest.mark.parametrize(
    ("line", "value", "message"),
    [(9, "99 days", "not between 1 hour and 14 days"), (11, "lots", "number of minutes"),
     (12, "[before, during]", 'not "during"'), (10, "", "is empty")],
)  # fmt: skip
def test_a_clinic_rules_mistake_is_told_with_its_place(
    tmp_path: Path, line: int, value: str, message: str
) -> None:
    from kapprep.checklists import validate_paths

    lines = CLINIC_FILE.splitlines()
    key = lines[line - 1].split(":")[0]
    lines[line - 1] = f"{key}: {value}"
    (tmp_path / "bad.yaml").write_text("\n".join(lines) + "\n")
    _, problems = validate_paths([tmp_path / "bad.yaml"])
    assert [p.line for p in problems] == [line] and message in problems[0].message


def test_what_the_patient_typed_wins_over_the_clinic_file() -> None:
    from datetime import timedelta

    from kapprep.clinic_rules import ClinicRules, effective, parse_rule

    files = ClinicRules(driving=parse_rule("36h", "clinic.yaml"))
    mine = effective(files, {"driving": "the next day after a night's sleep"})
    assert mine.driving is not None and mine.driving.source == "you"
    assert effective(files, {}).driving == files.driving
    assert effective(files, {"driving": "999 days"}).driving == files.driving  # unreadable: skipped
    assert effective(ClinicRules(), None).driving is None
    assert parse_rule("2 days", "x").after == timedelta(days=2)


def test_the_sentences_for_a_rule() -> None:
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    from kapprep.clinic_rules import parse_rule, sentence

    end = datetime(2026, 12, 3, 11, 30, tzinfo=ZoneInfo("Europe/London"))
    rule = parse_rule("24 hours", "clinic.yaml")
    assert sentence("driving", rule, end) == (
        "No driving until 24 hours after your session ends, as your clinic says (Fri 04 Dec 11:30)."
    )
    # without the session's length: no clock time
    assert sentence("driving", rule, None).endswith("after your session ends, as your clinic says.")
    words = parse_rule("not until you have slept on it", "you")
    assert sentence("decisions", words, end) == (
        "No big decisions or legal papers: your clinic says not until you have slept on it."
    )
    assert sentence("driving", None, end) == DRIVING_DEFAULT
    assert sentence("driving", parse_rule("36h", "x"), end - timedelta(days=9)).count("(") == 1


def test_clinic_rules_from_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from kapprep.cli import main

    data = ["--data-dir", str(tmp_path / "d")]
    (tmp_path / "clinic").mkdir()
    (tmp_path / "clinic" / "after.yaml").write_text(CLINIC_FILE)
    assert main([*data, "clinic-rules"]) == 0
    assert "no rule noted: kapprep says your clinic decides" in capsys.readouterr().out
    assert main([*data, "--checklists", str(tmp_path / "clinic"), "clinic-rules"]) == 0
    assert "24 hours after your session ends" in capsys.readouterr().out
    assert main([*data, "clinic-rules", "set", "driving", "the next day"]) == 0
    out = capsys.readouterr().out
    assert "No driving: your clinic says the next day. (you noted it)" in out
    assert main([*data, "clinic-rules", "set", "decisions", "99 days"]) == 1
    assert "not between 1 hour and 14 days" in capsys.readouterr().err
    assert main([*data, "clinic-rules", "clear", "driving"]) == 0
    assert "no rule noted" in capsys.readouterr().out.splitlines()[0]


def test_a_clinic_files_rule_reaches_the_briefing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from kapprep.cli import main

    data = ["--data-dir", str(tmp_path / "d")]
    (tmp_path / "clinic").mkdir()
    (tmp_path / "clinic" / "after.yaml").write_text(CLINIC_FILE)
    assert main([*data, "briefing"]) == 0
    assert "No driving today. Your clinic tells you when you may drive again" in (
        " ".join(capsys.readouterr().out.split())
    )
    assert main([*data, "--checklists", str(tmp_path / "clinic"), "briefing"]) == 0
    text = " ".join(capsys.readouterr().out.split())
    assert "No driving until 24 hours after your session ends, as your clinic says" in text
    assert main([*data, "clinic-rules", "set", "driving", "the day after, following sleep"]) == 0
    capsys.readouterr()
    assert main([*data, "--checklists", str(tmp_path / "clinic"), "briefing"]) == 0
    text = " ".join(capsys.readouterr().out.split())
    assert "No driving: your clinic says the day after, following sleep." in text
