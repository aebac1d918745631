"""Schema 0009: the history's ``reopen`` rows in a partial index (``ix_history_reopen``), read
by the reports and ``due --as-of`` for each case's past closures (store/closures.py); and a
``reopen`` row written before the reopening day was recorded, read by the day it was written.
"""

from __future__ import annotations

import json
from typing import Any

from complaints_cli.store.closures import REOPEN_SQL, past_closures
from complaints_cli.store.db import RawDatabase
from complaints_cli.store.schema import SCHEMA_HEAD
from tests.conftest import LOG_ARGS
from tests.report_log import report_json


def _index(db: RawDatabase) -> str | None:
    if db.dialect == "sqlite":
        return db.scalar("SELECT sql FROM sqlite_master WHERE name = 'ix_history_reopen'")
    return db.scalar("SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_history_reopen'")


def _closed_on_20_february(cli: Any, monkeypatch: Any) -> None:
    """SPRUCE001 logged, answered and closed on 20/02/2025."""
    monkeypatch.setenv("COMPLAINTS_TODAY", "2025-02-20")
    assert cli("log", *LOG_ARGS).exit_code == 0
    answered = cli("respond", "SPRUCE001", "--summary", "Answered", "--date", "20/02/2025")
    assert answered.exit_code == 0, answered.output  # closed once answered
    assert cli("close", "SPRUCE001", "--date", "20/02/2025").exit_code == 0


def _open_at_end(cli: Any, monkeypatch: Any, month: str) -> list[str]:
    monkeypatch.setenv("COMPLAINTS_TODAY", "2025-05-02")
    data = report_json(cli, "emt", "--month", month)
    (figure,) = [f for f in data["figures"] if f["key"] == "open_total"]
    return [c["reference"] for c in figure["cases"]]


def test_a_log_at_0008_gains_the_index_and_an_older_reopen_row_is_read(
    cli: Any, db_url: str, monkeypatch: Any
) -> None:
    from alembic import command
    from sqlalchemy import inspect as sa_inspect

    from complaints_cli.store.db import make_engine
    from complaints_cli.store.schema import alembic_config

    _closed_on_20_february(cli, monkeypatch)
    monkeypatch.setenv("COMPLAINTS_TODAY", "2025-04-02")
    assert cli("reopen", "SPRUCE001", "--reason", "Back").exit_code == 0
    assert _open_at_end(cli, monkeypatch, "2025-03") == []
    assert _open_at_end(cli, monkeypatch, "2025-04") == ["SPRUCE001"]

    engine = make_engine(db_url)
    with engine.begin() as conn:
        command.downgrade(alembic_config(conn), "0008")
        # As an earlier version wrote it: no reopening day; written on 02/04/2025 (UK).
        conn.exec_driver_sql(
            "UPDATE history SET at = '2025-04-02 08:00:00', changes = "
            """'{"close_reason": [null, null], "closed": ["2025-02-20", null], """
            """"status": ["Closed", "Open"]}' WHERE command = 'reopen'"""
        )
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar() == "0008"
        assert "ix_history_reopen" not in {
            i["name"] for i in sa_inspect(conn).get_indexes("history")
        }
    engine.dispose()

    # Opened again: upgraded, and the older row gives the same past closure.
    assert _open_at_end(cli, monkeypatch, "2025-03") == []
    assert _open_at_end(cli, monkeypatch, "2025-04") == ["SPRUCE001"]
    with RawDatabase(db_url) as db:
        assert db.scalar("SELECT version_num FROM alembic_version") == SCHEMA_HEAD
        index = _index(db)
        assert index is not None and "'reopen'" in index
        (closures,) = past_closures(db).values()
        assert [(str(c.day), str(c.reopened)) for c in closures] == [("2025-02-20", "2025-04-02")]
        if db.dialect == "sqlite":
            plan = " / ".join(r[3] for r in db.execute(f"EXPLAIN QUERY PLAN {REOPEN_SQL}"))
            assert plan == "SCAN history USING INDEX ix_history_reopen", plan


def test_the_reopening_day_is_kept_in_the_history(cli: Any, db_url: str, monkeypatch: Any) -> None:
    _closed_on_20_february(cli, monkeypatch)
    monkeypatch.setenv("COMPLAINTS_TODAY", "2025-04-10")
    assert cli("reopen", "SPRUCE001", "--reason", "Back", "--date", "02/04/2025").exit_code == 0
    with RawDatabase(db_url) as db:
        (changes,) = db.column("SELECT changes FROM history WHERE command = 'reopen'")
    assert json.loads(changes) == {
        "closed": ["2025-02-20", None],
        "reopened": [None, "2025-04-02"],
        "status": ["Closed", "Open"],
    }
