"""The plan form: fields saved as they are left, validation beside the field, people, signs."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Button, Checkbox, Input, Static

from kapprep import plan as plans
from kapprep.ui.context import AppContext
from kapprep.ui.screens.plan import PlanScreen

from .plan_host import LONDON, Host, make_ctx


@pytest.fixture
def ctx(tmp_path: Path) -> AppContext:
    c = make_ctx(tmp_path / "data")
    yield c
    c.store.close()


async def type_into(pilot: Pilot[None], selector: str, text: str, then: str = "tab") -> None:
    field = pilot.app.screen.query_one(selector, Input)
    field.focus()
    await pilot.pause()
    field.value = ""
    await pilot.press(*text)
    await pilot.press(then)
    await pilot.pause()


def error_text(pilot: Pilot[None], field_id: str) -> str | None:
    error = pilot.app.screen.query_one(f"#err-{field_id}", Static)
    return str(error.render()) if error.display else None


async def test_a_field_is_saved_when_left(ctx: AppContext) -> None:
    app = Host(ctx, PlanScreen)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await type_into(pilot, "#f-clinic", "Calm Clinic")
        assert plans.load_plan(ctx.store).values["clinic"] == "Calm Clinic"
        await type_into(pilot, "#f-home_address", "4 Elm Road", then="enter")
        assert plans.load_plan(ctx.store).values["home_address"] == "4 Elm Road"
        # Enter moves on to the next field
        assert app.screen.focused is app.screen.query_one("#f-emergency_number")


async def test_a_bad_phone_number_is_shown_beside_the_field_and_not_saved(ctx: AppContext) -> None:
    app = Host(ctx, PlanScreen)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await type_into(pilot, "#f-clinic_phone", "12")
        message = error_text(pilot, "f-clinic_phone")
        assert (
            message is not None and "That is not a phone number in GB: check the digits" in message
        )
        assert "clinic_phone" not in plans.load_plan(ctx.store).values
        assert app.screen.query_one("#f-clinic_phone").has_class("-invalid")
        await type_into(pilot, "#f-clinic_phone", "0113 496 0000")
        assert error_text(pilot, "f-clinic_phone") is None
        assert plans.load_plan(ctx.store).values["clinic_phone"] == "+44 113 496 0000"
        assert app.screen.query_one("#f-clinic_phone", Input).value == "+44 113 496 0000"


async def test_the_missing_list_follows_the_form(ctx: AppContext) -> None:
    app = Host(ctx, PlanScreen)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        missing = app.screen.query_one("#plan-missing", Static)
        assert "Home address" in str(missing.render())
        await type_into(pilot, "#f-home_address", "4 Elm Road")
        assert "Home address" not in str(missing.render())


async def test_people_are_added_edited_and_removed_by_keyboard(ctx: AppContext) -> None:
    app = Host(ctx, PlanScreen)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+n")
        await pilot.pause()
        people = plans.load_plan(ctx.store).people
        assert len(people) == 1
        pid = people[0].id
        assert app.screen.focused is app.screen.query_one(f"#p-{pid}-name")
        await pilot.press(*"Zoë Ødegård 李小龍", "tab")
        await pilot.pause()
        await type_into(pilot, f"#p-{pid}-phone", "07911 123456")
        box = app.screen.query_one(f"#p-{pid}-role-collects_after", Checkbox)
        box.focus()
        await pilot.press("space")
        await pilot.pause()
        person = plans.load_plan(ctx.store).people[0]
        assert person.name == "Zoë Ødegård 李小龍"
        assert person.phone == "+44 7911 123456"
        assert person.roles == ("collects_after",)
        await type_into(pilot, f"#p-{pid}-collect_at", "25:00")
        assert "HH:MM" in (error_text(pilot, f"p-{pid}-collect_at") or "")
        await type_into(pilot, f"#p-{pid}-collect_at", "14.30")
        assert plans.load_plan(ctx.store).people[0].collect_at == "14:30"
        # Remove asks for a second press.
        remove = app.screen.query_one(f"#p-{pid}-remove", Button)
        remove.active_effect_duration = 0  # a real second press comes later than 0.2 s
        remove.focus()
        await pilot.press("enter")
        await pilot.pause()
        assert len(plans.load_plan(ctx.store).people) == 1
        await pilot.press("enter")
        await pilot.pause()
        assert plans.load_plan(ctx.store).people == ()


async def test_signs_are_prefilled_editable_and_addable(ctx: AppContext) -> None:
    app = Host(ctx, PlanScreen)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        first = plans.load_plan(ctx.store).signs[0]
        await type_into(pilot, f"#s-{first.id}-todo", "Bucket by the sofa.")
        assert plans.load_plan(ctx.store).signs[0].what_to_do == "Bucket by the sofa."
        await type_into(pilot, f"#s-{first.id}-sign", "")
        assert "write the sign" in (error_text(pilot, f"s-{first.id}-sign") or "")
        await pilot.press("ctrl+g")
        await pilot.pause()
        assert plans.load_plan(ctx.store).signs[-1].sign == "New sign"


async def test_medications_are_shared_only_when_ticked(ctx: AppContext) -> None:
    app = Host(ctx, PlanScreen)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        box = app.screen.query_one("#f-share_medical", Checkbox)
        assert not box.value
        box.focus()
        await pilot.press("space")
        await pilot.pause()
        assert plans.load_plan(ctx.store).shares_medical


async def test_leaving_the_screen_saves_the_field_being_typed(ctx: AppContext) -> None:
    app = Host(ctx, PlanScreen)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        field = app.screen.query_one("#f-what_helps", Input)
        field.focus()
        await pilot.pause()
        await pilot.press(*"tea")
        await pilot.press("escape")
        await pilot.pause()
        assert len(app.screen_stack) == 1
        assert plans.load_plan(ctx.store).values["what_helps"] == "tea"


async def test_the_form_works_at_60_by_20(ctx: AppContext) -> None:
    app = Host(ctx, PlanScreen)
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        await type_into(pilot, "#f-emergency_number", "999")
        assert plans.load_plan(ctx.store).values["emergency_number"] == "999"
        assert app.screen.query_one("#plan-body").size.width <= 60


async def test_the_pickup_time_is_worked_out_and_can_be_changed(ctx: AppContext) -> None:
    ctx.store.add_session(datetime(2026, 12, 3, 10, 0, tzinfo=LONDON))
    app = Host(ctx, PlanScreen)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        pickup = app.screen.query_one("#f-pickup_at", Input)
        assert pickup.placeholder.startswith("not set")
        await type_into(pilot, "#f-session_minutes", "60")
        await type_into(pilot, "#f-recovery_minutes", "90")
        assert pickup.placeholder.startswith("12:30 (session end + recovery)")
        await type_into(pilot, "#f-pickup_at", "13.15")
        assert pickup.value == "13:15"
        assert plans.load_plan(ctx.store).values["pickup_at"] == "13:15"
