"""One YAML file to a node tree with positions: bytes checked and decoded, tabs, anchors, aliases
and tags reported where written, syntax errors in plain words."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, TypeVar

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from kapprep.errors import Problem

_T = TypeVar("_T")


@dataclass(frozen=True, slots=True)
class Format:
    """How a YAML format names itself in messages, and its limits."""

    noun: str
    """One document, with its article: "a checklist", "an exercise"."""
    files: str
    """Files of the format, plural: "checklists", "exercise files"."""
    needs: str
    """What a document must hold: "a checklist needs format, id, ..."."""
    max_bytes: int

    @property
    def bare(self) -> str:
        """The noun without its article: "checklist", "exercise"."""
        return self.noun.split(" ", 1)[1]


# --------------------------------------------------------------------------------------------
# Reading one file


def _loader() -> type[Any]:
    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)


_BOMS = (
    (b"\xff\xfe\x00\x00", "UTF-32"),
    (b"\x00\x00\xfe\xff", "UTF-32"),
    (b"\xff\xfe", "UTF-16"),
    (b"\xfe\xff", "UTF-16"),
)


def read_bytes(fmt: Format, path: str, data: bytes) -> tuple[str | None, list[Problem]]:
    """Decode a file's bytes, or say plainly why it is not a text file we can read."""
    if len(data) > fmt.max_bytes:
        msg = (
            f"the file is larger than {_size(fmt.max_bytes)}, the most {fmt.noun} "
            "file may be; split it into smaller files"
        )
        return None, [Problem(path, 1, 1, msg)]
    body = data.removeprefix(b"\xef\xbb\xbf")
    if not body:
        return None, [Problem(path, 1, 1, f"the file is empty; {fmt.needs}")]
    if not body.strip(b" \t\r\n"):
        return None, [Problem(path, 1, 1, f"the file holds only blank space; {fmt.needs}")]
    for bom, name in _BOMS:
        if data.startswith(bom):
            msg = f"the file is saved as {name}; save it as UTF-8 in your editor"
            return None, [Problem(path, 1, 1, msg)]
    nul = data.find(b"\x00")
    if nul != -1:
        line, col = line_col(data, nul)
        msg = f"this is not a text file (it contains binary data); {fmt.files} are YAML text files"
        return None, [Problem(path, line, col, msg)]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line, col = line_col(data, exc.start)
        msg = "this character is not UTF-8 text; save the file as UTF-8 in your editor"
        return None, [Problem(path, line, col, msg)]
    return text, []


def _size(n: int) -> str:
    return f"{n // (1024 * 1024)} MiB" if n >= 1024 * 1024 else f"{n // 1024} KiB"


def read_path(fmt: Format, path: Path) -> tuple[str | None, list[Problem]]:
    """A file's text, or why it cannot be read: never a huge file whole, never a pipe or device
    (opening a FIFO for reading would wait for a writer forever)."""
    from kapprep.files import NotAFileError, read_regular

    name = str(path)
    try:
        data = read_regular(path, fmt.max_bytes + 1)
    except NotAFileError:
        return None, [
            Problem(name, 1, 1, "this is not a file (a pipe or a device); give a .yaml file")
        ]
    except IsADirectoryError:
        return None, [Problem(name, 1, 1, f"this is a folder, not {fmt.noun} file")]
    except FileNotFoundError:
        return None, [Problem(name, 1, 1, "there is no such file")]
    except OSError as exc:
        return None, [
            Problem(name, 1, 1, f"cannot read this file ({exc.strerror or 'unknown reason'})")
        ]
    return read_bytes(fmt, name, data)


def line_col(data: bytes, offset: int) -> tuple[int, int]:
    """The 1-based line and column (in characters) of a byte offset."""
    line = data.count(b"\n", 0, offset) + 1
    start = data.rfind(b"\n", 0, offset) + 1
    return line, len(data[start:offset].decode("utf-8", "replace")) + 1


_TAB_INDENT_RE = re.compile(r"^[ \t]+", re.MULTILINE)


def _tab_problems(path: str, text: str) -> list[Problem]:
    out = []
    for n, line in enumerate(text.splitlines(), start=1):
        indent = line[: len(line) - len(line.lstrip(" \t"))]
        if "\t" in indent:
            col = indent.index("\t") + 1
            msg = "a tab is used to indent this line; YAML needs spaces (set your editor to insert spaces)"
            out.append(Problem(path, n, col, msg))
    return out


_YAML_PLAIN: list[tuple[str, str]] = [
    ("found character '\\t'", "a tab character is here; YAML needs spaces, not tabs"),
    ("cannot start any token", "this character cannot start a value; put the text in quotes"),
    (
        "mapping values are not allowed",
        "a colon here is not expected; put text containing ': ' in quotes, or check the indentation",
    ),
    ("could not find expected ':'", "a line near here is missing its colon (write key: value)"),
    ("expected <block end>", "the indentation here does not line up with the lines above it"),
    (
        "expected a single document",
        "the file holds more than one document (a second ---); keep one <bare> per file",
    ),
    ("found undefined alias", "an alias (*name) is used here; <files> do not use aliases"),
    ("special characters are not allowed", "an invisible control character is here; delete it"),
    ("unacceptable character", "an invisible control character is here; delete it"),
    (
        "found unexpected end of stream",
        "the file ends in the middle of a value; is a quote left open?",
    ),
    ("found duplicate anchor", "an anchor (&name) is used here; <files> do not use anchors"),
    ("exceeded maximum nesting depth", "the file is nested too deeply to be <noun>"),
    ("while scanning an anchor", "& starts a YAML anchor here; put the text in quotes"),
    ("while scanning an alias", "* starts a YAML alias here; put the text in quotes"),
    ("while scanning a tag", "! starts a YAML tag here; put the text in quotes"),
    (
        "unknown escape character",
        "a backslash in double quotes is not a known escape; use single quotes, or write \\\\",
    ),
    (
        "found unexpected document indicator",
        "a line starting with --- or ... is inside a quoted text; close the quote before it",
    ),
    (
        "directive",
        "a line starting with % is not allowed here; remove it, or put the text in quotes",
    ),
    (
        "incompatible YAML document",
        "the file asks for a YAML version kapprep does not read; remove the %YAML line",
    ),
    (
        "while scanning a block scalar",
        "the text after | or > is not laid out as YAML expects; check its indentation",
    ),
    ("found unexpected ':'", "a colon here is not expected; put the text in quotes"),
    (
        "expected ',' or '}'",
        "a { is not closed here, or a comma is missing; put text with brackets or commas in quotes",
    ),
    (
        "expected ',' or ']'",
        "a [ is not closed here, or a comma is missing; put text with brackets or commas in quotes",
    ),
    (
        "did not find expected key",
        "the indentation here does not line up with the lines above it, or a key is missing",
    ),
    (
        "did not find expected '-' indicator",
        "the indentation of this list does not line up with the lines above it",
    ),
    (
        "block sequence entries are not allowed",
        "a list entry ('- ') is not expected here; check the indentation",
    ),
    (
        "did not find expected node content",
        "a value is missing here, or a character here cannot start one",
    ),
    (
        "did not find expected <document start>",
        "this line is not part of the <bare>'s structure; check its indentation",
    ),
]


def _named(fmt: Format, message: str) -> str:
    return (
        message.replace("<noun>", fmt.noun)
        .replace("<bare>", fmt.bare)
        .replace("<files>", fmt.files)
    )


def _yaml_problem(fmt: Format, path: str, exc: yaml.YAMLError, text: str) -> Problem:
    if isinstance(exc, yaml.reader.ReaderError):  # a control character: no mark, a position
        start = text.rfind("\n", 0, exc.position) + 1
        line, col = text.count("\n", 0, exc.position) + 1, exc.position - start + 1
        return Problem(path, line, col, "an invisible control character is here; delete it")
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line, col = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
    problem = str(getattr(exc, "problem", None) or "")
    context = str(getattr(exc, "context", None) or "")
    said = f"{context} {problem}".strip() or type(exc).__name__
    opened = getattr(exc, "context_mark", None)
    for needle, plain in _AT_THE_OPENING:
        # Point at the bracket or quote left open, not at where the reader gave up.
        if needle in said and opened is not None:
            return Problem(path, opened.line + 1, opened.column + 1, plain)
    for needle, plain in _YAML_PLAIN:
        if needle in said:
            return Problem(path, line, col, _named(fmt, plain))
    return Problem(path, line, col, f"the YAML here cannot be read ({said})")


_AT_THE_OPENING: list[tuple[str, str]] = [
    (
        "while scanning a quoted scalar found unexpected end of stream",
        "this quote is never closed; add the closing quote",
    ),
    (
        "expected ',' or ']'",
        "this [ is not closed, or a comma is missing inside it; put text with brackets or "
        "commas in quotes",
    ),
    (
        "expected ',' or '}'",
        "this { is not closed, or a comma is missing inside it; put text with brackets or "
        "commas in quotes",
    ),
]


_ODD_SYNTAX = ("&", "*", "!")
"""Characters that may start an anchor, an alias or a tag: only then is the event pre-pass run."""


def _odd_syntax_problems(fmt: Format, path: str, text: str) -> list[Problem]:
    """Anchors, aliases and tags, each at its own place. Composing keeps neither the alias's
    position nor whether a tag was written, so this reads the event stream (only when one of the
    characters appears at all, to keep ordinary files fast). A syntax error ends the pass quietly:
    composing reports it."""
    out: list[Problem] = []
    try:
        for event in yaml.parse(text, Loader=_loader()):
            mark = event.start_mark
            where = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
            if isinstance(event, yaml.AliasEvent):
                msg = (
                    f"*{event.anchor} repeats another part of the file (a YAML alias); {fmt.files} "
                    "do not use aliases — write each part out in full"
                )
                out.append(Problem(path, *where, msg))
                continue
            anchor = getattr(event, "anchor", None)
            if anchor:
                msg = (
                    f"&{anchor} marks a part to repeat (a YAML anchor); {fmt.files} do not "
                    "use anchors — remove it"
                )
                out.append(Problem(path, *where, msg))
            tag = getattr(event, "tag", None)
            if tag and isinstance(event, yaml.ScalarEvent | yaml.CollectionStartEvent):
                shown = tag.replace("tag:yaml.org,2002:", "!!")
                msg = f"YAML tags like {shown} are not allowed in {fmt.files}; remove it"
                out.append(Problem(path, *where, msg))
    except yaml.YAMLError:
        pass
    return out


def _untab(text: str, width: int) -> str:
    return _TAB_INDENT_RE.sub(lambda m: m.group(0).replace("\t", " " * width), text)


def _compose(text: str) -> Node | None:
    node: Node | None = yaml.compose(text, Loader=_loader())
    return node


def _guess_tab_width(text: str) -> int:
    """The tab width that makes the file's structure readable (2, 4 or 8), else 2."""
    for width in (2, 4, 8):
        try:
            _compose(_untab(text, width))
        except (yaml.YAMLError, RecursionError):
            continue
        return width
    return 2


def _unshift(problem: Problem, lines: list[str], width: int) -> Problem:
    """Map a column found in the untabbed text back to the column in the author's file."""
    if problem.line > len(lines):
        return problem
    line = lines[problem.line - 1]
    indent = line[: len(line) - len(line.lstrip(" \t"))]
    tabs = indent.count("\t")
    if not tabs:
        return problem
    grown = len(indent) + tabs * (width - 1)
    col = problem.col - tabs * (width - 1) if problem.col > grown else min(problem.col, len(indent))
    return replace(problem, col=max(col, 1))


def read_document(
    fmt: Format,
    text: str,
    path: str,
    walk: Callable[[Node], tuple[_T | None, list[Problem]]],
) -> tuple[_T | None, list[Problem]]:
    """Compose one YAML document and hand its root to `walk`, collecting every problem.

    The steps every kapprep YAML format shares (checklists, grounding exercises): tabs reported and
    then read as the author meant them, anchors, aliases and tags reported where written, YAML
    syntax errors in plain words, then the format's own walk.
    """
    tab_problems = _tab_problems(path, text)
    found: list[Problem] = []
    result: _T | None = None
    width = 1
    tab_lines = {p.line for p in tab_problems}
    original_lines = text.splitlines()
    if tab_problems:
        # Report the tabs, then read on as the author meant them (the tab width that makes the
        # structure readable), so the rest of the file's mistakes are found in the same run.
        width = _guess_tab_width(text)
        text = _untab(text, width)
    if any(ch in text for ch in _ODD_SYNTAX):
        found.extend(_odd_syntax_problems(fmt, path, text))
    try:
        root = _compose(text)
    except yaml.YAMLError as exc:
        err = _yaml_problem(fmt, path, exc, text)
        seen = {(p.line, p.col) for p in found}
        # Left out when most likely the tabs' doing, or already said at that place (an alias).
        if not (tab_lines & {err.line, err.line - 1}) and (err.line, err.col) not in seen:
            found.append(err)
    except RecursionError:  # only with the pure-Python loader; libyaml stops at depth 1000
        found.append(Problem(path, 1, 1, f"the file is nested too deeply to be {fmt.noun}"))
    else:
        if root is None:
            found.append(
                Problem(path, 1, 1, f"the file has only comments, no content; {fmt.needs}")
            )
        else:
            found.extend(_unsafe_text(path, root))
            result, walked = walk(root)
            found.extend(walked)
    if tab_problems:
        found = [_unshift(p, original_lines, width) for p in found]
    problems = sorted([*tab_problems, *found], key=lambda p: (p.line, p.col))
    return (result if not problems else None), problems


def _unsafe_text(path: str, root: Node) -> list[Problem]:
    """Every scalar (key or value) holding a character a terminal would act on (an escape
    sequence written as "\\e" in double quotes, a bidi override), at its place: such a file is
    refused, so none of it reaches a screen. Each node once: aliases compose to a shared graph."""
    from kapprep.cleantext import describe, unsafe_at

    out: list[Problem] = []
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, ScalarNode):
            at = unsafe_at(node.value)
            if at is not None:
                line, col = _place_in(node, at)
                ch = node.value[at]
                kind = (
                    "a direction override, which shows text in another order than it is written"
                    if "\u202a" <= ch <= "\u2069"
                    else "a control character a terminal would act on"
                )
                out.append(
                    Problem(path, line, col, f"this text holds {describe(ch)}, {kind}; remove it")
                )
        elif isinstance(node, MappingNode):
            for key, value in node.value:
                stack.extend((value, key))
        elif isinstance(node, SequenceNode):
            stack.extend(reversed(node.value))
    return out


def _place_in(node: ScalarNode, index: int) -> tuple[int, int]:
    """The line and column of character `index` of a scalar: exact for a plain scalar on one
    line, else where the scalar starts (the place of an escape inside quotes is not kept)."""
    mark = node.start_mark
    line, col = mark.line + 1, mark.column + 1
    if node.style is None and "\n" not in node.value[:index]:
        return line, col + index
    return line, col
