"""A log that does not exist is an error, never a new empty log (issue 12, item 4).

Before: ``complaints --db ./typo.db due`` made ``typo.db`` and printed "Nothing due.", exit 0.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import LOG_ARGS, complaints_cmd
from tests.paths import SAMPLE as SAMPLE_LOG


def refusal(path: Path | str) -> str:
    return (
        f"complaints: error: the log {path} does not exist: check the path (--db, COMPLAINTS_DB "
        "or the db setting; complaints config shows which is in force), or create a new, empty "
        f"log there with complaints db init {path}"
    )


def test_a_mistyped_path_is_refused_by_a_real_process_and_nothing_is_made(
    tmp_path: Path,
) -> None:
    typo = tmp_path / "typo.db"
    env = {**os.environ, "COMPLAINTS_TODAY": "2025-02-10"}
    result = subprocess.run(
        [*complaints_cmd(), "--db", str(typo), "due"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr.strip() == refusal(typo)
    assert not typo.exists()


@pytest.mark.parametrize(
    "args",
    [
        ("due",),
        ("list",),
        ("show", "SPRUCE001"),
        ("log", *LOG_ARGS),
        ("acknowledge", "SPRUCE001"),
        ("report", "emt", "--month", "2025-01"),
        ("db", "check"),
        ("db", "upgrade"),
    ],
    ids=lambda a: " ".join(a[:2]),
)
def test_every_command_refuses_a_missing_log(cli: Any, tmp_path: Path, args: Any) -> None:
    (tmp_path / "log.db").unlink()
    result = cli(*args)
    assert result.exit_code == 1
    assert result.stderr.strip() == refusal(tmp_path / "log.db")
    assert not (tmp_path / "log.db").exists()


def test_an_empty_file_is_not_a_log(cli: Any, tmp_path: Path) -> None:
    (tmp_path / "log.db").write_bytes(b"")
    result = cli("list")
    assert result.exit_code == 1
    assert "is an empty file (0 bytes), not a log" in result.stderr
    assert (tmp_path / "log.db").read_bytes() == b""


def test_db_init_makes_a_log_once_and_leaves_an_existing_one_alone(
    cli: Any, tmp_path: Path
) -> None:
    target = tmp_path / "team log.db"
    made = cli("db", "init", str(target))
    assert made.exit_code == 0, made.output
    assert made.stdout.splitlines()[0] == f"The log {target} is ready (empty)"
    assert f"COMPLAINTS_DB={target}" in made.stdout
    assert cli("--db", str(target), "log", *LOG_ARGS).exit_code == 0
    again = cli("db", "init", str(target))
    assert (
        again.stdout.strip() == f"The log {target} already exists (1 complaint(s)); nothing changed"
    )
    listed = json.loads(cli("--db", str(target), "list", "-f", "json").stdout)
    assert [c["reference"] for c in listed] == ["SPRUCE001"]
    # The message for a missing log quotes a path with spaces, ready to paste.
    other = tmp_path / "other log.db"
    assert cli("--db", str(other), "list").stderr.strip().endswith(f'db init "{other}"')


def test_db_init_refuses_a_missing_folder(cli: Any, tmp_path: Path) -> None:
    result = cli("db", "init", str(tmp_path / "nowhere" / "log.db"))
    assert result.exit_code == 1
    assert "the folder for the database" in result.stderr
    assert not (tmp_path / "nowhere").exists()


def test_log_and_import_create_only_when_asked(cli: Any, tmp_path: Path) -> None:
    new = tmp_path / "new.db"
    assert cli("--db", str(new), "log", *LOG_ARGS).exit_code == 1
    assert not new.exists()
    logged = cli("--db", str(new), "log", "--create", *LOG_ARGS)
    assert logged.exit_code == 0, logged.output
    assert logged.stdout.startswith("Logged SPRUCE001:")

    other = tmp_path / "imported.db"
    dry = cli("--db", str(other), "import", str(SAMPLE_LOG), "--dry-run", "--create")
    assert dry.exit_code == 0, dry.output
    assert "would be 40 added" in dry.stdout
    assert not other.exists()  # a dry run writes nothing, not even the new log
    assert cli("--db", str(other), "import", str(SAMPLE_LOG)).exit_code == 1
    done = cli("--db", str(other), "import", str(SAMPLE_LOG), "--create")
    assert done.exit_code == 0, done.output
    assert "40 added" in done.stdout


def test_the_first_run_on_the_default_location_makes_the_log(
    cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("COMPLAINTS_DB")
    result = cli("log", *LOG_ARGS)
    assert result.exit_code == 0, result.output
    default = tmp_path / "home" / ".local" / "share" / "complaints" / "complaints.db"
    assert cli("db", "path").stdout.strip() == str(default)
    assert default.is_file()


def test_a_postgresql_database_without_a_log_is_refused_until_initialised(
    cli: Any, blank_db_url: str
) -> None:
    if blank_db_url.startswith("sqlite"):
        pytest.skip("the SQLite case is above")
    shown = blank_db_url
    refused = cli("list")
    assert refused.exit_code == 1
    assert refused.stderr.strip() == refusal(shown)
    made = cli("db", "init")
    assert made.exit_code == 0, made.output
    assert made.stdout.strip() == f"The log {shown} is ready (empty)"
    assert cli("log", *LOG_ARGS).exit_code == 0
