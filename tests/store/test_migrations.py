"""The schema lives in Alembic migrations; they have one head and agree with the models."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlmodel import SQLModel

import complaints_cli.store.models  # noqa: F401
from complaints_cli.store.db import RawDatabase, make_engine
from complaints_cli.store.schema import SCHEMA_HEAD, alembic_config, current_version


def test_exactly_one_head_and_it_is_schema_head() -> None:
    script = ScriptDirectory.from_config(alembic_config())
    assert script.get_heads() == [SCHEMA_HEAD]


def test_blank_database_upgrades_to_head_and_matches_the_models(blank_db_url: str) -> None:
    RawDatabase(blank_db_url, create=True).close()
    engine = make_engine(blank_db_url)
    try:
        assert current_version(engine) == SCHEMA_HEAD
        with engine.connect() as conn:
            ctx = MigrationContext.configure(conn, opts={"compare_type": False})
            diff = compare_metadata(ctx, SQLModel.metadata)
        assert diff == []
    finally:
        engine.dispose()


def test_opening_again_keeps_the_data(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import LOG_ARGS

    cli("log", *LOG_ARGS)
    cli("db", "upgrade")
    cli("log", *LOG_ARGS)
    with sqlite3.connect(tmp_path / "log.db") as conn:
        assert conn.execute("SELECT count(*) FROM complaint").fetchone() == (2,)


def test_database_from_a_newer_version_is_refused(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    db = tmp_path / "log.db"
    RawDatabase(f"sqlite:///{db}").close()
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
    result = cli("list")
    assert result.exit_code == 1
    assert "written by a newer version of complaints (schema 9999" in result.stderr


def test_not_a_database(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "log.db").write_text("this is a text file, not a log")
    result = cli("list")
    assert result.exit_code == 1
    assert "not a usable complaints database" in result.stderr


def test_missing_folder_for_an_explicit_database_is_refused(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("--db", str(tmp_path / "typo" / "log.db"), "list")
    assert result.exit_code == 1
    assert "does not exist" in result.stderr
    assert not (tmp_path / "typo").exists()


def test_default_location_is_created_on_a_fresh_machine(
    tmp_path: Path,
    cli,
    monkeypatch: pytest.MonkeyPatch,  # type: ignore[no-untyped-def]
) -> None:
    monkeypatch.delenv("COMPLAINTS_DB")
    monkeypatch.delenv("COMPLAINTS_ROOT")
    from tests.conftest import LOG_ARGS

    result = cli("log", *LOG_ARGS)
    assert result.exit_code == 0, result.output
    data = tmp_path / "home" / ".local" / "share" / "complaints"
    assert (data / "complaints.db").is_file()
    assert (data / "Complaints" / "1 Essex Brewery – SPRUCE001").is_dir()


def test_unsupported_url(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("--db", "mysql://x@y/z", "list")
    assert result.exit_code == 1
    assert "unsupported database 'mysql'" in result.stderr


def test_migrations_are_found(tmp_path: Path) -> None:
    from complaints_cli.store.schema import migrations_dir

    assert (migrations_dir() / "versions" / "0001_initial.py").is_file()
    assert (migrations_dir() / "versions" / "0002_lifecycle.py").is_file()


def test_a_log_made_by_the_first_version_is_upgraded_in_place(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    """A 0001 database with a case in it gains the 0002 columns and keeps the case."""
    from alembic import command

    db = tmp_path / "log.db"
    engine = make_engine(f"sqlite:///{db}")
    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), "0001")
    engine.dispose()
    with sqlite3.connect(db) as conn:
        conn.execute(
            "INSERT INTO complaint (reference, status, stage, handler, complainant, address, "
            "received, created_at, updated_at, row_version) VALUES ('SPRUCE007', 'Open', "
            "'Stage 1', 'Sam', 'Ann Lee', '1 Essex Brewery', '2025-02-03', "
            "'2025-02-03 09:00:00', '2025-02-03 09:00:00', 1)"
        )
        inode = db.stat().st_ino
    result = cli("show", "SPRUCE007", "-f", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["complainant"] == "Ann Lee"
    assert db.stat().st_ino == inode  # the same file, not a new one
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == (SCHEMA_HEAD,)
        cols = {r[1] for r in conn.execute("PRAGMA table_info(complaint)")}
        assert {"next_due", "stage2_acknowledged", "ombudsman_requested"} <= cols
        assert conn.execute("SELECT count(*) FROM action").fetchone() == (0,)
