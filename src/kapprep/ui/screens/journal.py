"""The journal screen: intentions before and integration after a session, side by side.

Three tabs: "This session" (the intentions and integration prompts in two columns, stacked on a
narrow terminal; the before/after self-ratings; the action steps with done toggles), "Over time"
(the series of sessions and a small chart of the ratings across them) and "Questions" (the list
for the clinic, captured and never answered). Every keystroke in an answer is saved at once, one
short transaction per field, through `kapprep.journal`; the screen keeps no state of its own that
could be lost. Export for the therapist and the calendar file are one key away.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import (
    Input,
    Label,
    SelectionList,
    Static,
    TabbedContent,
    TabPane,
    Tabs,
    TextArea,
)
from textual.widgets.selection_list import Selection

from kapprep import journal, messages
from kapprep.journal import export as journal_export
from kapprep.journal_share import SUPPORT_PROMPT, is_shared, set_shared
from kapprep.timeline import prompt_times
from kapprep.ui.common import calmly, current_session
from kapprep.ui.context import AppContext
from kapprep.ui.widgets.footer import KapprepFooter
from kapprep.ui.widgets.tickbox import TickBox, TickList
from kapprep.zones import zone_label


class JournalScreen(Screen[None]):
    """Intentions, integration notes, steps, ratings and questions, saved as typed."""

    CSS_PATH = "journal.tcss"

    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (76, "-wide")]  # noqa: RUF012
    """Below 76 columns the intentions and integration columns stack."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.home", "Home", id="journal.home", tooltip="Back to home"),
        Binding(
            "ctrl+b",
            "earlier",
            "Earlier",
            show=False,  # said under the session's title when there is more than one
            id="journal.earlier",
            tooltip="The session before",
        ),
        Binding(
            "ctrl+f",
            "later",
            "Later",
            show=False,
            id="journal.later",
            tooltip="The session after",
        ),
        Binding(
            "ctrl+n", "new_step", "Add step", id="journal.new_step", tooltip="Add an action step"
        ),
        Binding(
            "ctrl+s",
            "export",
            "Export",
            id="journal.export",
            tooltip="Write the journal for your therapist (Markdown, HTML and PDF)",
        ),
        Binding(
            "ctrl+t",
            "calendar",
            "Calendar",
            show=False,
            id="journal.calendar",
            tooltip="Write your sessions and reminders as a calendar file (.ics)",
        ),
        # F2-F4 are written on the tabs themselves, so the Footer keeps room for the rest.
        Binding(
            "f2",
            "tab('session')",
            "Session",
            show=False,
            id="journal.tab_session",
            tooltip="This session",
        ),
        Binding(
            "f3",
            "tab('series')",
            "Over time",
            show=False,
            id="journal.tab_series",
            tooltip="All sessions",
        ),
        Binding(
            "f4",
            "tab('questions')",
            "Questions",
            show=False,
            id="journal.tab_questions",
            tooltip="For your clinic",
        ),
        Binding(
            "delete",
            "remove",
            "Remove",
            id="journal.remove",
            tooltip="Remove the highlighted step or question",
        ),
    ]
    """Keys that work while typing (no printable keys); the app lists each in the command palette.
    The Footer shows the main ones, so they fit 60 columns; F2-F4 are on the tabs."""

    def __init__(self, ctx: AppContext, *, export_dir: Path | None = None) -> None:
        super().__init__()
        self.ctx = ctx
        self.export_dir = export_dir
        self._series: list[journal.SessionJournal] = []
        self._index = 0
        self._saved: dict[str, str] = {}
        """What is in the store for each editor (by widget id), so loading text saves nothing."""

    # -- building ---------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with TabbedContent(initial="session", id="journal-tabs"):
            with TabPane("F2 This session", id="session"), VerticalScroll(id="session-scroll"):
                yield Static("", id="session-title")
                with Horizontal(id="columns"):
                    with Vertical(id="intentions", classes="column"):
                        yield Label("Before: intentions", classes="column-title")
                        for p in journal.INTENTION_PROMPTS:
                            yield from self._editor(p)
                    with Vertical(id="integration", classes="column"):
                        yield Label("After: integration", classes="column-title")
                        yield Static(
                            "Read your intentions first; this looks back at them.",
                            classes="hint",
                        )
                        yield Static("", id="integration-due", classes="hint")
                        for p in journal.INTEGRATION_PROMPTS:
                            yield from self._editor(p)
                yield Label("How I feel, 0 to 10", classes="section-title")
                scales = "; ".join(
                    f"{label}: {low}, {high}" for label, low, high in journal.SCALES.values()
                )
                yield Static(f"{scales}. {journal.RATING_NOTE}", classes="hint", id="rating-note")
                for scale, (label, _low, _high) in journal.SCALES.items():
                    with Horizontal(classes="rating-row"):
                        yield Label(label, classes="rating-label")
                        for moment in journal.MOMENTS:
                            yield Label(moment, classes="rating-moment")
                            yield Input(
                                id=f"rating-{scale}-{moment}",
                                classes="rating",
                                restrict=r"(10|[0-9])?",  # "11" never shows while the store keeps "1"
                                max_length=2,
                                tooltip=f"{label} {moment} the session, 0 to 10",
                            )
                yield Label("Action steps", classes="section-title")
                yield Static("Space: done or not yet. Delete: remove.", classes="hint")
                yield TickList[int](id="steps")
                yield Input(placeholder="Add a small step, then Enter", id="new-step")
            with TabPane("F3 Over time", id="series"), VerticalScroll():
                yield Static("", id="series-table")
                yield Static("", id="chart")
            with TabPane("F4 Questions", id="questions"), VerticalScroll():
                yield Static(
                    "Questions for my clinic. kapprep keeps them; your clinic answers them. "
                    "Space: asked or not yet. Delete: remove.",
                    classes="hint",
                )
                yield TickList[int](id="question-list")
                yield Input(placeholder="Add a question, then Enter", id="new-question")
        yield KapprepFooter()

    def _editor(self, p: journal.Prompt) -> Iterable[Label | TextArea | TickBox]:
        yield Label(p.text, classes="prompt")
        area = TextArea(
            id=f"{p.kind}-{p.key}",
            classes="answer",
            soft_wrap=True,
            tab_behavior="focus",
            show_line_numbers=False,
            placeholder=p.hint,
        )
        area.tooltip = p.hint
        yield area
        if p.kind == "intention" and p.key == SUPPORT_PROMPT:
            yield TickBox(
                "Show this to my support person (on the briefing)",
                False,
                id="share-support",
                compact=True,
                tooltip="Only when ticked does this answer appear on the support-person briefing",
            )

    def on_mount(self) -> None:
        self.title = "Journal"
        self.reload()
        # Start in the first answer, so typing goes into the journal and never reaches the
        # one-letter keys of other screens.
        first = self.query("#intention-hope")
        if first:
            first.first().focus()

    def _default_index(self) -> int:
        """The session chosen on the home screen, else the next one, else the most recent."""
        chosen = current_session(self.ctx)
        for n, sj in enumerate(self._series):
            if chosen is not None and sj.session_id == chosen.id:
                return n
        return max(0, len(self._series) - 1)

    def reload(self) -> None:
        """Read everything again (the app's Refresh key: changes made in another window)."""
        shown = self.current.session_id if self.current else None
        self._series = journal.series(self.ctx.store)
        ids = [sj.session_id for sj in self._series]
        self._index = ids.index(shown) if shown in ids else self._default_index()
        self._load_session()
        self._load_series()
        self._load_questions()

    @property
    def current(self) -> journal.SessionJournal | None:
        return self._series[self._index] if self._series else None

    # -- loading ----------------------------------------------------------------------------

    def _load_session(self) -> None:
        sj = self.current
        title = self.query_one("#session-title", Static)
        for widget in self.query(".answer, .rating, #steps, #new-step, #share-support"):
            widget.disabled = sj is None
        if sj is None:
            title.update(
                "No sessions yet. Add one from the home screen, or with: kapprep session add"
            )
            return
        # In the session's own zone, named where this computer's clock differs.
        label = zone_label(sj.start, self.ctx.zone)
        shown = journal_export.long_date(sj.start) + (f" {label}" if label else "")
        heading = Text(f"Session {sj.number} of {len(self._series)} · {shown}")
        if len(self._series) > 1:
            heading.append(
                "\nCtrl+B: the session before · Ctrl+F: the one after", style="not bold dim"
            )
        open_questions = len(journal.questions(self.ctx.store, include_asked=False))
        if open_questions:
            plural = "s" if open_questions != 1 else ""
            heading.append(
                f"\n{open_questions} question{plural} for your clinic (F4)", style="italic"
            )
        title.update(heading)
        due = [entry.due for entry in prompt_times(sj.start) if entry.due is not None]
        self.query_one("#integration-due", Static).update(
            "Prompts come due: "
            + ", ".join(f"{d:%a %d %b %H:%M}" for d in due)
            + (f" ({label})" if label else "")
        )
        fresh = journal.journal(self.ctx.store, sj.session_id) or sj
        for p in (*journal.INTENTION_PROMPTS, *journal.INTEGRATION_PROMPTS):
            answers = fresh.intentions if p.kind == "intention" else fresh.integration
            wid = f"{p.kind}-{p.key}"
            text = answers.get(p.key, "")
            self._saved[wid] = text
            area = self.query_one(f"#{wid}", TextArea)
            if area.text != text:
                area.load_text(text)
        shared = is_shared(self.ctx.store, sj.session_id)
        tick = self.query_one("#share-support", TickBox)
        if tick.value != shared:
            with tick.prevent(TickBox.Changed):
                tick.value = shared
        for scale in journal.SCALES:
            for moment in journal.MOMENTS:
                wid = f"rating-{scale}-{moment}"
                value = fresh.rating(scale, moment)
                text = "" if value is None else str(value)
                self._saved[wid] = text
                box = self.query_one(f"#{wid}", Input)
                if box.value != text:
                    box.value = text
        self._load_steps()

    def _load_steps(self) -> None:
        sj = self.current
        lst = self.query_one("#steps", SelectionList)
        lst.clear_options()
        if sj is None:
            return
        lst.add_options(
            Selection(Text(s.text), s.id, s.done)
            for s in journal.steps(self.ctx.store, sj.session_id)
        )
        _highlight_first(lst)

    def _load_series(self) -> None:
        self._series = journal.series(self.ctx.store)
        table = Text()
        if not self._series:
            table.append("No sessions yet.")
        for sj in self._series:
            local = sj.start  # the day in the session's own zone
            done = sum(s.done for s in sj.steps)
            mood = _pair(sj.rating("mood", "before"), sj.rating("mood", "after"))
            anx = _pair(sj.rating("anxiety", "before"), sj.rating("anxiety", "after"))
            marker = "›" if sj is self.current else " "
            table.append(
                f"{marker}{sj.number:>2}  {local:%a %d %b %Y}  "
                f"intentions {len(sj.intentions)}/{len(journal.INTENTION_PROMPTS)}  "
                f"after {len(sj.integration)}/{len(journal.INTEGRATION_PROMPTS)}  "
                f"steps {done}/{len(sj.steps)}\n"
                f"     mood {mood}  anxiety {anx}\n"
            )
        self.query_one("#series-table", Static).update(table)
        chart = Text()
        trends = journal_export.trends(self._series)
        if trends:
            chart.append(
                f"Ratings across sessions ({journal.RATING_NOTE.lower().rstrip('.')})\n", "bold"
            )
            for label, moment, values in trends:
                numbers = " ".join("–" if v is None else str(v) for v in values)
                chart.append(f"{label:<7} {moment:<6} ")
                chart.append(journal_export.rating_bars(values), "bold")
                chart.append(f"  {numbers}\n")
        self.query_one("#chart", Static).update(chart)

    def _load_questions(self) -> None:
        lst = self.query_one("#question-list", SelectionList)
        lst.clear_options()
        lst.add_options(
            Selection(Text(q.text), q.id, q.asked) for q in journal.questions(self.ctx.store)
        )
        _highlight_first(lst)

    # -- saving, as typed -------------------------------------------------------------------

    @on(TextArea.Changed, ".answer")
    @calmly
    def _answer_changed(self, event: TextArea.Changed) -> None:
        sj, wid = self.current, event.text_area.id or ""
        text = event.text_area.text
        if sj is None or self._saved.get(wid) == text:
            return
        kind, key = wid.split("-", 1)
        journal.save_entry(self.ctx.store, sj.session_id, kind, key, text, self.ctx.clock())
        self._saved[wid] = text

    @on(TickBox.Changed, "#share-support")
    @calmly
    def _share_changed(self, event: TickBox.Changed) -> None:
        sj = self.current
        if sj is None:
            return
        set_shared(self.ctx.store, sj.session_id, event.value, self.ctx.clock())
        self.notify(
            "Your support person's briefing now shows this answer."
            if event.value
            else "The briefing no longer shows this answer.",
            timeout=3,
        )

    @on(Input.Changed, ".rating")
    @calmly
    def _rating_changed(self, event: Input.Changed) -> None:
        sj, wid, text = self.current, event.input.id or "", event.value.strip()
        if sj is None or self._saved.get(wid) == text:
            return
        if text and int(text) > 10:
            event.input.add_class("-invalid")
            self.notify(messages.RATING_RANGE, severity="warning", timeout=3)
            return
        event.input.remove_class("-invalid")
        _, scale, moment = wid.split("-")
        value = int(text) if text else None
        journal.set_rating(self.ctx.store, sj.session_id, scale, moment, value, self.ctx.clock())
        self._saved[wid] = text

    @on(Input.Submitted, "#new-step")
    @calmly
    def _add_step(self, event: Input.Submitted) -> None:
        sj = self.current
        if sj is None or not event.value.strip():
            return
        journal.add_step(self.ctx.store, sj.session_id, event.value, self.ctx.clock())
        event.input.value = ""
        self._load_steps()

    @on(SelectionList.SelectionToggled, "#steps")
    @calmly
    def _toggle_step(self, event: SelectionList.SelectionToggled[int]) -> None:
        step_id = event.selection.value
        done = step_id in event.selection_list.selected
        journal.set_step_done(self.ctx.store, step_id, done, self.ctx.clock())

    @on(Input.Submitted, "#new-question")
    @calmly
    def _add_question(self, event: Input.Submitted) -> None:
        if not event.value.strip():
            return
        journal.add_question(self.ctx.store, event.value, self.ctx.clock())
        event.input.value = ""
        self._load_questions()

    @on(SelectionList.SelectionToggled, "#question-list")
    @calmly
    def _toggle_question(self, event: SelectionList.SelectionToggled[int]) -> None:
        qid = event.selection.value
        asked = qid in event.selection_list.selected
        journal.set_asked(self.ctx.store, qid, asked, self.ctx.clock())

    @on(TabbedContent.TabActivated)
    def _tab_shown(self, event: TabbedContent.TabActivated) -> None:
        if event.pane.id == "series":
            self._load_series()

    # -- actions ----------------------------------------------------------------------------

    def action_earlier(self) -> None:
        self._move(-1)

    def action_later(self) -> None:
        self._move(1)

    def _move(self, step: int) -> None:
        self._series = journal.series(self.ctx.store)
        if not self._series:
            return
        target = self._index + step
        if not 0 <= target < len(self._series):
            self.notify("There is no session " + ("before" if step < 0 else "after") + " this one.")
            return
        self._index = target
        self._load_session()
        self._load_series()

    def action_tab(self, tab: str, focus: str | None = None) -> None:
        # Blur first: a focused widget in the pane being hidden would pull its tab back.
        self.set_focus(None)
        tabs = self.query_one("#journal-tabs", TabbedContent)
        tabs.active = tab
        focus = focus or {"session": "#intention-hope", "questions": "#new-question"}.get(tab)
        target = self.query_one(focus) if focus else tabs.query_one(Tabs)
        self.call_after_refresh(target.focus)

    def action_new_step(self) -> None:
        self.action_tab("session", "#new-step")

    @calmly
    def action_remove(self) -> None:
        focused = self.focused
        if not isinstance(focused, SelectionList) or focused.highlighted is None:
            return
        value = focused.get_option_at_index(focused.highlighted).value
        if focused.id == "steps":
            journal.remove_step(self.ctx.store, value)
            self._load_steps()
        elif focused.id == "question-list":
            journal.remove_question(self.ctx.store, value)
            self._load_questions()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "remove":
            return isinstance(self.focused, SelectionList)
        return True

    def _folder(self) -> Path:
        folder = self.export_dir or Path(self.ctx.store.folder) / "exports"
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        return folder

    def action_export(self) -> None:
        # Read the store here (its connection belongs to this thread); render in a worker.
        doc = journal_export.document(self.ctx.store, self.ctx.clock().astimezone(self.ctx.zone))
        self._write_exports(doc, self._folder())

    @work(thread=True, exclusive=True, group="journal-export")
    def _write_exports(self, doc: journal_export.JournalDocument, folder: Path) -> None:
        """Render the three files off the UI thread, then ask where to save them."""
        from kapprep.ui.screens.save_as import SaveAsScreen

        files = {
            f"journal-{doc.made_at:%Y-%m-%d}.{fmt}": journal_export.render(doc, fmt)
            for fmt in ("md", "html", "pdf")
        }
        from kapprep.store.cipher import key_for

        locked = key_for(self.ctx.store.folder) is not None
        dialog = SaveAsScreen("journal for your therapist", files, folder, locked=locked)
        self.app.call_from_thread(self.app.push_screen, dialog, self._exported)

    def _exported(self, result: tuple[Path, str] | None) -> None:
        from kapprep.lock_note import lock_note  # the lock does not cover what is saved

        if result is not None:
            told = result[1] + lock_note(self.ctx.store.folder, result[0])
            self.notify(told, timeout=8, markup=False)

    def action_calendar(self) -> None:
        """The calendar dialog, as from the Briefing screen: where to save, which reminders."""
        if not self.ctx.store.sessions():
            self.notify(messages.NO_CALENDAR_YET)
            return
        self.app.call_later(self.app.run_action, "app.calendar")


def _highlight_first(lst: SelectionList[int]) -> None:
    """Highlight the first option so Space toggles it straight away."""
    if lst.option_count and lst.highlighted is None:
        lst.highlighted = 0


def _pair(before: int | None, after: int | None) -> str:
    b = "–" if before is None else str(before)
    a = "–" if after is None else str(after)
    return f"{b}→{a}"
