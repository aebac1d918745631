"""A reader that closes the output early (``complaints show REF | head -1``) ends the command
quietly with the closed pipe's own status (141, 128 + SIGPIPE, as ``seq | head`` gives): no
traceback, no message, never the error status 1. Run as real processes with a real pipe."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from complaints_cli.errors import ExitCode
from tests.conftest import LOG_ARGS, complaints_cmd


@pytest.fixture(params=["buffered", "unbuffered"], autouse=True)
def buffering(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Python buffers stdout into a pipe (the closed pipe is met when the buffer is flushed)
    unless PYTHONUNBUFFERED is set (met at the first write): both, whatever this machine has."""
    if request.param == "buffered":
        monkeypatch.delenv("PYTHONUNBUFFERED", raising=False)
    else:
        monkeypatch.setenv("PYTHONUNBUFFERED", "1")
    return str(request.param)


def _closed_reader(
    *args: str, command: list[str] | None = None
) -> subprocess.CompletedProcess[bytes]:
    """Run the command with stdout a pipe whose reading end is already closed: its first
    write (or flush) meets the closed pipe, whatever the timing."""
    read, write = os.pipe()
    os.close(read)
    try:
        return subprocess.run(
            [*(command or complaints_cmd()), *args],
            stdout=write,
            stderr=subprocess.PIPE,
            timeout=120,
        )
    finally:
        os.close(write)


@pytest.fixture
def logged(cli) -> None:
    result = cli("log", *LOG_ARGS)
    assert result.exit_code == 0, result.output


#: Commands that print: a case, listings in each format, the due list, history, help, version,
#: the help for a group given alone, and a report.
PRINTING = [
    ("show", "SPRUCE001"),
    ("show", "SPRUCE001", "-f", "json"),
    ("list",),
    ("list", "-f", "csv"),
    ("due", "--as-of", "2025-02-03"),
    ("history", "SPRUCE001"),
    ("--help",),
    ("list", "--help"),
    ("--version",),
    (),
    ("db",),
    ("report", "emt", "--month", "2025-02"),
]


@pytest.mark.parametrize("args", PRINTING, ids=lambda a: " ".join(a) or "(none)")
def test_a_closed_pipe_ends_quietly(logged: None, args: tuple[str, ...]) -> None:
    done = _closed_reader(*args)
    assert (done.returncode, done.stderr.decode()) == (ExitCode.CLOSED_PIPE, "")


def test_head_takes_its_line_and_the_command_ends_quietly(
    tmp_path: Path, cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A case whose text is far more than a pipe's buffer (64 KiB): `show` is still writing
    # when `head` has its line and exits.
    text = "Damp in the bathroom. " * 1_400  # 30,800 characters each
    monkeypatch.setenv("COMPLAINTS_TODAY", "2025-03-01")
    assert cli("log", *LOG_ARGS, "--summary", text).exit_code == 0
    assert cli("respond", "SPRUCE001", "--date", "2025-02-10", "--summary", text).exit_code == 0
    assert cli("learning", "SPRUCE001", text).exit_code == 0
    assert cli("learning", "SPRUCE001", "Also: " + text).exit_code == 0
    command = " ".join(f"'{part}'" for part in complaints_cmd())
    script = f"set -o pipefail; {command} show SPRUCE001 | head -1; echo status=$?"
    done = subprocess.run(["bash", "-c", script], capture_output=True, text=True, timeout=120)
    assert done.stdout.splitlines() == ["SPRUCE001: Open, Stage 1", "status=141"]
    assert done.stderr == ""


def test_an_error_keeps_its_status_and_its_line(logged: None) -> None:
    done = _closed_reader("show", "SPRUCE999")
    assert done.returncode == ExitCode.ERROR
    assert done.stderr.decode().splitlines() == [
        "complaints: error: no complaint with reference 'SPRUCE999'; did you mean SPRUCE001?"
    ]


def test_an_open_pipe_is_untouched(logged: None) -> None:
    done = subprocess.run(
        [*complaints_cmd(), "show", "SPRUCE001"], capture_output=True, timeout=120
    )
    assert done.returncode == 0
    assert done.stdout.decode().splitlines()[0] == "SPRUCE001: Open, Stage 1"


def test_output_written_outside_a_command_meets_the_closed_pipe_quietly() -> None:
    # Output written without the command line's own boundary (sys.stdout.write, never
    # flushed): buffered, the closed pipe is met by run()'s last flush, after the command;
    # unbuffered, at the write itself.
    script = (
        "import sys\n"
        "from complaints_cli.cli import app\n"
        "app.main = lambda: sys.stdout.write('[]\\n')\n"
        "app.run()\n"
    )
    done = _closed_reader(command=[sys.executable, "-c", script])
    assert (done.returncode, done.stderr.decode()) == (ExitCode.CLOSED_PIPE, "")
