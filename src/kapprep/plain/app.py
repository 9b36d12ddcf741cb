"""Plain mode's main menu, the first start and `run`, the entry from the command line.

`run(...)` opens the store and the checklists as the app does, asks the first-start questions
once, then offers the main menu. Each job is a menu in `prep.py` (checklist, sessions, day-of),
`features.py` (plan, briefing, settings, breathing) or `writing.py` (the journal), on the
shared `core.py`.
"""

from __future__ import annotations

from typing import TextIO

from kapprep import messages
from kapprep.errors import KapprepError
from kapprep.plain import features, prep, writing
from kapprep.plain.console import Console, Leave
from kapprep.plain.core import Back, Choice, PlainApp

HELLO = (
    "kapprep, plain mode. Answer each question and press Enter. At any question: "
    '"crisis" (or "!") for crisis help, "help" to explain it. At a menu: a number or a word, '
    'Enter alone to hear the summary again, "back" to go up, "quit" (or "q") to leave.'
)


def main_menu(app: PlainApp) -> None:
    choices: list[Choice] = [
        ("checklist", "what is due: tick, untick, notes, your clinic's times", lambda: prep.checklist(app)),
        ("day", "day-of: the next step, whom to call, after the session", lambda: prep.day_of(app)),
        ("sessions", "add, edit, mark done, choose which one", lambda: prep.sessions(app)),
        ("plan", "your support plan: people, clinic, the day", lambda: features.plan(app)),
        ("briefing", "the page for your support person: read, save, print", lambda: features.briefing(app)),
        ("journal", "intentions, integration notes, ratings, steps, questions", lambda: writing.journal(app)),
        ("breathe", "a breathing or grounding exercise", lambda: features.breathe(app)),
        ("settings", "country, emergency number, clock, plain mode", lambda: features.settings_menu(app)),
        ("crisis", "crisis help: emergency number, clinic, crisis lines", app.console.show_crisis),
    ]  # fmt: skip
    while True:
        app.console.blank()
        try:
            app.menu("Main menu", choices, summary=True)
        except Back:
            pass
        except KapprepError as exc:  # the house rule: told calmly, once, and on we go
            app.say(messages.told(exc))


def first_start(app: PlainApp) -> None:
    if app.kept().welcome_done or app.store.sessions():
        return
    app.say("Welcome. A few questions to start; Enter alone skips any of them.")
    prep.add_session(app, first=True)
    name = app.ask("Your clinic's name (Enter to skip):")
    if name:
        app.keep("clinic_name", name)
    while True:
        phone = app.ask("Your clinic's phone number (Enter to skip):")
        from kapprep.phones import phone_problem

        problem = phone_problem(phone)
        if problem:
            app.say(f"That number: {problem}")
            continue
        if phone:
            app.keep("clinic_phone", phone)
        break
    ask_country(app)
    app.keep("welcome_done", True)


def ask_country(app: PlainApp) -> None:
    """Ask for the country (for the emergency number and crisis lines)."""
    from kapprep.settings import SettingError, save_setting

    while True:
        raw = app.ask(
            "Your country, for the emergency number and crisis lines: a code such as US, "
            "GB or DE, or other (Enter to skip):",
            "The country gives the crisis help its emergency number and crisis line. Codes: "
            "US, CA, GB, IE, AU, NZ, DE, FR, NL, ES, EU, or other.",
        )
        if not raw:
            return
        try:
            app.saving(lambda: save_setting(app.store, "country", raw) and None)
        except SettingError as exc:
            app.say(str(exc))
            continue
        return


def run(
    *,
    data_dir: str | None,
    checklist_dirs: list[str],
    why: str,
    stdin: TextIO | None = None,
    stdout: TextIO | None = None,
) -> int:
    """Plain mode for the command line; always exit 0 when the patient leaves."""
    from kapprep import paths
    from kapprep.checklists import load_layers
    from kapprep.store import Store
    from kapprep.store.cipher import is_locked

    console = Console(stdin, stdout)
    folder = paths.data_dir(data_dir)
    key = None
    if folder.is_dir() and is_locked(folder):  # the passphrase before anything private
        from kapprep.plain.unlock import unlock

        try:
            key = unlock(folder, console)
        except (Leave, EOFError, KeyboardInterrupt):
            console.say("Goodbye. Take care.")
            return 0
    store = Store.open(folder, key=key)
    if key is not None:
        from kapprep.crisis_outside import save_outside

        save_outside(store)
    try:
        for notice in store.notices:
            console.say(str(notice))
        checklists = load_layers(paths.checklist_layers(checklist_dirs))
        app = PlainApp(store, checklists, console)
        console.crisis = app.crisis_lines
        console.say(f"Plain mode because {why}.")
        console.say(HELLO)
        if checklists.problems:
            files = len({p.path for p in checklists.problems})
            console.say(
                f"{files} checklist file(s) have mistakes and were left out; "
                "kapprep checklists validate says where."
            )
        try:
            first_start(app)
            app.console.blank()
            app.show_summary()
            main_menu(app)
        except (Leave, EOFError):
            pass
        except KeyboardInterrupt:
            console.blank()
        console.say("Goodbye. Take care.")
    finally:
        store.close()
    return 0
