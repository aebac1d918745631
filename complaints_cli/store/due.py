"""What is due: every open case's next milestones, and outstanding actions, most urgent first.

Read-only: ``due`` never writes. Every save of a case stores its open milestones
(``open_milestone``, see :mod:`complaints_cli.store.milestones`), so ``due`` reads those due
by the horizon through an index and only formats them: its cost grows with what it lists, not
with the log. A case whose stored deadlines were worked out with another profile or calendar
(its ``deadlines_key`` differs, or is empty: a log upgraded to schema 0006, or saved without
them) is worked out in memory for this run, as is every case for a day in the past.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date, timedelta
from operator import itemgetter
from typing import TYPE_CHECKING, Any

from complaints_cli.domain.open_milestones import owner_of
from complaints_cli.domain.profiles import Profile
from complaints_cli.domain.vocabulary import Status
from complaints_cli.store.db import placeholders

if TYPE_CHECKING:
    from complaints_cli.domain.workdays import Calendar
    from complaints_cli.store.db import RawDatabase

#: The keys of each item, in order: the stable JSON of ``complaints due --format json``, and
#: the fields of each of :func:`due_rows`' tuples.
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


#: Who must act on a stored milestone ``m`` of case ``c``: :func:`.open_milestones.owner_of`
#: as SQL (its rule's owner; a test checks the two agree on every kind of case), so that a
#: row brings one name, not the case's two handlers and the milestone's stage (each column
#: read costs ~1,200 instructions a row in Python's ``sqlite3``: ~0.4 µs).
OWNER_SQL = (
    "CASE WHEN c.stage2_handler <> '' AND (m.stage = 'stage2' OR (m.stage <> 'stage1' "
    "AND c.stage <> 'Stage 1')) THEN c.stage2_handler ELSE c.handler END"
)

#: The stored open milestones due by ``:horizon`` of the open cases whose stored deadlines are
#: current (``:key``), each with what ``due`` shows of its case: its reference, stage, the
#: milestone's owner (:data:`OWNER_SQL`), key and label, a window's due date and whether it
#: stays listed once ended (both NULL for a deadline: most rows), and the deadline. Both this
#: and :data:`STALE_SQL` read the cases from indexes alone, this from the partial index
#: ``ix_complaint_open_due`` (schema 0007: the open cases' ``status, deadlines_key, id,
#: reference, stage, handler, stage2_handler``), never a case's row: at 1M cases that was
#: ~0.1 s for the count and ~0.25 s for the join (a test checks SQLite's plan).
STORED_SQL = (
    f"SELECT c.reference, c.stage, {OWNER_SQL}, m.milestone, m.label, "
    # A window's due date and while_open, NULL for a deadline (most rows): no value made.
    "CASE WHEN m.kind = 'window' THEN m.due END, "
    "CASE WHEN m.kind = 'window' THEN m.while_open END, m.deadline "
    "FROM open_milestone m "
    "JOIN complaint c ON c.id = m.complaint_id WHERE m.deadline <= :horizon "
    "AND c.status = :open AND c.deadlines_key = :key"
)
#: How many open cases have stored deadlines worked out with another profile or calendar
#: (``:key``), or none: the open cases less those whose deadlines are current (each count
#: from an index alone; the index of 0007 holds no case without stored deadlines).
STALE_SQL = (
    "SELECT (SELECT COUNT(*) FROM complaint WHERE status = :open) - "
    "(SELECT COUNT(*) FROM complaint WHERE status = :open AND deadlines_key = :key)"
)


def _date_fields() -> tuple[str, ...]:
    """CaseDates' date fields, in its order: each is a column of the complaint table.

    Imported on first use, not with this module: the deadline code (~10 ms to import) is
    needed only when a case's deadlines are worked out here (stale stored rows, a past day)."""
    from complaints_cli.domain.case_dates import DATE_FIELDS

    return DATE_FIELDS


def _date(value: Any) -> date | None:
    """SQLite gives ISO text, PostgreSQL a date."""
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(value)


#: An action existed on a day once the step that set it had happened: the response that
#: promised it, or the Ombudsman's determination that ordered or recommended it (an action
#: with neither recorded counts from when it was entered).
_ACTION_SET = (
    "COALESCE(CASE WHEN a.kind IN ('order', 'recommendation') THEN c.ombudsman_determined "
    "WHEN a.stage = 'Stage 2' THEN c.stage2_responded ELSE c.stage1_responded END, "
    "a.created_at) < :next_day"
)
#: Open on a past day: received by then, and not closed, withdrawn or voided by then.
_OPEN_ON_DAY = (
    "c.received <= :day AND (c.status = :open OR c.closed > :day OR c.withdrawn > :day "
    "OR c.voided > :day{undated})"
)


def _open_on_day(dialect: str) -> str:
    """The SQL condition for a case open at the end of ``:day``: received by then, and open
    now or finished after it. A case marked finished without its date (an imported log has
    no closing date) is finished on the last date it records, as the reports and the feed
    count it (:func:`complaints_cli.domain.feed` ``_finished_on``; README, "How the reports
    count"): open on the days before."""
    columns = [f"c.{name}" for name in _date_fields()]
    if dialect == "sqlite":  # SQLite's max(a, b, ...) is NULL if any is: received stands in
        last = "max(" + ", ".join(f"COALESCE({c}, c.received)" for c in columns) + ")"
    else:
        last = "GREATEST(" + ", ".join(columns) + ")"  # GREATEST skips NULLs
    undated = (
        " OR (c.status <> :open AND c.closed IS NULL AND c.withdrawn IS NULL AND c.voided IS "
        f"NULL AND c.not_accepted_told IS NULL AND {last} > :day)"
    )
    return _OPEN_ON_DAY.format(undated=undated)


def _recorded_updates(db: RawDatabase, ids: list[int]) -> dict[int, list[date]]:
    """Every value the history gave the weekly update clock (``last_update``) of the cases
    ``ids``: the responses that promised actions and each ``update``."""
    from json import loads

    updates: dict[int, list[date]] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        marks = ", ".join(f":i{n}" for n in range(len(chunk)))
        params: dict[str, Any] = {f"i{n}": v for n, v in enumerate(chunk)}
        for complaint_id, changes in db.execute(
            f"SELECT complaint_id, changes FROM history WHERE complaint_id IN ({marks}) "
            "AND changes LIKE '%last_update%'",
            params,
        ).fetchall():
            new = loads(changes).get("last_update", [None, None])[1]
            if new:
                updates.setdefault(complaint_id, []).append(date.fromisoformat(new[:10]))
    return updates


def as_dicts(rows: Iterable[DueRow]) -> list[dict[str, Any]]:
    """:func:`due_rows`' items as dicts keyed by :data:`DUE_FIELDS` (the JSON's objects, and
    what the weekly digest reads)."""
    return [dict(zip(DUE_FIELDS, row, strict=True)) for row in rows]


#: One item of what is due: the values of :data:`DUE_FIELDS`, in that order (reference,
#: milestone, due, working days left, handler, stage, state, key).
DueRow = tuple[str, str, date, int | None, str, str, str, str]


def due_rows(
    db: RawDatabase,
    profile: Profile | Callable[[], Profile],
    calendar: Calendar,
    *,
    key: str,
    as_of: date,
    within: int,
    overdue_only: bool = False,
    handler: Sequence[str] | None = None,
    today: date | None = None,
    stale: int | None = None,
) -> list[DueRow]:
    """Milestones and actions due within ``within`` working days of ``as_of`` (overdue included).

    From today on, each open case's milestones are read from ``open_milestone`` (stored when
    the case was saved); a case whose stored deadlines were worked out with another profile or
    calendar, or not at all, is worked out in memory. For a day before ``today`` (``due
    --as-of`` in the past), the answer is for the log as it stood on that day: the cases open
    then (closed, withdrawn or voided since included), and the steps recorded after it
    ignored, every case worked out from its dates. ``profile`` may be given as a function
    that loads it: the stored rows need none. ``stale``: :func:`stale_count` when the caller
    has it (counted here otherwise); with none stale, no case is worked out from its dates
    (and the deadline code is not imported). Each item is a tuple of :data:`DUE_FIELDS`
    (:data:`DueRow`: no dict an item, as the list of a big log runs to tens of thousands),
    most urgent first: by due date, then reference, then milestone key.
    """
    past = today is not None and as_of < today
    horizon = calendar.add_working_days(as_of, within) if within > 0 else as_of
    params: dict[str, Any] = {"horizon": horizon, "key": key, "open": Status.OPEN, "day": as_of}
    who = ""
    if isinstance(handler, str):
        raise TypeError("handler: the person's spellings as stored (match_person), not a str")
    if handler:
        # The person's spellings exactly as stored (domain.filters.match_person): the items
        # are then kept by their owner being one of them.
        marks, found = placeholders("who", handler)
        who = f" AND (c.handler IN ({marks}) OR c.stage2_handler IN ({marks}))"
        params |= found
    owners = frozenset(handler or ())
    items: list[DueRow] = []
    # The stored rows by their due date (a few hundred days): sorted a day at a time.
    by_day: dict[date, list[DueRow]] = {}
    if past:
        which = _open_on_day(db.dialect)
        params["next_day"] = as_of + timedelta(days=1)
    else:
        which = "status = :open AND (deadlines_key IS NULL OR deadlines_key <> :key)"
        _stored_items(db, calendar, params, who, owners, by_day)
    if past or (stale_count(db, key) if stale is None else stale):
        _worked_out_items(db, profile, calendar, params, which, who, owners, past, items)
    _action_items(db, calendar, params, as_of, past, tuple(handler or ()), items)
    return _most_urgent_first(by_day, items, overdue_only)


def _most_urgent_first(
    by_day: dict[date, list[DueRow]], items: list[DueRow], overdue_only: bool
) -> list[DueRow]:
    """Every item, ``by_day``'s (the stored rows, by their due date) and ``items`` (any
    other), sorted by due date, then reference, then key (an item's are distinct), only
    those overdue (or ended) with ``overdue_only``.

    The stored rows are sorted a day at a time, by reference and key: a sort of 36,000 items
    by ``(due, reference, key)`` compared their dates ~15 times an item (3,100 instructions
    an item at 1M, cachegrind); the rest, a few as a rule, are merged in by one more sort."""
    rows: list[DueRow] = []
    by_reference = itemgetter(0, 7)
    for day in sorted(by_day):
        rows += sorted(by_day[day], key=by_reference)
    if items:
        rows += items
        rows.sort(key=itemgetter(2, 0, 7))  # due, reference, key
    if overdue_only:
        rows = [i for i in rows if i[6] != "pending"]
    return rows


def _worked_out_items(
    db: RawDatabase,
    profile: Profile | Callable[[], Profile],
    calendar: Calendar,
    params: dict[str, Any],
    which: str,
    who: str,
    owners: frozenset[str],
    past: bool,
    items: list[DueRow],
) -> None:
    """The milestones due by the horizon of the cases ``which`` selects, each case worked out
    from its dates: the open cases whose stored deadlines are stale, or every case open on a
    past day (as it stood then)."""
    from complaints_cli.domain.as_it_stood import dates_on, stage_on
    from complaints_cli.domain.deadlines import CaseDates, next_milestones
    from complaints_cli.domain.open_milestones import STATE_NAMES

    as_of, horizon = params["day"], params["horizon"]
    date_fields = _date_fields()
    # Only the columns deadlines need, as tuples.
    rows = db.execute(
        "SELECT reference, stage, status, handler, stage2_handler, review_type, id, "
        f"ombudsman_referred, {', '.join(date_fields)} FROM complaint c WHERE {which}{who}",
        params,
    ).fetchall()
    rules = profile if isinstance(profile, Profile) else (profile() if rows else None)
    if past:
        updates = _recorded_updates(db, [row[6] for row in rows])
        # The cases with an action promised by the day and not done on it.
        outstanding = {
            int(i)
            for i in db.column(
                "SELECT DISTINCT a.complaint_id FROM action a JOIN complaint c ON "
                f"c.id = a.complaint_id WHERE {_open_on_day(db.dialect)} AND {_ACTION_SET} "
                "AND (a.done IS NULL OR a.done > :day)",
                params,
            )
        }
    for row in rows:
        reference, stage, status, first, second, review, case_id, referred = row[:8]
        known: dict[str, Any] = dict(zip(date_fields, map(_date, row[8:]), strict=True))
        if past:
            stage = stage_on(stage, known, as_of, _date(referred))
            known = dates_on(
                known,
                as_of,
                recorded_updates=updates.get(case_id, ()),
                actions_outstanding=case_id in outstanding,
            )
            status = Status.OPEN
        dates = CaseDates(**known, stage=stage, status=status, stage2_review=review)
        assert rules is not None
        for m in next_milestones(dates, rules, calendar, as_of=as_of):
            if m.deadline > horizon:
                continue
            owner = owner_of(m.stage, stage, first, second)
            if owners and owner not in owners:
                continue
            items.append(
                (
                    reference,
                    m.label,
                    m.deadline,
                    m.working_days_left,
                    owner,
                    stage,
                    STATE_NAMES[m.state],
                    m.key,
                )
            )


def _stored_items(
    db: RawDatabase,
    calendar: Calendar,
    params: dict[str, Any],
    who: str,
    owners: frozenset[str],
    by_day: dict[date, list[DueRow]],
) -> None:
    """The stored open milestones due by the horizon, of the open cases whose stored
    deadlines are current (:mod:`complaints_cli.domain.open_milestones`), into ``by_day``
    by their due date.

    The hot loop of ``due`` on a big log, written for speed: one indexed query, then per row
    only the day's state, the working days left (counted once per deadline: thousands of items
    share a few hundred) and the item itself (~3 µs a row here, where working the case out
    again took ~40 µs).
    """
    as_of = params["day"]
    rows = db.execute(STORED_SQL + who, params).fetchall()
    between = calendar.working_days_between
    fromiso = date.fromisoformat
    # Each deadline as stored (ISO text on SQLite, a date on PostgreSQL) -> the day, a
    # deadline's state on ``as_of``, the working days left and the day's items: a few
    # hundred distinct ones.
    by_deadline: dict[Any, tuple[date, str, int, Callable[[DueRow], None]]] = {}
    for ref, stage, owner, key, label, window_due, while_open, stored in rows:
        seen = by_deadline.get(stored)
        if seen is None:
            day = fromiso(stored) if type(stored) is str else stored
            state = "pending" if as_of <= day else "overdue"
            append = by_day.setdefault(day, []).append
            seen = by_deadline[stored] = (day, state, between(as_of, day), append)
        deadline, state, days, append = seen
        if window_due is not None:  # a window (open_milestones.state_on)
            if type(window_due) is str:
                window_due = fromiso(window_due)
            if as_of <= window_due:
                state = "pending"
            elif while_open:
                state = "ended"
            else:
                continue
        if owners and owner not in owners:
            continue
        append((ref, label, deadline, days, owner, stage, state, key))


def _action_items(
    db: RawDatabase,
    calendar: Calendar,
    params: dict[str, Any],
    as_of: date,
    past: bool,
    handler: Sequence[str],
    items: list[DueRow],
) -> None:
    """Outstanding actions due by the horizon (on a past day: as the log stood then); with
    ``handler`` (a person's spellings as stored), those they own or whose case they handle."""
    if past:
        from complaints_cli.domain.as_it_stood import stage_on
    marks, found = placeholders("who", handler)
    still = (
        f"{_open_on_day(db.dialect)} AND (a.done IS NULL OR a.done > :day) AND {_ACTION_SET}"
        if past
        else "c.status = :open AND a.done IS NULL"
    )
    actions = db.rows(
        "SELECT c.reference, c.stage, c.handler AS case_handler, a.number, a.kind, a.text, "
        "a.owner, a.due, c.ombudsman_referred, c.escalation_received FROM action a "
        f"JOIN complaint c ON c.id = a.complaint_id WHERE {still} "
        "AND a.due <= :horizon"
        + (f" AND (a.owner IN ({marks}) OR c.handler IN ({marks}))" if handler else ""),
        params | found,
    )
    for a in actions:
        due = a["due"] if isinstance(a["due"], date) else date.fromisoformat(str(a["due"]))
        left = calendar.working_days_between(as_of, due)
        items.append(
            (
                a["reference"],
                # "Action 1: ...", or an Ombudsman determination's "Order 2: ...".
                f"{(a['kind'] or 'action').capitalize()} {a['number']}: {a['text']}",
                due,
                left,
                a["owner"],
                stage_on(
                    a["stage"],
                    {"escalation_received": _date(a["escalation_received"])},
                    as_of,
                    _date(a["ombudsman_referred"]),
                )
                if past
                else a["stage"],
                "overdue" if due < as_of else "pending",
                f"action_{a['number']}",
            )
        )


def stale_count(db: RawDatabase, key: str) -> int:
    """Open cases whose stored deadlines were worked out with another profile or calendar."""
    return int(db.scalar(STALE_SQL, {"open": Status.OPEN, "key": key}) or 0)
