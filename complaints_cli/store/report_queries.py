"""Every SQL statement the reports run: the cases a report reads, the trend's aggregate
counts, learning from the history, compliments. Plain SQL with ``:name`` parameters, the same
on SQLite and PostgreSQL; the counting itself is in :mod:`complaints_cli.reports`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from complaints_cli.domain.periods import Period
from complaints_cli.store.db import RawDatabase
from complaints_cli.store.reads import to_date as as_date

#: What the reports count: complaints and petitions (a petition is one complaint), not a
#: service dissatisfaction still being handled informally (once converted it is a complaint,
#: received on the day of conversion), nor a case not accepted under the policy's exclusions.
COUNTED = (
    "COALESCE(kind, 'complaint') <> 'service dissatisfaction' "
    "AND LOWER(COALESCE(status, '')) NOT LIKE 'not accepted%' "
    "AND COALESCE(status, '') <> 'Void'"
)


def report_rows(
    db: RawDatabase, columns: Sequence[str], start: date, end: date
) -> list[tuple[Any, ...]]:
    """``columns`` of every counted case (:data:`COUNTED`) that can figure in a report on
    ``start``..``end``: received by ``end`` and not closed before ``start`` (or with Ombudsman
    activity in it), in order received."""
    where = (
        f" WHERE {COUNTED} AND received <= :end AND (closed IS NULL OR closed >= :start"
        " OR ombudsman_referred >= :start OR ombudsman_requested >= :start"
        " OR ombudsman_evidence_sent >= :start)"
    )
    cur = db.execute(
        f"SELECT {', '.join(columns)} FROM complaint" + where + " ORDER BY received, reference",
        {"start": start, "end": end},
    )
    return [tuple(row) for row in cur.fetchall()]


# The trend's counts. The report's own month lists its cases with the same rules in Python
# (``emt.py``), and a test checks that the two agree on a generated log.
_CLOSED = "LOWER(status) LIKE 'closed%'"
#: Trend count -> the case date that puts a case in a month.
TREND_EVENTS: dict[str, str] = {
    "received": "received",
    "escalated": "escalation_received",
    "stage1_responses": "stage1_responded",
    "stage2_responses": "stage2_responded",
    "closed": "closed",
}
#: Compensation: the response that awarded it dates it (the log keeps no payment date).
COMPENSATION = {
    "stage1_responded": "compensation_pence",
    "stage2_responded": "stage2_compensation_pence",
}


def _month_of(db: RawDatabase, column: str) -> str:
    """SQL for ``yyyy-mm`` of a date column (SQLite keeps ISO text; PostgreSQL real dates)."""
    if db.dialect == "sqlite":
        return f"substr({column}, 1, 7)"
    return f"to_char({column}, 'YYYY-MM')"


def trend_counts(db: RawDatabase, months: Sequence[Period]) -> list[dict[str, Any]]:
    """Each month's counts, open cases at its end and compensation, from one aggregate query.

    The log is grouped by the month of each event (received, escalated, responded, closed), so
    one pass over the cases that can matter (received by the last month's end, not closed
    before the first month) gives every count; open at a month end is "received in or before
    the month and closed after it (or not closed)".
    """
    out: dict[str, dict[str, Any]] = {
        m.key: {"month": m.key, "label": f"{m.start:%b %Y}"} for m in months
    }
    for item in out.values():
        item.update({name: 0 for name in TREND_EVENTS}, open_at_end=0)
        item.update(compensation_payments=0, compensation_total=Decimal(0))
    keys = ", ".join(_month_of(db, column) for column in TREND_EVENTS.values())
    pence = [
        f"SUM(CASE WHEN {p} > 0 THEN 1 ELSE 0 END), SUM(CASE WHEN {p} > 0 THEN {p} ELSE 0 END)"
        for p in COMPENSATION.values()
    ]
    rows = db.execute(
        f"SELECT {keys}, CASE WHEN closed IS NULL AND {_CLOSED} THEN 1 ELSE 0 END, COUNT(*), "
        f"{', '.join(pence)} FROM complaint WHERE {COUNTED} AND received <= :last "
        "AND (closed IS NULL OR closed >= :first) GROUP BY 1, 2, 3, 4, 5, 6",
        {"first": months[0].start, "last": months[-1].end},
    ).fetchall()
    names = list(TREND_EVENTS)
    stage_of = dict(zip(COMPENSATION, ("stage1_responses", "stage2_responses"), strict=True))
    for row in rows:
        event_months = dict(zip(names, row[:5], strict=True))
        undated_closed, n = row[5], int(row[6])
        for name, key in event_months.items():
            if key in out:
                out[key][name] += n
        for i, column in enumerate(COMPENSATION):
            key = event_months[stage_of[column]]
            if key in out and row[7 + 2 * i]:
                out[key]["compensation_payments"] += int(row[7 + 2 * i])
                out[key]["compensation_total"] += Decimal(int(row[8 + 2 * i])) / 100
        received, closed = event_months["received"], event_months["closed"]
        for key in out:
            if received <= key and (closed > key if closed is not None else not undated_closed):
                out[key]["open_at_end"] += n
    return list(out.values())


# --------------------------------------------------------------------------------------------
# Learning


def _local_date(stamp: Any) -> date:
    """A history time (UTC) as the date in the UK; UTC's date where no time zone data exists
    (Windows without the ``tzdata`` package)."""
    moment = stamp if isinstance(stamp, datetime) else datetime.fromisoformat(str(stamp))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    try:
        from zoneinfo import ZoneInfo

        return moment.astimezone(ZoneInfo("Europe/London")).date()
    except Exception:  # ZoneInfoNotFoundError, or no zoneinfo data at all
        return moment.astimezone(UTC).date()


def _counted(alias: str) -> str:
    """:data:`COUNTED` with its columns named through a table alias."""
    return COUNTED.replace("kind", f"{alias}.kind").replace("status", f"{alias}.status")


@dataclass(frozen=True, slots=True)
class LearningEntry:
    reference: str
    received: date
    recorded: date
    how: str  #: how the date is known
    text: str


def _added(old: Any, new: Any) -> str:
    """What a change added to the learning column (learning is appended to, usually)."""
    before, after = str(old or "").strip(), str(new or "").strip()
    if before and after.startswith(before):
        return after[len(before) :].strip()
    return after


def learning_in(db: RawDatabase, period: Period) -> list[LearningEntry]:
    """Organisational learning recorded in ``period``, case by case.

    Learning has no date of its own in the log. The rule:

    1. each change to the learning column made in the tool (``complaints learning``, or any
       command other than an import) is dated by its history entry (UTC, read as UK time), and
       lists the text that change added;
    2. learning that only arrived with an import (or has no history at all) is dated by the
       case's closed date, else its last response, else its received date: in the old
       workbook it was written when the case was dealt with, not when the log was imported.
    """
    out: list[LearningEntry] = []
    rows = db.execute(
        "SELECT c.reference, c.received, h.at, h.changes, h.command FROM history h "
        "JOIN complaint c ON c.id = h.complaint_id "
        f"WHERE {_counted('c')} AND h.at >= :lo AND h.at < :hi AND h.command <> 'import' "
        "AND h.changes LIKE '%\"learning\"%' ORDER BY h.at, h.id",
        {"lo": period.start - timedelta(days=1), "hi": period.end + timedelta(days=2)},
    ).fetchall()
    for reference, received, at, changes, command in rows:
        recorded = _local_date(at)
        if recorded not in period:
            continue
        try:
            change = json.loads(changes).get("learning")
        except (ValueError, AttributeError):
            continue
        if not isinstance(change, list) or len(change) != 2:
            continue
        text = _added(*change)
        if text:
            out.append(
                LearningEntry(
                    reference,
                    as_date(received),  # type: ignore[arg-type]
                    recorded,
                    f"recorded with 'complaints {command}' (history, UK date)",
                    text,
                )
            )
    rows = db.execute(
        "SELECT c.reference, c.received, c.learning, "
        "COALESCE(c.closed, c.stage2_responded, c.stage1_responded, c.received) AS d "
        f"FROM complaint c WHERE {_counted('c')} AND c.learning IS NOT NULL AND c.learning <> '' "
        "AND COALESCE(c.closed, c.stage2_responded, c.stage1_responded, c.received) "
        "BETWEEN :start AND :end AND NOT EXISTS (SELECT 1 FROM history h "
        "WHERE h.complaint_id = c.id AND h.command <> 'import' "
        "AND h.changes LIKE '%\"learning\"%')",
        {"start": period.start, "end": period.end},
    ).fetchall()
    for reference, received, text, day in rows:
        out.append(
            LearningEntry(
                reference,
                as_date(received),  # type: ignore[arg-type]
                as_date(day),  # type: ignore[arg-type]
                "case dates (imported: closed, else last response, else received)",
                str(text).strip(),
            )
        )
    out.sort(key=lambda e: (e.recorded, e.reference))
    return out


# --------------------------------------------------------------------------------------------
# Compliments


def table_columns(db: RawDatabase, table: str) -> set[str]:
    """The columns of ``table``, or an empty set when the log has no such table."""
    if db.dialect == "sqlite":
        return {str(r[1]) for r in db.execute(f"PRAGMA table_info({table})").fetchall()}
    return set(
        db.column(
            "SELECT column_name FROM information_schema.columns "
            "WHERE table_name = :t AND table_schema = current_schema()",
            {"t": table},
        )
    )


def compliments(db: RawDatabase, months: Sequence[Period]) -> list[list[tuple[date, str]]] | None:
    """Each month's compliments as (received, what it was about); None when this log has no
    ``compliment`` table (it comes with schema 0004: older logs cannot record them)."""
    columns = table_columns(db, "compliment")
    if "received" not in columns:
        return None
    about = "about" if "about" in columns else "''"
    rows = db.execute(
        f"SELECT received, {about} FROM compliment WHERE received BETWEEN :s AND :e "
        "ORDER BY received, id",
        {"s": months[0].start, "e": months[-1].end},
    ).fetchall()
    out: list[list[tuple[date, str]]] = [[] for _ in months]
    for received, text in rows:
        day = as_date(received)
        for i, m in enumerate(months):
            if day in m:
                out[i].append((day, str(text or "")))  # type: ignore[arg-type]
    return out
