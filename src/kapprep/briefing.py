"""The support person's briefing: what it says, built from the plan and the session.

`build_briefing(plan, session, ...)` turns the plan and the next session into a `Document`: titled
sections of rows (label, value, note), bullets and paragraphs, in the order a support person needs
them in a hurry — first what an emergency looks like, the number to call and the address to give,
and first aid while waiting; then whom else to call (the country's crisis line, the clinic and its
out-of-hours number, the patient, the nearest hospital, the people); then the day, what to watch
for, what helps, practical help, medications (only if shared), how to help safely, support for
them, what KAP is, and the sources. Missing values are kept as "not set" so the gaps show. The
emergency number is the patient's own if typed, else their country's (`kapprep.crisis`), else the
generic line; the footer says which parts are the patient's and which are general guidance.

The renderers are `kapprep.documents` (each a pure function of the `Document`): `render_text` (80
columns), `render_markdown`, `render_html` (standalone, print CSS, no scripts, escaped) and
`render_pdf` (fpdf2, imported only when a PDF is made); the journal's export uses them too. No
Textual here.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Final

from kapprep.clinic_rules import ClinicRules, sentence
from kapprep.crisis import COUNTRIES, GENERIC_EMERGENCY, Entry, emergency_number
from kapprep.plan import (
    Person,
    Plan,
    SessionLike,
    addresses,
    day_times,
    find_person,
    format_phone,
    missing_fields,
    roles_text,
)

__all__ = [
    "FORMATS",
    "NOT_SET",
    "SUFFIXES",
    "Document",
    "Format",
    "Paper",
    "Row",
    "Section",
    "build_briefing",
    "render",
    "render_html",
    "render_markdown",
    "render_pdf",
    "render_text",
]

from kapprep.at_home import CREDITS as DURING_CREDITS
from kapprep.at_home import at_home, during_section
from kapprep.documents.html import render_html
from kapprep.documents.markdown import render_markdown
from kapprep.documents.model import (
    FORMATS,
    NOT_SET,
    SUFFIXES,
    Credit,
    Document,
    Format,
    Paper,
    Row,
    Section,
)
from kapprep.documents.pdf import render_pdf
from kapprep.documents.text import render_text

# --------------------------------------------------------------------------------------------
# Fixed content, from the public guides in the project's research notes (kap-guides.md)

SAFELY: Final[tuple[str, ...]] = (
    "Make the space safe, calm and quiet. Sit with them; do not guide. (Zendo Project)",
    "With difficult feelings: talk them through, not down; a difficult moment is not a bad one. "
    "(Zendo Project)",
    "Check on them quietly, about every 15 minutes, with no need to talk or touch unless they "
    "need it. Help them to the bathroom and check they are steady. (Mindbloom)",
    "Water first, then mild food. No alcohol or recreational drugs that day. Their usual "
    "medicines: as the clinic said; a prescribed sedative or sleeping medicine only after asking "
    "the clinic. (healingmaps.com, ketwell.com)",
    "No big decisions or difficult conversations right after the session. (askp.org)",
)
EMERGENCY_SIGNS: Final[tuple[str, ...]] = (
    "cannot be woken or do not respond",
    "have trouble breathing, or breathing is slow, noisy or stops",
    "have chest pain",
    "faint",
    "have a fit",
    "get more and more confused",
    "talk about ending their life and you think they may act",
)
"""When to call the emergency number at once (blockislandmentalhealth.org; TripSit for chest
pain: `CREDITS`). Fainting is a loss of consciousness, which the Block Island page names."""
NOT_WAKING: Final = (
    "Breathing but will not wake: put them in the recovery position and stay with them. "
    "Nothing to eat or drink while they are very drowsy."
)
SUICIDE_RISK: Final = (
    "Talk of suicide",
    "If they talk about not wanting to live or harming themselves, stay with them and call the "
    "crisis line or the emergency number.",
)
ABOUT_SOMEONE_ELSE: Final = "you can call it about someone else"
ABOUT: Final[tuple[str, ...]] = (
    "Ketamine-assisted psychotherapy (KAP) is a treatment given by a clinic: a ketamine session "
    "with therapy before and after, usually several sessions over some weeks. Afterwards people "
    "can feel tired, dizzy, sick to the stomach or emotional for a while.",
    "Why you matter: your calm company is support in itself. Your encouragement helps them keep "
    "going. Your practical help gives them room to rest. You watch over their safety. Talking "
    "with them in the days after helps what they learned to stick. The clinic looks after the "
    "medical side.",
)


CREDITS: Final[tuple[Credit, ...]] = (
    Credit(
        "Block Island Mental Health, help in an emergency (when to call: unconsciousness, "
        "breathing, fits, confusion, suicide)",
        "https://blockislandmentalhealth.org/help-in-emergency/",
        "Call 911 or seek medical help for unconsciouness, irregular breathing, skin color, "
        "vomiting, incoherence, seizure, delirium",
    ),
    Credit(
        "TripSit wiki, Emergency Procedure (chest pain)",
        "https://wiki.tripsit.me/index.php?oldid=4692&title=Emergency_Procedure",
        "Chest pains | Heart attack",
    ),
    Credit(
        "British Red Cross, two first aid actions (the recovery position)",
        "http://blogs.redcross.org.uk/first-aid/2016/11/two-first-aid-actions-save-a-life/",
        "Turning an unresponsive person who is breathing on their side and tilting their head "
        "back to open their airway.",
    ),
    Credit(
        "Block Island Mental Health, help in an emergency (while waiting)",
        "https://blockislandmentalhealth.org/help-in-emergency/",
        "No food is given – choking /vomiting hazard especially if the person is not fully "
        "conscious",
    ),
    Credit(
        "Oregon Health Authority, about 988 (calling about someone else)",
        "https://www.oregon.gov/oha/BH/Lifespan/Pages/About-988.aspx",
        "988 is available to help you support loved ones or yourself.",
    ),
    Credit(
        "Zendo Project, four principles of psychedelic peer support (sitting with someone)",
        "https://zendoproject.org/education/",
        "Talk through, not down",
    ),
    Credit(
        "Mindbloom, do I need a Peer Treatment Monitor? (check-ins)",
        "https://help-center.mindbloom.com/en/articles/8895286-do-i-need-a-peer-treatment-monitor-ptm",
        "Visually checking in every 15 minutes to monitor your condition, intervening only if "
        "support is necessary (no talking or physical touching unless required).",
    ),
    Credit(
        "Mindbloom, do I need a Peer Treatment Monitor? (the bathroom)",
        "https://help-center.mindbloom.com/en/articles/8895286-do-i-need-a-peer-treatment-monitor-ptm",
        "Assisting you to the bathroom to ensure stability if needed.",
    ),
    Credit(
        "Healing Maps, after a ketamine therapy session (medicines; what KAP is like after)",
        "https://healingmaps.com/completed-a-ketamine-therapy-session",
        "You can resume all medications immediately after a ketamine therapy session. But it is "
        "best to avoid taking sedative medications",
    ),
    Credit(
        "Healing Maps, after a ketamine therapy session (food)",
        "https://healingmaps.com/completed-a-ketamine-therapy-session",
        "it’s best to start with mild foods and gradually return to your regular diet",
    ),
    Credit(
        "Ketwell, pre- and post-treatment instructions (alcohol and drugs)",
        "https://ketwell.com/pre-and-post-treatment-instructions/",
        "You should not use any recreational drugs or alcohol for the next 24 hours",
    ),
    Credit(
        "American Society of Ketamine Physicians, tips to prepare (big decisions)",
        "https://www.askp.org/patients/tips-to-prepare-for-ketamine-treatment/",
        "no major decisions or discussing controversial topics",
    ),
    Credit(
        "American Society of Ketamine Physicians, tips for loved ones (why you matter)",
        "https://www.askp.org/patients/tips-to-prepare-loved-ones-supporting-patients/",
        "they need supportive care from loved ones",
    ),
)
"""Every page the briefing's fixed texts (above) come from, each with the words relied on; the
Sources section lists them (the crisis lines name their own pages, in `kapprep.crisis`)."""


def _source_lines(credits: Sequence[Credit]) -> tuple[str, ...]:
    """One line a page, in order: its publisher's name, its address and what it is cited for
    (the words in brackets at the end of each credit's title)."""
    names: dict[str, str] = {}
    topics: dict[str, list[str]] = {}
    for credit in credits:
        name, _, topic = credit.title.partition(" (")
        names.setdefault(credit.url, name.split(",")[0])
        if topic and topic.rstrip(")") not in topics.setdefault(credit.url, []):
            topics[credit.url].append(topic.rstrip(")"))
    return tuple(
        f"{name}: {url}" + (f" ({'; '.join(topics[url])})" if topics.get(url) else "")
        for url, name in names.items()
    )


SOURCES: Final[tuple[str, ...]] = _source_lines(CREDITS)
FOOTER: Final = (
    "Not medical advice: the clinic's instructions come first. Names, numbers, times and notes "
    "are {who}'s own; the emergency signs, first aid, crisis lines and tips are general guidance "
    "from the sources above. Made with kapprep."
)


# --------------------------------------------------------------------------------------------
# Building


def _when(dt: datetime | None) -> str:
    return f"{dt:%H:%M}" if dt else NOT_SET


def _row(label: str, value: str | None, note: str = "") -> Row:
    text = (value or "").strip()
    return Row(label, text or NOT_SET, note, missing=not text)


def _person_label(p: Person) -> str:
    return f"{p.display_name} ({p.relationship})" if p.relationship.strip() else p.display_name


def _names(people: Sequence[Person]) -> str:
    return ", ".join(p.display_name for p in people)


def build_briefing(
    plan: Plan,
    session: SessionLike | None,
    *,
    region: str | None = None,
    for_name: str | None = None,
    country: str | None = None,
    rules: ClinicRules | None = None,
    support_note: str | None = None,
) -> Document:
    """The briefing for `plan` and the next `session` (None: no session yet).

    `for_name` tailors it to one person's roles (PlanError if nobody matches). `region` is used to
    show numbers typed without a country code in international form. `country` (the setting: a
    code from the crisis directory) gives the crisis line, and the emergency number when the
    patient typed none. `rules` (`clinic_rules.effective`) gives the Driving row the clinic's
    rule; without one, it says that the clinic decides. `support_note` is the patient's own note for
    the support person (`journal_share.shared_note`: only when they chose to show it).
    """
    person = find_person(plan, for_name) if for_name else None
    clinic = plan.get("clinic") or (session.clinic if session else None) or ""
    clinic_phone = plan.get("clinic_phone") or (session.phone if session else None) or ""
    clinic_address, home = addresses(plan, session)
    emergency = plan.get("emergency_number")
    day = day_times(plan, session.start if session else None)
    patient = plan.get("my_name").strip()
    who = patient or "the patient"

    place = COUNTRIES.get((country or "").upper())
    line = place.crisis_line if place else None
    sections: list[Section] = [_emergency(emergency or emergency_number(country) or "", home)]
    # 1. Whom to call, after the emergency number
    calls = [
        _crisis_row(line),
        _row(
            "Clinic",
            format_phone(clinic_phone, region) if clinic_phone else "",
            ", ".join(x for x in (clinic, clinic_address) if x) or f"clinic: {NOT_SET}",
        ),
        _row("Out of hours", format_phone(plan.get("clinic_out_of_hours"), region)),
        _row("Their phone", format_phone(plan.get("my_phone"), region)),
        _row("Nearest hospital", plan.get("nearest_hospital")),
    ]
    for p in plan.people:
        note = "; ".join(x for x in (roles_text(p.roles, short=True), p.notes.strip()) if x)
        calls.append(_row(_person_label(p), format_phone(p.phone, region), note))
    if not plan.people:
        calls.append(_row("Support person", ""))
    sections.append(Section("call", "Whom else to call", rows=tuple(calls)))

    # 2. Your part (tailored)
    if person is not None:
        sections.append(
            _your_part(person, plan, day.arrive, day.pickup, clinic_address, who, at_home(session))
        )

    # 3. The day
    date = f"{day.start:%A %d %B %Y}" if day.start else NOT_SET
    if day.start is not None:  # every time below is the session's own; name its zone if need be
        from kapprep.zones import local_zone, zone_label

        label = zone_label(day.start, local_zone())
        date += f" (times in {label})" if label else ""
    collectors = plan.with_role("collects_after")
    pickup_note = (
        "by "
        + ", ".join(
            f"{p.display_name} at {p.collect_at}" if p.collect_at else p.display_name
            for p in collectors
        )
        if collectors
        else "who collects: not set"
    )
    if day.pickup and not day.pickup_is_set:
        pickup_note += "; session end + the clinic's recovery time"
    away = not at_home(session)  # at home: no arriving with a driver, no pick-up
    rows = [
        _row("Date", date if day.start else ""),
        *(
            (
                _row(
                    "Arrive",
                    _when(day.arrive) if day.arrive else "",
                    "with the driver: " + (_names(plan.with_role("drives_there")) or NOT_SET),
                ),
            )
            if away
            else ()
        ),
        _row(
            "Session starts",
            _when(day.start) if day.start else "",
            clinic_address if away else f"at home{', ' + home if home else ''}",
        ),
        _row("Session ends", _when(day.end) if day.end else "", "about, as the clinic says"),
        *((_row("Pick-up", _when(day.pickup) if day.pickup else "", pickup_note),) if away else ()),
        Row("Driving", f"{who}: {sentence('driving', rules.driving if rules else None, day.end)}"),
    ]
    stayers = plan.with_role("stays_with_me")
    for p in stayers:
        until = f"until {p.stay_until}" if p.stay_until else f"until: {NOT_SET}"
        rows.append(Row("Stays with them", f"{p.display_name}, {until}", missing=not p.stay_until))
    if not stayers:
        rows.append(_row("Stays with them", ""))
    checkers = plan.with_role("checks_in")
    if checkers:
        rows.append(Row("Next day", f"check-in by {_names(checkers)}"))
    sections.append(Section("day", "The day", rows=tuple(rows)))
    session_at_home = at_home(session)
    if (
        session_at_home
    ):  # the sitter's part: the clinic's rules where given, else the public guides'
        sections.append(during_section(plan, rules, who))
    if support_note and support_note.strip():  # the patient's words, only when chosen
        sections.append(
            Section("note", f"What {who} wants you to know", paragraphs=(support_note.strip(),))
        )

    # 4. What to watch for
    watch = [Row(*SUICIDE_RISK)]
    watch += [Row(s.sign, s.what_to_do or NOT_SET, missing=not s.what_to_do) for s in plan.signs]
    for label, key in (
        ("Call the clinic", "call_clinic_when"),
        ("Call emergency", "call_emergency_when"),
    ):
        when = plan.get(key)
        watch.append(_row(label, f"when {when}" if when and not when.startswith("when") else when))
    sections.append(Section("watch", "What to watch for, and what to do", rows=tuple(watch)))

    # 5. What helps
    sections.append(
        Section(
            "helps",
            "What helps, and what does not",
            rows=(
                _row("Helps", plan.get("what_helps")),
                _row("Does not help", plan.get("what_not_helps")),
            ),
        )
    )
    # 6. Practical help
    sections.append(
        Section(
            "practical",
            "Practical help",
            rows=tuple(
                _row(label, plan.get(key))
                for key, label in (
                    ("help_meals", "Meals"),
                    ("help_children", "Children"),
                    ("help_pets", "Pets"),
                    ("help_chores", "Chores"),
                )
            ),
        )
    )
    # 7. Medications (only when the patient chooses to share them)
    if plan.shares_medical:
        sections.append(
            Section(
                "medical",
                "Medications and allergies",
                rows=(
                    _row("Medications", plan.get("medications")),
                    _row("Allergies", plan.get("allergies")),
                ),
            )
        )
    if plan.get("keep_private"):
        sections.append(
            Section("private", "Please keep private", paragraphs=(plan.get("keep_private"),))
        )
    sections.append(Section("safely", "How to help safely", bullets=SAFELY))
    peers = tuple(e for e in (place.lines if place else ()) if e.kind == "peer support")
    if peers:
        sections.append(
            Section("support", "Support for you", paragraphs=tuple(_peer_line(e) for e in peers))
        )
    sections.append(Section("about", "What is KAP, and why you matter", paragraphs=ABOUT))
    sources = (
        (SOURCES + tuple(s for s in _source_lines(DURING_CREDITS) if s not in SOURCES))
        if session_at_home
        else SOURCES
    )
    sources += tuple(f"{e.name}: {e.source}" for e in ((line,) if line else ()) + peers)
    sections.append(Section("sources", "Sources", bullets=sources))

    title = f"Supporting {patient} after a ketamine session" if patient else "Support briefing"
    subtitle = (
        f"For {person.display_name}: you {_your_roles(person, who, session_at_home)}."
        if person
        else "What to do in an emergency is first. Keep this page with you on the day."
    )
    document = Document(
        title=title,
        subtitle=subtitle,
        sections=tuple(sections),
        missing=tuple(missing_fields(plan, session)),
        footer=FOOTER.format(who=patient or "the patient"),
        for_name=person.display_name if person else None,
    )
    from kapprep.pocket import log_section, pocket  # tel:/sms: links, contacts, QR, the log

    log = log_section(day.start, day.end, rules) if session_at_home else None
    number = emergency or emergency_number(country) or ""
    return pocket(document, plan, emergency=number, region=region, line=line, peers=peers,
                  clinic=clinic, clinic_phone=clinic_phone, log=log)  # fmt: skip


def _emergency(number: str, home: str) -> Section:
    """The top of every briefing: whom to call and what to say, the signs, first aid."""
    shown = number or GENERIC_EMERGENCY[0].upper() + GENERIC_EMERGENCY[1:]
    return Section(
        "emergency",
        f"In an emergency call {number}" if number else "In an emergency",
        rows=(
            *(() if number else (Row("Call", shown),)),
            _row("Give this address", home),
        ),
        intro="Call now if they:",
        bullets=EMERGENCY_SIGNS,
        paragraphs=(NOT_WAKING,),
    )


def _crisis_row(line: Entry | None) -> Row:
    if line is None:
        return Row("Crisis line", "ask the clinic for one where you live")
    return Row(
        "Crisis line", f"{line.name} {line.numbers}", f"{line.how_text}; {ABOUT_SOMEONE_ELSE}"
    )


def _peer_line(entry: Entry) -> str:
    return (
        f"{entry.name}: {entry.how_text}, {entry.numbers}. For a medical emergency, call the "
        "emergency number."
    )


def _your_part(
    person: Person,
    plan: Plan,
    arrive: datetime | None,
    pickup: datetime | None,
    clinic_address: str,
    who: str,
    home: bool = False,
) -> Section:
    rows: list[Row] = []
    place = clinic_address or f"the clinic (address {NOT_SET})"
    if person.has("drives_there"):
        rows.append(_row("Drive there", f"arrive by {_when(arrive)}" if arrive else "", place))
    if person.has("sits_during") and home:
        rows.append(Row("During", f"sit with {who}, within earshot; see During the session"))
    if person.has("collects_after"):
        at = person.collect_at or (f"{pickup:%H:%M}" if pickup else "")
        rows.append(_row("Collect", at, f"from {place}; {who} must not drive"))
    if person.has("stays_with_me"):
        rows.append(
            _row("Stay with them", f"until {person.stay_until}" if person.stay_until else "")
        )
    if person.has("checks_in"):
        rows.append(Row("Next day", f"check in with {who}"))
    if person.has("integration_buddy"):
        rows.append(Row("Days after", "talk things through when they want to"))
    if person.notes.strip():
        rows.append(Row("Note", person.notes.strip()))
    if not rows:
        rows.append(Row("Your part", "be someone they can call"))
    return Section("yours", f"Your part, {person.display_name}", rows=tuple(rows))


_ROLE_YOU: Final = {
    "drives_there": "drive {who} there",
    "sits_during": "sit with {who} during the session",
    "collects_after": "collect {who} after",
    "stays_with_me": "stay with {who} after",
    "checks_in": "check in the next day",
    "integration_buddy": "talk things through in the days after",
}


def _your_roles(person: Person, who: str, home: bool = False) -> str:
    roles = [r for r in person.roles if r in _ROLE_YOU and (home or r != "sits_during")]
    parts = [_ROLE_YOU[r].format(who=who) for r in roles]
    if not parts:
        return "are someone they can call"
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def render(briefing: Document, fmt: Format, paper: Paper = "a4", *, maps: bool = False) -> bytes:
    """The briefing in `fmt` as bytes (UTF-8 for the text formats); `maps`: the phone page links
    each address to a map (the patient's setting, off by default)."""
    if fmt == "vcf":
        from kapprep.documents.vcard import render_vcard

        return render_vcard(briefing).encode("utf-8")
    if fmt == "text":
        return render_text(briefing).encode("utf-8")
    if fmt == "md":
        return render_markdown(briefing).encode("utf-8")
    if fmt == "html":
        return render_html(briefing, paper, maps=maps).encode("utf-8")
    return render_pdf(briefing, paper)
