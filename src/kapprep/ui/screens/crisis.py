"""The crisis panel: the emergency number, the clinic's phone and crisis lines, on every screen."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from kapprep.crisis import CrisisCard, crisis_card
from kapprep.settings import load_settings
from kapprep.ui.common import (
    clinic_contact,
    current_session,
)
from kapprep.ui.context import AppContext
from kapprep.ui.widgets.footer import KapprepFooter


class CrisisScreen(ModalScreen[None]):
    """Plain, large-spaced, read at a glance; Escape closes it."""

    CSS_PATH = "crisis.tcss"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close", id="crisis-close", tooltip="Close the crisis panel"),
    ]
    """Only Escape: nothing here can be changed by a stray key."""

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx

    def card(self) -> CrisisCard:
        store = self.ctx.store
        name, phone = clinic_contact(self.ctx, current_session(self.ctx))
        return crisis_card(
            country=load_settings(store).country,
            emergency=load_settings(store).emergency_number,
            clinic=name,
            clinic_phone=phone,
        )

    def compose(self) -> ComposeResult:
        card = self.card()
        with VerticalScroll(classes="dialog", id="crisis-box"):
            yield Static("If you feel unsafe, you are not alone.", classes="dialog-title")
            yield Static(
                "In an emergency, call" if card.emergency_known else "In an emergency",
                classes="heading",
            )
            yield Static(Content.styled(card.emergency, "bold"), id="emergency")
            yield Static("Your clinic", classes="heading")
            yield Static(
                Content.assemble((card.clinic, "bold"), f"  {card.clinic_phone}")
                if card.clinic_phone and card.clinic
                else Content.styled(card.clinic_phone, "bold")  # under the heading "Your clinic"
                if card.clinic_phone
                else Content("Not set yet — add the clinic's phone to your session."),
                id="clinic",
            )
            if card.lines:
                yield Static(f"Crisis lines ({card.country})", classes="heading")
                yield Static(
                    Content("\n").join(
                        Content.assemble(
                            (line.name, "bold"),
                            f"  {line.numbers}\n  {line.kind}: {line.how_text}\n  ({line.source})",
                        )
                        for line in card.lines
                    ),
                    id="lines",
                )
                yield Static("You can call a crisis line about someone else.", id="lines-note")
            else:
                yield Static(card.no_line, id="lines")
            yield Static("Escape closes this panel.", classes="hint")
        yield KapprepFooter()

    def action_close(self) -> None:
        self.dismiss(None)


class LockedCrisisScreen(CrisisScreen):
    """The same panel before the passphrase: from what is kept outside the lock
    (`kapprep.crisis_outside`: the country, the emergency number, the clinic's phone)."""

    def __init__(self, folder: Path) -> None:
        ModalScreen.__init__(self)
        self.folder = folder

    def card(self) -> CrisisCard:
        from kapprep.crisis_outside import locked_card

        return locked_card(self.folder)
