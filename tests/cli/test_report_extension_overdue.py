"""The EMT report's "Cases overdue at <month end>" counts an extension as ``due`` does (the
fresh-user trial found it did not): an extended date is a deadline, standing from the day the
extension was agreed (domain/as_it_stood.EXTENDED_TO), not an event left out because it falls
after the month end."""

from __future__ import annotations

import json

from tests.process_steps import Day


def _overdue(day: Day, month: str, on: str) -> list[tuple[str, str]]:
    data = json.loads(day.ok(on, "report", "emt", "--month", month, "-f", "json").stdout)
    figure = next(f for f in data["figures"] if f["key"] == "overdue")
    assert figure["value"] == len(figure["cases"])
    return [(c["reference"], c["event"]) for c in figure["cases"]]


def test_an_extension_past_the_month_end_is_not_overdue(day: Day, db_url: str) -> None:
    # Both received Mon 02/06/2025 and acknowledged Tue 03/06: Stage 1 response due Tue 17/06.
    for _ in range(2):
        day.log("2025-06-02", received="02/06/2025")
    for ref in ("SPRUCE001", "SPRUCE002"):
        day.ok("2025-06-03", "acknowledge", ref, "--date", "03/06/2025", "--summary", "x")
    # SPRUCE001's extension, agreed and told on Tue 10/06 (before the deadline): 10 more
    # working days, to Tue 01/07, after the month end.
    day.ok("2025-06-10", "extend", "SPRUCE001", "--date", "10/06/2025", "--days", "10",
           "--told", "--reason", "survey needed")  # fmt: skip
    due = {(ref, key): on for ref, key, on, _label in day.due("2025-06-30")}
    assert due[("SPRUCE001", "stage1_response")] == "2025-07-01"
    assert due[("SPRUCE002", "stage1_response")] == "2025-06-17"
    # At 30/06 only SPRUCE002 is overdue: SPRUCE001's extended date has not come.
    assert _overdue(day, "2025-06", "2025-06-30") == [("SPRUCE002", "Stage 1 response")]
    # Reported a month later, from the dates as they stood on 30/06: the same answer.
    assert _overdue(day, "2025-06", "2025-07-31") == [("SPRUCE002", "Stage 1 response")]
