"""Exporting the log: the Spruce Complaints Log as a workbook (.xlsx) or CSV, safely.

What goes out
    The 24 columns exactly as the procedure heads them, in its order; then the tool's own
    (:data:`~complaints_cli.files.headers.EXTRA_COLUMNS`, then ``Created``/``Updated``); then the
    columns an import kept that the log does not know. Importing the export into an empty log
    gives back every value: the compound cells are written as
    :mod:`complaints_cli.domain.presentation` shows them and :mod:`complaints_cli.files.cells`
    reads them, except column 18, which holds the escalation details only (the review type
    has its own column, so the text reads back as written).

Why the workbook is written by hand
    The sheet XML is generated here rather than by openpyxl, for two reasons. Safety: every
    text cell is an inline string (``t="inlineStr"``), so no text from a user can ever become a
    formula, whatever it starts with (``=HYPERLINK(...)``, ``+44...``, ``@user``, ``#N/A``); there
    is no code path that writes ``<f>``. Speed: 100k cases take a fraction of the time openpyxl's
    write-only mode needs for the same rows (see BENCHMARKS.md). Characters XML cannot hold
    (control characters) are written with Excel's own ``_xHHHH_`` escape, which Excel, LibreOffice
    and the importer decode; a text longer than a cell's 32,767 characters is cut and reported.

Never half-overwritten
    The file is written to a temporary file in the target's folder, flushed to disk, checked
    (the zip's CRCs), then renamed over the target in one step. If the target is locked (open in
    Excel on Windows) the old file stays as it was and the new one is saved beside it under
    another name.
"""

from __future__ import annotations

import csv
import io
import zipfile
import zlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import IO, Final

from complaints_cli.domain.case import Action, Case, Signatory
from complaints_cli.domain.columns import COLUMNS, Column
from complaints_cli.domain.dates import format_uk
from complaints_cli.domain.deadlines import State, next_milestones
from complaints_cli.domain.presentation import (
    REVIEW_LABELS,
    cell_text,
    format_signatories,
    money,
)
from complaints_cli.domain.profiles import Profile
from complaints_cli.domain.text import csv_safe
from complaints_cli.domain.workdays import Calendar
from complaints_cli.errors import ComplaintsError
from complaints_cli.files.action_cells import format_actions
from complaints_cli.files.cells import (
    details_cell_text,
    extension_cell_text,
    money_cell_text,
)
from complaints_cli.files.headers import EXTRA_COLUMNS, TOOL_COLUMNS, ExtraColumn
from complaints_cli.files.safe_save import Saved, save_atomically
from complaints_cli.files.xlsx_writer import (
    MAX_CELL_TEXT,
    MAX_SHEET_ROWS,
    SHEET_NAME,
    Warnings,
    XlsxWriter,
    xml_text,
)

Progress = Callable[[int], None]


# --- the columns ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExportColumn:
    header: str
    #: ``text``, ``date``, ``datetime``, ``money`` or ``any`` (a kept column: as stored)
    kind: str
    width: float
    value: Callable[[Case], object]


def _log_value(column: Column) -> Callable[[Case], object]:
    first = column.fields[0]
    if column.kind == "date":
        return lambda case: getattr(case, first)
    if column.kind == "money":
        reasons = column.fields[1]
        return lambda case: _money_cell(getattr(case, first), getattr(case, reasons))
    if column.number == 18:
        return lambda case: details_cell_text(case.escalation_details, case.review_type)
    if column.kind == "yesno" and len(column.fields) == 3:
        # Columns 12 and 21: "Yes - reason (new date dd/mm/yyyy)", written so that any reason
        # reads back (see cells.extension_cell_text); with no Yes/No recorded the new date
        # alone has no cell of its own here, it is in "Stage N extended to".
        _, why, until = column.fields

        def extension(case: Case) -> object:
            extended = getattr(case, first)
            if extended is None:
                return None
            return extension_cell_text(bool(extended), getattr(case, why), getattr(case, until))

        return extension
    if column.kind in ("yesno",):
        return lambda case: cell_text(column, case) or None
    return lambda case: getattr(case, first)


#: The widest each kind of column may grow, in characters (the writer fits each column to its
#: content up to this; longer text wraps).
_WIDTHS: Final = {"date": 12.0, "datetime": 17.0, "money": 40.0, "signatories": 50.0}
_TEXT_WIDTH: Final = {
    "reference": 16.0,
    "status": 14.0,
    "stage": 14.0,
    "person": 30.0,
    "text": 50.0,
    "yesno": 40.0,
}


def _money_cell(amount: Decimal | None, reasons: str | None) -> object:
    """An amount alone is a number (it adds up in Excel); with reasons, the text the importer
    reads back exactly (``£1,250.00 (time and trouble)``, or the ``[reasons]`` form)."""
    if amount is not None and not reasons:
        return amount
    if amount is None:
        return reasons or None
    return money_cell_text(amount, reasons)


def _extra_value(extra: ExtraColumn) -> Callable[[Case], object]:
    name = extra.fields[0]
    if extra.kind == "review_type":
        return lambda case: REVIEW_LABELS.get(getattr(case, name) or "", getattr(case, name))
    if extra.kind == "yesno":
        return lambda case: _YES_NO.get(getattr(case, name))
    if extra.kind == "money":
        reasons = extra.fields[1]
        return lambda case: _money_cell(getattr(case, name), getattr(case, reasons))
    return lambda case: getattr(case, name)


_YES_NO: Final[dict[object, str]] = {True: "Yes", False: "No"}


def _stamp(name: str) -> Callable[[Case], object]:
    def value(case: Case) -> object:
        stamp = getattr(case, name)
        if isinstance(stamp, datetime) and stamp.tzinfo is not None:
            return stamp.replace(tzinfo=None)  # stored in UTC; Excel has no time zones
        return stamp

    return value


def _kept(key: str) -> Callable[[Case], object]:
    return lambda case: case.extra.get(key)


def export_columns(
    extra_keys: Sequence[str] = (),
    *,
    include_sensitive: bool = False,
    actions: Mapping[int, Sequence[Action]] | None = None,
    related: Mapping[int, str] | None = None,
    duplicates: Mapping[int, str] | None = None,
    signatories: Mapping[int, Sequence[Signatory]] | None = None,
) -> list[ExportColumn]:
    """The columns of an export, in order (see the module docstring). The vulnerability
    columns (:attr:`ExtraColumn.sensitive`) only with ``include_sensitive``; ``actions`` maps
    a case's id to its actions (written one a line in the ``Actions`` cell), ``related`` to
    the reference of its related case, ``duplicates`` to the reference of the case a void
    case duplicates, ``signatories`` to a petition's signatories, the lead petitioner first
    (one a line in the ``Petition signatories`` cell)."""
    cells = {case_id: format_actions(found) for case_id, found in (actions or {}).items()}
    signed = {case_id: format_signatories(s) for case_id, s in (signatories or {}).items()}
    linked: dict[str, Mapping[int, str | None]] = {
        "actions": cells,
        "related_to": related or {},
        "duplicate_of": duplicates or {},
        "signatories": signed,
    }
    out = [
        ExportColumn(
            c.header,
            c.kind if c.kind in ("date", "money") else "text",
            _WIDTHS.get(c.kind) or _TEXT_WIDTH.get(c.kind, 20.0),
            _log_value(c),
        )
        for c in COLUMNS
    ]
    out += [
        ExportColumn(
            e.header,
            e.kind if e.kind in ("date", "money") else "text",
            _WIDTHS.get(e.kind, 14.0),
            _linked(linked[e.fields[0]]) if e.fields[0] in linked else _extra_value(e),
        )
        for e in EXTRA_COLUMNS
        if include_sensitive or not e.sensitive
    ]
    out += [
        ExportColumn(name, "datetime", 17.0, _stamp(f"{name.lower()}_at")) for name in TOOL_COLUMNS
    ]
    out += [ExportColumn(key, "any", 20.0, _kept(key)) for key in extra_keys]
    return out


def _linked(by_case: Mapping[int, str | None]) -> Callable[[Case], object]:
    return lambda case: by_case.get(case.id or 0)


def overdue_check(profile: Profile, calendar: Calendar, today: date) -> Callable[[Case], bool]:
    """A test of whether an open case has a deadline that has passed (the team's profile)."""

    def overdue(case: Case) -> bool:
        if case.status.finished:
            return False  # nothing on a closed case is chased
        milestones = next_milestones(case, profile, calendar, as_of=today)
        return any(m.state is State.MISSED and m.kind == "deadline" for m in milestones)

    return overdue


def check_xlsx(path: Path) -> None:
    """The written file is a whole zip whose parts all pass their CRC check."""
    try:
        with zipfile.ZipFile(path) as z:
            bad = z.testzip()
    except (zipfile.BadZipFile, OSError, zlib.error, EOFError) as exc:
        raise ComplaintsError(f"the written workbook failed its check ({exc})") from None
    if bad is not None:
        raise ComplaintsError(f"the written workbook failed its check ({bad} is damaged)")


# --- CSV --------------------------------------------------------------------------------------


def csv_text(value: object) -> str:
    """A value as CSV text: dates dd/mm/yyyy, money in pounds, text that a spreadsheet would
    run as a formula or read as an error value (``#N/A``) prefixed with ``'`` (so Excel shows
    text; the mark is visible, which is the OWASP advice for CSV)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, date):
        return format_uk(value)
    if isinstance(value, Decimal):
        return money(value)
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | float):
        return repr(value)
    return csv_safe(str(value))


# --- the export -------------------------------------------------------------------------------


@dataclass
class ExportResult:
    saved: Saved
    rows: int
    overdue: int
    columns: int
    warnings: list[str]


def write_xlsx(
    stream: IO[bytes],
    cases: Iterable[Case],
    columns: Sequence[ExportColumn],
    *,
    overdue: Callable[[Case], bool] | None = None,
    progress: Progress | None = None,
    warnings: Warnings | None = None,
) -> tuple[int, int]:
    """Write the cases as a workbook; return ``(rows, overdue rows)``."""
    writer = XlsxWriter(stream, columns)
    getters = [c.value for c in columns]
    late = 0
    warn = warnings or Warnings()
    try:
        for n, case in enumerate(cases, start=1):
            is_late = bool(overdue and overdue(case))
            late += is_late
            values = [get(case) for get in getters]
            writer.add_row(values, overdue=is_late, label=case.reference, warnings=warn)
            if progress is not None and n % 1000 == 0:
                progress(1000)
        writer.close()
    except BaseException:
        writer.abort()
        raise
    return writer.rows - 1, late


def write_csv(
    stream: IO[bytes],
    cases: Iterable[Case],
    columns: Sequence[ExportColumn],
    *,
    progress: Progress | None = None,
) -> int:
    """Write the cases as CSV for Excel: UTF-8 with a BOM, CRLF line ends, formulas defused."""
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
    out = csv.writer(text, lineterminator="\r\n")
    out.writerow([csv_text(c.header) for c in columns])
    getters = [c.value for c in columns]
    rows = 0
    for rows, case in enumerate(cases, start=1):
        out.writerow([csv_text(get(case)) for get in getters])
        if progress is not None and rows % 1000 == 0:
            progress(1000)
    text.flush()
    text.detach()
    return rows


def export_log(
    cases: Iterable[Case],
    target: Path,
    *,
    fmt: str,
    force: bool,
    extra_keys: Sequence[str] = (),
    actions: Mapping[int, Sequence[Action]] | None = None,
    related: Mapping[int, str] | None = None,
    duplicates: Mapping[int, str] | None = None,
    signatories: Mapping[int, Sequence[Signatory]] | None = None,
    overdue: Callable[[Case], bool] | None = None,
    progress: Progress | None = None,
    include_sensitive: bool = False,
) -> ExportResult:
    """Export ``cases`` to ``target`` as ``xlsx`` or ``csv`` (``extra_keys``: the kept
    columns they hold; ``actions``, ``related``, ``duplicates`` and ``signatories`` by case
    id); the vulnerability columns only with ``include_sensitive``."""
    columns = export_columns(
        extra_keys,
        include_sensitive=include_sensitive,
        actions=actions,
        related=related,
        duplicates=duplicates,
        signatories=signatories,
    )
    warnings = Warnings()
    counts: dict[str, int] = {"rows": 0, "overdue": 0}

    def write(stream: IO[bytes]) -> None:
        if fmt == "csv":
            counts["rows"] = write_csv(stream, cases, columns, progress=progress)
        else:
            counts["rows"], counts["overdue"] = write_xlsx(
                stream, cases, columns, overdue=overdue, progress=progress, warnings=warnings
            )

    saved = save_atomically(target, write, force=force, check=check_xlsx if fmt == "xlsx" else None)
    return ExportResult(saved, counts["rows"], counts["overdue"], len(columns), warnings.lines())


__all__ = [
    "MAX_CELL_TEXT",
    "MAX_SHEET_ROWS",
    "SHEET_NAME",
    "ExportColumn",
    "ExportResult",
    "Saved",
    "Warnings",
    "XlsxWriter",
    "csv_text",
    "export_columns",
    "export_log",
    "save_atomically",
    "write_csv",
    "write_xlsx",
    "xml_text",
]
