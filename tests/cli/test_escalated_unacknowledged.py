"""A complaint never acknowledged and then escalated keeps its missed Stage 1 acknowledgement
(the fresh-user trial: the escalation was taken to imply the acknowledgement, so ``due`` and
``show`` dropped it and the reports never counted it). ``due`` and ``show`` chase it, overdue,
until an acknowledgement date is recorded (``correct --acknowledged``) or the Stage 2
acknowledgement answers the resident; the EMT report and the annual 6.2 figure count it as
not acknowledged in time, in the period of the escalation request.

SPRUCE001 and SPRUCE002 received Thu 01/05/2025; SPRUCE002 acknowledged Fri 02/05/2025;
SPRUCE001 never, escalated Mon 02/06/2025 (its Spruce acknowledgement was due Wed 07/05/2025,
the Code's 6.2 on Fri 09/05/2025)."""

from __future__ import annotations

import json
import os
import subprocess
from typing import Any

from tests.conftest import complaints_cmd
from tests.process_steps import Day

REPORT_DAY = "2026-04-03"


def _escalated_unacknowledged(day: Day, escalated: str = "02/06/2025") -> None:
    for address in ("1 Oak Road", "2 Oak Road"):
        day.ok("2025-05-01", "log", "--no-input", "--complainant", "Ann Lee", "--address",
               address, "--received", "01/05/2025", "--handler", "Sam Patel",
               "--channel", "email")  # fmt: skip
    day.ok("2025-05-02", "acknowledge", "SPRUCE002", "--summary", "Damp")
    day.ok("2025-06-02", "escalate", "SPRUCE001", "--received", escalated, "--review",
           "manager", "--details", "No reply at all", "--handler", "Jordan Blake")  # fmt: skip


def _figure(day: Day, key: str, *args: str) -> dict[str, Any]:
    out = json.loads(day.ok(REPORT_DAY, "report", *args, "--format", "json").stdout)
    return next(f for f in out["figures"] if f["key"] == key)  # type: ignore[no-any-return]


def test_due_and_show_keep_the_missed_acknowledgement(day: Day) -> None:
    _escalated_unacknowledged(day)
    keys = [(r, k, d) for r, k, d, _m in day.due("2025-06-03") if r == "SPRUCE001"]
    assert ("SPRUCE001", "acknowledge", "2025-05-07") in keys
    shown = {m["key"]: m for m in day.show("2025-06-03")["deadlines"]}
    assert (shown["acknowledge"]["state"], shown["acknowledge"]["done"]) == ("missed", None)


def test_a_recorded_acknowledgement_ends_the_chase(day: Day) -> None:
    _escalated_unacknowledged(day)
    day.ok("2025-06-03", "correct", "SPRUCE001", "--acknowledged", "12/05/2025",
           "--reason", "The letter went but was not logged",
           "--ack-explanation", "Handler on leave")  # fmt: skip
    assert "acknowledge" not in [k for r, k, _d, _m in day.due("2025-06-03") if r == "SPRUCE001"]


def test_the_stage2_acknowledgement_ends_the_chase(day: Day) -> None:
    _escalated_unacknowledged(day)
    day.ok("2025-06-04", "acknowledge", "SPRUCE001")
    keys = [k for r, k, _d, _m in day.due("2025-06-04") if r == "SPRUCE001"]
    assert "acknowledge" not in keys and "stage1_response" not in keys


def test_the_emt_report_counts_it_not_acknowledged_in_time(day: Day) -> None:
    _escalated_unacknowledged(day)
    day.ok("2025-06-04", "acknowledge", "SPRUCE001")  # the chase ends; the count stays
    june = _figure(day, "ack_on_time", "emt", "--month", "2025-06")
    assert (june["numerator"], june["denominator"]) == (0, 1)
    [line] = june["cases"]
    assert (line["reference"], line["event"], line["date"], line["deadline"], line["result"]) == (
        "SPRUCE001", "escalated to Stage 2", "2025-06-02", "2025-05-07", "not acknowledged"
    )  # fmt: skip
    may = _figure(day, "ack_on_time", "emt", "--month", "2025-05")
    assert (may["numerator"], may["denominator"]) == (1, 1)  # SPRUCE002 only


def test_the_annual_6_2_figure_counts_it_not_acknowledged_in_time(day: Day) -> None:
    _escalated_unacknowledged(day)
    figure = _figure(day, "sa_ack", "annual", "--year", "2025")
    assert (figure["numerator"], figure["denominator"]) == (1, 2)
    lines = {c["reference"]: c for c in figure["cases"]}
    assert (lines["SPRUCE001"]["result"], lines["SPRUCE001"]["deadline"]) == (
        "not acknowledged",
        "2025-05-09",
    )
    assert lines["SPRUCE001"]["counted"] is True


def test_escalated_before_the_acknowledgement_was_due_is_not_judged(day: Day) -> None:
    """Escalated Fri 02/05/2025, the day after receipt: its acknowledgement was not yet due."""
    for address in ("1 Oak Road",):
        day.ok("2025-05-01", "log", "--no-input", "--complainant", "Ann Lee", "--address",
               address, "--received", "01/05/2025", "--handler", "Sam Patel",
               "--channel", "email")  # fmt: skip
    day.ok("2025-05-02", "escalate", "SPRUCE001", "--received", "02/05/2025", "--review",
           "manager", "--details", "Wants a manager", "--handler", "Jordan Blake")  # fmt: skip
    figure = _figure(day, "sa_ack", "annual", "--year", "2025")
    assert figure["denominator"] == 0
    [line] = figure["cases"]
    assert (line["counted"], line["why"]) == (
        False,
        "escalated Fri 02/05/2025 before its acknowledgement was due: not judged",
    )


def test_the_emt_report_as_a_real_process(day: Day) -> None:
    _escalated_unacknowledged(day)
    env = {**os.environ, "COMPLAINTS_TODAY": REPORT_DAY}
    done = subprocess.run(
        [*complaints_cmd(), "report", "emt", "--month", "2025-06", "--format", "json"],
        capture_output=True, text=True, env=env, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    figure = next(f for f in json.loads(done.stdout)["figures"] if f["key"] == "ack_on_time")
    assert (figure["numerator"], figure["denominator"]) == (0, 1)


def test_an_imported_case_whose_log_says_acknowledged_is_not_judged(
    day: Day, tmp_path: Any
) -> None:
    """An old log's Stage 2 case with "Yes" in column 10 but no acknowledgement date was
    acknowledged on a day the log does not hold: not counted as not acknowledged."""
    from openpyxl import Workbook

    from complaints_cli.domain.columns import HEADERS

    values = {
        "Complaints reference": "SPRUCE001",
        "Status": "Open",
        "Stage": "Stage 2",
        "Handler": "Sam Patel",
        "Complainant": "Ann Lee",
        "Address": "1 Oak Road",
        "Complaint received": "01/05/2025",
        "Met HOS acknowledgment timeframe": "Yes",
        "Complaint escalated to Stage 2": "Yes",
        "Date escalation request received": "02/06/2025",
        "Stage 2 complaint handler": "Jordan Blake",
    }
    wb = Workbook()
    ws = wb.active
    ws.append(list(HEADERS))
    ws.append([values.get(h) for h in HEADERS])
    path = tmp_path / "old.xlsx"
    wb.save(path)
    day.ok("2025-06-03", "import", str(path))
    figure = _figure(day, "sa_ack", "annual", "--year", "2025")
    assert figure["denominator"] == 0
    [line] = figure["cases"]
    assert line["counted"] is False
    assert "cannot be judged" in line["why"]
