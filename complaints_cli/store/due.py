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
from operator import itemgetter, methodcaller
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
#: current (``:key``), with what ``due`` shows of each: the milestone's deadline, key and
#: label, a window's due date and whether it stays listed once ended (both NULL for a
#: deadline: most rows), and its case's reference, stage and the milestone's owner
#: (:data:`OWNER_SQL`). SQLite reads both tables from indexes alone, neither a case's row nor
#: a milestone's: the milestones in the order of ``ix_open_milestone_due`` (schema 0008: by
#: deadline, holding every column read here), each case from the partial index
#: ``ix_complaint_open_due`` (schema 0007: the open cases' ``status, deadlines_key, id,
#: reference, stage, handler, stage2_handler``); a test checks SQLite's plan. ``{tables}``:
#: the two tables, as :data:`_TABLES` names them for the dialect; ``{who}``: :func:`due_rows`'
#: condition on the handlers, or nothing. The status is written out (``'Open'``), not a
#: parameter: SQLite uses a partial index it is told to (``INDEXED BY``) only when the query's
#: conditions imply the index's as written.
STORED_SQL = (
    "FROM {tables} WHERE m.deadline <= :horizon "
    f"AND c.status = '{Status.OPEN.value}' AND c.deadlines_key = :key{{who}}"
)

#: ``open_milestone m`` joined to ``complaint c``. SQLite is told the order and the indexes:
#: left to choose, it reads each milestone's case by its row id (the case's whole row: ~600
#: bytes, one page each, scattered over a big file), or the cases first and then each case's
#: milestones, which cannot give them in the order the grouping needs (a sort of every item).
_TABLES = {
    "sqlite": "open_milestone m INDEXED BY ix_open_milestone_due CROSS JOIN complaint c "
    "INDEXED BY ix_complaint_open_due ON c.id = m.complaint_id",
    "postgresql": "open_milestone m JOIN complaint c ON c.id = m.complaint_id",
}

#: Between the values of one item (:data:`UNIT`) and between the items (:data:`RECORD`) of
#: one cell of :func:`stored_sql`: control characters, which no reference or stage holds;
#: a cell that does not split into as many items of three values as it counts (a handler's
#: name holding one, say) is never guessed at: the items are read again one a row.
UNIT = "\x1f"
RECORD = "\x1e"

#: Each dialect's cell of a group's items: reference, stage, owner.
_ITEMS = {
    "sqlite": f"group_concat(c.reference || char(31) || c.stage || char(31) || {OWNER_SQL}, "
    "char(30))",
    "postgresql": f"string_agg(c.reference || chr(31) || c.stage || chr(31) || {OWNER_SQL}, "
    "chr(30))",
}

#: The columns of a milestone that its items share, in the order of ``ix_open_milestone_due``.
_SHARED = "m.deadline, m.milestone, m.label, m.kind, m.due, m.while_open"


def stored_sql(dialect: str, who: str = "", *, one_a_row: bool = False) -> str:
    """:data:`STORED_SQL`'s items, grouped by what they share: one row for each deadline,
    milestone (key and label) and window (due date and ``while_open``) with how many items it
    holds and their references, stages and owners in one cell (:data:`UNIT` and
    :data:`RECORD` between them), in no order; ``one_a_row``: one row an item, those three
    values in columns of their own.

    Why: Python's ``sqlite3`` costs ~1,200 instructions a value and ~2,400 a row (a mutex
    taken for each ``sqlite3_column_*`` call, the GIL dropped and taken again for each
    step, an object made for each value): most of the ~16,300 instructions an item the query
    of one item a row took. Grouped in the order of the index (no sort), a big log's due list
    comes as a few hundred rows; each group's label and key are then one object shared by its
    items (cachegrind figures in BENCHMARKS.md)."""
    columns = (
        "m.deadline, m.milestone, m.label, "
        # A window's due date and while_open, NULL for a deadline (most rows): no value made.
        "CASE WHEN m.kind = 'window' THEN m.due END, "
        "CASE WHEN m.kind = 'window' THEN m.while_open END"
    )
    where = STORED_SQL.format(tables=_TABLES[dialect], who=who)
    if one_a_row:
        return f"SELECT {columns}, c.reference, c.stage, {OWNER_SQL} {where}"
    return f"SELECT {columns}, COUNT(*), {_ITEMS[dialect]} {where} GROUP BY {_SHARED}"


#: How many open cases have stored deadlines worked out with another profile or calendar
#: (``:key``), or none: the open cases less those whose deadlines are current (each count
#: from an index alone; ``ix_complaint_open_due`` holds no case without stored deadlines).
#: ``{current}``: the case table, on SQLite told to use that index (since 0008 it begins
#: with the case's id, and left to choose SQLite reads each open case's row through the
#: index on ``status, stage``: ~0.1 s at 1M cases).
STALE_SQL = (
    "SELECT (SELECT COUNT(*) FROM complaint WHERE status = :open) - "
    f"(SELECT COUNT(*) FROM {{current}} WHERE status = '{Status.OPEN.value}' "
    "AND deadlines_key = :key)"
)


def stale_sql(dialect: str) -> str:
    """:data:`STALE_SQL` for the dialect."""
    current = "complaint INDEXED BY ix_complaint_open_due" if dialect == "sqlite" else "complaint"
    return STALE_SQL.format(current=current)


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
    then (closed, withdrawn or voided since included; a case finished then and reopened
    since left out, :func:`.closures.finished_on_day`), and the steps recorded after it
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
    finished: set[int] = set()
    if past:
        from complaints_cli.store.closures import finished_on_day

        which = _open_on_day(db.dialect)
        params["next_day"] = as_of + timedelta(days=1)
        finished = finished_on_day(db, as_of)  # closed then, its columns cleared by a reopen
    else:
        which = "status = :open AND (deadlines_key IS NULL OR deadlines_key <> :key)"
        _stored_items(db, calendar, params, who, owners, by_day)
    if past or (stale_count(db, key) if stale is None else stale):
        _worked_out_items(db, profile, calendar, params, which, who, owners, past, items, finished)
    _action_items(db, calendar, params, as_of, past, tuple(handler or ()), items, finished)
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
    finished: set[int] | None = None,
) -> None:
    """The milestones due by the horizon of the cases ``which`` selects, each case worked out
    from its dates: the open cases whose stored deadlines are stale, or every case open on a
    past day (as it stood then), less the cases ``finished`` that day (ids: in a past closure
    they were reopened from)."""
    from complaints_cli.domain.as_it_stood import dates_on, stage_on, told_on
    from complaints_cli.domain.deadlines import CaseDates, next_milestones
    from complaints_cli.domain.open_milestones import STATE_NAMES

    as_of, horizon = params["day"], params["horizon"]
    date_fields = _date_fields()
    # Only the columns deadlines need, as tuples.
    rows = db.execute(
        "SELECT reference, stage, status, handler, stage2_handler, review_type, id, "
        "ombudsman_referred, stage1_extension_told, stage2_extension_told, "
        f"{', '.join(date_fields)} "
        f"FROM complaint c WHERE {which}{who}",
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
        if finished and case_id in finished:
            continue
        # The told flags: SQLite's 1/0 or PostgreSQL's booleans (the deadlines read them by
        # their truth), None when not recorded (the log cannot say).
        told1, told2 = row[8], row[9]
        known: dict[str, Any] = dict(zip(date_fields, map(_date, row[10:]), strict=True))
        if past:
            told1 = told_on(told1, known["stage1_extension_told_on"], as_of)
            told2 = told_on(told2, known["stage2_extension_told_on"], as_of)
            stage = stage_on(stage, known, as_of, _date(referred))
            known = dates_on(
                known,
                as_of,
                recorded_updates=updates.get(case_id, ()),
                actions_outstanding=case_id in outstanding,
            )
            status = Status.OPEN
        dates = CaseDates(
            **known,
            stage=stage,
            status=status,
            stage2_review=review,
            stage1_extension_told=told1,
            stage2_extension_told=told2,
        )
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

    The hot loop of ``due`` on a big log, written for speed: one query through two indexes
    returning the items grouped (:func:`stored_sql`); per group only the day's state, the
    working days left (counted once per deadline: thousands of items share a few hundred)
    and its items, made in one comprehension. A group whose cell does not split into as
    many items of three values as it counts (a handler's name holding :data:`UNIT` or
    :data:`RECORD`) is never guessed at: every item is read again, one a row.
    """
    as_of = params["day"]
    fromiso = date.fromisoformat
    between = calendar.working_days_between
    # Each deadline as stored (ISO text on SQLite, a date on PostgreSQL) -> the day, a
    # deadline's state on ``as_of``, the working days left and the day's items: a few
    # hundred distinct ones.
    by_deadline: dict[Any, tuple[date, str, int, list[DueRow]]] = {}

    def listed(
        stored: Any, window_due: Any, while_open: Any
    ) -> tuple[date, str, int, list[DueRow]] | None:
        """The day, state, working days left and the day's list of the items of a
        milestone due on ``stored``; ``None`` for a window that ended and is not listed
        once ended (open_milestones.state_on)."""
        seen = by_deadline.get(stored)
        if seen is None:
            day = fromiso(stored) if type(stored) is str else stored
            state = "pending" if as_of <= day else "overdue"
            seen = by_deadline[stored] = (
                day,
                state,
                between(as_of, day),
                by_day.setdefault(day, []),
            )
        if window_due is None:
            return seen
        if type(window_due) is str:
            window_due = fromiso(window_due)
        if as_of <= window_due:
            return (seen[0], "pending", seen[2], seen[3])
        return (seen[0], "ended", seen[2], seen[3]) if while_open else None

    split_unit = methodcaller("split", UNIT)
    made: list[tuple[list[DueRow], list[DueRow]]] = []
    for stored, key, label, window_due, while_open, count, cell in db.execute(
        stored_sql(db.dialect, who), params
    ).fetchall():
        found = listed(stored, window_due, while_open)
        if found is None:
            continue
        deadline, state, days, day_items = found
        items: list[DueRow]
        try:
            items = [
                (reference, label, deadline, days, owner, stage, state, key)
                for reference, stage, owner in map(split_unit, cell.split(RECORD))
            ]
        except ValueError:  # an item of more or fewer than three values
            items = []
        if len(items) != count:
            return _stored_items_one_a_row(db, listed, params, who, owners, by_day)
        if owners:
            items = [i for i in items if i[4] in owners]
        made.append((day_items, items))
    for day_items, items in made:
        day_items += items


def _stored_items_one_a_row(
    db: RawDatabase,
    listed: Callable[[Any, Any, Any], tuple[date, str, int, list[DueRow]] | None],
    params: dict[str, Any],
    who: str,
    owners: frozenset[str],
    by_day: dict[date, list[DueRow]],
) -> None:
    """:func:`_stored_items`, one item a row: for a log whose references, stages or owners
    hold the characters that part the grouped cells."""
    for stored, key, label, window_due, while_open, reference, stage, owner in db.execute(
        stored_sql(db.dialect, who, one_a_row=True), params
    ).fetchall():
        found = listed(stored, window_due, while_open)
        if found is None or (owners and owner not in owners):
            continue
        deadline, state, days, day_items = found
        day_items.append((reference, label, deadline, days, owner, stage, state, key))


def _action_items(
    db: RawDatabase,
    calendar: Calendar,
    params: dict[str, Any],
    as_of: date,
    past: bool,
    handler: Sequence[str],
    items: list[DueRow],
    finished: set[int] | None = None,
) -> None:
    """Outstanding actions due by the horizon (on a past day: as the log stood then, less the
    cases ``finished`` that day); with ``handler`` (a person's spellings as stored), those they
    own or whose case they handle."""
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
        "a.owner, a.due, c.ombudsman_referred, c.escalation_received, c.id FROM action a "
        f"JOIN complaint c ON c.id = a.complaint_id WHERE {still} "
        "AND a.due <= :horizon"
        + (f" AND (a.owner IN ({marks}) OR c.handler IN ({marks}))" if handler else ""),
        params | found,
    )
    for a in actions:
        if finished and a["id"] in finished:
            continue
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
    return int(db.scalar(stale_sql(db.dialect), {"open": Status.OPEN, "key": key}) or 0)
