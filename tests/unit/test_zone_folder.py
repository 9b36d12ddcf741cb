"""A typed zone that names a folder of zones ("US", holding US/Eastern …) is a clear error."""

from __future__ import annotations

import pytest

from kapprep.zones import zone


@pytest.mark.parametrize("name", ["US", "America", "Europe"])
def test_a_folder_of_zones_is_one_clear_error_not_a_crash(name: str) -> None:
    # ZoneInfo("US") raised IsADirectoryError, and `kapprep session add … --tz US` crashed.
    with pytest.raises(ValueError, match="not a time zone"):
        zone(name)
