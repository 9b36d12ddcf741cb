"""Start the Textual app. The only command-line path that imports Textual."""

from __future__ import annotations

import argparse


def run_tui(args: argparse.Namespace) -> int:
    """The app for `--data-dir` and the extra `--checklists` folders; a data folder that cannot
    be used is a `StoreError` (a `KapprepError`), told by the command line in one line."""
    from kapprep import paths
    from kapprep.store.cipher import is_locked
    from kapprep.ui.app import build_app

    folder = paths.data_dir(args.data_dir)
    key = None
    if folder.is_dir() and is_locked(folder):  # the passphrase before anything private
        if getattr(args, "passphrase_fd", None) is not None:
            from kapprep.cli.secret import ask_secret
            from kapprep.store.keyfile import open_with_passphrase

            key = open_with_passphrase(folder, ask_secret(args, ""))
        else:
            from kapprep.ui.unlock import UnlockApp

            key = UnlockApp(folder).run()
            if key is None:
                return 0
    app = build_app(
        data_dir=folder,
        checklist_dirs=paths.checklist_layers([str(p) for p in args.checklists]),
        key=key,
    )
    try:
        app.run()
    finally:
        app.ctx.store.close()
    return app.return_code or 0
