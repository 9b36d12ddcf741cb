"""The checklist model: phases, items, checklists and the active set, with no YAML in sight.

`kapprep.checklists` reads and checks the files (with PyYAML) and builds these; the app's cache
of parsed checklists (`checklist_cache`) builds them again without importing either.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from kapprep.due import Due
from kapprep.errors import Problem

TYPE_CHECKING = False
if TYPE_CHECKING:
    from kapprep.clinic_rules import ClinicRules

__all__ = [
    "CLINIC_NOTICE",
    "PHASES",
    "PHASE_NAMES",
    "PHASE_SHORT",
    "PHASE_TITLES",
    "Checklist",
    "ChecklistSet",
    "Item",
    "Problem",
    "Source",
]

PHASES: tuple[str, ...] = (
    "assessment",
    "week-before",
    "day-before",
    "day-of",
    "after",
    "integration",
)
"""The phases of preparation, in the order they happen."""

PHASE_NAMES: dict[str, tuple[str, str]] = {
    # phase: (its title, as a heading; its short name, as a tab)
    "assessment": ("Assessment", "Assessment"),
    "week-before": ("The week before", "Week before"),
    "day-before": ("The day before", "Day before"),
    "day-of": ("The day of the session", "Day of"),
    "after": ("The first 24 hours after", "After"),
    "integration": ("Integration", "Integration"),
}
"""The one table of the phases' names."""
PHASE_TITLES: dict[str, str] = {phase: title for phase, (title, _) in PHASE_NAMES.items()}
PHASE_SHORT: dict[str, str] = {phase: short for phase, (_, short) in PHASE_NAMES.items()}

CLINIC_NOTICE = "Follow your clinic's instructions."
"""Shown beside every item marked `clinic_decides: true`."""


@dataclass(frozen=True, slots=True)
class Source:
    """A public guide a checklist draws on."""

    title: str
    url: str


@dataclass(frozen=True, slots=True)
class Item:
    """One thing to do, with when it is due relative to the session start."""

    id: str
    text: str
    checklist_id: str
    phase: str
    why: str | None = None
    due: Due | None = None
    tags: tuple[str, ...] = ()
    clinic_decides: bool = False
    default_from: str | None = None
    """Where a shipped default (a fasting time, say) came from, for clinic-decided items."""
    path: str = ""
    line: int = 0
    col: int = 0


@dataclass(frozen=True, slots=True)
class Checklist:
    """One validated checklist file."""

    id: str
    title: str
    phase: str
    sources: tuple[Source, ...]
    items: tuple[Item, ...]
    description: str | None = None
    path: str = ""
    line: int = 1
    col: int = 1
    clinic_rules: ClinicRules | None = None
    """The rules a clinic states in this file (`clinic_rules:`): driving, decisions and more."""


@dataclass(frozen=True, slots=True)
class ChecklistSet:
    """The active checklists (valid files only) and every problem met while loading them."""

    checklists: tuple[Checklist, ...] = ()
    problems: tuple[Problem, ...] = ()
    replaced: tuple[tuple[str, str], ...] = ()
    """(path replaced, path that replaced it) for each file overridden by `id`."""
    _by_id: dict[str, Item] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        for item in self.items():
            self._by_id.setdefault(item.id, item)

    def items(self) -> Iterator[Item]:
        """Every item, in phase order, then file order."""
        for checklist in self.checklists:
            yield from checklist.items

    def item(self, item_id: str) -> Item | None:
        return self._by_id.get(item_id)

    @property
    def clinic_rules(self) -> ClinicRules:
        """The rules the files state (a later file's where two state the same one)."""
        from kapprep.clinic_rules import ClinicRules  # only here: home's due list needs none

        rules = ClinicRules()
        for checklist in self.checklists:
            if checklist.clinic_rules is not None:
                rules = rules.over(checklist.clinic_rules)
        return rules

    def by_phase(self) -> dict[str, list[Checklist]]:
        out: dict[str, list[Checklist]] = {phase: [] for phase in PHASES}
        for checklist in self.checklists:
            out[checklist.phase].append(checklist)
        return out
