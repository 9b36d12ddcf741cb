"""Turning the lock on from the app (Settings, or the command palette): the plain warning, the
passphrase twice, then the recovery code, shown once (`kapprep.store.locking.lock_open`).

Backups are encrypted with the lock; other plain files kapprep left (saved exports and
briefings, files set aside) are kept as they were and listed, with the command that removes them.
Changing the passphrase, recovering and turning the lock off are on the command line
(`kapprep passphrase`, `kapprep recover`, `kapprep lock --off`).
"""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from kapprep.ui.context import AppContext
from kapprep.ui.keys import CRISIS_BINDINGS
from kapprep.ui.widgets.footer import KapprepFooter
from kapprep.ui.widgets.tickbox import TickBox

WARNING = (
    "The lock encrypts your kapprep data with a passphrase, for a shared computer. If you forget "
    "the passphrase and lose the recovery code, nobody can read your data again: not you, not "
    "kapprep's makers."
)


class LockScreen(ModalScreen[bool]):
    """The passphrase, twice, and the warning ticked; True once locked."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="lock-cancel", tooltip="Leave it unlocked"),
    ]
    """Escape leaves without locking."""

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog", id="lock-box"):
            yield Static("Lock your data with a passphrase", classes="dialog-title")
            yield Static(WARNING, id="lock-warning")
            yield Label("Passphrase (at least 8 characters; a few words are best)")
            yield Input(password=True, id="new", compact=True)
            yield Label("The same passphrase again")
            yield Input(password=True, id="again", compact=True)
            yield TickBox("I understand: it cannot be opened without them", False, id="understood")
            yield Static("", id="lock-error", classes="error")
            with Horizontal(classes="buttons"):
                yield Button("Lock", variant="primary", id="lock", compact=True)
                yield Button("Cancel", id="cancel", compact=True)
        yield KapprepFooter()

    def on_mount(self) -> None:
        self.query_one("#new", Input).focus()

    def _say(self, text: str) -> None:
        self.query_one("#lock-error", Static).update(Content(text))  # paths: never markup

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.focus_next()

    @on(Button.Pressed, "#lock")
    def _lock(self) -> None:
        from kapprep.store.base import StoreError
        from kapprep.store.keyfile import check_new_passphrase

        new = self.query_one("#new", Input).value
        if new != self.query_one("#again", Input).value:
            self._say("The two passphrases are not the same.")
            return
        try:
            check_new_passphrase(new)
        except StoreError as exc:
            self._say(str(exc).capitalize() + ".")
            return
        if not self.query_one("#understood", TickBox).value:
            self._say("Please tick that you understand first.")
            return
        self._say("Locking… (a few seconds)")
        self.call_after_refresh(self._lock_now, new)

    def _lock_now(self, passphrase: str) -> None:
        """On the app's thread: no timer of another screen meets the store closed meanwhile."""
        from kapprep.crisis_outside import save_outside
        from kapprep.errors import KapprepError
        from kapprep.store.locking import lock_open

        try:
            self.ctx.store, done = lock_open(self.ctx.store, passphrase)
        except KapprepError as exc:
            self._say(str(exc))
            return
        save_outside(self.ctx.store)
        for field in ("#new", "#again"):
            self.query_one(field, Input).value = ""
        self.dismiss(True)
        self.app.push_screen(RecoveryCodeScreen(done.recovery_code, [str(p) for p in done.kept]))

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(False)


class RecoveryCodeScreen(ModalScreen[None]):
    """The recovery code, shown this once; kept plain files named."""

    BINDINGS: ClassVar[list[BindingType]] = [
        *CRISIS_BINDINGS,
        Binding("escape", "close", "Close", id="code-close", tooltip="I wrote it down"),
    ]
    """The button, once it is written down; Escape twice (the first only reminds: a reflex
    Escape must not lose a code that is never shown again)."""

    _reminded = False

    def __init__(self, code: str, kept: list[str]) -> None:
        super().__init__()
        self.code = code
        self.kept = kept

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog", id="code-box"):
            yield Static("Your data is locked", classes="dialog-title")
            yield Static(
                "Your recovery code. Write it down now and keep it apart from this computer; it "
                "is shown only this once. If you forget the passphrase, kapprep recover opens "
                "your data with it."
            )
            yield Static(Content.styled(self.code, "bold"), id="recovery-code")
            if self.kept:
                yield Static(
                    Content(
                        "These files kapprep left are not encrypted (saved exports, briefings, "
                        "files set aside); remove them if you no longer need them:\n"
                        + "\n".join(self.kept)
                    ),
                    id="kept-plain",
                )
            yield Static(id="code-status")
            with Horizontal(classes="buttons"):
                yield Button("I wrote it down", variant="primary", id="close", compact=True)
        yield KapprepFooter()

    def on_mount(self) -> None:
        self.query_one("#close", Button).focus()

    @on(Button.Pressed, "#close")
    def _written_down(self) -> None:
        self.dismiss(None)

    def action_close(self) -> None:
        if not self._reminded:
            self._reminded = True
            self.query_one("#code-status", Static).update(
                Content.styled(
                    "This code is not shown again. Write it down, then press Enter (I wrote "
                    "it down), or Escape again to close without it.",
                    "bold",
                )
            )
            return
        self.dismiss(None)
