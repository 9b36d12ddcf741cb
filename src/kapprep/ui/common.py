"""Helpers the screens share: which session is shown, the patient's display settings.

No widgets here: plain functions over the `AppContext`, so every screen agrees on them.
"""

from __future__ import annotations

from datetime import datetime

from kapprep.overview import Overview, clinic_times, overview
from kapprep.store import Session
from kapprep.ui.context import AppContext
from kapprep.whentext import format_when

SETTING_24H = "clock_24h"
SETTING_EMERGENCY = "emergency_number"
SETTING_COUNTRY = "country"
SETTING_THEME = "theme"
SETTING_REDUCED_MOTION = "reduced_motion"
SETTING_CLINIC = "clinic_name"
SETTING_CLINIC_PHONE = "clinic_phone"
SETTING_WELCOMED = "welcome_done"


def current_session(ctx: AppContext) -> Session | None:
    """The chosen session if it still exists, else the next planned one, else the latest."""
    if ctx.session_id is not None:
        chosen = ctx.store.session(ctx.session_id)
        if chosen is not None:
            return chosen
        ctx.session_id = None
    nxt = ctx.store.next_session(ctx.clock())
    if nxt is not None:
        return nxt
    live = [s for s in ctx.store.sessions() if s.status != "cancelled"]
    return live[-1] if live else None


def session_overview(ctx: AppContext, session: Session, now: datetime) -> Overview:
    return overview(
        ctx.checklists,
        session.start,
        now,
        ctx.store.ticks(session.id),
        clinic_times(ctx.store.overrides(session.id)),
    )


def h24(ctx: AppContext) -> bool:
    return bool(ctx.store.get_setting(SETTING_24H, True))


def when(ctx: AppContext, dt: datetime, now: datetime) -> str:
    """A time in the patient's zone and clock style: "today 14:30", "Thu 3 Dec 10:00"."""
    return format_when(dt.astimezone(ctx.zone), now.astimezone(ctx.zone), h24(ctx))


def clinic_contact(ctx: AppContext, session: Session | None) -> tuple[str | None, str | None]:
    """The clinic's name and phone: the session's own, else the ones given at first run."""
    name = (session.clinic if session else None) or ctx.store.get_setting(SETTING_CLINIC)
    phone = (session.phone if session else None) or ctx.store.get_setting(SETTING_CLINIC_PHONE)
    return name or None, phone or None
