"""`kapprep briefing`: the one-page briefing for the support person, as text, Markdown, HTML or PDF,
to the screen, a file or the printer. No Textual here; fpdf2 is imported only when a PDF is made.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kapprep import clock
from kapprep.cli.common import UserError

if TYPE_CHECKING:
    from kapprep.briefing import Document
    from kapprep.clinic_rules import ClinicRules
    from kapprep.store import Store


from kapprep.cli.sessions import number, run_with_store, write_private_file


def register(sub: Any) -> None:
    brief = sub.add_parser(
        "briefing",
        help="the one-page briefing for your support person (text, Markdown, HTML, PDF, or "
        "its numbers as contacts to save: vcf)",
        description=(
            "Print or save the briefing for the person who supports you. Text goes to the "
            "screen unless you give -o FILE. A PDF without -o is saved in your private data "
            "folder and its path is printed. HTML is a page for a phone: every number a link to "
            "call (and text, where the line takes texts). vcf is the numbers as contacts "
            "(vCard 3.0) a phone can save."
        ),
    )
    brief.add_argument(
        "--format",
        "-f",
        choices=("text", "md", "html", "pdf", "vcf"),
        help="text (default; or taken from the -o file's ending), md, html, pdf or vcf",
    )
    brief.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead")
    brief.add_argument("--force", action="store_true", help="replace FILE if it exists")
    brief.add_argument(
        "--for", dest="for_name", metavar="NAME", help="tailor it to this person's roles"
    )
    brief.add_argument(
        "--print", dest="to_printer", action="store_true", help="send the PDF to the printer (lp)"
    )
    brief.add_argument(
        "--session",
        type=number,
        metavar="N",
        help="the briefing for session N (default: your coming session)",
    )
    brief.add_argument(
        "--paper", choices=("a4", "letter"), default=None, help="paper size for PDF and HTML"
    )
    brief.set_defaults(func=cmd_briefing)


BRIEFING_ENDINGS = {
    ".txt": "text",
    ".text": "text",
    ".md": "md",
    ".markdown": "md",
    ".html": "html",
    ".htm": "html",
    ".pdf": "pdf",
    ".vcf": "vcf",
    ".vcard": "vcf",
}


def _format_for(args: argparse.Namespace) -> str:
    from kapprep.cli.common import format_for_file

    if args.format:
        return str(args.format)
    if args.to_printer:
        return "pdf"
    if args.output:
        return format_for_file(args.output, BRIEFING_ENDINGS, "text")
    return "text"


def _rules(args: argparse.Namespace, store: Store) -> ClinicRules:
    """The clinic's rules: what the patient noted, else the clinic files' (`clinic_rules`)."""
    from kapprep.checklists import load_active
    from kapprep.clinic_rules import effective
    from kapprep.settings import noted_rules

    return effective(load_active(args.checklists).clinic_rules, noted_rules(store))


def make_briefing(
    store: Store,
    for_name: str | None = None,
    session_number: int | None = None,
    rules: ClinicRules | None = None,
) -> Document:
    """The briefing for the coming session, or for session `session_number` when given, with
    the clinic's rules (`rules`) where they are known."""
    from kapprep.briefing import build_briefing
    from kapprep.plan import load_plan, region_of
    from kapprep.settings import load_settings

    plan = load_plan(store)
    if session_number is None:
        session = store.next_session(clock.now())
    else:
        session = store.session(session_number)
        if session is None:
            raise UserError(f"there is no session {session_number}; see: kapprep session list")
    from kapprep.journal_share import shared_note

    return build_briefing(
        plan,
        session,
        region=region_of(store),
        for_name=for_name,
        country=load_settings(store).country,
        rules=rules,
        support_note=shared_note(store, session.id if session else None),
    )


def cmd_briefing(args: argparse.Namespace) -> int:
    def body(store: Store) -> int:
        from kapprep.briefing import render
        from kapprep.settings import load_settings

        fmt = _format_for(args)
        if args.to_printer and fmt != "pdf":
            raise UserError("--print sends a PDF to the printer: leave out --format or use pdf")
        settings = load_settings(store)
        paper = args.paper or settings.paper
        briefing = make_briefing(store, args.for_name, args.session, _rules(args, store))
        if briefing.missing:
            print(
                "kapprep: not set yet (shown as “not set”): " + "; ".join(briefing.missing),
                file=sys.stderr,
            )
        data = render(briefing, fmt, paper, maps=settings.maps_link)  # type: ignore[arg-type]
        if args.output:
            target = Path(args.output)
        elif fmt == "pdf":
            from kapprep.documents.output import OutputError, save_in

            try:
                target = save_in(store.folder / "briefings", fmt, data)
            except OutputError as exc:
                raise UserError(str(exc)) from None
        else:
            sys.stdout.write(data.decode("utf-8"))
            return 0
        if args.output:
            write_private_file(target, data, args.force)
        from kapprep.lock_note import lock_note

        note = lock_note(store.folder, target)  # "" unless the data is locked
        if note:
            print(f"kapprep:{note}", file=sys.stderr)
        if args.to_printer:
            return _print_pdf(target)
        print(f"Saved the briefing to {target}")
        return 0

    return run_with_store(args, body)


def _print_pdf(path: Path) -> int:
    from kapprep.documents.output import OutputError, print_pdf

    try:
        print(print_pdf(path))
    except OutputError as exc:
        raise UserError(str(exc)) from None
    return 0
