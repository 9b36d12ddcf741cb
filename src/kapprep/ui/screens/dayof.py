"""Day-of mode: large and simple for someone who may be a little foggy — one thing at a time.

Cards, one shown at a time: the next step, the session, whom to call, and what comes after the
session (driving and big decisions are the clinic's to decide: `kapprep.clinic_rules`). Textual
has no font size, so times are drawn in big block digits.
"""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Digits, Static

from kapprep.checklist_model import CLINIC_NOTICE
from kapprep.clinic_rules import KINDS, effective, sentence
from kapprep.crisis import crisis_card
from kapprep.plan import first_support_person
from kapprep.settings import load_settings, noted_rules
from kapprep.store import Session
from kapprep.ui.common import (
    clinic_contact,
    current_session,
    h24,
    session_timeline,
    when,
)
from kapprep.ui.context import AppContext
from kapprep.ui.widgets.footer import KapprepFooter
from kapprep.whentext import format_clock, humanize

CARDS = ("next", "session", "call", "after")


class DayOfScreen(Screen[None]):
    """→ or Space shows the next card, ← the one before."""

    CSS_PATH = "dayof.tcss"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("right", "card(1)", "Next", id="card-next", tooltip="The next card"),
        Binding("space", "card(1)", "Next", show=False, id="card-next-space", tooltip="Next card"),
        Binding("left", "card(-1)", "Back", id="card-prev", tooltip="The card before"),
        Binding("escape", "app.home", "Home", id="dayof-home", tooltip="Back to home"),
    ]
    """Few keys on purpose."""

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.card = 0
        self.session: Session | None = None
        self._shown: tuple[str, ...] = ()

    def compose(self) -> ComposeResult:
        with Vertical(id="dayof-card"):
            yield Static(id="dayof-step", classes="dayof-step")
            yield Static(id="dayof-title", classes="dayof-title")
            yield Digits(id="dayof-digits")
            yield Static(id="dayof-text", classes="dayof-text")
        yield KapprepFooter()

    def on_mount(self) -> None:
        self.session = current_session(self.ctx)
        now = self.ctx.clock()
        if self.session is not None and self.session.start <= now:
            # After it began: what comes after, unless its time is over and kapprep has not
            # heard whether it happened (the first card asks).
            over = session_timeline(self.ctx, self.session, now).awaiting_word
            self.card = CARDS.index("next" if over else "after")
        self.show()
        self.set_interval(1.0, self.show)

    def on_screen_resume(self) -> None:
        if self.is_mounted:
            self.reload()

    def reload(self) -> None:
        self.session = current_session(self.ctx)
        self._shown = ()
        self.show()

    def action_card(self, step: int) -> None:
        self.card = (self.card + step) % len(CARDS)
        self.show()

    def show(self) -> None:
        if not self.is_current:
            return
        now = self.ctx.clock()
        title, digits, text = self._card(CARDS[self.card], now)
        state = (str(self.card), title, digits, text.plain)
        if state == self._shown:
            return
        self._shown = state
        self.query_one("#dayof-step", Static).update(
            f"{self.card + 1} of {len(CARDS)}  ·  → next  ← back"
        )
        self.query_one("#dayof-title", Static).update(Content.styled(title, "bold"))
        dig = self.query_one("#dayof-digits", Digits)
        dig.update(digits)
        dig.display = bool(digits)
        self.query_one("#dayof-text", Static).update(text)

    def _clock(self, dt: datetime) -> str:
        """The big digits: on the session's own clocks, as every time of a session is (the
        words beside them name the zone where the computer's differs)."""
        zone = self.session.start.tzinfo if self.session is not None else self.ctx.zone
        return format_clock(dt.astimezone(zone), h24(self.ctx)).replace(" ", "")

    def _card(self, card: str, now: datetime) -> tuple[str, str, Content]:
        s = self.session
        if s is None:
            return (
                "No session planned",
                "",
                Content("Add your session on the home screen (Escape, then a)."),
            )
        if card == "next":
            view = session_timeline(self.ctx, s, now)
            if view.missed:  # a clinic step whose time passed comes first, and plainly
                from kapprep.timeline import missed_note

                first = view.missed[0]
                assert first.due is not None
                return (
                    "Before your session",
                    "",
                    Content.assemble(
                        (first.item.text, "bold"),
                        f"\nTime passed: {when(self.ctx, first.due, now)}.\n",
                        missed_note(first),
                    ),
                )
            if view.awaiting_word:
                return (
                    "Did your session happen?",
                    "",
                    Content(
                        "On the home screen (Escape), choose it in the list: mark it done, "
                        "or change it to its new time."
                    ),
                )
            if not view.due_next:
                return ("Next step", "", Content("Nothing else is due before your session. Rest."))
            entry = view.due_next[0]
            assert entry.due is not None
            parts: list[str | tuple[str, str]] = [
                (entry.item.text, "bold"),
                f"\n{when(self.ctx, entry.due, now)} · {humanize(entry.due, now)}",
            ]
            if entry.item.clinic_decides:
                parts.append(f"\n{CLINIC_NOTICE}")
            return ("Next step", self._clock(entry.due), Content.assemble(*parts))
        if card == "session":
            name, _ = clinic_contact(self.ctx, s)
            where = s.place or name or ""
            return (
                "Your session",
                self._clock(s.start),
                Content(
                    f"{when(self.ctx, s.start, now)}{f' · {where}' if where else ''}\n"
                    f"{humanize(s.start, now)}"
                ),
            )
        if card == "call":
            person = first_support_person(self.ctx.store)
            _name, phone = clinic_contact(self.ctx, s)
            store = self.ctx.store
            crisis = crisis_card(
                country=load_settings(store).country,
                emergency=load_settings(store).emergency_number,
            )
            who = f"{person[0] or 'Support person'}  {person[1] or ''}" if person else "not set"
            return (
                "Whom to call",
                "",
                Content.assemble(
                    "Your support person: ",
                    (who, "bold"),
                    "\nYour clinic: ",
                    (phone or "not set", "bold"),
                    "\nEmergency: ",
                    (crisis.emergency, "bold"),
                ),
            )
        before = "Once your session is over:\n" if now < s.start else ""
        # The clinic's rules, or that the clinic decides: never a countdown, never "has passed".
        rules = effective(self.ctx.checklists.clinic_rules, noted_rules(self.ctx.store))
        end = session_timeline(self.ctx, s, now).end
        shown = [
            sentence(kind, rules.rule(kind), end, lambda t: when(self.ctx, t, now))
            for kind in KINDS
        ]
        return (
            "After the session",
            "",
            Content.assemble(before, shown[0], "\n", shown[1], "\n", (CLINIC_NOTICE, "bold")),
        )
