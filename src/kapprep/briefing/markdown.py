"""The briefing as Markdown (CommonMark): a title, one `##` heading per section, lists."""

from __future__ import annotations

import re

from kapprep.briefing.model import Briefing, Row

_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+!|~])")


def md_escape(text: str) -> str:
    """User text as literal Markdown: specials backslash-escaped, lines joined, list markers safe."""
    text = " ".join(part.strip() for part in text.splitlines() if part.strip())
    text = _SPECIAL.sub(r"\\\1", text)
    # A leading "-", "1." or ">" would start a block of its own at the start of a line.
    return re.sub(r"^(\d+)\.", r"\1\\.", re.sub(r"^-", r"\\-", text))


def _row(row: Row) -> str:
    value = f"_{md_escape(row.value)}_" if row.missing else md_escape(row.value)
    line = f"- **{md_escape(row.label)}:** {value}"
    if row.note:
        line += f" — {md_escape(row.note)}"
    return line


def render_markdown(briefing: Briefing) -> str:
    out = [f"# {md_escape(briefing.title)}", "", md_escape(briefing.subtitle)]
    for section in briefing.sections:
        out += ["", f"## {md_escape(section.title)}", ""]
        out += [_row(row) for row in section.rows]
        out += [f"- {md_escape(b)}" for b in section.bullets]
        for i, paragraph in enumerate(section.paragraphs):
            if i or section.rows or section.bullets:
                out.append("")
            out.append(md_escape(paragraph))
    out += ["", "---", "", md_escape(briefing.footer), ""]
    return "\n".join(out)
