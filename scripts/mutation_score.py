"""The mutation run's score per module, from mutmut's results (scripts/mutation.sh prints it).

Usage: ``python scripts/mutation_score.py`` in the directory ``mutmut run`` was run in. A
mutant is killed (a test failed, or it timed out: an endless loop is caught), survived, or had
no test run it (counted as not killed). Score = killed / (total - skipped).
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

from mutmut.stats import status_by_exit_code


def main() -> int:
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
