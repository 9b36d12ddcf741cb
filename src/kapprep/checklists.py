"""Checklists: the format, its validator, and the sets of files the app reads.

A checklist file (format 1, see docs/checklist-format.md) is read through `kapprep.yamlcheck`,
which keeps the line and column of every node and refuses what PyYAML accepts silently, then
walked here by hand into the model (`kapprep.checklist_model`). Every problem is collected as a
`Problem` (`PATH:LINE:COL: message`, the form editors jump to), in words written for a clinician
rather than a programmer.

Sets of files are layered: the shipped checklists, then the user's config folder, then any
`--checklists DIR`; a later file replaces an earlier one with the same checklist `id`.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any, TypeVar

from yaml.nodes import Node, ScalarNode

from kapprep.checklist_model import (
    CLINIC_NOTICE,
    PHASE_TITLES,
    PHASES,
    Checklist,
    ChecklistSet,
    Item,
    Source,
)
from kapprep.clinic_rules import ClinicRules
from kapprep.due import EXAMPLES, Due, DueSyntaxError, parse_due
from kapprep.errors import Problem, ProblemsError
from kapprep.yamlcheck import (
    Format,
    Walker,
    clip,
    close_matches,
    describe,
    plain_kind,
    read_bytes,
    read_document,
    read_path,
)

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
MAX_TEXT = 500
"""The longest item text (characters): a few plain words, shown on one line of a list."""
MAX_WHY = 4_000
"""The longest why (characters): a paragraph or two."""


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


class ChecklistError(ProblemsError):
    """Raised with every problem found in a file (or a set of files)."""


CHECKLIST = Format(
    noun="a checklist",
    files="checklists",
    needs="a checklist needs format, id, title, phase, sources and items",
    max_bytes=MAX_BYTES,
)


# --------------------------------------------------------------------------------------------
# Reading one file (the YAML steps every format shares are kapprep.yamlcheck's)


def parse_checklist(text: str, path: str = "<text>") -> tuple[Checklist | None, list[Problem]]:
    """Validate one checklist's text; return it (or None) and every problem found."""

    def walk(root: Node) -> tuple[Checklist | None, list[Problem]]:
        walker = _ChecklistWalker(path)
        return walker.checklist(root), walker.problems

    return read_document(CHECKLIST, text, path, walk)


def load_file(path: str | Path) -> Checklist:
    """Read and validate one file; raise `ChecklistError` with every problem."""
    checklist, problems = _load(Path(path))
    if checklist is None:
        raise ChecklistError(problems)
    return checklist


def _load(path: Path) -> tuple[Checklist | None, list[Problem]]:
    text, problems = read_path(CHECKLIST, path)
    if text is None:
        return None, problems
    return parse_checklist(text, str(path))


def parse_bytes(data: bytes, path: str = "<bytes>") -> tuple[Checklist | None, list[Problem]]:
    """Validate a file's raw bytes (size, encoding, binary data), then its text."""
    text, problems = read_bytes(CHECKLIST, path, data)
    if text is None:
        return None, problems
    return parse_checklist(text, path)


# --------------------------------------------------------------------------------------------
# The walker


class _ChecklistWalker(Walker):
    """The checklist format on the shared shape checks: building the model, collecting problems."""

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
                and plain_kind(node) == "number"
                and node.value == str(FORMAT_VERSION)
            )
            if not ok:
                shown = clip(node.value) if isinstance(node, ScalarNode) else describe(node)
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
                close = close_matches(phase, PHASES)
                hint = f' — did you mean "{close[0]}"?' if close else ""
                self.err(
                    top["phase"][1],
                    f'phase "{clip(phase)}" is not one we know; use one of: '
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
                and plain_kind(value_node) == "number"
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
                    self.err(moment, f'blood_pressure takes before and after, not "{clip(when)}"')
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
                    f'"{clip(url)}" is not a web address; write it like https://example.org/page',
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
        for name, said, limit in (("text", text, MAX_TEXT), ("why", why, MAX_WHY)):
            if said is not None and len(said) > limit:
                self.err(
                    found[name][1],
                    f"{where}'s {name} is {len(said):,} characters long; keep it under "
                    f"{limit:,}" + (" (put the detail in why)" if name == "text" else ""),
                )
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
            self.err(node, f"{what} should be a time like -1d@20:00, not {describe(node)}")
            return None
        if plain_kind(node) == "null":
            self.err(node, f"{what} is empty; write a time like {EXAMPLES}, or remove the line")
            return None
        try:
            return parse_due(node.value)
        except DueSyntaxError as exc:
            self.err(node, f"{what}: {exc}")
            return None


_URL_RE = re.compile(r"https?://\S+")


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
        try:
            there = folder.exists()
        except OSError as exc:  # a folder on the way that this user may not open
            problems.append(
                Problem(str(folder), 1, 1, f"cannot open this folder ({exc.strerror or 'error'})")
            )
            continue
        if not there:
            if folder in required:
                problems.append(Problem(str(folder), 1, 1, "there is no such folder"))
            continue
        try:
            layer, found = _load_layer([folder])
        except OSError as exc:
            problems.append(
                Problem(str(folder), 1, 1, f"cannot read this folder ({exc.strerror or 'error'})")
            )
            continue
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
