"""The crisis directory: emergency numbers and crisis lines by country, each with its provenance.

Every entry says what kind of line it is (emergency, crisis line, peer support), the page it was
checked against (or "no page found") and when it was checked. Only numbers that
`research/kap-guides.md` lists are here; an emergency number kapprep shipped before that check is
kept with "no page found" rather than dropped. A country not in the directory gets the generic
emergency line and "ask your clinic". Numbers are kept exactly as written here: short numbers
(988, 116 123) are never put through the phone library, which would make "+1988" of 988.

The patient can type their own emergency number (Settings), which then wins over the country's.
Pure data, no I/O, no Textual.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final, Literal

__all__ = [
    "ASK_CLINIC",
    "CHECKED",
    "COUNTRIES",
    "DIRECTORY",
    "FIRESIDE",
    "GENERIC_EMERGENCY",
    "KINDS",
    "LOCAL_EMERGENCY",
    "NO_PAGE",
    "Country",
    "CrisisCard",
    "Entry",
    "Kind",
    "country_name",
    "crisis_card",
    "emergency_number",
]

Kind = Literal["emergency", "crisis line", "peer support"]
KINDS: Final[tuple[Kind, ...]] = ("emergency", "crisis line", "peer support")

CHECKED: Final = "2026-12"
"""When the directory was checked against the pages (kap-guides.md: "each checked in December
2026"; the guide gives the month, not the day)."""
NO_PAGE: Final = "no page found"

GENERIC_EMERGENCY: Final = (
    "your local emergency number (911 in the US and Canada, 999 in the UK, 112 in the EU, "
    "000 in Australia)"
)
"""What to call when kapprep does not know the patient's country or its number."""
LOCAL_EMERGENCY: Final = GENERIC_EMERGENCY[0].upper() + GENERIC_EMERGENCY[1:]
ASK_CLINIC: Final = "kapprep has no crisis line for your country: ask your clinic for one."
NO_SINGLE_LINE: Final = "There is no single crisis line across the EU: ask your clinic for one."


@dataclass(frozen=True, slots=True)
class Entry:
    """One number in the directory, with where it was checked."""

    country: str
    """ISO 3166 code, or "EU" for the EU-wide number."""
    name: str
    number: str
    """As it is dialled and shown, short numbers short ("988", "116 123")."""
    kind: Kind
    how: str
    """How and when, in a few words ("call free, any time")."""
    text: str = ""
    """The text (SMS) option in a few words, or "" when there is none."""
    page: str = NO_PAGE
    """The page kap-guides.md names for this number, or NO_PAGE."""
    checked: str = CHECKED
    """When it was checked (YYYY-MM)."""
    also: tuple[str, ...] = ()
    """Other numbers for the same line ("0800 111 0 222")."""
    sms: str = ""
    """The number that takes texts, as written, only where kap-guides.md says the line takes
    texts ("988", "0477 13 11 14"); "" otherwise. The phone page links it as `sms:`."""

    @property
    def numbers(self) -> str:
        """The number and its alternatives: "0800-0113 or 113"."""
        return " or ".join((self.number, *self.also))

    @property
    def source(self) -> str:
        """Where it was checked, in words: "3114.fr, checked 2026-12"."""
        return f"{self.page}, checked {self.checked}"

    @property
    def how_text(self) -> str:
        """How and when, with the text option: "call, any time; text 0477 13 11 14"."""
        return f"{self.how}; {self.text}" if self.text else self.how


@dataclass(frozen=True, slots=True)
class Country:
    code: str
    name: str
    entries: tuple[Entry, ...]

    @property
    def emergency(self) -> Entry | None:
        return next((e for e in self.entries if e.kind == "emergency"), None)

    @property
    def lines(self) -> tuple[Entry, ...]:
        """Crisis lines first, then peer support."""
        return tuple(e for e in self.entries if e.kind == "crisis line") + tuple(
            e for e in self.entries if e.kind == "peer support"
        )

    @property
    def crisis_line(self) -> Entry | None:
        """The country's first crisis line (the one the briefing prints)."""
        return next((e for e in self.entries if e.kind == "crisis line"), None)


def _emergency(country: str, number: str, *also: str) -> Entry:
    return Entry(country, "Emergency", number, "emergency", "call, any time", also=also)


def _eu(country: str) -> Entry:
    """112, which kap-guides.md lists for the whole EU."""
    return _emergency(country, "112")


SAMARITANS_HOW: Final = "call free, any time"
FIRESIDE = Entry(
    "US",
    "Fireside Project (peer support, not for emergencies)",
    "62-FIRESIDE (623-473-7433)",
    "peer support",
    "call or text; check the hours on their site",
    sms="623-473-7433",
)
"""A peer line for people in, or sitting with, a psychedelic experience (US). Not for emergencies."""

_COUNTRIES: Final[tuple[Country, ...]] = (
    Country(
        "US",
        "United States",
        (
            _emergency("US", "911"),
            Entry(
                "US",
                "988 Suicide & Crisis Lifeline",
                "988",
                "crisis line",
                "call, any time; Spanish: press 2",
                text="text 988 (Spanish: text AYUDA)",
                page="988lifeline.org, samhsa.gov",
                sms="988",
            ),
            Entry(
                "US",
                "Crisis Text Line",
                "741741",
                "crisis line",
                "text only",
                text="text HOME to 741741",
                page="familyandcaregivertoolkit.org",
                sms="741741",
            ),
            FIRESIDE,
        ),
    ),
    Country(
        "CA",
        "Canada",
        (
            _emergency("CA", "911"),
            Entry(
                "CA",
                "988 (English and French)",
                "988",
                "crisis line",
                "call, any time",
                text="text 988",
                page="newswire.ca",
                sms="988",
            ),
        ),
    ),
    Country(
        "GB",
        "United Kingdom",
        (
            _emergency("GB", "999"),
            Entry("GB", "Samaritans", "116 123", "crisis line", SAMARITANS_HOW),
        ),
    ),
    Country(
        "IE",
        "Ireland",
        (
            _emergency("IE", "112", "999"),
            Entry("IE", "Samaritans", "116 123", "crisis line", SAMARITANS_HOW),
            Entry("IE", "Pieta", "1800 247 247", "crisis line", "call", page="avondhupress.ie"),
        ),
    ),
    Country(
        "AU",
        "Australia",
        (
            _emergency("AU", "000"),
            Entry(
                "AU",
                "Lifeline",
                "13 11 14",
                "crisis line",
                "call, any time",
                text="text 0477 13 11 14",
                page="lifeinmind.org.au",
                sms="0477 13 11 14",
            ),
        ),
    ),
    Country(
        "NZ",
        "New Zealand",
        (
            _emergency("NZ", "111"),
            Entry(
                "NZ", "1737", "1737", "crisis line", "call, any time", text="text 1737", sms="1737"
            ),
        ),
    ),
    Country(
        "DE",
        "Germany",
        (
            _eu("DE"),
            Entry(
                "DE",
                "TelefonSeelsorge",
                "0800 111 0 111",
                "crisis line",
                "call free, 24 hours",
                page="domradio.de",
                also=("0800 111 0 222",),
            ),
        ),
    ),
    Country(
        "FR",
        "France",
        (_eu("FR"), Entry("FR", "3114", "3114", "crisis line", "call free, 24/7", page="3114.fr")),
    ),
    Country(
        "NL",
        "Netherlands",
        (
            _eu("NL"),
            Entry(
                "NL",
                "113",
                "0800-0113",
                "crisis line",
                "call, 24/7",
                page="nu.nl",
                also=("113",),
            ),
        ),
    ),
    Country(
        "ES",
        "Spain",
        (
            _eu("ES"),
            Entry("ES", "024", "024", "crisis line", "call free, 24 hours", page="rtve.es"),
        ),
    ),
    Country("EU", "Elsewhere in the EU", (_eu("EU"),)),
)

COUNTRIES: Final[Mapping[str, Country]] = {c.code: c for c in _COUNTRIES}
"""The directory by country code, in the order the settings list them."""
DIRECTORY: Final[tuple[Entry, ...]] = tuple(e for c in _COUNTRIES for e in c.entries)
"""Every entry, for checking."""


def country_name(code: str | None) -> str | None:
    place = COUNTRIES.get((code or "").upper())
    return place.name if place else None


def emergency_number(country: str | None, typed: str | None = None) -> str | None:
    """The number to call: the patient's own if typed, else the country's, else None."""
    own = (typed or "").strip()
    if own:
        return own
    place = COUNTRIES.get((country or "").upper())
    entry = place.emergency if place else None
    return entry.numbers if entry else None


@dataclass(frozen=True, slots=True)
class CrisisCard:
    """What the crisis panel shows, in order: emergency first, then the clinic, then lines."""

    emergency: str
    """The number to call in an emergency, or the generic sentence when none is known."""
    emergency_known: bool
    clinic: str | None
    clinic_phone: str | None
    lines: tuple[Entry, ...]
    country: str | None
    """The country's name, when one in the directory is chosen."""
    no_line: str
    """What to say when `lines` is empty: choose a country, or ask your clinic."""


def crisis_card(
    *,
    country: str | None = None,
    emergency: str | None = None,
    clinic: str | None = None,
    clinic_phone: str | None = None,
) -> CrisisCard:
    """Build the panel from the settings; the patient's own emergency number wins."""
    code = (country or "").upper()
    place = COUNTRIES.get(code)
    number = emergency_number(code, emergency)
    if place is None:
        no_line = "Choose your country in Settings (s) to see a crisis line here."
        no_line = ASK_CLINIC if code else no_line
    else:
        no_line = NO_SINGLE_LINE if code == "EU" else ASK_CLINIC
    return CrisisCard(
        emergency=number or LOCAL_EMERGENCY,
        emergency_known=bool(number),
        clinic=(clinic or "").strip() or None,
        clinic_phone=(clinic_phone or "").strip() or None,
        lines=place.lines if place else (),
        country=place.name if place else None,
        no_line=no_line,
    )
