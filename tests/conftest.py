"""Shared fixtures: every path points into tmp_path; a real PostgreSQL server when available."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from tests.pg import INSTALL_HINT, PostgresServer, find_bindir


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No test touches the user's home, config or data: all of it lives under tmp_path."""
    for var in list(os.environ):
        if var.startswith("COMPLAINTS_") and var not in ("COMPLAINTS_PG_BINDIR",):
            monkeypatch.delenv(var)
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("COMPLAINTS_DB", str(tmp_path / "log.db"))
    monkeypatch.setenv("COMPLAINTS_ROOT", str(tmp_path / "Complaints"))
    monkeypatch.setenv("COMPLAINTS_USER", "tester")
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("TERM", "dumb")
    return tmp_path


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return tmp_path / "Complaints"


@pytest.fixture
def cli() -> Callable[..., Any]:
    """Run the CLI in-process: ``cli("log", "--complainant", ...)`` -> click Result."""
    from complaints_cli.cli.app import app

    runner = CliRunner()

    def run(*args: str, input: str | None = None, env: dict[str, str] | None = None) -> Any:
        return runner.invoke(app, list(args), input=input, env=env, catch_exceptions=False)

    return run


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PostgresServer]:
    bindir = find_bindir()
    if bindir is None:
        pytest.skip(INSTALL_HINT)
    server = PostgresServer(bindir)
    server.start()
    yield server
    server.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A fresh, empty database URL on each backend; COMPLAINTS_DB points at it."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'store.db'}"
    else:
        url = request.getfixturevalue("pg_server").new_database()
    monkeypatch.setenv("COMPLAINTS_DB", url)
    return url


def complaints_cmd() -> list[str]:
    """The real command, as a separate process."""
    return [sys.executable, "-m", "complaints_cli"]


def sample_new() -> Any:
    """A valid new complaint for store-level tests (received 03/02/2025)."""
    from datetime import date

    from complaints_cli.domain.intake import new_complaint

    return new_complaint(
        complainant="A",
        address="1 Road",
        received="2025-02-03",
        handler="H",
        channel="email",
        summary=None,
        today=date(2025, 3, 1),
    )


LOG_ARGS = (
    "--complainant",
    "Ann Lee",
    "--address",
    "1 Essex Brewery",
    "--received",
    "03/02/2025",
    "--handler",
    "Sam Patel",
    "--channel",
    "email",
)


@pytest.fixture
def day(cli: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    """A :class:`tests.process_steps.Day`: run commands on given dates (the process tests)."""
    from tests.process_steps import Day

    return Day(cli, monkeypatch)
