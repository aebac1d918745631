"""Migration 0004 on a log that is in use: cases with history and actions keep every row and
every link, on SQLite (where Alembic rebuilds tables to alter them) and PostgreSQL."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import text

from complaints_cli.store.db import make_engine
from complaints_cli.store.schema import SCHEMA_HEAD, alembic_config, current_version

CASE = (
    "INSERT INTO complaint (reference, status, stage, handler, complainant, address, received, "
    "created_at, updated_at, row_version) VALUES (:ref, 'Open', 'Stage 1', 'Sam Patel', "
    "'Ann Lee', '1 Essex Brewery', '2025-02-03', '2025-02-03 09:00:00', "
    "'2025-02-03 09:00:00', 1)"
)
HISTORY = (
    "INSERT INTO history (complaint_id, at, actor, command, changes) "
    "VALUES (:id, '2025-02-03 09:00:00', 'sam', 'log', '{}')"
)
ACTION = (
    "INSERT INTO action (complaint_id, number, stage, text, owner, due, created_at) "
    "VALUES (:id, 1, 'Stage 1', 'Replace extractor fan', 'Sam Patel', '2025-02-28', "
    "'2025-02-10 09:00:00')"
)


@pytest.mark.parametrize("start", ["0002", "0003"])
def test_a_log_in_use_upgrades_with_its_history_and_actions(
    cli: Any, blank_db_url: str, start: str
) -> None:
    from alembic import command

    engine = make_engine(blank_db_url)
    try:
        with engine.begin() as conn:
            command.upgrade(alembic_config(conn), start)
        with engine.begin() as conn:
            for n in (1, 2):
                conn.execute(text(CASE), {"ref": f"SPRUCE00{n}"})
                conn.execute(text(HISTORY), {"id": n})
            conn.execute(text(ACTION), {"id": 2})
        result = cli("show", "SPRUCE002", "-f", "json")
        assert result.exit_code == 0, result.output
        case = json.loads(result.stdout)
        assert (case["complainant"], case["kind"], case["vulnerability"]["vulnerable"]) == (
            "Ann Lee",
            "complaint",
            None,
        )
        assert [(a["number"], a["kind"]) for a in case["actions"]] == [(1, "action")]
        assert [h["command"] for h in case["history"]] == ["log"]
        assert current_version(engine) == SCHEMA_HEAD
        with engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM history")).scalar() == 2
            if engine.dialect.name == "sqlite":
                assert conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall() == []
                # Enforcement is back on for every later connection.
                assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    finally:
        engine.dispose()
    # And the upgraded log takes the new commands.
    assert cli("convert", "SPRUCE001").exit_code == 1  # not informal: refused, one line
    ok = cli("vulnerability", "SPRUCE001", "--vulnerable")
    assert ok.exit_code == 0, ok.output


def test_a_broken_link_stops_the_upgrade_and_changes_nothing(cli: Any, tmp_path: Any) -> None:
    """A log whose history points at a missing case is not made worse: refused, left at 0003."""
    import sqlite3

    from alembic import command

    db = tmp_path / "log.db"
    db.unlink()  # a log made by an older version, at 0003
    engine = make_engine(f"sqlite:///{db}")
    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), "0003")
    engine.dispose()
    with sqlite3.connect(db) as raw:  # foreign keys are off in a plain sqlite3 connection
        raw.execute(HISTORY.replace(":id", "99"))
    result = cli("list")
    assert result.exit_code == 1
    assert "would leave 1 broken link(s) between tables" in result.stderr
    assert "nothing was changed" in result.stderr
    with sqlite3.connect(db) as raw:
        assert raw.execute("SELECT version_num FROM alembic_version").fetchone() == ("0003",)
