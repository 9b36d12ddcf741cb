#!/usr/bin/env python3
"""Time from launch to first frame of kapprep's home screen, against a minimal Textual app.

Both run in a private tmux server at 80×24, alternately (A B A B …), each started with `exec`;
the pane is polled with `capture-pane` until the content marker is on screen, then until the
Footer's marker is too (the whole first screen). Prints medians and the ratios kapprep / minimal
(the target is ≤ 1.3). Needs tmux; run with the project's venv python:

    .venv/bin/python benchmarks/first_frame.py [-n RUNS]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _tmux import Tmux, kapprep_command, minimal_command, seeded_data_dir, wait_until


def one(
    tmux: Tmux, name: str, command: list[str], content: str, footer: str
) -> tuple[float, float]:
    """Seconds until the content marker shows, and until the footer's marker shows too."""
    t0 = time.monotonic()
    tmux.start(name, command)
    first = 0.0

    def seen() -> bool:
        nonlocal first
        screen = tmux.screen(name)
        if not first and content in screen:
            first = time.monotonic() - t0
        return bool(first) and footer in screen

    wait_until(seen)
    full = time.monotonic() - t0
    tmux.stop(name)
    time.sleep(0.3)
    return first, full


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
    args = parser.parse_args()
    data = seeded_data_dir()
    tmux = Tmux()
    tmux.run("new-session", "-d", "-s", "keepalive", "sleep 3600")
    ours: list[tuple[float, float]] = []
    base: list[tuple[float, float]] = []
    try:
        for i in range(args.runs + 1):  # the first pair warms the disk cache
            a = one(tmux, f"a{i}", kapprep_command(data), "Next session", "Crisis")
            b = one(tmux, f"b{i}", minimal_command(), "ready", "palette")
            if i:
                ours.append(a)
                base.append(b)
    finally:
        tmux.kill()
    print(f"80x24 in tmux, {args.runs} pairs, polled with capture-pane; target ratio <= 1.30")
    report("content on screen", [a for a, _ in ours], [b for b, _ in base])
    report("whole screen (+ footer)", [a for _, a in ours], [b for _, b in base])
    return 0


if __name__ == "__main__":
    sys.exit(main())
