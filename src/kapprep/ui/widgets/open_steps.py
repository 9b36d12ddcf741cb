"""The action steps not yet done, across sessions: a small read-only panel for the home screen.

    yield OpenSteps(ctx)          # in compose()
    self.query_one(OpenSteps).refresh_steps()   # after the journal changed (e.g. on screen resume)

Steps are ticked off on the journal screen; this only lists them, with the session they came from.
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from kapprep import journal
from kapprep.ui.context import AppContext


def open_steps_text(ctx: AppContext, limit: int = 5) -> Text:
    """ "Steps I set myself" with up to `limit` open steps (user text never read as markup)."""
    steps = journal.open_steps(ctx.store)
    numbers = {sj.session_id: sj.number for sj in journal.series(ctx.store)}
    out = Text("Steps I set myself", style="bold")
    if not steps:
        out.append("\nNone open. Add one in the journal after a session.", style="italic")
        return out
    for step in steps[:limit]:
        n = numbers.get(step.session_id)
        out.append("\n• ")
        out.append(step.text)
        if n:
            out.append(f"  (session {n})", style="dim")
    if len(steps) > limit:
        out.append(f"\n…and {len(steps) - limit} more in the journal", style="dim")
    return out


class OpenSteps(Static):
    """Lists the open action steps; call `refresh_steps()` to read the store again."""

    DEFAULT_CSS = """
    OpenSteps {
        height: auto;
    }
    """
    """Sized to its content."""

    def __init__(self, ctx: AppContext, *, limit: int = 5, id: str | None = None) -> None:
        super().__init__("", id=id)
        self.ctx = ctx
        self.limit = limit

    def on_mount(self) -> None:
        self.refresh_steps()

    def refresh_steps(self) -> None:
        self.update(open_steps_text(self.ctx, self.limit))
