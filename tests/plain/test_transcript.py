"""Plain mode end to end (issue 23): the installed `kapprep --plain` under `TERM=dumb` on a
pseudo-terminal, through a first start, two ticks with a note, crisis help from inside a
prompt, the plan, a saved briefing, a journal entry and a two-minute breathing exercise (on
the fast clock, see conftest.py); then the store holds what was typed, and outside the typed
text every line is printable ASCII of at most 80 cells."""

from __future__ import annotations

import re
from pathlib import Path

from kapprep import journal, messages
from kapprep import plan as plans
from kapprep.store import Store

from .conftest import Pty, textual_modules

NOTE = "Bring the list — blue folder, für Zoë"
"""Typed text keeps its own characters; only kapprep's words are made ASCII."""
HOPE = "To feel at home in myself"
QUESTION = "May I take my usual tea that morning?"


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_a_whole_preparation_by_lines(run_pty, tmp_path: Path) -> None:
    typed: list[str] = []
    pty: Pty = run_pty("--plain")

    def answer(after: str, text: str) -> str:
        seen = pty.expect(after)
        typed.append(text)
        pty.line(text)
        return seen

    # First start: the session, its zone, the clinic, the country.
    answer("Your next session's date and time (Enter to skip):", "3 Dec 10:00")
    answer("Its time zone", "")
    pty.expect("Saved: Thu 3 Dec 10:00.")
    answer("Your clinic's name (Enter to skip):", "Harbour Clinic")
    answer("Your clinic's phone number (Enter to skip):", "+44 20 7946 0000")
    answer("(Enter to skip):", "GB")
    summary = _flat(pty.expect("Choose 1 to 9, or a word:"))
    assert "Session 1: Thu 3 Dec 10:00, in 12 days. 0 of" in summary
    assert "Next: " in summary and "due in " in summary

    # Two ticks, a note, and crisis help asked for from inside the note's prompt.
    pty.line("checklist")
    listing = _flat(answer("Item number, 1 to", "1"))
    first = re.search(r"1\. \[ \] (.+?) \(due", listing)
    assert first is not None
    answer("or a word:", "tick")
    assert messages.ticked(first.group(1)) in _flat(pty.expect("or a word:"))
    typed.append("note")
    pty.line("note")
    answer("removes it):", "crisis")
    crisis = _flat(pty.expect("removes it):"))  # the same question is asked again
    assert "In an emergency, call 999." in crisis
    assert "Harbour Clinic: +44 20 7946 0000" in crisis and "Samaritans: 116 123" in crisis
    typed.append(NOTE)
    pty.line(NOTE)
    assert messages.note_kept(first.group(1)) in _flat(pty.expect("or a word:"))
    assert f"Your note: {NOTE}" in pty.text
    answer("", "back")
    answer("Item number, 1 to", "2")
    answer("or a word:", "tick")
    pty.expect("Ticked: ")
    answer("or a word:", "back")
    answer("Item number, 1 to", "all")  # the open items were listed; now the done ones too
    everything = pty.expect("Item number, 1 to")
    assert "Showing every item, done ones too." in _flat(everything)
    assert everything.count("[x]") == 2
    typed.append("")
    pty.line("")

    # The plan: a field and a person.
    answer("Choose 1 to 9, or a word:", "plan")
    answer("or a word:", "field")
    answer("Field number", "1")
    answer("Your name", "Robin Example")
    pty.expect(messages.plan_saved("Your name"))
    answer("or a word:", "person")
    answer("Their name", "Sam Helper")
    answer("Their phone", "+44 7911 123456")
    answer("like 1,3", "1,2")
    pty.expect(messages.plan_saved("Sam Helper"))
    answer("or a word:", "back")

    # The briefing, saved as text; the journal; the day.
    answer("Choose 1 to 9, or a word:", "briefing")
    answer("or a word:", "text")
    saved = pty.expect(".txt")
    answer("or a word:", "back")
    answer("Choose 1 to 9, or a word:", "journal")
    answer("or a word:", "write")
    answer("Which to write", "1")
    answer("What I hope for", HOPE)
    pty.expect(messages.journal_saved("What I hope for"))
    answer("Which to write", "")
    answer("or a word:", "questions")
    answer("or a new question", QUESTION)
    pty.expect(messages.journal_saved(QUESTION))
    answer("or a new question", "")
    answer("or a word:", "back")
    answer("Choose 1 to 9, or a word:", "day")
    day = _flat(pty.expect("Choose 1 to 9, or a word:"))
    assert "Next step: " in day and "Whom to call: your support person, Sam Helper" in day
    assert "Follow your clinic's instructions." in day

    # Two minutes of box breathing, one line per phase, on the fast clock.
    pty.line("breathe")
    exercises = pty.expect("Which exercise")
    box = re.search(r"(\d+)\. Box breathing", exercises)
    assert box is not None
    answer("(Enter to go back):", box.group(1))
    answer("How many minutes", "2")
    run = pty.expect("practised; saved in your practice log.")
    assert run.count("Breathe in, 4 seconds") == 8  # 2 minutes, rounded up to whole breaths
    assert "Hold, 4 seconds (about 2 minutes left)" in run
    assert "\nDone.\n" in run
    answer("Choose 1 to 9, or a word:", "q")
    pty.expect("Goodbye.")
    assert pty.wait() == 0

    # The store holds what was typed.
    with Store.open(tmp_path / "data") as store:
        [session] = store.sessions()
        assert len(store.ticks(session.id)) == 2
        assert list(store.notes(session.id).values()) == [NOTE]
        plan = plans.load_plan(store)
        assert plan.get("my_name") == "Robin Example"
        [person] = plan.people
        assert (person.name, person.roles) == ("Sam Helper", plans.ROLES[:2])  # typed 1,2
        sj = journal.journal(store, session.id)
        assert sj is not None and sj.intentions == {"hope": HOPE}
        assert [q.text for q in journal.questions(store)] == [QUESTION]
        [practice] = store.practices()
        assert (practice.pattern, practice.finished, practice.seconds) == ("box", True, 128.0)
        assert store.get_setting("clinic_name") == "Harbour Clinic"
    [briefing] = (tmp_path / "data" / "briefings").glob("*.txt")
    assert briefing.name in _flat(saved).replace(" ", "")
    assert "Robin Example" in briefing.read_text(encoding="utf-8")

    # Outside what was typed: printable ASCII, nothing redrawn, no line over 80 cells.
    text = pty.text
    assert NOTE in text  # shown as typed
    for word in sorted(set(typed), key=len, reverse=True):
        if word:
            text = text.replace(word, "")
    odd = {ch for ch in text if not (" " <= ch <= "~" or ch == "\n")}
    assert odd == set(), f"not printable ASCII: {odd!r}"
    assert max(len(line) for line in text.split("\n")) <= 80
    assert textual_modules(tmp_path) == []


def test_quit_at_a_text_prompt_leaves_and_saves_nothing_of_it(run_pty, tmp_path: Path) -> None:
    """Plain mode's first lines promise "quit" leaves; at a text prompt it once became the
    answer (the clinic's name "quit")."""
    pty: Pty = run_pty("--plain")
    pty.expect("Your next session's date and time (Enter to skip):")
    pty.line("3 Dec 10:00")
    pty.expect("Its time zone")
    pty.line("")
    pty.expect("Your clinic's name (Enter to skip):")
    pty.line("quit")
    pty.expect("Goodbye.")
    assert pty.wait() == 0
    with Store.open(tmp_path / "data") as store:
        [session] = store.sessions()  # what came before quit is kept
        assert session.clinic is None
