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

import contextlib
import csv
import io
import zipfile
import zlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import IO, Final

from complaints_cli.domain.case import Action, Case
from complaints_cli.domain.columns import COLUMNS, Column
from complaints_cli.domain.dates import format_uk
from complaints_cli.domain.deadlines import State, next_milestones
from complaints_cli.domain.presentation import REVIEW_LABELS, cell_text, money
from complaints_cli.domain.profiles import Profile
from complaints_cli.domain.text import csv_safe, xml_safe
from complaints_cli.domain.workdays import Calendar
from complaints_cli.errors import ComplaintsError
from complaints_cli.files.action_cells import format_actions
from complaints_cli.files.headers import EXTRA_COLUMNS, TOOL_COLUMNS, ExtraColumn, column_letter
from complaints_cli.files.safe_save import Saved, save_atomically

#: The most characters an Excel cell holds.
MAX_CELL_TEXT: Final = 32_767
#: Excel's last row.
MAX_SHEET_ROWS: Final = 1_048_576
SHEET_NAME: Final = "Complaints Log"

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

        def compensation(case: Case) -> object:
            amount, reasons = case.compensation_amount, case.compensation_reasons
            if amount is not None and not reasons:
                return amount  # a number, formatted as pounds: it adds up in Excel
            return cell_text(column, case) or None

        return compensation
    if column.number == 18:
        return lambda case: case.escalation_details
    if column.kind == "yesno" and len(column.fields) == 3:
        # Columns 12 and 21: "Yes - reason (new date dd/mm/yyyy)"; with no Yes/No recorded the
        # new date alone has no cell of its own here, it is in "Stage N extended to".
        return lambda case: cell_text(column, case) if getattr(case, first) is not None else None
    if column.kind in ("yesno",):
        return lambda case: cell_text(column, case) or None
    return lambda case: getattr(case, first)


_WIDTHS: Final = {"date": 12.0, "datetime": 17.0, "money": 16.0}
_TEXT_WIDTH: Final = {
    "reference": 14.0,
    "status": 9.0,
    "stage": 10.0,
    "person": 22.0,
    "text": 40.0,
    "yesno": 24.0,
}


def _money_cell(amount: Decimal | None, reasons: str | None) -> object:
    """An amount alone is a number (it adds up in Excel); with reasons, the text the importer
    reads back (``£1,250.00 (time and trouble)``)."""
    if amount is not None and not reasons:
        return amount
    if amount is None:
        return reasons or None
    return f"{money(amount)} ({reasons})"


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
) -> list[ExportColumn]:
    """The columns of an export, in order (see the module docstring). The vulnerability
    columns (:attr:`ExtraColumn.sensitive`) only with ``include_sensitive``; ``actions`` maps
    a case's id to its actions (written one a line in the ``Actions`` cell), ``related`` to
    the reference of its related case."""
    cells = {case_id: format_actions(found) for case_id, found in (actions or {}).items()}
    linked: dict[str, Mapping[int, str | None]] = {"actions": cells, "reference": related or {}}
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


# --- cell text --------------------------------------------------------------------------------


def xml_text(text: str) -> str:
    """Text for an XML element: :func:`complaints_cli.domain.text.xml_safe` (Excel's
    ``_xHHHH_`` for what XML cannot hold), then the markup characters escaped."""
    return xml_safe(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _attr(text: str) -> str:
    return xml_text(text).replace('"', "&quot;")


@dataclass
class Warnings:
    """What the export had to change, said at the end rather than silently."""

    cut: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        if not self.cut:
            return []
        shown = ", ".join(self.cut[:10]) + (" ..." if len(self.cut) > 10 else "")
        return [
            f"{len(self.cut)} cell(s) longer than Excel's {MAX_CELL_TEXT:,} characters were cut "
            f"in the workbook (the log keeps the whole text): {shown}"
        ]


def _fit(text: str, where: str, warnings: Warnings) -> str:
    if len(text) <= MAX_CELL_TEXT:
        return text
    warnings.cut.append(where)
    marker = " [...cut: the whole text is in the log]"
    return text[: MAX_CELL_TEXT - len(marker)] + marker


# --- the xlsx writer --------------------------------------------------------------------------

_EXCEL_EPOCH: Final = date(1899, 12, 30)
_EPOCH_ORDINAL: Final = _EXCEL_EPOCH.toordinal()

# cellXfs: 0 default, 1 header, 2 date, 3 date-time, 4 money; +4 for the overdue fill (5-8).
_STYLE = {"text": 0, "any": 0, "date": 2, "datetime": 3, "money": 4}
_OVERDUE = 4


def _xf(fmt: int, *, font: int = 0, fill: int = 0, border: int = 0, extra: str = "") -> str:
    applied = (
        (' applyNumberFormat="1"' if fmt else "")
        + (' applyFont="1"' if font else "")
        + (' applyFill="1"' if fill else "")
        + (' applyBorder="1"' if border else "")
    )
    tag = f'<xf numFmtId="{fmt}" fontId="{font}" fillId="{fill}" borderId="{border}" xfId="0"'
    return f"{tag}{applied}>{extra}</xf>" if extra else f"{tag}{applied}/>"


def _solid(rgb: str) -> str:
    return (
        f'<fill><patternFill patternType="solid"><fgColor rgb="{rgb}"/>'
        '<bgColor indexed="64"/></patternFill></fill>'
    )


_FONT = '<sz val="11"/><name val="Calibri"/><family val="2"/>'
_HEADER_FILL = "FFD9E1F2"  # light blue-grey
_OVERDUE_FILL = "FFFFC7CE"  # Excel's own "light red fill" for bad values
_DATE, _DATETIME, _POUNDS = 164, 165, 166
_XFS = (
    _xf(0),
    _xf(
        0,
        font=1,
        fill=2,
        border=1,
        extra='<alignment vertical="top" wrapText="1"/>',
    ).replace("<xf ", '<xf applyAlignment="1" ', 1),
    _xf(_DATE),
    _xf(_DATETIME),
    _xf(_POUNDS),
    _xf(0, fill=3),
    _xf(_DATE, fill=3),
    _xf(_DATETIME, fill=3),
    _xf(_POUNDS, fill=3),
)
_STYLES_XML = "".join(
    (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n',
        '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">',
        '<numFmts count="3">',
        f'<numFmt numFmtId="{_DATE}" formatCode="dd\\/mm\\/yyyy"/>',
        f'<numFmt numFmtId="{_DATETIME}" formatCode="dd\\/mm\\/yyyy\\ hh:mm"/>',
        f'<numFmt numFmtId="{_POUNDS}" formatCode="&quot;£&quot;#,##0.00"/>',
        "</numFmts>",
        f'<fonts count="2"><font>{_FONT}</font><font><b/>{_FONT}</font></fonts>',
        '<fills count="4"><fill><patternFill patternType="none"/></fill>',
        '<fill><patternFill patternType="gray125"/></fill>',
        _solid(_HEADER_FILL),
        _solid(_OVERDUE_FILL),
        "</fills>",
        '<borders count="2"><border><left/><right/><top/><bottom/><diagonal/></border>',
        '<border><left/><right/><top/><bottom style="thin"><color auto="1"/></bottom>',
        "<diagonal/></border></borders>",
        '<cellStyleXfs count="1">',
        '<xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>',
        f'<cellXfs count="{len(_XFS)}">',
        *_XFS,
        "</cellXfs>",
        '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>',
        "</styleSheet>",
    )
)

_CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
<Default Extension="xml" ContentType="application/xml"/>\
<Override PartName="/xl/workbook.xml" \
ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>\
<Override PartName="/xl/worksheets/sheet1.xml" \
ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>\
<Override PartName="/xl/styles.xml" \
ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>\
<Override PartName="/docProps/core.xml" \
ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>\
<Override PartName="/docProps/app.xml" \
ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>\
</Types>"""

_ROOT_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
<Relationship Id="rId1" \
Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" \
Target="xl/workbook.xml"/>\
<Relationship Id="rId2" \
Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" \
Target="docProps/core.xml"/>\
<Relationship Id="rId3" \
Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" \
Target="docProps/app.xml"/>\
</Relationships>"""

_BOOK_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
<Relationship Id="rId1" \
Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" \
Target="worksheets/sheet1.xml"/>\
<Relationship Id="rId2" \
Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" \
Target="styles.xml"/>\
</Relationships>"""

_APP = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">\
<Application>complaints</Application></Properties>"""


def _core(now: datetime) -> str:
    stamp = now.strftime("%Y-%m-%dT%H:%M:%SZ")
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/'
        'metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        "<dc:title>Spruce Complaints Log</dc:title><dc:creator>complaints</dc:creator>"
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified>'
        "</cp:coreProperties>"
    )


def _workbook(sheet: str, last_col: str, last_row: int) -> str:
    name = _attr(sheet)
    quoted = sheet.replace("'", "''")
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<workbookPr date1904="false"/>'
        '<bookViews><workbookView activeTab="0"/></bookViews>'
        f'<sheets><sheet name="{name}" sheetId="1" r:id="rId1"/></sheets>'
        '<definedNames><definedName name="_xlnm._FilterDatabase" localSheetId="0" hidden="1">'
        f"'{xml_text(quoted)}'!$A$1:${last_col}${last_row}</definedName></definedNames>"
        "</workbook>"
    )


class XlsxWriter:
    """One sheet, streamed row by row into a zip: text as inline strings, never a formula."""

    def __init__(
        self,
        stream: IO[bytes],
        columns: Sequence[ExportColumn],
        *,
        sheet: str = SHEET_NAME,
        compresslevel: int = 1,
    ) -> None:
        self._zip = zipfile.ZipFile(
            stream, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=compresslevel
        )
        self._sheet = self._zip.open("xl/worksheets/sheet1.xml", "w", force_zip64=True)
        self.columns = list(columns)
        self.sheet_name = sheet
        self.letters = [column_letter(i) for i in range(len(self.columns))]
        self.rows = 0
        self._buffer: list[str] = []
        cols = "".join(
            f'<col min="{i}" max="{i}" width="{c.width:g}" customWidth="1"/>'
            for i, c in enumerate(self.columns, start=1)
        )
        self._write(
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            '<sheetViews><sheetView workbookViewId="0">'
            '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
            '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/>'
            "</sheetView></sheetViews>"
            '<sheetFormatPr defaultRowHeight="15"/>'
            f"<cols>{cols}</cols><sheetData>"
        )
        self.add_row([c.header for c in self.columns], style=1, height=30)

    def _write(self, text: str) -> None:
        self._sheet.write(text.encode("utf-8"))

    def add_row(
        self,
        values: Sequence[object],
        *,
        style: int | None = None,
        overdue: bool = False,
        height: float | None = None,
        label: str = "",
        warnings: Warnings | None = None,
    ) -> None:
        """Append one row; ``values`` line up with the columns (``None`` leaves a cell empty)."""
        if self.rows >= MAX_SHEET_ROWS:
            raise ComplaintsError(f"more than {MAX_SHEET_ROWS:,} rows: too many for one sheet")
        self.rows += 1
        n = self.rows
        extra = f' ht="{height:g}" customHeight="1"' if height else ""
        parts = [f'<row r="{n}"{extra}>']
        shift = _OVERDUE if overdue else 0
        for i, value in enumerate(values):
            if value is None or value == "":
                if overdue:
                    parts.append(f'<c r="{self.letters[i]}{n}" s="{_OVERDUE + 1}"/>')
                continue
            ref = f"{self.letters[i]}{n}"
            if isinstance(value, str) and len(value) > MAX_CELL_TEXT:
                header = self.columns[i].header if i < len(self.columns) else ""
                value = _fit(value, f"{label or ref} {header!r}", warnings or Warnings())
            if style is not None:
                s = style
            else:
                kind = self.columns[i].kind if i < len(self.columns) else "any"
                s = _STYLE.get(kind, 0)
                s = s + shift if s else (_OVERDUE + 1 if overdue else 0)
            parts.append(self._cell(ref, value, s))
        parts.append("</row>")
        self._buffer.append("".join(parts))
        if len(self._buffer) >= 500:
            self.flush()

    def _cell(self, ref: str, value: object, s: int) -> str:
        style = f' s="{s}"' if s else ""
        if isinstance(value, str):
            return (
                f'<c r="{ref}"{style} t="inlineStr"><is><t xml:space="preserve">'
                f"{xml_text(value)}</t></is></c>"
            )
        if isinstance(value, bool):
            return f'<c r="{ref}"{style} t="b"><v>{int(value)}</v></c>'
        if isinstance(value, datetime):
            serial = value.toordinal() - _EPOCH_ORDINAL
            fraction = (value.hour * 3600 + value.minute * 60 + value.second) / 86400
            return f'<c r="{ref}"{style}><v>{serial + fraction!r}</v></c>'
        if isinstance(value, date):
            return f'<c r="{ref}"{style}><v>{value.toordinal() - _EPOCH_ORDINAL}</v></c>'
        if isinstance(value, Decimal):
            return f'<c r="{ref}"{style}><v>{value}</v></c>'
        if isinstance(value, int | float):
            return f'<c r="{ref}"{style}><v>{value!r}</v></c>'
        return self._cell(ref, str(value), s)

    def abort(self) -> None:
        """Let go of the half-written file after a failure (the caller deletes it)."""
        with contextlib.suppress(Exception):
            self._sheet.close()
        with contextlib.suppress(Exception):
            self._zip.close()

    def flush(self) -> None:
        if self._buffer:
            self._write("".join(self._buffer))
            self._buffer.clear()

    def close(self) -> None:
        """Finish the sheet and the workbook parts that depend on its size."""
        self.flush()
        last_col = self.letters[-1] if self.letters else "A"
        self._write(
            f'</sheetData><autoFilter ref="A1:{last_col}{max(self.rows, 1)}"/>'
            '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" '
            'footer="0.3"/></worksheet>'
        )
        self._sheet.close()
        z = self._zip
        z.writestr("[Content_Types].xml", _CONTENT_TYPES)
        z.writestr("_rels/.rels", _ROOT_RELS)
        z.writestr("docProps/app.xml", _APP)
        z.writestr("docProps/core.xml", _core(datetime.now(UTC)))
        z.writestr("xl/workbook.xml", _workbook(self.sheet_name, last_col, max(self.rows, 1)))
        z.writestr("xl/_rels/workbook.xml.rels", _BOOK_RELS)
        z.writestr("xl/styles.xml", _STYLES_XML)
        z.close()


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
    overdue: Callable[[Case], bool] | None = None,
    progress: Progress | None = None,
    include_sensitive: bool = False,
) -> ExportResult:
    """Export ``cases`` to ``target`` as ``xlsx`` or ``csv`` (``extra_keys``: the kept
    columns they hold; ``actions`` and ``related`` by case id); the vulnerability columns
    only with ``include_sensitive``."""
    columns = export_columns(
        extra_keys, include_sensitive=include_sensitive, actions=actions, related=related
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
    "ExportColumn",
    "ExportResult",
    "Saved",
    "XlsxWriter",
    "csv_text",
    "export_columns",
    "export_log",
    "save_atomically",
    "write_csv",
    "write_xlsx",
    "xml_text",
]
