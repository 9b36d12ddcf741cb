"""The briefing: one model, four renderers, the order a support person needs, every field."""

from __future__ import annotations

import io
import re
from dataclasses import replace
from html.parser import HTMLParser
from typing import Any

import pytest
from briefing_samples import NAME, PEOPLE, SESSION, VALUES, typical_plan
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from kapprep.briefing import (
    NOT_SET,
    Document,
    build_briefing,
    render,
    render_html,
    render_markdown,
    render_pdf,
    render_text,
)
from kapprep.documents.markdown import md_escape
from kapprep.documents.text import cells
from kapprep.plan import Person, Plan, PlanError, default_plan

ORDER = [
    "emergency",
    "call",
    "day",
    "watch",
    "helps",
    "practical",
    "medical",
    "private",
    "safely",
    "about",
    "sources",
]
# A phrase from each section, in the order it must appear in every format.
PHRASES = [
    "999",  # the emergency number first
    "4 Elm Road",  # the home address beside it
    "cannot be woken",
    "recovery position",
    "Samaritans 116 123",  # the country's crisis line
    "+44 113 496 0000",  # the clinic
    "+44 113 496 0999",  # its out-of-hours number
    "+44 7911 123459",  # the patient's own phone
    "Leeds General Infirmary",  # the nearest hospital
    NAME,
    "12:30",  # pick-up
    "No driving today. Your clinic tells you when you may drive again",
    "not wanting to live",  # "what to watch for" starts with the suicide-risk line
    "Nausea",
    "Quiet music",
    "Soup in the fridge",
    "Penicillin",
    "mention the treatment",
    "do not guide",
    "Why you matter",
    "oregon.gov",  # the sources, last (the PDF gives only their addresses)
]


def _pdf_text(data: bytes) -> tuple[str, int]:
    reader = PdfReader(io.BytesIO(data))
    text = "\n".join(page.extract_text() or "" for page in reader.pages)
    return re.sub(r"[ \t]+", " ", text), len(reader.pages)


def _in_order(text: str, phrases: list[str]) -> None:
    flat = re.sub(r"\s+", " ", text)
    at = -1
    for phrase in phrases:
        found = flat.find(phrase, at + 1)
        assert found > at, f"{phrase!r} missing or out of order"
        at = found


class _Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.text: list[str] = []
        self.h2: list[str] = []
        self._in_h2 = False
        self._h2 = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        for name, value in attrs:
            assert name != "src", "no external assets"
            assert name != "href" or (value or "").startswith(("tel:", "sms:")), "no remote links"
            assert not name.startswith("on"), "no scripts"
        self._in_h2 = self._in_h2 or tag == "h2"

    def handle_endtag(self, tag: str) -> None:
        if tag == "h2":  # a heading's words, with those of a link in it ("call 999")
            self.h2.append(self._h2)
            self._in_h2, self._h2 = False, ""

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._in_h2:
            self._h2 += data


COUNTRY = "GB"


def _briefing(plan: Plan | None = None, **kwargs: Any) -> Document:
    """The typical plan's briefing for a patient in the UK."""
    return build_briefing(plan or typical_plan(), SESSION, country=COUNTRY, **kwargs)


def test_the_model_has_every_section_in_order() -> None:
    briefing = _briefing()
    assert [s.key for s in briefing.sections] == ORDER
    assert briefing.missing == ()
    top = briefing.sections[0]
    assert top.title == "In an emergency call 999"
    assert [(r.label, r.value) for r in top.rows] == [("Give this address", VALUES["home_address"])]
    call = briefing.sections[1]
    assert [r.label for r in call.rows[:5]] == [
        "Crisis line",
        "Clinic",
        "Out of hours",
        "Their phone",
        "Nearest hospital",
    ]
    assert call.rows[5].label == f"{NAME} (partner)"


def test_text_holds_every_field_in_order_within_80_columns() -> None:
    text = render_text(_briefing())
    _in_order(text, PHRASES)
    assert all(len(line) <= 80 for line in text.splitlines())
    assert NOT_SET not in text


def test_markdown_structure() -> None:
    md = render_markdown(_briefing())
    headings = re.findall(r"^## (.+)$", md, flags=re.M)
    assert headings[0] == "In an emergency call 999" and headings[-1] == "Sources"
    assert len(headings) == len(ORDER)
    assert md.startswith("# Supporting Alex Morgan")
    assert "- **Give this address:** 4 Elm Road, Leeds LS6 2QQ\n\nCall now if they:\n\n- " in md
    _in_order(md, PHRASES)


def test_markdown_escapes_user_text() -> None:
    plan = replace(
        typical_plan(), values={**typical_plan().values, "what_helps": "*tea* [x](y) #1"}
    )
    md = render_markdown(_briefing(plan))
    assert r"\*tea\* \[x\](y) #1" in md
    assert md_escape("# 1. - x", line_start=True) == r"\# 1. - x"
    assert md_escape("1. one", line_start=True) == r"1\. one"
    assert md_escape("+44 1") == "+44 1"


def test_html_is_standalone_escaped_and_ordered() -> None:
    plan = replace(
        typical_plan(),
        values={**typical_plan().values, "what_helps": "<script>alert(1)</script> & tea"},
    )
    page = render_html(_briefing(plan), "letter")
    parser = _Collect()
    parser.feed(page)
    assert "script" not in parser.tags
    assert not {"link", "img", "iframe"} & set(parser.tags)
    assert "<script>alert(1)</script> & tea" in "".join(parser.text)
    assert "&lt;script&gt;" in page
    assert "@page { size: letter" in page and "@media print" in page
    assert parser.h2[:2] == ["In an emergency call 999", "Whom else to call"]
    _in_order("".join(parser.text), [x for x in PHRASES if x != "Quiet music"])


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_pdf_is_one_page_with_every_field_in_order(paper: str) -> None:
    data = render_pdf(_briefing(), paper)  # type: ignore[arg-type]
    assert data.startswith(b"%PDF-")
    text, pages = _pdf_text(data)
    assert pages == 1
    _in_order(text, PHRASES)
    reader = PdfReader(io.BytesIO(data))
    width = float(reader.pages[0].mediabox.width)
    assert round(width) == (595 if paper == "a4" else 612)


def test_non_latin_names_print_in_every_format() -> None:
    briefing = _briefing()
    assert NAME in render_text(briefing)
    assert NAME in render_markdown(briefing)
    assert NAME in render_html(briefing)
    data = render_pdf(briefing)
    text, _ = _pdf_text(data)
    assert "Zoë Ødegård" in text and "李小龍" in text
    assert b"DroidSansFallback" in data


def test_a_latin_only_plan_does_not_embed_the_cjk_font() -> None:
    plan = replace(typical_plan(), people=(replace(PEOPLE[0], name="Zoë Ødegård"), PEOPLE[1]))
    data = render_pdf(build_briefing(plan, SESSION))
    assert b"Droid" not in data and b"DejaVu" in data


def test_a_long_plan_flows_cleanly_onto_more_pages() -> None:
    plan = typical_plan()
    people = tuple(
        Person(i, f"Helper {i} 李", "friend", "+44 7911 123457", ("checks_in",)) for i in range(30)
    )
    long_text = " ".join(["Please keep the lights low and the room warm."] * 30)
    plan = replace(plan, people=people, values={**plan.values, "what_helps": long_text})
    data = render_pdf(_briefing(plan))
    text, pages = _pdf_text(data)
    assert pages >= 2
    for i in range(30):
        assert f"Helper {i} 李" in text
    assert text.count("Sources") >= 1 and "Page 2/" in text
    page2 = PdfReader(io.BytesIO(data)).pages[1].extract_text()
    assert "(continued)" in page2 and "In an emergency call 999" in page2
    assert "Crisis line: Samaritans 116 123" in page2
    # nothing cut: every section title is there once, in order
    _in_order(text, ["In an emergency", "Whom else to call", "The day", "What to watch", "Sources"])


def test_an_empty_plan_shows_not_set_and_lists_what_is_missing() -> None:
    briefing = build_briefing(default_plan(), None)
    assert "Clinic phone" in briefing.missing and "Home address" in briefing.missing
    for fmt in ("text", "md", "html"):
        out = render(briefing, fmt).decode("utf-8")  # type: ignore[arg-type]
        assert NOT_SET in out
        assert "Whom else to call" in out or "WHOM ELSE TO CALL" in out
    text, pages = _pdf_text(render_pdf(briefing))
    assert pages == 1 and NOT_SET in text
    assert briefing.section("medical") is None  # not shared: left out
    assert briefing.title == "Support briefing"


def test_for_name_tailors_to_that_persons_roles() -> None:
    briefing = build_briefing(typical_plan(), SESSION, for_name="zoë")
    assert briefing.for_name == NAME
    assert [s.key for s in briefing.sections][:4] == ["emergency", "call", "yours", "day"]
    yours = briefing.section("yours")
    assert yours is not None
    rows = {r.label: r.value for r in yours.rows}
    assert rows["Drive there"] == "arrive by 09:50"
    assert rows["Collect"] == "12:30"
    assert rows["Stay with them"] == "until 9 am the next day"
    assert "drive Alex Morgan there, collect Alex Morgan after and stay" in briefing.subtitle
    sam = build_briefing(typical_plan(), SESSION, for_name="Sam")
    assert {r.label for r in sam.section("yours").rows} == {"Next day", "Days after"}  # type: ignore[union-attr]
    with pytest.raises(PlanError, match="nobody called 'Kim'"):
        build_briefing(typical_plan(), SESSION, for_name="Kim")


def test_a_set_pickup_time_and_collect_time_win() -> None:
    plan = typical_plan()
    plan = replace(
        plan,
        values={**plan.values, "pickup_at": "13:00"},
        people=(replace(PEOPLE[0], collect_at="13:10"), PEOPLE[1]),
    )
    briefing = build_briefing(plan, SESSION, for_name=NAME)
    day = {r.label: r for r in briefing.section("day").rows}  # type: ignore[union-attr]
    assert day["Pick-up"].value == "13:00" and "recovery" not in day["Pick-up"].note
    yours = {r.label: r.value for r in briefing.section("yours").rows}  # type: ignore[union-attr]
    assert yours["Collect"] == "13:10"
    assert f"by {NAME} at 13:10" in day["Pick-up"].note


def test_person_notes_are_on_the_briefing() -> None:
    plan = replace(typical_plan(), people=(replace(PEOPLE[0], notes="Spare key under the pot"),))
    briefing = build_briefing(plan, SESSION)
    assert "Spare key under the pot" in briefing.sections[1].rows[5].note
    assert "Spare key under the pot" in render_markdown(briefing)


def test_medications_are_left_out_unless_shared() -> None:
    plan = replace(typical_plan(), values={**typical_plan().values, "share_medical": "no"})
    briefing = build_briefing(plan, SESSION)
    assert briefing.section("medical") is None
    assert "Penicillin" not in render_text(briefing)
    assert "Penicillin" not in _pdf_text(render_pdf(briefing))[0]


def test_phone_numbers_typed_locally_show_in_international_form() -> None:
    plan = replace(
        typical_plan(), values={**typical_plan().values, "clinic_phone": "0113 496 0000"}
    )
    briefing = build_briefing(plan, SESSION, region="GB")
    assert briefing.sections[1].rows[1].value == "+44 113 496 0000"


def test_plan_with_nobody_still_renders() -> None:
    briefing = build_briefing(Plan(), SESSION)
    call = briefing.sections[1]
    assert call.rows[-1] == call.rows[-1].__class__("Support person", NOT_SET, "", True)


def test_text_counts_wide_characters_as_two_columns() -> None:
    long_name = "李小龍" * 30
    plan = replace(typical_plan(), values={**typical_plan().values, "what_helps": long_name})
    text = render_text(build_briefing(plan, SESSION))
    assert cells("李小龍 Zoë") == 10
    assert all(cells(line) <= 80 for line in text.splitlines())
    assert long_name in text.replace("\n", "").replace(" ", "")


_texts = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=60
)


@settings(max_examples=60, deadline=None)
@given(st.dictionaries(st.sampled_from(sorted(VALUES)), _texts), _texts)
def test_any_text_renders_in_every_text_format(values: dict[str, str], name: str) -> None:
    plan = replace(
        typical_plan(),
        values={**typical_plan().values, **values},
        people=(replace(PEOPLE[0], name=name), PEOPLE[1]),
    )
    briefing = build_briefing(plan, SESSION)
    text = render_text(briefing)
    assert all(cells(line) <= 80 for line in text.splitlines())
    page = render_html(briefing)
    parser = _Collect()
    parser.feed(page)
    assert "script" not in parser.tags
    render_markdown(briefing)
