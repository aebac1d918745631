"""The real command as separate processes: the console script and ``python -m``."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import LOG_ARGS, complaints_cmd


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*complaints_cmd(), *args],
        capture_output=True,
        text=True,
        env=env or dict(os.environ),
        timeout=60,
    )


def test_subprocess_log_show_and_errors(tmp_path: Path) -> None:
    logged = run("log", *LOG_ARGS, "--no-input", "--format", "json")
    assert logged.returncode == 0, logged.stderr
    assert json.loads(logged.stdout)["reference"] == "SPRUCE001"
    shown = run("show", "SPRUCE001", "--format", "json")
    assert json.loads(shown.stdout)["address"] == "1 Essex Brewery"
    bad = run("show", "NOPE42")
    assert bad.returncode == 1
    assert bad.stdout == ""
    assert bad.stderr == "complaints: error: no complaint with reference 'NOPE42'\n"


def test_help_names_every_command_with_an_example() -> None:
    out = run("--help").stdout
    for command in ("log", "show", "list", "config", "db"):
        assert command in out
    assert "Example:" in out
    commands = [
        ["log"],
        ["show"],
        ["list"],
        ["config"],
        ["history"],
        ["due"],
        ["calendar"],
        ["acknowledge"],
        ["extend"],
        ["respond"],
        ["escalate"],
        ["update"],
        ["close"],
        ["reopen"],
        ["learning"],
        ["ombudsman"],
        ["action", "done"],
        ["db", "path"],
        ["db", "upgrade"],
        ["db", "check"],
        ["db", "backup"],
    ]
    for command in commands:
        sub = run(*command, "--help")
        assert sub.returncode == 0
        assert "Example: complaints " in sub.stdout, command


HEAVY = ("sqlalchemy", "sqlmodel", "alembic", "openpyxl", "holidays", "pydantic")


def heavy_modules_imported_by(*argv: str) -> list[str]:
    """Run the CLI in a fresh interpreter and list the heavy modules it imported."""
    code = (
        f"import sys; sys.argv = ['complaints', *{list(argv)!r}]\n"
        "from complaints_cli.cli.app import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        f"print('HEAVY', [m for m in {HEAVY!r} if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout
    return eval(out.rsplit("HEAVY", 1)[1])  # type: ignore[no-any-return]


def test_help_does_not_import_the_heavy_modules() -> None:
    assert heavy_modules_imported_by("--help") == []


def test_everyday_commands_do_not_import_sqlalchemy_or_pydantic(tmp_path: Path) -> None:
    """log, show, list, due and export run on the driver: the ORM's ~0.3 s is never paid."""
    # The first log makes the database (Alembic) and caches the bank holidays.
    assert run("log", *LOG_ARGS).returncode == 0
    assert heavy_modules_imported_by("log", *LOG_ARGS) == []
    # show works out the case's deadlines from the bank holidays that `log` cached: no import.
    assert heavy_modules_imported_by("show", "SPRUCE001") == []
    assert heavy_modules_imported_by("list") == []
    assert heavy_modules_imported_by("due") == []
    assert heavy_modules_imported_by("acknowledge", "SPRUCE001", "--summary", "Damp") == []
    exported = heavy_modules_imported_by("export", str(tmp_path / "log.xlsx"))
    assert exported == []
    assert (tmp_path / "log.xlsx").is_file()


def test_console_script_is_installed() -> None:
    exe = shutil.which("complaints", path=str(Path(sys.executable).parent))
    assert exe, "the 'complaints' console script is not installed beside this Python"
    out = subprocess.run([exe, "--version"], capture_output=True, text=True)
    assert out.stdout.startswith("complaints ")
