"""Spoken cues in the app (issue 24): with the setting on, each breath phase starts with its word
(the first one too), through a speaker whose programs are faked here; a failing speaker is said
once, calmly, and the bell takes over; the setting is on the Grounding screen (k) and in Settings."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from fake_speaker import fake_speaker
from kapprep.settings import load_settings, set_settings
from kapprep.speech import NONE_FOUND, Speaker
from kapprep.store import Store
from kapprep.ui.screens import grounding as screen_module
from kapprep.ui.widgets.pacer import Pacer

from .test_grounding_screen import Mono, advance, make_host


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(tmp_path / "data") as opened:
        yield opened


@pytest.fixture
def mono() -> Mono:
    return Mono()


def _fake_speaker(
    monkeypatch: pytest.MonkeyPatch, *, program: str | None, code: int | None = 0
) -> list[str]:
    said: list[str] = []

    def build(**kwargs: Any) -> Speaker:
        return fake_speaker(code, program, said, **kwargs)[0]

    monkeypatch.setattr(screen_module, "Speaker", build)
    return said


def _bells(monkeypatch: pytest.MonkeyPatch, app: Any) -> list[int]:
    rung: list[int] = []
    monkeypatch.setattr(app, "bell", lambda: rung.append(1))
    return rung


async def test_each_breath_phase_is_spoken_the_first_one_too(
    store: Store, mono: Mono, monkeypatch: pytest.MonkeyPatch
) -> None:
    said = _fake_speaker(monkeypatch, program="espeak-ng")
    set_settings(store, spoken_cues=True, grounding_last={"pattern": "box", "bell": True})
    host = make_host(store, mono)
    async with host.run_test(size=(80, 24)) as pilot:
        rung = _bells(monkeypatch, host)
        await pilot.pause()
        options = str(host.screen.query_one("#options").render())
        assert "spoken cues on (k)" in options
        await pilot.press("enter")
        await pilot.pause()
        for _ in range(4):
            await advance(pilot, mono, 4.0)
        assert said == ["in", "hold", "out", "rest", "in"]
        assert rung == []  # the words stand in for the bell
        await pilot.press("space")  # paused and carried on: the phase is not cued again
        await advance(pilot, mono, 1.0)
        await pilot.press("space")
        await advance(pilot, mono, 0.5)
        assert said == ["in", "hold", "out", "rest", "in"]


async def test_a_failing_speaker_is_said_once_and_the_bell_takes_over(
    store: Store, mono: Mono, monkeypatch: pytest.MonkeyPatch
) -> None:
    said = _fake_speaker(monkeypatch, program="espeak-ng", code=1)
    set_settings(store, spoken_cues=True, grounding_last={"pattern": "exhale"})
    host = make_host(store, mono)
    notes: list[str] = []
    monkeypatch.setattr(host, "notify", lambda message, **kw: notes.append(str(message)))
    async with host.run_test(size=(80, 24)) as pilot:
        rung = _bells(monkeypatch, host)
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        for _ in range(4):
            await advance(pilot, mono, 5.0)  # exhale is 4 in, 6 out: a phase each time
        assert said == ["in"]  # tried once, then never again
        pacer = host.screen.query_one(Pacer)
        assert pacer.speaker is not None and not pacer.speaker.available
        assert [n for n in notes if "Spoken cues" in n] == [
            "Spoken cues stopped: espeak-ng could not speak (is a sound device there?). "
            "The bell marks each breath instead."
        ]
        assert len(rung) >= 3  # the out-breath's first bell, and the in-breath's


async def test_the_k_key_turns_spoken_cues_on_and_says_when_no_speaker_is_there(
    store: Store, mono: Mono, monkeypatch: pytest.MonkeyPatch
) -> None:
    _fake_speaker(monkeypatch, program=None)
    host = make_host(store, mono)
    notes: list[str] = []
    monkeypatch.setattr(host.__class__, "notify", lambda self, message, **kw: notes.append(message))
    async with host.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "no spoken cues (k)" in str(host.screen.query_one("#options").render())
        await pilot.press("k")
        await pilot.pause()
        assert load_settings(store).spoken_cues
        assert "spoken cues on (k)" in str(host.screen.query_one("#options").render())
        assert notes == [NONE_FOUND]
        await pilot.press("k")
        assert not load_settings(store).spoken_cues
