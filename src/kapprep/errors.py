"""The one family of errors a user can fix, and the place a mistake in a file is reported at.

`KapprepError` is the base of every error whose message is written for the patient (or the
clinician writing a checklist): a date that cannot be read, a phone number with a letter in it, a
file with mistakes, a data folder that cannot be used. The command line catches it once, prints
its message as one calm line and exits 1; the app catches it inside the handler that raised it
(`kapprep.ui.common.calmly`) and shows it, keeping what was typed. Anything else is a bug in
kapprep and goes to the crash report, which never holds the patient's words.

Subclasses keep the built-in base they always had (`ValueError`, `OSError`) beside this one, so a
caller that caught the narrow kind still does.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["KapprepError", "Problem", "ProblemsError"]


class KapprepError(Exception):
    """A mistake the user can fix, or a plain fact they must be told; the message is for them."""


@dataclass(frozen=True, slots=True)
class Problem:
    """One mistake in one file, at a 1-based line and column."""

    path: str
    line: int
    col: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}: {self.message}"


class ProblemsError(KapprepError):
    """Every problem found in a file (or a set of files), one `PATH:LINE:COL: message` a line."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))
