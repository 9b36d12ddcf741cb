"""Start-up time of `kapprep --version` and `kapprep checklists validate` (the shipped set),
as ratios to `python -c pass` measured in the same run (medians of N runs, interleaved).

    .venv/bin/python benchmarks/startup.py [N]

Target: `kapprep --version` within 3x `python -c pass`. Uses the `kapprep` script beside this
Python (the venv's), else `python -m kapprep`.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path


def _kapprep() -> list[str]:
    script = Path(sys.executable).parent / "kapprep"
    if script.exists():
        return [str(script)]
    found = shutil.which("kapprep")
    return [found] if found else [sys.executable, "-m", "kapprep"]


def _once(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - start


def main() -> int:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 21
    os.environ.pop("KAPPREP_CONFIG", None)
    kapprep = _kapprep()
    cases = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "kapprep --version": [*kapprep, "--version"],
        "kapprep checklists validate": [*kapprep, "checklists", "validate"],
    }
    for cmd in cases.values():  # warm the file cache
        _once(cmd)
    times: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(runs):
        for name, cmd in cases.items():  # interleaved, so load changes hit all alike
            times[name].append(_once(cmd))
    base = statistics.median(times["python -c pass"])
    print(f"median of {runs} runs each ({' '.join(kapprep)})")
    for name, values in times.items():
        median = statistics.median(values)
        print(f"  {name:<30} {median * 1000:7.1f} ms   {median / base:5.2f}x python -c pass")
    ratio = statistics.median(times["kapprep --version"]) / base
    print(f"kapprep --version: {ratio:.2f}x (target <= 3x): {'ok' if ratio <= 3 else 'SLOW'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
