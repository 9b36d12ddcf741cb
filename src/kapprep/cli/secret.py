"""Passphrases on the command line: from a prompt (`getpass`, nothing echoed) or from a file
descriptor (`--passphrase-fd N`, one line each), never from an argument, where any user could read
it in the process list and the shell would keep it in its history.

With `--passphrase-fd N`, the lines are read once and used in order: `kapprep passphrase` reads
the old passphrase then the new one; `kapprep recover` the recovery code then the new passphrase.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

from kapprep.cli.common import UserError

if TYPE_CHECKING:
    import argparse
    from pathlib import Path

    from kapprep.store import Store

_LIMIT = 64 * 1024


def _from_fd(args: argparse.Namespace) -> str:
    fd: int = args.passphrase_fd
    lines: list[str] | None = getattr(args, "_passphrase_lines", None)
    if lines is None:
        chunks: list[bytes] = []
        size = 0
        try:
            while size <= _LIMIT:
                chunk = os.read(fd, 4096)
                if not chunk:
                    break
                chunks.append(chunk)
                size += len(chunk)
        except OSError as exc:
            raise UserError(
                f"--passphrase-fd {fd}: it cannot be read ({exc.strerror or 'error'})"
            ) from None
        lines = b"".join(chunks).decode("utf-8", "replace").splitlines()
        args._passphrase_lines = lines  # read once: the next secret is the next line
    if not lines:
        raise UserError(f"--passphrase-fd {fd}: it gave no line (or not enough lines)")
    return lines.pop(0)


def ask_secret(args: argparse.Namespace, prompt: str) -> str:
    """One secret: the next line of `--passphrase-fd`, or typed at a prompt with no echo."""
    fd = getattr(args, "passphrase_fd", None)
    if fd is not None:
        return _from_fd(args)
    if not sys.stdin.isatty():
        raise UserError(
            "your data is locked: run this in a terminal to type the passphrase, or give it "
            "with --passphrase-fd N"
        )
    import getpass

    try:
        return getpass.getpass(prompt)
    except EOFError:
        raise UserError("no passphrase was given; nothing was changed") from None


def ask_new_passphrase(args: argparse.Namespace, prompt: str = "New passphrase: ") -> str:
    """A new passphrase: typed twice at a prompt (once through `--passphrase-fd`). One too short
    is told at once and asked again (three tries), before anything else is asked or done."""
    from kapprep.errors import KapprepError
    from kapprep.store.keyfile import check_new_passphrase

    if getattr(args, "passphrase_fd", None) is not None:
        given = _from_fd(args)
        check_new_passphrase(given)
        return given
    for _ in range(3):
        first = ask_secret(args, prompt)
        try:
            check_new_passphrase(first)
        except KapprepError as exc:
            print(f"kapprep: {exc}", file=sys.stderr)
            continue
        second = ask_secret(args, "The same passphrase again: ")
        if first != second:
            raise UserError("the two passphrases were not the same; nothing was changed")
        return first
    raise UserError("no passphrase was chosen; nothing was changed")


def open_unlocking(args: argparse.Namespace, folder: Path, *, daily_backup: bool = True) -> Store:
    """Open the store; a locked one asks for its passphrase first (one try: a wrong passphrase
    is one line on standard error, and nothing was moved or changed)."""
    from kapprep.store import Store
    from kapprep.store.base import Locked

    try:
        return Store.open(folder, daily_backup=daily_backup)
    except Locked:
        pass
    from kapprep.store.keyfile import open_with_passphrase  # locked only: hmac, scrypt

    passphrase = ask_secret(args, f"Passphrase for your kapprep data ({folder}): ")
    key = open_with_passphrase(folder, passphrase)
    store = Store.open(folder, daily_backup=daily_backup, key=key)
    from kapprep.crisis_outside import save_outside

    save_outside(store)  # what the crisis panel shows before the next passphrase
    return store
