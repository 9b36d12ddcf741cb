"""Checklist: the phases as tabs, each item with its due time, why on demand, notes, ticks.

Every tick and note goes to the store at once. Checklist files with mistakes are listed at the
top (file:line:col) and left out; the rest works.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widgets import Input, OptionList, Static, Tab, Tabs
from textual.widgets.option_list import Option

from kapprep import paths
from kapprep.checklist_model import CLINIC_NOTICE, PHASE_SHORT, PHASES
from kapprep.clinic_rules import RuleError, parse_rule, rule_kind
from kapprep.settings import note_rule, noted_rules
from kapprep.store import Session
from kapprep.timeline import Entry
from kapprep.ui.common import calmly, current_session, session_timeline, when
from kapprep.ui.context import AppContext
from kapprep.ui.keys import CRISIS_BINDINGS
from kapprep.ui.widgets.footer import KapprepFooter
from kapprep.whentext import WhenError, humanize, parse_offset

FILTERS: tuple[tuple[str, str], ...] = (
    ("all", "all items in this phase"),
    ("open", "open items in this phase"),
    ("soon", "due in the next 24 hours, every phase"),
    ("overdue", "past their time and still open, every phase"),
)


class ChecklistScreen(Screen[None]):
    """Tick items with Space; the panel below shows the highlighted item's details."""

    CSS_PATH = "checklist.tcss"

    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (66, "-wide")]  # noqa: RUF012
    """Below 66 columns the six phase tabs lose their padding (checklist.tcss), so every
    phase name stays whole at 60 columns."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space", "tick", "Tick", id="tick", tooltip="Tick or untick this item"),
        Binding(
            "w",
            "why",
            "Why",
            show=False,  # the detail pane says "w: why this matters" where there is a why
            id="why",
            tooltip="Show or hide why each item matters",
        ),
        Binding("n", "note", "Note", id="note", tooltip="Write a note for this item"),
        Binding("f", "filter", "Filter", id="filter", tooltip="All, open, due soon, overdue"),
        Binding(
            "o",
            "clinic_time",
            "Clinic time",
            show=False,  # the detail pane says "o sets your clinic's" on the items it fits
            id="clinic-time",
            tooltip="Set your own clinic's time for an item the clinic decides",
        ),
        Binding("right", "phase(1)", "Next phase", show=False, id="phase-next", tooltip="Next tab"),
        Binding(
            "left",
            "phase(-1)",
            "Previous phase",
            show=False,
            id="phase-prev",
            tooltip="Previous tab",
        ),
        Binding("escape", "app.home", "Home", id="checklist-home", tooltip="Back to home"),
    ]
    """Arrows move between items (up/down) and phases (left/right)."""

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.filter = "all"
        self.show_why = False
        self.session: Session | None = None
        self.entries: tuple[Entry, ...] = ()
        self.done: frozenset[str] = frozenset()
        self.notes: dict[str, str] = {}
        self._rows: list[Entry] = []

    def compose(self) -> ComposeResult:
        yield Static(id="problems")
        phases = [p for p in PHASES if any(i.phase == p for i in self.ctx.checklists.items())]
        yield Tabs(*(Tab(PHASE_SHORT.get(p, p), id=p) for p in phases), id="phases")
        yield Static(id="filter-line")
        yield OptionList(id="items")
        with Vertical(id="detail-box"):
            yield Static(id="detail")
        yield KapprepFooter()

    def on_mount(self) -> None:
        problems = self.ctx.checklists.problems
        box = self.query_one("#problems", Static)
        if problems:
            files = len({p.path for p in problems})
            lines = [
                Content.assemble(
                    (f"{len(problems)} mistake(s) in {files} checklist file(s)", "bold"),
                    "; those files are left out and the rest works:",
                )
            ]
            lines += [Content(f"  {p}") for p in problems[:3]]
            if len(problems) > 3:
                lines.append(
                    Content(f"  … and {len(problems) - 3} more (kapprep checklists validate)")
                )
            box.update(Content("\n").join(lines))
        box.display = bool(problems)
        self.reload(first=True)
        self.query_one("#items", OptionList).focus()

    def on_screen_resume(self) -> None:
        if self.is_mounted:
            self.reload()

    # -- data -------------------------------------------------------------------------------

    def reload(self, first: bool = False) -> None:
        now = self.ctx.clock()
        self.session = current_session(self.ctx)
        if self.session is not None:
            view = session_timeline(self.ctx, self.session, now)
            self.entries, self.done = view.entries, view.done
            self.notes = self.ctx.store.notes(self.session.id)
            tabs = self.query_one(Tabs)
            # The journal's prompts come due in "integration", which has no tab when no
            # checklist file has items there (say, that file has a mistake and is left out).
            shown = {tab.id for tab in tabs.query(Tab)}
            due = [e.item.phase for e in view.due_next if e.item.phase in shown]
            if first and due:
                tabs.active = due[0]
        else:
            self.entries = tuple(Entry(item, None) for item in self.ctx.checklists.items())
            self.done, self.notes = frozenset(), {}
        self._fill(now)

    def _phase(self) -> str | None:
        return self.query_one(Tabs).active or None

    def _visible(self, now: datetime) -> list[Entry]:
        phase = self._phase()
        rows = []
        for entry in self.entries:
            status = entry.status(now, entry.item.id in self.done)
            if (
                (self.filter == "all" and entry.item.phase == phase)
                or (self.filter == "open" and entry.item.phase == phase and status != "done")
                or (self.filter == "soon" and status == "soon")
                or (self.filter == "overdue" and status == "overdue")
            ):
                rows.append(entry)
        # In time order, the items of every file together (the timeline's order); untimed last.
        return rows

    def _row(self, entry: Entry, now: datetime) -> Content:
        done = entry.item.id in self.done
        status = entry.status(now, done)
        parts: list[str | tuple[str, str]] = [
            ("☑ " if done else "☐ ", "bold" if done else ""),
            (entry.item.text, "dim" if done else ""),
        ]
        if entry.due is not None:
            parts.append((f"  {when(self.ctx, entry.due, now)}", "dim" if done else ""))
            if status in ("soon", "later"):
                parts.append((f" · {humanize(entry.due, now)}", "dim"))
            elif status == "overdue":
                parts.append((" · time passed", "italic"))
        if entry.overridden:
            parts.append(("  (your clinic's time)", "italic"))
        elif entry.item.clinic_decides:
            parts.append(("  (clinic decides)", "italic"))
        if entry.item.id in self.notes:
            parts.append(("  ✎", ""))
        return Content.assemble(*parts)

    def _fill(self, now: datetime) -> None:
        options = self.query_one("#items", OptionList)
        old = options.highlighted_option
        old_id = old.id if old is not None else None
        self._rows = self._visible(now)
        options.clear_options()
        options.add_options(Option(self._row(e, now), id=e.item.id) for e in self._rows)
        if not self._rows:
            options.add_option(
                Option("Nothing here with this filter (f changes it).", disabled=True)
            )
        ids = [e.item.id for e in self._rows]
        if ids:
            options.highlighted = ids.index(old_id) if old_id in ids else 0
        label = dict(FILTERS)[self.filter]
        where = (
            f"session {when(self.ctx, self.session.start, now)}"
            if self.session
            else "no session yet: add one on the home screen to see due times and tick items"
        )
        self.query_one("#filter-line", Static).update(
            Content.assemble(("Showing ", "dim"), (label, "bold"), (f" · {where}", "dim"))
        )
        self._show_detail()

    def _entry(self) -> Entry | None:
        index = self.query_one("#items", OptionList).highlighted
        if index is None or not 0 <= index < len(self._rows):
            return None
        return self._rows[index]

    def _show_detail(self) -> None:
        entry = self._entry()
        detail = self.query_one("#detail", Static)
        if entry is None:
            detail.update("")
            return
        now = self.ctx.clock()
        item = entry.item
        lines: list[Content] = [Content.styled(item.text, "bold")]
        if entry.due is not None:
            lines.append(
                Content(f"Due {when(self.ctx, entry.due, now)} ({humanize(entry.due, now)})")
            )
        else:
            lines.append(Content("Any time."))
        note = self.notes.get(item.id)
        if note:  # the patient's own words come before the texts we ship, so they always show
            lines.append(Content(f"Your note: {note}"))
        if item.clinic_decides:
            lines.append(Content.styled(CLINIC_NOTICE, "bold"))
            if entry.overridden:
                lines.append(Content("This is the time you set from your clinic (o changes it)."))
            elif entry.due is not None and not paths.is_shipped(item.path):
                # The clinic's own file wrote this time: it is theirs, not a common default.
                lines.append(Content(f"The time shown is your clinic's ({Path(item.path).name})."))
            elif item.default_from and item.why:
                # Where the default comes from is told with the why (w), so the pane fits.
                lines.append(Content("The time shown is a common default; o sets your clinic's."))
            elif item.default_from:
                lines.append(
                    Content(
                        f"The time shown is a common default ({item.default_from}); "
                        "o sets your clinic's."
                    )
                )
        if self.show_why and item.why:
            lines.append(Content(f"Why: {item.why}"))
            if (
                item.clinic_decides
                and item.default_from
                and not entry.overridden
                and paths.is_shipped(item.path)
            ):
                lines.append(Content(f"The default time: {item.default_from.rstrip('.')}."))
        elif item.why:
            lines.append(Content.styled("w: why this matters", "dim"))
        detail.update(Content("\n").join(lines))
        # A longer detail pane makes the list shorter: keep the highlighted item in sight.
        self.call_after_refresh(self.query_one("#items", OptionList).scroll_to_highlight)

    @on(OptionList.OptionHighlighted, "#items")
    def _highlighted(self) -> None:
        self._show_detail()
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Offer "Clinic time" only on items a clinic decides, "Why" only where there is one."""
        if action in ("clinic_time", "why") and self.is_mounted:
            entry = self._entry()
            if entry is None:
                return False
            return entry.item.clinic_decides if action == "clinic_time" else bool(entry.item.why)
        return True

    @on(Tabs.TabActivated, "#phases")
    def _tab(self) -> None:
        if self.filter in ("soon", "overdue"):
            self.filter = "all"
        self._fill(self.ctx.clock())

    # -- actions ----------------------------------------------------------------------------

    @calmly
    def action_tick(self) -> None:
        entry = self._entry()
        if entry is None:
            return
        if self.session is None:
            self.notify("Add your session on the home screen first (press a there).", timeout=4)
            return
        item_id = entry.item.id
        if item_id in self.done:
            self.ctx.store.untick(self.session.id, item_id)
            self.done = self.done - {item_id}
        else:
            self.ctx.store.tick(self.session.id, item_id)
            self.done = self.done | {item_id}
        options = self.query_one("#items", OptionList)
        index = options.highlighted
        if index is not None:
            options.replace_option_prompt_at_index(index, self._row(entry, self.ctx.clock()))
            if item_id in self.done and index + 1 < len(self._rows):
                options.highlighted = index + 1

    def action_why(self) -> None:
        self.show_why = not self.show_why
        self._show_detail()

    def action_filter(self) -> None:
        names = [name for name, _ in FILTERS]
        self.filter = names[(names.index(self.filter) + 1) % len(names)]
        self._fill(self.ctx.clock())

    def action_phase(self, step: int) -> None:
        tabs = self.query_one(Tabs)
        if step > 0:
            tabs.action_next_tab()
        else:
            tabs.action_previous_tab()

    def action_note(self) -> None:
        entry = self._entry()
        if entry is None:
            return
        if self.session is None:
            self.notify("Add your session on the home screen first (press a there).", timeout=4)
            return
        session_id, item_id = self.session.id, entry.item.id

        def save(text: str | None) -> None:
            if text is not None:
                self._save_note(session_id, item_id, text)

        self.app.push_screen(NoteScreen(entry.item.text, self.notes.get(item_id, "")), save)

    @calmly
    def _save_note(self, session_id: int, item_id: str, text: str) -> None:
        self.ctx.store.set_note(session_id, item_id, text)
        self.reload()

    def action_clinic_time(self) -> None:
        entry = self._entry()
        if entry is None:
            return
        if not entry.item.clinic_decides:
            self.notify("This item's time is not one a clinic decides.", timeout=4)
            return
        if self.session is None:
            self.notify("Add your session on the home screen first (press a there).", timeout=4)
            return
        kind = rule_kind(entry.item.tags)
        if kind is not None:  # driving or decisions: the clinic's rule, in its words or a time
            now_text = noted_rules(self.ctx.store).get(kind, "")

            def save_rule(text: str | None) -> None:
                if text is not None:
                    self._save_rule(kind, text)

            self.app.push_screen(ClinicRuleScreen(kind, now_text), save_rule)
            return
        item_id = entry.item.id
        current = self.ctx.store.clinic_times().get(item_id, "")

        def save(text: str | None) -> None:
            if text is not None:
                self._save_clinic_time(item_id, text)

        self.app.push_screen(ClinicTimeScreen(entry.item.text, current), save)

    @calmly
    def _save_rule(self, kind: str, text: str) -> None:
        note_rule(self.ctx.store, kind, text)
        self.notify(
            "Saved your clinic's rule."
            if text
            else "Cleared: day-of mode says your clinic decides.",
            timeout=4,
        )
        self.reload()

    @calmly
    def _save_clinic_time(self, item_id: str, due: str) -> None:
        # For the whole series: the clinic's fasting time is the same for every session.
        self.ctx.store.set_clinic_time(item_id, due or None)
        self.reload()


class LineDialog(ModalScreen[str | None]):
    """One line about one item: Enter saves what `accept` makes of it, Escape cancels.

    `accept` may raise `WhenError`; its message shows under the line and the dialog stays.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        *CRISIS_BINDINGS,
        Binding("escape", "cancel", "Cancel", id="dialog-cancel", tooltip="Close without saving"),
    ]
    """Enter saves."""

    def __init__(
        self, heading: str, item_text: str, value: str, placeholder: str, error_id: str
    ) -> None:
        super().__init__()
        self.heading, self.item_text, self.value = heading, item_text, value
        self.placeholder, self.error_id = placeholder, error_id

    def accept(self, text: str) -> str:
        return text

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Content.assemble(self.heading, (self.item_text, "bold")))
            yield Input(self.value, placeholder=self.placeholder, compact=True)
            yield Static(id=self.error_id, classes="error")
            yield Static("Enter saves · Escape cancels", classes="hint")
        yield KapprepFooter()

    def on_mount(self) -> None:
        self.query_one(f"#{self.error_id}", Static).display = False
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def _save(self, event: Input.Submitted) -> None:
        try:
            self.dismiss(self.accept(event.value.strip()))
        except WhenError as exc:
            error = self.query_one(f"#{self.error_id}", Static)
            error.update(Content(str(exc)))  # what was typed is never read as markup
            error.display = True

    def action_cancel(self) -> None:
        self.dismiss(None)


class ClinicTimeScreen(LineDialog):
    """The clinic's own time for an item, like "4 hours before": empty resets to the default."""

    def __init__(self, item_text: str, current: str) -> None:
        placeholder = 'like "4 hours before" or "the day before at 20:00"; empty: the default'
        super().__init__(
            "Your clinic's time for: ", item_text, current, placeholder, "clinic-time-error"
        )

    def accept(self, text: str) -> str:
        return parse_offset(text) if text else ""


class ClinicRuleScreen(LineDialog):
    """The clinic's rule for driving or big decisions: a time after the session ends ("24
    hours") or the clinic's own words. Empty clears it."""

    def __init__(self, kind: str, current: str) -> None:
        what = "driving again" if kind == "driving" else "big decisions"
        placeholder = 'like "24 hours" after the session ends, or your clinic\'s words'
        super().__init__("Your clinic's rule for ", what, current, placeholder, "clinic-rule-error")

    def accept(self, text: str) -> str:
        if text:
            try:
                parse_rule(text, "you")
            except RuleError as exc:
                raise WhenError(f"{exc}.") from None
        return text


class NoteScreen(LineDialog):
    """A one-line note for an item: empty removes it."""

    def __init__(self, item_text: str, note: str) -> None:
        placeholder = "Your note (Enter saves; empty removes it)"
        super().__init__("Note for: ", item_text, note, placeholder, "note-error")
