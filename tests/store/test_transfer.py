"""``complaints db copy --to URL``: a whole log moved, verified, and then used."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import LOG_ARGS


@pytest.fixture
def team_log(cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A SQLite log with cases, history, actions, a counter and a purge record."""
    monkeypatch.setenv("COMPLAINTS_TODAY", "2025-02-20")
    for name in ("Ann Lee", "Bo Chen", "Cy Døssing"):
        args = list(LOG_ARGS)
        args[args.index("--complainant") + 1] = name
        assert cli("log", *args).exit_code == 0
    acknowledged = cli("acknowledge", "SPRUCE001", "--date", "2025-02-05", "--summary", "Damp")
    assert acknowledged.exit_code == 0
    result = cli(
        "respond",
        "SPRUCE001",
        "--date",
        "2025-02-14",
        "--summary",
        "Upheld – £50 offered",
        "--compensation",
        "50",
        "--compensation-reason",
        "time and trouble",
        "--action",
        "Replace extractor fan",
        "--action-due",
        "2025-02-28",
    )
    assert result.exit_code == 0, result.output
    assert cli("hold", "SPRUCE002", "--reason", "County court claim").exit_code == 0
    db = tmp_path / "log.db"
    with sqlite3.connect(db) as conn:  # a purge record as a purge leaves one
        conn.execute(
            "INSERT INTO purge_record (reference, received, closed, purged_at, actor, "
            "retention_years) VALUES ('OLD001', '2015-01-05', '2015-03-01', "
            "'2022-03-02 09:00:00.000000', 'tester', 6)"
        )
        # Tables and links a later migration added are copied too (0004): a signatory, a
        # compliment, and a case linked to a case with a higher id.
        conn.execute(
            "INSERT INTO signatory (complaint_id, name, address, lead, added) "
            "VALUES (2, 'Di Evans', '2 Essex Brewery', 0, '2025-02-04')"
        )
        conn.execute(
            "INSERT INTO compliment (received, from_name, about, created_at, actor) "
            "VALUES ('2025-02-10', 'Ed Fry', 'Sam Patel', '2025-02-10 10:00:00.000000', 't')"
        )
        conn.execute("UPDATE complaint SET related_to_id = 3 WHERE id = 1")
    return db


def as_json(cli: Any, db: str, *args: str) -> Any:
    result = cli("--db", db, *args, "-f", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_copy_to_postgresql_keeps_everything_and_continues_numbering(
    cli: Any, team_log: Path, pg_server: Any
) -> None:
    import psycopg

    target = pg_server.new_database()
    result = cli("db", "copy", "--to", target)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == f"Copied the log to {target}"
    counts = {
        parts[0]: int(parts[1])
        for parts in (line.split() for line in lines[1:])
        if len(parts) > 2 and parts[2] == "row(s)"
    }
    assert counts["complaint"] == 3
    assert counts["history"] == 6  # 3 logs, acknowledge, respond, hold
    assert counts["action"] == 1
    assert counts["counter"] == 1
    assert counts["purge_record"] == 1
    assert (counts["signatory"], counts["compliment"]) == (1, 1)
    assert "Verified:" in result.stdout and "3 case(s)" in result.stdout
    source = str(team_log)
    for ref in ("SPRUCE001", "SPRUCE002", "SPRUCE003"):
        before = as_json(cli, source, "show", ref)
        after = as_json(cli, target, "show", ref)
        assert after == before
    assert as_json(cli, target, "history", "SPRUCE001") == as_json(
        cli, source, "history", "SPRUCE001"
    )
    # The copy is used: numbering, ids and history carry on from the copied values.
    logged = cli("--db", target, "log", *LOG_ARGS, "-f", "json")
    assert logged.exit_code == 0, logged.output
    assert json.loads(logged.stdout)["reference"] == "SPRUCE004"
    assert cli("--db", target, "learning", "SPRUCE004", "Check fans").exit_code == 0
    assert [e["command"] for e in as_json(cli, target, "history", "SPRUCE004")] == [
        "log",
        "learning",
    ]
    assert cli("--db", target, "db", "check").exit_code == 0
    with psycopg.connect(target.replace("+psycopg", "")) as conn:
        assert conn.execute("SELECT related_to_id FROM complaint WHERE id = 1").fetchone() == (3,)
        assert conn.execute("SELECT name, lead FROM signatory").fetchall() == [("Di Evans", False)]
        assert conn.execute("SELECT from_name FROM compliment").fetchall() == [("Ed Fry",)]
        at = conn.execute("SELECT purged_at FROM purge_record").fetchone()[0]
        assert at == datetime(2022, 3, 2, 9, 0, tzinfo=UTC)  # the naive SQLite text was UTC


def test_copy_to_a_new_sqlite_file(cli: Any, team_log: Path, tmp_path: Path) -> None:
    target = tmp_path / "moved.db"
    result = cli("db", "copy", "--to", str(target))
    assert result.exit_code == 0, result.output
    url = f"sqlite:///{target}"
    assert result.stdout.startswith(f"Copied the log to {url}\n")
    for ref in ("SPRUCE001", "SPRUCE002"):
        assert as_json(cli, str(target), "show", ref) == as_json(cli, str(team_log), "show", ref)
    with sqlite3.connect(target) as conn:
        assert conn.execute("SELECT reference FROM purge_record").fetchall() == [("OLD001",)]
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    logged = cli("--db", str(target), "log", *LOG_ARGS, "-f", "json")
    assert json.loads(logged.stdout)["reference"] == "SPRUCE004"


def test_a_non_empty_target_is_refused_and_left_alone(
    cli: Any, team_log: Path, tmp_path: Path
) -> None:
    other = tmp_path / "other.db"
    other_root = str(tmp_path / "Other")  # another log has its own case folders
    assert (
        cli("--db", str(other), "--root", other_root, "log", "--create", *LOG_ARGS).exit_code == 0
    )
    before = other.read_bytes()
    result = cli("db", "copy", "--to", str(other))
    assert result.exit_code == 1
    assert result.stderr.startswith("complaints: error: the target database is not empty")
    assert "complaint (1 row(s))" in result.stderr
    assert "copy only into a new, empty database" in result.stderr
    assert other.read_bytes() == before


def test_copying_onto_itself_is_refused(cli: Any, team_log: Path) -> None:
    result = cli("db", "copy", "--to", f"sqlite:///{team_log.parent}/./log.db")
    assert result.exit_code == 1
    assert result.stderr == (
        "complaints: error: the target is the log itself: give a different database to copy to\n"
    )


def test_a_failure_half_way_leaves_nothing_in_the_target(
    cli: Any, team_log: Path, pg_server: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The history table fails after the cases were written: the target stays empty."""
    import psycopg

    from complaints_cli.store import transfer

    real = transfer._copy_table

    def failing(source: Any, target: Any, src: Any, dst: Any) -> None:
        real(source, target, src, dst)
        if src.name == "history":
            raise RuntimeError("network dropped")

    monkeypatch.setattr(transfer, "_copy_table", failing)
    target = pg_server.new_database()
    result = cli("db", "copy", "--to", target)
    assert result.exit_code == 1
    assert result.stderr == (
        "complaints: error: the copy failed and nothing was kept in the target: network dropped\n"
    )
    with psycopg.connect(target.replace("+psycopg", "")) as conn:
        assert conn.execute("SELECT count(*) FROM complaint").fetchone() == (0,)
        assert conn.execute("SELECT count(*) FROM history").fetchone() == (0,)
    monkeypatch.setattr(transfer, "_copy_table", real)
    assert cli("db", "copy", "--to", target).exit_code == 0  # and it can simply be run again


def test_a_failed_copy_to_a_new_file_leaves_no_file(
    cli: Any, team_log: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from complaints_cli.store import transfer

    # Each side's checksum differs (as if a value had changed on the way).
    monkeypatch.setattr(transfer, "checksum", lambda conn, table: (1, str(id(conn))))
    target = tmp_path / "new.db"
    result = cli("db", "copy", "--to", str(target))
    assert result.exit_code == 1
    assert "verification failed for table" in result.stderr
    assert "nothing was kept in the target" in result.stderr
    assert not target.exists()


def test_a_missing_postgresql_database_is_one_line(
    cli: Any, team_log: Path, pg_server: Any
) -> None:
    result = cli("db", "copy", "--to", pg_server.url("no_such_db"))
    assert result.exit_code == 1
    assert result.stderr.startswith("complaints: error: cannot")
    assert "no_such_db" in result.stderr
    assert len(result.stderr.splitlines()) == 1
