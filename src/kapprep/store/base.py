"""What every part of the store shares: its errors, the session and practice records, times as
stored, and how a SQLite error is told to the patient.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import Enum
from pathlib import Path
from typing import Any, Final, Literal
from zoneinfo import ZoneInfo

from kapprep.errors import KapprepError

DB_NAME: Final = "kapprep.db"
KEY_FILE: Final = DB_NAME + ".key"
"""The lock's key file (`store.keyfile`); here so an unlocked store's start need not import the
lock's code to see that there is none."""
_STAMP: Final = DB_NAME + ".checked"
"""Written at each clean close: the size, time and id the database had when last checked."""
BUSY_TIMEOUT_MS: Final = 5000
STATUSES: Final = ("planned", "done", "cancelled")
Status = Literal["planned", "done", "cancelled"]
PLACE_KINDS: Final = ("clinic", "home", "other")
"""Where a session is: at the clinic, at home (a sitter stays nearby), or somewhere else."""
PlaceKind = Literal["clinic", "home", "other"]
_HEADER: Final = b"SQLite format 3\x00"


class StoreError(KapprepError):
    """A problem with the data folder or database the user should hear about, in plain words.

    Messages never contain the user's content: at most a file path.
    """


class DamageFound(StoreError):
    """Damage met while reading: the file was set aside and a fresh database started.

    `readable` is what could still be read from it (an export document, maybe with tables cut
    short: `incomplete` names them), also saved beside the set-aside file.
    """

    def __init__(
        self, message: str, aside: Path, readable: dict[str, Any] | None, incomplete: list[str]
    ) -> None:
        super().__init__(message)
        self.aside = aside
        self.readable = readable
        self.incomplete = incomplete


class _Unset(Enum):
    UNSET = "UNSET"


UNSET: Final = _Unset.UNSET
"""Marks an argument of `update_*` that was not given (None means "clear it")."""


@dataclass(frozen=True, slots=True)
class Session:
    """One therapy session of the series."""

    id: int
    start: datetime
    """Aware, in the session's own zone (`ZoneInfo(tz)`)."""
    tz: str
    """IANA zone name, like Europe/Oslo."""
    place: str | None = None
    clinic: str | None = None
    phone: str | None = None
    status: Status = "planned"
    place_kind: PlaceKind | None = None
    """Where it is, as a kind: at the clinic, at home or other (None: not said)."""

    @property
    def at_home(self) -> bool:
        return self.place_kind == "home"


@dataclass(frozen=True, slots=True)
class Practice:
    """One grounding or breathing practice from the practice log."""

    id: int
    pattern: str
    started_at: datetime
    """Aware, UTC."""
    seconds: float
    finished: bool
    calm_before: int | None = None
    calm_after: int | None = None


# --------------------------------------------------------------------------------------------
# Helpers


def iso(dt: datetime) -> str:
    """An aware datetime as the stored text: UTC, to the second ("2026-12-03T09:00:00+00:00")."""
    if dt.tzinfo is None or dt.utcoffset() is None:
        raise ValueError("times given to the store must be timezone-aware")
    return dt.astimezone(UTC).isoformat(timespec="seconds")


def from_iso(text: str) -> datetime:
    dt = datetime.fromisoformat(text)
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt


def _now() -> datetime:
    from kapprep import clock

    return clock.now()


def _zone_name(start: datetime) -> str:
    tz = start.tzinfo
    if tz is UTC:
        return "UTC"
    if not isinstance(tz, ZoneInfo) or not tz.key:
        raise ValueError("a session start needs a named time zone (a zoneinfo.ZoneInfo)")
    return tz.key


def _make_private(path: Path) -> None:
    """Take away group and other permissions (never adds any: a 0400 file stays read-only)."""
    with contextlib.suppress(FileNotFoundError):
        current = path.stat().st_mode & 0o777
        if current & 0o077:
            os.chmod(path, current & 0o700)


def _explain(exc: sqlite3.Error, folder: Path) -> StoreError:
    """Turn an SQLite error about the disk or folder into a plain message (no user content)."""
    text = str(exc).lower()
    if "disk is full" in text or "database or disk is full" in text:
        msg = (
            "the disk is full, so this change was not saved. Everything saved before is safe; "
            "free some space and try again"
        )
    elif "readonly" in text or "read-only" in text:
        msg = (
            f"kapprep cannot write to its data folder {folder} (it is read-only). "
            "Everything saved before is safe"
        )
    elif "unable to open" in text:
        msg = (
            f"kapprep cannot open its data in {folder}: check that the folder exists and is "
            "yours to write to"
        )
    elif "locked" in text or "busy" in text:
        msg = "another kapprep window is busy saving; this change was not saved. Please try again"
    elif "disk i/o" in text:
        msg = f"the disk could not be read or written ({folder}). Everything saved before is safe"
    else:
        msg = f"the data in {folder} could not be used ({type(exc).__name__})"
    err = StoreError(msg)
    err.__cause__ = None
    return err


_ENV_ERRORS: Final = ("full", "readonly", "read-only", "unable to open", "locked", "busy", "i/o")
_DAMAGE_ERRORS: Final = ("malformed", "not a database", "corrupt")


def _is_environmental(exc: sqlite3.Error) -> bool:
    text = str(exc).lower()
    return isinstance(exc, sqlite3.OperationalError) and any(w in text for w in _ENV_ERRORS)


def is_damage(exc: BaseException) -> bool:
    """SQLite met a damaged page (not a full disk, a lock or a read-only folder)."""
    if not isinstance(exc, sqlite3.DatabaseError) or _is_environmental(exc):
        return False
    text = str(exc).lower()
    return any(w in text for w in _DAMAGE_ERRORS)


@dataclass(frozen=True, slots=True)
class SetAside:
    """A database file kapprep moved aside, and what could still be read from it."""

    path: Path
    readable: dict[str, Any] | None
    incomplete: list[str]


def table_names(conn: sqlite3.Connection) -> list[str]:
    """The user's tables, in creation order (SQLite's own and FTS shadow tables left out)."""
    rows = conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        " ORDER BY rowid"
    ).fetchall()
    return [r[0] for r in rows]


_SESSION_SQL: Final = (
    "SELECT id, start_utc, tz, place, clinic, phone, status, place_kind FROM sessions"
)


def _check_place_kind(kind: str | None) -> None:
    if kind is not None and kind not in PLACE_KINDS:
        raise ValueError(f"place_kind must be one of {', '.join(PLACE_KINDS)}")


def _session(row: sqlite3.Row) -> Session:
    tz = row[2]
    try:
        zone = ZoneInfo(tz)
    except (KeyError, ValueError, OSError):  # zone vanished from tzdata: show it in UTC
        zone = ZoneInfo("UTC")
    return Session(
        id=row[0],
        start=from_iso(row[1]).astimezone(zone),
        tz=tz,
        place=_shown(row[3]),
        clinic=_shown(row[4]),
        phone=_shown(row[5]),
        status=row[6],
        place_kind=row[7] if row[7] in PLACE_KINDS else None,
    )


def _one_line(text: str | None) -> str | None:
    """A session's clinic, place or phone as kept: one line, nothing a terminal acts on."""
    from kapprep.cleantext import clean

    return None if text is None else clean(text, one_line=True).strip() or None


def _shown(text: str | None) -> str | None:
    """Text as read back for showing: what a terminal acts on left out, also from text kept
    before kapprep checked it on the way in (`kapprep.cleantext`)."""
    if text is None:
        return None
    from kapprep.cleantext import clean

    return clean(text)


class Locked(StoreError):
    """The store is locked and no key was given: ask for the passphrase, then open again."""

    def __init__(self, folder: Path) -> None:
        super().__init__(
            f"your data in {folder} is locked: kapprep needs your passphrase (from a terminal, "
            "or with --passphrase-fd N)"
        )
        self.folder = folder
