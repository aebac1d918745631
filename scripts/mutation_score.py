"""The mutation run's score per module, from mutmut's results (scripts/mutation.sh prints it).

Usage: ``python scripts/mutation_score.py`` in the directory ``mutmut run`` was run in;
``--retest`` marks the survivors (and mutants no test reached) as not checked, so the next
``mutmut run`` tries them again with today's tests (mutmut keeps a verdict once given). A
mutant is killed (a test failed, or it timed out: an endless loop is caught), survived, or had
no test run it (counted as not killed). Score = killed / (total - skipped).
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

from mutmut.stats import status_by_exit_code


def retest() -> int:
    """Forget every "survived" and "no tests" verdict; returns how many were forgotten."""
    forgotten = 0
    for meta in Path("mutants").rglob("*.py.meta"):
        data = json.loads(meta.read_text("utf-8"))
        codes = data["exit_code_by_key"]
        for key, code in codes.items():
            if code is not None and status_by_exit_code[code] in ("survived", "no tests"):
                codes[key] = None
                forgotten += 1
        meta.write_text(json.dumps(data), "utf-8")
    return forgotten


def main() -> int:
    if sys.argv[1:] == ["--retest"]:
        print(f"{retest()} mutants to try again")
        return 0
    rows = []
    totals: Counter[str] = Counter()
    for meta in sorted(Path("mutants").rglob("*.py.meta")):
        codes = json.loads(meta.read_text("utf-8"))["exit_code_by_key"]
        counts = Counter(status_by_exit_code[code] for code in codes.values())
        totals.update(counts)
        rows.append((str(meta.relative_to("mutants"))[: -len(".meta")], counts))
    print(f"{'module':<45} {'total':>6} {'killed':>6} {'surv':>5} {'none':>5} {'todo':>5} score")
    for name, counts in [*rows, ("all", totals)]:
        total = sum(counts.values()) - counts["skipped"]
        killed = counts["killed"] + counts["timeout"] + counts["caught by type check"]
        score = f"{100 * killed / total:.1f}%" if total else "-"
        print(
            f"{name:<45} {total:>6} {killed:>6} {counts['survived']:>5} {counts['no tests']:>5} "
            f"{counts['not checked']:>5} {score}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
