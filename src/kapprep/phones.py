"""A quick, dependency-free check of a typed phone number (the clinic's, the emergency number).

The support plan checks numbers fully with `phonenumbers`; this is the light check used where a
number is typed quickly (first run, session form, `kapprep session add --phone`), so that letters
or stray text never end up as the number shown in the crisis panel.
"""

from __future__ import annotations

import re

PHONE_RE = re.compile(r"^[0-9+()\-.\s/#*]{2,40}$")


def phone_problem(text: str) -> str | None:
    """Why `text` cannot be a phone number, or None when it can (or is empty)."""
    text = text.strip()
    if not text:
        return None
    if not PHONE_RE.match(text) or not any(c in "0123456789" for c in text):
        return "Use digits, spaces, + and dashes only, like +44 20 7946 0000."
    return None
