"""Clinic and user checklists: the config folder (KAPPREP_CONFIG here) and `--checklists DIR`
add files to the shipped set or replace a shipped file by its id; conflicts and mistakes are
reported clearly; and the `kapprep checklists` commands that show it."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import VALID_CHECKLIST
from kapprep import paths
from kapprep.checklists import load_active, load_layers
from kapprep.cli import main

SHIPPED_COUNT = len(list(paths.shipped_checklists_dir().glob("*.yaml")))

CLINIC_DAY_OF = """\
format: 1
id: day-of
title: Our clinic's day
phase: day-of
sources:
  - title: Our clinic
    url: https://clinic.example/day
items:
  - id: clinic-arrive
    text: Arrive 20 minutes early
    due: -20m
  - id: stop-eating
    text: Stop eating (our clinic says 4 hours)
    due: -4h
    clinic_decides: true
    default_from: our clinic
"""


def config_checklists() -> Path:
    folder = Path(os.environ["KAPPREP_CONFIG"]) / "checklists"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def test_shipped_only_when_nothing_is_added() -> None:
    loaded = load_active()
    assert loaded.problems == ()
    assert len(loaded.checklists) == SHIPPED_COUNT
    assert loaded.replaced == ()


def test_a_clinic_file_replaces_the_shipped_one_by_id(tmp_path: Path) -> None:
    clinic = tmp_path / "clinic"
    clinic.mkdir()
    (clinic / "ours.yaml").write_text(CLINIC_DAY_OF)
    loaded = load_active([clinic])
    assert loaded.problems == ()
    day_of = [c for c in loaded.checklists if c.id == "day-of"]
    assert [c.title for c in day_of] == ["Our clinic's day"]
    assert loaded.item("stop-eating") is not None
    assert str(loaded.item("stop-eating").due) == "-4h"  # type: ignore[union-attr]
    assert loaded.item("stop-drinking") is None  # only in the shipped day-of, now replaced
    assert loaded.replaced == (
        (str(paths.shipped_checklists_dir() / "day-of.yaml"), str(clinic / "ours.yaml")),
    )


def test_a_new_id_is_added_in_phase_order(tmp_path: Path) -> None:
    clinic = tmp_path / "clinic"
    clinic.mkdir()
    (clinic / "extra.yaml").write_text(VALID_CHECKLIST)  # id "sample", phase day-of
    loaded = load_active([clinic])
    assert loaded.problems == ()
    assert len(loaded.checklists) == SHIPPED_COUNT + 1
    ids = [c.id for c in loaded.checklists]
    assert ids.index("day-before") < ids.index("sample") < ids.index("after")
    assert [c.id for c in loaded.by_phase()["day-of"]] == ["day-of", "sample"]


def test_config_folder_then_checklists_dir_later_wins(tmp_path: Path) -> None:
    (config_checklists() / "a.yaml").write_text(CLINIC_DAY_OF)
    clinic = tmp_path / "clinic"
    clinic.mkdir()
    (clinic / "b.yaml").write_text(CLINIC_DAY_OF.replace("Our clinic's day", "Later still"))
    loaded = load_active([clinic])
    assert loaded.problems == ()
    assert [c.title for c in loaded.checklists if c.id == "day-of"] == ["Later still"]
    assert len(loaded.replaced) == 2


def test_two_files_in_one_folder_with_one_id_is_a_conflict(tmp_path: Path) -> None:
    clinic = tmp_path / "clinic"
    clinic.mkdir()
    (clinic / "a.yaml").write_text(CLINIC_DAY_OF)
    (clinic / "b.yaml").write_text(CLINIC_DAY_OF.replace("clinic-arrive", "other-arrive"))
    loaded = load_active([clinic])
    assert [str(p) for p in loaded.problems] == [
        f'{clinic / "b.yaml"}:1:1: checklist id "day-of" is also used by {clinic / "a.yaml"}; '
        "files checked together (or in one folder) need different ids — give one of them "
        "another id"
    ]
    # The first file wins; the app keeps working.
    assert loaded.item("clinic-arrive") is not None


def test_an_added_item_reusing_a_shipped_id_is_reported_and_left_out(tmp_path: Path) -> None:
    clinic = tmp_path / "clinic"
    clinic.mkdir()
    path = clinic / "extra.yaml"
    path.write_text(VALID_CHECKLIST.replace("id: sample-item", "id: arrive-early"))
    loaded = load_active([clinic])
    (problem,) = loaded.problems
    assert (problem.path, problem.line, problem.col) == (str(path), 9, 5)
    assert problem.message.startswith('item id "arrive-early" is already used at ')
    assert [i.checklist_id for i in loaded.items() if i.id == "arrive-early"] == ["day-of"]
    assert loaded.item("arrive-early") is not None


def test_a_broken_clinic_file_is_left_out_and_reported(tmp_path: Path) -> None:
    clinic = tmp_path / "clinic"
    clinic.mkdir()
    (clinic / "bad.yaml").write_text(CLINIC_DAY_OF.replace("due: -20m", "due: soon"))
    loaded = load_active([clinic])
    assert [(p.line, p.col) for p in loaded.problems] == [(11, 10)]
    assert [c.title for c in loaded.checklists if c.id == "day-of"] == ["The day of the session"]


def test_missing_folders(tmp_path: Path) -> None:
    # The config folder usually does not exist: fine. A --checklists DIR the user named: not.
    loaded = load_active([tmp_path / "nope"])
    assert [str(p) for p in loaded.problems] == [
        f"{tmp_path / 'nope'}:1:1: there is no such folder"
    ]
    assert load_layers([tmp_path / "nope"]).problems == ()


def test_a_layer_may_be_one_file(tmp_path: Path) -> None:
    path = tmp_path / "one.yaml"
    path.write_text(CLINIC_DAY_OF)
    loaded = load_active([path])
    assert loaded.problems == ()
    assert loaded.item("clinic-arrive") is not None


# -- the command line --------------------------------------------------------------------------


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_validate_the_active_set(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "checklists", "validate")
    assert (code, err) == (0, "")
    assert out.startswith(f"ok: {SHIPPED_COUNT} checklists, ")
    assert out.endswith(" items, no problems\n")
    assert out.count("\n") == 1


def test_validate_files_with_mistakes(
    capsys: pytest.CaptureFixture[str], write: Callable[..., Path]
) -> None:
    bad = write("bad.yaml", VALID_CHECKLIST.replace("due: -10m", "due: soon"))
    worse = write("worse.yaml", b"\x00\x01")
    good = write("good.yaml", CLINIC_DAY_OF)
    code, out, err = run(capsys, "checklists", "validate", str(bad), str(worse), str(good))
    assert code == 1
    assert out == ""
    assert err.splitlines() == [
        f'{bad}:11:10: item 1\'s due: "soon" is not a time before or after the session; write it '
        "like -7d, -24h, -4h30m, +1d, -1d@20:00 or 0d@06:00",
        f"{worse}:1:1: this is not a text file (it contains binary data); checklists are YAML "
        "text files",
        "2 problems in 2 files",
    ]


def test_validate_a_folder_and_a_clean_one(
    capsys: pytest.CaptureFixture[str], write: Callable[..., Path]
) -> None:
    good = write("day.yaml", CLINIC_DAY_OF, folder="clinic")
    code, out, err = run(capsys, "checklists", "validate", str(good.parent))
    assert (code, out, err) == (0, "ok: 1 checklist, 2 items, no problems\n", "")


def test_validate_active_set_with_a_replacement(
    capsys: pytest.CaptureFixture[str], write: Callable[..., Path]
) -> None:
    good = write("day.yaml", CLINIC_DAY_OF, folder="clinic")
    code, out, _ = run(capsys, "--checklists", str(good.parent), "checklists", "validate")
    assert code == 0
    assert f"ok: {SHIPPED_COUNT} checklists (1 replacing a shipped one), " in out


def test_checklists_option_after_the_action_too(
    capsys: pytest.CaptureFixture[str], write: Callable[..., Path]
) -> None:
    one = write("one.yaml", CLINIC_DAY_OF, folder="one")
    two = write("two.yaml", VALID_CHECKLIST, folder="two")
    code, out, err = run(
        capsys,
        "--checklists",
        str(one.parent),
        "checklists",
        "list",
        "--checklists",
        str(two.parent),
    )
    assert (code, err) == (0, "")
    assert "Our clinic's day  [day-of]" in out
    assert "A sample checklist  [sample]" in out


def test_list_shows_phases_items_and_due(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "checklists", "list")
    assert (code, err) == (0, "")
    assert out.startswith("Assessment\n  Assessment  [assessment]\n")
    assert "The day of the session\n" in out
    assert "-6h  stop-eating: Stop eating  (clinic decides)" in out
    assert "anytime  keep-practising:" in out


def test_list_reports_left_out_files(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    clinic = tmp_path / "clinic"
    clinic.mkdir()
    (clinic / "bad.yaml").write_text("format: 1\nid: bad\ntitle: [\n")
    code, out, err = run(capsys, "--checklists", str(clinic), "checklists", "list")
    assert code == 1
    assert "Assessment" in out
    first, last = err.splitlines()[0], err.splitlines()[-1]
    assert first.startswith(f"{clinic / 'bad.yaml'}:4:1: ")
    assert last == "some checklist files have problems and were left out (see above)"


def test_list_refuses_a_missing_folder(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, err = run(capsys, "--checklists", str(tmp_path / "nope"), "checklists", "list")
    assert (code, out) == (1, "")
    assert err == f"kapprep: --checklists {tmp_path / 'nope'}: there is no such folder\n"


def test_schema_command(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "checklists", "schema")
    assert code == 0
    assert Path(out.strip()).name == "checklist.schema.json"
    assert Path(out.strip()).is_file()


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    for argv in (["checklists"], ["checklists", "frobnicate"], ["--nope"]):
        with pytest.raises(SystemExit) as info:
            main(argv)
        assert info.value.code == 2
        assert "usage: kapprep" in capsys.readouterr().err


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--version")
    assert (code, out) == (0, "kapprep 0.1.0\n")


def test_folders_that_cannot_be_used(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, write: Callable[..., Path]
) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    write(".hidden.yaml", b"\x00", folder="hidden")  # editor and lock files are left out
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0)
    try:
        code, _, err = run(
            capsys, "checklists", "validate", str(empty), str(tmp_path / "hidden"), str(locked)
        )
    finally:
        locked.chmod(0o700)
    assert code == 1
    lines = err.splitlines()
    assert lines[0] == f"{empty}:1:1: this folder holds no checklist files (*.yaml)"
    assert lines[1] == f"{tmp_path / 'hidden'}:1:1: this folder holds no checklist files (*.yaml)"
    if os.geteuid() != 0:  # root can list any folder
        assert lines[2] == f"{locked}:1:1: cannot read this folder (Permission denied)"
    # In the active set an empty folder is fine: nothing to add.
    assert load_active([empty]).problems == ()
