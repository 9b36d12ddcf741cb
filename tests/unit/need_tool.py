"""Outside tools some tests read their output with (tidy, zbarimg, pdftoppm).

On a developer's machine a missing tool skips the test and says how to get it; with CI=true
(where .ci/run installs them) a missing tool FAILS the test, so a proof is never skipped quietly.
"""

from __future__ import annotations

import os
import shutil

import pytest


def need_tool(command: str, package: str) -> str:
    path = shutil.which(command)
    if path:
        return path
    message = f"{command} is not installed (Debian package {package}): this test needs it"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message)
    pytest.skip(message)
