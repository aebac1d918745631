"""A report as an Excel workbook (openpyxl), fit to send and to print (issue 13, item 9).

Sheets:

* **Summary**: the figures as one readable table, a heading row per section. The EMT report's
  columns are the figure, this month, last month, the 12-month average, the target and a RAG
  rating (:mod:`.comparison`); the annual report's, the figure and its value. Each figure links
  to its case list. Printed on one A4 landscape page.
* **Trend** (EMT): the 12 months' counts and on-time shares, a bar chart of the month's
  complaints and a line chart of the on-time shares (straight lines with markers, so a month
  with data between months without draws as a point, and gaps stay gaps).
* **Outcomes and categories**: the breakdowns (:mod:`.breakdowns`), each row linking to its
  cases.
* **Cases**: every figure's case lines, one section each (title, what it counts, the lines),
  under one header row repeated on every printed page.
* **How counted**: what each figure counts and the timescales used, and the report's notes.

Every sheet prints landscape on A4, fitted to the page width, with its header row repeated, the
report's title in the page header and "Page N of M" in the footer. User text (references,
reasons, learning) is always a string cell, never a formula. The file is written beside the
target and moved into place by :func:`complaints_cli.files.safe_save.save_atomically`.
Importing this module costs openpyxl: only ``--output`` does.
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
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from complaints_cli.domain.text import xml_safe
from complaints_cli.files.exporter import check_xlsx
from complaints_cli.files.safe_save import Saved, save_atomically
from complaints_cli.reports.comparison import TARGETS, count_numbers
from complaints_cli.reports.figures import Breakdown, CaseLine, Figure, Report
from complaints_cli.reports.output import CASE_HEADERS, COMPARE_HEADERS, TREND_HEADERS, header_lines

BOLD = Font(bold=True)
TITLE = Font(bold=True, size=14)
SECTION = Font(bold=True, size=12)
LINK = Font(color="0563C1", underline="single")
ITALIC = Font(italic=True)
HEAD_FILL = PatternFill("solid", fgColor="DDEBF7")
SECTION_FILL = PatternFill("solid", fgColor="F2F2F2")
RAG_FILL = {
    "Green": PatternFill("solid", fgColor="C6EFCE"),
    "Amber": PatternFill("solid", fgColor="FFEB9C"),
    "Red": PatternFill("solid", fgColor="FFC7CE"),
}
WRAP = Alignment(wrap_text=True, vertical="top")
#: A number in the Summary's columns of text ("4 of 5 (80.0%)"): lined up with them, left.
LEFT = Alignment(horizontal="left", vertical="top")
#: A count's 12-month average, to one decimal place as the report's text gives it.
AVERAGE = "0.0"
DATE = "DD/MM/YYYY"
POUNDS = '"£"#,##0.00'
PERCENT = "0.0"
CASES = "Cases"
BREAKDOWNS = "Outcomes and categories"
NOTES = "How counted"
#: The case sheet's column widths (characters), in CASE_HEADERS order.
CASE_WIDTHS = (13, 11, 24, 11, 11, 9, 16, 58, 11, 40, 24)


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


def _heading(ws: Worksheet, row: int, headers: Sequence[str]) -> None:
    for i, text in enumerate(headers, start=1):
        cell = put(ws, row, i, text)
        cell.font = BOLD
        cell.fill = HEAD_FILL
        cell.alignment = WRAP


def _widths(ws: Worksheet, widths: Sequence[float]) -> None:
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width


def _link(cell: Any, sheet: str, row: int) -> None:
    cell.hyperlink = Hyperlink(ref=cell.coordinate, location=f"'{sheet}'!A{row}")
    cell.font = LINK


def _print_setup(ws: Worksheet, title: str, rows: str | None, *, one_page: bool = False) -> None:
    """Landscape A4, fitted to the width (and to one page), the header row repeated, the title
    in the page header and the page number in the footer."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 1 if one_page else 0
    ws.page_margins = PageMargins(left=0.4, right=0.4, top=0.7, bottom=0.6, header=0.3, footer=0.3)
    if rows is not None:
        ws.print_title_rows = rows
    ws.oddHeader.left.text = xml_safe(title).replace("&", "&&")
    ws.oddHeader.right.text = "&A"
    ws.oddFooter.center.text = "Page &P of &N"


def _summary(ws: Worksheet, report: Report, anchors: dict[str, int]) -> None:
    head = header_lines(report)
    put(ws, 1, 1, head[0]).font = TITLE
    for i, line in enumerate(head[1:], start=2):
        put(ws, i, 1, line)
    row = len(head) + 2
    emt = bool(report.comparisons)
    headers = list(COMPARE_HEADERS.values()) if emt else ["Figure", "Value"]
    headers.append("Cases")
    _heading(ws, row, headers)
    header_row = row
    ws.freeze_panes = ws.cell(row=row + 1, column=1)
    for section, figures in report.sections():
        row += 1
        cell = put(ws, row, 1, section)
        cell.font = SECTION
        for col in range(1, len(headers) + 1):
            ws.cell(row=row, column=col).fill = SECTION_FILL
        for f in figures:
            row += 1
            put(ws, row, 1, f.label).alignment = WRAP
            if emt:
                c = report.comparisons[f.key]
                values = [c["this_month"], c["last_month"], c["average"], c["target"], c["rag"]]
                formats: list[str | None] = [None] * len(values)
                if f.kind == "count":  # numbers a reader can sum, not text Excel flags
                    counts = count_numbers(f, report.trend)
                    values[0] = f.count
                    if counts is not None:
                        values[1], values[2] = counts
                        formats[2] = AVERAGE
                    if values[3] is not None:
                        values[3] = int(TARGETS[f.key][0])
                for col, (value, fmt) in enumerate(zip(values, formats, strict=True), start=2):
                    if value is not None:
                        cell = put(ws, row, col, value, fmt)
                        if not isinstance(value, str):
                            cell.alignment = LEFT
                if c["rag"]:
                    ws.cell(row=row, column=6).fill = RAG_FILL[c["rag"]]
            elif f.kind == "count":
                put(ws, row, 2, f.count).alignment = LEFT
            else:
                put(ws, row, 2, f.text).alignment = WRAP
            if f.key in anchors:
                link = put(ws, row, len(headers), f"{len(f.cases)} case(s)")
                _link(link, CASES, anchors[f.key])
    widths = [60, 24, 24, 24, 8, 8, 14] if emt else [70, 46, 14]
    _widths(ws, widths)
    _print_setup(ws, report.title, f"{header_row}:{header_row}", one_page=emt)


def _trend(ws: Worksheet, report: Report) -> None:
    keys = [k for k in TREND_HEADERS if any(k in r for r in report.trend)]
    shares = [k for k in keys if isinstance(report.trend[-1].get(k), dict)]
    headers = [TREND_HEADERS[k] + (" (%)" if k in shares else "") for k in keys]
    _heading(ws, 1, headers)
    ws.row_dimensions[1].height = 45
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
    # Each column as wide as its header's longest word (the header wraps), and at least 9.
    _widths(ws, [max(9, max(len(w) for w in h.split()) + 2) for h in headers])
    last = len(report.trend) + 1

    def chart(chart: BarChart | LineChart, title: str, axis: str, series: Sequence[str]) -> Any:
        """One chart of ``series`` (trend columns) by month, placed below the last one."""
        chart.title, chart.y_axis.title = title, axis
        for key in series:
            col = keys.index(key) + 1
            chart.add_data(
                Reference(ws, min_col=col, min_row=1, max_row=last), titles_from_data=True
            )
        chart.set_categories(Reference(ws, min_col=1, min_row=2, max_row=last))
        chart.height, chart.width = 8, 24
        ws.add_chart(chart, f"A{last + 3 + 17 * len(ws._charts)}")
        return chart

    chart(BarChart(), "Complaints each month", "cases", ("received", "escalated", "closed"))
    line = chart(LineChart(), "On time (%)", "%", [k for k in shares if k.endswith("on_time")])
    line.y_axis.scaling.min, line.y_axis.scaling.max = 0, 100
    line.display_blanks = "gap"  # a month with nothing to judge is a gap, not a zero
    for s in line.series:
        s.smooth = False  # straight lines: a smoothed curve dips below the real values
        s.marker.symbol = "circle"  # a month between empty months still shows
        s.marker.size = 7
    _print_setup(ws, report.title, "1:1")


def _case_row(ws: Worksheet, row: int, line: CaseLine) -> None:
    values = line.fields()
    for c, key in enumerate(CASE_HEADERS, start=1):
        value = values[key]
        if value is None or value == "":
            continue
        if key == "counted":
            put(ws, row, c, "yes" if value else "no")
        elif key == "amount":
            put(ws, row, c, float(value), POUNDS)
        elif key in ("received", "date", "deadline"):
            put(ws, row, c, value, DATE)
        else:
            cell = put(ws, row, c, value)
            if key in ("why", "text", "event"):
                cell.alignment = WRAP


def _section(ws: Worksheet, row: int, title: str, note: str, lines: list[CaseLine]) -> int:
    """A titled list of case lines from ``row``; the next free row."""
    width = len(CASE_HEADERS)
    cell = put(ws, row, 1, title)
    cell.font = BOLD
    for col in range(1, width + 1):
        ws.cell(row=row, column=col).fill = SECTION_FILL
    if note:
        row += 1
        put(ws, row, 1, note).alignment = WRAP
        ws.cell(row=row, column=1).font = ITALIC
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
        ws.row_dimensions[row].height = 15 * (1 + len(note) // 190)
    if not lines:
        row += 1
        put(ws, row, 1, "No cases.")
    for line in lines:
        row += 1
        _case_row(ws, row, line)
    return row + 2


def _cases(ws: Worksheet, report: Report) -> tuple[dict[str, int], dict[tuple[str, str, int], int]]:
    """Every case list, one section each; the row each figure's (and breakdown cell's) starts."""
    _heading(ws, 1, list(CASE_HEADERS.values()))
    ws.freeze_panes = "A2"
    anchors: dict[str, int] = {}
    cells: dict[tuple[str, str, int], int] = {}
    row = 3
    for f in report.figures:
        if f.kind == "text":
            continue
        anchors[f.key] = row
        row = _section(ws, row, f"{f.label}: {f.text}", f.note, f.cases)
    for b in report.breakdowns:
        for r in b.rows:
            for i, lines in enumerate(r.cells):
                if lines:
                    cells[(b.key, r.key, i)] = row
                    title = f"{b.label}, {b.columns[i]}: {r.label} ({len(lines)})"
                    row = _section(ws, row, title, "", lines)
    _widths(ws, CASE_WIDTHS)
    _print_setup(ws, report.title, "1:1")
    return anchors, cells


def _breakdowns(ws: Worksheet, report: Report, cells: dict[tuple[str, str, int], int]) -> None:
    row = 1
    for b in report.breakdowns:
        row = _breakdown(ws, row, b, cells) + 2
    _widths(ws, [40, 16, 16, 10, 60])
    _print_setup(ws, report.title, None)


def _breakdown(
    ws: Worksheet, row: int, b: Breakdown, cells: dict[tuple[str, str, int], int]
) -> int:
    put(ws, row, 1, b.label).font = SECTION
    if b.note:
        row += 1
        put(ws, row, 1, b.note).alignment = WRAP
        ws.cell(row=row, column=1).font = ITALIC
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=5)
        ws.row_dimensions[row].height = 15 * (1 + len(b.note) // 120)
    row += 1
    _heading(ws, row, [b.label, *b.columns, "Total", "Cases"])
    for r in b.rows:
        row += 1
        put(ws, row, 1, r.label)
        for i, n in enumerate(r.counts):
            cell = put(ws, row, 2 + i, n)
            anchor = cells.get((b.key, r.key, i))
            if anchor is not None:
                _link(cell, CASES, anchor)
        put(ws, row, 2 + len(r.counts), r.total)
        if r.key == "not_recorded" and r.total:
            refs = ", ".join(line.reference for cell in r.cells for line in cell)
            put(ws, row, 3 + len(r.counts), refs[:30000]).alignment = WRAP
    row += 1
    put(ws, row, 1, "Total").font = BOLD
    totals = b.totals()
    for i, n in enumerate([*totals, sum(totals)]):
        put(ws, row, 2 + i, n).font = BOLD
    return row


def _notes(ws: Worksheet, report: Report) -> None:
    _heading(ws, 1, ["Figure", "What it counts, and the timescales used"])
    row = 1
    for f in report.figures:
        row += 1
        put(ws, row, 1, f.label).alignment = WRAP
        put(ws, row, 2, f.note or "").alignment = WRAP
    for b in report.breakdowns:
        row += 1
        put(ws, row, 1, b.label).alignment = WRAP
        put(ws, row, 2, b.note).alignment = WRAP
    row += 2
    put(ws, row, 1, "Notes").font = SECTION
    for note in report.notes:
        row += 1
        put(ws, row, 2, note).alignment = WRAP
    _widths(ws, [46, 120])
    _print_setup(ws, report.title, "1:1")


def build(report: Report) -> Workbook:
    """The workbook for ``report`` (not yet saved)."""
    wb = Workbook()
    summary = wb.active
    assert summary is not None
    summary.title = "Summary"
    if report.trend:
        _trend(wb.create_sheet("Trend"), report)
    breakdown_sheet = wb.create_sheet(BREAKDOWNS) if report.breakdowns else None
    anchors, cells = _cases(wb.create_sheet(CASES), report)
    if breakdown_sheet is not None:
        _breakdowns(breakdown_sheet, report, cells)
    _notes(wb.create_sheet(NOTES), report)
    _summary(summary, report, anchors)
    wb.properties.title = report.title
    wb.properties.creator = "complaints"
    return wb


def save_report(report: Report, target: Path, *, force: bool) -> Saved:
    """Write the workbook atomically; see :func:`complaints_cli.files.safe_save.save_atomically`."""
    wb = build(report)

    def write(stream: IO[bytes]) -> None:
        wb.save(stream)

    return save_atomically(target, write, force=force, check=check_xlsx)


__all__ = ["Figure", "build", "save_report"]
