"""The user's own exercises, from YAML files in `<config folder>/grounding/`, read through
`kapprep.yamlcheck` with the same rules and file:line:col messages as checklist files.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

from yaml.nodes import Node, ScalarNode

from kapprep.errors import Problem
from kapprep.grounding.patterns import (
    BREATH_KINDS,
    BUILTIN,
    DEFAULT_WORDS,
    MAX_PHASE_SECONDS,
    MAX_STEP_SECONDS,
    MIN_PHASE_SECONDS,
    Pattern,
    breath_pattern,
    step_pattern,
)
from kapprep.yamlcheck import Format, Walker, read_document, read_path

MAX_BYTES = 256 * 1024
"""A pattern file larger than this is refused before it is parsed."""
FORMAT_VERSION = 1
_NUMBER_RE = re.compile(r"^\d+(\.\d+)?$")


# --------------------------------------------------------------------------------------------
# The user's own patterns, from YAML

_TOP_KEYS = {
    "format": "the format version, always 1",
    "id": "a short name for the exercise, like slow-exhale",
    "name": "the exercise's name, shown when choosing",
    "description": "one line saying what to do",
    "source": "where the exercise comes from",
    "breaths": "the breath phases, like '- in: 4'",
    "steps": "the grounding steps, each with text and seconds",
    "minutes": "how long it runs unless you choose",
}
_TOP_REQUIRED = ("format", "id", "name")
_PHASE_KEYS = {**{k: "" for k in BREATH_KINDS}, "say": "the word shown, like Breathe in"}
_STEP_KEYS = {"text": "what to do in this step", "seconds": "how long before the next step"}
EXERCISE = Format(
    noun="an exercise",
    files="exercise files",
    needs="an exercise needs format, id, name, and breaths or steps",
    max_bytes=MAX_BYTES,
)


class _PatternWalker(Walker):
    """The exercise format on the shared shape checks (`kapprep.yamlcheck.Walker`)."""

    def number(self, node: Node, what: str, low: float, high: float) -> float | None:
        raw = node.value.strip() if isinstance(node, ScalarNode) else ""
        if not isinstance(node, ScalarNode) or not _NUMBER_RE.match(raw):
            shown = f'"{node.value}"' if isinstance(node, ScalarNode) else "a list or a mapping"
            self.err(node, f"{what} should be a number of seconds like 4 or 5.5, not {shown}")
            return None
        value = float(raw)
        if not low <= value <= high:
            self.err(node, f"{what} should be from {low:g} to {high:g} seconds, not {raw}")
            return None
        return value

    def pattern(self, root: Node) -> Pattern | None:
        if not self.visit(root):
            return None
        top = self.mapping(root, "the exercise", _TOP_KEYS)
        if top is None:
            return None
        self.require(root, top, _TOP_REQUIRED, "the exercise", _TOP_KEYS)
        if "format" in top:
            node = top["format"][1]
            if not (isinstance(node, ScalarNode) and node.value.strip() == str(FORMAT_VERSION)):
                self.err(node, f"format should be {FORMAT_VERSION}")
        pid = self.ident(top["id"][1], "the exercise id") if "id" in top else None
        name = self.text(top["name"][1], "name") if "name" in top else None
        description = (
            self.text(top["description"][1], "description") if "description" in top else None
        )
        source = self.text(top["source"][1], "source") if "source" in top else None
        minutes = self.number(top["minutes"][1], "minutes", 0.5, 120) if "minutes" in top else None
        has_breaths, has_steps = "breaths" in top, "steps" in top
        if has_breaths == has_steps:
            self.err(
                root,
                "an exercise needs either breaths (a breathing pattern) or steps (grounding "
                "steps), not both"
                if has_steps
                else "an exercise needs either breaths (a breathing pattern) or steps (grounding steps)",
            )
            return None
        built: Pattern | None = None
        desc = description or ""
        src = source or f"your own exercise ({self.path})"
        if has_breaths:
            phases = self.breaths(top["breaths"][1])
            if phases is not None and pid and name:
                built = breath_pattern(pid, name, desc, src, phases, path=self.path)
                if minutes is not None:
                    built = replace(built, default_minutes=minutes)
        else:
            steps = self.steps(top["steps"][1])
            if steps is not None and pid and name:
                built = step_pattern(pid, name, desc, src, steps, path=self.path)
        return built if not self.problems else None

    def breaths(self, node: Node) -> list[tuple[str, float, str]] | None:
        entries = self.sequence(node, "breaths")
        if entries is None:
            return None
        out: list[tuple[str, float, str]] = []
        for n, entry in enumerate(entries, start=1):
            where = f"breath phase {n}"
            found = self.mapping(entry, where, _PHASE_KEYS)
            if found is None:
                continue
            kinds = [k for k in found if k in BREATH_KINDS]
            if len(kinds) != 1:
                self.err(entry, f"{where} needs exactly one of in, hold, out or rest, like 'in: 4'")
                continue
            kind = kinds[0]
            seconds = self.number(
                found[kind][1], f"{where}'s {kind}", MIN_PHASE_SECONDS, MAX_PHASE_SECONDS
            )
            say = (
                self.text(found["say"][1], f"{where}'s say")
                if "say" in found
                else DEFAULT_WORDS[kind]
            )
            if seconds is not None and say is not None:
                out.append((kind, seconds, say))
        if out and not {"in", "out"} <= {k for k, _, _ in out}:
            self.err(node, "breaths needs at least one 'in' and one 'out' phase")
        if not entries:
            self.err(node, "breaths is empty; add phases like '- in: 4' and '- out: 6'")
        return out

    def steps(self, node: Node) -> list[tuple[str, float]] | None:
        entries = self.sequence(node, "steps")
        if entries is None:
            return None
        if not entries:
            self.err(node, "steps is empty; add at least one step with text and seconds")
        out: list[tuple[str, float]] = []
        for n, entry in enumerate(entries, start=1):
            where = f"step {n}"
            found = self.mapping(entry, where, _STEP_KEYS)
            if found is None:
                continue
            self.require(entry, found, ("text",), where, _STEP_KEYS)
            text = self.text(found["text"][1], f"{where}'s text") if "text" in found else None
            seconds = (
                self.number(found["seconds"][1], f"{where}'s seconds", 5, MAX_STEP_SECONDS)
                if "seconds" in found
                else 30.0
            )
            if text is not None and seconds is not None:
                out.append((text, seconds))
        return out


def parse_pattern(text: str, path: str = "<text>") -> tuple[Pattern | None, list[Problem]]:
    """Validate one pattern file's text; return the pattern (or None) and every problem.

    The same steps as checklists (`kapprep.yamlcheck.read_document`): tabs reported and read as
    the author meant them, anchors, aliases and tags reported where written, YAML syntax errors in
    plain words, then the walk."""

    def walk(root: Node) -> tuple[Pattern | None, list[Problem]]:
        walker = _PatternWalker(path)
        return walker.pattern(root), walker.problems

    return read_document(EXERCISE, text, path, walk)


def load_file(path: Path) -> tuple[Pattern | None, list[Problem]]:
    text, problems = read_path(EXERCISE, path)
    if text is None:
        return None, problems
    return parse_pattern(text, str(path))


def load_patterns(folders: Iterable[Path] = ()) -> tuple[dict[str, Pattern], list[Problem]]:
    """The built-in patterns, then the user's (a user file with a built-in's id replaces it).

    A file with mistakes is left out and its problems returned; the rest still load.
    """
    patterns = dict(BUILTIN)
    problems: list[Problem] = []
    for folder in folders:
        if not folder.is_dir():
            continue
        seen: dict[str, str] = {}
        for path in sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml")):
            pattern, found = load_file(path)
            problems.extend(found)
            if pattern is None:
                continue
            if pattern.id in seen:
                problems.append(
                    Problem(
                        str(path),
                        1,
                        1,
                        f'exercise id "{pattern.id}" is also used by {seen[pattern.id]}; give one of them another id',
                    )
                )
                continue
            seen[pattern.id] = str(path)
            patterns[pattern.id] = pattern
    return patterns, problems


def user_patterns_dir() -> Path:
    """Where the user's own exercises live: `<config folder>/grounding/*.yaml`."""
    from kapprep import paths

    return paths.config_dir() / "grounding"
