"""The calendar's reminders for one session: few alarms, for the steps that matter, never at night.

Read from the one timeline (`kapprep.timeline.Timeline`); nothing here places items. The rules
(docs/calendar.md says them for patients and clinics):

- **The steps that matter** (`matters`): the ones the clinic decides (`clinic_decides: true`, an
  item tagged `rule:driving` or `rule:decisions`, an item whose time the patient set as their
  clinic's) and the ride (an item tagged `ride`). The session has reminders of its own: the day
  before, and two hours before.
- **Quiet hours** (a setting, 22:00-07:00 in the session's zone by default): no alarm inside them.
  A step due inside them is announced before they begin (`ANNOUNCE_BEFORE`); a step due just
  after them has its alarm when they end. The session's two-hours-before reminder is exempt, so
  an early session still gets one.
- **Grouped**: alarms within `GROUP_WINDOW` of the first of a group ring once, for all of them;
  if there are still more than `MAX_ALARMS` (the session's own included), the two closest
  together are joined until there are not.
- **One per item**, for those who want it: every timed step gets its own alarm, quiet hours kept.

The plan is worked out from every step, done or not, so a group keeps its key (and its calendar
UID) when one of its steps is ticked. Pure: no I/O, no clock, no Textual, no icalendar.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo
from typing import TYPE_CHECKING

from kapprep.clinic_rules import rule_kind
from kapprep.quiet_hours import DEFAULT_QUIET, QuietHours

if TYPE_CHECKING:
    from kapprep.timeline import Entry, Timeline

__all__ = [
    "ANNOUNCE_BEFORE",
    "GROUP_WINDOW",
    "LEAD",
    "MAX_ALARMS",
    "RIDE_TAG",
    "Reminder",
    "ReminderPlan",
    "SessionAlarm",
    "clinic_default",
    "matters",
    "plan_reminders",
    "step_line",
]

LEAD = timedelta(minutes=15)
"""A step's alarm rings this long before it is due."""
ANNOUNCE_BEFORE = timedelta(minutes=30)
"""Steps due in the quiet hours are announced this long before the quiet hours begin."""
GROUP_WINDOW = timedelta(hours=1)
"""Alarms this close to the first of a group ring once, for the whole group."""
MAX_ALARMS = 12
"""At most this many alarms for one session, its own reminders included."""
SESSION_DAY_BEFORE = timedelta(days=1)
SESSION_SOON = timedelta(hours=2)
"""The session's own reminders: the day before (kept out of quiet hours), and two hours before
(exempt from quiet hours)."""
RIDE_TAG = "ride"
"""Items about getting there and home: arranging, confirming, the ride itself."""


def matters(entry: Entry) -> bool:
    """A step the calendar reminds of by default: the clinic decides it, or it is the ride."""
    item = entry.item
    return (
        item.clinic_decides
        or entry.overridden
        or rule_kind(item.tags) is not None
        or RIDE_TAG in item.tags
    )


def clinic_default(entry: Entry) -> bool:
    """The time shown is a shipped common default (`default_from`) for a step the clinic decides,
    and the patient has not set their clinic's own: the wording adds "or your clinic's time"."""
    item = entry.item
    return item.clinic_decides and item.default_from is not None and not entry.overridden


@dataclass(frozen=True, slots=True)
class SessionAlarm:
    """One of the session's own reminders."""

    at: datetime
    exempt: bool
    """Rings even inside quiet hours (the two-hours-before one)."""


@dataclass(frozen=True, slots=True)
class Reminder:
    """One alarm, for one or more steps."""

    at: datetime
    """When it rings, in the session's zone: never inside quiet hours."""
    entries: tuple[Entry, ...]
    """The steps, in time order (done ones too: the writer leaves them out of the words)."""
    evening: bool
    """Announced before the quiet hours, because the steps fall inside them."""

    @property
    def key(self) -> str:
        """Stable for the same steps and settings, whatever is ticked: for the event's UID."""
        return f"{'evening' if self.evening else 'reminder'}:{self.entries[0].item.id}"


@dataclass(frozen=True, slots=True)
class ReminderPlan:
    session_alarms: tuple[SessionAlarm, ...]
    reminders: tuple[Reminder, ...]
    per_item: bool
    """One alarm per timed step (on the step's own event), instead of grouped reminders."""

    @property
    def alarm_count(self) -> int:
        return len(self.session_alarms) + len(self.reminders)


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


def _place(due: datetime, quiet: QuietHours, zone: tzinfo) -> tuple[datetime, bool]:
    """(when the alarm for a step due at `due` rings, whether it is an evening announcement)."""
    if quiet.contains(due, zone):
        return (_utc(quiet.began_before(due, zone)) - ANNOUNCE_BEFORE).astimezone(zone), True
    at = (_utc(due) - LEAD).astimezone(zone)
    if quiet.contains(at, zone):
        at = quiet.ends_after(at, zone)  # still before the step: it is due after they end
    return at, False


def session_alarms(start: datetime, quiet: QuietHours) -> tuple[SessionAlarm, ...]:
    zone = start.tzinfo
    assert zone is not None
    day_before = start - SESSION_DAY_BEFORE  # the same clock time the day before
    if quiet.contains(day_before, zone):
        day_before = quiet.ends_after(day_before, zone)
    soon = (_utc(start) - SESSION_SOON).astimezone(zone)
    return (SessionAlarm(day_before, False), SessionAlarm(soon, True))


def plan_reminders(
    line: Timeline,
    quiet: QuietHours = DEFAULT_QUIET,
    *,
    per_item: bool = False,
    max_alarms: int = MAX_ALARMS,
) -> ReminderPlan:
    """The alarms for one session's timeline."""
    zone = line.start.tzinfo
    assert zone is not None
    own = session_alarms(line.start, quiet)
    placed = sorted(
        (
            (*_place(e.due, quiet, zone), e)
            for e in line.entries
            if e.due is not None and (per_item or matters(e))
        ),
        key=lambda p: (_utc(p[0]), _utc(p[2].due or p[0])),
    )
    if per_item:
        return ReminderPlan(own, tuple(Reminder(at, (e,), ev) for at, ev, e in placed), True)
    groups: list[Reminder] = []
    for at, evening, entry in placed:
        last = groups[-1] if groups else None
        if (
            last is not None
            and last.evening == evening
            and _utc(at) - _utc(last.at) <= GROUP_WINDOW
        ):
            groups[-1] = Reminder(last.at, (*last.entries, entry), evening)
        else:
            groups.append(Reminder(at, (entry,), evening))
    budget = max(1, max_alarms - len(own))
    while len(groups) > budget:
        gaps = [_utc(groups[i + 1].at) - _utc(groups[i].at) for i in range(len(groups) - 1)]
        i = gaps.index(min(gaps))
        a, b = groups[i], groups[i + 1]
        joined = tuple(sorted((*a.entries, *b.entries), key=lambda e: _utc(e.due or a.at)))
        groups[i : i + 2] = [Reminder(a.at, joined, a.evening and b.evening)]
    return ReminderPlan(own, tuple(groups), False)


def step_line(entry: Entry, fmt: Callable[[datetime], str]) -> str:
    """ "Stop eating (03:30, or your clinic's time)": the step, its time, who decides."""
    assert entry.due is not None
    text = entry.item.text.strip().rstrip(".")
    clinic = ", or your clinic's time" if clinic_default(entry) else ""
    return f"{text} ({fmt(entry.due)}{clinic})"
