"""The clinic's rules in the app: a clinic file's reaches day-of mode, the patient notes their
clinic's with `o` on the driving item (and it wins), a rule in words shows in words; a clinic
file's time is called the clinic's, and the items of several files come in time order."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from textual.widgets import Input, OptionList, Static, Tabs

from conftest import CLINIC_RULES_FILE
from kapprep import paths
from kapprep.ui.app import build_app

from .helpers import SESSION_START, Clock

CLINIC = CLINIC_RULES_FILE.replace(
    "  - id: clinic-rest\n    text: Rest\n",
    "  - id: clinic-early-walk\n    text: A short walk with your helper\n    due: +2h30m\n",
)


def _app(data: Path, clinic: Path, now):  # type: ignore[no-untyped-def]
    return build_app(
        data_dir=data,
        checklist_dirs=[*paths.checklist_layers([]), clinic],
        clock=Clock(now),
        monotonic=lambda: 0.0,
    )


async def _pause(pilot, n: int = 3) -> None:  # type: ignore[no-untyped-def]
    for _ in range(n):
        await pilot.pause()


async def _after_card(pilot) -> str:  # type: ignore[no-untyped-def]
    app = pilot.app
    for _ in range(4):
        if "After the session" in str(app.screen.query_one("#dayof-title", Static).render()):
            break
        await pilot.press("right")
        await _pause(pilot, 2)
    return str(app.screen.query_one("#dayof-text", Static).render())


async def test_a_clinic_files_rule_reaches_day_of_and_the_patients_wins(
    seeded: Path, tmp_path: Path
) -> None:
    clinic = tmp_path / "clinic"
    clinic.mkdir()
    (clinic / "after.yaml").write_text(CLINIC)
    app = _app(seeded, clinic, SESSION_START + timedelta(minutes=30))
    async with app.run_test(size=(100, 40)) as pilot:
        await _pause(pilot, 4)
        await pilot.press("d")
        await _pause(pilot)
        card = await _after_card(pilot)
        assert "No driving until 24 hours after your session ends, as your clinic says" in card
        # a rule in words, in words, with no clock time
        assert "No big decisions or legal papers: your clinic says not until you have slept" in card
        assert "passed" not in card

        # the patient notes their clinic's rule where they set a clinic's time: o, on the item
        await pilot.press("escape", "c")
        await _pause(pilot)
        tabs = app.screen.query_one(Tabs)
        tabs.active = "after"
        await _pause(pilot)
        listing = app.screen.query_one("#items", OptionList)
        ids = [o.id for o in listing.options]
        listing.highlighted = ids.index("ride-home-no-driving")
        await pilot.press("o")
        await _pause(pilot)
        field = app.screen.query_one(Input)
        field.value = "99 days"
        await pilot.press("enter")
        await _pause(pilot)
        assert "between 1 hour and 14 days" in str(
            app.screen.query_one("#clinic-rule-error", Static).render()
        )
        field.value = "not until the day after, following a restful sleep"
        await pilot.press("enter")
        await _pause(pilot)
        assert app.ctx.store.get_setting("clinic_rules") == {
            "driving": "not until the day after, following a restful sleep"
        }
        # the items of both files in time order: the clinic's 12:30 walk between 12:00 and 13:00
        rows = [o.id for o in app.screen.query_one("#items", OptionList).options]
        assert rows.index("ride-home-no-driving") < rows.index("clinic-early-walk")
        assert rows.index("clinic-early-walk") < rows.index("rest-quietly")

        await pilot.press("escape", "d")
        await _pause(pilot)
        card = await _after_card(pilot)
        assert "No driving: your clinic says not until the day after, following a restful" in card
