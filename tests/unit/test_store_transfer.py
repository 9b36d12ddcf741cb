"""Export, import and delete: exact round trips, strict validation, nothing changed on bad input."""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kapprep.store import Store, StoreError
from kapprep.store.transfer import (
    EXPORT_FORMAT,
    EXPORT_VERSION,
    json_schema,
    parse_export,
    schema_path,
    table_spec,
)

OSLO = ZoneInfo("Europe/Oslo")


def fill(store: Store) -> None:
    """Some of everything, in every table, including awkward text."""
    s1 = store.add_session(datetime(2026, 12, 3, 10, tzinfo=OSLO), clinic="Calm", phone="+47 1")
    s2 = store.add_session(datetime(2027, 1, 7, 9, 30, tzinfo=ZoneInfo("America/New_York")))
    store.update_session(s2.id, status="cancelled", place="Room ✓ [bold]2[/]")
    store.tick(s1.id, "eat-light", at=datetime(2026, 12, 2, 18, tzinfo=UTC))
    store.tick(s1.id, "stop-eating")
    store.set_note(s1.id, "eat-light", 'soup, "quoted", new\nline, emoji 🌿, nul-free')
    store.set_clinic_time("stop-eating", "-6h")
    store.set_setting("theme", "dark")
    store.set_setting("emergency", {"number": "112", "reduced_motion": True, "x": 1.5})
    store.add_practice("box", datetime(2026, 11, 30, 20, tzinfo=OSLO), 240.5, True, 3, 7)
    store.add_practice("478", datetime(2026, 12, 1, 20, tzinfo=OSLO), 12, False)
    now = "2026-12-01T08:00:00+00:00"
    with store.transaction() as c:
        c.execute("INSERT INTO plan_fields VALUES ('pickup', 'Anna at 14:00', ?)", (now,))
        c.execute(
            "INSERT INTO plan_people (name, relationship, phone, roles, collect_at, updated_at)"
            " VALUES ('Anna', 'sister', '+47 2', '[\"driver\"]', ?, ?)",
            (now, now),
        )
        c.execute(
            "INSERT INTO plan_signs (sign, what_to_do, updated_at) VALUES ('x', 'y', ?)", (now,)
        )
        c.execute(
            "INSERT INTO journal_entries VALUES (?, 'intention', 'What do you hope for?', 'calm', ?)",
            (s1.id, now),
        )
        c.execute(
            "INSERT INTO journal_steps (session_id, text, created_at) VALUES (?, 'walk', ?)",
            (s1.id, now),
        )
        c.execute("INSERT INTO shared_notes VALUES (?, 'support', ?)", (s1.id, now))
        c.execute("INSERT INTO journal_ratings VALUES (?, 'mood', 'before', 4, ?)", (s1.id, now))
        c.execute("INSERT INTO questions (text, created_at) VALUES ('Can I drive?', ?)", (now,))
        c.execute(
            "INSERT INTO check_ins (session_id, moment, at_utc, seems, note, systolic, diastolic,"
            " pulse, created_at) VALUES (?, 'before', ?, '', 'cuff [b]left[/b] arm', 128, 84, 72, ?)",
            (s1.id, now, now),
        )


def without_time(doc: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in doc.items() if k != "exported_at"}


@pytest.fixture
def store(tmp_path: Path) -> Store:
    s = Store.open(tmp_path / "a")
    yield s
    s.close()


def test_export_holds_every_table(store: Store) -> None:
    fill(store)
    doc = store.export_data()
    assert doc["format"] == EXPORT_FORMAT and doc["version"] == EXPORT_VERSION == 4
    expected = {
        "sessions", "ticks", "notes", "clinic_times", "settings", "practice", "plan_fields",
        "plan_people", "plan_signs", "journal_entries", "journal_steps", "journal_ratings",
        "questions", "shared_notes", "check_ins",
    }  # fmt: skip
    assert set(doc["tables"]) == expected
    assert all(doc["tables"][t] for t in expected), "fill() puts a row in every table"
    json.dumps(doc, allow_nan=False)  # it is plain JSON


def test_export_delete_import_round_trips_exactly(store: Store) -> None:
    fill(store)
    before = store.export_data()
    text = json.dumps(before)
    store.delete_all()
    assert all(rows == [] for rows in store.export_data()["tables"].values())
    summary = store.import_data(parse_export(text))
    assert summary["sessions"] == (0, 2)
    after = store.export_data()
    assert without_time(after) == without_time(before)
    assert store.sessions()[1].place == "Room ✓ [bold]2[/]"
    assert store.practices()[0].seconds == 240.5


def test_import_into_another_empty_store_gives_the_same_data(store: Store, tmp_path: Path) -> None:
    fill(store)
    doc = store.export_data()
    with Store.open(tmp_path / "b") as other:
        other.import_data(json.loads(json.dumps(doc)))
        assert without_time(other.export_data()) == without_time(doc)
        assert other.sessions() == store.sessions()
        assert other.ticks(1) == store.ticks(1)


def test_import_replaces_rather_than_merges(store: Store, tmp_path: Path) -> None:
    fill(store)
    with Store.open(tmp_path / "b") as other:
        other.add_session(datetime(2030, 1, 1, 9, tzinfo=OSLO))
        doc = other.export_data()
    store.import_data(doc)
    assert [s.start.year for s in store.sessions()] == [2030]
    assert store.practices() == [] and store.get_setting("theme") is None


def test_dry_run_changes_nothing(store: Store) -> None:
    fill(store)
    before = store.export_data()
    empty = copy.deepcopy(before)
    for rows in empty["tables"].values():
        rows.clear()
    summary = store.import_data(empty, dry_run=True)
    assert summary["ticks"] == (2, 0)
    assert without_time(store.export_data()) == without_time(before)


def test_the_shipped_json_schema_matches_the_database(store: Store) -> None:
    shipped = json.loads(schema_path().read_text(encoding="utf-8"))
    assert shipped == json_schema(table_spec(store.conn), store.schema_version())


def test_an_export_validates_against_the_shipped_schema(store: Store) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    fill(store)
    jsonschema.validate(store.export_data(), json.loads(schema_path().read_text()))


BAD_EDITS = [
    ("not an object", lambda d: [d], "expected an object"),
    ("wrong format", lambda d: {**d, "format": "other"}, "format"),
    ("newer version", lambda d: {**d, "version": EXPORT_VERSION + 1}, "newer kapprep"),
    ("version as text", lambda d: {**d, "version": "1"}, "version"),
    ("unknown key", lambda d: {**d, "extra": 1}, "extra"),
    ("exported_at not a time", lambda d: {**d, "exported_at": "today"}, "exported_at"),
    ("missing tables", lambda d: {k: v for k, v in d.items() if k != "tables"}, "tables"),
    ("unknown table", lambda d: {**d, "tables": {**d["tables"], "evil": []}}, "tables.evil"),
    (
        "missing table",
        lambda d: {**d, "tables": {k: v for k, v in d["tables"].items() if k != "ticks"}},
        "tables.ticks",
    ),
    ("table not a list", lambda d: _set(d, "ticks", {}), "tables.ticks"),
    ("row not an object", lambda d: _set(d, "ticks", [[1, "a", "b"]]), "tables.ticks[0]"),
    ("text for a number", lambda d: _row(d, "sessions", "id", "1"), "tables.sessions[0].id"),
    ("bool for a number", lambda d: _row(d, "practice", "finished", True), "finished"),
    ("null for required", lambda d: _row(d, "sessions", "tz", None), "tables.sessions[0].tz"),
    ("unknown zone", lambda d: _row(d, "sessions", "tz", "Mars/Olympus"), "time zone"),
    ("number for text", lambda d: _row(d, "notes", "text", 5), "tables.notes[0].text"),
    ("bad time", lambda d: _row(d, "ticks", "ticked_at", "yesterday"), "ticked_at"),
    ("naive time", lambda d: _row(d, "sessions", "start_utc", "2026-12-03T09:00"), "offset"),
    ("extra column", lambda d: _row(d, "notes", "secret", "x"), "secret"),
    ("missing column", lambda d: _drop(d, "notes", "text"), "tables.notes[0].text"),
    ("huge number", lambda d: _row(d, "practice", "calm_after", 2**70), "too large"),
    ("lone surrogate", lambda d: _row(d, "notes", "text", "\ud800"), "Unicode"),
    ("bad status", lambda d: _row(d, "sessions", "status", "maybe"), "out of range"),
    ("rating out of range", lambda d: _row(d, "journal_ratings", "value", 11), "out of range"),
    ("orphan tick", lambda d: _row(d, "ticks", "session_id", 99), "not in the file"),
    ("duplicate row", lambda d: _dup(d, "ticks"), "twice"),
    ("setting not JSON", lambda d: _row(d, "settings", "value", "{nope"), "JSON"),
]


def _set(d: dict[str, Any], table: str, value: Any) -> dict[str, Any]:
    d = copy.deepcopy(d)
    d["tables"][table] = value
    return d


def _row(d: dict[str, Any], table: str, col: str, value: Any) -> dict[str, Any]:
    d = copy.deepcopy(d)
    d["tables"][table][0][col] = value
    return d


def _drop(d: dict[str, Any], table: str, col: str) -> dict[str, Any]:
    d = copy.deepcopy(d)
    del d["tables"][table][0][col]
    return d


def _dup(d: dict[str, Any], table: str) -> dict[str, Any]:
    d = copy.deepcopy(d)
    d["tables"][table].append(dict(d["tables"][table][0]))
    return d


@pytest.mark.parametrize(("name", "edit", "where"), BAD_EDITS, ids=[b[0] for b in BAD_EDITS])
def test_bad_documents_are_refused_and_change_nothing(
    store: Store, name: str, edit: Any, where: str
) -> None:
    fill(store)
    good = store.export_data()
    before = without_time(good)
    with pytest.raises(StoreError) as info:
        store.import_data(edit(good))
    assert where in str(info.value)
    assert "Traceback" not in str(info.value)
    assert without_time(store.export_data()) == before


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"a": 1, "a": 2}', "twice"),
        ('{"a": NaN}', "NaN"),
        ("{", "line 1"),
        ("[" * 100_000, "nested too deeply|not valid JSON"),
    ],
)
def test_bad_json_is_a_clear_error(text: str, message: str) -> None:
    with pytest.raises(StoreError, match=message):
        parse_export(text)


def test_bytes_that_are_not_utf8_are_a_clear_error() -> None:
    with pytest.raises(StoreError, match="not UTF-8"):
        parse_export(b'{"a": "\xff"}')


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(value=json_values)
def test_any_json_value_is_refused_cleanly(store: Store, value: Any) -> None:
    fill_once(store)
    before = without_time(store.export_data())
    with pytest.raises(StoreError):
        store.import_data(value)
    assert without_time(store.export_data()) == before


@st.composite
def mutated_exports(draw: st.DrawFn) -> dict[str, Any]:
    doc = copy.deepcopy(_GOOD[0])
    tables = doc["tables"]
    table = draw(st.sampled_from(sorted(t for t in tables if tables[t])))
    row = draw(st.sampled_from(tables[table]))
    col = draw(st.sampled_from(sorted(row)))
    row[col] = draw(json_values.filter(lambda v: type(v) is not type(row[col]) and _kept(v)))
    return doc


def _kept(value: Any) -> bool:
    """Text the import keeps as it is: a control character is taken out on the way in
    (`kapprep.cleantext`), so a document holding one does not come back the same."""
    from kapprep.cleantext import clean

    return not isinstance(value, str) or clean(value, one_line=True).strip() == value


_GOOD: list[dict[str, Any]] = []


def fill_once(store: Store) -> None:
    if not store.sessions():
        fill(store)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_a_value_of_the_wrong_type_anywhere_is_refused(store: Store, data: st.DataObject) -> None:
    fill_once(store)
    if not _GOOD:
        _GOOD.append(store.export_data())
    doc = data.draw(mutated_exports())
    before = without_time(store.export_data())
    try:
        store.import_data(doc)
    except StoreError:
        assert without_time(store.export_data()) == before
    else:  # a null where null is allowed, or an int for a real: a valid document after all
        assert without_time(store.export_data()) == without_time(doc)
        store.import_data(_GOOD[0])


def test_an_export_from_version_1_still_imports_with_its_clinic_times(store: Store) -> None:
    """Version 1 kept the clinic's times per session (`overrides`); they come in for the series,
    the one set last per item, and the never-used `value` is dropped."""
    fill(store)
    doc = store.export_data()
    session_id = doc["tables"]["sessions"][0]["id"]
    old = {**doc, "version": 1, "schema_version": 1, "tables": dict(doc["tables"])}
    del old["tables"]["clinic_times"]
    old["tables"]["overrides"] = [
        {"session_id": session_id, "item_id": "stop-eating", "due": "-6h", "value": "6 hours",
         "updated_at": "2026-11-01T09:00:00+00:00"},
        {"session_id": session_id, "item_id": "stop-eating", "due": "-4h", "value": None,
         "updated_at": "2026-11-02T09:00:00+00:00"},
        {"session_id": session_id, "item_id": "stop-drinking", "due": None, "value": "2 hours",
         "updated_at": "2026-11-02T09:00:00+00:00"},
    ]  # fmt: skip
    store.import_data(old)
    assert store.clinic_times() == {"stop-eating": "-4h"}
    assert store.sessions() and store.export_data()["version"] == EXPORT_VERSION


def test_an_export_from_version_2_imports_with_its_sessions_place_not_said(store: Store) -> None:
    """Version 2 had no place_kind: its sessions come in with none (as migration 3 does)."""
    fill(store)
    store.update_session(store.sessions()[0].id, place_kind="home")
    doc = store.export_data()
    old = {**doc, "version": 2, "schema_version": 2, "tables": dict(doc["tables"])}
    old["tables"]["sessions"] = [
        {k: v for k, v in row.items() if k != "place_kind"} for row in doc["tables"]["sessions"]
    ]
    del old["tables"]["shared_notes"]
    store.import_data(old)
    assert [s.place_kind for s in store.sessions()] == [None] * len(old["tables"]["sessions"])
    assert store.export_data()["tables"]["shared_notes"] == []  # nothing was shared in v2
    assert store.export_data()["version"] == EXPORT_VERSION


def test_an_export_from_version_3_imports_with_no_check_ins(store: Store) -> None:
    """Version 3 had no check-in log: it comes in empty (as migration 4 makes it)."""
    fill(store)
    doc = store.export_data()
    old = {**doc, "version": 3, "schema_version": 3, "tables": dict(doc["tables"])}
    del old["tables"]["check_ins"]
    store.import_data(old)
    assert store.export_data()["tables"]["check_ins"] == []
    assert len(store.export_data()["tables"]["sessions"]) == 2
    assert store.export_data()["version"] == EXPORT_VERSION


def test_a_version_1_export_with_a_bad_override_is_refused_by_place(store: Store) -> None:
    fill(store)
    before = without_time(store.export_data())
    old = {"format": EXPORT_FORMAT, "version": 1, "exported_at": "2026-11-01T09:00:00+00:00",
           "tables": {"overrides": ["not a row"]}}  # fmt: skip
    with pytest.raises(StoreError, match=r"tables\.overrides\[0\]: expected an object"):
        store.import_data(old)
    assert without_time(store.export_data()) == before
