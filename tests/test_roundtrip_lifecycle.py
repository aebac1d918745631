"""The lifecycle fields beyond the 24 columns survive an export and an import."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.conftest import LOG_ARGS

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
    result = cli("import", str(out))
    assert result.exit_code == 0, result.output
    after = json.loads(cli("show", "SPRUCE001", "-f", "json").stdout)
    assert {k: after[k] for k in KEPT} == {k: before[k] for k in KEPT}
    assert after["ombudsman_body"] == "PRS"
    assert after["ombudsman_evidence_sent"] == "2025-06-16"
