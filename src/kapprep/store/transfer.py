"""Export, import and the export format's JSON Schema (docs/export-format.md).

An export is one JSON document holding every row of every table, exactly as stored:

    {"format": "kapprep-export", "version": 1, "schema_version": 1, "kapprep": "0.1.0",
     "exported_at": "2026-12-01T08:00:00+00:00", "tables": {"sessions": [{...}, ...], ...}}

Import is strict: unknown or missing keys, wrong types, text that is not valid Unicode, times that
are not times, duplicate keys, NaN, oversized files — each gives a `StoreError` naming the place
(like `tables.ticks[3].item_id`) and never the value, and nothing is changed. A valid document
replaces all data in one transaction, so an import either happens whole or not at all.
"""

from __future__ import annotations

import json
import math
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from kapprep import clock
from kapprep.store.base import StoreError, iso, table_names

if TYPE_CHECKING:
    from kapprep.store.core import Store

__all__ = [
    "EXPORT_FORMAT",
    "EXPORT_VERSION",
    "MAX_IMPORT_BYTES",
    "export_connection",
    "export_doc",
    "import_doc",
    "json_schema",
    "parse_export",
    "salvage_doc",
    "schema_path",
    "validate_doc",
]

EXPORT_FORMAT: Final = "kapprep-export"
EXPORT_VERSION: Final = 4
"""Bump when the document's shape changes (a new table or column comes with a new version), and
teach `upgrade_doc` to bring the older shape up to date, so an old export still imports.
2: `clinic_times` (one per item, for the whole series) replaces the per-session `overrides`.
3: each session's `place_kind` (clinic, home, other, or null), and `shared_notes`.
4: `check_ins`, the check-in log of a session at home."""
MAX_IMPORT_BYTES: Final = 256 * 1024 * 1024
MAX_TEXT: Final = 1024 * 1024
"""The longest text value an import accepts (a very long journal entry is ~50 KB)."""
_TOP_KEYS: Final = {"format", "version", "schema_version", "kapprep", "exported_at", "tables"}
_TIME_COLUMNS: Final = {
    ("sessions", "start_utc"),
    ("ticks", "ticked_at"),
    ("practice", "started_at"),
    ("journal_steps", "created_at"),
    ("journal_steps", "done_at"),
    ("questions", "created_at"),
    ("questions", "asked_at"),
    ("check_ins", "at_utc"),
    ("check_ins", "created_at"),
}
"""Columns the store parses as times, so an import must hold real ISO 8601 times there."""
_INT64: Final = 2**63


@dataclass(frozen=True, slots=True)
class Column:
    name: str
    kind: str
    """'integer', 'real' or 'text'."""
    nullable: bool


def table_spec(conn: sqlite3.Connection) -> dict[str, list[Column]]:
    """Every table's columns, from the database itself (so the spec follows the migrations)."""
    spec: dict[str, list[Column]] = {}
    for name in table_names(conn):
        cols = []
        for row in conn.execute(f'PRAGMA table_info("{name}")'):
            declared = str(row[2]).upper()
            kind = "integer" if "INT" in declared else "real" if "REAL" in declared else "text"
            pk_rowid = row[5] and declared == "INTEGER"
            cols.append(Column(row[1], kind, not row[3] and not pk_rowid))
        spec[name] = cols
    return spec


# --------------------------------------------------------------------------------------------
# Export


def export_doc(store: Store) -> dict[str, Any]:
    with store.snapshot() as conn:  # one consistent view, also in a read-only folder
        return export_connection(conn)


def export_connection(conn: sqlite3.Connection) -> dict[str, Any]:
    """Every table of the database behind `conn` as an export document (read in one go)."""
    doc, _ = _document(conn, salvage=False)
    return doc


def salvage_doc(conn: sqlite3.Connection) -> tuple[dict[str, Any], list[str]]:
    """What can still be read from a damaged database: the export document, with each table's
    rows up to the first one that cannot be read, and the names of the tables cut short."""
    return _document(conn, salvage=True)


def _document(conn: sqlite3.Connection, *, salvage: bool) -> tuple[dict[str, Any], list[str]]:
    from kapprep import __version__

    spec = table_spec(conn)
    tables: dict[str, list[dict[str, Any]]] = {}
    incomplete: list[str] = []
    for name, cols in spec.items():
        names = ", ".join(f'"{c.name}"' for c in cols)
        rows: list[dict[str, Any]] = []
        try:
            cursor = conn.execute(f'SELECT {names} FROM "{name}" ORDER BY rowid')
            for row in cursor:
                rows.append({c.name: row[i] for i, c in enumerate(cols)})
        except sqlite3.DatabaseError:
            if not salvage:
                raise
            incomplete.append(name)
        tables[name] = rows
    version = int(conn.execute("PRAGMA user_version").fetchone()[0])
    doc = {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "schema_version": version,
        "kapprep": __version__,
        "exported_at": iso(clock.now()),
        "tables": tables,
    }
    return doc, incomplete


def dumps(doc: dict[str, Any]) -> str:
    return json.dumps(doc, ensure_ascii=False, allow_nan=False, indent=1) + "\n"


# --------------------------------------------------------------------------------------------
# Parsing and validating


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise ValueError(f'the key "{key[:40]}" appears twice in one object')
        out[key] = value
    return out


def _no_constants(name: str) -> Any:
    raise ValueError(f"{name} is not allowed in a kapprep export")


def parse_export(data: bytes | str, where: str = "the file") -> Any:
    """Parse an export's JSON text strictly; `StoreError` with a plain message if it is not JSON."""
    if len(data) > MAX_IMPORT_BYTES:
        raise StoreError(f"{where} is too large to be a kapprep export")
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise StoreError(
                f"{where} is not a kapprep export: it is not UTF-8 text (byte {exc.start + 1})"
            ) from None
    try:
        return json.loads(data, object_pairs_hook=_no_duplicates, parse_constant=_no_constants)
    except json.JSONDecodeError as exc:
        raise StoreError(
            f"{where} is not a kapprep export: not valid JSON at line {exc.lineno}, "
            f"column {exc.colno} ({exc.msg})"
        ) from None
    except ValueError as exc:
        raise StoreError(f"{where} is not a kapprep export: {exc}") from None
    except RecursionError:
        raise StoreError(f"{where} is not a kapprep export: it is nested too deeply") from None


def _kind_name(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def _bad(where: str, message: str) -> StoreError:
    return StoreError(f"this is not a valid kapprep export: {where}: {message}")


def _check_value(where: str, col: Column, value: Any, time: bool) -> None:
    if value is None:
        if not col.nullable:
            raise _bad(where, "is required, found null")
        return
    if col.kind == "integer":
        if not isinstance(value, int) or isinstance(value, bool):
            raise _bad(where, f"expected a whole number, found {_kind_name(value)}")
        if not -_INT64 <= value < _INT64:
            raise _bad(where, "the number is too large")
    elif col.kind == "real":
        if not isinstance(value, int | float) or isinstance(value, bool):
            raise _bad(where, f"expected a number, found {_kind_name(value)}")
        if isinstance(value, float) and not math.isfinite(value):
            raise _bad(where, "expected a finite number")
        if isinstance(value, int) and not -_INT64 <= value < _INT64:
            raise _bad(where, "the number is too large")
    else:
        if not isinstance(value, str):
            raise _bad(where, f"expected text, found {_kind_name(value)}")
        if len(value) > MAX_TEXT:
            raise _bad(where, "the text is too long")
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise _bad(where, "the text is not valid Unicode") from None
        if time:
            try:
                dt = datetime.fromisoformat(value)
            except ValueError:
                raise _bad(
                    where, "expected a date and time like 2026-12-03T09:00:00+00:00"
                ) from None
            if dt.tzinfo is None:
                raise _bad(where, "the time needs a UTC offset, like +00:00")
            from kapprep.whentext import FIRST_YEAR, LAST_YEAR

            if not FIRST_YEAR <= dt.year <= LAST_YEAR:
                raise _bad(where, f"the year is outside {FIRST_YEAR}-{LAST_YEAR}")


def validate_doc(doc: Any, spec: dict[str, list[Column]], schema_version: int) -> None:
    """Raise `StoreError` (naming the place, never the value) unless `doc` is a valid export."""
    if not isinstance(doc, dict):
        raise _bad("the document", f"expected an object, found {_kind_name(doc)}")
    if doc.get("format") != EXPORT_FORMAT:
        raise _bad("format", f'expected "{EXPORT_FORMAT}"')
    version = doc.get("version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise _bad("version", "expected a whole number")
    if version > EXPORT_VERSION:
        raise StoreError(
            f"this export was made by a newer kapprep (format version {version}; this kapprep "
            f"reads up to {EXPORT_VERSION}). Please update kapprep; nothing was changed"
        )
    if version != EXPORT_VERSION:
        raise _bad("version", f"expected {EXPORT_VERSION}")
    unknown = sorted(set(doc) - _TOP_KEYS)
    if unknown:
        raise _bad(unknown[0][:40], "is not a key kapprep exports have")
    missing = sorted({"format", "version", "exported_at", "tables"} - set(doc))
    if missing:
        raise _bad(missing[0], "is missing")
    sv = doc.get("schema_version", schema_version)
    if not isinstance(sv, int) or isinstance(sv, bool) or sv != schema_version:
        raise _bad("schema_version", f"expected {schema_version}")
    if "kapprep" in doc and not isinstance(doc["kapprep"], str):
        raise _bad("kapprep", "expected text")
    _check_value("exported_at", Column("exported_at", "text", False), doc["exported_at"], True)
    tables = doc["tables"]
    if not isinstance(tables, dict):
        raise _bad("tables", f"expected an object, found {_kind_name(tables)}")
    for name in tables:
        if name not in spec:
            raise _bad(f"tables.{name[:40]}", "is not a table kapprep has")
    for name, cols in spec.items():
        if name not in tables:
            raise _bad(f"tables.{name}", "is missing")
        rows = tables[name]
        if not isinstance(rows, list):
            raise _bad(f"tables.{name}", f"expected a list, found {_kind_name(rows)}")
        names = {c.name for c in cols}
        for i, row in enumerate(rows):
            where = f"tables.{name}[{i}]"
            if not isinstance(row, dict):
                raise _bad(where, f"expected an object, found {_kind_name(row)}")
            extra = sorted(set(row) - names)
            if extra:
                raise _bad(f"{where}.{extra[0][:40]}", f"is not a column of {name}")
            for col in cols:
                if col.name not in row:
                    raise _bad(f"{where}.{col.name}", "is missing")
                _check_value(
                    f"{where}.{col.name}", col, row[col.name], (name, col.name) in _TIME_COLUMNS
                )
        if name == "sessions":
            from kapprep.zones import zone

            for i, row in enumerate(rows):
                try:
                    zone(row["tz"])
                except ValueError:
                    raise _bad(
                        f"tables.sessions[{i}].tz", "is not a time zone kapprep knows"
                    ) from None
        if name == "settings":
            for i, row in enumerate(rows):
                try:
                    json.loads(row["value"], parse_constant=_no_constants)
                except (ValueError, RecursionError):
                    raise _bad(f"tables.settings[{i}].value", "expected JSON text") from None


# --------------------------------------------------------------------------------------------
# Import


def upgrade_doc(doc: Any) -> Any:
    """An export from an older kapprep, in today's shape (anything else is returned as it is,
    for `validate_doc` to judge): version 1 to 2, then 2 to 3, then 3 to 4."""
    return _from_3(_from_2(_from_1(doc)))


def _from_3(doc: Any) -> Any:
    """Version 3 had no check-in log (`check_ins`): an empty one, as the store's migration 4."""
    if not isinstance(doc, dict) or doc.get("version") != 3 or doc.get("schema_version", 3) != 3:
        return doc
    tables = doc.get("tables")
    if not isinstance(tables, dict):
        return doc
    return {**doc, "version": 4, "schema_version": 4, "tables": {"check_ins": [], **tables}}


def _from_2(doc: Any) -> Any:
    """Version 2 had no `place_kind` on its sessions: they get null (not said), as the store's
    migration 3 gives the sessions it finds; and no `shared_notes`: nothing was shared."""
    if not isinstance(doc, dict) or doc.get("version") != 2 or doc.get("schema_version", 2) != 2:
        return doc
    tables = doc.get("tables")
    if not isinstance(tables, dict) or not isinstance(tables.get("sessions", []), list):
        return doc
    sessions = [
        {**row, "place_kind": row.get("place_kind")} if isinstance(row, dict) else row
        for row in tables.get("sessions", [])
    ]
    upgraded = {**tables, "sessions": sessions} if "sessions" in tables else dict(tables)
    upgraded.setdefault("shared_notes", [])
    return {**doc, "version": 3, "schema_version": 3, "tables": upgraded}


def _from_1(doc: Any) -> Any:
    """Version 1 to version 2.

    Version 1 kept the clinic's own times per session (`overrides`: session_id, item_id, due,
    value, updated_at); version 2 keeps one per item for the series, the one set last (as the
    store's migration 2 does). The never-used `value` goes.
    """
    if not isinstance(doc, dict) or doc.get("version") != 1 or doc.get("schema_version", 1) != 1:
        return doc
    tables = doc.get("tables")
    if not isinstance(tables, dict) or not isinstance(tables.get("overrides", []), list):
        return doc
    latest: dict[str, dict[str, Any]] = {}
    for i, row in enumerate(tables.get("overrides", [])):
        where = f"tables.overrides[{i}]"
        if not isinstance(row, dict):
            raise _bad(where, f"expected an object, found {_kind_name(row)}")
        item, due, at = row.get("item_id"), row.get("due"), row.get("updated_at")
        if not isinstance(item, str) or not isinstance(at, str):
            raise _bad(where, "expected item_id and updated_at as text")
        if due is None:
            continue
        if not isinstance(due, str):
            raise _bad(f"{where}.due", "expected text")
        if item not in latest or at > latest[item]["updated_at"]:
            latest[item] = {"item_id": item, "due": due, "updated_at": at}
    upgraded = {k: v for k, v in tables.items() if k != "overrides"}
    upgraded["clinic_times"] = sorted(latest.values(), key=lambda r: r["item_id"])
    return {**doc, "version": 2, "schema_version": 2, "tables": upgraded}


def import_doc(store: Store, doc: Any, *, dry_run: bool = False) -> dict[str, tuple[int, int]]:
    doc = upgrade_doc(doc)
    with store.transaction() as conn:
        spec = table_spec(conn)
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        validate_doc(doc, spec, version)
        summary = {
            name: (int(conn.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0]), len(rows))
            for name, rows in ((n, doc["tables"][n]) for n in spec)
        }
        if dry_run:
            return summary
        conn.execute("PRAGMA defer_foreign_keys = ON")
        try:
            for name in spec:
                conn.execute(f'DELETE FROM "{name}"')
            for name, cols in spec.items():
                names = ", ".join(f'"{c.name}"' for c in cols)
                marks = ", ".join("?" for _ in cols)
                sql = f'INSERT INTO "{name}" ({names}) VALUES ({marks})'
                for i, row in enumerate(doc["tables"][name]):
                    try:
                        conn.execute(sql, [_entering(row[c.name]) for c in cols])
                    except sqlite3.IntegrityError as exc:
                        raise _bad(f"tables.{name}[{i}]", _constraint(exc)) from None
            problems = conn.execute("PRAGMA foreign_key_check").fetchall()
            if problems:
                table = problems[0][0]
                raise _bad(
                    f"tables.{table}",
                    f"a row points to a {problems[0][2]} row that is not in the file",
                )
        except sqlite3.OperationalError:
            raise
        except sqlite3.Error as exc:  # anything else SQLite refuses: nothing is kept
            raise _bad("tables", _constraint(exc)) from None
    return summary


def _entering(value: Any) -> Any:
    """A value as an import keeps it: text without what a terminal acts on (an escape sequence
    in a file someone handed over would otherwise reach the screens that show it)."""
    from kapprep.cleantext import clean

    return clean(value) if isinstance(value, str) else value


def _constraint(exc: sqlite3.Error) -> str:
    text = str(exc)
    if "UNIQUE" in text or "PRIMARY KEY" in text:
        return "the same row appears twice"
    if "CHECK" in text:
        return "a value is out of range"
    if "FOREIGN KEY" in text:
        return "a row points to a session that is not in the file"
    if "NOT NULL" in text:
        return "a required value is null"
    return "SQLite refused the data"


def summary_lines(summary: dict[str, tuple[int, int]]) -> list[str]:
    """Plain lines for the tables an import changes: "sessions: 3 now, 5 after"."""
    return [
        f"{name.replace('_', ' ')}: {now} now, {after} after"
        for name, (now, after) in summary.items()
        if now or after
    ]


# --------------------------------------------------------------------------------------------
# JSON Schema


def json_schema(spec: dict[str, list[Column]], schema_version: int) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of an export document for this schema version."""
    types = {"integer": "integer", "real": "number", "text": "string"}
    tables: dict[str, Any] = {}
    for name, cols in spec.items():
        props: dict[str, Any] = {}
        for col in cols:
            t = types[col.kind]
            props[col.name] = {"type": [t, "null"] if col.nullable else t}
            if (name, col.name) in _TIME_COLUMNS:
                props[col.name]["format"] = "date-time"
        tables[name] = {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": [c.name for c in cols],
                "properties": props,
            },
        }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://kapprep.invalid/export.schema.json",
        "title": "kapprep export",
        "description": (
            "All of one user's kapprep data, every table's rows exactly as stored. "
            "See docs/export-format.md."
        ),
        "type": "object",
        "additionalProperties": False,
        "required": ["format", "version", "exported_at", "tables"],
        "properties": {
            "format": {"const": EXPORT_FORMAT},
            "version": {"const": EXPORT_VERSION},
            "schema_version": {"const": schema_version},
            "kapprep": {"type": "string"},
            "exported_at": {"type": "string", "format": "date-time"},
            "tables": {
                "type": "object",
                "additionalProperties": False,
                "required": list(spec),
                "properties": tables,
            },
        },
    }


def schema_path() -> Path:
    """The shipped export JSON Schema (package data)."""
    return Path(str(resources.files("kapprep.store"))) / "export.schema.json"
