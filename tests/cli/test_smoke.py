"""The real command as separate processes: the console script and ``python -m``."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

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


def test_the_everyday_writes_stay_on_the_driver_on_both_backends(
    db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """log and the lifecycle commands write through sqlite3 or psycopg (the same transaction,
    locking, history and references as ever): SQLAlchemy, SQLModel and pydantic are never
    imported, on SQLite and on PostgreSQL (``db_url`` sets COMPLAINTS_DB)."""
    monkeypatch.setenv("COMPLAINTS_TODAY", "2025-02-05")
    assert run("log", *LOG_ARGS).returncode == 0  # caches the bank holidays
    for argv in (
        ("log", *LOG_ARGS),
        ("acknowledge", "SPRUCE001", "--summary", "Damp"),
        ("respond", "SPRUCE001", "--summary", "Upheld"),
        ("correct", "SPRUCE002", "--handler", "Kim Ho", "--reason", "Moved"),
        ("due",),
    ):
        assert heavy_modules_imported_by(*argv) == [], argv
    shown = run("show", "SPRUCE002", "--format", "json")
    assert shown.returncode == 0, shown.stderr
    case = json.loads(shown.stdout)
    assert (case["reference"], case["handler"]) == ("SPRUCE002", "Kim Ho")
    history = json.loads(run("history", "SPRUCE001", "--format", "json").stdout)
    assert [h["command"] for h in history] == ["log", "acknowledge", "respond"]


def test_console_script_is_installed() -> None:
    exe = shutil.which("complaints", path=str(Path(sys.executable).parent))
    assert exe, "the 'complaints' console script is not installed beside this Python"
    out = subprocess.run([exe, "--version"], capture_output=True, text=True)
    assert out.stdout.startswith("complaints ")


# --- the process ends without tearing the interpreter down (cli.app.run) ------------------------


def test_the_fast_exit_keeps_every_byte_and_the_exit_status(cli: Any) -> None:
    """``python -m complaints_cli`` ends with ``os._exit`` once the command is done: stdout
    written to a pipe (block-buffered) arrives whole, and each exit status is the command's."""
    for n in range(60):
        args = list(LOG_ARGS)
        args[args.index("--complainant") + 1] = f"Resident {n:02d}"
        assert cli("log", *args).exit_code == 0
    in_process = cli("list", "--format", "json")
    piped = run("list", "--format", "json")
    assert piped.returncode == 0, piped.stderr
    assert len(piped.stdout) > 16_000  # more than one pipe buffer's worth
    assert piped.stdout == in_process.stdout
    assert len(json.loads(piped.stdout)) == 60
    bad = run("show", "NOPE42")
    assert (bad.returncode, bad.stdout) == (1, "")
    assert bad.stderr == (
        "complaints: error: no complaint with reference 'NOPE42'; did you mean SPRUCE042?\n"
    )
    usage = run("due", "--within", "x")  # a usage error: one line, exit 1 (issue 16)
    assert (usage.returncode, usage.stdout) == (1, "")
    assert usage.stderr == (
        "complaints: error: invalid value for '--within': 'x' is not a valid int; "
        "see complaints due -h\n"
    )
    assert run("--version").stdout.startswith("complaints ")


def test_the_interpreter_exit_runs_when_something_asked_for_it() -> None:
    """An :mod:`atexit` handler (a coverage tool, a temporary folder's clean-up) still runs:
    the process then ends the ordinary way, with the same exit status."""
    code = (
        "import atexit, sys\n"
        "atexit.register(lambda: print('handler ran', file=sys.stderr))\n"
        "sys.argv = ['complaints', 'show', 'NOPE42']\n"
        "from complaints_cli.cli.app import run\n"
        "run()\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 1
    assert done.stderr.endswith("'NOPE42'\nhandler ran\n")


def test_the_fast_exit_flushes_what_is_still_buffered() -> None:
    """Output a command left in the buffers (written without a flush) is written out before
    the process ends, and ``SystemExit("message")`` prints the message and gives 1, as the
    interpreter does."""
    code = (
        "import sys\n"
        "import complaints_cli.cli.app as app\n"
        "def command():\n"
        "    sys.stdout.write('x' * 5000)\n"
        "    sys.stderr.write('partial line')\n"
        "    raise SystemExit({status})\n"
        "app.main = command\n"
        "app.run()\n"
    )
    buffered = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    for status, code_seen, err in ((3, 3, "partial line"), ("'why'", 1, "partial linewhy\n")):
        done = subprocess.run(
            [sys.executable, "-c", code.format(status=status)],
            capture_output=True,
            text=True,
            env=buffered,
        )
        assert (done.returncode, done.stdout, done.stderr) == (code_seen, "x" * 5000, err)
