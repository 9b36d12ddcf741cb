#!/usr/bin/env python3
"""One command to run kapprep, one to test it — each sets itself up first.

    python3 dev.py run [ARGS...]   # make .venv, install kapprep into it, run `kapprep ARGS...`
    python3 dev.py test [PYTEST ARGS...]
                                   # the same venv with the test tools, then ruff, mypy and pytest
    python3 dev.py lock            # write constraints.txt from a fresh install (maintainers)

Only the standard library is used here, so this works on a fresh machine with Python 3.11+ and pip.
The venv is reinstalled only when pyproject.toml or constraints.txt changes (a stamp file keeps
their hash). Everything is installed within constraints.txt, so a fresh clone gets the versions CI
tested, not whatever was released since.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / ("python.exe" if os.name == "nt" else "python")
CONSTRAINTS = ROOT / "constraints.txt"


def _say(msg: str) -> None:
    print(f"dev.py: {msg}", file=sys.stderr, flush=True)


def _run(cmd: list[str], **kw: object) -> int:
    return subprocess.call(cmd, cwd=ROOT, **kw)  # type: ignore[call-overload,no-any-return]


def _wanted() -> str:
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes())
    if CONSTRAINTS.exists():
        digest.update(CONSTRAINTS.read_bytes())
    return digest.hexdigest()


def ensure_venv(group: str, *, venv_dir: Path = VENV, constraints: bool = True) -> None:
    """Create the venv and install kapprep (editable), with the dependency group `group` (the
    test tools) if given, within constraints.txt; only when not done already."""
    if sys.version_info < (3, 11):  # noqa: UP036 - dev.py may run on an older python3
        sys.exit("kapprep needs Python 3.11 or newer; this is " + sys.version.split()[0])
    py = venv_dir / PY.relative_to(VENV)
    stamp = venv_dir / f".installed-{group or 'app'}"
    want = _wanted()
    # The test install is a superset of the app's, so it satisfies `run` too.
    stamps = [stamp] if group else [stamp, venv_dir / ".installed-test"]
    if py.exists() and any(s.exists() and s.read_text() == want for s in stamps):
        return
    if not py.exists():
        _say(f"creating {venv_dir.name}/ (once)")
        venv.EnvBuilder(with_pip=True, clear=True).create(venv_dir)
    _say(f"installing kapprep{f' with the {group} tools' if group else ''} into {venv_dir.name}/")
    cmd = [str(py), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    if constraints and CONSTRAINTS.exists():
        cmd += ["-c", str(CONSTRAINTS)]
    # A pip new enough for dependency groups (--group needs 25.1), then kapprep.
    if _run([*cmd, "--upgrade", "pip"]) != 0:
        sys.exit("dev.py: installing failed; see the messages above")
    target = ["-e", "."] + (["--group", group] if group else [])
    if _run([*cmd, *target]) != 0:
        sys.exit("dev.py: installing failed; see the messages above")
    stamp.write_text(want)


def lock() -> int:
    """Write constraints.txt: install kapprep and the test tools into a fresh venv without the
    old constraints (the newest versions pyproject.toml allows), and freeze what came."""
    import shutil
    import tempfile

    with tempfile.TemporaryDirectory(prefix="kapprep-lock-") as tmp:
        fresh = Path(tmp) / "venv"
        ensure_venv("test", venv_dir=fresh, constraints=False)
        py = fresh / PY.relative_to(VENV)
        frozen = subprocess.run(
            [str(py), "-m", "pip", "freeze", "--all", "--exclude-editable"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.splitlines()
        shutil.rmtree(fresh, ignore_errors=True)
    pins = sorted(
        (line for line in frozen if "==" in line and not line.lower().startswith("kapprep")),
        key=str.lower,
    )
    CONSTRAINTS.write_text(
        "# What CI tested: `python3 dev.py run|test` install within these versions.\n"
        "# Made by `python3 dev.py lock` (the newest versions pyproject.toml allows); commit it.\n"
        + "\n".join(pins)
        + "\n"
    )
    _say(f"wrote {CONSTRAINTS.name} ({len(pins)} packages)")
    return 0


def clean_env() -> dict[str, str]:
    """The environment for tests: no colour or Textual settings leaking in from the caller."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"NO_COLOR", "FORCE_COLOR", "COLUMNS", "LINES"} and not k.startswith("TEXTUAL")
    }
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    env["VIRTUAL_ENV"] = str(VENV)
    env.pop("KAPPREP_HOME", None)
    return env


def run_app(args: list[str]) -> int:
    ensure_venv("")
    exe = BIN / ("kapprep.exe" if os.name == "nt" else "kapprep")
    return _run([str(exe), *args])


def run_tests(args: list[str]) -> int:
    ensure_venv("test")
    env = clean_env()
    steps: list[tuple[str, list[str]]] = [
        ("ruff check", [str(PY), "-m", "ruff", "check", "src", "tests", "benchmarks", "dev.py"]),
        (
            "ruff format --check",
            [str(PY), "-m", "ruff", "format", "--check", "src", "tests", "benchmarks", "dev.py"],
        ),
        ("mypy", [str(PY), "-m", "mypy"]),
    ]
    failed = []
    if not args:  # a bare `dev.py test` is the full gate; with pytest args, just pytest
        for name, cmd in steps:
            _say(name)
            if _run(cmd, env=env) != 0:
                failed.append(name)
    # The full gate spreads the tests over every core (pytest-xdist): the end-to-end tests
    # spend much of their time waiting on a terminal, so this about halves the wall time.
    spread = [] if args else ["-n", "auto"]
    _say("pytest")
    code = _run([str(PY), "-m", "pytest", *spread, *args], env=env)
    if code == 5:
        _say("pytest collected no tests: that counts as a failure")
    if code != 0:
        failed.append("pytest")
    if failed:
        _say("FAILED: " + ", ".join(failed))
        return 1
    _say("all checks passed")
    return 0


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in {"run", "test", "lock"}:
        print(__doc__)
        return 2
    cmd, rest = argv[0], argv[1:]
    if cmd == "lock":
        return lock()
    return run_app(rest) if cmd == "run" else run_tests(rest)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
