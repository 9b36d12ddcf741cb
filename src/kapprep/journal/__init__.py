"""The journal: intentions before a session, integration after it, steps, ratings and questions.

Before each session the patient may answer a few gentle intention prompts; after it, a few
integration prompts, a handful of small action steps with a done state, and 0–10 self-ratings of
mood and anxiety before and after (a self-check, not a clinical score). Between appointments they
keep a list of questions for their clinic: kapprep captures the questions and never answers them.

Cut along its seams: `model` (the prompts, ratings, steps, questions: pure), `repo` (all of the
journal's SQL; every function one short transaction, so nothing is lost and two running copies
never overwrite each other's work) and `export` (the document for the therapist; import it as
`kapprep.journal.export`). The integration prompts also come due on a schedule (the same evening,
the next day, three days and a week after the session): `kapprep.prompts`, which the timeline
reads.

Sources for the prompts (see shared research notes): the intention questions follow the ones one
clinic gives its patients (ketwellalaska.com: what do I hope for, what do I fear, what would I like
to let go of); journaling after a session and bringing notes to the therapist follow
soulhealingcalgary.com and propeltherapeutics.com; a therapy appointment 24–48 hours after each
session follows askp.org. Pure domain code: no Textual, no network.
"""

from __future__ import annotations

from kapprep.journal.model import (
    INTEGRATION_PROMPTS,
    INTENTION_PROMPTS,
    MAX_LINE,
    MAX_TEXT,
    MOMENTS,
    RATING_NOTE,
    SCALES,
    JournalError,
    Kind,
    Moment,
    Prompt,
    Question,
    Rating,
    Scale,
    SessionJournal,
    Step,
    answered_items,
    prompt,
    with_integration,
)
from kapprep.journal.repo import (
    add_question,
    add_step,
    answered_prompts,
    entries,
    journal,
    open_steps,
    questions,
    ratings,
    remove_question,
    remove_step,
    save_entry,
    series,
    set_asked,
    set_rating,
    set_step_done,
    steps,
)

__all__ = [
    "INTEGRATION_PROMPTS",
    "INTENTION_PROMPTS",
    "MAX_LINE",
    "MAX_TEXT",
    "MOMENTS",
    "RATING_NOTE",
    "SCALES",
    "JournalError",
    "Kind",
    "Moment",
    "Prompt",
    "Question",
    "Rating",
    "Scale",
    "SessionJournal",
    "Step",
    "add_question",
    "add_step",
    "answered_items",
    "answered_prompts",
    "entries",
    "journal",
    "open_steps",
    "prompt",
    "questions",
    "ratings",
    "remove_question",
    "remove_step",
    "save_entry",
    "series",
    "set_asked",
    "set_rating",
    "set_step_done",
    "steps",
    "with_integration",
]
