"""The support-person plan: who helps, how, when, and what to watch for.

A plain package (no Textual), cut along its seams:

- `model`: the roles, people, warning signs and fields, and the typed values cleaned (pure);
- `rules`: what follows from a plan (the day's times, what is still "not set", a person by name);
- `repo`: all of the plan's SQL; every change is one short transaction, so nothing is lost and
  two running copies never overwrite each other's work;
- `transfer`: the plan as a JSON document and back.

The pre-filled warning signs and what to do come only from the public guides named beside them
(see the briefing's sources). Nothing here is medical advice: it defers to the clinic. Callers
import from `kapprep.plan`; the names below are the plan's whole public face.
"""

from __future__ import annotations

from kapprep.plan.model import (
    DEFAULT_CALL_CLINIC_WHEN,
    DEFAULT_CALL_EMERGENCY_WHEN,
    DEFAULT_SIGNS,
    FIELD_BY_KEY,
    FIELDS,
    ROLE_LABELS,
    ROLE_SHORT,
    ROLES,
    FieldKind,
    FieldSpec,
    Person,
    Plan,
    PlanError,
    Role,
    SessionLike,
    Sign,
    clean_field,
    clean_person,
    clean_sign,
    default_plan,
    default_region,
    format_phone,
    normalise_phone,
    parse_clock,
)
from kapprep.plan.repo import (
    INHERITED_SETTINGS,
    PERSON_FIELDS,
    PlanConflict,
    add_person,
    add_sign,
    first_support_person,
    import_plan,
    load_plan,
    region_of,
    remove_person,
    remove_sign,
    set_field,
    set_sign,
    update_person,
)
from kapprep.plan.rules import (
    DayTimes,
    addresses,
    day_times,
    find_person,
    missing_fields,
    parse_roles,
    roles_text,
)
from kapprep.plan.transfer import EXPORT_FORMAT, EXPORT_VERSION, export_plan, parse_plan_document

__all__ = [
    "DEFAULT_CALL_CLINIC_WHEN",
    "DEFAULT_CALL_EMERGENCY_WHEN",
    "DEFAULT_SIGNS",
    "EXPORT_FORMAT",
    "EXPORT_VERSION",
    "FIELDS",
    "FIELD_BY_KEY",
    "INHERITED_SETTINGS",
    "PERSON_FIELDS",
    "ROLES",
    "ROLE_LABELS",
    "ROLE_SHORT",
    "DayTimes",
    "FieldKind",
    "FieldSpec",
    "Person",
    "Plan",
    "PlanConflict",
    "PlanError",
    "Role",
    "SessionLike",
    "Sign",
    "add_person",
    "add_sign",
    "addresses",
    "clean_field",
    "clean_person",
    "clean_sign",
    "day_times",
    "default_plan",
    "default_region",
    "export_plan",
    "find_person",
    "first_support_person",
    "format_phone",
    "import_plan",
    "load_plan",
    "missing_fields",
    "normalise_phone",
    "parse_clock",
    "parse_plan_document",
    "parse_roles",
    "region_of",
    "remove_person",
    "remove_sign",
    "roles_text",
    "set_field",
    "set_sign",
    "update_person",
]
