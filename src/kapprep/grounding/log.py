"""The practice log, summed up: minutes a day, the change in calm, a small chart of the days."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta, tzinfo
from typing import Protocol

# --------------------------------------------------------------------------------------------
# The practice log, summed up


class PracticeLike(Protocol):
    """What the summaries read from a logged practice (`kapprep.store.Practice` fits)."""

    @property
    def started_at(self) -> datetime: ...
    @property
    def seconds(self) -> float: ...
    @property
    def calm_before(self) -> int | None: ...
    @property
    def calm_after(self) -> int | None: ...


def minutes_per_day(
    practices: Iterable[PracticeLike], today: date, zone: tzinfo, days: int = 14
) -> list[float]:
    """Minutes practised on each of the last `days` days in `zone`, oldest first, today last."""
    first = today - timedelta(days=days - 1)
    out = [0.0] * days
    for practice in practices:
        day = practice.started_at.astimezone(zone).date()
        if first <= day <= today:
            out[(day - first).days] += practice.seconds / 60
    return out


def calm_change(practices: Iterable[PracticeLike]) -> tuple[float, int] | None:
    """The average change from "calm before" to "calm after", and over how many practices."""
    pairs = [
        (p.calm_after - p.calm_before)
        for p in practices
        if p.calm_before is not None and p.calm_after is not None
    ]
    if not pairs:
        return None
    return math.fsum(pairs) / len(pairs), len(pairs)


_SPARK = " ▁▂▃▄▅▆▇█"


def day_bars(values: Sequence[float]) -> str:
    """One character per value, scaled to the largest; a day with no practice is a blank."""
    top = max(values, default=0.0)
    if top <= 0:
        return "·" * len(values)
    chars = []
    for value in values:
        if value <= 0:
            chars.append("·")
        else:
            chars.append(_SPARK[max(1, min(8, math.ceil(value / top * 8)))])
    return "".join(chars)


def practised(seconds: float) -> str:
    """How long someone practised, in calm words: "40 seconds", "3 min" (the app and the CLI)."""
    return f"{seconds / 60:.0f} min" if seconds >= 90 else f"{seconds:.0f} seconds"
