"""The briefing's document model: sections of rows, bullets and paragraphs (no I/O)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

NOT_SET: Final = "not set"
Format = Literal["text", "md", "html", "pdf", "vcf"]
Paper = Literal["a4", "letter"]
FORMATS: Final[tuple[Format, ...]] = ("text", "md", "html", "pdf", "vcf")
SUFFIXES: Final[dict[str, str]] = {
    "text": ".txt",
    "md": ".md",
    "html": ".html",
    "pdf": ".pdf",
    "vcf": ".vcf",
}


@dataclass(frozen=True, slots=True)
class Phone:
    """A number a row or a section prints, and how a phone reaches it (`kapprep.dial`)."""

    shown: str
    """The number exactly as printed ("+44 113 496 0000", "988", "0477 13 11 14")."""
    number: str
    """What to dial: international form for a full number ("+441134960000"), short kept short
    ("988", "116123")."""
    call: bool = True
    """False for a line that only takes texts."""
    text: bool = False
    """The line takes texts (the research notes say so, or it is a person's mobile)."""
    contact: str = ""
    """The name a saved contact gets ("Clinic — Calm Clinic"); "" for a number not worth saving
    on its own (the generic sentence's 911, 999, 112, 000)."""
    note: str = ""
    """What the number is for, for the saved contact's note."""

    @property
    def tel(self) -> str:
        return f"tel:{self.number}"

    @property
    def sms(self) -> str:
        """`sms:` and the number alone: the one form iOS and Android both read (a message body
        is written differently by each, so the words to send are printed beside instead)."""
        return f"sms:{self.number}"


@dataclass(frozen=True, slots=True)
class Row:
    """One line of facts: "Clinic: Calm Clinic, +44 20 7946 0958 (12 High St)"."""

    label: str
    value: str
    note: str = ""
    missing: bool = False
    """True when `value` is "not set"."""
    phones: tuple[Phone, ...] = ()
    """The numbers in `value` and `note`, for links and saved contacts."""
    place: bool = False
    """`value` is an address (the phone page links it to a map only when the patient asks)."""


@dataclass(frozen=True, slots=True)
class Section:
    key: str
    """Stable id: emergency, call, yours, day, during, watch, note, helps, practical, medical,
    private, safely, support, about, sources."""
    title: str
    rows: tuple[Row, ...] = ()
    intro: str = ""
    """A line before the bullets ("Call now if they:")."""
    bullets: tuple[str, ...] = ()
    paragraphs: tuple[str, ...] = ()
    phones: tuple[Phone, ...] = ()
    """The numbers in `title`, `intro` and `paragraphs` (the emergency number, a peer line)."""
    columns: tuple[str, ...] = ()
    """A table's headings ("Time", "How they seem", "Note"): a log to fill in by hand."""
    table: tuple[tuple[str, ...], ...] = ()
    """The table's rows, as many cells as `columns`; "" is a blank to write in."""


@dataclass(frozen=True, slots=True)
class Credit:
    """A page a document's fixed texts rely on, with the page's own words."""

    title: str
    """The publisher, then what it is cited for in brackets: "Mindbloom, PTM (check-ins)"."""
    url: str
    quote: str


@dataclass(frozen=True, slots=True)
class Document:
    title: str
    subtitle: str
    sections: tuple[Section, ...]
    missing: tuple[str, ...]
    """What is not set yet, in plain words (the app lists it before export)."""
    footer: str
    for_name: str | None = None
    scan: Phone | None = None
    """The one number the printed page offers as a QR code (a `tel:` link), labelled in words;
    always a number the page also prints."""
    scan_label: str = ""
    """The words beside the code: "Scan to call Calm Clinic (+44 113 496 0000)"."""

    @property
    def phones(self) -> tuple[Phone, ...]:
        """Every number the document prints, in order."""
        out: list[Phone] = []
        for section in self.sections:
            out += section.phones
            for row in section.rows:
                out += row.phones
        return tuple(out)

    def section(self, key: str) -> Section | None:
        return next((s for s in self.sections if s.key == key), None)
