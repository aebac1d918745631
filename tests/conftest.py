"""Shared fixtures: every path points into tmp_path; a real PostgreSQL server when available."""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from tests.pg import INSTALL_HINT, PostgresServer, find_bindir


@pytest.fixture(scope="session")
def log_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty log made once by the real migrations: each test starts from a copy of it."""
    from complaints_cli.store.db import RawDatabase

    path = tmp_path_factory.mktemp("template") / "log.db"
    RawDatabase(f"sqlite:///{path}", create=True).close()
    return path


def new_sqlite_log(template: Path, path: Path) -> str:
    """An empty log at ``path`` (a copy of the template); its URL."""
    shutil.copyfile(template, path)
    return f"sqlite:///{path}"


def needs_log(request: pytest.FixtureRequest) -> bool:
    """Whether a test gets an empty log: not the pure ones (every test in tests/domain, and a
    module that sets ``NO_LOG = True``), so a run of those alone builds no database (the
    mutation run, scripts/mutation.sh, runs them once for each mutant)."""
    pure = request.path.parent.name == "domain" or getattr(request.module, "NO_LOG", False)
    return not pure


@pytest.fixture(autouse=True)
def isolated(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> Path:
    """No test touches the user's home, config or data: all of it lives under tmp_path.

    ``COMPLAINTS_DB`` is ``tmp_path/log.db``, an empty log (a test of a missing log removes it;
    a pure test, see :func:`needs_log`, has none).
    """
    for var in list(os.environ):
        if var.startswith("COMPLAINTS_") and var not in ("COMPLAINTS_PG_BINDIR",):
            monkeypatch.delenv(var)
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    if needs_log(request):
        new_sqlite_log(request.getfixturevalue("log_template"), tmp_path / "log.db")
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
    """A fresh, empty log's URL on each backend; COMPLAINTS_DB points at it."""
    url = new_log_url(request, tmp_path / "store.db", request.param)
    monkeypatch.setenv("COMPLAINTS_DB", url)
    return url


@pytest.fixture(params=["sqlite", "postgresql"])
def blank_db_url(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> str:
    """A database with nothing in it (no log yet) on each backend; COMPLAINTS_DB points at it.

    For the tests of migrations and of creating a log: SQLite's file does not exist yet."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'blank.db'}"
    else:
        url = str(request.getfixturevalue("pg_server").new_database())
    monkeypatch.setenv("COMPLAINTS_DB", url)
    return url


def new_log_url(request: pytest.FixtureRequest, path: Path, backend: str) -> str:
    """An empty log on ``backend``: a copy of the template at ``path``, or a new PostgreSQL
    database holding one."""
    if backend == "sqlite":
        return new_sqlite_log(request.getfixturevalue("log_template"), path)
    return str(request.getfixturevalue("pg_server").new_log())


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
