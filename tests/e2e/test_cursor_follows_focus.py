"""The terminal cursor follows the focus (issue 24), in a real terminal (tmux, 80×24).

Braille displays follow the terminal's cursor, hidden or not. After arrowing through each list
of the app (most of them longer than the screen), tmux's `#{cursor_x},#{cursor_y}` is on the row
of the highlighted item, found by its text in capture-pane; in a text field it is just after what
was typed; on a tab bar at the active tab's name.
"""

from __future__ import annotations

import time
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from kapprep import clock

from .terminal import KAPPREP, TIMEOUT, Terminal, needs_tmux

pytestmark = needs_tmux

UTC = ZoneInfo("UTC")
SESSIONS = 30


def _seed(data: Path, *, steps: int = 0, questions: int = 0) -> None:
    from kapprep import journal
    from kapprep.store import Store

    with Store.open(data) as store:
        start = clock.now(UTC).replace(hour=10, minute=0, second=0, microsecond=0)
        sessions = [store.add_session(start + timedelta(days=1 + i)) for i in range(SESSIONS)]
        store.set_setting("welcome_done", True)
        for n in range(steps):
            journal.add_step(store, sessions[0].id, f"Small step number {n + 1:02}", clock.now(UTC))
        for n in range(questions):
            journal.add_question(store, f"Question number {n + 1:02}", clock.now(UTC))


def _long_checklist(folder: Path) -> Path:
    folder.mkdir(parents=True)
    items = "".join(
        f"  - id: item-{n:02}\n    text: Checklist item number {n:02}\n    due: -{40 - n}h\n"
        for n in range(1, 31)
    )
    (folder / "long.yaml").write_text(
        "format: 1\nid: day-before\ntitle: A long day before\nphase: day-before\n"
        "sources:\n  - title: A test\n    url: https://example.org\n"
        f"items:\n{items}",
        encoding="utf-8",
    )
    return folder


def _many_patterns(config: Path) -> None:
    folder = config / "grounding"
    folder.mkdir(parents=True)
    for n in range(1, 21):
        (folder / f"slow-{n:02}.yaml").write_text(
            f"format: 1\nid: slow-{n:02}\nname: Slow breath {n:02}\ndescription: In 4, out 8.\n"
            "breaths:\n  - in: 4\n  - out: 8\n",
            encoding="utf-8",
        )


def _cursor(terminal: Terminal) -> tuple[int, int]:
    x, y = terminal._tmux("display-message", "-p", "-t", "t", "#{cursor_x},#{cursor_y}").split(",")
    return int(x), int(y)


def _row_of(screen: str, text: str) -> int:
    rows = [n for n, line in enumerate(screen.splitlines()) if text in line]
    assert len(rows) == 1, f"{text!r} should be on one row; the screen was:\n{screen}"
    return rows[0]


def _steady(terminal: Terminal) -> tuple[str, tuple[int, int]]:
    """The screen and the cursor once both have held still for a quarter of a second (a
    scroll that follows the focus is animated: mid-way, a row can pass under the cursor)."""
    end = time.monotonic() + TIMEOUT
    while True:
        screen, at = terminal.screen(), _cursor(terminal)
        time.sleep(0.25)
        if (screen, at) == (terminal.screen(), _cursor(terminal)) or time.monotonic() > end:
            return screen, at


def _on_highlight(terminal: Terminal, text: str, what: str) -> None:
    """Wait until the highlighted row `text` is drawn with the cursor on it (not before)."""
    end = time.monotonic() + TIMEOUT
    while True:
        screen, (x, y) = _steady(terminal)
        rows = [n for n, line in enumerate(screen.splitlines()) if text in line]
        if len(rows) == 1 and y == rows[0] and x <= screen.splitlines()[y].index(text):
            return
        if time.monotonic() > end:
            raise AssertionError(
                f"{what}: the cursor stayed at {x},{y}, {text!r} on rows {rows}; the screen "
                f"was:\n{screen}"
            )
        time.sleep(0.1)


def _down(terminal: Terminal, times: int) -> None:
    for _ in range(times):
        terminal.keys("Down")


CASES = ["home", "checklist", "grounding", "steps", "questions", "country", "session-menu"]


@pytest.mark.parametrize("case", CASES)
def test_the_cursor_is_on_the_highlighted_row_of_each_list(
    terminal: Terminal, tmp_path: Path, case: str
) -> None:
    data = tmp_path / "data"
    config = tmp_path / "config"
    config.mkdir()
    _seed(data, steps=30 if case == "steps" else 0, questions=30 if case == "questions" else 0)
    extra = ""
    if case == "checklist":
        extra = f" --checklists {_long_checklist(tmp_path / 'lists')}"
    if case == "grounding":
        _many_patterns(config)
    terminal.start(f"{KAPPREP} --data-dir {data}{extra}", TZ="UTC", KAPPREP_CONFIG=str(config))
    terminal.wait_for(lambda s: "Next session" in s, "the home screen")
    first = clock.now(UTC) + timedelta(days=1)
    if case == "home":
        _down(terminal, 20)
        _on_highlight(terminal, f"{first + timedelta(days=20):%a %-d %b} 10:00", "session 21")
    elif case == "session-menu":
        terminal.keys("Enter")
        terminal.wait_for(lambda s: "Show its checklist" in s, "the session's menu")
        _down(terminal, 3)
        _on_highlight(terminal, "Cancel this session", "the menu's fourth choice")
    elif case == "checklist":
        terminal.keys("c")
        terminal.wait_for(lambda s: "Checklist item number" in s, "the long checklist")
        _down(terminal, 22)
        _on_highlight(terminal, "☐ Checklist item number 23", "item 23")
    elif case == "grounding":
        terminal.keys("g")
        terminal.wait_for(lambda s: "Slow breath 01" in s or "Longer out-breath" in s, "grounding")
        _down(terminal, 20)  # from the first (the default, gentle one) to the 21st
        _on_highlight(terminal, "Slow breath 13", "the 21st exercise")
    elif case in ("steps", "questions"):
        terminal.keys("j")
        terminal.wait_for(lambda s: "This session" in s, "the journal")
        label = "Question number 18" if case == "questions" else "Small step number 18"
        if case == "questions":
            terminal.keys("F4")
            terminal.wait_for(lambda s: "Questions for my clinic" in s, "the questions tab")
        _tab_to(terminal, label[:-3])
        _down(terminal, 17)
        _on_highlight(terminal, label, "the 18th in the list")
    elif case == "country":
        terminal.keys("s")
        terminal.wait_for(lambda s: "Settings" in s and "Your country" in s, "settings")
        _tab_to(terminal, "Not set")  # the country
        terminal.keys("Enter")
        terminal.wait_for(lambda s: "Another country" in s or "Australia" in s, "the countries")
        _down(terminal, 12)
        _on_highlight(terminal, _twelfth_country(), "the 12th country")


def _tab_to(terminal: Terminal, text: str) -> None:
    """Tab until the focus (and with it the cursor) is on a row holding `text`."""
    for _ in range(40):
        before = _steady(terminal)[1]
        terminal.keys("Tab")
        terminal.wait_for(lambda s, b=before: _cursor(terminal) != b, "the focus to move on")
        screen, (_x, y) = _steady(terminal)
        if text in screen.splitlines()[y]:
            return
    raise AssertionError(f"Tab never reached {text!r}:\n{terminal.screen()}")


def _twelfth_country() -> str:
    from kapprep.settings import country_choices

    labels = ["Not set", *(label for label, _ in country_choices())]
    return labels[12]


def _typed_at(terminal: Terminal, typed: str) -> None:
    """Type `typed`; the cursor is then just after it, on its row."""
    terminal._tmux("send-keys", "-t", "t", "-l", typed)
    screen = terminal.wait_for(lambda s: typed in s, f"{typed!r} typed")
    row = _row_of(screen, typed)
    after = screen.splitlines()[row].index(typed) + len(typed)
    terminal.wait_for(lambda s: _cursor(terminal) == (after, row), f"the cursor after {typed!r}")


@pytest.mark.parametrize("field", ["settings-input", "journal-textarea"])
def test_the_cursor_is_at_the_typing_position_in_a_text_field(
    terminal: Terminal, tmp_path: Path, field: str
) -> None:
    data = tmp_path / "data"
    _seed(data)
    terminal.start(f"{KAPPREP} --data-dir {data}", TZ="UTC")
    terminal.wait_for(lambda s: "Next session" in s, "the home screen")
    if field == "settings-input":
        terminal.keys("s")
        terminal.wait_for(lambda s: "Your own emergency number" in s, "settings")
        _tab_to(terminal, "like 112")  # the number's field (its placeholder until typed in)
        _typed_at(terminal, "11223")
        _screen, (x, y) = _steady(terminal)
        terminal.keys("Left", "Left")
        terminal.wait_for(lambda s: _cursor(terminal) == (x - 2, y), "the cursor two back")
    else:
        terminal.keys("j")
        terminal.wait_for(lambda s: "What I hope for" in s, "the journal")
        _tab_to(terminal, "Naming it can help")  # the second note, "What I am afraid of"
        _typed_at(terminal, "Quiet rooms")
        terminal.keys("Enter")
        _typed_at(terminal, "and noise")  # the second line, from its start


def test_while_breathing_the_cursor_is_on_the_pacers_word(
    terminal: Terminal, tmp_path: Path
) -> None:
    """Nothing has the focus while an exercise runs: the cursor sits on its word instead."""
    data = tmp_path / "data"
    _seed(data)
    terminal.start(f"{KAPPREP} --data-dir {data}", TZ="UTC")
    terminal.wait_for(lambda s: "Next session" in s, "the home screen")
    terminal.keys("g")
    terminal.wait_for(lambda s: "Longer out-breath" in s, "grounding")
    terminal.keys("Enter")  # the gentle default: in 4, out 6
    for word in ("Breathe in", "Breathe out"):
        # The bar moves all the time, so the screen never holds still: look at each moment.
        terminal.wait_for(lambda s, w=word: _word_at_cursor(terminal, s, w), f"on {word!r}")


def _word_at_cursor(terminal: Terminal, screen: str, word: str) -> bool:
    x, y = _cursor(terminal)
    lines = screen.splitlines()
    return y < len(lines) and lines[y].find(word) == x and terminal.screen() == screen


def test_the_cursor_is_on_the_active_tab(terminal: Terminal, tmp_path: Path) -> None:
    data = tmp_path / "data"
    _seed(data)
    terminal.start(f"{KAPPREP} --data-dir {data}", TZ="UTC")
    terminal.wait_for(lambda s: "Next session" in s, "the home screen")
    terminal.keys("c")
    screen = terminal.wait_for(lambda s: "Week before" in s and "Day of" in s, "the checklist")
    # The items have the focus first; until the cursor is on them it can still be where the
    # screen's first frame left it, on the first tab (read as "on a tab" below: seen in CI).
    terminal.wait_for(lambda s: _cursor(terminal)[1] > 1, "on the items")
    terminal.keys("BTab")  # from the items up to the phases' tab bar
    tabs = screen.splitlines()[0]
    names = ["Assessment", "Week before", "Day before", "Day of", "After", "Integration"]
    starts = [tabs.index(name) for name in names]
    terminal.wait_for(lambda s: _cursor(terminal) in [(x, 0) for x in starts], "on a tab")
    now = starts.index(_cursor(terminal)[0])
    for n in (1, 2):
        terminal.keys("Right")
        x = starts[(now + n) % len(starts)]
        terminal.wait_for(
            lambda s, x=x: _cursor(terminal) == (x, 0), f"on {names[(now + n) % 6]!r}"
        )
