"""The shipped protocol and the JSON Schema: the set validates, says where its facts come from,
contains what the field insists on, gives no dosing advice, and agrees with the schema."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest

import yaml12
from conftest import REPO_ROOT, VALID_CHECKLIST
from kapprep import paths
from kapprep.checklists import PHASES, ChecklistSet, load_layers, parse_checklist
from kapprep.due import DUE_PATTERN

SHIPPED = paths.shipped_checklists_dir()
SHIPPED_FILES = sorted(SHIPPED.glob("*.yaml"))
RESEARCH_DOMAINS = {
    # The sites named in the research notes (../shared/research/kap-guides.md), plus the two
    # organisations it names without a web address.
    "askp.org",
    "momentofclarity.com",
    "sovereignmindpsychiatry.com",
    "innerbloomketamine.com",
    "ketwellalaska.com",
    "balancehealthandhealing.com",
    "cacheketamine.com",
    "stephanielynwellness.com",
    "healingmaps.com",
    "propeltherapeutics.com",
    "mindbloom.com",
    "soulhealingcalgary.com",
    "zendoproject.org",
    "maps.org",
}


@pytest.fixture(scope="module")
def shipped() -> ChecklistSet:
    return load_layers([SHIPPED])


def _all_text(checklists: ChecklistSet) -> list[tuple[str, str]]:
    out = []
    for checklist in checklists.checklists:
        out += [(checklist.id, checklist.title), (checklist.id, checklist.description or "")]
        for item in checklist.items:
            for text in (item.text, item.why, item.default_from, *item.tags):
                if text:
                    out.append((item.id, text))
    return out


def test_six_phases_one_file_each_all_valid(shipped: ChecklistSet) -> None:
    assert shipped.problems == ()
    assert [c.phase for c in shipped.checklists] == list(PHASES)
    assert {p.stem for p in SHIPPED_FILES} == set(PHASES)
    assert sum(len(c.items) for c in shipped.checklists) >= 40


def test_each_file_names_its_sources_from_the_research(shipped: ChecklistSet) -> None:
    for checklist in shipped.checklists:
        assert checklist.sources, checklist.id
        for source in checklist.sources:
            host = re.sub(r"^https://(www\.)?", "", source.url).split("/")[0]
            assert host in RESEARCH_DOMAINS, (checklist.id, source.url)
            assert source.title.strip()


def test_most_items_say_why(shipped: ChecklistSet) -> None:
    items = list(shipped.items())
    assert sum(1 for i in items if i.why) / len(items) >= 0.7


def test_what_the_field_insists_on_is_there(shipped: ChecklistSet) -> None:
    text = "\n".join(t for _, t in _all_text(shipped)).lower()
    for needle in [
        "ride home",
        "no driving today",
        "stay nearby",
        "stop eating",
        "stop drinking",
        "usual medicines",
        "comfortable layers",
        "socks",
        "eye mask",
        "headphones",
        "if your clinic allows",
        "quiet, safe room",
        "intentions",
        "what you fear",
        "tell your support person what helps",
        "support-person briefing",
        "rest",
        "no big decisions",
        "integration notes",
        "follow-up",
        "24 to 48 hours after",
        "10 minutes early",
        "toilet",
        "water",
        "sleep",
        "alcohol",
        "cannabis",
        "benzodiazepines",
        "breathing",
    ]:
        assert needle in text, needle


def test_clinic_decided_items(shipped: ChecklistSet) -> None:
    decided = {i.id: i for i in shipped.items() if i.clinic_decides}
    for item_id in (
        "stop-eating",
        "stop-drinking",
        "medicines-as-told",
        "ask-medications",
        "ask-alcohol-cannabis-benzos",
        "ask-blood-pressure",
        "ride-home-no-driving",
    ):
        assert item_id in decided, item_id
    eating, drinking = decided["stop-eating"], decided["stop-drinking"]
    assert (str(eating.due), str(drinking.due)) == ("-6h", "-2h")  # the cautious default
    assert eating.default_from is not None and "3 to 4 hours" in eating.default_from
    assert "balancehealthandhealing.com" in eating.default_from
    for item in shipped.items():
        if item.default_from:
            assert item.clinic_decides, item.id
    # Substances and held medicines are always the clinic's question, never our rule.
    for item_id in ("ask-alcohol-cannabis-benzos", "ask-medications", "ask-restart-medicines"):
        assert "ask your clinic" in decided[item_id].text.lower()


DOSE_ADVICE = re.compile(
    r"\b(\d+(\.\d+)?\s*(mg|mcg|µg|ug|ml|g|mg/kg)|mg|mcg|milligrams?|micrograms?|doses?|"
    r"dosage|dosing|overdose|titrat\w*|tablets?|units?)\b",
    re.IGNORECASE,
)


def test_no_dosing_advice_anywhere_in_the_shipped_files() -> None:
    for path in SHIPPED_FILES:
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            match = DOSE_ADVICE.search(line)
            assert match is None, f"{path.name}:{n}: {match and match.group(0)!r} in {line!r}"


def test_the_dose_scanner_can_fail() -> None:
    for advice in ("Take 50 mg", "half a dose", "25 milligrams", "the dosing day", "2 tablets"):
        assert DOSE_ADVICE.search(advice), advice


def test_item_ids_unique_across_the_set(shipped: ChecklistSet) -> None:
    ids = [i.id for i in shipped.items()]
    assert len(ids) == len(set(ids))


# -- the JSON Schema ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def validator() -> jsonschema.protocols.Validator:
    schema = json.loads(paths.checklist_schema_path().read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def test_the_schema_ships_beside_the_checklists() -> None:
    assert paths.checklist_schema_path().parent == SHIPPED
    schema = json.loads(paths.checklist_schema_path().read_text(encoding="utf-8"))
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["properties"]["phase"]["enum"] == list(PHASES)
    assert schema["$defs"]["item"]["properties"]["due"]["pattern"] == DUE_PATTERN


@pytest.mark.parametrize("path", SHIPPED_FILES, ids=lambda p: p.name)
def test_every_shipped_file_validates_against_the_schema(
    path: Path, validator: jsonschema.protocols.Validator
) -> None:
    errors = list(validator.iter_errors(yaml12.load(path.read_text(encoding="utf-8"))))
    assert errors == []


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("format: 1", "format: 2"),
        ("format: 1", 'format: "1"'),
        ("id: sample", "id: Sample"),
        ("id: sample", "id: 42"),
        ("title: A sample checklist", "tittle: A sample checklist"),
        ("phase: day-of", "phase: day-off"),
        ("    url: https://askp.org", "    url: askp.org"),
        ("    text: Arrive ten minutes early", "    text:"),
        ("    text: Arrive ten minutes early", '    text: "  "'),
        ("    text: Arrive ten minutes early", "    text: true"),
        ("    text: Arrive ten minutes early", "    text: 5"),
        ("    due: -10m", "    due: -10x"),
        ("    due: -10m", "    due: -1h60m"),
        ("    due: -10m", "    due: -1d@24:00"),
        ("    due: -10m", "    due: -400d"),
        ("    due: -10m", "    due: -10m\n    clinic_decides: yes"),
        ("    due: -10m", "    due: -10m\n    default_from: somewhere"),
        ("    due: -10m", "    due: -10m\n    colour: blue"),
        ("    text: Arrive ten minutes early\n", ""),
        (
            "sources:\n  - title: American Society of Ketamine Physicians\n"
            "    url: https://askp.org\n",
            "sources: []\n",
        ),
    ],
)
def test_broken_files_fail_the_schema_and_the_validator_alike(
    old: str, new: str, validator: jsonschema.protocols.Validator
) -> None:
    text = VALID_CHECKLIST.replace(old, new, 1)
    assert text != VALID_CHECKLIST
    assert list(validator.iter_errors(yaml12.load(text))), "the schema should refuse it"
    assert parse_checklist(text, "c.yaml")[1], "the validator should refuse it"


def test_valid_variants_pass_both(validator: jsonschema.protocols.Validator) -> None:
    extra = (
        "  - id: stop-eating\n    text: yes\n    due: 0d@06:00\n    tags: [food]\n"
        "    clinic_decides: true\n    default_from: a clinic\n"
        "  - id: later.step_2\n    text: '5'\n    due: +1d2h\n"
    )
    text = VALID_CHECKLIST + extra + "description: about this list\n"
    assert parse_checklist(text, "c.yaml")[1] == []
    assert list(validator.iter_errors(yaml12.load(text))) == []


def test_schema_due_pattern_spot_checks() -> None:
    # Spot checks here; tests/unit/test_due.py checks the two agree on generated texts.
    for text in ("-7d", "-24h", "-4h30m", "+1d", "-1d@20:00", "0d@06:00", "999h59m", "366d"):
        assert re.fullmatch(DUE_PATTERN, text), text
    for text in ("", "-", "7", "d", "-1h60m", "367d", "1000h", "-1d@24:00", "-2h@20:00"):
        assert not re.fullmatch(DUE_PATTERN, text), text


def test_the_documented_example_is_valid() -> None:
    doc = (REPO_ROOT / "docs" / "checklist-format.md").read_text(encoding="utf-8")
    example = doc.split("```yaml\n", 1)[1].split("```", 1)[0]
    checklist, problems = parse_checklist(example, "example.yaml")
    assert problems == []
    assert checklist is not None and len(checklist.items) == 6
    assert "`ok: 1 checklist, 6 items, no problems`" in doc
