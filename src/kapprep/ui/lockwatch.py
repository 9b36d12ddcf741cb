"""The app's part of the lock: the idle lock (a setting, off by default) and turning the lock on.

With the lock on and `idle_lock_minutes` set, the app covers its screens with `IdleLockScreen`
after that many minutes without a key or a click (checked every 15 seconds on the app's
injected monotonic clock), and asks for the passphrase again. Meanwhile only the crisis key
(which then shows what is kept outside the lock) and quitting work: every other action is refused
by `check_action`, so no key and no command palette entry opens a screen over it. The data key
stays in the running process: the idle lock covers the screen, it does not close the store.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import events

if TYPE_CHECKING:
    from kapprep.ui.context import AppContext

CHECK_EVERY = 15.0
ALLOWED = ("crisis", "quit")


class LockWatch:
    """Mixed into `KapprepApp` (before `App`)."""

    ctx: AppContext
    _last_input: float = 0.0
    idle_locked: bool = False

    def data_locked(self) -> bool:
        from kapprep.store.cipher import key_for

        return key_for(self.ctx.store.folder) is not None

    def start_idle_watch(self) -> None:
        self._last_input = self.ctx.monotonic()
        self.set_interval(CHECK_EVERY, self.idle_tick)  # type: ignore[attr-defined]

    def idle_tick(self) -> None:
        from kapprep.settings import load_settings

        if self.idle_locked or not self.data_locked():
            return
        minutes = load_settings(self.ctx.store).idle_lock_minutes
        if minutes and self.ctx.monotonic() - self._last_input >= minutes * 60:
            self.cover_with_lock()

    def cover_with_lock(self) -> None:
        from kapprep.ui.unlock import IdleLockScreen

        def unlocked(_: object) -> None:
            self.idle_locked = False
            self._last_input = self.ctx.monotonic()

        self.idle_locked = True
        self.clear_notifications()  # type: ignore[attr-defined]  # a toast may name private things
        self.push_screen(IdleLockScreen(self.ctx.store.folder), unlocked)  # type: ignore[attr-defined]

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key | events.MouseDown):
            self._last_input = self.ctx.monotonic()
        await super().on_event(event)  # type: ignore[misc]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self.idle_locked and action not in ALLOWED:
            return False
        checked: bool | None = super().check_action(action, parameters)  # type: ignore[misc]
        return checked

    def crisis_screen(self) -> Any:
        """The crisis panel to show now: from the store, or, while idle-locked, from what is
        kept outside the lock."""
        from kapprep.ui.screens.crisis import CrisisScreen, LockedCrisisScreen

        if self.idle_locked:
            return LockedCrisisScreen(self.ctx.store.folder)
        return CrisisScreen(self.ctx)

    def action_lock_data(self) -> None:
        """Turn the lock on (`LockScreen`); said when it is on already."""
        from kapprep.ui.screens.lock import LockScreen

        if self.data_locked():
            self.notify(  # type: ignore[attr-defined]
                "Your data is locked already. Change the passphrase with: kapprep passphrase",
                markup=False,
            )
            return
        self.push_screen(LockScreen(self.ctx))  # type: ignore[attr-defined]
