"""What the crisis panel needs while the data is locked, kept outside the encrypted database.

A locked store cannot be read before the passphrase, but the crisis panel must work then too (a
patient in distress may not manage a passphrase). So `kapprep.db.crisis.json` (0600, beside the
database) keeps three things, and only these: the country chosen in Settings, the emergency
number the patient typed, and the clinic's phone number (of the next session, else the one given
at first start). The clinic's name, the sessions, notes and everything else stay locked; the
panel then says "Your clinic" beside the number. Without the file (it could not be written) the
generic emergency sentence and the country's lines are shown, as for a new patient.

It is written when the lock is turned on and each time the locked store is opened with its
passphrase, so a change made since is kept from then on; `lock --off` removes it.
"""

from __future__ import annotations

import contextlib
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from kapprep.store.base import DB_NAME

if TYPE_CHECKING:
    from kapprep.crisis import CrisisCard
    from kapprep.store import Store

OUTSIDE: Final = DB_NAME + ".crisis.json"
_KEYS: Final = ("country", "emergency_number", "clinic_phone")


def _clip(value: Any) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return None
    from kapprep.cleantext import clean

    return clean(value.strip())[:40]


def save_outside(store: Store) -> None:
    """Write (or refresh) the crisis file from the store; best effort (never fails an open)."""
    from kapprep import clock
    from kapprep.files import write_private
    from kapprep.settings import load_settings

    settings = load_settings(store)
    session = store.next_session(clock.now())
    phone = (session.phone if session else None) or settings.clinic_phone
    doc = {
        "country": _clip(settings.country),
        "emergency_number": _clip(settings.emergency_number),
        "clinic_phone": _clip(phone),
    }
    with contextlib.suppress(OSError):
        write_private(store.folder / OUTSIDE, json.dumps(doc).encode("utf-8"), replace=True)


def read_outside(folder: Path) -> dict[str, str | None]:
    """The three values (None for each that is not there, or when the file cannot be read)."""
    from kapprep.files import read_regular

    try:
        doc = json.loads(read_regular(folder / OUTSIDE, 4096).decode("utf-8"))
    except (OSError, ValueError):
        doc = {}
    if not isinstance(doc, dict):
        doc = {}
    return {key: _clip(doc.get(key)) for key in _KEYS}


def locked_card(folder: Path) -> CrisisCard:
    """The crisis panel of a locked store, from the file outside the lock."""
    from kapprep.crisis import crisis_card

    kept = read_outside(folder)
    return crisis_card(
        country=kept["country"],
        emergency=kept["emergency_number"],
        clinic=None,
        clinic_phone=kept["clinic_phone"],
    )


def remove_outside(folder: Path) -> None:
    (folder / OUTSIDE).unlink(missing_ok=True)
