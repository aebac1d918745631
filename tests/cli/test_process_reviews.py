"""Issue 7 part 2: Stage 2 review types with the profile's deadlines (Southern Housing 4.6-4.8).

Southern Housing, England and Wales, worked by hand: a request to escalate received Mon
03/03/2025 ->
- Compensation Review (4.6): acknowledge +1 working day = Tue 04/03; respond +10 = Mon 17/03.
- Senior Manager Review (4.7): acknowledge +1 = Tue 04/03; respond +20 = Mon 31/03.
- Complaint Review Panel (4.8): meeting +17 = Wed 26/03; respond +20 = Mon 31/03 (no
  acknowledgement timeframe in 4.8.1).
"""

from __future__ import annotations

import json

import pytest

from tests.process_steps import Day


@pytest.fixture
def southern(day: Day, monkeypatch: pytest.MonkeyPatch) -> Day:
    """SPRUCE001 at Southern Housing, Stage 1 answered on Fri 14/02/2025."""
    monkeypatch.setenv("COMPLAINTS_PROFILE", "southern-housing")
    day.log("2025-02-03")
    day.ok("2025-02-05", "acknowledge", "SPRUCE001", "--summary", "Damp in the bathroom")
    day.ok("2025-02-14", "respond", "SPRUCE001", "--summary", "Partly upheld")
    return day


def escalate(day: Day, review: str) -> None:
    day.ok(
        "2025-03-03",
        "escalate",
        "SPRUCE001",
        "--received",
        "03/03/2025",
        "--review",
        review,
        "--details",
        "Unhappy with the outcome",
        "--handler",
        "Jordan Blake",
    )


def keys(day: Day, as_of: str = "2025-03-03") -> list[tuple[str, str]]:
    return [(k, d) for _r, k, d, _m in day.due(as_of, "--within", "30")]


@pytest.mark.parametrize(
    ("review", "expected"),
    [
        (
            "compensation",
            [("stage2_acknowledge", "2025-03-04"), ("stage2_compensation_response", "2025-03-17")],
        ),
        ("manager", [("stage2_acknowledge", "2025-03-04"), ("stage2_response", "2025-03-31")]),
        ("Senior Manager Review",
         [("stage2_acknowledge", "2025-03-04"), ("stage2_response", "2025-03-31")]),
        ("panel", [("panel_meeting", "2025-03-26"), ("stage2_response", "2025-03-31")]),
        ("Complaint Review Panel",
         [("panel_meeting", "2025-03-26"), ("stage2_response", "2025-03-31")]),
    ],
)  # fmt: skip
def test_each_review_type_has_its_own_deadlines(
    southern: Day, review: str, expected: list[tuple[str, str]]
) -> None:
    escalate(southern, review)
    assert keys(southern) == expected


def test_panel_meeting_recorded_within_17_working_days(southern: Day) -> None:
    escalate(southern, "panel")
    c = southern.show("2025-03-03")
    assert c["review_type"] == "panel"
    assert "(Panel review)" in southern.ok("2025-03-03", "show", "SPRUCE001").stdout
    # Overdue the day after the deadline, until the meeting is recorded.
    assert ("panel_meeting", "2025-03-26") in [
        (k, d) for _r, k, d, _m in southern.due("2025-03-27", "--overdue")
    ]
    out = southern.ok("2025-03-27", "panel", "SPRUCE001", "--date", "26/03/2025")
    assert "Panel met 26/03/2025: within the timeframe (due 26/03/2025)" in out.stdout
    assert keys(southern, "2025-03-27") == [("stage2_response", "2025-03-31")]
    met = {m["key"]: m for m in southern.show("2025-03-27")["deadlines"]}
    assert (met["panel_meeting"]["done"], met["panel_meeting"]["state"]) == ("2025-03-26", "met")


def test_a_late_panel_meeting_is_recorded_as_missed(southern: Day) -> None:
    escalate(southern, "panel")
    out = southern.ok("2025-03-28", "panel", "SPRUCE001", "--date", "27/03/2025")
    assert "Panel met 27/03/2025: late (due 26/03/2025)" in out.stdout


def test_panel_refusals(southern: Day) -> None:
    assert southern.fails("2025-03-03", "panel", "SPRUCE001") == (
        "SPRUCE001 is not at a Stage 2 Complaint Review Panel (escalate it with --review panel)"
    )
    escalate(southern, "panel")
    assert southern.fails("2025-03-03", "panel", "SPRUCE001", "--date", "28/02/2025") == (
        "meeting date 28/02/2025 is before the escalation request 03/03/2025"
    )


def test_a_profile_without_a_panel_refuses_one(day: Day) -> None:
    day.log("2025-02-03")
    message = day.fails(
        "2025-03-03", "escalate", "SPRUCE001", "--received", "03/03/2025", "--review",
        "panel", "--details", "x", "--handler", "Jordan Blake",
    )  # fmt: skip
    assert message == (
        "the spruce profile has no panel review at Stage 2 (it offers: manager, compensation)"
    )
    assert day.show("2025-03-03")["stage"] == "Stage 1"


def test_the_emt_report_names_each_review_types_timeframe(southern: Day) -> None:
    """Southern Housing answers a Compensation Review within 10 working days (4.6.3) and a
    Senior Manager Review or a Panel within 20 (4.7.6, 4.8.5): the EMT figure judging both says
    both, in its label and its note, not only the first."""
    escalate(southern, "compensation")
    southern.ok("2025-03-17", "respond", "SPRUCE001", "--stage", "2", "--summary", "£50 more")
    out = southern.ok("2025-03-31", "report", "emt", "--month", "2025-03", "--format", "json")
    figures = {f["key"]: f for f in json.loads(out.stdout)["figures"]}
    stage2 = figures["stage2_within_timeframe"]
    assert stage2["label"] == (
        "Stage 2 responses within the timeframe (20 working days for a Manager Review or "
        "Panel review; 10 working days for a Compensation Review)"
    )
    assert stage2["text"] == "1 of 1 (100.0%)"
    assert stage2["note"].startswith(
        "Stage 2 responses sent in the month, judged against the southern-housing profile: 20 "
        "working days for a Manager Review or Panel review from escalation received (Southern "
        "Housing procedure 4.7.6, 4.7.8, 4.8.5, 4.8.7); 10 working days for a Compensation "
        "Review from escalation received (Southern Housing procedure 4.6.3, 4.6.5, 4.6.6)."
    )
    # A profile with one timeframe per step keeps its label.
    assert figures["stage1_within_timeframe"]["label"] == (
        "Stage 1 responses within the timeframe (10 working days)"
    )


def test_a_profile_without_a_panel_has_no_meeting_to_record(day: Day) -> None:
    """`panel` on a profile with no Complaint Review Panel says so, rather than advising
    `--review panel`, which that profile's `escalate` refuses."""
    day.log("2025-02-03")
    assert day.fails("2025-03-03", "panel", "SPRUCE001", "--date", "03/03/2025") == (
        "the spruce profile has no panel review at Stage 2 (it offers: manager, compensation)"
    )
