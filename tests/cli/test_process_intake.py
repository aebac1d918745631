"""Issue 7 parts 1: not accepted, service dissatisfactions, the policy's time limits.

Dates (England and Wales), worked by hand:
- a service dissatisfaction raised Fri 19/12/2025: its response is due +5 working days, over
  Christmas (25, 26 Dec) -> Tue 30/12/2025.
- converted Mon 05/01/2026: the Stage 1 clock starts there (Spruce): contact +1 = Tue 06/01,
  acknowledge +3 = Thu 08/01, Stage 1 response +10 from the acknowledgement deadline = Thu 22/01.
- Spruce Stage 2 request limit: 20 working days after a Stage 1 response of Mon 10/02/2025 ->
  Mon 10/03/2025 (no bank holidays in between).
"""

from __future__ import annotations

from datetime import date

import pytest

from complaints_cli.domain.time_limits import add_months
from tests.process_steps import Day, warnings


def test_not_accepted_with_reason_and_date_told(day: Day) -> None:
    day.log("2025-02-03")
    assert day.due("2025-02-03", "--within", "10") != []
    out = day.ok(
        "2025-02-05",
        "not-accepted",
        "SPRUCE001",
        "--reason",
        "Legal proceedings have started (policy 2.2)",
    )
    assert "SPRUCE001: not accepted recorded (Not accepted, Stage 1)" in out.stdout
    assert warnings(out) == [
        "tell the resident why, and of their right to go to the Ombudsman, then record it: "
        "complaints not-accepted SPRUCE001 --told DATE"
    ]
    c = day.show("2025-02-05")
    assert (c["status"], c["not_accepted_reason"], c["not_accepted_told"]) == (
        "Not accepted",
        "Legal proceedings have started (policy 2.2)",
        None,
    )
    assert c["deadlines"] == []  # nothing is chased on a case not accepted
    assert day.due("2025-02-05", "--within", "30") == []
    day.ok("2025-02-07", "not-accepted", "SPRUCE001", "--told", "07/02/2025")
    c = day.show("2025-02-07")
    assert c["not_accepted_told"] == "2025-02-07"
    assert c["history"][-1]["changes"] == {"not_accepted_told": [None, "2025-02-07"]}
    text = day.ok("2025-02-07", "show", "SPRUCE001").stdout
    assert "told of the right to go to the Ombudsman 07/02/2025" in text
    # A case not accepted takes no lifecycle step until the decision is reversed.
    assert day.fails("2025-02-07", "acknowledge", "SPRUCE001", "--summary", "x") == (
        "SPRUCE001 is not accepted: reopen it first (complaints reopen SPRUCE001)"
    )
    day.ok("2025-02-10", "reopen", "SPRUCE001", "--reason", "Claim withdrawn")
    c = day.show("2025-02-10")
    assert (c["status"], c["not_accepted_reason"]) == ("Open", None)
    assert [k for _r, k, _d, _m in day.due("2025-02-10")] == ["contact", "acknowledge"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("not-accepted", "SPRUCE001"), "--reason is required: which exclusion"),
        (
            ("not-accepted", "SPRUCE001", "--reason", "x", "--told", "01/02/2025"),
            "date told 01/02/2025 is before the date received 03/02/2025",
        ),
        (
            ("not-accepted", "SPRUCE001", "--reason", "x", "--date", "2025-02-20"),
            "decision date 20/02/2025 is in the future",
        ),
    ],
)
def test_not_accepted_refusals(day: Day, args: tuple[str, ...], message: str) -> None:
    day.log("2025-02-03")
    assert message in day.fails("2025-02-10", *args)
    assert day.show("2025-02-10")["status"] == "Open"


def test_not_accepted_after_the_stage1_response_is_refused(day: Day) -> None:
    day.log("2025-02-03")
    day.ok("2025-02-05", "acknowledge", "SPRUCE001", "--summary", "Damp")
    day.ok("2025-02-10", "respond", "SPRUCE001", "--summary", "Upheld")
    assert day.fails("2025-02-11", "not-accepted", "SPRUCE001", "--reason", "x") == (
        "SPRUCE001 is past the decision to accept it (Stage 1, Stage 1 response sent): "
        "close it instead"
    )


def test_service_dissatisfaction_answered_then_converted_keeps_history(day: Day) -> None:
    out = day.log("2025-12-19", "--kind", "dissatisfaction", received="19/12/2025")
    assert (
        "Logged SPRUCE001: Ann Lee, 1 Essex Brewery, received 19/12/2025 (service "
        "dissatisfaction, Informal, Open)" in (out.stdout)
    )
    assert "Respond to the service dissatisfaction, due Tue 30/12/2025" in out.stdout
    # Only its own deadline: no Stage 1 acknowledgement is chased on an informal case.
    assert day.due("2025-12-19", "--within", "10") == [
        (
            "SPRUCE001",
            "dissatisfaction_response",
            "2025-12-30",
            "Respond to the service dissatisfaction",
        )
    ]
    assert day.due("2025-12-31", "--overdue") == [
        (
            "SPRUCE001",
            "dissatisfaction_response",
            "2025-12-30",
            "Respond to the service dissatisfaction",
        )
    ]
    out = day.ok("2025-12-30", "respond", "SPRUCE001", "--summary", "Repair booked for 6 January")
    assert "Answered 30/12/2025: within the timeframe (due 30/12/2025)" in out.stdout
    assert day.due("2025-12-30", "--within", "20") == []
    # The resident is unhappy with the outcome: a Stage 1 complaint, same reference.
    out = day.ok("2026-01-05", "convert", "SPRUCE001")
    assert (
        "SPRUCE001 is now a Stage 1 complaint, received 05/01/2026 (raised informally 19/12/2025)"
        in (out.stdout)
    )
    c = day.show("2026-01-05")
    assert (c["reference"], c["kind"], c["stage"], c["received"]) == (
        "SPRUCE001",
        "complaint",
        "Stage 1",
        "2026-01-05",
    )
    assert (c["informal_received"], c["informal_responded"], c["converted_from_informal"]) == (
        "2025-12-19",
        "2025-12-30",
        "2026-01-05",
    )
    assert [h["command"] for h in c["history"]] == ["log", "respond", "convert"]
    assert c["history"][1]["note"] == "Repair booked for 6 January"
    assert c["history"][2]["changes"]["received"] == ["2025-12-19", "2026-01-05"]
    assert day.due("2026-01-05", "--within", "15") == [
        (
            "SPRUCE001",
            "contact",
            "2026-01-06",
            "Contact the resident (if not spoken to on receipt)",
        ),
        ("SPRUCE001", "acknowledge", "2026-01-08", "Acknowledge the complaint"),
        ("SPRUCE001", "stage1_response", "2026-01-22", "Stage 1 response"),
    ]
    text = day.ok("2026-01-05", "show", "SPRUCE001").stdout
    assert (
        "raised informally 19/12/2025, answered 30/12/2025; converted to Stage 1 05/01/2026" in text
    )


def test_service_dissatisfaction_refusals(day: Day, monkeypatch: pytest.MonkeyPatch) -> None:
    day.log("2025-12-19", "--kind", "informal", received="19/12/2025")
    assert day.fails("2025-12-22", "escalate", "SPRUCE001", "--received", "22/12/2025",
                     "--review", "manager", "--details", "x", "--handler", "Jo") == (
        "SPRUCE001 is a service dissatisfaction: convert it to a Stage 1 complaint first "
        "(complaints convert SPRUCE001)"
    )  # fmt: skip
    assert "its response takes --summary and --date only" in day.fails(
        "2025-12-22", "respond", "SPRUCE001", "--summary", "x", "--compensation", "50",
        "--compensation-reason", "delay",
    )  # fmt: skip
    assert day.fails("2025-12-22", "extend", "SPRUCE001", "--reason", "x") == (
        "SPRUCE001 is a service dissatisfaction: convert it to a Stage 1 complaint first "
        "(complaints convert SPRUCE001)"
    )
    assert day.fails("2025-12-22", "convert", "SPRUCE001", "--date", "18/12/2025") == (
        "conversion date 18/12/2025 is before the date raised 19/12/2025"
    )
    day.ok("2025-12-22", "convert", "SPRUCE001")
    assert day.fails("2025-12-22", "convert", "SPRUCE001") == (
        "SPRUCE001 is not a service dissatisfaction (it is at Stage 1): nothing to convert"
    )
    assert "--kind 'formalish' is not one of" in day.fails(
        "2025-12-22", "log", "--complainant", "A", "--address", "B", "--handler", "C",
        "--channel", "email", "--kind", "formalish",
    )  # fmt: skip
    # A profile whose procedure has no informal stage refuses one, and writes nothing.
    monkeypatch.setenv("COMPLAINTS_PROFILE", "hos-code-2024")
    assert day.fails(
        "2025-12-22", "log", "--complainant", "A", "--address", "B", "--handler", "C",
        "--channel", "email", "--kind", "dissatisfaction",
    ) == (
        "the hos-code-2024 profile has no service dissatisfaction (informal) stage: log it as "
        "a complaint"
    )  # fmt: skip
    assert len(day.cli("list", "-f", "json").stdout.strip().splitlines()) == 3  # [ one ]


def test_events_older_than_the_policy_limit_warn_on_log(day: Day) -> None:
    out = day.log("2025-02-03", "--events-date", "02/02/2024")
    assert warnings(out) == [
        "the events complained of (02/02/2024) are more than 12 months before the complaint was "
        "received (03/02/2025): outside the policy's time limit (Spruce policy 2.3); "
        "accept it only with a reason (e.g. a recurring problem), or record it as not accepted "
        "(complaints not-accepted)"
    ]
    assert "Logged SPRUCE001" in out.stdout
    assert day.show("2025-02-03")["events_date"] == "2024-02-02"
    # Exactly 12 months is within the limit (another day's complaint: no double-entry warning).
    assert (
        warnings(day.log("2025-02-04", "--events-date", "04/02/2024", received="04/02/2025")) == []
    )
    assert day.fails("2025-02-03", "log", "--complainant", "A", "--address", "B", "--handler",
                     "C", "--channel", "email", "--events-date", "04/02/2025") == (
        "events date 04/02/2025 is after the date received 03/02/2025"
    )  # fmt: skip


def test_southern_housing_limit_is_six_months(day: Day, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COMPLAINTS_PROFILE", "southern-housing")
    assert warnings(day.log("2025-02-03", "--events-date", "03/08/2024")) == []
    (warning,) = warnings(
        day.log("2025-02-04", "--events-date", "03/08/2024", received="04/02/2025")
    )
    assert "more than 6 months before" in warning
    assert "(Southern Housing procedure 2.4)" in warning


def _responded(day: Day) -> None:
    day.log("2025-02-03")
    day.ok("2025-02-05", "acknowledge", "SPRUCE001", "--summary", "Damp")
    day.ok("2025-02-10", "respond", "SPRUCE001", "--summary", "Not upheld")


def test_late_stage2_request_warns_but_escalates(day: Day) -> None:
    _responded(day)
    args = ("--review", "manager", "--details", "Still damp", "--handler", "Jordan Blake")
    out = day.ok("2025-03-11", "escalate", "SPRUCE001", "--received", "11/03/2025", *args)
    assert warnings(out) == [
        "the Stage 2 request (11/03/2025) came more than 20 working days after the Stage 1 "
        "response (10/02/2025): the limit was 10/03/2025 (Spruce procedure, Complaint: Stage 1); "
        "escalated anyway, record why in the details if it was accepted late"
    ]
    assert day.show("2025-03-11")["stage"] == "Stage 2"


def test_stage2_request_on_the_last_day_does_not_warn(day: Day) -> None:
    _responded(day)
    args = ("--review", "manager", "--details", "Still damp", "--handler", "Jordan Blake")
    out = day.ok("2025-03-10", "escalate", "SPRUCE001", "--received", "10/03/2025", *args)
    assert out.stderr == ""


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        ("2025-01-31", 1, "2025-02-28"),
        ("2024-01-31", 1, "2024-02-29"),
        ("2025-11-30", 3, "2026-02-28"),
        ("2024-02-02", 12, "2025-02-02"),
        ("2025-12-10", 2, "2026-02-10"),
    ],
)
def test_add_months_clamps_to_the_month_end(start: str, months: int, expected: str) -> None:
    assert add_months(date.fromisoformat(start), months) == date.fromisoformat(expected)
