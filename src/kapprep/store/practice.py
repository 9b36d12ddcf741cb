"""The grounding practice log: one row per exercise started, its length, whether it was
finished, and the 0-10 calm before and after. Part of `Store` (a mixin), kept apart for size."""

from __future__ import annotations

import sqlite3
from contextlib import AbstractContextManager
from datetime import datetime
from typing import TYPE_CHECKING, Any

from kapprep.store.base import UNSET, Practice, StoreError, _Unset, from_iso, iso

if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = ["PracticeLog"]


class PracticeLog:
    """`Store`'s practice-log methods (each one short transaction)."""

    if TYPE_CHECKING:

        def transaction(self) -> AbstractContextManager[sqlite3.Connection]: ...
        def fetch(
            self, sql: str, params: Sequence[Any] | dict[str, Any] = ()
        ) -> list[sqlite3.Row]: ...

    def add_practice(
        self,
        pattern: str,
        started_at: datetime,
        seconds: float,
        finished: bool,
        calm_before: int | None = None,
        calm_after: int | None = None,
    ) -> int:
        with self.transaction() as conn:
            cur = conn.execute(
                "INSERT INTO practice (pattern, started_at, seconds, finished, calm_before,"
                " calm_after) VALUES (?, ?, ?, ?, ?, ?)",
                (pattern, iso(started_at), float(seconds), int(finished), calm_before, calm_after),
            )
            new_id = cur.lastrowid
        assert new_id is not None
        return new_id

    def update_practice(
        self,
        id: int,
        *,
        seconds: float | _Unset = UNSET,
        finished: bool | _Unset = UNSET,
        calm_before: int | _Unset | None = UNSET,
        calm_after: int | _Unset | None = UNSET,
    ) -> None:
        sets: list[str] = []
        params: list[Any] = []
        if not isinstance(seconds, _Unset):
            sets.append("seconds = ?")
            params.append(float(seconds))
        if not isinstance(finished, _Unset):
            sets.append("finished = ?")
            params.append(int(finished))
        for name, value in (("calm_before", calm_before), ("calm_after", calm_after)):
            if not isinstance(value, _Unset):
                sets.append(f"{name} = ?")
                params.append(value)
        if not sets:
            return
        with self.transaction() as conn:
            cur = conn.execute(f"UPDATE practice SET {', '.join(sets)} WHERE id = ?", (*params, id))
            if cur.rowcount == 0:
                raise StoreError(f"there is no practice {id}")

    def practices(self) -> list[Practice]:
        """The practice log, oldest first."""
        rows = self.fetch(
            "SELECT id, pattern, started_at, seconds, finished, calm_before, calm_after"
            " FROM practice ORDER BY started_at, id"
        )
        return [
            Practice(r[0], r[1], from_iso(r[2]), float(r[3]), bool(r[4]), r[5], r[6]) for r in rows
        ]
