"""Subject-access requests: everything the log holds that names a person.

Under UK GDPR a resident may ask for every record that names them. :func:`gather` finds:

- every case where any text field names the person (complainant, address, summaries, the
  Stage 2 details, learning, imported extra columns, ...), or where a row of any table that
  belongs to a case does (history, actions, signatories of a petition, ... - found through the
  schema's foreign keys, so a table a later migration adds is searched too);
- for each such case, its whole history (each entry marked when it mentions the person) and the
  name of its folder (listed by the caller: file names, sizes, dates; never the contents);
- rows of any other table that name the person (a compliment from them, say).

Matching is on whole words, ignoring case and accents (``"zoe"`` finds ``"Zoë"``, ``"Ann Lee"``
finds ``"ann lee"`` and ``"Lee, Ann"`` but not ``"Anne Lee"``). Reads go through the raw driver:
no write lock is taken while a request is gathered.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from complaints_cli.domain.subject_access import CaseFound, Found, mentions, name_pattern
from complaints_cli.store.reads import case_from_mapping
from complaints_cli.store.tables import CASE_TABLE, raw_case_links, raw_tables

HISTORY_TABLE = "history"


def gather(db: Any, name: str) -> Found:
    """Everything in the log (and its case folders) that names ``name``.

    Two passes, so a 100k-case log is searched in streamed batches: first every row of the
    cases and of each table that belongs to a case is scanned for the name; then the whole
    record of each matched case (its rows in every linked table) is read by id.
    """
    pattern = name_pattern(name)
    links = raw_case_links(db)
    matched: dict[int, list[str]] = {}
    case_rows: dict[int, dict[str, Any]] = {}
    for row in db.iter_rows(f"SELECT * FROM {CASE_TABLE} ORDER BY id"):
        where = mentions(pattern, row)
        if where:
            matched[row["id"]] = where
            case_rows[row["id"]] = row
    for table, columns in links.items():
        for row in db.iter_rows(f'SELECT * FROM "{table}" ORDER BY id'):
            where = mentions(pattern, row)
            if not where:
                continue
            label = HISTORY_TABLE if table == HISTORY_TABLE else f"{table}.{where[0]}"
            for column in columns:
                if row.get(column) is not None:
                    found = matched.setdefault(row[column], [])
                    if label not in found:
                        found.append(label)
    ids = sorted(matched)
    missing = [i for i in ids if i not in case_rows]
    for row in _rows_by_id(db, CASE_TABLE, "id", missing):
        case_rows[row["id"]] = row
    belongs: dict[int, dict[str, list[dict[str, Any]]]] = {i: {} for i in ids}
    for table, columns in links.items():
        for column in columns:
            for row in _rows_by_id(db, table, column, ids):
                belongs[row[column]].setdefault(table, []).append(row)
    other = []
    for table in raw_tables(db):
        if table == CASE_TABLE or table in links:
            continue
        for row in db.iter_rows(f'SELECT * FROM "{table}"'):
            where = mentions(pattern, row)
            if where:
                other.append({"table": table, "matched": where, "record": row})
    result = []
    for case_id in ids:
        row = case_rows.get(case_id)
        if row is None:  # a link to a case that is not there (db check reports it)
            continue
        linked = belongs[case_id]
        history = [
            {**_history_entry(h), "mentions": bool(mentions(pattern, h))}
            for h in sorted(linked.pop(HISTORY_TABLE, []), key=lambda h: h["id"])
        ]
        case = case_from_mapping(row)
        record = case._asdict()
        record["extra"] = dict(case.extra)
        result.append(
            CaseFound(
                case=record,
                matched=matched[case_id],
                history=history,
                linked={
                    t: sorted(rows, key=lambda r: r.get("id") or 0) for t, rows in linked.items()
                },
                folder_name=case.folder,
            )
        )
    return Found(name, result, other)


def _rows_by_id(db: Any, table: str, column: str, ids: list[int]) -> list[dict[str, Any]]:
    """The rows of ``table`` whose ``column`` is one of ``ids`` (asked 500 at a time)."""
    out: list[dict[str, Any]] = []
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        params = {f"i{n}": v for n, v in enumerate(chunk)}
        marks = ", ".join(f":i{n}" for n in range(len(chunk)))
        out += db.rows(f'SELECT * FROM "{table}" WHERE "{column}" IN ({marks})', params)
    return out


def _history_entry(row: dict[str, Any]) -> dict[str, Any]:
    changes = row.get("changes")
    at = row.get("at")
    if isinstance(at, str):  # SQLite keeps UTC timestamps as text without the offset
        at = datetime.fromisoformat(at)
    if isinstance(at, datetime) and at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    return {
        "at": at,
        "actor": row.get("actor"),
        "command": row.get("command"),
        "changes": json.loads(changes) if isinstance(changes, str) and changes else {},
        "note": row.get("note"),
    }
