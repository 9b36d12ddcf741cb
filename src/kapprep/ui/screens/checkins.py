"""The check-in log of a session at home, typed in afterwards from the printed log.

Opened from the Briefing screen (l) for the briefing's session. Each row is a look-in during the
session (time, how they seemed, a note) or a reading before or after it (blood pressure, pulse).
What was typed is checked by `kapprep.checkins` and a problem is said under the form, with the
fields kept; a row is saved at once (one short transaction) and goes into the journal export for
the clinic, the export, import and delete like everything else.
"""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Input, Label, OptionList, Select, Static
from textual.widgets.option_list import Option

from kapprep.checkins import MOMENTS, CheckIn, CheckInError, check_in, reading_text
from kapprep.checkins import repo as checkins
from kapprep.ui.context import AppContext
from kapprep.ui.keys import CRISIS_BINDINGS
from kapprep.ui.widgets.footer import KapprepFooter

NO_ROWS = "Nothing typed in yet. Copy the rows from the printed check-in log into the fields below, one at a time."


def row_text(row: CheckIn) -> str:
    moment = {"before": "before", "during": "", "after": "after"}[row.moment]
    parts = [x for x in (moment, row.seems, reading_text(row), row.note) if x]
    return f"{row.at:%H:%M}  " + " · ".join(parts)


_FIELD_OF: tuple[tuple[str, str], ...] = (
    ("Choose before", "moment"),
    ("Time", "time"),
    ("Blood pressure", "pressure"),
    ("Pulse", "pulse"),
    ("How they seemed", "seems"),
    ("Note", "note"),
    ("A reading", "pressure"),
    ("Write how they seemed", "seems"),
)
"""Which field each of `kapprep.checkins`' messages is about, by how it starts."""


class CheckInScreen(Screen[None]):
    """The rows kept so far, then a short form for the next one."""

    CSS_PATH = "forms.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        *CRISIS_BINDINGS,
        Binding("escape", "app.pop_screen", "Back", id="checkins-back", tooltip="Back"),
        Binding("ctrl+s", "add", "Add row", id="checkins-add", tooltip="Keep the row typed below"),
        Binding(
            "delete",
            "remove",
            "Remove row",
            id="checkins-remove",
            tooltip="Remove the row chosen in the list",
        ),
    ]
    """Enter in a field also adds the row; Delete removes the row chosen in the list."""

    def __init__(self, ctx: AppContext, session: Any) -> None:
        super().__init__()
        self.ctx, self.session = ctx, session

    def compose(self) -> ComposeResult:
        start = self.session.start
        with VerticalScroll(id="settings-body"):
            yield Static(
                f"Check-in log: the session at home on {start:%A %d %B}, {start:%H:%M}",
                classes="dialog-title",
            )
            yield Static(id="checkin-error", classes="error")  # in sight, above the form
            yield OptionList(id="checkin-rows")
            yield Label("When")
            yield Select(
                [(label, key) for key, label in MOMENTS.items()],
                value="during",
                allow_blank=False,
                id="checkin-moment",
                compact=True,
            )
            yield Label(f"Time (HH:MM, {self.session.tz})")
            yield Input(placeholder="like 10:15", id="checkin-time", compact=True)
            yield Label("How they seemed")
            yield Input(placeholder="like resting, calm", id="checkin-seems", compact=True)
            yield Label("Blood pressure, if the clinic asked (as the cuff shows it)")
            yield Input(placeholder="like 120/80", id="checkin-pressure", compact=True)
            yield Label("Pulse (beats a minute)")
            yield Input(placeholder="like 72", id="checkin-pulse", compact=True)
            yield Label("Note")
            yield Input(id="checkin-note", compact=True)
        yield KapprepFooter()

    def on_mount(self) -> None:
        self._load()
        self.query_one("#checkin-time", Input).focus()

    def _load(self) -> None:
        kept = checkins.rows(self.ctx.store, self.session.id, self.session.tz)
        rows = self.query_one("#checkin-rows", OptionList)
        rows.clear_options()
        if kept:
            rows.add_options([Option(Text(row_text(r)), id=str(r.id)) for r in kept])
        else:
            rows.add_option(Option(Text(NO_ROWS), disabled=True))

    def _say(self, text: str, field: str | None = None) -> None:
        """`text` at the top, in sight; with `field`, the focus there too (just below it)."""
        self.query_one("#checkin-error", Static).update(Text(text))
        self.query_one("#settings-body", VerticalScroll).scroll_home(animate=False)
        if field is not None:
            self.query_one(f"#checkin-{field}").focus()

    @staticmethod
    def _field_of(message: str) -> str:
        """The field a `CheckInError` is about (its message starts with the field's name)."""
        return next((f for start, f in _FIELD_OF if message.startswith(start)), "time")

    def _value(self, name: str) -> str:
        return self.query_one(f"#checkin-{name}", Input).value

    @on(Input.Submitted)
    def action_add(self) -> None:
        moment = self.query_one("#checkin-moment", Select).value
        try:
            row = check_in(
                self.session.id,
                self.session.start,
                self.ctx.clock(),
                moment=str(moment),
                time=self._value("time"),
                seems=self._value("seems"),
                note=self._value("note"),
                pressure=self._value("pressure"),
                pulse=self._value("pulse"),
            )
        except CheckInError as exc:
            # What was typed stays, to be put right, and the focus goes to the field named:
            # left in a field lower down it was out of sight once the message scrolled in.
            self._say(str(exc), self._field_of(str(exc)))
            return
        checkins.add(self.ctx.store, row, self.ctx.clock())
        for name in ("time", "seems", "pressure", "pulse", "note"):
            self.query_one(f"#checkin-{name}", Input).value = ""
        self._say(f"Kept: {row_text(row)}")
        self._load()
        self.query_one("#checkin-time", Input).focus()

    def action_remove(self) -> None:
        rows = self.query_one("#checkin-rows", OptionList)
        if rows.highlighted is None:
            self._say("Choose a row in the list first (Tab to it, then the arrow keys).")
            return
        chosen = rows.get_option_at_index(rows.highlighted)
        if chosen.id is None:
            return
        checkins.remove(self.ctx.store, int(chosen.id))
        self._say("Removed that row.")
        self._load()
