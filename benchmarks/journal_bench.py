"""How long the journal export and the calendar take, as ratios to `kapprep --version`.

    .venv/bin/python benchmarks/journal_bench.py [--sessions N] [--runs R]

Makes a throw-away data folder with N sessions (intentions, integration notes, ratings, steps and
a few questions), then times, each as the median of R fresh processes:
`kapprep --version` (the baseline: interpreter and argparse), `journal export` as Markdown and
as PDF, and `calendar`. Also times building the calendar in-process (no start-up). Needs nothing
from /work/shared; prints figures, asserts nothing.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo


def seed(folder: Path, sessions: int) -> None:
    from kapprep import journal as j
    from kapprep.store import Store

    zone = ZoneInfo("Europe/London")
    now = datetime(2026, 9, 1, 9, tzinfo=zone)
    with Store.open(folder) as store:
        for n in range(sessions):
            start = datetime(2026, 9, 7, 10, tzinfo=zone) + timedelta(weeks=n)
            s = store.add_session(start, place="Room 2")
            for p in (*j.INTENTION_PROMPTS, *j.INTEGRATION_PROMPTS):
                j.save_entry(store, s.id, p.kind, p.key, f"{p.text}: a few honest lines. " * 5, now)
            for scale in j.SCALES:
                for moment in j.MOMENTS:
                    j.set_rating(store, s.id, scale, moment, (n * 3) % 11, now)
            j.add_step(store, s.id, f"a small step {n}", now)
        for q in range(5):
            j.add_question(store, f"question {q}?", now)


def timed(cmd: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=6)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "data"
        seed(folder, args.sessions)
        kapprep = [sys.executable, "-m", "kapprep", "--data-dir", str(folder)]
        base = timed([sys.executable, "-m", "kapprep", "--version"], args.runs)
        rows = [
            ("journal export (md)", [*kapprep, "journal", "export", "--format", "md"]),
            ("journal export (pdf)", [*kapprep, "journal", "export", "-o", f"{tmp}/j.pdf"]),
            ("calendar", [*kapprep, "calendar", "-o", f"{tmp}/k.ics"]),
        ]
        print(f"{args.sessions} sessions, median of {args.runs} runs")
        print(f"  {'kapprep --version (baseline)':<32}{base * 1000:8.0f} ms   1.00x")
        for name, cmd in rows:
            t = timed(cmd, args.runs)
            print(f"  {name:<32}{t * 1000:8.0f} ms   {t / base:.2f}x")

        from kapprep import paths
        from kapprep.checklists import load_layers
        from kapprep.ical import calendar_for_store
        from kapprep.store import Store

        items = list(load_layers(paths.checklist_layers()).items())
        with Store.open(folder) as store:
            now = datetime(2026, 9, 1, tzinfo=ZoneInfo("UTC"))
            calendar_for_store(store, items, now)  # warm: imports icalendar
            t0 = time.perf_counter()
            data = calendar_for_store(store, items, now)
            build = time.perf_counter() - t0
        events = data.count(b"BEGIN:VEVENT")
        print(
            f"  in-process calendar: {events} events in {build * 1000:.0f} ms "
            f"({build / base:.2f}x the baseline start-up)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
