"""Where the session is (issue 20): a session's place has a kind (at the clinic, at home, other).
At home the plan has a role for the person who sits with them and the briefing a "During the
session" section, with the clinic's rules where given and the public guides' otherwise; a clinic
session has neither. The at-home checklist items show only for sessions at home (or where the
place was never said)."""

from __future__ import annotations

import json
import re
import sys
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest
from briefing_samples import LONDON, PEOPLE, FakeSession, typical_plan

from kapprep import paths
from kapprep.at_home import CREDITS, DEFAULT_CHECK_IN_MINUTES
from kapprep.briefing import build_briefing, render_text
from kapprep.checklists import load_layers
from kapprep.cli import main
from kapprep.clinic_rules import ClinicRules
from kapprep.plan import ROLES, Person, Plan
from kapprep.store import Session, Store
from kapprep.timeline import AWAY_TAG, HOME_TAG, TimelineInputs, for_place, session_timeline

AtSession = FakeSession

START = datetime(2026, 12, 3, 10, 0, tzinfo=LONDON)
SITTER = Person(3, "Robin Ash", "brother", "+44 7911 334455", ("sits_during",))


def _plan(*people: Person) -> Plan:
    return replace(typical_plan(), people=(*PEOPLE, *people))


def test_the_role_is_in_the_plan() -> None:
    assert "sits_during" in ROLES


def test_a_session_at_home_gets_the_section_with_the_guides_words() -> None:
    briefing = build_briefing(_plan(SITTER), AtSession(START, place_kind="home"))
    during = briefing.section("during")
    assert during is not None and during.title == "During the session at home"
    rows = {r.label: r for r in during.rows}
    assert rows["Sits with them"].value == "Robin Ash" and not rows["Sits with them"].missing
    assert "no headphones" in rows["Sits with them"].note
    assert rows["Look in"].value == f"about every {DEFAULT_CHECK_IN_MINUTES} minutes"
    assert "only if the clinic gave you a cuff" in rows["Blood pressure"].value
    assert any("bathroom" in b for b in during.bullets)
    keys = [s.key for s in briefing.sections]
    assert keys.index("day") < keys.index("during") < keys.index("watch")
    sources = " ".join(briefing.section("sources").bullets)  # type: ignore[union-attr]
    for credit in CREDITS:
        assert credit.url in sources
    text = render_text(briefing)
    assert "DURING THE SESSION AT HOME" in text


def test_at_home_the_sessions_place_is_the_address_to_give_never_the_clinics() -> None:
    """Seen in tmux: a session at home whose place was typed ("12 Oak St") had 'Give this
    address: not set' at the top and the home shown as the clinic's address."""
    from kapprep.plan import addresses, missing_fields

    plan = Plan(values={"clinic": "Bay Clinic", "clinic_phone": "+1 415 555 0100"})
    home = AtSession(START, place="12 Oak St, Oakland", place_kind="home")
    clinic = AtSession(START, place="1 Bay Rd", place_kind="clinic")
    assert addresses(plan, home) == ("", "12 Oak St, Oakland")
    assert addresses(plan, clinic) == ("1 Bay Rd", "")
    briefing = build_briefing(plan, home)
    top = {r.label: r.value for r in briefing.section("emergency").rows}  # type: ignore[union-attr]
    assert top["Give this address"] == "12 Oak St, Oakland"
    calls = {r.label: r for r in briefing.section("call").rows}  # type: ignore[union-attr]
    assert "Oak St" not in calls["Clinic"].note
    day = {r.label: r for r in briefing.section("day").rows}  # type: ignore[union-attr]
    assert "Arrive" not in day and "Pick-up" not in day  # nobody drives them to their home
    assert day["Session starts"].note == "at home, 12 Oak St, Oakland"
    missing = missing_fields(plan, home)
    assert "Home address" not in missing and "Clinic address" not in missing
    assert "Recovery time at the clinic (minutes)" not in missing
    assert not any("collects you" in m for m in missing)
    away = missing_fields(plan, clinic)
    assert "Home address" in away and any("collects you" in m for m in away)
    day_away = {r.label for r in build_briefing(plan, clinic).section("day").rows}  # type: ignore[union-attr]
    assert {"Arrive", "Pick-up"} <= day_away


def test_the_clinics_rules_come_first() -> None:
    rules = ClinicRules(check_in_minutes=10, blood_pressure=("before", "after"))
    during = build_briefing(
        _plan(SITTER), AtSession(START, place_kind="home"), rules=rules
    ).section("during")
    assert during is not None
    rows = {r.label: r for r in during.rows}
    assert (
        rows["Look in"].value == "every 10 minutes"
        and "as the clinic asked" in rows["Look in"].note
    )
    assert rows["Blood pressure"].value == "before and after the session, as the clinic asked"
    assert not re.search(r"\d+/\d+|mmHg", " ".join(r.note + r.value for r in during.rows))


def test_with_nobody_in_the_role_the_gap_shows() -> None:
    during = build_briefing(_plan(), AtSession(START, place_kind="home")).section("during")
    assert during is not None and during.rows[0].missing


@pytest.mark.parametrize("kind", ["clinic", "other", None])
def test_a_session_elsewhere_has_no_section_and_no_sitter_part(kind: str | None) -> None:
    session = AtSession(START, place_kind=kind)
    briefing = build_briefing(_plan(SITTER), session)
    assert briefing.section("during") is None
    mine = build_briefing(_plan(SITTER), session, for_name="Robin")
    yours = mine.section("yours")
    assert yours is not None and all(r.label != "During" for r in yours.rows)
    assert "sit with" not in mine.subtitle
    sources = " ".join(briefing.section("sources").bullets)  # type: ignore[union-attr]
    assert "helloinnerwell.com" not in sources


def test_the_sitters_own_briefing_at_home() -> None:
    mine = build_briefing(_plan(SITTER), AtSession(START, place_kind="home"), for_name="Robin")
    assert "sit with Alex Morgan during the session" in mine.subtitle
    yours = mine.section("yours")
    assert yours is not None and yours.rows[0].label == "During"


# -- the checklist items for a session at home -------------------------------------------------


def _session(kind: str | None) -> Session:
    return Session(1, START, "Europe/London", place_kind=kind)  # type: ignore[arg-type]


def test_the_shipped_at_home_items_are_tagged() -> None:
    items = {i.id: i for i in load_layers([paths.shipped_checklists_dir()]).items()}
    for item_id in ("prepare-calm-setting", "home-sitter"):
        assert HOME_TAG in items[item_id].tags, item_id
        assert items[item_id].text.lower().startswith(("if your session is at home", "at home"))


@pytest.mark.parametrize(
    ("kind", "shown"), [("home", True), (None, True), ("clinic", False), ("other", False)]
)
def test_at_home_items_show_only_for_a_session_at_home(kind: str | None, shown: bool) -> None:
    items = tuple(load_layers([paths.shipped_checklists_dir()]).items())
    kept = {i.id for i in for_place(items, kind)}
    assert ("home-sitter" in kept) is shown and ("prepare-calm-setting" in kept) is shown
    assert "stop-eating" in kept
    inputs = TimelineInputs(
        session=_session(kind),
        items=items,
        clinic_times={},
        ticks=frozenset(),
        answered=frozenset(),
        minutes=None,
    )
    entries = {e.item.id for e in session_timeline(inputs, START).entries}
    assert ("home-sitter" in entries) is shown


@pytest.mark.parametrize(
    ("kind", "shown"), [("home", False), (None, True), ("clinic", True), ("other", True)]
)
def test_the_ride_there_and_back_is_left_out_for_a_session_at_home(
    kind: str | None, shown: bool
) -> None:
    """A session at home was told to confirm its ride home and arrive with its driver (seen in
    tmux); the items for getting there are tagged away and left out at home. Not driving is
    not: it stays for every session."""
    items = {i.id: i for i in load_layers([paths.shipped_checklists_dir()]).items()}
    away = ("arrange-ride", "confirm-ride", "arrive-early")
    for item_id in away:
        assert AWAY_TAG in items[item_id].tags, item_id
    kept = {i.id for i in for_place(items.values(), kind)}
    assert all((item_id in kept) is shown for item_id in away)
    assert "ride-home-no-driving" in kept


# -- the command line ---------------------------------------------------------------------------


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    monkeypatch.delenv("KAPPREP_HOME", raising=False)
    monkeypatch.setenv("KAPPREP_CONFIG", str(tmp_path / "config"))
    monkeypatch.setattr(sys.stdin, "isatty", lambda: False)
    return ["--data-dir", str(tmp_path / "data")]


def test_session_add_and_edit_say_where(env: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        main([*env, "session", "add", "2026-12-03 10:00", "--tz", "Europe/London", "--at", "home"])
        == 0
    )
    assert "at home" in capsys.readouterr().out
    with Store.open(Path(env[1])) as store:
        assert store.sessions()[0].place_kind == "home"
    assert main([*env, "session", "edit", "1", "--at", "clinic"]) == 0
    assert "at the clinic" in capsys.readouterr().out
    assert main([*env, "session", "list", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["sessions"][0]["at"] == "clinic"
    with pytest.raises(SystemExit) as bad:
        main([*env, "session", "edit", "1", "--at", "garden"])
    assert bad.value.code == 2
    capsys.readouterr()


def test_the_briefing_command_uses_the_sessions_kind(
    env: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    main([*env, "session", "add", "2026-12-03 10:00", "--tz", "Europe/London", "--at", "home"])
    capsys.readouterr()
    assert main([*env, "briefing"]) == 0
    assert "DURING THE SESSION AT HOME" in capsys.readouterr().out
    main([*env, "session", "edit", "1", "--at", "clinic"])
    capsys.readouterr()
    assert main([*env, "briefing"]) == 0
    assert "DURING THE SESSION" not in capsys.readouterr().out
