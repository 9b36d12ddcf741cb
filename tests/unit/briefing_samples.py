"""A typical plan and a session, shared by the plan and briefing tests (fixed data, no clock)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from kapprep.plan import Person, Plan, default_plan

LONDON = ZoneInfo("Europe/London")
NAME = "Zoë Ødegård 李小龍"


@dataclass(frozen=True)
class FakeSession:
    start: datetime
    place: str | None = None
    clinic: str | None = None
    phone: str | None = None
    place_kind: str | None = None


SESSION = FakeSession(datetime(2026, 12, 3, 10, 0, tzinfo=LONDON))

VALUES = {
    "my_name": "Alex Morgan",
    "my_phone": "+44 7911 123459",
    "clinic": "Calm Waters Clinic",
    "clinic_address": "12 High Street, Leeds LS1 4AB",
    "clinic_phone": "+44 113 496 0000",
    "clinic_out_of_hours": "+44 113 496 0999",
    "session_minutes": "60",
    "recovery_minutes": "90",
    "home_address": "4 Elm Road, Leeds LS6 2QQ",
    "nearest_hospital": "Leeds General Infirmary, Great George Street, Leeds LS1 3EX",
    "emergency_number": "999",
    "what_helps": "Quiet music, a blanket, being left to rest.",
    "what_not_helps": "Lots of questions, bright lights.",
    "help_meals": "Soup in the fridge; heat it at 7 pm.",
    "help_children": "Mia is with her gran until Sunday.",
    "help_pets": "Feed the cat at 6 pm.",
    "help_chores": "None needed.",
    "share_medical": "yes",
    "medications": "Sertraline in the morning",
    "allergies": "Penicillin",
    "keep_private": "Please don't mention the treatment to my work.",
}

PEOPLE = (
    Person(
        1,
        NAME,
        "partner",
        "+44 7911 123456",
        ("drives_there", "collects_after", "stays_with_me"),
        None,
        "9 am the next day",
    ),
    Person(2, "Sam Patel", "friend", "+44 7911 223344", ("checks_in", "integration_buddy")),
)


def typical_plan() -> Plan:
    return Plan(values=dict(VALUES), people=PEOPLE, signs=default_plan().signs)
