"""`kapprep calendar`: the preparation timeline as an iCalendar file, with few daytime reminders.

Which steps get a reminder, and when, is `kapprep.reminders`' (docs/calendar.md); the file is
`kapprep.ical`'s. No Textual here; icalendar (about 57 ms) is imported inside the writer only.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kapprep.cli.common import UserError, emit, local_now
from kapprep.cli.sessions import number, open_store

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

IMPORT_HINT = "Import it into your calendar app; importing a newer file updates the same events."


def register(sub: Any) -> None:
    cal = sub.add_parser(
        "calendar",
        help="write your sessions and timed steps as a calendar file (.ics), with few reminders",
        description=(
            "Your sessions and every timed step as a calendar file. Reminders only for the "
            "steps that matter (the ones your clinic decides, the ride, the session), grouped, "
            "at most 12 a session, none in your quiet hours (kapprep settings set quiet-hours)."
        ),
    )
    cal.add_argument("-o", "--output", metavar="FILE", help="write to FILE (default: screen)")
    cal.add_argument("--force", action="store_true", help="replace FILE if it exists")
    cal.add_argument("--session", type=number, metavar="N", help="only session N")
    cal.add_argument(
        "--discreet",
        action="store_true",
        help='neutral words ("Appointment", "Reminder") for a calendar others can see',
    )
    cal.add_argument(
        "--every-step",
        action="store_true",
        help="a reminder for every timed step, not only the few that matter (quiet hours kept)",
    )
    cal.set_defaults(func=cmd_calendar)


def cmd_calendar(args: argparse.Namespace) -> int:
    from kapprep import paths
    from kapprep.checklists import load_layers
    from kapprep.ical import calendar_for_store

    checklists = load_layers(paths.checklist_layers(args.checklists))
    with open_store(args) as store:
        if not store.sessions():
            raise UserError(
                'there are no sessions yet; add one first: kapprep session add "2026-12-03 10:00"'
            )
        try:
            data = calendar_for_store(
                store,
                checklists.items(),
                local_now(),
                session_id=args.session,
                discreet=args.discreet,
                per_item=args.every_step,
            )
        except LookupError:
            raise UserError(
                f"there is no session {args.session}; see: kapprep session list"
            ) from None
    emit(data, args.output, "the calendar", args.force)
    if args.output:
        from kapprep.lock_note import lock_note

        print(IMPORT_HINT, file=sys.stderr)
        note = lock_note(store.folder, Path(args.output).absolute())  # "" unless locked
        if note:
            print(f"kapprep:{note}", file=sys.stderr)
    return 0
