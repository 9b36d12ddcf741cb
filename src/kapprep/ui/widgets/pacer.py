"""The breathing pacer: one widget that draws the whole exercise and repaints only what changes.

What is drawn comes from `kapprep.grounding.frame_at`, a pure function of the elapsed exercise time,
which also says when the drawing next changes. The widget sets one timer to that moment (not a
steady frame rate), and then repaints only the rows whose text changed: a growing bar changes one
row-band of three lines, the count one line. During holds nothing moves, so nothing is repainted
but the count, once a second. Hidden, it sets no timers at all.

With reduced motion (or `App.animation_level == "none"`) only the words and the count are drawn,
updated at most once a second. For eyes closed, each breath phase can start with a cue you hear
(`kapprep.speech.sound_cue`): the spoken word where it fits and spoken cues are on, else the
bell, once for the in-breath and twice for the out-breath.
"""

from __future__ import annotations

import asyncio
import math
import textwrap
from collections.abc import Callable
from typing import ClassVar

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual.geometry import Offset, Region
from textual.message import Message
from textual.reactive import reactive
from textual.strip import Strip
from textual.widget import Widget

from kapprep.grounding import Exercise, Frame, Timer, frame_at, render_bar
from kapprep.speech import PhaseCues, Speaker

HEIGHT = 9
_BAR_ROWS = (4, 5, 6)
_MAX_BAR = 48


class Pacer(Widget, can_focus=False):
    """Draws one exercise (an `Exercise`) timed by a `kapprep.grounding.Timer`."""

    DEFAULT_CSS = """
    Pacer {
        height: 9;
        width: 1fr;
    }
    Pacer > .pacer--word { text-style: bold; }
    Pacer > .pacer--count { color: $text-muted; }
    Pacer > .pacer--bar { color: $accent; }
    Pacer > .pacer--track { color: $panel-lighten-2; }
    Pacer > .pacer--left { color: $text-muted; }
    """
    """Sizes and colours; the screen's .tcss may override them."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "pacer--word",
        "pacer--count",
        "pacer--bar",
        "pacer--track",
        "pacer--left",
    }

    reduced_motion: reactive[bool] = reactive(False, init=False)
    """Only words and the count, once a second (also when the app's animation level is "none")."""
    bell: reactive[bool] = reactive(False, init=False)
    """Ring the terminal bell at each in-breath (once) and out-breath (twice)."""

    class Finished(Message):
        """The exercise ran to its end."""

    def __init__(
        self,
        plan: Exercise,
        timer: Timer,
        *,
        reduced_motion: bool = False,
        bell: bool = False,
        manual_steps: bool = False,
        speaker: Speaker | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.plan = plan
        self.timer = timer
        self.manual_steps = manual_steps and plan.pattern.is_steps
        self.set_reactive(Pacer.reduced_motion, reduced_motion)
        self.set_reactive(Pacer.bell, bell)
        self.speaker = speaker
        """Says each breath phase's word (spoken cues on); None: the bell only, if on."""
        self.cues = PhaseCues(plan, speaker=speaker, bell=bell, ring=self._ring)
        self.frame: Frame | None = None
        self._lines: list[tuple[str, str]] = [("", "")] * HEIGHT
        self._wake: asyncio.TimerHandle | None = None
        self._finished_sent = False
        self._styles: dict[str, Style] | None = None
        self._width = 0
        """The content width, kept from the last resize (`size` is costly to ask every frame)."""
        self._strips: dict[tuple[str, str, int], Strip] = {}
        self.on_paint: Callable[[Frame, list[int]], None] | None = None
        """Called with the frame and the rows repainted (for the benchmark and tests)."""
        if self.manual_steps:
            self.timer.hold_at(math.nextafter(self._step_end(0), 0.0))

    # -- public ------------------------------------------------------------------------------

    @property
    def motion(self) -> bool:
        return not self.reduced_motion and self.app.animation_level != "none"

    @property
    def bar_width(self) -> int:
        return max(4, min(_MAX_BAR, self._width - 6))

    def sync(self) -> None:
        """Redraw what changed now, and wake again when the drawing next changes."""
        if self._wake is not None:
            self._wake.cancel()
            self._wake = None
        elapsed = self.timer.elapsed()
        levels = self.bar_width * 8 if self.motion else 0
        frame, next_change = frame_at(
            self.plan, elapsed, levels=levels, reduced_motion=not self.motion
        )
        previous, self.frame = self.frame, frame
        if frame != previous:
            self._paint(frame)
        self.cues.bell = self.bell
        self.cues.frame_drawn(frame, elapsed, running=self.timer.running)
        if frame.done:
            if not self._finished_sent:
                self._finished_sent = True
                self.post_message(self.Finished())
            return
        if not self.display or not self.is_attached:
            return
        delay = self.timer.seconds_until(next_change)
        if math.isinf(delay):
            return  # paused, or a grounding step waiting for the user's key
        if delay <= 0:
            self.call_later(self.sync)  # set_timer(0) raises in Textual 8.2.8
        else:
            # One event-loop callback at the moment the drawing changes: cheaper per frame than
            # a Textual Timer (a task and an event each), and exact to the loop's clock.
            loop = asyncio.get_running_loop()
            self._wake = loop.call_at(loop.time() + delay, self._wake_up)

    def _wake_up(self) -> None:
        self._wake = None
        try:
            self.sync()
        except Exception as error:  # pragma: no cover - handed to Textual like a timer's error
            self.app._handle_exception(error)

    def word_offset(self) -> Offset | None:
        """Where on the screen the phase's word starts ("Breathe in"; a step's first line), so a
        braille display following the cursor reads it; None before the first frame."""
        text = self._lines[1][0]
        if not text or not self.is_mounted:
            return None
        region = self.content_region
        left = max(0, (self._width - cell_len(text)) // 2)
        return Offset(region.x + left, region.y + 1)

    def next_step(self) -> None:
        """Go on to the next grounding step now (the user's key)."""
        if not self.plan.pattern.is_steps:
            return
        n = self._step_index()
        self.timer.jump_to(self._step_end(n))
        if self.manual_steps:
            # Just short of the next step's end: it waits there for the key, drawn as itself.
            self.timer.hold_at(math.nextafter(self._step_end(n + 1), 0.0))
        self.sync()

    # -- drawing ----------------------------------------------------------------------------

    def _step_index(self) -> int:
        from kapprep.grounding import phase_at

        state = phase_at(self.plan.pattern, self.timer.elapsed(), self.plan.lengthen)
        return state.cycle * len(self.plan.pattern.phases) + state.index

    def _step_end(self, n: int) -> float:
        """Elapsed seconds at which overall step `n` (counting across rounds) ends."""
        phases = self.plan.pattern.phases
        cycle, index = divmod(n, len(phases))
        return cycle * self.plan.pattern.cycle_seconds + math.fsum(
            p.seconds for p in phases[: index + 1]
        )

    def _compose_lines(self, frame: Frame) -> list[tuple[str, str]]:
        lines: list[tuple[str, str]] = [("", "")] * HEIGHT
        width = self._width
        paused = "" if self.timer.running or frame.done else "  ·  paused"
        lines[8] = (frame.left + paused, "pacer--left")
        if frame.kind == "step":
            wrapped = textwrap.wrap(frame.word, max(10, min(width - 4, 60)))[:3]
            for n, text in enumerate(wrapped):
                lines[1 + n] = (text, "pacer--word")
            if self.manual_steps:
                lines[5] = ("Press n when you are ready for the next step", "pacer--count")
            return lines
        lines[1] = (frame.word, "pacer--word")
        if not frame.done:
            lines[2] = (str(frame.count), "pacer--count")
        if self.motion and not frame.done:
            bar = render_bar(frame.level, self.bar_width)
            for row in _BAR_ROWS:
                lines[row] = (bar, "pacer--bar")
        return lines

    def _paint(self, frame: Frame) -> None:
        lines = self._compose_lines(frame)
        changed = [y for y in range(HEIGHT) if lines[y] != self._lines[y]]
        self._lines = lines
        # One region per run of changed rows (the bar's three rows are one).
        start = 0
        for i, y in enumerate(changed):
            if i + 1 == len(changed) or changed[i + 1] != y + 1:
                first = changed[start]
                self.refresh(Region(0, first, self._width, y - first + 1))
                start = i + 1
        if self.on_paint is not None:
            self.on_paint(frame, changed)

    def _style(self, component: str) -> Style:
        """The base style plus a component's, cached until the CSS or theme changes."""
        if self._styles is None:
            base = self.rich_style
            self._styles = {"": base}
            for name in self.COMPONENT_CLASSES:
                self._styles[name] = base + self.get_component_rich_style(name)
        return self._styles[component]

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles = None
        self._strips.clear()

    def render_line(self, y: int) -> Strip:
        width = self._width
        text, component = self._lines[y] if y < HEIGHT else ("", "")
        key = (text, component, width)
        strip = self._strips.get(key)
        if strip is None:
            if len(self._strips) > 16:
                self._strips.clear()
            strip = self._strips[key] = self._make_strip(text, component, width)
        return strip

    def _make_strip(self, text: str, component: str, width: int) -> Strip:
        base = self._style("")
        if not text or width <= 0:
            return Strip.blank(width, base)
        style = self._style(component)
        if component == "pacer--bar":
            filled = text.rstrip(" ")
            track = self._style("pacer--track")
            left = (width - len(text) - 2) // 2
            segments = [
                Segment(" " * left, base),
                Segment("▕", track),
                Segment(filled, style),
                Segment(" " * (len(text) - len(filled)), base),
                Segment("▏", track),
            ]
            return Strip(segments).adjust_cell_length(width, base)
        text = text if cell_len(text) <= width else text[: max(0, width - 1)] + "…"
        left = (width - cell_len(text)) // 2
        segments = [Segment(" " * left, base), Segment(text, style)]
        return Strip(segments).adjust_cell_length(width, base)

    def _ring(self, times: int) -> None:
        for n in range(times):
            if n == 0:
                self.app.bell()
            else:
                self.set_timer(0.35 * n, self.app.bell)

    # -- events -----------------------------------------------------------------------------

    def on_mount(self) -> None:
        self.call_after_refresh(self.sync)

    def on_resize(self) -> None:
        self._width = self.size.width
        self._lines = [("", "")] * HEIGHT
        self.frame = None
        self.refresh()
        self.sync()

    def on_show(self) -> None:
        self.sync()

    def on_hide(self) -> None:
        """Hidden: no wake-ups at all (the exercise's own timer is the screen's business)."""
        if self._wake is not None:
            self._wake.cancel()
            self._wake = None

    def on_unmount(self) -> None:
        self.on_hide()
        self.cues.close()

    def watch_reduced_motion(self) -> None:
        self.frame = None
        self.sync()
