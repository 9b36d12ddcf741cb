"""The plan's model: the roles, the people, the warning signs, the fields, phone numbers and the
values typed into them, cleaned. Pure: no store, no clock.
"""

from __future__ import annotations

import locale
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, time
from typing import TYPE_CHECKING, Final, Literal, Protocol, get_args

from kapprep.errors import KapprepError
from kapprep.whentext import whole_minutes

if TYPE_CHECKING:
    pass


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


class PlanError(KapprepError, ValueError):
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
    from kapprep.cleantext import clean

    value = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    value = clean(value).strip()  # an escape sequence pasted in would reach the helper's screen
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


def clean_sign(sign: str, what_to_do: str) -> tuple[str, str]:
    """A warning sign and what to do, cleaned; PlanError when the sign is empty."""
    s = _clean_text(sign, "Warning sign")
    if not s:
        raise PlanError("Warning sign: write the sign, for example “Nausea”")
    return s, _clean_text(what_to_do, "What to do")


def at_home(session: object | None) -> bool:
    """Whether the session is one at home (a session without a kind is not assumed to be)."""
    return getattr(session, "place_kind", None) == "home"
