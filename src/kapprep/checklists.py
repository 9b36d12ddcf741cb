"""Checklists: the model, the YAML loader and a validator that reports every mistake with its place.

A checklist file (format 1, see docs/checklist-format.md) is read with PyYAML's `compose()`, which
keeps the line and column of every node, and walked by hand. Scalars are read as the raw text the
author typed and typed here as YAML 1.2 (and editors) type them, which avoids YAML 1.1's traps
(`12:30` read as 750, `no` as False) and keeps the validator and the JSON Schema in step. We
refuse what PyYAML accepts silently: duplicate keys, anchors and aliases (and so "billion laughs"
bombs, reported where each alias is written and never expanded), tags. Every problem is collected as a `Problem` (`PATH:LINE:COL: message`, the form editors
jump to), in words written for a clinician rather than a programmer.

Sets of files are layered: the shipped checklists, then the user's config folder, then any
`--checklists DIR`; a later file replaces an earlier one with the same checklist `id`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any, TypeVar

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from kapprep.checklist_model import (
    CLINIC_NOTICE,
    PHASE_TITLES,
    PHASES,
    Checklist,
    ChecklistSet,
    Item,
    Problem,
    Source,
)
from kapprep.clinic_rules import ClinicRules
from kapprep.due import EXAMPLES, Due, DueSyntaxError, parse_due

_T = TypeVar("_T")

__all__ = [
    "CLINIC_NOTICE",
    "PHASES",
    "PHASE_TITLES",
    "Checklist",
    "ChecklistError",
    "ChecklistSet",
    "Item",
    "Problem",
    "Source",
    "load_active",
    "load_file",
    "load_layers",
    "parse_bytes",
    "parse_checklist",
    "validate_paths",
]

FORMAT_VERSION = 1
MAX_BYTES = 2 * 1024 * 1024
"""A checklist file larger than this is refused before it is parsed (5,000 items is ~0.9 MiB)."""
MAX_ITEMS = 10_000

_ID_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")
_ID_HELP = "use lower-case letters, digits and dashes, like stop-eating (at most 64 characters)"

_TOP_KEYS = {
    "format": "the format version, always 1",
    "id": "a short, unique name for this checklist, like day-before",
    "title": "the checklist's name, shown as a heading",
    "phase": "when it applies: " + ", ".join(PHASES),
    "description": "",
    "sources": "the public guides this checklist draws on, each with a title and url",
    "items": "the list of things to do",
    "clinic_rules": "the clinic's rules for after the session (driving, decisions and more)",
}
_TOP_REQUIRED = ("format", "id", "title", "phase", "sources", "items")
_ITEM_KEYS = {
    "id": "a stable name for the item, unique across all checklists",
    "text": "what to do, in a few plain words",
    "why": "",
    "due": "",
    "tags": "",
    "clinic_decides": "",
    "default_from": "",
}
_ITEM_REQUIRED = ("id", "text")
_SOURCE_KEYS = {
    "title": "the guide's name",
    "url": "where it was published",
    "quote": "the page's own words the checklist relies on",
}
_RULE_KEYS = {
    "driving": 'when the patient may drive again: "24 hours" after the session ends, or words',
    "decisions": 'how long big decisions wait: "24 hours" after the session ends, or words',
    "check_in_minutes": "for a session at home: how often the helper looks in, in minutes",
    "blood_pressure": "for a session at home: when the helper notes it: before, after",
}


# --------------------------------------------------------------------------------------------
# The model lives in checklist_model.py (no YAML), so that cached checklists load without it


class ChecklistError(Exception):
    """Raised with every problem found in a file (or a set of files)."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


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


def _read_text(path: str, data: bytes) -> tuple[str | None, list[Problem]]:
    """Decode a file's bytes, or say plainly why it is not a text file we can read."""
    if len(data) > MAX_BYTES:
        msg = (
            f"the file is larger than {MAX_BYTES // (1024 * 1024)} MiB, the most a checklist "
            "file may be; split it into smaller files"
        )
        return None, [Problem(path, 1, 1, msg)]
    body = data.removeprefix(b"\xef\xbb\xbf")
    if not body:
        return None, [Problem(path, 1, 1, f"the file is empty; {_NEEDS}")]
    if not body.strip(b" \t\r\n"):
        return None, [Problem(path, 1, 1, f"the file holds only blank space; {_NEEDS}")]
    for bom, name in _BOMS:
        if data.startswith(bom):
            msg = f"the file is saved as {name}; save it as UTF-8 in your editor"
            return None, [Problem(path, 1, 1, msg)]
    nul = data.find(b"\x00")
    if nul != -1:
        line, col = _line_col(data, nul)
        msg = "this is not a text file (it contains binary data); checklists are YAML text files"
        return None, [Problem(path, line, col, msg)]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line, col = _line_col(data, exc.start)
        msg = "this character is not UTF-8 text; save the file as UTF-8 in your editor"
        return None, [Problem(path, line, col, msg)]
    return text, []


def _line_col(data: bytes, offset: int) -> tuple[int, int]:
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
        "the file holds more than one document (a second ---); keep one checklist per file",
    ),
    ("found undefined alias", "an alias (*name) is used here; checklists do not use aliases"),
    ("special characters are not allowed", "an invisible control character is here; delete it"),
    ("unacceptable character", "an invisible control character is here; delete it"),
    (
        "found unexpected end of stream",
        "the file ends in the middle of a value; is a quote left open?",
    ),
    ("found duplicate anchor", "an anchor (&name) is used here; checklists do not use anchors"),
    ("exceeded maximum nesting depth", "the file is nested too deeply to be a checklist"),
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
        "this line is not part of the checklist's structure; check its indentation",
    ),
]


def _yaml_problem(path: str, exc: yaml.YAMLError, text: str) -> Problem:
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
            return Problem(path, line, col, plain)
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


def _odd_syntax_problems(path: str, text: str) -> list[Problem]:
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
                    f"*{event.anchor} repeats another part of the file (a YAML alias); checklists "
                    "do not use aliases — write each part out in full"
                )
                out.append(Problem(path, *where, msg))
                continue
            anchor = getattr(event, "anchor", None)
            if anchor:
                msg = (
                    f"&{anchor} marks a part to repeat (a YAML anchor); checklists do not "
                    "use anchors — remove it"
                )
                out.append(Problem(path, *where, msg))
            tag = getattr(event, "tag", None)
            if tag and isinstance(event, yaml.ScalarEvent | yaml.CollectionStartEvent):
                shown = tag.replace("tag:yaml.org,2002:", "!!")
                msg = f"YAML tags like {shown} are not allowed in checklists; remove it"
                out.append(Problem(path, *where, msg))
    except yaml.YAMLError:
        pass
    return out


_NEEDS = "a checklist needs format, id, title, phase, sources and items"


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
    text: str,
    path: str,
    walk: Callable[[Node], tuple[_T | None, list[Problem]]],
    *,
    nested: str,
    empty: str,
) -> tuple[_T | None, list[Problem]]:
    """Compose one YAML document and hand its root to `walk`, collecting every problem.

    The steps every kapprep YAML format shares (checklists, grounding exercises): tabs reported and
    then read as the author meant them, anchors, aliases and tags reported where written, YAML
    syntax errors in plain words, then the format's own walk. `nested` and `empty` are the
    messages for a too-deeply nested file and one with only comments.
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
        found.extend(_odd_syntax_problems(path, text))
    try:
        root = _compose(text)
    except yaml.YAMLError as exc:
        err = _yaml_problem(path, exc, text)
        seen = {(p.line, p.col) for p in found}
        # Left out when most likely the tabs' doing, or already said at that place (an alias).
        if not (tab_lines & {err.line, err.line - 1}) and (err.line, err.col) not in seen:
            found.append(err)
    except RecursionError:  # only with the pure-Python loader; libyaml stops at depth 1000
        found.append(Problem(path, 1, 1, nested))
    else:
        if root is None:
            found.append(Problem(path, 1, 1, empty))
        else:
            result, walked = walk(root)
            found.extend(walked)
    if tab_problems:
        found = [_unshift(p, original_lines, width) for p in found]
    problems = sorted([*tab_problems, *found], key=lambda p: (p.line, p.col))
    return (result if not problems else None), problems


def parse_checklist(text: str, path: str = "<text>") -> tuple[Checklist | None, list[Problem]]:
    """Validate one checklist's text; return it (or None) and every problem found."""

    def walk(root: Node) -> tuple[Checklist | None, list[Problem]]:
        walker = _Walker(path)
        return walker.checklist(root), walker.problems

    return read_document(
        text,
        path,
        walk,
        nested="the file is nested too deeply to be a checklist",
        empty=f"the file has only comments, no content; {_NEEDS}",
    )


def load_file(path: str | Path) -> Checklist:
    """Read and validate one file; raise `ChecklistError` with every problem."""
    checklist, problems = _load(Path(path))
    if checklist is None:
        raise ChecklistError(problems)
    return checklist


def _load(path: Path) -> tuple[Checklist | None, list[Problem]]:
    name = str(path)
    from kapprep.files import NotAFileError, read_regular

    try:
        data = read_regular(path, MAX_BYTES + 1)  # never a huge file whole, never a FIFO
    except NotAFileError:
        return None, [
            Problem(name, 1, 1, "this is not a file (a pipe or a device); give a .yaml file")
        ]
    except IsADirectoryError:
        return None, [Problem(name, 1, 1, "this is a folder, not a checklist file")]
    except FileNotFoundError:
        return None, [Problem(name, 1, 1, "there is no such file")]
    except OSError as exc:
        return None, [
            Problem(name, 1, 1, f"cannot read this file ({exc.strerror or 'unknown reason'})")
        ]
    return parse_bytes(data, name)


def parse_bytes(data: bytes, path: str = "<bytes>") -> tuple[Checklist | None, list[Problem]]:
    """Validate a file's raw bytes (size, encoding, binary data), then its text."""
    text, problems = _read_text(path, data)
    if text is None:
        return None, problems
    return parse_checklist(text, path)


# --------------------------------------------------------------------------------------------
# The walker

# Plain (unquoted) scalars are typed as YAML 1.2's core schema types them, as editors do:
# `yes`, `no`, `on` and `12:30` are words, `true`, `5` and `null` are not.
_NULL_RE = re.compile(r"~|null|Null|NULL|")
_BOOL_RE = re.compile(r"true|True|TRUE|false|False|FALSE")
_NUMBER_RE = re.compile(
    r"[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+"
    r"|[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
    r"|[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN"
)


def _plain_kind(node: ScalarNode) -> str:
    """'null', 'bool', 'number' or 'text': what a scalar is under YAML 1.2's core schema."""
    if node.style:
        return "text"
    value = node.value
    if _NULL_RE.fullmatch(value):
        return "null"
    if _BOOL_RE.fullmatch(value):
        return "bool"
    if _NUMBER_RE.fullmatch(value):
        return "number"
    return "text"


class _Walker:
    """Walks a composed YAML node tree, building the model and collecting problems."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.problems: list[Problem] = []
        self._seen: set[int] = set()

    def err(self, node: Node, message: str) -> None:
        mark = node.start_mark
        self.problems.append(Problem(self.path, mark.line + 1, mark.column + 1, message))

    def visit(self, node: Node) -> bool:
        """False when a node is met twice: an alias, already reported where it is written by
        `_odd_syntax_problems`. This keeps the walk linear even for "billion laughs" files,
        whose aliases compose to a small shared graph."""
        if id(node) in self._seen:
            return False
        self._seen.add(id(node))
        return True

    # -- shapes ----------------------------------------------------------------------------

    def mapping(
        self, node: Node, where: str, allowed: dict[str, str]
    ) -> dict[str, tuple[ScalarNode, Node]] | None:
        if not isinstance(node, MappingNode):
            self.err(node, f"{where} should be a set of 'key: value' lines, not {_describe(node)}")
            return None
        out: dict[str, tuple[ScalarNode, Node]] = {}
        for key, value in node.value:
            if not (self.visit(key) and self.visit(value)):
                continue
            if not isinstance(key, ScalarNode):
                self.err(key, f"a key in {where} should be a plain word, not {_describe(key)}")
                continue
            name = key.value
            if name in out:
                first = out[name][0].start_mark.line + 1
                self.err(
                    key, f'"{name}" appears twice in {where} (first on line {first}); keep only one'
                )
                continue
            if name not in allowed:
                self.err(key, _unknown_key(name, where, allowed))
                continue
            out[name] = (key, value)
        return out

    def require(
        self,
        node: Node,
        found: dict[str, Any],
        required: Iterable[str],
        where: str,
        allowed: dict[str, str],
    ) -> None:
        for name in required:
            if name not in found:
                hint = allowed.get(name)
                self.err(node, f'{where} is missing "{name}"' + (f": {hint}" if hint else ""))

    def text(self, node: Node, what: str) -> str | None:
        if not isinstance(node, ScalarNode):
            self.err(node, f"{what} should be text, not {_describe(node)}")
            return None
        kind = _plain_kind(node)
        if kind == "null" or not node.value.strip():
            self.err(node, f"{what} is empty; write some text or remove the line")
            return None
        if kind != "text":
            shown = "a number" if kind == "number" else "true or false"
            self.err(
                node,
                f"{what} reads as {shown}, not text; if you mean it, put it in quotes "
                f'("{_clip(node.value)}")',
            )
            return None
        return str(node.value).strip()

    def ident(self, node: Node, what: str) -> str | None:
        value = self.text(node, what)
        if value is not None and not _ID_RE.fullmatch(str(node.value)):  # raw: no spaces either
            self.err(node, f'{what} "{_clip(value)}" is not a valid id; {_ID_HELP}')
            return None
        return value

    def boolean(self, node: Node, what: str) -> bool | None:
        if isinstance(node, ScalarNode) and _plain_kind(node) == "bool":
            return str(node.value).lower() == "true"
        shown = f'"{_clip(node.value)}"' if isinstance(node, ScalarNode) else _describe(node)
        self.err(node, f"{what} should be true or false, not {shown}")
        return None

    def sequence(self, node: Node, what: str) -> list[Node] | None:
        if not isinstance(node, SequenceNode):
            self.err(
                node, f"{what} should be a list (lines starting with '- '), not {_describe(node)}"
            )
            return None
        return [child for child in node.value if self.visit(child)]

    # -- the format ------------------------------------------------------------------------

    def checklist(self, root: Node) -> Checklist | None:
        if not self.visit(root):
            return None
        top = self.mapping(root, "the checklist", _TOP_KEYS)
        if top is None:
            return None
        self.require(root, top, _TOP_REQUIRED, "the checklist", _TOP_KEYS)
        if "format" in top:
            node = top["format"][1]
            ok = (
                isinstance(node, ScalarNode)
                and _plain_kind(node) == "number"
                and node.value == str(FORMAT_VERSION)
            )
            if not ok:
                shown = _clip(node.value) if isinstance(node, ScalarNode) else _describe(node)
                self.err(
                    node,
                    f"format should be {FORMAT_VERSION} (this version of kapprep reads format "
                    f'{FORMAT_VERSION}), not "{shown}"',
                )
        cid = self.ident(top["id"][1], "the checklist id") if "id" in top else None
        title = self.text(top["title"][1], "title") if "title" in top else None
        description = (
            self.text(top["description"][1], "description") if "description" in top else None
        )
        phase = None
        if "phase" in top:
            phase = self.text(top["phase"][1], "phase")
            if phase is not None and phase not in PHASES:
                close = _close_matches(phase, PHASES)
                hint = f' — did you mean "{close[0]}"?' if close else ""
                self.err(
                    top["phase"][1],
                    f'phase "{_clip(phase)}" is not one we know; use one of: '
                    f"{', '.join(PHASES)}{hint}",
                )
                phase = None
        sources = self.sources(top["sources"][1]) if "sources" in top else ()
        rules = self.clinic_rules(top["clinic_rules"][1]) if "clinic_rules" in top else None
        items: list[Item] = []
        if "items" in top:
            items = self.items(top["items"][1], cid or "", phase or "")
        if cid is None or title is None or phase is None or self.problems:
            return None
        mark = root.start_mark
        return Checklist(
            id=cid,
            title=title,
            phase=phase,
            sources=sources,
            items=tuple(items),
            description=description,
            path=self.path,
            line=mark.line + 1,
            col=mark.column + 1,
            clinic_rules=rules,
        )

    def clinic_rules(self, node: Node) -> ClinicRules | None:
        from kapprep.clinic_rules import RuleError, parse_rule

        found = self.mapping(node, "clinic_rules", _RULE_KEYS)
        if found is None:
            return None
        rules: dict[str, Any] = {}
        for kind in ("driving", "decisions"):
            if kind in found:
                value = self.text(found[kind][1], f"clinic_rules' {kind}")
                if value is not None:
                    try:
                        rules[kind] = parse_rule(value, self.path)
                    except RuleError as exc:
                        self.err(found[kind][1], f"clinic_rules' {kind}: {exc}")
        if "check_in_minutes" in found:
            value_node = found["check_in_minutes"][1]
            ok = (
                isinstance(value_node, ScalarNode)
                and _plain_kind(value_node) == "number"
                and value_node.value.isdigit()
                and 1 <= int(value_node.value) <= 240
            )
            if ok:
                rules["check_in_minutes"] = int(value_node.value)
            else:
                self.err(
                    value_node,
                    "clinic_rules' check_in_minutes should be a number of minutes from 1 to 240, like 15",
                )
        if "blood_pressure" in found:
            moments = self.sequence(found["blood_pressure"][1], "clinic_rules' blood_pressure")
            chosen = []
            for moment in moments or []:
                when = self.text(moment, "a blood-pressure moment")
                if when in ("before", "after"):
                    chosen.append(when)
                elif when is not None:
                    self.err(moment, f'blood_pressure takes before and after, not "{_clip(when)}"')
            rules["blood_pressure"] = tuple(chosen)
        return ClinicRules(**rules)

    def sources(self, node: Node) -> tuple[Source, ...]:
        entries = self.sequence(node, "sources")
        if entries is None:
            return ()
        if not entries:
            self.err(
                node, "sources is empty; name at least one public guide this checklist draws on"
            )
        out = []
        for n, entry in enumerate(entries, start=1):
            where = f"source {n}"
            found = self.mapping(entry, where, _SOURCE_KEYS)
            if found is None:
                continue
            self.require(entry, found, ("title", "url"), where, _SOURCE_KEYS)
            title = self.text(found["title"][1], f"{where}'s title") if "title" in found else None
            url = self.text(found["url"][1], f"{where}'s url") if "url" in found else None
            if url is not None and not _URL_RE.fullmatch(str(found["url"][1].value)):
                self.err(
                    found["url"][1],
                    f'"{_clip(url)}" is not a web address; write it like https://example.org/page',
                )
                url = None
            quote = self.text(found["quote"][1], f"{where}'s quote") if "quote" in found else ""
            if title and url:
                out.append(Source(title, url, quote or ""))
        return tuple(out)

    def items(self, node: Node, checklist_id: str, phase: str) -> list[Item]:
        entries = self.sequence(node, "items")
        if entries is None:
            return []
        if not entries:
            self.err(node, "items is empty; a checklist needs at least one item")
        if len(entries) > MAX_ITEMS:
            self.err(
                node, f"this checklist has {len(entries)} items; at most {MAX_ITEMS} are allowed"
            )
            return []
        seen: dict[str, int] = {}
        out = []
        for n, entry in enumerate(entries, start=1):
            item = self.item(entry, f"item {n}", checklist_id, phase, seen)
            if item is not None:
                out.append(item)
        return out

    def item(
        self, entry: Node, where: str, checklist_id: str, phase: str, seen: dict[str, int]
    ) -> Item | None:
        found = self.mapping(entry, where, _ITEM_KEYS)
        if found is None:
            return None
        self.require(entry, found, _ITEM_REQUIRED, where, _ITEM_KEYS)
        item_id = self.ident(found["id"][1], f"{where}'s id") if "id" in found else None
        if item_id is not None:
            if item_id in seen:
                self.err(
                    found["id"][1],
                    f'item id "{item_id}" is already used on line {seen[item_id]}; every item '
                    "needs its own id",
                )
                item_id = None
            else:
                seen[item_id] = found["id"][1].start_mark.line + 1
        text = self.text(found["text"][1], f"{where}'s text") if "text" in found else None
        why = self.text(found["why"][1], f"{where}'s why") if "why" in found else None
        due = self.due(found["due"][1], f"{where}'s due") if "due" in found else None
        tags: tuple[str, ...] = ()
        if "tags" in found:
            tag_nodes = self.sequence(found["tags"][1], f"{where}'s tags")
            if tag_nodes is not None:
                tags = tuple(t for t in (self.text(t, "a tag") for t in tag_nodes) if t)
        clinic: bool | None = False
        if "clinic_decides" in found:
            clinic = self.boolean(found["clinic_decides"][1], f"{where}'s clinic_decides")
        default_from = None
        if "default_from" in found:
            key, value = found["default_from"]
            default_from = self.text(value, f"{where}'s default_from")
            if clinic is False:
                self.err(
                    key,
                    f"{where} has default_from but is not marked clinic_decides: true; "
                    "default_from says where a clinic-decided default came from",
                )
        if item_id is None or text is None:
            return None
        mark = found["id"][0].start_mark
        return Item(
            id=item_id,
            text=text,
            checklist_id=checklist_id,
            phase=phase,
            why=why,
            due=due,
            tags=tags,
            clinic_decides=bool(clinic),
            default_from=default_from,
            path=self.path,
            line=mark.line + 1,
            col=mark.column + 1,
        )

    def due(self, node: Node, what: str) -> Due | None:
        if not isinstance(node, ScalarNode):
            self.err(node, f"{what} should be a time like -1d@20:00, not {_describe(node)}")
            return None
        if _plain_kind(node) == "null":
            self.err(node, f"{what} is empty; write a time like {EXAMPLES}, or remove the line")
            return None
        try:
            return parse_due(node.value)
        except DueSyntaxError as exc:
            self.err(node, f"{what}: {exc}")
            return None


_URL_RE = re.compile(r"https?://\S+")


def _clip(text: str, limit: int = 40) -> str:
    """Quote at most `limit` characters of what the author wrote, on one line."""
    one_line = " ".join(text.split())
    return one_line if len(one_line) <= limit else one_line[: limit - 3] + "..."


def _describe(node: Node) -> str:
    if isinstance(node, MappingNode):
        return "a set of 'key: value' lines"
    if isinstance(node, SequenceNode):
        return "a list"
    if isinstance(node, ScalarNode):
        if _plain_kind(node) == "null":
            return "nothing (it is empty)"
        return f'the text "{_clip(node.value)}"'
    return "something else"


def _close_matches(word: str, choices: Sequence[str]) -> list[str]:
    import difflib  # only when there is a mistake: ~5-14 ms of start-up otherwise

    return difflib.get_close_matches(word, choices, n=1, cutoff=0.6)


def _unknown_key(name: str, where: str, allowed: dict[str, str]) -> str:
    close = _close_matches(name, list(allowed))
    hint = (
        f'did you mean "{close[0]}"?'
        if close
        else "the keys allowed here are: " + ", ".join(allowed)
    )
    return f'"{_clip(name)}" is not a key {where} can have; {hint}'


# --------------------------------------------------------------------------------------------
# Sets of files


def _expand(paths: Iterable[Path], *, empty_is_a_problem: bool) -> Iterator[Path | Problem]:
    """Files as given, and each folder's `*.yaml`/`*.yml` files in name order (hidden ones
    left out), or a `Problem` for a folder that cannot be listed (or holds none, if asked)."""
    for path in paths:
        if not path.is_dir():
            yield path
            continue
        try:
            found = sorted(
                p
                for p in path.iterdir()
                if p.suffix in (".yaml", ".yml") and not p.name.startswith(".") and p.is_file()
            )
        except OSError as exc:
            reason = exc.strerror or "unknown reason"
            yield Problem(str(path), 1, 1, f"cannot read this folder ({reason})")
            continue
        if not found and empty_is_a_problem:
            yield Problem(str(path), 1, 1, "this folder holds no checklist files (*.yaml)")
        yield from found


def _load_layer(
    paths: Iterable[Path], *, empty_is_a_problem: bool = False
) -> tuple[dict[str, Checklist], list[Problem]]:
    """One layer (a folder, or the paths given to `validate`): two files in it cannot share an id."""
    layer: dict[str, Checklist] = {}
    problems: list[Problem] = []
    for path in _expand(paths, empty_is_a_problem=empty_is_a_problem):
        if isinstance(path, Problem):
            problems.append(path)
            continue
        checklist, found = _load(path)
        problems.extend(found)
        if checklist is None:
            continue
        if checklist.id in layer:
            problems.append(_conflict(checklist, layer[checklist.id]))
            continue
        layer[checklist.id] = checklist
    return layer, problems


def validate_paths(paths: Sequence[str | Path]) -> tuple[list[Checklist], list[Problem]]:
    """Validate files and folders as one set: every problem in every file, then ids across files.
    A folder with no checklist files in it is a problem here: the user asked to check it."""
    layer, problems = _load_layer((Path(p) for p in paths), empty_is_a_problem=True)
    checklists = list(layer.values())
    problems.extend(_cross_file_problems(checklists))
    return checklists, problems


def _cross_file_problems(checklists: Sequence[Checklist]) -> list[Problem]:
    problems = []
    items: dict[str, Item] = {}
    for checklist in checklists:
        for item in checklist.items:
            first = items.setdefault(item.id, item)
            if first is not item:
                where = f"{first.path}:{first.line}:{first.col}"
                problems.append(
                    Problem(
                        item.path,
                        item.line,
                        item.col,
                        f'item id "{item.id}" is already used at {where}; every item needs its '
                        "own id across all checklists",
                    )
                )
    return problems


def _conflict(checklist: Checklist, other: Checklist) -> Problem:
    return Problem(
        checklist.path,
        checklist.line,
        checklist.col,
        f'checklist id "{checklist.id}" is also used by {other.path}; files checked together '
        "(or in one folder) need different ids — give one of them another id",
    )


def load_layers(layers: Sequence[Path], *, required: Collection[Path] = ()) -> ChecklistSet:
    """Load folders in order (shipped first); a later file replaces an earlier one by `id`.

    A layer may also be a single file. A missing folder is skipped (the config folder usually does
    not exist), unless it is in `required` (a `--checklists DIR` the user named): that is a problem.
    Invalid files are left out of the set and reported; the rest still loads, so the app keeps
    working when a clinic's file has a mistake.
    """
    active: dict[str, Checklist] = {}
    problems: list[Problem] = []
    replaced: list[tuple[str, str]] = []
    for folder in layers:
        if not folder.exists():
            if folder in required:
                problems.append(Problem(str(folder), 1, 1, "there is no such folder"))
            continue
        layer, found = _load_layer([folder])
        problems.extend(found)
        for cid, checklist in layer.items():
            if cid in active:
                replaced.append((active[cid].path, checklist.path))
            active[cid] = checklist
    ordered = sorted(active.values(), key=lambda c: PHASES.index(c.phase))
    dupes = _cross_file_problems(ordered)
    if dupes:
        problems.extend(dupes)
        bad = {(p.path, p.line, p.col) for p in dupes}
        ordered = [
            replace(c, items=tuple(i for i in c.items if (i.path, i.line, i.col) not in bad))
            for c in ordered
        ]
    return ChecklistSet(tuple(ordered), tuple(problems), tuple(replaced))


def load_active(extra: Sequence[str | Path] = ()) -> ChecklistSet:
    """The set the app and the CLI use: shipped, then the config folder, then each `extra` folder
    (`--checklists DIR`; one that does not exist is reported)."""
    from kapprep import paths

    layers = paths.checklist_layers([str(p) for p in extra])
    return load_layers(layers, required=layers[2:])
