"""The phone page: one offline HTML file where every number is a link that dials exactly it."""

from __future__ import annotations

import re
import subprocess
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path

import phonenumbers
import pytest
from briefing_samples import SESSION, typical_plan
from need_tool import need_tool

from kapprep.briefing import build_briefing, render_html
from kapprep.dial import tel_number
from kapprep.documents.model import Document
from kapprep.plan import Person, Plan

COUNTRIES = ("US", "GB", "AU", "NL", "IE", "DE", "CA", "NZ", "FR", "ES", "EU", None)
AT_HOME = replace(SESSION, place_kind="home")


class _Page(HTMLParser):
    """The links (href, class, aria-label, words), and the words outside links, by section."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[str, str, str, str]] = []
        self.loose: dict[str, list[str]] = {}
        self.tags: set[str] = set()
        self._section = ""
        self._link: list[str] | None = None
        self._attrs: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        values = {k: v or "" for k, v in attrs}
        if tag == "section":
            self._section = values.get("class", "")
        if tag == "a":
            self._link, self._attrs = [], values

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._link is not None:
            a = self._attrs
            self.links.append(
                (a["href"], a.get("class", ""), a.get("aria-label", ""), "".join(self._link))
            )
            self._link = None

    def handle_data(self, data: str) -> None:
        if self._link is not None:
            self._link.append(data)
        else:
            self.loose.setdefault(self._section, []).append(data)


def _briefing(country: str | None, plan: Plan | None = None, **kw: object) -> Document:
    return build_briefing(plan or typical_plan(), AT_HOME, region="GB", country=country, **kw)  # type: ignore[arg-type]


def _page(country: str | None, **kw: object) -> _Page:
    page = _Page()
    page.feed(render_html(_briefing(country), **kw))  # type: ignore[arg-type]
    return page


def _dials(words: str, region: str | None) -> str:
    """What a person dials reading `words` off the page (the test's own reading of it)."""
    digits = re.sub(r"\D", "", words)
    if words.startswith("+"):
        return "+" + digits
    if len(digits) <= 6:
        return digits
    parsed = phonenumbers.parse(words, region)
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


@pytest.mark.parametrize("country", COUNTRIES)
def test_every_link_dials_exactly_the_number_it_shows(country: str | None) -> None:
    page = _page(country)
    assert page.links, "the page has links"
    region = {"EU": None, None: "GB"}.get(country, country)  # type: ignore[arg-type]
    for href, cls, label, words in page.links:
        scheme, _, number = href.partition(":")
        assert scheme in ("tel", "sms") and cls in (scheme, "inline")
        shown = label.removeprefix("Text ") if words == "Text" else words
        assert number == _dials(shown, region if not shown.startswith("+") else None), href


@pytest.mark.parametrize("country", COUNTRIES)
def test_no_number_in_the_emergency_and_call_boxes_is_left_unlinked(country: str | None) -> None:
    page = _page(country)
    for section in ("emergency", "call", "support"):
        loose = " ".join(page.loose.get(section, []))
        runs = [
            run
            for run in re.findall(r"\+?\d[\d \-()]*\d|\d", loose)
            if len(re.sub(r"\D", "", run)) >= 3
        ]
        assert runs == [], f"{section}: {runs}"


def test_short_numbers_stay_short_and_full_ones_are_international() -> None:
    us = {href for href, *_ in _page("US").links}
    assert {"tel:999", "tel:988", "sms:988", "tel:+441134960000", "tel:+16234737433"} <= us
    assert "sms:+16234737433" in us  # Fireside: call or text (kap-guides.md)
    gb = {href for href, *_ in _page("GB").links}
    assert {"tel:999", "tel:116123"} <= gb
    assert "sms:116123" not in gb, "Samaritans takes calls, not texts"
    assert all(h in ("sms:+447911123456", "sms:+447911223344", "sms:+447911123459")
               for h in gb if h.startswith("sms:")), "only the people's mobiles take texts"  # fmt: skip
    assert "sms:+61477131114" in {h for h, *_ in _page("AU").links}  # Lifeline's own text number
    assert {"tel:+318000113", "tel:113"} <= {h for h, *_ in _page("NL").links}
    assert {"tel:+498001110111", "tel:+498001110222"} <= {h for h, *_ in _page("DE").links}


def test_a_number_is_one_button_even_where_the_lines_name_holds_it() -> None:
    """ "988 Suicide & Crisis Lifeline 988 (… text 988 …)": one call button and one Text button;
    the name's 988 and the note's are inline links."""
    page = _Page()
    page.feed(render_html(_briefing("US")))
    crisis = [(h, c) for h, c, _, w in page.links if h in ("tel:988", "sms:988")]
    assert crisis.count(("tel:988", "tel")) == 1 and crisis.count(("sms:988", "sms")) == 1
    assert ("tel:988", "inline") in crisis and ("sms:988", "inline") in crisis
    nl = _Page()
    nl.feed(render_html(_briefing("NL")))
    buttons = [h for h, c, _, _ in nl.links if c == "tel"]
    assert buttons.count("tel:113") == 1 and buttons.count("tel:+318000113") == 1


def test_with_no_country_every_number_in_the_generic_sentence_dials() -> None:
    plan = typical_plan()
    plan = Plan(
        values={**plan.values, "emergency_number": ""}, people=plan.people, signs=plan.signs
    )
    page = _Page()
    page.feed(render_html(build_briefing(plan, AT_HOME, region="GB")))
    assert {"tel:911", "tel:999", "tel:112", "tel:000"} <= {h for h, *_ in page.links}


def test_a_person_without_a_number_gets_no_link() -> None:
    plan = typical_plan()
    plan = Plan(values=plan.values, people=(Person(9, "Kim", "friend", ""),), signs=plan.signs)
    page = _Page()
    page.feed(render_html(build_briefing(plan, AT_HOME, region="GB", country="GB")))
    assert all("Kim" not in words for *_, words in page.links)


def test_the_page_is_offline_and_the_maps_link_only_when_asked() -> None:
    html = render_html(_briefing("US"))
    page = _Page()
    page.feed(html)
    assert not {"script", "img", "link", "iframe", "object"} & page.tags
    assert " src=" not in html and "url(" not in html and "@import" not in html
    assert not re.search(r'href="(?!tel:|sms:)', html), "no remote URL with the maps link off"
    with_maps = render_html(_briefing("US"), maps=True)
    maps = re.findall(r'href="(https://[^"]+)"', with_maps)
    assert maps == [
        "https://www.openstreetmap.org/search?query=4%20Elm%20Road%2C%20Leeds%20LS6%202QQ",
        "https://www.openstreetmap.org/search?query=Leeds%20General%20Infirmary%2C%20Great%20"
        "George%20Street%2C%20Leeds%20LS1%203EX",
    ]


def test_the_page_is_readable_on_a_phone_in_the_dark_and_printed() -> None:
    html = render_html(_briefing("US"))
    assert 'name="viewport" content="width=device-width' in html
    assert "@media (prefers-color-scheme: dark)" in html and "@media print" in html
    assert "min-height: 44px" in html  # touch targets of at least 44 px
    assert html.index('class="emergency"') < html.index('class="call"') < html.index("<h2>The day")


@pytest.mark.parametrize("country", ("US", "GB", "AU", None))
def test_tidy_finds_no_error(country: str | None, tmp_path: Path) -> None:
    tidy = need_tool("tidy", "tidy")
    page = tmp_path / "briefing.html"
    page.write_text(render_html(_briefing(country), maps=True), encoding="utf-8")
    done = subprocess.run(
        [tidy, "-q", "-e", str(page)], capture_output=True, text=True, check=False
    )
    assert done.returncode in (0, 1), done.stderr  # 2: errors; 1: warnings only
    assert "Error:" not in done.stderr, done.stderr


def test_tel_number_keeps_short_numbers_short() -> None:
    assert tel_number("988", "US") == "988"
    assert tel_number("116 123", "GB") == "116123"
    assert tel_number("000", "AU") == "000"
    assert tel_number("+44 113 496 0000", None) == "+441134960000"
    assert tel_number("0113 496 0000", "GB") == "+441134960000"
    assert tel_number("62-FIRESIDE (623-473-7433)", "US") == "+16234737433"
    assert tel_number("not set", "GB") is None


def test_a_missing_tool_fails_under_ci_and_skips_elsewhere(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "/nonexistent")
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="tidy is not installed"):
        need_tool("tidy", "tidy")
    monkeypatch.delenv("CI")
    with pytest.raises(pytest.skip.Exception, match="Debian package tidy"):
        need_tool("tidy", "tidy")
