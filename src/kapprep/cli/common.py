"""Helpers shared by the sub-commands: user errors and the crash report."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from kapprep.errors import KapprepError

if TYPE_CHECKING:
    from datetime import datetime


class UserError(KapprepError):
    """A mistake the user can fix; printed as one line, exit 1."""


def confirm(question: str, yes: bool, *, typed: str | None = None) -> bool:
    """Ask in a terminal; refuse without one unless --yes was given."""
    if yes:
        return True
    if not sys.stdin.isatty():
        raise UserError(
            "this needs your confirmation: run it in a terminal, or add --yes to a script"
        )
    prompt = f'{question} Type "{typed}" to go ahead: ' if typed else f"{question} [y/N] "
    try:
        answer = input(prompt).strip()
    except EOFError:
        return False
    if typed:
        return answer == typed
    return answer.lower() in ("y", "yes")


def local_now() -> datetime:
    """Now, in this computer's zone (`kapprep.clock`: tests and KAPPREP_NOW set it)."""
    from kapprep import clock
    from kapprep.zones import local_zone

    return clock.now(local_zone())


def emit(data: bytes, output: str | None, what: str, force: bool = False) -> None:
    """Write `data` privately to `output` (refused if it exists, unless `force`), or to stdout."""
    if output:
        from kapprep.files import write_private

        path = Path(output).expanduser()
        try:
            write_private(path, data, replace=force)
        except OSError as exc:
            raise UserError(str(exc)) from None
        print(f"Wrote {what} to {path}", file=sys.stderr)
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()


def format_for_file(output: str, endings: dict[str, str], default: str) -> str:
    """The format a file's ending asks for (`endings`: ".md" -> "md"), `default` for a name with
    no ending; an ending kapprep does not write is refused, with the ones it does."""
    suffix = Path(output).suffix.lower()
    if not suffix:
        return default
    if suffix in endings:
        return endings[suffix]
    known = ", ".join(sorted(endings))
    formats = "|".join(dict.fromkeys(endings.values()))
    raise UserError(
        f"{output}: kapprep does not write {suffix} files; end the name with one of {known}, "
        f"or choose with --format {formats}"
    )


def check_checklist_folders(folders: list[str]) -> None:
    """Every `--checklists DIR` must be there and readable, for every command and the app.

    Checked before any command runs: a mistyped folder would otherwise leave the clinic's items
    out of `next`, `tick`, the calendar and the app without a word.
    """
    import os
    import stat

    for given in folders:
        path = Path(given).expanduser()
        try:
            if stat.S_ISDIR(os.stat(path).st_mode):
                os.listdir(path)
            else:
                with open(path, "rb"):
                    pass
        except FileNotFoundError:
            raise UserError(f"--checklists {given}: there is no such folder") from None
        except OSError as exc:
            reason = (exc.strerror or "unknown reason").lower()
            raise UserError(f"--checklists {given}: kapprep cannot read it ({reason})") from None
