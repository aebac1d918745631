"""Writing an import's plan: thousands of cases in one transaction, at the driver's speed.

The plan (:mod:`complaints_cli.domain.import_plan`) is written inside one
:meth:`~complaints_cli.store.writes.Store.transaction`: one ``executemany`` of the new cases
(an insert per row costs ~14 s and 1 GB at 100k rows; see :func:`insert_rows`), updates of
the conflicting ones when asked (row version bumped), the reference counter advanced per
prefix, and a history entry for every case imported or updated, with the same contract as every
other write (:func:`~complaints_cli.store.writes.changes_json`: command ``import``, the file,
its SHA-256 and, for a new case, its row; an update lists each field's old and new value, money
in pounds). The stored deadlines and open milestones of each new or updated case are worked out
here too (:mod:`complaints_cli.store.milestones`), so the next ``due`` reads them from the index
instead of working every case out again.

No file-system work happens here: the caller lists the case folders before the transaction and
makes missing ones after it commits (:meth:`~complaints_cli.store.writes.Store.set_folders`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from operator import itemgetter
from typing import Any, Final

from complaints_cli.domain.case import DATE_FIELDS, FLAG_FIELDS
from complaints_cli.domain.import_plan import (
    DEFAULTS,
    IMPLIED_FIELDS,
    PENCE_FIELDS,
    Plan,
    Source,
    stored_extra,
)
from complaints_cli.domain.money import from_pence
from complaints_cli.domain.open_milestones import OpenMilestone
from complaints_cli.domain.presentation import field_label, format_actions, format_signatories
from complaints_cli.domain.references import format_reference, highest_number, highest_numbers
from complaints_cli.errors import ComplaintsError, ConflictError
from complaints_cli.store.case_rows import (
    case_rows,
    earlier_identities,
    write_actions,
    write_signatories,
)
from complaints_cli.store.db import RawDatabase, placeholders, sqlite_stamp
from complaints_cli.store.milestones import Stamping
from complaints_cli.store.milestones import replace as replace_milestones
from complaints_cli.store.reads import CASE_COLUMNS, case_from_mapping, to_date
from complaints_cli.store.writes import Store, changes_json, utcnow

__all__ = ["Outcome", "apply_plan", "insert_rows", "load_existing"]

Progress = Callable[[int], None]

_DATE_COLUMNS = frozenset(DATE_FIELDS)
_FLAG_COLUMNS = frozenset(FLAG_FIELDS)
_STAMP_COLUMNS = frozenset({"created_at", "updated_at", "at"})
_POUNDS = {pence: pounds for pounds, pence in PENCE_FIELDS.items()}
_LETTERS = re.compile(r"[A-Z]+")


@dataclass
class Outcome:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    conflicts: int = 0


def insert_rows(
    tx: RawDatabase,
    table: str,
    names: Sequence[str],
    rows: Sequence[Mapping[str, Any]],
    *,
    dates: frozenset[str] = _DATE_COLUMNS,
    stamps: frozenset[str] = _STAMP_COLUMNS,
) -> None:
    """``INSERT`` many rows in one ``executemany`` at the driver, in the caller's transaction.

    Why not one statement per row: the driver's own ``executemany`` takes ~1.8 s for 100k
    cases, binding named parameters per value took 4.4 s more. The values are already the
    stored types; the only conversion SQLite needs is done here (:func:`insert_values`).
    """
    if not rows:
        return
    getter = itemgetter(*names)
    if len(names) == 1:
        insert_values(
            tx, table, names, [(getter(row),) for row in rows], dates=dates, stamps=stamps
        )
    else:
        insert_values(tx, table, names, list(map(getter, rows)), dates=dates, stamps=stamps)


def insert_values(
    tx: RawDatabase,
    table: str,
    names: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    dates: frozenset[str] = _DATE_COLUMNS,
    stamps: frozenset[str] = _STAMP_COLUMNS,
) -> None:
    """:func:`insert_rows` of rows given as tuples of the ``names``' values, in that order.

    SQLite needs dates as ISO text and date-times as the stored UTC text, converted here,
    each distinct value once; psycopg adapts Python values itself.
    """
    if not rows:
        return
    mark = tx.paramstyle
    sql = f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join([mark] * len(names))})"
    if tx.dialect != "sqlite":
        _insert(tx, sql, rows)
        return
    # Column by column (the batch transposed, in C): each date and date-time converted once
    # per distinct value, and a column that is NULL in every row and NULL by default left
    # out of the statement (the sheet has no such cells: binding millions of NULLs cost ~15%
    # of the driver's time at 100k rows, 2026-11-30). What is stored is the same.
    cells: list[Sequence[Any]] = list(zip(*rows, strict=True))
    for i, name in enumerate(names):
        if name in dates:
            cells[i] = _converted(cells[i], _iso)
        elif name in stamps:
            cells[i] = _converted(cells[i], sqlite_stamp)
    nullable = _null_by_default(tx, table)
    kept = [
        i
        for i, name in enumerate(names)
        if name not in nullable or cells[i].count(None) < len(rows)
    ]
    if len(kept) < len(names):
        names = [names[i] for i in kept]
        cells = [cells[i] for i in kept]
        sql = f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join([mark] * len(names))})"
    _insert(tx, sql, list(zip(*cells, strict=True)))


def _iso(value: date) -> str:
    """A date as SQLite stores it (``2025-02-03``)."""
    return value.isoformat()


def _converted(column: Sequence[Any], convert: Callable[[Any], str]) -> list[str | None]:
    """``column``'s values converted by ``convert`` (``None`` stays ``None``), each distinct
    value once: a log has a few thousand distinct days, and one import time."""
    done: dict[Any, str | None] = {None: None}
    for value in set(column).difference(done):
        done[value] = convert(value)
    return list(map(done.__getitem__, column))


def _null_by_default(tx: RawDatabase, table: str) -> frozenset[str]:
    """The columns of ``table`` that may be NULL and are NULL when an ``INSERT`` leaves them
    out (no default, not part of the primary key): leaving one out stores what binding
    ``None`` would."""
    found = tx.execute(f'PRAGMA table_info("{table}")').fetchall()
    return frozenset(
        str(name)
        for _cid, name, _type, notnull, default, pk in found
        if not notnull and default is None and not pk
    )


def _insert(tx: RawDatabase, sql: str, params: Sequence[Sequence[Any]]) -> None:
    """``executemany`` of the rows; a reference another writer added meanwhile (a unique
    key) is :class:`~complaints_cli.errors.ConflictError` in one line, the transaction rolled
    back by the caller, never a driver traceback."""
    import sqlite3

    try:
        tx.executemany_raw(sql, params)
    except sqlite3.IntegrityError as exc:
        if "UNIQUE" not in str(exc):
            raise
        raise ConflictError(ADDED_MEANWHILE) from None
    except Exception as exc:
        if type(exc).__name__ != "UniqueViolation":  # psycopg's, not imported for SQLite
            raise
        raise ConflictError(ADDED_MEANWHILE) from None


#: The refusal when another writer added one of the import's references while it ran.
ADDED_MEANWHILE = (
    "another handler added some of these cases while this import ran: nothing was "
    "imported; run the import again (it will find them and add only what is new)"
)


def _stored(row: Mapping[str, Any]) -> dict[str, Any]:
    """A stored row with Python types (SQLite gives text dates and 0/1 flags)."""
    out = dict(row)
    for name in _DATE_COLUMNS.intersection(out):
        out[name] = to_date(out[name])
    for name in _FLAG_COLUMNS.intersection(out):
        if out[name] is not None:
            out[name] = bool(out[name])
    return out


def _chunks(values: Sequence[Any], size: int = 500) -> list[Sequence[Any]]:
    return [values[i : i + size] for i in range(0, len(values), size)]


_marks = placeholders


#: The PostgreSQL advisory lock an import holds for its transaction (any fixed number; the
#: letters ``CMPIMPRT`` as a 64-bit integer).
IMPORT_LOCK = int.from_bytes(b"CMPIMPRT", "big")


def load_existing(tx: RawDatabase, references: Sequence[str]) -> dict[str, dict[str, Any]]:
    """The stored cases with these references, locked for the rest of the transaction, as
    ``{reference: {column: value}}`` with their ``actions``, their ``signatories`` (the lead
    petitioner first) and each of :data:`LINKS` (a reference), as the ``Actions``, ``Petition
    signatories``, ``Related case`` and ``Duplicate of`` columns read them."""
    out: dict[str, dict[str, Any]] = {}
    if tx.dialect == "postgresql":
        # Imports one at a time: a new row cannot be locked before it exists, so two imports
        # of the same new workbook would both plan to add it (and one fail on the unique
        # reference). The second waits here, then reads the first one's rows (READ COMMITTED:
        # each statement sees what is committed) and finds them unchanged. SQLite's BEGIN
        # IMMEDIATE already serialises every writer.
        tx.execute("SELECT pg_advisory_xact_lock(:key)", {"key": IMPORT_LOCK})
    if tx.scalar("SELECT id FROM complaint LIMIT 1") is None:
        return out  # an empty log (the first import): nothing to look up
    for chunk in _chunks(references):
        marks, params = _marks("r", chunk)
        rows = tx.rows(
            f"SELECT * FROM complaint WHERE reference IN ({marks}){tx.for_update}", params
        )
        out.update({r["reference"]: _stored(r) for r in rows})
    by_id = {case["id"]: case for case in out.values()}
    linked_ids = sorted(
        {c[f"{link}_id"] for c in out.values() for link in LINKS if c.get(f"{link}_id")}
    )
    names: dict[int, str] = {}
    for chunk in _chunks(linked_ids):
        marks, params = _marks("i", chunk)
        rows = tx.execute(
            f"SELECT id, reference FROM complaint WHERE id IN ({marks})", params
        ).fetchall()
        names.update({int(i): str(r) for i, r in rows})
    for case in out.values():
        for link in LINKS:
            case[link] = names.get(case.get(f"{link}_id") or 0)
    for complaint_id, rows_of in case_rows(tx, list(by_id)).items():
        by_id[complaint_id].update(rows_of)
    for complaint_id, earlier in earlier_identities(tx, list(by_id)).items():
        by_id[complaint_id]["earlier_identity"] = earlier
    return out


#: The columns that name another case by its reference, as the file holds them (the store
#: keeps its id, in ``<name>_id``): the case a new issue was raised from (Code 6.8), and the
#: case a void one duplicates.
LINKS: Final = ("related_to", "duplicate_of")

#: ``(field, the case's reference, its row, the reference it names)``.
Link = tuple[str, str, int, str]


def _new_ids(
    tx: RawDatabase, before: int | None, references: Sequence[str]
) -> Iterable[Sequence[tuple[int, str]]]:
    """``(id, reference)`` of the cases just inserted with these ``references``, in chunks.

    Read as the ids above the highest one before the insert (one range query on the primary
    key: both SQLite and a PostgreSQL sequence number new rows upwards), keeping only these
    references (a case another handler logged meanwhile is not the import's); any reference
    not found that way (an id that wrapped round) is looked up by name.
    """
    start = before or 0
    if tx.dialect == "sqlite":
        # SQLite numbers a new row one past the largest id: under this write lock the batch
        # is ids start+1.. in order when exactly so many follow (no 100k references read).
        sql = "SELECT count(*), max(id) FROM complaint WHERE id > :before"
        count, last = tx.execute(sql, {"before": start}).fetchone()
        if count == len(references) and last == start + len(references):
            yield list(zip(range(start + 1, last + 1), references, strict=True))
            return
    wanted = set(references)
    rows = tx.execute(
        "SELECT id, reference FROM complaint WHERE id > :before", {"before": start}
    ).fetchall()
    found = [(int(i), str(r)) for i, r in rows if r in wanted]
    yield found
    if len(found) == len(wanted):
        return
    missing = sorted(wanted.difference(r for _i, r in found))
    for chunk in _chunks(missing):
        marks, params = _marks("r", chunk)
        yield tx.execute(
            f"SELECT id, reference FROM complaint WHERE reference IN ({marks})", params
        ).fetchall()


def _link_cases(tx: RawDatabase, links: Sequence[Link]) -> None:
    """Point each case (reference, row) at the case it names by reference (:data:`LINKS`);
    that case must be in the log by now (in the file or already there), else nothing is
    imported."""
    if not links:
        return
    wanted = sorted({target for _, _, _, target in links})
    ids: dict[str, int] = {}
    for chunk in _chunks(wanted):
        marks, params = _marks("r", chunk)
        rows = tx.execute(
            f"SELECT reference, id FROM complaint WHERE reference IN ({marks})", params
        ).fetchall()
        ids.update({str(r): int(i) for r, i in rows})
    for field, reference, row, target in links:
        column = field_label(field)
        if target not in ids:
            raise ComplaintsError(
                f"{reference} (row {row}) {column!r}: {target} is neither in the file nor "
                "in the log; nothing was imported"
            )
        if target == reference:
            raise ComplaintsError(
                f"{reference} (row {row}) {column!r} names the case itself; nothing was imported"
            )
        tx.execute(
            f"UPDATE complaint SET {field}_id = :id WHERE reference = :ref",
            {"id": ids[target], "ref": reference},
        )


def _history(field: str, value: object) -> tuple[str, object]:
    """A stored field and value as every history entry names them (money in pounds)."""
    if field in _POUNDS:
        return _POUNDS[field], None if value is None else from_pence(int(value))  # type: ignore[call-overload]
    return field, value


def _extra_text(extra: Mapping[str, object]) -> str | None:
    """A row's unknown columns as the ``extra`` column stores them (JSON of the cells that are
    not blank), or None when all are blank (most rows: told apart without building a dict)."""
    if list(extra.values()).count(None) == len(extra):
        return None
    kept = {k: v for k, v in extra.items() if v is not None}
    return json.dumps(kept, ensure_ascii=False) if kept else None


def free_references(tx: RawDatabase, prefix: str, taken: Iterable[str], count: int) -> list[str]:
    """The next ``count`` references for ``prefix`` after the log's counter and after every
    reference in ``taken`` (a file's), for rows renumbered because they clash. Writes nothing
    (a dry run shows them too); :func:`apply_plan` moves the counter past them."""
    last = tx.scalar(
        f"SELECT last_number FROM counter WHERE prefix = :p{tx.for_update}", {"p": prefix}
    )
    if last is None:
        stored = tx.column(
            "SELECT reference FROM complaint WHERE reference LIKE :like", {"like": f"{prefix}%"}
        )
        last = highest_number(prefix, map(str, stored))
    start = max(int(last), highest_number(prefix, taken)) + 1
    return [format_reference(prefix, start + n) for n in range(count)]


def apply_plan(
    store: Store,
    tx: RawDatabase,
    plan: Plan,
    source: Source,
    fields: Sequence[str],
    *,
    actor: str,
    prefixes: Sequence[str],
    folders: Mapping[str, str],
    deadlines: Stamping | None = None,
    progress: Progress | None = None,
) -> Outcome:
    """Write the plan in the caller's transaction (see the module notes).

    ``fields``: the stored fields the sheet fills; ``prefixes``: the reference prefixes whose
    counters must move past the file's references (the configured one, and any already in
    use); ``folders``: the case folders already under the root, by reference (upper case).
    """
    now = utcnow()
    prefixes = sorted({*prefixes, *map(str, tx.column("SELECT prefix FROM counter"))})
    note = f"imported from {source.file_name} (sha256 {source.sha256})"
    outcome = Outcome(unchanged=len(plan.unchanged), conflicts=len(plan.conflicts))

    # Only the columns the sheet fills, the required ones and the bookkeeping are written:
    # every other column (the sheet lacks it, or a later migration added it) gets its default
    # or NULL from the database, and fewer columns bind faster (~20% of the insert's time).
    wanted = set(DEFAULTS) | set(fields) | set(IMPLIED_FIELDS)
    names = [c for c in CASE_COLUMNS if c in wanted]
    base: dict[str, Any] = {n: DEFAULTS[n] for n in names if n in DEFAULTS}
    base |= {n: None for n in IMPLIED_FIELDS}  # NULL unless the row's cells imply them
    keep = ("folder", "extra", "created_at", "updated_at", "row_version")
    stamps = ("next_due", "next_milestone", "deadlines_key") if deadlines else ()
    columns = list(dict.fromkeys([*names, *keep, *stamps]))
    history_rows: list[dict[str, Any]] = []  # the updated cases'
    new_history: list[tuple[Any, ...]] = []  # the new cases', in HISTORY_NAMES' order
    batch: list[dict[str, Any]] = []
    notes_by_ref: dict[str, str] = {}
    actions_by_ref: dict[str, Any] = {}
    signatories_by_ref: dict[str, Any] = {}
    milestones_by_ref: dict[str, Sequence[OpenMilestone]] = {}
    fresh: dict[int, Sequence[OpenMilestone]] = {}
    links: list[Link] = []

    def flush() -> None:
        # A plain executemany, then one query for the new ids: INSERT ... RETURNING with
        # executemany runs one statement per row on SQLite (5x slower at 100k rows).
        if not batch:
            return
        before = tx.scalar("SELECT max(id) FROM complaint")
        insert_rows(tx, "complaint", columns, batch)
        for found in _new_ids(tx, before, [row["reference"] for row in batch]):
            for complaint_id, reference in found:
                milestones = milestones_by_ref.pop(reference, None)
                if milestones:
                    fresh[complaint_id] = milestones
                actions = actions_by_ref.pop(reference, None)
                if actions:
                    write_actions(tx, complaint_id, actions, None, now)
                signed = signatories_by_ref.pop(reference, None)
                if signed:
                    write_signatories(tx, complaint_id, signed, None)
                new_history.append(
                    (complaint_id, now, actor, "import", "{}", notes_by_ref.pop(reference))
                )
        if progress is not None:
            progress(len(batch))
        batch.clear()

    # Before the inserts: a prefix's first counter row is seeded by scanning the references
    # already stored, which is cheap while the new cases are not there yet.
    references = [p.reference for p in (*plan.adds, *(u.row for u in plan.updates))]
    references += [p.reference for p in plan.unchanged]
    # Each prefix the file's references start with (its letters, as the log's references are
    # read), the configured one and those already counted.
    seen = {m[0] for m in map(_LETTERS.match, references) if m}
    prefixes = sorted({*prefixes, *seen})
    for prefix, number in sorted(highest_numbers(prefixes, references).items()):
        store.advance_counter(tx, prefix, number)

    deferred = _defer_indexes(tx) if len(plan.adds) >= _DEFER_AT else []
    row_note = f"{note}, sheet {source.sheet!r} row "
    kept_values = {"created_at": now, "updated_at": now, "row_version": 1}
    for parsed in plan.adds:
        values = parsed.values
        row = {**base, **values, **kept_values}
        row["folder"] = folders.get(parsed.reference.upper()) if folders else None
        row["extra"] = _extra_text(parsed.extra)
        if deadlines is not None:
            next_due, next_milestone, key, milestones = deadlines(row)
            row["next_due"] = next_due
            row["next_milestone"] = next_milestone
            row["deadlines_key"] = key
            if milestones:
                milestones_by_ref[parsed.reference] = milestones
        # A new case's history entry names its source row; its values are the row's (every
        # later change records old and new). Listing each value as [null, value] too cost
        # ~1.5 s of a 100k-case import's ~10 s, for no information the case does not hold.
        notes_by_ref[parsed.reference] = f"{row_note}{parsed.row}" + (
            f" (its reference there, {parsed.renumbered_from}, is another complaint's in the "
            "log: renumbered)"
            if parsed.renumbered_from
            else ""
        )
        if values.get("actions"):
            actions_by_ref[parsed.reference] = values["actions"]
        if values.get("signatories"):
            signatories_by_ref[parsed.reference] = values["signatories"]
        for link in LINKS:
            if values.get(link):
                links.append((link, parsed.reference, parsed.row, str(values[link])))
        batch.append(row)
        if len(batch) >= 5000:
            flush()
    flush()
    replace_milestones(tx, fresh, new=True)
    fresh.clear()
    outcome.added = len(plan.adds)

    for item in plan.updates:
        stored = item.existing
        new_values: dict[str, Any] = {}
        changes: dict[str, tuple[object, object]] = {}
        kept = stored_extra(stored.get("extra"))
        extra_changed = False
        for ch in item.changes:
            if ch.field.startswith("extra:"):
                header = ch.field.removeprefix("extra:")
                if ch.new is None:
                    kept.pop(header, None)
                else:
                    kept[header] = ch.new
                extra_changed = True
            elif ch.field == "actions":
                old_actions = ch.old or ()
                new_actions = ch.new or ()
                write_actions(tx, stored["id"], new_actions, old_actions, now)  # type: ignore[arg-type]
                changes[ch.field] = (
                    format_actions(old_actions),  # type: ignore[arg-type]
                    format_actions(new_actions),  # type: ignore[arg-type]
                )
                continue
            elif ch.field == "signatories":
                if ch.new is None:  # as with actions, an import never removes a signatory
                    continue
                write_signatories(tx, stored["id"], ch.new, ch.old)  # type: ignore[arg-type]
                changes[ch.field] = (
                    format_signatories(ch.old or ()),  # type: ignore[arg-type]
                    format_signatories(ch.new),  # type: ignore[arg-type]
                )
                continue
            elif ch.field in LINKS:
                if ch.new is None:  # as with actions, an import never removes a link
                    continue
                links.append((ch.field, item.row.reference, item.row.row, str(ch.new)))
            else:
                new_values[ch.field] = ch.new
            name, old = _history(ch.field, ch.old)
            changes[name] = (old, _history(ch.field, ch.new)[1])
        if extra_changed:
            new_values["extra"] = _extra_text(kept)
        if deadlines is not None:  # the updated case's deadlines, worked out again
            worked = deadlines(case_from_mapping({**stored, **new_values}))
            fresh[stored["id"]] = worked.milestones
            new_values |= {
                "next_due": worked.next_due,
                "next_milestone": worked.next_milestone,
                "deadlines_key": worked.deadlines_key,
            }
        new_values["updated_at"] = now
        new_values["row_version"] = int(stored["row_version"] or 0) + 1
        sets = ", ".join(f"{c} = :{c}" for c in new_values)
        updated = tx.execute(
            f"UPDATE complaint SET {sets} WHERE id = :case_id AND row_version = :seen",
            {**new_values, "case_id": stored["id"], "seen": stored["row_version"]},
        ).rowcount
        if updated != 1:
            raise ConflictError(
                f"{item.row.reference} was changed by someone else during the import; "
                "nothing was imported: run it again"
            )
        history_rows.append(
            {
                "complaint_id": stored["id"],
                "at": now,
                "actor": actor,
                "command": "import",
                "changes": changes_json(changes),
                "note": note,
            }
        )
    replace_milestones(tx, fresh)
    outcome.updated = len(plan.updates)
    _link_cases(tx, links)

    for start in range(0, len(new_history), 5000):
        insert_values(tx, "history", HISTORY_NAMES, new_history[start : start + 5000])
    for start in range(0, len(history_rows), 5000):
        insert_rows(tx, "history", HISTORY_NAMES, history_rows[start : start + 5000])
    for create in deferred:
        tx.execute(create)
    return outcome


#: The history columns an import writes.
HISTORY_NAMES: Final = ("complaint_id", "at", "actor", "command", "changes", "note")

#: The fewest new cases for which :func:`_defer_indexes` pays (each index is built once
#: instead of being kept up row by row).
_DEFER_AT: Final = 5000


def _defer_indexes(tx: RawDatabase) -> list[str]:
    """Drop the complaint and history tables' secondary indexes for a first import into an
    empty SQLite log; returns the statements that make them again, which the caller runs
    before the transaction commits (a failure rolls the drop back with everything else).

    Only when the log is empty and only on SQLite, where it was measured: building each
    index once after 100k rows took ~12% less CPU than keeping it up during the inserts
    (replaying a 100k import's inserts, 7 alternating runs, 2026-11-30). The unique index
    on the reference stays: it is what refuses a reference another writer added.
    """
    if tx.dialect != "sqlite" or tx.scalar("SELECT id FROM complaint LIMIT 1") is not None:
        return []
    found = tx.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
        "AND tbl_name IN ('complaint', 'history') ORDER BY name"
    ).fetchall()
    creates = []
    for name, create in found:
        if create.lstrip().upper().startswith("CREATE UNIQUE"):
            continue
        tx.execute(f'DROP INDEX "{name}"')
        creates.append(str(create))
    return creates
