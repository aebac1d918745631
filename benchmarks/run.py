"""Time whole ``complaints`` commands as separate processes and write BENCHMARKS.md.

    python benchmarks/run.py [--runs 7] [--sizes 10000,100000]

Each command runs several times as its own process; the table gives the median wall time and
its ratio to the floor, ``python -c pass``, timed in the same run on the same machine. Logs are
generated once into ``benchmarks/data/`` (see ``generate.py``). Not part of the test run.
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
from dataclasses import dataclass
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
DATA = HERE / "data"
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402


@dataclass
class Case:
    name: str
    argv: list[str]
    size: int | None = None
    target: float | None = None  # times the floor


def timed(argv: list[str], env: dict[str, str], runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        done = subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        out.append(time.perf_counter() - start)
        if done.returncode != 0:
            raise SystemExit(f"{' '.join(argv)} failed: {done.stderr.decode()[:500]}")
    return out


def log_db(size: int) -> Path:
    db = DATA / f"log-{size // 1000}k.db"
    if not db.exists():
        print(f"generating {size} cases ...", flush=True)
        generate(db, size, date(2026, 11, 20))
    return db


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--output", type=Path, default=REPO / "BENCHMARKS.md")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]

    exe = shutil.which("complaints", path=str(Path(sys.executable).parent))
    if exe is None:
        raise SystemExit("install the project first: pip install -e .")
    py = sys.executable
    cases: list[Case] = [
        Case("python -c pass (floor)", [py, "-c", "pass"]),
        Case("complaints --help", [exe, "--help"], target=15),
        Case("complaints config", [exe, "config"]),
    ]
    for size in sizes:
        mid = f"SPRUCE{size // 2:03d}"
        cases += [
            Case(
                f"complaints show {mid}", [exe, "show", mid], size, 25 if size >= 100_000 else None
            ),
            Case(
                "complaints list --status Open --stage 'Stage 2'",
                [exe, "list", "--status", "Open", "--stage", "Stage 2"],
                size,
            ),
            Case("complaints due (table)", [exe, "due"], size, 20 if size >= 100_000 else None),
            Case("complaints due --format json", [exe, "due", "--format", "json"], size),
            Case(
                "complaints list --format json (whole log)", [exe, "list", "--format", "json"], size
            ),
            Case(
                "complaints log (one new case)",
                [
                    exe,
                    "log",
                    "--no-input",
                    "--complainant",
                    "Ann Lee",
                    "--address",
                    "1 Essex Brewery",
                    "--handler",
                    "Sam Patel",
                    "--channel",
                    "email",
                    "--received",
                    "2026-11-20",
                ],
                size,
            ),
        ]

    work = DATA / "work"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    results = []
    for case in cases:
        env = {
            **os.environ,
            "COMPLAINTS_ROOT": str(work / "Complaints"),
            "COMPLAINTS_CONFIG": str(work / "none.toml"),
            "COMPLAINTS_TODAY": "2026-11-20",
            "COLUMNS": "120",
        }
        (work / "none.toml").write_text("")
        if case.size:
            db = work / f"{case.size}.db"
            if not db.exists():
                shutil.copy(log_db(case.size), db)
            env["COMPLAINTS_DB"] = str(db)
        else:
            env["COMPLAINTS_DB"] = str(work / "empty.db")
        timed(case.argv, env, 1)  # warm the OS cache
        times = timed(case.argv, env, args.runs)
        results.append((case, statistics.median(times)))
        print(
            f"{case.name:55} {case.size or '':>7} {statistics.median(times) * 1000:8.1f} ms",
            flush=True,
        )

    floor = results[0][1]
    lines = [
        "# Benchmarks",
        "",
        "Whole-process wall times: each command run as its own process "
        f"{args.runs} times after one warm-up, median shown, beside the floor `python -c pass` "
        "timed in the same run. Made by `python benchmarks/run.py`; logs from "
        "`benchmarks/generate.py` (SQLite, default settings).",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, {date.today().isoformat()}.",
        "",
        "| command | cases | median | x floor | target |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for case, median in results:
        ratio = median / floor
        target = (
            f"within {case.target:g}x: {'met' if ratio <= case.target else 'NOT met'}"
            if case.target
            else ""
        )
        size = case.size or ""
        ms = f"{median * 1000:.0f} ms"
        lines.append(f"| `{case.name}` | {size} | {ms} | {ratio:.1f} | {target} |")
    # Only this script's section is replaced: notes and other scripts' sections stay.
    start, end = "<!-- benchmarks/run.py -->", "<!-- /benchmarks/run.py -->"
    section = "\n".join([start, *lines[2:], end])
    old = args.output.read_text(encoding="utf-8") if args.output.exists() else "# Benchmarks\n"
    if start in old and end in old:
        new = old[: old.index(start)] + section + old[old.index(end) + len(end) :]
    else:
        new = old.rstrip("\n") + "\n\n" + section + "\n"
    args.output.write_text(new, encoding="utf-8")
    print(f"wrote {args.output}")


if __name__ == "__main__":
    main()
