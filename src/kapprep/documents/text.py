"""The briefing as plain text, at most 80 columns wide (for a message or a terminal)."""

from __future__ import annotations

import unicodedata

from kapprep.documents.model import Document, Row

WIDTH = 80
LABEL = 20


def cells(text: str) -> int:
    """Terminal columns `text` takes: wide (CJK) characters take two, combining marks none."""
    return sum(
        0 if unicodedata.combining(ch) else 2 if unicodedata.east_asian_width(ch) in "WF" else 1
        for ch in text
    )


def _split_word(word: str, width: int) -> list[str]:
    parts, current = [], ""
    for ch in word:
        if current and cells(current + ch) > width:
            parts.append(current)
            current = ""
        current += ch
    return [*parts, current]


def _wrap(text: str, width: int) -> list[str]:
    """Greedy word wrap by terminal columns, so lines with CJK names stay within `width`."""
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        line = ""
        for word in paragraph.split():
            for piece in _split_word(word, width) if cells(word) > width else [word]:
                candidate = f"{line} {piece}" if line else piece
                if cells(candidate) <= width:
                    line = candidate
                else:
                    lines.append(line)
                    line = piece
        lines.append(line)
    return lines


def _row(row: Row, width: int) -> list[str]:
    indent = " " * (LABEL + 2)
    body = _wrap(row.value, width - len(indent))
    if row.note:
        body += _wrap(f"({row.note})", width - len(indent))
    label = row.label
    if cells(label) + 1 >= LABEL:
        head = _wrap(label, width - 2)
        return ["  " + h for h in head] + [indent + b for b in body]
    first = f"  {label + ':'}{' ' * (LABEL - cells(label) - 1)}{body[0]}"
    return [first.rstrip()] + [indent + b for b in body[1:]]


def _table(columns: tuple[str, ...], table: tuple[tuple[str, ...], ...], width: int) -> list[str]:
    """A log: the time, then a column for each other cell, wrapped (never cut); a blank cell
    is a ruled space to fill in by hand."""
    if not columns:
        return []
    time_w = max([cells(c) for c in (columns[0], *(r[0] for r in table))]) + 1
    rest = max((width - 2 - time_w) // max(len(columns) - 1, 1) - 1, 8)

    def pad(text: str) -> str:
        return text + " " * (rest - cells(text))

    def lines(items: tuple[str, ...]) -> list[str]:
        wrapped = [_wrap(c, rest - 1) if c else ["_" * rest] for c in items[1:]]
        out = []
        for i in range(max(len(w) for w in wrapped)):
            first = items[0] if i == 0 else ""
            parts = [pad(w[i]) if i < len(w) else " " * rest for w in wrapped]
            out.append(("  " + first + " " * (time_w - cells(first)) + " ".join(parts)).rstrip())
        return out

    head = "  " + columns[0] + " " * (time_w - cells(columns[0]))
    head += " ".join(pad(c) for c in columns[1:])
    return ["", head.rstrip(), *(line for row in table for line in lines(row))]


def render_text(briefing: Document, width: int = WIDTH) -> str:
    """Plain text, lines of at most `width` (80) characters, sections in the briefing's order."""
    width = max(width, LABEL + 22)
    out: list[str] = []
    out += _wrap(briefing.title.upper(), width)
    out += _wrap(briefing.subtitle, width)
    out.append("=" * width)
    for section in briefing.sections:
        out.append("")
        out += _wrap(section.title.upper(), width)
        for row in section.rows:
            out += _row(row, width)
        if section.intro:
            out += ["  " + w for w in _wrap(section.intro, width - 2)]
        for bullet in section.bullets:
            wrapped = _wrap(bullet, width - 4)
            out.append("  - " + wrapped[0])
            out += ["    " + w for w in wrapped[1:]]
        for paragraph in section.paragraphs:
            out += ["  " + w for w in _wrap(paragraph, width - 2)]
        out += _table(section.columns, section.table, width)
    out.append("")
    out.append("-" * width)
    out += _wrap(briefing.footer, width)
    return "\n".join(line.rstrip() for line in out) + "\n"
