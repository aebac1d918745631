"""An import's plan: what a file would add, change or leave, case by case. Pure.

The reader (:func:`complaints_cli.files.importer.read_log`) turns each valid row of a workbook
into a :class:`ParsedRow` holding the values the store keeps (compensation in whole pence);
:func:`make_plan` compares them with the cases already in the log and sorts them into adds,
updates (conflicts, when ``--update`` is not given) and unchanged rows, each change field by
field; the store writes the plan in one transaction (:mod:`complaints_cli.store.bulk`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import Enum
from typing import Any, Final

from complaints_cli.domain.dates import format_uk
from complaints_cli.domain.vocabulary import CaseKind, Stage, Status

__all__ = [
    "DEFAULTS",
    "MAX_LENGTHS",
    "PENCE_FIELDS",
    "CaseUpdate",
    "FieldChange",
    "ParsedRow",
    "Plan",
    "Source",
    "describe_conflict",
    "diff_case",
    "make_plan",
    "stored_extra",
]

#: Stored lengths the database enforces (PostgreSQL VARCHAR); checked before writing.
MAX_LENGTHS: Final = {"reference": 32, "handler": 200, "stage2_handler": 200}
#: Values a new case gets when its cell is blank: the log requires these fields.
DEFAULTS: Final[dict[str, object]] = {
    "status": Status.OPEN.value,
    "stage": Stage.STAGE_1.value,
    "handler": "",
    "complainant": "",
    "address": "",
    "kind": CaseKind.COMPLAINT.value,
}
#: Money is parsed as pounds (``…compensation_amount``) and stored as whole pence.
PENCE_FIELDS: Final = {
    "compensation_amount": "compensation_pence",
    "stage2_compensation_amount": "stage2_compensation_pence",
}


@dataclass(frozen=True)
class Source:
    """Where an import's rows came from, as its history entries name it."""

    file_name: str
    sha256: str
    sheet: str


@dataclass
class ParsedRow:
    """One valid row: the case's stored values, ready to compare and write."""

    row: int  #: Excel's row number
    reference: str
    #: model field -> value, for every field of every column the sheet has (``None``: blank).
    #: Compensation is ``compensation_pence`` / ``stage2_compensation_pence`` (whole pence).
    values: dict[str, object]
    #: unknown column header -> value (``None``: blank), for every unknown column of the sheet.
    extra: dict[str, object]


# --- the plan ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FieldChange:
    """One field of one case that the file and the log disagree on."""

    field: str  #: model field, or ``extra:<header>`` for a kept unknown column
    column: str  #: the column's header, for people
    old: object
    new: object


@dataclass
class CaseUpdate:
    row: ParsedRow
    existing: dict[str, Any]
    changes: list[FieldChange]


@dataclass
class Plan:
    adds: list[ParsedRow] = field(default_factory=list)
    updates: list[CaseUpdate] = field(default_factory=list)  #: applied (``--update``)
    conflicts: list[CaseUpdate] = field(default_factory=list)  #: reported, not applied
    unchanged: list[ParsedRow] = field(default_factory=list)


def stored_extra(text: object) -> dict[str, object]:
    """The ``extra`` column as a dict (it is JSON text, or NULL)."""
    if not text:
        return {}
    loaded = json.loads(str(text))
    return loaded if isinstance(loaded, dict) else {}


def _differs(old: object, new: object) -> bool:
    """Whether a stored value and a file's value differ (``1`` and ``True`` do; ``None`` and
    a value do)."""
    if old is None or new is None:
        return (old is None) != (new is None)
    if isinstance(old, Enum):  # the log's words compare as the text they are
        old = old.value
    if isinstance(new, Enum):
        new = new.value
    if isinstance(old, datetime) and not isinstance(new, datetime):
        old = old.date()
    return bool(old != new) or (type(old) is not type(new) and not isinstance(old, date))


def diff_case(
    row: ParsedRow,
    existing: Mapping[str, Any],
    fields: Iterable[str],
    headers: Mapping[str, str],
) -> list[FieldChange]:
    """What the file would change in a stored case: only the columns the sheet has
    (``headers``: each field's column header, for people)."""
    changes: list[FieldChange] = []
    for name in fields:
        old, new = existing.get(name), row.values.get(name)
        if _differs(old, new):
            changes.append(FieldChange(name, headers.get(name, name), old, new))
    kept = stored_extra(existing.get("extra"))
    for header, new in row.extra.items():
        old = kept.get(header)
        if _differs(old, new):
            changes.append(FieldChange(f"extra:{header}", header, old, new))
    return changes


def make_plan(
    rows: Sequence[ParsedRow],
    existing: Mapping[str, Mapping[str, Any]],
    fields: Sequence[str],
    *,
    update: bool,
    headers: Mapping[str, str],
) -> Plan:
    """Sort the file's rows into adds, updates or conflicts, and unchanged. Pure."""
    plan = Plan()
    for row in rows:
        stored = existing.get(row.reference)
        if stored is None:
            plan.adds.append(row)
            continue
        changes = diff_case(row, stored, fields, headers)
        if not changes:
            plan.unchanged.append(row)
        elif update:
            plan.updates.append(CaseUpdate(row, dict(stored), changes))
        else:
            plan.conflicts.append(CaseUpdate(row, dict(stored), changes))
    return plan


def describe_conflict(sheet: str, item: CaseUpdate) -> list[str]:
    """One line per differing column: ``SPRUCE003 (row 9) 'Status': log 'Open', file 'Closed'``."""
    out = []
    for ch in item.changes:
        out.append(
            f"{item.row.reference} (sheet {sheet!r}, row {item.row.row}) {ch.column!r}"
            + (f" [{ch.field}]" if not ch.field.startswith("extra:") else "")
            + f": log has {_show_change(ch.old)}, file has {_show_change(ch.new)}"
        )
    return out


def _show_change(value: object) -> str:
    if value is None:
        return "blank"
    if isinstance(value, Enum):
        value = value.value
    if isinstance(value, date):
        return format_uk(value)
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "...'"
