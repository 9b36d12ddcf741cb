"""The briefing in the support person's pocket: the numbers it prints as numbers a phone can
dial, save and scan, and a check-in log for a session at home. No I/O, no Textual.

`pocket(briefing, ...)` is the last step of `build_briefing`: it gives the emergency section,
the "Whom else to call" rows and the peer lines their `Phone`s (`kapprep.dial`), picks the one
number the printed page offers as a QR code (the clinic's, else the first support person's),
and, for a session at home, adds the log the sitter fills in by hand: the session's start, then
a row every N minutes (the clinic's interval from `clinic_rules`, else the guides' 15), and
blood pressure and pulse before and after when the clinic asked for them.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Final

from kapprep.at_home import DEFAULT_CHECK_IN_MINUTES
from kapprep.clinic_rules import ClinicRules
from kapprep.crisis import GENERIC_EMERGENCY, Entry
from kapprep.dial import entry_phones, phone
from kapprep.documents.model import Document, Phone, Row, Section
from kapprep.plan import Plan, format_phone, roles_text

__all__ = ["LOG_COLUMNS", "LOG_ROWS_UNTIMED", "MAX_LOG_ROWS", "log_section", "pocket"]

LOG_COLUMNS: Final = ("Time", "How they seem", "Note")
LOG_ROWS_UNTIMED: Final = 8
"""Blank rows when the session's length is not known (times then written by hand)."""
MAX_LOG_ROWS: Final = 40
"""A long session's log stops here (ten hours at 15 minutes)."""
_PLACES: Final = frozenset({"Give this address", "Nearest hospital"})
_GENERIC_NUMBERS: Final = tuple(re.findall(r"\b\d{3}\b", GENERIC_EMERGENCY))
"""911, 999, 112, 000: the numbers the generic emergency sentence names."""


def _emergency(section: Section, number: str, region: str | None) -> Section:
    if not number:  # the generic sentence: each number it names dials, none is saved alone
        rows = tuple(
            replace(r, phones=tuple(Phone(n, n) for n in _GENERIC_NUMBERS))
            if r.label == "Call"
            else r
            for r in section.rows
        )
        return replace(section, rows=rows)
    phones: list[Phone] = []
    for part in re.split(r"\s+or\s+", number):
        phones += phone(part, region, contact=f"Emergency {part}", note="emergency number")
    return replace(section, phones=tuple(phones))


def pocket(
    briefing: Document,
    plan: Plan,
    *,
    emergency: str,
    region: str | None,
    line: Entry | None,
    peers: tuple[Entry, ...],
    clinic: str,
    clinic_phone: str,
    log: Section | None = None,
) -> Document:
    """`briefing` with its numbers as `Phone`s, its QR code's number and the log (when given)."""
    patient = plan.get("my_name").strip()
    clinic_name = f"Clinic — {clinic}" if clinic else "Clinic"
    by_label: dict[str, tuple[Phone, ...]] = {
        "Clinic": phone(
            format_phone(clinic_phone, region), region, contact=clinic_name, note="the clinic"
        ),
        "Out of hours": phone(
            format_phone(plan.get("clinic_out_of_hours"), region),
            region,
            contact=f"{clinic_name}, out of hours",
            note="the clinic, out of hours",
        ),
        "Their phone": phone(
            format_phone(plan.get("my_phone"), region),
            region,
            contact=patient or "The person you support",
            note="the person you support",
            mobile_texts=True,
        ),
    }
    if line is not None:
        by_label["Crisis line"] = entry_phones(
            line, f"Crisis line {line.name}", f"crisis line; {line.how_text}"
        )
    people = iter(plan.people)
    taken = {p.contact for phones in by_label.values() for p in phones}
    sections: list[Section] = []
    for section in briefing.sections:
        section = replace(section, rows=tuple(_place(r) for r in section.rows))
        if section.key == "emergency":
            section = _emergency(section, emergency, region)
        elif section.key == "call":
            rows: list[Row] = []
            past_hospital = False
            for row in section.rows:
                if past_hospital:  # the people, in the plan's order
                    person = next(people, None)
                    if person is not None:
                        what = roles_text(person.roles, short=True)
                        own = _own_name(person.display_name, person.relationship, taken)
                        note = "; ".join(x for x in (person.relationship.strip(), what) if x)
                        row = replace(
                            row,
                            phones=phone(
                                format_phone(person.phone, region),
                                region,
                                contact=own,
                                note=note,
                                mobile_texts=True,
                            ),
                        )
                elif row.label in by_label:
                    row = replace(row, phones=by_label[row.label])
                past_hospital = past_hospital or row.label == "Nearest hospital"
                rows.append(row)
            section = replace(section, rows=tuple(rows))
        elif section.key == "support":
            found: list[Phone] = []
            for entry in peers:
                found += entry_phones(entry, entry.name.split(" (")[0], entry.name)
            section = replace(section, phones=tuple(found))
        sections.append(section)
    if log is not None:
        sections.append(log)
    done = replace(briefing, sections=tuple(sections))
    scan = _scan(done)
    return replace(done, scan=scan, scan_label=scan_label(scan) if scan else "")


def _own_name(name: str, relationship: str, taken: set[str]) -> str:
    """A saved contact's name no other card has: cards are one per name, so two Sams (or two
    people without a name) would be one card with both numbers. "Sam (friend)", else "Sam 2"."""
    found = name
    if found in taken and relationship.strip():
        found = f"{name} ({relationship.strip()})"
    n = 2
    while found in taken:
        found, n = f"{name} {n}", n + 1
    taken.add(found)
    return found


def _place(row: Row) -> Row:
    """The rows whose value is an address (a maps link, when the patient turns it on)."""
    return replace(row, place=True) if row.label in _PLACES and not row.missing else row


def _scan(briefing: Document) -> Phone | None:
    """The clinic's number, else the first support person's: the one the QR code dials."""
    call = briefing.section("call")
    if call is None:
        return None
    clinic = next((r for r in call.rows if r.label == "Clinic" and r.phones), None)
    if clinic is not None:
        return clinic.phones[0]
    labels = {"Crisis line", "Clinic", "Out of hours", "Their phone", "Nearest hospital"}
    person = next(
        (r for r in call.rows if r.label not in labels and r.phones and r.phones[0].call), None
    )
    return person.phones[0] if person else None


def scan_label(scan: Phone) -> str:
    """What the printed page says beside the code: "Scan to call Calm Clinic"."""
    name = scan.contact.removeprefix("Clinic — ") or scan.shown
    return f"Scan to call {name} ({scan.shown})"


def log_section(start: datetime | None, end: datetime | None, rules: ClinicRules | None) -> Section:
    """The check-in log for a session at home, to fill in by hand and hand to the clinic."""
    minutes = (rules.check_in_minutes if rules else None) or DEFAULT_CHECK_IN_MINUTES
    asked = rules.blood_pressure if rules else ()
    table: list[tuple[str, ...]] = []
    if start is not None:
        table.append((f"{start:%H:%M}", "session starts", ""))
    if start is not None and end is not None and end > start:
        at = start + timedelta(minutes=minutes)
        while at <= end and len(table) < MAX_LOG_ROWS:
            table.append((f"{at:%H:%M}", "", ""))
            at += timedelta(minutes=minutes)
    else:
        table += [("", "", "")] * LOG_ROWS_UNTIMED
    rows = tuple(
        Row(f"{moment.capitalize()} the session", "blood pressure ____ / ____   pulse ____")
        for moment in asked
    )
    intro = (
        f"Look in every {minutes} minutes"
        + (
            " as the clinic asked"
            if rules and rules.check_in_minutes
            else " (the clinic may say otherwise)"
        )
        + ". Write the time, how they seem and anything you noticed; give this page to the clinic."
    )
    return Section(
        "log", "Check-in log", rows=rows, intro=intro, columns=LOG_COLUMNS, table=tuple(table)
    )
