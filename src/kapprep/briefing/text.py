"""The briefing as plain text, at most 80 columns wide (for a message or a terminal)."""

from __future__ import annotations

import textwrap

from kapprep.briefing.model import Briefing, Row

WIDTH = 80
LABEL = 20


def _wrap(text: str, width: int) -> list[str]:
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        lines.extend(
            textwrap.wrap(paragraph, width, break_long_words=True, break_on_hyphens=False) or [""]
        )
    return lines


def _row(row: Row) -> list[str]:
    indent = " " * (LABEL + 2)
    body = _wrap(row.value, WIDTH - len(indent))
    if row.note:
        body += _wrap(f"({row.note})", WIDTH - len(indent))
    label = row.label
    if len(label) + 1 >= LABEL:
        head = _wrap(label, WIDTH - 2)
        return ["  " + h for h in head] + [indent + b for b in body]
    first = f"  {label + ':':<{LABEL}}{body[0]}"
    return [first.rstrip()] + [indent + b for b in body[1:]]


def render_text(briefing: Briefing) -> str:
    """Plain text, lines of at most 80 characters, sections in the briefing's order."""
    out: list[str] = []
    out += _wrap(briefing.title.upper(), WIDTH)
    out += _wrap(briefing.subtitle, WIDTH)
    out.append("=" * WIDTH)
    for section in briefing.sections:
        out.append("")
        out += _wrap(section.title.upper(), WIDTH)
        for row in section.rows:
            out += _row(row)
        for bullet in section.bullets:
            wrapped = _wrap(bullet, WIDTH - 4)
            out.append("  - " + wrapped[0])
            out += ["    " + w for w in wrapped[1:]]
        for paragraph in section.paragraphs:
            out += ["  " + w for w in _wrap(paragraph, WIDTH - 2)]
    out.append("")
    out.append("-" * WIDTH)
    out += _wrap(briefing.footer, WIDTH)
    return "\n".join(line.rstrip() for line in out) + "\n"
