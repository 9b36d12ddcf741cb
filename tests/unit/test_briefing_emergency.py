"""The top of the briefing: what an emergency looks like, the number and the address, first aid,
then the crisis line of the patient's country — for a patient who only chose the country."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from briefing_samples import SESSION, typical_plan
from pypdf import PdfReader

from kapprep.briefing import EMERGENCY_SIGNS, build_briefing, render_pdf, render_text
from kapprep.cli import main
from kapprep.plan import Plan

HOME = "4 Elm Road, Leeds LS6 2QQ"
CASES = {"GB": ("999", "Samaritans 116 123"), "US": ("911", "988")}


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("KAPPREP_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("LANG", "C.UTF-8")
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_TELEPHONE", raising=False)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    assert main(list(argv)) == 0, capsys.readouterr().err
    return capsys.readouterr().out


def _flat(lines: list[str]) -> str:
    return re.sub(r"\s+", " ", " ".join(lines))


def _holds_the_top(text: str, number: str, line: str) -> None:
    assert re.search(rf"\b{re.escape(number)}\b", text), number
    assert HOME in text
    for sign in EMERGENCY_SIGNS:
        assert sign in text, sign
    assert "recovery position" in text
    assert line in text
    assert "Emergency: not set" not in text and "+1988" not in text


@pytest.mark.parametrize("country", sorted(CASES))
def test_with_only_the_country_chosen_the_top_holds_number_address_signs_and_crisis_line(
    home: Path, capsys: pytest.CaptureFixture[str], country: str
) -> None:
    number, line = CASES[country]
    _run(capsys, "settings", "set", "country", country)
    _run(capsys, "plan", "set", "home_address", HOME)
    text = _run(capsys, "briefing")
    _holds_the_top(_flat(text.splitlines()[:25]), number, line)
    _run(capsys, "briefing", "-o", "b.pdf")
    page = PdfReader(home / "b.pdf").pages[0].extract_text()
    _holds_the_top(_flat(page.splitlines()[:16]), number, line)


def test_no_country_gives_the_generic_line_and_another_country_ask_the_clinic() -> None:
    none = render_text(build_briefing(Plan(), None))
    top = _flat(none.splitlines()[:8])
    assert "Your local emergency number (911 in the US and Canada, 999 in the UK" in top
    other = build_briefing(Plan(), None, country="other")
    crisis = other.section("call").rows[0]  # type: ignore[union-attr]
    assert crisis.label == "Crisis line" and "ask the clinic" in crisis.value


def test_the_patients_own_number_wins_over_the_country() -> None:
    plan = Plan(values={"emergency_number": "112"})
    briefing = build_briefing(plan, None, country="GB")
    assert briefing.sections[0].title == "In an emergency call 112"


def test_watch_starts_with_suicide_risk_and_difficult_is_not_bad_is_for_feelings_only() -> None:
    briefing = build_briefing(typical_plan(), SESSION, country="GB")
    watch = briefing.section("watch")
    assert watch is not None and "not wanting to live" in watch.rows[0].value
    for section in briefing.sections:
        text = " ".join(
            [*(f"{r.label} {r.value} {r.note}" for r in section.rows), *section.bullets]
        )
        if "difficult moment is not a bad one" in text:
            assert section.key == "safely"
            assert any("feelings" in b and "difficult moment" in b for b in section.bullets)


def test_us_peer_support_is_shown_as_such_and_only_for_the_us() -> None:
    us = build_briefing(typical_plan(), SESSION, country="US")
    support = us.section("support")
    assert support is not None and "Fireside Project (peer support" in support.paragraphs[0]
    assert us.section("call").rows[0].value == "988 Suicide & Crisis Lifeline 988"  # type: ignore[union-attr]
    gb = build_briefing(typical_plan(), SESSION, country="GB")
    assert gb.section("support") is None and "FIRESIDE" not in render_text(gb)


def test_the_footer_says_what_is_the_patients_and_what_is_general_guidance() -> None:
    briefing = build_briefing(typical_plan(), SESSION, country="GB")
    assert "every detail above was written by the patient" not in briefing.footer
    assert "Alex Morgan's own" in briefing.footer and "general guidance" in briefing.footer
    sources = " ".join(briefing.section("sources").bullets)  # type: ignore[union-attr]
    assert "Samaritans: no page found, checked 2026-12" in sources
    assert "recovery position" in sources


@pytest.mark.parametrize("paper", ["a4", "letter"])
@pytest.mark.parametrize("country", ["GB", "US"])
def test_the_full_two_person_plan_prints_on_one_page(paper: str, country: str) -> None:
    data = render_pdf(build_briefing(typical_plan(), SESSION, country=country), paper)  # type: ignore[arg-type]
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 1
    text = _flat(reader.pages[0].extract_text().splitlines())
    assert "Sources" in text and "Leeds General Infirmary" in text
