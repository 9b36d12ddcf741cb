"""The briefing's "During the session" section, for a session at home: the sitter's part.

At a clinic the staff watch over the session; at home (Mindbloom, Journey Clinical, Nue Life,
Innerwell) the person who sits with the patient does, and until now only the patient's checklist
said how. The section names who sits with them (the plan's `sits_during` role), how often to look
in and what to do about blood pressure, from the clinic's own rules (`clinic_rules`:
`check_in_minutes`, `blood_pressure`) where its checklist file gives them, else from the public
guides (`CREDITS`), each a page with the words relied on. No numbers of kapprep's own: the
blood-pressure limits are the clinic's, and so is everything medical.
"""

from __future__ import annotations

from typing import Final

from kapprep.clinic_rules import ClinicRules
from kapprep.documents.model import NOT_SET, Credit, Row, Section
from kapprep.plan import Person, Plan
from kapprep.plan.model import at_home as at_home  # where the plan's rules can use it too

__all__ = ["CREDITS", "DEFAULT_CHECK_IN_MINUTES", "at_home", "during_section", "sitters"]

DEFAULT_CHECK_IN_MINUTES: Final = 15
"""What the public guides say (Mindbloom, Journey Clinical), until the clinic says otherwise."""

CREDITS: Final[tuple[Credit, ...]] = (
    Credit(
        "Mindbloom, do I need a Peer Treatment Monitor? (looking in, the timer, journaling, the "
        "bathroom, emergencies)",
        "https://help-center.mindbloom.com/en/articles/8895286-do-i-need-a-peer-treatment-monitor-ptm",
        "Visually checking in every 15 minutes to monitor your condition, intervening only if "
        "support is necessary (no talking or physical touching unless required).",
    ),
    Credit(
        "Journey Clinical, KAP chaperone guidelines (agreeing how often to look in)",
        "https://journeyclinical.com/kap-chaperone-guidelines",
        "Agree on check-in frequency with patient and therapist (e.g. non-verbal eye check every "
        "15 minutes for self-guided KAP)",
    ),
    Credit(
        "Innerwell, a sitter's guide (within earshot, no headphones, a quiet house)",
        "https://helloinnerwell.com/reflections/role-of-a-sitter",
        "Stay within earshot of your friend or loved one in case they need anything. Please do "
        "not wear headphones.",
    ),
    Credit(
        "Nue Life, how should I choose my sitter? (sober and present)",
        "https://intercom.help/nuelife/en/articles/6309084-how-should-i-choose-my-sitter",
        "They should be sober and present throughout your ketamine experience.",
    ),
    Credit(
        "Nue Life, set and setting tips (blood pressure)",
        "https://intercom.help/nuelife/en/articles/5721945-set-and-setting-tips",
        "the medical team will have your sitter keep an eye on your blood pressure",
    ),
)
"""The pages the section's general guidance comes from (used when the clinic's rules are not
given, and for what no clinic rule covers)."""


def sitters(plan: Plan) -> tuple[Person, ...]:
    """The people whose part is to sit with the patient during a session at home."""
    return tuple(plan.with_role("sits_during"))


def _moments(moments: tuple[str, ...]) -> str:
    return " and ".join(moments)


def during_section(plan: Plan, rules: ClinicRules | None, who: str) -> Section:
    """The section for a session at home (the caller checks `at_home`)."""
    people = sitters(plan)
    minutes = rules.check_in_minutes if rules and rules.check_in_minutes else None
    moments = rules.blood_pressure if rules else ()
    names = ", ".join(p.display_name for p in people)
    look_in = (
        Row("Look in", f"every {minutes} minutes", "as the clinic asked; a quiet look, no talking")
        if minutes
        else Row(
            "Look in",
            f"about every {DEFAULT_CHECK_IN_MINUTES} minutes",
            "a quiet look; no talking or touching unless they need it; the clinic may say "
            "otherwise",
        )
    )
    pressure = (
        Row(
            "Blood pressure",
            f"{_moments(moments)} the session, as the clinic asked",
            "with the clinic's cuff; call the clinic if the numbers are outside the ones it gave",
        )
        if moments
        else Row(
            "Blood pressure",
            "only if the clinic gave you a cuff: when and how it said",
            "call the clinic if the numbers are outside the ones it gave",
        )
    )
    rows = (
        Row(
            "Sits with them",
            names or NOT_SET,
            "sober and present throughout, within earshot, no headphones",
            missing=not names,
        ),
        look_in,
        pressure,
    )
    bullets = (
        "Keep the house quiet: children, pets and noise kept away.",
        "Start a timer when the session begins; when it ends, remind them to write in their "
        "journal.",
        f"Help {who} to the bathroom if they need to go, and check they are steady.",
        "If you see any of the signs at the top of this page, call the emergency number.",
    )
    return Section("during", "During the session at home", rows=rows, bullets=bullets)
