"""The rules of a case's life through the log's 24 columns: what each command changes, and what
it refuses.

Pure functions over :class:`~complaints_cli.domain.case.Case` (see
:mod:`complaints_cli.domain.rules` for what they take and return). The log's "Met ..." columns
are worked out here from the profile's deadlines, never typed: a late acknowledgement or
response must carry the explanation that goes with its "No".

Sources: the Spruce procedure (acknowledge within 3 working days, respond within 10, escalate,
Stage 2 within 20, updates on outstanding actions weekly) and the Complaint Handling Code 2024
(6.4 extensions and telling the resident, 6.6 updates, 6.9 and 6.19 what a response says).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from complaints_cli.domain.case import Action, Case
from complaints_cli.domain.closures import REOPENED
from complaints_cli.domain.deadlines import (
    Milestone,
)
from complaints_cli.domain.derived import ACK_COLUMN, STAGE1_COLUMN, STAGE2_COLUMN
from complaints_cli.domain.informal import respond_informal
from complaints_cli.domain.order import check_order
from complaints_cli.domain.rules import (
    Change,
    NewAction,
    Rules,
    check_date,
    late_text,
    milestone,
    open_stage,
    require_open,
    require_review,
    same_person,
    uk,
)
from complaints_cli.domain.text import handler_name, optional_text, required_text
from complaints_cli.domain.time_limits import escalation_time_limit
from complaints_cli.domain.vocabulary import (
    Outcome,
    ReviewType,
    Stage,
    Status,
    words,
)
from complaints_cli.errors import ComplaintsError, ConflictError

__all__ = [
    "acknowledge",
    "action_done",
    "close",
    "escalate",
    "learning",
    "parse_review",
    "reopen",
    "respond",
    "update",
]


#: Everyday names of the Stage 2 reviews (Southern Housing calls them "Senior Manager
#: Review" and "Complaint Review Panel").
_REVIEW_WORDS = {
    "manager": ReviewType.MANAGER,
    "senior manager": ReviewType.MANAGER,
    "compensation": ReviewType.COMPENSATION,
    "panel": ReviewType.PANEL,
    "complaint review panel": ReviewType.PANEL,
}


# --------------------------------------------------------------------------------------------
# acknowledge


def acknowledge(
    case: Case, rules: Rules, *, on: date, summary: str | None, reason: str | None
) -> Change:
    """Columns 8-10 at Stage 1 (the Yes/No worked out); the Stage 2 acknowledgement at Stage 2."""
    require_open(case)
    ref = case.reference
    if case.stage is Stage.STAGE_2:
        if case.stage2_acknowledged:
            raise ConflictError(
                f"{ref}'s Stage 2 request was already acknowledged on "
                f"{uk(case.stage2_acknowledged)}"
            )
        check_date(
            on,
            "acknowledgement date",
            rules,
            (case.escalation_received, "date the escalation request was received"),
        )
        saved = case._replace(stage2_acknowledged=on)
        change = Change(saved)
        m = milestone(saved, rules, key="stage2_acknowledge")
        if m is not None:
            word = "within" if m.met else "after"
            change.messages.append(
                f"Stage 2 request acknowledged {uk(on)}, {word} its deadline {uk(m.deadline)}"
            )
        return change
    if case.stage is not Stage.STAGE_1:
        raise ConflictError(f"{ref} is at the {case.stage} stage: nothing to acknowledge")
    if case.acknowledged:
        raise ConflictError(f"{ref} was already acknowledged on {uk(case.acknowledged)}")
    check_date(on, "acknowledgement date", rules, (case.received, "date received"))
    text = optional_text(summary, "--summary") or case.complaint_summary
    if not text:
        raise ComplaintsError("--summary is required: the log's 'Summary of complaint' column")
    note = optional_text(reason, "--reason")
    m = milestone(case._replace(acknowledged=on), rules, log_column=ACK_COLUMN)
    met = None if m is None else m.met
    if m is not None and met is False and not note:
        raise ComplaintsError(
            f"acknowledged {uk(on)}, {late_text(m)}: give --reason to explain the 'No' in the log"
        )
    change = Change(
        case._replace(
            acknowledged=on,
            complaint_summary=text,
            ack_met=met,
            ack_met_note=note if met is False else None,
        )
    )
    if m is not None:
        verdict = "within the timeframe" if met else "late"
        change.messages.append(f"Acknowledged {uk(on)}: {verdict} (due {uk(m.deadline)})")
    return change


# --------------------------------------------------------------------------------------------
# respond


def respond(
    case: Case,
    rules: Rules,
    *,
    on: date,
    summary: str,
    stage: Stage | None,
    compensation: Decimal | None,
    compensation_reason: str | None,
    reason: str | None,
    actions: Sequence[NewAction],
    outcome: Outcome | None = None,
    paid: date | None = None,
) -> Change:
    """Stage 1 columns 11, 13-15, or Stage 2 columns 20, 22, 23; promised actions; the
    stage's outcome and, when already paid, the day the compensation was paid.

    The outcome is what the governing body is told (Code 8.1, 9.x: volumes, categories and
    outcomes); a response without one is recorded with a warning, never refused (an imported
    log has none). ``withdrawn`` is :func:`complaints_cli.domain.corrections.withdraw`'s.
    A service dissatisfaction's response is recorded by :func:`.informal.respond_informal`.
    """
    require_open(case)
    ref = case.reference
    if case.stage is Stage.INFORMAL and stage is None:
        if compensation is not None or actions:
            raise ComplaintsError(
                f"{ref} is a service dissatisfaction: its response takes --summary and --date "
                f"only (convert it to a Stage 1 complaint first: complaints convert {ref})"
            )
        return respond_informal(case, rules, on=on, summary=summary)
    at = open_stage(case, "respond to")
    if stage is not None and stage is not at:
        raise ConflictError(
            f"{ref} is at {case.stage}: "
            + (
                "escalate it before recording a Stage 2 response"
                if at is Stage.STAGE_1
                else "its Stage 1 response is already recorded"
            )
        )
    text = required_text(summary, "--summary", hint=": what the response decided and why")
    after: list[tuple[date | None, str]] = [
        (case.received, "date received"),
        (case.acknowledged, "acknowledgement"),
    ]
    if at is Stage.STAGE_2:
        after += [
            (case.escalation_received, "escalation request"),
            (case.stage2_acknowledged, "Stage 2 acknowledgement"),
        ]
    check_date(on, "response date", rules, *after)
    reasons = optional_text(compensation_reason, "--compensation-reason")
    if compensation is not None and not reasons:
        raise ComplaintsError("--compensation-reason is required with --compensation")
    if compensation is None and reasons:
        raise ComplaintsError("--compensation-reason needs --compensation AMOUNT")
    for action in actions:
        if action.due < on:
            raise ComplaintsError(
                f"action {action.text!r} is due {uk(action.due)}, before the response {uk(on)}"
            )
    if outcome is Outcome.WITHDRAWN:
        raise ComplaintsError(
            f"a withdrawn complaint has no response: record it with complaints withdraw {ref}"
        )
    if paid is not None:
        if compensation is None:
            raise ComplaintsError("--paid needs --compensation AMOUNT: what was paid")
        check_date(paid, "payment date", rules, (on, "response"))
    note = optional_text(reason, "--reason")
    if at is Stage.STAGE_1:
        m = milestone(case._replace(stage1_responded=on), rules, log_column=STAGE1_COLUMN)
    else:
        m = milestone(case._replace(stage2_responded=on), rules, log_column=STAGE2_COLUMN)
    met = None if m is None else m.met
    if m is not None and met is False and not note:
        raise ComplaintsError(
            f"responded {uk(on)}, {late_text(m)}: give --reason to explain the 'No' in the log"
        )
    late_note = note if met is False else None
    if at is Stage.STAGE_1:
        saved = case._replace(
            stage1_responded=on,
            stage1_met=met,
            stage1_met_note=late_note,
            # The log's "No" in column 12 when no extension was recorded.
            stage1_extension=False if case.stage1_extension is None else case.stage1_extension,
            stage1_response_summary=text,
            compensation_amount=compensation,
            compensation_reasons=reasons,
            compensation_paid=paid,
            stage1_outcome=outcome,
        )
    else:
        saved = case._replace(
            stage2_responded=on,
            stage2_met=met,
            stage2_met_note=late_note,
            stage2_extension=False if case.stage2_extension is None else case.stage2_extension,
            stage2_response_details=text,
            stage2_compensation_amount=compensation,
            stage2_compensation_reasons=reasons,
            stage2_compensation_paid=paid,
            stage2_outcome=outcome,
        )
    if actions:
        saved = saved._replace(last_update=on)  # weekly updates count from the response
    change = Change(saved, new_actions=list(actions))
    if m is not None:
        change.messages.append(f"{case.stage} response sent {uk(on)}: {_within(m, on)}")
    if outcome is None:
        option = "--outcome" if at is Stage.STAGE_1 else "--stage2-outcome"
        change.warnings.append(
            f"{ref}: no outcome recorded (upheld, partly upheld, not upheld, resolved); the "
            f"governing body's figures count it as unknown: complaints correct {ref} {option} "
            "OUTCOME --reason TEXT"
        )
    return change


def _within(m: Milestone, on: date) -> str:
    if not m.met:
        verdict = "late"
    elif m.extended_to and on > m.due:
        verdict = "within the extension"
    else:
        verdict = "within the timeframe"
    return f"{verdict} (due {uk(m.deadline)})"


# --------------------------------------------------------------------------------------------
# escalate, update, actions, close, reopen, learning, the Ombudsman


def parse_review(text: str) -> ReviewType:
    """``manager``, ``Compensation Review``, ``senior manager``, ``panel`` -> the review type."""
    word = " ".join(text.strip().lower().split()).removesuffix(" review")
    review = _REVIEW_WORDS.get(word)
    if review is None:
        raise ComplaintsError(f"--review {text!r} is not one of: {words(ReviewType)}")
    return review


def escalate(
    case: Case, rules: Rules, *, received: date, review: str, details: str, handler: str
) -> Change:
    """Columns 16-19: the case moves to Stage 2, under a handler who was not involved."""
    require_open(case)
    ref = case.reference
    if case.stage is Stage.INFORMAL:
        raise ConflictError(
            f"{ref} is a service dissatisfaction: convert it to a Stage 1 complaint first "
            f"(complaints convert {ref})"
        )
    if case.stage is not Stage.STAGE_1:
        raise ConflictError(f"{ref} is already at {case.stage}")
    kind = parse_review(review)
    why = required_text(details, "--details", hint=": why the resident remains unhappy")
    who = handler_name(handler, "--handler", hint=": the Stage 2 complaint handler")
    if same_person(who, case.handler):
        raise ConflictError(
            f"the Stage 2 handler must not be the Stage 1 handler ({case.handler}): "
            "Stage 2 is a review by a senior manager who has not been involved"
        )
    require_review(rules.profile, kind)
    check_date(
        received,
        "escalation date",
        rules,
        (case.received, "date received"),
        (case.stage1_responded, "Stage 1 response"),
    )
    change = Change(
        case._replace(
            stage=Stage.STAGE_2,
            escalated=True,
            escalation_received=received,
            escalation_details=why,
            review_type=kind,
            stage2_handler=" ".join(who.split()),
        ),
        warnings=escalation_time_limit(case, rules, received),
    )
    if not case.stage1_responded:
        change.messages.append(f"note: {ref} is escalated before any Stage 1 response was recorded")
    if case.stage2_refused is not None:
        change.messages.append(
            f"note: the Stage 2 request of {uk(case.stage2_refused)} was refused "
            f"({case.stage2_refused_reason}); the refusal stays on record and this escalation "
            "goes ahead"
        )
    return change


def update(case: Case, rules: Rules, *, on: date, note: str, outstanding: int) -> Change:
    """A contact with the resident about outstanding actions: the weekly clock restarts."""
    require_open(case)
    text = required_text(note, "--note", hint=": what the resident was told")
    check_date(on, "update date", rules, (case.received, "date received"))
    if outstanding and case.last_update is not None and on < case.last_update:
        raise ComplaintsError(
            f"update date {uk(on)} is before the last contact about the actions (the response "
            f"or an update) {uk(case.last_update)}: the weekly clock counts from the latest"
        )
    saved = case._replace(last_update=on) if outstanding else case
    return Change(saved, note=text)


def action_done(
    case: Case, rules: Rules, *, number: int, on: date, actions: Sequence[Action]
) -> Change:
    """Mark action N done; when it was the last outstanding one, weekly updates stop."""
    require_open(case)
    ref = case.reference
    found = next((a for a in actions if a.number == number), None)
    if found is None:
        numbers = ", ".join(str(a.number) for a in actions) or "none"
        raise ComplaintsError(f"{ref} has no action {number} (its actions: {numbers})")
    if found.done is not None:
        raise ConflictError(f"action {number} of {ref} was already done on {uk(found.done)}")
    promised = case.stage2_responded if found.stage is Stage.STAGE_2 else case.stage1_responded
    check_date(
        on,
        "completion date",
        rules,
        (case.received, "date received"),
        (promised, f"{found.stage} response that promised it"),
    )
    still_open = [a for a in actions if a.done is None and a.number != number]
    change = Change(case, done_actions={number: on}, note=f"action {number} done: {found.text}")
    if not still_open:
        change.case = case._replace(last_update=None)
        change.messages.append(f"all actions of {ref} are done: it can be closed")
    return change


def close(
    case: Case, rules: Rules, *, on: date, outstanding: int, force_reason: str | None
) -> Change:
    """Close a case; refused while actions are outstanding unless forced with a reason.

    Refused, forced or not, for a case never answered (at Stage 1 or a service
    dissatisfaction, with no response recorded): the procedure closes a case once the
    response is sent and the resident has not escalated within 20 working days (Spruce
    procedure, Stage 1); one that ends without an answer is withdrawn by the resident or not
    accepted under the policy, each recorded by its own command (Code 5.6: the resident is
    told why, and of the Ombudsman). So is a case at Stage 2 with no Stage 2 response: Stage 2
    is the landlord's final response (Code 6.10; every Stage 2 route of the seeds, a panel
    review included, ends with one), and one that ends without it is withdrawn (a refused
    escalation leaves the case at Stage 1). An imported log's closed cases are not judged:
    this is the command's rule, not the order of the dates."""
    require_open(case)
    ref = case.reference
    if case.stage is Stage.STAGE_2 and case.stage2_responded is None:
        raise ConflictError(
            f"{ref} has no Stage 2 response recorded: record it first (complaints respond {ref} "
            f"--summary TEXT), or if the resident withdrew the complaint, complaints withdraw "
            f"{ref} --reason TEXT"
        )
    answered = case.informal_responded if case.stage is Stage.INFORMAL else case.stage1_responded
    if case.stage in (Stage.STAGE_1, Stage.INFORMAL) and answered is None:
        raise ConflictError(
            f"{ref} has no response recorded: record it first (complaints respond {ref} "
            f"--summary TEXT), or if the resident withdrew the complaint, complaints withdraw "
            f"{ref} --reason TEXT, or if the policy does not accept it, complaints not-accepted "
            f"{ref} --reason TEXT"
        )
    check_date(on, "closing date", rules, (case.received, "date received"))
    reason = optional_text(force_reason, "--reason")
    if outstanding and not reason:
        raise ConflictError(
            f"{ref} has {outstanding} outstanding action(s): mark them done "
            f"(complaints action done {ref} N) or close with --force --reason TEXT"
        )
    saved = case._replace(status=Status.CLOSED, closed=on, close_reason=reason, last_update=None)
    if case.stage is Stage.STAGE_1 and case.escalated is None:
        saved = saved._replace(escalated=False)  # the log's "No" in column 16
    check_order(saved, "close")
    return Change(saved)


def reopen(
    case: Case,
    rules: Rules,
    *,
    reason: str | None,
    outstanding: int = 0,
    on: date | None = None,
) -> Change:
    """Reopen a closed case, one whose not-accepted decision is reversed, a withdrawn one the
    resident takes up again, or one voided by mistake (the history keeps what it was).

    With ``outstanding`` actions, the weekly updates on them are due again, counted from the
    day it is reopened (``on``, default today; Code 6.6), as closing had stopped them. The
    day may not be before the case was closed, withdrawn or voided. The history keeps the day
    it is reopened (``reopened``) beside the old values, so the reports and ``due --as-of``
    still see the past closure (:mod:`.closures`).
    """
    if not case.status.finished:
        raise ConflictError(f"{case.reference} is not closed")
    day = rules.today if on is None else on
    ended = case.closed or case.withdrawn or case.voided
    check_date(day, "reopening date", rules, (ended, f"day it was {case.status.value.lower()}"))
    saved = case._replace(status=Status.OPEN, closed=None, close_reason=None)
    if case.status is Status.NOT_ACCEPTED:
        saved = saved._replace(not_accepted_reason=None, not_accepted_told=None)
    elif case.status is Status.WITHDRAWN:
        saved = saved._replace(withdrawn=None, withdrawn_reason=None)
        if case.stage1_outcome is Outcome.WITHDRAWN:
            saved = saved._replace(stage1_outcome=None)
        if case.stage2_outcome is Outcome.WITHDRAWN:
            saved = saved._replace(stage2_outcome=None)
    elif case.status is Status.VOID:
        saved = saved._replace(voided=None, void_reason=None, duplicate_of_id=None)
    if outstanding:
        saved = saved._replace(last_update=day)
    return Change(saved, note=optional_text(reason, "--reason"), recorded={REOPENED: day})


def learning(
    case: Case, rules: Rules, *, text: str, replace_existing: bool, on: date | None = None
) -> Change:
    """Column 24. Learning can be recorded at any time, on a closed case too; it is added to
    what is there unless ``replace_existing``. ``on`` (default the rules' today: the tool's
    day, ``COMPLAINTS_TODAY`` included, as every command takes it) is the day it is recorded,
    kept in the history as ``learning_recorded``: the EMT report dates learning by it (the
    log has no column for it; the history entry's time is the computer's clock). Replacing
    learning already recorded rewords it: the history keeps the old text and the day as
    ``learning_replaced``, and the reports keep counting the learning once, on the day it was
    first recorded."""
    new = optional_text(text, "the learning text")
    if not new:
        raise ComplaintsError("the learning text is empty")
    day = rules.today if on is None else on
    check_date(day, "learning date", rules, (case.received, "date received"))
    existing = (case.learning or "").strip()
    value = new if replace_existing or not existing else f"{existing}\n{new}"
    key = "learning_replaced" if replace_existing and existing else "learning_recorded"
    return Change(case._replace(learning=value), recorded={key: day})
