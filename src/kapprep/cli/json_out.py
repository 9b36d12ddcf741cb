"""`--json` for scripts: `next`, `session list` and `checklists list` as versioned JSON documents.

Each document starts with `"format"` (its name) and `"version"` (raised only when a key changes
meaning or goes away; new keys may appear in the same version). Times are ISO 8601 with their
offset, in the session's own zone, and a session names its IANA zone. The JSON Schemas are in
`docs/json/` (see docs/json-output.md); a test validates real output against them.
"""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from datetime import datetime

    from kapprep.checklists import Checklist, ChecklistSet, Item, Problem
    from kapprep.store import Session
    from kapprep.timeline import Entry

VERSION = 1


def emit(doc: dict[str, Any]) -> None:
    """Write one document to standard output: UTF-8, keys in the documented order."""
    sys.stdout.write(json.dumps(doc, ensure_ascii=False, indent=2) + "\n")
    sys.stdout.flush()


def _iso(dt: datetime) -> str:
    return dt.isoformat(timespec="seconds")


def session(s: Session) -> dict[str, Any]:
    return {
        "number": s.id,
        "start": _iso(s.start),
        "zone": s.tz,
        "status": s.status,
        "clinic": s.clinic,
        "place": s.place,
        "at": s.place_kind,
        "phone": s.phone,
    }


def _entry(e: Entry, zone: Any) -> dict[str, Any]:
    return {
        "item": e.item.id,
        "text": e.item.text,
        "checklist": e.item.checklist_id,
        "phase": e.item.phase,
        "due": _iso(e.due.astimezone(zone)) if e.due is not None else None,
        "clinic_time": e.overridden,
        "clinic_decides": e.item.clinic_decides,
    }


def next_doc(
    now: datetime,
    chosen: Session | None,
    overdue: list[Entry],
    coming: list[Entry],
    totals: tuple[int, int],
) -> dict[str, Any]:
    """What `kapprep next --json` prints: the session (or null when none is coming), then the
    overdue and coming open items as listed, with how many there are in all."""
    zone = chosen.start.tzinfo if chosen is not None else now.tzinfo
    return {
        "format": "kapprep-next",
        "version": VERSION,
        "now": _iso(now.astimezone(zone)),
        "session": session(chosen) if chosen is not None else None,
        "overdue": [_entry(e, zone) for e in overdue],
        "overdue_total": totals[0],
        "due_next": [_entry(e, zone) for e in coming],
        "due_next_total": totals[1],
    }


def sessions_doc(now: datetime, sessions: list[Session]) -> dict[str, Any]:
    return {
        "format": "kapprep-sessions",
        "version": VERSION,
        "now": _iso(now),
        "sessions": [session(s) for s in sessions],
    }


def _item(item: Item) -> dict[str, Any]:
    return {
        "id": item.id,
        "text": item.text,
        "due": str(item.due) if item.due is not None else None,
        "why": item.why,
        "tags": list(item.tags),
        "clinic_decides": item.clinic_decides,
        "default_from": item.default_from,
    }


def _checklist(c: Checklist) -> dict[str, Any]:
    return {
        "id": c.id,
        "title": c.title,
        "phase": c.phase,
        "path": c.path,
        "sources": [{"title": s.title, "url": s.url} for s in c.sources],
        "items": [_item(i) for i in c.items],
    }


def _problem(p: Problem) -> dict[str, Any]:
    return {"path": p.path, "line": p.line, "col": p.col, "message": p.message}


def checklists_doc(loaded: ChecklistSet) -> dict[str, Any]:
    """The active set in phase order, and every problem met loading it (files left out)."""
    return {
        "format": "kapprep-checklists",
        "version": VERSION,
        "checklists": [_checklist(c) for c in loaded.checklists],
        "problems": [_problem(p) for p in loaded.problems],
    }
