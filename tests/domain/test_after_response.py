"""Extensions (domain/extensions.py), payments and refused escalations (after_response.py), the
Ombudsman stage (ombudsman_stage.py) and the order of events (order.py), each boundary on both
sides, refusals by their exact message.

The case is tests/domain/rule_cases.py's: acknowledged 06/02/2025, so the Stage 1 response is
due Thursday 20/02/2025 and Spruce's 10-working-day cap ends Thursday 06/03/2025.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from complaints_cli.domain.after_response import REFUSAL_NOTE, record_payment, refuse_escalation
from complaints_cli.domain.extensions import MAX_EXTENSION_DAYS, extend, extension_told
from complaints_cli.domain.ombudsman_stage import ombudsman, parse_body
from complaints_cli.domain.order import (
    check_order,
    independence_problem,
    order_findings,
    order_problems,
)
from complaints_cli.domain.rules import Rules
from complaints_cli.domain.vocabulary import OmbudsmanBody, Stage, Status
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

CAP_END = date(2025, 3, 6)
AGREED = date(2025, 2, 10)


def ext(c: Any = None, **kwargs: Any) -> Any:
    values: dict[str, Any] = {
        "reason": " Survey needed ",
        "days": None,
        "new_date": None,
        "told": True,
        "beyond_cap": None,
        "agreed": AGREED,
    }
    values.update(kwargs)
    return extend(c if c is not None else case(acknowledged=ACK_DUE), RULES, **values)


# ---------------------------------------------------------------------------------------------
# extend


def test_extension_defaults_to_the_cap() -> None:
    change = ext()
    saved = change.case
    assert (saved.stage1_extension, saved.stage1_extended_to) == (True, CAP_END)
    assert saved.stage1_extension_reason == "Survey needed"
    assert (saved.stage1_extension_told, saved.stage1_extension_told_on) == (True, AGREED)
    assert saved.stage1_extension_agreed == AGREED
    assert saved.stage2_extension is None and saved.stage2_extended_to is None
    assert change.messages == [
        "Stage 1 response now due 06/03/2025 (10 working day(s) after the original 20/02/2025)"
    ]


def test_extension_by_days() -> None:
    assert ext(days=1).case.stage1_extended_to == date(2025, 2, 21)
    assert ext(days=10).case.stage1_extended_to == CAP_END
    assert refusal(ext, days=11) == (
        "ComplaintsError",
        "07/03/2025 is 11 working days after the original deadline 20/02/2025; the spruce "
        "profile allows at most 10: choose an earlier date, or give --beyond-cap REASON",
    )
    beyond = ext(days=11, beyond_cap=" Board approved ").case
    assert beyond.stage1_extended_to == date(2025, 3, 7)
    assert beyond.stage1_extension_reason == (
        "Survey needed (beyond the 10-working-day limit: Board approved)"
    )


@pytest.mark.parametrize("days", [0, -1, MAX_EXTENSION_DAYS + 1, 2147483648])
def test_extension_days_out_of_range(days: int) -> None:
    assert refusal(ext, days=days) == (
        "ComplaintsError",
        f"--days {days} must be 1 to 260 working days (a year; the profile's limit is far less)",
    )


def test_extension_of_the_most_days_allowed() -> None:
    longest = ext(days=MAX_EXTENSION_DAYS, beyond_cap="Rebuild").case
    # 52 weeks of weekdays, plus the 8 bank holidays in them.
    assert longest.stage1_extended_to == date(2026, 3, 3)


def test_extension_new_date_must_be_after_the_deadline() -> None:
    assert refusal(ext, new_date=STAGE1_DUE) == (
        "ComplaintsError",
        "the new date 20/02/2025 must be after the current deadline 20/02/2025",
    )
    assert ext(new_date=date(2025, 2, 21)).case.stage1_extended_to == date(2025, 2, 21)
    assert refusal(ext, days=3, new_date=CAP_END) == (
        "ComplaintsError",
        "give --days or --new-date, not both",
    )
    assert refusal(ext, reason=" ") == (
        "ComplaintsError",
        "--reason is required: the log records why the extension was needed",
    )


def test_extension_agreed_on_the_deadline_counts_the_day_after_does_not() -> None:
    assert ext(agreed=STAGE1_DUE).case.stage1_extension_agreed == STAGE1_DUE
    assert refusal(ext, agreed=date(2025, 2, 21)) == (
        "ComplaintsError",
        "the extension is agreed on 21/02/2025, after the deadline it extends (20/02/2025): the "
        "Code (6.4) needs the resident told within it; record it anyway with --late REASON (it "
        "will not count: the response is judged against 20/02/2025)",
    )
    late = ext(agreed=date(2025, 2, 21), late=" Missed ", told=False)
    assert late.case.stage1_extension_agreed == date(2025, 2, 21)
    assert late.case.stage1_extension_reason == (
        "Survey needed (agreed late, on 21/02/2025: Missed)"
    )
    assert late.messages == [
        "Stage 1 extension to 06/03/2025 recorded late: it does not count, the response is "
        "judged against 20/02/2025",
    ]
    assert late.warnings == [
        "the Code (6.4, 6.5) requires telling the resident of the new date, with the "
        "Ombudsman's contact details; record it with complaints extend SPRUCE001 --told --date D"
    ]
    assert (late.case.stage1_extension_told, late.case.stage1_extension_told_on) == (False, None)


def test_extension_agreement_date_bounds() -> None:
    assert refusal(ext, agreed=date(2025, 2, 2)) == (
        "ComplaintsError",
        "agreement date 02/02/2025 is before the date received 03/02/2025",
    )
    assert ext(agreed=RECEIVED).case.stage1_extension_agreed == RECEIVED
    # Without --date the agreement is today (31/03/2025): long after the deadline.
    assert "agreed on 31/03/2025" in refusal(ext, agreed=None)[1]


def test_a_second_extension_keeps_the_first_agreement_day_not_its_telling() -> None:
    """The resident told of the first date was not told of the second: the second one's told
    facts are its own (it inherited the first's, and counted untold)."""
    first = ext(told=True).case
    assert refusal(ext, first, new_date=CAP_END, agreed=date(2025, 2, 12))[1] == (
        "the new date 06/03/2025 must be after the current deadline 06/03/2025"
    )
    again = ext(first, days=None, beyond_cap="More", new_date=date(2025, 3, 7), told=False)
    assert again.case.stage1_extension_agreed == AGREED
    assert (again.case.stage1_extension_told, again.case.stage1_extension_told_on) == (
        False,
        None,
    )
    assert again.messages[0].endswith("not yet told to the resident: the response is still due "
                                      "20/02/2025")  # fmt: skip
    shorter = ext(days=5, told=True).case
    told = ext(shorter, new_date=date(2025, 3, 5), agreed=date(2025, 2, 12), told=True).case
    assert (told.stage1_extension_told, told.stage1_extension_told_on) == (
        True,
        date(2025, 2, 12),
    )


def test_a_second_extension_told_after_the_original_deadline_does_not_say_now_due() -> None:
    """Agreed within the first extension (so not late) but told after the original deadline:
    the deadlines do not count it; the message says so instead of "now due"."""
    first = ext(days=5, told=True).case
    later = ext(first, new_date=CAP_END, agreed=date(2025, 2, 24), told=True)
    assert later.messages == [
        "Stage 1 extension to 06/03/2025 recorded, told on 24/02/2025, after the original "
        "deadline: it does not count, the response is judged against 20/02/2025",
        "It replaces the Stage 1 extension to 27/02/2025 (Survey needed), kept in the case's "
        "history",
    ]


def test_a_second_extension_says_which_one_it_replaces() -> None:
    """Two handlers extending one case at once: the second replaces the first (one column a
    stage), and says so, never silently; a first extension says nothing of the kind."""
    first = ext(days=5, told=True)
    assert [m for m in first.messages if "replaces" in m] == []
    second = ext(first.case, days=8, reason="Contractor booked", told=True)
    assert second.messages == [
        "Stage 1 response now due 04/03/2025 (8 working day(s) after the original 20/02/2025)",
        "It replaces the Stage 1 extension to 27/02/2025 (Survey needed), kept in the case's "
        "history",
    ]
    assert second.case.stage1_extension_reason == "Contractor booked"
    # An imported extension may have a date and no reason.
    imported = first.case._replace(stage1_extension_reason=None)
    assert ext(imported, days=8).messages[-1] == (
        "It replaces the Stage 1 extension to 27/02/2025 (no reason recorded), kept in the "
        "case's history"
    )
    c = case(
        stage=Stage.STAGE_2,
        acknowledged=ACK_DUE,
        stage1_responded=STAGE1_DUE,
        stage1_extended_to=CAP_END,
        stage1_extension_reason="Stage 1's",
        escalated=True,
        escalation_received=date(2025, 3, 3),
    )
    stage2 = ext(c, agreed=date(2025, 3, 10), days=5)
    assert [m for m in stage2.messages if "replaces" in m] == []
    again = ext(stage2.case, agreed=date(2025, 3, 11), days=6, reason="More")
    assert again.messages[-1] == (
        "It replaces the Stage 2 extension to 07/04/2025 (Survey needed), kept in the case's "
        "history"
    )


def test_stage2_extension() -> None:
    c = case(
        stage=Stage.STAGE_2,
        acknowledged=ACK_DUE,
        stage1_responded=STAGE1_DUE,
        escalated=True,
        escalation_received=date(2025, 3, 3),
        stage2_extension_told_on=date(2025, 3, 4),
    )
    change = ext(c, agreed=date(2025, 3, 10), told=False)
    saved = change.case
    # Due 31/03/2025 (20 working days from 03/03/2025); the cap adds 10: 14/04/2025.
    assert (saved.stage2_extension, saved.stage2_extended_to) == (True, date(2025, 4, 14))
    assert (saved.stage2_extension_agreed, saved.stage2_extension_told) == (
        date(2025, 3, 10),
        False,
    )
    assert saved.stage2_extension_told_on is None
    assert saved.stage2_extension_reason == "Survey needed"
    assert saved.stage1_extension is None
    assert change.messages[0] == (
        "Stage 2 extension to 14/04/2025 recorded (10 working day(s) after the original "
        "31/03/2025), not yet told to the resident: the response is still due 31/03/2025"
    )
    assert ext(c, agreed=date(2025, 3, 10)).messages[0] == (
        "Stage 2 response now due 14/04/2025 (10 working day(s) after the original 31/03/2025)"
    )


# ---------------------------------------------------------------------------------------------
# extension_told


def extended(**fields: Any) -> Any:
    return ext(told=False).case._replace(**fields)


def test_told_within_the_deadline_counts() -> None:
    change = extension_told(extended(), RULES, on=STAGE1_DUE)
    assert (change.case.stage1_extension_told, change.case.stage1_extension_told_on) == (
        True,
        STAGE1_DUE,
    )
    assert change.messages == [
        "the resident was told of the extension on 20/02/2025: the extension to 06/03/2025 counts"
    ]


def test_told_after_the_deadline_does_not_count() -> None:
    change = extension_told(extended(), RULES, on=date(2025, 2, 21))
    assert change.case.stage1_extension_told_on == date(2025, 2, 21)
    assert change.messages == [
        "told on 21/02/2025, after the deadline 20/02/2025: the extension does not count, the "
        "response is judged against 20/02/2025"
    ]


def test_told_refusals() -> None:
    assert refusal(extension_told, case(), RULES, on=STAGE1_DUE) == (
        "ConflictError",
        "SPRUCE001 has no Stage 1 extension to tell the resident about: record it with "
        "complaints extend SPRUCE001 --reason ...",
    )
    no_date = extended(stage1_extended_to=None)
    assert refusal(extension_told, no_date, RULES, on=STAGE1_DUE)[0] == "ConflictError"
    told = extended(stage1_extension_told_on=date(2025, 2, 11))
    assert refusal(extension_told, told, RULES, on=STAGE1_DUE) == (
        "ConflictError",
        "SPRUCE001's resident was already told on 11/02/2025; if that day is wrong, correct it "
        "with complaints correct SPRUCE001 --extension-told D --reason TEXT",
    )
    assert refusal(extension_told, extended(), RULES, on=date(2025, 2, 2)) == (
        "ComplaintsError",
        "date told 02/02/2025 is before the date received 03/02/2025",
    )
    informal = case(stage=Stage.INFORMAL, stage1_extension=True, stage1_extended_to=CAP_END)
    assert refusal(extension_told, informal, RULES, on=STAGE1_DUE)[1].startswith(
        "SPRUCE001 has no Informal extension"
    )


def test_told_at_stage2() -> None:
    c = case(
        stage=Stage.STAGE_2,
        acknowledged=ACK_DUE,
        stage1_responded=STAGE1_DUE,
        escalated=True,
        escalation_received=date(2025, 3, 3),
        stage1_extension_told_on=date(2025, 2, 11),
        stage2_extension=True,
        stage2_extended_to=date(2025, 4, 14),
        stage2_extension_agreed=date(2025, 3, 10),
    )
    change = extension_told(c, RULES, on=TODAY)
    assert (change.case.stage2_extension_told, change.case.stage2_extension_told_on) == (
        True,
        TODAY,
    )
    assert change.messages == [
        "the resident was told of the extension on 31/03/2025: the extension to 14/04/2025 counts"
    ]
    again = c._replace(stage2_extension_told_on=date(2025, 3, 12))
    assert refusal(extension_told, again, RULES, on=TODAY) == (
        "ConflictError",
        "SPRUCE001's resident was already told on 12/03/2025; if that day is wrong, correct it "
        "with complaints correct SPRUCE001 --stage2-extension-told D --reason TEXT",
    )
    assert refusal(extension_told, c._replace(stage2_extension=False), RULES, on=TODAY)[1] == (
        "SPRUCE001 has no Stage 2 extension to tell the resident about: record it with "
        "complaints extend SPRUCE001 --reason ..."
    )


# ---------------------------------------------------------------------------------------------
# record_payment


def awarded(**fields: Any) -> Any:
    values: dict[str, Any] = {
        "acknowledged": ACK_DUE,
        "stage1_responded": STAGE1_DUE,
        "compensation_amount": Decimal("1250.5"),
        "compensation_reasons": "Delay",
    }
    values.update(fields)
    return case(**values)


def test_payment_of_the_stage1_award() -> None:
    change = record_payment(awarded(), RULES, on=STAGE1_DUE, stage=None)
    assert (change.case.compensation_paid, change.case.stage2_compensation_paid) == (
        STAGE1_DUE,
        None,
    )
    assert change.messages == ["Stage 1 compensation £1,250.50 paid 20/02/2025"]
    assert refusal(record_payment, awarded(), RULES, on=date(2025, 2, 19), stage=None) == (
        "ComplaintsError",
        "payment date 19/02/2025 is before the Stage 1 response 20/02/2025",
    )
    closed = awarded(status=Status.CLOSED, closed=STAGE1_DUE)
    assert record_payment(closed, RULES, on=TODAY, stage=None).case.compensation_paid == TODAY


def test_payment_goes_to_the_unpaid_stage2_award_first() -> None:
    both = awarded(
        stage2_responded=date(2025, 3, 20),
        stage2_compensation_amount=Decimal(100),
    )
    change = record_payment(both, RULES, on=date(2025, 3, 20), stage=None)
    assert (change.case.stage2_compensation_paid, change.case.compensation_paid) == (
        date(2025, 3, 20),
        None,
    )
    assert change.messages == ["Stage 2 compensation £100.00 paid 20/03/2025"]
    assert refusal(record_payment, both, RULES, on=date(2025, 3, 19), stage=None)[1] == (
        "payment date 19/03/2025 is before the Stage 2 response 20/03/2025"
    )
    paid_2 = both._replace(stage2_compensation_paid=date(2025, 3, 21))
    assert record_payment(paid_2, RULES, on=TODAY, stage=None).case.compensation_paid == TODAY
    assert refusal(record_payment, paid_2, RULES, on=TODAY, stage=Stage.STAGE_2) == (
        "ConflictError",
        "SPRUCE001: the Stage 2 compensation is already recorded as paid on 21/03/2025 (a wrong "
        "date: complaints correct SPRUCE001 --stage2-compensation-paid DATE --reason TEXT)",
    )
    stage1_asked = record_payment(both, RULES, on=TODAY, stage=Stage.STAGE_1)
    assert stage1_asked.case.compensation_paid == TODAY


def test_payment_refusals() -> None:
    assert refusal(record_payment, case(), RULES, on=TODAY, stage=None) == (
        "ComplaintsError",
        "SPRUCE001 has no Stage 1 compensation recorded: record the award first (complaints "
        "correct SPRUCE001 --compensation AMOUNT --reason TEXT)",
    )
    assert refusal(record_payment, awarded(), RULES, on=TODAY, stage=Stage.STAGE_2)[1] == (
        "SPRUCE001 has no Stage 2 compensation recorded: record the award first (complaints "
        "correct SPRUCE001 --stage2-compensation AMOUNT --reason TEXT)"
    )
    paid = awarded(compensation_paid=date(2025, 2, 21))
    assert refusal(record_payment, paid, RULES, on=TODAY, stage=None) == (
        "ConflictError",
        "SPRUCE001: the Stage 1 compensation is already recorded as paid on 21/02/2025 (a wrong "
        "date: complaints correct SPRUCE001 --compensation-paid DATE --reason TEXT)",
    )
    void = awarded(status=Status.VOID, voided=TODAY)
    assert refusal(record_payment, void, RULES, on=TODAY, stage=None) == (
        "ConflictError",
        "SPRUCE001 is void: reopen it first to record a payment",
    )


# ---------------------------------------------------------------------------------------------
# refuse_escalation


def responded(**fields: Any) -> Any:
    return case(acknowledged=ACK_DUE, stage1_responded=STAGE1_DUE, **fields)


def refuse(c: Any, **kwargs: Any) -> Any:
    values: dict[str, Any] = {"received": date(2025, 3, 3), "reason": " Excluded ", "told": None}
    values.update(kwargs)
    return refuse_escalation(c, RULES, **values)


def test_refusal_recorded() -> None:
    change = refuse(responded())
    saved = change.case
    assert (saved.stage2_refused, saved.stage2_refused_reason) == (date(2025, 3, 3), "Excluded")
    assert saved.stage2_refusal_told is None
    assert (saved.stage, saved.escalated) == (Stage.STAGE_1, None)
    assert change.note == "Excluded"
    assert change.messages == ["Stage 2 request of 03/03/2025 refused: Excluded"]
    assert change.warnings == [
        f"SPRUCE001: {REFUSAL_NOTE}",
        "SPRUCE001: record when the resident was told: complaints refuse-escalation SPRUCE001 "
        "--received 03/03/2025 --told DATE",
    ]
    told = refuse(responded(), told=date(2025, 3, 3))
    assert told.case.stage2_refusal_told == date(2025, 3, 3)
    assert told.warnings == [f"SPRUCE001: {REFUSAL_NOTE}"]


def test_refusal_dates() -> None:
    assert refuse(responded(), received=STAGE1_DUE).case.stage2_refused == STAGE1_DUE
    assert refusal(refuse, responded(), received=date(2025, 2, 19)) == (
        "ComplaintsError",
        "escalation request date 19/02/2025 is before the Stage 1 response 20/02/2025",
    )
    assert refusal(refuse, responded(), told=date(2025, 3, 2)) == (
        "ComplaintsError",
        "date the resident was told 02/03/2025 is before the request 03/03/2025",
    )
    assert refusal(refuse, responded(), reason=None) == (
        "ComplaintsError",
        "--reason is required: why the escalation is refused",
    )


def test_refusal_told_added_later() -> None:
    first = refuse(responded()).case
    added = refuse(first, reason=None, told=date(2025, 3, 5))
    assert added.case.stage2_refusal_told == date(2025, 3, 5)
    assert added.messages == ["resident told of the refusal 05/03/2025"]
    assert refusal(refuse, first, reason=None, told=date(2025, 3, 2)) == (
        "ComplaintsError",
        "date the resident was told 02/03/2025 is before the request 03/03/2025",
    )
    already = (
        "ConflictError",
        "SPRUCE001: a Stage 2 request of 03/03/2025 is already recorded as refused (Excluded)",
    )
    assert refusal(refuse, first, reason="again") == already
    assert refusal(refuse, first, told=date(2025, 3, 5), received=date(2025, 3, 4)) == already
    told = first._replace(stage2_refusal_told=date(2025, 3, 4))
    assert refusal(refuse, told, told=date(2025, 3, 5)) == already


def test_refusal_refused_by_state() -> None:
    assert refusal(refuse, case(acknowledged=ACK_DUE)) == (
        "ConflictError",
        "SPRUCE001 has no Stage 1 response yet: a Stage 2 request comes after it (record the "
        "response with complaints respond SPRUCE001)",
    )
    for stage in (Stage.STAGE_2, Stage.OMBUDSMAN):
        assert refusal(refuse, responded(stage=stage)) == (
            "ConflictError",
            f"SPRUCE001 is already escalated ({stage}): nothing to refuse",
        )
    asked = responded(escalation_received=date(2025, 3, 3))
    assert (
        refusal(refuse, asked)[1] == "SPRUCE001 is already escalated (Stage 1): nothing to refuse"
    )
    assert refusal(refuse, responded(status=Status.WITHDRAWN, withdrawn=TODAY)) == (
        "ConflictError",
        "SPRUCE001 is withdrawn: there is no complaint to escalate",
    )
    assert refusal(refuse, responded(status=Status.VOID, voided=TODAY)) == (
        "ConflictError",
        "SPRUCE001 is void: reopen it first to record a refused escalation",
    )
    closed = refuse(responded(status=Status.CLOSED, closed=STAGE1_DUE))
    assert closed.case.stage2_refused == date(2025, 3, 3)


# ---------------------------------------------------------------------------------------------
# the Ombudsman


@pytest.mark.parametrize(
    ("text", "body"),
    [(None, OmbudsmanBody.HOS), ("", OmbudsmanBody.HOS), (" prs ", OmbudsmanBody.PRS)],
)
def test_parse_body(text: str | None, body: OmbudsmanBody) -> None:
    assert parse_body(text) is body


def test_parse_body_refusals() -> None:
    assert refusal(parse_body, "LGO") == ("ComplaintsError", "--body 'LGO' is not one of: HOS, PRS")
    assert refusal(parse_body, "LGO", "") == ("ComplaintsError", "'LGO' is not one of: HOS, PRS")


def omb(c: Any = None, **kwargs: Any) -> Any:
    values: dict[str, Any] = {
        "referred": None,
        "requested": None,
        "evidence_sent": None,
        "body": None,
    }
    values.update(kwargs)
    return ombudsman(c if c is not None else responded(), RULES, **values)


def test_referral() -> None:
    change = omb(referred=date(2025, 3, 3), body="prs")
    saved = change.case
    assert (saved.stage, saved.ombudsman_referred, saved.ombudsman_body) == (
        Stage.OMBUDSMAN,
        date(2025, 3, 3),
        OmbudsmanBody.PRS,
    )
    assert saved.ombudsman_requested is None and change.messages == []
    assert omb(referred=RECEIVED).case.ombudsman_referred == RECEIVED
    assert refusal(omb, referred=date(2025, 2, 2)) == (
        "ComplaintsError",
        "referral date 02/02/2025 is before the date received 03/02/2025",
    )
    assert refusal(omb) == (
        "ComplaintsError",
        "give --referred D, --requested D or --evidence-sent D",
    )


def test_evidence_request_and_reply() -> None:
    referred = omb(referred=date(2025, 3, 3)).case
    asked = omb(referred, requested=date(2025, 3, 3), body="PRS")
    # 15 working days from Monday 03/03/2025: Monday 24/03/2025.
    assert asked.messages == ["evidence due to the Ombudsman by 24/03/2025"]
    assert (asked.case.ombudsman_requested, asked.case.ombudsman_body) == (
        date(2025, 3, 3),
        OmbudsmanBody.HOS,
    )
    assert refusal(omb, referred, requested=date(2025, 3, 2)) == (
        "ComplaintsError",
        "evidence request date 02/03/2025 is before the referral 03/03/2025",
    )
    sent = omb(asked.case, evidence_sent=date(2025, 3, 3))
    assert (sent.case.ombudsman_evidence_sent, sent.messages) == (date(2025, 3, 3), [])
    assert refusal(omb, asked.case, evidence_sent=date(2025, 3, 2)) == (
        "ComplaintsError",
        "evidence date 02/03/2025 is before the Ombudsman's request 03/03/2025",
    )
    assert refusal(omb, referred, evidence_sent=TODAY) == (
        "ComplaintsError",
        "record the Ombudsman's request first (--requested D)",
    )
    both = omb(referred, requested=date(2025, 3, 4), evidence_sent=date(2025, 3, 4)).case
    assert (both.ombudsman_requested, both.ombudsman_evidence_sent) == (
        date(2025, 3, 4),
        date(2025, 3, 4),
    )
    unnamed = omb(responded(), requested=date(2025, 3, 4), body="prs").case
    assert (unnamed.stage, unnamed.ombudsman_body) == (Stage.OMBUDSMAN, OmbudsmanBody.PRS)


def test_a_further_request_reopens_the_evidence() -> None:
    replied = omb(
        omb(referred=date(2025, 3, 3)).case,
        requested=date(2025, 3, 3),
        evidence_sent=date(2025, 3, 5),
    ).case
    same_day = omb(replied, requested=date(2025, 3, 5)).case
    assert same_day.ombudsman_evidence_sent == date(2025, 3, 5)
    further = omb(replied, requested=date(2025, 3, 6))
    assert further.case.ombudsman_evidence_sent is None
    assert further.messages == ["evidence due to the Ombudsman by 27/03/2025"]
    answered = omb(replied, requested=date(2025, 3, 6), evidence_sent=date(2025, 3, 7)).case
    assert answered.ombudsman_evidence_sent == date(2025, 3, 7)


# ---------------------------------------------------------------------------------------------
# the order of events


def test_order_each_date_on_both_sides() -> None:
    for later, earlier in [
        ("received", "events_date"),
        ("acknowledged", "received"),
        ("stage1_responded", "acknowledged"),
        ("escalation_received", "stage1_responded"),
        ("stage2_acknowledged", "escalation_received"),
        ("stage2_responded", "stage2_acknowledged"),
        ("closed", "stage2_responded"),
        ("withdrawn", "acknowledged"),
        ("compensation_paid", "stage1_responded"),
        ("stage2_compensation_paid", "stage2_responded"),
    ]:
        values = {earlier: date(2025, 3, 10), later: date(2025, 3, 10)}
        assert order_findings(values) == [], (later, earlier)
        values[later] = date(2025, 3, 9)
        found = order_findings(values)
        assert [f for f, _ in found] == [later], (later, earlier)


def test_order_messages() -> None:
    bad = case(acknowledged=date(2025, 2, 2), closed=date(2025, 2, 1))
    assert order_problems(bad) == [
        "the acknowledgement 02/02/2025 is before the date received 03/02/2025",
        "the closing date 01/02/2025 is before the date received 03/02/2025",
        "the closing date 01/02/2025 is before the acknowledgement 02/02/2025",
    ]
    assert refusal(check_order, bad, "close") == (
        "ComplaintsError",
        "SPRUCE001: close refused: the acknowledgement 02/02/2025 is before the date received "
        "03/02/2025",
    )
    check_order(case(acknowledged=RECEIVED), "close")
    assert order_problems(case(), today=date(2025, 2, 2)) == [
        "the date received 03/02/2025 is in the future (today is 02/02/2025)"
    ]
    assert order_problems(case(), today=RECEIVED) == []
    assert order_findings({"received": "03/02/2025", "acknowledged": date(2025, 1, 1)}) == []


def test_order_stage_needs_an_escalation() -> None:
    assert order_findings({"stage": "Stage 2", "escalated": False}) == [
        (
            "escalated",
            "the stage is Stage 2, but 'Complaint escalated to Stage 2' says No: a case "
            "reaches Stage 2 by an escalation",
        )
    ]
    assert order_findings({"stage": "Stage 2", "escalated": None}) == []
    assert order_findings({"stage": "Stage 1", "escalated": False}) == []
    # A referral to the Ombudsman without a Stage 2 (the landlord refused to escalate, or the
    # Ombudsman stepped in early): complaints ombudsman records it, so the import takes it.
    assert order_findings({"stage": "Ombudsman", "escalated": False}) == []


def test_independence() -> None:
    assert independence_problem(case(stage2_handler=" SAM  patel")) == (
        "the Stage 2 handler must not be the Stage 1 handler (Sam Patel): Stage 2 is a review by "
        "a senior manager who has not been involved"
    )
    assert independence_problem(case(stage2_handler="Jo Reid")) is None
    assert independence_problem(case()) is None


def test_each_optional_text_is_named_when_it_holds_a_control_character() -> None:
    bad = "a\x00b"
    calls = {
        "--beyond-cap": lambda: ext(days=11, beyond_cap=bad),
        "--late": lambda: ext(agreed=date(2025, 2, 21), late=bad),
        "--reason": lambda: ext(reason=bad),
        "--reason ": lambda: refuse(responded(), reason=bad),
    }
    for what, call in calls.items():
        assert refusal(call)[1].startswith(f"{what.strip()} holds a control character"), what


def test_check_order_with_today() -> None:
    future = case(acknowledged=date(2025, 4, 1))
    assert refusal(check_order, future, "correct", TODAY) == (
        "ComplaintsError",
        "SPRUCE001: correct refused: the acknowledgement 01/04/2025 is in the future (today is "
        "31/03/2025)",
    )
    check_order(future, "correct")
    check_order(case(acknowledged=TODAY), "correct", TODAY)
    assert order_findings({"stage": None, "escalated": False}) == []


def test_an_evidence_request_is_after_the_complaint_was_received() -> None:
    assert refusal(omb, case(), requested=date(2025, 2, 2)) == (
        "ComplaintsError",
        "evidence request date 02/02/2025 is before the date received 03/02/2025",
    )
    assert omb(case(), requested=RECEIVED).case.ombudsman_requested == RECEIVED


def stage2_case(**fields: Any) -> Any:
    values: dict[str, Any] = {
        "stage": Stage.STAGE_2,
        "acknowledged": ACK_DUE,
        "stage1_responded": STAGE1_DUE,
        "escalated": True,
        "escalation_received": date(2025, 3, 3),
    }
    values.update(fields)
    return case(**values)


def test_stage2_extension_told_and_kept() -> None:
    told = ext(stage2_case(stage2_extension_told_on=date(2025, 3, 4)), agreed=date(2025, 3, 10))
    assert (told.case.stage2_extension_told, told.case.stage2_extension_told_on) == (
        True,
        date(2025, 3, 10),
    )
    earlier = stage2_case(stage2_extension_told=True, stage2_extension_told_on=date(2025, 3, 4))
    again = ext(earlier, agreed=date(2025, 3, 10), told=False).case
    assert (again.stage2_extension_told, again.stage2_extension_told_on) == (False, None)


def test_a_second_extension_keeps_the_day_the_first_was_agreed() -> None:
    first = ext(agreed=AGREED, days=5).case
    again = ext(first, new_date=date(2025, 3, 5), agreed=date(2025, 2, 12)).case
    assert again.stage1_extension_agreed == AGREED
    s2 = stage2_case(stage1_extension_agreed=date(2025, 2, 7))
    first2 = ext(s2, agreed=date(2025, 3, 10), days=5).case
    assert first2.stage2_extension_agreed == date(2025, 3, 10)
    again2 = ext(first2, new_date=date(2025, 4, 11), agreed=date(2025, 3, 12)).case
    assert (again2.stage2_extension_agreed, again2.stage1_extension_agreed) == (
        date(2025, 3, 10),
        date(2025, 2, 7),
    )


def test_nothing_to_extend() -> None:
    answered = case(acknowledged=ACK_DUE, stage1_responded=STAGE1_DUE)
    assert refusal(ext, answered) == (
        "ConflictError",
        "SPRUCE001's Stage 1 response was sent on 20/02/2025: nothing to extend",
    )
    import dataclasses

    fixed = dataclasses.replace(
        SPRUCE,
        milestones=tuple(dataclasses.replace(r, extendable=False) for r in SPRUCE.milestones),
    )
    rules = Rules(fixed, CALENDAR, TODAY)
    assert refusal(
        extend,
        case(acknowledged=ACK_DUE),
        rules,
        reason="x",
        days=1,
        new_date=None,
        told=True,
        beyond_cap=None,
        agreed=AGREED,
    ) == ("ConflictError", "the spruce profile has no extendable Stage 1 deadline for SPRUCE001")


def test_a_stage_without_a_cap_allows_no_extra_day() -> None:
    import dataclasses

    uncapped = dataclasses.replace(SPRUCE, extension_caps={})
    rules = Rules(uncapped, CALENDAR, TODAY)
    args: dict[str, Any] = {
        "reason": "x",
        "new_date": None,
        "told": True,
        "beyond_cap": None,
        "agreed": AGREED,
    }
    assert refusal(extend, case(acknowledged=ACK_DUE), rules, days=1, **args) == (
        "ComplaintsError",
        "21/02/2025 is 1 working days after the original deadline 20/02/2025; the spruce profile "
        "allows at most 0: choose an earlier date, or give --beyond-cap REASON",
    )
    assert refusal(extend, case(acknowledged=ACK_DUE), rules, days=None, **args)[1] == (
        "the new date 20/02/2025 must be after the current deadline 20/02/2025"
    )
