""" "Save to": where a file goes (the private folder as the default), asking before replacing.

One small dialog for the briefing in each format, its contacts and a journal export: a path
field filled with the private folder's file (its folder, for a journal export's three files),
Enter (or Save) to write there, Escape to write nothing. A file already there is replaced only after a second Enter, once the dialog has said so.
The writing itself is `kapprep.saving` (private where the filesystem allows, and it says when
not); the caller renders the data first (a PDF in a worker), and the dialog returns the path
written and what to tell the patient.
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

from kapprep.saving import SaveError, resolve, resolve_folder, save
from kapprep.ui.keys import CRISIS_BINDINGS
from kapprep.ui.widgets.footer import KapprepFooter

LOCKED = (
    " Your data is locked, but this file will not be: anyone who can open your files can read it."
)


class SaveAsScreen(ModalScreen[tuple[Path, str] | None]):
    """Returns the file written and what to tell the patient, or None when nothing was."""

    CSS_PATH = "calendar.tcss"

    BINDINGS: ClassVar[list[BindingType]] = [
        *CRISIS_BINDINGS,
        Binding("escape", "cancel", "Don't save", id="save-as-cancel", tooltip="Write nothing"),
        Binding("ctrl+s", "save", "Save", id="save-as-save", tooltip="Save the file here"),
    ]
    """Enter in the path field also saves."""

    def __init__(
        self, what: str, files: dict[str, bytes], folder: Path, *, locked: bool = False
    ) -> None:
        """`files`: each file's name in the default `folder` and its data; `locked`: the data
        is locked (the dialog says the file will not be)."""
        super().__init__()
        self.what, self.files, self.folder, self.locked = what, files, folder, locked
        self._replace: frozenset[Path] = frozenset()
        """Files already there that the patient was told about: the next Save replaces them."""

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog", id="calendar-dialog"):
            yield Static(f"Save the {self.what}", classes="dialog-title")
            if len(self.files) == 1:
                yield Label("Save to (a file or a folder; ~ is your home folder)")
                yield Input(str(self.folder / next(iter(self.files))), id="save-as-path")
            else:
                yield Label(f"Save {', '.join(self.files)} in (a folder; ~ is your home folder)")
                yield Input(str(self.folder), id="save-as-path")
            yield Static(
                "Your private folder is the default. Elsewhere (a USB stick, a folder you mail "
                "from) others may be able to read it." + (LOCKED if self.locked else ""),
                classes="hint",
            )
            yield Static(id="calendar-status")
            with Horizontal(classes="buttons"):
                yield Button("Save", variant="primary", id="save", compact=True)
                yield Button("Don't save", id="cancel", compact=True)
        yield KapprepFooter()

    def on_mount(self) -> None:
        self.query_one("#save-as-path", Input).focus()

    def _say(self, text: str) -> None:
        self.query_one("#calendar-status", Static).update(Text(text))

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Input.Changed, "#save-as-path")
    def _typed(self) -> None:
        self._replace = frozenset()  # a new place: ask again before replacing anything

    @on(Button.Pressed, "#save")
    @on(Input.Submitted, "#save-as-path")
    def action_save(self) -> None:
        typed = self.query_one("#save-as-path", Input).value
        try:
            if len(self.files) == 1:
                ((name, data),) = self.files.items()
                files = {resolve(typed, name, self.folder): data}
            else:
                where = resolve_folder(typed, self.folder)
                files = {where / name: data for name, data in self.files.items()}
            told = save(files, self.folder, replace=self._replace)
        except SaveError as exc:
            if exc.exists:
                self._replace = frozenset(exc.exists)
                self._say(f"{exc} Press Enter (or Save) again to replace it, or change the name.")
            else:
                self._say(str(exc))
            return
        self.dismiss((next(iter(files)), told))
