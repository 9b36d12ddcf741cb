"""The briefing as one standalone HTML page: print CSS, no scripts, no external assets, escaped."""

from __future__ import annotations

from html import escape

from kapprep.documents.model import Document, Paper

_CSS = """
@page { size: %(paper)s; margin: 14mm; }
body { font-family: "DejaVu Sans", "Noto Sans", Arial, sans-serif; font-size: 10.5pt;
  line-height: 1.35; color: #000; background: #fff; max-width: 46em; margin: 1em auto; padding: 0 1em; }
h1 { font-size: 16pt; margin: 0 0 .2em; }
.sub { margin: 0 0 .6em; }
h2 { font-size: 11.5pt; margin: .9em 0 .25em; padding-bottom: .1em; border-bottom: 1px solid #555; }
table { border-collapse: collapse; width: 100%%; }
th { text-align: left; vertical-align: top; width: 11em; padding: .1em .6em .1em 0; }
td { vertical-align: top; padding: .1em 0; }
.note { color: #333; }
.missing { font-style: italic; color: #555; }
ul { margin: .2em 0; padding-left: 1.3em; }
p { margin: .2em 0; }
section.emergency { border: 3px solid #000; padding: .2em .6em .4em; }
section.call { border: 2px solid #000; padding: .2em .6em .4em; margin-top: .4em; }
section.emergency h2, section.call h2 { border: 0; margin-top: .2em; }
footer { margin-top: 1em; font-size: 9pt; border-top: 1px solid #555; padding-top: .3em; }
@media print { body { margin: 0; max-width: none; padding: 0; font-size: 10pt; }
  h2 { break-after: avoid; } tr, li { break-inside: avoid; } }
"""


def _text(text: str) -> str:
    return "<br>".join(escape(line) for line in text.splitlines()) if text else ""


def render_html(briefing: Document, paper: Paper = "a4") -> str:
    out = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(briefing.title)}</title>",
        f"<style>{_CSS % {'paper': 'A4' if paper == 'a4' else 'letter'}}</style>",
        "</head>",
        "<body>",
        "<header>",
        f"<h1>{escape(briefing.title)}</h1>",
        f'<p class="sub">{escape(briefing.subtitle)}</p>',
        "</header>",
    ]
    for section in briefing.sections:
        out.append(f'<section class="{escape(section.key)}">')
        out.append(f"<h2>{escape(section.title)}</h2>")
        if section.rows:
            out.append("<table>")
            for row in section.rows:
                value = (
                    f'<span class="missing">{_text(row.value)}</span>'
                    if row.missing
                    else _text(row.value)
                )
                note = f' <span class="note">({_text(row.note)})</span>' if row.note else ""
                out.append(
                    f'<tr><th scope="row">{escape(row.label)}</th><td>{value}{note}</td></tr>'
                )
            out.append("</table>")
        if section.intro:
            out.append(f"<p>{_text(section.intro)}</p>")
        if section.bullets:
            out.append("<ul>")
            out += [f"<li>{_text(b)}</li>" for b in section.bullets]
            out.append("</ul>")
        out += [f"<p>{_text(p)}</p>" for p in section.paragraphs]
        out.append("</section>")
    out += [f"<footer>{escape(briefing.footer)}</footer>", "</body>", "</html>", ""]
    return "\n".join(out)
