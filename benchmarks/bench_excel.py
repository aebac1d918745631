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
import compileall
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
    "- Fourth pass (2026-11-30, 19:00-20:10 UTC; load 6-9 throughout: every figure here runs",
    "  ~35% slower than on a quiet machine, pandas' too): e3302e3 (before), this pass's code",
    "  and pandas run in turn, one warm-up round then 5, 100k cases: median CPU 16.69 s before",
    "  and 16.55 s after (means 16.76 and 16.08 s, -4%); after/before 0.93 (median of the",
    "  rounds' ratios: 0.90, 0.93, 0.91, 0.96, 1.11); to pandas (8.20 s) 1.97x before and",
    "  2.03x after as medians of the rounds' ratios: within this load's noise. Peak memory",
    "  351 -> 347 MB (pandas 413). Valgrind (cachegrind) counts 7.79 -> 7.59 billion",
    "  instructions for a 10k-case import (-2.6%); part of the gain is fewer cache misses,",
    "  which instruction counts do not see. The 1.5x target is NOT met (table above: 2.04x).",
    "- Kept in this pass (output identical: the 10k and 100k workbooks imported, then a",
    "  --dry-run, a changed 100k workbook with --dry-run --update, without --update, with",
    "  --update twice, and the 100k workbook over the 10k log with --renumber-clashes, each",
    "  run's stdout, stderr and exit status and each log's `sqlite3 .dump`, timestamps of the",
    "  run masked, the same for e3302e3 and this code): a column of text and dates is parsed",
    "  a slice of 4,096 cells at a time, its distinct values found and mapped while the cells",
    "  are in the processor's cache (26 columns of 100k cells ~1.25 -> ~0.95 s; two passes",
    "  over a whole column missed the cache at every cell), its types read from the distinct",
    "  values; each row's values handed to the checks as they are made; the bulk insert",
    "  transposes each batch in C, converts each distinct date once and leaves out a column",
    "  NULL in every row of a batch where NULL is its default (7 of 44 columns of the generated",
    "  log); the history rows made as tuples; a row's dates read in one C pass; the Met",
    "  judgement skips a row with no Met column recorded without a generator and reads the",
    "  profile once; no dict built for a row's blank unknown columns.",
    "- Where the import's CPU time goes now (py-spy, 100k cases, shares of the process, load",
    "  7): python-calamine reading the sheet 13% (pandas pays the same; 18-22% in quieter",
    "  runs); the checks of the untrusted file 8% (streamed unzip, CRC, no DTD, the",
    "  regular-expression scan of every cell address); parsing the cells 8% and building each",
    "  row's dict of 44 values 7.5%; the order of events 2.4%; the header, row kinds, unknown",
    "  columns and implied values 9%; judging each row's typed Met columns 11%; the one",
    "  transaction 37% (the driver's executemany of the cases 9%, its Python side 3%, the",
    "  history rows 5%, building the secondary indexes 7%, the stored deadlines 2.6%, the new",
    "  ids 4%, the row dicts and counters 5.5%); start-up 2.6%; the plan and the report 2%.",
    "  About 45% of the process is Python work a row at a time over 100k rows of 44 fields",
    "  (~10 passes of 2-15 µs a row); 1.5x of pandas leaves ~4.5 s for all of it, so meeting",
    "  the target needs a different shape, not more of the same: the rows kept as columns",
    "  end to end (parsed, checked, judged and bound a column at a time, no dict a row), or",
    "  the per-row checks (order of events, Met columns, stored deadlines) done in one pass.",
    "- Kept for speed earlier, each measured: sqlite3 adapters for `None`, Yes/No and the",
    "  vocabulary's values (without them the driver formats an `AttributeError` for each such",
    "  value before binding it: 6% of a 10k import's instructions under callgrind); a first",
    "  import into an empty SQLite log builds its secondary indexes once, at the end of the",
    "  same transaction (~12% of the inserts' CPU); the Met columns judged without building",
    "  milestones (26.4 -> 20.3 µs a row); the new cases' ids read with one range query.",
    "- Tried and dropped: SQLite's page cache sized to the import (`PRAGMA cache_size`): 27",
    "  `pread` calls instead of 64,753 (`strace -c`), but no CPU saved in 5 alternating pairs",
    "  (new/old 1.06, load 4.7); a C method (`{}.get`) as the adapter for `None` instead of a",
    "  Python function: no difference in 1M bindings. Not tried again: a faster scan of the",
    "  cell addresses (the untrusted file's check; tried and dropped in an earlier pass).",
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
    # Both sides run from compiled bytecode, as an installed package does: pip compiled the
    # baseline's modules (pandas, openpyxl) when it installed them, and this checkout's are
    # compiled here, once. Without it, a run under PYTHONDONTWRITEBYTECODE (a sandbox's
    # default) compiled ~60 of the tool's modules from source every time: ~0.15 s of CPU,
    # ~8% of a 10k-case import's instructions (cachegrind, 2026-12-01).
    compileall.compile_dir(REPO / "complaints_cli", quiet=1)
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

    shown = [a for a in sys.argv[1:] if a != "--no-write"]
    command = " ".join(["python benchmarks/bench_excel.py", *shown])
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
