"""The same commands behave the same on SQLite and on a real PostgreSQL server."""

from __future__ import annotations

import json
from typing import Any

from tests.conftest import LOG_ARGS, sample_new


def test_log_show_list_round_trip(cli: Any, db_url: str) -> None:
    for _ in range(3):
        assert cli("log", *LOG_ARGS, "--summary", "Leak – kitchen £50").exit_code == 0
    shown = json.loads(cli("show", "SPRUCE003", "-f", "json").stdout)
    assert shown["reference"] == "SPRUCE003"
    assert shown["received"] == "2025-02-03"
    assert shown["complaint_summary"] == "Leak – kitchen £50"
    assert shown["ack_met"] is None
    assert shown["row_version"] == 1
    assert shown["created_at"].endswith("+00:00")
    assert shown["history"][0]["actor"] == "tester"
    listed = json.loads(cli("list", "-s", "essex", "-f", "json").stdout)
    assert [c["reference"] for c in listed] == ["SPRUCE001", "SPRUCE002", "SPRUCE003"]


def test_imported_style_references_advance_the_counter(db_url: str, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from complaints_cli.store.writes import Store

    new = sample_new()
    with Store(db_url) as store:
        with store.transaction() as session:
            store.advance_counter(session, "SPRUCE", 41)
        logged = store.log(new, prefix="SPRUCE", actor="t", folder=str)
        with store.transaction() as session:
            store.advance_counter(session, "SPRUCE", 10)  # never moves backwards
        again = store.log(new, prefix="SPRUCE", actor="t", folder=str)
    assert (logged.reference, again.reference) == ("SPRUCE042", "SPRUCE043")


def test_lifecycle_and_due_on_both_backends(cli: Any, db_url: str, monkeypatch: Any) -> None:
    monkeypatch.setenv("COMPLAINTS_TODAY", "2025-12-24")
    args = list(LOG_ARGS)
    args[args.index("--received") + 1] = "2025-12-19"
    assert cli("log", *args).exit_code == 0
    assert cli("acknowledge", "SPRUCE001", "--summary", "Damp").exit_code == 0
    result = cli(
        "respond",
        "SPRUCE001",
        "--summary",
        "Upheld",
        "--action",
        "Fix fan",
        "--action-due",
        "2026-01-09",
    )
    assert result.exit_code == 0, result.output
    items = json.loads(cli("due", "--as-of", "2026-01-02", "--within", "10", "-f", "json").stdout)
    assert [(i["key"], i["due"], i["working_days_left"]) for i in items] == [
        # 5 working days from Wed 24/12: 29, 30, 31 Dec, 2 Jan, 5 Jan (25, 26 Dec, 1 Jan off).
        ("update", "2026-01-05", 1),
        ("action_1", "2026-01-09", 5),
        # The close window (20 working days: Fri 23/01) is beyond the 10-day horizon (16/01).
    ]
    shown = json.loads(cli("show", "SPRUCE001", "-f", "json").stdout)
    assert (shown["ack_met"], shown["stage1_met"], shown["next_milestone"]) == (
        True,
        True,
        "update",
    )


def test_values_are_stored_as_before_with_the_direct_bindings(cli: Any, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """store/db._bind_directly: None, Yes/No and the vocabulary's values bind as SQLite
    always stored them (NULL, 1/0, the text), through adapters that skip sqlite3's slow
    path; an import's blank, Yes/No and status cells read back with those types."""
    import sqlite3

    from openpyxl import Workbook

    from complaints_cli.domain.vocabulary import Stage, Status

    wb = Workbook()
    ws = wb.active
    ws.append(
        [
            "Ref",
            "Status",
            "Stage",
            "Date received",
            "Date complaint acknowledged",
            "Met HOS acknowledgment timeframe",
            "Handler",
        ]
    )
    ws.append(["SPRUCE011", "Closed", "Stage 1", "03/02/2025", "04/02/2025", "Yes", None])
    ws.append(["SPRUCE012", "Open", "Stage 2", "03/02/2025", "14/02/2025", "No", None])
    path = tmp_path / "two.xlsx"
    wb.save(path)
    assert cli("import", str(path)).exit_code == 0
    assert sqlite3.adapters[(type(None), sqlite3.PrepareProtocol)](None) is None
    assert sqlite3.adapters[(bool, sqlite3.PrepareProtocol)](True) == 1
    assert sqlite3.adapters[(Status, sqlite3.PrepareProtocol)](Status.CLOSED) == "Closed"
    assert sqlite3.adapters[(Stage, sqlite3.PrepareProtocol)](Stage.STAGE_2) == "Stage 2"
    conn = sqlite3.connect(tmp_path / "log.db")
    rows = conn.execute(
        "SELECT reference, status, typeof(status), stage, ack_met, typeof(ack_met), "
        "typeof(stage1_responded) FROM complaint ORDER BY reference"
    ).fetchall()
    conn.close()
    assert rows == [
        ("SPRUCE011", "Closed", "text", "Stage 1", 1, "integer", "null"),
        ("SPRUCE012", "Open", "text", "Stage 2", 0, "integer", "null"),
    ]
