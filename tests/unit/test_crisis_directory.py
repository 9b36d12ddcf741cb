"""The crisis directory: every entry has a kind, a page or "no page found", a date, and a number
the phone library accepts for its country; short numbers stay short."""

from __future__ import annotations

import re

import phonenumbers
import pytest
from phonenumbers import shortnumberinfo

from kapprep.crisis import (
    ASK_CLINIC,
    COUNTRIES,
    DIRECTORY,
    FIRESIDE,
    KINDS,
    LOCAL_EMERGENCY,
    NO_PAGE,
    crisis_card,
    emergency_number,
)

NOT_IN_PHONENUMBERS = {("NL", "113")}
"""Verified in kap-guides.md (nu.nl) but missing from phonenumbers 9.0.43's short-number data."""


def _region(code: str) -> str:
    return "DE" if code == "EU" else code


def _valid(number: str, region: str) -> bool:
    digits = re.sub(r"\D", "", number.split("(")[-1])
    parsed = phonenumbers.parse(digits, region)
    return phonenumbers.is_valid_number(parsed) or shortnumberinfo.is_valid_short_number_for_region(
        parsed, region
    )


@pytest.mark.parametrize("entry", DIRECTORY, ids=lambda e: f"{e.country}-{e.name}")
def test_each_entry_has_kind_page_or_no_page_and_date(entry) -> None:  # type: ignore[no-untyped-def]
    assert entry.kind in KINDS
    assert entry.page == NO_PAGE or re.fullmatch(
        r"[a-z0-9.-]+\.[a-z]{2,}(, [a-z0-9.-]+)*", entry.page
    )
    assert re.fullmatch(r"20\d\d-(0[1-9]|1[0-2])", entry.checked)
    assert entry.checked in entry.source and entry.page in entry.source


@pytest.mark.parametrize("entry", DIRECTORY, ids=lambda e: f"{e.country}-{e.name}")
def test_every_number_is_a_valid_full_or_short_number_for_its_country(entry) -> None:  # type: ignore[no-untyped-def]
    for number in (entry.number, *entry.also):
        if (entry.country, number) in NOT_IN_PHONENUMBERS:
            assert not _valid(number, entry.country), (
                "phonenumbers knows it now: drop the exception"
            )
            continue
        assert _valid(number, _region(entry.country)), f"{entry.country} {number}"


def test_fireside_is_peer_support_and_every_country_has_an_emergency_number() -> None:
    assert FIRESIDE.kind == "peer support" and FIRESIDE in COUNTRIES["US"].lines
    assert COUNTRIES["US"].lines[-1] is FIRESIDE, "crisis lines come before peer support"
    for country in COUNTRIES.values():
        assert country.emergency is not None, country.code


def test_the_verified_lines_are_in_the_directory() -> None:
    numbers = {(e.country, e.number) for e in DIRECTORY}
    for wanted in [
        ("US", "988"),
        ("US", "741741"),
        ("CA", "988"),
        ("GB", "116 123"),
        ("IE", "116 123"),
        ("IE", "1800 247 247"),
        ("AU", "13 11 14"),
        ("NZ", "1737"),
        ("DE", "0800 111 0 111"),
        ("FR", "3114"),
        ("NL", "0800-0113"),
        ("ES", "024"),
        ("EU", "112"),
    ]:
        assert wanted in numbers
    assert "0477 13 11 14" in COUNTRIES["AU"].crisis_line.text  # type: ignore[union-attr]
    assert COUNTRIES["EU"].crisis_line is None


def test_short_numbers_stay_short() -> None:
    assert emergency_number("US") == "911"
    assert COUNTRIES["US"].crisis_line.number == "988"  # type: ignore[union-attr]
    assert "+1" not in crisis_card(country="US").lines[0].numbers


def test_the_patients_own_number_wins_then_the_country_then_the_generic_line() -> None:
    assert crisis_card(country="GB", emergency=" 112 ").emergency == "112"
    assert crisis_card(country="gb").emergency == "999"
    unknown = crisis_card(country=None)
    assert unknown.emergency == LOCAL_EMERGENCY and not unknown.emergency_known
    assert "911 in the US" in LOCAL_EMERGENCY and "Settings" in unknown.no_line


def test_a_country_not_in_the_directory_or_the_eu_says_ask_your_clinic() -> None:
    other = crisis_card(country="other")
    assert other.lines == () and other.no_line == ASK_CLINIC
    eu = crisis_card(country="EU")
    assert eu.emergency == "112" and eu.lines == ()
    assert "ask your clinic" in eu.no_line and "Settings" not in eu.no_line
