"""Numbers as typed by hand: two in one field, an extension or a code keyed in after, a service
code, and a support person's mobile, which takes texts as the crisis lines that do."""

from __future__ import annotations

import re
from dataclasses import replace

import vobject
from briefing_samples import SESSION, typical_plan

from kapprep.briefing import build_briefing, render_html
from kapprep.dial import parts, phone, tel_number
from kapprep.documents.vcard import render_vcard
from kapprep.plan import Person, Plan

AT_HOME = replace(SESSION, place_kind="home")


def _hrefs(html: str) -> list[str]:
    return re.findall(r'href="((?:tel|sms):[^"]*)"', html)


def _plan(**values: str) -> Plan:
    plan = typical_plan()
    return Plan(values={**plan.values, **values}, people=plan.people, signs=plan.signs)


def test_two_numbers_typed_in_the_clinic_field_each_dial_alone() -> None:
    """The session form takes "/" in a number; "+44 113 496 0000 / 0113 496 0999" once made
    tel:+44113496000001134960999, a number nobody has, and put it in the QR code too."""
    plan = _plan(clinic_phone="+44 113 496 0000 / 0113 496 0999")
    briefing = build_briefing(plan, AT_HOME, region="GB", country="GB")
    hrefs = _hrefs(render_html(briefing))
    assert "tel:+441134960000" in hrefs and "tel:+441134960999" in hrefs
    assert all(len(re.sub(r"\D", "", h)) <= 15 for h in hrefs), hrefs  # E.164: 15 digits at most
    assert briefing.scan is not None and briefing.scan.tel == "tel:+441134960000"
    assert parts("112/999") == ["112", "999"]
    assert parts("999 or 112") == ["999", "112"]


def test_an_extension_or_a_code_to_key_in_is_not_dialled_as_part_of_the_number() -> None:
    """ "555-0100 #2" once dialled 55501002; "*99#" dialled 99."""
    assert tel_number("555-0100 #2", "US") == "5550100"
    assert tel_number("+44 20 7946 0000 x12", None) == "+442079460000"
    assert tel_number("*99#", "US") is None
    assert phone("*99#", "US") == ()
    assert parts("(03) 9123 4567") == ["(03) 9123 4567"]
    assert tel_number("(03) 9123 4567", "AU") == "+61391234567"


def test_a_support_persons_mobile_gets_a_text_button_and_a_landline_none() -> None:
    html = render_html(build_briefing(typical_plan(), AT_HOME, region="GB", country="GB"))
    hrefs = _hrefs(html)
    for mobile in ("+447911123456", "+447911223344", "+447911123459"):  # the people, the patient
        assert f"tel:{mobile}" in hrefs and f"sms:{mobile}" in hrefs, mobile
    assert "sms:+441134960000" not in hrefs, "the clinic's landline takes no texts"
    assert 'aria-label="Text +44 7911 223344"' in html
    cards = {c.fn.value: c for c in vobject.readComponents(render_vcard(
        build_briefing(typical_plan(), AT_HOME, region="GB", country="GB")))}  # fmt: skip
    sam = cards["Sam Patel"].contents["tel"][0]
    assert sam.value == "+447911223344" and "MSG" in sam.params["TYPE"]


def test_a_number_that_may_be_a_landline_gets_no_text_button() -> None:
    """In the US and Canada the library cannot tell a mobile from a landline
    (FIXED_LINE_OR_MOBILE): a Text button there could send to a landline without a word."""
    plan = typical_plan()
    plan = Plan(
        values=plan.values,
        people=(Person(7, "Kim", "friend", "+1 415 555 2671"),),
        signs=plan.signs,
    )
    hrefs = _hrefs(render_html(build_briefing(plan, AT_HOME, region="US", country="US")))
    assert "tel:+14155552671" in hrefs and "sms:+14155552671" not in hrefs


def test_two_people_of_the_same_name_get_a_card_each() -> None:
    """Cards are one per name: two Sams (or two people without a name) were one card holding
    both numbers and both roles, so the helper could not tell whose number was whose."""
    plan = typical_plan()
    people = (
        Person(1, "Sam", "partner", "+44 7911 123456", ("drives_there",)),
        Person(2, "Sam", "friend", "+44 7911 223344", ("checks_in",)),
        Person(3, "", "neighbour", "+44 7911 333444"),
        Person(4, "", "sister", "+44 7911 444555"),
    )
    plan = Plan(values=plan.values, people=people, signs=plan.signs)
    found = list(vobject.readComponents(render_vcard(
        build_briefing(plan, AT_HOME, region="GB", country="GB"))))  # fmt: skip
    people_cards = [c for c in found if c.tel.value.startswith("+447911")]
    by_number = {c.tel.value: c for c in people_cards if len(c.contents["tel"]) == 1}
    assert set(by_number) == {"+447911123456", "+447911223344", "+447911333444",
                              "+447911444555", "+447911123459"}  # fmt: skip
    assert by_number["+447911123456"].note.value.startswith("partner")
    assert by_number["+447911223344"].note.value.startswith("friend")
    names = [c.fn.value for c in people_cards]
    assert len(names) == len(set(names)), names
