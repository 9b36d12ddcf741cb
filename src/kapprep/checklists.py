"""Checklists: the model, the YAML loader and a validator that reports every mistake with its place.

A checklist file (format 1, see docs/checklist-format.md) is read with PyYAML's `compose()`, which
keeps the line and column of every node, and walked by hand. Scalars are read as the raw text the
author typed and parsed here, which avoids YAML 1.1's traps (`12:30` read as 750, `no` as False) and
lets us refuse what PyYAML accepts silently: duplicate keys, aliases (and so "billion laughs"
bombs), tags. Every problem is collected as a `Problem` (`PATH:LINE:COL: message`, the form editors
jump to), in words written for a clinician rather than a programmer.

Sets of files are layered: the shipped checklists, then the user's config folder, then any
`--checklists DIR`; a later file replaces an earlier one with the same checklist `id`.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from kapprep.due import Due, DueSyntaxError, parse_due

__all__ = [
    "PHASES",
    "PHASE_TITLES",
    "Checklist",
    "ChecklistError",
    "ChecklistSet",
    "Item",
    "Problem",
    "Source",
    "load_file",
    "load_layers",
    "parse_checklist",
    "validate_paths",
]

FORMAT_VERSION = 1
MAX_BYTES = 2 * 1024 * 1024
"""A checklist file larger than this is refused before it is parsed (5,000 items is ~0.6 MiB)."""
MAX_ITEMS = 10_000

PHASES: tuple[str, ...] = (
    "assessment",
    "week-before",
    "day-before",
    "day-of",
    "after",
    "integration",
)
"""The phases of preparation, in the order they happen."""

PHASE_TITLES: dict[str, str] = {
    "assessment": "Assessment",
    "week-before": "The week before",
    "day-before": "The day before",
    "day-of": "The day of the session",
    "after": "The first 24 hours after",
    "integration": "Integration",
}

CLINIC_NOTICE = "Follow your clinic's instructions."
"""Shown beside every item marked `clinic_decides: true`."""

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
_SOURCE_KEYS = {"title": "the guide's name", "url": "where it was published"}


# --------------------------------------------------------------------------------------------
# The model


@dataclass(frozen=True, slots=True)
class Problem:
    """One mistake in one file, at a 1-based line and column."""

    path: str
    line: int
    col: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}: {self.message}"


class ChecklistError(Exception):
    """Raised with every problem found in a file (or a set of files)."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


@dataclass(frozen=True, slots=True)
class Source:
    """A public guide a checklist draws on."""

    title: str
    url: str


@dataclass(frozen=True, slots=True)
class Item:
    """One thing to do, with when it is due relative to the session start."""

    id: str
    text: str
    checklist_id: str
    phase: str
    why: str | None = None
    due: Due | None = None
    tags: tuple[str, ...] = ()
    clinic_decides: bool = False
    default_from: str | None = None
    """Where a shipped default (a fasting time, say) came from, for clinic-decided items."""
    path: str = ""
    line: int = 0
    col: int = 0


@dataclass(frozen=True, slots=True)
class Checklist:
    """One validated checklist file."""

    id: str
    title: str
    phase: str
    sources: tuple[Source, ...]
    items: tuple[Item, ...]
    description: str | None = None
    path: str = ""
    line: int = 1
    col: int = 1


@dataclass(frozen=True, slots=True)
class ChecklistSet:
    """The active checklists (valid files only) and every problem met while loading them."""

    checklists: tuple[Checklist, ...] = ()
    problems: tuple[Problem, ...] = ()
    replaced: tuple[tuple[str, str], ...] = ()
    """(path replaced, path that replaced it) for each file overridden by `id`."""
    _by_id: dict[str, Item] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        for item in self.items():
            self._by_id.setdefault(item.id, item)

    def items(self) -> Iterator[Item]:
        """Every item, in phase order, then file order."""
        for checklist in self.checklists:
            yield from checklist.items

    def item(self, item_id: str) -> Item | None:
        return self._by_id.get(item_id)

    def by_phase(self) -> dict[str, list[Checklist]]:
        out: dict[str, list[Checklist]] = {phase: [] for phase in PHASES}
        for checklist in self.checklists:
            out[checklist.phase].append(checklist)
        return out


# --------------------------------------------------------------------------------------------
# Reading one file


def _loader() -> type[Any]:
    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _read_text(path: str, data: bytes) -> tuple[str | None, list[Problem]]:
    """Decode a file's bytes, or say plainly why it is not a text file we can read."""
    if len(data) > MAX_BYTES:
        size = len(data) / (1024 * 1024)
        msg = f"the file is {size:.1f} MiB; checklist files may be at most {MAX_BYTES // (1024 * 1024)} MiB"
        return None, [Problem(path, 1, 1, msg)]
    if not data.strip(b" \t\r\n\ufeff"):
        msg = "the file is empty; a checklist needs format, id, title, phase, sources and items"
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
    ("found character '\\t'", "a tab character here; YAML needs spaces for indentation"),
    ("cannot start any token", "this character cannot start a value; put the text in quotes"),
    (
        "mapping values are not allowed",
        "a colon here is not expected; put text containing ': ' in quotes, or check the indentation",
    ),
    ("could not find expected ':'", "a line near here is missing its colon (write key: value)"),
    ("expected <block end>", "the indentation here does not line up with the lines above it"),
    (
        "expected a single document",
        "the file holds more than one document (---); keep one checklist per file",
    ),
    ("found undefined alias", "an alias (*name) refers to nothing; checklists do not use aliases"),
    ("special characters are not allowed", "an invisible control character is here; delete it"),
    (
        "found unexpected end of stream",
        "the file ends in the middle of a value; is a quote left open?",
    ),
    ("found duplicate anchor", "an anchor (&name) is defined twice; checklists do not use anchors"),
]


def _yaml_problem(path: str, exc: yaml.YAMLError) -> Problem:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line, col = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
    problem = str(getattr(exc, "problem", "") or exc)
    for needle, plain in _YAML_PLAIN:
        if needle in problem:
            return Problem(path, line, col, plain)
    context = getattr(exc, "context", None)
    detail = f"{problem} {context}" if context else problem
    return Problem(path, line, col, f"the file's YAML structure is broken here ({detail.strip()})")


def parse_checklist(text: str, path: str = "<text>") -> tuple[Checklist | None, list[Problem]]:
    """Validate one checklist's text; return it (or None) and every problem found."""
    problems = _tab_problems(path, text)
    if problems:
        # Report the tabs, then read on as if each indenting tab were a space (same column), so
        # the rest of the file's mistakes are found in the same run.
        text = _TAB_INDENT_RE.sub(lambda m: m.group(0).replace("\t", " "), text)
    try:
        root = yaml.compose(text, Loader=_loader())
    except yaml.YAMLError as exc:
        err = _yaml_problem(path, exc)
        if not any(p.line == err.line for p in problems):
            problems.append(err)
        return None, problems
    if root is None:
        problems.append(
            Problem(
                path,
                1,
                1,
                "the file has no content; a checklist needs format, id, title, phase, sources and items",
            )
        )
        return None, problems
    walker = _Walker(path)
    checklist = walker.checklist(root)
    problems.extend(walker.problems)
    problems.sort(key=lambda p: (p.line, p.col))
    return (checklist if not problems else None), problems


def load_file(path: str | Path) -> Checklist:
    """Read and validate one file; raise `ChecklistError` with every problem."""
    checklist, problems = _load(Path(path))
    if checklist is None:
        raise ChecklistError(problems)
    return checklist


def _load(path: Path) -> tuple[Checklist | None, list[Problem]]:
    name = str(path)
    try:
        data = path.read_bytes()
    except IsADirectoryError:
        return None, [Problem(name, 1, 1, "this is a folder, not a checklist file")]
    except FileNotFoundError:
        return None, [Problem(name, 1, 1, "no such file")]
    except OSError as exc:
        return None, [
            Problem(name, 1, 1, f"cannot read this file ({exc.strerror or 'unknown reason'})")
        ]
    text, problems = _read_text(name, data)
    if text is None:
        return None, problems
    return parse_checklist(text, name)


# --------------------------------------------------------------------------------------------
# The walker


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
        """False (with a problem) when a node is met twice: an alias. This keeps the walk linear
        even for "billion laughs" files, whose aliases compose to a small shared graph."""
        if id(node) in self._seen:
            self.err(
                node,
                "this part is repeated elsewhere with a YAML alias (*name); checklists do not use "
                "anchors or aliases — write each part out in full",
            )
            return False
        self._seen.add(id(node))
        tag = node.tag or ""
        if tag.startswith("!") or (tag.startswith("tag:yaml.org,2002:") and "python" in tag):
            self.err(node, f"YAML tags like {tag} are not allowed in checklists; remove it")
            return False
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
                self.err(node, f'{where} is missing "{name}"' + (f" ({hint})" if hint else ""))

    def text(self, node: Node, what: str) -> str | None:
        if not isinstance(node, ScalarNode):
            self.err(node, f"{what} should be text, not {_describe(node)}")
            return None
        if (not node.style and node.tag.endswith(":null")) or not node.value.strip():
            self.err(node, f"{what} is empty; write some text or remove the line")
            return None
        return str(node.value).strip()

    def ident(self, node: Node, what: str) -> str | None:
        value = self.text(node, what)
        if value is not None and not _ID_RE.match(value):
            self.err(node, f'{what} "{value}" is not a valid id; {_ID_HELP}')
            return None
        return value

    def boolean(self, node: Node, what: str) -> bool | None:
        if isinstance(node, ScalarNode) and not node.style and node.value in ("true", "false"):
            return bool(node.value == "true")
        shown = f'"{node.value}"' if isinstance(node, ScalarNode) else _describe(node)
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
            if not (isinstance(node, ScalarNode) and node.value.strip() == str(FORMAT_VERSION)):
                shown = node.value if isinstance(node, ScalarNode) else _describe(node)
                self.err(
                    node,
                    f'format should be {FORMAT_VERSION} (this version of kapprep reads format {FORMAT_VERSION}), not "{shown}"',
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
                close = difflib.get_close_matches(phase, PHASES, n=1)
                hint = f'did you mean "{close[0]}"? ' if close else ""
                self.err(
                    top["phase"][1],
                    f'phase "{phase}" is not one we know; {hint}use one of: {", ".join(PHASES)}',
                )
                phase = None
        sources = self.sources(top["sources"][1]) if "sources" in top else ()
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
        )

    def sources(self, node: Node) -> tuple[Source, ...]:
        entries = self.sequence(node, "sources")
        if entries is None:
            return ()
        if not entries:
            self.err(
                node, "sources is empty; name at least one public guide this checklist draws on"
            )
        out = []
        for entry in entries:
            found = self.mapping(entry, "a source", _SOURCE_KEYS)
            if found is None:
                continue
            self.require(entry, found, ("title", "url"), "a source", _SOURCE_KEYS)
            title = self.text(found["title"][1], "a source's title") if "title" in found else None
            url = self.text(found["url"][1], "a source's url") if "url" in found else None
            if url is not None and not re.match(r"^https?://\S+$", url):
                self.err(
                    found["url"][1],
                    f'"{url}" is not a web address; write it like https://example.org/page',
                )
                url = None
            if title and url:
                out.append(Source(title, url))
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
            where = f"item {n}"
            found = self.mapping(entry, where, _ITEM_KEYS)
            if found is None:
                continue
            self.require(entry, found, _ITEM_REQUIRED, where, _ITEM_KEYS)
            item_id = self.ident(found["id"][1], f"{where}'s id") if "id" in found else None
            if item_id is not None:
                if item_id in seen:
                    self.err(
                        found["id"][1],
                        f'item id "{item_id}" is already used on line {seen[item_id]}; every item needs its own id',
                    )
                    item_id = None
                else:
                    seen[item_id] = found["id"][1].start_mark.line + 1
            text = self.text(found["text"][1], f"{where}'s text") if "text" in found else None
            why = self.text(found["why"][1], f"{where}'s why") if "why" in found else None
            due = self.due(found["due"][1]) if "due" in found else None
            tags: tuple[str, ...] = ()
            if "tags" in found:
                tag_nodes = self.sequence(found["tags"][1], f"{where}'s tags")
                if tag_nodes is not None:
                    tags = tuple(t for t in (self.text(t, "a tag") for t in tag_nodes) if t)
            clinic = (
                self.boolean(found["clinic_decides"][1], "clinic_decides")
                if "clinic_decides" in found
                else False
            )
            default_from = (
                self.text(found["default_from"][1], "default_from")
                if "default_from" in found
                else None
            )
            if item_id is None or text is None:
                continue
            mark = found["id"][0].start_mark
            out.append(
                Item(
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
            )
        return out

    def due(self, node: Node) -> Due | None:
        if not isinstance(node, ScalarNode):
            self.err(node, f"due should be a time like -1d@20:00, not {_describe(node)}")
            return None
        try:
            return parse_due(node.value)
        except DueSyntaxError as exc:
            self.err(node, f"due {exc}")
            return None


def _describe(node: Node) -> str:
    if isinstance(node, MappingNode):
        return "a set of 'key: value' lines"
    if isinstance(node, SequenceNode):
        return "a list"
    if isinstance(node, ScalarNode):
        if not node.style and node.tag.endswith(":null"):
            return "nothing (it is empty)"
        return f'the text "{node.value}"'
    return "something else"


def _unknown_key(name: str, where: str, allowed: dict[str, str]) -> str:
    close = difflib.get_close_matches(name, list(allowed), n=1, cutoff=0.6)
    hint = (
        f'did you mean "{close[0]}"?'
        if close
        else "the keys allowed here are: " + ", ".join(allowed)
    )
    return f'"{name}" is not a key {where} can have; {hint}'


# --------------------------------------------------------------------------------------------
# Sets of files


def _expand(paths: Iterable[Path]) -> Iterator[Path]:
    for path in paths:
        if path.is_dir():
            yield from sorted(
                p for p in path.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file()
            )
        else:
            yield path


def validate_paths(paths: Sequence[str | Path]) -> tuple[list[Checklist], list[Problem]]:
    """Validate files and folders as one set: every problem in every file, then ids across files."""
    checklists: list[Checklist] = []
    problems: list[Problem] = []
    for path in _expand(Path(p) for p in paths):
        checklist, found = _load(path)
        problems.extend(found)
        if checklist is not None:
            checklists.append(checklist)
    problems.extend(_cross_file_problems(checklists, same_layer=True))
    return checklists, problems


def _cross_file_problems(checklists: Sequence[Checklist], *, same_layer: bool) -> list[Problem]:
    problems = []
    ids: dict[str, Checklist] = {}
    if same_layer:
        for checklist in checklists:
            other = ids.setdefault(checklist.id, checklist)
            if other is not checklist:
                problems.append(_conflict(checklist, other))
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
                        f'item id "{item.id}" is already used at {where}; every item needs its own id across all checklists',
                    )
                )
    return problems


def _conflict(checklist: Checklist, other: Checklist) -> Problem:
    return Problem(
        checklist.path,
        checklist.line,
        checklist.col,
        f'checklist id "{checklist.id}" is also used by {other.path}; two files in one folder '
        "cannot both define it — give one of them another id",
    )


def load_layers(layers: Sequence[Path]) -> ChecklistSet:
    """Load folders in order (shipped first); a later file replaces an earlier one by `id`.

    Invalid files are left out of the set and reported; the rest still loads, so the app keeps
    working when a clinic's file has a mistake.
    """
    active: dict[str, Checklist] = {}
    problems: list[Problem] = []
    replaced: list[tuple[str, str]] = []
    for folder in layers:
        if not folder.is_dir():
            continue
        layer: dict[str, Checklist] = {}
        for path in _expand([folder]):
            checklist, found = _load(path)
            problems.extend(found)
            if checklist is None:
                continue
            if checklist.id in layer:
                problems.append(_conflict(checklist, layer[checklist.id]))
                continue
            layer[checklist.id] = checklist
        for cid, checklist in layer.items():
            if cid in active:
                replaced.append((active[cid].path, checklist.path))
            active[cid] = checklist
    ordered = sorted(active.values(), key=lambda c: PHASES.index(c.phase))
    dupes = _cross_file_problems(ordered, same_layer=False)
    if dupes:
        problems.extend(dupes)
        bad = {(p.path, p.line) for p in dupes}
        ordered = [
            Checklist(
                id=c.id,
                title=c.title,
                phase=c.phase,
                sources=c.sources,
                items=tuple(i for i in c.items if (i.path, i.line) not in bad),
                description=c.description,
                path=c.path,
                line=c.line,
                col=c.col,
            )
            for c in ordered
        ]
    return ChecklistSet(tuple(ordered), tuple(problems), tuple(replaced))
