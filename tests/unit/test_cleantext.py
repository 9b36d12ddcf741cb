"""What a terminal would act on is removed where text enters and escaped where it leaves; what
names need (ZWJ, variation selectors, combining marks) is kept."""

from __future__ import annotations

import io
import json

from hypothesis import given
from hypothesis import strategies as st

from kapprep.cleantext import SafeStream, clean, describe, escape, is_unsafe, unsafe_at

ATTACK = "\x1b]0;OWNED\x07\x1b[2J\x9b2J\x9d0;X\x9c\u202egnp.exe"


def test_escape_sequences_and_overrides_are_removed() -> None:
    assert clean(ATTACK) == "]0;OWNED[2J2J0;Xgnp.exe"
    assert not any(is_unsafe(ch) for ch in clean(ATTACK))


def test_what_names_need_is_kept() -> None:
    names = "👩\u200d👩\u200d👧 ❤\ufe0f e\u0301 नमस्\u200cते \u200f\u200e"
    assert clean(names) == names
    assert unsafe_at(names) is None


def test_tabs_and_newlines_stay_in_notes_and_go_in_a_line() -> None:
    assert clean("a\tb\nc") == "a\tb\nc"
    assert clean("a\tb\nc\x1b", one_line=True) == "a b c"


def test_unsafe_at_and_describe_name_the_place_and_the_character() -> None:
    assert unsafe_at("ok \x1b[2J") == 3
    assert describe("\x1b") == "ESC (U+001B)"
    assert describe("\u202e") == "U+202E"


def test_escape_is_visible_and_json_reads_it_back() -> None:
    text = escape(ATTACK)
    assert not any(is_unsafe(ch) for ch in text) and "\\u001b" in text
    assert json.loads(f'"{escape(ATTACK)}"') == ATTACK


def test_the_stream_escapes_everything_written() -> None:
    out = io.StringIO()
    stream = SafeStream(out)
    print("title", ATTACK, file=stream)  # type: ignore[arg-type]
    assert not any(is_unsafe(ch) for ch in out.getvalue())
    assert out.getvalue().startswith("title \\u001b]0;OWNED")


@given(st.text())
def test_clean_leaves_nothing_unsafe_and_is_idempotent(text: str) -> None:
    once = clean(text)
    assert unsafe_at(once) is None and clean(once) == once
    assert unsafe_at(escape(text)) is None
