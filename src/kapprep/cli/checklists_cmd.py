"""`kapprep checklists validate|list|schema`: check clinic-authored files and show the set."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from kapprep import paths
from kapprep.checklists import PHASE_TITLES, ChecklistSet, Problem, load_layers, validate_paths


def register(sub: Any) -> None:
    group = sub.add_parser("checklists", help="validate or list checklist files")
    actions = group.add_subparsers(dest="action", metavar="ACTION", required=True)
    validate = actions.add_parser(
        "validate",
        help="check checklist files and folders; every mistake is shown as FILE:LINE:COL",
    )
    validate.add_argument(
        "paths", nargs="*", metavar="PATH", help="files or folders (default: the active set)"
    )
    validate.set_defaults(func=cmd_validate)
    lister = actions.add_parser(
        "list", help="show the active checklists: phases, items and when each is due"
    )
    lister.set_defaults(func=cmd_list)
    schema = actions.add_parser("schema", help="print where the JSON Schema for checklist files is")
    schema.set_defaults(func=cmd_schema)


def active_set(args: argparse.Namespace) -> ChecklistSet:
    return load_layers(paths.checklist_layers(args.checklists))


def _print_problems(problems: list[Problem] | tuple[Problem, ...]) -> None:
    for problem in problems:
        print(problem, file=sys.stderr)


def cmd_validate(args: argparse.Namespace) -> int:
    if args.paths:
        checklists, problems = validate_paths(args.paths)
    else:
        loaded = active_set(args)
        checklists, problems = list(loaded.checklists), list(loaded.problems)
    if problems:
        _print_problems(problems)
        files = len({p.path for p in problems})
        print(
            f"{len(problems)} problem{'s' * (len(problems) != 1)} in {files} file{'s' * (files != 1)}",
            file=sys.stderr,
        )
        return 1
    items = sum(len(c.items) for c in checklists)
    print(f"ok: {len(checklists)} checklists, {items} items, no problems")
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    loaded = active_set(args)
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
    print(paths.checklist_schema_path())
    return 0
