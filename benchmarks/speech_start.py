"""How long a speaker takes to start: the margin spoken cues leave for it (`kapprep.grounding.cues`).

    .venv/bin/python benchmarks/speech_start.py [N]

For each run, interleaved: `true` (the cost of starting any process here, the baseline), and
`espeak-ng` saying one cue word at kapprep's rate with its audio sent to a pipe (`--stdout`), timed
from the spawn to the first audio sample (the first byte after the WAV header) and to the
process's exit. With `spd-say` installed, its spawn-to-exit time too (it hands the text to the
speech-dispatcher daemon and returns; the daemon's own delay is not visible from here).

Prints the median, 95th percentile and largest of each, in milliseconds. The margin in
`cues.START_MARGIN_SECONDS` is the worst first-sample time seen, rounded up generously.
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from kapprep.grounding.cues import SPEECH_WPM

_HEADER = 44  # espeak-ng's WAV header on --stdout: RIFF, fmt and data chunk headers


def _true() -> float:
    start = time.perf_counter()
    subprocess.run(["true"], check=True)
    return time.perf_counter() - start


def _espeak(word: str) -> tuple[float, float]:
    """(seconds to the first audio sample, seconds to exit)."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        ["espeak-ng", "-s", str(SPEECH_WPM), "--stdout", word],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    assert proc.stdout is not None
    got = b""
    while len(got) < _HEADER + 2:
        chunk = proc.stdout.read1(4096)
        if not chunk:
            break
        got += chunk
    first = time.perf_counter() - start
    proc.stdout.read()
    proc.wait()
    return first, time.perf_counter() - start


def _spd_say(word: str) -> float:
    start = time.perf_counter()
    subprocess.run(["spd-say", word], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def _line(name: str, values: list[float]) -> str:
    ms = sorted(v * 1000 for v in values)
    p95 = ms[min(len(ms) - 1, round(0.95 * (len(ms) - 1)))]
    return (
        f"{name:<34} median {statistics.median(ms):7.1f} ms   p95 {p95:7.1f} ms   "
        f"max {ms[-1]:7.1f} ms"
    )


def main() -> int:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 30
    if shutil.which("espeak-ng") is None:
        print("espeak-ng is not installed (apt-get install espeak-ng)", file=sys.stderr)
        return 1
    words = ("in", "hold", "out", "rest")
    base: list[float] = []
    first: list[float] = []
    done: list[float] = []
    spd: list[float] = []
    has_spd = shutil.which("spd-say") is not None
    for n in range(runs):
        base.append(_true())
        a, b = _espeak(words[n % len(words)])
        first.append(a)
        done.append(b)
        if has_spd:
            spd.append(_spd_say(words[n % len(words)]))
    print(f"{runs} runs, espeak-ng at {SPEECH_WPM} words a minute")
    print(_line("true (spawn to exit)", base))
    print(_line("espeak-ng spawn to first sample", first))
    print(_line("espeak-ng spawn to exit", done))
    if has_spd:
        print(_line("spd-say spawn to exit", spd))
    else:
        print("spd-say: not installed, not measured")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
