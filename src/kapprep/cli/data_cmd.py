"""`kapprep session|next|tick|untick|note|where|export|import|delete`: the user's data from a shell.

Every command opens the store, does one short transaction and closes it, so it is safe to run while
the app is open in another window. No Textual here (a test proves it).
"""

from __future__ import annotations

import argparse
import contextlib
import difflib
import re
import sys
from collections.abc import Callable, Iterator
from datetime import datetime, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from kapprep import paths
from kapprep.cli.common import UserError
from kapprep.cli.common import confirm as _confirm

if TYPE_CHECKING:
    from kapprep.checklists import ChecklistSet
    from kapprep.store import Session, Store

Command = Callable[[argparse.Namespace], int]

ADD_HINT = 'add one with: kapprep session add "2026-12-03 10:00"'
JSON_HELP = "print JSON for scripts (see docs/json-output.md)"
SHOWN_OVERDUE = 5
"""Without --all, `next` lists this many overdue items (the rest are counted)."""


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
    edit.add_argument("number", type=int, metavar="N", help="the session's number (see list)")
    edit.add_argument("--when", metavar="WHEN", help='new date and time, like "2026-12-03 10:00"')
    _session_options(edit)
    edit.add_argument(
        "--status", choices=("planned", "done", "cancelled"), help="mark it done or cancelled"
    )
    edit.set_defaults(func=cmd_session_edit)

    remove = actions.add_parser("remove", help="remove a session with its ticks and notes")
    remove.add_argument("number", type=int, metavar="N", help="the session's number (see list)")
    remove.add_argument("--yes", action="store_true", help="do not ask first")
    remove.set_defaults(func=cmd_session_remove)

    nxt = sub.add_parser("next", help="what is due next before your coming session")
    nxt.add_argument("--session", type=int, metavar="N", help="another session than the next")
    nxt.add_argument(
        "--all", action="store_true", help="every open item, not only the first few of each"
    )
    nxt.add_argument("--json", action="store_true", help=JSON_HELP)
    nxt.set_defaults(func=cmd_next)

    tick = sub.add_parser("tick", help="mark a checklist item done")
    tick.add_argument("item", metavar="ITEM", help="the item's id (see: kapprep checklists list)")
    tick.add_argument("--note", metavar="TEXT", help="keep a note with it")
    tick.add_argument("--session", type=int, metavar="N", help="another session than the next")
    tick.set_defaults(func=cmd_tick)

    untick = sub.add_parser("untick", help="mark a checklist item not done")
    untick.add_argument("item", metavar="ITEM")
    untick.add_argument("--session", type=int, metavar="N", help="another session than the next")
    untick.set_defaults(func=cmd_untick)

    note = sub.add_parser("note", help='keep a note on an item ("" removes it)')
    note.add_argument("item", metavar="ITEM")
    note.add_argument("text", metavar="TEXT")
    note.add_argument("--session", type=int, metavar="N", help="another session than the next")
    note.set_defaults(func=cmd_note)

    where = sub.add_parser("where", help="print the folder your data is kept in")
    where.set_defaults(func=cmd_where)

    export = sub.add_parser("export", help="write all your data as JSON (to the screen or a file)")
    export.add_argument(
        "-o", "--output", metavar="FILE", help="write to FILE (only you can read it)"
    )
    export.add_argument("--force", action="store_true", help="replace FILE if it exists")
    export.set_defaults(func=cmd_export)

    imp = sub.add_parser("import", help="replace your data with an export file (asks first)")
    imp.add_argument("file", metavar="FILE", help="a file made by kapprep export")
    imp.add_argument("--yes", action="store_true", help="do not ask first (for scripts)")
    imp.set_defaults(func=cmd_import)

    delete = sub.add_parser("delete", help="delete all your kapprep data (asks first)")
    delete.add_argument("--yes", action="store_true", help="do not ask first (for scripts)")
    delete.set_defaults(func=cmd_delete)


def _session_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--tz",
        metavar="ZONE",
        help='time zone: a city or zone name, like "Los Angeles" or Europe/London (add: this '
        "computer's by default; edit: the session's, and --tz alone keeps the clock time)",
    )
    parser.add_argument("--clinic", metavar="NAME", help="the clinic's name")
    parser.add_argument("--phone", metavar="NUMBER", help="the clinic's phone number")
    parser.add_argument("--place", metavar="PLACE", help="where the session is: the address")
    parser.add_argument(
        "--at",
        dest="place_kind",
        choices=("clinic", "home", "other"),
        help="where the session is: at the clinic, at home (the briefing then tells the person "
        "who sits with you what to do during it), or other",
    )


# --------------------------------------------------------------------------------------------
# Shared helpers


@contextlib.contextmanager
def open_store(args: argparse.Namespace, *, daily_backup: bool = True) -> Iterator[Store]:
    from kapprep.store import Store

    store = Store.open(paths.data_dir(args.data_dir), daily_backup=daily_backup)
    try:
        for notice in store.notices:
            print(f"kapprep: {notice}", file=sys.stderr)
        yield store
    finally:
        store.close()


def _now() -> datetime:
    from kapprep import clock

    return clock.now()


_FORMATS = (
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %I:%M%p",
    "%Y-%m-%d %I%p",
    "%d %b %Y %H:%M",
    "%d %B %Y %H:%M",
    "%d %b %Y %I:%M%p",
    "%d %b %Y %I%p",
)


def parse_when(text: str, tz: str | None) -> datetime:
    """A typed date and time in a zone (named, or this computer's) -> aware datetime.

    Accepts "2026-12-03 10:00", "2026-12-03T10:00", "03 Dec 2026 10:00" and "2026-12-03 10:00am".
    """
    zone = _zone(tz)
    cleaned = " ".join(re.sub(r"^(\d{4}-\d{2}-\d{2})T", r"\1 ", text.strip()).split())
    cleaned = re.sub(r"\s*([aApP])\.?[mM]\.?$", lambda m: m.group(1).upper() + "M", cleaned)
    naive = None
    for fmt in _FORMATS:
        try:
            naive = datetime.strptime(cleaned, fmt)
            break
        except ValueError:
            continue
    if naive is None:
        # The app's forgiving reader: "3 Dec 10:00", "tomorrow 9am" (the same words as first run).
        from kapprep.whentext import ClockChangeError, WhenError
        from kapprep.whentext import parse_when as parse_words

        try:
            return parse_words(text, _now().astimezone(zone))
        except ClockChangeError as exc:
            raise UserError(f"{exc} (in {zone.key})") from None
        except WhenError:
            raise UserError(
                f"{_shown(text)} is not a date and time kapprep can read; "
                'write it like "2026-12-03 10:00", "3 Dec 10:00" or "tomorrow 9am"'
            ) from None
    return _wall_time(naive, zone)


def _wall_time(naive: datetime, zone: ZoneInfo) -> datetime:
    """`naive` on the clocks of `zone`: a skipped time is refused and a doubled one asks which,
    as the app's form does (`whentext.localize`)."""
    from kapprep.whentext import ClockChangeError, localize

    try:
        return localize(naive, zone)
    except ClockChangeError as exc:
        raise UserError(f"{exc} (in {zone.key})") from None


def _plain(text: str) -> str:
    """A note as typed, less terminal control codes (an ESC sequence would recolour the app)."""
    import unicodedata

    return "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch) != "Cc")


def _shown(text: str, limit: int = 40) -> str:
    """What the user typed, quoted on one line (control characters and long tails left out)."""
    flat = "".join(ch if ch.isprintable() else " " for ch in text)
    flat = " ".join(flat.split())
    if not flat:
        return "an empty value"
    return f'"{flat[:limit]}…"' if len(flat) > limit else f'"{flat}"'


def _zone(name: str | None) -> ZoneInfo:
    from kapprep.zones import ZoneError, local_zone, read_zone

    if name:
        try:
            return read_zone(name)
        except ZoneError as exc:
            raise UserError(f"--tz: {exc}") from None
    local: tzinfo = local_zone()
    if isinstance(local, ZoneInfo) and local.key:
        return local
    raise UserError(
        "kapprep cannot tell this computer's time zone by name; add one, like --tz Europe/London"
    )


def fmt_time(dt: datetime) -> str:
    """A session's time in its own zone (`dt` is in it), the zone named where this computer's
    clock would show another time: "Thu 03 Dec 2026 09:30 Los Angeles time"."""
    from kapprep.zones import local_zone, zone_label

    label = zone_label(dt, local_zone())
    return f"{dt:%a %d %b %Y %H:%M}" + (f" {label}" if label else "")


def _describe(session: Session, now: datetime) -> str:
    from kapprep.whentext import humanize

    kind = {"clinic": "at the clinic", "home": "at home", "other": None}.get(
        session.place_kind or ""
    )
    extra = [x for x in (kind, session.clinic, session.place, session.phone) if x]
    status = "" if session.status == "planned" else f" [{session.status}]"
    rest = f" — {', '.join(extra)}" if extra else ""
    start = f"{session.start:%a %d %b %Y %H:%M}"  # its zone is named just after, always
    return f"{start} ({session.tz}), {humanize(session.start, now)}{status}{rest}"


def _choose_session(store: Store, number: int | None) -> Session:
    if number is not None:
        session = store.session(number)
        if session is None:
            raise UserError(f"there is no session {number}; see: kapprep session list")
        return session
    session = store.next_session(_now())
    if session is None:
        raise UserError(f"there is no coming session; {ADD_HINT} (or choose one with --session N)")
    return session


def _checklists(args: argparse.Namespace) -> ChecklistSet:
    from kapprep.checklists import load_layers

    return load_layers(paths.checklist_layers(args.checklists))


def _known_item(checklists: ChecklistSet, item_id: str, also: set[str] | None = None) -> str:
    """The item's text, or a `UserError` with the closest ids ("did you mean …?")."""
    if not item_id.strip():
        raise UserError(
            "name a checklist item by its id, like stop-eating (see: kapprep checklists list)"
        )
    item = checklists.item(item_id)
    if item is not None:
        return item.text
    if also and item_id in also:
        return item_id
    ids = [i.id for i in checklists.items()] + sorted(also or ())
    close = difflib.get_close_matches(item_id, ids, n=3, cutoff=0.6)
    if not close:
        close = [i for i in ids if item_id.lower() in i][:3]
    hint = f"; did you mean {' or '.join(close)}?" if close else ""
    raise UserError(
        f"there is no checklist item {_shown(item_id)}{hint} (see: kapprep checklists list)"
    )


def _write_private(path: Path, text: str, force: bool = False) -> None:
    """Write a file only the user can read (0600), atomically (see `kapprep.files`)."""
    from kapprep.files import write_private

    try:
        write_private(path, text.encode("utf-8"), replace=force)
    except OSError as exc:
        raise UserError(str(exc)) from None


def _check_phone(phone: str | None) -> None:
    from kapprep.phones import phone_problem

    problem = phone_problem(phone or "")
    if problem:
        raise UserError(f"--phone {_shown(phone or '')}: {problem}")


def cmd_session_add(args: argparse.Namespace) -> int:
    start = parse_when(args.when, args.tz)
    _check_phone(args.phone)
    now = _now()
    with open_store(args) as store:
        same = store.session_at(start)
        if same is not None:
            raise UserError(
                f"session {same.id} is already at {fmt_time(same.start)}; to change it: "
                f"kapprep session edit {same.id}"
            )
        session = store.add_session(
            start,
            place=args.place or None,
            clinic=args.clinic or None,
            phone=args.phone or None,
            place_kind=args.place_kind,
        )
    print(f"Added session {session.id}: {_describe(session, now)}")
    if session.start < now:
        print("(That time has already passed; change it with: kapprep session edit)")
    return 0


def cmd_session_list(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        sessions = store.sessions()
    if args.json:
        from kapprep.cli import json_out

        json_out.emit(json_out.sessions_doc(_now(), sessions))
        return 0
    if not sessions:
        print(f"No sessions yet; {ADD_HINT}")
        return 0
    now = _now()
    for s in sessions:
        print(f"{s.id:>3}  {_describe(s, now)}")
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
            changes["start"] = parse_when(args.when, args.tz or session.tz)
        elif args.tz:
            # The clock time stays and the moment moves: --tz mends a zone typed wrongly
            # ("09:30 was meant in Los Angeles"). To keep the moment, give --when as well.
            zone = _zone(args.tz)
            changes["start"] = _wall_time(session.start.replace(tzinfo=None), zone)
            kept_clock = True
        _check_phone(args.phone)
        for name in ("clinic", "phone", "place", "status"):
            value = getattr(args, name)
            if value is not None:
                changes[name] = value or None
        if args.place_kind is not None:
            changes["place_kind"] = args.place_kind
        if not changes:
            raise UserError(
                "nothing to change; give --when, --tz, --clinic, --phone, --place, --at or --status"
            )
        updated = store.update_session(session.id, **changes)
    print(f"Session {updated.id}: {_describe(updated, _now())}")
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


# --------------------------------------------------------------------------------------------
# next, tick, untick, note


def cmd_next(args: argparse.Namespace) -> int:
    from kapprep.timeline import (
        DUE_NEXT,
        load_timeline_inputs,
        session_in_view,
        session_timeline,
    )
    from kapprep.whentext import humanize

    now = _now()
    checklists = _checklists(args)
    with open_store(args) as store:
        if args.session is not None:
            session = _choose_session(store, args.session)
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
    print(f"{heading} {session.id}: {_describe(session, now)}")
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
    checklists = _checklists(args)
    text = _known_item(checklists, args.item)
    with open_store(args) as store:
        session = _choose_session(store, args.session)
        with store.transaction():  # the tick and its note together, or neither
            store.tick(session.id, args.item)
            if args.note is not None:
                store.set_note(session.id, args.item, _plain(args.note))
    print(f"Done: {args.item}: {text} (session {session.id})")
    return 0


def cmd_untick(args: argparse.Namespace) -> int:
    checklists = _checklists(args)
    with open_store(args) as store:
        session = _choose_session(store, args.session)
        _known_item(checklists, args.item, set(store.ticks(session.id)))
        store.untick(session.id, args.item)
    print(f"Not done: {args.item} (session {session.id})")
    return 0


def cmd_note(args: argparse.Namespace) -> int:
    checklists = _checklists(args)
    with open_store(args) as store:
        session = _choose_session(store, args.session)
        _known_item(checklists, args.item, set(store.notes(session.id)))
        store.set_note(session.id, args.item, _plain(args.text))
    word = "Note kept" if args.text.strip() else "Note removed"
    print(f"{word}: {args.item} (session {session.id})")
    return 0


# --------------------------------------------------------------------------------------------
# where, export, import, delete


def cmd_where(args: argparse.Namespace) -> int:
    print(paths.data_dir(args.data_dir))
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from kapprep.store import DamageFound
    from kapprep.store.transfer import dumps

    code = 0
    with open_store(args) as store:
        try:
            text = dumps(store.export_data())
        except DamageFound as exc:
            if exc.readable is None:
                raise
            print(f"kapprep: {exc}", file=sys.stderr)
            text, code = dumps(exc.readable), 1
        if store.set_aside and store.set_aside[0].readable is not None and not code:
            # Set aside while opening: the fresh database is empty, the old file is what counts.
            text, code = dumps(store.set_aside[0].readable), 1
    if code:
        print(
            "kapprep: this export holds what could still be read from the damaged file.",
            file=sys.stderr,
        )
    if args.output and args.output != "-":
        out = Path(args.output).expanduser()
        _write_private(out, text, args.force)
        print(f"Exported all your data to {out} (only you can read it).", file=sys.stderr)
    else:
        sys.stdout.write(text)
        sys.stdout.flush()
    return code


def cmd_import(args: argparse.Namespace) -> int:
    from kapprep.store.backups import take_backup
    from kapprep.store.transfer import MAX_IMPORT_BYTES, parse_export

    path = Path(args.file).expanduser()
    from kapprep.files import NotAFileError, read_regular

    try:
        data = read_regular(path, MAX_IMPORT_BYTES + 1)
    except NotAFileError:
        raise UserError(f"{path} is not a file (a pipe or a device); give an export file") from None
    except OSError as exc:
        raise UserError(f"could not read {path}: {exc.strerror or 'error'}") from None
    doc = parse_export(data, str(path))
    with open_store(args) as store:
        intro = f"{path} is a valid kapprep export. Importing it replaces all your data:"
        if not confirm_replace(
            store, doc, intro, "Replace all your data with this file?", args.yes
        ):
            return 0
        backup = take_backup(store, "before-import")
        store.import_data(doc)
    print(
        f"Imported. Your data before the import was kept in {backup} "
        "(kapprep backups lists the copies; kapprep restore brings one back)."
    )
    return 0


def confirm_replace(store: Store, doc: Any, intro: str, question: str, yes: bool) -> bool:
    """Show what replacing all the data with `doc` changes, then ask (`confirm`); False, having
    said "Nothing was changed.", when the answer is no."""
    from kapprep.store.transfer import summary_lines

    summary = store.import_data(doc, dry_run=True)
    print(intro)
    for line in summary_lines(summary) or ["(both are empty)"]:
        print(f"  {line}")
    if not _confirm(question, yes):
        print("Nothing was changed.")
        return False
    return True


def _offer_export(args: argparse.Namespace, folder: Path) -> None:
    """Before deleting, in a terminal: offer to save an export of everything first."""
    from kapprep.store import Store
    from kapprep.store.transfer import dumps

    if args.yes or not sys.stdin.isatty() or not (folder / "kapprep.db").exists():
        return
    try:
        name = input(
            "Before deleting, you can keep an export of all your data (a JSON file only you "
            "can read; kapprep import brings it back). Type a file name for it, or press "
            "Enter to go on without one: "
        ).strip()
    except EOFError:
        name = ""
    if not name:
        return
    with Store.open(folder, daily_backup=False) as store:
        text = dumps(store.export_data())
    out = Path(name).expanduser()
    _write_private(out, text)
    print(f"Exported all your data to {out} (only you can read it).")


def cmd_delete(args: argparse.Namespace) -> int:
    from kapprep.store.erase import erase

    folder = paths.data_dir(args.data_dir)
    question = (
        f"This deletes all your kapprep data in {folder}: sessions, ticks, notes, plan, "
        "journal, practice log, settings, backups, briefings, exports, crash reports and any "
        "damaged file set aside. It cannot be undone."
    )
    if not args.yes and not sys.stdin.isatty():
        _confirm(question, args.yes)  # refuses, saying why
    _offer_export(args, folder)
    if not _confirm(question, args.yes, typed="delete"):
        print("Nothing was deleted.")
        return 0
    removed = erase(folder)
    if removed:
        print(f"Deleted from {folder}: {'; '.join(removed)}. No copy was kept.")
    else:
        print(f"There was no kapprep data in {folder}; nothing to delete.")
    return 0
