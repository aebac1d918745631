"""The rules of a case's life (domain/lifecycle.py), each boundary on both sides.

One Spruce case received Monday 03/02/2025 (tests/domain/rule_cases.py): acknowledgement due
06/02/2025, the Stage 1 response 20/02/2025; today is 31/03/2025. Every refusal is checked by
its exact message, every accepted change by the exact fields it sets.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from complaints_cli.domain.case import Action
from complaints_cli.domain.lifecycle import (
    acknowledge,
    action_done,
    close,
    escalate,
    learning,
    parse_review,
    reopen,
    respond,
    update,
)
from complaints_cli.domain.rules import NewAction
from complaints_cli.domain.vocabulary import ActionKind, Outcome, ReviewType, Stage, Status
from tests.domain.rule_cases import (
    ACK_DUE,
    CALENDAR,
    RECEIVED,
    RULES,
    SPRUCE,
    STAGE1_DUE,
    TODAY,
    case,
    refusal,
)

ACKED = ACK_DUE  # Thursday 06/02/2025: the Stage 1 response is due 20/02/2025


def ack(on: date, reason: str | None = None, summary: str | None = "Damp in bedroom") -> object:
    return acknowledge(case(), RULES, on=on, summary=summary, reason=reason)


# ---------------------------------------------------------------------------------------------
# acknowledge


def test_acknowledged_on_the_deadline_is_met() -> None:
    change = acknowledge(case(), RULES, on=ACK_DUE, summary=" Damp ", reason="ignored")
    saved = change.case
    assert (saved.acknowledged, saved.ack_met, saved.ack_met_note) == (ACK_DUE, True, None)
    assert saved.complaint_summary == "Damp"
    assert change.messages == ["Acknowledged 06/02/2025: within the timeframe (due 06/02/2025)"]
    assert change.warnings == [] and change.new_actions == [] and change.note is None


def test_acknowledged_the_day_after_needs_a_reason() -> None:
    assert refusal(ack, date(2025, 2, 7)) == (
        "ComplaintsError",
        "acknowledged 07/02/2025, after its deadline 06/02/2025 (3 working days from received "
        "03/02/2025): give --reason to explain the 'No' in the log",
    )
    change = acknowledge(case(), RULES, on=date(2025, 2, 7), summary="Damp", reason=" Sick ")
    assert (change.case.ack_met, change.case.ack_met_note) == (False, "Sick")
    assert change.messages == ["Acknowledged 07/02/2025: late (due 06/02/2025)"]


def test_acknowledgement_date_bounds() -> None:
    assert refusal(ack, date(2025, 2, 2)) == (
        "ComplaintsError",
        "acknowledgement date 02/02/2025 is before the date received 03/02/2025",
    )
    assert ack(RECEIVED).case.acknowledged == RECEIVED  # type: ignore[attr-defined]
    assert refusal(ack, date(2025, 4, 1)) == (
        "ComplaintsError",
        "acknowledgement date 01/04/2025 is in the future (today is 31/03/2025)",
    )
    late = acknowledge(case(), RULES, on=TODAY, summary="Damp", reason="lost")
    assert late.case.acknowledged == TODAY


def test_acknowledge_summary_comes_from_the_case_or_is_required() -> None:
    assert refusal(ack, ACKED, summary=None) == (
        "ComplaintsError",
        "--summary is required: the log's 'Summary of complaint' column",
    )
    kept = acknowledge(
        case(complaint_summary="Leak"), RULES, on=ACKED, summary=None, reason=None
    ).case
    assert kept.complaint_summary == "Leak"
    replaced = acknowledge(
        case(complaint_summary="Leak"), RULES, on=ACKED, summary="Mould", reason=None
    ).case
    assert replaced.complaint_summary == "Mould"


def test_acknowledge_refusals_by_state() -> None:
    done = case(acknowledged=ACKED)
    assert refusal(acknowledge, done, RULES, on=ACKED, summary="x", reason=None) == (
        "ConflictError",
        "SPRUCE001 was already acknowledged on 06/02/2025",
    )
    closed = case(status=Status.CLOSED, closed=ACKED)
    assert refusal(acknowledge, closed, RULES, on=ACKED, summary="x", reason=None) == (
        "ConflictError",
        "SPRUCE001 is closed: reopen it first (complaints reopen SPRUCE001)",
    )
    ombudsman = case(stage=Stage.OMBUDSMAN)
    assert refusal(acknowledge, ombudsman, RULES, on=ACKED, summary="x", reason=None) == (
        "ConflictError",
        "SPRUCE001 is at the Ombudsman stage: nothing to acknowledge",
    )


def stage2(**fields: object) -> object:
    values: dict[str, object] = {
        "stage": Stage.STAGE_2,
        "acknowledged": ACKED,
        "stage1_responded": date(2025, 2, 20),
        "escalated": True,
        "escalation_received": date(2025, 3, 3),
        "review_type": ReviewType.MANAGER,
        "stage2_handler": "Jo Reid",
    }
    values.update(fields)
    return case(**values)


def test_stage2_acknowledgement_on_and_after_its_deadline() -> None:
    # 5 working days from the request of Monday 03/03/2025: Monday 10/03/2025.
    on_time = acknowledge(stage2(), RULES, on=date(2025, 3, 10), summary=None, reason=None)
    assert on_time.case.stage2_acknowledged == date(2025, 3, 10)
    assert on_time.case.acknowledged == ACKED
    assert on_time.messages == [
        "Stage 2 request acknowledged 10/03/2025, within its deadline 10/03/2025"
    ]
    late = acknowledge(stage2(), RULES, on=date(2025, 3, 11), summary=None, reason=None)
    assert late.messages == [
        "Stage 2 request acknowledged 11/03/2025, after its deadline 10/03/2025"
    ]


def test_stage2_acknowledgement_refusals() -> None:
    assert refusal(
        acknowledge, stage2(), RULES, on=date(2025, 3, 2), summary=None, reason=None
    ) == (
        "ComplaintsError",
        "acknowledgement date 02/03/2025 is before the date the escalation request was received "
        "03/03/2025",
    )
    same_day = acknowledge(stage2(), RULES, on=date(2025, 3, 3), summary=None, reason=None)
    assert same_day.case.stage2_acknowledged == date(2025, 3, 3)
    again = stage2(stage2_acknowledged=date(2025, 3, 4))
    assert refusal(acknowledge, again, RULES, on=date(2025, 3, 5), summary=None, reason=None) == (
        "ConflictError",
        "SPRUCE001's Stage 2 request was already acknowledged on 04/03/2025",
    )


# ---------------------------------------------------------------------------------------------
# respond


def resp(c: object = None, **kwargs: object) -> object:
    values: dict[str, object] = {
        "on": STAGE1_DUE,
        "summary": "Repair booked",
        "stage": None,
        "compensation": None,
        "compensation_reason": None,
        "reason": None,
        "actions": [],
        "outcome": Outcome.UPHELD,
    }
    values.update(kwargs)
    return respond(c if c is not None else case(acknowledged=ACKED), RULES, **values)  # type: ignore[arg-type]


def test_stage1_response_on_the_deadline() -> None:
    change = resp(compensation=Decimal("50.00"), compensation_reason=" Delay ")
    saved = change.case  # type: ignore[attr-defined]
    assert saved.stage1_responded == STAGE1_DUE
    assert (saved.stage1_met, saved.stage1_met_note, saved.stage1_extension) == (True, None, False)
    assert saved.stage1_response_summary == "Repair booked"
    assert (saved.compensation_amount, saved.compensation_reasons) == (Decimal("50.00"), "Delay")
    assert (saved.compensation_paid, saved.stage1_outcome) == (None, Outcome.UPHELD)
    assert saved.last_update is None
    assert saved.stage2_responded is None and saved.stage2_met is None
    assert change.messages == [  # type: ignore[attr-defined]
        "Stage 1 response sent 20/02/2025: within the timeframe (due 20/02/2025)"
    ]
    assert change.warnings == []  # type: ignore[attr-defined]


def test_stage1_response_the_day_after_needs_a_reason() -> None:
    assert refusal(resp, on=date(2025, 2, 21)) == (
        "ComplaintsError",
        "responded 21/02/2025, after its deadline 20/02/2025 (10 working days from "
        "acknowledged 06/02/2025): give --reason to explain the 'No' in the log",
    )
    change = resp(on=date(2025, 2, 21), reason="Contractor late")
    saved = change.case  # type: ignore[attr-defined]
    assert (saved.stage1_met, saved.stage1_met_note) == (False, "Contractor late")
    assert change.messages == [  # type: ignore[attr-defined]
        "Stage 1 response sent 21/02/2025: late (due 20/02/2025)"
    ]


def test_response_within_an_extension() -> None:
    extended = case(
        acknowledged=ACKED,
        stage1_extension=True,
        stage1_extension_reason="Survey",
        stage1_extended_to=date(2025, 3, 6),
        stage1_extension_agreed=date(2025, 2, 10),
        stage1_extension_told=True,
        stage1_extension_told_on=date(2025, 2, 10),
    )
    change = resp(extended, on=date(2025, 3, 6))
    assert change.case.stage1_met is True  # type: ignore[attr-defined]
    assert change.case.stage1_extension is True  # type: ignore[attr-defined]
    assert change.messages == [  # type: ignore[attr-defined]
        "Stage 1 response sent 06/03/2025: within the extension (due 06/03/2025)"
    ]
    early = resp(extended, on=STAGE1_DUE)
    assert early.messages == [  # type: ignore[attr-defined]
        "Stage 1 response sent 20/02/2025: within the timeframe (due 06/03/2025)"
    ]
    assert refusal(resp, extended, on=date(2025, 3, 7))[1].startswith(
        "responded 07/03/2025, after its deadline 06/03/2025"
    )


def test_response_date_bounds() -> None:
    assert refusal(resp, on=date(2025, 2, 5)) == (
        "ComplaintsError",
        "response date 05/02/2025 is before the acknowledgement 06/02/2025",
    )
    assert resp(on=ACKED).case.stage1_responded == ACKED  # type: ignore[attr-defined]
    assert refusal(resp, case(), on=date(2025, 2, 2)) == (
        "ComplaintsError",
        "response date 02/02/2025 is before the date received 03/02/2025",
    )


def test_response_compensation_and_payment() -> None:
    assert refusal(resp, compensation=Decimal(10)) == (
        "ComplaintsError",
        "--compensation-reason is required with --compensation",
    )
    assert refusal(resp, compensation_reason="Delay") == (
        "ComplaintsError",
        "--compensation-reason needs --compensation AMOUNT",
    )
    assert refusal(resp, paid=STAGE1_DUE) == (
        "ComplaintsError",
        "--paid needs --compensation AMOUNT: what was paid",
    )
    money = {"compensation": Decimal(10), "compensation_reason": "Delay"}
    assert refusal(resp, on=STAGE1_DUE, paid=date(2025, 2, 19), **money) == (
        "ComplaintsError",
        "payment date 19/02/2025 is before the response 20/02/2025",
    )
    paid = resp(paid=STAGE1_DUE, **money).case  # type: ignore[attr-defined]
    assert paid.compensation_paid == STAGE1_DUE


def test_an_action_due_before_the_response_is_refused() -> None:
    early = NewAction("Fix gutter", "Repairs", date(2025, 2, 19))
    assert refusal(resp, actions=[early]) == (
        "ComplaintsError",
        "action 'Fix gutter' is due 19/02/2025, before the response 20/02/2025",
    )
    same_day = NewAction("Fix gutter", "Repairs", STAGE1_DUE)
    change = resp(actions=[same_day])
    assert change.new_actions == [same_day]  # type: ignore[attr-defined]
    assert change.case.last_update == STAGE1_DUE  # type: ignore[attr-defined]


def test_response_outcome_rules() -> None:
    assert refusal(resp, outcome=Outcome.WITHDRAWN) == (
        "ComplaintsError",
        "a withdrawn complaint has no response: record it with complaints withdraw SPRUCE001",
    )
    change = resp(outcome=None)
    assert change.warnings == [  # type: ignore[attr-defined]
        "SPRUCE001: no outcome recorded (upheld, partly upheld, not upheld, resolved); the "
        "governing body's figures count it as unknown: complaints correct SPRUCE001 --outcome "
        "OUTCOME --reason TEXT"
    ]
    assert change.case.stage1_outcome is None  # type: ignore[attr-defined]
    s2 = resp(stage2(stage2_acknowledged=date(2025, 3, 4)), on=date(2025, 3, 31), outcome=None)
    assert s2.warnings[0].endswith(  # type: ignore[attr-defined]
        "complaints correct SPRUCE001 --stage2-outcome OUTCOME --reason TEXT"
    )


def test_response_stage_must_match_and_summary_is_required() -> None:
    assert refusal(resp, stage=Stage.STAGE_2) == (
        "ConflictError",
        "SPRUCE001 is at Stage 1: escalate it before recording a Stage 2 response",
    )
    assert refusal(resp, stage2(), stage=Stage.STAGE_1) == (
        "ConflictError",
        "SPRUCE001 is at Stage 2: its Stage 1 response is already recorded",
    )
    assert resp(stage=Stage.STAGE_1).case.stage1_responded == STAGE1_DUE  # type: ignore[attr-defined]
    assert refusal(resp, summary=" ") == (
        "ComplaintsError",
        "--summary is required: what the response decided and why",
    )


def test_stage2_response_fields_and_bounds() -> None:
    c = stage2(stage2_acknowledged=date(2025, 3, 5), stage2_extension=True)
    assert refusal(resp, c, on=date(2025, 3, 4)) == (
        "ComplaintsError",
        "response date 04/03/2025 is before the Stage 2 acknowledgement 05/03/2025",
    )
    assert refusal(resp, stage2(), on=date(2025, 3, 2)) == (
        "ComplaintsError",
        "response date 02/03/2025 is before the escalation request 03/03/2025",
    )
    money = {"compensation": Decimal(25), "compensation_reason": "Time", "paid": TODAY}
    change = resp(c, on=TODAY, outcome=Outcome.NOT_UPHELD, **money)
    saved = change.case  # type: ignore[attr-defined]
    assert saved.stage2_responded == TODAY
    # 20 working days from the request of 03/03/2025: 31/03/2025, met on the day.
    assert (saved.stage2_met, saved.stage2_met_note, saved.stage2_extension) == (True, None, True)
    assert saved.stage2_response_details == "Repair booked"
    assert saved.stage2_compensation_amount == Decimal(25)
    assert (saved.stage2_compensation_reasons, saved.stage2_compensation_paid) == ("Time", TODAY)
    assert saved.stage2_outcome is Outcome.NOT_UPHELD
    assert (saved.stage1_responded, saved.compensation_amount) == (date(2025, 2, 20), None)
    assert saved.stage1_outcome is None
    assert change.messages == [  # type: ignore[attr-defined]
        "Stage 2 response sent 31/03/2025: within the timeframe (due 31/03/2025)"
    ]
    plain = resp(stage2(), on=TODAY).case  # type: ignore[attr-defined]
    assert plain.stage2_extension is False


def test_a_service_dissatisfaction_response() -> None:
    informal = case(stage=Stage.INFORMAL, informal_received=RECEIVED)
    assert refusal(resp, informal, compensation=Decimal(5), compensation_reason="x") == (
        "ComplaintsError",
        "SPRUCE001 is a service dissatisfaction: its response takes --summary and --date only "
        "(convert it to a Stage 1 complaint first: complaints convert SPRUCE001)",
    )
    with_action = [NewAction("Call", "Sam", STAGE1_DUE)]
    assert refusal(resp, informal, actions=with_action)[1].startswith(
        "SPRUCE001 is a service dissatisfaction: its response takes --summary"
    )
    done = resp(informal, on=date(2025, 2, 5)).case  # type: ignore[attr-defined]
    assert done.informal_responded == date(2025, 2, 5)
    assert done.stage1_responded is None


# ---------------------------------------------------------------------------------------------
# escalate


@pytest.mark.parametrize(
    ("text", "review"),
    [
        ("manager", ReviewType.MANAGER),
        ("  Senior   Manager Review ", ReviewType.MANAGER),
        ("Compensation Review", ReviewType.COMPENSATION),
        ("PANEL", ReviewType.PANEL),
        ("complaint review panel", ReviewType.PANEL),
    ],
)
def test_parse_review(text: str, review: ReviewType) -> None:
    assert parse_review(text) is review


def test_parse_review_refuses_other_words() -> None:
    assert refusal(parse_review, "boss") == (
        "ComplaintsError",
        "--review 'boss' is not one of: manager, compensation, panel",
    )


def esc(c: object = None, **kwargs: object) -> object:
    values: dict[str, object] = {
        "received": date(2025, 3, 3),
        "review": "manager",
        "details": "Still damp",
        "handler": "Jo  Reid",
    }
    values.update(kwargs)
    responded = case(acknowledged=ACKED, stage1_responded=date(2025, 2, 20))
    return escalate(c if c is not None else responded, RULES, **values)  # type: ignore[arg-type]


def test_escalation_fields() -> None:
    change = esc()
    saved = change.case  # type: ignore[attr-defined]
    assert (saved.stage, saved.escalated) == (Stage.STAGE_2, True)
    assert (saved.escalation_received, saved.escalation_details) == (date(2025, 3, 3), "Still damp")
    assert (saved.review_type, saved.stage2_handler) == (ReviewType.MANAGER, "Jo Reid")
    assert change.messages == [] and change.warnings == []  # type: ignore[attr-defined]


def test_escalation_date_bounds() -> None:
    assert refusal(esc, received=date(2025, 2, 19)) == (
        "ComplaintsError",
        "escalation date 19/02/2025 is before the Stage 1 response 20/02/2025",
    )
    same_day = esc(received=date(2025, 2, 20)).case  # type: ignore[attr-defined]
    assert same_day.escalation_received == date(2025, 2, 20)
    assert refusal(esc, case(), received=date(2025, 2, 2)) == (
        "ComplaintsError",
        "escalation date 02/02/2025 is before the date received 03/02/2025",
    )


def test_escalation_time_limit_is_a_warning() -> None:
    # 20 working days after the response of 20/02/2025: Thursday 20/03/2025.
    assert esc(received=date(2025, 3, 20)).warnings == []  # type: ignore[attr-defined]
    assert esc(received=date(2025, 3, 21)).warnings == [  # type: ignore[attr-defined]
        "the Stage 2 request (21/03/2025) came more than 20 working days after the Stage 1 "
        "response (20/02/2025): the limit was 20/03/2025 (Spruce procedure, Complaint: Stage 1); "
        "escalated anyway, record why in the details if it was accepted late"
    ]


def test_escalation_notes() -> None:
    early = esc(case(acknowledged=ACKED), received=date(2025, 2, 10))
    assert early.messages == [  # type: ignore[attr-defined]
        "note: SPRUCE001 is escalated before any Stage 1 response was recorded"
    ]
    refused = case(
        stage1_responded=date(2025, 2, 20),
        stage2_refused=date(2025, 2, 24),
        stage2_refused_reason="Excluded",
    )
    assert esc(refused).messages == [  # type: ignore[attr-defined]
        "note: the Stage 2 request of 24/02/2025 was refused (Excluded); the refusal stays on "
        "record and this escalation goes ahead"
    ]


def test_escalation_refusals() -> None:
    assert refusal(esc, case(stage=Stage.INFORMAL)) == (
        "ConflictError",
        "SPRUCE001 is a service dissatisfaction: convert it to a Stage 1 complaint first "
        "(complaints convert SPRUCE001)",
    )
    assert refusal(esc, stage2()) == ("ConflictError", "SPRUCE001 is already at Stage 2")
    assert refusal(esc, handler=" sam   PATEL ") == (
        "ConflictError",
        "the Stage 2 handler must not be the Stage 1 handler (Sam Patel): Stage 2 is a review "
        "by a senior manager who has not been involved",
    )
    # The same person however spelt, as --handler finds people (accents, hyphens, a
    # zero-width space pasted in): the fresh-user trial escalated "Zoë" to "Zoe".
    for spelling in ("Sám Patel", "sam-patel", "Sam\u200b Patel"):
        assert refusal(esc, handler=spelling)[1].startswith(
            "the Stage 2 handler must not be the Stage 1 handler (Sam Patel)"
        ), spelling
    assert refusal(esc, review="panel") == (
        "ConflictError",
        "the spruce profile has no panel review at Stage 2 (it offers: manager, compensation)",
    )
    assert refusal(esc, details="") == (
        "ComplaintsError",
        "--details is required: why the resident remains unhappy",
    )
    assert refusal(esc, case(status=Status.WITHDRAWN, withdrawn=ACKED))[0] == "ConflictError"


# ---------------------------------------------------------------------------------------------
# update, action done


def test_update_restarts_the_weekly_clock_only_with_outstanding_actions() -> None:
    c = case(last_update=date(2025, 3, 10))
    assert refusal(update, c, RULES, on=date(2025, 3, 9), note="Called", outstanding=1) == (
        "ComplaintsError",
        "update date 09/03/2025 is before the last contact about the actions (the response or "
        "an update) 10/03/2025: the weekly clock counts from the latest",
    )
    same = update(c, RULES, on=date(2025, 3, 10), note=" Called ", outstanding=1)
    assert (same.case.last_update, same.note) == (date(2025, 3, 10), "Called")
    later = update(c, RULES, on=date(2025, 3, 12), note="Called", outstanding=2)
    assert later.case.last_update == date(2025, 3, 12)
    none_left = update(c, RULES, on=date(2025, 3, 9), note="Called", outstanding=0)
    assert none_left.case == c
    first = update(case(), RULES, on=date(2025, 3, 9), note="Called", outstanding=1)
    assert first.case.last_update == date(2025, 3, 9)
    assert refusal(update, c, RULES, on=date(2025, 2, 2), note="x", outstanding=0)[1] == (
        "update date 02/02/2025 is before the date received 03/02/2025"
    )
    assert refusal(update, c, RULES, on=date(2025, 3, 9), note=" ", outstanding=0)[1] == (
        "--note is required: what the resident was told"
    )


def actions(*done: date | None) -> list[Action]:
    return [
        Action(n, Stage.STAGE_1, ActionKind.ACTION, f"Job {n}", "Repairs", date(2025, 3, 1), d)
        for n, d in enumerate(done, start=1)
    ]


def test_action_done() -> None:
    c = case(stage1_responded=date(2025, 2, 20), last_update=date(2025, 2, 20))
    two = actions(None, None)
    change = action_done(c, RULES, number=1, on=date(2025, 3, 3), actions=two)
    assert change.done_actions == {1: date(2025, 3, 3)}
    assert change.note == "action 1 done: Job 1"
    assert (change.case, change.messages) == (c, [])
    last = action_done(c, RULES, number=2, on=date(2025, 3, 3), actions=actions(ACKED, None))
    assert last.case.last_update is None
    assert last.messages == ["all actions of SPRUCE001 are done: it can be closed"]


def test_action_done_refusals() -> None:
    c = case(stage1_responded=date(2025, 2, 20))
    assert refusal(action_done, c, RULES, number=3, on=TODAY, actions=actions(None, None)) == (
        "ComplaintsError",
        "SPRUCE001 has no action 3 (its actions: 1, 2)",
    )
    assert refusal(action_done, c, RULES, number=1, on=TODAY, actions=[])[1] == (
        "SPRUCE001 has no action 1 (its actions: none)"
    )
    assert refusal(action_done, c, RULES, number=1, on=TODAY, actions=actions(ACKED)) == (
        "ConflictError",
        "action 1 of SPRUCE001 was already done on 06/02/2025",
    )
    assert refusal(
        action_done, c, RULES, number=1, on=date(2025, 2, 19), actions=actions(None)
    ) == (
        "ComplaintsError",
        "completion date 19/02/2025 is before the Stage 1 response that promised it 20/02/2025",
    )
    same_day = action_done(c, RULES, number=1, on=date(2025, 2, 20), actions=actions(None))
    assert same_day.done_actions == {1: date(2025, 2, 20)}
    s2 = case(stage1_responded=date(2025, 2, 20), stage2_responded=date(2025, 3, 20))
    stage2_action = [Action(1, Stage.STAGE_2, ActionKind.ACTION, "Job", "Rep", TODAY)]
    assert refusal(action_done, s2, RULES, number=1, on=date(2025, 3, 19), actions=stage2_action)[
        1
    ] == ("completion date 19/03/2025 is before the Stage 2 response that promised it 20/03/2025")


# ---------------------------------------------------------------------------------------------
# close, reopen, learning


def test_close() -> None:
    c = case(acknowledged=ACKED, stage1_responded=STAGE1_DUE, last_update=STAGE1_DUE)
    saved = close(c, RULES, on=TODAY, outstanding=0, force_reason=None).case
    assert (saved.status, saved.closed, saved.close_reason) == (Status.CLOSED, TODAY, None)
    assert (saved.last_update, saved.escalated) == (None, False)
    assert refusal(close, c, RULES, on=TODAY, outstanding=2, force_reason=" ") == (
        "ConflictError",
        "SPRUCE001 has 2 outstanding action(s): mark them done (complaints action done "
        "SPRUCE001 N) or close with --force --reason TEXT",
    )
    forced = close(c, RULES, on=TODAY, outstanding=2, force_reason="Tenant left").case
    assert forced.close_reason == "Tenant left"
    escalated = close(
        stage2(stage2_responded=TODAY), RULES, on=TODAY, outstanding=0, force_reason=None
    )
    assert escalated.case.escalated is True
    assert refusal(close, c, RULES, on=date(2025, 2, 2), outstanding=0, force_reason=None)[1] == (
        "closing date 02/02/2025 is before the date received 03/02/2025"
    )
    answered_on_receipt = case(stage1_responded=RECEIVED)
    on_receipt = close(answered_on_receipt, RULES, on=RECEIVED, outstanding=0, force_reason=None)
    assert on_receipt.case.closed == RECEIVED


def test_a_case_never_answered_is_not_closed() -> None:
    """The fresh-user trial: ``close`` of a case with no response was accepted. The procedure
    closes a case once answered; one that ends unanswered is withdrawn or not accepted."""
    for unanswered in (case(), case(acknowledged=ACKED), case(stage=Stage.INFORMAL)):
        for force in (None, "Tenant left"):
            assert refusal(
                close, unanswered, RULES, on=TODAY, outstanding=0, force_reason=force
            ) == (
                "ConflictError",
                "SPRUCE001 has no response recorded: record it first (complaints respond "
                "SPRUCE001 --summary TEXT), or if the resident withdrew the complaint, complaints "
                "withdraw SPRUCE001 --reason TEXT, or if the policy does not accept it, "
                "complaints not-accepted SPRUCE001 --reason TEXT",
            )
    informal = case(stage=Stage.INFORMAL, informal_responded=ACKED)
    assert close(informal, RULES, on=TODAY, outstanding=0, force_reason=None).case.closed == TODAY


def test_a_stage2_case_never_answered_at_stage2_is_not_closed() -> None:
    """Stage 2 is the final response (Code 6.10): a Stage 2 case with no Stage 2 response is
    refused closing, forced or not, as at Stage 1; answered, it closes."""
    for force in (None, "Tenant left"):
        assert refusal(close, stage2(), RULES, on=TODAY, outstanding=0, force_reason=force) == (
            "ConflictError",
            "SPRUCE001 has no Stage 2 response recorded: record it first (complaints respond "
            "SPRUCE001 --summary TEXT), or if the resident withdrew the complaint, complaints "
            "withdraw SPRUCE001 --reason TEXT",
        )
    answered = stage2(stage2_responded=date(2025, 3, 20))
    assert close(answered, RULES, on=TODAY, outstanding=0, force_reason=None).case.closed == TODAY


def test_close_checks_the_whole_order_of_events() -> None:
    acked = case(acknowledged=ACKED, stage1_responded=ACKED)
    assert refusal(close, acked, RULES, on=date(2025, 2, 5), outstanding=0, force_reason=None) == (
        "ComplaintsError",
        "SPRUCE001: close refused: the closing date 05/02/2025 is before the acknowledgement "
        "06/02/2025",
    )
    assert close(acked, RULES, on=ACKED, outstanding=0, force_reason=None).case.closed == ACKED
    # An imported Stage 2 case with a blank "escalated" column keeps it blank.
    answered = stage2(escalated=None, stage2_responded=date(2025, 3, 20))
    imported = close(answered, RULES, on=TODAY, outstanding=0, force_reason=None)
    assert imported.case.escalated is None
    bad = refusal(close, acked, RULES, on=TODAY, outstanding=1, force_reason="a\x00b")
    assert bad[1].startswith("--reason holds a control character")


def test_an_action_is_done_after_the_complaint_was_received() -> None:
    unanswered = case()  # an imported action with no response recorded
    assert refusal(
        action_done, unanswered, RULES, number=1, on=date(2025, 2, 2), actions=actions(None)
    ) == ("ComplaintsError", "completion date 02/02/2025 is before the date received 03/02/2025")
    done = action_done(unanswered, RULES, number=1, on=RECEIVED, actions=actions(None))
    assert done.done_actions == {1: RECEIVED}


def test_reopen() -> None:
    assert refusal(reopen, case(), RULES, reason=None) == (
        "ConflictError",
        "SPRUCE001 is not closed",
    )
    closed = case(status=Status.CLOSED, closed=date(2025, 3, 10), close_reason="Done")
    change = reopen(closed, RULES, reason=" Came back ")
    saved = change.case
    assert (saved.status, saved.closed, saved.close_reason) == (Status.OPEN, None, None)
    assert (saved.last_update, change.note) == (None, "Came back")
    with_actions = reopen(closed, RULES, reason=None, outstanding=1, on=date(2025, 3, 10))
    assert with_actions.case.last_update == date(2025, 3, 10)
    assert reopen(closed, RULES, reason=None, outstanding=1).case.last_update == TODAY
    assert refusal(reopen, closed, RULES, reason=None, on=date(2025, 3, 9)) == (
        "ComplaintsError",
        "reopening date 09/03/2025 is before the day it was closed 10/03/2025",
    )


def test_reopen_clears_what_ended_the_case() -> None:
    refused = case(
        status=Status.NOT_ACCEPTED,
        closed=ACKED,
        not_accepted_reason="Out of scope",
        not_accepted_told=ACKED,
    )
    saved = reopen(refused, RULES, reason=None).case
    assert (saved.not_accepted_reason, saved.not_accepted_told) == (None, None)
    withdrawn = case(
        status=Status.WITHDRAWN,
        withdrawn=date(2025, 3, 10),
        withdrawn_reason="Moved",
        stage1_outcome=Outcome.WITHDRAWN,
        stage2_outcome=Outcome.WITHDRAWN,
    )
    assert refusal(reopen, withdrawn, RULES, reason=None, on=date(2025, 3, 9))[1] == (
        "reopening date 09/03/2025 is before the day it was withdrawn 10/03/2025"
    )
    saved = reopen(withdrawn, RULES, reason=None).case
    assert (saved.withdrawn, saved.withdrawn_reason) == (None, None)
    assert (saved.stage1_outcome, saved.stage2_outcome) == (None, None)
    kept = reopen(
        withdrawn._replace(stage1_outcome=Outcome.UPHELD, stage2_outcome=Outcome.RESOLVED),
        RULES,
        reason=None,
    ).case
    assert (kept.stage1_outcome, kept.stage2_outcome) == (Outcome.UPHELD, Outcome.RESOLVED)
    void = case(status=Status.VOID, voided=ACKED, void_reason="Dup", duplicate_of_id=7)
    saved = reopen(void, RULES, reason=None).case
    assert (saved.voided, saved.void_reason, saved.duplicate_of_id) == (None, None, None)
    assert saved.status is Status.OPEN


def test_learning() -> None:
    assert refusal(learning, case(), RULES, text=" ", replace_existing=False) == (
        "ComplaintsError",
        "the learning text is empty",
    )
    first = learning(case(), RULES, text=" Check gutters ", replace_existing=False)
    assert first.case.learning == "Check gutters"
    more = learning(first.case, RULES, text="Train staff", replace_existing=False)
    assert more.case.learning == "Check gutters\nTrain staff"
    replaced = learning(first.case, RULES, text="Train staff", replace_existing=True)
    assert replaced.case.learning == "Train staff"
    closed = case(status=Status.CLOSED, closed=ACKED, learning="  ")
    assert learning(closed, RULES, text="New", replace_existing=False).case.learning == "New"


BAD = "a\x00b"


def test_each_optional_text_is_named_when_it_holds_a_control_character() -> None:
    closed = case(status=Status.CLOSED, closed=TODAY)
    money = {"compensation": Decimal(5)}
    calls = {
        "--summary": lambda: ack(ACKED, summary=BAD),
        "--reason": lambda: ack(date(2025, 2, 7), reason=BAD),
        "--compensation-reason": lambda: resp(compensation_reason=BAD, **money),
        "--reason ": lambda: resp(reason=BAD),
        "--reason  ": lambda: reopen(closed, RULES, reason=BAD),
        "the learning text": lambda: learning(case(), RULES, text=BAD, replace_existing=False),
    }
    for what, call in calls.items():
        assert refusal(call)[1].startswith(f"{what.strip()} holds a control character"), what


def test_the_stage2_handler_is_named_and_checked() -> None:
    assert refusal(esc, handler=" ") == (
        "ComplaintsError",
        "--handler is required: the Stage 2 complaint handler",
    )
    assert refusal(esc, handler="J" * 201)[1] == (
        "--handler is 201 characters long; a handler's name is at most 200"
    )
    assert esc(handler="J" * 200).case.stage2_handler == "J" * 200  # type: ignore[attr-defined]


def test_same_person() -> None:
    from complaints_cli.domain.rules import same_person

    assert same_person(" Sam  PATEL ", "sam patel")
    assert not same_person("Sam Patel", "Sam Patil")
    assert not same_person(None, None)
    assert not same_person("", "")
    assert not same_person("XXXX", None)


def test_a_reason_is_kept_only_for_a_no() -> None:
    on_time = resp(reason="not needed").case  # type: ignore[attr-defined]
    assert (on_time.stage1_met, on_time.stage1_met_note) == (True, None)
    c = stage2(stage2_acknowledged=date(2025, 3, 4))
    on_the_day = resp(c, on=TODAY, reason=" Contractor ").case  # type: ignore[attr-defined]
    assert (on_the_day.stage2_met, on_the_day.stage2_met_note) == (True, None)
    rules = RULES.__class__(SPRUCE, CALENDAR, date(2025, 4, 30))
    very_late = respond(
        c,
        rules,
        on=date(2025, 4, 1),
        summary="Done",
        stage=None,
        compensation=None,
        compensation_reason=None,
        reason=" Contractor ",
        actions=[],
        outcome=Outcome.UPHELD,
    ).case
    assert (very_late.stage2_met, very_late.stage2_met_note) == (False, "Contractor")


def test_nothing_to_respond_to() -> None:
    answered = case(acknowledged=ACKED, stage1_responded=STAGE1_DUE)
    assert refusal(resp, answered) == (
        "ConflictError",
        "SPRUCE001's Stage 1 response was sent on 20/02/2025: nothing to respond to",
    )
    assert refusal(resp, case(stage=Stage.OMBUDSMAN)) == (
        "ConflictError",
        "SPRUCE001 is with the Ombudsman: there is no response to respond to",
    )


def test_a_stage2_response_is_after_the_complaint_was_received() -> None:
    imported = stage2(acknowledged=None, escalation_received=None)
    assert refusal(resp, imported, on=date(2025, 2, 2)) == (
        "ComplaintsError",
        "response date 02/02/2025 is before the date received 03/02/2025",
    )
    later = stage2(acknowledged=date(2025, 2, 10), escalation_received=None)
    assert refusal(resp, later, on=date(2025, 2, 7))[1] == (
        "response date 07/02/2025 is before the acknowledgement 10/02/2025"
    )


def test_a_profile_without_a_met_column_judges_nothing() -> None:
    import dataclasses

    bare = dataclasses.replace(
        SPRUCE,
        milestones=tuple(r for r in SPRUCE.milestones if r.log_column is None),
    )
    rules = RULES.__class__(bare, CALENDAR, TODAY)
    acked = acknowledge(case(), rules, on=date(2025, 2, 7), summary="Damp", reason=None)
    assert (acked.case.ack_met, acked.case.ack_met_note, acked.messages) == (None, None, [])
    answered = respond(
        case(acknowledged=ACKED),
        rules,
        on=date(2025, 3, 3),
        summary="Done",
        stage=None,
        compensation=None,
        compensation_reason=None,
        reason="ignored",
        actions=[],
        outcome=Outcome.UPHELD,
    )
    assert (answered.case.stage1_met, answered.case.stage1_met_note) == (None, None)
    assert answered.messages == []
