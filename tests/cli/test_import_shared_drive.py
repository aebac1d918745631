"""``complaints import`` of logs as years on a shared drive leave them (a fresh-user trial).

Each workbook is written in the test by the program that writes such files (openpyxl for
Excel's forms, LibreOffice headless when ``soffice`` is installed): a case split over two
rows, cells formatted down to row 1,048,576, Excel's lock file beside the log, a row struck
through to mean "deleted", one log per year on separate sheets.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from complaints_cli.store.db import RawDatabase
from complaints_cli.store.reads import list_cases
from tests.cli.test_import import log_url, table_state
from tests.records import record

HEADER = [
    "Ref",
    "Status",
    "Stage",
    "Handler",
    "Complainant",
    "Address",
    "Date received",
    "Date acknowledged",
    "Summary of complaint",
    "Compensation paid & reasons under framework",
]


def _case(ref: str, received: date, **cells: Any) -> list[Any]:
    row: list[Any] = [ref, "Open", "Stage 1", "Sam Patel", "Ann Lee", "1 High St", received]
    row += [cells.get("ack"), cells.get("summary", "Leak"), cells.get("compensation")]
    return row


def _lone(column: int, value: str) -> list[Any]:
    """A row holding one cell, in ``column`` (0-based)."""
    return [value if i == column else None for i in range(len(HEADER))]


def _workbook(path: Path, rows: list[list[Any]]) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Log"
    ws.append(HEADER)
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def _cases() -> dict[str, dict[str, Any]]:
    with RawDatabase(log_url()) as db:
        return {c.reference: record(c) for c in list_cases(db)}


# --- a complaint split over two rows -------------------------------------------------------------


def test_a_case_split_over_two_rows_is_refused_not_cut_short(cli, tmp_path):
    """The rest of a summary, a second amount, a second complainant typed in the row below
    their case: each such row is refused, naming the case above, and nothing is written.
    (It was skipped as a "note", and the case imported without it, exit 0.)"""
    path = _workbook(
        tmp_path / "split.xlsx",
        [
            _case("SPRUCE001", date(2025, 5, 1), summary="Leak from the flat above;"),
            _lone(8, "tenant also reports mould in the bedroom"),
            _case("SPRUCE002", date(2025, 5, 3), compensation="£50 (delay)"),
            _lone(9, "£25 (goodwill)"),
            _case("SPRUCE003", date(2025, 5, 3)),
            _lone(4, "Dan Dee (son)"),
            _lone(0, "Cases below were logged by the old team"),  # a note: skipped, listed
            _case("SPRUCE004", date(2025, 5, 6)),
        ],
    )
    before = table_state(tmp_path)
    result = cli("import", str(path))
    assert result.exit_code == 1, result.output
    reason = (
        "is empty, and so is column G 'Date received': if this row continues the case on row "
        "{}, move its cells into that row and delete this one; if it is a complaint of its "
        "own, give it its reference and date received"
    )
    lines = result.stderr.splitlines()
    assert lines[0] == (
        "note: skipped 1 row(s) that are headings, notes or totals, not cases: row 8 "
        "'Cases below were logged by the old team'"
    )
    assert [line for line in lines if line.startswith("  sheet")] == [
        f"  sheet 'Log', row {row}, column A 'Ref': {reason.format(row - 1)}" for row in (3, 5, 7)
    ]
    assert lines[-1] == (
        "complaints: error: 3 row(s) of split.xlsx cannot be imported (listed above); nothing "
        "was imported: correct them, or use --skip-invalid to import the 4 valid row(s)"
    )
    assert table_state(tmp_path) == before


# --- cells formatted down to the sheet's last row ------------------------------------------------


def test_cells_formatted_down_to_the_last_row_are_not_stray_cells(cli, tmp_path):
    """A fill on cells and rows down to row 1,048,576, as Excel saves it (``<c r="A1048576"
    s="1"/>``, ``<row r="1048576" s="1" customFormat="1"/>``), holds nothing: the log imports.
    (It was refused: "uses row 1048576 ... delete the stray cells far below the log", cells
    the officer cannot see.) A value down there is still refused."""
    from openpyxl import load_workbook
    from openpyxl.styles import PatternFill

    path = _workbook(tmp_path / "formatted.xlsx", [_case("SPRUCE001", date(2025, 5, 1))])
    wb = load_workbook(path)
    ws = wb.active
    fill = PatternFill("solid", fgColor="FFFF00")
    for column in range(1, 11):
        ws.cell(row=1_048_576, column=column).fill = fill
    ws.row_dimensions[1_048_575].fill = fill
    wb.save(path)
    result = cli("import", str(path))
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == (
        "Imported formatted.xlsx (sheet 'Log'): 1 added, 0 updated, 0 unchanged, 0 "
        "conflicting, 0 rejected"
    )
    assert _cases()["SPRUCE001"]["received"] == date(2025, 5, 1)

    ws.cell(row=1_048_576, column=1).value = "x"
    wb.save(path)
    result = cli("import", str(path))
    assert result.exit_code == 1
    assert result.stderr == (
        "complaints: error: 'formatted.xlsx': sheet 'Log' uses row 1048576, past the 500000 "
        "rows an import reads: delete the stray cells far below the log\n"
    )
