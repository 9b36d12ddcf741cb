"""First run: what kapprep is and is not, then the next session, the clinic, the country (for its
emergency number and crisis line; the locale's country is the default) and, only if the patient
wants their own, an emergency number. Everything can be skipped and done later."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Button, Input, Label, Select, Static

from kapprep.plan import default_region
from kapprep.settings import country_choices, country_from_locale, set_settings
from kapprep.ui.common import (
    calmly,
)
from kapprep.ui.context import AppContext
from kapprep.ui.widgets.footer import KapprepFooter
from kapprep.ui.widgets.session_fields import SessionFields, phone_problem

WELCOME = (
    "kapprep helps you get ready for your ketamine-assisted therapy sessions: what to do and "
    "when, notes, and crisis information one key away (Ctrl+E).\n"
    "It is a companion, not a clinician. It gives no medical advice: your clinic decides "
    "anything medical, so follow your clinic's instructions. Your answers stay on this computer; "
    "on a shared computer you can lock them with a passphrase (Settings)."
)


class WelcomeScreen(Screen[None]):
    """Shown once, on the first start. Escape skips."""

    CSS_PATH = "forms.tcss"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "skip", "Skip", id="welcome-skip", tooltip="Skip; set this up later"),
        Binding("ctrl+s", "save", "Save", id="welcome-save", tooltip="Save and start"),
    ]
    """Enter in a field also saves."""

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="welcome-body"):
            yield Static("Welcome to kapprep", classes="dialog-title")
            yield Static(WELCOME, id="welcome-text")
            yield SessionFields(with_place=False, future_only=True)
            yield Label("Your country: its emergency number and crisis line")
            yield Select(
                country_choices(),
                value=country_from_locale(default_region()),
                allow_blank=False,
                id="country",
                compact=True,
            )
            yield Label("Your own emergency number (empty: your country's)")
            yield Input(placeholder="like 112, 911, 999 or 000", id="emergency", compact=True)
            yield Static(id="emergency-error", classes="error")
            with Horizontal(classes="buttons"):
                yield Button("Save and start", variant="primary", id="save", compact=True)
                yield Button("Skip for now", id="skip", compact=True)
        yield KapprepFooter()

    def on_mount(self) -> None:
        self.query_one("#emergency-error", Static).display = False
        self.query_one("#start", Input).focus()

    @on(Input.Submitted)
    def _next_field(self, event: Input.Submitted) -> None:
        """Enter moves on to the next question, so none is skipped; on the last one it saves."""
        if event.input.id != "emergency":
            event.stop()
            if self.query_one(SessionFields).check(event.input.id or "", self.ctx.clock()):
                self.focus_next()

    @on(Button.Pressed, "#save")
    @on(Input.Submitted, "#emergency")
    @calmly
    def action_save(self) -> None:
        fields = self.query_one(SessionFields)
        emergency = self.query_one("#emergency", Input).value.strip()
        problem = phone_problem(emergency)  # the check `kapprep settings set` makes too
        error = self.query_one("#emergency-error", Static)
        error.update(Content(problem or ""))  # typed text in it is never markup
        error.display = bool(problem)
        blank = not fields.value("start")
        value = None if blank else fields.read(self.ctx.clock())
        if (value is None and not blank) or problem:
            return
        store = self.ctx.store
        if value is not None:
            session = store.add_session(value.start, clinic=value.clinic, phone=value.phone)
            self.ctx.session_id = session.id
        answers: dict[str, object] = {"welcome_done": True}
        if fields.value("clinic"):
            answers["clinic_name"] = fields.value("clinic")
        if fields.value("phone") and phone_problem(fields.value("phone")) is None:
            answers["clinic_phone"] = fields.value("phone")
        country = self.query_one("#country", Select).value
        if isinstance(country, str):
            answers["country"] = country
        if emergency:
            answers["emergency_number"] = emergency
        set_settings(store, **answers)  # all the answers, or none of them
        self.dismiss(None)

    @on(Button.Pressed, "#skip")
    @calmly
    def action_skip(self) -> None:
        set_settings(self.ctx.store, welcome_done=True)
        self.dismiss(None)
