"""Plain mode's journal: intentions and integration notes, ratings, steps and questions.

Everything goes through `kapprep.journal`, as the app's Journal screen does: the same prompts,
the same checks, the same tables. One line per answer (a screen reader reads a line at a time).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from kapprep import messages
from kapprep.plain.console import User
from kapprep.plain.core import TEXT_HELP, PlainApp

if TYPE_CHECKING:
    from kapprep.store import Session


def journal(app: PlainApp) -> None:
    session = app.session()
    if session is None:
        app.say(messages.ADD_SESSION_FIRST_PLAIN)
        return
    while True:
        app.say(f"Journal for session {session.id}, {app.when(session.start)}.")
        choices = [
            ("write", "intentions before, integration notes after", lambda: _prompts(app, session)),
            ("ratings", "mood and anxiety, before and after (0 to 10)", lambda: _ratings(app, session)),
            ("steps", "small steps you set yourself after the session", lambda: _steps(app, session)),
            ("questions", "questions to ask your clinic", lambda: _questions(app)),
        ]  # fmt: skip
        app.menu("Journal", choices)


def _save(app: PlainApp, write: Callable[[], str | None]) -> None:
    from kapprep import journal as j

    try:
        app.saving(write)
    except j.JournalError as exc:
        app.say(f"Not saved: {exc}")


def _prompts(app: PlainApp, session: Session) -> None:
    from kapprep import journal as j

    prompts = [*j.INTENTION_PROMPTS, *j.INTEGRATION_PROMPTS]
    while True:
        sj = j.journal(app.store, session.id)
        for i, p in enumerate(prompts, 1):
            if i == 1:
                app.say("Before: your intentions.")
            if i == len(j.INTENTION_PROMPTS) + 1:
                app.say("After: integration.")
            written = (sj.intentions if p.kind == "intention" else sj.integration) if sj else {}
            answer = written.get(p.key)
            shown: list[str] = [User(answer)] if answer else ["not written yet"]
            app.say(f"  {i}. {p.text}: ", *shown, indent="     ")
        index = app.pick_number(
            f"Which to write, 1 to {len(prompts)} (Enter to go back):",
            len(prompts),
            "Each is an optional question, answered in your own words.",
        )
        if index is None:
            return
        p = prompts[index]
        typed = app.ask(f'{p.text} ({p.hint}) One line; Enter keeps it, "-" removes it:', TEXT_HELP)
        if not typed:
            continue
        text = "" if typed == "-" else typed

        def write() -> str:
            j.save_entry(app.store, session.id, p.kind, p.key, text, app.now())
            return messages.journal_saved(p.text) if text else messages.journal_cleared(p.text)

        _save(app, write)


def _ratings(app: PlainApp, session: Session) -> None:
    from kapprep import journal as j

    pairs = [(scale, moment) for moment in j.MOMENTS for scale in j.SCALES]
    while True:
        have = j.ratings(app.store, session.id)
        app.say(f"Ratings: {j.RATING_NOTE}")
        for i, (scale, moment) in enumerate(pairs, 1):
            label, low, high = j.SCALES[scale]
            value = have.get((scale, moment))
            shown = "not rated" if value is None else str(value)
            app.say(f"  {i}. {label} {moment} ({low}, {high}): {shown}")
        index = app.pick_number(
            f"Which rating, 1 to {len(pairs)} (Enter to go back):", len(pairs), j.RATING_NOTE
        )
        if index is None:
            return
        scale, moment = pairs[index]
        while True:
            typed = app.ask('A number from 0 to 10 ("-" clears it; Enter keeps it):', j.RATING_NOTE)
            if not typed:
                break
            if typed != "-" and not (typed.isdigit() and 0 <= int(typed) <= 10):
                app.say(messages.RATING_RANGE)
                continue
            value = None if typed == "-" else int(typed)
            label = f"{j.SCALES[scale][0]} {moment}"

            def write() -> str:
                j.set_rating(app.store, session.id, scale, moment, value, app.now())
                shown = "cleared" if value is None else str(value)
                return messages.setting_saved(label, shown)

            _save(app, write)
            break


def _steps(app: PlainApp, session: Session) -> None:
    from kapprep import journal as j

    while True:
        found = j.steps(app.store, session.id)
        app.say("Steps:" if found else "No steps yet.")
        for i, step in enumerate(found, 1):
            mark = "[x]" if step.done else "[ ]"
            app.say(f"  {i}. {mark} ", User(step.text), indent="       ")
        typed = app.ask(
            "A step's number to tick or untick it, or a new step to add (Enter to go back):",
            "A small, kind step for the days after the session, such as a walk.",
        )
        if not typed:
            return
        if typed.isdigit() and 1 <= int(typed) <= len(found):
            step = found[int(typed) - 1]

            def toggle() -> str:
                j.set_step_done(app.store, step.id, not step.done, app.now())
                return (messages.unticked if step.done else messages.ticked)(step.text)

            _save(app, toggle)
            continue

        def add() -> str:
            j.add_step(app.store, session.id, typed, app.now())
            return messages.journal_saved(typed)

        _save(app, add)


def _questions(app: PlainApp) -> None:
    from kapprep import journal as j

    while True:
        found = j.questions(app.store)
        app.say("Questions for your clinic:" if found else "No questions yet.")
        for i, q in enumerate(found, 1):
            mark = "[asked]" if q.asked else "[ ]"
            app.say(f"  {i}. {mark} ", User(q.text), indent="       ")
        typed = app.ask(
            "A question's number to mark it asked (or not), or a new question (Enter to go back):",
            "Your clinic answers them; kapprep keeps them so you remember to ask.",
        )
        if not typed:
            return
        if typed.isdigit() and 1 <= int(typed) <= len(found):
            q = found[int(typed) - 1]

            def toggle() -> str:
                j.set_asked(app.store, q.id, not q.asked, app.now())
                return (messages.unticked if q.asked else messages.ticked)(q.text)

            _save(app, toggle)
            continue

        def add() -> str:
            j.add_question(app.store, typed, app.now())
            return messages.journal_saved(typed)

        _save(app, add)
