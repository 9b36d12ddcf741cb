"""Helpers the screens share: which session is shown, the patient's display settings.

No widgets here: plain functions over the `AppContext`, so every screen agrees on them.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Coroutine
from datetime import datetime
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar, overload

from kapprep import messages
from kapprep.errors import KapprepError
from kapprep.settings import load_settings
from kapprep.store import Session
from kapprep.ui.context import AppContext
from kapprep.whentext import format_when

if TYPE_CHECKING:
    from textual.app import App

    from kapprep.timeline import Timeline


def current_session(ctx: AppContext) -> Session | None:
    """The session shown (`kapprep.timeline.session_in_view`): the one chosen in the list, else
    the next, else the latest. A chosen session that was removed is forgotten."""
    from kapprep.timeline import session_in_view

    session = session_in_view(ctx.store, ctx.clock(), ctx.session_id)
    if ctx.session_id is not None and (session is None or session.id != ctx.session_id):
        ctx.session_id = None
    return session


def session_timeline(ctx: AppContext, session: Session, now: datetime) -> Timeline:
    """The session's timeline (`kapprep.timeline`): the same one `kapprep next` and the calendar
    read, journal prompts and the clinic's own times included."""
    # Imported here: screens without a timeline (and the command line) don't pay for it.
    from kapprep.timeline import load_timeline_inputs, session_timeline

    inputs = load_timeline_inputs(ctx.store, ctx.checklists.items(), session)
    return session_timeline(inputs, now)


def fit_no_color_filter(app: App[Any]) -> None:
    """Under NO_COLOR, keep Textual's colour filter right for the theme now shown.

    Textual picks the filter once, when the App is built: greys (Monochrome) for its own themes,
    the terminal's own colours (NoColor) for the ansi-* ones. A theme chosen later keeps the
    first pick, and greys turn an ansi theme's "default" colours into black on black: the whole
    screen goes dark (seen here at 60×20 with NO_COLOR and ansi-dark). Textual 8.2.8 refreshes
    only its ANSI-to-truecolor filter on a theme change, so this re-picks the other one.
    """
    if not app.no_color:
        return
    from textual.filter import Monochrome, NoColor

    wanted = NoColor() if app.native_ansi_color else Monochrome()
    filters = app._filters
    for index, found in enumerate(filters):
        if isinstance(found, Monochrome | NoColor):
            filters[index] = wanted
            break
    else:
        filters.append(wanted)
    if app.is_running:  # also safe to call from App.__init__, before any screen exists
        app.screen.refresh()


def h24(ctx: AppContext) -> bool:
    return bool(load_settings(ctx.store).clock_24h)


def when(ctx: AppContext, dt: datetime, now: datetime, clock_24h: bool | None = None) -> str:
    """A session's time in that session's own zone (`dt` is in it) and the patient's clock
    style, its zone named where this computer's clock would show another time: "today 14:30",
    "Thu 3 Dec 09:30 Los Angeles time". Only session times come here. `clock_24h`, when the caller read the setting
    already (a list of many sessions), saves reading it again."""
    from kapprep.zones import zone_label

    style = h24(ctx) if clock_24h is None else clock_24h
    text = format_when(dt, now.astimezone(dt.tzinfo), style)
    label = zone_label(dt, ctx.zone)
    return f"{text} {label}" if label else text


def clinic_contact(ctx: AppContext, session: Session | None) -> tuple[str | None, str | None]:
    """The clinic's name and phone: the session's own, else the ones given at first run."""
    name = (session.clinic if session else None) or load_settings(ctx.store).clinic_name
    phone = (session.phone if session else None) or load_settings(ctx.store).clinic_phone
    return name or None, phone or None


P = ParamSpec("P")
R = TypeVar("R")


@overload
def calmly(
    method: Callable[P, Coroutine[Any, Any, R]],
) -> Callable[P, Coroutine[Any, Any, R | None]]: ...
@overload
def calmly(method: Callable[P, R]) -> Callable[P, R | None]: ...
def calmly(method: Callable[P, Any]) -> Callable[P, Any]:
    """Wrap a screen's action or handler (sync or async): a `KapprepError` it raises is told
    plainly in a notification and the screen goes on, with what was typed still in its fields.

    The one wrapper for the house rule (an error a user can fix is caught inside the handler that
    raised it), instead of overriding `App._handle_exception`, after which Textual stops the
    screen's message loop. Anything else is a bug and still reaches the crash report."""
    if inspect.iscoroutinefunction(method):

        @functools.wraps(method)
        async def waiting(*args: Any, **kwargs: Any) -> Any:
            try:
                return await method(*args, **kwargs)
            except KapprepError as exc:
                _tell(args[0], exc)
                return None

        return waiting

    @functools.wraps(method)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> Any:
        try:
            return method(*args, **kwargs)
        except KapprepError as exc:
            _tell(args[0], exc)
            return None

    return wrapper


def _tell(node: Any, exc: KapprepError) -> None:
    node.app.notify(messages.told(exc), severity="error", timeout=20, markup=False)
