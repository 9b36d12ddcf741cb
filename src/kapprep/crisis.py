"""Crisis information: the local emergency number and a crisis line, with their public sources.

Only lines we can name a public source for are shipped. Anywhere else the app says plainly:
"call your local emergency number". The patient can set their own emergency number in Settings,
which then wins over the country's default. Pure data, no I/O, no Textual.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "COUNTRIES",
    "FIRESIDE",
    "LOCAL_EMERGENCY",
    "Country",
    "CrisisCard",
    "CrisisLine",
    "crisis_card",
]

LOCAL_EMERGENCY = "Call your local emergency number."


@dataclass(frozen=True, slots=True)
class CrisisLine:
    """A phone line someone can call (or text) when things feel unsafe."""

    name: str
    number: str
    how: str
    """How and when, in a few words ("call or text, any time")."""
    source: str
    """Where this is published (a web address without the scheme)."""


@dataclass(frozen=True, slots=True)
class Country:
    name: str
    emergency: str
    emergency_source: str
    lines: tuple[CrisisLine, ...] = ()


FIRESIDE = CrisisLine(
    name="Fireside Project (psychedelic peer support)",
    number="62-FIRESIDE (623-473-7433)",
    how="call or text; check the hours on their site",
    source="firesideproject.org",
)
"""A peer line for people in, or sitting with, a psychedelic experience (US). Not for emergencies."""

COUNTRIES: dict[str, Country] = {
    "US": Country(
        "United States",
        "911",
        "911.gov",
        (
            CrisisLine(
                "988 Suicide & Crisis Lifeline", "988", "call or text, any time", "988lifeline.org"
            ),
            FIRESIDE,
        ),
    ),
    "CA": Country(
        "Canada",
        "911",
        "canada.ca",
        (CrisisLine("9-8-8 Suicide Crisis Helpline", "988", "call or text, any time", "988.ca"),),
    ),
    "GB": Country(
        "United Kingdom",
        "999",
        "nhs.uk",
        (CrisisLine("Samaritans", "116 123", "call free, any time", "samaritans.org"),),
    ),
    "IE": Country(
        "Ireland",
        "112 or 999",
        "gov.ie",
        (CrisisLine("Samaritans", "116 123", "call free, any time", "samaritans.org"),),
    ),
    "AU": Country(
        "Australia",
        "000",
        "triplezero.gov.au",
        (CrisisLine("Lifeline", "13 11 14", "call, any time", "lifeline.org.au"),),
    ),
    "NZ": Country(
        "New Zealand",
        "111",
        "police.govt.nz",
        (CrisisLine("Need to talk? 1737", "1737", "call or text, any time", "1737.org.nz"),),
    ),
    "EU": Country("Elsewhere in the EU", "112", "digital-strategy.ec.europa.eu"),
}
"""Countries with sourced defaults, by ISO 3166 code ("EU" for the EU-wide 112)."""


@dataclass(frozen=True, slots=True)
class CrisisCard:
    """What the crisis panel shows, in order: emergency first, then the clinic, then lines."""

    emergency: str
    """The number to call in an emergency, or the plain sentence when none is known."""
    emergency_known: bool
    clinic: str | None
    clinic_phone: str | None
    lines: tuple[CrisisLine, ...]
    country: str | None
    """The country's name, when one is chosen."""


def crisis_card(
    *,
    country: str | None = None,
    emergency: str | None = None,
    clinic: str | None = None,
    clinic_phone: str | None = None,
) -> CrisisCard:
    """Build the panel from the settings; the patient's own emergency number wins."""
    place = COUNTRIES.get((country or "").upper())
    number = (emergency or "").strip() or (place.emergency if place else "")
    return CrisisCard(
        emergency=number or LOCAL_EMERGENCY,
        emergency_known=bool(number),
        clinic=(clinic or "").strip() or None,
        clinic_phone=(clinic_phone or "").strip() or None,
        lines=place.lines if place else (),
        country=place.name if place else None,
    )
