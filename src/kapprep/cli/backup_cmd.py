"""`kapprep backups` and `kapprep restore [WHICH]`: the copies to come back to.

kapprep keeps the last seven copies of your data in the data folder's `backups/` (one a day, and
one before every import, plan import, restore and update of the data's format; see
`kapprep.store.backups`). `restore` shows what would change and asks, like `import`; `--yes` is
for scripts, and without a terminal and without `--yes` nothing changes. No Textual here.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from kapprep.cli.common import UserError

if TYPE_CHECKING:
    from kapprep.store.backups import Backup


def register(sub: Any) -> None:
    lister = sub.add_parser("backups", help="list the copies of your data kapprep keeps")
    lister.set_defaults(func=cmd_backups)

    restore = sub.add_parser(
        "restore", help="bring back a copy of your data (shows what changes, asks first)"
    )
    restore.add_argument(
        "which",
        metavar="WHICH",
        nargs="?",
        default="1",
        help="the copy's number in `kapprep backups` (default 1, the latest) or its file name",
    )
    restore.add_argument("--yes", action="store_true", help="do not ask first (for scripts)")
    restore.set_defaults(func=cmd_restore)


def cmd_backups(args: argparse.Namespace) -> int:
    from kapprep import paths
    from kapprep.store.backups import backups_dir, describe, list_backups

    folder = paths.data_dir(args.data_dir)
    found = list_backups(folder)
    if not found:
        print(
            "No backups yet: kapprep keeps one a day once you have data, and one before every "
            "import or restore."
        )
        return 0
    print(f"Copies of your data in {backups_dir(folder)} (newest first):")
    for i, backup in enumerate(found, 1):
        print(f"{i:>3}  {describe(backup)}  {backup.path.name}")
    print("Bring one back with: kapprep restore N (it shows what changes and asks first)")
    return 0


def _choose(found: list[Backup], which: str) -> Backup:
    if not found:
        raise UserError("there are no backups to restore yet (see: kapprep backups)")
    if which.isascii() and which.isdigit():
        number = int(which)
        if 1 <= number <= len(found):
            return found[number - 1]
        raise UserError(
            f"there is no backup {which}; there are {len(found)} (see: kapprep backups)"
        )
    for backup in found:
        if which in (backup.path.name, str(backup.path)):
            return backup
    raise UserError(f"there is no backup called {which[:60]!r} (see: kapprep backups)")


def cmd_restore(args: argparse.Namespace) -> int:
    from kapprep.cli.data_cmd import confirm_replace
    from kapprep.cli.sessions import open_store
    from kapprep.store.backups import backup_doc, describe, list_backups, restore

    # No daily copy on this opening: the numbers must stay those `kapprep backups` showed.
    with open_store(args, daily_backup=False) as store:
        backup = _choose(list_backups(store.folder), args.which)
        intro = f"Restoring the copy from {describe(backup)} replaces all your data:"
        question = "Replace all your data with this copy?"
        if not confirm_replace(store, backup_doc(backup), intro, question, args.yes):
            return 0
        restore(store, backup)
    print(
        f"Restored the copy from {describe(backup)}. Your data as it was just before is the "
        "newest backup now (kapprep backups)."
    )
    sys.stdout.flush()
    return 0
