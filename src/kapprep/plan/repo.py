"""All of the plan's SQL: three store tables, `plan_fields` (one row per filled-in field),
`plan_people` and `plan_signs`. Every change is one short transaction, so nothing is lost and two
running copies never overwrite each other's work; `load_plan` reads it all back.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import replace
from typing import TYPE_CHECKING, Any, Final

from kapprep.cleantext import clean
from kapprep.plan.model import (
    DEFAULT_SIGNS,
    FIELD_BY_KEY,
    ROLES,
    Person,
    Plan,
    PlanError,
    Sign,
    clean_field,
    clean_person,
    clean_sign,
    default_region,
)

if TYPE_CHECKING:
    from kapprep.store import Store


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
        name=clean(row["name"]),
        relationship=clean(row["relationship"]),
        phone=clean(row["phone"] or ""),
        roles=roles,
        collect_at=row["collect_at"],
        stay_until=row["stay_until"],
        notes=clean(row["notes"]),
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
        rows = store.fetch(
            "SELECT name, phone FROM plan_people WHERE name != '' OR phone != ''"
            " ORDER BY position, id LIMIT 1"
        )
    except sqlite3.Error:
        return None
    return (rows[0]["name"], rows[0]["phone"]) if rows else None


def load_plan(store: Store) -> Plan:
    """The saved plan; the first time, the warning signs are pre-filled (and saved) from the guides."""
    rows = store.fetch("SELECT key, value FROM plan_fields")
    values = {r["key"]: clean(r["value"]) for r in rows}  # old text is cleaned too
    if _SEEDED not in values:
        if not store.read_only:  # a read-only folder shows the plan as it is
            _seed_signs(store)
        values[_SEEDED] = "yes"
    people = tuple(
        _person_from_row(r) for r in store.fetch("SELECT * FROM plan_people ORDER BY position, id")
    )
    signs = tuple(
        Sign(int(r["id"]), clean(r["sign"]), clean(r["what_to_do"]), int(r["position"]))
        for r in store.fetch("SELECT * FROM plan_signs ORDER BY position, id")
    )
    values.pop(_SEEDED, None)
    inherited: dict[str, str] = {}
    from kapprep.settings import load_settings

    kept = load_settings(store)
    for key, setting in INHERITED_SETTINGS.items():
        value = getattr(kept, setting)
        if isinstance(value, str) and value.strip():
            inherited[key] = value.strip()
    if "emergency_number" not in inherited:  # none typed: the country's, so it follows the country
        country_number = kept.emergency
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

    from kapprep.settings import region_settings

    for setting in region_settings(store):
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


def add_sign(store: Store, sign: str, what_to_do: str) -> Sign:
    s, w = clean_sign(sign, what_to_do)
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
    s, w = clean_sign(sign, what_to_do)
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
