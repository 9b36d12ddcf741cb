"""`kapprep clinic-rules [set KIND TEXT | clear KIND]`: your clinic's rules for after the session.

Driving again and big decisions are the clinic's to decide. What the patient types here wins over
a clinic's checklist file (`clinic_rules:`); with neither, kapprep states none of its own.
"""

from __future__ import annotations

import argparse
from typing import Any

from kapprep.cli.common import UserError
from kapprep.cli.sessions import active_checklists, open_store
from kapprep.settings import note_rule, noted_rules

KINDS_HELP = "driving (when you may drive again) or decisions (how long big decisions wait)"


def register(sub: Any) -> None:
    rules = sub.add_parser(
        "clinic-rules",
        help="your clinic's rules for driving again and big decisions after a session",
        description=__doc__.splitlines()[0] if __doc__ else None,
    )
    rules.set_defaults(func=cmd_show)
    actions = rules.add_subparsers(dest="rules_action", metavar="ACTION")
    show = actions.add_parser("show", help="the rules kapprep shows, and where each came from")
    show.set_defaults(func=cmd_show)
    setter = actions.add_parser(
        "set", help='note your clinic\'s rule: kapprep clinic-rules set driving "24 hours"'
    )
    setter.add_argument("kind", choices=("driving", "decisions"), help=KINDS_HELP)
    setter.add_argument(
        "text", metavar="TEXT", help='a time after the session ends ("24 hours") or their words'
    )
    setter.set_defaults(func=cmd_set)
    clear = actions.add_parser("clear", help="forget the rule you noted (a clinic file's shows)")
    clear.add_argument("kind", choices=("driving", "decisions"), help=KINDS_HELP)
    clear.set_defaults(func=cmd_clear)


def cmd_show(args: argparse.Namespace) -> int:
    from kapprep.clinic_rules import KINDS, effective, sentence

    checklists = active_checklists(args)
    with open_store(args) as store:
        rules = effective(checklists.clinic_rules, noted_rules(store))
    for kind in KINDS:
        rule = rules.rule(kind)
        where = (
            "you noted it"
            if rule is not None and rule.source == "you"
            else f"from {rule.source}"
            if rule is not None
            else "no rule noted: kapprep says your clinic decides"
        )
        print(f"{kind}: {sentence(kind, rule, None)} ({where})")
    return 0


def cmd_set(args: argparse.Namespace) -> int:
    from kapprep.clinic_rules import RuleError, parse_rule

    try:
        parse_rule(args.text, "you")
    except RuleError as exc:
        raise UserError(f"{args.kind}: {exc}") from None
    with open_store(args) as store:
        note_rule(store, args.kind, args.text)
    return cmd_show(args)


def cmd_clear(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        note_rule(store, args.kind, None)
    return cmd_show(args)
