#!/usr/bin/env python3
"""Time from launch to first frame of kapprep's home screen, against a minimal Textual app.

Both run in a private tmux server at 80×24, alternately (A B A B …), each started with `exec`;
the pane is polled with `capture-pane` until the content marker is on screen, then until the
Footer's marker is too (the whole first screen), and for kapprep until what the checklists give
(the due list, whose "Due next" heading is the marker; progress can sit below the fold). Home
draws all three in its first frame; the minimal app's Footer keys come a frame after its
content, as in any Textual app. Prints medians and the ratios kapprep / minimal (the target is
≤ 1.3). The machine should be otherwise idle: other work on it spreads the figures widely. Needs tmux; run with the project's venv python:

    .venv/bin/python benchmarks/first_frame.py [-n RUNS] [--sessions N]

`--sessions 200` gives kapprep a data folder with 200 sessions (199 past, with ticks and journal
answers): the home screen must not slow down as a series grows.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _tmux import Tmux, kapprep_command, minimal_command, seeded_data_dir, wait_until


def one(tmux: Tmux, name: str, command: list[str], markers: Sequence[str]) -> list[float]:
    """Seconds until each marker is on screen (all of them checked on every poll)."""
    t0 = time.monotonic()
    tmux.start(name, command)
    seen_at: dict[str, float] = {}

    def seen() -> bool:
        screen = tmux.screen(name)
        now = time.monotonic() - t0
        for marker in markers:
            if marker not in seen_at and marker in screen:
                seen_at[marker] = now
        return len(seen_at) == len(markers)

    wait_until(seen)
    tmux.stop(name)
    time.sleep(0.3)
    return [seen_at[m] for m in markers]


def report(label: str, ours: list[float], base: list[float]) -> None:
    ratios = [a / b for a, b in zip(ours, base, strict=True)]
    print(
        f"{label:<26} kapprep {statistics.median(ours) * 1000:4.0f} ms   minimal "
        f"{statistics.median(base) * 1000:4.0f} ms   ratio median {statistics.median(ratios):.2f} "
        f"(min {min(ratios):.2f}, max {max(ratios):.2f})"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", "--runs", type=int, default=10)
    parser.add_argument("--sessions", type=int, default=1, help="sessions in the data folder")
    args = parser.parse_args()
    data = seeded_data_dir(sessions=args.sessions)
    load_before = os.getloadavg()[0]
    tmux = Tmux()
    tmux.run("new-session", "-d", "-s", "keepalive", "sleep 3600")
    ours: list[tuple[float, float]] = []
    base: list[tuple[float, float]] = []
    try:
        for i in range(args.runs + 1):  # the first pair warms the disk cache
            a = one(tmux, f"a{i}", kapprep_command(data), ("Next session", "Crisis", "Due next"))
            b = one(tmux, f"b{i}", minimal_command(), ("ready", "palette"))
            if i:
                ours.append(a)
                base.append(b)
    finally:
        tmux.kill()
    print(
        f"80x24 in tmux, {args.runs} pairs, {args.sessions} session(s) in the data folder, "
        "polled with capture-pane; target ratio <= 1.30"
    )
    # Other work on the machine widens the spread: say how busy it was.
    print(f"load average (1 min) {load_before:.2f} before, {os.getloadavg()[0]:.2f} after")
    report("content on screen", [a[0] for a in ours], [b[0] for b in base])
    report("whole screen (+ footer)", [max(a[:2]) for a in ours], [max(b) for b in base])
    # The home screen's due list needs the checklists (from their cache); this is the time
    # until what they give (what is due, progress) is on screen too, against the same baseline.
    report("home complete (+ due)", [max(a) for a in ours], [max(b) for b in base])
    return 0


if __name__ == "__main__":
    sys.exit(main())
