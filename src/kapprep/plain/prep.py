"""Plain mode's checklist, sessions and day-of menus, on `kapprep.timeline` and the store.

The checklist lists the session's timeline (from `kapprep.timeline`, never assembled here),
numbered; an item's number opens it: tick or untick, a note, the clinic's own time (or, on the
driving and decisions items, the clinic's rule), and why it matters.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from kapprep import messages
from kapprep.plain.console import BACK_WORDS, User
from kapprep.plain.core import TEXT_HELP, Back, PlainApp, spoken

if TYPE_CHECKING:
    from kapprep.store import Session
    from kapprep.timeline import Entry, Timeline

LIST_HELP = (
    "Each line is one thing to do: its number, [x] when done or [ ] when not, the item, and "
    "when it is due. Type an item's number to tick it, add a note or see why it matters."
)


def _due_text(app: PlainApp, entry: Entry, now: datetime) -> str:
    if entry.due is None:
        return "no set time"
    return f"due {app.when(entry.due)}, {spoken(entry.due, now)}"


def _need_session(app: PlainApp) -> Session | None:
    session = app.session()
    if session is None:
        app.say(messages.ADD_SESSION_FIRST_PLAIN)
    return session


VIEWS = {
    "open": "the items not done yet",
    "due": "what is overdue, then the next few",
    "all": "every item, done ones too",
}
"""What the checklist lists; the patient changes it by typing the word at its prompt."""
DUE_SHOWN = 5


def _view(line: Timeline, view: str) -> list[Entry]:
    """The entries a view lists, in the timeline's own order (`kapprep.timeline` places them)."""
    if view == "all":
        return list(line.entries)
    if view == "due":
        late = [e for e in line.overdue if e not in line.missed]
        return [*line.missed, *late, *line.coming[:DUE_SHOWN]]
    return [e for e in line.entries if not line.is_done(e)]


def checklist(app: PlainApp) -> None:
    session = _need_session(app)
    if session is None:
        return
    view = "open"
    while True:
        line = app.timeline(session)
        now = app.now()
        entries = _view(line, view)
        ids = {e.item.id for e in line.entries}
        app.say(
            f"Checklist for session {session.id}, {app.when(session.start)}: "
            f"{len(ids & line.done)} of {len(ids)} done. Showing {VIEWS[view]}."
        )
        phase = None
        for i, entry in enumerate(entries, 1):
            if view != "due" and entry.item.phase != phase:
                phase = entry.item.phase
                title = next((p.title for p in line.phases if p.phase == phase), phase)
                app.say(f"{title}:")
            mark = "[x]" if line.is_done(entry) else "[ ]"
            late = " OVERDUE" if entry in line.overdue else ""
            app.say(
                f"  {i}. {mark} {entry.item.text} ({_due_text(app, entry, now)}){late}",
                indent="       ",
            )
        if not entries:
            app.say("Nothing to list here.")
        others = " or ".join(f'"{v}"' for v in VIEWS if v != view)
        answer = app.console.ask(
            f"Item number, 1 to {len(entries)}; {others} to list other items (Enter to go back):",
            LIST_HELP + " " + "; ".join(f"{k}: {v}" for k, v in VIEWS.items()) + ".",
        ).lower()
        if answer in VIEWS:
            view = answer
            continue
        if not answer or answer in BACK_WORDS:
            return
        if not (answer.isdigit() and 1 <= int(answer) <= len(entries)):
            app.say(f"Type a number from 1 to {len(entries)}, a word such as all, or Enter.")
            continue
        try:
            item_menu(app, session, entries[int(answer) - 1].item.id)
        except Back:
            continue


def item_menu(app: PlainApp, session: Session, item_id: str) -> None:
    from kapprep.checklist_model import CLINIC_NOTICE
    from kapprep.clinic_rules import rule_kind

    while True:
        line = app.timeline(session)
        entry = next((e for e in line.entries if e.item.id == item_id), None)
        if entry is None:
            return
        item = entry.item
        done = line.is_done(entry)
        note = app.store.notes(session.id).get(item.id, "")
        app.say(
            f"{item.text}. {'Done' if done else 'Not done yet'}, {_due_text(app, entry, app.now())}."
        )
        if item.clinic_decides:
            app.say(CLINIC_NOTICE)
        if note:
            app.say("Your note: ", User(note))
        choices = [
            ("untick" if done else "tick", "mark it not done" if done else "mark it done",
             lambda: _tick(app, session, item.id, item.text, not done)),
            ("note", "write or change your note on it", lambda: _note(app, session, item.id, item.text, note)),
        ]  # fmt: skip
        if item.why:
            why = item.why
            choices.append(("why", "why it matters", lambda: app.say(why)))
        if item.clinic_decides:
            kind = rule_kind(item.tags)
            if kind is not None:
                choices.append(("rule", f"your clinic's rule for {kind}", lambda: _rule(app, kind)))
            else:
                choices.append(
                    ("time", "your clinic's own time for it", lambda: _clinic_time(app, item.id, item.text))
                )  # fmt: skip
        app.menu("This item", choices)


def _tick(app: PlainApp, session: Session, item_id: str, text: str, on: bool) -> None:
    def write() -> str:
        if on:
            app.store.tick(session.id, item_id)
            return messages.ticked(text)
        app.store.untick(session.id, item_id)
        return messages.unticked(text)

    app.saving(write)


def _note(app: PlainApp, session: Session, item_id: str, text: str, current: str) -> None:
    typed = app.ask(
        'Your note, on one line (Enter keeps it as it is; "-" removes it):',
        TEXT_HELP,
    )
    if not typed:
        app.say("Nothing changed.")
        return
    if typed == "-":
        if not current:
            app.say("There was no note.")
            return

        def remove() -> str:
            app.store.set_note(session.id, item_id, "")
            return messages.note_removed(text)

        app.saving(remove)
        return

    def keep() -> str:
        app.store.set_note(session.id, item_id, typed)
        return messages.note_kept(text)

    app.saving(keep)


def _clinic_time(app: PlainApp, item_id: str, text: str) -> None:
    from kapprep.due import DueSyntaxError, parse_due

    current = app.store.clinic_times().get(item_id, "")
    if current:
        app.say(f"Your clinic's time now: {current}.")
    while True:
        typed = app.ask(
            'Your clinic\'s time, before the session, like -6h or -1d@20:00 ("-" goes back '
            "to the usual time; Enter keeps it):",
            "Write how long before the session: -6h is six hours before, -4h30m four and a "
            "half, -1d@20:00 the evening before at 8 pm. The same time is used for every "
            "session. Follow your clinic's instructions.",
        )
        if not typed:
            return
        due = "" if typed == "-" else typed
        if due:
            try:
                parse_due(due)
            except DueSyntaxError as exc:
                app.say(f"That time: {exc}")
                continue

        def save() -> str:
            app.store.set_clinic_time(item_id, due or None)
            return messages.clinic_time_saved(text, due)

        app.saving(save)
        return


def _rule(app: PlainApp, kind: str) -> None:
    from kapprep.clinic_rules import RuleError, parse_rule
    from kapprep.settings import note_rule, noted_rules

    now_noted = noted_rules(app.store).get(kind)
    if now_noted:
        app.say("Your clinic's rule now: ", User(now_noted))
    while True:
        typed = app.ask(
            f'Your clinic\'s rule for {kind}: a time after the session such as "24 hours", '
            'or their words ("-" clears it; Enter keeps it):',
            "kapprep states no time of its own: write what your clinic told you.",
        )
        if not typed:
            return
        if typed != "-":
            try:
                parse_rule(typed, "you")
            except RuleError as exc:
                app.say(f"That rule: {exc}")
                continue

        def save() -> str:
            note_rule(app.store, kind, None if typed == "-" else typed)
            return messages.RULE_SAVED if typed != "-" else messages.RULE_CLEARED

        app.saving(save)
        return


# --------------------------------------------------------------------------------------------
# Sessions


def _ask_when(app: PlainApp, prompt: str, zone_name: str | None) -> datetime | None:
    from kapprep.whentext import ClockChangeError, WhenError, parse_when
    from kapprep.zones import ZoneError, local_zone, read_zone

    while True:
        typed = app.ask(
            prompt,
            'Write the date and time, like "3 Dec 10:00", "2026-12-03 10:00" or "tomorrow 9am".',
        )
        if not typed:
            return None
        zone = None
        if zone_name:
            zone = read_zone(zone_name)
        else:
            here = local_zone()
            answer = app.ask(
                f"Its time zone (Enter for this computer's, {getattr(here, 'key', '') or 'unnamed'}"
                '; or a city, like "Los Angeles"):',
                "A city such as London or a zone name such as Europe/London.",
            )
            try:
                zone = read_zone(answer) if answer else read_zone(str(getattr(here, "key", "")))
            except ZoneError as exc:
                app.say(f"That zone: {exc}")
                continue
        try:
            return parse_when(typed, app.now().astimezone(zone))
        except (ClockChangeError, WhenError) as exc:
            app.say(f"That time: {exc}")


def add_session(app: PlainApp, *, first: bool = False) -> None:
    from kapprep.phones import phone_problem

    prompt = (
        "Your next session's date and time (Enter to skip):"
        if first
        else "The session's date and time (Enter to go back):"
    )
    start = _ask_when(app, prompt, None)
    if start is None:
        return
    same = app.store.session_at(start)
    if same is not None:
        app.say(f"Session {same.id} is already at that time.")
        return
    clinic = phone = None
    if not first:
        clinic = app.ask("The clinic's name (Enter to skip):") or None
        while True:
            phone = app.ask("The clinic's phone (Enter to skip):") or None
            problem = phone_problem(phone or "")
            if not problem:
                break
            app.say(f"That number: {problem}")

    def save() -> str:
        session = app.store.add_session(start, clinic=clinic, phone=phone)
        app.chosen = session.id
        return messages.session_saved(app.when(session.start))

    app.saving(save)


def sessions(app: PlainApp) -> None:
    while True:
        found = app.store.sessions()
        shown = app.session()
        if not found:
            app.say("No sessions yet.")
        for s in found:
            status = "" if s.status == "planned" else f" ({s.status})"
            here = " - shown" if shown is not None and s.id == shown.id else ""
            extra = ", ".join(x for x in (s.clinic, s.place) if x)
            app.say(
                f"  Session {s.id}: {app.when(s.start)}{status}{here}",
                *([", ", User(extra)] if extra else []),
                indent="    ",
            )
        choices = [
            ("add", "add a session", lambda: add_session(app)),
            ("edit", "change a session's time, clinic, phone or place", lambda: _edit(app)),
            ("done", "mark a session done (it happened)", lambda: _status(app, "done")),
            ("cancel", "mark a session cancelled", lambda: _status(app, "cancelled")),
            ("show", "choose the session kapprep is about", lambda: _choose(app)),
        ]
        app.menu("Sessions", choices)


def _which(app: PlainApp) -> Session | None:
    found = app.store.sessions()
    if not found:
        app.say("No sessions yet.")
        return None
    answer = app.ask("Which session? Its number (Enter to go back):", "The number after Session.")
    if not answer:
        return None
    if answer.isdigit():
        session = app.store.session(int(answer))
        if session is not None:
            return session
    app.say(f"There is no session {User(answer)}.")
    return None


def _choose(app: PlainApp) -> None:
    session = _which(app)
    if session is not None:
        app.chosen = session.id
        app.say(f"Now about session {session.id}, {app.when(session.start)}.")


def _status(app: PlainApp, status: str) -> None:
    session = _which(app)
    if session is None:
        return

    def save() -> str:
        app.store.update_session(session.id, status=status)  # type: ignore[arg-type]
        if status == "done":
            return messages.session_done(app.when(session.start))
        return f"Marked cancelled: the session of {app.when(session.start)}."

    app.saving(save)


def _edit(app: PlainApp) -> None:
    from kapprep.phones import phone_problem

    session = _which(app)
    if session is None:
        return
    changes: dict[str, object] = {}
    start = _ask_when(app, "New date and time (Enter keeps it):", session.tz)
    if start is not None:
        changes["start"] = start
    for name, label in (
        ("clinic", "clinic's name"),
        ("phone", "clinic's phone"),
        ("place", "place"),
    ):
        current = getattr(session, name)
        while True:
            typed = app.ask(
                f"The {label}"
                + (f" (now {current})" if current else "")
                + ' (Enter keeps it, "-" clears it):'
            )
            if name == "phone" and typed not in ("", "-"):
                problem = phone_problem(typed)
                if problem:
                    app.say(f"That number: {problem}")
                    continue
            break
        if typed == "-":
            changes[name] = None
        elif typed:
            changes[name] = typed
    if not changes:
        app.say("Nothing changed.")
        return

    def save() -> str:
        updated = app.store.update_session(session.id, **changes)  # type: ignore[arg-type]
        return messages.session_saved(app.when(updated.start))

    app.saving(save)


# --------------------------------------------------------------------------------------------
# Day-of


def day_of(app: PlainApp) -> None:
    """The day-of cards as lines: next step, the session, whom to call, after the session."""
    from kapprep.checklist_model import CLINIC_NOTICE
    from kapprep.clinic_rules import KINDS, effective, sentence
    from kapprep.crisis import crisis_card
    from kapprep.plan import first_support_person

    session = _need_session(app)
    if session is None:
        return
    now = app.now()
    line = app.timeline(session)
    if line.missed:
        from kapprep.timeline import missed_note

        first = line.missed[0]
        assert first.due is not None
        app.say(f"Before your session: {first.item.text}. Time passed: {app.when(first.due)}.")
        app.say(missed_note(first))
    elif line.awaiting_word:
        app.say("Did your session happen? Choose sessions, then done, or edit for its new time.")
    elif line.due_next:
        entry = line.due_next[0]
        assert entry.due is not None
        notice = f" {CLINIC_NOTICE}" if entry.item.clinic_decides else ""
        app.say(
            f"Next step: {entry.item.text}, {app.when(entry.due)}, "
            f"{spoken(entry.due, now)}.{notice}"
        )
    else:
        app.say("Next step: nothing else is due before your session. Rest.")
    name, phone = app.clinic_contact(session)
    where = session.place or name or ""
    app.say(
        f"Your session: {app.when(session.start)}, {spoken(session.start, now)}",
        *([", ", User(where)] if where else []),
        ".",
    )
    person = first_support_person(app.store)
    settings = app.kept()
    card = crisis_card(country=settings.country, emergency=settings.emergency_number)
    who: list[str] = (
        [User(person[0] or "Support person"), " ", User(person[1] or "")] if person else ["not set"]
    )
    app.say(
        "Whom to call: your support person, ", *who, "; your clinic, ", User(phone or "not set"),
        f"; emergency, {card.emergency}.",
    )  # fmt: skip
    from kapprep.settings import noted_rules

    rules = effective(app.checklists.clinic_rules, noted_rules(app.store))
    before = "Once your session is over: " if now < session.start else "After the session: "
    said = [sentence(kind, rules.rule(kind), line.end, app.when) for kind in KINDS]
    app.say(before + " ".join(said) + f" {CLINIC_NOTICE}")
