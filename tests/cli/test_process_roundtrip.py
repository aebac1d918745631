"""The Excel round trip with the process's states: a case not accepted, a service
dissatisfaction still at the Informal stage, a petition, a Complaint Review Panel and an
Ombudsman determination export and import back with the same values."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.process_steps import Day

FIELDS = (
    "status",
    "stage",
    "kind",
    "received",
    "review_type",
    "not_accepted_reason",
    "not_accepted_told",
    "informal_received",
    "panel_meeting",
    "ombudsman_determined",
    "ombudsman_findings",
)


def _cases(day: Day, when: str) -> dict[str, dict[str, Any]]:
    out = day.ok(when, "list", "-f", "json").stdout
    return {c["reference"]: {f: c[f] for f in FIELDS} for c in json.loads(out)}


def test_process_states_survive_export_and_import(
    day: Day, db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COMPLAINTS_PROFILE", "southern-housing")
    day.log("2025-02-03")  # SPRUCE001: not accepted
    day.ok("2025-02-04", "not-accepted", "SPRUCE001", "--reason", "Legal proceedings",
           "--told", "04/02/2025")  # fmt: skip
    day.log("2025-02-03", "--kind", "dissatisfaction")  # SPRUCE002: informal
    day.log("2025-02-03", "--kind", "petition")  # SPRUCE003: panel, then the Ombudsman
    day.ok("2025-02-05", "acknowledge", "SPRUCE003", "--summary", "Lift broken")
    day.ok("2025-02-14", "respond", "SPRUCE003", "--summary", "Not upheld")
    day.ok("2025-03-03", "escalate", "SPRUCE003", "--received", "03/03/2025", "--review",
           "panel", "--details", "Unhappy", "--handler", "Jordan Blake")  # fmt: skip
    day.ok("2025-03-20", "panel", "SPRUCE003", "--date", "20/03/2025")
    day.ok("2025-09-01", "determination", "SPRUCE003", "--findings", "Service failure")
    # SPRUCE004: referred to the Ombudsman after Stage 1, never escalated (the landlord
    # refused to escalate): the import took what the export wrote of it (the fresh-user
    # trial: it refused the whole workbook).
    day.log("2025-02-03", "--address", "4 Mill Lane")
    day.ok("2025-02-05", "acknowledge", "SPRUCE004", "--summary", "Damp")
    day.ok("2025-02-14", "respond", "SPRUCE004", "--summary", "Not upheld")
    day.ok("2025-03-07", "close", "SPRUCE004", "--date", "07/03/2025")
    day.ok("2025-03-10", "reopen", "SPRUCE004", "--reason", "Referred to the Ombudsman")
    day.ok("2025-03-10", "ombudsman", "SPRUCE004", "--referred", "10/03/2025")
    before = _cases(day, "2025-09-01")
    assert before["SPRUCE004"]["stage"] == "Ombudsman"
    # Closing says "not escalated" (No, not blank): the export writes No beside Ombudsman.
    shown = json.loads(day.ok("2025-09-01", "show", "SPRUCE004", "-f", "json").stdout)
    assert shown["escalated"] is False
    assert before["SPRUCE002"]["stage"] == "Informal"
    assert before["SPRUCE001"]["status"] == "Not accepted"

    workbook = tmp_path / "log.xlsx"
    day.ok("2025-09-01", "export", str(workbook))
    monkeypatch.setenv("COMPLAINTS_DB", str(tmp_path / "copy.db"))
    day.ok("2025-09-01", "import", str(workbook), "--create")
    assert _cases(day, "2025-09-01") == before
    # The imported informal case is still chased for its own deadline only.
    assert [(r, k) for r, k, _d, _m in day.due("2025-02-03", "--within", "10")
            if r == "SPRUCE002"] == [("SPRUCE002", "dissatisfaction_response")]  # fmt: skip
