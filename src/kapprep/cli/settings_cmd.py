"""`kapprep settings` and `kapprep settings set KEY VALUE`: the app's settings from a shell.

Each value is checked as the Settings screen checks it (`kapprep.settings`) and saved in one short
transaction, safe while the app is open. No Textual here.
"""

from __future__ import annotations

import argparse
from typing import Any

from kapprep.cli.common import UserError


def register(sub: Any) -> None:
    from kapprep.settings import EDITABLE

    keys = "; ".join(f"{s.name}: {s.accepts}" for s in EDITABLE)
    settings = sub.add_parser(
        "settings",
        help="show your settings, or change one: kapprep settings set country GB",
        description=f"Show your settings, or change one. Settings: {keys}.",
    )
    settings.set_defaults(func=cmd_settings_show)
    actions = settings.add_subparsers(dest="action", metavar="ACTION")
    setter = actions.add_parser("set", help="change one setting", description=keys)
    setter.add_argument("key", metavar="KEY", help=", ".join(s.name for s in EDITABLE))
    setter.add_argument("value", metavar="VALUE", help='the new value ("" clears it)')
    setter.set_defaults(func=cmd_settings_set)


def cmd_settings_show(args: argparse.Namespace) -> int:
    from kapprep.cli.sessions import open_store
    from kapprep.crisis import COUNTRIES, GENERIC_EMERGENCY
    from kapprep.settings import EDITABLE, load_settings, show_setting

    with open_store(args) as store:
        settings = load_settings(store)
    width = max(len(s.name) for s in EDITABLE) + 2
    for spec in EDITABLE:
        print(f"{spec.name + ':':<{width}}{show_setting(settings, spec)}")
    place = COUNTRIES.get(settings.country or "")
    line = place.crisis_line if place else None
    print()
    print(f"In an emergency you call: {settings.emergency or GENERIC_EMERGENCY}")
    if line is not None:
        print(f"Crisis line: {line.name} {line.numbers} ({line.how_text})")
    elif settings.country is None:
        print("Crisis line: choose your country (kapprep settings set country GB)")
    else:
        print("Crisis line: kapprep has none for your country; ask your clinic for one")
    return 0


def cmd_settings_set(args: argparse.Namespace) -> int:
    from kapprep.cli.sessions import open_store
    from kapprep.settings import (
        SettingError,
        find_setting,
        load_settings,
        save_setting,
        show_setting,
    )

    try:
        spec = find_setting(args.key)
        with open_store(args) as store:
            save_setting(store, spec.name, args.value)
            settings = load_settings(store)
    except SettingError as exc:
        raise UserError(str(exc)) from None
    print(f"{spec.name}: {show_setting(settings, spec)}")
    return 0
