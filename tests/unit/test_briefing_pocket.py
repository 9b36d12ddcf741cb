"""The briefing's contacts (vCard read back with vobject), its QR code (rendered with pdftoppm,
read with zbarimg) and the check-in log for a session at home."""

from __future__ import annotations

import io
import re
import stat
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest
import vobject
from briefing_samples import NAME, SESSION, typical_plan
from need_tool import need_tool
from pypdf import PdfReader

from kapprep.briefing import build_briefing, render
from kapprep.cli import main
from kapprep.clinic_rules import ClinicRules
from kapprep.documents.model import Document
from kapprep.documents.vcard import render_vcard
from kapprep.plan import Person, Plan

AT_HOME = replace(SESSION, place_kind="home")


def _cards(briefing: Document) -> dict[str, vobject.base.Component]:
    found = list(vobject.readComponents(render_vcard(briefing)))
    assert all(card.version.value == "3.0" for card in found)
    return {card.fn.value: card for card in found}


def _tels(card: vobject.base.Component) -> list[tuple[str, list[str]]]:
    return [(t.value, t.params.get("TYPE", [])) for t in card.contents["tel"]]


def test_the_vcard_read_back_holds_every_name_number_and_role() -> None:
    cards = _cards(build_briefing(typical_plan(), SESSION, region="GB", country="US"))
    assert list(cards) == [
        "Emergency 999",
        "Crisis line 988 Suicide & Crisis Lifeline",
        "Clinic — Calm Waters Clinic",
        "Clinic — Calm Waters Clinic, out of hours",
        "Alex Morgan",
        NAME,
        "Sam Patel",
        "Fireside Project",
    ]
    assert _tels(cards["Emergency 999"]) == [("999", ["VOICE"])]
    assert _tels(cards["Crisis line 988 Suicide & Crisis Lifeline"]) == [("988", ["VOICE", "MSG"])]
    assert _tels(cards["Clinic — Calm Waters Clinic"]) == [("+441134960000", ["VOICE"])]
    assert _tels(cards[NAME]) == [("+447911123456", ["VOICE", "MSG"])]  # a mobile takes texts
    assert _tels(cards["Fireside Project"]) == [("+16234737433", ["VOICE", "MSG"])]
    assert cards[NAME].note.value == "partner; drives there, collects after, stays after"
    assert cards["Sam Patel"].note.value == "friend; checks in next day, integration buddy"
    assert cards["Alex Morgan"].note.value == "the person you support"
    assert "text 988" in cards["Crisis line 988 Suicide & Crisis Lifeline"].note.value
    assert cards["Clinic — Calm Waters Clinic, out of hours"].note.value == (
        "the clinic, out of hours"
    )
    assert "Fireside Project (peer support, not for emergencies)" in (
        cards["Fireside Project"].note.value
    )


def test_a_crisis_line_with_its_own_text_number_gets_both_on_one_card() -> None:
    cards = _cards(build_briefing(typical_plan(), SESSION, region="GB", country="AU"))
    assert _tels(cards["Crisis line Lifeline"]) == [
        ("131114", ["VOICE"]),
        ("+61477131114", ["MSG"]),
    ]


def test_the_vcard_is_crlf_folded_and_escapes_what_people_type() -> None:
    person = Person(1, 'Jo; "Bo", \\ Lee ' + "長い名前" * 12, "sister, older", "+44 7911 123456")
    plan = replace(typical_plan(), people=(person,))
    text = render_vcard(build_briefing(plan, SESSION, region="GB", country="GB"))
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    cards = {c.fn.value: c for c in vobject.readComponents(text)}
    assert person.name in cards
    assert cards[person.name].note.value == "sister, older"


def test_no_card_for_a_number_that_is_not_set_or_the_generic_sentence() -> None:
    plan = Plan(values={"my_name": "Alex"})
    cards = _cards(build_briefing(plan, None))
    assert cards == {}, "no numbers typed, no country: nothing worth saving"


def test_briefing_format_vcf_on_the_command_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("KAPPREP_HOME", str(tmp_path / "data"))
    monkeypatch.chdir(tmp_path)
    for key, value in {"clinic": "Calm Clinic", "clinic_phone": "+44 113 496 0000"}.items():
        assert main(["plan", "set", key, value]) == 0
    assert main(["settings", "set", "country", "GB"]) == 0
    assert main(["briefing", "-o", "helpers.vcf"]) == 0
    saved = tmp_path / "helpers.vcf"
    assert stat.S_IMODE(saved.stat().st_mode) == 0o600
    cards = {c.fn.value: c for c in vobject.readComponents(saved.read_text(encoding="utf-8"))}
    assert cards["Clinic — Calm Clinic"].tel.value == "+441134960000"
    assert cards["Crisis line Samaritans"].tel.value == "116123"
    capsys.readouterr()
    assert main(["briefing", "--format", "vcf"]) == 0
    assert capsys.readouterr().out.startswith("BEGIN:VCARD")


# --------------------------------------------------------------------------------------------
# The QR code


def _scan(pdf: bytes, tmp_path: Path) -> list[str]:
    pdftoppm = need_tool("pdftoppm", "poppler-utils")
    zbarimg = need_tool("zbarimg", "zbar-tools")
    (tmp_path / "b.pdf").write_bytes(pdf)
    subprocess.run(
        [pdftoppm, "-r", "300", "-png", "-f", "1", "-l", "1", str(tmp_path / "b.pdf"),
         str(tmp_path / "page")],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    page = next(tmp_path.glob("page*.png"))
    done = subprocess.run(
        [zbarimg, "--quiet", "--raw", str(page)], capture_output=True, text=True, timeout=120
    )
    return done.stdout.split()


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_the_qr_code_dials_the_clinic_whose_number_the_page_shows(
    paper: str, tmp_path: Path
) -> None:
    briefing = build_briefing(typical_plan(), SESSION, region="GB", country="GB")
    pdf = render(briefing, "pdf", paper)  # type: ignore[arg-type]
    assert _scan(pdf, tmp_path) == ["tel:+441134960000"]
    page = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "+44 113 496 0000" in page
    assert "Scan to call" in " ".join(page.split()) and "Calm Waters" in page


def test_without_a_clinic_number_the_code_dials_the_first_support_person(tmp_path: Path) -> None:
    plan = typical_plan()
    plan = replace(plan, values={**plan.values, "clinic_phone": ""})
    briefing = build_briefing(plan, SESSION, region="GB", country="GB")
    assert briefing.scan is not None and briefing.scan.contact == NAME
    pdf = render(briefing, "pdf")
    assert _scan(pdf, tmp_path) == ["tel:+447911123456"]
    assert "+44 7911 123456" in PdfReader(io.BytesIO(pdf)).pages[0].extract_text()


def test_with_no_number_to_offer_the_page_has_no_code(tmp_path: Path) -> None:
    briefing = build_briefing(Plan(values={"my_name": "Alex"}), None, country="GB")
    assert briefing.scan is None
    assert _scan(render(briefing, "pdf"), tmp_path) == []


# --------------------------------------------------------------------------------------------
# The check-in log


def _log(briefing: Document) -> tuple[tuple[str, ...], ...]:
    section = briefing.section("log")
    assert section is not None
    assert section.columns == ("Time", "How they seem", "Note")
    return section.table


def test_a_session_at_clinic_has_no_log() -> None:
    assert build_briefing(typical_plan(), SESSION).section("log") is None


def test_the_log_has_the_start_then_a_row_every_15_minutes_to_the_end() -> None:
    table = _log(build_briefing(typical_plan(), AT_HOME))  # 10:00, 60 minutes
    assert [r[0] for r in table] == ["10:00", "10:15", "10:30", "10:45", "11:00"]
    assert table[0][1] == "session starts"


def test_the_clinics_interval_and_blood_pressure_are_used() -> None:
    rules = ClinicRules(check_in_minutes=20, blood_pressure=("before", "after"))
    briefing = build_briefing(typical_plan(), AT_HOME, rules=rules)
    assert [r[0] for r in _log(briefing)] == ["10:00", "10:20", "10:40", "11:00"]
    section = briefing.section("log")
    assert section is not None
    assert [r.label for r in section.rows] == ["Before the session", "After the session"]
    assert "every 20 minutes as the clinic asked" in section.intro
    no_bp = build_briefing(typical_plan(), AT_HOME).section("log")
    assert no_bp is not None and no_bp.rows == ()


def test_without_a_session_length_the_log_has_blank_rows_to_write_times_in() -> None:
    plan = typical_plan()
    plan = replace(plan, values={k: v for k, v in plan.values.items() if k != "session_minutes"})
    table = _log(build_briefing(plan, AT_HOME))
    assert table[0] == ("10:00", "session starts", "")
    assert table[1:] == (("", "", ""),) * 8


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_the_log_prints_on_its_own_page_and_the_essentials_stay_on_page_1(paper: str) -> None:
    rules = ClinicRules(check_in_minutes=15, blood_pressure=("before", "after"))
    briefing = build_briefing(typical_plan(), AT_HOME, region="GB", country="GB", rules=rules)
    reader = PdfReader(io.BytesIO(render(briefing, "pdf", paper)))  # type: ignore[arg-type]
    first = " ".join(reader.pages[0].extract_text().split())
    for words in ("In an emergency call 999", "4 Elm Road", "Whom else to call",
                  "Samaritans 116 123", "+44 113 496 0000", "+44 113 496 0999",
                  "+44 7911 123456", "+44 7911 223344", "During the session at home"):  # fmt: skip
        assert words in first, words
    assert "Check-in log" not in first
    last = " ".join(reader.pages[-1].extract_text().split())
    assert last.count("Check-in log") == 1
    assert "Before the session blood pressure" in last and "After the session" in last
    assert re.search(r"10:00 session starts.*10:15.*10:30.*10:45.*11:00", last)


def test_the_log_is_in_every_text_format() -> None:
    briefing = build_briefing(typical_plan(), AT_HOME)
    text = render(briefing, "text").decode()
    assert "CHECK-IN LOG" in text and re.search(r"10:15\s+_+", text)
    assert all(len(line) <= 80 for line in text.splitlines())
    md = render(briefing, "md").decode()
    assert "| Time | How they seem | Note |" in md and "| 10:15 |  |  |" in md
    html = render(briefing, "html").decode()
    assert '<table class="log">' in html and "<td>10:45</td>" in html


def test_only_drawing_a_qr_code_imports_segno() -> None:
    import sys

    code = (
        "import sys, kapprep.briefing, kapprep.cli, kapprep.ui.app\n"
        "from kapprep.briefing import build_briefing, render\n"
        "from kapprep.plan import Plan\n"
        "b = build_briefing(Plan(values={'clinic_phone': '+44 113 496 0000'}), None)\n"
        "render(b, 'html'); render(b, 'vcf'); render(b, 'text')\n"
        "assert 'segno' not in sys.modules, 'segno before a PDF'\n"
        "render(b, 'pdf')\n"
        "assert 'segno' in sys.modules\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
