"""``complaints import`` of logs as years on a shared drive leave them (a fresh-user trial).

Each workbook is written in the test by the program that writes such files (openpyxl for
Excel's forms, LibreOffice headless when ``soffice`` is installed): a case split over two
rows, cells formatted down to row 1,048,576, Excel's lock file beside the log, a row struck
through to mean "deleted", one log per year on separate sheets.
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import pytest

from complaints_cli.store.db import RawDatabase
from complaints_cli.store.reads import list_cases
from tests.cli.test_import import log_url, table_state
from tests.fixtures.build_fixtures import convert
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
    # The refused rows' blank Status and Stage cells were "taken as 'Open'" in a note (a
    # trial): nothing was taken, the rows are refused.
    assert [line for line in lines if "taken as" in line] == []
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


# --- a row struck through: deleted ---------------------------------------------------------------

NO_SOFFICE = pytest.mark.skipif(
    shutil.which("soffice") is None,
    reason="LibreOffice (soffice) is not installed: apt-get install libreoffice-calc",
)

#: A flat OpenDocument log whose second case is struck through (as LibreOffice saves Format >
#: Text > Strikethrough), converted by LibreOffice itself to .ods, .xls and .xlsx.
STRUCK_FODS = """<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" office:version="1.2"
 office:mimetype="application/vnd.oasis.opendocument.spreadsheet">
<office:automatic-styles><style:style style:name="ce2" style:family="table-cell">
<style:text-properties style:text-line-through-style="solid"
 style:text-line-through-type="single"/></style:style></office:automatic-styles>
<office:body><office:spreadsheet><table:table table:name="Log">
<table:table-row>{header}</table:table-row>
<table:table-row>{first}</table:table-row>
<table:table-row>{second}</table:table-row>
</table:table></office:spreadsheet></office:body></office:document>
"""


def _fods_cell(value: object, style: str = "") -> str:
    if value is None:
        return "<table:table-cell/>"
    styled = f' table:style-name="{style}"' if style else ""
    if isinstance(value, date):
        return (
            f'<table:table-cell{styled} office:value-type="date" '
            f'office:date-value="{value.isoformat()}"><text:p>{value:%d/%m/%Y}</text:p>'
            "</table:table-cell>"
        )
    return (
        f'<table:table-cell{styled} office:value-type="string"><text:p>{escape(str(value))}'
        "</text:p>"
        "</table:table-cell>"
    )


def _struck_by_openpyxl(tmp_path: Path) -> Path:
    from openpyxl import load_workbook
    from openpyxl.styles import Font

    path = _workbook(
        tmp_path / "struck.xlsx",
        [
            _case("SPRUCE001", date(2025, 5, 1)),
            _case("SPRUCE002", date(2025, 5, 2), summary="Logged twice: see SPRUCE001"),
        ],
    )
    wb = load_workbook(path)
    for cell in wb.active[3]:  # the second case's row, struck through as a whole
        cell.font = Font(strike=True)
    wb.save(path)
    return path


def _struck_by_libreoffice(tmp_path: Path, fmt: str) -> Path:
    rows = [
        _case("SPRUCE001", date(2025, 5, 1)),
        _case("SPRUCE002", date(2025, 5, 2), summary="Logged twice: see SPRUCE001"),
    ]
    source = tmp_path / "struck.fods"
    source.write_text(
        STRUCK_FODS.format(
            header="".join(_fods_cell(h) for h in HEADER),
            first="".join(_fods_cell(v) for v in rows[0]),
            second="".join(_fods_cell(v, "ce2") for v in rows[1]),
        ),
        encoding="utf-8",
    )
    return convert(source, fmt, source.parent / fmt)  # the fixtures' one LibreOffice call


@pytest.mark.parametrize(
    "made_by",
    [
        "openpyxl",
        pytest.param("xlsx", marks=NO_SOFFICE),
        pytest.param("ods", marks=NO_SOFFICE),
        pytest.param("xls", marks=NO_SOFFICE),
    ],
)
def test_a_row_struck_through_is_refused_not_imported_as_a_live_case(cli, tmp_path, made_by):
    """A line through a row means "deleted" on a shared log: the row is refused, naming its
    first struck cell and its value, and nothing is written; ``--skip-invalid`` imports the
    rest. (It was imported as an open case: in ``due``, in the EMT counts.)"""
    if made_by == "openpyxl":
        path = _struck_by_openpyxl(tmp_path)
    else:
        path = _struck_by_libreoffice(tmp_path, made_by)
    before = table_state(tmp_path)
    result = cli("import", str(path))
    assert result.exit_code == 1, result.output
    assert result.stderr.splitlines()[-2:] == [
        "  sheet 'Log', row 3, column A 'Ref', value 'SPRUCE002': is struck through, as if "
        "deleted: delete the row (or the value) from the file if it is, or clear the "
        "strike-through if it is not, and import again",
        f"complaints: error: 1 row(s) of {path.name} cannot be imported (listed above); "
        "nothing was imported: correct them, or use --skip-invalid to import the 1 valid row(s)",
    ]
    assert table_state(tmp_path) == before
    result = cli("import", "--skip-invalid", str(path))
    assert result.exit_code == 0, result.output
    log = _cases()
    assert list(log) == ["SPRUCE001"]
    assert log["SPRUCE001"]["received"] == date(2025, 5, 1)
    assert log["SPRUCE001"]["complaint_summary"] == "Leak"


# --- the lock file beside a workbook open in Excel or LibreOffice --------------------------------


def _excel_owner_file(user: str) -> bytes:
    """Excel's ``~$NAME.xlsx`` (165 bytes), laid out as LibreOffice's
    ``svl/source/misc/msodocumentlockfile.cxx`` writes and reads it: the name's length, the
    name, spaces to byte 54, the length and the name in UTF-16, spaces to the end."""
    data = bytes([len(user)]) + user.encode("cp1252")
    data += b" " * (54 - len(data))
    data += len(user).to_bytes(2, "little") + user.encode("utf-16-le")
    return data + b" \x00" * ((165 - len(data)) // 2) + b" " * ((165 - len(data)) % 2)


#: The lock file LibreOffice 7 wrote beside a workbook it had open (copied byte for byte):
#: user name (empty), system user, host, when, profile URL.
LIBREOFFICE_LOCK = b",root,vm,30.11.2026 23:19,file:///tmp/wb6/loprof;"


def test_the_lock_file_beside_an_open_workbook_is_named_as_such(cli, tmp_path):
    """Picking ``~$Complaints Log.xlsx`` on the share (Excel's lock file) says whose lock it is
    and which file to import. (It said "a text file (CSV or tab-separated) ... File > Save
    As", which sends the officer to save a file that is no workbook.)"""
    excel = tmp_path / "~$Complaints Log.xlsx"
    excel.write_bytes(_excel_owner_file("Sam Patel"))
    assert len(excel.read_bytes()) == 165
    libreoffice = tmp_path / ".~lock.Complaints Log.xlsx#"
    libreoffice.write_bytes(LIBREOFFICE_LOCK)
    for path, user in ((excel, "Sam Patel"), (libreoffice, "root")):
        result = cli("import", str(path))
        assert result.exit_code == 1
        assert result.stderr == (
            f"complaints: error: {path.name!r} is the lock file an office program keeps beside "
            f"a workbook while {user!r} has it open, not the workbook: import the workbook "
            "itself (the same name without '~$' or '.~lock.')\n"
        )


# --- one sheet a year, and a Closed sheet --------------------------------------------------------


def test_a_log_with_a_sheet_a_year_is_imported_one_sheet_at_a_time(cli, tmp_path):
    """Three sheets that each look like the log, one hidden: the refusal lists them, says which
    is hidden and how to import them all (it said "sheets '2024' and '2025' and 'Closed' both
    look like ...", a hidden sheet unmarked); each sheet then imports."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    sheets = {
        "2024": _case("SPRUCE001", date(2024, 5, 1)),
        "2025": _case("SPRUCE101", date(2025, 5, 1)),
        "Closed": _case("SPRUCE050", date(2024, 9, 1)),
    }
    for title, row in sheets.items():
        ws = wb.create_sheet(title)
        ws.append(HEADER)
        ws.append(row)
    wb["Closed"].sheet_state = "hidden"  # not in the tabs the officer sees: said so
    path = tmp_path / "years.xlsx"
    wb.save(path)
    result = cli("import", str(path))
    assert result.exit_code == 1
    assert result.stderr == (
        "complaints: error: sheets '2024', '2025' and 'Closed' (hidden) each look like a "
        "complaints log: import one sheet at a time with --sheet (--sheet '2024', then the "
        "next)\n"
    )
    for title in sheets:
        assert cli("import", "--sheet", title, str(path)).exit_code == 0
    log = _cases()
    assert {ref: case["received"] for ref, case in log.items()} == {
        "SPRUCE001": date(2024, 5, 1),
        "SPRUCE101": date(2025, 5, 1),
        "SPRUCE050": date(2024, 9, 1),
    }


def test_a_long_struck_value_with_an_apostrophe_is_quoted_alike_at_both_ends(cli, tmp_path):
    """A trial: a struck summary holding an apostrophe was shown ``value "Black mould in the
    children's room ...'``: opened with a double quote (Python's repr), closed with a single."""
    from openpyxl import load_workbook
    from openpyxl.styles import Font

    summary = "Black mould in the children's room has returned for the third time " * 3
    path = _workbook(tmp_path / "struck.xlsx", [_case("SPRUCE001", date(2025, 5, 1))])
    wb = load_workbook(path)
    wb.active.cell(2, 9).value = summary
    wb.active.cell(2, 9).font = Font(strike=True)
    wb.save(path)
    result = cli("import", str(path))
    assert result.exit_code == 1, result.output
    line = result.stderr.splitlines()[-2]
    shown = line.split("value ", 1)[1].split(": is struck through", 1)[0]
    assert shown == '"' + summary[:76] + '..."', line
