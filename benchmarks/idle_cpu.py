#!/usr/bin/env python3
"""CPU used while idle on the home screen (countdown live), against a minimal Textual app.

Both run at the same time in a private tmux server at 80×24; after the first frame and a short
settle, the CPU time each process uses over the window (default 30 s) is read from /proc. Prints
both and the ratio (the target is ≤ 2). Linux only; run with the project's venv python:

    .venv/bin/python benchmarks/idle_cpu.py [--seconds 30] [--runs 1]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _tmux import Tmux, kapprep_command, minimal_command, seeded_data_dir, wait_until

TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime + stime


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args()
    data = seeded_data_dir()
    ours, base = [], []
    for run in range(args.runs):
        tmux = Tmux()
        try:
            pa = tmux.start(f"a{run}", kapprep_command(data))
            pb = tmux.start(f"b{run}", minimal_command())
            wait_until(lambda t=tmux, r=run: "Next session" in t.screen(f"a{r}"))
            wait_until(lambda t=tmux, r=run: "ready" in t.screen(f"b{r}"))
            time.sleep(2.0)
            a0, b0 = cpu_seconds(pa), cpu_seconds(pb)
            time.sleep(args.seconds)
            ours.append(cpu_seconds(pa) - a0)
            base.append(cpu_seconds(pb) - b0)
        finally:
            tmux.kill()
    a, b = statistics.median(ours), statistics.median(base)
    print(
        f"kapprep idle CPU over {args.seconds:.0f} s : {a * 1000:6.0f} ms ({a / args.seconds:.2%})"
    )
    print(
        f"minimal app idle CPU over {args.seconds:.0f} s: {b * 1000:6.0f} ms ({b / args.seconds:.2%})"
    )
    if b > 0:
        print(f"ratio kapprep/minimal: {a / b:.2f} (target ≤ 2.00; runs {args.runs})")
    else:
        print("the minimal app used no measurable CPU; ratio undefined")
    return 0


if __name__ == "__main__":
    sys.exit(main())
