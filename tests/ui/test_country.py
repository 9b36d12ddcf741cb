"""The country, once: chosen at first start (the locale's by default), it gives the crisis panel
and the briefing their emergency number and crisis line; changing it in Settings changes both."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Select, Static

from kapprep.ui.app import KapprepApp
from kapprep.ui.screens.briefing import BriefingScreen
from kapprep.ui.screens.crisis import CrisisScreen
from kapprep.ui.screens.home import HomeScreen
from kapprep.ui.screens.settings import SettingsScreen
from kapprep.ui.screens.welcome import WelcomeScreen

from .helpers import make_app

SIZE = (80, 24)


def text(app: KapprepApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


async def settle(pilot) -> None:  # type: ignore[no-untyped-def]
    await pilot.pause()
    await pilot.pause()


async def crisis_panel(pilot) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    await pilot.press("ctrl+e")
    await settle(pilot)
    app = pilot.app
    assert isinstance(app.screen, CrisisScreen)
    shown = text(app, "#emergency"), text(app, "#lines")
    await pilot.press("escape")
    await settle(pilot)
    return shown


async def briefing_top(pilot) -> str:  # type: ignore[no-untyped-def]
    await pilot.press("b")
    await settle(pilot)
    app = pilot.app
    assert isinstance(app.screen, BriefingScreen)
    preview = text(app, "#briefing-text")
    await pilot.press("escape")
    await settle(pilot)
    return "\n".join(preview.splitlines()[:25])


@pytest.fixture
def british_locale(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LANG", "en_GB.UTF-8")
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_TELEPHONE", raising=False)


async def test_first_start_asks_the_country_and_settings_change_panel_and_briefing(
    data_dir: Path, british_locale: None
) -> None:
    app = make_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, WelcomeScreen)
        country = app.screen.query_one("#country", Select)
        assert country.value == "GB"  # the locale's country is the default
        country.value = "IE"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        store = app.ctx.store
        assert store.get_setting("country") == "IE"
        assert store.get_setting("emergency_number") is None  # no number typed: none stored

        emergency, lines = await crisis_panel(pilot)
        assert emergency == "112 or 999" and "Pieta" in lines and "1800 247 247" in lines
        assert "crisis line: call" in lines and "checked 2026-12" in lines
        top = await briefing_top(pilot)
        assert "IN AN EMERGENCY CALL 112 OR 999" in top and "Samaritans 116 123" in top
        assert "Emergency: not set" not in top

        await pilot.press("s")
        await settle(pilot)
        assert isinstance(app.screen, SettingsScreen)
        app.screen.query_one("#country", Select).value = "US"
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)

        emergency, lines = await crisis_panel(pilot)
        assert emergency == "911" and "988" in lines and "+1988" not in lines
        assert "Fireside" in lines and "peer support:" in lines
        top = await briefing_top(pilot)
        assert "IN AN EMERGENCY CALL 911" in top and "988 Suicide & Crisis Lifeline 988" in top
        assert "Samaritans" not in top


async def test_a_country_outside_the_directory_is_told_to_ask_the_clinic(
    data_dir: Path, british_locale: None
) -> None:
    app = make_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.screen.query_one("#country", Select).value = "other"
        await pilot.press("ctrl+s")
        await settle(pilot)
        emergency, lines = await crisis_panel(pilot)
        assert "911 in the US" in emergency
        assert "ask your clinic" in lines and "Settings" not in lines
        top = await briefing_top(pilot)
        assert "ask the clinic for one" in top


async def test_skipping_the_first_start_stores_no_country(
    data_dir: Path, british_locale: None
) -> None:
    app = make_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert app.ctx.store.get_setting("country") is None
        _emergency, lines = await crisis_panel(pilot)
        assert "Choose your country in Settings" in lines


def test_the_themes_settings_accepts_are_the_apps(data_dir: Path) -> None:
    from kapprep.settings import THEMES

    app = make_app(data_dir)
    try:
        assert sorted(app.available_themes) == sorted(THEMES)
    finally:
        app.ctx.store.close()
