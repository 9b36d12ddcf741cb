"""`kapprep session add|list|edit|remove`: the patient's sessions from a shell.

Every command opens the store, does one short transaction and closes it, so it is safe to run while
the app is open in another window. No Textual here (a test proves it).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from kapprep.cli.common import UserError
from kapprep.cli.common import confirm as _confirm
from kapprep.cli.sessions import (
    ADD_HINT,
    JSON_HELP,
    check_phone,
    clock_now,
    describe_session,
    fmt_time,
    number,
    open_store,
    parse_session_time,
    wall_time,
    zone_arg,
)

if TYPE_CHECKING:
    from kapprep.store import Session, Store

Command = Callable[[argparse.Namespace], int]


def register(sub: Any) -> None:
    session = sub.add_parser("session", help="add, list, change or remove your sessions")
    actions = session.add_subparsers(dest="action", metavar="ACTION", required=True)

    add = actions.add_parser("add", help='add a session: kapprep session add "2026-12-03 10:00"')
    add.add_argument("when", metavar="WHEN", help='date and time, like "2026-12-03 10:00"')
    _session_options(add)
    add.set_defaults(func=cmd_session_add)

    lister = actions.add_parser("list", help="show your sessions")
    lister.add_argument("--json", action="store_true", help=JSON_HELP)
    lister.set_defaults(func=cmd_session_list)

    edit = actions.add_parser("edit", help="change a session (only what you give)")
    edit.add_argument("number", type=number, metavar="N", help="the session's number (see list)")
    edit.add_argument("--when", metavar="WHEN", help='new date and time, like "2026-12-03 10:00"')
    _session_options(edit)
    edit.add_argument(
        "--status", choices=("planned", "done", "cancelled"), help="mark it done or cancelled"
    )
    edit.set_defaults(func=cmd_session_edit)

    remove = actions.add_parser("remove", help="remove a session with its ticks and notes")
    remove.add_argument("number", type=number, metavar="N", help="the session's number (see list)")
    remove.add_argument("--yes", action="store_true", help="do not ask first")
    remove.set_defaults(func=cmd_session_remove)


def _session_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--tz",
        metavar="ZONE",
        help='time zone: a city or zone name, like "Los Angeles" or Europe/London (add: this '
        "computer's by default; edit: the session's, and --tz alone keeps the clock time)",
    )
    parser.add_argument("--clinic", metavar="NAME", help="the clinic's name")
    parser.add_argument("--phone", metavar="NUMBER", help="the clinic's phone number")
    parser.add_argument("--place", metavar="PLACE", help="where the session is")


def cmd_session_add(args: argparse.Namespace) -> int:
    start = parse_session_time(args.when, args.tz)
    check_phone(args.phone)
    now = clock_now()
    with open_store(args) as store:
        same = store.session_at(start)
        if same is not None:
            raise UserError(
                f"session {same.id} is already at {fmt_time(same.start)}; to change it: "
                f"kapprep session edit {same.id}"
            )
        session = store.add_session(
            start, place=args.place or None, clinic=args.clinic or None, phone=args.phone or None
        )
    print(f"Added session {session.id}: {describe_session(session, now)}")
    if session.start < now:
        print("(That time has already passed; change it with: kapprep session edit)")
    return 0


def cmd_session_list(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        sessions = store.sessions()
    if args.json:
        from kapprep.cli import json_out

        json_out.emit(json_out.sessions_doc(clock_now(), sessions))
        return 0
    if not sessions:
        print(f"No sessions yet; {ADD_HINT}")
        return 0
    now = clock_now()
    for s in sessions:
        print(f"{s.id:>3}  {describe_session(s, now)}")
    return 0


def _numbered_session(store: Store, number: int) -> Session:
    session = store.session(number)
    if session is None:
        raise UserError(f"there is no session {number}; see: kapprep session list")
    return session


def cmd_session_edit(args: argparse.Namespace) -> int:
    kept_clock = False
    with open_store(args) as store:
        session = _numbered_session(store, args.number)
        changes: dict[str, Any] = {}
        if args.when:
            changes["start"] = parse_session_time(args.when, args.tz or session.tz)
        elif args.tz:
            # The clock time stays and the moment moves: --tz mends a zone typed wrongly
            # ("09:30 was meant in Los Angeles"). To keep the moment, give --when as well.
            zone = zone_arg(args.tz)
            changes["start"] = wall_time(session.start.replace(tzinfo=None), zone)
            kept_clock = True
        check_phone(args.phone)
        for name in ("clinic", "phone", "place", "status"):
            value = getattr(args, name)
            if value is not None:
                changes[name] = value or None
        if not changes:
            raise UserError(
                "nothing to change; give --when, --tz, --clinic, --phone, --place or --status"
            )
        updated = store.update_session(session.id, **changes)
    print(f"Session {updated.id}: {describe_session(updated, clock_now())}")
    if kept_clock:
        before = updated.start.astimezone(session.start.tzinfo)
        print(
            f"(Kept the clock time: {updated.start:%H:%M} in {updated.tz}, which is "
            f"{before:%H:%M} in {session.tz}, where it was {session.start:%H:%M}. To keep the "
            "moment instead, give --when with the time in the new zone.)"
        )
    return 0


def cmd_session_remove(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        session = _numbered_session(store, args.number)
        question = (
            f"Remove session {session.id} ({fmt_time(session.start)}) "
            "with its ticks, notes and journal entries?"
        )
        if not _confirm(question, args.yes):
            print("Nothing was removed.")
            return 0
        store.remove_session(session.id)
    print(f"Removed session {session.id}.")
    return 0
