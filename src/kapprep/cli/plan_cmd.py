"""`kapprep plan show|export|import|set|person`: the support plan from a shell.

Every change is one short transaction, safe while the app is open. Phone numbers are checked and
shown in international form. No Textual here.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kapprep import clock
from kapprep.cli.common import UserError
from kapprep.cli.sessions import run_with_store, write_private_file

if TYPE_CHECKING:
    from kapprep.plan import Person, Plan
    from kapprep.store import Store


def register(sub: Any) -> None:
    plan = sub.add_parser("plan", help="your support plan: show, export, import, change")
    actions = plan.add_subparsers(dest="action", metavar="ACTION", required=True)
    show = actions.add_parser("show", help="show the plan and what is not set yet")
    show.set_defaults(func=cmd_plan_show)
    export = actions.add_parser("export", help="write the plan as JSON (to stdout or -o FILE)")
    export.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead")
    export.add_argument("--force", action="store_true", help="replace FILE if it exists")
    export.set_defaults(func=cmd_plan_export)
    imp = actions.add_parser("import", help="replace the plan with one exported before")
    imp.add_argument(
        "file", metavar="FILE", help="a JSON file from `kapprep plan export` (- for stdin)"
    )
    imp.add_argument("--yes", action="store_true", help="do not ask first (for scripts)")
    imp.set_defaults(func=cmd_plan_import)
    setter = actions.add_parser(
        "set", help='change one field: kapprep plan set clinic "Calm Clinic"'
    )
    setter.add_argument("key", metavar="KEY", help="the field (see `kapprep plan show`)")
    setter.add_argument("value", metavar="VALUE", help='the new value ("" clears it)')
    setter.set_defaults(func=cmd_plan_set)

    person = actions.add_parser("person", help="add, change or remove a support person")
    people = person.add_subparsers(dest="person_action", metavar="ACTION", required=True)
    add = people.add_parser("add", help='add someone: kapprep plan person add "Sam" --phone …')
    add.add_argument("name", metavar="NAME")
    _person_options(add)
    add.set_defaults(func=cmd_person_add)
    edit = people.add_parser("edit", help="change someone (only what you give)")
    edit.add_argument("who", metavar="N|NAME", help="their number in `plan show`, or their name")
    edit.add_argument("--name", help="a new name")
    _person_options(edit)
    edit.set_defaults(func=cmd_person_edit)
    remove = people.add_parser("remove", help="remove someone from the plan")
    remove.add_argument("who", metavar="N|NAME", help="their number in `plan show`, or their name")
    remove.set_defaults(func=cmd_person_remove)


def _person_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--relationship", help="partner, friend, sister …")
    parser.add_argument("--phone", help="their phone number (+country code, or your region's)")
    parser.add_argument(
        "--roles",
        help="comma-separated: drives_there, collects_after, stays_with_me, checks_in, "
        "integration_buddy",
    )
    parser.add_argument("--collect-at", metavar="HH:MM", help="when they collect you")
    parser.add_argument(
        "--stay-until", metavar="TEXT", help='until when they stay ("9 am the next day")'
    )
    parser.add_argument("--notes", help="anything else for them")


# --------------------------------------------------------------------------------------------
# plan


def _show(plan: Plan, store: Store) -> str:
    from kapprep.plan import FIELDS, missing_fields, roles_text

    lines: list[str] = []
    group = ""
    for spec in FIELDS:
        if spec.group != group:
            group = spec.group
            lines.append(f"{group}:")
        value = plan.get(spec.key) or "(not set)"
        if not plan.values.get(spec.key) and spec.key in plan.inherited:
            value += " (from your settings)"
        lines.append(f"  {spec.key:<20} {value}".replace("\n", "\n" + " " * 23))
    lines.append("People:")
    for i, p in enumerate(plan.people, 1):
        lines.append(
            f"  {i}. {p.display_name}" + (f" ({p.relationship})" if p.relationship else "")
        )
        lines.append(f"     phone: {p.phone or '(not set)'}")
        lines.append(f"     roles: {roles_text(p.roles) or '(none)'}")
        if p.collect_at:
            lines.append(f"     collects at: {p.collect_at}")
        if p.stay_until:
            lines.append(f"     stays until: {p.stay_until}")
        if p.notes:
            lines.append(f"     notes: {p.notes}")
    if not plan.people:
        lines.append("  (nobody yet: kapprep plan person add NAME --phone … --roles …)")
    lines.append("Warning signs:")
    for s in plan.signs:
        lines.append(f"  {s.sign}: {s.what_to_do}")
    missing = missing_fields(plan, store.next_session(clock.now()))
    if missing:
        lines.append("Not set yet: " + "; ".join(missing))
    return "\n".join(lines) + "\n"


def cmd_plan_show(args: argparse.Namespace) -> int:
    def body(store: Store) -> int:
        from kapprep.plan import load_plan

        sys.stdout.write(_show(load_plan(store), store))
        return 0

    return run_with_store(args, body)


def cmd_plan_export(args: argparse.Namespace) -> int:
    def body(store: Store) -> int:
        from kapprep.plan import export_plan, load_plan

        text = json.dumps(export_plan(load_plan(store)), ensure_ascii=False, indent=2) + "\n"
        if args.output:
            write_private_file(Path(args.output), text.encode("utf-8"), args.force)
            print(f"Saved the plan to {args.output}")
        else:
            sys.stdout.write(text)
        return 0

    return run_with_store(args, body)


def _read_json(name: str) -> Any:
    try:
        if name == "-":
            text = sys.stdin.read()
        else:
            from kapprep.files import read_regular

            text = read_regular(Path(name).expanduser(), 16 * 1024 * 1024).decode("utf-8")
    except FileNotFoundError:
        raise UserError(f"{name}: no such file") from None
    except IsADirectoryError:
        raise UserError(f"{name}: is a folder, not a file") from None
    except UnicodeDecodeError:
        raise UserError(
            f"{name}: not a text file (expected JSON from `kapprep plan export`)"
        ) from None
    except OSError as exc:
        from kapprep.files import NotAFileError

        if isinstance(exc, NotAFileError):
            raise UserError(f"{name}: not a file (a pipe or a device)") from None
        raise UserError(f"{name}: could not read ({exc.strerror or 'error'})") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise UserError(f"{name}:{exc.lineno}:{exc.colno}: not valid JSON ({exc.msg})") from None
    except RecursionError:
        raise UserError(f"{name}: nested too deeply to be a plan") from None
    except ValueError:  # a number of thousands of digits, which Python will not read
        raise UserError(f"{name}: a number in it is too long to be one a plan holds") from None


def _plan_changes(now: Plan, after: Plan) -> list[str]:
    """What importing `after` over `now` changes, in words (field names and counts, no values)."""
    from kapprep.plan import FIELDS

    changed = [s.label for s in FIELDS if now.values.get(s.key, "") != after.values.get(s.key, "")]
    lines = [f"fields that change: {', '.join(changed)}" if changed else "no field changes"]
    lines.append(f"people: {len(now.people)} now, {len(after.people)} after")
    lines.append(f"warning signs: {len(now.signs)} now, {len(after.signs)} after")
    return lines


def cmd_plan_import(args: argparse.Namespace) -> int:
    from kapprep.cli.common import confirm

    doc = _read_json(args.file)

    def body(store: Store) -> int:
        from kapprep.plan import PlanError, import_plan, load_plan, parse_plan_document, region_of
        from kapprep.store.backups import take_backup

        try:
            plan = parse_plan_document(doc, region_of(store))
        except PlanError as exc:
            raise UserError(f"{args.file}: {exc}") from None
        print(f"{args.file} is a valid plan. Importing it replaces your whole support plan:")
        for line in _plan_changes(load_plan(store), plan):
            print(f"  {line}")
        if not confirm("Replace your support plan with this file?", args.yes):
            print("Nothing was changed.")
            return 0
        backup = take_backup(store, "before-plan-import")
        import_plan(store, plan)
        print(
            f"Imported the plan: {len(plan.values)} fields, {len(plan.people)} people, "
            f"{len(plan.signs)} warning signs. Your data before was kept in {backup} "
            "(kapprep restore brings it back)."
        )
        return 0

    return run_with_store(args, body)


def cmd_plan_set(args: argparse.Namespace) -> int:
    def body(store: Store) -> int:
        from kapprep.plan import FIELD_BY_KEY, region_of, set_field

        value = set_field(store, args.key, args.value, region_of(store))
        label = FIELD_BY_KEY[args.key].label
        print(f"{label}: {value}" if value else f"{label}: cleared")
        return 0

    return run_with_store(args, body)


def _person_from_args(args: argparse.Namespace, base: Person) -> Person:
    from kapprep.plan import parse_roles

    changes: dict[str, Any] = {}
    if getattr(args, "name", None) is not None:
        changes["name"] = args.name
    for attr in ("relationship", "phone", "notes"):
        if getattr(args, attr) is not None:
            changes[attr] = getattr(args, attr)
    if args.roles is not None:
        changes["roles"] = parse_roles(args.roles)
    if args.collect_at is not None:
        changes["collect_at"] = args.collect_at or None
    if args.stay_until is not None:
        changes["stay_until"] = args.stay_until or None
    return replace(base, **changes)


def _find(plan: Plan, who: str) -> Person:
    from kapprep.plan import PlanError, find_person

    if who.isascii() and who.isdigit():
        index = int(who)
        if 1 <= index <= len(plan.people):
            return plan.people[index - 1]
        raise PlanError(f"there is no person number {who} (see `kapprep plan show`)")
    return find_person(plan, who)


def cmd_person_add(args: argparse.Namespace) -> int:
    def body(store: Store) -> int:
        from kapprep.plan import Person, add_person, region_of

        person = add_person(store, _person_from_args(args, Person()), region_of(store))
        print(f"Added {person.display_name}" + (f", {person.phone}" if person.phone else ""))
        return 0

    return run_with_store(args, body)


def cmd_person_edit(args: argparse.Namespace) -> int:
    def body(store: Store) -> int:
        from kapprep.plan import load_plan, region_of, update_person

        person = _find(load_plan(store), args.who)
        changed = _person_from_args(args, person)
        saved = update_person(store, changed, region_of(store), read=person)
        print(f"Saved {saved.display_name}")
        return 0

    return run_with_store(args, body)


def cmd_person_remove(args: argparse.Namespace) -> int:
    def body(store: Store) -> int:
        from kapprep.plan import load_plan, remove_person

        person = _find(load_plan(store), args.who)
        assert person.id is not None
        remove_person(store, person.id)
        print(f"Removed {person.display_name} from the plan")
        return 0

    return run_with_store(args, body)
