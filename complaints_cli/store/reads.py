"""Reading the log through the raw driver: typed cases, their history and actions.

These functions back ``show``, ``list``, ``export``, ``due`` and the case-folder commands, which
must start fast, so they import neither SQLAlchemy nor the models. :func:`case_from_row` turns
a row as either driver returns it (SQLite gives text dates and 0/1 flags; PostgreSQL gives real
types) into one :class:`~complaints_cli.domain.case.Case`; :func:`case_values` is the way back.
This module is the one place that knows the log keeps compensation in whole pence and kept
columns as JSON text.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from complaints_cli.domain.case import (
    DATE_FIELDS,
    FLAG_FIELDS,
    MONEY_FIELDS,
    NO_EXTRA,
    Action,
    Case,
    KeptValue,
    Signatory,
)
from complaints_cli.domain.money import from_pence, to_pence
from complaints_cli.domain.references import normalise_reference
from complaints_cli.domain.text import contains_folded, fold, person_key
from complaints_cli.domain.vocabulary import (
    ActionKind,
    CaseKind,
    Channel,
    OmbudsmanBody,
    Outcome,
    ReviewType,
    Stage,
    Status,
    Tenure,
)
from complaints_cli.errors import ComplaintsError, NotFoundError
from complaints_cli.store.db import RawDatabase, placeholders
from complaints_cli.store.lookups import is_empty, people, references_in_category, unknown_reference

if TYPE_CHECKING:
    # Imported when used: retention brings the rules and deadline code (~10 ms), which
    # ``due`` and ``list`` do not need.
    from complaints_cli.domain.retention import RetentionFacts

__all__ = [
    "CASE_COLUMNS",
    "Signatory",
    "action_from_row",
    "actions",
    "actions_by_case",
    "case_from_mapping",
    "case_from_row",
    "case_values",
    "cases_by_id",
    "column_of",
    "compliments",
    "count_cases",
    "duplicate_references",
    "extra_keys",
    "facts_from_row",
    "get_case",
    "history",
    "is_empty",
    "iter_cases",
    "list_cases",
    "people",
    "references_and_addresses",
    "references_in_category",
    "related",
    "related_references",
    "retention_facts",
    "signatories",
    "signatories_by_case",
    "to_date",
    "to_datetime",
]


def column_of(field: str) -> str:
    """The complaint table's column for a :class:`Case` field (money is kept in pence)."""
    return field.replace("_amount", "_pence") if field in MONEY_FIELDS else field


#: The complaint table's columns in :class:`Case` field order.
CASE_COLUMNS: tuple[str, ...] = tuple(column_of(f) for f in Case._fields)
_SELECT = f"SELECT {', '.join(CASE_COLUMNS)} FROM complaint"


def to_date(value: Any) -> date | None:
    """A stored date (SQLite: ISO text; PostgreSQL: a date)."""
    if value is None or type(value) is date:
        return value
    if isinstance(value, datetime):
        return value.date()
    return date.fromisoformat(str(value)[:10])


def to_datetime(value: Any) -> datetime | None:
    """A stored timestamp, aware UTC (SQLite keeps it as text without the offset)."""
    if value is None:
        return None
    stamp = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return stamp if stamp.tzinfo else stamp.replace(tzinfo=UTC)


def _extra(value: Any) -> Mapping[str, KeptValue]:
    if not value:
        return NO_EXTRA
    loaded = json.loads(value)
    return loaded if isinstance(loaded, dict) else NO_EXTRA


def _enum(kind: Any) -> Callable[[Any], Any]:
    by_value = {member.value: member for member in kind}

    def convert(value: Any) -> Any:
        try:
            return by_value[value]
        except KeyError:
            raise ComplaintsError(
                f"the log holds {value!r}, which is not a known {kind.__name__} word: run "
                "complaints db check"
            ) from None

    return convert


_CONVERTERS: dict[str, Callable[[Any], Any]] = {
    **dict.fromkeys(DATE_FIELDS, to_date),
    **dict.fromkeys(FLAG_FIELDS, bool),
    **dict.fromkeys(MONEY_FIELDS, from_pence),
    "created_at": to_datetime,
    "updated_at": to_datetime,
    "status": _enum(Status),
    "stage": _enum(Stage),
    "channel": _enum(Channel),
    "review_type": _enum(ReviewType),
    "kind": _enum(CaseKind),
    "ombudsman_body": _enum(OmbudsmanBody),
    "tenure": _enum(Tenure),
    "stage1_outcome": _enum(Outcome),
    "stage2_outcome": _enum(Outcome),
    "extra": _extra,
}
#: (position in the row, converter) for every field that needs one.
_CONVERT = tuple((i, _CONVERTERS[f]) for i, f in enumerate(Case._fields) if f in _CONVERTERS)
_EXTRA = Case._fields.index("extra")
_new_case = tuple.__new__


def case_from_row(row: Sequence[Any]) -> Case:
    """A row of :data:`CASE_COLUMNS` as a typed case."""
    values = list(row)
    for i, convert in _CONVERT:
        value = values[i]
        if value is not None:
            values[i] = convert(value)
    if values[_EXTRA] is None:
        values[_EXTRA] = NO_EXTRA
    return _new_case(Case, values)


def case_values(case: Case) -> dict[str, Any]:
    """A case as the complaint table's columns (``id`` left out): money in pence, kept
    columns as JSON text, the log's words as text."""
    out: dict[str, Any] = {}
    value: Any
    for field, column, value in zip(Case._fields, CASE_COLUMNS, case, strict=True):
        if field == "id":
            continue
        if field in MONEY_FIELDS:
            value = None if value is None else to_pence(value)
        elif field == "extra":
            value = json.dumps(dict(value), ensure_ascii=False) if value else None
        out[column] = value
    return out


def get_case(db: RawDatabase, reference: str) -> Case:
    """One case by reference; an unknown reference suggests the nearest ones."""
    ref = normalise_reference(reference)
    row = db.execute(f"{_SELECT} WHERE reference = :ref", {"ref": ref}).fetchone()
    if row is None:
        purged = db.rows(
            "SELECT purged_at, actor, retention_years FROM purge_record WHERE reference = :ref "
            "ORDER BY id DESC",
            {"ref": ref},
        )
        if purged:  # a gap in the references is explained, without any personal data
            p = purged[0]
            raise NotFoundError(
                f"{ref} was purged on {to_datetime(p['purged_at']):%d/%m/%Y} by {p['actor']} "
                f"under the {p['retention_years']}-year retention period"
            )
        raise unknown_reference(db, reference, writing=False)
    return case_from_row(row)


#: The columns ``list --search`` looks in.
SEARCH_COLUMNS = (
    "reference",
    "complainant",
    "address",
    "complaint_summary",
    "handler",
    "stage1_response_summary",
    "escalation_details",
    "learning",
)
_SEARCH_AT = tuple(CASE_COLUMNS.index(c) for c in SEARCH_COLUMNS)


def _filters(
    status: str | None,
    stage: str | None,
    handler: Sequence[str] | None,
    void: bool = False,
) -> tuple[str, dict[str, Any]]:
    where: list[str] = []
    params: dict[str, Any] = {}
    if status:
        where.append("LOWER(status) = LOWER(:status)")
        params["status"] = status
    elif not void:  # a void case is out of every list unless asked for (by status, or export)
        where.append("status <> :void")
        params["void"] = Status.VOID
    if stage:
        where.append("LOWER(stage) = LOWER(:stage)")
        params["stage"] = stage
    if isinstance(handler, str):
        raise TypeError("handler: the person's spellings as stored (match_person), not a str")
    if handler:
        # The person's spellings exactly as stored (domain.filters.match_person).
        marks, found = placeholders("handler", handler)
        where.append(f"(handler IN ({marks}) OR stage2_handler IN ({marks}))")
        params |= found
    return (" WHERE " + " AND ".join(where) if where else ""), params


def iter_cases(
    db: RawDatabase,
    *,
    status: str | None = None,
    stage: str | None = None,
    handler: Sequence[str] | None = None,
    text: str | None = None,
    void: bool = False,
) -> Iterator[Case]:
    """The log in reference order (streamed), filtered case-insensitively by the given values;
    void cases only with ``void`` (the export: the record keeps them) or ``status="Void"``.

    ``text`` is found inside any of :data:`SEARCH_COLUMNS` by the one folding of
    :func:`~complaints_cli.domain.text.fold` (case, accents, ``ł``/``ø``/``ß``/``ı``,
    full-width letters), every character literal (``%`` and ``_`` are themselves). It is
    matched here, in Python, on both backends: SQLite's ``LOWER`` folds ASCII only, and no
    SQL expression folds exactly as Python does, so the database streams the rows the other
    filters leave (2,000 at a time) and the one function decides (~0.3 s per 100k cases).
    """
    where, params = _filters(status, stage, handler, void)
    cursor = db.execute(_SELECT + where + " ORDER BY id", params)
    needle = fold(text) if text else None
    while batch := cursor.fetchmany(2000):
        for row in batch:
            if needle is None or contains_folded(needle, *(row[i] for i in _SEARCH_AT)):
                yield case_from_row(row)


def list_cases(
    db: RawDatabase,
    *,
    status: str | None = None,
    stage: str | None = None,
    handler: Sequence[str] | None = None,
    text: str | None = None,
) -> list[Case]:
    """:func:`iter_cases` as a list."""
    return list(iter_cases(db, status=status, stage=stage, handler=handler, text=text))


def cases_by_id(db: RawDatabase, ids: Sequence[int]) -> list[Case]:
    """The cases with these ids, in id order (asked 500 at a time)."""
    out: list[Case] = []
    for start in range(0, len(ids), 500):
        chunk = list(ids[start : start + 500])
        params = {f"i{n}": v for n, v in enumerate(chunk)}
        marks = ", ".join(f":i{n}" for n in range(len(chunk)))
        out += [
            case_from_row(r)
            for r in db.execute(f"{_SELECT} WHERE id IN ({marks}) ORDER BY id", params)
        ]
    return out


def history(db: RawDatabase, complaint_id: int) -> list[dict[str, Any]]:
    """A case's history, oldest first, each change decoded to ``{field: [old, new]}``."""
    rows = db.rows(
        "SELECT at, actor, command, changes, note FROM history "
        "WHERE complaint_id = :id ORDER BY id",
        {"id": complaint_id},
    )
    for row in rows:
        row["at"] = to_datetime(row["at"])
        row["changes"] = json.loads(row["changes"])
    return rows


_ACTION_STAGE = _enum(Stage)
_ACTION_KIND = _enum(ActionKind)


def action_from_row(row: Sequence[Any]) -> Action:
    """``(number, stage, kind, text, owner, due, done)`` as an :class:`Action`."""
    number, stage, kind, text, owner, due, done = row
    return Action(
        int(number),
        _ACTION_STAGE(stage),
        _ACTION_KIND(kind or "action"),
        str(text),
        str(owner),
        to_date(due) or date.min,
        to_date(done),
    )


def actions(db: RawDatabase, complaint_id: int) -> list[Action]:
    """A case's actions in number order."""
    rows = db.execute(
        "SELECT number, stage, kind, text, owner, due, done FROM action "
        "WHERE complaint_id = :id ORDER BY number",
        {"id": complaint_id},
    ).fetchall()
    return [action_from_row(r) for r in rows]


def signatories(db: RawDatabase, complaint_id: int) -> list[Signatory]:
    """A petition's signatories, the lead petitioner first, then in the order they were added."""
    rows = db.execute(
        "SELECT name, address, lead, added FROM signatory WHERE complaint_id = :id "
        "ORDER BY lead DESC, id",
        {"id": complaint_id},
    ).fetchall()
    return [Signatory(str(n), str(a), bool(lead), to_date(d) or date.min) for n, a, lead, d in rows]


def related(db: RawDatabase, case: Case) -> dict[str, Any]:
    """The case this one was raised from (its reference), and the cases raised from this one."""
    parent = None
    if case.related_to_id is not None:
        parent = db.scalar(
            "SELECT reference FROM complaint WHERE id = :id", {"id": case.related_to_id}
        )
    children = list(
        db.column(
            "SELECT reference FROM complaint WHERE related_to_id = :id ORDER BY id",
            {"id": case.id},
        )
    )
    return {"related_to": parent, "related_cases": children}


def compliment_subjects(db: RawDatabase) -> list[str]:
    """Everyone (or every team) a compliment is about, each spelling as stored."""
    return [str(a) for a in db.column("SELECT DISTINCT about FROM compliment") if a]


def compliments(
    db: RawDatabase,
    *,
    start: date | None = None,
    end: date | None = None,
    about: Sequence[str] | None = None,
) -> list[dict[str, Any]]:
    """Compliments received in ``[start, end)`` (all when None), oldest first; with ``about``,
    those about one of these spellings, exactly as stored (:func:`compliment_subjects` and
    ``domain/filters.match_person`` find them)."""
    where: list[str] = []
    params: dict[str, Any] = {}
    if start is not None:
        where.append("received >= :start")
        params["start"] = start
    if end is not None:
        where.append("received < :end")
        params["end"] = end
    if about is not None:
        marks = ", ".join(f":about{i}" for i in range(len(about)))
        where.append(f"about IN ({marks or 'NULL'})")
        params.update({f"about{i}": name for i, name in enumerate(about)})
    rows = db.rows(
        "SELECT id, received, from_name, about, channel, details, actor FROM compliment"
        + (" WHERE " + " AND ".join(where) if where else "")
        + " ORDER BY received, id",
        params,
    )
    for row in rows:
        row["received"] = to_date(row["received"])
    return rows


def case_from_mapping(row: Mapping[str, Any]) -> Case:
    """A complaint row as a mapping (``SELECT *``, either driver) as a typed case."""
    return case_from_row([row.get(c) for c in CASE_COLUMNS])


def count_cases(
    db: RawDatabase, *, status: str | None = None, stage: str | None = None, void: bool = False
) -> int:
    """How many cases (with this status and stage; void ones only when asked) the log holds."""
    where, params = _filters(status, stage, None, void)
    return int(db.scalar("SELECT COUNT(*) FROM complaint" + where, params) or 0)


def same_complaint(
    db: RawDatabase,
    complainant: str,
    address: str,
    received: date,
    *,
    logged_before: int | None = None,
) -> list[str]:
    """The references of the cases (void ones aside) with this complainant, address and date
    received, compared ignoring case, accents and spacing
    (:func:`~complaints_cli.domain.text.person_key`): a complaint logged twice. Given
    ``logged_before`` (a new case's id), only the cases saved before it: read once the new case
    is saved, so of two handlers logging one complaint at the same moment the second is told of
    the first (ids are given under the write lock, in saving order)."""

    def squash(text: object) -> str:
        return person_key(str(text or ""))

    before = "" if logged_before is None else "AND id < :before "
    rows = db.execute(
        "SELECT reference, complainant, address FROM complaint WHERE received = :received "
        f"AND status <> :void {before}ORDER BY id",
        {"received": received, "void": Status.VOID, "before": logged_before},
    ).fetchall()
    return [
        str(ref)
        for ref, who, where in rows
        if squash(who) == squash(complainant) and squash(where) == squash(address)
    ]


def references_and_addresses(db: RawDatabase) -> list[tuple[str, str]]:
    """``(reference, address)`` of every case, in log order (for the case folders' check)."""
    rows = db.execute("SELECT reference, address FROM complaint ORDER BY id").fetchall()
    return [(str(ref), str(address or "")) for ref, address in rows]


#: What ``purge`` decides on: never the personal data itself.
RETENTION_COLUMNS = ("reference", "status", "closed", "folder", "legal_hold", "legal_hold_reason")


def retention_facts(db: RawDatabase) -> list[RetentionFacts]:
    """What ``purge`` decides on, for every case: never the personal data itself."""
    rows = db.execute(
        f"SELECT {', '.join(RETENTION_COLUMNS)} FROM complaint ORDER BY id"
    ).fetchall()
    return [facts_from_row(r) for r in rows]


_STATUS = _enum(Status)


def facts_from_row(row: Sequence[Any]) -> RetentionFacts:
    """``(reference, status, closed, folder, legal_hold, legal_hold_reason)`` as facts."""
    from complaints_cli.domain.retention import RetentionFacts

    reference, status, closed, folder, hold, reason = row
    return RetentionFacts(
        str(reference), _STATUS(status), to_date(closed), folder, bool(hold), reason
    )


def extra_keys(
    db: RawDatabase, *, status: str | None = None, stage: str | None = None, void: bool = False
) -> list[str]:
    """Every kept unknown column among the (filtered) cases, in the order first seen."""
    where, params = _filters(status, stage, None, void)
    keys: dict[str, None] = {}
    sql = "SELECT extra FROM complaint" + (where + " AND " if where else " WHERE ")
    for (text,) in db.execute(sql + "extra IS NOT NULL ORDER BY id", params).fetchall():
        keys.update(dict.fromkeys(_extra(text)))
    return list(keys)


def actions_by_case(db: RawDatabase) -> dict[int, list[Action]]:
    """Every case's actions, by case id, in number order: one query for a whole export."""
    out: dict[int, list[Action]] = {}
    rows = db.execute(
        "SELECT complaint_id, number, stage, kind, text, owner, due, done FROM action "
        "ORDER BY complaint_id, number"
    ).fetchall()
    for row in rows:
        out.setdefault(int(row[0]), []).append(action_from_row(row[1:]))
    return out


def signatories_by_case(db: RawDatabase) -> dict[int, list[Signatory]]:
    """Every petition's signatories, by case id, the lead petitioner first, then in the order
    they were added (as :func:`signatories` lists one case's): one query for a whole export."""
    out: dict[int, list[Signatory]] = {}
    rows = db.execute(
        "SELECT complaint_id, name, address, lead, added FROM signatory "
        "ORDER BY complaint_id, lead DESC, id"
    ).fetchall()
    for case_id, name, address, lead, added in rows:
        signatory = Signatory(str(name), str(address), bool(lead), to_date(added) or date.min)
        out.setdefault(int(case_id), []).append(signatory)
    return out


def related_references(db: RawDatabase) -> dict[int, str]:
    """Each case's related case (``related_to_id``) as its reference, by case id."""
    rows = db.execute(
        "SELECT c.id, r.reference FROM complaint c JOIN complaint r ON r.id = c.related_to_id"
    ).fetchall()
    return {int(case_id): str(reference) for case_id, reference in rows}


def duplicate_references(db: RawDatabase) -> dict[int, str]:
    """Each void case's original (``duplicate_of_id``) as its reference, by case id."""
    rows = db.execute(
        "SELECT c.id, r.reference FROM complaint c JOIN complaint r ON r.id = c.duplicate_of_id"
    ).fetchall()
    return {int(case_id): str(reference) for case_id, reference in rows}
