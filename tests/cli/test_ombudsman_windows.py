"""A case with the Ombudsman has no "close the case if the resident has not escalated" wait:
the landlord's process has given way to the Ombudsman's (the fresh-user trial: a case
referred without a Stage 2 showed that window overdue in every ``due`` for months). Its
deadlines still stand, and before the referral the window is there as before."""

from __future__ import annotations

import json

from tests.process_steps import Day


def _keys(day: Day, today: str) -> set[str]:
    out = day.ok(today, "due", "--within", "40", "--format", "json").stdout
    return {i["key"] for i in json.loads(out) if i["reference"] == "SPRUCE001"}


def test_a_referred_case_has_no_escalation_window(day: Day) -> None:
    day.log("2025-02-03")
    day.ok("2025-02-04", "acknowledge", "SPRUCE001", "--summary", "Leak")
    day.ok("2025-02-10", "respond", "SPRUCE001", "--summary", "Not upheld",
           "--outcome", "not upheld")  # fmt: skip
    assert "close_if_not_escalated" in _keys(day, "2025-02-11")
    day.ok("2025-02-12", "ombudsman", "SPRUCE001", "--referred", "12/02/2025")
    assert "close_if_not_escalated" not in _keys(day, "2025-03-31")
    overdue = day.ok("2025-03-31", "due", "--overdue").stdout
    assert "Close the case" not in overdue
    # The Ombudsman's own deadline (the evidence, once asked for) is listed.
    day.ok("2025-03-31", "ombudsman", "SPRUCE001", "--requested", "31/03/2025")
    assert "ombudsman_evidence" in _keys(day, "2025-03-31")
