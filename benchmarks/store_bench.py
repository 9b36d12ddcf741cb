"""How much the store's safety costs, as ratios against bare SQLite measured in the same run.

    .venv/bin/python benchmarks/store_bench.py [--ticks 300] [--opens 40]

1. One tick (`Store.tick`: BEGIN IMMEDIATE, a session check, INSERT, COMMIT with WAL and
   synchronous=FULL) against a bare `sqlite3.connect` connection doing one INSERT + COMMIT with
   SQLite's defaults. Target: median at most 2x.
2. The same as a command-line run does it: open, tick, close, against connect, INSERT, COMMIT,
   close.
3. Opening a store that holds five years of use (200 sessions, 20,000 ticks, 2,000 journal
   entries, 2,000 notes, 1,000 practice entries) against opening an empty store. Target: median at
   most 2x. Also the first open after a crash, which runs the full `PRAGMA quick_check`.
Tests never assert on these times; this prints them.
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from kapprep.store import Store


def timings(fn: Callable[[int], object], n: int) -> list[float]:
    out = []
    for i in range(n):
        t0 = time.perf_counter()
        fn(i)
        out.append(time.perf_counter() - t0)
    return out


def offset(fn: Callable[[int], object], start: int) -> Callable[[int], object]:
    """`fn` with its counter moved on by `start` (each run writes rows of its own)."""
    return lambda i: fn(start + i)


def p99(xs: list[float]) -> float:
    return sorted(xs)[max(0, int(len(xs) * 0.99) - 1)]


def ms(x: float) -> str:
    return f"{x * 1000:.3f} ms"


def line(name: str, xs: list[float], base: list[float]) -> None:
    med, bmed = statistics.median(xs), statistics.median(base)
    print(
        f"  {name}: median {ms(med)} (bare {ms(bmed)}), ratio {med / bmed:.2f}x; "
        f"p99 {ms(p99(xs))} (bare {ms(p99(base))}), ratio {p99(xs) / p99(base):.2f}x"
    )


def bare_db(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t (session_id INTEGER, item_id TEXT, ticked_at TEXT)")
    conn.commit()
    conn.close()


def five_years(folder: Path) -> None:
    oslo = ZoneInfo("Europe/Oslo")
    start = datetime(2021, 1, 4, 10, tzinfo=oslo)
    now = "2026-01-01T00:00:00+00:00"
    with Store.open(folder) as store, store.transaction() as conn:
        for s in range(200):
            store.add_session(start + timedelta(days=9 * s), clinic="Clinic", phone="+47 1")
        conn.executemany(
            "INSERT INTO ticks VALUES (?, ?, ?)",
            ((s + 1, f"item-{i:03d}", now) for s in range(200) for i in range(100)),
        )
        conn.executemany(
            "INSERT INTO journal_entries VALUES (?, 'intention', ?, ?, ?)",
            (
                (s + 1, f"prompt {i}", "a few sentences of reflection " * 8, now)
                for s in range(200)
                for i in range(10)
            ),
        )
        conn.executemany(
            "INSERT INTO notes VALUES (?, ?, ?, ?)",
            ((s + 1, f"item-{i:03d}", "a short note", now) for s in range(200) for i in range(10)),
        )
        conn.executemany(
            "INSERT INTO practice (pattern, started_at, seconds, finished) VALUES (?, ?, ?, 1)",
            (("box", now, 240.0) for _ in range(1000)),
        )
    with Store.open(folder) as store:
        counts = {
            t: store.fetch(f"SELECT count(*) FROM {t}")[0][0]
            for t in ("sessions", "ticks", "journal_entries")
        }
        assert counts == {"sessions": 200, "ticks": 20000, "journal_entries": 2000}, counts


def main() -> int:
    parser = argparse.ArgumentParser(description="store benchmarks (ratios against bare SQLite)")
    parser.add_argument("--ticks", type=int, default=300)
    parser.add_argument("--opens", type=int, default=40)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        print(f"SQLite {sqlite3.sqlite_version}, Python {sys.version.split()[0]}")

        # 1. one tick on an open store vs one INSERT + COMMIT on an open bare connection
        bare_db(root / "bare.db")
        bare = sqlite3.connect(root / "bare.db")

        def bare_insert(i: int) -> None:
            bare.execute("INSERT INTO t VALUES (1, ?, ?)", (f"item-{i}", "2026-01-01"))
            bare.commit()

        store = Store.open(root / "store")
        sid = store.add_session(datetime(2026, 12, 3, 10, tzinfo=ZoneInfo("Europe/Oslo"))).id

        def tick(i: int) -> None:
            store.tick(sid, f"item-{i}")

        base: list[float] = []
        ticks: list[float] = []
        for _ in range(3):  # interleave, so a busy disk moment hits both alike
            base += timings(offset(bare_insert, len(base)), args.ticks // 3)
            ticks += timings(offset(tick, len(ticks)), args.ticks // 3)
        bare.close()
        store.close()
        print(f"1. one tick vs bare INSERT+COMMIT ({len(ticks)} each):")
        line("tick", ticks, base)

        # 2. as a command does it: open, tick, close
        def bare_once(i: int) -> None:
            conn = sqlite3.connect(root / "bare.db")
            conn.execute("INSERT INTO t VALUES (1, ?, ?)", (f"once-{i}", "2026-01-01"))
            conn.commit()
            conn.close()

        def store_once(i: int) -> None:
            with Store.open(root / "store") as s:
                s.tick(sid, f"once-{i}")

        base2: list[float] = []
        once: list[float] = []
        for _ in range(3):
            base2 += timings(offset(bare_once, len(base2)), args.opens // 3)
            once += timings(offset(store_once, len(once)), args.opens // 3)
        print(f"2. open + tick + close vs connect + INSERT + COMMIT + close ({len(once)} each):")
        line("open+tick+close", once, base2)

        # 3. opening five years of data vs opening an empty store
        t0 = time.perf_counter()
        five_years(root / "five")
        print(
            f"3. opening a store with five years of data (built in {time.perf_counter() - t0:.1f} s,"
            f" {(root / 'five' / 'kapprep.db').stat().st_size / 1e6:.1f} MB):"
        )
        Store.open(root / "empty").close()

        def open_close(folder: Path) -> Callable[[int], None]:
            return lambda i: Store.open(folder).close()

        empty: list[float] = []
        five: list[float] = []
        for _ in range(3):
            empty += timings(open_close(root / "empty"), args.opens // 3)
            five += timings(open_close(root / "five"), args.opens // 3)
        line("open five years vs open empty", five, empty)

        def open_after_crash(i: int) -> None:
            (root / "five" / "kapprep.db.checked").unlink(missing_ok=True)
            Store.open(root / "five").close()

        crash = timings(open_after_crash, max(3, args.opens // 4))
        line("open five years after a crash (full quick_check) vs open empty", crash, empty)
        line("open five years vs bare connect+INSERT+COMMIT+close", five, base2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
