"""The support plan: fields, phone numbers, people, timeline, missing fields, store round trips."""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest
from briefing_samples import LONDON, NAME, PEOPLE, SESSION, typical_plan
from hypothesis import given, settings
from hypothesis import strategies as st

from kapprep import plan as p
from kapprep.plan import Person, Plan, PlanError
from kapprep.store import Store


@pytest.fixture
def store(tmp_path: Path) -> Store:
    s = Store.open(tmp_path / "data")
    yield s
    s.close()


# -- phone numbers ---------------------------------------------------------------------------


def test_phone_numbers_are_shown_in_international_form() -> None:
    assert p.normalise_phone("+44 113 496 0000", None) == "+44 113 496 0000"
    assert p.normalise_phone("0113 496 0000", "GB") == "+44 113 496 0000"
    assert p.normalise_phone("(201) 555-0123", "US") == "+1 201-555-0123"
    assert p.normalise_phone("  ", "US") == ""


@pytest.mark.parametrize(
    ("raw", "region", "message"),
    [
        ("12345", "GB", "that is not a phone number in GB: check the digits"),
        ("hello", "GB", "does not look like a phone number"),
        ("0113 496 0000", None, "start the number with +"),
        ("+1" + "5" * 50, None, "too long"),
    ],
)
def test_bad_phone_numbers_say_what_is_wrong(raw: str, region: str | None, message: str) -> None:
    with pytest.raises(PlanError, match=message):
        p.normalise_phone(raw, region)


def test_emergency_numbers_can_be_short() -> None:
    assert p.clean_field("emergency_number", " 112 ", None) == "112"
    assert p.clean_field("emergency_number", "+44 113 496 0000", None) == "+44 113 496 0000"
    with pytest.raises(PlanError, match=r"^Emergency number: an emergency number is 2 to 4 digits"):
        p.clean_field("emergency_number", "9", None)


def test_default_region_comes_from_the_setting_then_the_locale(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("LC_ALL", "")
    monkeypatch.setenv("LC_TELEPHONE", "")
    monkeypatch.setenv("LANG", "nb_NO.UTF-8")
    assert p.default_region(None) == "NO"
    assert p.default_region("gb") == "GB"
    assert p.default_region("nonsense") == "NO"


# -- fields ----------------------------------------------------------------------------------


def test_fields_are_checked_and_normalised() -> None:
    assert p.clean_field("session_minutes", " 090 ") == "90"
    assert p.clean_field("pickup_at", "9.05") == "09:05"
    assert p.clean_field("pickup_at", "") == ""
    assert p.clean_field("share_medical", "Yes") == "yes"
    assert p.clean_field("what_helps", "  tea\r\nquiet  ") == "tea\nquiet"
    with pytest.raises(PlanError, match=r"^Session length \(minutes\): write a number"):
        p.clean_field("session_minutes", "an hour")
    with pytest.raises(PlanError, match=r"^Pick-up time \(HH:MM\): write the time as HH:MM"):
        p.clean_field("pickup_at", "25:00")
    with pytest.raises(PlanError, match="no plan field called 'colour'"):
        p.clean_field("colour", "blue")
    with pytest.raises(PlanError, match="under 2000 characters"):
        p.clean_field("what_helps", "x" * 2001)


def test_defaults_fill_in_unset_fields() -> None:
    plan = Plan()
    assert plan.get("arrive_early") == "10"
    assert plan.get("call_emergency_when").startswith("it is a medical emergency")
    assert plan.get("clinic") == ""
    assert not plan.shares_medical


def test_the_prefilled_signs_cover_what_the_guides_name() -> None:
    signs = " ".join(s.sign.lower() for s in p.default_plan().signs)
    for word in ("nausea", "dizziness", "unsteadiness", "tiredness", "disorientation", "feelings"):
        assert word in signs
    assert all(s.what_to_do for s in p.default_plan().signs)


# -- timeline --------------------------------------------------------------------------------


def test_pickup_is_session_end_plus_recovery_unless_set() -> None:
    plan = typical_plan()
    day = p.day_times(plan, SESSION.start)
    assert (day.arrive, day.end, day.pickup) == (
        datetime(2026, 12, 3, 9, 50, tzinfo=LONDON),
        datetime(2026, 12, 3, 11, 0, tzinfo=LONDON),
        datetime(2026, 12, 3, 12, 30, tzinfo=LONDON),
    )
    assert not day.pickup_is_set
    edited = replace(plan, values={**plan.values, "pickup_at": "13:15"})
    day = p.day_times(edited, SESSION.start)
    assert day.pickup == datetime(2026, 12, 3, 13, 15, tzinfo=LONDON) and day.pickup_is_set
    assert p.day_times(Plan(), SESSION.start).pickup is None
    assert p.day_times(plan, None).start is None


# -- missing fields --------------------------------------------------------------------------


def test_missing_fields_of_an_empty_plan() -> None:
    missing = p.missing_fields(Plan(), None)
    assert missing[0].startswith("the session's date")
    for label in ("Clinic", "Clinic phone", "Home address", "Emergency number", "a support person"):
        assert label in missing
    assert "someone who collects you after" in missing


def test_a_typical_plan_misses_nothing() -> None:
    assert p.missing_fields(typical_plan(), SESSION) == []


def test_missing_names_a_person_without_a_phone_and_unshared_medical_is_not_missing() -> None:
    plan = typical_plan()
    plan = replace(
        plan,
        people=(replace(PEOPLE[0], phone=""), PEOPLE[1]),
        values={**plan.values, "share_medical": "no", "medications": "", "allergies": ""},
    )
    assert p.missing_fields(plan, SESSION) == [f"{NAME}'s phone"]
    shared = replace(plan, values={**plan.values, "share_medical": "yes"})
    assert "Medications and allergies (you chose to share them)" in p.missing_fields(
        shared, SESSION
    )


def test_the_clinic_can_come_from_the_session() -> None:
    plan = replace(
        typical_plan(),
        values={
            k: v
            for k, v in typical_plan().values.items()
            if k not in ("clinic", "clinic_phone", "clinic_address")
        },
    )
    session = replace(SESSION, clinic="C", phone="+44 113 496 0000", place="Room 2")
    assert p.missing_fields(plan, session) == []


# -- people ----------------------------------------------------------------------------------


def test_find_person_by_name_or_unique_start() -> None:
    plan = typical_plan()
    assert p.find_person(plan, "zoë").name == NAME
    assert p.find_person(plan, "SAM").name == "Sam Patel"
    with pytest.raises(PlanError, match="nobody called 'Kim'"):
        p.find_person(plan, "Kim")
    twins = replace(plan, people=(Person(1, "Sam A"), Person(2, "Sam B")))
    with pytest.raises(PlanError, match="more than one person"):
        p.find_person(twins, "Sam")


def test_roles_parse_and_keep_a_fixed_order() -> None:
    assert p.parse_roles("stays_with_me, drives-there") == ("drives_there", "stays_with_me")
    with pytest.raises(PlanError, match="unknown role 'flies'"):
        p.parse_roles("flies")


# -- the store -------------------------------------------------------------------------------


def test_a_new_plan_is_prefilled_once(store: Store) -> None:
    plan = p.load_plan(store)
    assert [s.sign for s in plan.signs] == [s for s, _ in p.DEFAULT_SIGNS]
    assert all(s.id is not None for s in plan.signs)
    for sign in plan.signs:
        assert sign.id is not None
        p.remove_sign(store, sign.id)
    assert p.load_plan(store).signs == ()  # removed stays removed
    assert plan.values == {}  # the bookkeeping key is not a field


def test_fields_are_saved_one_at_a_time(store: Store) -> None:
    assert p.set_field(store, "clinic_phone", "0113 496 0000", "GB") == "+44 113 496 0000"
    p.set_field(store, "clinic", "Calm Clinic")
    p.set_field(store, "clinic", "Calmer Clinic")
    plan = p.load_plan(store)
    assert plan.values == {"clinic_phone": "+44 113 496 0000", "clinic": "Calmer Clinic"}
    with pytest.raises(PlanError):
        p.set_field(store, "clinic_phone", "nope", "GB")
    assert p.load_plan(store).get("clinic_phone") == "+44 113 496 0000"


def test_people_add_update_remove(store: Store) -> None:
    zoe = p.add_person(
        store,
        Person(name=NAME, phone="07911 123456", roles=("stays_with_me", "drives_there")),
        "GB",
    )
    sam = p.add_person(store, Person(name="Sam", collect_at="2.30pm".replace("pm", "")), "GB")
    assert zoe.id is not None and sam.id is not None
    assert zoe.phone == "+44 7911 123456" and zoe.roles == ("drives_there", "stays_with_me")
    assert sam.collect_at == "02:30"
    p.update_person(store, replace(zoe, relationship="partner", stay_until="9 am"), "GB")
    plan = p.load_plan(store)
    assert [x.name for x in plan.people] == [NAME, "Sam"]
    assert plan.people[0].relationship == "partner" and plan.people[0].stay_until == "9 am"
    with pytest.raises(PlanError, match=r"^Phone: "):
        p.update_person(store, replace(zoe, phone="123"), "GB")
    p.remove_person(store, sam.id)
    assert [x.name for x in p.load_plan(store).people] == [NAME]
    with pytest.raises(PlanError, match="no longer in the plan"):
        p.remove_person(store, sam.id)


def test_signs_can_be_edited_and_added(store: Store) -> None:
    first = p.load_plan(store).signs[0]
    assert first.id is not None
    p.set_sign(store, first.id, "Nausea", "Bucket by the sofa.")
    added = p.add_sign(store, "Headache", "Water and rest.")
    signs = p.load_plan(store).signs
    assert signs[0].what_to_do == "Bucket by the sofa." and signs[-1] == added
    with pytest.raises(PlanError, match="write the sign"):
        p.add_sign(store, "  ", "x")


def test_export_and_import_round_trip(store: Store, tmp_path: Path) -> None:
    plan = typical_plan()
    doc = json.loads(json.dumps(p.export_plan(plan)))
    parsed = p.parse_plan_document(doc, "GB")
    p.import_plan(store, parsed)
    back = p.load_plan(store)
    assert back.values == plan.values
    assert [(x.name, x.phone, x.roles) for x in back.people] == [
        (x.name, x.phone, x.roles) for x in plan.people
    ]
    assert [(s.sign, s.what_to_do) for s in back.signs] == [
        (s.sign, s.what_to_do) for s in plan.signs
    ]


@pytest.mark.parametrize(
    ("doc", "message"),
    [
        ([], "expected a JSON object"),
        ({"format": "other", "version": 1}, "format: expected 'kapprep-plan'"),
        ({"format": "kapprep-plan", "version": 2}, "version: expected 1"),
        ({"format": "kapprep-plan", "version": 1, "extra": 1}, "extra: unknown key"),
        ({"format": "kapprep-plan", "version": 1, "fields": {"clinic": 3}}, "fields.clinic"),
        ({"format": "kapprep-plan", "version": 1, "fields": {"x": "y"}}, "fields.x"),
        (
            {"format": "kapprep-plan", "version": 1, "people": [{"name": "A", "phone": "1"}]},
            r"people\[0\]: Phone:",
        ),
        (
            {"format": "kapprep-plan", "version": 1, "people": [{"roles": ["fly"]}]},
            r"people\[0\]: Roles: unknown role",
        ),
        ({"format": "kapprep-plan", "version": 1, "signs": [{"sign": ""}]}, r"signs\[0\]"),
    ],
)
def test_bad_plan_documents_name_the_place(doc: object, message: str) -> None:
    with pytest.raises(PlanError, match=message):
        p.parse_plan_document(doc, "GB")


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)


@settings(max_examples=150, deadline=None)
@given(
    st.fixed_dictionaries(
        {"format": st.just("kapprep-plan"), "version": st.just(1)},
        optional={"fields": _json, "people": _json, "signs": _json},
    )
)
def test_any_document_is_a_plan_or_a_plan_error(doc: dict[str, object]) -> None:
    with contextlib.suppress(PlanError):
        p.parse_plan_document(doc, "GB")


def test_the_plan_module_does_not_import_textual_or_heavy_libraries() -> None:
    code = (
        "import sys, kapprep.plan, kapprep.briefing, kapprep.cli.plan_cmd; "
        "bad = [m for m in ('textual', 'fpdf', 'phonenumbers') if m in sys.modules]; "
        "print(bad); sys.exit(1 if bad else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_settings_fill_in_unset_fields_and_the_region(store: Store) -> None:
    store.set_setting("emergency_number", "112")
    store.set_setting("clinic_name", "Settings Clinic")
    store.set_setting("country", "NO")
    plan = p.load_plan(store)
    assert plan.get("emergency_number") == "112" and plan.get("clinic") == "Settings Clinic"
    assert "emergency_number" not in p.export_plan(plan)["fields"]
    assert p.region_of(store) == "NO"
    p.set_field(store, "emergency_number", "911")
    assert p.load_plan(store).get("emergency_number") == "911"
    store.set_setting("country", "EU")  # not a phone region: falls back to the locale
    assert p.region_of(store) != "EU"


def test_damaged_rows_from_a_hand_edited_import_do_not_break_the_plan(store: Store) -> None:
    with store.transaction() as conn:
        conn.execute(
            "INSERT INTO plan_fields (key, value, updated_at) VALUES ('pickup_at', 'soon', 'x')"
        )
        conn.execute(
            "INSERT INTO plan_people (name, roles, updated_at) VALUES ('Kim', '{not json', 'x')"
        )
    plan = p.load_plan(store)
    assert plan.people[0].roles == ()
    day = p.day_times(plan, SESSION.start)
    assert not day.pickup_is_set
