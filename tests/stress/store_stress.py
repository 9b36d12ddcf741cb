"""Reliability of the store under kill -9 and concurrent writers.

    python tests/stress/store_stress.py                  # 200 kill rounds, 2 x 2,000 actions
    python tests/stress/store_stress.py --rounds 500 --actions 5000

A writer process does one user action at a time (tick, note, practice entry; each one transaction)
and prints the action only after the store returned. We kill it with SIGKILL at a random moment,
then check that every action it printed is in the database and that `PRAGMA integrity_check` is
ok. Two writers running at once must both get every action in. The short version runs in the test
suite (tests/unit/test_store_reliability.py); this script is for the long runs.
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

SRC = str(Path(__file__).resolve().parents[2] / "src")

WRITER = r"""
import sys
from datetime import UTC, datetime
from zoneinfo import ZoneInfo
from kapprep.store import Store

import os
folder, prefix, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
key = os.environ.get("KAPPREP_STRESS_KEY")  # a locked store's data key (hex), for the lock's runs
with Store.open(folder, key=bytes.fromhex(key) if key else None) as store:
    with store.transaction() as conn:  # one session, whoever gets here first
        row = conn.execute("SELECT id FROM sessions ORDER BY id LIMIT 1").fetchone()
        if row is None:
            conn.execute(
                "INSERT INTO sessions (start_utc, tz, created_at, updated_at)"
                " VALUES ('2026-12-03T09:00:00+00:00', 'Europe/Oslo', 'x', 'x')"
            )
            row = conn.execute("SELECT id FROM sessions ORDER BY id LIMIT 1").fetchone()
    sid = row[0]
    print("ready", flush=True)
    now = datetime.now(UTC)
    for i in range(count):
        name = f"{prefix}-{i}"
        kind = i % 3
        if kind == 0:
            store.tick(sid, name)
        elif kind == 1:
            store.set_note(sid, name, "note " + name)
        else:
            store.add_practice(name, now, float(i), True)
        sys.stdout.write(name + "\n")
        sys.stdout.flush()
"""


@dataclass
class Report:
    rounds: int = 0
    acknowledged: int = 0
    killed_before_ready: int = 0


def _writer(folder: Path, prefix: str, count: int) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", WRITER, str(folder), prefix, str(count)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": SRC + os.pathsep + os.environ.get("PYTHONPATH", "")},
    )


def _present(folder: Path) -> tuple[set[str], bool]:
    """Every action name in the database, and whether it passes integrity_check."""
    sys.path.insert(0, SRC)
    from kapprep.store import Store

    key = os.environ.get("KAPPREP_STRESS_KEY")
    with Store.open(folder, key=bytes.fromhex(key) if key else None) as store:
        names = {r[0] for r in store.fetch("SELECT item_id FROM ticks")}
        names |= {r[0] for r in store.fetch("SELECT item_id FROM notes")}
        names |= {r[0] for r in store.fetch("SELECT pattern FROM practice")}
        return names, store.integrity_ok()


def kill_rounds(folder: Path, rounds: int, seed: int, max_delay: float = 0.6) -> Report:
    """Kill a writer at a random moment `rounds` times; raise AssertionError on any loss."""
    rng = random.Random(seed)
    report = Report()
    for n in range(rounds):
        proc = _writer(folder, f"r{n}", 10**7)
        first = ""
        if rng.random() < 0.3:  # any moment from the start: importing, opening, migrating
            time.sleep(rng.uniform(0.0, max_delay))
        else:  # in the middle of the writes
            assert proc.stdout is not None
            first = proc.stdout.readline()
            time.sleep(rng.uniform(0.0, max_delay / 3))
        proc.send_signal(signal.SIGKILL)
        out, err = proc.communicate(timeout=60)
        lines = (first + out).split("\n")[:-1]  # a line without its newline was not acknowledged
        if "ready" not in lines:
            report.killed_before_ready += 1
        done = [line for line in lines if line != "ready"]
        present, ok = _present(folder)
        missing = [name for name in done if name not in present]
        assert ok, f"round {n}: integrity_check failed"
        assert not missing, f"round {n}: {len(missing)} acknowledged writes lost: {missing[:5]}"
        assert proc.returncode == -signal.SIGKILL, (proc.returncode, err[-2000:])
        report.rounds += 1
        report.acknowledged += len(done)
    return report


def concurrent(folder: Path, actions: int, writers: int = 2) -> float:
    """`writers` processes doing `actions` each at once; every one must be there. Returns seconds."""
    t0 = time.perf_counter()
    procs = [_writer(folder, f"w{k}", actions) for k in range(writers)]
    outs = [p.communicate(timeout=1200) for p in procs]
    elapsed = time.perf_counter() - t0
    for p, (out, err) in zip(procs, outs, strict=True):
        assert p.returncode == 0, err[-2000:]
        assert len(out.split("\n")[:-1]) == actions + 1
    present, ok = _present(folder)
    assert ok, "integrity_check failed"
    for k in range(writers):
        mine = {f"w{k}-{i}" for i in range(actions)}
        lost = mine - present
        assert not lost, f"writer {k}: {len(lost)} actions lost"
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--actions", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        report = kill_rounds(Path(tmp) / "kill", args.rounds, args.seed)
        print(
            f"kill -9: {report.rounds} rounds, {report.acknowledged} acknowledged writes, all "
            f"present, integrity ok ({report.killed_before_ready} killed while starting) "
            f"in {time.perf_counter() - t0:.1f} s"
        )
        elapsed = concurrent(Path(tmp) / "two", args.actions)
        print(
            f"concurrent: 2 writers x {args.actions} actions, all {2 * args.actions} present, "
            f"integrity ok, in {elapsed:.1f} s"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
