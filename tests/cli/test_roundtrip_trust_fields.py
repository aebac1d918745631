"""The case's fields of migration 0005 survive an export and an import into a new log.

Category, tenure, each stage's decision, a withdrawal, a void (and the case it duplicates, by
its reference), when each extension was agreed and the resident told, when compensation was
paid, a refused escalation and when the learning was sent: each is a column after the log's
24, headed in the history's words, and read back by the import (SQLite and PostgreSQL; the
CSV's cells are checked by tests/files/test_roundtrip_property.py, an import reads workbooks).
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

from complaints_cli.domain.columns import COLUMNS
from complaints_cli.domain.presentation import field_label
from tests.cli.test_roundtrip_lifecycle import _case, _set
from tests.cli.test_roundtrip_lifecycle import fresh_url as fresh_url  # the fixture
from tests.conftest import LOG_ARGS

#: Every field of migration 0005 on the withdrawn case (dates in the order of events).
WITHDRAWN: dict[str, Any] = {
    "status": "Withdrawn",
    "category": "Repairs: damp and mould",
    "tenure": "low-cost home ownership",
    "stage1_outcome": "partly upheld",
    "stage2_outcome": "upheld",
    "acknowledged": date(2025, 2, 4),
    "stage1_responded": date(2025, 2, 20),
    "stage1_extension_agreed": date(2025, 2, 10),
    "stage1_extension_told_on": date(2025, 2, 11),
    "stage2_extension_agreed": date(2025, 3, 12),
    "stage2_extension_told_on": date(2025, 3, 13),
    "stage2_responded": date(2025, 3, 28),
    "compensation_paid": date(2025, 2, 27),
    "stage2_compensation_paid": date(2025, 4, 2),
    "stage2_refused": date(2025, 3, 4),
    "stage2_refused_reason": "Raised more than 12 months after the response\n(policy 5.3)",
    "stage2_refusal_told": date(2025, 3, 5),
    "learning_sent": date(2025, 4, 7),
    "withdrawn": date(2025, 4, 14),
    "withdrawn_reason": "Resident moved out; - no longer wishes to pursue",
}
#: The void case, a duplicate of the withdrawn one.
VOID: dict[str, Any] = {
    "status": "Void",
    "voided": date(2025, 2, 5),
    "void_reason": "Logged twice from the same e-mail",
}
NEW_FIELDS = (*(f for f in WITHDRAWN if f != "status"), *(f for f in VOID if f != "status"))


def test_every_new_field_round_trips(
    cli: Any, tmp_path: Path, monkeypatch: Any, db_url: str, fresh_url: str
) -> None:
    from complaints_cli.store.db import RawDatabase

    monkeypatch.setenv("COMPLAINTS_TODAY", "2025-02-03")
    for _ in range(2):
        assert cli("log", *LOG_ARGS).exit_code == 0
    _set(db_url, "SPRUCE001", WITHDRAWN)
    _set(db_url, "SPRUCE002", VOID)
    with RawDatabase(db_url) as db:
        db.execute(
            "UPDATE complaint SET duplicate_of_id = (SELECT id FROM complaint "
            "WHERE reference = 'SPRUCE001') WHERE reference = 'SPRUCE002'"
        )
        if db.dialect == "sqlite":
            db._conn.commit()
    before = {ref: _case(db_url, ref) for ref in ("SPRUCE001", "SPRUCE002")}
    assert before["SPRUCE002"]["duplicate_of_id"] == before["SPRUCE001"]["id"]

    monkeypatch.setenv("COMPLAINTS_TODAY", "2025-06-01")
    # The export is the record: the void case is in it, with its status (README, `void`).
    out = tmp_path / "log.xlsx"
    exported = cli("export", str(out))
    assert exported.exit_code == 0, exported.output
    assert "Exported 2 case(s)" in exported.stdout
    headers, rows = _read(out)
    assert headers[:24] == [c.header for c in COLUMNS]  # the new columns come after the 24
    first, second = (dict(zip(headers, r, strict=True)) for r in rows)
    assert (first["Status"], second["Status"]) == ("Withdrawn", "Void")
    # Headed in the history's words (one owner: presentation.field_label).
    assert first[field_label("tenure")] == "low-cost home ownership"
    assert first["Stage 1 decision"] == "partly upheld"
    assert first["Why Stage 2 was refused"] == WITHDRAWN["stage2_refused_reason"]
    assert first["Date withdrawn"] == date(2025, 4, 14)
    assert first["Duplicate of"] is None
    assert second["Duplicate of"] == "SPRUCE001"
    assert second["Why voided"] == VOID["void_reason"]

    monkeypatch.setenv("COMPLAINTS_DB", fresh_url)
    # Another log keeps its case folders under its own root (another log's root is refused).
    monkeypatch.setenv("COMPLAINTS_ROOT", str(tmp_path / "Fresh cases"))
    # The new log starts with another case, so its ids do not line up with the first log's.
    assert cli("log", *LOG_ARGS).exit_code == 0
    with RawDatabase(fresh_url) as db:
        db.execute("UPDATE complaint SET reference = 'SPRUCE050' WHERE reference = 'SPRUCE001'")
        if db.dialect == "sqlite":
            db._conn.commit()
    imported = cli("import", str(out))
    assert imported.exit_code == 0, imported.output
    assert "2 added" in imported.stdout
    after = {ref: _case(fresh_url, ref) for ref in ("SPRUCE001", "SPRUCE002")}
    for ref in after:
        got = {f: after[ref][f] for f in (*NEW_FIELDS, "status")}
        assert got == {f: before[ref][f] for f in (*NEW_FIELDS, "status")}, ref
    assert after["SPRUCE002"]["duplicate_of_id"] == after["SPRUCE001"]["id"]
    assert after["SPRUCE001"]["id"] != before["SPRUCE001"]["id"]
    # Importing the same file again changes nothing: every new field compares equal.
    again = cli("import", str(out))
    assert again.exit_code == 0, again.output
    assert "2 unchanged" in again.stdout
    # A voided reference is never given again, in a log made from the export either.
    logged = cli("log", *LOG_ARGS)
    assert logged.exit_code == 0, logged.output
    assert logged.stdout.startswith("Logged SPRUCE003:")  # SPRUCE002 is the void one


def _read(path: Path) -> tuple[list[str], list[list[Any]]]:
    from openpyxl import load_workbook

    sheet = load_workbook(path).active
    assert sheet is not None
    table = [list(r) for r in sheet.iter_rows(values_only=True)]
    return [str(h) for h in table[0]], [
        [v.date() if isinstance(v, datetime) else v for v in r] for r in table[1:]
    ]


def test_a_duplicate_of_a_case_neither_in_the_file_nor_the_log_is_refused(
    cli: Any, tmp_path: Path, monkeypatch: Any, db_url: str
) -> None:
    from openpyxl import Workbook

    monkeypatch.setenv("COMPLAINTS_TODAY", "2025-06-01")
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Complaints reference", "Date complaint received", "Status", "Duplicate of"])
    sheet.append(["SPRUCE001", "03/02/2025", "Void", "SPRUCE404"])
    path = tmp_path / "void.xlsx"
    book.save(path)
    result = cli("import", str(path))
    assert result.exit_code == 1
    assert (
        "SPRUCE001 (row 2) 'Duplicate of': SPRUCE404 is neither in the file nor in the log; "
        "nothing was imported" in result.stderr
    )
    assert "Traceback" not in result.output


def test_a_word_column_takes_only_the_logs_words(
    cli: Any, tmp_path: Path, monkeypatch: Any, db_url: str
) -> None:
    """A tenure, decision or Ombudsman body the log does not know is refused for its cell
    (stored, it would make the case unreadable)."""
    from openpyxl import Workbook

    monkeypatch.setenv("COMPLAINTS_TODAY", "2025-06-01")
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    headers = ["Complaints reference", "Date complaint received", "Tenure", "Stage 1 decision"]
    sheet.append([*headers, "Ombudsman body"])
    sheet.append(["SPRUCE001", "03/02/2025", "LCHO", "Partially upheld", "prs"])
    sheet.append(["SPRUCE002", "03/02/2025", "Freehold", "upheld", "A"])
    path = tmp_path / "words.xlsx"
    book.save(path)
    result = cli("import", str(path))
    assert result.exit_code == 1
    assert "'Freehold' is not one of: LCRA (low-cost rental), LCHO (low-cost home" in result.stderr
    assert "'A' is not one of: HOS, PRS" in result.stderr
    assert "SPRUCE001" not in result.stderr
    sheet.delete_rows(3)
    book.save(path)
    assert cli("import", str(path)).exit_code == 0
    case = _case(db_url, "SPRUCE001")
    assert (case["tenure"], case["stage1_outcome"], case["ombudsman_body"]) == (
        "low-cost home ownership",
        "partly upheld",
        "PRS",
    )
