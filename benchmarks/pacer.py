"""Benchmark: the pacer's smoothness, exactness and CPU against a naive 30 fps pacer, same run.

    .venv/bin/python benchmarks/pacer.py                 # two minutes per variant
    .venv/bin/python benchmarks/pacer.py --seconds 60    # shorter
    .venv/bin/python benchmarks/pacer.py --only pacer --seconds 600   # ten minutes, one variant

Each variant runs in its own process on its own pseudo-terminal (80×24, output drained by this
process, as a terminal would), and reports from inside the window it measures:
- frame interval p50 / p99: time between two drawings of the moving shape, during in- and
  out-breaths (the pacer aims at one step every 40 ms);
- the longest gap between two moves of the shape during an in- or out-breath;
- the largest phase-boundary error: when the new phase word was actually drawn, against where the
  pattern puts the boundary;
- CPU seconds per minute of the process (all threads) over the window.

Variants: `naive` (a minimal Textual app repainting one Static of the pacer's size from
`set_interval(1/30)`), `idle` (a Textual app drawing nothing), `pacer` (kapprep's Pacer widget),
`reduced` (the Pacer with reduced motion), `inline` (`kapprep breathe`'s plain-ANSI pacer) and
`inline-rich` (the same frames drawn with Rich Live, to compare). Figures are printed as ratios to
the naive pacer measured in the same run. Needs only the kapprep venv (not /work/shared).

Measured on the 2-core build machine (shared, load ~0.7), 120 s per variant: naive 5.17 CPU s/min;
pacer 2.09 (0.405 x naive), p50 44.8 ms, p99 46.8 ms, longest gap 57.6 ms, boundary error at most
29 ms; reduced motion 0.18 (0.034 x); idle app 0.08; inline ANSI 0.43 (0.083 x), boundary error
0.7 ms; inline Rich Live 1.13 (0.218 x). Ten minutes of the pacer alone: boundary error at most
28 ms (under one 45 ms frame), p99 48.4 ms.
"""

from __future__ import annotations

import argparse
import fcntl
import json
import os
import pty
import select
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from pathlib import Path
from typing import Any

PATTERN = "exhale"
"""The default pattern, 4 s in and 6 s out with no holds: the shape is always moving (worst case)."""
FRAME = 0.04
VARIANTS = ("naive", "idle", "pacer", "reduced", "inline", "inline-rich")


# --------------------------------------------------------------------------------------------
# Measuring, inside a child


class Recorder:
    """Collects drawing times and turns them into the figures, relative to the exercise start."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.start = 0.0
        self.cpu0 = 0.0
        self.moves: list[float] = []
        """Monotonic times at which the shape was drawn at a new size."""
        self.words: list[tuple[float, int]] = []
        """(monotonic time, phase number since the start) when a new phase word was drawn."""

    def begin(self) -> None:
        self.start = time.monotonic()
        self.cpu0 = time.process_time()
        self.main0 = time.thread_time()

    def report(self, out: Path) -> None:
        from kapprep import grounding as g

        cpu = time.process_time() - self.cpu0
        wall = time.monotonic() - self.start
        pattern = g.BUILTIN[PATTERN]
        intervals: list[float] = []
        worst_gap = 0.0
        for a, b in zip(self.moves, self.moves[1:], strict=False):
            # Only pairs within one moving phase (a boundary restarts the shape's motion).
            sa = g.phase_at(pattern, a - self.start)
            sb = g.phase_at(pattern, b - self.start)
            if (sa.cycle, sa.index) == (sb.cycle, sb.index):
                intervals.append(b - a)
                worst_gap = max(worst_gap, b - a)
        errors = []
        for when, n in self.words:
            cycle, index = divmod(n, len(pattern.phases))
            boundary = g.cycle_start(pattern, cycle) + sum(
                p.seconds for p in pattern.phases[:index]
            )
            errors.append(when - self.start - boundary)
        data = {
            "cpu_per_min": cpu / wall * 60,
            "main_cpu_per_min": (time.thread_time() - self.main0) / wall * 60,
            "wall": wall,
            "moves": len(self.moves),
            "p50": _pct(intervals, 50),
            "p99": _pct(intervals, 99),
            "worst_gap": worst_gap,
            "boundaries": len(errors),
            "max_boundary_error": max((abs(e) for e in errors), default=None),
        }
        out.write_text(json.dumps(data))


def _pct(values: list[float], p: float) -> float | None:
    if not values:
        return None
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(p) - 1]


def _phase_number(elapsed: float) -> int:
    from kapprep import grounding as g

    pattern = g.BUILTIN[PATTERN]
    state = g.phase_at(pattern, elapsed)
    return state.cycle * len(pattern.phases) + state.index


def child_textual(mode: str, seconds: float, out: Path) -> None:
    from textual.app import App, ComposeResult
    from textual.widgets import Static

    from kapprep import grounding as g
    from kapprep.ui.widgets.pacer import Pacer

    rec = Recorder(seconds)
    plan = g.Exercise(g.BUILTIN[PATTERN], minutes=60)

    class Measured(Pacer):
        last_level = -1
        last_word = -1

        def render_line(self, y: int) -> Any:
            strip = super().render_line(y)
            frame = self.frame
            if frame is not None and rec.start and y in (1, 4):
                now = time.monotonic()
                n = _phase_number(self.timer.elapsed()) if y == 1 else -1
                if y == 1 and n != self.last_word:
                    self.last_word = n
                    rec.words.append((now, n))
                if y == 4 and frame.level != self.last_level:
                    self.last_level = frame.level
                    rec.moves.append(now)
            return strip

    class Naive(Static):
        """Repaints the same picture from a 30 fps interval, changed or not."""

        last_level = -1
        last_word = -1

        def on_mount(self) -> None:
            self.set_interval(1 / 30, self.tick)

        def tick(self) -> None:
            elapsed = time.monotonic() - rec.start
            state = g.phase_at(plan.pattern, elapsed)
            width = max(4, min(48, self.size.width - 6))
            level = round(state.size * width * 8)
            bar = "▕" + g.render_bar(level, width) + "▏"
            lines = ["", state.phase.word, str(int(elapsed - state.start) + 1), "", bar, bar, bar]
            lines += ["", plan.left_text(elapsed, state)]
            self.update("\n".join(line.center(self.size.width) for line in lines))
            now = time.monotonic()
            n = _phase_number(elapsed)
            if n != self.last_word:
                self.last_word = n
                rec.words.append((now, n))
            if level != self.last_level:
                self.last_level = level
                rec.moves.append(now)

    class Bench(App[None]):
        CSS = "Static, Pacer { height: 9; width: 1fr; } Screen { align: center middle; }"

        def compose(self) -> ComposeResult:
            rec.begin()
            if mode == "naive":
                yield Naive()
            elif mode in ("pacer", "reduced"):
                timer = g.Timer(time.monotonic)
                timer.start()
                yield Measured(plan, timer, reduced_motion=mode == "reduced")
            else:
                yield Static("")

        def on_mount(self) -> None:
            self.set_timer(seconds, self.exit)

    Bench().run()
    rec.report(out)


def child_inline(mode: str, seconds: float, out: Path) -> None:
    from kapprep import grounding as g
    from kapprep.cli.breathe_inline import Inline

    rec = Recorder(seconds)
    plan = g.Exercise(g.BUILTIN[PATTERN], minutes=seconds / 60)

    class Measured(Inline):
        last_level = -1
        last_word = -1

        def _render(self, lines: list[str], frame: g.Frame, previous: g.Frame | None) -> None:
            if mode == "inline-rich":
                self._rich(lines)
            else:
                super()._render(lines, frame, previous)
            now = time.monotonic()
            n = _phase_number(self.timer.elapsed())
            if n != self.last_word:
                self.last_word = n
                rec.words.append((now, n))
            if frame.level != self.last_level:
                self.last_level = frame.level
                rec.moves.append(now)

        live: Any = None

        def _rich(self, lines: list[str]) -> None:
            from rich.live import Live
            from rich.text import Text

            text = Text("\n".join(lines))
            if self.live is None:
                self.live = Live(text, auto_refresh=False, transient=False)
                self.live.start()
            self.live.update(text, refresh=True)

    runner = Measured(plan)
    rec.begin()
    runner.run()
    if runner.live is not None:
        runner.live.stop()
    rec.report(out)


# --------------------------------------------------------------------------------------------
# Running the children on pseudo-terminals


def run_variant(mode: str, seconds: float) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "result.json"
        master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
        env = {k: v for k, v in os.environ.items() if not k.startswith(("TEXTUAL", "NO_COLOR"))}
        env.update(TERM="xterm-256color", COLUMNS="80", LINES="24")
        proc = subprocess.Popen(
            [
                sys.executable,
                __file__,
                "--child",
                mode,
                "--seconds",
                str(seconds),
                "--out",
                str(out),
            ],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=env,
            start_new_session=True,
        )
        os.close(slave)
        received = 0
        while True:
            ready, _, _ = select.select([master], [], [], 0.5)
            if ready:
                try:
                    chunk = os.read(master, 65536)
                except OSError:
                    break
                if not chunk:
                    break
                received += len(chunk)
                if b"\x1b[6n" in chunk:  # a cursor-position query: answer as a terminal would
                    os.write(master, b"\x1b[1;1R")
            elif proc.poll() is not None:
                break
        proc.wait()
        os.close(master)
        if not out.exists():
            raise SystemExit(f"the {mode} variant failed (exit {proc.returncode})")
        data: dict[str, Any] = json.loads(out.read_text())
        data["bytes_per_min"] = received / seconds * 60
        return data


def _ms(value: float | None) -> str:
    return "   -  " if value is None else f"{value * 1000:6.1f}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=120.0, help="length of each run")
    parser.add_argument("--only", choices=VARIANTS, action="append", help="run only these")
    parser.add_argument("--child", choices=VARIANTS, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        if args.child.startswith("inline"):
            child_inline(args.child, args.seconds, args.out)
        else:
            child_textual(args.child, args.seconds, args.out)
        return 0
    variants = args.only or list(VARIANTS)
    print(f"pattern {PATTERN!r}, {args.seconds:g} s per variant, 80x24 pseudo-terminal")
    results = {}
    for mode in variants:
        print(f"running {mode} ...", file=sys.stderr, flush=True)
        results[mode] = run_variant(mode, args.seconds)
    base = results.get("naive", {}).get("cpu_per_min")
    print(
        f"{'variant':<12} {'CPU s/min':>9} {'x naive':>8} {'p50 ms':>7} {'p99 ms':>7} "
        f"{'gap ms':>7} {'bound. err ms':>13} {'moves':>6} {'KiB/min':>8} {'main CPU':>8}"
    )
    for mode, r in results.items():
        ratio = f"{r['cpu_per_min'] / base:8.3f}" if base else "       -"
        print(
            f"{mode:<12} {r['cpu_per_min']:9.3f} {ratio} {_ms(r['p50']):>7} {_ms(r['p99']):>7} "
            f"{_ms(r['worst_gap'] or None):>7} {_ms(r['max_boundary_error']):>13} "
            f"{r['moves']:6d} {r['bytes_per_min'] / 1024:8.1f} {r['main_cpu_per_min']:8.3f}"
        )
    print(
        f"targets: pacer CPU <= 0.5 x naive; moves at least every 50 ms; p99 <= {1.5 * FRAME * 1000:.0f} ms;"
    )
    print("         reduced motion CPU <= 0.1 x naive; boundary error within one frame.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
