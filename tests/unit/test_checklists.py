"""The checklist validator: every kind of mistake, each at its exact FILE:LINE:COL, in words a
clinician can act on; never a traceback, and every mistake in a file at once."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import VALID_CHECKLIST
from kapprep.checklists import (
    MAX_BYTES,
    ChecklistError,
    load_file,
    parse_checklist,
    validate_paths,
)


def problems(text: str) -> list[str]:
    checklist, found = parse_checklist(text, "c.yaml")
    assert (checklist is None) == bool(found), "a checklist is returned exactly when valid"
    return [str(p) for p in found]


def edit(old: str, new: str) -> str:
    assert old in VALID_CHECKLIST
    return VALID_CHECKLIST.replace(old, new, 1)


def test_the_sample_is_valid_and_fully_read() -> None:
    checklist, found = parse_checklist(VALID_CHECKLIST, "c.yaml")
    assert found == []
    assert checklist is not None
    assert (checklist.id, checklist.title, checklist.phase) == (
        "sample",
        "A sample checklist",
        "day-of",
    )
    assert [s.url for s in checklist.sources] == ["https://askp.org"]
    (item,) = checklist.items
    assert (item.id, item.text, str(item.due), item.checklist_id, item.phase) == (
        "sample-item",
        "Arrive ten minutes early",
        "-10m",
        "sample",
        "day-of",
    )
    assert (item.path, item.line, item.col) == ("c.yaml", 9, 5)


def test_every_optional_field_is_read() -> None:
    text = VALID_CHECKLIST + (
        "  - id: stop-eating\n"
        "    text: Stop eating\n"
        "    why: >-\n"
        "      Clinics ask for\n"
        "      an empty stomach.\n"
        "    due: -1d@20:00\n"
        "    tags: [clinic, food]\n"
        "    clinic_decides: true\n"
        '    default_from: "6 hours: a clinic"\n'
        "description: A short description.\n"
    )
    checklist, found = parse_checklist(text, "c.yaml")
    assert found == []
    assert checklist is not None
    item = checklist.items[1]
    assert item.why == "Clinics ask for an empty stomach."
    assert str(item.due) == "-1d@20:00"
    assert item.tags == ("clinic", "food")
    assert item.clinic_decides is True
    assert item.default_from == "6 hours: a clinic"
    assert checklist.description == "A short description."


def test_yaml_1_2_words_are_text_not_booleans() -> None:
    # YAML 1.1 (PyYAML) reads these as true/false or a number; editors and kapprep read words.
    for word in ("yes", "no", "on", "off", "12:30", "1_000"):
        checklist, found = parse_checklist(edit("Arrive ten minutes early", word), "c.yaml")
        assert found == [], word
        assert checklist is not None
        assert checklist.items[0].text == word


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        pytest.param(
            "  - id: sample-item\n",
            "\t- id: sample-item\n",
            [
                "c.yaml:9:1: a tab is used to indent this line; YAML needs spaces (set your "
                "editor to insert spaces)"
            ],
            id="tab-indent",
        ),
        pytest.param(
            "title: A sample checklist",
            "title: A sample: checklist",
            [
                "c.yaml:3:16: a colon here is not expected; put text containing ': ' in quotes, "
                "or check the indentation"
            ],
            id="yaml-syntax-colon",
        ),
        pytest.param(
            "title: A sample checklist",
            "title: 'A sample checklist",
            ["c.yaml:3:8: this quote is never closed; add the closing quote"],
            id="yaml-syntax-open-quote",
        ),
        pytest.param(
            "title: A sample checklist",
            "title: @home",
            ["c.yaml:3:8: this character cannot start a value; put the text in quotes"],
            id="yaml-syntax-at-sign",
        ),
        pytest.param(
            "title: A sample checklist",
            "title: [A sample, checklist",
            [
                "c.yaml:3:8: this [ is not closed, or a comma is missing inside it; put text "
                "with brackets or commas in quotes"
            ],
            id="yaml-syntax-open-bracket",
        ),
        pytest.param(
            "phase: day-of\n",
            "phase: day-of\nphase: day-of\n",
            ['c.yaml:5:1: "phase" appears twice in the checklist (first on line 4); keep only one'],
            id="duplicate-key-top",
        ),
        pytest.param(
            "    url: https://askp.org\n",
            "    url: https://askp.org\n    title: Again\n",
            ['c.yaml:8:5: "title" appears twice in source 1 (first on line 6); keep only one'],
            id="duplicate-key-source",
        ),
        pytest.param(
            "    due: -10m\n",
            "    due: -10m\n    due: -20m\n",
            ['c.yaml:12:5: "due" appears twice in item 1 (first on line 11); keep only one'],
            id="duplicate-key-item",
        ),
        pytest.param(
            "title: A sample checklist",
            "tittle: A sample checklist",
            [
                'c.yaml:1:1: the checklist is missing "title": the checklist\'s name, shown as '
                "a heading",
                'c.yaml:3:1: "tittle" is not a key the checklist can have; did you mean "title"?',
            ],
            id="unknown-key-did-you-mean",
        ),
        pytest.param(
            "    due: -10m",
            "    colour: blue",
            [
                'c.yaml:11:5: "colour" is not a key item 1 can have; the keys allowed here are: '
                "id, text, why, due, tags, clinic_decides, default_from"
            ],
            id="unknown-key-no-guess",
        ),
        pytest.param(
            "    text: Arrive ten minutes early\n",
            "",
            [
                'c.yaml:9:5: item 1 is missing "text": what to do, in a few plain words',
            ],
            id="missing-item-key",
        ),
        pytest.param(
            "    url: https://askp.org\n",
            "",
            ['c.yaml:6:5: source 1 is missing "url": where it was published'],
            id="missing-source-key",
        ),
        pytest.param(
            "format: 1",
            'format: "1"',
            ['c.yaml:1:9: format should be 1 (this version of kapprep reads format 1), not "1"'],
            id="format-quoted",
        ),
        pytest.param(
            "format: 1",
            "format: 2",
            ['c.yaml:1:9: format should be 1 (this version of kapprep reads format 1), not "2"'],
            id="format-2",
        ),
        pytest.param(
            "id: sample\n",
            "id: 42\n",
            [
                "c.yaml:2:5: the checklist id reads as a number, not text; if you mean it, put "
                'it in quotes ("42")'
            ],
            id="id-number",
        ),
        pytest.param(
            "id: sample\n",
            "id: Day One\n",
            [
                'c.yaml:2:5: the checklist id "Day One" is not a valid id; use lower-case '
                "letters, digits and dashes, like stop-eating (at most 64 characters)"
            ],
            id="id-bad",
        ),
        pytest.param(
            "phase: day-of",
            "phase: day-off",
            [
                'c.yaml:4:8: phase "day-off" is not one we know; use one of: assessment, '
                'week-before, day-before, day-of, after, integration — did you mean "day-of"?'
            ],
            id="phase-unknown",
        ),
        pytest.param(
            "sources:\n  - title: American Society of Ketamine Physicians\n"
            "    url: https://askp.org\n",
            "sources: https://askp.org\n",
            [
                "c.yaml:5:10: sources should be a list (lines starting with '- '), not the "
                'text "https://askp.org"'
            ],
            id="sources-not-list",
        ),
        pytest.param(
            "    url: https://askp.org",
            "    url: askp.org",
            [
                'c.yaml:7:10: "askp.org" is not a web address; write it like '
                "https://example.org/page"
            ],
            id="url-bad",
        ),
        pytest.param(
            "items:\n  - id: sample-item\n    text: Arrive ten minutes early\n    due: -10m\n",
            "items: []\n",
            ["c.yaml:8:8: items is empty; a checklist needs at least one item"],
            id="items-empty",
        ),
        pytest.param(
            "  - id: sample-item\n    text: Arrive ten minutes early\n    due: -10m\n",
            "  - Arrive ten minutes early\n",
            [
                "c.yaml:9:5: item 1 should be a set of 'key: value' lines, not the text "
                '"Arrive ten minutes early"'
            ],
            id="item-not-mapping",
        ),
        pytest.param(
            "    text: Arrive ten minutes early",
            "    text:",
            ["c.yaml:10:10: item 1's text is empty; write some text or remove the line"],
            id="text-empty",
        ),
        pytest.param(
            "    text: Arrive ten minutes early",
            '    text: "   "',
            ["c.yaml:10:11: item 1's text is empty; write some text or remove the line"],
            id="text-blank",
        ),
        pytest.param(
            "    text: Arrive ten minutes early",
            "    text: null",
            ["c.yaml:10:11: item 1's text is empty; write some text or remove the line"],
            id="text-null",
        ),
        pytest.param(
            "    text: Arrive ten minutes early",
            "    text: true",
            [
                "c.yaml:10:11: item 1's text reads as true or false, not text; if you mean it, "
                'put it in quotes ("true")'
            ],
            id="text-bool",
        ),
        pytest.param(
            "    text: Arrive ten minutes early",
            "    text: [Arrive, early]",
            ["c.yaml:10:11: item 1's text should be text, not a list"],
            id="text-list",
        ),
        pytest.param(
            "    due: -10m",
            "    due: -10m\n    clinic_decides: yes",
            ['c.yaml:12:21: item 1\'s clinic_decides should be true or false, not "yes"'],
            id="clinic-decides-yes",
        ),
        pytest.param(
            "    due: -10m",
            "    due: -10m\n    default_from: a clinic",
            [
                "c.yaml:12:5: item 1 has default_from but is not marked clinic_decides: true; "
                "default_from says where a clinic-decided default came from"
            ],
            id="default-from-without-clinic",
        ),
        pytest.param(
            "    due: -10m",
            "    due: -10m\n    tags: clinic",
            [
                "c.yaml:12:11: item 1's tags should be a list (lines starting with '- '), not "
                'the text "clinic"'
            ],
            id="tags-not-list",
        ),
        pytest.param(
            "  - id: sample-item\n    text: Arrive ten minutes early\n    due: -10m\n",
            "  - id: sample-item\n    text: Arrive ten minutes early\n"
            "  - id: sample-item\n    text: Arrive again\n",
            [
                'c.yaml:11:9: item id "sample-item" is already used on line 9; every item '
                "needs its own id"
            ],
            id="duplicate-item-id",
        ),
        pytest.param(
            "format: 1\n",
            "format: 1\n---\n",
            [
                "c.yaml:2:1: the file holds more than one document (a second ---); keep one "
                "checklist per file"
            ],
            id="multi-document",
        ),
        pytest.param(
            "format: 1\n",
            "--- !!python/object:os.system\nformat: 1\n",
            [
                "c.yaml:1:5: YAML tags like !!python/object:os.system are not allowed in "
                "checklists; remove it"
            ],
            id="python-tag",
        ),
        pytest.param(
            "    text: Arrive ten minutes early",
            "    text: !!binary aGVsbG8=",
            ["c.yaml:10:11: YAML tags like !!binary are not allowed in checklists; remove it"],
            id="binary-tag",
        ),
        pytest.param(
            "    text: Arrive ten minutes early",
            "    text: &t Arrive ten minutes early\n    why: *t",
            [
                "c.yaml:10:11: &t marks a part to repeat (a YAML anchor); checklists do not use "
                "anchors — remove it",
                "c.yaml:11:10: *t repeats another part of the file (a YAML alias); checklists "
                "do not use aliases — write each part out in full",
            ],
            id="anchor-and-alias",
        ),
        pytest.param(
            "    text: Arrive ten minutes early",
            "    text: *nowhere",
            [
                "c.yaml:10:11: *nowhere repeats another part of the file (a YAML alias); "
                "checklists do not use aliases — write each part out in full"
            ],
            id="undefined-alias",
        ),
        pytest.param(
            "title: A sample checklist",
            "title: A sample\x07 checklist",
            ["c.yaml:3:16: an invisible control character is here; delete it"],
            id="control-character",
        ),
    ],
)
def test_each_mistake_at_its_place(old: str, new: str, expected: list[str]) -> None:
    assert problems(edit(old, new)) == expected


def test_the_top_level_must_be_a_mapping() -> None:
    expected = "c.yaml:1:1: the checklist should be a set of 'key: value' lines, not a list"
    assert problems("- a\n- b\n") == [expected]
    assert problems("just some words\n") == [
        "c.yaml:1:1: the checklist should be a set of 'key: value' lines, not the text "
        '"just some words"'
    ]


def test_missing_keys_are_all_named() -> None:
    assert problems("format: 1\n") == [
        f'c.yaml:1:1: the checklist is missing "{key}": {hint}'
        for key, hint in [
            ("id", "a short, unique name for this checklist, like day-before"),
            ("title", "the checklist's name, shown as a heading"),
            (
                "phase",
                "when it applies: assessment, week-before, day-before, day-of, after, integration",
            ),
            ("sources", "the public guides this checklist draws on, each with a title and url"),
            ("items", "the list of things to do"),
        ]
    ]


def test_every_mistake_in_a_file_is_reported_at_once() -> None:
    text = (
        "format: 2\n"
        "id: Day Of\n"
        "tittle: x\n"
        "phase: day-off\n"
        "sources: []\n"
        "items:\n"
        "  - id: a\n"
        "    text: 5\n"
        "    due: -2h75m\n"
        "  - id: a\n"
        "    text: ok\n"
        "    text: again\n"
    )
    found = problems(text)
    assert [p.split(": ", 1)[0] for p in found] == [
        "c.yaml:1:1",  # missing title
        "c.yaml:1:9",  # format 2
        "c.yaml:2:5",  # bad id
        "c.yaml:3:1",  # tittle
        "c.yaml:4:8",  # phase
        "c.yaml:5:10",  # sources empty
        "c.yaml:8:11",  # text is a number
        "c.yaml:9:10",  # due
        "c.yaml:10:9",  # duplicate item id
        "c.yaml:12:5",  # duplicate key
    ]
    assert found[7] == (
        'c.yaml:9:10: item 1\'s due: "-2h75m" has more than 59 minutes after the hours; write '
        "it like -4h30m"
    )


@pytest.mark.parametrize(
    ("due", "message"),
    [
        (
            "-10",
            '"-10" is not a time before or after the session; write it like -7d, -24h, '
            "-4h30m, +1d, -1d@20:00 or 0d@06:00",
        ),
        (
            "ten minutes",
            '"ten minutes" is not a time before or after the session; write it '
            "like -7d, -24h, -4h30m, +1d, -1d@20:00 or 0d@06:00",
        ),
        ("-1d@25:00", '"-1d@25:00" has a clock time that does not exist; use 00:00 to 23:59'),
        ("-1d@20:60", '"-1d@20:60" has a clock time that does not exist; use 00:00 to 23:59'),
        ('"@20:00"', '"@20:00" needs the day before the clock time, like 0d@06:00 or -1d@20:00'),
        (
            "-2h@20:00",
            '"-2h@20:00" mixes hours with a clock time; write the days and a clock '
            "time (like -1d@20:00) or an offset (like -4h30m), not both",
        ),
        ("-400d", '"-400d" is more than a year from the session; keep it within a year'),
        ("-1000h", '"-1000h" has more than 999 hours; write whole days instead, like -7d'),
        ("-1000m", '"-1000m" has more than 999 minutes; write hours and minutes, like -4h30m'),
        ("-1h60m", '"-1h60m" has more than 59 minutes after the hours; write it like -4h30m'),
        ('" -7d"', '" -7d" has spaces around it; write it without them'),
        (
            "-7D",
            '"-7D" is not a time before or after the session; write it like -7d, -24h, '
            "-4h30m, +1d, -1d@20:00 or 0d@06:00",
        ),
        (
            "--7d",
            '"--7d" is not a time before or after the session; write it like -7d, -24h, '
            "-4h30m, +1d, -1d@20:00 or 0d@06:00",
        ),
        (
            "-30m4h",
            '"-30m4h" is not a time before or after the session; write it like -7d, '
            "-24h, -4h30m, +1d, -1d@20:00 or 0d@06:00",
        ),
        (
            "-\u0663d",
            '"-\u0663d" is not a time before or after the session; write it like -7d, '
            "-24h, -4h30m, +1d, -1d@20:00 or 0d@06:00",
        ),
    ],
)
def test_bad_due(due: str, message: str) -> None:
    assert problems(edit("due: -10m", f"due: {due}")) == [f"c.yaml:11:10: item 1's due: {message}"]


def test_due_empty_and_wrong_type() -> None:
    assert problems(edit("    due: -10m", "    due:")) == [
        "c.yaml:11:9: item 1's due is empty; write a time like -7d, -24h, -4h30m, +1d, "
        "-1d@20:00 or 0d@06:00, or remove the line"
    ]
    assert problems(edit("    due: -10m", "    due: {days: 1}")) == [
        "c.yaml:11:10: item 1's due should be a time like -1d@20:00, not a set of 'key: value' "
        "lines"
    ]


def test_tabs_are_reported_and_the_rest_of_the_file_still_checked() -> None:
    text = edit("  - id: sample-item\n", "\t- id: Sample\n")
    assert problems(text) == [
        "c.yaml:9:1: a tab is used to indent this line; YAML needs spaces (set your editor to "
        "insert spaces)",
        'c.yaml:9:8: item 1\'s id "Sample" is not a valid id; use lower-case letters, digits '
        "and dashes, like stop-eating (at most 64 characters)",
    ]


def test_columns_count_characters_not_bytes() -> None:
    text = edit("title: A sample checklist", "title: Café ‘calm’: checklist")
    assert problems(text) == [
        "c.yaml:3:19: a colon here is not expected; put text containing ': ' in quotes, or check "
        "the indentation"
    ]


def _bomb(levels: int, width: int = 10) -> str:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for n in range(1, levels):
        refs = ", ".join([f"*a{n - 1}"] * width)
        lines.append(f"a{n}: &a{n} [{refs}]")
    lines.append(f"items: *a{levels - 1}")
    return "\n".join(lines) + "\n"


def test_billion_laughs_is_refused_quickly_and_cleanly() -> None:
    # 10**9 "lol"s if expanded. Aliases are reported where they are written and nothing is
    # expanded, so this takes milliseconds; the thread join is only a guard against a hang.
    out: list[list[str]] = []
    worker = threading.Thread(target=lambda: out.append(problems(_bomb(9))))
    worker.start()
    worker.join(timeout=60)
    assert not worker.is_alive(), "validating an alias bomb must not hang"
    (found,) = out
    aliases = [p for p in found if "(a YAML alias)" in p]
    assert len(aliases) == 8 * 10 + 1
    assert aliases[0] == (
        "c.yaml:2:10: *a0 repeats another part of the file (a YAML alias); checklists do not use "
        "aliases — write each part out in full"
    )
    assert len(found) < 150


def test_binary_empty_blank_bom_and_encoding(write: Callable[..., Path]) -> None:
    cases: dict[str, tuple[bytes, str]] = {
        "empty.yaml": (
            b"",
            "1:1: the file is empty; a checklist needs format, id, title, phase, sources and items",
        ),
        "bom-only.yaml": (
            b"\xef\xbb\xbf",
            "1:1: the file is empty; a checklist needs format, id, title, phase, sources and items",
        ),
        "blank.yaml": (
            b"  \n\t\n\r\n",
            "1:1: the file holds only blank space; a checklist needs format, id, title, phase, "
            "sources and items",
        ),
        "comments.yaml": (
            b"# nothing yet\n",
            "1:1: the file has only comments, no content; a checklist needs format, id, title, "
            "phase, sources and items",
        ),
        "feu.yaml": (
            b"feu",
            "1:1: the checklist should be a set of 'key: value' lines, not the text \"feu\"",
        ),
        "binary.yaml": (
            b"format: 1\nid: \x00\x01\x02",
            "2:5: this is not a text file (it contains binary data); checklists are YAML text "
            "files",
        ),
        "latin1.yaml": (
            "format: 1\ntitle: café\n".encode("latin-1"),
            "2:11: this character is not UTF-8 text; save the file as UTF-8 in your editor",
        ),
        "utf16.yaml": (
            "format: 1\n".encode("utf-16"),
            "1:1: the file is saved as UTF-16; save it as UTF-8 in your editor",
        ),
    }
    for name, (data, message) in cases.items():
        path = write(name, data)
        _, found = validate_paths([path])
        assert [str(p) for p in found] == [f"{path}:{message}"], name


def test_a_bom_before_a_valid_checklist_is_fine(write: Callable[..., Path]) -> None:
    path = write("bom.yaml", b"\xef\xbb\xbf" + VALID_CHECKLIST.encode())
    assert load_file(path).id == "sample"


def test_oversized_files_are_refused_without_reading_them_whole(
    write: Callable[..., Path],
) -> None:
    path = write("big.yaml", b"#" * (MAX_BYTES + 10))
    _, found = validate_paths([path])
    assert [str(p) for p in found] == [
        f"{path}:1:1: the file is larger than 2 MiB, the most a checklist file may be; split it "
        "into smaller files"
    ]


def test_missing_file_and_folder_given_as_file(tmp_path: Path) -> None:
    _, found = validate_paths([tmp_path / "nope.yaml"])
    assert [str(p) for p in found] == [f"{tmp_path / 'nope.yaml'}:1:1: there is no such file"]


def test_load_file_raises_with_every_problem(write: Callable[..., Path]) -> None:
    path = write("bad.yaml", edit("format: 1", "format: 2").replace("due: -10m", "due: x"))
    with pytest.raises(ChecklistError) as info:
        load_file(path)
    assert [(p.line, p.col) for p in info.value.problems] == [(1, 9), (11, 10)]
    assert str(info.value).count(str(path)) == 2


def test_duplicate_item_ids_across_files(write: Callable[..., Path]) -> None:
    one = write("one.yaml", VALID_CHECKLIST)
    two = write("two.yaml", VALID_CHECKLIST.replace("id: sample\n", "id: other\n"))
    checklists, found = validate_paths([one.parent])
    assert len(checklists) == 2
    assert [str(p) for p in found] == [
        f'{two}:9:5: item id "sample-item" is already used at {one}:9:5; every item needs its '
        "own id across all checklists"
    ]


def test_duplicate_checklist_ids_in_one_set(write: Callable[..., Path]) -> None:
    one = write("one.yaml", VALID_CHECKLIST)
    two = write("two.yaml", VALID_CHECKLIST.replace("sample-item", "other-item"))
    _, found = validate_paths([one, two])
    assert [str(p) for p in found] == [
        f'{two}:1:1: checklist id "sample" is also used by {one}; files checked together (or in '
        "one folder) need different ids — give one of them another id"
    ]


def test_long_values_are_clipped_in_messages() -> None:
    long_id = "X" * 200
    (found,) = problems(edit("id: sample", f"id: {long_id}"))
    assert "X" * 37 + "..." in found
    assert len(found) < 200
