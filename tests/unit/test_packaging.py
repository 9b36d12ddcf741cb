"""The wheel: it holds the code, the shipped checklists, the schema and py.typed, and once
installed in a fresh venv (no download: its dependencies come from this test venv) `kapprep
--version` and `kapprep checklists validate` work from it — not from this clone."""

from __future__ import annotations

import json
import os
import site
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path
from typing import Any

import pytest

from conftest import REPO_ROOT

PHASE_FILES = {
    "assessment.yaml",
    "week-before.yaml",
    "day-before.yaml",
    "day-of.yaml",
    "after.yaml",
    "integration.yaml",
}


def _run(cmd: list[str], timeout: float = 180, **kw: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # type: ignore[call-overload,no-any-return]
        cmd, capture_output=True, text=True, timeout=timeout, check=False, **kw
    )


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    result = _run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
         "--no-index", "--quiet", "--disable-pip-version-check", "-w", str(out), str(REPO_ROOT)]
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    (built,) = out.glob("kapprep-*.whl")
    return built


def test_the_wheel_holds_the_data(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    shipped = {n.split("/")[-1] for n in names if n.startswith("kapprep/shipped_checklists/")}
    assert shipped == PHASE_FILES | {"checklist.schema.json"}
    assert "kapprep/py.typed" in names
    assert "kapprep/checklists.py" in names
    assert not [n for n in names if n.startswith(("tests/", "benchmarks/"))]
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    assert "kapprep = kapprep.cli:main" in zipfile.ZipFile(wheel).read(entry_points).decode()


def test_installed_in_a_fresh_venv(wheel: Path, tmp_path: Path) -> None:
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(system_site_packages=True, with_pip=False).create(env_dir)
    python = env_dir / "bin" / "python"
    result = _run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps",
         "--no-index", "--quiet", "--disable-pip-version-check", str(wheel)]
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    # The dependencies (PyYAML, platformdirs) come from this test venv, after the fresh venv's
    # own site-packages: a .pth line adds a folder without running that folder's .pth files,
    # so the clone's editable install stays out.
    purelib = Path(
        _run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"]
        ).stdout.strip()
    )
    ours = {sysconfig.get_path("purelib"), *site.getsitepackages()}
    (purelib / "_test_deps.pth").write_text("\n".join(sorted(ours)) + "\n")

    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "VIRTUAL_ENV"}}
    kapprep = str(env_dir / "bin" / "kapprep")
    where = _run(
        [str(python), "-c", "import kapprep, kapprep.paths as p; "
         "print(kapprep.__file__); print(p.shipped_checklists_dir())"],
        cwd=tmp_path, env=env,
    )  # fmt: skip
    assert where.returncode == 0, where.stderr
    module_file, shipped_dir = where.stdout.splitlines()
    assert module_file.startswith(str(env_dir)), "kapprep must come from the wheel"
    assert shipped_dir.startswith(str(env_dir))

    version = _run([kapprep, "--version"], cwd=tmp_path, env=env)
    assert (version.returncode, version.stdout) == (0, "kapprep 0.1.0\n"), version.stderr
    validate = _run([kapprep, "checklists", "validate"], cwd=tmp_path, env=env)
    assert validate.returncode == 0, validate.stderr
    assert validate.stdout.startswith("ok: 6 checklists, ")
    schema = _run([kapprep, "checklists", "schema"], cwd=tmp_path, env=env)
    assert Path(schema.stdout.strip()).is_file()


# -- what a fresh clone installs ----------------------------------------------------------------

PYPROJECT = REPO_ROOT / "pyproject.toml"
CONSTRAINTS = REPO_ROOT / "constraints.txt"


def _pyproject() -> dict[str, Any]:
    import tomllib

    loaded: dict[str, Any] = tomllib.loads(PYPROJECT.read_text())
    return loaded


def _pins() -> dict[str, str]:
    from packaging.utils import canonicalize_name

    pins = {}
    for line in CONSTRAINTS.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, _, version = line.partition("==")
            pins[canonicalize_name(name)] = version
    return pins


def test_every_runtime_dependency_is_bounded_below_its_next_major() -> None:
    """Below the next major of the version CI tests (the one constraints.txt pins)."""
    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name
    from packaging.version import Version

    pins = _pins()
    for text in _pyproject()["project"]["dependencies"]:
        req = Requirement(text)
        if [s for s in req.specifier if s.operator == "=="]:
            continue
        tested = Version(pins[canonicalize_name(req.name)])
        uppers = [Version(s.version) for s in req.specifier if s.operator == "<"]
        assert uppers, f"{text}: no upper bound"
        assert max(uppers) <= Version(f"{tested.major + 1}"), f"{text}: above the next major"


def test_the_constraints_pin_every_dependency_within_its_bounds() -> None:
    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    project = _pyproject()
    pins = _pins()
    wanted = [*project["project"]["dependencies"], *project["dependency-groups"]["test"]]
    for text in wanted:
        req = Requirement(text)
        name = canonicalize_name(req.name)
        assert name in pins, f"constraints.txt does not pin {req.name} (python3 dev.py lock)"
        assert req.specifier.contains(pins[name], prereleases=True), (
            f"constraints.txt pins {req.name}=={pins[name]}, outside {req.specifier}"
        )


def test_the_test_tools_are_not_a_users_extra() -> None:
    project = _pyproject()
    assert "test" not in project["project"].get("optional-dependencies", {})
    assert "pytest>=8.3,<9" in project["dependency-groups"]["test"]


def test_a_fresh_venv_installs_from_the_constraints_file(wheel: Path, tmp_path: Path) -> None:
    """As `dev.py run` does on a new machine: the wheel with its dependencies, within
    constraints.txt (from the package index or pip's cache), then `kapprep --version`."""
    from packaging.utils import canonicalize_name

    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    python = env_dir / "bin" / "python"
    result = _run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet",
         "--disable-pip-version-check", "-c", str(CONSTRAINTS), str(wheel)],
        timeout=600,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "VIRTUAL_ENV"}}
    version = _run([str(env_dir / "bin" / "kapprep"), "--version"], cwd=tmp_path, env=env)
    assert (version.returncode, version.stdout) == (0, "kapprep 0.1.0\n"), version.stderr
    listed = _run([sys.executable, "-m", "pip", "--python", str(python), "list", "--format=json"])
    installed = {canonicalize_name(p["name"]): p["version"] for p in json.loads(listed.stdout)}
    pins = _pins()
    for text in _pyproject()["project"]["dependencies"]:
        name = canonicalize_name(text.split("=")[0].split(">")[0].split("<")[0].strip())
        assert installed[name] == pins[name], f"{name}: {installed[name]}, not {pins[name]}"
