"""The support-person plan: who helps, how, when, and what to watch for.

A plain module (no Textual). The plan lives in three store tables: `plan_fields` (one row per
filled-in field), `plan_people` and `plan_signs`. Every change is one short transaction
(`set_field`, `add_person`, `update_person`, `remove_person`, `set_sign`, ...), so nothing is lost
and two running copies never overwrite each other's work. `load_plan` reads it all back as frozen
dataclasses; `missing_fields` lists what the briefing would show as "not set".

The pre-filled warning signs and what to do come only from the public guides named beside them
(see the briefing's sources). Nothing here is medical advice: it defers to the clinic.
"""

from __future__ import annotations

import json
import locale
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING, Any, Final, Literal, Protocol, get_args

from kapprep.whentext import whole_minutes

if TYPE_CHECKING:
    from kapprep.store import Store


class SessionLike(Protocol):
    """What the plan needs from a session (the store's `Session` fits)."""

    @property
    def start(self) -> datetime: ...
    @property
    def place(self) -> str | None: ...
    @property
    def clinic(self) -> str | None: ...
    @property
    def phone(self) -> str | None: ...


__all__ = [
    "DEFAULT_SIGNS",
    "FIELDS",
    "ROLES",
    "ROLE_LABELS",
    "FieldSpec",
    "Person",
    "Plan",
    "PlanError",
    "SessionLike",
    "Sign",
    "Timeline",
    "add_person",
    "add_sign",
    "clean_field",
    "default_region",
    "export_plan",
    "find_person",
    "format_phone",
    "import_plan",
    "load_plan",
    "missing_fields",
    "normalise_phone",
    "parse_clock",
    "remove_person",
    "remove_sign",
    "set_field",
    "set_sign",
    "timeline",
    "update_person",
]


class PlanError(ValueError):
    """A value the patient can fix; the message names the field and says what is wrong."""


# --------------------------------------------------------------------------------------------
# Roles

Role = Literal[
    "drives_there",
    "sits_during",
    "collects_after",
    "stays_with_me",
    "checks_in",
    "integration_buddy",
]
ROLES: Final[tuple[Role, ...]] = get_args(Role)
"""Every role, in the order they come on the day."""
ROLE_LABELS: Final[Mapping[str, str]] = {
    "drives_there": "drives me there",
    "sits_during": "sits with me during a session at home (within earshot, sober)",
    "collects_after": "collects me after",
    "stays_with_me": "stays with me after",
    "checks_in": "checks in the next day",
    "integration_buddy": "integration buddy (talks things through in the days after)",
}
"""Each role as the patient would say it."""
ROLE_SHORT: Final[Mapping[str, str]] = {
    "drives_there": "drives there",
    "sits_during": "sits during (at home)",
    "collects_after": "collects after",
    "stays_with_me": "stays after",
    "checks_in": "checks in next day",
    "integration_buddy": "integration buddy",
}


@dataclass(frozen=True, slots=True)
class Person:
    """Someone who helps. `phone` is stored in international form once validated."""

    id: int | None = None
    name: str = ""
    relationship: str = ""
    phone: str = ""
    roles: tuple[str, ...] = ()
    collect_at: str | None = None
    """"HH:MM" on the session's day, when this person collects the patient (None: the plan's)."""
    stay_until: str | None = None
    """Until when this person stays, in the patient's words ("9 am the next day")."""
    notes: str = ""
    position: int = 0

    def has(self, role: str) -> bool:
        return role in self.roles

    @property
    def display_name(self) -> str:
        return self.name.strip() or "(no name)"


@dataclass(frozen=True, slots=True)
class Sign:
    """A warning sign and what the support person does about it."""

    id: int | None
    sign: str
    what_to_do: str
    position: int = 0


# The common after-effects the guides name (healingmaps.com, soulhealingcalgary.com,
# propeltherapeutics.com), with only what the guides say to do, and "call the clinic" otherwise.
DEFAULT_SIGNS: Final[tuple[tuple[str, str], ...]] = (
    (
        "Nausea",
        "Common after a session. Offer water first, then mild food later. "
        "Call the clinic if you are worried.",
    ),
    (
        "Dizziness or unsteadiness",
        "Offer an arm when they walk and check they are steady; stay close on the way to the "
        "bathroom. Call the clinic if it does not pass or you are worried.",
    ),
    (
        "Tiredness",
        "Common. Let them rest somewhere quiet, with less noise and fewer screens.",
    ),
    (
        "Disorientation",
        "Common for a while. Stay close, speak calmly and simply, keep the room safe. "
        "No driving, no big decisions.",
    ),
    (
        "Strong feelings",
        "Sit with them. Talk them through, not down. Call the clinic if you are worried.",
    ),
)

DEFAULT_CALL_CLINIC_WHEN: Final = (
    "you are worried, an after-effect does not pass, or you are unsure what to do."
)
DEFAULT_CALL_EMERGENCY_WHEN: Final = (
    "it is a medical emergency, or they or anyone else is in danger. Then call the clinic."
)


# --------------------------------------------------------------------------------------------
# Fields

FieldKind = Literal["text", "long", "phone", "emergency", "minutes", "clock", "yesno"]


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """One plan field: its key in `plan_fields`, its label, its kind and its group on the form."""

    key: str
    label: str
    kind: FieldKind
    group: str
    hint: str = ""
    default: str = ""
    required: bool = False
    """Listed by `missing_fields` when empty."""


FIELDS: Final[tuple[FieldSpec, ...]] = (
    FieldSpec("my_name", "Your name", "text", "You", "so they know whom the briefing is about"),
    FieldSpec("my_phone", "Your phone", "phone", "You", "so they can reach you"),
    FieldSpec("clinic", "Clinic", "text", "The clinic", "its name", required=True),
    FieldSpec("clinic_address", "Clinic address", "text", "The clinic", required=True),
    FieldSpec("clinic_phone", "Clinic phone", "phone", "The clinic", required=True),
    FieldSpec(
        "clinic_out_of_hours",
        "Clinic out-of-hours phone",
        "phone",
        "The clinic",
        "ask the clinic if it has one",
    ),
    FieldSpec(
        "arrive_early",
        "Arrive early by (minutes)",
        "minutes",
        "The day",
        "guides say at least 10",
        default="10",
    ),
    FieldSpec(
        "session_minutes",
        "Session length (minutes)",
        "minutes",
        "The day",
        "as the clinic says",
        required=True,
    ),
    FieldSpec(
        "recovery_minutes",
        "Recovery time at the clinic (minutes)",
        "minutes",
        "The day",
        "as the clinic says",
        required=True,
    ),
    FieldSpec(
        "pickup_at",
        "Pick-up time (HH:MM)",
        "clock",
        "The day",
        "leave empty: session end + recovery",
    ),
    FieldSpec("home_address", "Home address", "text", "Home", "for an ambulance", required=True),
    FieldSpec(
        "emergency_number",
        "Emergency number",
        "emergency",
        "Home",
        "for example 911, 112 or 999",
        required=True,
    ),
    FieldSpec(
        "nearest_hospital",
        "Nearest hospital",
        "text",
        "Home",
        "with an emergency department: name and address",
    ),
    FieldSpec("what_helps", "What helps me", "long", "What helps", "in your own words"),
    FieldSpec("what_not_helps", "What does not help", "long", "What helps", "in your own words"),
    FieldSpec("help_meals", "Meals", "long", "Practical help"),
    FieldSpec("help_children", "Children", "long", "Practical help"),
    FieldSpec("help_pets", "Pets", "long", "Practical help"),
    FieldSpec("help_chores", "Chores", "long", "Practical help"),
    FieldSpec(
        "share_medical",
        "Share medications and allergies",
        "yesno",
        "Medications",
        "only if you choose to",
        default="no",
    ),
    FieldSpec("medications", "Medications", "long", "Medications"),
    FieldSpec("allergies", "Allergies", "long", "Medications"),
    FieldSpec(
        "keep_private",
        "Please keep private",
        "long",
        "Privacy",
        "what you would rather they did not tell others",
    ),
    FieldSpec(
        "call_clinic_when",
        "Call the clinic when",
        "long",
        "When to call",
        default=DEFAULT_CALL_CLINIC_WHEN,
    ),
    FieldSpec(
        "call_emergency_when",
        "Call the emergency number when",
        "long",
        "When to call",
        default=DEFAULT_CALL_EMERGENCY_WHEN,
    ),
)
FIELD_BY_KEY: Final[Mapping[str, FieldSpec]] = {f.key: f for f in FIELDS}
_MAX_TEXT = 2000


@dataclass(frozen=True, slots=True)
class Plan:
    """The whole plan. `values` holds every field by key (empty string: not set)."""

    values: Mapping[str, str] = field(default_factory=dict)
    people: tuple[Person, ...] = ()
    signs: tuple[Sign, ...] = ()
    inherited: Mapping[str, str] = field(default_factory=dict)
    """Values from the app's settings (emergency number, clinic) used while a field is unset."""

    def get(self, key: str) -> str:
        """The field's value, else the setting it inherits, else its default, else "" (not set).
        A field cleared to "" follows its setting again (the emergency number, the country's)."""
        spec = FIELD_BY_KEY[key]
        value = self.values.get(key)
        if not value:  # nothing typed here (or cleared): the setting it follows, if any
            value = self.inherited.get(key) or value
        return spec.default if value is None else value

    def minutes(self, key: str) -> int | None:
        """A stored number of minutes, or None when unset or unusable (from an edited import)."""
        return whole_minutes(self.get(key))

    @property
    def shares_medical(self) -> bool:
        return self.get("share_medical") == "yes"

    def with_role(self, role: str) -> tuple[Person, ...]:
        return tuple(p for p in self.people if p.has(role))


def default_plan() -> Plan:
    """An empty plan with the pre-filled warning signs (what `load_plan` returns for a new user)."""
    return Plan(signs=tuple(Sign(None, s, w, i) for i, (s, w) in enumerate(DEFAULT_SIGNS)))


# --------------------------------------------------------------------------------------------
# Phone numbers

_REGION_RE = re.compile(r"^[A-Z]{2}$")


def default_region(setting: str | None = None) -> str | None:
    """The region for numbers typed without +: the setting, else the locale's country, else None."""
    if setting and _REGION_RE.match(setting.upper()):
        return setting.upper()
    for name in ("LC_ALL", "LC_TELEPHONE", "LANG"):
        value = os.environ.get(name, "")
        match = re.match(r"^[a-z]{2,3}_([A-Z]{2})", value)
        if match:
            return match.group(1)
    try:
        # Python names the C locale "en_US" (locale.getlocale() under C.UTF-8): that is no country.
        plain = locale.setlocale(locale.LC_CTYPE).split(".")[0] in ("C", "POSIX")
        current = "" if plain else locale.getlocale()[0] or ""
    except (ValueError, locale.Error):
        current = ""
    match = re.match(r"^[a-z]{2,3}_([A-Z]{2})", current)
    return match.group(1) if match else None


def normalise_phone(text: str, region: str | None) -> str:
    """A valid phone number in international form ("+44 20 7946 0958"), or PlanError.

    Empty stays empty. Numbers without a leading + are read as numbers in `region`.
    """
    # phonenumbers costs 25–40 ms to import here (measured) and loads region data on first use: only
    # the paths that check a number pay for it.
    import phonenumbers

    raw = text.strip()
    if not raw:
        return ""
    if len(raw) > 40:
        raise PlanError("that is too long for a phone number")
    if not raw.startswith("+") and region is None:
        raise PlanError(
            "start the number with + and the country code (for example +44 …), "
            "or set your region in the settings"
        )
    try:
        parsed = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException:
        raise PlanError("that does not look like a phone number") from None
    if not phonenumbers.is_valid_number(parsed):
        if region and not raw.startswith("+"):
            raise PlanError(
                f"that is not a phone number in {region}: check the digits, or start with + "
                "and the country code"
            ) from None
        raise PlanError("that is not a phone number: check the digits") from None
    return str(phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL))


def format_phone(text: str, region: str | None) -> str:
    """Best-effort international form for display; the text as typed if it cannot be read."""
    try:
        return normalise_phone(text, region)
    except PlanError:
        return text.strip()


def _normalise_emergency(text: str, region: str | None) -> str:
    raw = text.strip()
    if not raw:
        return ""
    if re.fullmatch(r"[0-9]{2,4}", raw):
        return raw
    try:
        return normalise_phone(raw, region)
    except PlanError:
        raise PlanError(
            "an emergency number is 2 to 4 digits (such as 911, 112 or 999) or a full phone number"
        ) from None


# --------------------------------------------------------------------------------------------
# Values


_CLOCK_RE = re.compile(r"^\s*([01]?\d|2[0-3])[:.h]?([0-5]\d)\s*$")


def parse_clock(text: str) -> time:
    """ "14:30", "14.30", "1430" or "9:05" -> time; PlanError otherwise."""
    match = _CLOCK_RE.match(text)
    if not match:
        raise PlanError("write the time as HH:MM, for example 14:30")
    return time(int(match.group(1)), int(match.group(2)))


def _clean_text(text: str, label: str) -> str:
    value = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    if "\x00" in value:
        raise PlanError(f"{label}: this text holds a character that cannot be saved")
    if len(value) > _MAX_TEXT:
        raise PlanError(f"{label}: please keep this under {_MAX_TEXT} characters")
    return value


def clean_field(key: str, raw: str, region: str | None = None) -> str:
    """Check and normalise one field's value as typed; PlanError names the field."""
    spec = FIELD_BY_KEY.get(key)
    if spec is None:
        known = ", ".join(f.key for f in FIELDS)
        raise PlanError(f"there is no plan field called {key!r} (fields: {known})")
    try:
        if spec.kind == "phone":
            return normalise_phone(raw, region)
        if spec.kind == "emergency":
            return _normalise_emergency(raw, region)
        if spec.kind == "minutes":
            value = raw.strip()
            if not value:
                return ""
            minutes = whole_minutes(value)
            if minutes is None:
                raise PlanError("write a number of minutes, for example 90")
            return str(minutes)
        if spec.kind == "clock":
            value = raw.strip()
            return parse_clock(value).strftime("%H:%M") if value else ""
        if spec.kind == "yesno":
            value = raw.strip().lower()
            if value in ("yes", "y", "true", "1", "on"):
                return "yes"
            if value in ("no", "n", "false", "0", "off", ""):
                return "no"
            raise PlanError("answer yes or no")
        return _clean_text(raw, spec.label)
    except PlanError as exc:
        message = str(exc)
        prefix = f"{spec.label}: "
        raise PlanError(message if message.startswith(prefix) else prefix + message) from None


def clean_person(person: Person, region: str | None) -> Person:
    """The person with a checked name, phone, roles and times; PlanError names what is wrong."""
    name = _clean_text(person.name, "Name")
    if len(name) > 200:
        raise PlanError("Name: please keep a name under 200 characters")
    try:
        phone = normalise_phone(person.phone, region)
    except PlanError as exc:
        raise PlanError(f"Phone: {exc}") from None
    unknown = [r for r in person.roles if r not in ROLES]
    if unknown:
        raise PlanError(f"Roles: unknown role {unknown[0]!r} (roles: {', '.join(ROLES)})")
    collect_at = person.collect_at
    if collect_at is not None and collect_at.strip():
        try:
            collect_at = parse_clock(collect_at).strftime("%H:%M")
        except PlanError as exc:
            raise PlanError(f"Collects at: {exc}") from None
    else:
        collect_at = None
    stay = _clean_text(person.stay_until or "", "Stays until") or None
    return replace(
        person,
        name=name,
        relationship=_clean_text(person.relationship, "Relationship"),
        phone=phone,
        roles=tuple(r for r in ROLES if r in person.roles),
        collect_at=collect_at,
        stay_until=stay,
        notes=_clean_text(person.notes, "Notes"),
    )


# --------------------------------------------------------------------------------------------
# The day's timeline


@dataclass(frozen=True, slots=True)
class Timeline:
    """The day's times, aware, in the session's zone (None: not known yet)."""

    start: datetime | None
    arrive: datetime | None
    end: datetime | None
    pickup: datetime | None
    pickup_is_set: bool
    """True when the patient typed the pick-up time; False when it is end + recovery."""


def timeline(plan: Plan, start: datetime | None) -> Timeline:
    """Arrive = start − arrive early; end = start + session; pick-up = end + recovery (editable)."""
    if start is None:
        return Timeline(None, None, None, None, False)
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
        return Timeline(start, arrive, end, pickup, True)
    pickup = end + timedelta(minutes=recovery) if end is not None and recovery is not None else None
    return Timeline(start, arrive, end, pickup, False)


# --------------------------------------------------------------------------------------------
# What is missing


def missing_fields(plan: Plan, session: SessionLike | None = None) -> list[str]:
    """What the briefing would show as "not set", in the briefing's order, in plain words."""
    missing: list[str] = []
    clinic = plan.get("clinic") or (session.clinic if session else None)
    clinic_phone = plan.get("clinic_phone") or (session.phone if session else None)
    clinic_address = plan.get("clinic_address") or (session.place if session else None)
    fallback = {"clinic": clinic, "clinic_phone": clinic_phone, "clinic_address": clinic_address}
    if session is None:
        missing.append("the session's date and time (add a session)")
    for spec in FIELDS:
        if not spec.required:
            continue
        value = fallback.get(spec.key, plan.get(spec.key))
        if not value:
            missing.append(spec.label)
    if not plan.people:
        missing.append("a support person")
    for role in ("collects_after", "stays_with_me"):
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


# --------------------------------------------------------------------------------------------
# The store


def _now() -> str:
    from kapprep import clock

    return clock.now().isoformat(timespec="seconds")


def _person_from_row(row: Any) -> Person:
    try:
        roles = json.loads(row["roles"])
        roles = tuple(str(r) for r in roles if r in ROLES) if isinstance(roles, list) else ()
    except ValueError:
        roles = ()
    return Person(
        id=int(row["id"]),
        name=row["name"],
        relationship=row["relationship"],
        phone=row["phone"],
        roles=roles,
        collect_at=row["collect_at"],
        stay_until=row["stay_until"],
        notes=row["notes"],
        position=int(row["position"]),
    )


_SEEDED = "_signs_seeded"
INHERITED_SETTINGS: Final[Mapping[str, str]] = {
    "emergency_number": "emergency_number",
    "clinic": "clinic_name",
    "clinic_phone": "clinic_phone",
}
"""Plan field -> the app setting it falls back to (set in Settings or at first run). With no
emergency number typed anywhere, the plan's is the country's (`kapprep.crisis`)."""


def first_support_person(store: Store) -> tuple[str, str] | None:
    """The first person in the plan with a name or a phone (name, phone), for day-of mode's
    "whom to call"; None when there is nobody (or the plan cannot be read)."""
    import sqlite3

    try:
        rows = store.read(
            "SELECT name, phone FROM plan_people WHERE name != '' OR phone != ''"
            " ORDER BY position, id LIMIT 1"
        )
    except sqlite3.Error:
        return None
    return (rows[0]["name"], rows[0]["phone"]) if rows else None


def load_plan(store: Store) -> Plan:
    """The saved plan; the first time, the warning signs are pre-filled (and saved) from the guides."""
    rows = store.read("SELECT key, value FROM plan_fields")
    values = {r["key"]: r["value"] for r in rows}
    if _SEEDED not in values:
        _seed_signs(store)
        values[_SEEDED] = "yes"
    people = tuple(
        _person_from_row(r) for r in store.read("SELECT * FROM plan_people ORDER BY position, id")
    )
    signs = tuple(
        Sign(int(r["id"]), r["sign"], r["what_to_do"], int(r["position"]))
        for r in store.read("SELECT * FROM plan_signs ORDER BY position, id")
    )
    values.pop(_SEEDED, None)
    inherited: dict[str, str] = {}
    for key, setting in INHERITED_SETTINGS.items():
        value = store.get_setting(setting, None)
        if isinstance(value, str) and value.strip():
            inherited[key] = value.strip()
    if "emergency_number" not in inherited:  # none typed: the country's, so it follows the country
        from kapprep.settings import load_settings

        country_number = load_settings(store).emergency
        if country_number:
            inherited["emergency_number"] = country_number
    return Plan(
        values={k: v for k, v in values.items() if k in FIELD_BY_KEY},
        people=people,
        signs=signs,
        inherited=inherited,
    )


def _seed_signs(store: Store) -> None:
    now = _now()
    with store.transaction() as conn:
        seeded = conn.execute("SELECT 1 FROM plan_fields WHERE key = ?", (_SEEDED,)).fetchone()
        if seeded:
            return
        empty = conn.execute("SELECT COUNT(*) FROM plan_signs").fetchone()[0] == 0
        if empty:
            conn.executemany(
                "INSERT INTO plan_signs (sign, what_to_do, position, updated_at) "
                "VALUES (?, ?, ?, ?)",
                [(s, w, i, now) for i, (s, w) in enumerate(DEFAULT_SIGNS)],
            )
        conn.execute(
            "INSERT INTO plan_fields (key, value, updated_at) VALUES (?, 'yes', ?)", (_SEEDED, now)
        )


def region_of(store: Store) -> str | None:
    """The region for numbers typed without +: the `phone_region` or `country` setting, else the
    locale's country (only regions the phone library knows)."""
    # phonenumbers: 25–40 ms to import (measured); the callers check or format numbers next anyway.
    import phonenumbers

    for key in ("phone_region", "country"):
        setting = store.get_setting(key, None)
        if isinstance(setting, str) and setting.upper() in phonenumbers.SUPPORTED_REGIONS:
            return setting.upper()
    region = default_region(None)
    return region if region in phonenumbers.SUPPORTED_REGIONS else None


def set_field(store: Store, key: str, raw: str, region: str | None = None) -> str:
    """Check, normalise and save one field in one transaction; returns the saved value."""
    value = clean_field(key, raw, region)
    with store.transaction() as conn:
        conn.execute(
            "INSERT INTO plan_fields (key, value, updated_at) VALUES (?, ?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
            (key, value, _now()),
        )
    return value


def _person_params(person: Person) -> tuple[Any, ...]:
    return (
        person.name,
        person.relationship,
        person.phone,
        json.dumps(list(person.roles)),
        person.collect_at,
        person.stay_until,
        person.notes,
    )


def add_person(store: Store, person: Person, region: str | None = None) -> Person:
    """Check and add a person at the end of the list; returns them with their id."""
    person = clean_person(person, region)
    with store.transaction() as conn:
        position = conn.execute(
            "SELECT COALESCE(MAX(position) + 1, 0) FROM plan_people"
        ).fetchone()[0]
        cursor = conn.execute(
            "INSERT INTO plan_people (name, relationship, phone, roles, collect_at, stay_until, "
            "notes, position, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (*_person_params(person), position, _now()),
        )
        new_id = cursor.lastrowid
    assert new_id is not None
    return replace(person, id=int(new_id), position=int(position))


PERSON_FIELDS: Final = (
    ("name", "Name"),
    ("relationship", "Relationship"),
    ("phone", "Phone"),
    ("roles", "Roles"),
    ("collect_at", "Collects at"),
    ("stay_until", "Stays until"),
    ("notes", "Notes"),
)
"""A person's fields that a window can change, with the label a message names."""


class PlanConflict(PlanError):
    """Another window changed the same field of a person since this one read it."""


def _person_value(person: Person, attr: str) -> Any:
    value = getattr(person, attr)
    return json.dumps(list(value)) if attr == "roles" else value


def update_person(
    store: Store, person: Person, region: str | None = None, read: Person | None = None
) -> Person:
    """Save only the fields of `person` that differ from `read` (the person as this window read
    them; None: as stored now), in one transaction; returns the person as stored after it.

    Two windows never write back each other's fields: the app changing the notes keeps the phone
    the command line changed. When the other window changed the same field since `read`, nothing
    is saved and `PlanConflict` names the field.
    """
    if person.id is None:
        raise PlanError("this person has not been saved yet")
    with store.transaction() as conn:
        row = conn.execute("SELECT * FROM plan_people WHERE id = ?", (person.id,)).fetchone()
        if row is None:
            raise PlanError("that person is no longer in the plan")
        stored = _person_from_row(row)
        base = stored if read is None else read
        changed = [a for a, _ in PERSON_FIELDS if getattr(person, a) != getattr(base, a)]
        if not changed:
            return stored
        labels = dict(PERSON_FIELDS)
        for attr in changed:
            if getattr(stored, attr) != getattr(base, attr):
                raise PlanConflict(
                    f"{labels[attr]}: this was changed in another kapprep window after this one "
                    "showed it, so your change was not saved; press r to see the new value"
                )
        merged = clean_person(replace(stored, **{a: getattr(person, a) for a in changed}), region)
        sets = ", ".join(f"{a} = ?" for a in changed)
        conn.execute(
            f"UPDATE plan_people SET {sets}, updated_at = ? WHERE id = ?",
            (*(_person_value(merged, a) for a in changed), _now(), person.id),
        )
    return merged


def remove_person(store: Store, person_id: int) -> None:
    with store.transaction() as conn:
        cursor = conn.execute("DELETE FROM plan_people WHERE id = ?", (person_id,))
        if cursor.rowcount == 0:
            raise PlanError("that person is no longer in the plan")


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


def _clean_sign(sign: str, what_to_do: str) -> tuple[str, str]:
    s = _clean_text(sign, "Warning sign")
    if not s:
        raise PlanError("Warning sign: write the sign, for example “Nausea”")
    return s, _clean_text(what_to_do, "What to do")


def add_sign(store: Store, sign: str, what_to_do: str) -> Sign:
    s, w = _clean_sign(sign, what_to_do)
    with store.transaction() as conn:
        position = conn.execute("SELECT COALESCE(MAX(position) + 1, 0) FROM plan_signs").fetchone()[
            0
        ]
        cursor = conn.execute(
            "INSERT INTO plan_signs (sign, what_to_do, position, updated_at) VALUES (?, ?, ?, ?)",
            (s, w, position, _now()),
        )
        new_id = cursor.lastrowid
    assert new_id is not None
    return Sign(int(new_id), s, w, int(position))


def set_sign(store: Store, sign_id: int, sign: str, what_to_do: str) -> Sign:
    s, w = _clean_sign(sign, what_to_do)
    with store.transaction() as conn:
        cursor = conn.execute(
            "UPDATE plan_signs SET sign = ?, what_to_do = ?, updated_at = ? WHERE id = ?",
            (s, w, _now(), sign_id),
        )
        if cursor.rowcount == 0:
            raise PlanError("that warning sign is no longer in the plan")
        position = conn.execute(
            "SELECT position FROM plan_signs WHERE id = ?", (sign_id,)
        ).fetchone()[0]
    return Sign(sign_id, s, w, int(position))


def remove_sign(store: Store, sign_id: int) -> None:
    with store.transaction() as conn:
        conn.execute("DELETE FROM plan_signs WHERE id = ?", (sign_id,))


# --------------------------------------------------------------------------------------------
# Export and import (JSON, for scripting)

EXPORT_FORMAT: Final = "kapprep-plan"
EXPORT_VERSION: Final = 1


def export_plan(plan: Plan) -> dict[str, Any]:
    """The plan as a JSON-ready document (`import_plan` reads it back)."""
    return {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "fields": {spec.key: plan.values[spec.key] for spec in FIELDS if spec.key in plan.values},
        "people": [
            {
                "name": p.name,
                "relationship": p.relationship,
                "phone": p.phone,
                "roles": list(p.roles),
                "collect_at": p.collect_at,
                "stay_until": p.stay_until,
                "notes": p.notes,
            }
            for p in plan.people
        ],
        "signs": [{"sign": s.sign, "what_to_do": s.what_to_do} for s in plan.signs],
    }


def _expect(value: Any, kind: type | tuple[type, ...], where: str, what: str) -> Any:
    if not isinstance(value, kind):
        raise PlanError(f"{where}: {what}")
    return value


def parse_plan_document(doc: Any, region: str | None = None) -> Plan:
    """Validate an exported plan document; PlanError names the first wrong place (like people[2].phone)."""
    _expect(
        doc, dict, "the file", "expected a JSON object with format, version, fields, people, signs"
    )
    if doc.get("format") != EXPORT_FORMAT:
        raise PlanError(f"format: expected {EXPORT_FORMAT!r} (is this a kapprep plan export?)")
    if doc.get("version") != EXPORT_VERSION:
        raise PlanError(f"version: expected {EXPORT_VERSION}, found {doc.get('version')!r}")
    unknown = set(doc) - {"format", "version", "fields", "people", "signs"}
    if unknown:
        raise PlanError(f"{sorted(unknown)[0]}: unknown key")
    fields = _expect(doc.get("fields", {}), dict, "fields", "expected an object")
    values: dict[str, str] = {}
    for key, raw in fields.items():
        _expect(raw, str, f"fields.{key}", "expected text")
        try:
            values[key] = clean_field(key, raw, region)
        except PlanError as exc:
            raise PlanError(f"fields.{key}: {exc}") from None
    people: list[Person] = []
    allowed = {"name", "relationship", "phone", "roles", "collect_at", "stay_until", "notes"}
    for i, raw in enumerate(_expect(doc.get("people", []), list, "people", "expected a list")):
        where = f"people[{i}]"
        _expect(raw, dict, where, "expected an object")
        extra = set(raw) - allowed
        if extra:
            raise PlanError(f"{where}.{sorted(extra)[0]}: unknown key")
        for key in ("name", "relationship", "phone", "notes"):
            _expect(raw.get(key, ""), str, f"{where}.{key}", "expected text")
        for key in ("collect_at", "stay_until"):
            _expect(raw.get(key), (str, type(None)), f"{where}.{key}", "expected text or null")
        roles = _expect(raw.get("roles", []), list, f"{where}.roles", "expected a list")
        for role in roles:
            _expect(role, str, f"{where}.roles", "expected a list of role names")
        try:
            people.append(
                clean_person(
                    Person(
                        name=raw.get("name", ""),
                        relationship=raw.get("relationship", ""),
                        phone=raw.get("phone", ""),
                        roles=tuple(roles),
                        collect_at=raw.get("collect_at"),
                        stay_until=raw.get("stay_until"),
                        notes=raw.get("notes", ""),
                        position=i,
                    ),
                    region,
                )
            )
        except PlanError as exc:
            raise PlanError(f"{where}: {exc}") from None
    signs: list[Sign] = []
    for i, raw in enumerate(_expect(doc.get("signs", []), list, "signs", "expected a list")):
        where = f"signs[{i}]"
        _expect(raw, dict, where, "expected an object with sign and what_to_do")
        sign = _expect(raw.get("sign"), str, f"{where}.sign", "expected text")
        todo = _expect(raw.get("what_to_do", ""), str, f"{where}.what_to_do", "expected text")
        try:
            s, w = _clean_sign(sign, todo)
        except PlanError as exc:
            raise PlanError(f"{where}: {exc}") from None
        signs.append(Sign(None, s, w, i))
    return Plan(values=values, people=tuple(people), signs=tuple(signs))


def import_plan(store: Store, plan: Plan) -> None:
    """Replace the saved plan with `plan` (already validated), in one transaction."""
    now = _now()
    with store.transaction() as conn:
        conn.execute("DELETE FROM plan_fields")
        conn.execute("DELETE FROM plan_people")
        conn.execute("DELETE FROM plan_signs")
        conn.executemany(
            "INSERT INTO plan_fields (key, value, updated_at) VALUES (?, ?, ?)",
            [(k, v, now) for k, v in plan.values.items()] + [(_SEEDED, "yes", now)],
        )
        conn.executemany(
            "INSERT INTO plan_people (name, relationship, phone, roles, collect_at, stay_until, "
            "notes, position, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(*_person_params(p), i, now) for i, p in enumerate(plan.people)],
        )
        conn.executemany(
            "INSERT INTO plan_signs (sign, what_to_do, position, updated_at) VALUES (?, ?, ?, ?)",
            [(s.sign, s.what_to_do, i, now) for i, s in enumerate(plan.signs)],
        )


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
