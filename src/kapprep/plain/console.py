"""The lines plain mode writes and reads.

Output only ever appends lines: no cursor movement, no colour, nothing redrawn. kapprep's own
words are made printable ASCII (`to_ascii`: a dash for an em dash, "..." for an ellipsis), so a
screen reader never reads a drawing character out as a word; what the patient typed (`User`)
is shown as typed, less control characters. Every line is wrapped to `WIDTH` cells.

Input is read a line at a time straight from the file descriptor (`LineReader`), so the
breathing pacer can see whether a line is waiting without a buffer hiding it. At any prompt,
"crisis" or "!" shows the crisis information at once and asks again, and "help" explains the
prompt. End of input raises `Leave`; so does "quit" or "q" at any prompt, as plain mode's
first lines promise (at a text prompt too: typed there, it was once saved as the answer).
"""

from __future__ import annotations

import os
import sys
import textwrap
import unicodedata
from collections.abc import Callable, Iterable
from typing import TextIO

WIDTH = 80
"""No line is wider than this many cells."""
CRISIS_WORDS = ("crisis", "!")
QUIT_WORDS = ("quit", "q")
HELP_WORDS = ("help", "?")
BACK_WORDS = ("back", "b", "0")

_ASCII = {
    "\u2026": "...",
    "\u2014": " - ",
    "\u2013": "-",
    "\u2212": "-",
    "\u2018": "'",
    "\u2019": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u00b7": "-",
    "\u2022": "*",
    "\u2192": "->",
    "\u2190": "<-",
    "\u00d7": "x",
    "\u2264": "<=",
    "\u2265": ">=",
    "\u00a0": " ",
    "\u202f": " ",
    "\u00b0": " degrees",
}


class User(str):
    """The patient's own text: shown as typed (control characters left out)."""

    __slots__ = ()


class Leave(Exception):
    """The patient is leaving: end of input, Ctrl-D, or quit at a menu."""


def to_ascii(text: str) -> str:
    """kapprep's own words as printable ASCII: punctuation spelled plainly, accents dropped,
    anything else a question mark (never a control character)."""
    out = []
    for ch in text:
        if " " <= ch <= "~":
            out.append(ch)
            continue
        if ch in _ASCII:
            out.append(_ASCII[ch])
            continue
        if ch == "\t":
            out.append(" ")
            continue
        if unicodedata.category(ch).startswith("C"):
            continue
        base = unicodedata.normalize("NFKD", ch).encode("ascii", "ignore").decode("ascii")
        out.append(base if base.isprintable() else "?")
    return "".join(out).replace("  -  ", " - ")


def clean_user(text: str) -> str:
    """What the patient typed, for showing on one line: without the characters a terminal acts
    on (`kapprep.cleantext`: an ESC sequence would recolour it, a bidi override reorder it)."""
    from kapprep.cleantext import clean

    return clean(text, one_line=True)


def cells(text: str) -> int:
    """How many terminal cells `text` takes (wide East Asian characters take two)."""
    return sum(
        0
        if unicodedata.combining(ch)
        else 2
        if unicodedata.east_asian_width(ch) in ("W", "F")
        else 1
        for ch in text
    )


def join(parts: Iterable[str]) -> str:
    return "".join(clean_user(p) if isinstance(p, User) else to_ascii(p) for p in parts)


def wrap(text: str, indent: str = "") -> list[str]:
    """One logical line as lines of at most `WIDTH` cells, the later ones indented."""
    if not text.strip():
        return [""]
    lines = textwrap.wrap(
        text,
        width=WIDTH - 1,
        subsequent_indent=indent,
        break_long_words=True,
        break_on_hyphens=False,
    )
    out: list[str] = []
    for line in lines:
        while cells(line) > WIDTH - 1:  # wide characters in typed text: cut by cells
            cut = len(line)
            while cut > 1 and cells(line[:cut]) > WIDTH - 1:
                cut -= 1
            out.append(line[:cut])
            line = indent + line[cut:]
        out.append(line)
    return out


class LineReader:
    """Lines from a file descriptor, read unbuffered (or from a stream without one)."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        try:
            self.fd: int | None = stream.fileno()
        except (AttributeError, ValueError, OSError):
            self.fd = None
        self.tty = bool(self.fd is not None and os.isatty(self.fd))
        self._buffer = b""
        self.ended = False

    def ready(self) -> bool:
        """A whole line (or the end) is waiting."""
        return b"\n" in self._buffer or (self.ended and bool(self._buffer))

    def poll_fd(self) -> int | None:
        """The descriptor to wait on, or None when nothing more can come."""
        return None if self.ended else self.fd

    def readline(self) -> str | None:
        """The next line without its newline, or None at the end of input."""
        if self.fd is None:
            line = self.stream.readline()
            if not line:
                self.ended = True
                return None
            return line.rstrip("\r\n")
        while b"\n" not in self._buffer:
            if self.ended:
                break
            chunk = os.read(self.fd, 4096)
            if not chunk:
                self.ended = True
                break
            self._buffer += chunk
            if self.tty and not chunk.endswith(b"\n"):
                break  # Ctrl-D after some typing: what was typed is the answer
        if not self._buffer:
            return None
        raw, _sep, rest = self._buffer.partition(b"\n")
        self._buffer = rest
        return raw.decode("utf-8", "replace").rstrip("\r")


class Console:
    """Writes lines and asks questions; see the module docstring."""

    def __init__(
        self,
        stdin: TextIO | None = None,
        stdout: TextIO | None = None,
        *,
        crisis: Callable[[], list[str]] | None = None,
    ) -> None:
        self.input = LineReader(stdin or sys.stdin)
        self.out = stdout or sys.stdout
        self.crisis = crisis or (lambda: [])
        self.echo = not self.input.tty
        """Input from a pipe is not shown by a terminal: say it back after the prompt."""

    def say(self, *parts: str, indent: str = "") -> None:
        """One or more lines; "\\n" in kapprep's own words starts a new one."""
        text = join(parts)
        for logical in text.split("\n"):
            for line in wrap(logical, indent):
                self.out.write(line.rstrip() + "\n")
        self.out.flush()

    def blank(self) -> None:
        self.out.write("\n")
        self.out.flush()

    def bell(self, times: int = 1) -> None:
        """The terminal bell (when the patient turned it on); never into a pipe or a file."""
        try:
            if not self.out.isatty():
                return
        except (AttributeError, ValueError):
            return
        out = getattr(self.out, "raw", self.out)  # under the command line's SafeStream
        out.write("\a" * times)
        out.flush()

    def show_crisis(self) -> None:
        for line in self.crisis():
            self.say(line)

    def ask(self, prompt: str, help_text: str) -> str:
        """The answer to `prompt` (stripped). crisis and help are handled here; `Leave` at quit
        and at the end of input."""
        while True:
            lines = wrap(to_ascii(prompt))
            for line in lines[:-1]:
                self.out.write(line + "\n")
            self.out.write(lines[-1].rstrip() + " ")
            self.out.flush()
            raw = self.input.readline()
            if raw is None:
                self.out.write("\n")
                self.out.flush()
                raise Leave
            if self.echo:
                self.out.write(clean_user(raw) + "\n")
                self.out.flush()
            answer = clean_user(raw).strip()  # what is kept is safe to show again
            word = answer.lower()
            if word in CRISIS_WORDS:
                self.show_crisis()
                continue
            if word in HELP_WORDS:
                self.say(help_text)
                self.say('Anywhere: "crisis" (or "!") for crisis help, "help" to explain.')
                continue
            if word in QUIT_WORDS:
                raise Leave
            return answer

    def wait_for_line(self, seconds: float) -> bool:
        """Wait up to `seconds` (on kapprep's clock) for a typed line: True when one came."""
        from kapprep import clock

        if self.input.ready():
            return True
        return clock.wait(seconds, self.input.poll_fd())
