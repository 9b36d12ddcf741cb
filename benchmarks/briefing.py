"""How long the briefing takes to render in each format, against bare fpdf2 documents, same run.

Run: .venv/bin/python benchmarks/briefing.py [--runs N]

Baselines (each one page, one line of text, made with fpdf2 in this run):
  bare-core  a core font (Helvetica): no font embedding at all
  bare-ttf   the same embedded TTF fonts the briefing uses (DejaVu Sans Condensed, regular + bold)
  bare-cjk   the same, plus the Droid Sans Fallback font and a line with a CJK name
Target: the briefing PDF within 2x the bare document with the same fonts (median).
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from kapprep.briefing import build_briefing, render_html, render_markdown, render_pdf, render_text
from kapprep.documents.pdf import fonts_dir
from kapprep.plan import Person, Plan, default_plan


@dataclass(frozen=True)
class _Session:
    start: datetime
    place: str | None = None
    clinic: str | None = None
    phone: str | None = None


def _plan(name: str) -> Plan:
    values = {
        "my_name": "Alex Morgan",
        "clinic": "Calm Waters Clinic",
        "clinic_address": "12 High Street, Leeds LS1 4AB",
        "clinic_phone": "+44 113 496 0000",
        "session_minutes": "60",
        "recovery_minutes": "90",
        "home_address": "4 Elm Road, Leeds LS6 2QQ",
        "emergency_number": "999",
        "what_helps": "Quiet music, a blanket, being left to rest.",
        "what_not_helps": "Lots of questions, bright lights.",
        "help_meals": "Soup in the fridge.",
        "help_pets": "Feed the cat at 6 pm.",
        "share_medical": "yes",
        "medications": "Sertraline",
        "allergies": "Penicillin",
    }
    people = (
        Person(
            1,
            name,
            "partner",
            "+44 7911 123456",
            ("drives_there", "collects_after", "stays_with_me"),
            None,
            "9 am",
        ),
        Person(2, "Sam Patel", "friend", "+44 7911 223344", ("checks_in",)),
    )
    return Plan(values=values, people=people, signs=default_plan().signs)


def _bare(fonts: str) -> bytes:
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    folder = fonts_dir()
    if fonts == "core":
        pdf.add_page()
        pdf.set_font("helvetica", size=12)
        pdf.cell(text="Support briefing")
        return bytes(pdf.output())
    pdf.add_font("body", "", str(folder / "DejaVuSansCondensed.ttf"))
    pdf.add_font("body", "B", str(folder / "DejaVuSansCondensed-Bold.ttf"))
    line = "Support briefing"
    if fonts == "cjk":
        pdf.add_font("fallback", "", str(folder / "DroidSansFallbackFull.ttf"))
        pdf.set_fallback_fonts(["fallback"], exact_match=False)
        line += " Zoë Ødegård 李小龍"
    pdf.add_page()
    pdf.set_font("body", "B", 12)
    pdf.cell(text=line)
    return bytes(pdf.output())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    session = _Session(datetime(2026, 12, 3, 10, 0, tzinfo=ZoneInfo("Europe/London")))
    latin = build_briefing(_plan("Zoë Ødegård"), session)
    cjk = build_briefing(_plan("Zoë Ødegård 李小龍"), session)
    cases: dict[str, Callable[[], object]] = {
        "bare-core": lambda: _bare("core"),
        "bare-ttf": lambda: _bare("ttf"),
        "bare-cjk": lambda: _bare("cjk"),
        "text": lambda: render_text(latin),
        "markdown": lambda: render_markdown(latin),
        "html": lambda: render_html(latin),
        "pdf": lambda: render_pdf(latin),
        "pdf-cjk": lambda: render_pdf(cjk),
        "pdf-letter": lambda: render_pdf(latin, "letter"),
    }
    t0 = time.perf_counter()
    import fpdf  # noqa: F401  - import cost is not part of rendering

    print(f"import fpdf2: {(time.perf_counter() - t0) * 1000:.0f} ms (once per process)")
    for fn in cases.values():  # warm up
        fn()
    times: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(args.runs):  # interleaved, so machine noise hits every case alike
        for name, fn in cases.items():
            start = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - start)
    med = {name: statistics.median(ts) * 1000 for name, ts in times.items()}
    print(f"median of {args.runs} runs, ms; ratios against the bare documents of this run")
    print(f"{'case':<12}{'ms':>9}{'÷core':>9}{'÷ttf':>9}{'÷cjk':>9}")
    for name, ms in med.items():
        print(
            f"{name:<12}{ms:>9.2f}{ms / med['bare-core']:>9.1f}"
            f"{ms / med['bare-ttf']:>9.2f}{ms / med['bare-cjk']:>9.2f}"
        )
    ok = med["pdf"] <= 2 * med["bare-ttf"] and med["pdf-cjk"] <= 2 * med["bare-cjk"]
    print(
        f"target (PDF <= 2x the bare document with the same fonts): "
        f"pdf {med['pdf'] / med['bare-ttf']:.2f}x, pdf-cjk {med['pdf-cjk'] / med['bare-cjk']:.2f}x "
        f"-> {'met' if ok else 'NOT met'}"
    )


if __name__ == "__main__":
    main()
