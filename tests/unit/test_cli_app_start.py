"""Starting the app skips registering the sub-commands (a fifth of its first frame)."""

from __future__ import annotations

import pytest

from kapprep.cli import _starts_app, build_parser


@pytest.mark.parametrize(
    ("argv", "app"),
    [
        ([], True),
        (["--data-dir", "x"], True),
        (["--data-dir=x", "--checklists", "y"], True),
        (["session", "list"], False),
        (["--data-dir", "x", "next"], False),
        (["-h"], False),
        (["--data-dir"], False),  # the full parser says what is missing
        (["--plain"], True),
        (["--plain", "--data-dir", "x"], True),
    ],
)
def test_only_the_apps_own_options_start_it(argv: list[str], app: bool) -> None:
    assert _starts_app(argv) is app


def test_the_short_parser_reads_the_apps_options() -> None:
    args = build_parser(groups=False).parse_args(["--data-dir", "d", "--checklists", "c"])
    assert (args.command, args.data_dir, args.checklists) == (None, "d", ["c"])
