"""Add or edit a session, and the small menu for one session of the series."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, OptionList, Static
from textual.widgets.option_list import Option

from kapprep.settings import load_settings
from kapprep.store import Session
from kapprep.ui.common import calmly, when
from kapprep.ui.context import AppContext
from kapprep.ui.keys import CRISIS_BINDINGS
from kapprep.ui.widgets.footer import KapprepFooter
from kapprep.ui.widgets.session_fields import SessionFields
from kapprep.whentext import format_clock


class SessionFormScreen(ModalScreen[Session | None]):
    """Returns the saved session, or None when cancelled."""

    BINDINGS: ClassVar[list[BindingType]] = [
        *CRISIS_BINDINGS,
        Binding("escape", "cancel", "Don't save", id="form-cancel", tooltip="Close without saving"),
        Binding("ctrl+s", "save", "Save", id="form-save", tooltip="Save this session"),
    ]
    """Enter in the last field also saves."""

    def __init__(self, ctx: AppContext, session: Session | None = None) -> None:
        super().__init__()
        self.ctx = ctx
        self.session = session

    def compose(self) -> ComposeResult:
        s = self.session
        start = zone = ""
        clinic = load_settings(self.ctx.store).clinic_name or ""
        phone = load_settings(self.ctx.store).clinic_phone or ""
        if s is not None:
            # In the session's own zone, as it was typed (not this computer's).
            start = f"{s.start:%Y-%m-%d} {format_clock(s.start)}"
            zone = s.tz
            clinic, phone = s.clinic or "", s.phone or ""
        with VerticalScroll(classes="dialog"):
            yield Static("Edit session" if s else "Add a session", classes="dialog-title")
            yield SessionFields(
                start=start,
                zone=zone,
                place=(s.place or "") if s else "",
                clinic=clinic,
                phone=phone,
            )
            if s is not None:  # say what changing the zone does, as `session edit --tz` does
                yield Static(
                    "Changing the time zone keeps the clock time typed above (it mends a zone "
                    "typed wrongly); to keep the moment, change the time too.",
                    classes="hint",
                )
            with Horizontal(classes="buttons"):
                yield Button("Save", variant="primary", id="save", compact=True)
                yield Button("Don't save", id="cancel", compact=True)
        yield KapprepFooter()

    def on_mount(self) -> None:
        self.query_one("#start", Input).focus()

    @on(Button.Pressed, "#save")
    @on(Input.Submitted)
    @calmly
    def action_save(self) -> None:
        value = self.query_one(SessionFields).read(self.ctx.clock())
        if value is None:
            return
        store = self.ctx.store
        same = store.session_at(value.start)
        if same is not None and (self.session is None or same.id != self.session.id):
            # Two copies of one session would split the ticks; the new, empty copy would then
            # show on the home screen and the patient's progress would look lost.
            self.query_one(SessionFields).refuse(
                "start",
                f"You already have a session at {when(self.ctx, same.start, self.ctx.clock())}. "
                "To change it, choose it in the list on the home screen.",
            )
            return
        if self.session is None:
            saved = store.add_session(
                value.start, place=value.place, clinic=value.clinic, phone=value.phone
            )
        else:
            saved = store.update_session(
                self.session.id,
                start=value.start,
                place=value.place,
                clinic=value.clinic,
                phone=value.phone,
            )
        self.notify(f"Saved: {when(self.ctx, saved.start, self.ctx.clock())}.", timeout=3)
        self.dismiss(saved)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


class SessionMenuScreen(ModalScreen[str | None]):
    """What to do with one session: show its checklist, edit, mark done, cancel, remove."""

    BINDINGS: ClassVar[list[BindingType]] = [
        *CRISIS_BINDINGS,
        Binding("escape", "close", "Back", id="menu-back", tooltip="Close this menu"),
    ]
    """Enter chooses; Escape goes back."""

    def __init__(self, ctx: AppContext, session: Session) -> None:
        super().__init__()
        self.ctx = ctx
        self.session = session
        self._confirm_remove = False

    def compose(self) -> ComposeResult:
        s = self.session
        with Vertical(classes="dialog"):
            yield Static(
                f"Session {when(self.ctx, s.start, self.ctx.clock())} ({s.status})",
                classes="dialog-title",
            )
            options = [
                Option("Show its checklist", id="checklist"),
                Option("Edit date, place or clinic", id="edit"),
            ]
            if s.status != "done":
                options.append(Option("Mark as done", id="done"))
            if s.status != "planned":
                options.append(Option("Plan it again (undo done or cancelled)", id="planned"))
            if s.status != "cancelled":
                options.append(Option("Cancel this session", id="cancelled"))
            options.append(Option("Remove it and its ticks and notes", id="remove"))
            yield OptionList(*options, id="menu")
            yield Static(id="menu-note", classes="error")
        yield KapprepFooter()

    def on_mount(self) -> None:
        self.query_one("#menu-note", Static).display = False

    @on(OptionList.OptionSelected, "#menu")
    @calmly
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        choice = event.option.id
        store = self.ctx.store
        if choice == "checklist":
            self.ctx.session_id = self.session.id
            self.dismiss("checklist")
        elif choice == "edit":
            self.app.push_screen(SessionFormScreen(self.ctx, self.session), self._edited)
        elif choice in ("done", "planned", "cancelled"):
            store.update_session(self.session.id, status=choice)  # type: ignore[arg-type]
            self.dismiss(choice)
        elif choice == "remove":
            if not self._confirm_remove:
                self._confirm_remove = True
                note = self.query_one("#menu-note", Static)
                note.update("This removes its ticks and notes too. Choose Remove again to confirm.")
                note.display = True
                return
            store.remove_session(self.session.id)
            if self.ctx.session_id == self.session.id:
                self.ctx.session_id = None
            self.dismiss("removed")

    def _edited(self, session: Session | None) -> None:
        self.dismiss("edited" if session is not None else None)

    def action_close(self) -> None:
        self.dismiss(None)
