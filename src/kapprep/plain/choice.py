"""Whether `kapprep` runs in plain mode, decided before Textual could be imported.

The reasons, in the order they are looked at: `--plain`, the `ACCESSIBLE` variable (any
non-empty value, the convention of GitHub's CLI and charmbracelet/huh), `TERM=dumb`, input or
output that is not a terminal, and the patient's own setting. The setting is a small file in the
config folder (`plain.conf`), not in the database: it has to be read before any data folder is
opened, and it belongs to this computer's terminal, not to the data an export carries.
Nothing here imports more than `os` and `kapprep.paths`.
"""

from __future__ import annotations

import os

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping
    from pathlib import Path
    from typing import TextIO

FILE_NAME = "plain.conf"
KEYS = ("always", "bell")
"""always: start kapprep in plain mode; bell: the terminal bell at each breath (in and out)."""
_YES = ("yes", "on", "true", "1")


def config_file() -> Path:
    from kapprep import paths

    return paths.config_dir() / FILE_NAME


def read_config(path: Path | None = None) -> dict[str, bool]:
    """The plain-mode settings; a missing or unreadable file, or a line kapprep does not know,
    reads as "no"."""
    values = dict.fromkeys(KEYS, False)
    try:
        text = (path or config_file()).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return values
    for line in text.splitlines():
        key, sep, value = line.partition("=")
        key = key.strip().lower()
        if sep and key in values:
            values[key] = value.strip().lower() in _YES
    return values


def write_config(key: str, on: bool, path: Path | None = None) -> Path:
    """Save one plain-mode setting (the file is the patient's only: 0600 in a 0700 folder)."""
    from kapprep.files import write_private

    if key not in KEYS:
        raise ValueError(key)
    target = path or config_file()
    values = read_config(target) | {key: on}
    target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    text = "# kapprep plain mode (screen readers): yes or no\n" + "".join(
        f"{k} = {'yes' if v else 'no'}\n" for k, v in values.items()
    )
    write_private(target, text.encode("utf-8"), replace=True)
    return target


def _isatty(stream: object) -> bool:
    try:
        return bool(stream.isatty())  # type: ignore[attr-defined]
    except (AttributeError, ValueError, OSError):
        return False


def reason(
    flag: bool,
    environ: Mapping[str, str] | None = None,
    stdin: TextIO | None = None,
    stdout: TextIO | None = None,
) -> str | None:
    """Why plain mode is on (a few words to say so), or None for the full-screen app."""
    import sys

    env = os.environ if environ is None else environ
    if flag:
        return "you asked for it (--plain)"
    if env.get("ACCESSIBLE", ""):
        return "ACCESSIBLE is set"
    if env.get("TERM", "") == "dumb":
        return "TERM is dumb"
    if not _isatty(sys.stdin if stdin is None else stdin):
        return "the input is not a terminal"
    if not _isatty(sys.stdout if stdout is None else stdout):
        return "the output is not a terminal"
    if read_config()["always"]:
        return f"your setting ({config_file()})"
    return None
