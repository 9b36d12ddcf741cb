"""The app's cache of parsed checklists: the home screen's due list without PyYAML.

Reading the checklist files costs the app about 20 ms before the home screen's due list can show
(PyYAML's import, ~12 ms here, the 1,000-line validator, the parse). Files rarely change, so the
app keeps what it parsed as JSON in the private data folder (`cache/checklists.json`, 0600) and
reads that back while every file is as it was: same layers, same files, each with the same size,
modification and change times, and the same kapprep. Anything else reads the files again (and
writes the cache anew). A cache that cannot be read or written is simply not used: the files are
the truth, the cache only saves time.
"""

from __future__ import annotations

import json
import os
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kapprep import __version__
from kapprep.checklist_model import Checklist, ChecklistSet, Item, Problem, Source
from kapprep.due import DueSyntaxError, parse_due

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from kapprep.clinic_rules import ClinicRules, Rule

__all__ = ["CACHE_NAME", "cached_layers", "fingerprint"]

CACHE_NAME = "checklists.json"
_FORMAT = 3
"""2: with each file's clinic_rules; 3: with each source's quote."""


def fingerprint(layers: Sequence[Path]) -> list[Any]:
    """What the cache is valid for: each layer with every checklist file in it (name, size,
    modification and change time in ns), as the loader would find them."""
    out: list[Any] = [_FORMAT, __version__]
    for layer in layers:
        files: list[Any] = []
        try:
            if layer.is_dir():
                names = sorted(
                    p for p in os.listdir(layer) if p.endswith((".yaml", ".yml")) and p[0] != "."
                )
                paths = [layer / n for n in names]
            else:
                paths = [layer] if layer.exists() else []
            for path in paths:
                st = path.stat()
                files.append([path.name, st.st_size, st.st_mtime_ns, st.st_ctime_ns])
        except OSError as exc:
            files = [["unreadable", exc.errno]]
        out.append([str(layer), files])
    return out


def cached_layers(
    layers: Sequence[Path], folder: Path, load: Callable[[Sequence[Path]], ChecklistSet]
) -> ChecklistSet:
    """The checklists in `layers`, from the cache in `folder` while it is valid, else from
    `load(layers)` (which then refreshes the cache)."""
    key = fingerprint(layers)
    path = folder / CACHE_NAME
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
        if doc.get("key") == key:
            return _from_doc(doc["set"])
    except (OSError, ValueError, KeyError, TypeError, AttributeError, DueSyntaxError):
        pass  # no cache yet, or one from another version or a damaged one: read the files
    loaded = load(layers)
    _write(path, {"key": key, "set": _to_doc(loaded)})
    return loaded


def _write(path: Path, doc: dict[str, Any]) -> None:
    from kapprep.files import write_private

    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        write_private(path, json.dumps(doc, ensure_ascii=False).encode("utf-8"), replace=True)
    except OSError:
        pass  # a full disk or a read-only folder: the app works without the cache


def _to_doc(loaded: ChecklistSet) -> dict[str, Any]:
    return {
        "checklists": [
            {
                "id": c.id,
                "title": c.title,
                "phase": c.phase,
                "sources": [[s.title, s.url, s.quote] for s in c.sources],
                "description": c.description,
                "at": [c.path, c.line, c.col],
                "rules": _rules_doc(c.clinic_rules),
                "items": [
                    [
                        i.id,
                        i.text,
                        i.checklist_id,
                        i.phase,
                        i.why,
                        str(i.due) if i.due is not None else None,
                        list(i.tags),
                        i.clinic_decides,
                        i.default_from,
                        i.path,
                        i.line,
                        i.col,
                    ]
                    for i in c.items
                ],
            }
            for c in loaded.checklists
        ],
        "problems": [[p.path, p.line, p.col, p.message] for p in loaded.problems],
        "replaced": [list(pair) for pair in loaded.replaced],
    }


def _rule_doc(rule: Rule | None) -> Any:
    if rule is None:
        return None
    after = rule.after.total_seconds() if rule.after is not None else None
    return [after, rule.words, rule.source]


def _rules_doc(rules: ClinicRules | None) -> Any:
    if rules is None:
        return None
    return {
        "driving": _rule_doc(rules.driving),
        "decisions": _rule_doc(rules.decisions),
        "check_in_minutes": rules.check_in_minutes,
        "blood_pressure": list(rules.blood_pressure),
    }


def _rule_from(doc: Any) -> Rule | None:
    if doc is None:
        return None
    from kapprep.clinic_rules import Rule

    after, words, source = doc
    return Rule(timedelta(seconds=after) if after is not None else None, words, source)


def _rules_from(doc: Any) -> ClinicRules | None:
    if doc is None:
        return None
    from kapprep.clinic_rules import ClinicRules

    return ClinicRules(
        driving=_rule_from(doc["driving"]),
        decisions=_rule_from(doc["decisions"]),
        check_in_minutes=doc["check_in_minutes"],
        blood_pressure=tuple(doc["blood_pressure"]),
    )


def _from_doc(doc: dict[str, Any]) -> ChecklistSet:
    checklists = []
    for c in doc["checklists"]:
        items = tuple(
            Item(
                id=i[0],
                text=i[1],
                checklist_id=i[2],
                phase=i[3],
                why=i[4],
                due=parse_due(i[5]) if i[5] is not None else None,
                tags=tuple(i[6]),
                clinic_decides=bool(i[7]),
                default_from=i[8],
                path=i[9],
                line=i[10],
                col=i[11],
            )
            for i in c["items"]
        )
        path, line, col = c["at"]
        rules = _rules_from(c["rules"])
        checklists.append(
            Checklist(
                id=c["id"],
                title=c["title"],
                phase=c["phase"],
                sources=tuple(Source(t, u, q) for t, u, q in c["sources"]),
                items=items,
                description=c["description"],
                path=path,
                line=line,
                col=col,
                clinic_rules=rules,
            )
        )
    return ChecklistSet(
        tuple(checklists),
        tuple(Problem(*p) for p in doc["problems"]),
        tuple((a, b) for a, b in doc["replaced"]),
    )
