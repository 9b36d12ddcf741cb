"""What the commands that work on the patient's sessions and data share: opening the store, reading
a typed date and zone, naming a session and an item, writing a private file.
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
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from kapprep import paths
from kapprep.cli.common import UserError

if TYPE_CHECKING:
    from kapprep.checklists import ChecklistSet
    from kapprep.store import Session, Store

Command = Callable[[argparse.Namespace], int]


ADD_HINT = 'add one with: kapprep session add "2026-12-03 10:00"'
JSON_HELP = "print JSON for scripts (see docs/json-output.md)"


# --------------------------------------------------------------------------------------------
# Shared helpers


@contextlib.contextmanager
def open_store(args: argparse.Namespace, *, daily_backup: bool = True) -> Iterator[Store]:
    from kapprep.cli.secret import open_unlocking

    store = open_unlocking(args, paths.data_dir(args.data_dir), daily_backup=daily_backup)
    try:
        for notice in store.notices:
            print(f"kapprep: {notice}", file=sys.stderr)
        yield store
    finally:
        store.close()


def clock_now() -> datetime:
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


def parse_session_time(text: str, tz: str | None) -> datetime:
    """A typed date and time in a zone (named, or this computer's) -> aware datetime.

    Accepts "2026-12-03 10:00", "2026-12-03T10:00", "03 Dec 2026 10:00" and "2026-12-03 10:00am".
    """
    zone = zone_arg(tz)
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
            return parse_words(text, clock_now().astimezone(zone))
        except ClockChangeError as exc:
            raise UserError(f"{exc} (in {zone.key})") from None
        except WhenError:
            raise UserError(
                f"{shown(text)} is not a date and time kapprep can read; "
                'write it like "2026-12-03 10:00", "3 Dec 10:00" or "tomorrow 9am"'
            ) from None
    from kapprep.whentext import WhenError, check_year

    try:
        check_year(naive)  # before any zone arithmetic, which overflows near year 9999
    except WhenError as exc:
        raise UserError(str(exc)) from None
    return wall_time(naive, zone)


def wall_time(naive: datetime, zone: ZoneInfo) -> datetime:
    """`naive` on the clocks of `zone`: a skipped time is refused and a doubled one asks which,
    as the app's form does (`whentext.localize`)."""
    from kapprep.whentext import ClockChangeError, localize

    try:
        return localize(naive, zone)
    except ClockChangeError as exc:
        raise UserError(f"{exc} (in {zone.key})") from None


def shown(text: str, limit: int = 40) -> str:
    """What the user typed, quoted on one line (control characters and long tails left out)."""
    flat = "".join(ch if ch.isprintable() else " " for ch in text)
    flat = " ".join(flat.split())
    if not flat:
        return "an empty value"
    return f'"{flat[:limit]}…"' if len(flat) > limit else f'"{flat}"'


def zone_arg(name: str | None) -> ZoneInfo:
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


def describe_session(session: Session, now: datetime) -> str:
    from kapprep.whentext import humanize

    kind = {"clinic": "at the clinic", "home": "at home", "other": None}.get(
        session.place_kind or ""
    )
    extra = [x for x in (kind, session.clinic, session.place, session.phone) if x]
    status = "" if session.status == "planned" else f" [{session.status}]"
    rest = f" — {', '.join(extra)}" if extra else ""
    start = f"{session.start:%a %d %b %Y %H:%M}"  # its zone is named just after, always
    return f"{start} ({session.tz}), {humanize(session.start, now)}{status}{rest}"


def choose_session(store: Store, number: int | None) -> Session:
    if number is not None:
        session = store.session(number)
        if session is None:
            raise UserError(f"there is no session {number}; see: kapprep session list")
        return session
    session = store.next_session(clock_now())
    if session is None:
        raise UserError(f"there is no coming session; {ADD_HINT} (or choose one with --session N)")
    return session


def active_checklists(args: argparse.Namespace) -> ChecklistSet:
    from kapprep.checklists import load_layers

    return load_layers(paths.checklist_layers(args.checklists))


def known_item(checklists: ChecklistSet, item_id: str, also: set[str] | None = None) -> str:
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
        f"there is no checklist item {shown(item_id)}{hint} (see: kapprep checklists list)"
    )


def write_private_text(path: Path, text: str, force: bool = False) -> None:
    """Write a file only the user can read (0600), atomically (see `kapprep.files`)."""
    from kapprep.files import write_private

    try:
        write_private(path, text.encode("utf-8"), replace=force)
    except OSError as exc:
        raise UserError(str(exc)) from None


def check_phone(phone: str | None) -> None:
    from kapprep.phones import phone_problem

    problem = phone_problem(phone or "")
    if problem:
        raise UserError(f"--phone {shown(phone or '')}: {problem}")


def run_with_store(args: argparse.Namespace, body: Callable[[Store], int]) -> int:
    """Open the store, run `body(store)` and close it (a `KapprepError` is told by `main`)."""
    with open_store(args) as store:
        return body(store)


def write_private_file(path: Path, data: bytes, force: bool) -> None:
    """Write a file only the user can read (`kapprep.files`: a failure is a `WriteError`)."""
    from kapprep.files import write_private

    write_private(path, data, replace=force)


MAX_NUMBER = 2**31 - 1
"""The largest number a command takes for a session, a question or a person."""


def number(text: str) -> int:
    """A session's (or a question's) number on the command line: a whole number from 1, not so
    big it cannot be one (a 20-digit number is a typing slip, told as such)."""
    import argparse

    cleaned = text.strip()
    if not (cleaned.isascii() and cleaned.isdigit()):
        raise argparse.ArgumentTypeError(f"{shown(text)} is not a number like 1, 2 or 3")
    if len(cleaned) > 10 or not 1 <= int(cleaned) <= MAX_NUMBER:
        raise argparse.ArgumentTypeError(
            f"{shown(text)} is not a number kapprep gives (they start at 1); see the list"
        )
    return int(cleaned)
