"""Pilot tests: each screen's behaviour, asserted on the store and on what the screen shows."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from textual.widgets import Checkbox, Input, OptionList, Select, Static

from kapprep.store import Store
from kapprep.ui.app import KapprepApp
from kapprep.ui.registry import SCREENS
from kapprep.ui.screens.checklist import ChecklistScreen
from kapprep.ui.screens.crisis import CrisisScreen
from kapprep.ui.screens.dayof import DayOfScreen
from kapprep.ui.screens.help import HelpScreen
from kapprep.ui.screens.home import HomeScreen
from kapprep.ui.screens.settings import SettingsScreen
from kapprep.ui.screens.welcome import WelcomeScreen

from .helpers import DATA, NOW, SESSION_START, Clock, make_app, screen_lines

SIZE = (80, 24)


def text(app: KapprepApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


def options(app: KapprepApp, selector: str = "#items") -> list[str]:
    found = app.screen.query_one(selector, OptionList)
    return [str(o.prompt) for o in found.options]


async def settle(pilot) -> None:  # type: ignore[no-untyped-def]
    await pilot.pause()
    await pilot.pause()


async def choose_in_session_menu(pilot, choice: str) -> None:  # type: ignore[no-untyped-def]
    """Enter on the first session in the home screen's list, then `choice` in its menu."""
    listing = pilot.app.screen.query_one("#sessions", OptionList)
    listing.focus()
    listing.highlighted = 0
    await pilot.press("enter")
    await settle(pilot)
    menu = pilot.app.screen.query_one("#menu", OptionList)
    menu.highlighted = next(i for i, o in enumerate(menu.options) if o.id == choice)
    await pilot.press("enter")
    await settle(pilot)


def read_store(data_dir: Path) -> Store:
    return Store.open(data_dir)


# -- first run ---------------------------------------------------------------------------


async def test_first_run_shows_welcome_and_explains_a_bad_date(data_dir: Path) -> None:
    app = make_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, WelcomeScreen)
        await pilot.press(*"3/12 10:00", "enter")
        await settle(pilot)
        assert isinstance(app.screen, WelcomeScreen)
        assert "month as a word" in text(app, "#start-error")
        assert app.ctx.store.sessions() == []
        app.screen.query_one("#start", Input).value = "2020-01-01 10:00"  # QA: a slip, kept
        await pilot.press("enter")
        await settle(pilot)
        assert "has passed" in text(app, "#start-error") and app.ctx.store.sessions() == []
        # Typing again takes the old mistake away (QA walk: it stayed under a corrected date).
        await pilot.press("backspace")
        await settle(pilot)
        assert text(app, "#start-error") == ""
        assert not app.screen.query_one("#start", Input).has_class("-invalid")
        # Enter on a good answer moves to the next question instead of saving the form early.
        app.screen.query_one("#start", Input).value = "3 Dec 10:00"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, WelcomeScreen) and app.focused is not None
        assert app.focused.id != "start" and app.ctx.store.sessions() == []
        app.screen.query_one("#clinic", Input).value = "Calm Clinic"
        app.screen.query_one("#phone", Input).value = "0161 496 0000"
        app.screen.query_one("#emergency", Input).value = "999"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        [session] = app.ctx.store.sessions()
        assert session.start == SESSION_START
        assert session.clinic == "Calm Clinic"
        assert app.ctx.store.get_setting("emergency_number") == "999"
        assert "tomorrow 10:00" in text(app, "#next-session")


async def test_first_run_can_be_skipped_and_is_not_shown_again(data_dir: Path) -> None:
    app = make_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert "No session planned" in text(app, "#next-session")
    app2 = make_app(data_dir)
    async with app2.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app2.screen, HomeScreen)


# -- home --------------------------------------------------------------------------------


async def test_home_shows_next_session_what_is_due_and_progress(seeded: Path) -> None:
    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert "tomorrow 10:00" in text(app, "#next-session")
        assert text(app, "#countdown") == "in 16 h"
        due, late = text(app, "#due").split("Still open")
        assert "No alcohol" not in due and "No alcohol" in late  # due 10:00 today: past
        assert "Go to bed early" in due and "today 21:00" in due and "(in 3 h)" in due
        progress = text(app, "#progress")
        assert "The week before          ░░░░░  0/2" in progress


async def test_home_countdown_follows_the_clock_and_day_of_hint_appears(seeded: Path) -> None:
    clock = Clock()
    app = make_app(seeded, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert not app.screen.query_one("#dayof-hint").display
        clock.now = SESSION_START - timedelta(hours=2)
        app.screen.reload()  # what the once-a-minute tick does
        await settle(pilot)
        assert "press d for day-of mode" in text(app, "#dayof-hint")


async def test_add_session_from_home_and_mark_it_done(seeded: Path) -> None:
    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        await pilot.press(*"17 Dec 10:00", "enter")
        await settle(pilot)
        sessions = app.ctx.store.sessions()
        assert len(sessions) == 2 and sessions[1].start.day == 17
        await choose_in_session_menu(pilot, "done")
        assert app.ctx.store.sessions()[0].status == "done"
        assert any("done ✓" in o for o in options(app, "#sessions"))


async def test_adding_a_later_session_keeps_the_next_one_in_the_header(seeded: Path) -> None:
    # QA walk: the added session became "Next session" (and got the ticks), and a "▸" mark on
    # it looked like the cursor while Enter acted on another row.
    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        await pilot.press(*"5 Dec 10:00", "enter")
        await settle(pilot)
        assert text(app, "#next-session").startswith("Next session: tomorrow 10:00")
        rows = options(app, "#sessions")
        assert rows[0].endswith("· shown above") and "shown" not in rows[1]
        listing = app.screen.query_one("#sessions", OptionList)
        assert listing.highlighted == 1  # the cursor is on the session just added
        await pilot.press("enter")
        await settle(pilot)
        menu = app.screen.query_one("#menu", OptionList)
        menu.highlighted = next(i for i, o in enumerate(menu.options) if o.id == "checklist")
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("h")
        await settle(pilot)
        assert text(app, "#next-session") == (
            "Chosen session: Sat 5 Dec 10:00  (your next is tomorrow 10:00)"
        )
        # The clock setting reaches the list at once (it waited for a restart).
        app.ctx.store.set_setting("clock_24h", False)
        app.screen.reload()  # type: ignore[attr-defined]
        await settle(pilot)
        assert "10:00 am" in options(app, "#sessions")[0]


async def test_the_same_session_is_not_added_twice(seeded: Path) -> None:
    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        await pilot.press(*"3 Dec 10:00", "enter")  # the seeded session's time
        await settle(pilot)
        assert len(app.ctx.store.sessions()) == 1
        said = text(app, "#start-error")
        assert said.startswith("You already have a session at tomorrow 10:00.")
        assert app.focused is not None and app.focused.id == "start"
        # Editing the session itself and keeping its time is fine.
        await pilot.press("escape")
        await settle(pilot)
        await choose_in_session_menu(pilot, "edit")
        await pilot.press("ctrl+s")
        await settle(pilot)
        [session] = app.ctx.store.sessions()
        assert session.start == SESSION_START and isinstance(app.screen, HomeScreen)


# -- checklist ---------------------------------------------------------------------------


async def test_tick_with_space_is_saved_at_once_and_untick_works(seeded: Path) -> None:
    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        assert isinstance(app.screen, ChecklistScreen)
        # Opens on the phase of the next due item: the day before.
        assert options(app)[0].startswith("☐ No alcohol")
        await pilot.press("space")
        await settle(pilot)
        with read_store(seeded) as other:  # another connection sees it: saved at once
            assert set(other.ticks(1)) == {"no-alcohol"}
        assert options(app)[0].startswith("☑ No alcohol")
        await pilot.press("up", "space")
        await settle(pilot)
        assert app.ctx.store.ticks(1) == {}


async def test_why_on_demand_and_clinic_notice(seeded: Path) -> None:
    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("c", "right")
        await settle(pilot)
        detail = text(app, "#detail")
        assert "Stop eating" in detail
        assert "Follow your clinic's instructions." in detail
        assert "Why:" not in detail
        await pilot.press("w")
        assert "Why: An empty stomach" in text(app, "#detail")


async def test_a_sourced_default_time_ends_with_one_full_stop(seeded: Path) -> None:
    # QA walk: "... cacheketamine.com).." (the shipped source text ends with its own full stop).
    from kapprep import paths

    app = make_app(seeded, dirs=[paths.shipped_checklists_dir()])
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("c", "right", "w")
        await settle(pilot)
        detail = text(app, "#detail")
        assert "Stop eating" in detail and "The default time: 6 hours without food" in detail
        assert "cacheketamine.com)." in detail and ".." not in detail


async def test_help_names_both_phase_keys_plainly(seeded: Path) -> None:
    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("c", "question_mark")
        await settle(pilot)
        keys = "\n".join(screen_lines(app))
        assert "Next phase — Next tab" in keys  # was "Previous phase — Tab"
        assert "Previous phase — Previous tab" in keys


async def test_note_editor_saves_to_the_store_and_escapes_markup(seeded: Path) -> None:
    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("c", "n")
        await settle(pilot)
        await pilot.press(*"ask [bold]Dr K[/bold]", "enter")
        await settle(pilot)
        assert app.ctx.store.notes(1) == {"no-alcohol": "ask [bold]Dr K[/bold]"}
        assert "Your note: ask [bold]Dr K[/bold]" in text(app, "#detail")


async def test_the_note_shows_before_the_why(seeded: Path) -> None:
    """QA: at 80x24 an open "why" pushed the note out of the 7-line detail pane."""
    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("c", "right")
        await settle(pilot)
        await pilot.press("n", *"water ok", "enter")
        await settle(pilot)
        await pilot.press("w")
        await settle(pilot)
        detail = text(app, "#detail")
        assert "Stop eating" in detail and "Why: An empty stomach" in detail
        assert detail.index("Your note: water ok") < detail.index("Why:")


async def test_filters_show_overdue_items_across_phases(seeded: Path) -> None:
    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("c", "f", "f", "f")  # all -> open -> soon -> overdue
        await settle(pilot)
        shown = options(app)
        assert "past their time" in text(app, "#filter-line")
        assert {s.split("  ")[0][2:] for s in shown} == {
            "Book a therapy appointment for after the session",
            "Arrange your ride home",
            "No alcohol from now on",
        }


async def test_checklist_file_with_mistakes_is_named_and_the_rest_works(seeded: Path) -> None:
    app = make_app(seeded, dirs=[DATA / "checklists", DATA / "broken"])
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        [told] = [n.message for n in app._notifications]
        assert told.startswith("A checklist file has mistakes and was left out")
        assert "Next session" in text(app, "#next-session")  # the home screen still works
        await pilot.press("c")
        await settle(pilot)
        problems = text(app, "#problems")
        assert "bad.yaml:4:" in problems and "left out" in problems
        assert options(app)  # the good files still load


async def test_checklist_opens_when_only_a_journal_prompt_is_due(seeded: Path) -> None:
    """After the session the next due item can be a journal prompt ("integration"); with no
    checklist in that phase (its file left out for a mistake) there is no such tab. The
    checklist used to stop the app here (ValueError: No Tab with id 'integration')."""
    app = make_app(seeded, Clock(SESSION_START + timedelta(hours=5)))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        assert isinstance(app.screen, ChecklistScreen)
        assert options(app)


async def test_second_instance_sees_ticks_on_refresh_and_keeps_them(seeded: Path) -> None:
    first, second = make_app(seeded), make_app(seeded)
    async with first.run_test(size=SIZE) as p1, second.run_test(size=SIZE) as p2:
        await settle(p1)
        await settle(p2)
        await p2.press("c")
        await settle(p2)
        await p1.press("c", "space")
        await settle(p1)
        assert options(second)[0].startswith("☐")
        await p2.press("r")
        await settle(p2)
        assert options(second)[0].startswith("☑ No alcohol")
        await p2.press("down", "space")  # the second ticks another; the first's tick stays
        await settle(p2)
        assert set(first.ctx.store.ticks(1)) == {"no-alcohol", "sleep-well"}


# -- crisis, help, settings, day-of -------------------------------------------------------


async def test_crisis_key_works_while_typing_and_does_not_type(data_dir: Path) -> None:
    app = make_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, WelcomeScreen)
        await pilot.press("exclamation_mark")  # typing: ! goes into the field
        assert app.screen.query_one("#start", Input).value == "!"
        await pilot.press("ctrl+e")
        await settle(pilot)
        assert isinstance(app.screen, CrisisScreen)
        assert "emergency number (911 in the US" in text(app, "#emergency")
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen.query_one("#start", Input).value == "!"


async def test_crisis_panel_shows_clinic_emergency_and_country_line(seeded: Path) -> None:
    with Store.open(seeded) as store:
        store.set_setting("country", "GB")
    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("exclamation_mark")
        await settle(pilot)
        assert isinstance(app.screen, CrisisScreen)
        assert text(app, "#emergency") == "999"
        assert "0161 000" in text(app, "#clinic")
        assert "Samaritans" in text(app, "#lines") and "116 123" in text(app, "#lines")


async def test_help_lists_the_keys_of_the_screen_underneath(seeded: Path) -> None:
    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("c", "question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        keys = "\n".join(screen_lines(app))  # a grid of keys: read it as shown
        assert "Tick" in keys and "Ctrl+E" in keys and "not a clinician" in text(app, "#about")


async def test_settings_are_saved_at_once(seeded: Path) -> None:
    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        assert isinstance(app.screen, SettingsScreen)
        screen = app.screen
        screen.query_one("#clock", Checkbox).value = False
        screen.query_one("#motion", Checkbox).value = True
        screen.query_one("#theme", Select).value = "kapprep-high-contrast"
        screen.query_one("#country", Select).value = "US"
        screen.query_one("#emergency", Input).value = "911"
        await settle(pilot)
        store = app.ctx.store
        assert store.get_setting("clock_24h") is False
        assert store.get_setting("reduced_motion") is True
        assert store.get_setting("theme") == "kapprep-high-contrast"
        assert store.get_setting("country") == "US"
        assert store.get_setting("emergency_number") == "911"
        assert app.theme == "kapprep-high-contrast" and app.animation_level == "none"
        screen.query_one("#emergency", Input).value = "call mum"
        await settle(pilot)
        assert "digits" in text(app, "#emergency-error")
        assert store.get_setting("emergency_number") == "911"
        await pilot.press("escape")
        await settle(pilot)
        assert "10:00 am" in text(app, "#next-session")  # the 12-hour clock


async def test_day_of_mode_after_the_session_leaves_driving_to_the_clinic(seeded: Path) -> None:
    # No rule of kapprep's own: no countdown, no clock time, never "has passed" (clinic_rules).
    clock = Clock(SESSION_START + timedelta(hours=2))
    with Store.open(seeded) as store, store.transaction() as conn:
        conn.execute(
            "INSERT INTO plan_people (name, phone, updated_at) VALUES ('Sam', '07700 900123', ?)",
            (NOW.isoformat(),),
        )
    app = make_app(seeded, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(app.screen, DayOfScreen)
        # two hours on, kapprep first asks whether it happened; the next card is what comes after
        assert "Did your session happen?" in text(app, "#dayof-title")
        await pilot.press("left")
        await settle(pilot)
        assert "After the session" in text(app, "#dayof-title")
        body = text(app, "#dayof-text")
        assert "No driving today. Your clinic tells you when you may drive again" in body
        assert "No big decisions or legal papers today. Your clinic tells you" in body
        assert "Follow your clinic's instructions." in body
        assert "09:00" not in body and "10:00" not in body
        assert str(app.screen.query_one("#dayof-digits").value) == ""  # type: ignore[attr-defined]
        clock.now = SESSION_START + timedelta(days=3)  # long after: still no "has passed"
        await pilot.press("left", "right")
        await settle(pilot)
        assert "passed" not in text(app, "#dayof-text")
        await pilot.press("left")
        await settle(pilot)
        assert "Sam  07700 900123" in text(app, "#dayof-text")  # whom to call


async def test_day_of_after_card_counts_nothing_down_before_the_session(seeded: Path) -> None:
    # QA walk: ten days ahead the card showed a big "236:16" that meant nothing yet.
    app = make_app(seeded)  # the evening before the session
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        for _ in range(4):
            if "After the session" in text(app, "#dayof-title"):
                break
            await pilot.press("right")
            await settle(pilot)
        assert "After the session" in text(app, "#dayof-title")
        assert str(app.screen.query_one("#dayof-digits").value) == ""  # type: ignore[attr-defined]
        body = text(app, "#dayof-text")
        assert body.startswith(
            "Once your session is over:\nNo driving today. Your clinic tells you"
        )
        assert "No big decisions or legal papers today." in body and "10:00" not in body


# -- robustness --------------------------------------------------------------------------


async def test_every_screen_opens_at_60x20_and_resizes(seeded: Path) -> None:
    app = make_app(seeded)
    async with app.run_test(size=(60, 20)) as pilot:
        await settle(pilot)
        for spec in SCREENS:
            await app.run_action("home")  # screen keys are typed text where a field has focus
            await settle(pilot)
            await pilot.press(spec.key)
            await settle(pilot)
            assert getattr(app.screen, "spec_name", None) == spec.name
            await pilot.resize_terminal(80, 24)
            await settle(pilot)
            await pilot.resize_terminal(60, 20)
            await settle(pilot)
        for key in ("ctrl+e", "escape", "question_mark", "escape", "h"):
            await pilot.press(key)
            await settle(pilot)
        assert isinstance(app.screen, HomeScreen)


def test_registry_keys_are_unique_and_clash_with_no_app_key() -> None:
    keys = [s.key for s in SCREENS]
    assert len(keys) == len(set(keys))
    assert {"c", "d", "g", "p", "b", "j", "s"} == set(keys)
    all_keys = [b.key for b in KapprepApp.BINDINGS if hasattr(b, "key")]  # type: ignore[union-attr]
    assert all(all_keys.count(k) == 1 for k in keys)  # each screen key bound once, by its screen
    app_keys = set(all_keys)
    assert {"ctrl+e", "question_mark", "q", "r"} <= app_keys
    assert len({b.id for b in KapprepApp.BINDINGS}) == len(KapprepApp.BINDINGS)  # type: ignore[union-attr]


async def test_command_palette_has_every_screen_and_the_screen_actions(seeded: Path) -> None:
    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        titles = {c.title for c in app.get_system_commands(app.screen)}
        assert {"Crisis help", "Help", "Home", "Refresh"} <= titles
        assert {s.title for s in SCREENS} <= titles
        assert {"Tick", "Why", "Note", "Filter"} <= titles


async def test_a_failed_save_is_told_plainly_and_the_app_goes_on(seeded: Path) -> None:
    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        app.ctx.store.close()  # as if the disk went away
        await pilot.press("space")
        await settle(pilot)
        assert app.is_running and isinstance(app.screen, ChecklistScreen)
        assert any("not saved" in str(n.message) for n in app._notifications)


async def test_clinic_time_for_a_clinic_decided_item_moves_it(seeded: Path) -> None:
    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("c", "right")  # the day of: Stop eating (clinic decides) first
        await settle(pilot)
        assert "tomorrow 04:00" in options(app)[0]
        await pilot.press("o")
        await settle(pilot)
        await pilot.press(*"soon", "enter")
        await settle(pilot)
        assert "4 hours before" in text(app, "#clinic-time-error")
        app.screen.query_one(Input).value = "4 hours before"
        await pilot.press("enter")
        await settle(pilot)
        assert app.ctx.store.clinic_times() == {"stop-eating": "-4h"}
        assert "tomorrow 06:00" in options(app)[0] and "your clinic's time" in options(app)[0]
        await pilot.press("down", "o")  # not a clinic-decided item: nothing opens
        await settle(pilot)
        assert isinstance(app.screen, ChecklistScreen)


async def test_the_crisis_key_comes_first_in_every_footer(seeded: Path) -> None:
    from textual.widgets._footer import FooterKey

    app = make_app(seeded)
    async with app.run_test(size=(60, 20)) as pilot:
        await settle(pilot)
        for key in ("h", *(s.key for s in SCREENS), "h", "a", "escape", "question_mark"):
            await pilot.press(key)
            await settle(pilot)
            keys = list(app.screen.query(FooterKey))
            assert keys and keys[0].action in ("crisis", "app.crisis"), type(app.screen).__name__
            assert keys[0].region.right <= 60  # visible, not scrolled off
