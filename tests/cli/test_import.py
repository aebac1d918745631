"""``complaints import``: workbooks written by LibreOffice and openpyxl, read by calamine.

The fixtures in ``tests/fixtures`` are made by ``tests/fixtures/build_fixtures.py`` (LibreOffice
headless converting flat ODS sources, which are committed beside them). Bad inputs (zip bombs,
XML entity attacks, damaged files) are built byte by byte in each test.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import shutil
import sqlite3
import warnings
import zipfile
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from complaints_cli.config import sqlite_path
from complaints_cli.domain.columns import HEADERS
from complaints_cli.files import spreadsheet
from complaints_cli.files.cells import parse_row
from complaints_cli.files.headers import find_header_row
from complaints_cli.files.sheet_parser import _SLICE as SLICE
from complaints_cli.files.sheet_parser import SheetParser
from complaints_cli.files.spreadsheet import Workbook
from complaints_cli.store.db import RawDatabase
from complaints_cli.store.reads import get_case, history, list_cases
from tests.conftest import LOG_ARGS
from tests.fixtures.build_fixtures import convert
from tests.paths import FIXTURES, SAMPLE
from tests.records import record


def fixture(tmp_path: Path, name: str) -> Path:
    """A copy in tmp_path, so files written beside it (rejected rows) stay out of the repo."""
    target = tmp_path / name
    shutil.copy(FIXTURES / name, target)
    return target


def log_url(_tmp_path: Path | None = None) -> str:
    """The log the CLI writes to: tmp_path/log.db, or the ``db_url`` a test asked for."""
    from complaints_cli.config import database_url

    return database_url(os.environ["COMPLAINTS_DB"])


def openpyxl_log(path: Path, rows: list[list[Any]], *, title: str | None = None) -> Path:
    """A one-sheet workbook written by openpyxl (another program than ours): ``rows`` in
    order, the header first; the sheet named ``title`` when given. Returns ``path``."""
    from openpyxl import Workbook as OpenpyxlWorkbook

    wb = OpenpyxlWorkbook()
    ws = wb.active
    if title is not None:
        ws.title = title
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def cases(tmp_path: Path) -> dict[str, dict[str, Any]]:
    with RawDatabase(log_url(tmp_path)) as db:
        return {c.reference: record(c) for c in list_cases(db)}


def table_state(tmp_path: Path) -> tuple[list[Any], list[Any], list[Any]]:
    """Every row of the three tables: to show a refused import changed nothing."""
    url = log_url(tmp_path)
    path = sqlite_path(url)
    if path is not None and not path.exists():
        return [], [], []
    with RawDatabase(url) as db:
        return tuple(  # type: ignore[return-value]
            db.execute(f"SELECT * FROM {t} ORDER BY id").fetchall()
            for t in ("complaint", "history", "counter")
        )


# --- a messy log, as LibreOffice writes it in three formats ------------------------------------


@pytest.mark.parametrize("name", ["messy_log.xlsx", "messy_log.xls", "messy_log.ods"])
def test_messy_log_imports_every_value(cli, tmp_path, name, db_url):
    result = cli("import", str(fixture(tmp_path, name)))
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == (
        f"Imported {name} (sheet 'Log 2025'): 5 added, 0 updated, 0 unchanged, "
        "0 conflicting, 0 rejected"
    )
    assert "kept 2 column(s) the log does not know: 'Yardi ref', 'Visits'" in result.stderr
    log = cases(tmp_path)
    assert list(log) == ["SPRUCE001", "SPRUCE002", "SPRUCE003", "SPRUCE004", "SPRUCE005"]

    one = log["SPRUCE001"]
    assert one["status"] == "Closed" and one["stage"] == "Stage 1"
    assert (one["received"], one["acknowledged"]) == (date(2025, 2, 3), date(2025, 2, 5))
    assert (one["ack_met"], one["ack_met_note"]) == (True, "sent late, handler on leave")
    assert one["stage1_responded"] == date(2025, 2, 18)
    assert (one["stage1_extension"], one["stage1_met"]) == (False, True)
    assert one["compensation_amount"] == Decimal("1250.00")
    assert one["compensation_reasons"] == "time and trouble"
    assert one["escalated"] is False
    assert one["learning"] == "Check extractor fans at void"
    # Unknown columns are kept as written; a formula's cached value (=1+1) is read.
    assert one["extra"] == {"Yardi ref": "T-4471", "Visits": 2}

    two = log["SPRUCE002"]  # written "spruce-002", "open", "Stage1"
    assert (two["status"], two["stage"]) == ("Open", "Stage 1")
    assert two["complainant"] == "Bo Diaz\nEli Jones"
    assert two["received"] == date(2025, 2, 3)  # "03/02/2025": 3 February, never 2 March
    assert two["acknowledged"] == date(1899, 12, 30) + timedelta(days=45695)  # a serial
    assert two["acknowledged"] == date(2025, 2, 7)
    assert two["stage1_responded"] is None  # N/A
    assert two["stage1_extension"] is None  # TBC
    assert two["extra"] == {"Yardi ref": 12345}

    three = log["SPRUCE003"]
    assert three["received"] == date(2025, 3, 3)  # a date-time: the time is dropped
    assert three["acknowledged"] == date(2025, 3, 4)  # "4 March 2025"
    assert three["stage1_extension"] is True
    assert three["stage1_extension_reason"] == "awaiting contractor report"
    assert three["stage1_extended_to"] == date(2025, 3, 31)
    assert (three["compensation_amount"], three["compensation_reasons"]) == (Decimal("0"), None)
    assert three["escalated"] is True
    assert three["escalation_received"] == date(2025, 4, 7)
    assert three["review_type"] == "manager"
    assert three["escalation_details"] == "Manager Review - unhappy with the repair timescale"
    assert three["stage2_handler"] == "Jordan Blake"
    assert (three["stage2_responded"], three["stage2_met"]) == (date(2025, 5, 2), True)
    assert three["extra"] == {}

    # The Handler cell merged down over two rows applies to both, in every format (the merges
    # of an .ods are read from its content.xml: calamine reports none).
    assert log["SPRUCE004"]["handler"] == "Sam Patel"
    assert log["SPRUCE005"]["handler"] == "Sam Patel"
    assert "1 cell(s) merged down over several rows" in result.stderr


def test_reimporting_the_same_file_changes_nothing(cli, tmp_path, db_url):
    source = fixture(tmp_path, "messy_log.xlsx")
    assert cli("import", str(source)).exit_code == 0
    before = table_state(tmp_path)
    again = cli("import", str(source))
    assert again.exit_code == 0, again.output
    assert "0 added, 0 updated, 5 unchanged, 0 conflicting, 0 rejected" in again.stdout
    assert table_state(tmp_path) == before


def test_each_case_has_a_history_entry_naming_the_file_and_its_hash(cli, tmp_path, db_url):
    source = fixture(tmp_path, "messy_log.xlsx")
    assert cli("import", str(source)).exit_code == 0
    digest = hashlib.sha256(source.read_bytes()).hexdigest()
    with RawDatabase(log_url(tmp_path)) as db:
        case = record(get_case(db, "SPRUCE003"))
        entries = history(db, case["id"])
        total = db.scalar("SELECT COUNT(*) FROM history")
    assert total == 5
    assert len(entries) == 1
    entry = entries[0]
    assert (entry["command"], entry["actor"]) == ("import", "tester")
    # A new case names the row it came from; its values are the case's own.
    assert entry["note"] == (
        f"imported from messy_log.xlsx (sha256 {digest}), sheet 'Log 2025' row 8"
    )
    assert entry["changes"] == {}


def test_each_new_case_gets_its_own_rows_history_in_a_log_with_cases(cli, tmp_path, db_url):
    """The new cases' ids are matched to their references after the bulk insert (on SQLite
    from the ids that follow the log's last one): each case's import entry is its own row's,
    in a log that already has cases, whatever order the file's references come in."""
    assert cli("log", "--no-input", *LOG_ARGS).exit_code == 0  # SPRUCE001, id 1
    refs = ["SPRUCE050", "SPRUCE020", "SPRUCE090", "SPRUCE010", "SPRUCE070", "SPRUCE030"]
    path = openpyxl_log(
        tmp_path / "order.xlsx",
        [["Ref", "Complainant", "Address", "Date received"]]
        + [[ref, f"Person {n}", f"{n} Oak Road", "04/02/2025"] for n, ref in enumerate(refs)],
    )
    assert cli("import", str(path)).exit_code == 0
    with RawDatabase(log_url(tmp_path)) as db:
        for n, ref in enumerate(refs):
            case = record(get_case(db, ref))
            assert (case["complainant"], case["address"]) == (f"Person {n}", f"{n} Oak Road")
            (entry,) = history(db, case["id"])
            assert entry["note"].endswith(f"sheet 'Sheet' row {n + 2}"), (ref, entry["note"])
        assert [e["command"] for e in history(db, record(get_case(db, "SPRUCE001"))["id"])] == [
            "log"
        ]


def test_imported_references_advance_the_counter(cli, tmp_path, db_url):
    assert cli("import", str(fixture(tmp_path, "messy_log.xlsx"))).exit_code == 0
    logged = cli("log", "--no-input", *LOG_ARGS)
    assert logged.exit_code == 0, logged.output
    assert logged.stdout.startswith("Logged SPRUCE006:")


def test_dry_run_reports_and_writes_nothing(cli, tmp_path):
    result = cli("import", "--dry-run", str(fixture(tmp_path, "messy_log.xlsx")))
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == (
        "Dry run of messy_log.xlsx (sheet 'Log 2025'): would be 5 added, 0 updated, "
        "0 unchanged, 0 conflicting, 0 rejected; nothing was written"
    )
    assert cases(tmp_path) == {}


def test_create_folders_makes_the_case_folders(cli, tmp_path, root):
    result = cli("import", "--create-folders", str(fixture(tmp_path, "messy_log.xlsx")))
    assert result.exit_code == 0, result.output
    assert "5 folder(s) made" in result.stdout
    assert (root / "1 Essex Brewery – SPRUCE001").is_dir()
    assert cases(tmp_path)["SPRUCE002"]["folder"] == "2 Mill Road – SPRUCE002"


def test_an_existing_folder_is_linked_without_create_folders(cli, tmp_path, root):
    (root / "Old name - SPRUCE004").mkdir(parents=True)
    assert cli("import", str(fixture(tmp_path, "messy_log.xlsx"))).exit_code == 0
    log = cases(tmp_path)
    assert log["SPRUCE004"]["folder"] == "Old name - SPRUCE004"
    assert log["SPRUCE001"]["folder"] is None
    assert sorted(p.name for p in root.iterdir()) == ["Old name - SPRUCE004"]


def test_1904_date_system_numbers_are_read_from_1904(cli, tmp_path):
    result = cli("import", str(fixture(tmp_path, "epoch_1904.xlsx")))
    assert result.exit_code == 0, result.output
    case = cases(tmp_path)["SPRUCE020"]
    assert case["received"] == date(2025, 2, 3)  # a real date: the reader applies the system
    assert case["acknowledged"] == date(1904, 1, 1) + timedelta(days=44232)
    assert case["acknowledged"] == date(2025, 2, 6)  # in the 1900 system: 5 February 2021


# --- problems: reported by sheet, row, column and value; nothing written ------------------------


BAD_LINES = [
    "sheet 'Log', row 4, column G 'Date received', value '31/02/2025': '31/02/2025' is not a "
    "real date (day 31, month 2, year 2025)",
    "sheet 'Log', row 5, column H 'Date acknowledged', value '02/13/2025':",
    "sheet 'Log', row 5, column J 'Met HOS acknowledgement timeframe?', value 'Maybe': "
    "'Maybe' is not Yes or No",
    "sheet 'Log', row 6, column O 'Compensation paid & reasons', value '£50 + £25 goodwill': "
    "'£50 + £25 goodwill' holds more than one amount",
    "sheet 'Log', row 7, column A 'Ref': is empty: every complaint needs its reference",
    "sheet 'Log', row 8, column A 'Ref', value 'SPRUCE010': is also on row 3",
    "sheet 'Log', row 9, column G 'Date received': holds the error value #DIV/0!",
]


def test_bad_rows_are_each_reported_and_nothing_is_written(cli, tmp_path, db_url):
    assert cli("log", "--no-input", *LOG_ARGS).exit_code == 0
    before = table_state(tmp_path)
    result = cli("import", str(fixture(tmp_path, "bad_rows.xlsx")))
    assert result.exit_code == 1
    for line in BAD_LINES:
        assert any(line in got for got in result.stderr.splitlines()), line
    assert result.stderr.splitlines()[-1] == (
        "complaints: error: 6 row(s) of bad_rows.xlsx cannot be imported (listed above); "
        "nothing was imported: correct them, or use --skip-invalid to import the 2 valid row(s)"
    )
    assert "Traceback" not in result.stderr
    assert table_state(tmp_path) == before
    assert not (tmp_path / "bad_rows-rejected.xlsx").exists()


def test_skip_invalid_imports_the_valid_rows_and_saves_the_others(cli, tmp_path):
    source = fixture(tmp_path, "bad_rows.xlsx")
    result = cli("import", "--skip-invalid", str(source))
    assert result.exit_code == 0, result.output
    rejected = tmp_path / "bad_rows-rejected.xlsx"
    assert result.stdout.strip() == (
        "Imported bad_rows.xlsx (sheet 'Log'): 2 added, 0 updated, 0 unchanged, "
        f"0 conflicting, 6 rejected; rejected rows saved to {rejected}"
    )
    assert sorted(cases(tmp_path)) == ["SPRUCE010", "SPRUCE015"]
    from openpyxl import load_workbook

    sheet = load_workbook(rejected).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0][:2] == ["Ref", "Status"] and rows[0][-1] == "Rejected because"
    assert [r[0] for r in rows[1:]] == ["SPRUCE011", "SPRUCE012", "SPRUCE013", None,
                                         "SPRUCE010", "SPRUCE014"]  # fmt: skip
    assert rows[1][6] == "31/02/2025"  # the cell as it was, to fix in place
    assert rows[1][-1].startswith("row 4: G 'Date received': '31/02/2025' is not a real date")
    assert rows[2][-1].count(";") == 1  # two problems on row 5


def test_the_rejected_rows_workbook_has_real_dates_and_imports_once_fixed(cli, tmp_path):
    from openpyxl import load_workbook

    assert cli("import", "--skip-invalid", str(fixture(tmp_path, "bad_rows.xlsx"))).exit_code == 0
    rejected = tmp_path / "bad_rows-rejected.xlsx"
    book = load_workbook(rejected)
    sheet = book.active
    received = sheet["G3"]  # row 5 of the source: SPRUCE012, a good date beside bad cells
    assert received.is_date and received.value.date() == date(2025, 2, 3)
    assert received.number_format == "dd\\/mm\\/yyyy"
    # Fix the rows in place (keep the reasons column, as a user would) and import again.
    fixes = {
        "SPRUCE011": {"G": "28/02/2025"},
        "SPRUCE012": {"H": "13/02/2025", "J": "No - late"},
        "SPRUCE013": {"O": "£75 (£50 delay, £25 goodwill)"},
        "SPRUCE014": {"G": date(2025, 2, 7)},
    }
    for row in sheet.iter_rows(min_row=2):
        ref = row[0].value
        for letter, value in fixes.get(ref, {}).items():
            sheet[f"{letter}{row[0].row}"].value = value
        if ref not in fixes:
            for cell in row:
                cell.value = None  # the rows without a reference, or a duplicate: dropped
    book.save(rejected)
    result = cli("import", str(rejected))
    assert result.exit_code == 0, result.output
    assert "4 added" in result.stdout
    assert "do not know" not in result.stderr  # "Rejected because" left out, not kept
    log = cases(tmp_path)
    assert log["SPRUCE011"]["received"] == date(2025, 2, 28)
    assert log["SPRUCE013"]["compensation_amount"] == Decimal("75.00")
    assert log["SPRUCE014"]["received"] == date(2025, 2, 7)
    assert all(case["extra"] == {} for case in log.values())


def test_an_older_rejected_rows_workbook_has_its_reason_column_left_out(cli, tmp_path):

    path = openpyxl_log(
        tmp_path / "old-rejected.xlsx",
        [
            ["Ref", "Status", "Stage", "Date received", "Reason"],
            ["SPRUCE011", "Open", "Stage 1", "28/02/2025", "row 4: D 'Date received': bad"],
        ],
    )
    result = cli("import", str(path))
    assert result.exit_code == 0, result.output
    assert (
        "note: column E 'Reason' holds the reasons a rejected-rows workbook gives: left out"
        in result.stderr
    )
    assert cases(tmp_path)["SPRUCE011"]["extra"] == {}
    # A team's own "Reason" column is kept: its values are not the import's reasons.
    path = openpyxl_log(
        path,
        [
            ["Ref", "Status", "Stage", "Date received", "Reason"],
            ["SPRUCE011", "Open", "Stage 1", "28/02/2025", "Repairs"],
        ],
    )
    again = cli("--db", str(tmp_path / "other.db"), "import", "--create", str(path))
    assert again.exit_code == 0, again.output
    assert "note: kept 1 column(s) the log does not know: 'Reason'" in again.stderr


@pytest.mark.parametrize("skip", [[], ["--skip-invalid"]])
def test_a_file_with_no_valid_row_is_refused_with_or_without_skip_invalid(cli, tmp_path, skip):
    """--skip-invalid is not offered when it would import nothing, and with it the import
    still fails: "0 added" and exit 0 would look like the file went in."""

    assert cli("log", "--no-input", *LOG_ARGS).exit_code == 0
    before = table_state(tmp_path)
    path = openpyxl_log(
        tmp_path / "all-bad.xlsx",
        [
            ["Ref", "Status", "Stage", "Date received"],
            ["SPRUCE011", "Open", "Stage 1", "31/02/2025"],
            ["SPRUCE012", "Open", "Stage 1", "next week"],
        ],
    )
    result = cli("import", *skip, str(path))
    assert result.exit_code == 1, result.output
    assert result.stderr.splitlines()[-1] == (
        "complaints: error: none of the 2 row(s) of all-bad.xlsx can be imported (listed "
        "above); nothing was imported: correct them and import the file again"
    )
    assert table_state(tmp_path) == before
    assert not (tmp_path / "all-bad-rejected.xlsx").exists()


def test_extra_leading_zeros_are_the_same_reference_as_the_commands_read(cli, tmp_path):
    """SPRUCE0001 is SPRUCE001 (``show SPRUCE0001`` shows it): a row written so is that
    complaint, never a second case no command can reach."""
    assert cli("log", "--no-input", *LOG_ARGS).exit_code == 0  # SPRUCE001, Ann Lee
    before = table_state(tmp_path)
    path = openpyxl_log(
        tmp_path / "zeros.xlsx",
        [
            ["Ref", "Complainant", "Address", "Date received"],
            ["SPRUCE0001", "Dan Poe", "4 Oak Road", "04/02/2025"],
        ],
    )
    result = cli("import", str(path))
    assert result.exit_code == 1, result.output
    assert (
        "SPRUCE001 (sheet 'Sheet', row 2) is another complaint than the log's SPRUCE001"
        in result.stderr
    )
    assert table_state(tmp_path) == before
    # Both forms in one file are one reference twice.
    path = openpyxl_log(
        path,
        [
            ["Ref", "Complainant", "Address", "Date received"],
            ["SPRUCE0001", "Dan Poe", "4 Oak Road", "04/02/2025"],
            ["SPRUCE001", "Ann Lee", "1 Essex Brewery", "03/02/2025"],
        ],
    )
    twice = cli("--db", str(tmp_path / "other.db"), "import", "--create", str(path))
    assert twice.exit_code == 1
    assert "value 'SPRUCE001': is also on row 2" in twice.stderr


def test_dry_run_with_skip_invalid_writes_no_rejected_workbook(cli, tmp_path):
    result = cli("import", "--skip-invalid", "--dry-run", str(fixture(tmp_path, "bad_rows.xlsx")))
    assert result.exit_code == 0, result.output
    assert "would be 2 added" in result.stdout
    assert not (tmp_path / "bad_rows-rejected.xlsx").exists()
    assert cases(tmp_path) == {}


def test_a_formula_without_a_saved_value_is_reported(cli, tmp_path):
    result = cli("import", str(fixture(tmp_path, "uncached_formula.xlsx")))
    assert result.exit_code == 1
    assert (
        "sheet 'Log', row 2, column G 'Date received': is a formula with no saved result"
        in result.stderr
    )
    assert cases(tmp_path) == {}


# --- conflicts and --update ----------------------------------------------------------------------


def _edited_export(cli: Any, tmp_path: Path, edits: dict[tuple[str, str], object]) -> Path:
    """Our own export of the log with some cells changed, by (reference, header)."""
    from openpyxl import load_workbook

    out = tmp_path / "edited.xlsx"
    assert cli("export", str(out)).exit_code == 0
    wb = load_workbook(out)
    ws = wb.active
    headers = [c.value for c in ws[1]]
    for row in ws.iter_rows(min_row=2):
        for (ref, header), value in edits.items():
            if row[0].value == ref:
                row[headers.index(header)].value = value
    wb.save(out)
    return out


def test_a_changed_case_is_a_conflict_reported_column_by_column(cli, tmp_path, db_url):
    assert cli("import", str(fixture(tmp_path, "messy_log.xlsx"))).exit_code == 0
    before = table_state(tmp_path)
    edited = _edited_export(
        cli,
        tmp_path,
        {("SPRUCE001", "Status"): "Open", ("SPRUCE001", "Yardi ref"): "T-9999"},
    )
    result = cli("import", str(edited))
    # Nothing else in the file is new, so nothing is written: that is no success (exit 1,
    # the differences listed, then one error line saying how to resolve them).
    assert (result.exit_code, result.stdout) == (1, "")
    lines = result.stderr.splitlines()
    assert lines[-4:] == [
        f"1 case(s) in {edited.name} differ from the log:",
        "  SPRUCE001 (sheet 'Complaints Log', row 2) 'Status': log has 'Closed', file has 'Open'",
        "  SPRUCE001 (sheet 'Complaints Log', row 2) 'Yardi ref': log has 'T-4471', "
        "file has 'T-9999'",
        f"complaints: error: 1 row(s) of {edited.name} differ from the cases already in the "
        "log (listed above) (4 other row(s) unchanged); nothing was imported: apply the "
        "file's values with --update, or correct the file to match the log",
    ]
    assert table_state(tmp_path) == before
    # A dry run reports them and succeeds (it writes nothing by design), as before.
    dry = cli("import", "--dry-run", str(edited))
    assert dry.exit_code == 0, dry.output
    assert "would be 0 added, 0 updated, 4 unchanged, 1 conflicting, 0 rejected" in dry.stdout
    assert table_state(tmp_path) == before


def test_conflicts_beside_new_cases_are_reported_and_the_new_ones_added(cli, tmp_path, db_url):
    """A file that adds cases is an import that did something: the conflicting rows are
    listed (not written) and the exit status is 0, as before."""
    assert cli("import", str(fixture(tmp_path, "messy_log.xlsx"))).exit_code == 0
    from openpyxl import load_workbook

    edited = _edited_export(cli, tmp_path, {("SPRUCE001", "Status"): "Open"})
    wb = load_workbook(edited)
    ws = wb.active
    new = [c.value for c in ws[2]]
    new[0] = "SPRUCE900"
    ws.append(new)
    wb.save(edited)
    result = cli("import", str(edited))
    assert result.exit_code == 0, result.output
    assert "1 added, 0 updated, 4 unchanged, 1 conflicting, 0 rejected" in result.stdout
    assert "(not written: use --update to apply the file's values)" in result.stderr


def test_update_applies_the_files_values_with_history(cli, tmp_path, db_url):
    assert cli("import", str(fixture(tmp_path, "messy_log.xlsx"))).exit_code == 0
    edited = _edited_export(
        cli,
        tmp_path,
        {
            ("SPRUCE001", "Status"): "Open",
            ("SPRUCE001", "Date response was sent"): None,
            ("SPRUCE001", "Yardi ref"): "T-9999",
        },
    )
    # Closed -> Open and a blanked response date move the case back: held back, whole.
    before = table_state(tmp_path)
    held = cli("import", "--update", str(edited))
    assert held.exit_code == 0, held.output
    assert "0 added, 0 updated, 4 unchanged, 0 conflicting, 0 rejected, 1 held back" in held.stdout
    assert (
        "SPRUCE001 (sheet 'Complaints Log', row 2): not updated, it would move the case back "
        "('Status' back from Closed to Open (reopen it with complaints reopen))"
    ) in held.stderr
    assert table_state(tmp_path) == before
    result = cli("import", "--update", "--allow-rollback", str(edited))
    assert result.exit_code == 0, result.output
    assert "0 added, 1 updated, 4 unchanged, 0 conflicting, 0 rejected" in result.stdout
    assert "SPRUCE001 (sheet 'Complaints Log', row 2) 'Status': 'Closed' -> 'Open'" in (
        result.stderr
    )
    with RawDatabase(log_url(tmp_path)) as db:
        case = record(get_case(db, "SPRUCE001"))
        entries = history(db, case["id"])
    assert case["status"] == "Open"
    assert case["stage1_responded"] is None
    assert case["extra"] == {"Yardi ref": "T-9999", "Visits": 2}
    assert case["row_version"] == 2
    assert case["updated_at"] > case["created_at"]
    assert entries[-1]["command"] == "import"
    assert entries[-1]["changes"] == {
        "status": ["Closed", "Open"],
        "stage1_responded": ["2025-02-18", None],
        "extra:Yardi ref": ["T-4471", "T-9999"],
    }
    again = cli("import", str(edited))
    assert "0 added, 0 updated, 5 unchanged" in again.stdout


# --- choosing the sheet --------------------------------------------------------------------------


def test_sheet_option_picks_the_sheet(cli, tmp_path):
    result = cli(
        "import", "--sheet", "log 2025", "--dry-run", str(fixture(tmp_path, "messy_log.xlsx"))
    )
    assert result.exit_code == 0, result.output
    missing = cli("import", "--sheet", "2024", str(fixture(tmp_path, "messy_log.xlsx")))
    assert missing.exit_code == 1
    assert missing.stderr == (
        "complaints: error: 'messy_log.xlsx' has no sheet '2024': it has 'Read me', "
        "'Log 2025', 'Lists'\n"
    )


def test_two_sheets_that_look_like_logs_are_not_guessed(cli, tmp_path):
    from openpyxl import Workbook as OpenpyxlWorkbook

    wb = OpenpyxlWorkbook()
    for name in ("2024", "2025"):
        ws = wb.create_sheet(name)
        ws.append(list(HEADERS[:7]))
        ws.append(["SPRUCE001", "Open", "Stage 1", "Sam", "Ann", "1 Road", "03/02/2025"])
    del wb["Sheet"]
    path = tmp_path / "two.xlsx"
    wb.save(path)
    result = cli("import", str(path))
    assert result.exit_code == 1
    assert result.stderr == (
        "complaints: error: sheets '2024' and '2025' both look like a complaints log: "
        "import one sheet at a time with --sheet (--sheet '2024', then the next)\n"
    )
    assert cli("import", "--sheet", "2025", str(path)).exit_code == 0


# --- untrusted files ---------------------------------------------------------------------------


def _xlsx_with(
    parts: dict[str, bytes | str], drop: frozenset[str] | set[str] = frozenset()
) -> bytes:
    """The messy log fixture with some parts replaced (or added), and some left out."""
    src = zipfile.ZipFile(FIXTURES / "messy_log.xlsx")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            if info.filename not in parts:
                z.writestr(info.filename, src.read(info.filename))
        for name, data in parts.items():
            if name not in drop:
                z.writestr(name, data)
    return out.getvalue()


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1">
<si><t>&lol3;</t></si></sst>"""

EXTERNAL_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1">
<si><t>&xxe;</t></si></sst>"""


def _bomb() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        src = zipfile.ZipFile(FIXTURES / "messy_log.xlsx")
        for info in src.infolist():
            z.writestr(info.filename, src.read(info.filename))
        z.writestr("xl/worksheets/sheet9.xml", b"<a>" + b" " * 60_000_000 + b"</a>")
    return out.getvalue()


def _lying_bomb() -> bytes:
    """A part that says it unpacks to 100 bytes but holds 20 MB: the sizes in a zip's
    directory are only claims."""
    data = bytearray(_xlsx_with({"xl/worksheets/sheet9.xml": b"<a>" + b" " * 20_000_000 + b"</a>"}))
    size = (20_000_007).to_bytes(4, "little")
    small = (100).to_bytes(4, "little")
    assert data.count(size) == 2  # the local header and the central directory
    return bytes(data.replace(size, small))


def _grid_bomb() -> bytes:
    src = zipfile.ZipFile(FIXTURES / "messy_log.xlsx")
    sheet = src.read("xl/worksheets/sheet2.xml").decode()
    cell = '<row r="1048576"><c r="XFD1048576" t="n"><v>1</v></c></row></sheetData>'
    return _xlsx_with({"xl/worksheets/sheet2.xml": sheet.replace("</sheetData>", cell)})


UNTRUSTED = {
    "text": (
        b"Ref,Status\nSPRUCE001,Open\n",
        "is a text file (CSV or tab-separated), not a workbook: open it in Excel, choose File > "
        "Save As > Excel Workbook (.xlsx), and import that",
    ),
    "html": (b"<html><body><table></table></body></html>", "is a web page (HTML), not a workbook"),
    "binary": (bytes(range(256)) * 4, "is not a spreadsheet"),
    "empty": (b"", "is empty (0 bytes)"),
    "corrupt zip": (
        (FIXTURES / "messy_log.xlsx").read_bytes()[:3000],
        "is damaged: not a valid zip archive",
    ),
    "word document": (None, "is a Word document, not a workbook"),
    "zip bomb": (None, "times (a zip bomb?): refused"),
    "lying zip bomb": (None, "is damaged"),
    "billion laughs": (None, "has an XML document type declaration in xl/sharedStrings.xml"),
    "external entity": (None, "refused as a possible XML entity attack"),
    "grid bomb": (None, "uses column XFD, past the 512 columns an import reads"),
    "grid bomb in single quotes": (None, "uses column XFD, past the 512 columns"),
    "grid bomb after a tab": (None, "uses column XFD, past the 512 columns"),
    "grid bomb in a second r in single quotes": (None, "duplicate attribute"),
    "grid bomb in a second r after a tab": (None, "duplicate attribute"),
    "grid bomb in a part not named .xml": (None, "uses column XFD, past the 512 columns"),
    "grid bomb without cell addresses": (None, "uses column ACOG, past the 512 columns"),
    "grid bomb under a lying dimension": (None, "uses row 1048576, past the 500000 rows"),
    "grid past the memory budget": (None, "more than the 3,072 MB an import may use"),
    "duplicate part names": (None, "has two parts named xl/worksheets/sheet2.xml"),
    "UTF-16 sheet part": (None, "is written in UTF-16, which Excel and LibreOffice never write"),
    "xls cell past column 512": (None, "uses column CJSS, past the 512 columns"),
    "ods empty repeats then a value": (None, "uses column WQK, past the 512 columns"),
    "ods value repeated down": (None, "uses row 600010, past the 500000 rows"),
    "ods table inside a cell": (None, "a table inside a cell, which the import does not read"),
}


def _untrusted_bytes(kind: str) -> bytes:
    data, _ = UNTRUSTED[kind]
    if data is not None:
        return data
    if kind == "word document":
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as z:
            z.writestr("[Content_Types].xml", "<Types/>")
            z.writestr("word/document.xml", "<w:document/>")
        return out.getvalue()
    if kind == "zip bomb":
        return _bomb()
    if kind == "lying zip bomb":
        return _lying_bomb()
    if kind == "billion laughs":
        return _xlsx_with({"xl/sharedStrings.xml": BILLION_LAUGHS})
    if kind == "external entity":
        return _xlsx_with({"xl/sharedStrings.xml": EXTERNAL_ENTITY})
    if kind == "grid bomb":
        return _grid_bomb()
    sheet = zipfile.ZipFile(FIXTURES / "messy_log.xlsx").read("xl/worksheets/sheet2.xml").decode()
    if kind == "grid bomb in single quotes":
        far = "<row r='1048576'><c r='XFD1048576' t='n'><v>1</v></c></row></sheetData>"
        return _xlsx_with({"xl/worksheets/sheet2.xml": sheet.replace("</sheetData>", far)})
    if kind == "grid bomb after a tab":
        far = '<row r="9"><c\tr="XFD9"><v>1</v></c></row></sheetData>'
        return _xlsx_with({"xl/worksheets/sheet2.xml": sheet.replace("</sheetData>", far)})
    if kind == "grid bomb in a second r in single quotes":
        far = '<row r="9"><c r="A9" r=\'XFD1048576\'><v>1</v></c></row></sheetData>'
        return _xlsx_with({"xl/worksheets/sheet2.xml": sheet.replace("</sheetData>", far)})
    if kind == "grid bomb in a second r after a tab":
        far = '<row r="9"><c r="A9"\tr="XFD1048576"><v>1</v></c></row></sheetData>'
        return _xlsx_with({"xl/worksheets/sheet2.xml": sheet.replace("</sheetData>", far)})
    if kind == "grid bomb in a part not named .xml":
        far = '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData>'
        rels = zipfile.ZipFile(FIXTURES / "messy_log.xlsx").read("xl/_rels/workbook.xml.rels")
        return _xlsx_with(
            {
                "xl/worksheets/sheet2.xml": b"",
                "xl/worksheets/log.bin": sheet.replace("</sheetData>", far),
                "xl/_rels/workbook.xml.rels": rels.replace(b"sheet2.xml", b"log.bin"),
            },
            drop={"xl/worksheets/sheet2.xml"},
        )
    if kind == "grid bomb without cell addresses":
        wide = '<row r="20">' + "<c/>" * 20_000 + "<c><v>1</v></c></row></sheetData>"
        return _xlsx_with({"xl/worksheets/sheet2.xml": sheet.replace("</sheetData>", wide)})
    if kind == "grid bomb under a lying dimension":
        far = '<row><c r="A1048576"><v>1</v></c></row></sheetData>'
        lying = re.sub(r'<dimension ref="[^"]*"/>', '<dimension ref="A1:Z10"/>', sheet)
        return _xlsx_with({"xl/worksheets/sheet2.xml": lying.replace("</sheetData>", far)})
    if kind == "grid past the memory budget":
        far = '<row r="400000"><c r="SR400000"><v>1</v></c></row></sheetData>'
        return _xlsx_with({"xl/worksheets/sheet2.xml": sheet.replace("</sheetData>", far)})
    if kind == "duplicate part names":
        data = _xlsx_with({})
        out = io.BytesIO(data)
        with zipfile.ZipFile(out, "a") as z, warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "Duplicate name": the point of the test
            z.writestr("xl/worksheets/sheet2.xml", sheet)
        return out.getvalue()
    if kind == "UTF-16 sheet part":
        return _xlsx_with({"xl/worksheets/sheet2.xml": sheet.encode("utf-16")})
    if kind == "xls cell past column 512":
        return _xls_cell_moved(column=60_000)
    content = zipfile.ZipFile(FIXTURES / "messy_log.ods").read("content.xml").decode()
    end = content.index("</table:table>", content.index('table:name="Log 2025"'))
    value = '<table:table-cell office:value-type="float" office:value="1"><text:p>1</text:p>'
    value += "</table:table-cell>"
    if kind == "ods empty repeats then a value":
        rows = (
            '<table:table-row table:number-rows-repeated="1000"><table:table-cell/>'
            "</table:table-row><table:table-row><table:table-cell table:number-columns-"
            f'repeated="16000"/>{value}</table:table-row>'
        )
    elif kind == "ods value repeated down":
        rows = f'<table:table-row table:number-rows-repeated="600000">{value}</table:table-row>'
    elif kind == "ods table inside a cell":
        rows = (
            "<table:table-row><table:table-cell><table:table table:name='x'/>"
            "</table:table-cell></table:table-row>"
        )
    else:
        raise AssertionError(kind)
    return _ods_with(content[:end] + rows + content[end:])


def _ods_with(content: str) -> bytes:
    src = zipfile.ZipFile(FIXTURES / "messy_log.ods")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            data = content.encode() if info.filename == "content.xml" else src.read(info)
            z.writestr(info, data)
    return out.getvalue()


def _xls_cell_moved(column: int) -> bytes:
    """messy_log.xls with its first number cell of 'Log 2025' moved to another column: the
    BIFF record's column field patched in place, in the compound file's sectors."""
    import struct

    from complaints_cli.files.xls_file import read_compound

    data = bytearray((FIXTURES / "messy_log.xls").read_bytes())
    compound = read_compound(bytes(data))
    start, size = compound.streams["workbook"]
    stream = compound.read("workbook")
    pos, sheets = 0, 0
    while pos + 4 <= len(stream):
        kind, length = struct.unpack_from("<HH", stream, pos)
        sheets += kind == 0x0809
        if sheets == 3 and kind in (0x0203, 0x027E):  # 'Log 2025', a NUMBER or RK cell
            break
        pos += 4 + length
    else:
        raise AssertionError("no number cell")
    chain = compound._chain(start, compound.fat, size // compound.sector + 1)
    at = pos + 4 + 2  # the column field
    offset = (chain[at // compound.sector] + 1) * compound.sector + at % compound.sector
    data[offset : offset + 2] = struct.pack("<H", column)
    return bytes(data)


@pytest.mark.parametrize("kind", list(UNTRUSTED))
def test_untrusted_files_get_one_clear_line_and_change_nothing(cli, tmp_path, kind):
    assert cli("log", "--no-input", *LOG_ARGS).exit_code == 0
    before = table_state(tmp_path)
    path = tmp_path / "suspect.xlsx"
    path.write_bytes(_untrusted_bytes(kind))
    result = cli("import", str(path))
    assert result.exit_code == 1, result.output
    assert result.stderr.count("\n") == 1, result.stderr
    assert result.stderr.startswith("complaints: error: ")
    assert UNTRUSTED[kind][1] in result.stderr
    assert table_state(tmp_path) == before


def test_a_huge_file_is_refused_before_it_is_read(cli, tmp_path, monkeypatch):
    monkeypatch.setattr(spreadsheet, "MAX_FILE_BYTES", 5000)
    result = cli("import", str(fixture(tmp_path, "messy_log.xlsx")))
    assert result.exit_code == 1
    assert "more than the 0 MB an import reads" in result.stderr
    assert cases(tmp_path) == {}


def test_a_missing_file_is_one_line(cli, tmp_path):
    result = cli("import", str(tmp_path / "nope.xlsx"))
    assert result.exit_code == 1
    assert result.stderr == f"complaints: error: {str(tmp_path / 'nope.xlsx')!r} does not exist\n"


# --- the column-wise parser gives parse_row's answers ---------------------------------------------


MESSY_VALUES = [
    "Yes", "No - late", "Yes - sent late, handler on leave", "TRUE", True, False, 1, 0, 1.0,
    "N/A", "TBC", "-", "", None, "None", "Nil", "£50", "£1,250.00 (time and trouble)", 50,
    50.5, "50p", "03/02/2025", "2025-02-03", "31/02/2025", date(2025, 2, 3), 45678, 45678.0,
    "Stage 2", "S2", "open", "Closed", "Manager Review - x", "Compensation review",
    "Yes - reason (new date 24/03/2025)", "manager", "SPRUCE001", "spruce 7", "Email",
    "  spaces  ", "line\r\nbreak", "Maybe",
    # References the fast path must leave to the grammar: past its bounds, or not plain.
    "SPRUCE" + "9" * 13, "ABCDEFGHIJKLM001", "SPRUCE0000000000001", "HA2-001",
]  # fmt: skip


def test_sheet_parser_matches_parse_row_on_every_row():
    """Every column against a mixed bag of values, row by row, as cells.parse_row sees them."""
    headers = [*HEADERS, "Channel", "Date closed", "Stage 1 extended to", "Stage 2 extended to",
               "Review type"]  # fmt: skip
    _, match = find_header_row([headers])
    rows = []
    for shift in range(len(MESSY_VALUES)):
        rows.append([MESSY_VALUES[(shift + i) % len(MESSY_VALUES)] for i in range(len(headers))])
    rows.append(["SPRUCE001"] + [None] * (len(headers) - 1))
    # Agreement checks between two columns filling one field:
    ext = headers.index("Response extension required & why?")
    extra = headers.index("Stage 1 extended to")
    agree = ["SPRUCE002"] + [None] * (len(headers) - 1)
    agree[ext], agree[extra] = "Yes - x (new date 24/03/2025)", date(2025, 3, 24)
    clash = list(agree)
    clash[extra] = date(2025, 3, 25)
    rows += [agree, clash]
    parsed = SheetParser(match.columns, epoch_1904=False).parse(rows)
    for row, (values, errors) in zip(rows, parsed, strict=True):
        expected_values, expected_errors = parse_row(match.cells(row))
        assert values == expected_values, row
        got = [(headers[i], value, reason) for i, value, reason in errors]
        assert got == expected_errors, row
    assert parsed[-1][1] and "says 25/03/2025 but" in parsed[-1][1][0][2]


def test_a_number_after_thousands_of_text_rows_parses_as_parse_row_reads_it():
    """The parser maps a column of text and dates through one dict, a slice of cells at a
    time; a later slice holding numbers or Yes/No values (1, True and 1.0 are equal keys of
    a dict) must still be read by their own types, as parse_row reads each cell."""
    headers = [*HEADERS, "Channel", "Date closed", "Review type"]
    _, match = find_header_row([headers])
    plain = ["SPRUCE001", "Open", "Stage 1", "Sam Patel", "03/02/2025", date(2025, 2, 3), None]
    rows = [[plain[(n + i) % len(plain)] for i in range(len(headers))] for n in range(SLICE + 10)]
    for shift in range(len(MESSY_VALUES)):
        rows.append([MESSY_VALUES[(shift + i) % len(MESSY_VALUES)] for i in range(len(headers))])
    parsed = SheetParser(match.columns, epoch_1904=False).parse(rows)
    for row, (values, errors) in list(zip(rows, parsed, strict=True))[SLICE - 10 :]:
        expected_values, expected_errors = parse_row(match.cells(row))
        assert values == expected_values, row
        assert [(headers[i], value, reason) for i, value, reason in errors] == expected_errors


def test_the_sample_log_parses_the_same_either_way():
    with Workbook(SAMPLE) as wb:
        sheet = wb.sheet("Complaints Log")
    index, match = find_header_row(sheet.rows)
    rows = sheet.rows[index + 1 :]
    parsed = SheetParser(match.columns, epoch_1904=False).parse(rows)
    for row, (values, errors) in zip(rows, parsed, strict=True):
        assert (values, [(match.columns[i].header, v, r) for i, v, r in errors]) == parse_row(
            match.cells(row)
        )


def test_blank_status_defaults_and_over_long_names_are_said(cli, tmp_path):

    path = openpyxl_log(
        tmp_path / "blanks.xlsx",
        [
            ["Ref", "Status", "Stage", "Handler", "Date received"],
            ["SPRUCE001", None, "Stage 2", "Sam Patel", "03/02/2025"],
            ["SPRUCE002", "N/A", None, "Sam Patel", "04/02/2025"],
            ["SPRUCE003", "Open", "Stage 1", "S" * 201, "05/02/2025"],
        ],
    )
    result = cli("import", "--skip-invalid", str(path))
    assert result.exit_code == 0, result.output
    assert "note: 2 blank Status cell(s) taken as 'Open'" in result.stderr
    assert "note: 1 blank Stage cell(s) taken as 'Stage 1'" in result.stderr
    assert (
        "sheet 'Sheet', row 4, column D 'Handler', value 'SSSS" in result.stderr
        and "is 201 characters long; the log keeps at most 200" in result.stderr
    )
    log = cases(tmp_path)
    assert (log["SPRUCE001"]["status"], log["SPRUCE001"]["stage"]) == ("Open", "Stage 2")
    assert (log["SPRUCE002"]["status"], log["SPRUCE002"]["stage"]) == ("Open", "Stage 1")
    assert "SPRUCE003" not in log


def test_the_counter_follows_the_highest_number_not_the_longest_reference(cli, tmp_path):

    openpyxl_log(
        tmp_path / "refs.xlsx",
        [
            ["Ref", "Date received"],
            ["SPRUCE0100", "03/02/2025"],  # four digits, but number 100
            ["SPRUCE999", "04/02/2025"],
            ["OLD005", "05/02/2025"],
        ],
    )
    assert cli("import", str(tmp_path / "refs.xlsx")).exit_code == 0
    logged = cli("log", "--no-input", *LOG_ARGS)
    assert logged.stdout.startswith("Logged SPRUCE1000:"), logged.output
    with sqlite3.connect(tmp_path / "log.db") as conn:
        counters = dict(conn.execute("SELECT prefix, last_number FROM counter").fetchall())
    assert counters == {"OLD": 5, "SPRUCE": 1000}


# --- headers over two rows, headings between the cases -------------------------------------------


@pytest.mark.parametrize(
    "name", ["two_row_headers.xlsx", "two_row_headers.xls", "two_row_headers.ods"]
)
def test_a_two_row_header_with_banner_rows_imports(cli, tmp_path, name):
    result = cli("import", str(fixture(tmp_path, name)))
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == (
        f"Imported {name} (sheet 'Log'): 3 added, 0 updated, 0 unchanged, 0 conflicting, 0 rejected"
    )
    assert result.stderr == (
        "note: skipped 3 row(s) that are headings, notes or totals, not cases: row 4 "
        "'April 2025', row 7 'Stage 2 cases', row 9 'Total'\n"
    )
    log = cases(tmp_path)
    assert "APRIL2025" not in log and "TOTAL" not in log
    award = log["SPRUCE101"]
    assert award["compensation_amount"] == Decimal("250.00")
    assert award["compensation_reasons"] == (
        "£150 time and trouble, £100 distress and inconvenience"
    )
    assert log["SPRUCE102"]["stage2_handler"] == "Jordan Blake"


def test_a_total_row_labelled_beside_its_count_is_skipped(cli, tmp_path):
    """A team's Total row with =COUNTA(A:A) in the reference column and "Total" beside it
    (fresh-user trial 9) is a total, not a case refused for the reference 4."""
    openpyxl_log(
        tmp_path / "totals.xlsx",
        [
            ["Ref", "Date received", "Complainant", "Address", "Handler", "Compensation"],
            ["SPRUCE001", "03/02/2025", "Ann Lee", "1 Oak Road", "Kim Ho", 50],
            ["SPRUCE002", "04/02/2025", "Bo Li", "2 Oak Road", "Kim Ho", 0],
            [2, "Total", None, None, None, 50],  # =COUNTA(A2:A3) and =SUM(F2:F3), as saved
        ],
    )
    result = cli("import", str(tmp_path / "totals.xlsx"))
    assert result.exit_code == 0, result.output
    assert "2 added" in result.stdout
    assert result.stderr == (
        "note: skipped 1 row(s) that are headings, notes or totals, not cases: row 4 'Total'\n"
    )
    assert sorted(cases(tmp_path)) == ["SPRUCE001", "SPRUCE002"]


@pytest.mark.parametrize("fmt", ["xlsx", "ods"])
def test_a_sheet_without_a_handler_or_complainant_column_says_so(cli, tmp_path, fmt):
    """A team's own headings ('Name', 'Officer') are kept as columns the log does not know;
    the cases then come in with no complainant and no handler, which the note listing kept
    columns did not say (fresh-user trial 9): a note names the missing columns."""
    rows = [
        ["Ref", "Status", "Stage", "Date received", "Name", "Address", "Officer"],
        ["SPRUCE001", "Open", "Stage 1", "03/02/2025", "Ann Lee", "1 Oak Road", "Kim Ho"],
    ]
    path = openpyxl_log(tmp_path / "own headings.xlsx", rows)
    if fmt == "ods":
        path = convert(path, "ods", tmp_path / "ods")
    result = cli("import", str(path))
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [
        "note: kept 2 column(s) the log does not know: 'Name', 'Officer'",
        "note: no 'Handler' or 'Complainant' column found: the cases are imported without "
        "them; if a column the log does not know ('Name', 'Officer') holds it, rename its "
        "heading to the log's and import again",
    ]
    case = cases(tmp_path)["SPRUCE001"]
    assert (case["handler"], case["complainant"]) == ("", "")
    assert case["extra"] == {"Name": "Ann Lee", "Officer": "Kim Ho"}


ACK_HEADER = "Date complaint acknowledged"


def test_an_older_copy_of_the_workbook_is_not_told_to_apply_its_blanks(cli, tmp_path, monkeypatch):
    """The team's old spreadsheet imported again after a case was acknowledged in the tool
    (fresh-user trial 9): its only differences are blank cells, which --update keeps. The
    refusal said "apply the file's values with --update", as if that would blank the log."""
    monkeypatch.setenv("COMPLAINTS_TODAY", "2025-03-10")
    path = openpyxl_log(
        tmp_path / "old log.xlsx",
        [
            ["Ref", "Stage", "Handler", "Complainant", "Address", "Date received", ACK_HEADER],
            ["SPRUCE001", "Stage 1", "Kim Ho", "Ann Lee", "1 Oak Road", "03/02/2025", None],
        ],
    )
    assert cli("import", str(path)).exit_code == 0
    ack = cli("acknowledge", "SPRUCE001", "--date", "04/02/2025", "--summary", "Damp")
    assert ack.exit_code == 0, ack.output
    before = table_state(tmp_path)
    again = cli("import", str(path))
    assert again.exit_code == 1
    assert again.stderr.splitlines()[-1] == (
        "complaints: error: 1 row(s) of old log.xlsx have blank cells where the log has "
        "values (listed above): the file is older than the log, and nothing was imported; "
        "--update keeps the log's values, so there is nothing to apply"
    )
    assert table_state(tmp_path) == before
    update = cli("import", str(path), "--update")
    assert update.exit_code == 0, update.output
    assert "0 updated, 1 unchanged" in update.stdout
    assert cases(tmp_path)["SPRUCE001"]["acknowledged"] == date(2025, 2, 4)


def test_the_merged_cells_note_names_the_cells(cli, tmp_path):
    result = cli("import", "--dry-run", str(fixture(tmp_path, "messy_log.xlsx")))
    assert result.exit_code == 0, result.output
    assert (
        "note: 1 cell(s) merged down over several rows: each row took the value (D9:D10)"
        in result.stderr
    )


def test_a_header_that_cannot_be_found_names_the_row_and_the_nearest_headers(cli, tmp_path):

    path = openpyxl_log(
        tmp_path / "typo.xlsx",
        [
            ["Complaint Refrence", "Status", "Stage", "Handler", "Date recieved", "Notes"],
            ["SPRUCE001", "Open", "Stage 1", "Sam", "03/02/2025", ""],
        ],
        title="Log",
    )
    result = cli("import", str(path))
    assert result.exit_code == 1
    assert result.stderr == (
        "complaints: error: sheet 'Log': no header row found: row 1 looks like one (it has "
        "'Status', 'Stage', 'Handler', 'Complaint received') but has no 'Complaints reference' "
        "column; columns not recognised: A 'Complaint Refrence' (nearest known header "
        "'Complaints reference'), F 'Notes' (no known header is close)\n"
    )


# --- numbers and dates out of bounds: one line per cell, never a traceback -----------------------


def test_amounts_and_years_out_of_bounds_are_refused_cell_by_cell(cli, tmp_path, db_url):
    from openpyxl import Workbook as OpenpyxlWorkbook

    wb = OpenpyxlWorkbook()
    ws = wb.active
    ws.title = "Log"
    ws.append(["Ref", "Status", "Stage", "Handler", "Date received", "Compensation paid & reasons"])
    values = ["9" * 40, 1e308, "1e400", "1e3", "1,2,3", 10**30, "£1,000,000.01", "NaN"]
    for n, value in enumerate(values, start=1):
        ws.append([f"SPRUCE{n:03d}", "Open", "Stage 1", "Sam", "03/02/2025", value])
    ws.append(["SPRUCE101", "Open", "Stage 1", "Sam", "03/02/0001", "£50"])
    ws.append(["SPRUCE102", "Open", "Stage 1", "Sam", date(2101, 1, 1), "£50"])
    ws.append(["SPRUCE103", "Open", "Stage 1", "Sam", 10**12, "£50"])
    ws.append(["SPRUCE104", "Open", "Stage 1", "Sam", "03/02/2025", "£1,000,000"])
    path = tmp_path / "bounds.xlsx"
    wb.save(path)
    assert cli("log", "--no-input", *LOG_ARGS).exit_code == 0
    before = table_state(tmp_path)
    result = cli("import", str(path))
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    lines = result.stderr.splitlines()
    assert lines[-1].startswith("complaints: error: 11 row(s) of bounds.xlsx cannot be imported")
    expected = [
        "row 2, column F 'Compensation paid & reasons', value '999",
        "is more than £1,000,000.00",
        "row 3, column F 'Compensation paid & reasons', value 1e+308: 1e+308 is more than",
        "row 4, column F 'Compensation paid & reasons', value '1e400': '1e400' is written with "
        "an exponent",
        "row 5, column F 'Compensation paid & reasons', value '1e3': '1e3' is written with an "
        "exponent",
        "row 6, column F 'Compensation paid & reasons', value '1,2,3': '1,2,3': '1,2,3' is not "
        "a clear amount (check the commas)",
        "row 8, column F 'Compensation paid & reasons', value '£1,000,000.01'",
        "row 9, column F 'Compensation paid & reasons', value 'NaN': 'NaN' has no amount",
        "row 10, column E 'Date received', value '03/02/0001': '03/02/0001' is in 1: a "
        "complaint date must fall between 1990 and 2100",
        "row 11, column E 'Date received', value 2101-01-01",
        "row 12, column E 'Date received', value 1000000000000: Excel date number "
        "1000000000000.0 is too large to be a date",
    ]
    for text in expected:
        assert any(text in line for line in lines), text
    assert table_state(tmp_path) == before
    skipped = cli("import", "--skip-invalid", "--dry-run", str(path))
    assert skipped.exit_code == 0, skipped.output
    assert "would be 1 added" in skipped.stdout  # SPRUCE104: £1,000,000 exactly


def test_a_change_to_part_of_a_column_names_the_part() -> None:
    """A column holding two fields: a message about the second names it (it said "'Met HOS
    acknowledgment timeframe': log has 'handler on leave'", the explanation, as if the
    column's Yes/No)."""
    from complaints_cli.files.importer import FIELD_HEADERS

    assert FIELD_HEADERS["ack_met"] == "Met HOS acknowledgment timeframe"
    assert FIELD_HEADERS["ack_met_note"] == "Met HOS acknowledgment timeframe (its explanation)"
    assert FIELD_HEADERS["escalation_details"] == "Stage 2 escalation details"
    assert FIELD_HEADERS["review_type"] == "Stage 2 escalation details (the review type)"
    assert FIELD_HEADERS["stage1_extended_to"] == (
        "Response extension required & why? (the new date)"
    )


def test_new_cases_get_their_history_when_the_log_holds_the_highest_id(cli, tmp_path):
    """The import finds its new rows' ids as those above the highest before it; when the log
    already holds the highest possible id, SQLite numbers new rows at random (below it), and
    each one is still found by its reference: every new case has its history entry."""

    assert cli("log", *LOG_ARGS).exit_code == 0
    top = 2**63 - 1
    conn = sqlite3.connect(sqlite_path(log_url(tmp_path)))
    with conn:
        conn.execute("UPDATE history SET complaint_id = ?", (top,))
        conn.execute("UPDATE complaint SET id = ?", (top,))
    conn.close()
    path = openpyxl_log(
        tmp_path / "two.xlsx",
        [
            ["Ref", "Status", "Stage", "Date received"],
            ["SPRUCE011", "Open", "Stage 1", "28/02/2025"],
            ["SPRUCE012", "Open", "Stage 1", "03/03/2025"],
        ],
    )
    result = cli("import", str(path))
    assert result.exit_code == 0, result.output
    with RawDatabase(log_url(tmp_path)) as db:
        for reference, row in (("SPRUCE011", 2), ("SPRUCE012", 3)):
            case = record(get_case(db, reference))
            assert case["id"] < top
            notes = [entry["note"] for entry in history(db, case["id"])]
            assert len(notes) == 1 and notes[0].endswith(f"sheet 'Sheet' row {row}"), notes


def _index_sql(url: str) -> list[tuple[str, str]]:
    with RawDatabase(url) as db:
        rows = db.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
            "ORDER BY name"
        ).fetchall()
    return [tuple(row) for row in rows]


def test_a_first_import_builds_the_indexes_again_and_a_refused_one_keeps_them(
    cli, tmp_path, monkeypatch
):
    """A big first import drops the secondary indexes and builds them once at the end
    (store/bulk._defer_indexes): the log ends with exactly the indexes it had, they answer
    queries, and an import refused after the drop leaves them as they were."""

    from complaints_cli.store import bulk

    monkeypatch.setattr(bulk, "_DEFER_AT", 2)  # the two-row files below count as big
    url = log_url(tmp_path)
    bad = openpyxl_log(
        tmp_path / "bad.xlsx",
        [
            ["Ref", "Status", "Stage", "Date received", "Related case"],
            ["SPRUCE011", "Open", "Stage 2", "28/02/2025", None],
            ["SPRUCE012", "Open", "Stage 1", "03/03/2025", "SPRUCE999"],
        ],
    )
    good = openpyxl_log(
        tmp_path / "good.xlsx",
        [
            ["Ref", "Status", "Stage", "Date received", "Related case"],
            ["SPRUCE011", "Open", "Stage 2", "28/02/2025", None],
            ["SPRUCE012", "Open", "Stage 1", "03/03/2025", "SPRUCE011"],
        ],
    )

    assert cli("import", "--create", str(bad)).exit_code == 1  # SPRUCE999 is nowhere
    made = _index_sql(url)
    assert {name for name, _sql in made} >= {
        "ix_complaint_reference",
        "ix_complaint_status_stage",
        "ix_complaint_related_to_id",
        "ix_history_complaint_id",
    }
    assert cli("list", "--format", "json").stdout.strip() == "[]"

    result = cli("import", str(good))
    assert result.exit_code == 0, result.output
    assert _index_sql(url) == made
    with RawDatabase(url) as db:
        assert db.scalar("PRAGMA integrity_check") == "ok"
        plan = " ".join(
            str(row[-1])
            for row in db.execute(
                "EXPLAIN QUERY PLAN SELECT reference FROM complaint "
                "WHERE status = 'Open' AND stage = 'Stage 2'"
            ).fetchall()
        )
        assert "ix_complaint_status_stage" in plan
        assert (
            db.scalar("SELECT reference FROM complaint WHERE status = 'Open' AND stage = 'Stage 2'")
            == "SPRUCE011"
        )
        assert db.scalar("SELECT COUNT(*) FROM history") == 2


@pytest.mark.parametrize(
    ("cell", "shown"),
    [
        ("Mal\x1b]0;pwned\x07lory", "U+001B, escape"),  # a terminal's title sequence
        ("Sam\x85Patel", "U+0085"),  # a C1 control
        ("Kim\x00Ho", "U+0000"),
    ],
)
def test_a_control_character_in_a_cell_is_refused_as_log_refuses_it(cli, tmp_path, cell, shown):
    """A workbook's text cell holding a control character (Excel writes ESC as
    ``_x001B_``, which the reader decodes) is refused with its sheet, row and column, as
    ``log`` refuses the same text; nothing is written (the trial imported one, and
    ``due --format csv`` then sent the escape sequence to the terminal)."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE  # openpyxl refuses to write them

    book = openpyxl_log(
        tmp_path / "team.xlsx",
        [
            ["Ref", "Handler", "Date received"],
            ["SPRUCE001", "placeholder", "03/02/2025"],
            ["SPRUCE002", "Jo Bloggs", "04/02/2025"],
        ],
    )
    # The cell as Excel writes it: the character escaped as _xHHHH_ in the sheet's XML.
    escaped = "".join(
        f"_x{ord(ch):04X}_" if ILLEGAL_CHARACTERS_RE.match(ch) or ch == "\x85" else ch
        for ch in cell
    )
    _patch_sheet(book, "placeholder", escaped)
    before = table_state(tmp_path)
    result = cli("import", "--create", str(book))
    assert result.exit_code == 1, result.output
    assert "row 2" in result.stderr and "'Handler'" in result.stderr
    assert f"holds a control character ({shown}" in result.stderr
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr
    assert table_state(tmp_path) == before


def _patch_sheet(book: Path, old: str, new: str) -> None:
    """Replace ``old`` by ``new`` in the workbook's first sheet's XML (as another program
    would have written the cell)."""
    import zipfile

    with zipfile.ZipFile(book) as z:
        parts = {i.filename: z.read(i.filename) for i in z.infolist()}
    name = "xl/worksheets/sheet1.xml"
    assert old.encode() in parts[name]
    parts[name] = parts[name].replace(old.encode(), new.encode())
    with zipfile.ZipFile(book, "w", zipfile.ZIP_DEFLATED) as z:
        for part, data in parts.items():
            z.writestr(part, data)
