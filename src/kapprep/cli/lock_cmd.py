"""`kapprep lock` (and `lock --off`), `kapprep passphrase` and `kapprep recover`: the lock for a
shared computer (`kapprep.store.locking`). Passphrases come from a prompt or `--passphrase-fd`
(`kapprep.cli.secret`), never from an argument. No Textual here.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from kapprep.cli.common import confirm

if TYPE_CHECKING:
    from kapprep.store.locking import Leftovers

WARNING = (
    "The lock encrypts your kapprep data with a passphrase. If you forget the passphrase and lose "
    "the recovery code, nobody can read your data again: not you, not kapprep's makers."
)


def register(sub: Any) -> None:
    lock = sub.add_parser(
        "lock", help="encrypt your data with a passphrase (for a shared computer); --off undoes it"
    )
    lock.add_argument("--off", action="store_true", help="turn the lock off (asks the passphrase)")
    lock.add_argument(
        "--copies",
        choices=("encrypt", "remove", "keep"),
        help="what to do with plain copies of your data kapprep kept before (backups): encrypt "
        "them with the lock (the default without a terminal), remove them, or keep them as they are",
    )
    lock.add_argument(
        "--files",
        choices=("remove", "keep"),
        help="what to do with other plain files kapprep left (saved exports and briefings, files "
        "set aside): remove them, or keep them as they are (the default without a terminal)",
    )
    lock.add_argument("--yes", action="store_true", help="do not ask first (for scripts)")
    lock.set_defaults(func=cmd_lock)

    change = sub.add_parser("passphrase", help="change the passphrase of your locked data")
    change.set_defaults(func=cmd_passphrase)

    recover = sub.add_parser(
        "recover", help="open your locked data with the recovery code and choose a new passphrase"
    )
    recover.set_defaults(func=cmd_recover)


def _say(text: str) -> None:
    """A paragraph, wrapped at words for a terminal (not mid-word at its edge); paths kept whole."""
    if sys.stdout.isatty():
        import shutil
        import textwrap

        width = min(shutil.get_terminal_size().columns, 100) - 1
        text = textwrap.fill(text, width, break_long_words=False, break_on_hyphens=False)
    print(text)


def _folder(args: argparse.Namespace) -> Any:
    from kapprep import paths

    return paths.data_dir(args.data_dir)


def _choose(question: str, options: tuple[str, ...], default: str) -> str:
    keys = "/".join(o[0] for o in options)
    while True:
        try:
            answer = input(f"{question} [{keys}] ").strip().lower()
        except EOFError:
            return default
        for option in options:
            if answer in (option, option[0]):
                return option
        print(f"Please type one of: {', '.join(options)}.")


def _leftover_choices(args: argparse.Namespace, leftovers: Leftovers) -> tuple[str, str]:
    copies = args.copies or "encrypt"
    files = args.files or "keep"
    asking = sys.stdin.isatty() and not args.yes
    if leftovers.copies and args.copies is None and asking:
        print("These copies of your data (backups) are not encrypted:")
        for path in leftovers.copies:
            print(f"  {path}")
        copies = _choose(
            "Encrypt them with the lock, remove them, or keep them as they are?",
            ("encrypt", "remove", "keep"),
            "encrypt",
        )
    if leftovers.files and args.files is None and asking:
        print("These files kapprep left hold your data and are not encrypted:")
        for path in leftovers.files:
            print(f"  {path}")
        files = _choose("Remove them, or keep them as they are?", ("remove", "keep"), "keep")
    return copies, files


def cmd_lock(args: argparse.Namespace) -> int:
    if args.off:
        return _lock_off(args)
    from kapprep.cli.secret import ask_new_passphrase
    from kapprep.crisis_outside import save_outside
    from kapprep.store import Store
    from kapprep.store.cipher import is_locked
    from kapprep.store.locking import lock, plain_leftovers

    folder = _folder(args)
    if is_locked(folder):
        return _lock_again(args, folder)
    with Store.open(folder) as store:  # checked, migrated and backed up as at any opening
        for notice in store.notices:
            print(f"kapprep: {notice}", file=sys.stderr)
        save_outside(store)
    _say(WARNING)
    if not confirm("Lock your data now?", args.yes):
        print("Nothing was changed.")
        return 0
    passphrase = ask_new_passphrase(args)
    copies, files = _leftover_choices(args, plain_leftovers(folder))
    done = lock(folder, passphrase, copies, files)  # type: ignore[arg-type]
    _say(f"Your data in {folder} is locked: kapprep asks for the passphrase when it opens it.")
    print()
    _say(
        "Your recovery code (shown only this once; write it down and keep it apart from this "
        "computer). With it, kapprep recover opens your data if you forget the passphrase:"
    )
    print()
    print(f"    {done.recovery_code}")
    print()
    _done(done.encrypted, done.removed, done.kept)
    _say(
        "Kept outside the lock, so the crisis panel works before the passphrase: your country, "
        "your emergency number and your clinic's phone number."
    )
    return 0


def _lock_again(args: argparse.Namespace, folder: Any) -> int:
    """`kapprep lock` on locked data: the plain files found since are listed and settled (the
    app's saves are plain; a stopped --off leaves a plain copy)."""
    from kapprep.cli.secret import ask_secret
    from kapprep.store.locking import plain_leftovers, settle_locked

    leftovers = plain_leftovers(folder)
    if not leftovers:
        _say(
            f"Your data in {folder} is locked already, and kapprep found no plain files it left "
            "there. Change the passphrase with: kapprep passphrase"
        )
        return 0
    _say(f"Your data in {folder} is locked already, but these files are not encrypted.")
    copies, files = _leftover_choices(args, leftovers)
    passphrase = ask_secret(args, "Passphrase: ")
    _done(*settle_locked(folder, passphrase, copies, files))  # type: ignore[arg-type]
    return 0


def _done(encrypted: list[Any], removed: list[Any], kept: list[Any]) -> None:
    for what, paths in (
        ("Encrypted", encrypted),
        ("Removed", removed),
        ("Kept as they were (not encrypted)", kept),
    ):
        if paths:
            print(f"{what}: {', '.join(str(p) for p in paths)}")


def _lock_off(args: argparse.Namespace) -> int:
    from kapprep.cli.secret import ask_secret
    from kapprep.crisis_outside import remove_outside
    from kapprep.store.locking import unlock

    folder = _folder(args)
    if not confirm(
        "Turn the lock off? Your data will be readable by anyone who can open your files.",
        args.yes,
    ):
        print("Nothing was changed.")
        return 0
    passphrase = ask_secret(args, "Passphrase: ")
    decrypted = unlock(folder, passphrase)
    remove_outside(folder)
    _say(f"The lock is off: your data in {folder} is no longer encrypted.")
    if decrypted:
        print(f"Backups decrypted with it: {len(decrypted)}.")
    return 0


def cmd_passphrase(args: argparse.Namespace) -> int:
    from kapprep.cli.secret import ask_new_passphrase, ask_secret
    from kapprep.store.locking import change_passphrase

    folder = _folder(args)
    old = ask_secret(args, "Current passphrase: ")
    new = ask_new_passphrase(args)
    change_passphrase(folder, old, new)
    print("Your passphrase was changed. Your recovery code is the same as before.")
    return 0


def cmd_recover(args: argparse.Namespace) -> int:
    from kapprep.cli.secret import ask_new_passphrase, ask_secret
    from kapprep.store.locking import recover

    folder = _folder(args)
    code = ask_secret(args, "Recovery code: ")
    new = ask_new_passphrase(args)
    fresh = recover(folder, code, new)
    print("Your data is open again with the new passphrase.")
    print("The old recovery code no longer works. Your new one (shown only this once):")
    print()
    print(f"    {fresh}")
    print()
    return 0
