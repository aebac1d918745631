"""The ``open_milestone`` table: each open case's milestones not yet done, kept with the case.

Every save of a case goes through one of the store's writes (:class:`~.writes.Store`: ``log``,
``change``, ``recompute``; the import's :func:`~.bulk.apply_plan`), and each of them works the
case's derived columns out (:data:`Derivation`) and replaces the case's rows here in the same
transaction. So the rows of a case whose ``deadlines_key`` is the current one are exactly what
:func:`~complaints_cli.domain.open_milestones.open_milestones` gives for it (a test checks this
after every command); a case saved without them has no ``deadlines_key`` and ``due`` works it
out in memory. ``due`` reads the rows through ``ix_open_milestone_due`` (by deadline; schema 0008).

Hand-written for speed: rows go to the driver's ``executemany`` with positional marks (``log``
writes a handful; the import and ``db recompute`` thousands).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from complaints_cli.domain.case import Case
from complaints_cli.domain.derived import Stamps
from complaints_cli.domain.open_milestones import OpenMilestone
from complaints_cli.store.db import RawDatabase

__all__ = ["COLUMNS", "Derivation", "Stamping", "replace", "stored"]

#: The table's columns, in :class:`OpenMilestone` order after the case's id.
COLUMNS = (
    "complaint_id",
    "milestone",
    "label",
    "stage",
    "kind",
    "while_open",
    "due",
    "deadline",
)


#: What the store works out of every case it saves, with the team's profile and calendar:
#: ``case -> (the case with its derived columns, its open milestones)`` (see
#: :func:`complaints_cli.domain.derived.derived`; the import's keeps a workbook's Met
#: columns). Its open milestones are the case's rows here.
Derivation = Callable[[Case], tuple[Case, Sequence[OpenMilestone]]]

#: The import's: a new row's values (by field name), or an updated case, ``-> Stamps`` (see
#: :func:`complaints_cli.domain.derived.deadline_stamps`): its stored deadlines and open
#: milestones, the Met columns the workbook typed kept as they are.
Stamping = Callable[[Case | Mapping[str, Any]], Stamps]


def _chunks(values: Sequence[int], size: int = 500) -> Iterable[Sequence[int]]:
    return (values[i : i + size] for i in range(0, len(values), size))


def replace(
    tx: RawDatabase, rows: Mapping[int, Sequence[OpenMilestone]], *, new: bool = False
) -> None:
    """Replace the stored open milestones of each case ``{complaint id: its milestones}`` (an
    empty sequence: the case has none), in the caller's transaction (``new``: cases just
    inserted, which have none yet)."""
    if not rows:
        return
    ids = list(rows)
    if not new and len(ids) == 1:
        tx.execute("DELETE FROM open_milestone WHERE complaint_id = :id", {"id": ids[0]})
    elif not new:
        for chunk in _chunks(ids):
            params = {f"i{n}": v for n, v in enumerate(chunk)}
            marks = ", ".join(f":{k}" for k in params)
            tx.execute(f"DELETE FROM open_milestone WHERE complaint_id IN ({marks})", params)
    sqlite = tx.dialect == "sqlite"
    iso: dict[date, str] = {}

    def day(value: date) -> Any:
        if not sqlite:
            return value
        text = iso.get(value)
        if text is None:
            text = iso[value] = value.isoformat()
        return text

    values = [
        (
            complaint_id,
            m.key,
            m.label,
            m.stage,
            "window" if m.window else "deadline",
            m.while_open,
            day(m.due),
            day(m.deadline),
        )
        for complaint_id, milestones in rows.items()
        for m in milestones
    ]
    if values:
        mark = tx.paramstyle
        tx.executemany_raw(
            f"INSERT INTO open_milestone ({', '.join(COLUMNS)}) "
            f"VALUES ({', '.join([mark] * len(COLUMNS))})",
            values,
        )


def _date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)


def stored(db: RawDatabase) -> dict[int, list[OpenMilestone]]:
    """Every stored row, ``{complaint id: its open milestones}`` (in the profile's order is not
    kept: sorted by milestone key). For checks and tests, not a hot path."""
    out: dict[int, list[OpenMilestone]] = {}
    rows = db.execute(
        f"SELECT {', '.join(COLUMNS)} FROM open_milestone ORDER BY complaint_id, milestone"
    ).fetchall()
    for complaint_id, key, label, stage, kind, while_open, due, deadline in rows:
        out.setdefault(int(complaint_id), []).append(
            OpenMilestone(
                key, label, stage, kind == "window", bool(while_open), _date(due), _date(deadline)
            )
        )
    return out
