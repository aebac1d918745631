"""history, db check, db backup, the busy log, and network shares."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from complaints_cli.store.maintenance import _mount_type, network_location
from tests.conftest import LOG_ARGS


def test_history_lists_every_change(cli: Any, db_url: str) -> None:
    cli("log", *LOG_ARGS)
    cli("learning", "SPRUCE001", "Check gutters yearly", "--date", "10/02/2025")
    entries = json.loads(cli("history", "SPRUCE001", "-f", "json").stdout)
    assert [e["command"] for e in entries] == ["log", "learning"]
    assert entries[1]["changes"] == {  # the day it was recorded: the tool's, not the clock's
        "learning": [None, "Check gutters yearly"],
        "learning_recorded": [None, "2025-02-10"],
    }
    assert entries[1]["actor"] == "tester"
    assert entries[1]["at"].endswith("+00:00")
    table = cli("history", "SPRUCE001").stdout
    assert "learning: (blank) -> Check gutters yearly" in table


def test_as_names_who_made_the_change(cli: Any, db_url: str) -> None:
    cli("--as", "Kim Ho", "log", *LOG_ARGS)
    assert json.loads(cli("history", "SPRUCE001", "-f", "json").stdout)[0]["actor"] == "Kim Ho"


def test_db_check_passes_and_finds_duplicates(cli: Any, tmp_path: Path) -> None:
    cli("log", *LOG_ARGS)
    result = cli("db", "check")
    assert result.exit_code == 0
    assert result.stdout == "Database OK: 1 case(s), integrity check passed\n"
    with sqlite3.connect(tmp_path / "log.db") as conn:
        conn.execute("DROP INDEX ix_complaint_reference")
        conn.execute(
            "INSERT INTO complaint (reference, status, stage, handler, complainant, address, "
            "received, created_at, updated_at, row_version) SELECT reference, status, stage, "
            "handler, complainant, address, received, created_at, updated_at, 1 FROM complaint"
        )
    bad = cli("db", "check")
    assert bad.exit_code == 1
    assert "problem: 1 duplicate reference(s)" in bad.stderr


def test_backup_is_a_consistent_copy_taken_while_another_handler_writes(
    cli: Any, tmp_path: Path
) -> None:
    for _ in range(3):
        cli("log", *LOG_ARGS)
    writer = sqlite3.connect(tmp_path / "log.db", isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")  # another handler is half-way through a save
    writer.execute("UPDATE complaint SET handler = 'Half-saved' WHERE reference = 'SPRUCE001'")
    target = tmp_path / "backup.db"
    result = cli("db", "backup", str(target))
    writer.execute("ROLLBACK")
    writer.close()
    assert result.exit_code == 0, result.output
    assert result.stdout == f"Backed up 3 case(s) to {target}\n"
    with sqlite3.connect(target) as copy:
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert copy.execute("SELECT DISTINCT handler FROM complaint").fetchall() == [("Sam Patel",)]
    again = cli("db", "backup", str(target))
    assert again.exit_code == 1 and "exists: choose another name or give --force" in again.stderr
    assert cli("db", "backup", str(target), "--force").exit_code == 0


def test_a_busy_log_says_so_after_a_bounded_wait(cli: Any, tmp_path: Path) -> None:
    cli("log", *LOG_ARGS)
    holder = sqlite3.connect(tmp_path / "log.db", isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        result = cli("log", *LOG_ARGS, env={"COMPLAINTS_BUSY_TIMEOUT": "0.3"})
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert result.exit_code == 1
    assert result.stderr.startswith("complaints: error: the log is busy")
    assert "try again" in result.stderr
    with sqlite3.connect(tmp_path / "log.db") as conn:
        assert conn.execute("SELECT count(*) FROM complaint").fetchone() == (1,)
        assert conn.execute("SELECT last_number FROM counter").fetchone() == (1,)


def test_network_shares_are_recognised(tmp_path: Path) -> None:
    assert network_location(Path("//fileserver/y-drive/complaints.db")) == "UNC path"
    mounts = tmp_path / "mounts"
    mounts.write_text(
        "/dev/sda1 / ext4 rw 0 0\n"
        "//srv/y /mnt/y\\040drive cifs rw 0 0\n"
        "srv:/x /mnt/nfs nfs4 rw 0 0\n"
    )
    assert _mount_type(Path("/mnt/y drive/complaints.db"), str(mounts)) == "cifs network mount"
    assert _mount_type(Path("/mnt/nfs/a/b.db"), str(mounts)) == "nfs4 network mount"
    assert _mount_type(Path("/home/sam/log.db"), str(mounts)) is None


def test_writing_to_a_log_on_a_share_warns(cli: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    import complaints_cli.store.maintenance as maintenance

    monkeypatch.setattr(maintenance, "_mount_type", lambda path: "cifs network mount")
    result = cli("log", *LOG_ARGS)
    assert result.exit_code == 0
    assert "warning: the log" in result.stderr and "move the team to PostgreSQL" in result.stderr


def test_a_busy_log_gives_up_within_its_timeout_in_a_real_process(cli: Any, tmp_path: Path) -> None:
    """Another handler holds the lock for good: the command waits its 0.5 s, says so, stops."""
    import os
    import subprocess
    import sys
    import time

    cli("log", *LOG_ARGS)
    holder = sqlite3.connect(tmp_path / "log.db", isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    env = {**os.environ, "COMPLAINTS_BUSY_TIMEOUT": "0.5"}
    started = time.monotonic()
    try:
        result = subprocess.run(
            [sys.executable, "-m", "complaints_cli", "learning", "SPRUCE001", "Noted"],
            env=env,
            capture_output=True,
            text=True,
            timeout=30,  # an unbounded wait fails here instead of hanging the suite
        )
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    waited = time.monotonic() - started
    assert result.returncode == 1
    assert result.stderr.startswith("complaints: error: the log is busy")
    assert len(result.stderr.splitlines()) == 1
    assert waited < 15, f"gave up after {waited:.1f} s"
