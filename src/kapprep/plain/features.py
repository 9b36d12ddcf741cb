"""Plain mode's plan, briefing, journal, settings and breathing menus, on the feature modules.

Each reads and writes through the same functions as the app's screens (`kapprep.plan`,
`kapprep.briefing`, `kapprep.journal`, `kapprep.settings`, `kapprep.grounding`), so a value
is checked the same way wherever it is typed.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from kapprep import messages
from kapprep.plain.console import User
from kapprep.plain.core import TEXT_HELP, PlainApp

if TYPE_CHECKING:
    from kapprep.briefing import Document

# --------------------------------------------------------------------------------------------
# The plan


def plan(app: PlainApp) -> None:
    from kapprep import plan as plans

    while True:
        current = plans.load_plan(app.store)
        app.say("Your support plan. People:")
        if not current.people:
            app.say("  nobody yet")
        for person in current.people:
            roles = plans.roles_text(person.roles, short=True) or "no role yet"
            app.say(
                "  ", User(person.display_name), ", ", User(person.phone or "no phone"),
                f": {roles}", indent="    ",
            )  # fmt: skip
        app.say("Fields:")
        for i, spec in enumerate(plans.FIELDS, 1):
            value = current.get(spec.key)
            shown: list[str] = [User(value)] if value else ["not set"]
            app.say(f"  {i}. {spec.label}: ", *shown, indent="     ")
        choices = [
            ("field", "change one of the fields above", lambda: _field(app)),
            ("person", "add a person who helps", lambda: _person(app)),
            ("remove", "remove a person from the plan", lambda: _remove_person(app)),
        ]
        app.menu("Plan", choices)


def _field(app: PlainApp) -> None:
    from kapprep import plan as plans

    index = app.pick_number(
        f"Field number, 1 to {len(plans.FIELDS)} (Enter to go back):",
        len(plans.FIELDS),
        "The numbers are in the list of fields above.",
    )
    if index is None:
        return
    spec = plans.FIELDS[index]
    hint = f" ({spec.hint})" if spec.hint else ""
    while True:
        typed = app.ask(f'{spec.label}{hint}; Enter keeps it, "-" clears it:', TEXT_HELP)
        if not typed:
            return
        raw = "" if typed == "-" else typed
        try:
            app.saving(
                lambda: (
                    (plans.set_field(app.store, spec.key, raw, plans.region_of(app.store)) and None)
                    or messages.plan_saved(spec.label)
                )
            )
        except plans.PlanError as exc:
            app.say(f"{spec.label}: {exc}")
            continue
        return


def _person(app: PlainApp) -> None:
    from kapprep import plan as plans

    name = app.ask("Their name (Enter to go back):")
    if not name:
        return
    phone = app.ask("Their phone (Enter to skip):")
    labels = "; ".join(f"{i}. {plans.ROLE_LABELS[r]}" for i, r in enumerate(plans.ROLES, 1))
    while True:
        typed = app.ask(
            "What they do: the numbers, with commas, like 1,3 (Enter for none):",
            f"Roles: {labels}.",
        )
        picked = [p.strip() for p in typed.split(",") if p.strip()]
        if all(p.isdigit() and 1 <= int(p) <= len(plans.ROLES) for p in picked):
            roles = tuple(plans.ROLES[int(p) - 1] for p in picked)
            break
        app.say(f"Type numbers from 1 to {len(plans.ROLES)}. {labels}.")
    try:
        app.saving(
            lambda: (
                (
                    plans.add_person(
                        app.store,
                        plans.Person(name=name, phone=phone, roles=roles),
                        plans.region_of(app.store),
                    )
                    and None
                )
                or messages.plan_saved(name)
            )
        )
    except plans.PlanError as exc:
        app.say(f"Not added: {exc}")


def _remove_person(app: PlainApp) -> None:
    from kapprep import plan as plans

    people = plans.load_plan(app.store).people
    if not people:
        app.say("There is nobody in the plan yet.")
        return
    for i, person in enumerate(people, 1):
        app.say(f"  {i}. ", User(person.display_name))
    index = app.pick_number(
        f"Whom to remove, 1 to {len(people)} (Enter to go back):", len(people), "Their number."
    )
    if index is None:
        return
    person = people[index]
    if person.id is None or not app.yes_no(f"Remove {person.display_name} from your plan"):
        app.say("Nothing changed.")
        return
    person_id = person.id

    def remove() -> str:
        plans.remove_person(app.store, person_id)
        return messages.person_removed(person.display_name)

    app.saving(remove)


# --------------------------------------------------------------------------------------------
# The briefing


def _briefing(app: PlainApp) -> Document:
    from kapprep import plan as plans
    from kapprep.briefing import build_briefing
    from kapprep.clinic_rules import effective
    from kapprep.settings import noted_rules

    store = app.store
    rules = effective(app.checklists.clinic_rules, noted_rules(store))
    return build_briefing(
        plans.load_plan(store),
        app.session(),
        region=plans.region_of(store),
        country=app.kept().country,
        rules=rules,
    )


def briefing(app: PlainApp) -> None:
    while True:
        brief = _briefing(app)
        if brief.missing:
            app.say(f"{len(brief.missing)} things are not set yet: {'; '.join(brief.missing)}.")
        choices = [
            ("read", "read the briefing here, line by line", lambda: _read(app)),
            ("text", "save it as a text file", lambda: _save(app, "text")),
            ("pdf", "save it as a PDF", lambda: _save(app, "pdf")),
            ("markdown", "save it as Markdown", lambda: _save(app, "md")),
            ("web", "save it as a web page (HTML)", lambda: _save(app, "html")),
            ("print", "print it (a PDF sent to the printer)", lambda: _save(app, "pdf", True)),
        ]
        app.menu("Briefing for your support person", choices)


def _read(app: PlainApp) -> None:
    from kapprep.briefing import render_text

    # The text briefing's own layout, a little narrower than plain mode's lines so none is
    # wrapped again; its rules (a line of = or -) are left out: a screen reader reads each one.
    for line in render_text(_briefing(app), width=78).splitlines():
        if line.strip() and not line.strip(" =-"):
            continue
        app.say(line.rstrip())


def _save(app: PlainApp, fmt: str, to_printer: bool = False) -> None:
    from kapprep.briefing import render
    from kapprep.documents.output import OutputError, print_pdf, save_in

    names = {"text": "text", "md": "Markdown", "html": "web page (HTML)", "pdf": "PDF"}
    folder = Path(app.store.folder) / "briefings"
    try:
        data = render(_briefing(app), fmt, str(app.kept().paper))  # type: ignore[arg-type]
        path = save_in(folder, fmt, data)
        said = print_pdf(path) if to_printer else messages.saved_to(names[fmt], path)
    except OutputError as exc:
        said = str(exc)
        said = said[:1].upper() + said[1:]
    app.say(said)


# --------------------------------------------------------------------------------------------
# Settings


def settings_menu(app: PlainApp) -> None:
    from kapprep.plain import choice
    from kapprep.settings import EDITABLE, SettingError, save_setting, show_setting

    specs = [s for s in EDITABLE if s.key != "theme"]  # a theme is the app's colours only
    while True:
        current = app.kept()
        plain = choice.read_config()
        app.say("Settings:")
        for i, spec in enumerate(specs, 1):
            app.say(f"  {i}. {spec.name}: {show_setting(current, spec)}")
        n = len(specs)
        app.say(f"  {n + 1}. plain-mode always: {'yes' if plain['always'] else 'no'}")
        app.say(f"  {n + 2}. bell at each breath: {'yes' if plain['bell'] else 'no'}")
        index = app.pick_number(
            f"Setting number, 1 to {n + 2} (Enter to go back):",
            n + 2,
            "plain-mode always: start kapprep like this even in a full terminal. These two "
            f"are kept in {choice.config_file()}, the others with your data.",
        )
        if index is None:
            return
        if index >= n:
            key = "always" if index == n else "bell"
            on = app.yes_no("Turn it on")
            try:
                path = choice.write_config(key, on)
            except OSError as exc:
                app.say(messages.not_saved(exc))
                continue
            label = "plain-mode always" if key == "always" else "bell at each breath"
            app.say(messages.setting_saved(label, "yes" if on else "no") + f" (in {path})")
            continue
        spec = specs[index]
        while True:
            typed = app.ask(f"{spec.name} ({spec.accepts}); Enter keeps it:", TEXT_HELP)
            if not typed:
                break
            try:
                app.saving(lambda: save_setting(app.store, spec.name, typed) and None)
            except SettingError as exc:
                app.say(str(exc))
                continue
            app.say(messages.setting_saved(spec.name, show_setting(app.kept(), spec)))
            break


# --------------------------------------------------------------------------------------------
# Breathing and grounding


def breathe(app: PlainApp) -> None:
    from kapprep import clock
    from kapprep import grounding as g
    from kapprep.plain import choice, pacer

    patterns, problems = g.load_patterns([g.user_patterns_dir()])
    for problem in problems:
        app.say(f"{problem} (this exercise file was left out)")
    ids = list(patterns)
    app.say("Exercises:")
    for i, pid in enumerate(ids, 1):
        p = patterns[pid]
        app.say(f"  {i}. {p.name} ({p.summary}): {p.description}", indent="     ")
    index = app.pick_number(
        f"Which exercise, 1 to {len(ids)} (Enter to go back):",
        len(ids),
        "A paced breathing pattern, or a grounding exercise step by step.",
    )
    if index is None:
        return
    pattern = patterns[ids[index]]
    while True:
        typed = app.ask(
            f"How many minutes (Enter for {pattern.default_minutes:g}):",
            "A number of minutes, from 1 to 60.",
        )
        try:
            minutes = float(typed) if typed else pattern.default_minutes
        except ValueError:
            minutes = 0
        if 0.1 <= minutes <= 60:
            break
        app.say("Type a number of minutes from 1 to 60.")
    plan_ = g.Exercise(pattern, minutes=minutes)
    store = app.store
    practice = store.add_practice(pattern.id, clock.now(), 0.0, False)
    result = pacer.Result(False, 0.0)
    speaker = None
    if not pattern.is_steps and app.kept().spoken_cues:
        from kapprep.speech import Speaker

        speaker = Speaker(on_problem=app.say)
    try:
        bell = choice.read_config()["bell"]
        result = pacer.run(plan_, app.console, bell=bell, speaker=speaker)
    finally:
        if speaker is not None:
            speaker.close()
        store.update_practice(practice, seconds=round(result.seconds, 1), finished=result.finished)
    app.say(messages.practice_logged(result.finished, g.practised(result.seconds)))
