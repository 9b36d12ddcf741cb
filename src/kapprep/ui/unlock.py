"""Before the app, for a locked store: the passphrase, and nothing private on screen until then.

`UnlockApp` asks for the passphrase in a password field (nothing echoed) and exits with the data
key once it opens the lock, or with None when the patient leaves (Escape). A wrong passphrase is
one calm line and the field is emptied; nothing in the data folder is touched (the key file's
HMAC says so before the database is read). The crisis panel works here as everywhere (Ctrl+E):
it shows what is kept outside the lock (`kapprep.crisis_outside`).
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual import on, work
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Input, Static

from kapprep.ui.keys import CRISIS_BINDINGS, CRISIS_KEY
from kapprep.ui.widgets.footer import KapprepFooter

WRONG = "That passphrase does not open your data; nothing was changed. Please try again."
OPENING = "Opening…"


def passphrase_box(title: str, help_text: str) -> ComposeResult:
    """The password field with its title, its message line and a line of help."""
    with Vertical(id="unlock-box"):
        yield Static(title, classes="dialog-title")
        yield Static("Type your passphrase and press Enter.", id="unlock-hint")
        yield Input(password=True, id="passphrase", placeholder="passphrase")
        yield Static("", id="unlock-message")
        yield Static(help_text, id="unlock-help")
    yield KapprepFooter()


class UnlockApp(App[bytes | None]):
    """The passphrase, asked before anything of the patient's is read."""

    CSS_PATH = ["kapprep.tcss", "unlock.tcss"]  # noqa: RUF012  # the app's own look; Textual types it so
    TITLE = "kapprep"

    BINDINGS: ClassVar[list[BindingType]] = [
        *CRISIS_BINDINGS,
        Binding("escape", "leave", "Leave", id="unlock-leave", tooltip="Leave without opening"),
    ]
    """Crisis (Ctrl+E works while typing) and Escape to leave."""

    def __init__(self, folder: Path) -> None:
        super().__init__()
        self.folder = folder

    def compose(self) -> ComposeResult:
        yield from passphrase_box(
            "Your kapprep data is locked",
            f"Forgot it? In a terminal: kapprep recover. Crisis help: {CRISIS_KEY.title()}.",
        )

    def on_mount(self) -> None:
        self.query_one("#passphrase", Input).focus()

    @on(Input.Submitted, "#passphrase")
    def _submitted(self, event: Input.Submitted) -> None:
        field = self.query_one("#passphrase", Input)
        passphrase = event.value
        field.value = ""
        if not passphrase:
            return
        field.disabled = True
        self.query_one("#unlock-message", Static).update(OPENING)
        self._try(passphrase)

    @work(thread=True, exclusive=True)
    def _try(self, passphrase: str) -> None:
        """scrypt takes about half a second: off the UI thread, so the crisis key still works."""
        from kapprep.errors import KapprepError
        from kapprep.store.keyfile import WrongSecret, open_with_passphrase

        try:
            key = open_with_passphrase(self.folder, passphrase)
        except WrongSecret:
            self.call_from_thread(self._refused, WRONG)
            return
        except KapprepError as exc:
            self.call_from_thread(self._refused, str(exc))
            return
        self.call_from_thread(self.exit, key)

    def _refused(self, message: str) -> None:
        self.query_one("#unlock-message", Static).update(Content(message))  # paths: never markup
        field = self.query_one("#passphrase", Input)
        field.disabled = False
        field.focus()

    def action_crisis(self) -> None:
        from kapprep.ui.screens.crisis import CrisisScreen, LockedCrisisScreen

        if not isinstance(self.screen, CrisisScreen):
            self.push_screen(LockedCrisisScreen(self.folder))

    def action_leave(self) -> None:
        self.exit(None)


class IdleLockScreen(Screen[None]):
    """The idle lock (a setting, off by default): the app's screens hidden, the passphrase asked
    again. A whole screen, not a see-through modal: nothing private shows behind it. The app
    allows only the crisis key and quitting meanwhile (`KapprepApp.check_action`)."""

    CSS_PATH = "unlock.tcss"
    # The app's q is a letter in the passphrase field; Textual's own Ctrl+Q closes kapprep
    # (quitting is allowed while idle-locked), so the help line names it.

    def __init__(self, folder: Path) -> None:
        super().__init__()
        self.folder = folder

    def compose(self) -> ComposeResult:
        yield from passphrase_box(
            "kapprep locked itself while you were away",
            f"Crisis help: {CRISIS_KEY.title()}. To close kapprep: Ctrl+Q (everything is saved).",
        )

    def on_mount(self) -> None:
        self.query_one("#passphrase", Input).focus()

    @on(Input.Submitted, "#passphrase")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        passphrase = event.value
        event.input.value = ""
        if not passphrase:
            return
        event.input.disabled = True
        self.query_one("#unlock-message", Static).update(OPENING)
        self._try(passphrase)

    @work(thread=True, exclusive=True)
    def _try(self, passphrase: str) -> None:
        """Off the UI thread, as before the app: scrypt takes about half a second, and the
        crisis key must work meanwhile. A lock file gone bad is told, not a crash."""
        from kapprep.errors import KapprepError
        from kapprep.store.keyfile import WrongSecret, open_with_passphrase

        try:
            open_with_passphrase(self.folder, passphrase)
        except WrongSecret:
            self.app.call_from_thread(self._refused, WRONG)
            return
        except KapprepError as exc:
            self.app.call_from_thread(self._refused, str(exc))
            return
        self.app.call_from_thread(self.dismiss, None)

    def _refused(self, message: str) -> None:
        self.query_one("#unlock-message", Static).update(Content(message))  # paths: never markup
        field = self.query_one("#passphrase", Input)
        field.disabled = False
        field.focus()
