"""A new user at 60×20 (and the Footer at 80×24): the key texts of every screen are whole on
screen, not cut at the edge. Read from what the terminal would show (the compositor's rows),
so a label that is clipped, scrolled out of a tab row or pushed off the Footer fails here.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from kapprep.checklist_model import PHASE_SHORT
from kapprep.checklists import PHASES
from kapprep.paths import shipped_checklists_dir
from kapprep.store import Store
from kapprep.ui.app import KapprepApp
from snapshots.test_snapshots import seed

from .helpers import Clock, make_app, screen_lines

NARROW = (60, 20)
BORDERS = re.compile(r"[│┃╭╮╰╯┏┓┗┛─━▊▎▌▐▔▁]")


def shipped_app(tmp_path: Path, *, welcomed: bool = True) -> KapprepApp:
    """The app as a new user has it: every shipped checklist (all six phases)."""
    folder = seed(tmp_path / "data", welcomed=welcomed)
    return make_app(folder, Clock(), dirs=[shipped_checklists_dir()])


def reading(lines: list[str]) -> str:
    """The screen as one text, borders and scrollbars left out, so wrapped phrases still match
    while a phrase cut at the edge (or hidden under the next widget) does not."""
    rows = [" ".join(BORDERS.sub(" ", line).split()) for line in lines]
    return " ".join(row for row in rows if row)


async def show(app: KapprepApp, size: tuple[int, int], keys: tuple[str, ...]) -> list[str]:
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        for key in keys:
            await pilot.press(key)
            await pilot.pause()
        await pilot.pause()
        await pilot.pause()
        return screen_lines(app)


def phase_labels() -> list[str]:
    return [PHASE_SHORT[p] for p in PHASES]


async def test_every_checklist_phase_name_is_whole_at_60x20(tmp_path: Path) -> None:
    lines = await show(shipped_app(tmp_path), NARROW, ("c",))
    tab_row = lines[0]
    for label in phase_labels():
        assert re.search(rf"(^|[^\w]){re.escape(label)}([^\w]|$)", tab_row), (label, tab_row)


SCREENS: list[tuple[str, tuple[str, ...], list[str]]] = [
    ("welcome", (), ["Welcome to kapprep", "Date and time of the session", "Skip"]),
    ("welcome country", ("tab",) * 4, ["Your country: its emergency number"]),
    ("home", (), ["crisis help on every screen: Ctrl+E (or !)", "? Help"]),
    (
        "briefing",
        ("b",),
        ["Briefing for your support person", "someone who stays with you after", "plan (p)"],
    ),
    ("plan", ("p",), ["Your support plan", "someone who stays with you after"]),
    (
        "settings",
        ("s",),
        [
            "Settings",
            "kapprep-high-contrast is the clearest",
            "use your terminal's",
            "Your country: its emergency number and crisis line",
            "United Kingdom",
        ],
    ),
    ("day-of", ("d",), ["1 of 4", "Next step", "Home"]),
    ("grounding", ("g",), ["choose an exercise", "Start", "Longer", "Shorter"]),
    ("journal", ("j",), ["This session", "Over time", "Questions", "What I hope for"]),
    ("help", ("question_mark",), ["Help", "companion for preparing"]),
    (
        "crisis",
        ("ctrl+e",),
        ["If you feel unsafe", "In an emergency, call", "999", "Samaritans 116 123", "free, any"],
    ),
    ("session form", ("a",), ["Add a session", "Date and time of the session", "Save"]),
    ("session menu", ("enter",), ["Show its checklist", "Remove it and its ticks and notes"]),
    ("note", ("c", "n"), ["Note for:", "Enter saves · Escape cancels"]),
]


@pytest.mark.parametrize(("name", "keys", "texts"), SCREENS, ids=[s[0] for s in SCREENS])
async def test_key_texts_are_whole_at_60x20(
    tmp_path: Path, name: str, keys: tuple[str, ...], texts: list[str]
) -> None:
    app = shipped_app(tmp_path, welcomed=not name.startswith("welcome"))
    if name == "crisis":
        app.ctx.store.set_setting("emergency_number", "999")
    seen = reading(await show(app, NARROW, keys))
    for text in texts:
        assert text in seen, (name, text, seen)


FOOTER_KEYS: list[tuple[str, tuple[str, ...], list[str]]] = [
    ("briefing", ("b",), ["Crisis", "Home", "PDF", "Print", "Help"]),
    # typing starts in the first answer, where "?" is a letter: Help is not offered there
    ("journal", ("j",), ["Crisis", "Home", "Export", "Add step"]),
    ("grounding", ("g",), ["Crisis", "Start", "Home", "Longer", "Shorter", "Help"]),
    ("checklist", ("c",), ["Crisis", "Tick", "Note", "Filter", "Home", "Help"]),
    ("plan", ("p",), ["Crisis", "Home", "Add person", "Help"]),
]


@pytest.mark.parametrize("size", [(80, 24), NARROW], ids=["80x24", "60x20"])
@pytest.mark.parametrize(("name", "keys", "words"), FOOTER_KEYS, ids=[f[0] for f in FOOTER_KEYS])
async def test_the_main_keys_fit_in_the_footer(
    tmp_path: Path, name: str, keys: tuple[str, ...], words: list[str], size: tuple[int, int]
) -> None:
    """Every key is also in ? help and the command palette, but the main ones of each screen
    must be readable in the Footer itself, crisis first, the last one not cut off."""
    footer = (await show(shipped_app(tmp_path), size, keys))[-1]
    assert footer.lstrip().startswith("^e Crisis"), footer
    for word in words:
        assert re.search(rf"(^|\s){re.escape(word)}(\s|$)", footer), (name, word, footer)


async def test_a_small_terminal_does_not_crash(tmp_path: Path) -> None:
    """50×16 is below what we design for: every screen still opens and shows its Footer."""
    for keys in (("c",), ("d",), ("g",), ("p",), ("b",), ("j",), ("s",), ("question_mark",)):
        app: Any = shipped_app(tmp_path / "-".join(keys))
        lines = await show(app, (50, 16), keys)
        assert "Crisis" in lines[-1], (keys, lines[-1])


def readable(app: KapprepApp) -> bool:
    """Text on screen is in the terminal's own colour or one unlike its background."""
    for strip in app.screen._compositor.render_strips():
        for segment in strip:
            style = segment.style
            if not segment.text.strip() or style is None:
                continue
            if style.color is None or style.color.is_default or style.color != style.bgcolor:
                return True
    return False


async def test_no_color_with_an_ansi_theme_is_not_black_on_black(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Textual keeps the NO_COLOR filter it chose at start (greys, for textual-dark); with an
    ansi-* theme chosen later, greys made every colour black: a dark, empty-looking screen."""
    from textual.widgets import Select

    monkeypatch.setenv("NO_COLOR", "1")
    app = shipped_app(tmp_path)
    async with app.run_test(size=NARROW) as pilot:
        await pilot.press("s")
        await pilot.pause()
        app.screen.query_one("#theme", Select).value = "ansi-dark"
        await pilot.pause()
        await pilot.pause()
        assert app.theme == "ansi-dark" and app.ctx.store.get_setting("theme") == "ansi-dark"
        assert readable(app)


async def test_no_color_with_a_stored_ansi_theme_is_readable_from_the_start(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same, for an ansi-* theme saved earlier: the App picks the filter when it is built."""
    monkeypatch.setenv("NO_COLOR", "1")
    with Store.open(tmp_path / "data") as store:
        store.set_setting("theme", "ansi-dark")
    app = shipped_app(tmp_path)
    async with app.run_test(size=NARROW) as pilot:
        await pilot.pause()
        assert app.theme == "ansi-dark"
        assert readable(app)


@pytest.mark.parametrize("size", [NARROW, (80, 24)], ids=["60x20", "80x24"])
async def test_every_items_details_fit_with_why_open(tmp_path: Path, size: tuple[int, int]) -> None:
    """QA walk: the detail pane was 7 rows at most, so a clinic item's why (or the default
    time's sources) was cut off mid-sentence. Every shipped item, why shown, fits whole."""
    from textual.widgets import OptionList, Static, Tabs

    app = shipped_app(tmp_path)
    async with app.run_test(size=size) as pilot:
        await pilot.press("c")
        await pilot.pause()
        screen = app.screen
        screen.query_one(Tabs).active = PHASES[0]
        await pilot.pause()
        await pilot.press("w")
        items = screen.query_one("#items", OptionList)
        box, detail = screen.query_one("#detail-box"), screen.query_one("#detail", Static)
        checked = 0
        for _phase in PHASES:
            for index in range(items.option_count):
                items.highlighted = index
                await pilot.pause()
                assert detail.outer_size.height <= box.size.height, (
                    items.get_option_at_index(index).id,
                    detail.outer_size.height,
                    box.size.height,
                )
                checked += 1
            await pilot.press("right")
            await pilot.pause()
        assert checked >= 40


async def test_every_plan_label_is_whole_at_60_columns(tmp_path: Path) -> None:
    """QA walk: plan labels were cut at the edge ("…(as the clinic say"). A tall 60-column
    terminal shows the whole form at once; each label, with its hint, reads whole."""
    from kapprep.plan import FIELDS, ROLE_LABELS

    seen = reading(await show(shipped_app(tmp_path), (60, 160), ("p",)))
    for spec in FIELDS:
        hinted = spec.hint and spec.kind != "yesno"  # a tick box shows its label alone
        label = f"{spec.label} ({spec.hint})" if hinted else spec.label
        assert label in seen, label
    for role_label in ROLE_LABELS.values():
        assert role_label in seen, role_label
