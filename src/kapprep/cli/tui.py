"""Start the Textual app. The only command-line path that imports Textual."""

from __future__ import annotations

import argparse


def run_tui(args: argparse.Namespace) -> int:
    """The app for `--data-dir` and the extra `--checklists` folders; a data folder that cannot
    be used is a `StoreError` (a `KapprepError`), told by the command line in one line."""
    from kapprep import paths
    from kapprep.ui.app import build_app

    app = build_app(
        data_dir=paths.data_dir(args.data_dir),
        checklist_dirs=paths.checklist_layers([str(p) for p in args.checklists]),
    )
    try:
        app.run()
    finally:
        app.ctx.store.close()
    return app.return_code or 0
