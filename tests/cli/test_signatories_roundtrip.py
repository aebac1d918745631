"""A petition's signatories survive export, then import into an empty log (issue 14: every
exported column; the CSV form is checked by tests/files/test_roundtrip_property.py, as the
import reads workbooks); the import refuses what ``signatory add`` refuses."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import new_log_url
from tests.process_steps import Day

#: Two signatories beyond the lead petitioner: one whose address has a ``|``, a backslash and a
#: line break, the characters the cell's grammar must carry.
ODD_ADDRESS = "Flat 3 | Block B\\rear\n1 Essex Brewery, E17 3AB"


def _petition(day: Day) -> list[dict[str, Any]]:
    day.log("2025-02-03", "--kind", "petition")  # SPRUCE001: Ann Lee, the lead petitioner
    day.ok("2025-02-04", "signatory", "add", "SPRUCE001", "--name", "Raj Singh",
           "--address", ODD_ADDRESS)  # fmt: skip
    day.ok("2025-02-05", "signatory", "add", "SPRUCE001", "--name", "Mo Khan",
           "--address", "Flat 4, 1 Essex Brewery")  # fmt: skip
    return _signatories(day)


def _signatories(day: Day) -> list[dict[str, Any]]:
    return json.loads(day.ok("2025-03-01", "signatory", "list", "SPRUCE001", "-f", "json").stdout)  # type: ignore[no-any-return]


@pytest.fixture
def fresh_url(db_url: str, request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A second, empty log on the same backend as ``db_url``, to import into."""
    backend = "sqlite" if db_url.startswith("sqlite") else "postgresql"
    return new_log_url(request, tmp_path / "fresh.db", backend)


def test_signatories_survive_export_and_import(
    day: Day, db_url: str, fresh_url: str, tmp_path: Path, monkeypatch: Any
) -> None:
    before = _petition(day)
    assert [(s["name"], s["lead"]) for s in before] == [
        ("Ann Lee", True),
        ("Raj Singh", False),
        ("Mo Khan", False),
    ]
    exported = tmp_path / "log.xlsx"
    day.ok("2025-03-01", "export", str(exported))
    monkeypatch.setenv("COMPLAINTS_DB", fresh_url)
    day.ok("2025-03-01", "import", str(exported))
    assert _signatories(day) == before
    # Importing the same file again changes nothing (the signatories compare equal).
    again = day.ok("2025-03-01", "import", str(exported)).stdout
    assert "0 added, 0 updated, 1 unchanged, 0 conflicting" in again
    assert _signatories(day) == before


def test_the_cell_is_one_signatory_a_line(day: Day, db_url: str, tmp_path: Path) -> None:
    _petition(day)
    exported = tmp_path / "log.csv"
    day.ok("2025-03-01", "export", str(exported))
    rows = list(csv.reader(io.StringIO(exported.read_text(encoding="utf-8-sig"))))
    header, row = rows[0], rows[1]
    assert header.index("Petition signatories") > header.index("Organisational learning")
    assert row[header.index("Petition signatories")] == (
        "Ann Lee | 1 Essex Brewery | added 03/02/2025 | lead\n"
        "Raj Singh | Flat 3 \\| Block B\\\\rear\n1 Essex Brewery, E17 3AB | added 04/02/2025\n"
        "Mo Khan | Flat 4, 1 Essex Brewery | added 05/02/2025"
    )


def _edit(path: Path, column: str, value: str, **others: str) -> None:
    """Type into the exported workbook's first case, as a handler would in Excel."""
    import openpyxl

    book = openpyxl.load_workbook(path)
    sheet = book.active
    assert sheet is not None
    headers = [c.value for c in sheet[1]]
    for header, text in {column: value, **others}.items():
        sheet.cell(row=2, column=headers.index(header) + 1, value=text)
    book.save(path)


def test_update_adds_a_signatory_and_never_removes_one(
    day: Day, db_url: str, tmp_path: Path
) -> None:
    before = _petition(day)
    exported = tmp_path / "log.xlsx"
    day.ok("2025-03-01", "export", str(exported))
    cell = (
        "Ann Lee | 1 Essex Brewery | added 03/02/2025 | lead\nZoe Park | Flat 9 | added 20/02/2025"
    )
    _edit(exported, "Petition signatories", cell)
    day.ok("2025-03-01", "import", str(exported), "--update")
    after = _signatories(day)
    assert [s["name"] for s in after] == ["Ann Lee", "Raj Singh", "Mo Khan", "Zoe Park"]
    assert after[:3] == before
    assert after[3] == {
        "name": "Zoe Park",
        "address": "Flat 9",
        "lead": False,
        "added": "2025-02-20",
    }


@pytest.mark.parametrize(
    ("cell", "kind", "reason"),
    [
        (
            "Ann Lee | 1 Essex Brewery | added 03/02/2025 | lead",
            "complaint",
            "only a petition has signatories, and this case is a complaint",
        ),
        (
            "Ann Lee | 1 Essex Brewery | added 03/02/2026 | lead",
            "petition",
            "signatory 1 (Ann Lee) was added on 03/02/2026, which is in the future",
        ),
        (
            "Ann Lee | 1 Essex Brewery",
            "petition",
            "signatory 1 ('Ann Lee | 1 Essex Brewery') has too few parts",
        ),
        (
            "Ann Lee | 1 Essex Brewery | added 03/02/2025\n"
            "ann  lee | 1 essex brewery | added 04/02/2025",
            "petition",
            "signatories 1 and 2 are the same person",
        ),
    ],
)
def test_the_import_refuses_what_signatory_add_refuses(
    day: Day, db_url: str, tmp_path: Path, monkeypatch: Any, cell: str, kind: str, reason: str
) -> None:
    _petition(day)
    exported = tmp_path / "log.xlsx"
    day.ok("2025-03-01", "export", str(exported))
    _edit(exported, "Petition signatories", cell, **{"Case kind": kind})
    monkeypatch.setenv("COMPLAINTS_DB", str(tmp_path / "empty.db"))
    result = day("2025-03-01", "import", str(exported), "--create")
    assert result.exit_code == 1
    assert "column" in result.stderr and "'Petition signatories'" in result.stderr
    assert reason in result.stderr
    assert "nothing was imported" in result.stderr.strip().splitlines()[-1]
