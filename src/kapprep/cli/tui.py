"""Start the Textual app. The only command-line path that imports Textual."""

from __future__ import annotations

import argparse


def run_tui(args: argparse.Namespace) -> int:
    from kapprep.ui.app import run

    return run(data_dir=args.data_dir, checklist_dirs=args.checklists)
