"""settings.py: one typed table of settings with defaults; `kapprep settings [set KEY VALUE]`
checks as the app does; the plan's emergency number follows the country unless one is typed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from kapprep.cli import main
from kapprep.plan import load_plan, missing_fields, set_field
from kapprep.settings import (
    EDITABLE,
    THEMES,
    SettingError,
    Settings,
    check_setting,
    country_from_locale,
    load_settings,
)
from kapprep.store import Store


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store.open(tmp_path / "data")


def test_defaults_and_wrong_types_read_as_defaults(store: Store) -> None:
    assert load_settings(store) == Settings()
    store.set_setting("clock_24h", "yes")  # a hand-edited import: not a bool
    store.set_setting("paper", "A3")
    store.set_setting("country", "XX")
    store.set_setting("quiet_hours", "late")
    assert load_settings(store) == Settings()
    assert load_settings(store).quiet_hours == "22:00-07:00"
    assert [s.name for s in EDITABLE] == [
        "country",
        "emergency-number",
        "clock",
        "theme",
        "reduced-motion",
        "spoken-cues",
        "paper",
        "quiet-hours",
        "maps-link",
        "idle-lock",
    ]


@pytest.mark.parametrize(
    ("name", "raw", "stored"),
    [
        ("country", "gb", ("country", "GB")),
        ("country", "Ireland", ("country", "IE")),
        ("country", "other", ("country", "other")),
        ("country", "", ("country", None)),
        ("emergency-number", " 112 ", ("emergency_number", "112")),
        ("emergency_number", "", ("emergency_number", None)),
        ("clock", "12h", ("clock_24h", False)),
        ("clock", "24", ("clock_24h", True)),
        ("theme", "kapprep-high-contrast", ("theme", "kapprep-high-contrast")),
        ("reduced-motion", "yes", ("reduced_motion", True)),
        ("spoken-cues", "on", ("spoken_cues", True)),
        ("spoken_cues", "no", ("spoken_cues", False)),
        ("paper", "Letter", ("paper", "letter")),
        ("quiet-hours", "23:30 – 6:45", ("quiet_hours", "23:30-06:45")),
        ("quiet-hours", "OFF", ("quiet_hours", "off")),
        ("quiet-hours", "", ("quiet_hours", None)),
    ],
)
def test_each_setting_is_checked(name: str, raw: str, stored: tuple[str, object]) -> None:
    assert check_setting(name, raw) == stored


@pytest.mark.parametrize(
    ("name", "raw", "message"),
    [
        ("country", "Italy", "for another country use 'other'"),
        ("emergency-number", "call mum", "digits"),
        ("clock", "noon", "24h"),
        ("theme", "pink", "choose one of"),
        ("reduced-motion", "maybe", "yes or no"),
        ("spoken-cues", "loud", "spoken cues: answer yes or no"),
        ("paper", "A3", "a4 or letter"),
        ("quiet-hours", "late", "like 22:00-07:00"),
        ("quiet-hours", "25:00-07:00", "like 22:00-07:00"),
        ("quiet-hours", "12:00-07:00", "longer than 16 hours"),
        ("colour", "red", "no setting called 'colour'"),
    ],
)
def test_bad_values_get_a_clear_message(name: str, raw: str, message: str) -> None:
    with pytest.raises(SettingError, match=message):
        check_setting(name, raw)


def test_the_locale_gives_the_first_start_default() -> None:
    assert country_from_locale("GB") == "GB" and country_from_locale("it") == "other"
    assert country_from_locale(None) == "other" and "kapprep-high-contrast" in THEMES


def test_the_plans_emergency_number_follows_the_country_until_one_is_typed(store: Store) -> None:
    assert load_plan(store).get("emergency_number") == ""
    store.set_setting("country", "GB")
    plan = load_plan(store)
    assert plan.get("emergency_number") == "999" and "emergency_number" not in plan.values
    assert "Emergency number" not in missing_fields(plan)
    store.set_setting("country", "AU")
    assert load_plan(store).get("emergency_number") == "000"
    set_field(store, "emergency_number", "112")
    assert load_plan(store).get("emergency_number") == "112"
    set_field(store, "emergency_number", "")  # cleared: the country's again
    assert load_plan(store).get("emergency_number") == "000"


def test_settings_command_shows_and_sets(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("KAPPREP_HOME", str(tmp_path / "data"))
    assert main(["settings", "set", "country", "NZ"]) == 0
    assert capsys.readouterr().out == "country: NZ (New Zealand)\n"
    assert main(["settings"]) == 0
    out = capsys.readouterr().out
    assert "country:          NZ (New Zealand)" in out
    assert "In an emergency you call: 111" in out and "Crisis line: 1737 1737" in out
    assert main(["plan", "show"]) == 0
    assert "emergency_number     111 (from your settings)" in capsys.readouterr().out
    assert main(["settings", "set", "paper", "A3"]) == 1
    assert capsys.readouterr().err == "kapprep: paper: write a4 or letter\n"
    assert main(["settings", "set", "emergency-number", "abc"]) == 1
    assert "Traceback" not in capsys.readouterr().err


def test_the_c_locale_names_no_country(monkeypatch: pytest.MonkeyPatch) -> None:
    import locale

    from kapprep.plan import default_region

    for name in ("LC_ALL", "LC_TELEPHONE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    monkeypatch.setattr(locale, "setlocale", lambda *_: "C.UTF-8")
    monkeypatch.setattr(locale, "getlocale", lambda *_: ("en_US", "UTF-8"))  # Python's name for C
    assert default_region(None) is None
    assert country_from_locale(default_region(None)) == "other"


def _note_many(folder: str, prefix: str, count: int, go: Any) -> None:
    from kapprep.settings import note_rule

    with Store.open(Path(folder)) as store:
        go.wait(30)  # both start together, each with its store open
        for i in range(count):
            note_rule(store, f"{prefix}{i}", f"rule {i} from {prefix}")


def test_two_kapprep_noting_rules_at_once_keep_every_rule(tmp_path: Path) -> None:
    """The noted rules are one setting: read, changed and written in one transaction, so two
    windows noting rules at the same moment lose none of them (read then write lost some)."""
    import multiprocessing

    from kapprep.settings import noted_rules

    COUNT = 150  # on the old read-then-write code, 5 runs of 5 lost rules

    folder = tmp_path / "data"
    Store.open(folder).close()
    spawn = multiprocessing.get_context("spawn")
    go = spawn.Event()
    workers = [
        spawn.Process(target=_note_many, args=(str(folder), prefix, COUNT, go)) for prefix in "ab"
    ]
    for w in workers:
        w.start()
    go.set()
    for w in workers:
        w.join(60)
        assert w.exitcode == 0
    with Store.open(folder) as store:
        noted = noted_rules(store)
    assert sorted(noted) == sorted(f"{p}{i}" for p in "ab" for i in range(COUNT))
