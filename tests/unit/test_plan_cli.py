"""`kapprep briefing` and `kapprep plan …` from a shell: outputs, files, errors as one line."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest
from briefing_samples import NAME
from pypdf import PdfReader

from kapprep.cli import main


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "data"
    monkeypatch.setenv("KAPPREP_HOME", str(folder))
    monkeypatch.setenv("LANG", "en_GB.UTF-8")
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_TELEPHONE", raising=False)
    monkeypatch.chdir(tmp_path)
    return folder


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def fill(capsys: pytest.CaptureFixture[str]) -> None:
    for key, value in {
        "my_name": "Alex",
        "clinic": "Calm Clinic",
        "clinic_address": "12 High St",
        "clinic_phone": "0113 496 0000",
        "home_address": "4 Elm Road",
        "emergency_number": "999",
        "session_minutes": "60",
        "recovery_minutes": "90",
    }.items():
        assert run(capsys, "plan", "set", key, value)[0] == 0
    code, out, err = run(
        capsys,
        "plan",
        "person",
        "add",
        NAME,
        "--phone",
        "07911 123456",
        "--roles",
        "drives_there,collects_after,stays_with_me",
        "--stay-until",
        "9 am",
    )
    assert code == 0, err
    assert "+44 7911 123456" in out
    assert run(capsys, "session", "add", "2030-12-03 10:00")[0] == 0


def test_plan_set_validates_and_names_the_field(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "plan", "set", "clinic_phone", "0113 496 0000")
    assert code == 0 and out == "Clinic phone: +44 113 496 0000\n"
    code, _, err = run(capsys, "plan", "set", "clinic_phone", "12")
    assert code == 1 and err.startswith("kapprep: Clinic phone: that is not a phone number")
    assert "Traceback" not in err
    code, _, err = run(capsys, "plan", "set", "nope", "x")
    assert code == 1 and "no plan field called 'nope'" in err


def test_briefing_text_goes_to_stdout_with_missing_on_stderr(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "briefing")
    assert code == 0
    assert out.startswith("SUPPORT BRIEFING")
    assert "not set yet" in err and "Clinic phone" in err
    fill(capsys)
    code, out, err = run(capsys, "briefing")
    assert code == 0 and err == ""
    assert NAME in out and "+44 113 496 0000" in out
    assert out.index("999") < out.index("+44 113 496 0000") < out.index("THE DAY")


@pytest.mark.parametrize(
    ("fmt", "start"), [("md", "# Supporting Alex"), ("html", "<!DOCTYPE html>")]
)
def test_briefing_formats_to_a_private_file(
    home: Path, capsys: pytest.CaptureFixture[str], fmt: str, start: str
) -> None:
    fill(capsys)
    code, out, _ = run(capsys, "briefing", "-o", f"b.{fmt}")
    assert code == 0 and "Saved the briefing to b." in out
    path = Path(f"b.{fmt}")
    assert path.read_text(encoding="utf-8").startswith(start)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_pdf_without_output_is_saved_in_the_private_folder(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fill(capsys)
    code, out, _ = run(capsys, "briefing", "--format", "pdf", "--paper", "letter", "--for", "zoë")
    assert code == 0
    path = Path(out.strip().removeprefix("Saved the briefing to "))
    assert path.parent == home / "briefings" and path.suffix == ".pdf"
    reader = PdfReader(path)
    assert round(float(reader.pages[0].mediabox.width)) == 612
    assert "Your part" in reader.pages[0].extract_text()


def test_print_without_lp_says_where_the_pdf_is(
    home: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(home))  # no lp here
    code, _, err = run(capsys, "briefing", "--print")
    assert code == 1
    assert "no printer command (lp)" in err and "briefings/briefing-" in err
    assert "Traceback" not in err


def test_print_with_lp(
    home: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    bin_dir = home.parent / "bin"
    bin_dir.mkdir()
    log = home.parent / "lp.log"
    lp = bin_dir / "lp"
    lp.write_text(f'#!/bin/sh\necho "$@" > {log}\n')
    lp.chmod(0o755)
    monkeypatch.setenv("PATH", str(bin_dir))
    code, out, _ = run(capsys, "briefing", "--print", "-o", "x.pdf")
    assert code == 0 and "Sent the briefing to the printer" in out
    assert log.read_text().strip().endswith("x.pdf")


def test_briefing_errors_are_one_line(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "briefing", "--for", "Kim")
    assert code == 1 and "nobody called 'Kim'" in err
    code, _, err = run(capsys, "briefing", "-o", "no/such/folder/b.txt")
    assert code == 1 and "no such folder" in err
    code, _, err = run(capsys, "briefing", "--print", "--format", "md")
    assert code == 1 and "--print sends a PDF" in err
    with pytest.raises(SystemExit) as exc:
        main(["briefing", "--format", "doc"])
    assert exc.value.code == 2


def test_plan_export_import_round_trip(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    fill(capsys)
    code, exported, _ = run(capsys, "plan", "export")
    assert code == 0
    doc = json.loads(exported)
    assert doc["people"][0]["name"] == NAME
    Path("plan.json").write_text(exported, encoding="utf-8")
    assert run(capsys, "plan", "person", "remove", "1")[0] == 0
    code, out, _ = run(capsys, "plan", "import", "plan.json", "--yes")
    assert code == 0 and "1 people" in out
    assert json.loads(run(capsys, "plan", "export")[1]) == doc


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{bad", "plan.json:1:2: not valid JSON"),
        (
            '{"format": "kapprep-plan", "version": 1, "people": [{"phone": "1"}]}',
            "people[0]: Phone",
        ),
        ("[]", "expected a JSON object"),
    ],
)
def test_plan_import_refuses_bad_files(
    home: Path, capsys: pytest.CaptureFixture[str], content: str, message: str
) -> None:
    Path("plan.json").write_text(content, encoding="utf-8")
    code, _, err = run(capsys, "plan", "import", "plan.json")
    assert code == 1 and message in err and "Traceback" not in err
    code, _, err = run(capsys, "plan", "import", "missing.json")
    assert code == 1 and "no such file" in err


def test_person_edit_and_show(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    fill(capsys)
    code, _, err = run(
        capsys, "plan", "person", "edit", "zoë", "--relationship", "partner", "--roles", "checks_in"
    )
    assert code == 0, err
    code, out, _ = run(capsys, "plan", "show")
    assert f"1. {NAME} (partner)" in out and "roles: checks in the next day" in out
    assert "Not set yet: someone who collects you after" in out
    code, _, err = run(capsys, "plan", "person", "edit", "3", "--phone", "1")
    assert code == 1 and "no person number 3" in err
    code, _, err = run(capsys, "plan", "person", "edit", "1", "--phone", "1")
    assert code == 1 and "Phone:" in err


def test_the_briefing_command_never_imports_textual(home: Path) -> None:
    import subprocess
    import sys

    code = (
        "import sys; from kapprep.cli import main; rc = main(['briefing', '-f', 'md']); "
        "sys.exit(3 if 'textual' in sys.modules else rc)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("# Support briefing")
