"""A report as an Excel workbook (openpyxl): a summary, the trend with charts, a sheet per figure.

Every number on the summary links to the sheet listing the cases it was counted from, so each
can be checked case by case. User text (references, reasons, learning) is always written as a
string cell, never as a formula. The file is written beside the target and moved into place by
:func:`complaints_cli.files.safe_save.save_atomically` (the one safe save: refuse to
replace without ``force``, never half-written, a copy under another name when the target is
open in Excel). Importing this module costs openpyxl: only ``--output`` does.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.worksheet import Worksheet

from complaints_cli.domain.text import xml_safe
from complaints_cli.files.exporter import check_xlsx
from complaints_cli.files.safe_save import Saved, save_atomically
from complaints_cli.reports.figures import Figure, Report
from complaints_cli.reports.output import CASE_HEADERS, TREND_HEADERS, header_lines

BOLD = Font(bold=True)
TITLE = Font(bold=True, size=14)
HEAD_FILL = PatternFill("solid", fgColor="DDEBF7")
WRAP = Alignment(wrap_text=True, vertical="top")
DATE = "DD/MM/YYYY"
POUNDS = '"£"#,##0.00'
PERCENT = "0.0"

SUMMARY_HEADERS = (
    "Section",
    "Figure",
    "Value",
    "Number",
    "Numerator",
    "Denominator",
    "Note",
    "Cases",
)


def put(ws: Worksheet, row: int, col: int, value: Any, fmt: str | None = None) -> Any:
    """Write one cell; text is always a string cell, so ``=HYPERLINK(...)`` stays text."""
    cell = ws.cell(row=row, column=col)
    if isinstance(value, str):
        cell.value = xml_safe(value)  # a control character stored in a case: _xHHHH_
        cell.data_type = "s"
    else:
        cell.value = value
    if fmt is not None:
        cell.number_format = fmt
    return cell


def _heading(ws: Worksheet, row: int, headers: tuple[str, ...] | list[str]) -> None:
    for i, text in enumerate(headers, start=1):
        cell = put(ws, row, i, text)
        cell.font = BOLD
        cell.fill = HEAD_FILL


def _widths(ws: Worksheet, widths: Sequence[float]) -> None:
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width


def _summary(ws: Worksheet, report: Report, sheets: dict[str, str]) -> None:
    head = header_lines(report)
    put(ws, 1, 1, head[0]).font = TITLE
    for i, line in enumerate(head[1:], start=2):
        put(ws, i, 1, line)
    row = len(head) + 2
    _heading(ws, row, SUMMARY_HEADERS)
    ws.freeze_panes = ws.cell(row=row + 1, column=1)
    for f in report.figures:
        row += 1
        put(ws, row, 1, f.section)
        put(ws, row, 2, f.label)
        put(ws, row, 3, f.text)
        value = f.value
        fmt = POUNDS if f.kind == "money" else PERCENT if f.kind == "share" else None
        if value is not None:
            put(ws, row, 4, float(value) if f.kind == "money" else value, fmt)
        if f.kind in ("share", "rate"):
            put(ws, row, 5, f.count)
            put(ws, row, 6, f.of)
        put(ws, row, 7, f.note or None)
        sheet = sheets.get(f.key)
        if sheet is not None:
            link = put(ws, row, 8, f"{len(f.cases)} case(s): sheet {sheet}")
            link.hyperlink = Hyperlink(ref=link.coordinate, location=f"'{sheet}'!A1")
            link.font = Font(color="0563C1", underline="single")
    row += 2
    for note in report.notes:
        put(ws, row, 1, note)
        row += 1
    _widths(ws, [24, 58, 30, 10, 11, 13, 50, 34])


def _trend(ws: Worksheet, report: Report) -> None:
    keys = [k for k in TREND_HEADERS if any(k in r for r in report.trend)]
    _heading(ws, 1, [TREND_HEADERS[k] + (" (%)" if k.endswith("on_time") else "") for k in keys])
    for r, item in enumerate(report.trend, start=2):
        for c, key in enumerate(keys, start=1):
            value = item.get(key)
            if isinstance(value, dict):
                put(ws, r, c, value["percent"], PERCENT)
            elif key == "compensation_total" and value is not None:
                put(ws, r, c, float(value), POUNDS)
            else:
                put(ws, r, c, value)
    ws.freeze_panes = "B2"
    _widths(ws, [16] + [14] * (len(keys) - 1))
    last = len(report.trend) + 1

    def chart(chart: BarChart | LineChart, title: str, axis: str, series: tuple[str, ...]) -> Any:
        """One chart of ``series`` (trend columns) by month, placed below the last one."""
        chart.title, chart.y_axis.title = title, axis
        for key in series:
            col = keys.index(key) + 1
            ref = Reference(ws, min_col=col, min_row=1, max_row=last)
            chart.add_data(ref, titles_from_data=True)
        chart.set_categories(Reference(ws, min_col=1, min_row=2, max_row=last))
        chart.height, chart.width = 8, 22
        ws.add_chart(chart, f"A{last + 3 + 17 * len(ws._charts)}")
        return chart

    chart(BarChart(), "Complaints each month", "cases", ("received", "escalated", "closed"))
    shares = chart(
        LineChart(), "On time (%)", "%", ("ack_on_time", "stage1_on_time", "stage2_on_time")
    )
    shares.y_axis.scaling.min, shares.y_axis.scaling.max = 0, 100


def _cases(ws: Worksheet, f: Figure) -> None:
    put(ws, 1, 1, f"{f.label}: {f.text}").font = BOLD
    if f.note:
        put(ws, 2, 1, f.note)
    keys = list(CASE_HEADERS)
    _heading(ws, 3, [CASE_HEADERS[k] for k in keys])
    ws.freeze_panes = "B4"
    if not f.cases:
        put(ws, 4, 1, "No cases.")
    for r, line in enumerate(f.cases, start=4):
        values = line.fields()
        for c, key in enumerate(keys, start=1):
            value = values[key]
            if value is None:
                continue
            if key == "counted":
                put(ws, r, c, "yes" if value else "no")
            elif key == "amount":
                put(ws, r, c, float(value), POUNDS)
            elif key in ("received", "date", "deadline"):
                put(ws, r, c, value, DATE)
            else:
                put(ws, r, c, value)
        for c in (keys.index("why") + 1, keys.index("text") + 1):
            ws.cell(row=r, column=c).alignment = WRAP
    _widths(ws, [14, 12, 26, 12, 12, 9, 20, 60, 11, 50, 30])


def build(report: Report) -> Workbook:
    """The workbook for ``report`` (not yet saved)."""
    wb = Workbook()
    summary = wb.active
    assert summary is not None
    summary.title = "Summary"
    sheets: dict[str, str] = {}
    if report.trend:
        _trend(wb.create_sheet("Trend"), report)
    for f in report.figures:
        if f.kind == "text":
            continue
        ws = wb.create_sheet(f.sheet[:31])
        sheets[f.key] = ws.title
        _cases(ws, f)
    _summary(summary, report, sheets)
    wb.properties.title = report.title
    wb.properties.creator = "complaints"
    return wb


def save_report(report: Report, target: Path, *, force: bool) -> Saved:
    """Write the workbook atomically; see :func:`complaints_cli.files.safe_save.save_atomically`."""
    wb = build(report)

    def write(stream: IO[bytes]) -> None:
        wb.save(stream)

    return save_atomically(target, write, force=force, check=check_xlsx)
