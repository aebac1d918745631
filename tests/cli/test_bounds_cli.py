"""Bounds on what a person types, and usage errors, as the commands give them (issue 16, item 6).

Every refusal is one line on stderr, ``complaints: error: ...``, exit status 1, and nothing hangs:
the campaign's cases first, then every option of every command fuzzed with hypothesis.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import LOG_ARGS


@contextmanager
def no_hang(seconds: int) -> Iterator[None]:
    """Fail (instead of waiting forever) when the block runs longer than ``seconds``."""

    def expired(signum: int, frame: Any) -> None:
        raise TimeoutError(f"hung: still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def one_error_line(result: Any) -> str:
    """The run failed with exit 1 and said why in exactly one line; that line."""
    assert result.exit_code == 1, (result.exit_code, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("complaints: error: "), lines[0]
    return lines[0]


# -- usage errors: exit 1, one line --------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["list", "--bogus"], "no such option: --bogus; see complaints list -h"),
        (["respond", "SPRUCE001"], "missing option '--summary'; see complaints respond -h"),
        (["show"], "missing argument 'reference'; see complaints show -h"),
        (["due", "--within", "x"], "invalid value for '--within': 'x' is not a valid int"),
        (["extend", "SPRUCE001", "--reason", "r", "--days", "1.5"], "is not a valid int"),
        (["close", "SPRUCE001", "--expect-version", "0"], "0 is not in the range x>=1"),
        (["bogus"], "no such command 'bogus'"),
        (["list", "--format"], "option '--format' requires an argument"),
        (["db", "bogus"], "no such command 'bogus'; see complaints db -h"),
    ],
)
def test_a_usage_error_is_one_line_and_exit_1(cli: Any, args: list[str], said: str) -> None:
    line = one_error_line(cli(*args))
    assert said in line


def test_no_command_shows_the_help_and_succeeds(cli: Any) -> None:
    for args in ([], ["db"], ["report"]):
        result = cli(*args)
        assert result.exit_code == 0, result.stderr
        assert result.stdout.startswith("Usage: ")
        assert "Commands:" in result.stdout
        assert result.stderr == ""


def test_a_usage_error_in_a_real_process_is_one_line(tmp_path: Path) -> None:
    import subprocess

    from tests.conftest import complaints_cmd

    done = subprocess.run(
        [*complaints_cmd(), "list", "--status"],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "COMPLAINTS_DB": str(tmp_path / "log.db")},
    )
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1
    assert done.stderr.startswith(
        "complaints: error: option '--status' requires an argument; see complaints"
    )


def test_a_pasted_document_is_cut_short_in_the_error_line(cli: Any) -> None:
    line = one_error_line(cli("show", "X" * 100_000))
    assert len(line) <= len("complaints: error: ") + 500
    assert line.endswith("...")


# -- the campaign's bounds, as commands --------------------------------------------------


@pytest.fixture
def logged(cli: Any) -> str:
    assert cli("log", *LOG_ARGS).exit_code == 0
    return "SPRUCE001"


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["report", "emt", "--month", "9999-12"], "month '9999-12' is not between 1990 and 2100"),
        (["report", "emt", "--month", "0000-01"], "month '0000-01' is not between 1990 and 2100"),
        (["compliments", "--month", "9999-12"], "is not between 1990 and 2100"),
        (["report", "annual", "--year", "9999"], "year 9999 is not a financial year"),
        (["calendar", "--year", "0"], "--year 0 is out of range (1990-2100)"),
        (["calendar", "--year", "99999999999999999999"], "--year 99999999999999999999 is out"),
        (["due", "--within", "10000000"], "--within 10000000 must be 0 to 1000 working days"),
        (["due", "--within", "-1"], "--within -1 must be 0 to 1000"),
        (["digest", "--handler", "Sam Patel", "--within", "2147483648"], "must be 0 to 1000"),
        (
            ["due", "--as-of", "9999-12-31"],
            "--as-of date '9999-12-31' is in 9999: a complaint date must fall between 1990 and",
        ),
        (["due", "--as-of", "01/01/0001"], "is in 1: a complaint date must fall between 1990"),
        (
            ["log", *LOG_ARGS[:5], "01/01/0001", *LOG_ARGS[6:]],
            "date received '01/01/0001' is in 1: a complaint date must fall between 1990 and 2100",
        ),
        (["show", "SPRUCE99999999999999999999"], "no complaint with reference"),
        (["show", f"SPRUCE{2**63}"], "no complaint with reference"),
    ],
)
def test_out_of_range_values_are_refused_in_one_line(
    cli: Any, logged: str, args: list[str], said: str
) -> None:
    with no_hang(60):
        line = one_error_line(cli(*args))
    assert said in line


@pytest.mark.parametrize(
    ("days", "said"),
    [
        ("2147483648", "--days 2147483648 must be 1 to 260 working days"),
        ("99999999999999999999999", "must be 1 to 260"),
        ("261", "--days 261 must be 1 to 260"),
        ("0", "--days 0 must be 1 to 260"),
        ("-5", "must be 1 to 260"),
    ],
)
def test_extend_days_is_bounded_and_never_hangs(
    cli: Any, logged: str, days: str, said: str
) -> None:
    with no_hang(60):
        result = cli("extend", logged, "--reason", "survey", "--days", days, "--beyond-cap", "x")
    assert said in one_error_line(result)


def test_extend_days_at_its_limit_is_counted(cli: Any, logged: str, monkeypatch: Any) -> None:
    monkeypatch.setenv("COMPLAINTS_TODAY", "2025-02-04")
    result = cli(
        "extend", logged, "--reason", "survey", "--days", "260", "--beyond-cap", "agreed", "--told"
    )
    assert result.exit_code == 0, result.stderr


def test_due_as_of_the_last_day_answers(cli: Any, logged: str) -> None:
    with no_hang(60):
        result = cli("due", "--as-of", "2100-12-31")
    assert result.exit_code == 0, result.stderr


@pytest.mark.parametrize("today", ["9999-12-31", "0001-01-01", "1989-12-31"])
def test_complaints_today_out_of_range_is_refused(cli: Any, monkeypatch: Any, today: str) -> None:
    monkeypatch.setenv("COMPLAINTS_TODAY", today)
    line = one_error_line(cli("due"))
    assert f"COMPLAINTS_TODAY {today!r} is in {int(today[:4])}: a complaint date must fall" in line


@pytest.mark.parametrize(
    ("amount", "said"),
    [
        ("1e3", "compensation '1e3' is not an amount in pounds and pence"),
        ("1,2,3", "compensation '1,2,3' is not an amount"),
        ("-5", "compensation '-5' is not an amount"),
        ("1000000.01", "compensation '1000000.01' is more than £1,000,000"),
        ("9" * 400, "is more than £1,000,000"),
        ("1e400", "is not an amount"),
    ],
)
def test_typed_amounts_are_strict(cli: Any, logged: str, amount: str, said: str) -> None:
    result = cli(
        "respond", logged, "--summary", "Upheld", "--compensation", amount, "--reason", "x"
    )
    assert said in one_error_line(result)
    shown = cli("show", logged, "--format", "json")
    assert '"compensation_amount": null' in shown.stdout


# -- every option of every command, fuzzed ----------------------------------------------

#: Values people (and the campaign) typed: boundaries, wrong types, hostile text.
HOSTILE = [
    "",
    " ",
    "0",
    "-1",
    "1",
    "2147483648",
    "-2147483649",
    "9223372036854775808",
    "99999999999999999999999999",
    "1e400",
    "1e3",
    "nan",
    "1,2,3",
    "£-5",
    "0000-01",
    "9999-12",
    "9999-12-31",
    "0001-01-01",
    "31/02/2025",
    "02/13/2025",
    "2025-02-03",
    "03/02/2025",
    "today",
    "SPRUCE001",
    "SPRUCE0",
    "SPRUCE99999999999999999999",
    "%",
    "_",
    "'; DROP TABLE complaint; --",
    "\x1b[2J",
    "a\x0bb",
    "Élodie Łukasz Søren",
    "Ｅｌｏｄｉｅ",
    "CON",
    "a|b",
    "h" * 300,
    "x" * 5000,
    "stage 2",
    "email",
    "manager",
    "table",
    "json",
    "csv",
]

#: Commands never fuzzed: they rewrite the log as a whole (init, copy, purge, upgrade), or
#: wait for a server (``db copy --to`` a random URL would try to connect).
SKIP = {("db", "init"), ("db", "copy"), ("db", "upgrade"), ("purge",), ("import",)}


def _commands() -> list[tuple[tuple[str, ...], Any]]:
    from complaints_cli.cli.app import leaf_commands

    return [(path, command) for path, command in leaf_commands() if path not in SKIP]


def _safe_value(value: str) -> str:
    """Never a path outside the test's folder (the tests run as root on CI)."""
    if value.startswith(("/", "~", "\\")) or ".." in value:
        return "x" + value.replace("..", "_").lstrip("/~\\")
    return value


@st.composite
def command_lines(draw: st.DrawFn) -> list[str]:
    path, command = draw(st.sampled_from(_commands()))
    args = list(path)
    text = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=40)).map(_safe_value)
    params = [p for p in command.params if p.name not in ("help",)]
    chosen = draw(st.lists(st.sampled_from(params), max_size=4, unique_by=id)) if params else []
    for param in chosen:
        if param.param_type_name == "argument":
            args.append(draw(text))
        elif getattr(param, "is_flag", False):
            args.append(param.opts[0])
        else:
            args += [param.opts[0], draw(text)]
    # A required argument left out is a usage error too; half the time, give it.
    for param in command.params:
        if param.param_type_name == "argument" and param not in chosen and draw(st.booleans()):
            args.insert(len(path), draw(text))
    return args


@pytest.fixture(scope="module")
def fuzz_log(tmp_path_factory: pytest.TempPathFactory, log_template: Path) -> Path:
    """A log with a few cases at different stages, copied for each example."""
    import shutil

    from typer.testing import CliRunner

    from complaints_cli.cli.app import app

    base = tmp_path_factory.mktemp("fuzz")
    shutil.copyfile(log_template, base / "log.db")
    env = {
        "COMPLAINTS_DB": str(base / "log.db"),
        "COMPLAINTS_ROOT": str(base / "Complaints"),
        "COMPLAINTS_TODAY": "2025-03-03",
        "COMPLAINTS_USER": "fuzz",
    }
    runner = CliRunner()
    for args in (
        ["log", *LOG_ARGS],
        ["log", *LOG_ARGS],
        ["acknowledge", "SPRUCE002", "--date", "04/02/2025", "--summary", "Damp"],
        ["respond", "SPRUCE002", "--date", "10/02/2025", "--summary", "Upheld"],
    ):
        result = runner.invoke(app, args, env=env)
        assert result.exit_code == 0, result.output
    return base


@settings(
    max_examples=int(os.environ.get("COMPLAINTS_FUZZ_EXAMPLES", "40")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(args=command_lines())
def test_every_option_fuzzed_exits_0_or_1_in_one_line(
    args: list[str], fuzz_log: Path, tmp_path: Path, monkeypatch: Any
) -> None:
    import shutil

    from typer.testing import CliRunner

    from complaints_cli.cli.app import app

    work = tmp_path / "run"
    shutil.rmtree(work, ignore_errors=True)
    shutil.copytree(fuzz_log, work)
    monkeypatch.chdir(work)
    env = {
        "COMPLAINTS_DB": str(work / "log.db"),
        "COMPLAINTS_ROOT": str(work / "Complaints"),
        "COMPLAINTS_TODAY": "2025-03-03",
        "COMPLAINTS_USER": "fuzz",
    }
    with no_hang(60):
        result = CliRunner().invoke(app, args, env=env, input="")
    assert result.exit_code in (0, 1), (args, result.exit_code, result.stderr, result.exception)
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        args,
        repr(result.exception),
    )
    assert "Traceback" not in result.stderr, (args, result.stderr)
    if result.exit_code == 1:
        errors = [line for line in result.stderr.splitlines() if line.startswith("complaints:")]
        assert any(line.startswith("complaints: error: ") for line in errors), (
            args,
            result.stderr,
        )
        last = result.stderr.splitlines()[-1]
        assert last.startswith("complaints: error: ") or "found" in last.lower(), (
            args,
            result.stderr,
        )


@pytest.mark.parametrize(
    "args",
    [
        ["import", "a\x00.xlsx"],
        ["export", "\x00"],
        ["log", "--from-email", "mail\x00.eml"],
        ["--root", "\x00", "list"],
        ["db", "backup", "\x00"],
    ],
)
def test_a_nul_in_a_file_name_is_one_line(cli: Any, args: list[str]) -> None:
    # No file name can hold a NUL; the path check click makes (os.stat) raised ValueError.
    result = cli(*args)
    assert (result.exit_code, result.stderr) == (
        1,
        "complaints: error: a file name holds a NUL character (U+0000), which no file name "
        "can: remove it\n",
    )
