"""When the patient may drive again and make big decisions: the clinic decides, never kapprep.

A rule comes from what the patient typed as their clinic's (the `clinic_rules` setting), else
from a clinic's checklist file (its `clinic_rules:` block), else there is none. A rule is a time
after the session ends ("24 hours") or the clinic's own words ("not until the next day after a
night's sleep"), shown as such, never counted down.

This is also the one place that says what many clinics say, for when nothing the patient or their
clinic's file gave states a rule (a test scans the code, the shipped checklists, the docs and the
README for any other driving or decision time). Nothing here, nor anywhere, counts down to a
driving time or says such a time "has passed": that would read as permission.

Sources (research/kap-guides.md, "After"): not for 24 hours (propeltherapeutics.com, ketwell.com,
contemporarycare.com), the rest of the day (balancehealthandhealing.com), until the next day
(stephanielynwellness.com, healingmaps.com), until the day after, following a restful sleep
(Spravato); no life-changing decisions or legal documents for 24 hours (propeltherapeutics.com).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Literal

from kapprep.errors import KapprepError

if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = [
    "DECISIONS_DEFAULT",
    "DRIVING_DEFAULT",
    "KINDS",
    "ClinicRules",
    "Rule",
    "RuleError",
    "effective",
    "parse_rule",
    "rule_kind",
    "sentence",
]

Kind = Literal["driving", "decisions"]
KINDS: tuple[Kind, ...] = ("driving", "decisions")
MAX_WORDS = 200
"""The longest rule in words (a sentence or two)."""
_LONGEST = timedelta(days=14)
_DURATION_RE = re.compile(
    r"\+?\s*(?P<n>\d{1,3})\s*(?P<unit>h|hr|hrs|hour|hours|d|day|days)", re.IGNORECASE
)


class RuleError(KapprepError, ValueError):
    """A rule that cannot be read: the message says what to write."""


@dataclass(frozen=True, slots=True)
class Rule:
    """The clinic's rule for after the session: a time after its end, or its own words."""

    after: timedelta | None = None
    words: str | None = None
    source: str = ""
    """Where it came from: "you" (typed as the clinic's) or a checklist file's path."""


@dataclass(frozen=True, slots=True)
class ClinicRules:
    """The rules a clinic states; None (or empty) where it states none."""

    driving: Rule | None = None
    decisions: Rule | None = None
    check_in_minutes: int | None = None
    """For a session at home: how often the helper looks in."""
    blood_pressure: tuple[str, ...] = ()
    """When the helper notes blood pressure: "before", "after"."""

    def over(self, later: ClinicRules) -> ClinicRules:
        """These rules with `later`'s wherever `later` states one."""
        return replace(
            self,
            driving=later.driving or self.driving,
            decisions=later.decisions or self.decisions,
            check_in_minutes=later.check_in_minutes or self.check_in_minutes,
            blood_pressure=later.blood_pressure or self.blood_pressure,
        )

    def rule(self, kind: Kind) -> Rule | None:
        return self.driving if kind == "driving" else self.decisions


TAG = "rule:"
"""A checklist item tagged `rule:driving` (or `rule:decisions`) is where the patient sets it."""


def effective(from_files: ClinicRules, typed: object) -> ClinicRules:
    """What the patient typed as their clinic's rule (the setting), else a clinic file's, else
    none. A typed value that no longer reads (a hand-edited import) is left out."""
    rules = from_files
    if isinstance(typed, dict):
        for kind in KINDS:
            text = typed.get(kind)
            if isinstance(text, str) and text.strip():
                try:
                    rule = parse_rule(text, "you")
                except RuleError:
                    continue
                if kind == "driving":
                    rules = replace(rules, driving=rule)
                else:
                    rules = replace(rules, decisions=rule)
    return rules


def rule_kind(tags: tuple[str, ...]) -> Kind | None:
    """The rule an item is about, from its `rule:driving` / `rule:decisions` tag."""
    for tag in tags:
        if tag.startswith(TAG) and tag[len(TAG) :] in KINDS:
            return "driving" if tag == f"{TAG}driving" else "decisions"
    return None


def parse_rule(text: str, source: str) -> Rule:
    """ "24 hours", "24h", "+1d", "2 days" -> a time after the session ends; other text is the
    clinic's own words. Raises `RuleError` for empty, too long, or a time beyond two weeks."""
    typed = " ".join(text.split())
    if not typed:
        raise RuleError('write the rule, like "24 hours" or the clinic\'s own words')
    m = _DURATION_RE.fullmatch(typed)
    if m:
        n = int(m["n"])
        unit = m["unit"].lower()
        after = timedelta(days=n) if unit.startswith("d") else timedelta(hours=n)
        if not timedelta(hours=1) <= after <= _LONGEST:
            raise RuleError(f'"{typed}" is not between 1 hour and 14 days after the session')
        return Rule(after=after, source=source)
    if len(typed) > MAX_WORDS:
        raise RuleError(f"keep the rule under {MAX_WORDS} characters (it has {len(typed)})")
    return Rule(words=typed, source=source)


def _span(after: timedelta) -> str:
    hours = int(after.total_seconds() // 3600)
    if hours % 24 == 0 and hours > 24:
        return f"{hours // 24} days"
    return f"{hours} hours" if hours != 1 else "1 hour"


def sentence(
    kind: Kind,
    rule: Rule | None,
    end: datetime | None,
    fmt: Callable[[datetime], str] | None = None,
) -> str:
    """What day-of mode and the briefing say about `kind`: the clinic's rule as it was given
    (a time counted from the session's end, the clock time only when the end is known), or the
    default sentence. Never a countdown and never "has passed". `fmt` formats a time (the
    caller's clock style and zone); without it, HH:MM on the day."""
    if rule is None:
        return DRIVING_DEFAULT if kind == "driving" else DECISIONS_DEFAULT
    what = "No driving" if kind == "driving" else "No big decisions or legal papers"
    if rule.words is not None:
        return f"{what}: your clinic says {rule.words.rstrip('.')}."
    assert rule.after is not None
    span = f"{what} until {_span(rule.after)} after your session ends, as your clinic says"
    if end is None:
        return f"{span}."
    until = (end.astimezone(UTC) + rule.after).astimezone(end.tzinfo)
    shown = fmt(until) if fmt is not None else f"{until:%a %d %b %H:%M}"
    return f"{span} ({shown})."


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
