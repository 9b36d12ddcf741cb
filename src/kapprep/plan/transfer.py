"""The plan as a JSON document and back (`kapprep plan export` / `plan import`), checked field by
field with the place of every mistake.
"""

from __future__ import annotations

from typing import Any, Final

from kapprep.plan.model import (
    FIELDS,
    Person,
    Plan,
    PlanError,
    Sign,
    clean_field,
    clean_person,
    clean_sign,
)

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
            s, w = clean_sign(sign, todo)
        except PlanError as exc:
            raise PlanError(f"{where}: {exc}") from None
        signs.append(Sign(None, s, w, i))
    return Plan(values=values, people=tuple(people), signs=tuple(signs))
