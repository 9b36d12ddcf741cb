"""The one "now" that every front end reads: the app, every command and the briefing.

Nothing else in kapprep asks the wall clock what time it is, so a test (or a demonstration) can set
the time for all of them in one place:

- in-process, `freeze(when)` (a context manager; tests use the `frozen_now` fixture), or
- for a separate process (the end-to-end tests drive the installed `kapprep` in tmux), the
  environment variable `KAPPREP_NOW` holding an ISO 8601 time with its offset, such as
  `2026-12-01T10:00:00+00:00`. A value kapprep cannot read is ignored: the real time is used.

Only "now" is set this way. Elapsed time (the breathing pacer, timeouts) uses `time.monotonic`,
which is injected separately, and names that must be unique (backup and crash-report files) keep
the real time.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta

TYPE_CHECKING = False  # not `from typing import ...`: this module is imported before the app
if TYPE_CHECKING:
    from datetime import tzinfo

ENV = "KAPPREP_NOW"

_frozen: list[freeze] = []


def _from_env() -> datetime | None:
    text = os.environ.get(ENV, "").strip()
    if not text:
        return None
    try:
        when = datetime.fromisoformat(text)
    except ValueError:
        return None
    return when if when.tzinfo is not None else None


def now(tz: tzinfo | None = None) -> datetime:
    """The current time, aware: in `tz` when given, else in UTC."""
    when = _frozen[-1].when if _frozen else _from_env()
    if when is None:
        return datetime.now(tz or UTC)
    return when.astimezone(tz or UTC)


class freeze:
    """Within the block, `now()` is `when` (an aware datetime) for every front end, until the
    block moves it on with `frozen.advance(...)`."""

    def __init__(self, when: datetime) -> None:
        if when.tzinfo is None:
            raise ValueError("clock.freeze needs an aware datetime (with a zone or offset)")
        self.when = when

    def advance(self, by: timedelta) -> datetime:
        """Move on by `by` of real (elapsed) time, also across a change of the clocks: an aware
        datetime's own `+` would add wall-clock time in its zone."""
        self.when = (self.when.astimezone(UTC) + by).astimezone(self.when.tzinfo)
        return self.when

    def __enter__(self) -> freeze:
        _frozen.append(self)
        return self

    def __exit__(self, *exc: object) -> None:
        _frozen.remove(self)


# --------------------------------------------------------------------------------------------
# Elapsed time: waiting for the next phase of a line-by-line exercise


class run_fast:
    """Within the block, `wait` returns at once and moves the elapsed clock (`monotonic`) on by
    what it would have waited, and a frozen `now` with it: a two-minute exercise runs in an
    instant, and what it logs is as if it had taken two minutes.

    Only code can start it (a test, or a test's `sitecustomize` in a process it starts): kapprep
    reads no option, variable or file that turns it on, so a patient can never hit it.
    """

    def __init__(self) -> None:
        self.elapsed = 0.0

    def __enter__(self) -> run_fast:
        _fast.append(self)
        return self

    def __exit__(self, *exc: object) -> None:
        _fast.remove(self)


_fast: list[run_fast] = []


def monotonic() -> float:
    """Seconds that only move forwards (`time.monotonic`), or the fast clock's inside `run_fast`."""
    if _fast:
        return _fast[-1].elapsed
    import time

    return time.monotonic()


def wait(seconds: float, fd: int | None = None) -> bool:
    """Wait `seconds`, or until `fd` has something to read: True when it has. Inside
    `run_fast`, only looks at `fd` (without waiting) and moves the clocks on."""
    import select

    seconds = max(0.0, seconds)
    if _fast:
        if fd is not None and select.select([fd], [], [], 0)[0]:
            return True
        _fast[-1].elapsed += seconds
        if _frozen:
            _frozen[-1].advance(timedelta(seconds=seconds))
        return False
    if fd is None:
        import time

        time.sleep(seconds)
        return False
    return bool(select.select([fd], [], [], seconds)[0])
