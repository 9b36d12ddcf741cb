"""When the patient may drive again and make big decisions: the clinic decides, never kapprep.

This is the one place that says what many clinics say, for when nothing the patient or their
clinic's file gave states a rule (a test scans the code, the shipped checklists, the docs and the
README for any other driving or decision time). Nothing here, nor anywhere, counts down to a
driving time or says such a time "has passed": that would read as permission.

Sources (research/kap-guides.md, "After"): not for 24 hours (propeltherapeutics.com, ketwell.com,
contemporarycare.com), the rest of the day (balancehealthandhealing.com), until the next day
(stephanielynwellness.com, healingmaps.com), until the day after, following a restful sleep
(Spravato); no life-changing decisions or legal documents for 24 hours (propeltherapeutics.com).
"""

from __future__ import annotations

__all__ = ["DECISIONS_DEFAULT", "DRIVING_DEFAULT"]

DRIVING_DEFAULT = (
    "No driving today. Your clinic tells you when you may drive again; many say not for 24 "
    "hours, or not until the next day after a night's sleep."
)
"""What day-of mode and the briefing say about driving while no clinic rule is known."""

DECISIONS_DEFAULT = (
    "No big decisions or legal papers today. Your clinic tells you for how long; many say not "
    "for 24 hours after the session ends."
)
"""The same for big decisions."""
