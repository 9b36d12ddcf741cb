"""Grounding exercises: breathing patterns and step-by-step grounding, as pure functions of time.

A pattern is data (`patterns`): a cycle of breath phases ("in", "hold", "out", "rest") or a list of
grounding steps. Everything the pacer shows is a pure function of the *elapsed* monotonic time
since the exercise began (`pacing.phase_at`, `pacing.frame_at`), so nothing drifts however long it
runs: the boundaries fall where the pattern says, whatever the frame rate or the delays of the
event loop. `Timer` turns an injected monotonic clock into that elapsed time, and pauses and
resumes exactly. `frame_at` also says when what is drawn next changes, so a pacer repaints only
then; with reduced motion only the words and the count change.

Users add their own patterns as YAML files in `paths.config_dir()/"grounding"` (`files`), checked
with the same rules and file:line:col messages as checklist files (through `kapprep.yamlcheck`).
The practice log is summed up in `log`.

No Textual here (a test proves it): the app's pacer widget and `kapprep breathe` both draw from it.
"""

from __future__ import annotations

from kapprep.errors import Problem
from kapprep.grounding.files import (
    EXERCISE,
    FORMAT_VERSION,
    MAX_BYTES,
    load_file,
    load_patterns,
    parse_pattern,
    user_patterns_dir,
)
from kapprep.grounding.log import PracticeLike, calm_change, day_bars, minutes_per_day, practised
from kapprep.grounding.pacing import (
    FRAME_SECONDS,
    Exercise,
    Frame,
    Lengthen,
    PhaseState,
    Timer,
    cycle_index,
    cycle_start,
    frame_at,
    phase_at,
    render_bar,
)
from kapprep.grounding.patterns import (
    BREATH_KINDS,
    BUILTIN,
    DEFAULT_PATTERN,
    DEFAULT_WORDS,
    LIGHTHEADED_WARNING,
    MAX_PHASE_SECONDS,
    MAX_STEP_SECONDS,
    MIN_PHASE_SECONDS,
    Pattern,
    PatternError,
    Phase,
    bells_for,
    breath_pattern,
    builtin_patterns,
    step_pattern,
    with_rate,
    without_holds,
)

__all__ = [
    "BREATH_KINDS",
    "BUILTIN",
    "DEFAULT_PATTERN",
    "DEFAULT_WORDS",
    "EXERCISE",
    "FORMAT_VERSION",
    "FRAME_SECONDS",
    "LIGHTHEADED_WARNING",
    "MAX_BYTES",
    "MAX_PHASE_SECONDS",
    "MAX_STEP_SECONDS",
    "MIN_PHASE_SECONDS",
    "Exercise",
    "Frame",
    "Lengthen",
    "Pattern",
    "PatternError",
    "Phase",
    "PhaseState",
    "PracticeLike",
    "Problem",
    "Timer",
    "bells_for",
    "breath_pattern",
    "builtin_patterns",
    "calm_change",
    "cycle_index",
    "cycle_start",
    "day_bars",
    "frame_at",
    "load_file",
    "load_patterns",
    "minutes_per_day",
    "parse_pattern",
    "phase_at",
    "practised",
    "render_bar",
    "step_pattern",
    "user_patterns_dir",
    "with_rate",
    "without_holds",
]
