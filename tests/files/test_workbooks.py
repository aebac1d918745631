"""Workbooks as each program writes them, read to the same values; every other kind of file
refused with one line saying what it is and how to save it as .xlsx.

The fixtures are made by ``tests/fixtures/build_fixtures.py`` (LibreOffice for .xlsx, .xls and
.ods; Excel's own forms as patched parts; msoffcrypto-tool for Excel's encryption).
"""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from complaints_cli.files.importer import read_log
from complaints_cli.files.spreadsheet import SpreadsheetError, Workbook
from tests.paths import FIXTURES

NO_RESULT = (
    "is a formula with no saved result: open the file in Excel or LibreOffice, let it "
    "calculate, save it, and import again"
)


def _error(value: str) -> str:
    return f"holds the error value {value}: correct the formula or the cell in the file"


# --- formulas: the same values and the same reports in every format -----------------------------


@pytest.mark.parametrize(
    "name", ["formulas.xlsx", "formulas.xls", "formulas.ods", "formulas_excel.xlsx"]
)
def test_formula_cells_read_alike_in_every_format(name):
    with Workbook(FIXTURES / name) as workbook:
        result = read_log(workbook)
    rows = {r.reference: r.values for r in result.rows}
    extra = {r.reference: r.extra for r in result.rows}
    # An empty-string result is an empty cell (LibreOffice <v></v>, Excel <v/>, .xls, .ods).
    assert rows["SPRUCE201"]["acknowledged"] is None
    assert extra["SPRUCE201"] == {"Visits": None}
    assert rows["SPRUCE201"]["compensation_pence"] == 30  # =0.1+0.2, as the sheet shows it
    # A serial a hair below 6 February is 6 February, as a number and as a date cell.
    assert rows["SPRUCE204"]["received"] == date(2025, 2, 6)
    assert rows["SPRUCE204"]["acknowledged"] == date(2025, 2, 6)
    problems = [p.line() for p in result.problems]
    expected = [
        f"sheet 'Log', row 3, column G 'Date received': {_error('#DIV/0!')}",
        f"sheet 'Log', row 4, column H 'Date acknowledged': {_error('#N/A')}",
    ]
    if name == "formulas_excel.xlsx":  # cells without r addresses, and a formula never run
        expected.append(f"sheet 'Log', row 6, column G 'Date received': {NO_RESULT}")
    assert problems == expected


def test_a_formula_written_by_a_script_has_no_saved_result():
    with Workbook(FIXTURES / "uncached_formula.xlsx") as workbook:
        result = read_log(workbook)
    assert [p.line() for p in result.problems] == [
        f"sheet 'Log', row 2, column G 'Date received': {NO_RESULT}"
    ]


# --- date systems ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["epoch_1904.xlsx", "epoch_1904.xls", "epoch_1904.ods"])
def test_the_1904_date_system_is_read_from_every_format(name):
    with Workbook(FIXTURES / name) as workbook:
        assert workbook.epoch == date(1904, 1, 1)
        assert workbook.epoch_1904
        result = read_log(workbook)
    (row,) = result.rows
    assert row.values["received"] == date(2025, 2, 3)  # a real date: the system applied
    assert row.values["acknowledged"] == date(2025, 2, 6)  # serial 44232 from 1904
    assert not result.problems


@pytest.mark.parametrize("name", ["messy_log.xlsx", "messy_log.xls", "messy_log.ods"])
def test_the_1900_date_system_is_the_default(name):
    with Workbook(FIXTURES / name) as workbook:
        assert workbook.epoch == date(1899, 12, 30)
        assert not workbook.epoch_1904


# --- files that are not workbooks ----------------------------------------------------------------

SAVE_AS = "open it in Excel, choose File > Save As > Excel Workbook (.xlsx), and import that"
PASSWORD = (
    "open it in Excel with its password, choose File > Info > Protect Workbook > Encrypt with "
    "Password, clear the password, save it as an Excel Workbook (.xlsx), and import that"
)

#: Made by the programs that make them (build_fixtures.py).
REFUSED_FIXTURES = {
    "encrypted.xlsx": f"'encrypted.xlsx' is password-protected (encrypted): {PASSWORD}",
    "encrypted.xls": (
        "'encrypted.xls' is password-protected (an encrypted Excel 97-2003 workbook): " + PASSWORD
    ),
    "encrypted.ods": (
        "'encrypted.ods' is a password-protected OpenDocument spreadsheet: open it in "
        "LibreOffice with its password, choose File > Save As, untick 'Save with password', "
        "save it as Excel 2007-365 (.xlsx) or .ods, and import that"
    ),
    "excel_2003_xml.xls": (
        f"'excel_2003_xml.xls' is an Excel 2003 XML Spreadsheet, not a workbook: {SAVE_AS}"
    ),
    "web_page.xls": (
        "'web_page.xls' is a web page (HTML), not a workbook, as reporting tools and Excel's "
        f"'Web Page' save write under a spreadsheet's name: {SAVE_AS}"
    ),
    "unicode_text.xls": (
        "'unicode_text.xls' is a UTF-16 text file (as Excel's 'Unicode Text' saves, "
        f"tab-separated), not a workbook: {SAVE_AS}"
    ),
}


@pytest.mark.parametrize("name", list(REFUSED_FIXTURES))
def test_each_refused_kind_says_what_it_is_and_how_to_save_it(name):
    with pytest.raises(SpreadsheetError) as caught:
        Workbook(FIXTURES / name)
    assert str(caught.value) == REFUSED_FIXTURES[name]


MHTML = (
    b"MIME-Version: 1.0\r\nX-Document-Type: Workbook\r\n"
    b'Content-Type: multipart/related; boundary="----=_NextPart_01DB0000"\r\n\r\n'
    b"------=_NextPart_01DB0000\r\nContent-Location: file:///C:/log.htm\r\n"
    b'Content-Type: text/html; charset="us-ascii"\r\n\r\n<html></html>\r\n'
)
REPORT_HTML = (
    b'<meta http-equiv="Content-Type" content="text/html; charset=utf-8">\n'
    b"<table border=1><tr><td>Ref</td><td>Status</td></tr></table>\n"
)
GSHEET = json.dumps(
    {
        "url": "https://docs.google.com/spreadsheets/d/1AbC/edit?usp=drivesdk",
        "doc_id": "1AbC",
        "email": "team@example.org",
    }
).encode()


def _zip(names: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name, data in names.items():
            z.writestr(name, data)
    return out.getvalue()


#: Built here: byte for byte what the program writes at the start of the file.
REFUSED_BYTES = {
    "mhtml.xls": (
        MHTML,
        "is a single-file web page (MHTML, as Excel's 'Single File Web Page' saves), not a "
        f"workbook: {SAVE_AS}",
    ),
    "report.xls": (REPORT_HTML, "is a web page (HTML), not a workbook"),
    "utf16_no_bom.xls": (
        "Ref\tStatus\r\nSPRUCE001\tOpen\r\n".encode("utf-16-le"),
        f"is a UTF-16 text file (as Excel's 'Unicode Text' saves, tab-separated), not a "
        f"workbook: {SAVE_AS}",
    ),
    "utf16_html.xls": (
        "\ufeff<html><body><table></table></body></html>".encode("utf-16-le"),
        "is a UTF-16 web page (HTML), not a workbook",
    ),
    "renamed.xlsx": (
        b"\xef\xbb\xbfRef,Status\r\nSPRUCE001,Open\r\n",
        f"is a text file (CSV or tab-separated), not a workbook: {SAVE_AS}",
    ),
    "log.gsheet.xlsx": (
        GSHEET,
        "is a Google Sheets shortcut (a link Google Drive keeps on the disk), not the "
        "spreadsheet: open it in Google Sheets, choose File > Download > Microsoft Excel "
        "(.xlsx), and import that file",
    ),
    "numbers.xlsx": (
        _zip({"Index/Document.iwa": b"\x00", "Metadata/Properties.plist": b"<plist/>"}),
        "is an Apple Numbers document: in Numbers choose File > Export To > Excel, and "
        "import the .xlsx it makes",
    ),
    "sheets_web.xlsx": (
        _zip({"Log.html": b"<html></html>", "resources/sheet.css": b""}),
        "is a zip of web pages (as Google Sheets' 'Web Page' download makes), not a workbook",
    ),
    "binary.xlsx": (
        _zip({"xl/workbook.bin": b"\x00", "[Content_Types].xml": b"<Types/>"}),
        f"is an Excel Binary Workbook (.xlsb): {SAVE_AS}",
    ),
    "printout.xlsx": (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "is a PDF, not a workbook"),
    "old.xls": (
        b"\x09\x04\x06\x00\x00\x00\x10\x00" + b"\x00" * 64,
        f"is an Excel 4.0 (or older) worksheet: {SAVE_AS}",
    ),
    "flat.xls": (
        b'<?xml version="1.0"?>\n<office:document xmlns:office="urn:oasis:names:tc:'
        b'opendocument:xmlns:office:1.0" office:mimetype="application/vnd.oasis.'
        b'opendocument.spreadsheet"></office:document>',
        "is a flat OpenDocument spreadsheet (.fods)",
    ),
}


@pytest.mark.parametrize("name", list(REFUSED_BYTES))
def test_other_refused_kinds(tmp_path: Path, name: str):
    data, expected = REFUSED_BYTES[name]
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(SpreadsheetError) as caught:
        Workbook(path)
    message = str(caught.value)
    assert message.startswith(f"{name!r} {expected}") or expected in message, message
    assert "\n" not in message


def test_a_compensation_breakdown_in_a_workbook(tmp_path: Path):
    with Workbook(FIXTURES / "two_row_headers.xlsx") as workbook:
        result = read_log(workbook)
    award = {r.reference: r.values for r in result.rows}["SPRUCE101"]
    assert award["compensation_pence"] == 25000
    assert award["compensation_reasons"] == (
        "£150 time and trouble, £100 distress and inconvenience"
    )
    assert Decimal(award["compensation_pence"]) / 100 == Decimal("250")


# --- a header over two rows, headings and totals between the cases ------------------------------


@pytest.mark.parametrize(
    "name", ["two_row_headers.xlsx", "two_row_headers.xls", "two_row_headers.ods"]
)
def test_a_header_over_two_rows_with_banners(name):
    with Workbook(FIXTURES / name) as workbook:
        result = read_log(workbook)
    assert result.header_row == 2
    assert result.match.log_columns == 24
    assert not result.extra_keys  # every column named: banners combined with sub-headers
    assert result.headers[10] == "Stage 1 Date response sent"
    assert result.headers[18] == "Stage 2 Handler"
    assert result.headers[20] == "Stage 2 Extension required"  # column 21, not 12
    assert [r.reference for r in result.rows] == ["SPRUCE101", "SPRUCE102", "SPRUCE103"]
    assert not result.problems
    assert result.notes == [
        "skipped 3 row(s) that are headings, notes or totals, not cases: row 4 'April 2025', "
        "row 7 'Stage 2 cases', row 9 'Total'"
    ]
    stage2 = {r.reference: r.values for r in result.rows}["SPRUCE102"]
    assert stage2["stage2_handler"] == "Jordan Blake"
    assert stage2["escalation_received"] == date(2025, 4, 22)
    assert stage2["review_type"] == "manager"
    assert stage2["stage2_extension"] is False
    assert stage2["stage1_extension"] is False


@pytest.mark.parametrize("suffix", [".xlsx", ".ods", ".xls"])
def test_the_file_is_read_once_so_a_save_meanwhile_cannot_change_what_is_imported(
    tmp_path: Path, suffix: str
) -> None:
    """A handler saving the workbook on the share while it is imported: the import reads,
    checks and names (SHA-256) the bytes it opened, never a mix of two versions."""
    import hashlib

    first = (FIXTURES / f"messy_log{suffix}").read_bytes()
    second = (FIXTURES / f"formulas{suffix}").read_bytes()
    untouched = tmp_path / f"untouched{suffix}"
    untouched.write_bytes(first)
    with Workbook(untouched) as book:
        expected = {name: book.sheet(name).rows for name in book.sheet_names}
    path = tmp_path / f"log{suffix}"
    path.write_bytes(first)
    with Workbook(path) as opened:
        with path.open("r+b") as fh:  # overwritten in place, as a save over the share does
            fh.write(second)
            fh.truncate()
        got = {name: opened.sheet(name).rows for name in opened.sheet_names}
        assert opened.sha256 == hashlib.sha256(first).hexdigest()
    assert got == expected
