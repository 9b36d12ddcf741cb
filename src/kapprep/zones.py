"""Time zones by name: the session's own (IANA names such as Europe/Oslo) and this computer's."""

from __future__ import annotations

from datetime import datetime, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

__all__ = ["local_zone", "zone"]


def zone(name: str) -> ZoneInfo:
    """A time zone by IANA name ("Europe/Oslo"); a clear `ValueError` when there is none."""
    try:
        if not name or name.startswith(("/", ".")) or ".." in name:
            raise ZoneInfoNotFoundError(name)
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(
            f'"{name}" is not a time zone we know; use a name like Europe/London or America/New_York'
        ) from None


def local_zone() -> tzinfo:
    """The machine's zone: a `ZoneInfo` when it can be named (from TZ or /etc/localtime)."""
    import os

    name = os.environ.get("TZ", "").lstrip(":")
    if name:
        try:
            return zone(name)
        except ValueError:
            pass
    try:
        link = os.path.realpath("/etc/localtime")
        if "zoneinfo/" in link:
            return zone(link.split("zoneinfo/", 1)[1])
    except (OSError, ValueError):
        pass
    tz = datetime.now().astimezone().tzinfo
    assert tz is not None
    return tz
