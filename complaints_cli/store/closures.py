"""The past closures of the reopened cases, read from the history ``reopen`` wrote
(:mod:`complaints_cli.domain.closures` says what they mean).

One query, of the ``reopen`` rows only: a log has few (a case is reopened now and then), so
this is the cost of a report or a ``due --as-of`` for a log with none as for one with many.
A case purged (:mod:`.purge`) goes with its history; an imported log has no ``reopen`` rows.
"""

from __future__ import annotations

import json
from datetime import date
from typing import TYPE_CHECKING, Any

from complaints_cli.domain.closures import Closure, closure_from_reopen, finished_on, kept_closures
from complaints_cli.domain.vocabulary import Status
from complaints_cli.store.reads import to_date
from complaints_cli.store.report_queries import _local_date

if TYPE_CHECKING:
    from complaints_cli.store.db import RawDatabase

#: The history rows of every reopening (put in the order they were written here: an ``ORDER
#: BY`` made SQLite read the whole history through its index on ``complaint_id``). Read
#: through the partial index ``ix_history_reopen`` (schema 0009), whose condition is written
#: the same; a log not yet upgraded reads the whole history (0.2 s of CPU at 700,000 rows).
REOPEN_SQL = "SELECT complaint_id, at, changes, id FROM history WHERE command = 'reopen'"


def _date_fields() -> tuple[str, ...]:
    from complaints_cli.domain.case_dates import DATE_FIELDS

    return DATE_FIELDS


def past_closures(db: RawDatabase) -> dict[int, list[Closure]]:
    """Case id -> its past closures, in the order they were recorded; a case never reopened
    is not in it. Rows whose JSON cannot be read, and
    reopenings of nothing finished, are skipped. A closure recorded with no date (an imported
    case marked Closed with none) is dated by the case's last date on or before its reopening
    (one more query, for those cases only)."""
    found: dict[int, list[tuple[dict[str, Any], date]]] = {}
    rows = db.execute(REOPEN_SQL).fetchall()
    rows.sort(key=lambda r: (int(r[0]), str(r[1]), int(r[3])))  # by case, as written
    for complaint_id, at, changes, _id in rows:
        case_id = int(complaint_id)
        try:
            decoded = json.loads(changes)
        except (TypeError, ValueError):
            continue
        if isinstance(decoded, dict):
            found.setdefault(case_id, []).append((decoded, _local_date(at)))
    out: dict[int, list[Closure]] = {}
    undated: list[int] = []
    for case_id, rows in found.items():
        for changes, recorded in rows:
            closure = closure_from_reopen(changes, recorded)
            if closure is not None:
                out.setdefault(case_id, []).append(closure)
                if closure.undated:
                    undated.append(case_id)
    if undated:
        _date_undated(db, found, out, sorted(set(undated)))
    return out


def _date_undated(
    db: RawDatabase,
    found: dict[int, list[tuple[dict[str, Any], date]]],
    out: dict[int, list[Closure]],
    ids: list[int],
) -> None:
    """Work out again, with the case's dates, the closures of ``ids`` recorded with no date."""
    fields = _date_fields()
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        marks = ", ".join(f":i{n}" for n in range(len(chunk)))
        params = {f"i{n}": v for n, v in enumerate(chunk)}
        for row in db.execute(
            f"SELECT id, {', '.join(fields)} FROM complaint WHERE id IN ({marks})", params
        ).fetchall():
            case_id = int(row[0])
            received = to_date(row[1 + fields.index("received")])
            days = [d for d in map(to_date, row[1:]) if d is not None]
            closures: list[Closure] = []
            for changes, recorded in found[case_id]:
                closure = closure_from_reopen(changes, recorded)
                if closure is None:
                    continue
                if closure.undated:
                    by_then = [d for d in days if d <= closure.reopened]
                    closure = closure_from_reopen(
                        changes, recorded, max(by_then) if by_then else None, received
                    )
                    assert closure is not None
                closures.append(closure)
            out[case_id] = closures


def finished_on_day(db: RawDatabase, day: date) -> set[int]:
    """The ids of the cases finished at the end of ``day`` in a past closure (reopened since):
    the cases ``due --as-of day`` leaves out although their columns say they were open then.
    Each case's closures are those that stood given the day it is finished now
    (:func:`~complaints_cli.domain.closures.kept_closures`)."""
    found = past_closures(db)
    if not found:
        return set()
    ids = sorted(found)
    now: dict[int, date | None] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        marks = ", ".join(f":i{n}" for n in range(len(chunk)))
        params = {f"i{n}": v for n, v in enumerate(chunk)}
        for case_id, status, *ends in db.execute(
            "SELECT id, status, closed, withdrawn, voided, not_accepted_told FROM complaint "
            f"WHERE id IN ({marks})",
            params,
        ).fetchall():
            days = [d for d in map(to_date, ends) if d is not None]
            now[int(case_id)] = min(days) if days and status != Status.OPEN.value else None
    return {
        case_id
        for case_id, closures in found.items()
        if finished_on(kept_closures(closures, now.get(case_id)), day)
    }
