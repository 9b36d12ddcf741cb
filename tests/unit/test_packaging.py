"""The wheel: it holds the code, the shipped checklists, the schema and py.typed, and once
installed in a fresh venv (no download: its dependencies come from this test venv) `kapprep
--version` and `kapprep checklists validate` work from it — not from this clone."""

from __future__ import annotations

import os
import site
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

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


def _run(cmd: list[str], **kw: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # type: ignore[call-overload,no-any-return]
        cmd, capture_output=True, text=True, timeout=180, check=False, **kw
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
