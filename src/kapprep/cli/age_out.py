"""`--encrypt` and `--recipient` for the exports (`kapprep export`, `kapprep journal export`), and
reading an encrypted export back (`kapprep import`): the age format (`kapprep.agefile`).

The passphrases are asked in order: the locked store's first (it is opened first), then the
export's (twice at a prompt; once through `--passphrase-fd`). On import the export's comes first.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from kapprep.cli.common import UserError


def add_options(parser: Any) -> None:
    parser.add_argument(
        "--encrypt",
        action="store_true",
        help="encrypt it with a passphrase (age format: `age -d` opens it, and kapprep import)",
    )
    parser.add_argument(
        "--recipient",
        metavar="AGE1…",
        action="append",
        default=[],
        help="encrypt it for this age recipient instead (repeat for more; implies --encrypt)",
    )


def wanted(args: argparse.Namespace) -> bool:
    return bool(getattr(args, "encrypt", False) or getattr(args, "recipient", None))


def plain_name(output: str | None) -> str | None:
    """The file name without its `.age` ending (for choosing the format by the name)."""
    if output and output.lower().endswith(".age"):
        return output[:-4]
    return output


def encrypt(args: argparse.Namespace, data: bytes) -> bytes:
    """`data` encrypted as asked; armored (text) when it goes to the screen."""
    from kapprep.agefile import encrypt as age_encrypt
    from kapprep.cli.secret import ask_new_passphrase

    armored = not args.output or args.output == "-"
    if args.recipient:
        return age_encrypt(data, recipients=args.recipient, armored=armored)
    passphrase = ask_new_passphrase(args, "Passphrase for the export: ")
    return age_encrypt(data, passphrase=passphrase, armored=armored)


def warn_if_plain(args: argparse.Namespace, store: Any) -> None:
    """A plain export of locked data: said once, on standard error."""
    from kapprep.store.cipher import key_for

    if not wanted(args) and key_for(store.folder) is not None:
        print(
            "kapprep: your data is locked, but this export is not encrypted; add --encrypt "
            "(or --recipient age1…) to keep it locked",
            file=sys.stderr,
        )


def read_back(args: argparse.Namespace, data: bytes, path: Path) -> bytes:
    """An export as written: decrypted first when it is an age file (passphrase or --identity)."""
    from kapprep.agefile import decrypt, identities, is_age, needs_passphrase
    from kapprep.cli.secret import ask_secret

    if not is_age(data):
        return data
    if needs_passphrase(data):
        return decrypt(data, passphrase=ask_secret(args, f"Passphrase of {path.name}: "))
    given = getattr(args, "identity", None)
    if not given:
        raise UserError(
            f"{path} is encrypted for an age recipient; give its identity file with --identity FILE"
        )
    from kapprep.files import read_regular

    try:
        text = read_regular(Path(given).expanduser(), 64 * 1024).decode("utf-8", "replace")
    except OSError as exc:
        raise UserError(f"could not read {given}: {exc.strerror or 'error'}") from None
    return decrypt(data, keys=identities(text))
