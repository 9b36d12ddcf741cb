"""Every setting kapprep keeps: one typed field each, with its default, read through one object.

`load_settings(store)` reads them all into a `Settings`; a stored value of the wrong type (from a
hand-edited import) reads as the default. The settings a patient changes (`EDITABLE`: country,
emergency number, clock, theme, reduced motion, spoken cues, paper, the calendar's quiet hours) are checked
by `check_setting` exactly as the app checks them, and saved by `save_setting`; `kapprep
settings set KEY VALUE` and the Settings screen both use them. Only a number the patient typed is stored: the emergency number
and crisis line otherwise follow the country (`crisis.py`). No Textual here.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any, Final

from kapprep.crisis import COUNTRIES, emergency_number
from kapprep.errors import KapprepError
from kapprep.phones import phone_problem
from kapprep.quiet_hours import DEFAULT_QUIET, QuietHours, QuietHoursError, parse_quiet_hours

if TYPE_CHECKING:
    from kapprep.store import Store

__all__ = [
    "EDITABLE",
    "OTHER_COUNTRY",
    "THEMES",
    "SettingError",
    "SettingSpec",
    "Settings",
    "check_setting",
    "country_choices",
    "country_from_locale",
    "find_setting",
    "load_settings",
    "note_rule",
    "noted_rules",
    "region_settings",
    "save_setting",
    "set_settings",
    "show_setting",
    "stored_key",
]


class SettingError(KapprepError, ValueError):
    """A value the patient can fix; the message names the setting and what it accepts."""


OTHER_COUNTRY: Final = "other"
"""The country choice for a country not in the crisis directory (generic line, ask your clinic)."""

THEMES: Final[tuple[str, ...]] = (
    "kapprep-high-contrast",
    "ansi-dark",
    "ansi-light",
    "atom-one-dark",
    "atom-one-light",
    "catppuccin-frappe",
    "catppuccin-latte",
    "catppuccin-macchiato",
    "catppuccin-mocha",
    "dracula",
    "flexoki",
    "gruvbox",
    "monokai",
    "nord",
    "rose-pine",
    "rose-pine-dawn",
    "rose-pine-moon",
    "solarized-dark",
    "solarized-light",
    "textual-dark",
    "textual-light",
    "tokyo-night",
)
"""The themes the app offers (a UI test checks this against the app's own list)."""


IDLE_CHOICES: Final = (0, 5, 15, 30, 60)
"""The idle lock's choices, in minutes (0: off)."""


@dataclass(frozen=True, slots=True)
class Settings:
    """The patient's settings, each with its default."""

    country: str | None = None
    """ISO 3166 code from the crisis directory, "EU", "other", or None (not chosen yet)."""
    emergency_number: str | None = None
    """The number the patient typed; None: the country's (see `emergency`)."""
    clock_24h: bool = True
    """24-hour times (14:30); False: 2:30 pm."""
    theme: str | None = None
    """A name from THEMES; None: Textual's default."""
    reduced_motion: bool = False
    """No animations, in the app and in `kapprep breathe`."""
    paper: str = "a4"
    """Paper for the printed briefing: "a4" or "letter"."""
    clinic_name: str | None = None
    """The clinic given at first start (a session's own clinic wins)."""
    clinic_phone: str | None = None
    """The clinic's phone given at first start."""
    welcome_done: bool = False
    """True once the first start has been answered or skipped."""
    clinic_rules: dict[str, Any] | None = None
    """The clinic's rules the patient typed (`kapprep.clinic_rules`: rule -> value)."""
    grounding_last: dict[str, Any] | None = None
    """The exercise last started and how (pattern, length, options): one key starts it again."""
    phone_region: str | None = None
    """The region for phone numbers typed without + (an ISO code), when not the country's."""
    calendar_install_id: str | None = None
    """A random id that keeps the calendar's event UIDs the same from one export to the next."""
    calendar_written: dict[str, Any] | None = None
    """Per session id, the key and start of every event a calendar file had (`kapprep.ical`),
    so a newer file cancels what an older one made and it no longer has."""
    quiet_hours: str = str(DEFAULT_QUIET)
    """When the calendar sets no alarm, "HH:MM-HH:MM" in the session's zone, or "off"."""
    spoken_cues: bool = False
    """Say "in", "hold", "out" aloud at each breath (spd-say or espeak-ng), for eyes closed;
    the bell where a word does not fit its phase or no speaker works (`grounding.cues`)."""
    maps_link: bool = False
    """The phone page links each address to a map; off: tapping it would send the address to a
    map service (OpenStreetMap), so the patient turns it on."""
    idle_lock_minutes: int = 0
    """With the lock on: ask for the passphrase again after this many idle minutes in the app;
    0, the default, never (a foggy patient on the day must not be locked out)."""

    @property
    def quiet(self) -> QuietHours:
        """The quiet hours, read (the default where the stored text does not read)."""
        try:
            return parse_quiet_hours(self.quiet_hours)
        except QuietHoursError:
            return DEFAULT_QUIET

    @property
    def emergency(self) -> str | None:
        """The number to call: the one typed, else the country's, else None."""
        return emergency_number(self.country, self.emergency_number)


_TYPES: Final[Mapping[str, tuple[type, ...]]] = {
    "country": (str,),
    "emergency_number": (str,),
    "clock_24h": (bool,),
    "theme": (str,),
    "reduced_motion": (bool,),
    "paper": (str,),
    "clinic_name": (str,),
    "clinic_phone": (str,),
    "welcome_done": (bool,),
    "clinic_rules": (dict,),
    "grounding_last": (dict,),
    "calendar_install_id": (str,),
    "calendar_written": (dict,),
    "phone_region": (str,),
    "quiet_hours": (str,),
    "spoken_cues": (bool,),
    "maps_link": (bool,),
    "idle_lock_minutes": (int,),
}
_STORED_AS: Final[Mapping[str, str]] = {
    "grounding_last": "grounding.last",
    "calendar_install_id": "calendar.install_id",
    "calendar_written": "calendar.written",
}
"""The store's key for a setting, where it differs from the field's name (kept from before)."""


def stored_key(name: str) -> str:
    """The store's key for the setting `name` (a field of `Settings`)."""
    if name not in _TYPES:
        raise ValueError(f"kapprep has no setting {name!r}")  # a bug, not a user's mistake
    return _STORED_AS.get(name, name)


def region_settings(store: Store) -> tuple[str, ...]:
    """The phone-region hints the patient gave, best first: `phone_region`, then `country` as
    kept (also a country the crisis directory does not list, which still has phone numbers)."""
    kept = store.settings()
    return tuple(v for v in (kept.get("phone_region"), kept.get("country")) if isinstance(v, str))


def noted_rules(store: Store) -> dict[str, str]:
    """The clinic's rules the patient noted (`kapprep.clinic_rules`): kind -> their words."""
    value = load_settings(store).clinic_rules or {}
    return {str(k): v for k, v in value.items() if isinstance(v, str)}


def note_rule(store: Store, kind: str, text: str | None) -> None:
    """Note the clinic's rule of `kind` in the patient's words; empty or None forgets it."""
    words = " ".join((text or "").split())

    def change(kept: Any) -> dict[str, str] | None:
        noted = (
            {str(k): v for k, v in kept.items() if isinstance(v, str)}
            if isinstance(kept, dict)
            else {}
        )
        if words:
            noted[kind] = words
        else:
            noted.pop(kind, None)
        return noted or None

    # Read and written in one transaction: the rules are one setting, and two kapprep windows
    # noting two rules must keep both.
    store.change_setting(stored_key("clinic_rules"), change)


def set_settings(store: Store, **values: Any) -> None:
    """Keep settings by their `Settings` names (None removes one), in one transaction. Checked
    values only: what the patient types goes through `save_setting`."""
    for name, value in values.items():
        if value is not None and not isinstance(value, _TYPES[name]):
            raise TypeError(f"setting {name} takes {_TYPES[name][0].__name__}")
    store.set_settings({stored_key(name): value for name, value in values.items()})


def load_settings(store: Store) -> Settings:
    """Every setting, read once; a value of the wrong type or out of range reads as the default."""
    values: dict[str, Any] = {}
    kept = store.settings()
    for f in fields(Settings):
        value = kept.get(stored_key(f.name))
        if value is not None and isinstance(value, _TYPES[f.name]):
            values[f.name] = value
    if values.get("paper") not in (None, "a4", "letter"):
        del values["paper"]
    if "country" in values and not _known_country(values["country"]):
        del values["country"]
    if values.get("idle_lock_minutes") not in (None, *IDLE_CHOICES):
        del values["idle_lock_minutes"]
    if "quiet_hours" in values:
        try:
            values["quiet_hours"] = str(parse_quiet_hours(values["quiet_hours"]))
        except QuietHoursError:
            del values["quiet_hours"]
    return Settings(**values)


# --------------------------------------------------------------------------------------------
# Checking what the patient typed


def _known_country(code: str) -> bool:
    return code in COUNTRIES or code == OTHER_COUNTRY


def country_choices() -> tuple[tuple[str, str], ...]:
    """(label, value) for every country the settings offer, "Another country" last."""
    return (
        *((c.name, code) for code, c in COUNTRIES.items()),
        ("Another country (ask your clinic for a crisis line)", OTHER_COUNTRY),
    )


def country_from_locale(region: str | None) -> str:
    """The first-start default: the locale's country if in the directory, else "other"."""
    code = (region or "").upper()
    return code if code in COUNTRIES else OTHER_COUNTRY


def _country(raw: str) -> str | None:
    text = raw.strip()
    if not text or text.lower() == "none":
        return None
    by_name = {c.name.casefold(): code for code, c in COUNTRIES.items()}
    code = by_name.get(text.casefold(), text.upper())
    if code == OTHER_COUNTRY.upper():
        return OTHER_COUNTRY
    if code in COUNTRIES:
        return code
    known = ", ".join(COUNTRIES)
    raise SettingError(
        f"country: kapprep knows {known}; for another country use 'other' "
        "(you then see the general emergency line: ask your clinic for a crisis line)"
    )


def _emergency(raw: str) -> str | None:
    text = raw.strip()
    problem = phone_problem(text)
    if problem:
        raise SettingError(f"emergency number: {problem}")
    return text or None


_YES: Final = frozenset({"yes", "y", "on", "true", "1"})
_NO: Final = frozenset({"no", "n", "off", "false", "0"})


def _yes_no(name: str) -> Callable[[str], bool]:
    def parse(raw: str) -> bool:
        word = raw.strip().lower()
        if word in _YES:
            return True
        if word in _NO:
            return False
        raise SettingError(f"{name}: answer yes or no")

    return parse


def _clock(raw: str) -> bool:
    word = re.sub(r"[\s-]", "", raw.strip().lower())
    if word in ("24", "24h", "24hour"):
        return True
    if word in ("12", "12h", "12hour"):
        return False
    raise SettingError("clock: write 24h (14:30) or 12h (2:30 pm)")


def _theme(raw: str) -> str | None:
    text = raw.strip()
    if not text:
        return None
    if text in THEMES:
        return text
    raise SettingError(f"theme: choose one of {', '.join(THEMES)}")


def _paper(raw: str) -> str:
    text = raw.strip().lower()
    if text in ("a4", "letter"):
        return text
    raise SettingError("paper: write a4 or letter")


def _idle(raw: str) -> int:
    word = re.sub(r"\s*(minutes?|mins?|m)$", "", raw.strip().lower())
    if word in ("off", "no", "none", ""):
        return 0
    if word.isdigit() and int(word) in IDLE_CHOICES:
        return int(word)
    choices = ", ".join(str(m) for m in IDLE_CHOICES if m)
    choices = choices[::-1].replace(" ,", " ro ", 1)[::-1]
    raise SettingError(f"idle lock: write off, {choices} (minutes)")


def _quiet(raw: str) -> str | None:
    if not raw.strip():
        return None  # back to the default
    try:
        return str(parse_quiet_hours(raw))
    except QuietHoursError as exc:
        raise SettingError(str(exc)) from None


@dataclass(frozen=True, slots=True)
class SettingSpec:
    """A setting the patient changes: its name on the command line, its key, its check."""

    name: str
    key: str
    accepts: str
    check: Callable[[str], Any]
    show: Callable[[Any], str]


def _plain(value: Any) -> str:
    return "not set" if value is None else str(value)


EDITABLE: Final[tuple[SettingSpec, ...]] = (
    SettingSpec(
        "country",
        "country",
        f"{', '.join(COUNTRIES)}, other or none",
        _country,
        lambda v: f"{v} ({COUNTRIES[v].name})" if v in COUNTRIES else _plain(v),
    ),
    SettingSpec(
        "emergency-number",
        "emergency_number",
        'the number you call in an emergency; "" to use your country\'s',
        _emergency,
        lambda v: _plain(v) if v else "not typed (your country's is used)",
    ),
    SettingSpec(
        "clock", "clock_24h", "24h or 12h", _clock, lambda v: "24h" if v else "12h (2:30 pm)"
    ),
    SettingSpec(
        "theme",
        "theme",
        'a theme name ("" for the default)',
        _theme,
        lambda v: _plain(v) if v else "default",
    ),
    SettingSpec(
        "reduced-motion",
        "reduced_motion",
        "yes or no",
        _yes_no("reduced motion"),
        lambda v: "yes" if v else "no",
    ),
    SettingSpec(
        "spoken-cues",
        "spoken_cues",
        "yes or no",
        _yes_no("spoken cues"),
        lambda v: (
            "yes (in, hold, out said aloud; the bell where a word does not fit)" if v else "no"
        ),
    ),
    SettingSpec(
        "paper", "paper", "a4 or letter", _paper, lambda v: "A4" if v == "a4" else "Letter"
    ),
    SettingSpec(
        "quiet-hours",
        "quiet_hours",
        'HH:MM-HH:MM in the session\'s time zone (no calendar alarm then), off, or "" for 22:00-07:00',
        _quiet,
        lambda v: "off (alarms at any hour)" if v == "off" else str(v).replace("-", "–"),
    ),
    SettingSpec(
        "maps-link",
        "maps_link",
        "yes or no (the phone page links addresses to OpenStreetMap)",
        _yes_no("maps link"),
        lambda v: "yes" if v else "no (addresses as plain text)",
    ),
    SettingSpec(
        "idle-lock",
        "idle_lock_minutes",
        "off, or 5, 15, 30 or 60 minutes without a key before the app asks the passphrase again "
        "(only when your data is locked)",
        _idle,
        lambda v: f"after {v} minutes without a key (when your data is locked)" if v else "off",
    ),
)
_BY_NAME: Final[Mapping[str, SettingSpec]] = {s.name: s for s in EDITABLE} | {
    s.key: s for s in EDITABLE
}


def find_setting(name: str) -> SettingSpec:
    spec = _BY_NAME.get(name.strip().lower().replace("_", "-")) or _BY_NAME.get(name.strip())
    if spec is None:
        names = ", ".join(s.name for s in EDITABLE)
        raise SettingError(f"there is no setting called {name!r} (settings: {names})")
    return spec


def check_setting(name: str, raw: str) -> tuple[str, Any]:
    """(store key, checked value) for `raw` typed for setting `name`; SettingError otherwise."""
    spec = find_setting(name)
    return spec.key, spec.check(raw)


def save_setting(store: Store, name: str, raw: str) -> Any:
    """Check `raw` and save it (one transaction); None clears the setting. Returns the value."""
    key, value = check_setting(name, raw)
    store.set_settings({key: value})
    return value


def show_setting(settings: Settings, spec: SettingSpec) -> str:
    """The setting's value in words, as `kapprep settings` shows it."""
    return str(spec.show(getattr(settings, spec.key)))
