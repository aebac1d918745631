"""What follows a response: the compensation paid, and a Stage 2 escalation refused.

* :func:`record_payment`: the day the compensation decided at a stage was paid. The log's
  column 15 (and 23) holds what was *awarded*; the annual report's "compensation paid" is what
  was paid, in the year it was paid, so the payment date is recorded on its own.
* :func:`refuse_escalation`: a Stage 2 request the landlord will not take. The Code requires a
  Stage 2 review when all or part of the complaint is unresolved at Stage 1 (Complaint Handling
  Code 2024, 6.10) and residents must not be asked to explain why they want it (6.12); a
  refusal is only for a complaint the policy excludes (Code 5.2), and the resident must be
  told in writing why, and of their right to refer it to the Housing Ombudsman (Code 5.6; the
  self-assessment in ``seeds/hos-code-2024-self-assessment-extract.txt``, 6.10, records each
  refusal and its reason). The refusal is kept apart from the escalation columns (16-19):
  the case never reaches Stage 2, and the annual report counts the refusals (Code 8.1(b)).

Both are pure rules over a :class:`~complaints_cli.domain.case.Case`; they raise
:class:`~complaints_cli.errors.ComplaintsError` (bad input) or
:class:`~complaints_cli.errors.ConflictError` (the case's state forbids it).
"""

from __future__ import annotations

from datetime import date

from complaints_cli.domain.case import Case
from complaints_cli.domain.rules import Change, Rules, check_date, uk
from complaints_cli.domain.text import required_text
from complaints_cli.domain.vocabulary import Stage, Status
from complaints_cli.errors import ComplaintsError, ConflictError

__all__ = ["record_payment", "refuse_escalation"]

#: What the refusal letter must say (Code 5.6, 6.10, 6.12).
REFUSAL_NOTE = (
    "the Code requires a Stage 2 review when the resident remains unhappy (Code 6.10, 6.12); "
    "refuse only a complaint the policy excludes, and tell the resident in writing why and "
    "that they may refer it to the Housing Ombudsman (Code 5.6)"
)


def _not_void(case: Case, what: str) -> None:
    if case.status is Status.VOID:
        raise ConflictError(f"{case.reference} is void: reopen it first to record {what}")


def record_payment(case: Case, rules: Rules, *, on: date, stage: Stage | None) -> Change:
    """The compensation decided at ``stage`` (``None``: Stage 2 if it has an unpaid award,
    else Stage 1) was paid on ``on``.

    Refused: no compensation recorded at that stage; already recorded as paid (a wrong date is
    put right with ``complaints correct``); a payment date in the future or before that
    stage's response. A closed case takes a payment (payments often follow the closure).
    """
    _not_void(case, "a payment")
    ref = case.reference
    if stage is None:
        unpaid_2 = case.stage2_compensation_amount and case.stage2_compensation_paid is None
        stage = Stage.STAGE_2 if unpaid_2 else Stage.STAGE_1
    if stage is Stage.STAGE_2:
        amount, paid, responded = (
            case.stage2_compensation_amount,
            case.stage2_compensation_paid,
            case.stage2_responded,
        )
        option, paid_option = "--stage2-compensation", "--stage2-compensation-paid"
    else:
        amount, paid, responded = (
            case.compensation_amount,
            case.compensation_paid,
            case.stage1_responded,
        )
        option, paid_option = "--compensation", "--compensation-paid"
    if not amount:
        raise ComplaintsError(
            f"{ref} has no {stage} compensation recorded: record the award first "
            f"(complaints correct {ref} {option} AMOUNT --reason TEXT)"
        )
    if paid is not None:
        raise ConflictError(
            f"{ref}: the {stage} compensation is already recorded as paid on {uk(paid)} "
            f"(a wrong date: complaints correct {ref} {paid_option} DATE --reason TEXT)"
        )
    check_date(on, "payment date", rules, (responded, f"{stage} response"))
    saved = (
        case._replace(stage2_compensation_paid=on)
        if stage is Stage.STAGE_2
        else case._replace(compensation_paid=on)
    )
    return Change(saved, messages=[f"{stage} compensation £{amount:,.2f} paid {uk(on)}"])


def refuse_escalation(
    case: Case, rules: Rules, *, received: date, reason: str | None, told: date | None
) -> Change:
    """Record that the Stage 2 escalation requested on ``received`` was refused, why, and
    (``told``) when the resident was told in writing.

    The case must have its Stage 1 response and not be at Stage 2 already. Run again with
    ``told`` on a refusal recorded without it, the date the resident was told is added. The
    Code's conditions for a refusal come back as a warning every time (:data:`REFUSAL_NOTE`).
    """
    _not_void(case, "a refused escalation")
    ref = case.reference
    if case.status is Status.WITHDRAWN:
        raise ConflictError(f"{ref} is withdrawn: there is no complaint to escalate")
    if case.stage in (Stage.STAGE_2, Stage.OMBUDSMAN) or case.escalation_received is not None:
        raise ConflictError(f"{ref} is already escalated ({case.stage}): nothing to refuse")
    if case.stage1_responded is None:
        raise ConflictError(
            f"{ref} has no Stage 1 response yet: a Stage 2 request comes after it (record the "
            f"response with complaints respond {ref})"
        )
    if case.stage2_refused is not None:
        adding_told = told is not None and case.stage2_refusal_told is None
        if adding_told and told is not None and received == case.stage2_refused:
            check_date(told, "date the resident was told", rules, (received, "request"))
            saved = case._replace(stage2_refusal_told=told)
            return Change(saved, messages=[f"resident told of the refusal {uk(told)}"])
        raise ConflictError(
            f"{ref}: a Stage 2 request of {uk(case.stage2_refused)} is already recorded as "
            f"refused ({case.stage2_refused_reason})"
        )
    why = required_text(reason, "--reason", hint=": why the escalation is refused")
    responded = (case.stage1_responded, "Stage 1 response")
    check_date(received, "escalation request date", rules, responded)
    if told is not None:
        check_date(told, "date the resident was told", rules, (received, "request"))
    saved = case._replace(
        stage2_refused=received, stage2_refused_reason=why, stage2_refusal_told=told
    )
    change = Change(saved, note=why, messages=[f"Stage 2 request of {uk(received)} refused: {why}"])
    change.warnings.append(f"{ref}: {REFUSAL_NOTE}")
    if told is None:
        change.warnings.append(
            f"{ref}: record when the resident was told: complaints refuse-escalation {ref} "
            f"--received {uk(received)} --told DATE"
        )
    return change
