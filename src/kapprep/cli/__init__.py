"""The `kapprep` command: the TUI with no sub-command, or one of the sub-commands below.

Sub-commands never import Textual (a test proves it), so they start fast. Exit codes: 0 ok,
1 a user error (one clear line, no traceback), 2 usage. Each sub-command group lives in its own
module with a `register(subparsers)` function; add a new group to `_GROUPS`.
"""

from __future__ import annotations

import sys

from kapprep import __version__

TYPE_CHECKING = False  # not `from typing import ...`: typing alone costs ~7 ms at start-up
if TYPE_CHECKING:
    import argparse
    from collections.abc import Sequence

_GROUPS = (
    "kapprep.cli.checklists_cmd",
    "kapprep.cli.session_cmd",
    "kapprep.cli.next_cmd",
    "kapprep.cli.data_cmd",
    "kapprep.cli.briefing_cmd",
    "kapprep.cli.plan_cmd",
    "kapprep.cli.journal_cmd",
    "kapprep.cli.calendar_cmd",
    "kapprep.cli.breathe_cmd",
    "kapprep.cli.rules_cmd",
    "kapprep.cli.backup_cmd",
    "kapprep.cli.settings_cmd",
    "kapprep.cli.lock_cmd",
)


def build_parser(groups: bool = True) -> argparse.ArgumentParser:
    """The parser; `groups=False` leaves out the sub-commands (for starting the app: registering
    every group costs ~40 ms, a fifth of the app's first frame)."""
    from importlib import import_module

    from kapprep.cli.parser import CommandParser, Parser, add_global_options

    parser = Parser(
        prog="kapprep",
        description=(
            "A calm companion for preparing for ketamine-assisted psychotherapy. "
            "Not medical advice: follow your clinic's instructions. "
            "With no command, opens the app."
        ),
    )
    parser.add_argument("--version", action="version", version=f"kapprep {__version__}")
    add_global_options(parser)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=CommandParser)
    for name in _GROUPS if groups else ():
        import_module(name).register(sub)
    return parser


_APP_OPTIONS = ("--data-dir", "--checklists", "--passphrase-fd")
_APP_FLAGS = ("--plain",)


def _starts_app(argv: Sequence[str]) -> bool:
    """True when `argv` holds only the app's own options: no sub-command, no --help."""
    rest = list(argv)
    while rest:
        word = rest.pop(0)
        if word in _APP_OPTIONS and rest:
            rest.pop(0)
        elif word in _APP_FLAGS:
            continue
        elif not word.startswith(tuple(f"{o}=" for o in _APP_OPTIONS)):
            return False
    return True


def main(argv: Sequence[str] | None = None) -> int:
    if list(sys.argv[1:] if argv is None else argv) == ["--version"]:
        # The fast path: no argparse, no group modules, no YAML. `kapprep --version` took 70 ms
        # with them against 12 ms for `python -c pass`; it takes about 15 ms without.
        print(f"kapprep {__version__}")
        return 0
    from kapprep.cli.common import check_checklist_folders
    from kapprep.cli.parser import merge_globals
    from kapprep.crash import report_crash
    from kapprep.errors import KapprepError

    words = list(sys.argv[1:] if argv is None else argv)
    if not _starts_app(words):
        # A command's output never carries a character a terminal acts on, from wherever it
        # came (a clinic's file, an import, text kept before this check): each is escaped.
        from kapprep.cleantext import SafeStream

        sys.stdout, sys.stderr = SafeStream(sys.stdout), SafeStream(sys.stderr)
    parser = build_parser(groups=not _starts_app(words))
    args = merge_globals(parser.parse_args(words))
    try:
        check_checklist_folders(args.checklists)
        if args.command is None:
            # Plain mode is chosen here, before anything could import Textual.
            from kapprep.plain.choice import reason

            why = reason(args.plain)
            if why is not None:
                from kapprep.plain.app import run as run_plain

                return run_plain(data_dir=args.data_dir, checklist_dirs=args.checklists, why=why)
            from kapprep.cli.tui import run_tui  # imports Textual: only on this path

            return run_tui(args)
        code: int = args.func(args)
        return code
    except KapprepError as exc:
        # Every command: a mistake the user can fix (or a data folder that cannot be used: a
        # file in its place, a full disk, a newer kapprep's data) is one calm line and exit 1.
        print(f"kapprep: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:
        where = report_crash(exc, getattr(args, "data_dir", None), args.command)
        print(
            "kapprep: something went wrong inside kapprep (not your fault). "
            f"Your saved data is safe. A short report without your content is in {where}",
            file=sys.stderr,
        )
        return 1
