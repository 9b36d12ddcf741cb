"""Time zones by name: the session's own (IANA names such as Europe/Oslo) and this computer's."""

from __future__ import annotations

import functools
from datetime import UTC, datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from kapprep.errors import KapprepError

__all__ = ["ZoneError", "local_zone", "place_name", "read_zone", "zone", "zone_label"]


class ZoneError(KapprepError, ValueError):
    """Text that names no time zone, or several: the message says what to type instead."""

    def __init__(self, message: str, choices: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.choices = choices
        """The zones it could mean, when it is ambiguous ("IST": India, Ireland, Israel)."""


_ABBREVIATIONS: dict[str, tuple[str, ...]] = {
    # Only what people type; one zone where one is meant, and every common meaning otherwise.
    "UTC": ("UTC",),
    "Z": ("UTC",),
    "GMT": ("Europe/London", "UTC"),
    "BST": ("Europe/London", "Asia/Dhaka"),
    "IST": ("Asia/Kolkata", "Europe/Dublin", "Asia/Jerusalem"),
    "CET": ("Europe/Paris", "Europe/Berlin"),
    "CEST": ("Europe/Paris", "Europe/Berlin"),
    "EST": ("America/New_York", "America/Toronto"),
    "EDT": ("America/New_York", "America/Toronto"),
    "ET": ("America/New_York",),
    "CST": ("America/Chicago", "Asia/Shanghai", "America/Havana"),
    "CDT": ("America/Chicago", "America/Havana"),
    "CT": ("America/Chicago",),
    "MST": ("America/Denver", "America/Phoenix"),
    "MDT": ("America/Denver",),
    "MT": ("America/Denver",),
    "PST": ("America/Los_Angeles", "Asia/Manila"),
    "PDT": ("America/Los_Angeles",),
    "PT": ("America/Los_Angeles",),
    "AEST": ("Australia/Sydney", "Australia/Brisbane"),
    "AEDT": ("Australia/Sydney",),
}
_NOT_PLACES = (
    "Etc/",
    "SystemV/",
    "US/",
    "Canada/",
    "Brazil/",
    "Mexico/",
    "Chile/",
    "posix",
    "right",
)
EXAMPLES = 'a city or a zone name, like "London", "Los Angeles" or "Europe/Oslo"'


def zone(name: str) -> ZoneInfo:
    """A time zone by IANA name ("Europe/Oslo"); a clear `ValueError` when there is none."""
    try:
        if not name or name.startswith(("/", ".")) or ".." in name:
            raise ZoneInfoNotFoundError(name)
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # "US" is a folder of zones: OSError
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


def _same_rules(names: list[str]) -> bool:
    """Whether the zones give the same offsets through a year (aliases such as Asia/Istanbul
    and Europe/Istanbul do)."""
    start = datetime(2026, 1, 1, tzinfo=UTC)
    moments = [start + timedelta(days=d) for d in range(0, 366, 15)]
    first = [m.astimezone(ZoneInfo(names[0])).utcoffset() for m in moments]
    return all([m.astimezone(ZoneInfo(n)).utcoffset() for m in moments] == first for n in names)


@functools.cache
def _by_place() -> dict[str, tuple[str, ...]]:
    out: dict[str, list[str]] = {}
    for name in available_timezones():
        if "/" in name and not name.startswith(_NOT_PLACES):
            out.setdefault(_key(name.rsplit("/", 1)[1]), []).append(name)
    return {k: tuple(sorted(v)) for k, v in out.items()}


def _key(text: str) -> str:
    return " ".join(text.replace("_", " ").replace("-", " ").split()).casefold()


def read_zone(text: str) -> ZoneInfo:
    """The zone a person typed: an IANA name ("Europe/London", any case), a city ("London",
    "los angeles") or an abbreviation that means one zone ("PDT"). Raises `ZoneError` for one
    it does not know, and for one that means several ("IST"), naming them (`choices`)."""
    typed = " ".join(text.split())
    if not typed:
        raise ZoneError(f"Type the time zone: {EXAMPLES}.")
    meant = _ABBREVIATIONS.get(typed.upper())
    if meant is not None:
        if len(meant) == 1:
            return ZoneInfo(meant[0])
        raise ZoneError(
            f'"{typed}" can mean {_or(meant)}: type the time zone you mean.', choices=tuple(meant)
        )
    exact = {n.casefold(): n for n in available_timezones()}.get(typed.replace(" ", "_").casefold())
    if exact is not None and not exact.startswith(("posix", "right")):
        return ZoneInfo(exact)
    places = list(_by_place().get(_key(typed), ()))
    if len(places) > 1 and _same_rules(places):
        places = places[:1]
    if len(places) == 1:
        return ZoneInfo(places[0])
    if places:
        raise ZoneError(
            f'"{typed[:40]}" can mean {_or(places)}: type the time zone you mean.',
            choices=tuple(places),
        )
    raise ZoneError(f'"{typed[:40]}" is not a time zone kapprep knows; type {EXAMPLES}.')


def _or(names: tuple[str, ...] | list[str]) -> str:
    return ", ".join(names[:-1]) + f" or {names[-1]}" if len(names) > 1 else names[0]


def place_name(zone_info: tzinfo) -> str:
    """How a zone is named beside a time: "Los Angeles" for America/Los_Angeles, "UTC"."""
    key = getattr(zone_info, "key", None) or str(zone_info)
    return key.rsplit("/", 1)[-1].replace("_", " ")


def zone_label(moment: datetime, computer: tzinfo) -> str:
    """ "" when `moment` (aware, in its session's zone) shows the same clock time on this
    computer; else the session zone's name, for "09:30 Los Angeles time"."""
    if moment.utcoffset() == moment.astimezone(computer).utcoffset():
        return ""
    return f"{place_name(moment.tzinfo)} time" if moment.tzinfo is not None else ""
