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
import os
import re
import tempfile
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import IO, Any, Final

from complaints_cli.domain.columns import COLUMNS, Column
from complaints_cli.domain.dates import format_uk
from complaints_cli.domain.presentation import REVIEW_LABELS, cell_text, money
from complaints_cli.errors import ComplaintsError
from complaints_cli.files.cells import (
    details_cell_text,
    extension_cell_text,
    money_cell_text,
)
from complaints_cli.files.headers import EXTRA_COLUMNS, TOOL_COLUMNS, ExtraColumn
from complaints_cli.files.xlsx_writer import (
    MAX_CELL_TEXT,
    MAX_SHEET_ROWS,
    SHEET_NAME,
    Warnings,
    XlsxWriter,
    xml_text,
)

Progress = Callable[[int], None]
#: A case as :func:`complaints_cli.store.reads.case_record` gives it.
Case = dict[str, Any]


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
        return lambda case: case.get(first)
    if column.kind == "money":
        reasons = column.fields[1]
        return lambda case: _money_cell(case.get(first), case.get(reasons))
    if column.number == 18:
        return lambda case: details_cell_text(
            case.get("escalation_details"), case.get("review_type")
        )
    if column.kind == "yesno" and len(column.fields) == 3:
        # Columns 12 and 21: "Yes - reason (new date dd/mm/yyyy)", or the bracketed form when
        # that would not read back (see cells.extension_cell_text); with no Yes/No recorded
        # the new date alone has no cell of its own here, it is in "Stage N extended to".
        _, why, until = column.fields

        def extension(case: Case) -> object:
            extended = case.get(first)
            if extended is None:
                return None
            return extension_cell_text(bool(extended), case.get(why), case.get(until))

        return extension
    if column.kind in ("yesno",):
        return lambda case: cell_text(column, case) or None
    return lambda case: case.get(first)


#: The widest each kind of column may grow, in characters (the writer fits each column to its
#: content up to this; longer text wraps).
_WIDTHS: Final = {"date": 12.0, "datetime": 17.0, "money": 40.0}
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
        return lambda case: REVIEW_LABELS.get(case.get(name) or "", case.get(name))
    if extra.kind == "yesno":
        return lambda case: _YES_NO.get(case.get(name))
    if extra.kind == "money":
        reasons = extra.fields[1]
        return lambda case: _money_cell(case.get(name), case.get(reasons))
    return lambda case: case.get(name)


_YES_NO: Final[dict[object, str]] = {True: "Yes", False: "No"}


def _stamp(name: str) -> Callable[[Case], object]:
    def value(case: Case) -> object:
        stamp = case.get(name)
        if isinstance(stamp, datetime) and stamp.tzinfo is not None:
            return stamp.replace(tzinfo=None)  # stored in UTC; Excel has no time zones
        return stamp

    return value


def _kept(key: str) -> Callable[[Case], object]:
    return lambda case: case["extra"].get(key)


def export_columns(
    extra_keys: Sequence[str] = (),
    *,
    include_sensitive: bool = False,
    actions: Mapping[int, str] | None = None,
    related: Mapping[int, str] | None = None,
) -> list[ExportColumn]:
    """The columns of an export, in order (see the module docstring). The vulnerability
    columns (:attr:`ExtraColumn.sensitive`) only with ``include_sensitive``; ``actions`` maps
    a case's id to its ``Actions`` cell (:func:`action_cells`), ``related`` to the reference
    of its related case (:func:`related_references`)."""
    linked: dict[str, Mapping[int, str]] = {"actions": actions or {}, "reference": related or {}}
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
            _linked(linked[e.kind]) if e.kind in linked else _extra_value(e),
        )
        for e in EXTRA_COLUMNS
        if include_sensitive or not e.sensitive
    ]
    out += [
        ExportColumn(name, "datetime", 17.0, _stamp(f"{name.lower()}_at")) for name in TOOL_COLUMNS
    ]
    out += [ExportColumn(key, "any", 20.0, _kept(key)) for key in extra_keys]
    return out


# --- reading the cases ------------------------------------------------------------------------


def extra_keys(db: Any, where: str = "", params: Mapping[str, Any] | None = None) -> list[str]:
    """Every kept unknown column among the cases, in the order they were first seen."""
    import json

    keys: dict[str, None] = {}
    sql = "SELECT extra FROM complaint WHERE extra IS NOT NULL"
    if where:
        sql += " AND " + where
    for (text,) in db.execute(sql + " ORDER BY id", params or {}).fetchall():
        loaded = json.loads(text) if text else {}
        if isinstance(loaded, dict):
            keys.update(dict.fromkeys(loaded))
    return list(keys)


def _linked(by_case: Mapping[int, str]) -> Callable[[Case], object]:
    return lambda case: by_case.get(case["id"])


def related_references(db: Any) -> dict[int, str]:
    """Each case's related case (``related_to_id``) as its reference, by case id."""
    rows = db.execute(
        "SELECT c.id, r.reference FROM complaint c JOIN complaint r ON r.id = c.related_to_id"
    ).fetchall()
    return {int(case_id): str(reference) for case_id, reference in rows}


def action_cells(db: Any) -> dict[int, str]:
    """Each case's ``Actions`` cell, by case id: one query for the whole export."""
    from itertools import groupby

    from complaints_cli.files.action_cells import action_from_row, format_actions

    rows = db.rows(
        "SELECT complaint_id, number, stage, kind, text, owner, due, done FROM action "
        "ORDER BY complaint_id, number"
    )
    out: dict[int, str] = {}
    for complaint_id, group in groupby(rows, key=lambda r: r["complaint_id"]):
        text = format_actions(action_from_row(r) for r in group)
        if text:
            out[complaint_id] = text
    return out


def filters(status: str | None, stage: str | None) -> tuple[str, dict[str, Any]]:
    """SQL condition and parameters for ``--status`` / ``--stage`` (case-insensitive)."""
    where: list[str] = []
    params: dict[str, Any] = {}
    if status:
        where.append("LOWER(status) = LOWER(:status)")
        params["status"] = status
    if stage:
        where.append("LOWER(stage) = LOWER(:stage)")
        params["stage"] = stage
    return " AND ".join(where), params


def iter_cases(db: Any, where: str, params: Mapping[str, Any]) -> Iterator[dict[str, Any]]:
    """The cases in log order as :func:`complaints_cli.store.reads.case_record` dicts, streamed."""
    from complaints_cli.store.reads import case_record

    sql = "SELECT * FROM complaint" + (f" WHERE {where}" if where else "") + " ORDER BY id"
    for row in db.iter_rows(sql, params):
        yield case_record(row)


def overdue_check(settings: Any, today: date) -> Callable[[Case], bool]:
    """A test of whether an open case has a deadline that has passed (the team's profile)."""
    from complaints_cli.domain.deadlines import State, next_milestones
    from complaints_cli.domain.timeframes import calendar_for, profile_for

    calendar = calendar_for(settings)
    profile = profile_for(settings)

    def overdue(case: Case) -> bool:
        if str(case.get("status") or "").strip().lower().startswith("closed"):
            return False  # nothing on a closed case is chased
        dates = dict(case)
        dates["stage2_review"] = REVIEW_LABELS.get(case.get("review_type") or "")
        try:
            milestones = next_milestones(dates, profile, calendar, as_of=today)
        except ComplaintsError:
            return False
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

#: A spreadsheet runs a cell starting with one of these as a formula (OWASP CSV injection).
_FORMULA_START: Final = ("=", "+", "-", "@", "\t", "\r", "\n", "|", "%")
#: Text Excel would read from a CSV as an error value rather than as text.
_ERROR_LITERAL: Final = re.compile(
    r"#(?:N/A|VALUE!|REF!|DIV/0!|NUM!|NAME\?|NULL!|SPILL!|CALC!|GETTING_DATA)", re.I
)


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
    text = str(value)
    if text.startswith(_FORMULA_START) or _ERROR_LITERAL.fullmatch(text.strip()):
        return "'" + text
    return text


# --- saving safely ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Saved:
    path: Path  #: where the export is
    locked: bool  #: the target was locked, so ``path`` is another name beside it


def _free_name(target: Path) -> Path:
    for n in range(2, 1000):
        candidate = target.with_name(f"{target.stem} ({n}){target.suffix}")
        if not candidate.exists():
            return candidate
    raise ComplaintsError(f"cannot find a free name beside {str(target)!r}")


def _place(tmp: Path, target: Path) -> None:
    """Move ``tmp`` to ``target`` without replacing anything already there."""
    try:
        os.link(tmp, target)
    except OSError:
        if target.exists():
            raise FileExistsError(str(target)) from None
        os.replace(tmp, target)
    else:
        tmp.unlink()


def save_atomically(
    target: Path,
    write: Callable[[IO[bytes]], None],
    *,
    force: bool,
    check: Callable[[Path], None] | None = None,
) -> Saved:
    """Write a file so that ``target`` is never half-written.

    ``write`` fills a temporary file in the target's folder; ``check`` may inspect it; then it
    replaces ``target`` in one rename. An existing target is refused unless ``force``. When the
    rename is refused because the target is open elsewhere (``PermissionError``: Excel on
    Windows), the old file is left as it was and the new one is saved as ``NAME (2).xlsx``.
    """
    target = Path(target)
    if target.is_dir():
        raise ComplaintsError(f"{str(target)!r} is a folder: give a file name")
    if not target.parent.is_dir():
        raise ComplaintsError(f"the folder {str(target.parent)!r} does not exist")
    existed = target.exists()
    if existed and not force:
        raise ComplaintsError(f"{str(target)!r} already exists: use --force to replace it")
    try:
        fd, name = tempfile.mkstemp(dir=target.parent, prefix=f".~{target.stem}.", suffix=".tmp")
    except OSError as exc:
        raise ComplaintsError(
            f"cannot write in {str(target.parent)!r}: {exc.strerror or exc}"
        ) from None
    tmp = Path(name)
    try:
        with os.fdopen(fd, "wb") as fh:
            write(fh)
            fh.flush()
            os.fsync(fh.fileno())
        if check is not None:
            check(tmp)
        mode = target.stat().st_mode & 0o777 if existed else 0o666 & ~current_umask()
        os.chmod(tmp, mode)
        try:
            os.replace(tmp, target)
            return Saved(target, locked=False)
        except PermissionError:
            for _ in range(5):
                other = _free_name(target)
                try:
                    _place(tmp, other)
                    return Saved(other, locked=True)
                except FileExistsError:
                    continue
            raise
    except OSError as exc:
        raise ComplaintsError(
            f"cannot write {str(target)!r}: {exc.strerror or exc}; "
            + ("the existing file is unchanged" if existed else "nothing was written")
        ) from None
    finally:
        if tmp.exists():
            tmp.unlink()


def current_umask() -> int:
    """The process's umask (read by setting and restoring it): a new file gets the usual
    permissions, not the temporary file's private 0600."""
    mask = os.umask(0)
    os.umask(mask)
    return mask


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
    from complaints_cli.store.writes import utcnow

    writer = XlsxWriter(stream, columns)
    getters = [c.value for c in columns]
    late = 0
    warn = warnings or Warnings()
    try:
        for n, case in enumerate(cases, start=1):
            is_late = bool(overdue and overdue(case))
            late += is_late
            values = [get(case) for get in getters]
            writer.add_row(values, overdue=is_late, label=str(case.get("reference")), warnings=warn)
            if progress is not None and n % 1000 == 0:
                progress(1000)
        writer.close(utcnow())  # the store's clock stamps the document, as its history
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
    db: Any,
    target: Path,
    *,
    fmt: str,
    force: bool,
    status: str | None = None,
    stage: str | None = None,
    overdue: Callable[[Case], bool] | None = None,
    progress: Progress | None = None,
    include_sensitive: bool = False,
) -> ExportResult:
    """Export the (filtered) log to ``target`` as ``xlsx`` or ``csv``; the vulnerability
    columns only with ``include_sensitive``."""
    where, params = filters(status, stage)
    columns = export_columns(
        extra_keys(db, where, params),
        include_sensitive=include_sensitive,
        actions=action_cells(db),
        related=related_references(db),
    )
    warnings = Warnings()
    counts: dict[str, int] = {"rows": 0, "overdue": 0}

    def write(stream: IO[bytes]) -> None:
        cases = iter_cases(db, where, params)
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
