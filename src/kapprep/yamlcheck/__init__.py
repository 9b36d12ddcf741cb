"""Reading kapprep's YAML formats: one file's bytes to a node tree with positions, every mistake
reported as a `Problem` at its place, in plain words.

Format-neutral: the checklist format (`kapprep.checklists`) and the grounding-exercise format
(`kapprep.grounding.files`) both read through it, each naming itself with a `Format` so the
messages say "checklist" or "exercise" without rewording each other. PyYAML's `compose()` keeps the
line and column of every node; scalars are typed here as YAML 1.2 (and editors) type them, which
avoids YAML 1.1's traps (`12:30` read as 750, `no` as False). We refuse what PyYAML accepts
silently: duplicate keys, anchors and aliases (and so "billion laughs" bombs, reported where each
alias is written and never expanded), tags. `Walker` holds the shape checks a format's own walker
builds on.
"""

from __future__ import annotations

from kapprep.errors import Problem
from kapprep.yamlcheck.reader import Format, line_col, read_bytes, read_document, read_path
from kapprep.yamlcheck.walker import (
    ID_HELP,
    ID_RE,
    Walker,
    clip,
    close_matches,
    describe,
    plain_kind,
    unknown_key,
)

__all__ = [
    "ID_HELP",
    "ID_RE",
    "Format",
    "Problem",
    "Walker",
    "clip",
    "close_matches",
    "describe",
    "line_col",
    "plain_kind",
    "read_bytes",
    "read_document",
    "read_path",
    "unknown_key",
]
