"""The shape checks a format's walker builds on: mappings without duplicate keys, scalars typed as
YAML 1.2 types them, lists, ids; and the helpers that quote what the author wrote."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any, TypeVar

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from kapprep.errors import Problem

_T = TypeVar("_T")

# --------------------------------------------------------------------------------------------
# The walker

ID_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")
ID_HELP = "use lower-case letters, digits and dashes, like stop-eating (at most 64 characters)"

# Plain (unquoted) scalars are typed as YAML 1.2's core schema types them, as editors do:
# `yes`, `no`, `on` and `12:30` are words, `true`, `5` and `null` are not.
_NULL_RE = re.compile(r"~|null|Null|NULL|")
_BOOL_RE = re.compile(r"true|True|TRUE|false|False|FALSE")
_NUMBER_RE = re.compile(
    r"[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+"
    r"|[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
    r"|[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN"
)


def plain_kind(node: ScalarNode) -> str:
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


class Walker:
    """Walks a composed YAML node tree, collecting problems: the shape checks (mappings,
    duplicate keys, scalars typed as YAML 1.2 types them, lists) a format's walker builds on."""

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

    def mapping(
        self, node: Node, where: str, allowed: dict[str, str]
    ) -> dict[str, tuple[ScalarNode, Node]] | None:
        if not isinstance(node, MappingNode):
            self.err(node, f"{where} should be a set of 'key: value' lines, not {describe(node)}")
            return None
        out: dict[str, tuple[ScalarNode, Node]] = {}
        for key, value in node.value:
            if not (self.visit(key) and self.visit(value)):
                continue
            if not isinstance(key, ScalarNode):
                self.err(key, f"a key in {where} should be a plain word, not {describe(key)}")
                continue
            name = key.value
            if name in out:
                first = out[name][0].start_mark.line + 1
                self.err(
                    key, f'"{name}" appears twice in {where} (first on line {first}); keep only one'
                )
                continue
            if name not in allowed:
                self.err(key, unknown_key(name, where, allowed))
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
            self.err(node, f"{what} should be text, not {describe(node)}")
            return None
        kind = plain_kind(node)
        if kind == "null" or not node.value.strip():
            self.err(node, f"{what} is empty; write some text or remove the line")
            return None
        if kind != "text":
            shown = "a number" if kind == "number" else "true or false"
            self.err(
                node,
                f"{what} reads as {shown}, not text; if you mean it, put it in quotes "
                f'("{clip(node.value)}")',
            )
            return None
        return str(node.value).strip()

    def ident(self, node: Node, what: str) -> str | None:
        value = self.text(node, what)
        if value is not None and not ID_RE.fullmatch(str(node.value)):  # raw: no spaces either
            self.err(node, f'{what} "{clip(value)}" is not a valid id; {ID_HELP}')
            return None
        return value

    def boolean(self, node: Node, what: str) -> bool | None:
        if isinstance(node, ScalarNode) and plain_kind(node) == "bool":
            return str(node.value).lower() == "true"
        shown = f'"{clip(node.value)}"' if isinstance(node, ScalarNode) else describe(node)
        self.err(node, f"{what} should be true or false, not {shown}")
        return None

    def sequence(self, node: Node, what: str) -> list[Node] | None:
        if not isinstance(node, SequenceNode):
            self.err(
                node, f"{what} should be a list (lines starting with '- '), not {describe(node)}"
            )
            return None
        return [child for child in node.value if self.visit(child)]

    # -- the format ------------------------------------------------------------------------


def clip(text: str, limit: int = 40) -> str:
    """Quote at most `limit` characters of what the author wrote, on one line."""
    one_line = " ".join(text.split())
    return one_line if len(one_line) <= limit else one_line[: limit - 3] + "..."


def describe(node: Node) -> str:
    if isinstance(node, MappingNode):
        return "a set of 'key: value' lines"
    if isinstance(node, SequenceNode):
        return "a list"
    if isinstance(node, ScalarNode):
        if plain_kind(node) == "null":
            return "nothing (it is empty)"
        return f'the text "{clip(node.value)}"'
    return "something else"


def close_matches(word: str, choices: Sequence[str]) -> list[str]:
    import difflib  # only when there is a mistake: ~5-14 ms of start-up otherwise

    return difflib.get_close_matches(word, choices, n=1, cutoff=0.6)


def unknown_key(name: str, where: str, allowed: dict[str, str]) -> str:
    close = close_matches(name, list(allowed))
    hint = (
        f'did you mean "{close[0]}"?'
        if close
        else "the keys allowed here are: " + ", ".join(allowed)
    )
    return f'"{clip(name)}" is not a key {where} can have; {hint}'
