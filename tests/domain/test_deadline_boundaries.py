"""Deadlines (domain/deadlines.py) on each side of every boundary: the day a milestone is due and
the day after, an extension agreed or told on the deadline and the day after, the cap, windows,
implied steps, reviews, and the dates a mapping may hold.

Spruce, England: received Monday 03/02/2025, acknowledgement due Thursday 06/02/2025, the
Stage 1 response due Thursday 20/02/2025 (10 working days from the acknowledgement's due day),
an extension capped at Thursday 06/03/2025.
"""

from __future__ import annotations

from datetime import date, datetime
from types import SimpleNamespace
from typing import Any

import pytest

from complaints_cli.domain.deadlines import (
    CaseDates,
    Milestone,
    State,
    as_case,
    compute_milestones,
    is_finished_status,
    met_columns,
    next_milestones,
    review_type,
)
from complaints_cli.errors import ComplaintsError
from tests.domain.rule_cases import CALENDAR, PROFILES, SPRUCE, WEEKS

RECEIVED = date(2025, 2, 3)
ACK_DUE = date(2025, 2, 6)
DUE = date(2025, 2, 20)
CAP = date(2025, 3, 6)


def milestones(
    as_of: date = date(2025, 2, 10), profile: Any = SPRUCE, **dates: Any
) -> dict[str, Milestone]:
    c = CaseDates(received=RECEIVED, **dates)
    return {m.key: m for m in compute_milestones(c, profile, CALENDAR, as_of=as_of)}


def response(**dates: Any) -> Milestone:
    return milestones(**{"acknowledged": ACK_DUE, **dates})["stage1_response"]


def test_the_response_on_its_deadline_is_met_the_day_after_is_missed() -> None:
    on = response(stage1_responded=DUE)
    assert (on.due, on.deadline, on.state, on.met) == (DUE, DUE, State.MET, True)
    assert (on.within_timeframe, on.within_extension, on.extension_within_cap) == (True, None, None)
    assert (on.working_days_left, on.days_left, on.extended_to) == (None, None, None)
    assert on.extension_limit == CAP
    late = response(stage1_responded=date(2025, 2, 21))
    assert (late.state, late.met, late.within_timeframe) == (State.MISSED, False, False)


def test_an_open_milestone_is_pending_through_its_deadline() -> None:
    on = milestones(as_of=DUE, acknowledged=ACK_DUE)["stage1_response"]
    assert (on.state, on.working_days_left, on.days_left, on.done, on.met) == (
        State.PENDING,
        0,
        0,
        None,
        None,
    )
    assert (on.within_timeframe, on.within_extension) == (None, None)
    after = milestones(as_of=date(2025, 2, 24), acknowledged=ACK_DUE)["stage1_response"]
    assert (after.state, after.working_days_left, after.days_left) == (State.MISSED, -2, -4)
    before = milestones(as_of=date(2025, 2, 14), acknowledged=ACK_DUE)["stage1_response"]
    assert (before.state, before.working_days_left, before.days_left) == (State.PENDING, 4, 6)


def extension(**dates: Any) -> dict[str, Any]:
    values = {
        "acknowledged": ACK_DUE,
        "stage1_extended_to": date(2025, 3, 3),
        "stage1_extension_agreed": DUE,
        "stage1_extension_told_on": DUE,
    }
    values.update(dates)
    return values


def test_an_extension_agreed_and_told_on_the_deadline_counts() -> None:
    m = response(**extension(stage1_responded=date(2025, 3, 3)))
    assert (m.due, m.deadline, m.extended_to) == (DUE, date(2025, 3, 3), date(2025, 3, 3))
    assert (m.state, m.met, m.within_timeframe, m.within_extension) == (
        State.MET,
        True,
        False,
        True,
    )
    assert m.extension_within_cap is True
    late = response(**extension(stage1_responded=date(2025, 3, 4)))
    assert (late.state, late.within_extension) == (State.MISSED, False)
    unknown = response(**extension(stage1_extension_agreed=None, stage1_extension_told_on=None))
    assert unknown.deadline == date(2025, 3, 3)


@pytest.mark.parametrize(
    "late",
    [
        {"stage1_extension_agreed": date(2025, 2, 21)},
        {"stage1_extension_told_on": date(2025, 2, 21)},
    ],
)
def test_an_extension_agreed_or_told_the_day_after_does_not_count(late: dict[str, date]) -> None:
    m = response(**extension(stage1_responded=date(2025, 3, 3), **late))
    assert (m.deadline, m.extended_to, m.state, m.met) == (DUE, None, State.MISSED, False)
    assert m.extension_within_cap is None


def test_an_extension_is_capped() -> None:
    at_cap = response(**extension(stage1_extended_to=CAP))
    assert (at_cap.deadline, at_cap.extension_within_cap) == (CAP, True)
    beyond = response(**extension(stage1_extended_to=date(2025, 3, 7)))
    assert (beyond.deadline, beyond.extended_to, beyond.extension_limit) == (
        CAP,
        date(2025, 3, 7),
        CAP,
    )
    assert beyond.extension_within_cap is False
    earlier = response(**extension(stage1_extended_to=date(2025, 2, 19)))
    assert earlier.deadline == DUE


def test_the_stage2_extension_counts_at_stage2_only() -> None:
    stage2 = milestones(
        as_of=date(2025, 3, 31),
        acknowledged=ACK_DUE,
        stage1_responded=DUE,
        escalation_received=date(2025, 3, 3),
        stage2_extended_to=date(2025, 4, 4),
        stage2_extension_agreed=date(2025, 3, 31),
        stage1_extended_to=date(2025, 3, 5),
        stage="Stage 2",
    )
    assert (stage2["stage2_response"].due, stage2["stage2_response"].deadline) == (
        date(2025, 3, 31),
        date(2025, 4, 4),
    )
    assert stage2["stage2_acknowledge"].extended_to is None
    assert stage2["stage2_acknowledge"].extension_limit is None
    agreed_late = milestones(
        as_of=date(2025, 3, 31),
        escalation_received=date(2025, 3, 3),
        stage2_extended_to=date(2025, 4, 4),
        stage2_extension_told_on=date(2025, 4, 1),
        stage="Stage 2",
    )
    assert agreed_late["stage2_response"].deadline == date(2025, 3, 31)


def test_the_response_counts_from_the_acknowledgement_or_its_due_day() -> None:
    projected = milestones()["stage1_response"]
    assert (projected.anchor_event, projected.anchor, projected.projected) == (
        "ack_due",
        ACK_DUE,
        True,
    )
    assert projected.due == DUE
    early = milestones(acknowledged=date(2025, 2, 4))["stage1_response"]
    assert (early.anchor_event, early.anchor, early.projected) == (
        "acknowledged",
        date(2025, 2, 4),
        False,
    )
    assert early.due == date(2025, 2, 18)


def test_a_later_step_implies_the_earlier_one_was_done() -> None:
    for later in (
        "stage1_responded",
        "stage2_acknowledged",
        "stage2_responded",
    ):
        found = milestones(**{later: date(2025, 2, 20)})
        assert "acknowledge" not in found, later
        assert "contact" not in found, later
    assert "stage1_response" not in milestones(stage2_acknowledged=date(2025, 3, 4))
    assert "stage1_response" in milestones(escalation_received=date(2025, 3, 3))
    # An escalation implies no Stage 1 acknowledgement either: the resident may escalate
    # because nothing came (the fresh-user trial); it is chased until the Stage 2 one.
    escalated = milestones(date(2025, 3, 4), escalation_received=date(2025, 3, 3))
    assert escalated["acknowledge"].state is State.MISSED
    assert escalated["acknowledge"].done is None
    assert "stage2_acknowledge" not in milestones(
        escalation_received=date(2025, 3, 3), stage2_responded=date(2025, 3, 20)
    )


def test_a_closed_case_keeps_what_was_done_and_drops_what_was_not() -> None:
    closed = milestones(acknowledged=ACK_DUE, status="Closed")
    assert list(closed) == ["contact", "acknowledge"]
    assert closed["acknowledge"].state is State.MET
    assert milestones(acknowledged=ACK_DUE, status="Closed - resolved").keys() == closed.keys()


def test_windows_are_pending_through_their_end_then_elapsed() -> None:
    # 20 working days after the response of 20/02/2025: 20/03/2025.
    on = milestones(as_of=date(2025, 3, 20), acknowledged=ACK_DUE, stage1_responded=DUE)
    window = on["close_if_not_escalated"]
    assert (window.kind, window.due, window.state) == ("window", date(2025, 3, 20), State.PENDING)
    after = milestones(as_of=date(2025, 3, 21), acknowledged=ACK_DUE, stage1_responded=DUE)
    assert after["close_if_not_escalated"].state is State.ELAPSED
    assert "close_if_not_escalated" not in milestones(
        acknowledged=ACK_DUE, stage1_responded=DUE, status="Closed"
    )
    escalated = milestones(
        acknowledged=ACK_DUE, stage1_responded=DUE, escalation_received=date(2025, 3, 3)
    )
    assert "close_if_not_escalated" not in escalated


def test_weeks_are_calendar_weeks() -> None:
    referral = milestones(
        as_of=date(2025, 5, 30),
        profile=WEEKS,
        stage2_responded=date(2025, 4, 4),
        stage="Ombudsman",
    )["ombudsman_referral"]
    assert (referral.due, referral.state) == (date(2025, 5, 30), State.PENDING)


def test_next_milestones_soonest_deadline_first() -> None:
    dates = extension(last_update=date(2025, 2, 17))
    keys = [
        m.key for m in next_milestones(CaseDates(RECEIVED, **dates), SPRUCE, CALENDAR, as_of=DUE)
    ]
    assert keys == ["update", "stage1_response"]
    c = CaseDates(RECEIVED, acknowledged=ACK_DUE, stage1_responded=DUE)
    after = next_milestones(c, SPRUCE, CALENDAR, as_of=date(2025, 3, 21))
    assert [(m.key, m.state) for m in after] == [("close_if_not_escalated", State.ELAPSED)]
    southern = PROFILES["southern-housing"]
    ended = CaseDates(
        RECEIVED,
        acknowledged=ACK_DUE,
        stage1_responded=DUE,
        escalation_received=date(2025, 3, 3),
        stage2_acknowledged=date(2025, 3, 4),
        stage2_responded=date(2025, 3, 20),
        stage="Stage 2",
    )
    assert [m.key for m in next_milestones(ended, southern, CALENDAR, as_of=date(2025, 4, 1))] == [
        "close_after_stage2"
    ]
    assert (
        next_milestones(
            CaseDates(RECEIVED, acknowledged=ACK_DUE, stage1_responded=DUE, status="Closed"),
            SPRUCE,
            CALENDAR,
            as_of=DUE,
        )
        == []
    )


def test_stage2_milestones_follow_the_review() -> None:
    southern = PROFILES["southern-housing"]
    asked = {"escalation_received": date(2025, 3, 3), "stage": "Stage 2"}
    manager = milestones(profile=southern, **asked)
    assert [k for k in manager if k.startswith(("stage2", "panel"))] == [
        "stage2_acknowledge",
        "stage2_response",
    ]
    panel = milestones(profile=southern, stage2_review="Complaint Review Panel", **asked)
    assert [k for k in panel if k.startswith(("stage2", "panel"))] == [
        "panel_meeting",
        "stage2_response",
    ]
    comp = milestones(profile=southern, stage2_review="compensation review", **asked)
    assert comp["stage2_compensation_response"].due == date(2025, 3, 17)
    assert "stage2_response" not in comp


def test_a_service_dissatisfaction_has_only_its_own_milestone() -> None:
    informal = milestones(informal_received=RECEIVED, stage="Informal")
    assert list(informal) == ["dissatisfaction_response"]
    assert informal["dissatisfaction_response"].due == date(2025, 2, 10)
    assert "dissatisfaction_response" not in milestones(informal_received=RECEIVED)
    converted = milestones(
        informal_received=RECEIVED, converted_from_informal=date(2025, 2, 5), stage="Informal"
    )
    assert converted == {}


def test_met_columns() -> None:
    c = CaseDates(RECEIVED, acknowledged=date(2025, 2, 7))
    assert met_columns(c, SPRUCE, CALENDAR) == {
        "Met HOS acknowledgment timeframe": False,
        "Met HOS code response timeframe?": None,
        "Stage 2 HOS code timeframe met?": None,
    }
    on_time = CaseDates(RECEIVED, acknowledged=ACK_DUE, stage1_responded=DUE)
    assert met_columns(on_time, SPRUCE, CALENDAR)["Met HOS code response timeframe?"] is True


@pytest.mark.parametrize(
    ("status", "finished"),
    [
        ("Closed", True),
        ("closed - resolved", True),
        (" Not accepted", True),
        ("Withdrawn", True),
        ("Void", True),
        ("Open", False),
        ("Reopened", False),
        (None, False),
        ("", False),
    ],
)
def test_is_finished_status(status: str | None, finished: bool) -> None:
    assert is_finished_status(status) is finished


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Compensation Review", "compensation"),
        ("PANEL", "panel"),
        ("Senior manager review", "manager"),
        ("manager said compensation", "compensation"),
        ("panel then manager", "panel"),
        ("Review", None),
        ("", None),
        (None, None),
    ],
)
def test_review_type(text: str | None, kind: str | None) -> None:
    assert review_type(text) == kind


def test_from_mapping() -> None:
    c = as_case(
        {
            "received": datetime(2025, 2, 3, 9, 30),
            "acknowledged": " 06/02/2025 ",
            "stage1_responded": "  ",
            "stage": "Stage 2",
            "status": "Open",
            "stage2_review": "Panel",
            "other": "ignored",
        }
    )
    assert (c.received, c.acknowledged, c.stage1_responded) == (RECEIVED, ACK_DUE, None)
    assert (c.stage, c.status, c.stage2_review) == ("Stage 2", "Open", "Panel")
    assert as_case({"received": RECEIVED}).stage2_review is None
    assert as_case(c) is c
    obj = as_case(SimpleNamespace(received=RECEIVED, stage="Ombudsman", status="Closed"))
    assert (obj.received, obj.stage, obj.status, obj.acknowledged) == (
        RECEIVED,
        "Ombudsman",
        "Closed",
        None,
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "case has no 'received' date: deadlines count from it"),
        ({"received": ""}, "case has no 'received' date: deadlines count from it"),
        (
            {"received": RECEIVED, "stage1_responded": "31/02/2025"},
            "stage1 responded '31/02/2025' is not a real date (day 31, month 2, year 2025)",
        ),
        ({"received": RECEIVED, "last_update": 5}, "last update 5 is not a date"),
    ],
)
def test_from_mapping_refusals(data: dict[str, object], message: str) -> None:
    with pytest.raises(ComplaintsError) as err:
        as_case(data)
    assert str(err.value) == message


def test_a_stored_case_is_read_as_its_dates() -> None:
    from tests.domain.rule_cases import case

    stored = case(acknowledged=ACK_DUE, stage1_responded=DUE)
    by_case = compute_milestones(stored, SPRUCE, CALENDAR, as_of=DUE)
    assert by_case == compute_milestones(CaseDates.of(stored), SPRUCE, CALENDAR, as_of=DUE)
    assert [m.key for m in by_case] == [
        "contact",
        "acknowledge",
        "stage1_response",
        "close_if_not_escalated",
    ]
    assert as_case(stored) == CaseDates.of(stored)


def test_an_event_by_name() -> None:
    c = CaseDates(RECEIVED, acknowledged=ACK_DUE)
    assert (c.event("received"), c.event("acknowledged"), c.event("stage1_responded")) == (
        RECEIVED,
        ACK_DUE,
        None,
    )


def test_of_row() -> None:
    row = {
        "received": datetime(2025, 2, 3, 9, 30),
        "acknowledged": " 06/02/2025 ",
        "stage1_responded": DUE,
        "stage": "Stage 2",
        "status": "Closed",
        "review_type": "panel",
    }
    dates = CaseDates.of_row(row)
    assert (dates.received, dates.acknowledged, dates.stage1_responded) == (RECEIVED, ACK_DUE, DUE)
    assert (dates.stage, dates.status, dates.stage2_review) == ("Stage 2", "Closed", "panel")
    assert dates == CaseDates(
        RECEIVED,
        acknowledged=ACK_DUE,
        stage1_responded=DUE,
        stage="Stage 2",
        status="Closed",
        stage2_review="panel",
    )
    plain = CaseDates.of_row({"received": RECEIVED})
    assert plain == CaseDates(RECEIVED)
    assert (plain.stage, plain.status, plain.stage2_review) == ("Stage 1", "Open", None)
    for bad, message in [
        ({}, "case has no 'received' date: deadlines count from it"),
        ({"received": RECEIVED, "last_update": 5}, "last update 5 is not a date"),
    ]:
        with pytest.raises(ComplaintsError) as err:
            CaseDates.of_row(bad)
        assert str(err.value) == message


def test_met_columns_for_a_profile_seen_for_the_first_time() -> None:
    import dataclasses

    fresh = dataclasses.replace(SPRUCE)  # not in the per-profile cache
    c = CaseDates(RECEIVED, acknowledged=date(2025, 2, 7), stage1_responded=DUE)
    assert met_columns(c, fresh, CALENDAR) == {
        "Met HOS acknowledgment timeframe": False,
        "Met HOS code response timeframe?": True,
        "Stage 2 HOS code timeframe met?": None,
    }


def test_deadline_stamps_of_a_row_and_of_a_case() -> None:
    from complaints_cli.domain.derived import Stamps, deadline_stamps
    from tests.domain.rule_cases import case

    row = {"received": RECEIVED, "acknowledged": ACK_DUE, "status": "Open", "stage": "Stage 1"}
    stamps = deadline_stamps(row, SPRUCE, CALENDAR, "k")
    assert (stamps.next_due, stamps.next_milestone, stamps.deadlines_key) == (
        DUE,
        "stage1_response",
        "k",
    )
    assert [m.key for m in stamps.milestones] == ["stage1_response"]
    assert deadline_stamps(case(acknowledged=ACK_DUE), SPRUCE, CALENDAR, "k") == stamps
    closed = {"received": RECEIVED, "status": "Closed"}
    assert deadline_stamps(closed, SPRUCE, CALENDAR, "k") == Stamps(None, None, "k", [])
