"""The preparation timeline as an iCalendar file (RFC 5545), for the patient's own calendar.

Read from the one timeline (`kapprep.timeline`); which steps get an alarm, and when, comes from
`kapprep.reminders` (few alarms, for the steps that matter, none in the quiet hours). The file has:

- the session, from its start to start + its length from the plan (as the clinic says), with its
  own reminders;
- every timed step as its own short event; a reminder for one step is an alarm on it. A
  reminder for several steps, and the evening announcement of the night's steps, is a short
  event of its own at the time it rings ("Tomorrow: three things to do", "Tonight: Stop eating
  (03:30, or your clinic's time)"), so a calendar that drops VALARM (Google Calendar, Outlook,
  some Android ones) still shows each critical point and each reminder at its time. With
  `per_item`, every timed step's event carries its own alarm.

Times keep their IANA zone (`DTSTART;TZID=Europe/London:…`) and the file carries a VTIMEZONE for
each zone used, made from `zoneinfo` by icalendar, so "the evening before at 20:00" stays at 20:00
across a daylight-saving change.

Re-export is honest: UIDs are stable (a hash of a random per-install id kept in the settings, the
session id and the item or reminder key), ticked and past steps and reminders are written with
STATUS:CANCELLED, and SEQUENCE grows with each export, so importing a newer file updates what an
older one made instead of leaving it. Cancelled sessions are cancelled with all their steps.
Every event is CLASS:PRIVATE. `discreet` writes neutral words ("Appointment", "Reminder") and no
descriptions or place, for a calendar other people can see.

Named `ical`, not `calendar`, so that it never shadows the standard library's `calendar`.
No Textual here; icalendar is imported only inside the function that writes the file.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from kapprep.checklist_model import CLINIC_NOTICE, Item
from kapprep.quiet_hours import DEFAULT_QUIET, QuietHours
from kapprep.reminders import (
    MAX_ALARMS,
    Reminder,
    clinic_default,
    plan_reminders,
    step_line,
)
from kapprep.timeline import AFTER_WITHOUT_LENGTH, Entry, Timeline
from kapprep.whentext import format_clock, format_day

if TYPE_CHECKING:
    from kapprep.store import Session, Store

__all__ = [
    "INSTALL_ID_KEY",
    "build_calendar",
    "calendar_for_store",
    "event_uid",
    "install_id",
]

INSTALL_ID_KEY = "calendar.install_id"
"""Settings key of the random per-install id that UIDs are derived from."""
FORGET_AFTER = timedelta(days=90)
"""An event no file has had for this long, and whose time is this long past, is forgotten."""
PRODID = "-//kapprep//preparation timeline//EN"
ITEM_LENGTH = timedelta(minutes=15)
REMINDER_LENGTH = timedelta(minutes=15)
NO_LENGTH = (
    "The end shown is two hours after the start: add the session's length, as your clinic "
    "says, to your plan in kapprep and export again."
)
_EPOCH = datetime(2025, 1, 1, tzinfo=UTC)
_NUMBERS = {2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight"}


def event_uid(install: str, session_id: int, item_id: str | None) -> str:
    """A stable UID that reveals nothing: sha256(install id, session id, item id)."""
    raw = f"{install}\x1f{session_id}\x1f{item_id or ''}".encode()
    return hashlib.sha256(raw).hexdigest()[:32] + "@kapprep"


def _sequence(now: datetime) -> int:
    """A SEQUENCE that grows with each export (minutes since 2025), so clients take the update."""
    return max(0, int((now - _EPOCH).total_seconds() // 60))


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


def _count(n: int) -> str:
    return _NUMBERS.get(n, str(n))


def _reminder_words(
    reminder: Reminder,
    steps: Sequence[Entry],
    quiet: QuietHours,
    h24: bool,
    discreet: bool,
) -> tuple[str, str]:
    """(summary, description) of a reminder event, for its steps still to do."""
    at = reminder.at
    first = steps[0]
    assert first.due is not None
    n = len(steps)
    day = format_day(first.due.astimezone(at.tzinfo), at).capitalize()

    def clock(moment: datetime) -> str:
        local = moment.astimezone(at.tzinfo)
        shown = format_clock(local, h24)
        return (
            shown
            if reminder.evening or local.date() == at.date()
            else (f"{format_day(local, at)} {shown}")
        )

    if discreet:
        if reminder.evening:
            return ("Reminder for tonight" if n == 1 else f"Tonight: {_count(n)} reminders"), ""
        return ("Reminder" if n == 1 else f"{day}: {_count(n)} reminders"), ""
    lines = "\n".join(f"- {step_line(e, clock)}" for e in steps)
    if reminder.evening:
        if n == 1:
            summary = f"Tonight: {step_line(first, clock)}"
        else:
            clinic = ", or your clinic's time" if clinic_default(first) else ""
            summary = f"Tonight: {_count(n)} steps, the first at {clock(first.due)}{clinic}"
        shown = str(quiet).replace("-", "–")
        intro = f"No alarm rings in your quiet hours ({shown}), so here they are before you sleep:"
        return summary, f"{intro}\n{lines}"
    summary = step_line(first, clock) if n == 1 else f"{day}: {_count(n)} things to do"
    return summary, lines


def build_calendar(
    lines: Sequence[Timeline],
    install: str,
    now: datetime,
    *,
    discreet: bool = False,
    per_item: bool = False,
    quiet: QuietHours = DEFAULT_QUIET,
    max_alarms: int = MAX_ALARMS,
    h24: bool = True,
    earlier: Mapping[int, Mapping[str, datetime]] | None = None,
    written: dict[int, dict[str, datetime]] | None = None,
) -> bytes:
    """The iCalendar file (bytes, CRLF lines) for these sessions' timelines.

    `per_item`: an alarm on every timed step instead of few grouped ones; `quiet`: no alarm
    inside these hours; `max_alarms`: per session, its own reminders included; `h24`: the
    patient's clock style in the words. `earlier`: session id -> event key -> start, of the
    events earlier files had; those this file does not have are written as cancelled. `written`,
    when given, is filled with the same for this file.
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
    cal.add("x-wr-calname", "Reminders" if discreet else "KAP preparation (kapprep)")
    days: list[date] = []

    made: dict[int, dict[str, datetime]] = {} if written is None else written

    def event(
        key: tuple[int, str],
        summary: str,
        start: datetime,
        end: datetime,
        description: str,
        active: bool,
    ) -> Any:
        made.setdefault(key[0], {})[key[1]] = start
        ev = Event()
        ev.add("uid", event_uid(install, *key))
        ev.add("dtstamp", stamp)
        ev.add("sequence", sequence)
        ev.add("summary", summary)
        ev.add("dtstart", start)
        ev.add("dtend", end)
        ev.add("class", "PRIVATE")
        ev.add("transp", "TRANSPARENT")
        ev.add("status", "CONFIRMED" if active else "CANCELLED")
        if description and not discreet:
            ev.add("description", description)
        days.append(start.date())
        cal.add_component(ev)
        return ev

    def alarm(ev: Any, words: str, at: datetime, start: datetime) -> None:
        al = Alarm()
        al.add("action", "DISPLAY")
        al.add("description", words)
        al.add("trigger", _utc(at) - _utc(start))
        ev.add_component(al)

    def future(moment: datetime) -> bool:
        return _utc(moment) >= stamp

    for line in lines:
        s = line.session
        cancelled = s.status == "cancelled"
        plan = plan_reminders(line, quiet, per_item=per_item, max_alarms=max_alarms)

        def still_to_do(entry: Entry, line: Timeline = line, cancelled: bool = cancelled) -> bool:
            return (
                not cancelled
                and entry.due is not None
                and entry.item.id not in line.done
                and future(entry.due)
            )

        # -- the session
        title = "Appointment" if discreet else "KAP session"
        notes = ["Follow your clinic's instructions. kapprep gives no medical advice."]
        if line.end is None:
            notes.append(NO_LENGTH)
        end = line.end or (_utc(s.start) + AFTER_WITHOUT_LENGTH).astimezone(s.start.tzinfo)
        ev = event((s.id, ""), title, s.start, end, "\n".join(notes), True)
        ev["transp"] = "OPAQUE"
        ev["status"] = "CANCELLED" if cancelled else "CONFIRMED"
        where = s.place or s.clinic
        if where and not discreet:
            ev.add("location", where)
        if not cancelled:
            for own in plan.session_alarms:
                if future(own.at):
                    alarm(ev, title, own.at, s.start)

        # -- every timed step, its own short event. A reminder for one step (all of them with
        # `per_item`) is an alarm on that event; an evening announcement or a group of steps is
        # an event of its own, at the time it rings, so it shows where alarms are dropped.
        on_step: dict[str, Reminder] = {}
        own_events: list[Reminder] = []
        for reminder in plan.reminders:
            if plan.per_item or (len(reminder.entries) == 1 and not reminder.evening):
                on_step[reminder.entries[0].item.id] = reminder
            else:
                own_events.append(reminder)
        for entry in line.entries:
            if entry.due is None:
                continue
            item = entry.item
            active = still_to_do(entry)
            text = "Reminder" if discreet else item.text
            ev = event(
                (s.id, item.id),
                text,
                entry.due,
                entry.due + ITEM_LENGTH,
                _step_notes(entry),
                active,
            )
            mine = on_step.get(item.id)
            if active and mine is not None and future(mine.at):
                words, _ = _reminder_words(mine, (entry,), quiet, h24, discreet)
                alarm(ev, words, mine.at, entry.due)

        for reminder in own_events:
            steps = [e for e in reminder.entries if still_to_do(e)]
            active = bool(steps) and future(reminder.at)
            words, notes_text = _reminder_words(
                reminder, steps or reminder.entries, quiet, h24, discreet
            )
            ev = event(
                (s.id, reminder.key),
                words,
                reminder.at,
                reminder.at + REMINDER_LENGTH,
                notes_text,
                active,
            )
            if active:
                alarm(ev, words, reminder.at, reminder.at)

    # -- what earlier files made and this one has not (a reminder regrouped, a step no longer in
    # the checklists, a session removed): cancelled, so importing this file clears them
    for session_id, keys in (earlier or {}).items():
        for key, start in keys.items():
            if key not in made.get(session_id, {}):
                summary = "Appointment" if not key else "Reminder"
                at = start.astimezone(UTC)  # the zone's name was not kept: the moment is
                event((session_id, key), summary, at, at + ITEM_LENGTH, "", False)
    if days:
        first, last = min(days), max(days)
        cal.add_missing_timezones(
            first_date=first - timedelta(days=366), last_date=last + timedelta(days=366)
        )
    data: bytes = cal.to_ical()
    return data


def _step_notes(entry: Entry) -> str:
    item = entry.item
    lines = [item.why or ""]
    if entry.overridden:
        lines.append("This is your clinic's time, as you set it in kapprep.")
    elif clinic_default(entry):
        lines.append(f"{CLINIC_NOTICE} The time shown is a common default, or your clinic's time.")
    return "\n".join(x for x in lines if x)


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
    per_item: bool = False,
    max_alarms: int = MAX_ALARMS,
) -> bytes:
    """The calendar for every session (or one), each read from its timeline (the checklist items,
    the journal's integration prompts, the clinic's own times, the ticks, the plan's length),
    with the quiet hours and clock style from the settings. `LookupError` when `session_id`
    names no session."""
    from kapprep.settings import load_settings, set_settings
    from kapprep.timeline import load_timeline_inputs, session_timeline

    all_items = tuple(items)
    if session_id is not None:
        one = store.session(session_id)
        if one is None:
            raise LookupError(session_id)
        chosen: Sequence[Session] = [one]
    settings = load_settings(store)
    if session_id is None:
        # Sessions long past have nothing left to remind of: only those whose steps (the
        # journal's prompts run a week after) are recent or to come, and those an earlier file
        # wrote events for, which must be cancelled. A series of years stays small and quick.
        earlier_ids = set(_read_ledger(settings.calendar_written))
        horizon = now - FORGET_AFTER - timedelta(days=8)
        chosen = [s for s in store.sessions() if s.start >= horizon or s.id in earlier_ids]
    lines = [
        session_timeline(load_timeline_inputs(store, all_items, s), now)
        for s in sorted(chosen, key=lambda s: s.start)
    ]
    ledger = _read_ledger(settings.calendar_written)
    earlier = {sid: keys for sid, keys in ledger.items() if session_id is None or sid == session_id}
    written: dict[int, dict[str, datetime]] = {}
    data = build_calendar(
        lines,
        install_id(store),
        now,
        discreet=discreet,
        per_item=per_item,
        quiet=settings.quiet,
        max_alarms=max_alarms,
        h24=settings.clock_24h,
        earlier=earlier,
        written=written,
    )
    recent = now.astimezone(UTC) - FORGET_AFTER
    for sid, keys in written.items():
        ledger[sid] = {k: at for k, at in keys.items() if at.astimezone(UTC) >= recent}
    remembered = {
        str(sid): {k: at.isoformat() for k, at in keys.items()}
        for sid, keys in sorted(ledger.items())
        if keys
    }
    set_settings(store, calendar_written=remembered or None)
    return data


def _read_ledger(value: object) -> dict[int, dict[str, datetime]]:
    """The `calendar_written` setting, read; anything that does not read (a hand-edited import) is
    left out."""
    out: dict[int, dict[str, datetime]] = {}
    if not isinstance(value, dict):
        return out
    for sid_text, keys in value.items():
        if not (isinstance(sid_text, str) and sid_text.isdigit() and isinstance(keys, dict)):
            continue
        found: dict[str, datetime] = {}
        for key, text in keys.items():
            try:
                at = datetime.fromisoformat(text) if isinstance(text, str) else None
            except ValueError:
                at = None
            if isinstance(key, str) and at is not None and at.tzinfo is not None:
                found[key] = at
        out[int(sid_text)] = found
    return out
