"""Benchmark ``complaints import`` and ``complaints export`` against their baselines.

    python benchmarks/bench_excel.py [--runs 3] [--sizes 10000,100000] [--no-write]

For each log size, in the same run on the same machine, each timed as a whole process (so
interpreter start-up and imports count on both sides):

Each command runs alternately with its baseline (a busy spell on a shared machine then slows
a pair, not one side); the ratio is the median of the pairs' ratios.

* import: ``complaints import LOG.xlsx`` into an empty (already migrated) database, against
  ``pandas.read_excel(LOG.xlsx, engine="calamine")`` merely reading the same file. Target
  (issue 15): within 1.5x of its CPU time.
* export: ``complaints export OUT.xlsx`` of the whole log, against openpyxl's write-only mode
  writing the same rows (the same cell values, read from the same database). Target: within
  1.2x.

Peak memory is each process's maximum resident set size. ``LOG.xlsx`` is written here with
openpyxl from the generated database (``generate.py``): the 24 columns as a team's log has
them (the compound cells as text), a ``Channel`` and a ``Notes`` column, so the import reads a
workbook made by another program. Results replace this script's section of BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import NamedTuple

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
DATA = HERE / "data"
WORK = DATA / "excel"
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(REPO))

from generate import generate  # noqa: E402

START = "<!-- benchmarks/bench_excel.py -->"
END = "<!-- /benchmarks/bench_excel.py -->"

PANDAS = "import sys, pandas; pandas.read_excel(sys.argv[1], engine='calamine')"

#: The export's rows written by openpyxl's write-only mode: same database read, same values.
OPENPYXL_EXPORT = """
import sys
from openpyxl import Workbook
from complaints_cli.store.db import RawDatabase
from complaints_cli.files.exporter import export_columns
from complaints_cli.store import reads
db = RawDatabase("sqlite:///" + sys.argv[1])
columns = export_columns(
    reads.extra_keys(db, void=True),
    actions=reads.actions_by_case(db),
    related=reads.related_references(db),
    duplicates=reads.duplicate_references(db),
)
getters = [c.value for c in columns]
wb = Workbook(write_only=True)
ws = wb.create_sheet("Complaints Log")
ws.append([c.header for c in columns])
for case in reads.iter_cases(db, void=True):
    ws.append([get(case) for get in getters])
wb.save(sys.argv[2])
"""


def log_db(size: int) -> Path:
    db = DATA / f"log-{size // 1000}k.db"
    if not db.exists():
        print(f"generating {size} cases ...", flush=True)
        generate(db, size, date(2026, 11, 20))
    return db


def team_workbook(db: Path, size: int) -> Path:
    """The log as a team's workbook, written by openpyxl (another program than ours)."""
    target = WORK / f"log-{size // 1000}k.xlsx"
    if target.exists() and target.stat().st_mtime > db.stat().st_mtime:
        return target
    from openpyxl import Workbook

    from complaints_cli.domain.columns import COLUMNS
    from complaints_cli.domain.presentation import cell_text
    from complaints_cli.store.db import RawDatabase
    from complaints_cli.store.reads import iter_cases

    print(f"writing {target.name} ...", flush=True)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Log")
    ws.append(["Spruce Homes complaints log"])
    ws.append([c.header for c in COLUMNS] + ["Channel", "Notes"])
    with RawDatabase(f"sqlite:///{db}") as raw:
        for n, case in enumerate(iter_cases(raw)):
            cells: list[object] = []
            for column in COLUMNS:
                if column.kind == "date":
                    cells.append(getattr(case, column.fields[0]))
                elif column.number == 18:
                    cells.append(case.escalation_details)
                else:
                    cells.append(cell_text(column, case) or None)
            channel = case.channel.value if case.channel else None
            cells += [channel, f"note {n}" if n % 7 == 0 else None]
            ws.append(cells)
    WORK.mkdir(parents=True, exist_ok=True)
    wb.save(target)
    return target


def empty_db() -> Path:
    """A migrated empty log, copied for each import run (schema creation is not timed)."""
    path = WORK / "empty.db"
    if not path.exists():
        from complaints_cli.store.db import RawDatabase

        WORK.mkdir(parents=True, exist_ok=True)
        RawDatabase(f"sqlite:///{path}", create=True).close()
    return path


class Timing(NamedTuple):
    """One process: wall seconds, CPU seconds (user + system) and peak RSS in MB."""

    wall: float
    cpu: float
    mb: int


def run(argv: list[str], env: dict[str, str]) -> Timing:
    """Run one process to its end and measure it."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    stderr = proc.stderr.read().decode() if proc.stderr else ""
    if status != 0:
        raise SystemExit(f"{' '.join(argv)} failed: {stderr[:800]}")
    return Timing(elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss // 1024)


class Pair(NamedTuple):
    """Ours beside the baseline: median wall and CPU seconds, largest peak MB of each, and
    the median of the per-pair CPU ratios (the targets are CPU ratios: on a shared machine
    wall time also counts the waits for a core)."""

    ours: Timing
    base: Timing
    ratio: float


def paired(
    ours: list[str],
    base: list[str],
    env: dict[str, str],
    runs: int,
    before: Callable[[], None] | None = None,
) -> Pair:
    """Run ours and the baseline alternately (after one warm-up pair), so that both see the
    same machine: a busy spell slows a pair, not one side."""
    a_runs: list[Timing] = []
    b_runs: list[Timing] = []
    for i in range(runs + 1):
        if before is not None:
            before()
        a = run(ours, env)
        b = run(base, env)
        if i:
            a_runs.append(a)
            b_runs.append(b)

    def summary(timings: list[Timing]) -> Timing:
        return Timing(
            statistics.median(t.wall for t in timings),
            statistics.median(t.cpu for t in timings),
            max(t.mb for t in timings),
        )

    ratio = statistics.median(a.cpu / b.cpu for a, b in zip(a_runs, b_runs, strict=True))
    return Pair(summary(a_runs), summary(b_runs), ratio)


NOTES = [
    "Notes:",
    "- Where the import's CPU time goes (100k cases, in-process with `time.process_time`,",
    "  2026-11-30 14:22 UTC, load under 1; 16.7 s in all): opening and checking the untrusted",
    "  file (streamed unzip, size and CRC checks, no DTD, the grid's size: a regular-expression",
    "  scan of every cell address) 8%; python-calamine reading the sheet 17% (pandas pays the",
    "  same); parsing every cell with `cells.py` 16% (each distinct value of a column parsed",
    "  once); finding the header, the row kinds and the bounds 7%; the order of events 3%;",
    "  judging each row's typed Met columns against its dates 10%; the one transaction 36%",
    "  (the driver's `executemany` of the cases 14%; building the rows, their stored",
    "  deadlines, history and the secondary indexes the rest); start-up and the report 2%.",
    "- Beside the code that set the figure of 2026-11-23 (f4c7983, 2.03x on a quiet",
    "  machine then): that code, pandas and today's import run in turn, 5 rounds, 15:58 UTC,",
    "  load about 1: f4c7983 13.03 s of CPU (2.12x of pandas in the same run), today's 11.46 s",
    "  (2.07x), less in 4 rounds of 5 (today's also stores each open case's deadlines, checks",
    "  the untrusted file and judges the typed Met columns, which f4c7983 did not). An earlier",
    "  round at load 2: 15.30 and 13.93 s, less in 5 of 5. Valgrind counts fewer instructions",
    "  for today's at 10k (7.15 against 8.11 billion) and more at 100k (66.0 against 56.7",
    "  billion): the per-row work grew, the start-up shrank, and time per instruction differs.",
    "- Kept for speed, each measured: sqlite3 adapters for `None`, Yes/No and the",
    "  vocabulary's values (without them the driver formats an `AttributeError` for each such",
    "  value before binding it: 6% of a 10k import's instructions under callgrind); a first",
    "  import into an empty SQLite log builds its secondary indexes once, at the end of the",
    "  same transaction (~12% of the inserts' CPU); the Met columns judged without building",
    "  milestones (26.4 -> 20.3 µs a row); the new cases' ids read with one range query.",
    "- Tried and dropped (2026-11-30): SQLite's page cache sized to the import (`PRAGMA",
    "  cache_size`): 27 `pread` calls instead of 64,753 (`strace -c`), but no CPU saved in",
    "  5 alternating pairs (new/old 1.06, load 4.7).",
    "- Python's cyclic GC is paused during the import (ten million acyclic objects: it",
    "  doubled the time); the file is read from disk once (the checks, calamine and the",
    "  SHA-256 see the same bytes).",
    "- Export writes the sheet XML itself (inline strings: no text can become a formula) and",
    "  streams rows from the database: memory stays flat; openpyxl write-only needs 3-4x the",
    "  time for the same cells.",
    "- Import memory grows with the file (the sheet's cells are held while they are checked),",
    "  staying below what pandas needs for the same file.",
]


def judge(size: int, ratio: float, target: float) -> str:
    """The issue sets its targets for the 100k-case log; smaller logs are shown for scale."""
    if size < 100_000:
        return ""
    return f": within {target:g}x " + ("met" if ratio <= target else "NOT met")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument(
        "--pandas-python",
        default=sys.executable,
        help="the Python that has pandas and python-calamine (the baseline; default: this one)",
    )
    parser.add_argument(
        "--steps", default="import,export", help="which to run: import, export or both"
    )
    parser.add_argument("--no-write", action="store_true", help="print, do not edit BENCHMARKS.md")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    python = sys.executable
    complaints = [python, "-m", "complaints_cli"]
    env = {
        **os.environ,
        "COMPLAINTS_ROOT": str(WORK / "Complaints"),
        "COMPLAINTS_USER": "bench",
        "COMPLAINTS_CONFIG": str(WORK / "none.toml"),
        "PYTHONPATH": str(REPO),
    }
    WORK.mkdir(parents=True, exist_ok=True)
    (WORK / "none.toml").write_text("", encoding="utf-8")  # no user config gets in
    rows: list[tuple[str, int, Pair, str]] = []
    started = time.strftime("%Y-%m-%d %H:%M", time.gmtime())
    load_before = os.getloadavg()[0]
    for size in sizes:
        db = log_db(size)
        book = team_workbook(db, size)
        target = WORK / "import-target.db"
        empty = empty_db()

        def fresh(target: Path = target, empty: Path = empty) -> None:
            shutil.copy(empty, target)

        steps = args.steps.split(",")
        if "import" in steps:
            pair = paired(
                [*complaints, "--db", str(target), "import", str(book)],
                [args.pandas_python, "-c", PANDAS, str(book)],
                env,
                args.runs,
                fresh,
            )
            note = f"{pair.ratio:.2f}x of pandas.read_excel (calamine)"
            rows.append(("import", size, pair, note + judge(size, pair.ratio, 1.5)))
            print(rows[-1], flush=True)
        if "export" in steps:
            out = WORK / "export.xlsx"
            pair = paired(
                [*complaints, "--db", str(db), "export", str(out), "--force"],
                [python, "-c", OPENPYXL_EXPORT, str(db), str(WORK / "openpyxl.xlsx")],
                env,
                args.runs,
            )
            note = f"{pair.ratio:.2f}x of openpyxl write-only"
            rows.append(("export", size, pair, note + judge(size, pair.ratio, 1.2)))
            print(rows[-1], flush=True)

    command = " ".join(["python benchmarks/bench_excel.py", *sys.argv[1:]])
    if args.pandas_python != sys.executable:
        command = command.replace(args.pandas_python, "PANDAS_VENV/bin/python")
    pandas_version = subprocess.run(
        [args.pandas_python, "-c", "import pandas; print(pandas.__version__)"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    lines = [
        START,
        "## Excel import and export",
        "",
        f"Made by `{command}`: whole processes, each command and its "
        f"baseline run alternately, one warm-up pair then {args.runs} pairs; times are medians, "
        "the ratio is the median of the pairs' CPU-time ratios (the target's measure). "
        "Import reads a workbook written by openpyxl from the generated log (title row, the 24 "
        "columns, `Channel`, an unknown `Notes` column) into an empty database; the baseline "
        f'is `pandas.read_excel(engine="calamine")` (pandas {pandas_version or "?"}, in its own '
        "venv) reading the same file. Export writes the "
        "whole log; the baseline is openpyxl's write-only mode writing the same cell values "
        "from the same database. Peak memory is the process's maximum RSS.",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, {started} to {time.strftime('%H:%M', time.gmtime())} "
        f"UTC; load average {load_before:.1f} at the start, {os.getloadavg()[0]:.1f} at the end "
        "(a shared machine: compare figures within one run).",
        "",
        "| step | cases | complaints wall / CPU | peak MB | baseline wall / CPU | peak MB "
        "| result (CPU) |",
        "| --- | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for step, size, pair, verdict in rows:
        a, b = pair.ours, pair.base
        lines.append(
            f"| {step} | {size} | {a.wall:.2f} s / {a.cpu:.2f} s | {a.mb} "
            f"| {b.wall:.2f} s / {b.cpu:.2f} s | {b.mb} | {verdict} |"
        )
    lines += ["", *NOTES, END]
    section = "\n".join(lines)
    print(section)
    if args.no_write:
        return
    print(f"updated {write_section(section, START, END)}")


def write_section(section: str, start: str, end: str) -> Path:
    """Put ``section`` (which begins with ``start`` and ends with ``end``) into BENCHMARKS.md,
    replacing the one there, so each benchmark script owns its part of the file."""
    path = REPO / "BENCHMARKS.md"
    text = path.read_text(encoding="utf-8")
    if start in text and end in text:
        before, rest = text.split(start, 1)
        _, after = rest.split(end, 1)
        text = before + section + after
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    path.write_text(text, encoding="utf-8")
    return path


if __name__ == "__main__":
    main()
