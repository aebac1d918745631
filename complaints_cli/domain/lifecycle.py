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
from typing import NamedTuple

from complaints_cli.domain.case import Action, Case
from complaints_cli.domain.deadlines import (
    Milestone,
    compute_milestones,
    met_columns,
)
from complaints_cli.domain.informal import respond_informal
from complaints_cli.domain.open_milestones import OpenMilestone, open_milestones, state_on
from complaints_cli.domain.order import check_order
from complaints_cli.domain.profiles import Profile
from complaints_cli.domain.rules import (
    Change,
    NewAction,
    Rules,
    case_dates,
    check_date,
    late_text,
    milestone,
    require_open,
    same_person,
    uk,
)
from complaints_cli.domain.text import handler_name, optional_text, required_text
from complaints_cli.domain.time_limits import escalation_time_limit
from complaints_cli.domain.vocabulary import (
    OmbudsmanBody,
    Outcome,
    ReviewType,
    Stage,
    Status,
    words,
)
from complaints_cli.domain.workdays import Calendar
from complaints_cli.errors import ComplaintsError, ConflictError

__all__ = [
    "ACK_COLUMN",
    "MET_FIELDS",
    "STAGE1_COLUMN",
    "STAGE2_COLUMN",
    "Derived",
    "acknowledge",
    "action_done",
    "close",
    "derived",
    "escalate",
    "extend",
    "extension_told",
    "learning",
    "met_disagreements",
    "met_messages",
    "ombudsman",
    "parse_body",
    "parse_review",
    "reopen",
    "respond",
    "stored_deadlines",
    "update",
    "with_met_columns",
]

ACK_COLUMN = "Met HOS acknowledgment timeframe"
STAGE1_COLUMN = "Met HOS code response timeframe?"
STAGE2_COLUMN = "Stage 2 HOS code timeframe met?"

#: The two stages with a response, and the prefix of their fields.
_RESPONSE_STAGES = {Stage.STAGE_1: "stage1", Stage.STAGE_2: "stage2"}
#: The most working days ``extend --days`` takes (a year), even with ``--beyond-cap``.
MAX_EXTENSION_DAYS = 260

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
# extend


def _open_stage(case: Case, what: str) -> Stage:
    """Stage 1 or Stage 2: the stage whose response is still to come."""
    ref = case.reference
    stage = case.stage
    if stage is Stage.INFORMAL:
        raise ConflictError(
            f"{ref} is a service dissatisfaction: convert it to a Stage 1 complaint first "
            f"(complaints convert {ref})"
        )
    if stage not in _RESPONSE_STAGES:
        raise ConflictError(f"{ref} is with the {stage}: there is no response to {what}")
    responded = case.stage1_responded if stage is Stage.STAGE_1 else case.stage2_responded
    if responded:
        raise ConflictError(
            f"{ref}'s {stage} response was sent on {uk(responded)}: nothing to {what}"
        )
    return stage


def _extendable(case: Case, rules: Rules, stage: Stage) -> Milestone:
    key = _RESPONSE_STAGES[stage]
    m = next(
        (
            x
            for x in compute_milestones(
                case_dates(case), rules.profile, rules.calendar, as_of=rules.today
            )
            if x.rule.stage == key and x.rule.extendable and x.done is None
        ),
        None,
    )
    if m is None:
        raise ConflictError(
            f"the {rules.profile.name} profile has no extendable {stage} deadline for "
            f"{case.reference}"
        )
    return m


def extend(
    case: Case,
    rules: Rules,
    *,
    reason: str,
    days: int | None,
    new_date: date | None,
    told: bool,
    beyond_cap: str | None,
    agreed: date | None = None,
    late: str | None = None,
) -> Change:
    """Column 12 (Stage 1) or 21 (Stage 2): an extension within the profile's cap, agreed on
    ``agreed`` (default today).

    The Code (6.4) lets a landlord extend a response deadline when it tells the resident,
    within that deadline, why and until when. So an extension agreed after the deadline it
    extends is refused, unless ``late`` gives the reason it is recorded anyway; a late
    extension never makes a late response "within the extension" (the deadlines ignore it).
    ``told``: the resident was told, on the day it was agreed.
    """
    require_open(case)
    text = required_text(reason, "--reason", hint=": the log records why the extension was needed")
    if days is not None and new_date is not None:
        raise ComplaintsError("give --days or --new-date, not both")
    if days is not None and not 1 <= days <= MAX_EXTENSION_DAYS:
        raise ComplaintsError(
            f"--days {days} must be 1 to {MAX_EXTENSION_DAYS} working days (a year; the profile's "
            "limit is far less)"
        )
    stage = _open_stage(case, "extend")
    day = agreed or rules.today
    check_date(day, "agreement date", rules, (case.received, "date received"))
    m = _extendable(case, rules, stage)
    key = _RESPONSE_STAGES[stage]
    cap = rules.profile.extension_cap(key) or 0
    target = new_date or rules.calendar.add_working_days(m.due, days if days else cap)
    if target <= m.deadline:
        raise ComplaintsError(
            f"the new date {uk(target)} must be after the current deadline {uk(m.deadline)}"
        )
    extra = rules.calendar.working_days_between(m.due, target)
    if extra > cap:
        why = optional_text(beyond_cap, "--beyond-cap")
        if not why:
            raise ComplaintsError(
                f"{uk(target)} is {extra} working days after the original deadline "
                f"{uk(m.due)}; the {rules.profile.name} profile allows at most {cap}: "
                "choose an earlier date, or give --beyond-cap REASON"
            )
        text = f"{text} (beyond the {cap}-working-day limit: {why})"
    late_why = optional_text(late, "--late")
    is_late = day > m.deadline
    if is_late and not late_why:
        raise ComplaintsError(
            f"the extension is agreed on {uk(day)}, after the deadline it extends "
            f"({uk(m.deadline)}): the Code (6.4) needs the resident told within it; record it "
            "anyway with --late REASON (it will not count: the response is judged against "
            f"{uk(m.deadline)})"
        )
    if is_late:
        text = f"{text} (agreed late, on {uk(day)}: {late_why})"
    # A timely extension keeps the day the stage's first extension was agreed; a late one
    # records the late day, so the deadlines do not count it.
    first = case.stage1_extension_agreed if stage is Stage.STAGE_1 else case.stage2_extension_agreed
    agreed_on = day if is_late or first is None else first
    told_on = day if told else None
    if stage is Stage.STAGE_1:
        saved = case._replace(
            stage1_extension=True,
            stage1_extension_reason=text,
            stage1_extended_to=target,
            stage1_extension_told=told or bool(case.stage1_extension_told),
            stage1_extension_agreed=agreed_on,
            stage1_extension_told_on=told_on or case.stage1_extension_told_on,
        )
    else:
        saved = case._replace(
            stage2_extension=True,
            stage2_extension_reason=text,
            stage2_extended_to=target,
            stage2_extension_told=told or bool(case.stage2_extension_told),
            stage2_extension_agreed=agreed_on,
            stage2_extension_told_on=told_on or case.stage2_extension_told_on,
        )
    change = Change(saved)
    if is_late:
        change.messages.append(
            f"{stage} extension to {uk(target)} recorded late: it does not count, the response "
            f"is judged against {uk(m.deadline)}"
        )
    else:
        change.messages.append(
            f"{stage} response now due {uk(target)} "
            f"({extra} working day(s) after the original {uk(m.due)})"
        )
    if not told:
        change.messages.append(
            "warning: the Code (6.4) requires telling the resident of the extension, with the "
            f"Ombudsman's contact details, by {uk(m.deadline)}; record that with "
            f"complaints extend {case.reference} --told --date D when done"
        )
    return change


def extension_told(case: Case, rules: Rules, *, on: date) -> Change:
    """Record afterwards that the resident was told of the stage's extension, on ``on``.

    Told after the deadline the extension extends, it does not count (the Ombudsman: the
    resident must be told within the original timeframe); the message says so.
    """
    require_open(case)
    stage = case.stage
    if stage is Stage.STAGE_1:
        extended, original = case.stage1_extension, case.stage1_extended_to
    elif stage is Stage.STAGE_2:
        extended, original = case.stage2_extension, case.stage2_extended_to
    else:
        extended, original = None, None
    if not extended or original is None:
        raise ConflictError(
            f"{case.reference} has no {stage} extension to tell the resident about: record it "
            f"with complaints extend {case.reference} --reason ..."
        )
    check_date(on, "date told", rules, (case.received, "date received"))
    if stage is Stage.STAGE_1:
        if case.stage1_extension_told_on is not None:
            raise ConflictError(
                f"{case.reference}'s resident was already told on "
                f"{uk(case.stage1_extension_told_on)}"
            )
        saved = case._replace(stage1_extension_told=True, stage1_extension_told_on=on)
    else:
        if case.stage2_extension_told_on is not None:
            raise ConflictError(
                f"{case.reference}'s resident was already told on "
                f"{uk(case.stage2_extension_told_on)}"
            )
        saved = case._replace(stage2_extension_told=True, stage2_extension_told_on=on)
    change = Change(saved)
    counting = _extendable(
        case._replace(stage1_extended_to=None, stage2_extended_to=None), rules, stage
    )
    if on > counting.due:
        change.messages.append(
            f"told on {uk(on)}, after the deadline {uk(counting.due)}: the extension does not "
            f"count, the response is judged against {uk(counting.due)}"
        )
    else:
        change.messages.append(f"the resident was told of the extension on {uk(on)}")
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
    at = _open_stage(case, "respond to")
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
    if kind not in rules.profile.reviews:
        raise ConflictError(
            f"the {rules.profile.name} profile has no {kind} review at Stage 2 (it offers: "
            f"{', '.join(rules.profile.reviews)})"
        )
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
        )
    )
    if not case.stage1_responded:
        change.messages.append(f"note: {ref} is escalated before any Stage 1 response was recorded")
    change.warnings += escalation_time_limit(case, rules, received)
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
    """Close a case; refused while actions are outstanding unless forced with a reason."""
    require_open(case)
    ref = case.reference
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
    day may not be before the case was closed, withdrawn or voided.
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
    return Change(saved, note=optional_text(reason, "--reason"))


def learning(case: Case, rules: Rules, *, text: str, replace_existing: bool) -> Change:
    """Column 24. Learning can be recorded at any time, on a closed case too; it is added to
    what is there unless ``replace_existing``."""
    new = optional_text(text, "the learning text")
    if not new:
        raise ComplaintsError("the learning text is empty")
    existing = (case.learning or "").strip()
    value = new if replace_existing or not existing else f"{existing}\n{new}"
    return Change(case._replace(learning=value))


def parse_body(text: str | None, what: str = "--body") -> OmbudsmanBody:
    """``HOS`` (the default) or ``PRS``, in any case; ``what`` names the value in the message
    (``""``: the value alone, as a workbook cell's message gives it)."""
    name = (text or "HOS").strip().upper()
    try:
        return OmbudsmanBody(name)
    except ValueError:
        shown = f"{what} {text!r}" if what else repr(text)
        raise ComplaintsError(f"{shown} is not one of: {words(OmbudsmanBody)}") from None


def ombudsman(
    case: Case,
    rules: Rules,
    *,
    referred: date | None,
    requested: date | None,
    evidence_sent: date | None,
    body: str | None,
) -> Change:
    """A referral to the Housing Ombudsman (or PRS), its evidence request and our reply."""
    require_open(case)
    if referred is None and requested is None and evidence_sent is None:
        raise ComplaintsError("give --referred D, --requested D or --evidence-sent D")
    name = parse_body(body)
    saved = case
    if referred is not None:
        check_date(referred, "referral date", rules, (case.received, "date received"))
        saved = saved._replace(
            ombudsman_referred=referred, ombudsman_body=name, stage=Stage.OMBUDSMAN
        )
    if requested is not None:
        check_date(
            requested,
            "evidence request date",
            rules,
            (case.received, "date received"),
            (case.ombudsman_referred, "referral"),
        )
        saved = saved._replace(
            ombudsman_requested=requested,
            stage=Stage.OMBUDSMAN,
            ombudsman_body=case.ombudsman_body or name,
        )
        sent = case.ombudsman_evidence_sent
        if evidence_sent is None and sent is not None and sent < requested:
            # A further request: the evidence sent for the last one does not answer it (the
            # history keeps the earlier request and reply).
            saved = saved._replace(ombudsman_evidence_sent=None)
    if evidence_sent is not None:
        asked = requested or case.ombudsman_requested
        if asked is None:
            raise ComplaintsError("record the Ombudsman's request first (--requested D)")
        check_date(evidence_sent, "evidence date", rules, (asked, "Ombudsman's request"))
        saved = saved._replace(ombudsman_evidence_sent=evidence_sent)
    change = Change(saved)
    m = milestone(saved, rules, key="ombudsman_evidence")
    if m is not None and m.done is None:
        change.messages.append(f"evidence due to the Ombudsman by {uk(m.deadline)}")
    return change


# --------------------------------------------------------------------------------------------
# stored deadlines


#: The log's computed Yes/No columns: (column header, the flag field, its explanation field).
MET_FIELDS: tuple[tuple[str, str, str], ...] = (
    (ACK_COLUMN, "ack_met", "ack_met_note"),
    (STAGE1_COLUMN, "stage1_met", "stage1_met_note"),
    (STAGE2_COLUMN, "stage2_met", "stage2_met_note"),
)


def with_met_columns(case: Case, profile: Profile, calendar: Calendar) -> Case:
    """The case with its "Met ..." columns worked out again from its dates (columns 10, 13, 22).

    A column the dates can judge (its step is recorded) takes the judged Yes/No; one they
    cannot (the step's date is not in the log, as in many imported logs) keeps what was
    recorded. A "No" that becomes "Yes" loses its explanation (the history keeps it).
    """
    judged = met_columns(case_dates(case), profile, calendar)
    changes: dict[str, object] = {}
    for column, flag, note in MET_FIELDS:
        met = judged.get(column)
        if met is None or met == getattr(case, flag):
            continue
        changes[flag] = met
        if met:
            changes[note] = None
    return case._replace(**changes) if changes else case  # type: ignore[arg-type]


def met_disagreements(
    case: Case, profile: Profile, calendar: Calendar
) -> list[tuple[str, str, str]]:
    """``(column, recorded, judged)`` (``"Yes"``/``"No"``) for each Met column whose recorded
    value the case's dates contradict: an imported log's typed values, checked (issue 12)."""
    judged = met_columns(case_dates(case), profile, calendar)
    out = []
    for column, flag, _note in MET_FIELDS:
        recorded, met = getattr(case, flag), judged.get(column)
        if recorded is not None and met is not None and recorded != met:
            out.append((column, "Yes" if recorded else "No", "Yes" if met else "No"))
    return out


def met_messages(before: Case, after: Case) -> list[str]:
    """``Met HOS code response timeframe? is now No (was Yes)`` for each column that changed."""
    out = []
    for column, flag, _note in MET_FIELDS:
        old, new = getattr(before, flag), getattr(after, flag)
        if old != new and new is not None:
            was = "blank" if old is None else ("Yes" if old else "No")
            out.append(f"{column} is now {'Yes' if new else 'No'} (was {was})")
    return out


class Derived(NamedTuple):
    """A case as the store saves it: its derived columns worked out, and its open milestones
    (the rows of ``open_milestone``, see :mod:`complaints_cli.domain.open_milestones`)."""

    case: Case
    milestones: list[OpenMilestone]


def derived(
    case: Case, profile: Profile, calendar: Calendar, key: str, *, met: bool = True
) -> Derived:
    """Everything the log works out rather than records: the Met columns (unless ``met`` is
    False: the import keeps the Met columns a workbook typed), the stored deadlines and the
    open milestones. Applied by the store to every case it saves, so none can go stale."""
    if met:
        case = with_met_columns(case, profile, calendar)
    milestones = open_milestones(case, profile, calendar)
    return Derived(_with_next_due(case, milestones, key), milestones)


def stored_deadlines(case: Case, profile: Profile, calendar: Calendar, key: str) -> Case:
    """The case with the deadline columns kept so ``due`` can filter with an index.

    ``next_due`` is the earliest deadline among the case's milestones not yet done (its
    ``next_milestone`` names it); a closed case has none. ``key`` records the profile and
    calendar they were worked out with, so a change of either is noticed and recomputed.
    """
    return derived(case, profile, calendar, key, met=False).case


def _with_next_due(case: Case, milestones: Sequence[OpenMilestone], key: str) -> Case:
    """``next_due``: the soonest deadline of those :func:`.next_milestones` lists on the day
    the case was received (the first in the profile's order on a tie)."""
    received = case.received
    pending = [
        m for m in milestones if state_on(m.window, m.while_open, m.due, m.deadline, received)
    ]
    if not pending:
        return case._replace(next_due=None, next_milestone=None, deadlines_key=key)
    first = min(pending, key=lambda m: m.deadline)
    return case._replace(next_due=first.deadline, next_milestone=first.key, deadlines_key=key)
