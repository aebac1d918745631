"""Small lookups over the whole log (is it empty, who it names, a category's references),
apart from :mod:`complaints_cli.store.reads` so that ``due`` reads them without importing the
case model (~10 ms at start-up); :mod:`~complaints_cli.store.reads` re-exports them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from complaints_cli.domain.vocabulary import Status

if TYPE_CHECKING:
    from complaints_cli.errors import NotFoundError
    from complaints_cli.store.db import RawDatabase

__all__ = ["is_empty", "name_uses", "people", "references_in_category", "unknown_reference"]


def is_empty(db: RawDatabase) -> bool:
    """The log holds no case at all (void ones included)."""
    return db.scalar("SELECT id FROM complaint LIMIT 1") is None


def references_in_category(db: RawDatabase, category: str, *, open_only: bool = False) -> list[str]:
    """The references of the cases in ``category`` (the team's spelling, as stored); with
    ``open_only``, of the open cases only, found through the index on ``status`` (``due`` of
    today lists only open cases: at 1M cases 0.52 -> 0.12 s, where every case was read)."""
    sql = "SELECT reference FROM complaint WHERE category = :category"
    params: dict[str, Any] = {"category": category}
    if open_only:
        sql += " AND status = :open"
        params["open"] = Status.OPEN
    return [str(r) for r in db.column(sql, params)]


def unknown_reference(db: RawDatabase, reference: str, *, writing: bool) -> NotFoundError:
    """The error for a reference the log does not hold, with its "did you mean"
    (:func:`complaints_cli.domain.references.not_found`: a bare number read with the
    counter's prefixes; void cases marked, or left out when ``writing``). Reads every
    reference: only once a reference is not found."""
    from complaints_cli.domain.references import not_found

    rows = db.execute("SELECT reference, status FROM complaint").fetchall()
    void = {str(r[0]) for r in rows if r[1] == Status.VOID}
    prefixes = [str(p) for p in db.column("SELECT prefix FROM counter")]
    return not_found(
        reference, [str(r[0]) for r in rows], void=void, prefixes=prefixes, writing=writing
    )


def people(db: RawDatabase, *, owners: bool = True) -> list[str]:
    """Everyone the log names as a handler (Stage 1 or 2) or, with ``owners``, an action's
    owner (``due`` lists actions by owner; ``list`` filters cases by handler only)."""
    sql = _HANDLERS
    if owners:
        sql += " UNION SELECT owner FROM action"
    return [str(p) for p in db.column(sql) if p]


def name_uses(db: RawDatabase, name: str) -> int:
    """How many cases name ``name``, exactly as stored, as their Stage 1 or Stage 2 handler
    (through the indexes on both columns)."""
    sql = (
        "SELECT (SELECT COUNT(*) FROM complaint WHERE handler = :name) "
        "+ (SELECT COUNT(*) FROM complaint WHERE stage2_handler = :name)"
    )
    return int(db.scalar(sql, {"name": name}) or 0)


def _each_name(column: str) -> str:
    """A recursive query for the distinct values of ``complaint.column``, each found from the
    one before by one search of the column's index (``MIN(column) ... WHERE column > name``):
    a few searches for the few handlers a log names, where ``SELECT DISTINCT`` or ``UNION``
    reads every case (SQLite skips ahead in an index only with ``ANALYZE``'s statistics)."""
    return (
        f"{column}s(name) AS (SELECT MIN({column}) FROM complaint UNION ALL "
        f"SELECT (SELECT MIN({column}) FROM complaint WHERE {column} > name) FROM {column}s "
        "WHERE name IS NOT NULL)"
    )


#: Everyone the log names as a handler, Stage 1 or 2, from the indexes on ``handler`` and
#: ``stage2_handler`` (schema 0008): at 1M cases ~0.6 s to read the whole case table twice
#: before them.
_HANDLERS = (
    f"WITH RECURSIVE {_each_name('handler')}, {_each_name('stage2_handler')} "
    "SELECT name FROM handlers WHERE name IS NOT NULL "
    "UNION SELECT name FROM stage2_handlers WHERE name IS NOT NULL"
)
