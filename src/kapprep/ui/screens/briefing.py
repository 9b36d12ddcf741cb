"""The briefing: a preview, what is not set yet, export to each format, and print.

Saving asks where ("Save to", `save_as.py`): the private data folder (`briefings/`) is the
default, anywhere else (a USB stick) works too, a file already there is replaced only when the
patient says so. The PDF is made in a thread worker so the screen never freezes; printing uses
`lp` where the system has it.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Label, Select, Static

from kapprep import messages
from kapprep import plan as plans
from kapprep.briefing import Document, build_briefing, render, render_text
from kapprep.documents.output import OutputError, print_pdf, save_in
from kapprep.plan import PlanError
from kapprep.settings import load_settings, set_settings
from kapprep.ui.context import AppContext
from kapprep.ui.widgets.footer import KapprepFooter

EVERYONE = "__everyone__"
SAVE_KEYS = (
    "Save: f PDF · t text · m Markdown · w phone page\n"
    "v contacts · o print · k calendar · l check-in log"
)
"""Shown under the options, so the keys the Footer has no room for are still on screen (two
lines that each fit 60 columns)."""
FORMAT_NAMES = {
    "text": "text",
    "md": "Markdown",
    "html": "phone page (HTML)",
    "pdf": "PDF",
    "vcf": "contacts (vCard)",
}


class BriefingScreen(Screen[None]):
    """What the support person gets, and the ways to hand it over."""

    CSS_PATH = "briefing.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.home", "Home", id="briefing-home", tooltip="Back to home"),
        Binding(
            "f",
            "export('pdf')",
            "Save PDF",
            id="briefing-pdf",
            tooltip="Save the briefing as a PDF in your private folder",
        ),
        Binding(
            "o",
            "print",
            "Print",
            id="briefing-print",
            tooltip="Print the PDF (lp), or say where it is",
        ),
        Binding(
            "t",
            "export('text')",
            "Save text",
            id="briefing-text",
            tooltip="Save as plain text, for a message",
        ),
        Binding(
            "m",
            "export('md')",
            "Save Markdown",
            show=False,
            id="briefing-md",
            tooltip="Save as Markdown",
        ),
        Binding(
            "w",
            "export('html')",
            "Save web page",
            show=False,
            id="briefing-html",
            tooltip="Save the phone page (HTML): numbers to tap, to open or print in a browser",
        ),
        Binding(
            "v",
            "export('vcf')",
            "Save contacts",
            show=False,
            id="briefing-vcf",
            tooltip="Save the numbers as contacts (vCard) your support person's phone can add",
        ),
        Binding("a", "paper", "Paper", show=False, id="briefing-paper", tooltip="A4 or US Letter"),
        Binding(
            "l",
            "check_ins",
            "Check-in log",
            show=False,
            id="briefing-checkins",
            tooltip="Type in the check-in log of a session at home, for the clinic",
        ),
        Binding(
            "k",
            "app.calendar",
            "Calendar file",
            show=False,
            id="briefing-calendar",
            tooltip="Save your sessions and a few daytime reminders as a calendar file (.ics)",
        ),
    ]
    """One key per format (v: the contacts); o prints; a switches the paper size; k saves the
    calendar file. The Footer shows the main ones (PDF, print, text) so they fit 60 columns; m, w,
    v, a and k are on the screen, in ? and Ctrl+P."""

    paper: reactive[str] = reactive("a4")
    for_name: reactive[str | None] = reactive(None)
    busy: reactive[bool] = reactive(False)

    def __init__(self, ctx: AppContext, *, folder: Path | None = None) -> None:
        super().__init__()
        self.ctx = ctx
        self.folder = folder or Path(ctx.store.folder) / "briefings"
        self.set_reactive(BriefingScreen.paper, load_settings(ctx.store).paper)
        self.plan = plans.load_plan(ctx.store)
        self.last_saved: Path | None = None

    def compose(self) -> ComposeResult:
        yield Static("Briefing for your support person", classes="screen-title")
        yield Static(id="briefing-missing")
        with Horizontal(id="briefing-options"):
            yield Label("For:")
            yield Select(
                [("everyone", EVERYONE)]
                + [(p.display_name, p.display_name) for p in self.plan.people if p.name.strip()],
                value=EVERYONE,
                allow_blank=False,
                id="briefing-for",
                compact=True,
            )
            yield Static(id="briefing-paper")
        yield Static(id="briefing-status")
        with VerticalScroll(id="briefing-preview"):
            yield Static(id="briefing-text")
        yield KapprepFooter()  # crisis key first, visible at 60 columns

    def on_mount(self) -> None:
        self._status("")
        self.refresh_preview()
        self.query_one("#briefing-preview").focus()

    def reload(self) -> None:
        """Show changes made elsewhere (the app's Refresh)."""
        self.plan = plans.load_plan(self.ctx.store)
        self.refresh_preview()

    # -- the model ----------------------------------------------------------------------------

    def _session(self) -> Any:
        chosen = getattr(self.ctx, "session_id", None)
        if chosen is not None:
            session = self.ctx.store.session(chosen)
            if session is not None:
                return session
        return self.ctx.store.next_session(self.ctx.clock())

    def briefing(self) -> Document:
        from kapprep.clinic_rules import effective
        from kapprep.settings import noted_rules

        store = self.ctx.store
        region, country = plans.region_of(store), load_settings(store).country
        from kapprep.journal_share import shared_note

        rules = effective(self.ctx.checklists.clinic_rules, noted_rules(store))
        session = self._session()
        note = shared_note(store, session.id if session is not None else None)
        build = partial(
            build_briefing, region=region, country=country, rules=rules, support_note=note
        )
        try:
            return build(self.plan, session, for_name=self.for_name)
        except PlanError:
            self.for_name = None
            return build(self.plan, session)

    def refresh_preview(self) -> None:
        briefing = self.briefing()
        missing = briefing.missing
        self.query_one("#briefing-missing", Static).update(
            Text(
                "Not set yet (shown as “not set”): "
                + "; ".join(missing)
                + ". Fill them in on the plan (p)."
                if missing
                else "Everything the briefing needs is set."
            )
        )
        self.query_one("#briefing-paper", Static).update(
            Text(f"Paper: {'A4' if self.paper == 'a4' else 'US Letter'} (a)")
        )
        self.query_one("#briefing-text", Static).update(
            Text(render_text(briefing, self._preview_width()), no_wrap=True)
        )

    def _preview_width(self) -> int:
        """The preview's text width: 80 columns, or less on a narrow terminal."""
        width = self.query_one("#briefing-text").size.width or self.app.size.width - 6
        return min(80, max(40, width))

    def on_resize(self) -> None:
        self.call_after_refresh(self.refresh_preview)

    def watch_paper(self) -> None:
        if self.is_mounted:
            self.refresh_preview()

    def watch_for_name(self) -> None:
        if self.is_mounted:
            self.refresh_preview()

    @on(Select.Changed, "#briefing-for")
    def _for(self, event: Select.Changed) -> None:
        self.for_name = None if event.value == EVERYONE else str(event.value)

    # -- actions ------------------------------------------------------------------------------

    def action_check_ins(self) -> None:
        from kapprep.checkins import log_session
        from kapprep.ui.screens.checkins import CheckInScreen

        chosen = getattr(self.ctx, "session_id", None)
        session = log_session(self.ctx.store.sessions(), self.ctx.clock(), chosen)
        if session is None:
            self._status(
                "The check-in log is for a session at home: mark the session as at home first."
            )
            return
        self.app.push_screen(CheckInScreen(self.ctx, session))

    def action_paper(self) -> None:
        self.paper = "letter" if self.paper == "a4" else "a4"
        set_settings(self.ctx.store, paper=self.paper)

    def _status(self, text: str) -> None:
        """A message about the last save; until there is one, the keys for each format."""
        status = self.query_one("#briefing-status", Static)
        status.update(Text(text) if text else Text(SAVE_KEYS, style="dim"))

    def action_export(self, fmt: str) -> None:
        if self.busy:
            return
        briefing = self.briefing()
        if briefing.missing:
            self._status(
                f"Saving the {FORMAT_NAMES[fmt]}: {len(briefing.missing)} things are not set yet (listed above)."
            )
        else:
            self._status(f"Saving the {FORMAT_NAMES[fmt]}…")
        self.busy = True
        self._make(briefing, fmt, str(self.paper), load_settings(self.ctx.store).maps_link)

    def action_print(self) -> None:
        if self.busy:
            return
        self.busy = True
        self._status("Making the PDF to print…")
        self._export(self.briefing(), "pdf", str(self.paper), True)

    @work(thread=True, exclusive=True, group="briefing-export")
    def _make(self, briefing: Document, fmt: str, paper: str, maps: bool) -> None:
        """Render off the UI thread (a PDF takes a moment), then ask where to save it."""
        data = render(briefing, fmt, paper, maps=maps)  # type: ignore[arg-type]
        self.app.call_from_thread(self._ask, fmt, data)

    def _ask(self, fmt: str, data: bytes) -> None:
        from kapprep.documents.output import free_name
        from kapprep.store.cipher import key_for
        from kapprep.ui.screens.save_as import SaveAsScreen

        name = free_name(self.folder, fmt, self.ctx.clock())
        locked = key_for(self.ctx.store.folder) is not None  # the dialog says the file is not
        dialog = SaveAsScreen(FORMAT_NAMES[fmt], {name: data}, self.folder, locked=locked)
        self.app.push_screen(dialog, callback=self._saved)

    def _saved(self, result: tuple[Path, str] | None) -> None:
        self.busy = False
        if result is None:
            self._status("Not saved.")
            return
        from kapprep.lock_note import lock_note  # the lock does not cover what is saved

        self.last_saved, message = result
        message += lock_note(self.ctx.store.folder, self.last_saved)
        self._status(message)
        self.notify(message, timeout=10, markup=False)

    @work(thread=True, exclusive=True, group="briefing-export")
    def _export(self, briefing: Document, fmt: str, paper: str, to_printer: bool) -> None:
        """Render (PDF rendering takes a moment) and save, off the UI thread."""
        path: Path | None = None
        try:
            data = render(briefing, fmt, paper)  # type: ignore[arg-type]
            path = save_in(self.folder, fmt, data)
            message = print_pdf(path) if to_printer else messages.saved_to(FORMAT_NAMES[fmt], path)
            severity = "information"
        except OutputError as exc:  # worded to follow "kapprep: " on the command line
            message, severity = str(exc), "warning"
            message = message[:1].upper() + message[1:]
        self.app.call_from_thread(self._done, message, severity, path)

    def _done(self, message: str, severity: str, path: Path | None) -> None:
        from kapprep.lock_note import lock_note

        self.busy = False
        if path is not None:
            self.last_saved = path
            message += lock_note(self.ctx.store.folder, path)
        self._status(message)
        self.notify(message, severity=severity, timeout=10, markup=False)  # type: ignore[arg-type]
