"""Save the calendar file (.ics): where to, discreet or not, few reminders or one per step, and
the quiet hours (the setting `kapprep settings set quiet-hours` changes too).

Opened from the Briefing screen (k) and from the command palette anywhere. The file is the one
`kapprep calendar` writes (`kapprep.ical`, from the one timeline), saved privately (0600); the
private data folder's `calendar/kapprep.ics` is the default, replaced on each save so importing it
again updates the same events. Another file that is already there is replaced only after a second
Save. Returns the path saved, or None.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from kapprep.saving import SaveError, resolve, save
from kapprep.settings import SettingError, load_settings, save_setting
from kapprep.ui.common import calmly
from kapprep.ui.context import AppContext
from kapprep.ui.keys import CRISIS_BINDINGS
from kapprep.ui.widgets.footer import KapprepFooter
from kapprep.ui.widgets.tickbox import TickBox

FILE_NAME = "kapprep.ics"
INTRO = (
    "Reminders only for the steps that matter (your clinic's, your ride, the session), a few "
    "at a time, none in your quiet hours."
)


def default_path(ctx: AppContext) -> Path:
    """The private data folder's calendar file."""
    return Path(ctx.store.folder) / "calendar" / FILE_NAME


class CalendarScreen(ModalScreen[Path | None]):
    """A short form: the file, two choices, the quiet hours, Save."""

    CSS_PATH = "calendar.tcss"

    BINDINGS: ClassVar[list[BindingType]] = [
        *CRISIS_BINDINGS,
        Binding(
            "escape", "cancel", "Don't save", id="calendar-cancel", tooltip="Close, saving nothing"
        ),
        Binding("ctrl+s", "save", "Save", id="calendar-save", tooltip="Save the calendar file"),
    ]
    """Enter in the file field also saves."""

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.default = default_path(ctx)
        self._replace: frozenset[Path] = frozenset()
        """A file already there that the patient was told about: the next Save replaces it."""

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog", id="calendar-dialog"):
            yield Static("Save a calendar file", classes="dialog-title")
            yield Static(INTRO, classes="hint")
            yield Label("Save to (an .ics file or a folder; ~ is your home folder)")
            yield Input(str(self.default), id="calendar-path")
            yield TickBox(
                "Discreet: only neutral words",
                False,
                id="calendar-discreet",
                compact=True,
            )
            yield TickBox(
                "A reminder for every step",
                False,
                id="calendar-every",
                compact=True,
            )
            yield Label("Quiet hours, with no reminders (the session's time zone, or off)")
            yield Input(load_settings(self.ctx.store).quiet_hours, id="calendar-quiet")
            yield Static(id="calendar-status")
            with Horizontal(classes="buttons"):
                yield Button("Save", variant="primary", id="save", compact=True)
                yield Button("Don't save", id="cancel", compact=True)
        yield KapprepFooter()

    def on_mount(self) -> None:
        self.query_one("#calendar-path", Input).focus()

    def _say(self, text: str) -> None:
        self.query_one("#calendar-status", Static).update(Text(text))

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Input.Changed, "#calendar-path")
    def _typed(self) -> None:
        self._replace = frozenset()  # a new place: ask again before replacing anything

    @on(Button.Pressed, "#save")
    @on(Input.Submitted, "#calendar-path, #calendar-quiet")
    @calmly
    def action_save(self) -> None:
        from kapprep.ical import calendar_for_store

        store = self.ctx.store
        if not store.sessions():
            self._say("Add a session first (a on the home screen); then the calendar has it.")
            return
        try:
            path = resolve(
                self.query_one("#calendar-path", Input).value, FILE_NAME, self.default.parent
            )
        except SaveError as exc:
            self._say(str(exc))
            return
        quiet = self.query_one("#calendar-quiet", Input).value
        if quiet.strip() != load_settings(store).quiet_hours:
            try:
                save_setting(store, "quiet-hours", quiet)
            except SettingError as exc:
                self._say(f"{str(exc)[:1].upper()}{str(exc)[1:]}. Nothing was written.")
                return
        data = calendar_for_store(
            store,
            self.ctx.checklists.items(),
            self.ctx.clock(),
            discreet=self.query_one("#calendar-discreet", TickBox).value,
            per_item=self.query_one("#calendar-every", TickBox).value,
        )
        # The private folder's file is replaced at once (importing it again updates the same
        # events); another file already there only after the patient was told.
        try:
            save({path: data}, self.default.parent, replace=self._replace | {self.default})
        except SaveError as exc:
            if exc.exists:
                self._replace = frozenset(exc.exists)
                self._say(f"{exc} Press Save again to replace it, or change the name.")
            else:
                self._say(f"{exc} Choose another place, or keep the private folder.")
            return
        self.dismiss(path)
