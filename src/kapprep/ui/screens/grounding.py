"""Grounding: choose a breathing or grounding exercise, run it full-screen, and see the practice log.

Starting takes one key and no questions: the list opens on the last exercise used (a gentle one
with no holds the first time), with its usual length, and Enter starts it. While it runs the screen
shows only the pacer; space pauses (mid-phase, exactly), Escape stops. Each practice is saved when
it starts and again when it ends, with an optional 0-10 "how calm do I feel" before and after.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Center, Vertical, VerticalScroll
from textual.geometry import Offset
from textual.screen import Screen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from kapprep import grounding as g
from kapprep.settings import load_settings, set_settings
from kapprep.speech import Speaker
from kapprep.ui.common import calmly
from kapprep.ui.widgets.footer import KapprepFooter
from kapprep.ui.widgets.pacer import Pacer

if TYPE_CHECKING:
    from kapprep.ui.context import AppContext

MINUTES = (1, 2, 3, 5, 10, 15, 20, 30)
CYCLES = (3, 5, 10, 15, 20, 30, 50)
RATES = (5.5, 6.0, 6.5)
"""Breaths a minute offered by the Pace key (resonance breathing is about 5.5-6)."""


class PatternList(OptionList):
    """The exercises, one line each; Enter starts the highlighted one."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select", "Start", id="grounding-select", tooltip="Start this exercise now"),
    ]  # fmt: skip


class GroundingScreen(Screen[None]):
    """Choose, run and log grounding and breathing exercises."""

    CSS_PATH = "grounding.tcss"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "start", "Start", id="grounding-start", tooltip="Start the chosen exercise now"),
        Binding("space", "pause", "Pause/resume", id="grounding-pause", tooltip="Pause, or carry on where you paused"),
        Binding("n", "next_step", "Next step", id="grounding-next", tooltip="Go on to the next grounding step"),
        Binding("escape", "stop", "Stop", id="grounding-stop", tooltip="Stop the exercise (it is still logged)"),
        Binding("escape", "skip", "Skip", id="grounding-skip", tooltip="Skip the rating and go back to the list"),
        Binding("escape", "app.home", "Home", id="grounding-home", tooltip="Back to home"),
        Binding("plus,equals_sign", "longer", "Longer", id="grounding-longer", tooltip="Make the exercise longer"),
        Binding("minus", "shorter", "Shorter", id="grounding-shorter", tooltip="Make the exercise shorter"),
        Binding("m", "unit", "Breaths/min", show=False, id="grounding-unit", tooltip="Set the length in minutes or in breaths"),
        Binding("o", "holds", "Holds", show=False, id="grounding-holds", tooltip="Breathe without holding (no holds)"),
        Binding("l", "lengthen", "Slower", show=False, id="grounding-lengthen", tooltip="Let the breaths lengthen slowly over the exercise"),
        Binding("t", "bell", "Bell", show=False, id="grounding-bell", tooltip="A bell at each breath: one to breathe in, two to breathe out"),
        Binding("k", "speech", "Spoken cues", show=False, id="grounding-speech", tooltip="Say in, hold and out aloud at each breath (spd-say or espeak-ng)"),
        Binding("v", "pace", "Pace", show=False, id="grounding-pace", tooltip="Breaths a minute: the pattern's own, or 5.5, 6 or 6.5 (resonance)"),
        Binding("w", "wait", "Wait for me", show=False, id="grounding-wait", tooltip="Grounding steps wait for your key (n) instead of a gentle timer"),
    ]  # fmt: skip
    """Keys; each shows in the Footer only when it does something (see `check_action`). The
    option keys (m, o, l, t, k, v, w) are written beside each option instead, so the Footer fits."""

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        last = load_settings(ctx.store).grounding_last
        self.choice: dict[str, object] = last if isinstance(last, dict) else {}
        self.patterns: dict[str, g.Pattern] = dict(g.BUILTIN)
        self.problems: list[g.Problem] = []
        self.running = False
        self.finished = False
        self.practice_id: int | None = None
        self.timer: g.Timer | None = None
        self.pacer: Pacer | None = None

    # -- layout -----------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="choose"):
            yield Static("Grounding  ·  choose an exercise, then press Enter", id="title")
            yield PatternList(id="patterns")
            yield Static(id="options")
            yield Input(
                placeholder="How calm do you feel now, 0-10? (optional)",
                type="integer",
                max_length=2,
                id="calm-before",
            )
            yield Static(id="log")
        with Vertical(id="run"):
            yield Center(id="pacer-box")
            yield Static(id="run-note")
            yield Input(
                placeholder="0-10, Enter to save, Esc to skip",
                type="integer",
                max_length=2,
                id="calm-after",
            )
        yield KapprepFooter()  # crisis key first, visible at 60 columns

    def on_mount(self) -> None:
        self.patterns, self.problems = g.load_patterns([g.user_patterns_dir()])
        if self.problems:
            first = self.problems[0]
            more = f" (and {len(self.problems) - 1} more)" if len(self.problems) > 1 else ""
            self.notify(
                f"An exercise file has a problem: {first}{more}", severity="warning", markup=False
            )
        options = self.query_one("#patterns", OptionList)
        for pattern in self.patterns.values():
            prompt = Text(no_wrap=True, overflow="ellipsis")
            prompt.append(f"{pattern.name:<21} ", style="bold")
            prompt.append(f"{pattern.summary:<9} ", style="dim")
            prompt.append(pattern.description)
            options.add_option(Option(prompt, id=pattern.id))
        wanted = str(self.choice.get("pattern", g.DEFAULT_PATTERN))
        if wanted not in self.patterns:
            wanted = g.DEFAULT_PATTERN
        options.highlighted = options.get_option_index(wanted)
        options.focus()
        self.query_one("#run").display = False
        self.query_one("#calm-after").display = False
        self._show_options()
        self._show_log()

    # -- the choice -------------------------------------------------------------------------

    @property
    def pattern(self) -> g.Pattern:
        options = self.query_one("#patterns", OptionList)
        index = options.highlighted
        option = options.get_option_at_index(index) if index is not None else None
        pid = option.id if option is not None and option.id else g.DEFAULT_PATTERN
        return self.patterns.get(pid, g.BUILTIN[g.DEFAULT_PATTERN])

    def _unit(self) -> str:
        return "cycles" if self.choice.get("unit") == "cycles" else "minutes"

    def _length(self) -> float:
        stored = self.choice.get(f"length-{self._unit()}")
        if isinstance(stored, int | float) and stored > 0:
            return float(stored)
        return 10.0 if self._unit() == "cycles" else self.pattern.default_minutes

    def plan(self) -> g.Exercise:
        pattern = self.pattern
        if self.choice.get("no_holds"):
            pattern = g.without_holds(pattern)
        rate = self.choice.get("rate")
        if isinstance(rate, int | float) and not pattern.is_steps:
            pattern = g.with_rate(pattern, float(rate))
        lengthen = g.Lengthen() if self.choice.get("lengthen") and not pattern.is_steps else None
        if self._unit() == "cycles":
            return g.Exercise(pattern, cycles=int(self._length()), lengthen=lengthen)
        return g.Exercise(pattern, minutes=self._length(), lengthen=lengthen)

    def _show_options(self) -> None:
        """The choices, each with the key that changes it (the Footer has room only for some)."""
        plan = self.plan()
        if plan.pattern.is_steps:
            length = f"{plan.total_cycles} round{'s' * (plan.total_cycles != 1)}"
        elif plan.cycles is not None:
            length = f"{plan.cycles} breath{'s' * (plan.cycles != 1)}"
        else:
            minutes = self._length()
            length = f"{minutes:g} minute{'s' * (minutes != 1)}"
        parts = [(f"Length: {length}", "+ −" if plan.pattern.is_steps else "+ − m")]
        if not plan.pattern.is_steps:
            parts.append(("no holds" if self.choice.get("no_holds") else "holds as shown", "o"))
            rate = self.choice.get("rate")
            parts.append(
                (
                    f"{rate:g} breaths a minute"
                    if isinstance(rate, int | float)
                    else plan.pattern.summary,
                    "v",
                )
            )
            parts.append(("slowing down" if plan.lengthen else "steady pace", "l"))
        else:
            manual = self.choice.get("manual")
            parts.append(
                ("each step waits for your key (n)" if manual else "steps move on gently", "w")
            )
        parts.append(("bell on" if self.choice.get("bell") else "no bell", "t"))
        if not plan.pattern.is_steps:
            spoken = load_settings(self.ctx.store).spoken_cues
            parts.append(("spoken cues on" if spoken else "no spoken cues", "k"))
        text = Text(f"{self.pattern.description}\n")  # whole here; the list may cut it
        for n, (said, key) in enumerate(parts):
            if n:
                text.append("  ·  ")
            text.append(said)
            text.append(f" ({key})", style="dim")
        text.append(f"\nFrom: {self.pattern.source}", style="dim")
        self.query_one("#options", Static).update(text)

    def _show_log(self) -> None:
        practices = self.ctx.store.practices()
        today = self.ctx.clock().astimezone(self.ctx.zone).date()
        days = g.minutes_per_day(practices, today, self.ctx.zone, days=14)
        text = Text()
        text.append("Practice, last 14 days  ", style="bold")
        text.append(g.day_bars(days))
        week = sum(days[-7:])
        count = len(practices)
        text.append(f"  {week:.0f} min this week, {count} practice{'s' * (count != 1)} in all")
        change = g.calm_change(practices)
        if change is not None:
            avg, n = change
            text.append(
                f"\nCalm before → after: {avg:+.1f} on average ({n} practice{'s' * (n != 1)})"
            )
        if practices:
            last = practices[-1]
            when = last.started_at.astimezone(self.ctx.zone)
            name = self.patterns.get(last.pattern)
            label = name.name if name else last.pattern
            end = "finished" if last.finished else "stopped early"
            text.append(
                f"\nLast: {when:%a %d %b %H:%M}  {label}, {last.seconds / 60:.0f} min, {end}"
            )
        self.query_one("#log", Static).update(text)

    def _remember(self, **values: object) -> None:
        """Save the choice at once (with the exercise it was made for)."""
        self.choice.update(values, pattern=self.pattern.id)
        set_settings(self.ctx.store, grounding_last=self.choice)
        self._show_options()

    @on(OptionList.OptionHighlighted, "#patterns")
    @calmly
    def _highlighted(self) -> None:
        self._show_options()

    @on(OptionList.OptionSelected, "#patterns")
    @calmly
    def _selected(self) -> None:
        self.action_start()

    # -- actions ----------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        choosing = not self.running and not self.finished
        if action in (
            "start",
            "longer",
            "shorter",
            "unit",
            "holds",
            "lengthen",
            "bell",
            "wait",
            "pace",
            "speech",
        ):
            return choosing
        if action == "pause":
            return self.running
        if action == "next_step":
            return self.running and self.pacer is not None and self.pacer.plan.pattern.is_steps
        if action == "stop":
            return self.running
        if action == "skip":
            return self.finished
        return True

    def _refresh_keys(self) -> None:
        self.refresh_bindings()

    @calmly
    def action_start(self) -> None:
        if self.running or self.finished:
            return
        plan = self.plan()
        calm_before = _calm(self.query_one("#calm-before", Input).value)
        self._remember()
        self.practice_id = self.ctx.store.add_practice(
            plan.pattern.id, self.ctx.clock(), 0.0, False, calm_before=calm_before
        )
        self.timer = g.Timer(self.ctx.monotonic)
        self.pacer = Pacer(
            plan,
            self.timer,
            bell=bool(self.choice.get("bell")),
            manual_steps=bool(self.choice.get("manual")),
            speaker=self._speaker(plan),
            id="pacer",
        )
        self.running, self.finished = True, False
        self.query_one("#choose").display = False
        run = self.query_one("#run")
        run.display = True
        box = self.query_one("#pacer-box", Center)
        box.remove_children()
        box.mount(self.pacer)
        note = g.LIGHTHEADED_WARNING if not plan.pattern.is_steps else plan.pattern.description
        self.query_one("#run-note", Static).update(Text(note))
        self.query_one("#calm-after").display = False
        self.timer.start()
        self.set_focus(None)
        self._refresh_keys()

    @calmly
    def action_pause(self) -> None:
        if not self.running or self.timer is None or self.pacer is None:
            return
        if self.timer.running:
            self.timer.pause()
            self._save(finished=False)
        else:
            self.timer.resume()
        self.pacer.frame = None  # redraw the "paused" note
        self.pacer.sync()

    @calmly
    def action_next_step(self) -> None:
        if self.running and self.pacer is not None:
            self.pacer.next_step()

    @calmly
    def action_stop(self) -> None:
        if self.running:
            self._end(finished=False)

    @calmly
    def action_skip(self) -> None:
        if self.finished:
            self._back_to_choosing()

    @calmly
    def action_longer(self) -> None:
        self._step_length(+1)

    @calmly
    def action_shorter(self) -> None:
        self._step_length(-1)

    def _step_length(self, direction: int) -> None:
        unit = self._unit()
        choices = CYCLES if unit == "cycles" else MINUTES
        current = self._length()
        if direction > 0:
            bigger = [c for c in choices if c > current]
            value = bigger[0] if bigger else choices[-1]
        else:
            smaller = [c for c in choices if c < current]
            value = smaller[-1] if smaller else choices[0]
        self._remember(**{f"length-{unit}": value})

    @calmly
    def action_unit(self) -> None:
        self._remember(unit="minutes" if self._unit() == "cycles" else "cycles")

    @calmly
    def action_holds(self) -> None:
        self._remember(no_holds=not self.choice.get("no_holds"))

    @calmly
    def action_lengthen(self) -> None:
        self._remember(lengthen=not self.choice.get("lengthen"))

    @calmly
    def action_bell(self) -> None:
        self._remember(bell=not self.choice.get("bell"))

    @calmly
    def action_speech(self) -> None:
        on = not load_settings(self.ctx.store).spoken_cues
        set_settings(self.ctx.store, spoken_cues=on)
        self._show_options()
        problem = Speaker().problem if on else None
        if problem:
            self.notify(problem, timeout=10)

    def _speaker(self, plan: g.Exercise) -> Speaker | None:
        """A speaker for this exercise when spoken cues are on (breathing only)."""
        if plan.pattern.is_steps or not load_settings(self.ctx.store).spoken_cues:
            return None
        return Speaker(on_problem=lambda said: self.notify(said, timeout=10))

    @calmly
    def action_pace(self) -> None:
        rates = [None, *RATES]
        current = self.choice.get("rate")
        index = rates.index(current) if current in rates else 0
        self._remember(rate=rates[(index + 1) % len(rates)])

    @calmly
    def action_wait(self) -> None:
        self._remember(manual=not self.choice.get("manual"))

    # -- running ----------------------------------------------------------------------------

    @on(Pacer.Finished)
    @calmly
    def _pacer_finished(self) -> None:
        if self.running:
            self._end(finished=True)

    def _save(self, *, finished: bool) -> None:
        if self.practice_id is not None and self.timer is not None:
            self.ctx.store.update_practice(
                self.practice_id, seconds=round(self.timer.active(), 1), finished=finished
            )

    def _end(self, *, finished: bool) -> None:
        assert self.timer is not None
        self.timer.pause()
        self._save(finished=finished)
        self.running, self.finished = False, True
        if self.pacer is not None:
            self.pacer.on_hide()
        seconds = self.timer.active()
        length = g.practised(seconds)
        said = "Well done." if finished else "Stopped. That counts too."
        self.query_one("#run-note", Static).update(
            Text(f"{said} {length} practised. How calm do you feel now?")
        )
        after = self.query_one("#calm-after", Input)
        after.display = True
        after.value = ""
        after.focus()
        self._refresh_keys()

    @on(Input.Submitted, "#calm-after")
    @calmly
    def _calm_after(self, event: Input.Submitted) -> None:
        value = _calm(event.value)
        if event.value.strip() and value is None:
            self.notify("Please type a number from 0 to 10, or press Esc to skip.")
            return
        if value is not None and self.practice_id is not None:
            self.ctx.store.update_practice(self.practice_id, calm_after=value)
        self._back_to_choosing()

    @on(Input.Submitted, "#calm-before")
    @calmly
    def _calm_before(self, event: Input.Submitted) -> None:
        if event.value.strip() and _calm(event.value) is None:
            self.notify("Please type a number from 0 to 10, or leave it empty.")
            return
        self.action_start()

    def _back_to_choosing(self) -> None:
        self.running = self.finished = False
        self.practice_id = None
        if self.pacer is not None:
            self.pacer.remove()
            self.pacer = None
        self.query_one("#run").display = False
        self.query_one("#choose").display = True
        self.query_one("#calm-before", Input).value = ""
        self.query_one("#patterns", OptionList).focus()
        self._show_log()
        self._refresh_keys()

    def cursor_offset(self) -> Offset | None:
        """With nothing focused while an exercise runs, the cursor sits on the pacer's word
        (`kapprep.ui.cursor`): a braille display shows "Breathe in", "Hold", "Breathe out"."""
        return self.pacer.word_offset() if self.running and self.pacer is not None else None

    def on_screen_suspend(self) -> None:
        """Another screen covers this one: pause, so the exercise waits exactly where it was."""
        if self.running and self.timer is not None and self.timer.running:
            self.action_pause()

    def on_unmount(self) -> None:
        if self.running:
            self._save(finished=False)


def _calm(raw: str) -> int | None:
    raw = raw.strip()
    if not (raw.isascii() and raw.isdigit()):
        return None
    value = int(raw)
    return value if 0 <= value <= 10 else None
