"""Every SQL statement the reports run: the cases a report reads (the trend is counted from
them, in :mod:`complaints_cli.reports.trend`), learning from the history, compliments, the
actions outstanding on a day, the Ombudsman's orders. Plain SQL with ``:name`` parameters, the same
on SQLite and PostgreSQL; the counting itself is in :mod:`complaints_cli.reports`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from operator import itemgetter
from typing import Any

from complaints_cli.domain.periods import Period
from complaints_cli.store.db import RawDatabase
from complaints_cli.store.reads import to_date as as_date

#: A case the reports can see: a complaint or a petition (a petition is one complaint), not a
#: service dissatisfaction still being handled informally (once converted it is a complaint,
#: received on the day of conversion), and not a case voided (logged in error, or a duplicate:
#: out of every list and figure).
SEEN = (
    "COALESCE(kind, 'complaint') <> 'service dissatisfaction' "
    "AND LOWER(COALESCE(status, '')) NOT LIKE 'void%'"
)
#: What the reports count: :data:`SEEN`, less the cases not accepted under the policy's
#: exclusions (the reports list those separately, as refused, with their reason).
COUNTED = SEEN + " AND LOWER(COALESCE(status, '')) NOT LIKE 'not accepted%'"


def report_rows(
    db: RawDatabase, columns: Sequence[str], start: date, end: date
) -> list[tuple[Any, ...]]:
    """``columns`` of every case the reports see (:data:`SEEN`: the not accepted included, for
    the refusals) that can figure in a report on ``start``..``end``: received by ``end`` and
    not closed before ``start`` (or with Ombudsman activity or a payment in it), in order
    received."""
    # The cheapest, most selective test first: SQLite tests a scanned row's conditions in the
    # order written, and SEEN's functions cost more than the date comparisons (0.34 s against
    # 0.39 s of CPU for a 12-month window of the generated 100k log, 2026-11-30).
    where = (
        " WHERE (closed IS NULL OR closed >= :start"
        " OR ombudsman_referred >= :start OR ombudsman_requested >= :start"
        " OR ombudsman_evidence_sent >= :start OR ombudsman_determined >= :start"
        " OR compensation_paid >= :start OR stage2_compensation_paid >= :start)"
        f" AND received <= :end AND {SEEN}"
    )
    select = f"SELECT {', '.join(columns)} FROM complaint" + where
    params = {"start": start, "end": end}
    order = " ORDER BY received, reference"
    if db.dialect == "sqlite" and "received" in columns and "reference" in columns:
        # SQLite sorts the whole wide rows it returns (0.1-0.15 s of CPU for the ~28,000 rows
        # of a 12-month window of the generated 100k log, 2026-11-30); sorted here instead, on
        # the same values: ISO text compared by code point is SQLite's BINARY order.
        rows = db.execute(select, params).fetchall()
        key = itemgetter(columns.index("received"), columns.index("reference"))
        if all(type(v) is str for row in rows for v in key(row)):
            rows.sort(key=key)
            return [tuple(row) for row in rows]
    cur = db.execute(select + order, params)  # any other value type, or PostgreSQL's collation
    return [tuple(row) for row in cur.fetchall()]


def _counted(alias: str) -> str:
    """:data:`COUNTED` with its columns named through a table alias."""
    return COUNTED.replace("kind", f"{alias}.kind").replace("status", f"{alias}.status")


def cases_with_open_actions(db: RawDatabase, day: date) -> set[int]:
    """The ids of cases with an action outstanding at the end of ``day``: set by then (its
    record's creation date, UTC) and not done by then. Ombudsman orders count too."""
    rows = db.execute(
        "SELECT complaint_id, created_at FROM action WHERE (done IS NULL OR done > :day)",
        {"day": day},
    ).fetchall()
    out: set[int] = set()
    for complaint_id, created in rows:
        made = created if isinstance(created, datetime) else datetime.fromisoformat(str(created))
        if made.date() <= day:
            out.add(int(complaint_id))
    return out


@dataclass(frozen=True, slots=True)
class OrderEntry:
    """An Ombudsman order or recommendation on a case determined in a period."""

    reference: str
    kind: str  #: ``order`` or ``recommendation``
    text: str
    due: date
    done: date | None


def ombudsman_orders(db: RawDatabase, period: Period) -> list[OrderEntry]:
    """The orders and recommendations of the Ombudsman's determinations made in ``period``."""
    rows = db.execute(
        "SELECT c.reference, a.kind, a.text, a.due, a.done FROM action a "
        "JOIN complaint c ON c.id = a.complaint_id "
        f"WHERE {_counted('c')} AND a.kind IN ('order', 'recommendation') "
        "AND c.ombudsman_determined BETWEEN :start AND :end "
        "ORDER BY c.ombudsman_determined, c.reference, a.number",
        {"start": period.start, "end": period.end},
    ).fetchall()
    return [
        OrderEntry(str(r), str(k), str(t or ""), as_date(d), as_date(done))  # type: ignore[arg-type]
        for r, k, t, d, done in rows
    ]


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
       command other than an import) is dated by the day its history entry records
       (``learning_recorded``: the tool's today or ``--date``, as every command's day), else
       (entries made before it was recorded) by the entry's time (UTC, read as UK time), and
       lists the text that change added; a change that replaced recorded learning
       (``learning --replace``, its history entry's ``learning_replaced``) rewords it and is
       not learning recorded again: the learning counts once, on the day it was first recorded;
    2. learning that only arrived with an import (or has no history at all) is dated by the
       case's closed date, else its last response, else its received date: in the old
       workbook it was written when the case was dealt with, not when the log was imported.
    """
    out: list[LearningEntry] = []
    rows = db.execute(
        "SELECT c.reference, c.received, h.at, h.changes, h.command FROM history h "
        "JOIN complaint c ON c.id = h.complaint_id "
        f"WHERE {_counted('c')} AND h.command <> 'import' AND h.changes LIKE "
        "'%\"learning\"%' AND ((h.at >= :lo AND h.at < :hi) OR h.changes LIKE "
        "'%\"learning_recorded\"%') ORDER BY h.at, h.id",
        {"lo": period.start - timedelta(days=1), "hi": period.end + timedelta(days=2)},
    ).fetchall()
    for reference, received, at, changes, command in rows:
        try:
            decoded = json.loads(changes)
            if "learning_replaced" in decoded:
                continue  # reworded: counted on the day it was first recorded
            change = decoded.get("learning")
            day = decoded.get("learning_recorded", [None, None])[1]
            recorded = _local_date(at) if day is None else date.fromisoformat(str(day))
        except (ValueError, AttributeError, TypeError, IndexError):
            continue
        if recorded not in period:
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
        # learning first: most cases have none, and SQLite tests the conditions in the order
        # written (0.05 s against 0.10 s of CPU on the generated 100k log, 2026-11-30)
        "FROM complaint c WHERE c.learning IS NOT NULL AND c.learning <> '' "
        f"AND {_counted('c')} "
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
