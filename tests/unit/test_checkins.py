"""The check-in log kept in the app: typed rows checked, kept with the session, exported,
imported, deleted with everything, there after a restart, and in the journal export."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from kapprep.checkins import CheckInError, check_in, parse_pressure, parse_pulse, parse_time
from kapprep.checkins import repo as checkins
from kapprep.journal import export as journal_export
from kapprep.store import Store
from kapprep.store.schema import migrate

LA = ZoneInfo("America/Los_Angeles")
START = datetime(2026, 11, 19, 10, 0, tzinfo=LA)
LATER = START + timedelta(days=1)


def test_times_are_the_sessions_clock_times_and_are_checked() -> None:
    assert parse_time("10:15", "during", START, LATER) == START.replace(minute=15)
    assert parse_time("9.50", "before", START, LATER) == START.replace(hour=9, minute=50)
    with pytest.raises(CheckInError, match="the session started at 10:00; 09:45 is before it"):
        parse_time("09:45", "during", START, LATER)
    with pytest.raises(CheckInError, match="before the session is at or before 10:00"):
        parse_time("10:30", "before", START, LATER)
    with pytest.raises(CheckInError, match="has not come yet"):
        parse_time("11:00", "during", START, START + timedelta(minutes=30))
    with pytest.raises(CheckInError, match="HH:MM"):
        parse_time("quarter past", "during", START, LATER)
    evening = START.replace(hour=21)
    assert parse_time("00:15", "during", evening, LATER + timedelta(days=1)) == (
        evening + timedelta(hours=3, minutes=15)
    )


def test_readings_are_checked_as_typing_only() -> None:
    assert parse_pressure(" 128 / 84 ") == (128, 84)
    assert parse_pressure("") == (None, None)
    assert parse_pulse("72") == 72 and parse_pulse("") is None
    for typed, why in (
        ("84/128", "the first number is the larger"),
        ("1280/84", "two numbers the cuff shows"),
        ("high", "two numbers the cuff shows"),
        ("320/84", "320 is not a number a cuff shows"),
    ):
        with pytest.raises(CheckInError, match=why):
            parse_pressure(typed)
    with pytest.raises(CheckInError, match="Pulse: 7 is not"):
        parse_pulse("7")
    with pytest.raises(CheckInError, match="as a number"):
        parse_pulse("seventy")


def test_a_row_needs_what_its_moment_is_for() -> None:
    with pytest.raises(CheckInError, match="type the blood pressure or pulse"):
        check_in(1, START, LATER, moment="before", time="09:50", note="left arm")
    with pytest.raises(CheckInError, match="how they seemed or a note"):
        check_in(1, START, LATER, moment="during", time="10:15")
    row = check_in(1, START, LATER, moment="after", time="11:30", pressure="118/76", pulse="70")
    assert (row.systolic, row.diastolic, row.pulse) == (118, 76, 70)
    looked = check_in(1, START, LATER, moment="during", time="10:15", seems="  resting\x1b[31m ")
    assert "\x1b" not in looked.seems and looked.seems.startswith("resting")  # no escape kept


def _fill(store: Store) -> int:
    session = store.add_session(START, place_kind="home")
    for moment, time, extra in (
        ("after", "11:05", {"pressure": "118/76"}),
        ("during", "10:30", {"seems": "eyes closed, breathing slow and even"}),
        ("before", "09:55", {"pressure": "128/84", "pulse": "72", "note": "left arm"}),
        ("during", "10:15", {"seems": "resting", "note": "asked for water"}),
    ):
        row = check_in(session.id, START, LATER, moment=moment, time=time, **extra)
        checkins.add(store, row, LATER)
    return session.id


def test_rows_come_back_in_order_in_the_sessions_zone_after_a_restart(tmp_path: Path) -> None:
    with Store.open(tmp_path / "d") as store:
        sid = _fill(store)
    with Store.open(tmp_path / "d") as store:
        kept = checkins.rows(store, sid, "America/Los_Angeles")
    assert [(r.moment, f"{r.at:%H:%M}") for r in kept] == [
        ("before", "09:55"),
        ("during", "10:15"),
        ("during", "10:30"),
        ("after", "11:05"),
    ]
    assert kept[0].note == "left arm" and kept[0].pulse == 72


def test_rows_survive_export_and_import_and_go_with_delete(tmp_path: Path) -> None:
    with Store.open(tmp_path / "a") as store:
        sid = _fill(store)
        text = json.dumps(store.export_data())
        assert len(store.export_data()["tables"]["check_ins"]) == 4
    with Store.open(tmp_path / "b") as other:
        other.import_data(json.loads(text))
        assert [r.seems for r in checkins.rows(other, sid)][1] == "resting"
        other.remove_session(sid)
        assert checkins.rows(other, sid) == [], "removed with its session"
        other.import_data(json.loads(text))
        other.delete_all()
        assert other.export_data()["tables"]["check_ins"] == []


def test_migration_4_adds_the_log_to_a_version_3_database(tmp_path: Path) -> None:
    folder = tmp_path / "old"
    folder.mkdir(mode=0o700)
    conn = sqlite3.connect(folder / "kapprep.db", isolation_level=None)
    migrate(conn, 3)
    conn.execute(
        "INSERT INTO sessions (start_utc, tz, created_at, updated_at, place_kind)"
        " VALUES ('2026-11-19T18:00:00+00:00', 'America/Los_Angeles', 'x', 'x', 'home')"
    )
    conn.close()
    with Store.open(folder) as store:
        assert store.schema_version() == 4
        assert store.sessions()[0].at_home
        assert checkins.rows(store, 1) == []
        checkins.add(store, check_in(1, START, LATER, moment="during", time="10:15",
                                     seems="fine"), LATER)  # fmt: skip
        assert len(checkins.rows(store, 1)) == 1


def test_the_journal_export_for_the_clinic_holds_the_log(tmp_path: Path) -> None:
    with Store.open(tmp_path / "d") as store:
        _fill(store)
        doc = journal_export.document(store, LATER)
    md = journal_export.render(doc, "md").decode()
    assert "check-in log (at home)" in md
    assert "| 09:55 | before the session | blood pressure 128/84, pulse 72; left arm |" in md
    assert "| 10:15 | resting | asked for water |" in md
    assert "| 11:05 | after the session | blood pressure 118/76 |" in md
    html = journal_export.render(doc, "html").decode()
    assert '<table class="log">' in html and "<td>eyes closed, breathing slow and even</td>" in html
    from io import BytesIO

    from pypdf import PdfReader

    pdf = PdfReader(BytesIO(journal_export.render(doc, "pdf")))
    text = " ".join(" ".join(p.extract_text().split()) for p in pdf.pages)
    assert "check-in log (at home)" in text and "blood pressure 128/84, pulse 72" in text


def test_a_long_row_is_wrapped_not_cut_in_the_text_export(tmp_path: Path) -> None:
    long_note = "asked for water and a blanket, then slept; " * 6
    with Store.open(tmp_path / "d") as store:
        session = store.add_session(START, place_kind="home")
        row = check_in(session.id, START, LATER, moment="during", time="10:15", note=long_note)
        checkins.add(store, row, LATER)
        doc = journal_export.document(store, LATER)
    text = journal_export.render(doc, "text").decode()
    assert all(len(line) <= 80 for line in text.splitlines())
    assert " ".join(long_note.split()) in " ".join(text.split())


def test_a_long_row_is_wrapped_not_cut_in_the_pdf_export(tmp_path: Path) -> None:
    from io import BytesIO

    from pypdf import PdfReader

    long_note = "asked for water and a blanket, then slept; " * 6 + "END"
    with Store.open(tmp_path / "d") as store:
        session = store.add_session(START, place_kind="home")
        row = check_in(session.id, START, LATER, moment="during", time="10:15", note=long_note)
        checkins.add(store, row, LATER)
        doc = journal_export.document(store, LATER)
    pdf = PdfReader(BytesIO(journal_export.render(doc, "pdf")))
    text = " ".join(" ".join(p.extract_text().split()) for p in pdf.pages)
    assert " ".join(long_note.split()) in text
