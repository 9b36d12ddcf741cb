"""The briefing as a PDF (fpdf2) on A4 or US Letter, with embedded Unicode fonts.

DejaVu Sans Condensed prints Latin, Greek, Cyrillic and more; Droid Sans Fallback is added as a
fallback font only when the text holds characters DejaVu lacks (Chinese, Japanese), since loading
it adds about 0.3 s (measured). The fonts ship in `kapprep/fonts/` with their licences.
"""

from __future__ import annotations

import logging
import re
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kapprep.documents.model import Document, Paper, Row, Section

if TYPE_CHECKING:
    from fpdf import FPDF

MARGIN = 14.0
LABEL_W = 32.0
BODY = 8.4
LINE = 3.5
GAP = 0.6
HEAD = 4.4
SMALL = 6.8
SMALL_LINE = 2.8
TINY = 5.8
TINY_LINE = 2.4
"""The Sources' page addresses: fine print, so a typical briefing stays on one page."""
_BOXED = frozenset({"emergency", "call"})
"""Drawn in a box on the first page: what to do in an emergency, and whom to call."""
_SMALL_SECTIONS = frozenset({"about", "sources"})
"""Background for the support person, printed smaller so a typical plan fits on one page."""
_COLUMN_SECTIONS = frozenset(
    {"helps", "practical", "medical", "private", "safely", "support", "about", "sources"}
)
"""The background, printed in two columns below the rest on the first page (they come last)."""
GUTTER = 6.0


def fonts_dir() -> Path:
    return Path(str(resources.files("kapprep"))) / "fonts"


def _all_text(briefing: Document) -> str:
    parts = [briefing.title, briefing.subtitle, briefing.footer]
    for section in briefing.sections:
        parts.append(section.title)
        parts += [f"{r.label}{r.value}{r.note}" for r in section.rows]
        parts += section.bullets
        parts += section.paragraphs
    return "".join(parts)


def _split(pdf: FPDF, width: float, text: str) -> list[str]:
    """The text broken into lines for `width`, once; drawn with `cell` so it is measured once."""
    pdf.measuring = True  # type: ignore[attr-defined]  # see _Doc.accept_page_break
    try:
        lines: Any = pdf.multi_cell(width, LINE, text, dry_run=True, output="LINES")
    finally:
        pdf.measuring = False  # type: ignore[attr-defined]
    return list(lines) or [""]


def _draw(pdf: FPDF, x: float, y: float, width: float, lines: list[str]) -> None:
    for i, line in enumerate(lines):
        pdf.set_xy(x, y + i * LINE)
        pdf.cell(width, LINE, line)


def _row(pdf: FPDF, row: Row) -> None:
    value_w = pdf.epw - LABEL_W
    value = row.value + (f"   ({row.note})" if row.note else "")
    pdf.set_font("body", "B", BODY)
    label_lines = _split(pdf, LABEL_W - 2, row.label)
    pdf.set_font("body", "", BODY)
    value_lines = _split(pdf, value_w, value)
    height = max(len(label_lines), len(value_lines)) * LINE
    if pdf.will_page_break(height):
        pdf.add_page()
    x, y = pdf.l_margin, pdf.get_y()
    pdf.set_font("body", "B", BODY)
    _draw(pdf, x, y, LABEL_W - 2, label_lines)
    pdf.set_font("body", "", BODY)
    if row.missing:
        pdf.set_text_color(90, 90, 90)
    _draw(pdf, x + LABEL_W, y, value_w, value_lines)
    pdf.set_text_color(0, 0, 0)
    pdf.set_xy(x, y + height + 0.4)


def _fits_half(pdf: FPDF, rows: tuple[Row, ...]) -> bool:
    """True when every row fits on one line in half the page width (then rows go in two columns)."""
    half_value = pdf.epw / 2 - LABEL_W / 2 - 2
    for row in rows:
        pdf.set_font("body", "B", BODY)
        if pdf.get_string_width(row.label) > LABEL_W / 2 - 2:
            return False
        pdf.set_font("body", "", BODY)
        value = row.value + (f"   ({row.note})" if row.note else "")
        if pdf.get_string_width(value) > half_value:
            return False
    return len(rows) >= 2


def _two_columns(pdf: FPDF, rows: tuple[Row, ...]) -> None:
    half = pdf.epw / 2
    for i in range(0, len(rows), 2):
        if pdf.will_page_break(LINE):
            pdf.add_page()
        y = pdf.get_y()
        for j, row in enumerate(rows[i : i + 2]):
            x = pdf.l_margin + j * half
            pdf.set_xy(x, y)
            pdf.set_font("body", "B", BODY)
            pdf.cell(LABEL_W / 2, LINE, row.label)
            pdf.set_font("body", "", BODY)
            if row.missing:
                pdf.set_text_color(90, 90, 90)
            pdf.cell(half - LABEL_W / 2, LINE, row.value + (f"   ({row.note})" if row.note else ""))
            pdf.set_text_color(0, 0, 0)
        pdf.set_xy(pdf.l_margin, y + LINE + 0.4)


def _fonts(pdf: FPDF, text: str) -> list[str]:
    """The bundled fonts; the CJK fallback only when `text` needs it. Returns the characters no
    font has (as U+ codes, sorted), which the PDF would otherwise drop without a word."""
    folder = fonts_dir()
    pdf.add_font("body", "", str(folder / "DejaVuSansCondensed.ttf"))
    pdf.add_font("body", "B", str(folder / "DejaVuSansCondensed-Bold.ttf"))
    fonts: Any = pdf.fonts
    bold, regular = fonts["bodyB"].cmap, fonts["body"].cmap
    wanted = {ch for ch in set(text) if ch.isprintable() and not ch.isspace()}
    lacking = {ch for ch in wanted if ord(ch) not in regular or ord(ch) not in bold}
    if lacking:
        pdf.add_font("fallback", "", str(folder / "DroidSansFallbackFull.ttf"))
        pdf.set_fallback_fonts(["fallback"], exact_match=False)
        fallback = fonts["fallback"].cmap
        lacking = {ch for ch in lacking if ord(ch) not in fallback and ord(ch) not in regular}
    return sorted(f"U+{ord(ch):04X}" for ch in lacking)


MISSING_NOTE = (
    "Some characters in this briefing cannot be drawn in a PDF and are left blank here ({codes}). "
    "The HTML or text briefing shows them."
)


def _section(pdf: FPDF, section: Section, scan: Document | None = None) -> None:
    """One section at the current position, across the space between the margins; with `scan`
    (for "Whom else to call"), its QR code at the right of the rows."""
    from fpdf.enums import XPos, YPos

    pdf.set_font("body", "B", 10)
    first = SMALL_LINE if section.key in _SMALL_SECTIONS else LINE
    if pdf.will_page_break(GAP + HEAD + 0.8 + 2 * first):
        pdf.add_page()
    pdf.ln(GAP)
    boxed = section.key in _BOXED
    top = pdf.get_y()
    if boxed:
        pdf.set_fill_color(235, 235, 235)
    pdf.cell(0, HEAD, section.title, fill=boxed, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    y = pdf.get_y()
    pdf.set_draw_color(120, 120, 120)
    pdf.set_line_width(0.2)
    pdf.line(pdf.l_margin, y, pdf.l_margin + pdf.epw, y)
    pdf.set_y(y + 0.8)
    below_code = 0.0
    if scan is not None and scan.scan is not None and pdf.page_no() == 1:
        x = pdf.l_margin + pdf.epw - QR_SPACE + QR_QUIET * QR_MODULE
        below_code = _qr(pdf, scan.scan.tel, scan.scan_label, x, pdf.get_y() + 0.6)
        pdf.set_xy(pdf.l_margin, y + 0.8)
        pdf.set_right_margin(pdf.r_margin + QR_SPACE)  # the rows keep to the code's left
    if section.key not in _BOXED and _fits_half(pdf, section.rows):
        _two_columns(pdf, section.rows)
    else:
        for row in section.rows:
            _row(pdf, row)
    if below_code:
        pdf.set_right_margin(pdf.r_margin - QR_SPACE)
        pdf.set_y(max(pdf.get_y(), below_code + 0.6))
    if section.key in _SMALL_SECTIONS:
        tiny = section.key == "sources"
        pdf.set_font("body", "", TINY if tiny else SMALL)
        small = (
            # one paragraph of the pages' addresses alone (the other formats also name each
            # page and what it is cited for), so the page stays one
            ("; ".join(_compact_source(b) for b in section.bullets + section.paragraphs),)
            if section.key == "sources"
            else section.paragraphs
        )
        for paragraph in small:
            height = TINY_LINE if tiny else SMALL_LINE
            pdf.multi_cell(0, height, paragraph, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            pdf.ln(0.4)
        return
    bullets = section.bullets
    if section.key == "emergency":  # the signs in one bold paragraph, so the page stays one
        pdf.set_font("body", "B", BODY)
        signs = "; ".join(bullets[:-1]) + "; or " + bullets[-1] + "." if bullets else ""
        pdf.multi_cell(0, LINE, f"{section.intro} {signs}", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        bullets = ()
    elif section.intro:
        pdf.set_font("body", "", BODY)
        pdf.multi_cell(0, LINE, section.intro, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font("body", "", BODY)
    for bullet in bullets:
        lines = _split(pdf, pdf.epw - 4, bullet)
        if pdf.will_page_break(len(lines) * LINE):
            pdf.add_page()
        y = pdf.get_y()
        pdf.set_xy(pdf.l_margin, y)
        pdf.cell(4, LINE, "•")
        _draw(pdf, pdf.l_margin + 4, y, pdf.epw - 4, lines)
        pdf.set_xy(pdf.l_margin, y + len(lines) * LINE)
    for paragraph in section.paragraphs:
        pdf.multi_cell(0, LINE, paragraph, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(0.6)
    if boxed and pdf.page_no() == 1:
        pdf.set_draw_color(0, 0, 0)
        pdf.set_line_width(0.5)
        pdf.rect(pdf.l_margin - 1.5, top - 0.5, pdf.epw + 3, pdf.get_y() - top + 1)


def _compact_source(line: str) -> str:
    """A Sources line made short for the printed page: just the page's address, without
    "https://www." (a line with no address, like "Samaritans: no page found", stays whole)."""
    found = re.search(r"https?://(www\.)?(\S+)", line)
    return found.group(2) if found else line


QR_MODULE = 0.6
"""One module of the QR code in mm (a version-2 code is 15 mm across, as wide as a phone camera
reads from a hand-held page)."""
QR_QUIET = 4
"""Modules of white kept around the code, as the QR standard asks."""
QR_SPACE = 25 * QR_MODULE + 2 * QR_QUIET * QR_MODULE
"""The width the code takes at the right of the "Whom else to call" box (a version-2 code, the
size a `tel:` link of a full international number needs)."""


def _qr(pdf: FPDF, data: str, label: str, x: float, y: float) -> float:
    """The QR code for `data` with its top left at (x, y), `label` under it in small words;
    returns where they end (y)."""
    # segno costs about 40-60 ms to import here (measured): only a PDF with a code pays for it.
    import segno

    code = segno.make(data, error="m", micro=False)
    rows = [bytes(row) for row in code.matrix]
    pdf.set_fill_color(0, 0, 0)
    for r, row in enumerate(rows):
        c = 0
        while c < len(row):  # one rectangle per run of dark modules
            if not row[c] & 1:
                c += 1
                continue
            start = c
            while c < len(row) and row[c] & 1:
                c += 1
            pdf.rect(x + start * QR_MODULE, y + r * QR_MODULE, (c - start) * QR_MODULE,
                     QR_MODULE, style="F")  # fmt: skip
    size = len(rows) * QR_MODULE
    pdf.set_font("body", "", SMALL)
    pdf.set_xy(x - QR_QUIET * QR_MODULE, y + size + QR_QUIET * QR_MODULE / 2)
    pdf.multi_cell(size + 2 * QR_QUIET * QR_MODULE, SMALL_LINE, label, align="C")
    return pdf.get_y()


LOG_ROW = 8.0
"""A row of the check-in log: room to write by hand."""
LOG_WIDTHS = (0.16, 0.42, 0.42)
"""The log's columns (time, how they seem, note) as parts of the page's width."""


def _log_head(pdf: FPDF, columns: tuple[str, ...]) -> None:
    pdf.set_font("body", "B", BODY)
    pdf.set_fill_color(235, 235, 235)
    y = pdf.get_y()
    x = pdf.l_margin
    for part, name in zip(LOG_WIDTHS, columns, strict=False):
        pdf.set_xy(x, y)
        pdf.cell(pdf.epw * part, 6.0, name, border=1, fill=True)
        x += pdf.epw * part
    pdf.set_xy(pdf.l_margin, y + 6.0)


def _log(pdf: FPDF, section: Section) -> None:
    """The check-in log: its title, how often, the readings asked for, then a ruled table."""
    from fpdf.enums import XPos, YPos

    pdf.set_font("body", "B", 12)
    pdf.cell(0, 7, section.title, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font("body", "", BODY)
    pdf.multi_cell(0, LINE + 0.5, section.intro, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(1)
    for row in section.rows:
        y = pdf.get_y()
        pdf.set_font("body", "B", BODY)
        pdf.cell(LABEL_W + 10, LOG_ROW, row.label)
        pdf.set_font("body", "", BODY)
        pdf.cell(0, LOG_ROW, row.value, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_y(y + LOG_ROW)
    pdf.ln(2)
    _log_head(pdf, section.columns)
    pdf.set_font("body", "", BODY)
    for cells in section.table:
        widths = [pdf.epw * part for part in LOG_WIDTHS]
        wrapped = [_split(pdf, w - 2, text) for w, text in zip(widths, cells, strict=False)]
        height = max(LOG_ROW, max(len(lines) for lines in wrapped) * LINE + 2.5)
        if pdf.will_page_break(height):
            pdf.add_page()
            _log_head(pdf, section.columns)
            pdf.set_font("body", "", BODY)
        y, x = pdf.get_y(), pdf.l_margin
        for w, lines in zip(widths, wrapped, strict=False):  # a long note wraps, never cut
            pdf.rect(x, y, w, height)
            _draw(pdf, x + 1, y + 1.2, w - 2, lines)
            x += w
        pdf.set_xy(pdf.l_margin, y + height)


def render_pdf(briefing: Document, paper: Paper = "a4") -> bytes:
    """The PDF's bytes. One page for a typical plan: what to do in an emergency and whom to call
    across the top, the background in two columns below; a long plan flows onto more pages."""
    # fpdf2 (with fontTools) costs 190–240 ms to import here (measured): only PDF export pays for it.
    from fpdf import FPDF
    from fpdf.enums import XPos, YPos

    # fpdf2 logs each character a font lacks, with the character: keep names out of the logs.
    logging.getLogger("fpdf").setLevel(logging.ERROR)

    footer_text = briefing.footer
    top = briefing.section("emergency")
    call = briefing.section("call")
    numbers = "; ".join(f"{r.label}: {r.value}" for r in (call.rows[:1] if call else ()))
    continued = f"{briefing.title} (continued). {top.title if top else ''}. {numbers}"

    class _Doc(FPDF):
        column: int | None = None
        """0 or 1 while the background prints in two columns; None across the page."""
        column_top = 0.0

        def columns(self) -> None:
            """Go on in two columns: down the left, then down the right, then a new page."""
            if self.will_page_break(40.0):  # too little room left for columns: start a page
                self.add_page()
            self.column, self.column_top = 0, self.get_y()
            self.set_right_margin(self.w - MARGIN - (self.w - 2 * MARGIN - GUTTER) / 2)

        @property
        def accept_page_break(self) -> bool:
            if getattr(self, "measuring", False):  # a dry run (`_split`) moves nothing
                return False
            if self.column == 0:  # the left column is full: on in the right one
                self.column = 1
                width = (self.w - 2 * MARGIN - GUTTER) / 2
                self.set_left_margin(MARGIN + width + GUTTER)
                self.set_right_margin(MARGIN)
                self.set_xy(self.l_margin, self.column_top)
                return False
            if self.column == 1:  # both full: a new page, across it again
                self.column = None
                self.set_left_margin(MARGIN)
            return bool(self.auto_page_break)

        def header(self) -> None:
            if self.page_no() > 1:  # what to do in an emergency stays in sight on every page
                left, right = self.l_margin, self.r_margin  # across the page, as the footer
                self.set_left_margin(MARGIN)
                self.set_right_margin(MARGIN)
                self.set_font("body", "B", 8)
                self.multi_cell(0, 4, continued, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
                self.ln(1)
                self.set_left_margin(left)
                self.set_right_margin(right)
                self.set_x(left)

        def footer(self) -> None:
            # across the page, even when the page ends in the right-hand column
            left, right = self.l_margin, self.r_margin
            self.set_left_margin(MARGIN)
            self.set_right_margin(MARGIN)
            self.set_y(-11)
            self.set_font("body", "", 7)
            self.set_text_color(80, 80, 80)
            self.multi_cell(0, 3, f"{footer_text}   Page {self.page_no()}/{{nb}}", align="C")
            self.set_text_color(0, 0, 0)
            self.set_left_margin(left)
            self.set_right_margin(right)

    pdf = _Doc(format="A4" if paper == "a4" else "Letter", unit="mm")
    pdf.set_margins(MARGIN, 10.0, MARGIN)
    pdf.set_auto_page_break(True, margin=13.0)
    pdf.set_title(briefing.title)
    pdf.set_creator("kapprep")
    text = _all_text(briefing)
    missing = _fonts(pdf, text)
    pdf.add_page()

    pdf.set_font("body", "B", 14)
    pdf.multi_cell(0, 6.5, briefing.title, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font("body", "", 9.5)
    pdf.multi_cell(0, 4.6, briefing.subtitle, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    if missing:  # said where the reader looks first, never dropped without a word
        shown = ", ".join(missing[:8]) + (
            f" and {len(missing) - 8} more" if len(missing) > 8 else ""
        )
        pdf.set_font("body", "B", 9.5)
        pdf.multi_cell(
            0, 4.6, MISSING_NOTE.format(codes=shown), new_x=XPos.LMARGIN, new_y=YPos.NEXT
        )

    for section in briefing.sections:
        if section.columns:  # a log: the briefing's on a page of its own, across it
            if section.key == "log":
                pdf.column = None
                pdf.set_left_margin(MARGIN)
                pdf.set_right_margin(MARGIN)
                pdf.add_page()
            else:
                pdf.ln(GAP * 3)
            _log(pdf, section)
            continue
        if section.key in _COLUMN_SECTIONS and pdf.column is None and pdf.page_no() == 1:
            pdf.columns()
        _section(pdf, section, briefing if section.key == "call" else None)
    return bytes(pdf.output())
