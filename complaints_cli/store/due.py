"""What is due: every open case's next milestones, and outstanding actions, most urgent first.

Read-only: ``due`` never writes. The stored ``next_due`` column (kept current by every write,
see :func:`complaints_cli.domain.lifecycle.stored_deadlines`) lets the database pick the few
cases that can be due within the horizon through an index; only those are worked out in full.
A case whose stored deadlines were worked out with another profile or calendar (its
``deadlines_key`` differs, or an import left it empty) is picked too and worked out in memory
for this run.
"""

from __future__ import annotations

from dataclasses import fields
from datetime import date, timedelta
from typing import Any

from complaints_cli.domain.deadlines import CaseDates, State, next_milestones
from complaints_cli.domain.profiles import Profile
from complaints_cli.domain.rules import same_person
from complaints_cli.domain.vocabulary import Stage, Status
from complaints_cli.domain.workdays import Calendar
from complaints_cli.store.db import RawDatabase

#: The keys of each item, in order: the stable JSON of ``complaints due --format json``.
DUE_FIELDS = (
    "reference",
    "milestone",
    "due",
    "working_days_left",
    "handler",
    "stage",
    "state",
    "key",
)


#: CaseDates' date fields, in its order: each is a column of the complaint table.
_DATE_FIELDS = tuple(f.name for f in fields(CaseDates) if f.type in ("date", "date | None"))
_DATE_SQL = ", ".join(_DATE_FIELDS)


def _date(value: Any) -> date | None:
    """SQLite gives ISO text, PostgreSQL a date."""
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(value)


def _owner(case: dict[str, Any], stage: str) -> str:
    """Who must act: Stage 1 milestones are the Stage 1 handler's; Stage 2 ones the Stage 2
    handler's; the rest belong to whoever handles the stage the case is at."""
    second = case.get("stage2_handler")
    if stage == "stage2" or (stage != "stage1" and case["stage"] != Stage.STAGE_1 and second):
        return str(second or case["handler"])
    return str(case["handler"])


def _as_it_stood(dates: dict[str, Any], day: date) -> dict[str, Any]:
    """A case's dates as the log stood on ``day``: a step recorded after it had not happened."""
    return {k: (None if v is not None and v > day else v) for k, v in dates.items()}


def due_items(
    db: RawDatabase,
    profile: Profile,
    calendar: Calendar,
    *,
    key: str,
    as_of: date,
    within: int,
    overdue_only: bool = False,
    handler: str | None = None,
    today: date | None = None,
) -> list[dict[str, Any]]:
    """Milestones and actions due within ``within`` working days of ``as_of`` (overdue included).

    For a day before ``today`` (``due --as-of`` in the past), the answer is for the log as it
    stood on that day: the cases open then (closed, withdrawn or voided since included), and
    the steps recorded after it ignored.
    """
    past = today is not None and as_of < today
    horizon = calendar.add_working_days(as_of, within) if within > 0 else as_of
    params: dict[str, Any] = {"horizon": horizon, "key": key, "open": Status.OPEN, "day": as_of}
    who = ""
    if handler:
        who = " AND (LOWER(handler) = LOWER(:who) OR LOWER(stage2_handler) = LOWER(:who))"
        params["who"] = handler
    if past:
        # Open on the day: received by then, and not closed, withdrawn or voided by then.
        which = (
            "received <= :day AND (status = :open OR closed > :day OR withdrawn > :day "
            "OR voided > :day)"
        )
    else:
        which = (
            "status = :open AND (next_due <= :horizon OR deadlines_key IS NULL "
            "OR deadlines_key <> :key)"
        )
    items: list[dict[str, Any]] = []
    # Only the columns deadlines need, as tuples: this is the hot path of `due` on a big log.
    cursor = db.execute(
        f"SELECT reference, stage, status, handler, stage2_handler, review_type, {_DATE_SQL} "
        f"FROM complaint WHERE {which}{who}",
        params,
    )
    for row in cursor.fetchall():
        reference, stage, status, first, second, review = row[:6]
        case = {"reference": reference, "stage": stage, "handler": first, "stage2_handler": second}
        known: dict[str, Any] = dict(zip(_DATE_FIELDS, map(_date, row[6:]), strict=True))
        if past:
            known = _as_it_stood(known, as_of)
            status = Status.OPEN
        dates = CaseDates(**known, stage=stage, status=status, stage2_review=review)
        for m in next_milestones(dates, profile, calendar, as_of=as_of):
            if m.deadline > horizon:
                continue
            owner = _owner(case, m.stage)
            if handler and not same_person(owner, handler):
                continue
            items.append(
                {
                    "reference": case["reference"],
                    "milestone": m.label,
                    "due": m.deadline,
                    "working_days_left": m.working_days_left,
                    "handler": owner,
                    "stage": case["stage"],
                    "state": "overdue"
                    if m.state is State.MISSED
                    else ("ended" if m.state is State.ELAPSED else "pending"),
                    "key": m.key,
                }
            )
    still = (
        "c.received <= :day AND (c.status = :open OR c.closed > :day OR c.withdrawn > :day "
        "OR c.voided > :day) AND (a.done IS NULL OR a.done > :day) AND a.created_at < :next_day"
        if past
        else "c.status = :open AND a.done IS NULL"
    )
    if past:
        params["next_day"] = as_of + timedelta(days=1)
    actions = db.rows(
        "SELECT c.reference, c.stage, c.handler AS case_handler, a.number, a.kind, a.text, "
        f"a.owner, a.due FROM action a JOIN complaint c ON c.id = a.complaint_id WHERE {still} "
        "AND a.due <= :horizon"
        + (
            " AND (LOWER(a.owner) = LOWER(:who) OR LOWER(c.handler) = LOWER(:who))"
            if handler
            else ""
        ),
        params,
    )
    for a in actions:
        due = a["due"] if isinstance(a["due"], date) else date.fromisoformat(str(a["due"]))
        left = calendar.working_days_between(as_of, due)
        items.append(
            {
                "reference": a["reference"],
                # "Action 1: ...", or an Ombudsman determination's "Order 2: ...".
                "milestone": f"{(a['kind'] or 'action').capitalize()} {a['number']}: {a['text']}",
                "due": due,
                "working_days_left": left,
                "handler": a["owner"],
                "stage": a["stage"],
                "state": "overdue" if due < as_of else "pending",
                "key": f"action_{a['number']}",
            }
        )
    if overdue_only:
        items = [i for i in items if i["state"] != "pending"]
    items.sort(key=lambda i: (i["due"], i["reference"], i["key"]))
    return items


def stale_count(db: RawDatabase, key: str) -> int:
    """Open cases whose stored deadlines were worked out with another profile or calendar."""
    return int(
        db.scalar(
            "SELECT COUNT(*) FROM complaint WHERE status = :open "
            "AND (deadlines_key IS NULL OR deadlines_key <> :key)",
            {"open": Status.OPEN, "key": key},
        )
        or 0
    )
