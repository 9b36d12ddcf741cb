"""`kapprep next|tick|untick|note`: what is due before a session, and ticking it off, from a shell.

Every command opens the store, does one short transaction and closes it, so it is safe to run while
the app is open in another window. No Textual here (a test proves it).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from kapprep.cli.sessions import (
    ADD_HINT,
    JSON_HELP,
    active_checklists,
    choose_session,
    clock_now,
    describe_session,
    fmt_time,
    known_item,
    number,
    open_store,
)

Command = Callable[[argparse.Namespace], int]


SHOWN_OVERDUE = 5
"""Without --all, `next` lists this many overdue items (the rest are counted)."""


# --------------------------------------------------------------------------------------------
# next, tick, untick, note


def register(sub: Any) -> None:

    nxt = sub.add_parser("next", help="what is due next before your coming session")
    nxt.add_argument("--session", type=number, metavar="N", help="another session than the next")
    nxt.add_argument(
        "--all", action="store_true", help="every open item, not only the first few of each"
    )
    nxt.add_argument("--json", action="store_true", help=JSON_HELP)
    nxt.set_defaults(func=cmd_next)

    tick = sub.add_parser("tick", help="mark a checklist item done")
    tick.add_argument("item", metavar="ITEM", help="the item's id (see: kapprep checklists list)")
    tick.add_argument("--note", metavar="TEXT", help="keep a note with it")
    tick.add_argument("--session", type=number, metavar="N", help="another session than the next")
    tick.set_defaults(func=cmd_tick)

    untick = sub.add_parser("untick", help="mark a checklist item not done")
    untick.add_argument("item", metavar="ITEM")
    untick.add_argument("--session", type=number, metavar="N", help="another session than the next")
    untick.set_defaults(func=cmd_untick)

    note = sub.add_parser("note", help='keep a note on an item ("" removes it)')
    note.add_argument("item", metavar="ITEM")
    note.add_argument("text", metavar="TEXT")
    note.add_argument("--session", type=number, metavar="N", help="another session than the next")
    note.set_defaults(func=cmd_note)


def cmd_next(args: argparse.Namespace) -> int:
    from kapprep.timeline import (
        DUE_NEXT,
        load_timeline_inputs,
        session_in_view,
        session_timeline,
    )
    from kapprep.whentext import humanize

    now = clock_now()
    checklists = active_checklists(args)
    with open_store(args) as store:
        if args.session is not None:
            session = choose_session(store, args.session)
        else:  # the session the app shows too: the next, else the latest (its integration)
            found = session_in_view(store, now)
            if found is None:
                if args.json:
                    from kapprep.cli import json_out

                    json_out.emit(json_out.next_doc(now, None, [], [], (0, 0)))
                    return 0
                print(f"No session yet; {ADD_HINT}")
                return 0
            session = found
        inputs = load_timeline_inputs(store, checklists.items(), session)
        upcoming = store.next_session(now)
    heading = "Next session" if upcoming is not None and upcoming.id == session.id else "Session"
    line = session_timeline(inputs, now)
    local_now = line.now
    late, coming = list(line.overdue), list(line.coming)
    shown_late = late if args.all else late[:SHOWN_OVERDUE]
    shown_coming = coming if args.all else coming[:DUE_NEXT]
    if args.json:
        from kapprep.cli import json_out

        doc = json_out.next_doc(now, session, shown_late, shown_coming, (len(late), len(coming)))
        json_out.emit(doc)
        return 0
    print(f"{heading} {session.id}: {describe_session(session, now)}")
    if line.missed:  # on the day, a clinic step whose time passed: first, and plainly
        from kapprep.timeline import missed_note

        print("Before your session:")
        for e in line.missed:
            assert e.due is not None
            print(f"  ! {fmt_time(e.due)}  {e.item.id}: {e.item.text}: time passed.")
            print(f"    {missed_note(e)}")
        late = [e for e in late if e not in line.missed]
    if late:
        print("Overdue:")
        for e in shown_late:
            assert e.due is not None
            print(
                f"  ! {fmt_time(e.due)}  ({humanize(e.due, local_now)})  {e.item.id}: {e.item.text}"
            )
        if len(late) > len(shown_late):
            print(f"  … and {len(late) - len(shown_late)} more (see them all: kapprep next --all)")
    if coming:
        print("Due next:")
        for e in shown_coming:
            assert e.due is not None
            print(
                f"    {fmt_time(e.due)}  ({humanize(e.due, local_now)})  {e.item.id}: {e.item.text}"
            )
        if len(coming) > len(shown_coming):
            more = len(coming) - len(shown_coming)
            print(f"    … and {more} more later (see them all: kapprep next --all)")
    if not late and not coming:
        print("Nothing else is due before this session.")
    if line.awaiting_word:
        print(
            f"Did session {session.id} happen? Mark it done: kapprep session edit {session.id} "
            f'--status done; or give its new time: kapprep session edit {session.id} --when "…"'
        )
    return 0


def cmd_tick(args: argparse.Namespace) -> int:
    checklists = active_checklists(args)
    text = known_item(checklists, args.item)
    with open_store(args) as store:
        session = choose_session(store, args.session)
        store.tick(
            session.id, args.item, note=args.note
        )  # the tick and its note together, or neither
    print(f"Done: {args.item}: {text} (session {session.id})")
    return 0


def cmd_untick(args: argparse.Namespace) -> int:
    checklists = active_checklists(args)
    with open_store(args) as store:
        session = choose_session(store, args.session)
        known_item(checklists, args.item, set(store.ticks(session.id)))
        store.untick(session.id, args.item)
    print(f"Not done: {args.item} (session {session.id})")
    return 0


def cmd_note(args: argparse.Namespace) -> int:
    checklists = active_checklists(args)
    with open_store(args) as store:
        session = choose_session(store, args.session)
        known_item(checklists, args.item, set(store.notes(session.id)))
        store.set_note(session.id, args.item, args.text)
    word = "Note kept" if args.text.strip() else "Note removed"
    print(f"{word}: {args.item} (session {session.id})")
    return 0
