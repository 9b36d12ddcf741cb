"""The SQLite schema, as forward migrations. `PRAGMA user_version` is the index of the last applied.

Migration N turns a version N-1 database into version N. Never edit a released migration: add one.
Times are ISO 8601 text in UTC ("2026-12-03T09:00:00+00:00"); the session's IANA zone is kept beside
its start so it shows in the patient's local time.
"""

from __future__ import annotations

import sqlite3

MIGRATIONS: tuple[str, ...] = (
    # 1: sessions, checklist progress, settings, and tables for the practice log, the support plan
    #    and the journal (filled in by those features).
    """
    CREATE TABLE sessions (
        id          INTEGER PRIMARY KEY,
        start_utc   TEXT NOT NULL,
        tz          TEXT NOT NULL,
        place       TEXT,
        clinic      TEXT,
        phone       TEXT,
        status      TEXT NOT NULL DEFAULT 'planned' CHECK (status IN ('planned', 'done', 'cancelled')),
        created_at  TEXT NOT NULL,
        updated_at  TEXT NOT NULL
    );
    CREATE TABLE ticks (
        session_id  INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
        item_id     TEXT NOT NULL,
        ticked_at   TEXT NOT NULL,
        PRIMARY KEY (session_id, item_id)
    );
    CREATE TABLE notes (
        session_id  INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
        item_id     TEXT NOT NULL,
        text        TEXT NOT NULL,
        updated_at  TEXT NOT NULL,
        PRIMARY KEY (session_id, item_id)
    );
    CREATE TABLE overrides (
        session_id  INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
        item_id     TEXT NOT NULL,
        due         TEXT,
        value       TEXT,
        updated_at  TEXT NOT NULL,
        PRIMARY KEY (session_id, item_id)
    );
    CREATE TABLE settings (
        key         TEXT PRIMARY KEY,
        value       TEXT NOT NULL
    );
    CREATE TABLE practice (
        id          INTEGER PRIMARY KEY,
        pattern     TEXT NOT NULL,
        started_at  TEXT NOT NULL,
        seconds     REAL NOT NULL DEFAULT 0,
        finished    INTEGER NOT NULL DEFAULT 0,
        calm_before INTEGER CHECK (calm_before BETWEEN 0 AND 10),
        calm_after  INTEGER CHECK (calm_after BETWEEN 0 AND 10)
    );
    CREATE TABLE plan_fields (
        key         TEXT PRIMARY KEY,
        value       TEXT NOT NULL,
        updated_at  TEXT NOT NULL
    );
    CREATE TABLE plan_people (
        id           INTEGER PRIMARY KEY,
        name         TEXT NOT NULL DEFAULT '',
        relationship TEXT NOT NULL DEFAULT '',
        phone        TEXT NOT NULL DEFAULT '',
        roles        TEXT NOT NULL DEFAULT '[]',
        collect_at   TEXT,
        stay_until   TEXT,
        notes        TEXT NOT NULL DEFAULT '',
        position     INTEGER NOT NULL DEFAULT 0,
        updated_at   TEXT NOT NULL
    );
    CREATE TABLE plan_signs (
        id           INTEGER PRIMARY KEY,
        sign         TEXT NOT NULL,
        what_to_do   TEXT NOT NULL DEFAULT '',
        position     INTEGER NOT NULL DEFAULT 0,
        updated_at   TEXT NOT NULL
    );
    CREATE TABLE journal_entries (
        session_id  INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
        kind        TEXT NOT NULL CHECK (kind IN ('intention', 'integration')),
        prompt      TEXT NOT NULL,
        text        TEXT NOT NULL,
        updated_at  TEXT NOT NULL,
        PRIMARY KEY (session_id, kind, prompt)
    );
    CREATE TABLE journal_steps (
        id          INTEGER PRIMARY KEY,
        session_id  INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
        text        TEXT NOT NULL,
        done_at     TEXT,
        created_at  TEXT NOT NULL
    );
    CREATE TABLE journal_ratings (
        session_id  INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
        scale       TEXT NOT NULL CHECK (scale IN ('mood', 'anxiety')),
        moment      TEXT NOT NULL CHECK (moment IN ('before', 'after')),
        value       INTEGER NOT NULL CHECK (value BETWEEN 0 AND 10),
        updated_at  TEXT NOT NULL,
        PRIMARY KEY (session_id, scale, moment)
    );
    CREATE TABLE questions (
        id          INTEGER PRIMARY KEY,
        text        TEXT NOT NULL,
        created_at  TEXT NOT NULL,
        asked_at    TEXT,
        position    INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX ticks_by_session ON ticks(session_id);
    CREATE INDEX sessions_by_start ON sessions(start_utc);
    CREATE INDEX steps_by_session ON journal_steps(session_id);
    CREATE INDEX practice_by_start ON practice(started_at);
    """,
    # 2: the clinic's own time for an item belongs to the series, not to one session: a patient
    #    sets their clinic's fasting time once. Per item, the time set last is kept. The `value`
    #    column (never written by any front end) goes.
    """
    CREATE TABLE clinic_times (
        item_id     TEXT PRIMARY KEY,
        due         TEXT NOT NULL,
        updated_at  TEXT NOT NULL
    );
    INSERT INTO clinic_times (item_id, due, updated_at)
        SELECT item_id, due, MAX(updated_at) FROM overrides WHERE due IS NOT NULL GROUP BY item_id;
    DROP TABLE overrides;
    """,
    # 3: where the session is, as a kind the app can act on (at the clinic, at home, other), beside
    #    the address it already has in `place`. Sessions made before have none (NULL: not said).
    #    And the journal answers the patient chose to show on the support person's briefing
    #    (one row a session and prompt; none until the patient ticks "show this").
    """
    ALTER TABLE sessions ADD COLUMN place_kind TEXT
        CHECK (place_kind IN ('clinic', 'home', 'other'));
    CREATE TABLE shared_notes (
        session_id  INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
        prompt      TEXT NOT NULL,
        shared_at   TEXT NOT NULL,
        PRIMARY KEY (session_id, prompt)
    );
    """,
    # 4: the check-in log of a session at home, typed in after it (`kapprep.checkins`): a look-in
    #    during the session, or a reading before or after it; deleted with its session.
    """
    CREATE TABLE check_ins (
        id          INTEGER PRIMARY KEY,
        session_id  INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
        moment      TEXT NOT NULL CHECK (moment IN ('before', 'during', 'after')),
        at_utc      TEXT NOT NULL,
        seems       TEXT NOT NULL DEFAULT '',
        note        TEXT NOT NULL DEFAULT '',
        systolic    INTEGER CHECK (systolic BETWEEN 1 AND 400),
        diastolic   INTEGER CHECK (diastolic BETWEEN 1 AND 400),
        pulse       INTEGER CHECK (pulse BETWEEN 1 AND 400),
        created_at  TEXT NOT NULL
    );
    CREATE INDEX check_ins_by_session ON check_ins(session_id);
    """,
)

SCHEMA_VERSION = len(MIGRATIONS)


def _split_sql(script: str) -> list[str]:
    """Split a migration script into statements (lines are joined until SQLite says complete)."""
    statements: list[str] = []
    buf = ""
    for line in script.splitlines(keepends=True):
        buf += line
        if sqlite3.complete_statement(buf):
            if buf.strip():
                statements.append(buf.strip())
            buf = ""
    if buf.strip():
        statements.append(buf.strip())
    return statements


def migrate(conn: sqlite3.Connection, target: int = SCHEMA_VERSION) -> int:
    """Apply migrations up to `target` in one transaction; returns the version reached."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        for number in range(version + 1, target + 1):
            for statement in _split_sql(MIGRATIONS[number - 1]):
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {number}")
            version = number
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    return version
