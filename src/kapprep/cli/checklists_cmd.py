"""`kapprep checklists validate|list|schema`: check clinic-authored files and show the set.

The checklist modules (and PyYAML) are imported inside the commands, so that building the
parser for another sub-command costs nothing here.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kapprep.checklists import ChecklistSet, Problem


def register(sub: Any) -> None:
    group = sub.add_parser("checklists", help="validate or list checklist files")
    actions = group.add_subparsers(dest="action", metavar="ACTION", required=True)
    validate = actions.add_parser(
        "validate",
        help="check checklist files and folders; every mistake is shown as FILE:LINE:COL",
        description=(
            "Check checklist files and folders as one set (with no PATH, the active set: the "
            "shipped checklists, your config folder's and each --checklists DIR). Every mistake "
            "is shown as FILE:LINE:COL: message. Exit 0 when all is well, 1 when not."
        ),
    )
    validate.add_argument(
        "paths", nargs="*", metavar="PATH", help="files or folders (default: the active set)"
    )
    validate.set_defaults(func=cmd_validate)
    lister = actions.add_parser(
        "list",
        help="show the active checklists: phases, items and when each is due",
    )
    lister.add_argument(
        "--json", action="store_true", help="print JSON for scripts (see docs/json-output.md)"
    )
    lister.set_defaults(func=cmd_list)
    schema = actions.add_parser("schema", help="print where the JSON Schema for checklist files is")
    schema.set_defaults(func=cmd_schema)


def active_set(args: argparse.Namespace) -> ChecklistSet:
    from kapprep.checklists import load_active

    return load_active(args.checklists)


def _print_problems(problems: Sequence[Problem]) -> None:
    for problem in problems:
        print(problem, file=sys.stderr)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'s' * (n != 1)}"


def cmd_validate(args: argparse.Namespace) -> int:
    from kapprep.checklists import validate_paths

    replaced = 0
    if args.paths:
        checklists, problems = validate_paths(args.paths)
    else:
        loaded = active_set(args)
        checklists, problems = list(loaded.checklists), list(loaded.problems)
        replaced = len(loaded.replaced)
    if problems:
        _print_problems(problems)
        files = len({p.path for p in problems})
        print(f"{_count(len(problems), 'problem')} in {_count(files, 'file')}", file=sys.stderr)
        return 1
    items = sum(len(c.items) for c in checklists)
    note = f" ({replaced} replacing a shipped one)" if replaced else ""
    print(f"ok: {_count(len(checklists), 'checklist')}{note}, {_count(items, 'item')}, no problems")
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    from kapprep.checklists import PHASE_TITLES

    loaded = active_set(args)
    if args.json:
        from kapprep.cli import json_out

        json_out.emit(json_out.checklists_doc(loaded))
        return 1 if loaded.problems else 0
    for phase, checklists in loaded.by_phase().items():
        if not checklists:
            continue
        print(PHASE_TITLES[phase])
        for checklist in checklists:
            print(f"  {checklist.title}  [{checklist.id}]")
            for item in checklist.items:
                due = str(item.due) if item.due else "anytime"
                mark = "  (clinic decides)" if item.clinic_decides else ""
                print(f"    {due:>10}  {item.id}: {item.text}{mark}")
        print()
    if loaded.problems:
        _print_problems(loaded.problems)
        print("some checklist files have problems and were left out (see above)", file=sys.stderr)
        return 1
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    from kapprep import paths

    print(paths.checklist_schema_path())
    return 0
