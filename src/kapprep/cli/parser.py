"""The command line's parser: the options for every command work anywhere on the line, and a
mistyped command or choice gets a "did you mean".

`kapprep --data-dir d next` and `kapprep next --data-dir d` mean the same; so do
`kapprep --checklists A next --checklists B` and `kapprep next --checklists A --checklists B`.
"""

from __future__ import annotations

import argparse
import difflib

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

# Where a sub-command's own copy of a global option lands, before `merge_globals` folds it in.
# (argparse copies a sub-command's namespace over the main one, so the same `dest` would lose
# what was given before the sub-command.)
_LATE_DATA_DIR = "_late_data_dir"
_LATE_CHECKLISTS = "_late_checklists"
_LATE_PLAIN = "_late_plain"
_LATE_PASSPHRASE_FD = "_late_passphrase_fd"

DATA_DIR_HELP = "keep your data in DIR instead of the usual private folder (or set KAPPREP_HOME)"
CHECKLISTS_HELP = "add the checklist files in DIR (a clinic's own); repeat for more folders"
PASSPHRASE_FD_HELP = (
    "read the passphrase of locked data from file descriptor N (one line; never give it as an "
    "argument)"
)
PLAIN_HELP = (
    "plain mode for a screen reader: numbered lines, nothing redrawn (also with ACCESSIBLE set, "
    "TERM=dumb, or when input or output is not a terminal)"
)


class Parser(argparse.ArgumentParser):
    """An argparse parser whose "invalid choice" names the closest choices."""

    def _check_value(self, action: argparse.Action, value: Any) -> None:
        choices = action.choices
        if choices is None or value in choices:
            return
        names = [str(c) for c in choices]
        close = difflib.get_close_matches(str(value), names, n=3, cutoff=0.6)
        if not close:
            close = [n for n in names if str(value) and n.startswith(str(value))][:3]
        hint = f"; did you mean {' or '.join(close)}?" if close else ""
        shown = ", ".join(names)
        raise argparse.ArgumentError(action, f"there is no {value!r}{hint} (choose from {shown})")


class CommandParser(Parser):
    """A sub-command's parser: it takes `--data-dir` and `--checklists` too."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        group = self.add_argument_group("options for every command")
        group.add_argument(
            "--data-dir",
            metavar="DIR",
            dest=_LATE_DATA_DIR,
            default=argparse.SUPPRESS,
            help=DATA_DIR_HELP,
        )
        group.add_argument(
            "--checklists",
            metavar="DIR",
            dest=_LATE_CHECKLISTS,
            action="append",
            default=argparse.SUPPRESS,
            help=CHECKLISTS_HELP,
        )
        group.add_argument(
            "--passphrase-fd",
            metavar="N",
            type=int,
            dest=_LATE_PASSPHRASE_FD,
            default=argparse.SUPPRESS,
            help=PASSPHRASE_FD_HELP,
        )
        group.add_argument(
            "--plain",
            dest=_LATE_PLAIN,
            action="store_true",
            default=argparse.SUPPRESS,
            help=PLAIN_HELP,
        )


def add_global_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data-dir", metavar="DIR", help=DATA_DIR_HELP)
    parser.add_argument(
        "--checklists", metavar="DIR", action="append", default=[], help=CHECKLISTS_HELP
    )
    parser.add_argument("--plain", action="store_true", help=PLAIN_HELP)
    parser.add_argument("--passphrase-fd", metavar="N", type=int, help=PASSPHRASE_FD_HELP)


def merge_globals(args: argparse.Namespace) -> argparse.Namespace:
    """Fold the options given after the sub-command into `data_dir` and `checklists`: the later
    `--data-dir` wins, and every `--checklists` folder counts, in the order given."""
    late_dir = vars(args).pop(_LATE_DATA_DIR, None)
    if late_dir is not None:
        args.data_dir = late_dir
    args.checklists = [*args.checklists, *vars(args).pop(_LATE_CHECKLISTS, [])]
    late_fd = vars(args).pop(_LATE_PASSPHRASE_FD, None)
    if late_fd is not None:
        args.passphrase_fd = late_fd
    args.plain = bool(getattr(args, "plain", False) or vars(args).pop(_LATE_PLAIN, False))
    return args
