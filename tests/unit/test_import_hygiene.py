"""The domain and the command line never import Textual; `kapprep --version` imports almost
nothing. Each check runs in a fresh interpreter, so nothing this test process imported counts.

Every module under src/kapprep/ outside ui/ is found by walking the folder, so a new module is
covered the day it is added."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

from conftest import REPO_ROOT

SRC = REPO_ROOT / "src"
PACKAGE = SRC / "kapprep"
NOT_DOMAIN = {"kapprep.__main__"}  # runs the CLI on import; checked through the CLI below


def _domain_modules() -> list[str]:
    names = []
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(SRC).with_suffix("").parts
        if "ui" in parts[1:2]:
            continue
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        if name not in NOT_DOMAIN:
            names.append(name)
    return names


def _fresh(code: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
        cwd=REPO_ROOT,
    )


def test_the_walk_finds_the_modules() -> None:
    names = _domain_modules()
    for expected in (
        "kapprep",
        "kapprep.checklists",
        "kapprep.due",
        "kapprep.schedule",
        "kapprep.paths",
        "kapprep.cli",
        "kapprep.cli.checklists_cmd",
        "kapprep.cli.tui",
    ):
        assert expected in names
    assert not [n for n in names if n.startswith("kapprep.ui")]


def test_no_domain_module_imports_textual() -> None:
    result = _fresh(
        f"""
        import importlib, json, sys
        bad = []
        for name in {_domain_modules()!r}:
            importlib.import_module(name)
            if "textual" in sys.modules and not bad:
                bad.append(name)
        print(json.dumps(bad))
        """
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [], "this module imported textual"


def _cli(argv: list[str]) -> dict[str, object]:
    result = _fresh(
        f"""
        import contextlib, io, json, sys
        from kapprep.cli import main
        out = io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
            code = main({argv!r})
        print(json.dumps({{
            "code": code,
            "out": out.getvalue(),
            "textual": "textual" in sys.modules,
            "yaml": "yaml" in sys.modules,
            "argparse": "argparse" in sys.modules,
        }}))
        """
    )
    assert result.returncode == 0, result.stderr
    info: dict[str, object] = json.loads(result.stdout)
    return info


def test_cli_paths_import_no_textual() -> None:
    for argv in (["checklists", "validate"], ["checklists", "list"], ["checklists", "schema"]):
        info = _cli(argv)
        assert info["code"] == 0, argv
        assert info["textual"] is False, argv


def test_version_is_the_fast_path() -> None:
    info = _cli(["--version"])
    assert info["out"] == "kapprep 0.1.0\n"
    assert (info["textual"], info["yaml"], info["argparse"]) == (False, False, False)


def test_building_the_whole_parser_imports_no_textual_or_yaml() -> None:
    # Every sub-command group module is imported to build the parser.
    result = _fresh(
        """
        import sys
        from kapprep.cli import build_parser
        build_parser().format_help()
        print("textual" in sys.modules, "yaml" in sys.modules)
        """
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "False"]


def test_python_dash_m_kapprep() -> None:
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    result = subprocess.run(
        [sys.executable, "-m", "kapprep", "--version"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert (result.returncode, result.stdout) == (0, "kapprep 0.1.0\n")


def test_the_home_screen_first_frame_needs_no_yaml_and_no_checklist_files() -> None:
    # The home screen draws its first frame from the store alone and reads the checklist files
    # (and PyYAML, the journal and the timeline with them) just after; see HomeScreen.on_mount.
    result = _fresh(
        """
        import json, sys, tempfile
        from kapprep.ui.app import build_app
        from kapprep.ui.screens.home import HomeScreen
        app = build_app(data_dir=tempfile.mkdtemp(), checklist_dirs=[])
        heavy = ("yaml", "kapprep.checklists", "kapprep.journal", "kapprep.timeline")
        print(json.dumps([[m for m in heavy if m in sys.modules], app.ctx.checklists_loaded]))
        """
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [[], False]
