#!/usr/bin/env python3
"""Time from launch to first frame of kapprep's home screen, against a minimal Textual app.

Both run in a private tmux server at 80×24, alternately (A B A B …), each started with `exec`;
the pane is polled with `capture-pane` until the marker text is on screen. Prints medians and the
ratio kapprep / minimal (the target is ≤ 1.3). Needs tmux; run with the project's venv python:

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


def one(tmux: Tmux, name: str, command: list[str], markers: tuple[str, ...]) -> float:
    t0 = time.monotonic()
    tmux.start(name, command)
    started = time.monotonic() - t0  # tmux's own start-up, subtracted below
    elapsed = wait_until(lambda: all(m in tmux.screen(name) for m in markers))
    tmux.stop(name)
    time.sleep(0.3)
    return elapsed + started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", "--runs", type=int, default=10)
    args = parser.parse_args()
    data = seeded_data_dir()
    tmux = Tmux()
    tmux.run("new-session", "-d", "-s", "keepalive", "sleep 3600")
    ours, base = [], []
    try:
        for i in range(args.runs + 1):  # the first pair warms the disk cache
            a = one(tmux, f"a{i}", kapprep_command(data), ("Next session", "Crisis"))
            b = one(tmux, f"b{i}", minimal_command(), ("ready", "palette"))
            if i:
                ours.append(a)
                base.append(b)
    finally:
        tmux.kill()
    ratios = [a / b for a, b in zip(ours, base, strict=True)]
    print(f"kapprep first frame : median {statistics.median(ours) * 1000:6.0f} ms")
    print(f"minimal Textual app : median {statistics.median(base) * 1000:6.0f} ms")
    print(
        f"ratio kapprep/minimal: median {statistics.median(ratios):.2f} "
        f"(min {min(ratios):.2f}, max {max(ratios):.2f}, pairs {len(ratios)}; target ≤ 1.30)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
