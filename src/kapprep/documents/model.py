"""The briefing's document model: sections of rows, bullets and paragraphs (no I/O)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

NOT_SET: Final = "not set"
Format = Literal["text", "md", "html", "pdf"]
Paper = Literal["a4", "letter"]
FORMATS: Final[tuple[Format, ...]] = ("text", "md", "html", "pdf")
SUFFIXES: Final[dict[str, str]] = {"text": ".txt", "md": ".md", "html": ".html", "pdf": ".pdf"}


@dataclass(frozen=True, slots=True)
class Row:
    """One line of facts: "Clinic: Calm Clinic, +44 20 7946 0958 (12 High St)"."""

    label: str
    value: str
    note: str = ""
    missing: bool = False
    """True when `value` is "not set"."""


@dataclass(frozen=True, slots=True)
class Section:
    key: str
    """Stable id: emergency, call, yours, day, watch, helps, practical, medical, private, safely,
    support, about, sources."""
    title: str
    rows: tuple[Row, ...] = ()
    intro: str = ""
    """A line before the bullets ("Call now if they:")."""
    bullets: tuple[str, ...] = ()
    paragraphs: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Document:
    title: str
    subtitle: str
    sections: tuple[Section, ...]
    missing: tuple[str, ...]
    """What is not set yet, in plain words (the app lists it before export)."""
    footer: str
    for_name: str | None = None

    def section(self, key: str) -> Section | None:
        return next((s for s in self.sections if s.key == key), None)
