"""The briefing as Markdown (CommonMark): a title, one `##` heading per section, lists."""

from __future__ import annotations

import re

from kapprep.documents.model import Document, Row

_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")
"""Characters that format inline text; ( ) ! + # only matter after ] or at a line's start."""


def md_escape(text: str, line_start: bool = False) -> str:
    """User text as literal Markdown: specials backslash-escaped, lines joined.

    With `line_start`, a leading "-", "+", "#" or "1." is escaped too (it would start a list or a
    heading there); elsewhere it is left as typed, so a pasted briefing stays easy to read.
    """
    text = " ".join(part.strip() for part in text.splitlines() if part.strip())
    text = _SPECIAL.sub(r"\\\1", text)
    if not line_start:
        return text
    return re.sub(r"^(\d+)\.", r"\1\\.", re.sub(r"^([-+#])", r"\\\1", text))


def _row(row: Row) -> str:
    value = f"_{md_escape(row.value)}_" if row.missing else md_escape(row.value)
    line = f"- **{md_escape(row.label)}:** {value}"
    if row.note:
        line += f" — {md_escape(row.note)}"
    return line


def render_markdown(briefing: Document) -> str:
    out = [f"# {md_escape(briefing.title)}", "", md_escape(briefing.subtitle, line_start=True)]
    for section in briefing.sections:
        out += ["", f"## {md_escape(section.title)}", ""]
        out += [_row(row) for row in section.rows]
        if section.intro:
            out += [*([""] if section.rows else []), md_escape(section.intro, line_start=True), ""]
        out += [f"- {md_escape(b)}" for b in section.bullets]
        for i, paragraph in enumerate(section.paragraphs):
            if i or section.rows or section.bullets:
                out.append("")
            out.append(md_escape(paragraph, line_start=True))
        if section.columns:  # a log to fill in: a table (GitHub, pandoc and most editors)
            out += ["", "| " + " | ".join(md_escape(c) for c in section.columns) + " |"]
            out.append("|" + "---|" * len(section.columns))
            out += ["| " + " | ".join(md_escape(c) for c in r) + " |" for r in section.table]
    out += ["", "---", "", md_escape(briefing.footer, line_start=True), ""]
    return "\n".join(out)
