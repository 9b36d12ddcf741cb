"""Validating a generated 5,000-item checklist against a bare `yaml.safe_load` of the same
text, measured in the same run (medians of N runs).

    .venv/bin/python benchmarks/validate.py [N]

Target: at most 3x `yaml.safe_load`. Also shown: PyYAML's C loader (`CSafeLoader`), which the
validator itself uses when libyaml is present, as the stricter baseline.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from kapprep.checklists import parse_checklist

ITEMS = 5000


def generate(items: int = ITEMS) -> str:
    lines = [
        "format: 1",
        "id: big",
        "title: A big generated checklist",
        "phase: day-of",
        "sources:",
        "  - title: American Society of Ketamine Physicians",
        "    url: https://askp.org",
        "items:",
    ]
    dues = ["-7d", "-24h", "-4h30m", "+1d", "-1d@20:00", "0d@06:00"]
    for n in range(items):
        lines += [
            f"  - id: item-{n}",
            f"    text: Step {n}, written in a few calm and plain words",
            f"    why: Because step {n} helps the day go smoothly.",
            f"    due: {dues[n % len(dues)]}",
            "    tags: [generated, sample]",
        ]
        if n % 10 == 0:
            lines += ["    clinic_decides: true", "    default_from: a generated clinic"]
    return "\n".join(lines) + "\n"


def median_time(fn: Callable[[], object], runs: int) -> float:
    values = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        values.append(time.perf_counter() - start)
    return statistics.median(values)


def main() -> int:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 7
    text = generate()
    checklist, problems = parse_checklist(text, "generated.yaml")
    assert checklist is not None and not problems and len(checklist.items) == ITEMS
    c_loader = getattr(yaml, "CSafeLoader", None)
    safe = median_time(lambda: yaml.safe_load(text), runs)
    validate = median_time(lambda: parse_checklist(text, "generated.yaml"), runs)
    print(f"{ITEMS} items, {len(text) / 1024:.0f} KiB, median of {runs} runs")
    print(f"  yaml.safe_load              {safe * 1000:8.1f} ms")
    if c_loader is not None:
        fast = median_time(lambda: yaml.load(text, Loader=c_loader), runs)
        print(f"  yaml.load(CSafeLoader)      {fast * 1000:8.1f} ms")
    print(f"  kapprep validate            {validate * 1000:8.1f} ms")
    ratio = validate / safe
    print(
        f"validate / yaml.safe_load: {ratio:.2f}x (target <= 3x): {'ok' if ratio <= 3 else 'SLOW'}"
    )
    if c_loader is not None:
        print(f"validate / CSafeLoader load: {validate / fast:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
