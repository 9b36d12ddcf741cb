"""The action steps not yet done, across sessions: a small read-only panel for the home screen.

    yield OpenSteps(ctx)          # in compose()
    self.query_one(OpenSteps).refresh_steps()   # after the journal changed (e.g. on screen resume)

Steps are ticked off on the journal screen; this only lists them, with the session they came from.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.widgets import Static

from kapprep.ui.common import when
from kapprep.ui.context import AppContext

if TYPE_CHECKING:
    from kapprep import journal


def open_steps_text(
    ctx: AppContext, limit: int = 5, steps: list[journal.Step] | None = None
) -> Text:
    """ "Steps I set myself" with up to `limit` open steps (user text never read as markup)."""
    from kapprep import journal

    if steps is None:
        steps = journal.open_steps(ctx.store)
    # Each step names its session by date, as everything else does: a number alone puzzled.
    # Only the sessions of the steps shown: reading the whole series cost a query per session
    # (800 with 200 sessions) before home's due list could show.
    now = ctx.clock()
    dates = {}
    for session_id in {step.session_id for step in steps[:limit]}:
        session = ctx.store.session(session_id)
        if session is not None:
            dates[session_id] = when(ctx, session.start, now)
    out = Text("Steps I set myself", style="bold")
    if not steps:
        out.append("\nNone open. Add one in the journal after a session.", style="italic")
        return out
    for step in steps[:limit]:
        date = dates.get(step.session_id)
        out.append("\n• ")
        out.append(step.text)
        if date:
            out.append(f"  (session {date})", style="dim")
    if len(steps) > limit:
        out.append(f"\n…and {len(steps) - limit} more in the journal", style="dim")
    return out


class OpenSteps(Static):
    """Lists the open action steps; call `refresh_steps()` to read the store (the home screen
    does on each reload, its first frame's included)."""

    DEFAULT_CSS = """
    OpenSteps {
        height: auto;
    }
    """
    """Sized to its content."""

    def __init__(
        self,
        ctx: AppContext,
        *,
        limit: int = 5,
        hide_when_empty: bool = False,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__("", id=id, classes=classes)
        self.ctx = ctx
        self.limit = limit
        self.hide_when_empty = hide_when_empty

    _shown: str | None = None

    def refresh_steps(self) -> None:
        """Read the steps again; repaint only when the text changed; hide when none is open."""
        from kapprep import journal

        steps = journal.open_steps(self.ctx.store)
        empty = self.hide_when_empty and not steps
        text = Text() if empty else open_steps_text(self.ctx, self.limit, steps)
        if text.plain != self._shown:
            self._shown = text.plain
            self.update(text)
        self.display = bool(text.plain)
