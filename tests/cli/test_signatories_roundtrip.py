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

from tests.cli.test_import import openpyxl_log
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


def _team_sheet(path: Path, rows: list[list[Any]]) -> Path:
    """A team's own sheet (no ``Petition signatories`` column), written by openpyxl."""
    header = ["Ref", "Complainant", "Address", "Date received", "Case kind"]
    return openpyxl_log(path, [header, *rows])


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        # The complainant is the lead petitioner, as log --kind petition records it.
        (
            ["SPRUCE007", "Ann  Lee", " 1 Essex Brewery ", "03/02/2025", "petition"],
            [("Ann Lee", "1 Essex Brewery", True, "2025-02-03")],
        ),
        # No address to sign with: no signatory is made up (signatory add --lead later).
        (["SPRUCE007", "Ann Lee", None, "03/02/2025", "petition"], []),
        # Not a petition: no signatories.
        (["SPRUCE007", "Ann Lee", "1 Essex Brewery", "03/02/2025", "complaint"], []),
    ],
)
def test_an_imported_petition_gets_its_lead_petitioner(
    day: Day, db_url: str, tmp_path: Path, row: list[Any], expected: list[tuple[Any, ...]]
) -> None:
    """A new petition imported from a sheet without a signatories column gets the lead
    petitioner ``log --kind petition`` gives it (Southern Housing procedure 4.11.1)."""
    sheet = _team_sheet(tmp_path / "team.xlsx", [row])
    day.ok("2025-03-01", "import", str(sheet))
    listed = day.show("2025-03-01", "SPRUCE007").get("signatories") or []
    assert [(s["name"], s["address"], s["lead"], s["added"]) for s in listed] == expected
    # The same file again changes nothing: the lead is not a difference from the sheet.
    again = day.ok("2025-03-01", "import", str(sheet)).stdout
    assert "0 added, 0 updated, 1 unchanged" in again


def test_an_updated_petition_keeps_its_signatories(day: Day, db_url: str, tmp_path: Path) -> None:
    """A petition already in the log, whose lead is someone else, is updated from a sheet
    without the signatories column: its signatories are untouched (the complainant is made
    lead only of a new case)."""
    day.log("2025-02-03", "--kind", "petition")  # SPRUCE001: Ann Lee, lead
    day.ok("2025-02-04", "signatory", "add", "SPRUCE001", "--name", "Raj Singh",
           "--address", "Flat 3", "--lead")  # fmt: skip
    before = _signatories(day)
    assert [(s["name"], s["lead"]) for s in before] == [("Raj Singh", True), ("Ann Lee", False)]
    # (signatory add --lead made Raj Singh the complainant: the sheet has him too)
    sheet = openpyxl_log(
        tmp_path / "team.xlsx",
        [
            ["Ref", "Complainant", "Address", "Date received", "Case kind", "Summary of complaint"],
            ["SPRUCE001", "Raj Singh", "1 Essex Brewery", "03/02/2025", "petition", "Bins"],
        ],
    )
    result = day.ok("2025-03-01", "import", str(sheet), "--update").stdout
    assert "1 updated" in result
    assert _signatories(day) == before


def test_a_cell_listing_fewer_signatories_than_the_log_is_no_change(
    day: Day, db_url: str, tmp_path: Path
) -> None:
    """The file's signatories are all in the log (someone signed since the export): an
    import never removes a signatory, so nothing differs; ``--update`` records no change, run
    after run (the trial saw a history entry "4 -> 3 signatories" each time)."""
    _petition(day)
    exported = tmp_path / "log.xlsx"
    day.ok("2025-03-01", "export", str(exported))
    day.ok("2025-03-02", "signatory", "add", "SPRUCE001", "--name", "Zoe Park",
           "--address", "Flat 9")  # fmt: skip
    history = len(day.show("2025-03-02")["history"])
    for _ in range(2):
        result = day.ok("2025-03-03", "import", str(exported), "--update").stdout
        assert "0 added, 0 updated, 1 unchanged" in result
    assert len(day.show("2025-03-03")["history"]) == history
    assert [s["name"] for s in _signatories(day)] == ["Ann Lee", "Raj Singh", "Mo Khan", "Zoe Park"]


def test_a_signatories_difference_reads_as_the_cell_does(
    day: Day, db_url: str, tmp_path: Path
) -> None:
    """A file naming a new signatory is a conflict without ``--update``; the lines show the
    signatories as the cell writes them, not Python's ``Signatory(name=...)``."""
    _petition(day)
    exported = tmp_path / "log.xlsx"
    day.ok("2025-03-01", "export", str(exported))
    _edit(exported, "Petition signatories", "Zoe Park | Flat 9 | added 20/02/2025")
    result = day("2025-03-01", "import", str(exported))
    assert result.exit_code == 1
    line = next(x for x in result.stderr.splitlines() if "'Petition signatories'" in x)
    assert "Signatory(" not in line
    assert "file has 'Zoe Park | Flat 9 | added 20/02/2025'" in line
    assert "log has 'Ann Lee | 1 Essex Brewery | added 03/02/2025 | lead / Ra" in line
