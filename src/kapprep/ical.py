"""The preparation timeline as an iCalendar file (RFC 5545), for the patient's own calendar.

Each session and every timed checklist item (and the journal's integration prompts) becomes a
VEVENT with a reminder (VALARM), so the reminders reach the patient's phone. Times keep their IANA
zone (`DTSTART;TZID=Europe/London:…`) and the file carries a VTIMEZONE for each zone used, made
from `zoneinfo` by icalendar, so "the evening before at 20:00" stays at 20:00 across a
daylight-saving change.

UIDs are stable: a hash of a random per-install id (kept in the settings), the session id and the
item id. Importing a newer file therefore updates the events instead of duplicating them, and a
UID says nothing about what the event is. Cancelled sessions are written with STATUS:CANCELLED so
a re-import clears them from the calendar too. Every event is CLASS:PRIVATE.

Named `ical`, not `calendar`, so that it never shadows the standard library's `calendar`.
No Textual here; icalendar is imported only inside the function that writes the file.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from kapprep.checklist_model import Item
from kapprep.timeline import Entry

if TYPE_CHECKING:
    from kapprep.store import Session, Store

__all__ = [
    "INSTALL_ID_KEY",
    "CalendarSession",
    "build_calendar",
    "calendar_for_store",
    "event_uid",
    "install_id",
]

INSTALL_ID_KEY = "calendar.install_id"
"""Settings key of the random per-install id that UIDs are derived from."""
PRODID = "-//kapprep//preparation timeline//EN"
SESSION_LENGTH = timedelta(hours=2)
"""How long the session's calendar block is drawn; the clinic sets the real length."""
ITEM_LENGTH = timedelta(minutes=15)
ITEM_ALARM = timedelta(minutes=15)
"""Reminder this long before each item is due."""
SESSION_ALARMS = (timedelta(days=1), timedelta(hours=2))
"""Reminders before the session: the day before, and two hours before."""
_EPOCH = datetime(2025, 1, 1, tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class CalendarSession:
    """One session and its timeline, ready to be written."""

    session: Session
    entries: tuple[Entry, ...]


def event_uid(install: str, session_id: int, item_id: str | None) -> str:
    """A stable UID that reveals nothing: sha256(install id, session id, item id)."""
    raw = f"{install}\x1f{session_id}\x1f{item_id or ''}".encode()
    return hashlib.sha256(raw).hexdigest()[:32] + "@kapprep"


def _sequence(now: datetime) -> int:
    """A SEQUENCE that grows with each export (minutes since 2025), so clients take the update."""
    return max(0, int((now - _EPOCH).total_seconds() // 60))


def build_calendar(
    sessions: Sequence[CalendarSession],
    install: str,
    now: datetime,
    *,
    item_alarm: timedelta = ITEM_ALARM,
    discreet: bool = False,
) -> bytes:
    """The iCalendar file (bytes, CRLF lines) for these sessions and their timed items.

    `discreet` writes neutral titles ("Appointment", "Reminder") and no descriptions, for a
    calendar that other people can see; times, reminders and UIDs are the same.
    """
    # icalendar costs about 57 ms to import (measured here): only the calendar commands pay it.
    from icalendar import Alarm, Calendar, Event

    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    stamp = now.astimezone(UTC)
    sequence = _sequence(now)
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", "kapprep" if discreet else "KAP preparation (kapprep)")
    days: list[date] = []

    def event(uid: str, summary: str, start: datetime, length: timedelta, description: str) -> Any:
        ev = Event()
        ev.add("uid", uid)
        ev.add("dtstamp", stamp)
        ev.add("sequence", sequence)
        ev.add("summary", summary)
        ev.add("dtstart", start)
        ev.add("duration", length)
        ev.add("class", "PRIVATE")
        ev.add("transp", "TRANSPARENT")
        if description:
            ev.add("description", description)
        days.append(start.date())
        return ev

    def alarm(summary: str, before: timedelta) -> Any:
        al = Alarm()
        al.add("action", "DISPLAY")
        al.add("description", summary)
        al.add("trigger", -before)
        return al

    for cs in sessions:
        s = cs.session
        cancelled = s.status == "cancelled"
        where = None if discreet else s.place or s.clinic
        title = "Appointment" if discreet else "KAP session"
        ev = event(
            event_uid(install, s.id, None),
            title,
            s.start,
            SESSION_LENGTH,
            ""
            if discreet
            else "Follow your clinic's instructions. kapprep gives no medical advice.",
        )
        ev["transp"] = "OPAQUE"
        if where:
            ev.add("location", where)
        ev.add("status", "CANCELLED" if cancelled else "CONFIRMED")
        if not cancelled:
            for before in SESSION_ALARMS:
                ev.add_component(alarm(title, before))
        cal.add_component(ev)
        for entry in cs.entries:
            if entry.due is None:
                continue
            item = entry.item
            lines = [item.why or ""]
            if item.clinic_decides:
                lines.append("Follow your clinic's instructions.")
            text = "Reminder (kapprep)" if discreet else item.text
            ev = event(
                event_uid(install, s.id, item.id),
                text,
                entry.due,
                ITEM_LENGTH,
                "" if discreet else "\n".join(x for x in lines if x),
            )
            ev.add("status", "CANCELLED" if cancelled else "CONFIRMED")
            if not cancelled:
                ev.add_component(alarm(text, item_alarm))
            cal.add_component(ev)
    if days:
        first, last = min(days), max(days)
        cal.add_missing_timezones(
            first_date=first - timedelta(days=366), last_date=last + timedelta(days=366)
        )
    data: bytes = cal.to_ical()
    return data


# --------------------------------------------------------------------------------------------
# From the store


def install_id(store: Store) -> str:
    """The per-install random id (made once, kept in the settings)."""
    from kapprep.settings import load_settings, set_settings

    value = load_settings(store).calendar_install_id
    if isinstance(value, str) and len(value) >= 16:
        return value
    value = secrets.token_hex(16)
    set_settings(store, calendar_install_id=value)
    return value


def calendar_for_store(
    store: Store,
    items: Iterable[Item],
    now: datetime,
    *,
    session_id: int | None = None,
    discreet: bool = False,
) -> bytes:
    """The calendar for every session (or one), with the checklist items plus the journal's
    integration prompts. `LookupError` when `session_id` names no session."""
    from kapprep.timeline import load_timeline_inputs, session_timeline

    all_items = tuple(items)
    if session_id is not None:
        one = store.session(session_id)
        if one is None:
            raise LookupError(session_id)
        chosen: Sequence[Session] = [one]
    else:
        chosen = store.sessions()
    sessions = []
    for s in sorted(chosen, key=lambda s: s.start):
        line = session_timeline(load_timeline_inputs(store, all_items, s), now)
        sessions.append(CalendarSession(s, line.entries))
    return build_calendar(sessions, install_id(store), now, discreet=discreet)
