"""The lifecycle fields beyond the 24 columns survive an export and an import."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from complaints_cli.domain.columns import COLUMNS
from tests.conftest import LOG_ARGS, new_log_url
from tests.records import record

KEPT = (
    "stage2_acknowledged",
    "ombudsman_body",
    "ombudsman_referred",
    "ombudsman_requested",
    "ombudsman_evidence_sent",
    "stage",
    "escalation_received",
    "stage2_handler",
)


def test_lifecycle_fields_round_trip(cli: Any, tmp_path: Path, monkeypatch: Any) -> None:
    monkeypatch.setenv("COMPLAINTS_TODAY", "2026-03-20")
    assert cli("log", *LOG_ARGS).exit_code == 0
    steps = [
        ("respond", "SPRUCE001", "--date", "2025-02-14", "--summary", "Upheld"),
        (
            "escalate",
            "SPRUCE001",
            "--received",
            "2025-03-03",
            "--review",
            "manager",
            "--details",
            "Still damp",
            "--handler",
            "Jordan Blake",
        ),
        ("acknowledge", "SPRUCE001", "--date", "2025-03-05"),
        ("respond", "SPRUCE001", "--date", "2025-03-20", "--summary", "Review upheld"),
        (
            "ombudsman",
            "SPRUCE001",
            "--referred",
            "2025-05-01",
            "--requested",
            "2025-06-02",
            "--body",
            "prs",
        ),
        ("ombudsman", "SPRUCE001", "--evidence-sent", "2025-06-16"),
    ]
    for step in steps:
        result = cli(*step)
        assert result.exit_code == 0, result.output
    before = json.loads(cli("show", "SPRUCE001", "-f", "json").stdout)
    out = tmp_path / "log.xlsx"
    assert cli("export", str(out)).exit_code == 0
    monkeypatch.setenv("COMPLAINTS_DB", str(tmp_path / "fresh.db"))
    result = cli("import", str(out), "--create")
    assert result.exit_code == 0, result.output
    after = json.loads(cli("show", "SPRUCE001", "-f", "json").stdout)
    assert {k: after[k] for k in KEPT} == {k: before[k] for k in KEPT}
    assert after["ombudsman_body"] == "PRS"
    assert after["ombudsman_evidence_sent"] == "2025-06-16"


# --- the fields beyond the lifecycle: extension told, Stage 2 compensation, migration 0004 ------

PROCESS_FIELDS: dict[str, Any] = {
    "kind": "service dissatisfaction",
    "not_accepted_reason": "Legal proceedings had started",
    "not_accepted_told": date(2025, 2, 6),
    "events_date": date(2025, 1, 20),
    "informal_received": date(2025, 1, 27),
    "informal_responded": date(2025, 1, 31),
    "converted_from_informal": date(2025, 2, 3),
    "folded_issues": "Broken gate (raised 05/02/2025)\nLoose handrail",
    "panel_meeting": date(2025, 4, 10),
    "ombudsman_determined": date(2025, 9, 1),
    "ombudsman_findings": "Maladministration in the repair's handling",
}
SENSITIVE_FIELDS: dict[str, Any] = {
    "vulnerable": True,
    "contact_preference": "Email only",
    "adjustments": "Large print letters",
    "vulnerability_notes": "Hearing impaired; uses a text relay service",
}


@pytest.fixture
def fresh_url(db_url: str, request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A second, empty database on the same backend as ``db_url``, to import into."""
    backend = "sqlite" if db_url.startswith("sqlite") else "postgresql"
    return new_log_url(request, tmp_path / "fresh.db", backend)


def _set(url: str, reference: str, values: dict[str, Any]) -> None:
    """Write fields straight into a real database (the commands that set them are another
    part's; here only the export and import are under test)."""
    from complaints_cli.store.db import RawDatabase

    with RawDatabase(url) as db:
        assignments = ", ".join(f"{k} = :{k}" for k in values)
        db.execute(
            f"UPDATE complaint SET {assignments} WHERE reference = :ref",
            {**values, "ref": reference},
        )
        if db.dialect == "sqlite":
            db._conn.commit()


def _case(url: str, reference: str) -> dict[str, Any]:
    from complaints_cli.store import reads
    from complaints_cli.store.db import RawDatabase

    with RawDatabase(url) as db:
        return record(reads.get_case(db, reference))


def _told_and_stage2_compensation(cli: Any, monkeypatch: Any) -> None:
    monkeypatch.setenv("COMPLAINTS_TODAY", "2025-02-03")
    assert cli("log", *LOG_ARGS).exit_code == 0
    steps: list[tuple[str, tuple[str, ...]]] = [
        ("2025-02-04", ("acknowledge", "SPRUCE001", "--summary", "Damp")),
        ("2025-02-12", ("extend", "SPRUCE001", "--reason", "Awaiting survey", "--told")),
        (
            "2025-02-20",
            (
                "respond",
                "SPRUCE001",
                "--summary",
                "Upheld",
                "--action",
                "Replace extractor fan",
                "--action-due",
                "2025-02-28",
                "--action",
                "Repaint ceiling | stain-block first",
                "--action-due",
                "2025-03-14",
                "--action-owner",
                "Sam Patel",
                "--action-owner",
                "Kim Ho",
            ),
        ),
        ("2025-02-27", ("action", "done", "SPRUCE001", "1")),
        (
            "2025-03-03",
            (
                "escalate",
                "SPRUCE001",
                "--received",
                "2025-03-03",
                "--review",
                "compensation",
                "--details",
                "Not enough",
                "--handler",
                "Jordan Blake",
            ),
        ),
        ("2025-03-10", ("extend", "SPRUCE001", "--reason", "Panel date", "--days", "5")),
        (
            "2025-03-28",
            (
                "respond",
                "SPRUCE001",
                "--summary",
                "Partly upheld",
                "--compensation",
                "£1,250.50",
                "--compensation-reason",
                "time, trouble and a damaged carpet",
            ),
        ),
    ]
    for day, step in steps:
        monkeypatch.setenv("COMPLAINTS_TODAY", day)
        result = cli(*step)
        assert result.exit_code == 0, (step, result.output)


def test_told_flags_stage2_compensation_and_process_fields_round_trip(
    cli: Any, tmp_path: Path, monkeypatch: Any, db_url: str, fresh_url: str
) -> None:
    _told_and_stage2_compensation(cli, monkeypatch)
    _set(db_url, "SPRUCE001", PROCESS_FIELDS)
    before = _case(db_url, "SPRUCE001")
    assert (before["stage1_extension_told"], before["stage2_extension_told"]) == (True, False)
    assert before["stage2_compensation_amount"] == Decimal("1250.50")

    out = tmp_path / "log.xlsx"
    assert cli("export", str(out)).exit_code == 0
    from openpyxl import load_workbook

    ws = load_workbook(out).active
    assert ws is not None
    headers = [c.value for c in ws[1]]
    row = {h: c.value for h, c in zip(headers, ws[2], strict=True)}
    assert headers[:24] == [c.header for c in COLUMNS]  # the new fields come after the 24
    assert row["Stage 1 extension: resident told"] == "Yes"
    assert row["Stage 2 extension: resident told"] == "No"
    assert row["Stage 2 compensation & reasons"] == "£1,250.50 (time, trouble and a damaged carpet)"
    assert row["Case kind"] == "service dissatisfaction"
    assert row["Issues folded in"] == "Broken gate (raised 05/02/2025)\nLoose handrail"
    assert row["Panel meeting"].date() == date(2025, 4, 10)
    assert "Vulnerable" not in headers  # nothing sensitive was set, and it is left out anyway

    monkeypatch.setenv("COMPLAINTS_DB", fresh_url)
    result = cli("import", str(out))
    assert result.exit_code == 0, result.output
    after = _case(fresh_url, "SPRUCE001")
    for name in (
        *PROCESS_FIELDS,
        "stage1_extension_told",
        "stage2_extension_told",
        "stage2_compensation_amount",
        "stage2_compensation_reasons",
        "compensation_amount",
        "stage2_extended_to",
        "review_type",
    ):
        assert after[name] == before[name], name
    assert _actions(fresh_url) == _actions(db_url)
    assert _actions(fresh_url) == [
        (1, "Stage 1", "action", "Replace extractor fan", "Sam Patel", "2025-02-28", "2025-02-27"),
        (
            2,
            "Stage 1",
            "action",
            "Repaint ceiling | stain-block first",
            "Kim Ho",
            "2025-03-14",
            None,
        ),
    ]
    # Importing the same file again changes nothing: every field compares equal.
    again = cli("import", str(out))
    assert again.exit_code == 0, again.output
    assert "1 unchanged" in again.stdout

    # Action 2 done in the workbook: a conflict, applied with --update (nothing deleted).
    from openpyxl import load_workbook as load

    book = load(out)
    sheet = book.active
    assert sheet is not None
    column = headers.index("Actions") + 1
    cell = sheet.cell(row=2, column=column)
    assert str(cell.value).splitlines() == [
        "1 | Stage 1 | action | Replace extractor fan | Sam Patel | due 28/02/2025 "
        "| done 27/02/2025",
        "2 | Stage 1 | action | Repaint ceiling | stain-block first | Kim Ho | due 14/03/2025",
    ]
    cell.value = str(cell.value) + " | done 20/03/2025"
    book.save(out)
    conflict = cli("import", str(out))
    assert conflict.exit_code == 1  # nothing else new: nothing written, so no success
    assert "1 row(s) of log.xlsx differ from the cases already in the log" in conflict.stderr
    assert "SPRUCE001 (sheet 'Complaints Log', row 2) 'Actions'" in conflict.output
    assert _actions(fresh_url)[1][-1] is None
    assert cli("import", str(out), "--update").exit_code == 0
    assert _actions(fresh_url)[1][-1] == "2025-03-20"
    assert _actions(fresh_url)[0][-1] == "2025-02-27"


def _actions(url: str) -> list[tuple[Any, ...]]:
    from complaints_cli.store import reads
    from complaints_cli.store.db import RawDatabase

    with RawDatabase(url) as db:
        case = reads.get_case(db, "SPRUCE001")
        assert case.id is not None
        return [
            (
                a.number,
                a.stage,
                a.kind,
                a.text,
                a.owner,
                a.due.isoformat(),
                a.done.isoformat() if a.done else None,
            )
            for a in reads.actions(db, case.id)
        ]


def test_vulnerability_is_exported_only_when_asked_and_imported_when_present(
    cli: Any, tmp_path: Path, monkeypatch: Any, db_url: str, fresh_url: str
) -> None:
    monkeypatch.setenv("COMPLAINTS_TODAY", "2025-02-03")
    assert cli("log", *LOG_ARGS).exit_code == 0
    _set(db_url, "SPRUCE001", SENSITIVE_FIELDS)
    plain, full = tmp_path / "plain.xlsx", tmp_path / "full.csv"
    assert cli("export", str(plain)).exit_code == 0
    assert cli("export", str(full), "--include-sensitive").exit_code == 0
    from openpyxl import load_workbook

    ws = load_workbook(plain).active
    assert ws is not None
    cells = [c.value for row in ws.iter_rows() for c in row]
    for header in ("Vulnerable", "Contact preference", "Reasonable adjustments"):
        assert header not in cells
    assert not any(isinstance(v, str) and "Hearing impaired" in v for v in cells)
    text = full.read_text(encoding="utf-8-sig")
    header_line = text.splitlines()[0]
    assert header_line.endswith(
        "Vulnerable,Contact preference,Reasonable adjustments,Vulnerability notes,Created,Updated"
    )
    assert "Yes,Email only,Large print letters,Hearing impaired; uses a text relay service" in text

    # The export without them imports without them; the sensitive one carries them back.
    monkeypatch.setenv("COMPLAINTS_DB", fresh_url)
    assert cli("import", str(plain)).exit_code == 0
    assert {k: _case(fresh_url, "SPRUCE001")[k] for k in SENSITIVE_FIELDS} == dict.fromkeys(
        SENSITIVE_FIELDS
    )
    from openpyxl import Workbook

    # A workbook with the sensitive columns (as --include-sensitive writes them) is read.
    rows = list(csv.reader(io.StringIO(text)))
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for r in rows:
        sheet.append(r)
    with_them = tmp_path / "with.xlsx"
    book.save(with_them)
    result = cli("import", str(with_them), "--update")
    assert result.exit_code == 0, result.output
    after = _case(fresh_url, "SPRUCE001")
    assert {k: after[k] for k in SENSITIVE_FIELDS} == SENSITIVE_FIELDS


def test_an_unreadable_actions_cell_is_refused_with_the_line_at_fault() -> None:
    from complaints_cli.files.cells import CellError, parse_column
    from complaints_cli.files.headers import recognise

    column = recognise("Actions")
    assert column is not None and not isinstance(column, str)
    good = "1 | Stage 1 | action | Fix gate | Sam Patel | due 03/02/2025"
    assert parse_column(column, good)["actions"][0].text == "Fix gate"  # type: ignore[index]
    for text, reason in (
        ("Fix the gate", "has too few parts"),
        ("1 | Stage 1 | action | Fix gate | Sam Patel | 03/02/2025", "has no 'due dd/mm/yyyy'"),
        ("1 | Stage 1 | promise | Fix gate | Sam | due 03/02/2025", "kind 'promise' is not one"),
        (f"{good}\n{good}", "two actions have the same number"),
    ):
        with pytest.raises(CellError) as err:
            parse_column(column, text)
        assert reason in err.value.reason


def test_related_case_round_trips_by_reference(
    cli: Any, tmp_path: Path, monkeypatch: Any, db_url: str, fresh_url: str
) -> None:
    from complaints_cli.store.db import RawDatabase

    monkeypatch.setenv("COMPLAINTS_TODAY", "2025-02-03")
    for _ in range(3):
        assert cli("log", *LOG_ARGS).exit_code == 0
    with RawDatabase(db_url) as db:
        # SPRUCE003 is a new issue raised from SPRUCE001 (Code 6.8): the ids differ per log.
        db.execute(
            "UPDATE complaint SET related_to_id = (SELECT id FROM complaint "
            "WHERE reference = 'SPRUCE001') WHERE reference = 'SPRUCE003'"
        )
        if db.dialect == "sqlite":
            db._conn.commit()
    out = tmp_path / "log.xlsx"
    assert cli("export", str(out)).exit_code == 0
    from openpyxl import load_workbook

    book = load_workbook(out)
    sheet = book.active
    assert sheet is not None
    column = [c.value for c in sheet[1]].index("Related case") + 1
    assert [sheet.cell(row=r, column=column).value for r in (2, 3, 4)] == [
        None,
        None,
        "SPRUCE001",
    ]
    monkeypatch.setenv("COMPLAINTS_DB", fresh_url)
    # Another log has its own case folders: the first log's root is refused to it.
    monkeypatch.setenv("COMPLAINTS_ROOT", str(tmp_path / "Fresh Complaints"))
    # The fresh log starts with an unrelated case, so ids and references no longer line up.
    assert cli("log", *LOG_ARGS).exit_code == 0
    with RawDatabase(fresh_url) as db:
        db.execute("UPDATE complaint SET reference = 'SPRUCE050' WHERE reference = 'SPRUCE001'")
        if db.dialect == "sqlite":
            db._conn.commit()
    result = cli("import", str(out))
    assert result.exit_code == 0, result.output
    with RawDatabase(fresh_url) as db:
        linked = db.execute(
            "SELECT c.reference, r.reference FROM complaint c "
            "JOIN complaint r ON r.id = c.related_to_id"
        ).fetchall()
    assert [tuple(row) for row in linked] == [("SPRUCE003", "SPRUCE001")]
    assert "0 updated, 3 unchanged, 0 conflicting" in cli("import", str(out)).stdout

    # A related case that is neither in the file nor in the log: nothing is imported.
    sheet.cell(row=4, column=column).value = "SPRUCE999"
    bad = tmp_path / "bad.xlsx"
    book.save(bad)
    monkeypatch.setenv("COMPLAINTS_DB", str(tmp_path / "third.db"))
    refused = cli("import", str(bad), "--create")
    assert refused.exit_code == 1
    assert "SPRUCE003 (row 4) 'Related case': SPRUCE999 is neither in the file nor in the log" in (
        refused.stderr
    )
    listed = cli("list", "--format", "json")
    assert json.loads(listed.stdout) == []
