"""Settings: theme, reduced motion, spoken cues, clock, maps link, emergency number, country,
data folder.

Each change is checked as `kapprep settings set` checks it (`kapprep.settings`) and saved at once,
one short transaction per change. The country gives the emergency number and crisis line; a
number is stored only when the patient types one.
"""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Button, Checkbox, Input, Label, Select, Static

from kapprep.phones import phone_problem
from kapprep.settings import country_choices, load_settings, set_settings
from kapprep.ui.common import (
    calmly,
    fit_no_color_filter,
)
from kapprep.ui.context import AppContext
from kapprep.ui.widgets.footer import KapprepFooter
from kapprep.ui.widgets.tickbox import TickBox

NO_COUNTRY = "none"


class SettingsScreen(Screen[None]):
    """A short form; Tab moves between the settings."""

    CSS_PATH = "forms.tcss"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.home", "Home", id="settings-home", tooltip="Back to home"),
    ]
    """Tab and Shift+Tab move between fields; Escape goes home."""

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx

    def compose(self) -> ComposeResult:
        settings = load_settings(self.ctx.store)
        themes = sorted(self.app.available_themes)
        with VerticalScroll(id="settings-body"):
            yield Static("Settings", classes="dialog-title")
            yield Label(
                "Theme (kapprep-high-contrast is the clearest; ansi-* use your terminal's colours)"
            )
            yield Select(
                [(name, name) for name in themes],
                value=self.app.theme,
                allow_blank=False,
                id="theme",
                compact=True,
            )
            yield TickBox(
                "Reduced motion (no animations)",
                settings.reduced_motion,
                id="motion",
                compact=True,
            )
            yield TickBox(
                "Spoken cues when breathing: in, hold, out",
                settings.spoken_cues,
                id="speech",
                compact=True,
            )
            yield TickBox(
                "24-hour clock (when not ticked: 2:30 pm)",
                settings.clock_24h,
                id="clock",
                compact=True,
            )
            yield TickBox(
                "Map links on the phone page", settings.maps_link, id="maps", compact=True
            )
            yield Static(
                "The briefing's phone page: a tapped map link sends the address to OpenStreetMap.",
                classes="hint",
            )
            yield Label("Your country: its emergency number and crisis line")
            yield Select(
                [("Not set", NO_COUNTRY), *country_choices()],
                value=settings.country or NO_COUNTRY,
                allow_blank=False,
                id="country",
                compact=True,
            )
            yield Label("Your own emergency number (empty: your country's)")
            yield Input(
                settings.emergency_number or "",
                placeholder="like 112, 911, 999 or 000",
                compact=True,
                id="emergency",
            )
            yield Static(id="emergency-error", classes="error")
            yield Label("Your data is kept in")
            folder = getattr(self.app, "data_folder", None) or self.ctx.store.folder
            yield Static(str(folder), id="data-folder", markup=False)  # "My Data [backup]" as it is
            yield from self._lock_part(settings.idle_lock_minutes)
        yield KapprepFooter()

    def _lock_part(self, idle: int) -> ComposeResult:
        """The lock: turn it on here; when on, the idle lock (off by default)."""
        from kapprep.settings import IDLE_CHOICES
        from kapprep.store.cipher import key_for

        yield Label("The lock, for a shared computer")
        if key_for(self.ctx.store.folder) is None:
            yield Static(
                "Not locked: anyone using this account can read your data.", id="lock-state"
            )
            yield Button("Lock my data with a passphrase…", id="lock-data", compact=True)
            return
        yield Static(
            "Your data is locked with a passphrase. Change it with: kapprep passphrase; "
            "turn the lock off with: kapprep lock --off",
            id="lock-state",
        )
        yield Label("Ask for the passphrase again after this long without a key")
        yield Select(
            [("Never", 0), *((f"{m} minutes", m) for m in IDLE_CHOICES if m)],
            value=idle,
            allow_blank=False,
            id="idle",
            compact=True,
        )

    @on(Button.Pressed, "#lock-data")
    @calmly
    def _lock_data(self) -> None:
        from kapprep.ui.screens.lock import LockScreen

        def done(locked: bool | None) -> None:
            if locked:
                self.refresh(recompose=True)

        self.app.push_screen(LockScreen(self.ctx), done)

    @on(Select.Changed, "#idle")
    @calmly
    def _idle(self, event: Select.Changed) -> None:
        if (
            isinstance(event.value, int)
            and event.value != load_settings(self.ctx.store).idle_lock_minutes
        ):
            set_settings(self.ctx.store, idle_lock_minutes=event.value)

    def on_mount(self) -> None:
        self.query_one("#emergency-error", Static).display = False
        # Start on the first setting, so where the cursor is shows from the start.
        self.query_one("#theme", Select).focus()

    @on(Select.Changed, "#theme")
    @calmly
    def _theme(self, event: Select.Changed) -> None:
        if isinstance(event.value, str) and event.value != load_settings(self.ctx.store).theme:
            self.app.theme = event.value
            fit_no_color_filter(self.app)
            set_settings(self.ctx.store, theme=event.value)

    @on(Select.Changed, "#country")
    @calmly
    def _country(self, event: Select.Changed) -> None:
        value = None if event.value == NO_COUNTRY else event.value
        if value != load_settings(self.ctx.store).country:
            set_settings(self.ctx.store, country=value)

    @on(Checkbox.Changed, "#motion")
    @calmly
    def _motion(self, event: Checkbox.Changed) -> None:
        set_settings(self.ctx.store, reduced_motion=event.value)
        self.app.animation_level = "none" if event.value else "full"

    @on(Checkbox.Changed, "#speech")
    @calmly
    def _speech(self, event: Checkbox.Changed) -> None:
        set_settings(self.ctx.store, spoken_cues=event.value)
        if event.value:
            from kapprep.speech import Speaker

            problem = Speaker().problem  # no speaker installed: say so now, not mid-breath
            if problem:
                self.notify(problem, timeout=10)

    @on(Checkbox.Changed, "#clock")
    @calmly
    def _clock(self, event: Checkbox.Changed) -> None:
        set_settings(self.ctx.store, clock_24h=event.value)

    @on(Checkbox.Changed, "#maps")
    @calmly
    def _maps(self, event: Checkbox.Changed) -> None:
        set_settings(self.ctx.store, maps_link=event.value)

    @on(Input.Changed, "#emergency")
    @calmly
    def _emergency(self, event: Input.Changed) -> None:
        problem = phone_problem(event.value)  # the check `kapprep settings set` makes too
        error = self.query_one("#emergency-error", Static)
        error.update(Content(problem or ""))  # typed text in it is never markup
        error.display = bool(problem)
        event.input.set_class(bool(problem), "-invalid")
        value = event.value.strip() or None
        if problem is None and value != load_settings(self.ctx.store).emergency_number:
            set_settings(self.ctx.store, emergency_number=value)
