"""Small lookups over the whole log (is it empty, who it names, a category's references),
apart from :mod:`complaints_cli.store.reads` so that ``due`` reads them without importing the
case model (~10 ms at start-up); :mod:`~complaints_cli.store.reads` re-exports them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from complaints_cli.domain.vocabulary import Status

if TYPE_CHECKING:
    from complaints_cli.store.db import RawDatabase

__all__ = ["is_empty", "people", "references_in_category"]


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


def people(db: RawDatabase, *, owners: bool = True) -> list[str]:
    """Everyone the log names as a handler (Stage 1 or 2) or, with ``owners``, an action's
    owner (``due`` lists actions by owner; ``list`` filters cases by handler only)."""
    sql = "SELECT handler FROM complaint UNION SELECT stage2_handler FROM complaint"
    if owners:
        sql += " UNION SELECT owner FROM action"
    return [str(p) for p in db.column(sql) if p]
