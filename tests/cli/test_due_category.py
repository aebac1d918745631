"""``due --category`` of today reads only the open cases' categories (through the index on
``status``: a big log's closed cases are never read); of a past day, the cases open then, closed
since included, as ``--as-of`` promises."""

from __future__ import annotations

import json

from tests.process_steps import Day


def _references(day: Day, today: str, as_of: str) -> set[str]:
    out = day.ok(today, "due", "--as-of", as_of, "--within", "20", "--format", "json",
                 "--category", "repairs").stdout  # fmt: skip
    return {item["reference"] for item in json.loads(out)}


def test_due_by_category_lists_a_case_closed_since_on_a_day_it_was_open(day: Day) -> None:
    day.log("2025-02-03", "--category", "repairs")
    day.log("2025-02-03", "--category", "repairs", "--address", "2 Mill Lane")
    day.log("2025-02-03", "--category", "damp", "--address", "3 Mill Lane")
    day.ok("2025-02-10", "respond", "SPRUCE001", "--date", "10/02/2025", "--summary", "Fixed",
           "--outcome", "upheld")  # fmt: skip
    day.ok("2025-03-21", "close", "SPRUCE001", "--date", "21/03/2025")
    assert _references(day, "2025-03-24", "2025-02-04") == {"SPRUCE001", "SPRUCE002"}
    assert _references(day, "2025-03-24", "2025-03-24") == {"SPRUCE002"}
    assert _references(day, "2025-03-24", "2025-04-01") == {"SPRUCE002"}
