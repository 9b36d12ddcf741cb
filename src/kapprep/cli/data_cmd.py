"""`kapprep where|export|import|delete`: all of the patient's data, where it is, out, in and gone.

Every command opens the store, does one short transaction and closes it, so it is safe to run while
the app is open in another window. No Textual here (a test proves it).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kapprep import paths
from kapprep.cli.age_out import add_options as add_encrypt_options
from kapprep.cli.common import UserError
from kapprep.cli.common import confirm as _confirm
from kapprep.cli.sessions import open_store, write_private_text

if TYPE_CHECKING:
    from kapprep.store import Store

Command = Callable[[argparse.Namespace], int]


# --------------------------------------------------------------------------------------------
# where, export, import, delete


def register(sub: Any) -> None:
    where = sub.add_parser("where", help="print the folder your data is kept in")
    where.set_defaults(func=cmd_where)

    export = sub.add_parser("export", help="write all your data as JSON (to the screen or a file)")
    export.add_argument(
        "-o", "--output", metavar="FILE", help="write to FILE (only you can read it)"
    )
    export.add_argument("--force", action="store_true", help="replace FILE if it exists")
    add_encrypt_options(export)
    export.set_defaults(func=cmd_export)

    imp = sub.add_parser("import", help="replace your data with an export file (asks first)")
    imp.add_argument("file", metavar="FILE", help="a file made by kapprep export")
    imp.add_argument(
        "--identity", metavar="FILE", help="the age identity file, for an export encrypted for it"
    )
    imp.add_argument("--yes", action="store_true", help="do not ask first (for scripts)")
    imp.set_defaults(func=cmd_import)

    delete = sub.add_parser("delete", help="delete all your kapprep data (asks first)")
    delete.add_argument("--yes", action="store_true", help="do not ask first (for scripts)")
    delete.set_defaults(func=cmd_delete)


def cmd_where(args: argparse.Namespace) -> int:
    print(paths.data_dir(args.data_dir))
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from kapprep.cli.age_out import encrypt, wanted, warn_if_plain
    from kapprep.store import DamageFound
    from kapprep.store.transfer import dumps

    code = 0
    with open_store(args) as store:
        try:
            text = dumps(store.export_data())
        except DamageFound as exc:
            if exc.readable is None:
                raise
            print(f"kapprep: {exc}", file=sys.stderr)
            text, code = dumps(exc.readable), 1
        if store.set_aside and store.set_aside[0].readable is not None and not code:
            # Set aside while opening: the fresh database is empty, the old file is what counts.
            text, code = dumps(store.set_aside[0].readable), 1
        warn_if_plain(args, store)
        data = encrypt(args, text.encode("utf-8")) if wanted(args) else text.encode("utf-8")
    if code:
        print(
            "kapprep: this export holds what could still be read from the damaged file.",
            file=sys.stderr,
        )
    if args.output and args.output != "-":
        out = Path(args.output).expanduser()
        from kapprep.files import write_private

        try:
            write_private(out, data, replace=args.force)
        except OSError as exc:
            raise UserError(str(exc)) from None
        how = "encrypted" if wanted(args) else "only you can read it"
        print(f"Exported all your data to {out} ({how}).", file=sys.stderr)
    else:
        sys.stdout.write(data.decode("utf-8"))
        sys.stdout.flush()
    return code


def cmd_import(args: argparse.Namespace) -> int:
    from kapprep.store.backups import take_backup
    from kapprep.store.transfer import MAX_IMPORT_BYTES, parse_export

    path = Path(args.file).expanduser()
    from kapprep.files import NotAFileError, read_regular

    try:
        data = read_regular(path, MAX_IMPORT_BYTES + 1)
    except NotAFileError:
        raise UserError(f"{path} is not a file (a pipe or a device); give an export file") from None
    except OSError as exc:
        raise UserError(f"could not read {path}: {exc.strerror or 'error'}") from None
    from kapprep.cli.age_out import read_back

    data = read_back(args, data, path)
    doc = parse_export(data, str(path))
    with open_store(args) as store:
        intro = f"{path} is a valid kapprep export. Importing it replaces all your data:"
        if not confirm_replace(
            store, doc, intro, "Replace all your data with this file?", args.yes
        ):
            return 0
        backup = take_backup(store, "before-import")
        store.import_data(doc)
    print(
        f"Imported. Your data before the import was kept in {backup} "
        "(kapprep backups lists the copies; kapprep restore brings one back)."
    )
    return 0


def confirm_replace(store: Store, doc: Any, intro: str, question: str, yes: bool) -> bool:
    """Show what replacing all the data with `doc` changes, then ask (`confirm`); False, having
    said "Nothing was changed.", when the answer is no."""
    from kapprep.store.transfer import summary_lines

    summary = store.import_data(doc, dry_run=True)
    print(intro)
    for line in summary_lines(summary) or ["(both are empty)"]:
        print(f"  {line}")
    if not _confirm(question, yes):
        print("Nothing was changed.")
        return False
    return True


def _offer_export(args: argparse.Namespace, folder: Path) -> None:
    """Before deleting, in a terminal: offer to save an export of everything first."""
    from kapprep.store import Store
    from kapprep.store.cipher import is_locked
    from kapprep.store.transfer import dumps

    if args.yes or not sys.stdin.isatty() or not (folder / "kapprep.db").exists():
        return
    if is_locked(folder):  # an export would need the passphrase: `kapprep export` first
        return
    try:
        name = input(
            "Before deleting, you can keep an export of all your data (a JSON file only you "
            "can read; kapprep import brings it back). Type a file name for it, or press "
            "Enter to go on without one: "
        ).strip()
    except EOFError:
        name = ""
    if not name:
        return
    with Store.open(folder, daily_backup=False) as store:
        text = dumps(store.export_data())
    out = Path(name).expanduser()
    write_private_text(out, text)
    print(f"Exported all your data to {out} (only you can read it).")


def cmd_delete(args: argparse.Namespace) -> int:
    from kapprep.store.erase import erase

    folder = paths.data_dir(args.data_dir)
    question = (
        f"This deletes all your kapprep data in {folder}: sessions, ticks, notes, plan, "
        "journal, practice log, settings, backups, briefings, exports, crash reports and any "
        "damaged file set aside. It cannot be undone."
    )
    if not args.yes and not sys.stdin.isatty():
        _confirm(question, args.yes)  # refuses, saying why
    _offer_export(args, folder)
    if not _confirm(question, args.yes, typed="delete"):
        print("Nothing was deleted.")
        return 0
    removed = erase(folder)
    if removed:
        print(f"Deleted from {folder}: {'; '.join(removed)}. No copy was kept.")
    else:
        print(f"There was no kapprep data in {folder}; nothing to delete.")
    return 0
