"""An import's plan: what a file would add, change or leave, case by case. Pure.

The reader (:func:`complaints_cli.files.importer.read_log`) turns each valid row of a workbook
into a :class:`ParsedRow` holding the values the store keeps (compensation in whole pence);
:func:`make_plan` compares them with the cases already in the log and sorts them into adds,
updates (conflicts, when ``--update`` is not given) and unchanged rows, each change field by
field; the store writes the plan in one transaction (:mod:`complaints_cli.store.bulk`).

An import must never merge two complaints or lose a newer record (issue 12):

* A row whose reference is in the log with a different complainant, address or date
  received is a **clash**: another resident's complaint that happens to have the same number
  (two systems issuing references during a changeover). It is never written over the log's
  case; :func:`renumber_clashes` gives it the next free reference instead.
* ``--update`` never replaces a value with a blank (an older copy of the log lacks the newer
  steps) and never moves a case **back** (to an earlier stage, or from a finished status to
  Open) unless ``--allow-rollback``: such a case is held back, whole, and listed.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any, Final

from complaints_cli.domain.case import Signatory
from complaints_cli.domain.columns import COLUMNS
from complaints_cli.domain.dates import format_uk
from complaints_cli.domain.text import person_lines
from complaints_cli.domain.vocabulary import CaseKind, Stage, Status

__all__ = [
    "DEFAULTS",
    "IDENTITY_FIELDS",
    "IMPLIED_FIELDS",
    "MAX_LENGTHS",
    "PENCE_FIELDS",
    "CaseUpdate",
    "Clash",
    "FieldChange",
    "ParsedRow",
    "Plan",
    "Source",
    "describe_clash",
    "describe_conflict",
    "describe_update",
    "diff_case",
    "imply_values",
    "make_plan",
    "older_copy",
    "renumber_clashes",
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
#: Fields a new case's row may hold without a column for them: what its other cells imply
#: (:func:`imply_values`); written for new cases, never compared with a stored case.
IMPLIED_FIELDS: Final = ("informal_received",)


def imply_values(values: dict[str, Any], columns: Sequence[str]) -> None:
    """Fill in what a row's cells imply, as ``log`` records it (``store/writes.py``): a row at
    the Informal stage is a service dissatisfaction (unless its own kind cell says otherwise)
    raised on the day it was received, so its 5-working-day response deadline applies and the
    reports leave it out until it is converted (Southern Housing procedure 4.2; the 2024 Code
    counts complaints only). Without this, such a row became an open "complaint" at the
    Informal stage with no deadline at all, counted in the reports (the fresh-user trial).
    A petition from a sheet without a signatories column gets its lead petitioner
    (:func:`lead_petitioner`), as ``log --kind petition`` gives it one.
    ``columns``: the fields the sheet has columns for; what a column says (blank included, as
    the tool's own export writes it) is never replaced."""
    if values.get("kind") == CaseKind.PETITION and "signatories" not in columns:
        lead = None if values.get("signatories") else lead_petitioner(values)
        if lead is not None:
            values["signatories"] = (lead,)
    if str(values.get("stage") or "") != _INFORMAL:
        return
    if "kind" not in columns and values.get("kind") is None:
        values["kind"] = CaseKind.SERVICE_DISSATISFACTION.value
    if "informal_received" not in columns and values.get("informal_received") is None:
        values["informal_received"] = values.get("received")


#: The Informal stage's name, read once (an enum member's ``value`` is a property: this is
#: read for each of a big import's rows).
_INFORMAL: Final = Stage.INFORMAL.value


def lead_petitioner(values: Mapping[str, Any]) -> Signatory | None:
    """The lead petitioner ``log --kind petition`` records for a new petition: the
    complainant, at the complaint's address, signed on the day received (Southern Housing
    procedure 4.11.1). ``values``: an imported row's fields by name. ``None`` when the row is
    not a petition, or has no complainant name or address to sign with (the petition then
    has no lead until ``signatory add --lead`` names one)."""
    if str(values.get("kind") or "") != CaseKind.PETITION.value:
        return None
    name = " ".join(str(values.get("complainant") or "").split())
    address = str(values.get("address") or "").strip()
    received = values.get("received")
    if not name or not address or not isinstance(received, date):
        return None
    return Signatory(name, address, True, received)


#: The person columns (Handler, Complainant, Stage 2 complaint handler): kept as
#: :func:`~complaints_cli.domain.text.person_lines` keeps them.
PERSON_FIELDS: Final = frozenset(
    f for column in COLUMNS if column.kind == "person" for f in column.fields
)

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
    #: The reference the row had in the file, when it clashed and was renumbered.
    renumbered_from: str | None = None


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
    #: Blank cells whose log value ``--update`` keeps (without ``--allow-rollback``).
    kept: list[FieldChange] = field(default_factory=list)
    #: Why a held-back update would move the case back (``Stage 2 -> Stage 1``, ...).
    rollback: list[str] = field(default_factory=list)


def older_copy(conflicts: Sequence[CaseUpdate]) -> bool:
    """Whether every difference is a blank cell where the log has a value: an older copy of
    the log, which ``--update`` leaves as the log has it (it never empties a value)."""
    return bool(conflicts) and all(ch.new is None for item in conflicts for ch in item.changes)


@dataclass(frozen=True)
class Clash:
    """A row whose reference is another complaint's in the log (``differences``: complainant,
    address or date received, as :class:`FieldChange`)."""

    row: ParsedRow
    existing: dict[str, Any]
    differences: list[FieldChange]


@dataclass
class Plan:
    adds: list[ParsedRow] = field(default_factory=list)
    updates: list[CaseUpdate] = field(default_factory=list)  #: applied (``--update``)
    conflicts: list[CaseUpdate] = field(default_factory=list)  #: reported, not applied
    unchanged: list[ParsedRow] = field(default_factory=list)
    #: Other complaints with a reference in the log: the import is refused while any remain.
    clashes: list[Clash] = field(default_factory=list)
    #: Updates that would move a case back: not applied without ``--allow-rollback``.
    held: list[CaseUpdate] = field(default_factory=list)
    #: Updates with nothing to apply but blank cells whose log values are kept.
    blanks: list[CaseUpdate] = field(default_factory=list)
    #: ``(row, the file's reference, the new one)`` for each clash given a new reference.
    renumbered: list[tuple[int, str, str]] = field(default_factory=list)


#: What makes a row the same complaint as the log's case with its reference.
IDENTITY_FIELDS: Final = ("complainant", "address", "received")

_STAGE_ORDER: Final = {
    Stage.INFORMAL.value: 0,
    Stage.STAGE_1.value: 1,
    Stage.STAGE_2.value: 2,
    Stage.OMBUDSMAN.value: 3,
}


def _plain(value: object) -> str:
    """A name or address as compared for identity: case, spacing and punctuation ignored
    (``1, Essex Brewery.`` is ``1 Essex Brewery``)."""
    text = value.value if isinstance(value, Enum) else str(value)
    kept = "".join(ch if ch.isalnum() else " " for ch in text.casefold())
    return " ".join(kept.split())


def _identity_differences(
    row: ParsedRow, stored: Mapping[str, Any], headers: Mapping[str, str]
) -> list[FieldChange]:
    """How the row's complaint differs from the stored one's identity (blank cells never do,
    nor a value the case had before a correction: ``stored["earlier_identity"]``, ``{field:
    [earlier values]}``, dates as ISO text, as :func:`.store.bulk.load_existing` reads the
    history; the row is then an older copy of the same complaint, not another one)."""
    out = []
    earlier: Mapping[str, Sequence[str]] = stored.get("earlier_identity") or {}
    for name in IDENTITY_FIELDS:
        new, old = row.values.get(name), stored.get(name)
        if new in (None, "") or old in (None, ""):
            continue
        if name == "received":
            differs = _differs(old, new) and not any(
                isinstance(new, date) and new.isoformat() == was for was in earlier.get(name, ())
            )
        else:
            differs = _plain(old) != _plain(new) and all(
                _plain(was) != _plain(new) for was in earlier.get(name, ())
            )
        if differs:
            out.append(FieldChange(name, headers.get(name, name), old, new))
    return out


def _text(value: object) -> str | None:
    if value is None:
        return None
    return value.value if isinstance(value, Enum) else str(value)


def _rollback(changes: Sequence[FieldChange]) -> list[str]:
    """How these changes would move a case back: an earlier stage, a finished case reopened."""
    out = []
    for ch in changes:
        old, new = _text(ch.old), _text(ch.new)
        if old is None or new is None:
            continue
        if ch.field == "stage" and _STAGE_ORDER.get(new, 9) < _STAGE_ORDER.get(old, 0):
            out.append(f"{ch.column!r} back from {old} to {new}")
        elif ch.field == "status" and new == Status.OPEN.value and old != Status.OPEN.value:
            out.append(f"{ch.column!r} back from {old} to {new} (reopen it with complaints reopen)")
    return out


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


def _adds_signatories(stored: Sequence[Signatory], file: Sequence[Signatory]) -> bool:
    """Whether the file's signatories would change the petition's: a person it does not
    have, another date added, or another lead petitioner named. An import never removes a
    signatory (``store/case_rows.write_signatories``), so a cell listing fewer people than
    the log is no difference (the trial saw ``--update`` record the same change each run)."""
    from complaints_cli.domain.process import signatory_key

    have = {signatory_key(s.name, s.address): s for s in stored}
    for s in file:
        old = have.get(signatory_key(s.name, s.address))
        if old is None or old.added != s.added or (s.lead and not old.lead):
            return True
    return False


#: A stored case -> the value the log works out for each derived field (the Met columns,
#: ``derived.met_worked_out``), for the diff.
WorkedOut = Callable[[Mapping[str, Any]], Mapping[str, Any]]


def diff_case(
    row: ParsedRow,
    existing: Mapping[str, Any],
    fields: Iterable[str],
    headers: Mapping[str, str],
    worked_out: WorkedOut | None = None,
) -> list[FieldChange]:
    """What the file would change in a stored case: only the columns the sheet has
    (``headers``: each field's column header, for people). With ``worked_out``, a blank cell
    of a derived field (a Met column) is no difference from a log value equal to what the
    log works out from its dates: the file has nothing to say there (the log filled it)."""
    changes: list[FieldChange] = []
    derived: Mapping[str, Any] | None = None
    for name in fields:
        old, new = existing.get(name), row.values.get(name)
        if new is None and old is not None and worked_out is not None:
            if derived is None:
                derived = worked_out(existing)
            if name in derived and derived[name] == old:
                continue
        if name in PERSON_FIELDS and type(old) is str:
            # A name stored before log single-spaced it (``Ann<TAB>Lee``) reads from its
            # export as the import keeps a person cell: not a difference to write back.
            old = person_lines(old)
        if name == "signatories" and isinstance(old, tuple | list) and isinstance(new, tuple):
            if _adds_signatories(old, new):
                changes.append(FieldChange(name, headers.get(name, name), old, new))
            continue
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
    allow_rollback: bool = False,
    worked_out: WorkedOut | None = None,
) -> Plan:
    """Sort the file's rows into adds, clashes, updates (held back when they would move a
    case back), conflicts and unchanged. Pure (see the module notes); ``worked_out`` as
    :func:`diff_case` takes it."""
    plan = Plan()
    for row in rows:
        stored = existing.get(row.reference)
        if stored is None:
            plan.adds.append(row)
            continue
        different = _identity_differences(row, stored, headers)
        if different:
            plan.clashes.append(Clash(row, dict(stored), different))
            continue
        changes = diff_case(row, stored, fields, headers, worked_out)
        if not update:
            if changes:
                plan.conflicts.append(CaseUpdate(row, dict(stored), changes))
            else:
                plan.unchanged.append(row)
            continue
        kept: list[FieldChange] = []
        if not allow_rollback:
            kept = [ch for ch in changes if ch.new is None]
            changes = [ch for ch in changes if ch.new is not None]
        item = CaseUpdate(row, dict(stored), changes, kept)
        if not changes:
            plan.unchanged.append(row)
            if kept:
                plan.blanks.append(item)  # listed: the log's values kept
            continue
        item.rollback = [] if allow_rollback else _rollback(changes)
        (plan.held if item.rollback else plan.updates).append(item)
    return plan


def renumber_clashes(plan: Plan, references: Sequence[str]) -> Plan:
    """Each clash becomes a new case under the next of ``references`` (free, in order); rows
    of the file that name a renumbered case as their related case (or as the case they
    duplicate) follow it."""
    if len(references) < len(plan.clashes):
        raise ValueError("a new reference is needed for each clash")
    moved: dict[str, str] = {}
    for clash, new_reference in zip(plan.clashes, references, strict=False):
        row = clash.row
        moved[row.reference] = new_reference
        plan.renumbered.append((row.row, row.reference, new_reference))
        plan.adds.append(
            ParsedRow(
                row.row,
                new_reference,
                {**row.values, "reference": new_reference},
                row.extra,
                renumbered_from=row.reference,
            )
        )
    plan.clashes = []
    for row in plan.adds:
        for link in ("related_to", "duplicate_of"):  # a case named by its reference
            named = row.values.get(link)
            if isinstance(named, str) and named in moved:
                row.values[link] = moved[named]
    return plan


def describe_conflict(sheet: str, item: CaseUpdate) -> list[str]:
    """One line per differing column: ``SPRUCE003 (row 9) 'Status': log 'Open', file 'Closed'``."""
    out = []
    for ch in item.changes:
        out.append(
            f"{item.row.reference} (sheet {sheet!r}, row {item.row.row}) {ch.column!r}"
            + f": log has {_old(ch)}, file has {_new(ch)}"
        )
    for ch in item.kept:
        out.append(
            f"{item.row.reference} (sheet {sheet!r}, row {item.row.row}) {ch.column!r}: "
            f"the file's cell is blank; the log's {_old(ch)} is kept "
            "(--allow-rollback to blank it)"
        )
    return out


def describe_update(sheet: str, item: CaseUpdate) -> list[str]:
    """One line per column an update changes (or would): ``SPRUCE003 (row 9) 'Status':
    'Open' -> 'Closed'``, then the blank cells whose log values are kept, then (for an update
    held back) how it would move the case back."""
    where = f"{item.row.reference} (sheet {sheet!r}, row {item.row.row})"
    out = [f"{where} {ch.column!r}: {_old(ch)} -> {_new(ch)}" for ch in item.changes]
    out += [
        f"{where} {ch.column!r}: the file's cell is blank; the log's {_old(ch)} "
        "is kept (--allow-rollback to blank it)"
        for ch in item.kept
    ]
    if item.rollback:
        out.append(
            f"{where}: not updated, it would move the case back ({'; '.join(item.rollback)}): "
            "the file is older than the log? --allow-rollback applies it"
        )
    return out


def describe_clash(sheet: str, clash: Clash) -> list[str]:
    """Both versions side by side: the log's case and the file's row with its reference."""
    row, stored = clash.row, clash.existing
    lines = [
        f"{row.reference} (sheet {sheet!r}, row {row.row}) is another complaint than the "
        f"log's {row.reference}:"
    ]
    width = max(len(ch.column) for ch in clash.differences)
    for ch in clash.differences:
        lines.append(f"    {ch.column:<{width}}  log: {_old(ch)}   file: {_new(ch)}")
    lines.append(
        f"    {'(stands at)':<{width}}  log: {_stands(stored)}   file: {_stands(row.values)}"
    )
    return lines


def _stands(values: Mapping[str, Any]) -> str:
    """``Stage 2 Open``: where a case stands, for a clash's side-by-side lines."""
    return " ".join(str(_text(values.get(k)) or "?") for k in ("stage", "status"))


def _old(change: FieldChange) -> str:
    return _show_change(change.old, change.field)


def _new(change: FieldChange) -> str:
    return _show_change(change.new, change.field)


def _show_change(value: object, field: str = "") -> str:
    """A value as the log reads it: a date in UK order, Yes/No, an amount in pounds, text
    quoted."""
    if value is None:
        return "blank"
    if isinstance(value, Enum):
        value = value.value
    if isinstance(value, date):
        return format_uk(value)
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if field.endswith("_pence") and isinstance(value, int):
        return f"£{Decimal(value) / 100:,.2f}"
    if isinstance(value, Decimal):
        return f"£{value:,.2f}"
    if isinstance(value, tuple) and value and isinstance(value[0], Signatory):
        from complaints_cli.domain.presentation import format_signatories

        value = (format_signatories(value) or "").replace("\n", " / ")
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..." + text[-1]  # repr's own quote
