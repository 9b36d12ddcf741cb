"""What plain mode's menus share: the `PlainApp` (the store, the checklists, the console and
the session in view), its summary and crisis lines, and the way it asks.

Everything about what is due comes from `kapprep.timeline`; what is said after an action, from
`kapprep.messages`. The menus (`prep.py`, `features.py`, `writing.py`) build on this module and
`app.py` ties them together, so no module here imports one that imports it back.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from kapprep import clock, messages
from kapprep.plain.console import BACK_WORDS, Console, Leave, User

if TYPE_CHECKING:
    from kapprep.checklist_model import ChecklistSet
    from kapprep.crisis import CrisisCard
    from kapprep.settings import Settings
    from kapprep.store import Session, Store
    from kapprep.timeline import Timeline
MENU_HELP = (
    "Type the number or the first word of a choice, then Enter. Enter alone repeats the "
    'summary. "back" (or 0) goes up a menu, "quit" (or "q") leaves kapprep.'
)
TEXT_HELP = (
    'Type your answer on one line and press Enter. Enter alone leaves it as it is; "quit" '
    "leaves kapprep without saving this answer. What you type is saved in your private "
    "kapprep folder on this computer."
)
Choice = tuple[str, str, Callable[[], None]]
"""(word, what it does, action)."""


class Back(Exception):
    """Go up one menu."""


def spoken(target: datetime, now: datetime) -> str:
    """ "in 2 days", "in 3 hours 20 minutes", "now", "15 minutes ago": whole words, for speech."""
    seconds = (target.astimezone(UTC) - now.astimezone(UTC)).total_seconds()
    s = abs(seconds)

    def n(count: int, unit: str) -> str:
        return f"{count} {unit}{'s' * (count != 1)}"

    if s < 60:
        return "now"
    if s < 3600:
        text = n(int(s // 60), "minute")
    elif s < 48 * 3600:
        hours, rest = divmod(int(s), 3600)
        minutes = rest // 60
        text = n(hours, "hour") + (f" {n(minutes, 'minute')}" if minutes and hours < 10 else "")
    else:
        text = n(int(s // 86400), "day")
    return f"in {text}" if seconds >= 0 else f"{text} ago"


@dataclass
class PlainApp:
    """One plain-mode run: the store, the checklists, the console, the session in view."""

    store: Store
    checklists: ChecklistSet
    console: Console
    chosen: int | None = None
    """The session the patient chose (None: the next one, as the app shows)."""
    last_summary: list[str] = field(default_factory=list)

    # -- reading ----------------------------------------------------------------------------

    def now(self) -> datetime:
        return clock.now()

    def kept(self) -> Settings:
        from kapprep.settings import load_settings

        return load_settings(self.store)

    def session(self) -> Session | None:
        from kapprep.timeline import session_in_view

        found = session_in_view(self.store, self.now(), self.chosen)
        if self.chosen is not None and (found is None or found.id != self.chosen):
            self.chosen = None
        return found

    def timeline(self, session: Session) -> Timeline:
        from kapprep.timeline import load_timeline_inputs, session_timeline

        inputs = load_timeline_inputs(self.store, self.checklists.items(), session)
        return session_timeline(inputs, self.now())

    def when(self, dt: datetime) -> str:
        """A session's time in its own zone, named where this computer's would differ."""
        from kapprep.whentext import format_when
        from kapprep.zones import local_zone, zone_label

        now = self.now().astimezone(dt.tzinfo)
        text = format_when(dt, now, self.kept().clock_24h)
        label = zone_label(dt, local_zone())
        return f"{text} {label}" if label else text

    def clinic_contact(self, session: Session | None) -> tuple[str | None, str | None]:
        settings = self.kept()
        name = (session.clinic if session else None) or settings.clinic_name
        phone = (session.phone if session else None) or settings.clinic_phone
        return name or None, phone or None

    # -- saying -----------------------------------------------------------------------------

    def say(self, *parts: str, indent: str = "") -> None:
        self.console.say(*parts, indent=indent)

    def saving(self, action: Callable[[], str | None]) -> bool:
        """Run a write; say its message, or that it was not saved (the run goes on)."""
        from kapprep.files import WriteError
        from kapprep.store import StoreError

        try:
            said = action()
        except (StoreError, WriteError) as exc:
            self.say(messages.told(exc))
            return False
        if said:
            self.say(said)
        return True

    def keep(self, key: str, value: object) -> bool:
        """Keep one setting by its `Settings` name (`kapprep.settings.set_settings`)."""
        from kapprep.settings import set_settings

        def write() -> None:
            set_settings(self.store, **{key: value})

        return self.saving(write)

    def summary(self) -> list[str]:
        """ "Session 1: Thu 3 Dec 10:00, in 13 days. 3 of 7 done. Next: ..., due in 2 days." """
        session = self.session()
        if session is None:
            return ["No session planned yet. Choose sessions, then add, to add your next one."]
        now = self.now()
        line = self.timeline(session)
        ids = {e.item.id for e in line.entries}
        done = len(ids & line.done)
        status = "" if session.status == "planned" else f" ({session.status})"
        out = [
            f"Session {session.id}{status}: {self.when(session.start)}, "
            f"{spoken(session.start, now)}. {done} of {len(ids)} done."
        ]
        if line.missed:
            from kapprep.timeline import missed_note

            first = line.missed[0]
            out.append(f"Before your session: {first.item.text}: time passed. {missed_note(first)}")
        late = [e for e in line.overdue if e not in line.missed]
        if late:
            e = late[0]
            assert e.due is not None
            more = f" ({len(late)} overdue in all)" if len(late) > 1 else ""
            out.append(f"Overdue: {e.item.text}, was due {spoken(e.due, now)}{more}.")
        if line.coming:
            e = line.coming[0]
            assert e.due is not None
            out.append(f"Next: {e.item.text}, due {spoken(e.due, now)}.")
        elif not late:
            out.append("Nothing else is due before this session.")
        if line.awaiting_word:
            out.append(f"Did session {session.id} happen? Choose sessions, then done, to mark it.")
        return out

    def show_summary(self) -> None:
        self.last_summary = self.summary()
        for line in self.last_summary:
            self.say(line)

    def crisis_lines(self) -> list[str]:
        """The crisis information, as the app's crisis panel gives it (`crisis_card`)."""
        from kapprep.crisis import crisis_card

        settings = self.kept()
        name, phone = self.clinic_contact(self.session())
        card = crisis_card(
            country=settings.country,
            emergency=settings.emergency_number,
            clinic=name,
            clinic_phone=phone,
        )
        return card_lines(card)

    # -- asking -----------------------------------------------------------------------------

    def ask(self, prompt: str, help_text: str = TEXT_HELP) -> str:
        return self.console.ask(prompt, help_text)

    def menu(self, title: str, choices: list[Choice], *, summary: bool = False) -> None:
        """Offer `choices` until one is made (then return) or "back" (Back)."""
        self.say(f"{title}:")
        for i, (word, what, _action) in enumerate(choices, 1):
            self.say(f"  {i}. {word} - {what}", indent="     ")
        last = "back" if not summary else "quit"
        self.say(f"  0. {last}")
        prompt = f"Choose 1 to {len(choices)}, or a word:"
        while True:
            answer = self.console.ask(prompt, MENU_HELP).lower()
            if not answer:
                if summary:
                    self.show_summary()
                else:
                    self.say(f"{title}: {', '.join(w for w, _, _ in choices)}, or back.")
                continue
            if answer in BACK_WORDS:
                if summary:
                    raise Leave
                raise Back
            picked = _pick(answer, [w for w, _, _ in choices])
            if picked is None:
                self.say(
                    f"There is no choice {User(answer)}. Type a number from 1 to "
                    f"{len(choices)}, or a word such as {choices[0][0]}."
                )
                continue
            choices[picked][2]()
            return

    def pick_number(self, prompt: str, count: int, help_text: str) -> int | None:
        """A number from 1 to `count` (index from 0), or None for Enter alone or back."""
        while True:
            answer = self.console.ask(prompt, help_text).lower()
            if not answer or answer in BACK_WORDS:
                return None
            if answer.isdigit() and 1 <= int(answer) <= count:
                return int(answer) - 1
            self.say(f"Type a number from 1 to {count}, or Enter to go back.")

    def yes_no(self, prompt: str) -> bool:
        while True:
            answer = self.ask(f"{prompt} (yes or no):", "Type yes or no, then Enter.").lower()
            if answer in ("y", "yes"):
                return True
            if answer in ("n", "no", ""):
                return False
            self.say("Please type yes or no.")

    # -- the run ----------------------------------------------------------------------------


def _pick(answer: str, words: list[str]) -> int | None:
    if answer.isdigit():
        n = int(answer)
        return n - 1 if 1 <= n <= len(words) else None
    for i, word in enumerate(words):
        if word == answer:
            return i
    starts = [i for i, word in enumerate(words) if word.startswith(answer)]
    return starts[0] if len(starts) == 1 else None


def card_lines(card: CrisisCard) -> list[str]:
    """The crisis panel as plain lines (also before the passphrase: `kapprep.plain.unlock`)."""
    out = ["Crisis help. If you feel unsafe, you are not alone."]
    if card.emergency_known:
        out.append(f"In an emergency, call {card.emergency}.")
    else:
        out.append(f"In an emergency: {card.emergency}.")
    if card.clinic_phone:
        named = f", {card.clinic}" if card.clinic else ""  # no name while locked: said once
        out.append(f"Your clinic{named}: {card.clinic_phone}.")
    else:
        out.append("Your clinic's phone is not set yet (sessions, then edit).")
    if card.lines:
        out.append(f"Crisis lines ({card.country}):")
        for entry in card.lines:
            out.append(f"  {entry.name}: {entry.numbers}. {entry.kind}: {entry.how_text}.")
        out.append("You can call a crisis line about someone else.")
    else:
        out.append(card.no_line.replace("in Settings (s)", "in settings"))
    return out
