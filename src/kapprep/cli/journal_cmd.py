"""`kapprep journal export|questions`: the journal for the therapist, the questions for the
clinic. (`kapprep calendar` is in `calendar_cmd`.)

No Textual here. fpdf2 is imported only by the command that needs it, inside the domain functions.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from kapprep.cli.common import UserError, emit, local_now
from kapprep.cli.sessions import number, open_store

FORMATS = ("md", "html", "pdf", "text")


def register(sub: Any) -> None:
    group = sub.add_parser(
        "journal", help="export your journal for your therapist, or keep questions for your clinic"
    )
    actions = group.add_subparsers(dest="action", metavar="ACTION", required=True)
    export = actions.add_parser(
        "export", help="write your intentions, integration notes, steps and ratings"
    )
    export.add_argument(
        "--format",
        choices=FORMATS,
        default=None,
        help="md (default), html, pdf or text; from the file name's ending when -o is given",
    )
    export.add_argument(
        "--session", type=number, metavar="N", help="only session N (see: kapprep session list)"
    )
    export.add_argument("-o", "--output", metavar="FILE", help="write to FILE (default: screen)")
    export.add_argument("--force", action="store_true", help="replace FILE if it exists")
    from kapprep.cli.age_out import add_options

    add_options(export)
    export.set_defaults(func=cmd_export)

    q = actions.add_parser("questions", help="your list of questions for your clinic")
    q_actions = q.add_subparsers(dest="q_action", metavar="ACTION")
    q.set_defaults(func=cmd_questions_list)
    q_add = q_actions.add_parser("add", help="add a question")
    q_add.add_argument("text", nargs="+", metavar="TEXT")
    q_add.set_defaults(func=cmd_questions_add)
    q_list = q_actions.add_parser("list", help="show the questions (the default)")
    q_list.set_defaults(func=cmd_questions_list)
    q_done = q_actions.add_parser("done", help="mark question N as asked")
    q_done.add_argument("number", type=number, metavar="N")
    q_done.set_defaults(func=cmd_questions_done)
    q_remove = q_actions.add_parser("remove", help="remove question N")
    q_remove.add_argument("number", type=number, metavar="N")
    q_remove.set_defaults(func=cmd_questions_remove)


JOURNAL_ENDINGS = {
    ".md": "md",
    ".markdown": "md",
    ".html": "html",
    ".htm": "html",
    ".pdf": "pdf",
    ".txt": "text",
    ".text": "text",
}


def _format(args: argparse.Namespace) -> str:
    from kapprep.cli.common import format_for_file

    if args.format:
        return str(args.format)
    if args.output:
        from kapprep.cli.age_out import plain_name

        return format_for_file(plain_name(args.output) or "", JOURNAL_ENDINGS, "md")
    return "md"


def cmd_export(args: argparse.Namespace) -> int:
    from kapprep import journal
    from kapprep.cli.age_out import encrypt, wanted, warn_if_plain
    from kapprep.journal import export as journal_export

    fmt = _format(args)
    if fmt == "pdf" and not args.output and sys.stdout.isatty() and not wanted(args):
        raise UserError("a PDF cannot be shown here; add -o FILE.pdf to write it to a file")
    with open_store(args) as store:
        try:
            doc = journal_export.document(store, local_now(), args.session)
        except journal.JournalError as exc:
            raise UserError(str(exc)) from None
        warn_if_plain(args, store)
    data = journal_export.render(doc, fmt)
    if wanted(args):
        data = encrypt(args, data)
    emit(data, args.output, f"your journal ({fmt})", args.force)
    return 0


def cmd_questions_list(args: argparse.Namespace) -> int:
    from kapprep import journal

    with open_store(args) as store:
        found = journal.questions(store)
    if not found:
        print('No questions yet. Add one: kapprep journal questions add "…"')
        return 0
    print("Questions for my clinic (kapprep keeps them; your clinic answers them):")
    for q in found:
        print(f"  {q.id:>3}. [{'x' if q.asked else ' '}] {q.text}")
    return 0


def cmd_questions_add(args: argparse.Namespace) -> int:
    from kapprep import journal

    with open_store(args) as store:
        try:
            qid = journal.add_question(store, " ".join(args.text), local_now())
        except journal.JournalError as exc:
            raise UserError(str(exc)) from None
    print(f"Added question {qid}.")
    return 0


def cmd_questions_done(args: argparse.Namespace) -> int:
    from kapprep import journal

    with open_store(args) as store:
        if not journal.set_asked(store, args.number, True, local_now()):
            raise UserError(f"there is no question {args.number}; see: kapprep journal questions")
    print(f"Marked question {args.number} as asked.")
    return 0


def cmd_questions_remove(args: argparse.Namespace) -> int:
    from kapprep import journal

    with open_store(args) as store:
        if not journal.remove_question(store, args.number):
            raise UserError(f"there is no question {args.number}; see: kapprep journal questions")
    print(f"Removed question {args.number}.")
    return 0
