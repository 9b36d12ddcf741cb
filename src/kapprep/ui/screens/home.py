"""Home: the next session and how long until it, what is due next, progress, the series."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from kapprep.store import Session
from kapprep.ui.common import clinic_contact, current_session, h24, session_timeline, when
from kapprep.ui.context import AppContext
from kapprep.ui.widgets.countdown import Countdown
from kapprep.ui.widgets.footer import KapprepFooter
from kapprep.ui.widgets.open_steps import OpenSteps

if TYPE_CHECKING:
    from kapprep.timeline import Timeline

RECENT_SESSIONS = 5
"""How many past sessions home lists (the journal lists every one)."""
DAY_OF_FROM = timedelta(hours=6)
"""The home screen suggests day-of mode from this long before a session…"""
DAY_OF_UNTIL = timedelta(hours=24)
"""…until this long after its start."""


STATUS_WORDS = {"planned": "planned", "done": "done ✓", "cancelled": "cancelled"}


def progress_bar(done: int, total: int, width: int = 5) -> str:
    filled = round(width * done / total) if total else 0
    return "█" * filled + "░" * (width - filled)


class HomeScreen(Screen[None]):
    """The quiet first screen: what is next, and one key to everything else."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "add_session", "Add session", id="add-session", tooltip="Plan a session"),
    ]
    """Home keys; the sessions list's Enter opens a small menu for the chosen session."""
    AUTO_FOCUS = "#sessions"
    """The series list has the focus from the first frame (not the page around it, whose
    scrollbar would be drawn as focused, then left so: nothing else repaints it)."""

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self._shown: dict[str, object] = {}

    def compose(self) -> ComposeResult:
        yield Static(
            Content.assemble(
                ("kapprep", "bold"),
                " · crisis help on every screen: ",
                ("Ctrl+E", "bold"),
                " (or !)",
            ),
            id="title",
        )
        yield Static(self._menu(), id="menu")
        with VerticalScroll(id="home-body"):
            yield Static(id="next-session")
            yield Countdown(self.ctx.clock, id="countdown")
            yield Static(id="dayof-hint")
            # The series comes before what is due: the list has the focus, so it must be on
            # screen even at 60×20, where what is due and the progress are scrolled to.
            yield Static("Sessions  (Enter: choose, edit, mark done, cancel)", classes="heading")
            yield OptionList(id="sessions")
            yield Static(id="due", classes="section")
            yield OpenSteps(
                self.ctx, limit=3, hide_when_empty=True, id="open-steps", classes="section"
            )
            yield Static(id="progress", classes="section")
        yield KapprepFooter(home=True)

    def _menu(self, width: int = 78) -> Content:
        """One key per screen, wrapped between entries (never inside "s Settings")."""
        from kapprep.ui.registry import SCREENS

        entries = [(spec.key, spec.title) for spec in SCREENS] + [("?", "Help")]
        lines: list[list[str | tuple[str, str]]] = [[]]
        used = 0
        for key, title in entries:
            size = len(key) + 1 + len(title)
            if used and used + 3 + size > width:
                lines.append([])
                used = 0
            if used:
                lines[-1].append("   ")
                used += 3
            lines[-1] += [(key, "bold"), f" {title}"]
            used += size
        return Content("\n").join(Content.assemble(*line) for line in lines)

    def on_mount(self) -> None:
        # Everything home shows is in its first frame: the session, its countdown, the series,
        # what is due and the progress (the checklists come from their JSON cache, no PyYAML),
        # with the Footer's keys composed at once (see KapprepFooter). Each frame Textual draws
        # before the screen is complete costs a full layout: filling the due list two frames
        # later, as before, made home complete 1.34-1.46x the minimal app's whole screen; in one
        # frame it is 1.16x (benchmarks/first_frame.py, 20 pairs).
        self.reload()

    _shown_before = False

    def on_screen_resume(self) -> None:
        if self._shown_before:  # the first showing is on_mount's
            self.reload()
        self._shown_before = True

    @on(Countdown.Minute)
    def _minute(self) -> None:
        self.reload()

    # -- showing ----------------------------------------------------------------------------

    def _heading(self, text: str) -> Content:
        # As `.heading` in kapprep.tcss: under NO_COLOR Textual's greys made the primary colour
        # a 3:1 grey, so there it is bold and underlined in the text colour.
        return Content.styled(text, "bold underline" if self.app.no_color else "bold $primary")

    def _set(self, widget_id: str, content: str | Content) -> None:
        """Update a Static only when its content changed (a repaint costs ~3 ms)."""
        key = content.plain if isinstance(content, Content) else content
        if self._shown.get(widget_id) == key:
            return
        self._shown[widget_id] = key
        widget = self.query_one(f"#{widget_id}", Static)
        widget.update(content)
        widget.display = bool(key)

    _told_of_mistakes = False

    def reload(self) -> None:
        if not self._told_of_mistakes:  # once, on the first full showing
            self._told_of_mistakes = True
            self._tell_of_mistakes()
        now = self.ctx.clock()
        session = current_session(self.ctx)
        self._show_session(session, now)
        view = session_timeline(self.ctx, session, now) if session else None
        self._show_due(view, now)
        self._show_progress(view)
        self.query_one(OpenSteps).refresh_steps()
        self._show_sessions(session)

    def _tell_of_mistakes(self) -> None:
        """A clinic's checklist file with mistakes is left out; say so where it will be seen."""
        problems = self.ctx.checklists.problems
        if not problems:
            return
        files = len({p.path for p in problems})
        which = "A checklist file has" if files == 1 else f"{files} checklist files have"
        self.notify(
            f"{which} mistakes and {'was' if files == 1 else 'were'} left out. The checklist "
            "screen (c) says where; the rest of kapprep works as usual.",
            severity="warning",
            timeout=15,
        )

    def _show_session(self, session: Session | None, now: datetime) -> None:
        countdown = self.query_one(Countdown)
        if session is None:
            self._set(
                "next-session",
                Content.assemble(
                    "No session planned yet. Press ", ("a", "bold"), " to add your next one."
                ),
            )
            countdown.set_target(None)
            countdown.display = False
            self._set("dayof-hint", "")
            return
        name, _phone = clinic_contact(self.ctx, session)
        where = session.place or name
        following = self.ctx.store.next_session(now)
        chosen = following is not None and following.id != session.id
        label = "Next session" if session.start >= now else "Session"
        if session.status != "planned":
            label = f"Session ({session.status})"
        elif chosen:  # a later one chosen in the list: never call it "next"
            label = "Chosen session"
        parts: list[str | tuple[str, str]] = [
            f"{label}: ",
            (when(self.ctx, session.start, now), "bold"),
        ]
        if where:
            parts.append(f" · {where}")
        if chosen and following is not None:
            parts.append(f"  (your next is {when(self.ctx, following.start, now)})")
        self._set("next-session", Content.assemble(*parts))
        countdown.display = session.status == "planned"
        started = session.start <= now
        countdown.set_target(session.start, "started " if started else "")
        near = session.start - DAY_OF_FROM <= now <= session.start + DAY_OF_UNTIL
        self._set(
            "dayof-hint",
            Content.assemble("Your session is today: press ", ("d", "bold"), " for day-of mode.")
            if near and session.status != "cancelled"
            else "",
        )

    def _show_due(self, view: Timeline | None, now: datetime) -> None:
        if view is None:
            self._set("due", "")
            return
        from kapprep.timeline import missed_note

        lines: list[Content] = []
        if view.missed:  # on the day, a clinic step whose time passed: first, and plainly
            lines.append(self._heading("Before your session"))
            for e in view.missed:
                assert e.due is not None
                lines.append(
                    Content.assemble(
                        ("! ", "bold"),
                        (e.item.text, "bold"),
                        f": time passed ({when(self.ctx, e.due, now)}). {missed_note(e)}",
                    )
                )
        if view.awaiting_word:
            lines.append(
                Content.assemble(
                    "Did this session happen? Choose it in the list below (",
                    ("Enter", "bold"),
                    "): mark it done, or change it to its new time.",
                )
            )
        lines.append(self._heading("Due next"))
        lines += [
            Content.assemble(
                "○ ",
                e.item.text,
                (f"  {when(self.ctx, e.due, now)}", "bold"),
                f" ({_in(e.due, now)})",
            )
            for e in view.due_next
            if e.due is not None
        ] or [Content("Nothing else is due before this session.")]
        rest = [e for e in view.overdue if e not in view.missed]
        if rest:
            more = f" and {len(rest) - 1} more" if len(rest) > 1 else ""
            lines.append(
                Content.assemble(
                    ("◌ Still open: ", "italic"),
                    rest[-1].item.text,
                    more,
                    " (",
                    ("c", "bold"),
                    ": checklist)",
                )
            )
        self._set("due", Content("\n").join(lines))

    def _show_progress(self, view: Timeline | None) -> None:
        if view is None:
            self._set("progress", "")
            return
        cells = [
            Content(f"{p.title:<24} {progress_bar(p.done, p.total)} {p.done:>2}/{p.total:<2}")
            for p in view.phases
        ]
        if self.app.size.width >= 76 and len(cells) > 1:
            half = (len(cells) + 1) // 2
            left, right = cells[:half], cells[half:]
            cells = [
                Content.assemble(a, "   ", right[i] if i < len(right) else "")
                for i, a in enumerate(left)
            ]
        self._set("progress", Content("\n").join([self._heading("Progress"), *cells]))

    def on_resize(self) -> None:
        menu = self.query_one("#menu", Static)
        menu.update(
            self._menu(max(20, self.size.width - 2))
        )  # #menu has one cell of padding a side
        if self.ctx.checklists_loaded:  # a Resize before on_mount's reload: nothing shown yet
            self.reload_progress()

    def reload_progress(self) -> None:
        self._shown.pop("progress", None)
        self.reload()

    def _show_sessions(self, current: Session | None) -> None:
        everything = self.ctx.store.sessions()
        now = self.ctx.clock()
        clock_24h = h24(self.ctx)
        # A long series (a weekly session for years) would fill home with rows and slow its
        # first frame: the coming sessions, the shown one and the last few before; the journal
        # (j) keeps them all.
        past = [s for s in everything if s.start < now]
        kept = {s.id for s in past[-RECENT_SESSIONS:]} | {
            s.id for s in everything if s.start >= now
        }
        if current is not None:
            kept.add(current.id)
        sessions = [s for s in everything if s.id in kept]
        earlier = len(everything) - len(sessions)
        key = (tuple(sessions), current.id if current else None, now.date(), clock_24h)
        if self._shown.get("sessions") == key:
            return
        self._shown["sessions"] = key
        options = self.query_one("#sessions", OptionList)
        highlighted = options.highlighted
        options.clear_options()
        # The clinic given at first start, read once (not once per session: a long series).
        default_clinic, _ = clinic_contact(self.ctx, None)
        rows = []
        for session in sessions:
            # The shown session is said in words: a "▸" mark was taken for the cursor.
            shown = current is not None and session.id == current.id
            name = session.clinic or default_clinic
            text = Content.assemble(
                (when(self.ctx, session.start, now, clock_24h), "bold" if shown else ""),
                f"  {session.place or name or ''}".rstrip(),
                (f"  {STATUS_WORDS[session.status]}", "dim"),
                ("  · shown above" if shown else "", "italic"),
            )
            rows.append(Option(text, id=str(session.id)))
        if earlier:
            more = f"… and {earlier} earlier session{'s' * (earlier != 1)}: the journal (j) has them all"
            rows.insert(0, Option(Content.styled(more, "dim italic"), disabled=True))
        options.add_options(rows)
        if not sessions:
            options.add_option(Option("No sessions yet — press a to add one.", disabled=True))
        elif highlighted is not None:
            options.highlighted = max(min(highlighted, len(rows) - 1), 1 if earlier else 0)
        elif current is not None:
            first = 1 if earlier else 0  # after the "earlier sessions" line
            options.highlighted = first + next(
                i for i, s in enumerate(sessions) if s.id == current.id
            )

    # -- actions ----------------------------------------------------------------------------

    def action_add_session(self) -> None:
        from kapprep.ui.screens.session_form import SessionFormScreen

        self.app.push_screen(SessionFormScreen(self.ctx), self._after_form)

    def _after_form(self, session: Session | None) -> None:
        # The new session is not "chosen": the header keeps showing the real next one (a later
        # session added must not become "Next session" and take the ticks). The cursor goes to
        # the new one in the list.
        self.reload()
        if session is not None:
            options = self.query_one("#sessions", OptionList)
            found = next(
                (i for i in range(options.option_count)
                 if options.get_option_at_index(i).id == str(session.id)),
                None,
            )  # fmt: skip
            if found is not None:
                options.highlighted = found

    @on(OptionList.OptionSelected, "#sessions")
    def _session_menu(self, event: OptionList.OptionSelected) -> None:
        from kapprep.ui.screens.session_form import SessionMenuScreen

        if event.option.id is None:
            return
        session = self.ctx.store.session(int(event.option.id))
        if session is not None:
            self.app.push_screen(SessionMenuScreen(self.ctx, session), self._after_menu)

    def _after_menu(self, result: str | None) -> None:
        self.reload()
        if result == "checklist":
            self.app.call_later(self.app.run_action, "app.open('checklist')")


def _in(due: datetime, now: datetime) -> str:
    from kapprep.whentext import humanize

    return humanize(due, now)
