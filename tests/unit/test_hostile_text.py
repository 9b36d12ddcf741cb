"""Terminal escapes from outside never reach the terminal: a clinic's file that carries ESC,
7-bit and 8-bit CSI, OSC and a bidi override is refused by `validate` with each place, and text
kept before this check (here written straight into the store) is escaped by every command."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from kapprep.cleantext import is_unsafe
from kapprep.cli import main
from kapprep.store import Store, StoreError

EVIL = """\
format: 1
id: evil
title: "Day \\e]0;OWNED\\a\\e[2J"
phase: day-of
sources:
  - title: A guide
    url: https://example.org/a
items:
  - id: x1
    text: "Eat \\x9b2J now"
  - id: x2
    text: "Turn \\u202e it"
  - id: x3
    text: "OSC \\x9d0;T\\x9c"
"""

ATTACK = "\x1b]0;OWNED\x07\x1b[2J\x9b2J\u202e"


def clean_output(text: str) -> bool:
    return not any(is_unsafe(ch) for ch in text)


@pytest.fixture(autouse=True)
def _private(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KAPPREP_HOME", raising=False)
    monkeypatch.setenv("KAPPREP_CONFIG", str(tmp_path / "config"))
    monkeypatch.setattr(sys.stdin, "isatty", lambda: False)


def test_validate_names_each_escape_with_its_line_and_column(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "evil.yaml"
    path.write_text(EVIL)
    assert main(["checklists", "validate", str(path)]) == 1
    out = capsys.readouterr()
    said = out.out + out.err
    assert f"{path}:3:8: this text holds ESC (U+001B)" in said
    assert f"{path}:10:11: this text holds CSI (U+009B)" in said
    assert f"{path}:12:11: this text holds U+202E, a direction override" in said
    assert f"{path}:14:11: this text holds OSC (U+009D)" in said
    assert clean_output(said)


def test_a_refused_file_is_not_listed_and_nothing_reaches_the_terminal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "lists"
    folder.mkdir()
    (folder / "evil.yaml").write_text(EVIL)
    main(["--checklists", str(folder), "checklists", "list"])
    out = capsys.readouterr()
    assert "OWNED" not in out.out and clean_output(out.out + out.err)
    data = str(tmp_path / "data")
    main(["--data-dir", data, "--checklists", str(folder), "session", "add", "2026-12-03 10:00",
          "--tz", "UTC"])  # fmt: skip
    main(["--data-dir", data, "--checklists", str(folder), "next", "--all"])
    out = capsys.readouterr()
    assert "OWNED" not in out.out and clean_output(out.out + out.err)


def test_old_text_in_the_store_is_escaped_by_every_command(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    assert main(["--data-dir", str(data), "session", "add", "2026-12-03 10:00", "--tz", "UTC",
                 "--clinic", "Calm"]) == 0  # fmt: skip
    with Store.open(data) as store:
        [s] = store.sessions()
        with store.transaction() as conn:  # as if kept before the check existed
            conn.execute("UPDATE sessions SET clinic = ?, place = ?", (ATTACK, ATTACK))
            conn.execute(
                "INSERT INTO notes (session_id, item_id, text, updated_at) VALUES (?, ?, ?, ?)",
                (s.id, "stop-eating", ATTACK, "2026-11-20T12:00:00+00:00"),
            )
    capsys.readouterr()
    for command in (["session", "list"], ["next", "--all"], ["next", "--json"], ["export"]):
        main(["--data-dir", str(data), *command])
        out = capsys.readouterr()
        assert clean_output(out.out + out.err), command


# -- edges that crashed --------------------------------------------------------------------


@pytest.mark.parametrize("when", ["9999-12-31 23:00", "0001-01-01 10:00", "1969-12-31 10:00"])
@pytest.mark.parametrize("zone", ["UTC", "America/New_York"])
def test_a_date_outside_1970_2200_is_refused_with_the_range(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], when: str, zone: str
) -> None:
    data = tmp_path / "data"
    assert main(["--data-dir", str(data), "session", "add", when, "--tz", zone]) == 1
    err = capsys.readouterr().err
    assert "from 1970 to 2200" in err and "not your fault" not in err
    assert not (data / "crash-reports").exists()


def test_the_app_reader_refuses_a_far_year_too() -> None:
    from datetime import UTC, datetime

    from kapprep.whentext import WhenError, parse_when

    with pytest.raises(WhenError, match="from 1970 to 2200"):
        parse_when("31 Dec 9999 23:00", datetime(2026, 11, 20, 12, tzinfo=UTC))


@pytest.mark.parametrize(
    "command",
    [["session", "edit", "99999999999999999999", "--clinic", "x"],
     ["session", "remove", "99999999999999999999", "--yes"],
     ["next", "--session", "99999999999999999999"],
     ["tick", "stop-eating", "--session", "99999999999999999999"],
     ["briefing", "--session", "99999999999999999999"],
     ["journal", "export", "--session", "99999999999999999999"]],
)  # fmt: skip
def test_a_20_digit_number_is_a_usage_error_not_a_crash(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    data = tmp_path / "data"
    with pytest.raises(SystemExit) as done:
        main(["--data-dir", str(data), *command])
    assert done.value.code == 2
    assert "is not a number kapprep gives" in capsys.readouterr().err
    assert not (data / "crash-reports").exists()


def test_two_briefings_saved_in_the_same_second_keep_both(tmp_path: Path) -> None:
    from datetime import UTC, datetime

    from kapprep.documents.output import save_in

    now = datetime(2026, 11, 20, 12, 0, 0, tzinfo=UTC)
    first = save_in(tmp_path, "md", b"one", now)
    second = save_in(tmp_path, "md", b"two", now)
    assert first != second and first.read_bytes() == b"one" and second.read_bytes() == b"two"


def test_text_that_enters_is_kept_without_what_a_terminal_acts_on(tmp_path: Path) -> None:
    from datetime import UTC, datetime

    from kapprep import journal
    from kapprep import plan as plans

    with Store.open(tmp_path / "data") as store:
        s = store.add_session(
            datetime(2026, 12, 3, 10, tzinfo=UTC), clinic=f"Calm{ATTACK}", place="A\nB"
        )
        assert s.clinic == "Calm]0;OWNED[2J2J" and s.place == "A B"
        store.set_note(s.id, "stop-eating", f"line one\n{ATTACK}line two")
        assert store.notes(s.id)["stop-eating"] == "line one\n]0;OWNED[2J2Jline two"
        plans.set_field(store, "home_address", f"4 Elm{ATTACK} Road")
        assert plans.load_plan(store).values["home_address"] == "4 Elm]0;OWNED[2J2J Road"
        journal.save_entry(store, s.id, "intention", "hope", f"rest{ATTACK}", datetime.now(UTC))
        assert journal.entries(store, s.id, "intention")["hope"] == "rest]0;OWNED[2J2J"


def test_an_import_keeps_the_text_without_the_escapes(tmp_path: Path) -> None:
    import json
    from datetime import UTC, datetime

    with Store.open(tmp_path / "a") as store:
        s = store.add_session(datetime(2026, 12, 3, 10, tzinfo=UTC), clinic="Calm")
        with store.transaction() as conn:  # as if written by an older kapprep, or by hand
            conn.execute("UPDATE sessions SET clinic = ?", (f"Calm{ATTACK}",))
        doc = json.loads(json.dumps(store.export_data()))
        del s
    with Store.open(tmp_path / "b") as other:
        other.import_data(doc)
        [s] = other.sessions()
        assert s.clinic == "Calm]0;OWNED[2J2J"


def test_a_huge_item_is_refused_with_its_place(tmp_path: Path) -> None:
    from kapprep.checklists import parse_checklist

    text = EVIL.split("items:")[0].replace('"Day \\e]0;OWNED\\a\\e[2J"', "Day") + (
        f"items:\n  - id: big\n    text: {'word ' * 300_000}\n"
    )
    checklist, problems = parse_checklist(text, "big.yaml")
    assert checklist is None
    assert any(
        p.line == 10 and "characters long; keep it under 500" in p.message for p in problems
    ), problems


def test_plan_import_of_a_lone_surrogate_or_a_5000_digit_number_is_told_not_crashed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    big, odd = tmp_path / "big.json", tmp_path / "odd.json"
    big.write_text('{"format": "kapprep-plan", "version": ' + "9" * 5000 + ', "fields": {}}')
    odd.write_text('{"format": "kapprep-plan", "version": 1, "fields": {"clinic": "\\ud800Calm"}}')
    assert main(["--data-dir", str(data), "plan", "import", str(big), "--yes"]) == 1
    assert "too long" in capsys.readouterr().err
    assert main(["--data-dir", str(data), "plan", "import", str(odd), "--yes"]) == 0
    from kapprep import plan as plans

    with Store.open(data) as store:
        assert plans.load_plan(store).values["clinic"] == "Calm"
    assert not (data / "crash-reports").exists()


def test_the_pdf_names_what_it_cannot_draw_instead_of_dropping_it() -> None:
    import io
    from dataclasses import replace

    from pypdf import PdfReader

    from kapprep import briefing
    from kapprep.plan import Person, default_plan

    helper = Person(id=1, name="김민준", relationship="", phone="+447700900123",
                    roles=("stays_with_me",), collect_at=None, stay_until=None, notes="",
                    position=0)  # fmt: skip
    doc = briefing.build_briefing(replace(default_plan(), people=(helper,)), None)
    text = PdfReader(io.BytesIO(briefing.render(doc, "pdf"))).pages[0].extract_text()
    assert "cannot be drawn in a PDF" in text and "U+AE40" in text
    plain = briefing.build_briefing(default_plan(), None)
    assert (
        "cannot be drawn"
        not in PdfReader(io.BytesIO(briefing.render(plain, "pdf"))).pages[0].extract_text()
    )


def test_no_output_file_carries_an_escape_from_old_text(tmp_path: Path) -> None:
    """The calendar, the briefing in each format and the journal's export, from a store holding
    escapes kept before the check."""
    from datetime import UTC, datetime

    from kapprep import briefing, paths
    from kapprep import plan as plans
    from kapprep.checklists import load_layers
    from kapprep.ical import calendar_for_store
    from kapprep.journal import export as journal_export

    now = datetime(2026, 11, 20, 12, tzinfo=UTC)
    with Store.open(tmp_path / "data") as store:
        s = store.add_session(datetime(2026, 12, 3, 10, tzinfo=UTC), clinic="Calm")
        with store.transaction() as conn:  # as if kept before the check existed
            conn.execute("UPDATE sessions SET clinic = ?, place = ?", (ATTACK, ATTACK))
            conn.execute(
                "INSERT INTO plan_fields (key, value, updated_at) VALUES (?, ?, ?)",
                ("home_address", ATTACK, "2026-11-20T12:00:00+00:00"),
            )
            conn.execute(
                "INSERT INTO journal_entries (session_id, kind, prompt, text, updated_at)"
                " VALUES (?, ?, ?, ?, ?)",
                (s.id, "intention", "hope", ATTACK, "2026-11-20T12:00:00+00:00"),
            )
        items = load_layers(paths.checklist_layers([])).items()
        files = {"ics": calendar_for_store(store, items, now)}
        doc = briefing.build_briefing(plans.load_plan(store), store.session(s.id))
        for fmt in ("text", "md", "html"):
            files[fmt] = briefing.render(doc, fmt)
        files["journal"] = journal_export.render(journal_export.document(store, now), "md")
    for name, data in files.items():  # CRLF ends a calendar's lines, as RFC 5545 asks
        assert clean_output(data.decode("utf-8").replace("\r\n", "\n")), name


def test_an_empty_data_folder_name_is_an_error_not_the_default(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert main(["--data-dir", "", "session", "list"]) == 1
    assert "--data-dir is empty" in capsys.readouterr().err
    monkeypatch.setenv("KAPPREP_HOME", "")
    assert main(["where"]) == 1
    assert "KAPPREP_HOME is set but empty" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("table", "column", "value"),
    [("sessions", "start_utc", "9999-12-31T23:00:00+00:00"),
     ("journal_steps", "created_at", "not a time"),
     ("questions", "asked_at", "0001-01-01T00:00:00+00:00")],
)  # fmt: skip
def test_an_import_with_far_or_garbage_times_is_refused_with_the_place(
    tmp_path: Path, table: str, column: str, value: str
) -> None:
    import json
    from datetime import UTC, datetime

    from kapprep import journal

    with Store.open(tmp_path / "a") as store:
        s = store.add_session(datetime(2026, 12, 3, 10, tzinfo=UTC))
        journal.add_step(store, s.id, "walk", datetime(2026, 12, 4, tzinfo=UTC))
        q = journal.add_question(store, "sleep?", datetime(2026, 11, 20, tzinfo=UTC))
        journal.set_asked(store, q, True, datetime(2026, 11, 21, tzinfo=UTC))
        doc = json.loads(json.dumps(store.export_data()))
    doc["tables"][table][0][column] = value
    with Store.open(tmp_path / "b") as other:
        with pytest.raises(StoreError) as told:
            other.import_data(doc)
        assert f"tables.{table}[0].{column}" in str(told.value)
        assert other.sessions() == []  # nothing was kept


def test_a_checklist_folder_that_cannot_be_opened_is_a_problem_not_a_crash(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kapprep import paths
    from kapprep.checklists import load_layers

    locked = tmp_path / "config" / "checklists"
    real = Path.exists

    def exists(self: Path, **kw: object) -> bool:
        if self == locked:  # as another user's 0700 folder on the way answers
            raise PermissionError(13, "Permission denied", str(self))
        return real(self)

    monkeypatch.setattr(Path, "exists", exists)
    found = load_layers([paths.shipped_checklists_dir(), locked])
    assert list(found.items())  # the shipped checklists still load
    assert [str(p) for p in found.problems] == [
        f"{locked}:1:1: cannot open this folder (Permission denied)"
    ]
