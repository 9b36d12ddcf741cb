"""What follows from a plan: the day's times (arrive, end, pick-up), what the briefing would show as
"not set", finding a person by name, and roles as text.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Final

from kapprep.plan.model import (
    FIELDS,
    ROLE_LABELS,
    ROLE_SHORT,
    ROLES,
    Person,
    Plan,
    PlanError,
    SessionLike,
    at_home,
    parse_clock,
)

if TYPE_CHECKING:
    pass


# --------------------------------------------------------------------------------------------
# The day's timeline


@dataclass(frozen=True, slots=True)
class DayTimes:
    """The day's times, aware, in the session's zone (None: not known yet)."""

    start: datetime | None
    arrive: datetime | None
    end: datetime | None
    pickup: datetime | None
    pickup_is_set: bool
    """True when the patient typed the pick-up time; False when it is end + recovery."""


def day_times(plan: Plan, start: datetime | None) -> DayTimes:
    """Arrive = start − arrive early; end = start + session; pick-up = end + recovery (editable)."""
    if start is None:
        return DayTimes(None, None, None, None, False)
    if start.tzinfo is None:
        raise ValueError("session start must be timezone-aware")
    early = plan.minutes("arrive_early")
    length = plan.minutes("session_minutes")
    recovery = plan.minutes("recovery_minutes")
    arrive = start - timedelta(minutes=early) if early is not None else None
    end = start + timedelta(minutes=length) if length is not None else None
    try:
        clock = parse_clock(plan.get("pickup_at")) if plan.get("pickup_at") else None
    except PlanError:  # only possible in a hand-edited import: treat as not set
        clock = None
    if clock is not None:
        pickup: datetime | None = datetime.combine(start.date(), clock, tzinfo=start.tzinfo)
        return DayTimes(start, arrive, end, pickup, True)
    pickup = end + timedelta(minutes=recovery) if end is not None and recovery is not None else None
    return DayTimes(start, arrive, end, pickup, False)


# --------------------------------------------------------------------------------------------
# What is missing


def addresses(plan: Plan, session: SessionLike | None) -> tuple[str, str]:
    """(the clinic's address, the address to give an ambulance). The session's own place is
    the clinic's, or, for a session at home, the home's: a helper in a hurry must never be
    handed the home as the clinic, nor be told the home address is not set when it is."""
    place = (session.place if session else None) or ""
    home = at_home(session)
    clinic = plan.get("clinic_address") or ("" if home else place)
    return clinic, plan.get("home_address") or (place if home else "")


AWAY_ONLY: Final = frozenset({"recovery_minutes", "clinic_address"})
"""The plan's fields a session at home can do without (no recovery time at the clinic, nobody
to send there); the clinic's name and phone stay needed."""


def missing_fields(plan: Plan, session: SessionLike | None = None) -> list[str]:
    """What the briefing would show as "not set", in the briefing's order, in plain words."""
    missing: list[str] = []
    clinic = plan.get("clinic") or (session.clinic if session else None)
    clinic_phone = plan.get("clinic_phone") or (session.phone if session else None)
    clinic_address, home_address = addresses(plan, session)
    home = at_home(session)
    fallback = {
        "clinic": clinic,
        "clinic_phone": clinic_phone,
        "clinic_address": clinic_address,
        "home_address": home_address,
    }
    if session is None:
        missing.append("the session's date and time (add a session)")
    for spec in FIELDS:
        if not spec.required or (home and spec.key in AWAY_ONLY):
            continue
        value = fallback.get(spec.key, plan.get(spec.key))
        if not value:
            missing.append(spec.label)
    if not plan.people:
        missing.append("a support person")
    for role in ("stays_with_me",) if home else ("collects_after", "stays_with_me"):
        if not plan.with_role(role):
            missing.append(f"someone who {ROLE_LABELS[role].replace('me', 'you')}")
    for person in plan.people:
        if not person.name.strip():
            missing.append("a support person's name")
        elif not person.phone:
            missing.append(f"{person.name}'s phone")
    if plan.shares_medical and not (plan.get("medications") or plan.get("allergies")):
        missing.append("Medications and allergies (you chose to share them)")
    return missing


def find_person(plan: Plan, name: str) -> Person:
    """The person whose name matches (case-insensitive; a unique start of the name is enough)."""
    wanted = name.strip().casefold()
    if not wanted:
        raise PlanError("give a name")
    exact = [p for p in plan.people if p.name.strip().casefold() == wanted]
    if len(exact) == 1:
        return exact[0]
    starts = [p for p in plan.people if p.name.strip().casefold().startswith(wanted)]
    if len(starts) == 1:
        return starts[0]
    names = ", ".join(p.display_name for p in plan.people) or "nobody yet"
    if len(exact) > 1 or len(starts) > 1:
        raise PlanError(f"more than one person matches {name!r} (people: {names})")
    raise PlanError(f"nobody called {name!r} is in the plan (people: {names})")


def roles_text(roles: Iterable[str], short: bool = False) -> str:
    labels = ROLE_SHORT if short else ROLE_LABELS
    return ", ".join(labels[r] for r in roles if r in labels)


def parse_roles(text: str | Sequence[str]) -> tuple[str, ...]:
    """Roles from "drives_there, stays_with_me" (or a list); PlanError for an unknown one."""
    items = text.split(",") if isinstance(text, str) else list(text)
    roles: list[str] = []
    for item in items:
        role = item.strip().replace("-", "_").replace(" ", "_")
        if not role:
            continue
        if role not in ROLES:
            raise PlanError(f"unknown role {item.strip()!r} (roles: {', '.join(ROLES)})")
        roles.append(role)
    return tuple(r for r in ROLES if r in roles)
