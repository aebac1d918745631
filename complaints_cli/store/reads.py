"""Reading the log through the raw driver: plain dicts with real Python types.

These functions back ``show`` and ``list`` (and later ``due``), which must start fast, so they
import neither SQLAlchemy nor the models. :func:`case_record` turns a row as either driver
returns it (SQLite gives text dates and 0/1 flags; PostgreSQL gives real types) into one shape.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from complaints_cli.domain.columns import COLUMNS
from complaints_cli.domain.references import normalise_reference, not_found
from complaints_cli.errors import NotFoundError
from complaints_cli.store.db import RawDatabase

DATE_FIELDS = frozenset(
    {
        "received",
        "acknowledged",
        "stage2_acknowledged",
        "last_update",
        "ombudsman_referred",
        "ombudsman_requested",
        "ombudsman_evidence_sent",
        "next_due",
        "stage1_responded",
        "stage1_extended_to",
        "escalation_received",
        "stage2_responded",
        "stage2_extended_to",
        "closed",
        "not_accepted_told",
        "events_date",
        "informal_received",
        "informal_responded",
        "converted_from_informal",
        "panel_meeting",
        "ombudsman_determined",
    }
)
BOOL_FIELDS = frozenset(
    {
        "ack_met",
        "stage1_extension",
        "stage1_met",
        "escalated",
        "stage2_extension",
        "stage2_met",
        "stage1_extension_told",
        "stage2_extension_told",
        "legal_hold",
        "vulnerable",
    }
)
DATETIME_FIELDS = frozenset({"created_at", "updated_at", "at"})

#: The stable JSON shape of a case: the 24 columns' fields in log order, then the tool's own.
CASE_FIELDS: tuple[str, ...] = (
    *(f for c in COLUMNS for f in c.fields),
    "channel",
    "closed",
    "close_reason",
    "folder",
    "stage2_acknowledged",
    "stage1_extension_told",
    "stage2_extension_told",
    "stage2_compensation_amount",
    "stage2_compensation_reasons",
    "last_update",
    "ombudsman_body",
    "ombudsman_referred",
    "ombudsman_requested",
    "ombudsman_evidence_sent",
    "next_due",
    "next_milestone",
    "created_at",
    "updated_at",
    "row_version",
    "legal_hold",
    "legal_hold_reason",
    # The whole process (migration 0004). Vulnerability is not here: it is personal and
    # sensitive, so `show` gives it under "vulnerability" and listings leave it out.
    "kind",
    "not_accepted_reason",
    "not_accepted_told",
    "events_date",
    "informal_received",
    "informal_responded",
    "converted_from_informal",
    "related_to_id",
    "folded_issues",
    "panel_meeting",
    "ombudsman_determined",
    "ombudsman_findings",
)

#: Vulnerability and reasonable adjustments: on `show`, never in a listing or export by default.
VULNERABILITY_FIELDS: tuple[str, ...] = (
    "vulnerable",
    "contact_preference",
    "adjustments",
    "vulnerability_notes",
)

_SELECT = "SELECT * FROM complaint"


def _to_date(value: Any) -> date | None:
    if value is None or (isinstance(value, date) and not isinstance(value, datetime)):
        return value
    if isinstance(value, datetime):
        return value.date()
    return date.fromisoformat(str(value)[:10])


def _to_datetime(value: Any) -> datetime | None:
    """Timestamps are UTC; SQLite hands them back as text without the offset."""
    if value is None:
        return None
    stamp = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return stamp if stamp.tzinfo else stamp.replace(tzinfo=UTC)


def case_record(row: dict[str, Any]) -> dict[str, Any]:
    """A complaint row with dates as ``date``, flags as ``bool``, money as ``Decimal`` pounds."""
    out = dict(row)
    for key in DATE_FIELDS:
        if key in out:
            out[key] = _to_date(out[key])
    for key in BOOL_FIELDS:
        if key in out and out[key] is not None:
            out[key] = bool(out[key])
    for key in ("created_at", "updated_at"):
        if key in out:
            out[key] = _to_datetime(out[key])
    for stage in ("", "stage2_"):
        pence = out.pop(f"{stage}compensation_pence", None)
        out[f"{stage}compensation_amount"] = None if pence is None else Decimal(pence) / 100
    extra = out.get("extra")
    out["extra"] = json.loads(extra) if extra else {}
    return out


def get_case(db: RawDatabase, reference: str) -> dict[str, Any]:
    """One case by reference; an unknown reference suggests the nearest ones."""
    ref = normalise_reference(reference)
    rows = db.rows(f"{_SELECT} WHERE reference = :ref", {"ref": ref})
    if not rows:
        purged = db.rows(
            "SELECT purged_at, actor, retention_years FROM purge_record WHERE reference = :ref "
            "ORDER BY id DESC",
            {"ref": ref},
        )
        if purged:  # a gap in the references is explained, without any personal data
            p = purged[0]
            raise NotFoundError(
                f"{ref} was purged on {_to_datetime(p['purged_at']):%d/%m/%Y} by {p['actor']} "
                f"under the {p['retention_years']}-year retention period"
            )
        raise not_found(reference, db.column("SELECT reference FROM complaint"))
    return case_record(rows[0])


def list_cases(
    db: RawDatabase,
    *,
    status: str | None = None,
    stage: str | None = None,
    handler: str | None = None,
    text: str | None = None,
) -> list[dict[str, Any]]:
    """The log in reference order, filtered (case-insensitively) by the given values."""
    where: list[str] = []
    params: dict[str, Any] = {}
    if status:
        where.append("LOWER(status) = LOWER(:status)")
        params["status"] = status
    if stage:
        where.append("LOWER(stage) = LOWER(:stage)")
        params["stage"] = stage
    if handler:
        where.append(
            "(LOWER(handler) = LOWER(:handler) OR LOWER(stage2_handler) = LOWER(:handler))"
        )
        params["handler"] = handler
    if text:
        like = " OR ".join(
            f"LOWER(COALESCE({f}, '')) LIKE :text"
            for f in (
                "reference",
                "complainant",
                "address",
                "complaint_summary",
                "handler",
                "stage1_response_summary",
                "escalation_details",
                "learning",
            )
        )
        where.append(f"({like})")
        params["text"] = f"%{text.lower()}%"
    sql = _SELECT + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY id"
    return [case_record(r) for r in db.iter_rows(sql, params)]


def history(db: RawDatabase, complaint_id: int) -> list[dict[str, Any]]:
    """A case's history, oldest first, each change decoded to ``{field: [old, new]}``."""
    rows = db.rows(
        "SELECT at, actor, command, changes, note FROM history "
        "WHERE complaint_id = :id ORDER BY id",
        {"id": complaint_id},
    )
    for row in rows:
        row["at"] = _to_datetime(row["at"])
        row["changes"] = json.loads(row["changes"])
    return rows


def actions(db: RawDatabase, complaint_id: int) -> list[dict[str, Any]]:
    """A case's actions in number order: number, stage, kind, text, owner, due, done."""
    rows = db.rows(
        "SELECT number, stage, kind, text, owner, due, done FROM action "
        "WHERE complaint_id = :id ORDER BY number",
        {"id": complaint_id},
    )
    for row in rows:
        row["due"] = _to_date(row["due"])
        row["done"] = _to_date(row["done"])
    return rows


def signatories(db: RawDatabase, complaint_id: int) -> list[dict[str, Any]]:
    """A petition's signatories, the lead petitioner first, then in the order they were added."""
    rows = db.rows(
        "SELECT name, address, lead, added FROM signatory WHERE complaint_id = :id "
        "ORDER BY lead DESC, id",
        {"id": complaint_id},
    )
    for row in rows:
        row["lead"] = bool(row["lead"])
        row["added"] = _to_date(row["added"])
    return rows


def related(db: RawDatabase, case: dict[str, Any]) -> dict[str, Any]:
    """The case this one was raised from (its reference), and the cases raised from this one."""
    parent = None
    if case.get("related_to_id") is not None:
        parent = db.scalar(
            "SELECT reference FROM complaint WHERE id = :id", {"id": case["related_to_id"]}
        )
    children = list(
        db.column(
            "SELECT reference FROM complaint WHERE related_to_id = :id ORDER BY id",
            {"id": case["id"]},
        )
    )
    return {"related_to": parent, "related_cases": children}


def compliments(
    db: RawDatabase,
    *,
    start: date | None = None,
    end: date | None = None,
    about: str | None = None,
) -> list[dict[str, Any]]:
    """Compliments received in ``[start, end)`` (all when None), oldest first."""
    where: list[str] = []
    params: dict[str, Any] = {}
    if start is not None:
        where.append("received >= :start")
        params["start"] = start
    if end is not None:
        where.append("received < :end")
        params["end"] = end
    if about:
        where.append("LOWER(about) = LOWER(:about)")
        params["about"] = " ".join(about.split())
    rows = db.rows(
        "SELECT id, received, from_name, about, channel, details, actor FROM compliment"
        + (" WHERE " + " AND ".join(where) if where else "")
        + " ORDER BY received, id",
        params,
    )
    for row in rows:
        row["received"] = _to_date(row["received"])
    return rows
