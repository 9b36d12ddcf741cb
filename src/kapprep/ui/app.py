"""The kapprep app: wiring only. Screens live in `screens/`, widgets in `widgets/`.

`build_app()` is the one factory the command line, the Pilot tests and the snapshot apps use. To
add a screen, add one `ScreenSpec` line to `SCREENS` in `registry.py`: it gets its key in the
Footer, an entry in the command palette and a line in the help screen. Screen modules are imported
when first opened, so start-up pays only for the home screen.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime, tzinfo
from functools import partial
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar
from zoneinfo import ZoneInfo

from rich.console import RenderableType
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.theme import Theme

from kapprep import clock as wall_clock
from kapprep import messages
from kapprep.ui.context import AppContext
from kapprep.ui.keys import CRISIS_BINDINGS
from kapprep.ui.lockwatch import LockWatch
from kapprep.ui.registry import SCREENS

if TYPE_CHECKING:
    from kapprep.checklists import ChecklistSet
    from kapprep.store import Store


CALENDAR_TITLE = "Calendar file"
CALENDAR_HELP = "Save your sessions and a few daytime reminders as a calendar file (.ics)"
LOCK_TITLE = "Lock your data"
LOCK_HELP = "Encrypt your data with a passphrase, for a shared computer"

HIGH_CONTRAST = Theme(
    name="kapprep-high-contrast",
    primary="#ffff00",
    secondary="#00ffff",
    accent="#ffff00",
    warning="#ffaf00",
    error="#ff8787",
    success="#87ff87",
    foreground="#ffffff",
    background="#000000",
    surface="#000000",
    panel="#303030",
    boost="#1c1c1c",
    dark=True,
    text_alpha=1.0,
    variables={
        "footer-key-foreground": "#ffff00",
        "block-cursor-background": "#ffff00",
        "block-cursor-foreground": "#000000",
        "border": "#ffffff",
        "border-blurred": "#bcbcbc",
    },
)


class KapprepApp(LockWatch, App[int]):
    """The kapprep terminal app."""

    CSS_PATH = "kapprep.tcss"
    TITLE = "kapprep"
    ENABLE_COMMAND_PALETTE = True

    BINDINGS: ClassVar[list[BindingType]] = [
        *CRISIS_BINDINGS,
        Binding("question_mark", "help", "Help", id="help", tooltip="Keys and what kapprep is"),
        *(spec.binding() for spec in SCREENS),
        Binding("h", "home", "Home", show=False, id="home", tooltip="Back to the home screen"),
        Binding("r", "reload", "Refresh", id="refresh", tooltip="Show changes made elsewhere"),
        Binding("q", "quit", "Quit", id="quit", tooltip="Quit kapprep (everything is saved)"),
    ]
    """App keys: crisis, help, one per screen, refresh, quit."""

    def __init__(self, ctx: AppContext, *, data_folder: Path | None = None) -> None:
        super().__init__()
        self.ctx = ctx
        self.data_folder = data_folder
        self.register_theme(HIGH_CONTRAST)
        from kapprep.settings import load_settings
        from kapprep.ui.common import fit_no_color_filter

        settings = load_settings(ctx.store)
        if settings.theme in self.available_themes:
            self.theme = settings.theme
            fit_no_color_filter(self)  # a stored ansi-* theme under NO_COLOR: not black on black
        if settings.reduced_motion:
            self.animation_level = "none"

    def get_default_screen(self) -> Screen[Any]:
        from kapprep.ui.screens.home import HomeScreen

        return HomeScreen(self.ctx)

    def on_mount(self) -> None:
        from kapprep.settings import load_settings

        for notice in self.ctx.store.notices:
            self.notify(notice, severity="warning", timeout=30, markup=False)  # paths: never markup
        if not load_settings(self.ctx.store).welcome_done and not self.ctx.store.sessions():
            self.push_screen(self._build("kapprep.ui.screens.welcome:WelcomeScreen"))
        self.start_idle_watch()

    def _build(self, target: str) -> Screen[Any]:
        module, _, cls = target.partition(":")
        screen: Screen[Any] = getattr(import_module(module), cls)(self.ctx)
        return screen

    # -- actions ----------------------------------------------------------------------------

    def action_crisis(self) -> None:
        from kapprep.ui.screens.crisis import CrisisScreen

        if not isinstance(self.screen, CrisisScreen):
            self.push_screen(self.crisis_screen())

    def action_calendar(self) -> None:
        """Save the calendar file (a dialog: where, discreet, how many reminders)."""
        from kapprep.ui.screens.calendar import CalendarScreen

        def saved(path: Path | None) -> None:
            from kapprep.saving import privacy_note  # says so if the drive cannot keep it private

            if path is not None:
                told = messages.calendar_saved(path) + privacy_note(path)
                self.notify(told, timeout=10, markup=False)

        if not isinstance(self.screen, CalendarScreen):
            self.push_screen(CalendarScreen(self.ctx), saved)

    def action_help(self) -> None:
        from kapprep.ui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.ctx))

    async def action_home(self) -> None:
        while len(self.screen_stack) > 1:
            await self.pop_screen()

    async def action_open(self, name: str) -> None:
        spec = next((s for s in SCREENS if s.name == name), None)
        if spec is None:
            return
        if getattr(self.screen, "spec_name", None) == name:
            return
        await self.action_home()
        screen = spec.build(self.ctx)
        screen.spec_name = name  # type: ignore[attr-defined]
        await self.push_screen(screen)

    def action_reload(self) -> None:
        reload = getattr(self.screen, "reload", None)
        if callable(reload):
            reload()
        self.notify(messages.UP_TO_DATE, timeout=2)

    # -- the cursor follows the focus (braille displays) ------------------------------------

    def _display(self, screen: Screen[Any], renderable: RenderableType | None) -> None:
        """Before each frame is written, put the hidden cursor on the focus (`ui.cursor`)."""
        from kapprep.ui.cursor import cursor_for

        if renderable is not None and screen is self.screen:
            offset = cursor_for(screen)
            if offset is not None:
                self.cursor_position = offset
        super()._display(screen, renderable)

    # -- errors -----------------------------------------------------------------------------

    def _handle_exception(self, error: Exception) -> None:
        """An unexpected error writes a short report without the user's content and exits,
        instead of Textual's traceback with local values (which could show notes on screen).
        Failed saves are caught where they happen (`ui.common.calmly`) and the app goes on."""
        if self.is_headless:  # Pilot tests: let the test see the real error
            super()._handle_exception(error)
            return
        from kapprep.crash import report_crash

        where = report_crash(error, self.data_folder, None)
        self._return_code = 1
        self._exit_renderables.append(
            "kapprep: something went wrong inside kapprep (not your fault). Your saved data is "
            f"safe. A short report without your content is in {where}"
        )
        self._close_messages_no_wait()

    # -- the command palette ----------------------------------------------------------------

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        yield SystemCommand(
            "Crisis help", "Emergency number, your clinic and crisis lines", self.action_crisis
        )
        yield SystemCommand("Help", "Keys and what kapprep is", self.action_help)
        yield SystemCommand("Home", "Back to the home screen", self.action_home)
        for spec in SCREENS:
            yield SystemCommand(spec.title, spec.description, partial(self.action_open, spec.name))
        yield SystemCommand(CALENDAR_TITLE, CALENDAR_HELP, self.action_calendar)
        if not self.data_locked():
            yield SystemCommand(LOCK_TITLE, LOCK_HELP, self.action_lock_data)
        seen: set[str] = {"app.calendar"}  # offered once, above
        for _key, binding in screen._bindings:
            if not binding.description or binding.action in seen:
                continue
            seen.add(binding.action)
            yield SystemCommand(
                binding.description,
                binding.tooltip or binding.description,
                partial(screen.run_action, binding.action),
            )
        yield SystemCommand("Refresh", "Show changes made elsewhere", self.action_reload)
        yield from super().get_system_commands(screen)


def _local_zone() -> tzinfo:
    from kapprep.zones import local_zone

    zone = local_zone()
    return zone if isinstance(zone, ZoneInfo) else UTC


def build_app(
    *,
    data_dir: str | Path | None,
    checklist_dirs: Sequence[str | Path],
    clock: Callable[[], datetime] | None = None,
    monotonic: Callable[[], float] | None = None,
    zone: tzinfo | None = None,
    key: bytes | None = None,
) -> KapprepApp:
    """The app over the store in `data_dir`, with the checklists in `checklist_dirs` (in order).

    `clock` gives aware "now" (tests pass a fixed one; its zone is the display zone). Raises
    `kapprep.store.StoreError` when the data folder cannot be used, `Locked` when it is locked
    and no data `key` is given (`kapprep.ui.unlock` asks for the passphrase first).
    """
    from kapprep.store import Store

    store: Store = Store.open(data_dir, key=key)
    if key is not None:
        from kapprep.crisis_outside import save_outside

        save_outside(store)
    if zone is None:
        zone = clock().tzinfo if clock is not None else None
    if zone is None:
        zone = _local_zone()
    the_zone = zone
    layers = [Path(p) for p in checklist_dirs]

    def load_checklists() -> ChecklistSet:
        # From the cache of parsed checklists while no file changed: the due list then needs
        # no PyYAML (see checklist_cache).
        from kapprep.checklist_cache import cached_layers

        def read_files(found: Sequence[Path]) -> ChecklistSet:
            from kapprep.checklists import load_layers

            return load_layers(found)

        return cached_layers(layers, store.folder / "cache", read_files)

    ctx = AppContext(
        store=store,
        load_checklists=load_checklists,
        clock=clock or (lambda: wall_clock.now(the_zone)),
        monotonic=monotonic or time.monotonic,
        zone=zone,
    )
    return KapprepApp(ctx, data_folder=store.folder)
