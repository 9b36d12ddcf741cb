"""The briefing screen: preview, what is missing, export in each format, print, per person."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from textual.widgets import Input, Select, Static

from kapprep import plan as plans
from kapprep.ui.context import AppContext
from kapprep.ui.screens.briefing import BriefingScreen
from kapprep.ui.screens.save_as import SaveAsScreen

from .plan_host import LONDON, Host, make_ctx

NAME = "Zoë Ødegård 李小龍"


def fill(ctx: AppContext) -> None:
    store = ctx.store
    store.add_session(datetime(2026, 12, 3, 10, 0, tzinfo=LONDON), clinic="Calm Clinic")
    for key, value in {
        "my_name": "Alex",
        "clinic_address": "12 High Street",
        "clinic_phone": "+44 113 496 0000",
        "home_address": "4 Elm Road",
        "emergency_number": "999",
        "session_minutes": "60",
        "recovery_minutes": "90",
    }.items():
        plans.set_field(store, key, value)
    plans.add_person(
        store,
        plans.Person(
            name=NAME,
            relationship="partner",
            phone="+44 7911 123456",
            roles=("drives_there", "collects_after", "stays_with_me"),
            stay_until="9 am the next day",
        ),
    )


@pytest.fixture
def ctx(tmp_path: Path) -> AppContext:
    c = make_ctx(tmp_path / "data")
    yield c
    c.store.close()


def text_of(app: Host, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


async def test_preview_and_missing_list(ctx: AppContext) -> None:
    app = Host(ctx, BriefingScreen)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "Home address" in text_of(app, "#briefing-missing")
        assert "not set" in text_of(app, "#briefing-text")
    fill(ctx)
    app = Host(ctx, BriefingScreen)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert text_of(app, "#briefing-missing") == "Everything the briefing needs is set."
        preview = text_of(app, "#briefing-text")
        assert preview.index("IN AN EMERGENCY") < preview.index("WHOM ELSE TO CALL")
        assert preview.index("WHOM ELSE TO CALL") < preview.index("THE DAY")
        assert NAME in preview and "12:30" in preview


async def save_with(pilot: Any, app: Host, key: str, *typed: str) -> None:
    """Press `key`, wait for the "Save to" dialog, then type (or keep the default) and Enter."""
    await pilot.press(key)
    await app.workers.wait_for_complete()
    await pilot.pause()
    assert isinstance(app.screen, SaveAsScreen)
    if typed:
        app.screen.query_one("#save-as-path", Input).value = typed[0]
    await pilot.press("enter")
    await pilot.pause()


@pytest.mark.parametrize(
    ("key", "suffix"),
    [("t", ".txt"), ("m", ".md"), ("w", ".html"), ("f", ".pdf"), ("v", ".vcf")],
)
async def test_export_each_format(ctx: AppContext, key: str, suffix: str) -> None:
    fill(ctx)
    app = Host(ctx, BriefingScreen)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await save_with(pilot, app, key)  # the private folder, as the dialog offers
        screen = app.screen
        assert isinstance(screen, BriefingScreen)
        path = screen.last_saved
        assert path is not None and path.suffix == suffix
        assert path.parent == Path(ctx.store.folder) / "briefings"
        assert (path.stat().st_mode & 0o777) == 0o600
        assert "Saved to" in text_of(app, "#briefing-status")
        assert "cannot keep files private" not in text_of(app, "#briefing-status")
        if suffix == ".pdf":
            text = PdfReader(path).pages[0].extract_text()
            assert "李小龍" in text and "Whom else to call" in text
        else:
            assert NAME in path.read_text(encoding="utf-8")


async def test_save_to_a_chosen_folder_and_ask_before_replacing(
    ctx: AppContext, tmp_path: Path
) -> None:
    fill(ctx)
    stick = tmp_path / "stick"
    stick.mkdir()
    app = Host(ctx, BriefingScreen)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await save_with(pilot, app, "w", str(stick))  # a folder: the usual name in it
        assert isinstance(app.screen, BriefingScreen)
        (saved,) = stick.iterdir()
        assert saved.suffix == ".html" and saved.name.startswith("briefing-")
        assert (saved.stat().st_mode & 0o777) == 0o600
        assert f"Saved to {saved}" in text_of(app, "#briefing-status")
        # the same file again: asked first, kept until Enter is pressed a second time
        saved.write_text("the helper's own notes", encoding="utf-8")
        await save_with(pilot, app, "v", str(stick / "helpers"))
        assert (stick / "helpers.vcf").read_text(encoding="utf-8").startswith("BEGIN:VCARD")
        (stick / "helpers.vcf").write_text("keep me", encoding="utf-8")
        await save_with(pilot, app, "v", str(stick / "helpers.vcf"))
        assert isinstance(app.screen, SaveAsScreen), "asked before replacing"
        status = str(app.screen.query_one("#calendar-status", Static).render())
        assert f"There is already a file at {stick / 'helpers.vcf'}" in status
        assert (stick / "helpers.vcf").read_text(encoding="utf-8") == "keep me"
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, BriefingScreen)
        assert text_of(app, "#briefing-status") == "Not saved."
        assert (stick / "helpers.vcf").read_text(encoding="utf-8") == "keep me"
        await save_with(pilot, app, "v", str(stick / "helpers.vcf"))
        await pilot.press("enter")  # yes, replace it
        await pilot.pause()
        assert isinstance(app.screen, BriefingScreen)
        assert (stick / "helpers.vcf").read_text(encoding="utf-8").startswith("BEGIN:VCARD")


async def test_a_folder_that_is_not_there_or_a_wrong_ending_is_told_calmly(
    ctx: AppContext, tmp_path: Path
) -> None:
    fill(ctx)
    app = Host(ctx, BriefingScreen)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await save_with(pilot, app, "f", str(tmp_path / "nowhere" / "b.pdf"))
        status = str(app.screen.query_one("#calendar-status", Static).render())
        assert f"There is no folder {tmp_path / 'nowhere'}" in status
        app.screen.query_one("#save-as-path", Input).value = str(tmp_path / "b.txt")
        await pilot.press("enter")
        await pilot.pause()
        status = str(app.screen.query_one("#calendar-status", Static).render())
        assert "This file ends in .pdf; b.txt does not" in status
        assert not list(tmp_path.glob("b.*"))


async def test_a_drive_that_cannot_keep_files_private_is_named(
    ctx: AppContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A FAT stick reports every file as 0755 whatever kapprep asks; nothing here can mount one,
    # so the mode the filesystem reports is what is replaced.
    import kapprep.saving

    monkeypatch.setattr(kapprep.saving, "_mode", lambda path: 0o100755)
    fill(ctx)
    app = Host(ctx, BriefingScreen)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await save_with(pilot, app, "t", str(tmp_path))
        status = text_of(app, "#briefing-status")
        assert "Saved to" in status and "cannot keep files private" in status


async def test_export_says_how_much_is_missing(ctx: AppContext) -> None:
    app = Host(ctx, BriefingScreen)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await save_with(pilot, app, "t")
        assert app.screen.last_saved is not None  # type: ignore[attr-defined]
        assert "Saved to" in text_of(app, "#briefing-status")


async def test_print_without_lp_says_where_the_pdf_is(
    ctx: AppContext, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    fill(ctx)
    app = Host(ctx, BriefingScreen)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("o")
        await app.workers.wait_for_complete()
        await pilot.pause()
        status = text_of(app, "#briefing-status")
        assert status.startswith("There is no printer command (lp)") and ".pdf" in status
        assert app.screen.last_saved is not None  # type: ignore[attr-defined]


async def test_paper_and_person(ctx: AppContext) -> None:
    fill(ctx)
    app = Host(ctx, BriefingScreen)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "A4" in text_of(app, "#briefing-paper")
        await pilot.press("a")
        await pilot.pause()
        assert "US Letter" in text_of(app, "#briefing-paper")
        assert ctx.store.get_setting("paper") == "letter"
        app.screen.query_one("#briefing-for", Select).value = NAME
        await pilot.pause()
        preview = text_of(app, "#briefing-text")
        assert "YOUR PART" in preview and "arrive by 09:50" in preview


def test_preview_snapshot(snap_compare, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    ctx = make_ctx(tmp_path / "data")
    fill(ctx)
    assert snap_compare(Host(ctx, BriefingScreen), terminal_size=(80, 24))


async def test_print_without_lp_shows_the_whole_message_at_60x20(
    ctx: AppContext, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # QA walk at 60×20: the status stopped at "The PDF is at", the path itself was cut off.
    monkeypatch.setenv("PATH", str(tmp_path))
    fill(ctx)
    app = Host(ctx, BriefingScreen)
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        await pilot.press("o")
        await app.workers.wait_for_complete()
        await pilot.pause()
        status = app.screen.query_one("#briefing-status", Static)
        assert ".pdf" in text_of(app, "#briefing-status")
        needed = status.get_content_height(status.size, app.size, status.size.width)
        assert needed >= 3  # long enough to have been cut before
        assert status.size.height >= needed


async def test_a_save_while_the_data_is_locked_says_the_file_is_not_protected(
    ctx: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kapprep.store import cipher
    from kapprep.store.locking import lock_open

    monkeypatch.setenv("KAPPREP_KDF_MS", "1")
    fill(ctx)
    ctx.store, _ = lock_open(ctx.store, "correct horse battery")
    app = Host(ctx, BriefingScreen)
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            await pilot.press("w")
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert isinstance(app.screen, SaveAsScreen)  # said before saving too
            hints = " ".join(str(s.render()) for s in app.screen.query(".hint"))
            assert "Your data is locked, but this file will not be" in hints
            await pilot.press("enter")  # the default folder: briefings/ in the data
            await pilot.pause()
            status = text_of(app, "#briefing-status")
            assert "Saved to" in status and "not protected by the lock" in status
            assert "kapprep lock" in status
    finally:
        cipher.use_key(ctx.store.folder, None)
