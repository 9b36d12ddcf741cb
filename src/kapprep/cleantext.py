"""Text from outside kapprep, made safe to keep and to show.

A clinic's file, an import, a paste or a command-line word can carry characters a terminal acts
on instead of showing: C0 and C1 control characters (ESC starts the sequences that retitle a
window or wipe the screen; 0x9B is an 8-bit CSI) and the bidirectional overrides and isolates
that make text read in another order than it is stored ("Trojan Source"), and lone surrogates,
which a JSON file can carry but no text can hold. They are removed where
text enters (`clean`), reported with their place in a file (`unsafe_at`), and escaped again where
text leaves (`escape`, `SafeStream`), since text kept before this check is old text too.

What real names and words need is kept: tab and newline where they belong, ZWJ and ZWNJ (U+200D,
U+200C), variation selectors, combining marks, and the plain left-to-right and right-to-left
marks (U+200E, U+200F, U+061C), which change no order of their own.
"""

from __future__ import annotations

import re
from typing import Final, TextIO

__all__ = ["SafeStream", "clean", "describe", "escape", "is_unsafe", "unsafe_at"]

_UNSAFE_CLASS: Final = (
    "\x00-\x08\x0b-\x1f\x7f-\x9f"  # C0 but tab and newline, DEL, C1
    "\u202a-\u202e"  # embeddings and overrides: LRE, RLE, PDF, LRO, RLO
    "\u2066-\u2069"  # isolates: LRI, RLI, FSI, PDI
    "\ud800-\udfff"  # lone surrogates (JSON can carry them): no character at all, unsavable
)
_UNSAFE: Final = re.compile(f"[{_UNSAFE_CLASS}]")
_UNSAFE_IN_LINE: Final = re.compile(f"[{_UNSAFE_CLASS}\t\n]")


def is_unsafe(ch: str) -> bool:
    return _UNSAFE.match(ch) is not None


def clean(text: str, *, one_line: bool = False) -> str:
    """`text` without the characters a terminal acts on; with `one_line`, tabs and newlines
    become spaces too (a name, a phone number, a place)."""
    if one_line:
        return _UNSAFE_IN_LINE.sub(lambda m: " " if m.group() in "\t\n" else "", text)
    return _UNSAFE.sub("", text)


def unsafe_at(text: str) -> int | None:
    """The index of the first unsafe character in `text`, or None."""
    found = _UNSAFE.search(text)
    return found.start() if found else None


def describe(ch: str) -> str:
    """A character named for a message: "ESC (U+001B)", "U+202E"."""
    names = {"\x1b": "ESC", "\x07": "BEL", "\x9b": "CSI", "\x9d": "OSC", "\x7f": "DEL"}
    code = f"U+{ord(ch):04X}"
    return f"{names[ch]} ({code})" if ch in names else code


def escape(text: str) -> str:
    """`text` with each unsafe character written as `\\uXXXX`: visible and harmless on a
    terminal, and, inside a JSON string, the same character read back."""
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


class SafeStream:
    """A text stream that escapes unsafe characters in everything written to it (`escape`): the
    command line's stdout and stderr, so no path of output can reach the terminal with them."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self.raw = stream
        """The stream itself, for the one writer of its own escape codes (`kapprep breathe`),
        which writes only kapprep's words."""

    def write(self, text: str) -> int:
        self._stream.write(escape(text))
        return len(text)

    def __getattr__(self, name: str) -> object:
        return getattr(self._stream, name)
