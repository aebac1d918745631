"""``sample_log.xlsx``: rebuilt by its script byte for byte, and a realistic log to import."""

from __future__ import annotations

import importlib.util
from collections import Counter
from decimal import Decimal
from types import ModuleType

from complaints_cli.domain.columns import HEADERS
from complaints_cli.files.spreadsheet import Workbook
from complaints_cli.store.db import RawDatabase
from complaints_cli.store.reads import list_cases
from tests.paths import REPO
from tests.records import record

SAMPLE = REPO / "sample_log.xlsx"


def script() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "make_sample_log", REPO / "scripts/make_sample_log.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_committed_file_is_what_the_script_builds():
    built = script().build()
    assert built == script().build()  # deterministic
    assert built == SAMPLE.read_bytes(), "run: python scripts/make_sample_log.py"


def test_it_looks_like_a_teams_own_log():
    with Workbook(SAMPLE) as wb:
        assert wb.sheet_names == ["Complaints Log", "Lists"]
        rows = wb.sheet("Complaints Log").rows
    assert rows[0][0] == "Spruce Homes – Complaints Log 2025 (Senior Property Manager)"
    assert all(v == "" for v in rows[1])  # a blank row under the title
    assert rows[2] == [*HEADERS, "Channel", "Notes"]
    references = [r[0] for r in rows[3:] if r[0]]
    assert references == [f"SPRUCE{n:03d}" for n in range(1, 41)]
    assert any(all(v == "" for v in r) for r in rows[3:])  # a blank row among the cases


def test_it_imports_cleanly_and_covers_every_stage_and_state(cli, tmp_path, monkeypatch):
    monkeypatch.setenv("COMPLAINTS_TODAY", "2025-11-14")
    result = cli("import", str(SAMPLE))
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == (
        "Imported sample_log.xlsx (sheet 'Complaints Log'): 40 added, 0 updated, 0 unchanged, "
        "0 conflicting, 0 rejected"
    )
    assert "kept 1 column(s) the log does not know: 'Notes'" in result.stderr
    with RawDatabase(f"sqlite:///{tmp_path / 'log.db'}") as db:
        cases = [record(c) for c in list_cases(db)]
    by_ref = {c["reference"]: c for c in cases}
    assert Counter((c["status"], c["stage"]) for c in cases) == {
        ("Closed", "Stage 1"): 22,
        ("Open", "Stage 1"): 10,
        ("Closed", "Stage 2"): 6,
        ("Open", "Stage 2"): 1,
        ("Open", "Ombudsman"): 1,
    }
    assert {c["stage"] for c in cases} == {"Stage 1", "Stage 2", "Ombudsman"}
    assert {c["status"] for c in cases} == {"Open", "Closed"}
    assert any(c["acknowledged"] is None for c in cases)  # logged, not yet acknowledged
    assert any(c["ack_met"] is False for c in cases)  # acknowledged late
    assert any(c["stage1_extension"] and c["stage1_extended_to"] for c in cases)
    assert any(c["stage1_met"] is False for c in cases)  # responded late
    assert {c["review_type"] for c in cases} >= {"manager", "compensation"}
    assert any(c["stage2_extension"] for c in cases)
    assert any(c["stage2_met"] is False for c in cases)
    assert any((c["compensation_amount"] or 0) > 0 for c in cases)
    assert any(c["learning"] for c in cases)
    assert any("Outstanding" in c["extra"].get("Notes", "") for c in cases if c["status"] == "Open")
    # The messy cells were read, not guessed.
    assert by_ref["SPRUCE013"]["compensation_amount"] == Decimal("1250.00")
    assert by_ref["SPRUCE012"]["ack_met_note"] == "sent late, handler on leave"
    assert by_ref["SPRUCE014"]["status"] == "Open"  # typed "open"
    assert by_ref["SPRUCE016"]["stage"] == "Stage 1"  # typed "Stage1"
    assert by_ref["SPRUCE017"]["learning"] is None  # "TBC"
    assert by_ref["SPRUCE020"]["complainant"] == "Hana Smith"  # stray spaces
    assert by_ref["SPRUCE011"]["complainant"].count("\n") == 1  # two complainants
