"""Throw bad option values at every command and check each gives exit 0 or 1, no traceback,
no hang (issue 16: "588 bad option values gave 5 tracebacks, 5 hangs and 37 usage errors with
exit 2").

    python benchmarks/campaign_options.py [--per-option 6] [--timeout 20] [--processes 40] [-v]

Every option that takes a value, of every command (``db`` and ``report`` subcommands included),
is given hostile values (:data:`HOSTILE`: numbers at and past every bound, dates and months out
of range, amounts with exponents and stray groups, references past the counter, wildcards,
control characters, pasted pages): ``--per-option`` of them each, taken in turn so that every
value meets many options (``--per-option 0``: every value to every option, ~9,300 runs). The
command's arguments get a valid reference, and each argument is given the values too. Every
run starts from a copy of one small log (a few cases at different stages) in a scratch folder.
In-process (click's test runner, a ``SIGALRM`` watchdog per run), then ``--processes N`` of
the runs again as real processes, which is how a user meets them.

A run passes when it exits with status 0 or 1, its stderr holds no traceback, a status 1 ends
with one ``complaints: error:`` line (or a check's listed problems), and it finishes within
``--timeout`` seconds. Exit status 1 with failures listed; the figures are printed at the end.
Not part of the test run (it takes a minute or two).
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

#: Values people (and the issue's campaign) typed: bounds, wrong types, hostile text.
HOSTILE = [
    "",
    " ",
    "0",
    "-1",
    "261",
    "1001",
    "10000000",
    "2147483648",
    "-2147483649",
    "9223372036854775808",
    "99999999999999999999999999",
    "1e400",
    "1e308",
    "1e3",
    "nan",
    "inf",
    "1,2,3",
    "£-5",
    "9" * 400,
    "0000-01",
    "9999-12",
    "1989-12",
    "2101-01",
    "9999-12-31",
    "0001-01-01",
    "01/01/0001",
    "31/02/2025",
    "02/13/2025",
    "today",
    "SPRUCE0",
    "SPRUCE99999999999999999999",
    f"SPRUCE{2**63 - 1}",
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
    "json",
]

#: Commands that rewrite or replace the log as a whole, or reach for a server.
SKIP = {("db", "init"), ("db", "copy"), ("db", "upgrade"), ("purge",)}

ENV = {
    "COMPLAINTS_TODAY": "2025-03-03",
    "COMPLAINTS_USER": "campaign",
    "COLUMNS": "120",
    "NO_COLOR": "1",
}


@dataclass
class Run:
    argv: list[str]
    code: int | None = None
    seconds: float = 0.0
    problem: str | None = None


def commands() -> list[tuple[tuple[str, ...], Any]]:
    """Every leaf command as (its words, its click command), the skipped ones left out."""
    from complaints_cli.cli.app import leaf_commands

    return [(path, command) for path, command in leaf_commands() if path not in SKIP]


def argv_list(values: list[str], per_option: int | None = None) -> list[list[str]]:
    """Each command's options (and arguments) given each value (or ``per_option`` of them,
    taken in turn so that every value is used across the options), the rest left to
    defaults."""
    out: list[list[str]] = []
    turn = 0
    for path, command in commands():
        arguments = [p for p in command.params if p.param_type_name == "argument"]
        base = [*path, *("SPRUCE002" for _ in arguments if _.required)]
        for param in command.params:
            if param.name == "help" or getattr(param, "is_flag", False):
                continue
            chosen = values
            if per_option is not None and per_option < len(values):
                chosen = [values[(turn + k) % len(values)] for k in range(per_option)]
                turn += per_option
            for value in chosen:
                if param.param_type_name == "argument":
                    at = len(path) + arguments.index(param)
                    argv = [*base[:at], value, *base[at + (1 if param.required else 0) :]]
                else:
                    argv = [*base, param.opts[0], value]
                out.append(argv)
    return out


def make_log(folder: Path) -> Path:
    """A small log: two cases, one acknowledged and answered."""
    folder.mkdir(parents=True, exist_ok=True)
    from typer.testing import CliRunner

    from complaints_cli.cli.app import app

    env = {**ENV, "COMPLAINTS_DB": str(folder / "log.db"), "COMPLAINTS_ROOT": str(folder / "C")}
    runner = CliRunner()
    log = [
        "log",
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
    ]
    steps = [
        ["db", "init", str(folder / "log.db")],
        log,
        log,
        ["acknowledge", "SPRUCE002", "--date", "04/02/2025", "--summary", "Damp"],
        ["respond", "SPRUCE002", "--date", "10/02/2025", "--summary", "Upheld"],
    ]
    for argv in steps:
        result = runner.invoke(app, argv, env=env)
        if result.exit_code != 0:
            raise SystemExit(f"could not make the campaign's log: {argv}: {result.output}")
    return folder


@contextmanager
def watchdog(seconds: float) -> Iterator[None]:
    def expired(signum: int, frame: Any) -> None:
        raise TimeoutError

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def judge(run: Run, stderr: str) -> None:
    if run.code not in (0, 1):
        run.problem = f"exit status {run.code}"
    elif "Traceback" in stderr:
        run.problem = "traceback"
    elif run.code == 1:
        lines = stderr.strip().splitlines()
        last = lines[-1] if lines else ""
        if not (last.startswith("complaints: error: ") or "found" in last.lower()):
            run.problem = f"exit 1 without one error line: {last[:120]!r}"


def fresh(base: Path, scratch: Path) -> dict[str, str]:
    shutil.rmtree(scratch, ignore_errors=True)
    shutil.copytree(base, scratch)
    return {**ENV, "COMPLAINTS_DB": str(scratch / "log.db"), "COMPLAINTS_ROOT": str(scratch / "C")}


def in_process(argv: list[str], base: Path, scratch: Path, timeout: float) -> Run:
    from typer.testing import CliRunner

    from complaints_cli.cli.app import app

    env = fresh(base, scratch)
    run = Run(argv)
    os.chdir(scratch)
    start = time.perf_counter()
    try:
        with watchdog(timeout):
            result = CliRunner().invoke(app, argv, env=env, input="")
    except TimeoutError:
        run.problem = f"hung (> {timeout:g} s)"
        return run
    finally:
        run.seconds = time.perf_counter() - start
        os.chdir(REPO)
    run.code = result.exit_code
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        run.problem = f"traceback: {type(result.exception).__name__}: {result.exception}"[:200]
        return run
    judge(run, result.stderr)
    return run


def as_process(argv: list[str], base: Path, scratch: Path, timeout: float) -> Run:
    env = {**os.environ, **fresh(base, scratch)}
    run = Run(argv)
    start = time.perf_counter()
    try:
        done = subprocess.run(
            [sys.executable, "-m", "complaints_cli", *argv],
            env=env,
            cwd=scratch,
            capture_output=True,
            text=True,
            timeout=timeout,
            stdin=subprocess.DEVNULL,
        )
    except subprocess.TimeoutExpired:
        run.problem = f"hung (> {timeout:g} s)"
        return run
    finally:
        run.seconds = time.perf_counter() - start
    run.code = done.returncode
    judge(run, done.stderr)
    return run


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--values", type=int, default=len(HOSTILE), help="first N values only")
    parser.add_argument(
        "--per-option",
        type=int,
        default=6,
        help="values given to each option, in turn (0: every value to every option)",
    )
    parser.add_argument("--timeout", type=float, default=20.0, help="seconds a run may take")
    parser.add_argument("--processes", type=int, default=40, help="runs repeated as processes")
    parser.add_argument("-v", "--verbose", action="store_true", help="print every failure")
    args = parser.parse_args()

    runs_argv = argv_list(HOSTILE[: args.values], args.per_option or None)
    with tempfile.TemporaryDirectory(prefix="complaints-campaign-") as tmp:
        base = make_log(Path(tmp) / "base")
        scratch = Path(tmp) / "run"
        started = time.perf_counter()
        results = [in_process(a, base, scratch, args.timeout) for a in runs_argv]
        in_process_s = time.perf_counter() - started
        step = max(1, len(runs_argv) // max(1, args.processes))
        sample = runs_argv[::step][: args.processes]
        started = time.perf_counter()
        processes = [as_process(a, base, scratch, args.timeout) for a in sample]
        process_s = time.perf_counter() - started

    failed = [r for r in [*results, *processes] if r.problem]
    codes = Counter(r.code for r in results)
    kinds = Counter((r.problem or "").split(":")[0].split(" (")[0] for r in failed)
    for run in failed if args.verbose else failed[:20]:
        shown = [a if len(a) <= 40 else a[:37] + "..." for a in run.argv]
        print(f"FAIL {run.problem}: complaints {' '.join(map(repr, shown))}")
    print(
        f"{len(commands())} commands, {len(HOSTILE[: args.values])} values: "
        f"{len(results)} runs in-process in {in_process_s:.0f} s "
        f"(exit 0: {codes[0]}, exit 1: {codes[1]}, other: {len(results) - codes[0] - codes[1]}; "
        f"slowest {max(r.seconds for r in results):.1f} s), "
        f"{len(processes)} as processes in {process_s:.0f} s; "
        f"failures: {len(failed)} {dict(kinds) if kinds else ''}".rstrip()
    )
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
