"""A live countdown to a moment: "in 7 d 22 h", repainted only when its text changes."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from textual.message import Message
from textual.widgets import Static

from kapprep.whentext import humanize


class Countdown(Static):
    """Counts down to `target`, checking once a second and repainting only on a change.

    Posts `Countdown.Minute` when the minute of the clock changes, so the screen can refresh
    what is due (once a minute, not once a second). Nothing is repainted while its screen is hidden.
    """

    class Minute(Message):
        """The clock moved to a new minute."""

    def __init__(
        self,
        clock: Callable[[], datetime],
        target: datetime | None = None,
        *,
        prefix: str = "",
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__("", id=id, classes=classes)
        self._clock = clock
        self._target = target
        self._prefix = prefix
        self._text = ""
        self._minute: tuple[int, int] | None = None

    def on_mount(self) -> None:
        self._tick()
        self.set_interval(1.0, self._tick)

    def set_target(self, target: datetime | None, prefix: str = "") -> None:
        self._target, self._prefix = target, prefix
        self._tick()

    def text_for(self, now: datetime) -> str:
        if self._target is None:
            return ""
        return f"{self._prefix}{humanize(self._target, now)}"

    def _tick(self) -> None:
        if not self.screen.is_current:
            return  # hidden under another screen: nothing to repaint
        now = self._clock()
        text = self.text_for(now)
        if text != self._text:
            self._text = text
            self.update(text)
        minute = (now.hour, now.minute)
        if self._minute is not None and minute != self._minute:
            self.post_message(self.Minute())
        self._minute = minute
