"""All of the check-in log's SQL: one short transaction per change."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from kapprep.checkins import CheckIn

if TYPE_CHECKING:
    from kapprep.store import Store

__all__ = ["add", "remove", "rows"]

_COLUMNS = "id, session_id, moment, at_utc, seems, note, systolic, diastolic, pulse"


def _iso(dt: datetime) -> str:
    if dt.tzinfo is None:
        raise ValueError("check-in times must be timezone-aware")
    return dt.astimezone(UTC).isoformat(timespec="seconds")


def add(store: Store, row: CheckIn, now: datetime) -> int:
    """Keep `row` with its session; returns its id."""
    with store.transaction() as conn:
        cursor = conn.execute(
            "INSERT INTO check_ins (session_id, moment, at_utc, seems, note, systolic, diastolic,"
            " pulse, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (row.session_id, row.moment, _iso(row.at), row.seems, row.note, row.systolic,
             row.diastolic, row.pulse, _iso(now)),
        )  # fmt: skip
        return int(cursor.lastrowid or 0)


def remove(store: Store, row_id: int) -> None:
    with store.transaction() as conn:
        conn.execute("DELETE FROM check_ins WHERE id = ?", (row_id,))


def rows(store: Store, session_id: int, zone: str = "UTC") -> list[CheckIn]:
    """The session's rows in time order (before, then the look-ins, then after), in `zone`."""
    tz = ZoneInfo(zone)
    order = "CASE moment WHEN 'before' THEN 0 WHEN 'during' THEN 1 ELSE 2 END, at_utc, id"
    found = store.fetch(
        f"SELECT {_COLUMNS} FROM check_ins WHERE session_id = ? ORDER BY {order}", (session_id,)
    )
    return [
        CheckIn(
            int(r[0]),
            int(r[1]),
            r[2],
            datetime.fromisoformat(r[3]).astimezone(tz),
            r[4],
            r[5],
            r[6],
            r[7],
            r[8],
        )
        for r in found
    ]
