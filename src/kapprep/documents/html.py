"""The briefing as one standalone HTML page for a phone: inline CSS, no script, no remote resource
(a maps link only when the patient turns it on), every number a `tel:` link and lines that take
texts an `sms:` one too, large touch targets, readable at 360 px and in dark mode, and a print
style that matches the PDF. Everything the patient typed is escaped.
"""

from __future__ import annotations

import re
from html import escape
from urllib.parse import quote

from kapprep.documents.model import Document, Paper, Phone, Section

MAPS = "https://www.openstreetmap.org/search?query="
"""Where a maps link goes, only with the `maps_link` setting on (it sends the address there)."""

_CSS = """
@page { size: %(paper)s; margin: 14mm; }
:root { color-scheme: light dark; }
body { font-family: "DejaVu Sans", "Noto Sans", Arial, sans-serif; font-size: 1rem;
  line-height: 1.4; color: #000; background: #fff; max-width: 46em; margin: 0 auto;
  padding: .5em .8em 2em; overflow-wrap: anywhere; }
h1 { font-size: 1.35rem; margin: .2em 0; }
.sub { margin: 0 0 .6em; }
h2 { font-size: 1.1rem; margin: 1em 0 .3em; padding-bottom: .1em; border-bottom: 1px solid #555; }
table { border-collapse: collapse; width: 100%%; }
th { text-align: left; vertical-align: top; width: 11em; padding: .3em .6em .3em 0; }
td { vertical-align: top; padding: .3em 0; }
.note { color: #333; }
.missing { font-style: italic; color: #555; }
ul { margin: .2em 0; padding-left: 1.3em; }
li { margin: .15em 0; }
p { margin: .3em 0; }
a { color: #0645ad; }
a.tel, a.sms { display: inline-block; min-height: 44px; min-width: 44px; box-sizing: border-box;
  padding: .45em .7em; margin: .1em .2em .1em 0; border: 2px solid currentColor;
  border-radius: .4em; font-weight: bold; text-decoration: none; line-height: 1.4; }
a.sms { font-weight: normal; }
a.inline { font-weight: bold; }
section.emergency { border: 3px solid #000; padding: .2em .7em .5em; }
section.call { border: 2px solid #000; padding: .2em .7em .5em; margin-top: .5em; }
section.emergency h2, section.call h2 { border: 0; margin-top: .2em; }
section.emergency h2 { font-size: 1.3rem; }
table.log th, table.log td { border: 1px solid #555; padding: .3em; width: auto; }
table.log td { height: 2.2em; }
table.log th:first-child { width: 4.5em; }
footer { margin-top: 1em; font-size: .85rem; border-top: 1px solid #555; padding-top: .3em; }
@media (max-width: 32em) {
  th, td { display: block; width: auto; padding: 0; }
  th { padding-top: .5em; }
  table.log th, table.log td { display: table-cell; }
}
@media (prefers-color-scheme: dark) {
  body { color: #eee; background: #121212; }
  a { color: #9cc2ff; }
  .note { color: #ccc; } .missing { color: #aaa; }
  section.emergency, section.call, h2, table.log th, table.log td, footer { border-color: #ccc; }
}
@media print {
  :root { color-scheme: light; }
  body { margin: 0; max-width: none; padding: 0; font-size: 10pt; color: #000; background: #fff; }
  h1 { font-size: 16pt; } h2 { font-size: 11.5pt; break-after: avoid; }
  section.emergency h2 { font-size: 11.5pt; }
  section.emergency, section.call { border-color: #000; }
  a, a.tel { color: #000; border: 0; padding: 0; margin: 0; min-height: 0; min-width: 0;
    display: inline; text-decoration: none; }
  a.sms, a.map { display: none; }
  a.inline { font-weight: normal; }
  tr, li { break-inside: avoid; }
  section.log { break-before: page; }
}
"""


def _plain(text: str) -> str:
    return "<br>".join(escape(line) for line in text.splitlines()) if text else ""


def _spans(text: str, phones: tuple[Phone, ...]) -> list[tuple[int, int, Phone]]:
    """Where each number stands in `text`, longest first, never overlapping, never inside a
    longer run of digits or letters ("988" in "988lifeline.org" is not a number)."""
    found: list[tuple[int, int, Phone]] = []
    for p in sorted(phones, key=lambda p: -len(p.shown)):
        for m in re.finditer(re.escape(p.shown), text):
            a, b = m.span()
            if (a and text[a - 1].isalnum()) or (b < len(text) and text[b].isalnum()):
                continue
            if all(b <= x or a >= y for x, y, _ in found):
                found.append((a, b, p))
    return sorted(found, key=lambda s: s[0])


def _link(p: Phone, shown: str, *, button: bool, texts: bool = False) -> str:
    """`shown` as a link. A `button` (the number itself: large, with a Text button beside it
    when the line takes texts), or inline (a name that holds the number, "988 Suicide & Crisis
    Lifeline", or "text 988" in a note, where the line taking texts is meant)."""
    if not p.call or (texts and p.text):  # a line that only takes texts, or "text 988"
        kind, href = "sms", p.sms
    else:
        kind, href = "tel", p.tel
    if not button:
        return f'<a class="inline" href="{escape(href)}">{shown}</a>'
    out = f'<a class="{kind}" href="{escape(href)}">{shown}</a>'
    if kind == "tel" and p.text:
        out += f' <a class="sms" href="{escape(p.sms)}" aria-label="Text {shown}">Text</a>'
    return out


def _text(text: str, phones: tuple[Phone, ...] = (), *, texts: bool = False,
          buttons: tuple[Phone, ...] | None = None) -> str:  # fmt: skip
    """`text` escaped, with each of `phones` it shows as a link: the last time each appears as
    a button when it is one of `buttons` (all, by default), else inline."""
    if not phones or not text:
        return _plain(text)
    spans = _spans(text, phones)
    last = {id(p): a for a, _, p in spans}
    big = phones if buttons is None else buttons
    out, at = [], 0
    for a, b, p in spans:
        button = last[id(p)] == a and any(p is q for q in big)
        out += [_plain(text[at:a]), _link(p, escape(text[a:b]), button=button, texts=texts)]
        at = b
    out.append(_plain(text[at:]))
    return "".join(out)


def _log(section: Section) -> list[str]:
    out = ['<table class="log">', "<tr>"]
    out += [f'<th scope="col">{escape(c)}</th>' for c in section.columns]
    out.append("</tr>")
    for cells in section.table:
        out.append("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in cells) + "</tr>")
    out.append("</table>")
    return out


def render_html(briefing: Document, paper: Paper = "a4", *, maps: bool = False) -> str:
    """The page; `maps` (the patient's setting, off by default) links each address to a map."""
    out = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="color-scheme" content="light dark">',
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
        out.append(f"<h2>{_text(section.title, section.phones)}</h2>")
        if section.rows:
            out.append("<table>")
            for row in section.rows:
                value = _text(row.value, row.phones)
                if row.missing:
                    value = f'<span class="missing">{value}</span>'
                elif row.place and maps:
                    url = escape(MAPS + quote(row.value))
                    value += f' <a class="map" href="{url}">Map</a>'
                shown = [p for _, _, p in _spans(row.value, row.phones)]
                unshown = tuple(p for p in row.phones if all(p is not q for q in shown))
                note = (  # a button only for a number the value does not show already
                    f' <span class="note">('
                    f"{_text(row.note, row.phones, texts=True, buttons=unshown)})</span>"
                    if row.note
                    else ""
                )
                out.append(
                    f'<tr><th scope="row">{escape(row.label)}</th><td>{value}{note}</td></tr>'
                )
            out.append("</table>")
        if section.intro:
            out.append(f"<p>{_text(section.intro, section.phones)}</p>")
        if section.bullets:
            out.append("<ul>")
            out += [f"<li>{_text(b)}</li>" for b in section.bullets]
            out.append("</ul>")
        out += [f"<p>{_text(p, section.phones)}</p>" for p in section.paragraphs]
        if section.columns:
            out += _log(section)
        out.append("</section>")
    out += [f"<footer>{escape(briefing.footer)}</footer>", "</body>", "</html>", ""]
    return "\n".join(out)
