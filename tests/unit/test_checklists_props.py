"""Property tests: whatever the input, the validator returns a checklist or problems — never an
exception — and every valid generated checklist loads back exactly as it was written."""

from __future__ import annotations

import copy
import json
from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import yaml12
from kapprep import paths
from kapprep.checklists import PHASES, parse_bytes, parse_checklist
from kapprep.due import parse_due

SETTINGS = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _assert_clean(result: tuple[Any, list[Any]], path: str = "c.yaml") -> None:
    checklist, problems = result
    assert (checklist is None) == bool(problems)
    for problem in problems:
        assert problem.path == path
        assert problem.line >= 1 and problem.col >= 1
        assert problem.message and "\n" not in problem.message
        assert str(problem).startswith(f"{path}:{problem.line}:{problem.col}: ")


YAMLISH = st.text(
    alphabet=st.sampled_from(
        [*list("abcdefgxyz019 -:\n\t'\"#&*!|>[]{},?%@`~\\."), "é", "\ufeff", "\x00", "\x07"]
    ),
    max_size=200,
)


@SETTINGS
@given(YAMLISH)
def test_yaml_ish_text_never_raises(text: str) -> None:
    _assert_clean(parse_checklist(text, "c.yaml"))


@SETTINGS
@given(st.binary(max_size=300))
def test_any_bytes_never_raise(data: bytes) -> None:
    _assert_clean(parse_bytes(data, "c.yaml"))


# -- generated checklist structures --------------------------------------------------------------

IDS = st.from_regex(r"[a-z0-9][a-z0-9-]{0,15}", fullmatch=True)
TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1, max_size=40
).filter(lambda s: s.strip() != "")
DUE = st.one_of(
    st.builds(lambda s, d: f"{s}{d}d", st.sampled_from(["-", "+", ""]), st.integers(0, 366)),
    st.builds(
        lambda s, h, m: f"{s}{h}h{m}m",
        st.sampled_from(["-", "+"]),
        st.integers(1, 999),
        st.integers(1, 59),
    ),
    st.builds(
        lambda s, d, hh, mm: f"{s}{d}d@{hh:02d}:{mm:02d}",
        st.sampled_from(["-", ""]),
        st.integers(0, 30),
        st.integers(0, 23),
        st.integers(0, 59),
    ),
)


@st.composite
def checklists(draw: st.DrawFn) -> dict[str, Any]:
    item_ids = draw(st.lists(IDS, min_size=1, max_size=6, unique=True))
    items = []
    for item_id in item_ids:
        item: dict[str, Any] = {"id": item_id, "text": draw(TEXT)}
        if draw(st.booleans()):
            item["why"] = draw(TEXT)
        if draw(st.booleans()):
            item["due"] = draw(DUE)
        if draw(st.booleans()):
            item["tags"] = draw(st.lists(TEXT, max_size=3))
        if draw(st.booleans()):
            item["clinic_decides"] = True
            if draw(st.booleans()):
                item["default_from"] = draw(TEXT)
        items.append(item)
    return {
        "format": 1,
        "id": draw(IDS),
        "title": draw(TEXT),
        "phase": draw(st.sampled_from(PHASES)),
        "sources": [{"title": draw(TEXT), "url": "https://askp.org/" + draw(IDS)}],
        "items": items,
    }


def _dump(doc: dict[str, Any]) -> str:
    return yaml12.dump(doc)


@SETTINGS
@given(checklists())
def test_valid_generated_checklists_load_as_written(doc: dict[str, Any]) -> None:
    checklist, problems = parse_checklist(_dump(doc), "c.yaml")
    assert problems == []
    assert checklist is not None
    assert (checklist.id, checklist.phase) == (doc["id"], doc["phase"])
    assert checklist.title == doc["title"].strip()
    for item, want in zip(checklist.items, doc["items"], strict=True):
        assert item.id == want["id"]
        assert item.text == want["text"].strip()
        assert item.why == (want["why"].strip() if "why" in want else None)
        assert item.due == (parse_due(want["due"]) if "due" in want else None)
        assert item.tags == tuple(t.strip() for t in want.get("tags", []))
        assert item.clinic_decides == want.get("clinic_decides", False)


MUTATIONS = [
    ("drop", "format"),
    ("drop", "items"),
    ("set", "format", "1"),
    ("set", "id", 7),
    ("set", "id", "Not An Id"),
    ("set", "phase", "soon"),
    ("set", "title", None),
    ("set", "title", ["a", "list"]),
    ("set", "sources", []),
    ("set", "sources", "https://askp.org"),
    ("set", "items", {"a": 1}),
    ("set", "extra", "unknown key"),
    ("item", "drop", "text"),
    ("item", "set", "due", "soon"),
    ("item", "set", "due", 12),
    ("item", "set", "due", "-1d@25:00"),
    ("item", "set", "text", True),
    ("item", "set", "tags", "one"),
    ("item", "set", "clinic_decides", "yes please"),
    ("item", "set", "default_from", "somewhere"),
    ("item", "set", "colour", "blue"),
    (
        "item",
        "duplicate-id",
    ),
]


@SETTINGS
@given(checklists(), st.sampled_from(MUTATIONS), st.data())
def test_mutated_checklists_produce_problems_not_exceptions(
    doc: dict[str, Any], mutation: tuple[Any, ...], data: st.DataObject
) -> None:
    result = parse_checklist(_dump(_mutate(copy.deepcopy(doc), mutation, data)), "c.yaml")
    _assert_clean(result)
    assert result[1], f"{mutation} should be a problem"


def _mutate(doc: dict[str, Any], mutation: tuple[Any, ...], data: st.DataObject) -> dict[str, Any]:
    if mutation[0] == "drop":
        del doc[mutation[1]]
    elif mutation[0] == "set":
        doc[mutation[1]] = mutation[2]
    else:
        item = data.draw(st.sampled_from(doc["items"]))
        if mutation[1] == "drop":
            del item[mutation[2]]
        elif mutation[1] == "set":
            if mutation[2] == "default_from":
                item.pop("clinic_decides", None)
            item[mutation[2]] = mutation[3]
        else:
            doc["items"].append({"id": item["id"], "text": "again"})
    return doc


@SETTINGS
@given(checklists(), st.data())
def test_text_edits_of_valid_files_never_raise(doc: dict[str, Any], data: st.DataObject) -> None:
    text = _dump(doc)
    for _ in range(data.draw(st.integers(1, 4))):
        at = data.draw(st.integers(0, len(text)))
        cut = data.draw(st.integers(0, 5))
        insert = data.draw(st.sampled_from(["", "\t", ":", "- ", "\n", "&a ", "*a", "'", "  "]))
        text = text[:at] + insert + text[at + cut :]
    _assert_clean(parse_checklist(text, "c.yaml"))


@pytest.fixture(scope="module")
def schema_validator() -> jsonschema.protocols.Validator:
    schema = json.loads(paths.checklist_schema_path().read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(schema)


SCHEMA_BLIND = [("item", "duplicate-id")]  # ids unique across items: no schema can say it


@SETTINGS
@given(checklists(), st.sampled_from([None, *MUTATIONS]), st.data())
def test_the_schema_and_the_validator_agree(
    schema_validator: jsonschema.protocols.Validator,
    doc: dict[str, Any],
    mutation: tuple[Any, ...] | None,
    data: st.DataObject,
) -> None:
    if mutation is not None:
        assume(mutation not in SCHEMA_BLIND)
        doc = _mutate(copy.deepcopy(doc), mutation, data)
    text = _dump(doc)
    refused_by_schema = bool(list(schema_validator.iter_errors(yaml12.load(text))))
    refused_by_validator = bool(parse_checklist(text, "c.yaml")[1])
    assert refused_by_schema == refused_by_validator == (mutation is not None)
