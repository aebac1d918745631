"""The rules of a case's life: what each lifecycle command changes, and what it refuses.

Pure functions. Each takes the case as it stands (a mapping of field -> value, as
:class:`~complaints_cli.store.models.Complaint` holds it), the handler's input and a :class:`Rules`
(the team's profile and calendar, and today's date), and returns a :class:`Change` - the fields
to set, actions to add or complete, and a note for the history - or raises
:class:`~complaints_cli.errors.ComplaintsError` with one line saying what is wrong and how to
put it right. The store applies a change in one transaction; nothing here touches a database.

The log's "Met ..." columns are worked out here from the profile's deadlines, never typed: a
late acknowledgement or response must carry the explanation that goes with its "No".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from complaints_cli.domain.deadlines import (
    INFORMAL_STAGE,
    CaseDates,
    Milestone,
    compute_milestones,
    is_finished_status,
    next_milestones,
)
from complaints_cli.domain.profiles import Profile
from complaints_cli.domain.workdays import Calendar
from complaints_cli.errors import ComplaintsError, ConflictError

REVIEWS = ("manager", "compensation", "panel")
BODIES = ("HOS", "PRS")
STAGE_KEY = {"Stage 1": "stage1", "Stage 2": "stage2"}

Case = Mapping[str, Any]


@dataclass(frozen=True)
class Rules:
    """What a rule needs besides the case: the team's timeframes and today's date."""

    profile: Profile
    calendar: Calendar
    today: date


@dataclass(frozen=True)
class NewAction:
    text: str
    owner: str
    due: date
    #: ``action`` (promised in a response), ``order`` or ``recommendation`` (an Ombudsman
    #: determination's).
    kind: str = "action"


@dataclass
class Change:
    """What a command does to a case; applied by the store in one transaction."""

    fields: dict[str, Any] = field(default_factory=dict)
    new_actions: list[NewAction] = field(default_factory=list)
    #: Action number -> the date it was done.
    done_actions: dict[int, date] = field(default_factory=dict)
    note: str | None = None
    #: One-line messages for the handler (what was worked out, what is due next).
    messages: list[str] = field(default_factory=list)
    #: Warnings for stderr (``complaints: warning: ...``): the command still succeeds.
    warnings: list[str] = field(default_factory=list)


def _uk(d: date) -> str:
    return d.strftime("%d/%m/%Y")


def same_person(a: str | None, b: str | None) -> bool:
    """``"Sam  Patel"`` and ``"sam patel"`` are one person; the Stage 2 rule depends on it."""
    norm = lambda s: " ".join((s or "").split()).casefold()  # noqa: E731
    return bool(a) and norm(a) == norm(b)


def _ref(case: Case) -> str:
    return str(case.get("reference") or "the case")


def require_open(case: Case) -> None:
    status = case.get("status", "Open")
    if is_finished_status(status):
        ref = _ref(case)
        word = "closed" if str(status).lower().startswith("closed") else "not accepted"
        raise ConflictError(f"{ref} is {word}: reopen it first (complaints reopen {ref})")


def check_date(value: date, what: str, case: Case, rules: Rules, *after: tuple[str, str]) -> None:
    """Refuse a date in the future, or before any of the case's named dates."""
    if value > rules.today:
        raise ComplaintsError(f"{what} {_uk(value)} is in the future (today is {_uk(rules.today)})")
    for field_name, label in after:
        earlier = case.get(field_name)
        if earlier is not None and value < earlier:
            raise ComplaintsError(f"{what} {_uk(value)} is before the {label} {_uk(earlier)}")


def case_dates(case: Case, **changes: Any) -> CaseDates:
    """The dates deadlines depend on, from a stored case (plus any changes about to be made)."""
    return CaseDates.from_mapping({**case, "stage2_review": case.get("review_type"), **changes})


_dates = case_dates


def _milestone(
    case: CaseDates, rules: Rules, *, log_column: str | None = None, key: str | None = None
) -> Milestone | None:
    for m in compute_milestones(case, rules.profile, rules.calendar, as_of=rules.today):
        if (log_column and m.log_column == log_column) or (key and m.key == key):
            return m
    return None


def _late(m: Milestone) -> str:
    limit = m.rule.limit_text
    return f"after its deadline {_uk(m.deadline)} ({limit} from {m.anchor_event} {_uk(m.anchor)})"


# --------------------------------------------------------------------------------------------
# acknowledge


ACK_COLUMN = "Met HOS acknowledgment timeframe"
STAGE1_COLUMN = "Met HOS code response timeframe?"
STAGE2_COLUMN = "Stage 2 HOS code timeframe met?"


def acknowledge(
    case: Case, rules: Rules, *, on: date, summary: str | None, reason: str | None
) -> Change:
    """Columns 8-10 at Stage 1 (the Yes/No worked out); the Stage 2 acknowledgement at Stage 2."""
    require_open(case)
    ref = _ref(case)
    if case.get("stage") == "Stage 2":
        if case.get("stage2_acknowledged"):
            raise ConflictError(
                f"{ref}'s Stage 2 request was already acknowledged on "
                f"{_uk(case['stage2_acknowledged'])}"
            )
        check_date(
            on,
            "acknowledgement date",
            case,
            rules,
            ("escalation_received", "date the escalation request was received"),
        )
        change = Change({"stage2_acknowledged": on})
        m = _milestone(_dates(case, stage2_acknowledged=on), rules, key="stage2_acknowledge")
        if m is not None:
            word = "within" if m.met else "after"
            change.messages.append(
                f"Stage 2 request acknowledged {_uk(on)}, {word} its deadline {_uk(m.deadline)}"
            )
        return change
    if case.get("stage") != "Stage 1":
        raise ConflictError(f"{ref} is at the {case.get('stage')} stage: nothing to acknowledge")
    if case.get("acknowledged"):
        raise ConflictError(f"{ref} was already acknowledged on {_uk(case['acknowledged'])}")
    check_date(on, "acknowledgement date", case, rules, ("received", "date received"))
    text = (summary or "").strip() or case.get("complaint_summary")
    if not text:
        raise ComplaintsError("--summary is required: the log's 'Summary of complaint' column")
    m = _milestone(_dates(case, acknowledged=on), rules, log_column=ACK_COLUMN)
    met = None if m is None else m.met
    note = (reason or "").strip() or None
    if met is False and not note:
        assert m is not None
        raise ComplaintsError(
            f"acknowledged {_uk(on)}, {_late(m)}: give --reason to explain the 'No' in the log"
        )
    change = Change(
        {
            "acknowledged": on,
            "complaint_summary": text,
            "ack_met": met,
            "ack_met_note": note if met is False else None,
        }
    )
    if m is not None:
        verdict = "within the timeframe" if met else "late"
        change.messages.append(f"Acknowledged {_uk(on)}: {verdict} (due {_uk(m.deadline)})")
    return change


# --------------------------------------------------------------------------------------------
# extend


def _open_stage(case: Case, what: str) -> str:
    """``stage1`` or ``stage2``: the stage whose response is still to come."""
    ref = _ref(case)
    stage = case.get("stage")
    key = STAGE_KEY.get(str(stage))
    if stage == INFORMAL_STAGE:
        raise ConflictError(
            f"{ref} is a service dissatisfaction: convert it to a Stage 1 complaint first "
            f"(complaints convert {ref})"
        )
    if key is None:
        raise ConflictError(f"{ref} is with the {stage}: there is no response to {what}")
    if case.get(f"{key}_responded"):
        raise ConflictError(
            f"{ref}'s {stage} response was sent on {_uk(case[f'{key}_responded'])}: "
            f"nothing to {what}"
        )
    return key


def extend(
    case: Case,
    rules: Rules,
    *,
    reason: str,
    days: int | None,
    new_date: date | None,
    told: bool,
    beyond_cap: str | None,
) -> Change:
    """Column 12 (Stage 1) or 21 (Stage 2): an extension within the profile's cap."""
    require_open(case)
    ref = _ref(case)
    if not reason.strip():
        raise ComplaintsError("--reason is required: the log records why the extension was needed")
    if days is not None and new_date is not None:
        raise ComplaintsError("give --days or --new-date, not both")
    if days is not None and days < 1:
        raise ComplaintsError(f"--days {days} must be at least 1 working day")
    stage = _open_stage(case, "extend")
    dates = _dates(case)
    m = next(
        (
            x
            for x in compute_milestones(dates, rules.profile, rules.calendar, as_of=rules.today)
            if x.rule.stage == stage and x.rule.extendable and x.done is None
        ),
        None,
    )
    if m is None:
        raise ConflictError(
            f"the {rules.profile.name} profile has no extendable {case.get('stage')} deadline "
            f"for {ref}"
        )
    cap = rules.profile.extension_cap(stage) or 0
    target = new_date or rules.calendar.add_working_days(m.due, days if days else cap)
    if target <= m.deadline:
        raise ComplaintsError(
            f"the new date {_uk(target)} must be after the current deadline {_uk(m.deadline)}"
        )
    extra = rules.calendar.working_days_between(m.due, target)
    text = reason.strip()
    if extra > cap:
        if not (beyond_cap or "").strip():
            raise ComplaintsError(
                f"{_uk(target)} is {extra} working days after the original deadline "
                f"{_uk(m.due)}; the {rules.profile.name} profile allows at most {cap}: "
                "choose an earlier date, or give --beyond-cap REASON"
            )
        text = f"{text} (beyond the {cap}-working-day limit: {beyond_cap.strip()})"  # type: ignore[union-attr]
    change = Change(
        {
            f"{stage}_extension": True,
            f"{stage}_extension_reason": text,
            f"{stage}_extended_to": target,
            f"{stage}_extension_told": told,
        }
    )
    change.messages.append(
        f"{case.get('stage')} response now due {_uk(target)} "
        f"({extra} working day(s) after the original {_uk(m.due)})"
    )
    if not told:
        change.messages.append(
            "warning: the Code (6.4) requires telling the resident of the extension, with the "
            "Ombudsman's contact details; record that with --told when done"
        )
    return change


# --------------------------------------------------------------------------------------------
# respond


def parse_money(text: str) -> Decimal:
    """``£1,250.00`` or ``50`` -> an exact amount in pounds with pence."""
    cleaned = text.strip().replace(",", "").removeprefix("£").strip()
    try:
        amount = Decimal(cleaned)
    except ArithmeticError:
        amount = Decimal("NaN")
    if not amount.is_finite() or amount < 0 or amount != amount.quantize(Decimal("0.01")):
        raise ComplaintsError(
            f"compensation {text!r} is not an amount in pounds and pence, e.g. 250 or £1,250.00"
        )
    return amount.quantize(Decimal("0.01"))


def respond(
    case: Case,
    rules: Rules,
    *,
    on: date,
    summary: str,
    stage: str | None,
    compensation: Decimal | None,
    compensation_reason: str | None,
    reason: str | None,
    actions: Sequence[NewAction],
) -> Change:
    """Stage 1 columns 11, 13-15, or Stage 2 columns 20, 22, 23; promised actions.

    A service dissatisfaction's response is recorded by :func:`process.respond_informal`.
    """
    require_open(case)
    ref = _ref(case)
    if case.get("stage") == INFORMAL_STAGE and stage is None:
        if compensation is not None or actions:
            raise ComplaintsError(
                f"{ref} is a service dissatisfaction: its response takes --summary and --date "
                f"only (convert it to a Stage 1 complaint first: complaints convert {ref})"
            )
        from complaints_cli.domain.process import respond_informal

        return respond_informal(case, rules, on=on, summary=summary)
    key = _open_stage(case, "respond to")
    if stage is not None and STAGE_KEY.get(stage) != key:
        raise ConflictError(
            f"{ref} is at {case.get('stage')}: "
            + (
                "escalate it before recording a Stage 2 response"
                if key == "stage1"
                else "its Stage 1 response is already recorded"
            )
        )
    if not summary.strip():
        raise ComplaintsError("--summary is required: what the response decided and why")
    after = [("received", "date received"), ("acknowledged", "acknowledgement")]
    if key == "stage2":
        after += [
            ("escalation_received", "escalation request"),
            ("stage2_acknowledged", "Stage 2 acknowledgement"),
        ]
    check_date(on, "response date", case, rules, *after)
    if compensation is not None and not (compensation_reason or "").strip():
        raise ComplaintsError("--compensation-reason is required with --compensation")
    if compensation is None and (compensation_reason or "").strip():
        raise ComplaintsError("--compensation-reason needs --compensation AMOUNT")
    for action in actions:
        if action.due < on:
            raise ComplaintsError(
                f"action {action.text!r} is due {_uk(action.due)}, before the response {_uk(on)}"
            )
    column = STAGE1_COLUMN if key == "stage1" else STAGE2_COLUMN
    m = _milestone(_dates(case, **{f"{key}_responded": on}), rules, log_column=column)
    met = None if m is None else m.met
    note = (reason or "").strip() or None
    if met is False and not note:
        assert m is not None
        raise ComplaintsError(
            f"responded {_uk(on)}, {_late(m)}: give --reason to explain the 'No' in the log"
        )
    pence = None if compensation is None else int(compensation * 100)
    reasons = (compensation_reason or "").strip() or None
    fields: dict[str, Any] = {
        f"{key}_responded": on,
        f"{key}_met": met,
        f"{key}_met_note": note if met is False else None,
    }
    if case.get(f"{key}_extension") is None:
        fields[f"{key}_extension"] = False  # the log's "No" in column 12 / 21
    if key == "stage1":
        fields |= {
            "stage1_response_summary": summary.strip(),
            "compensation_pence": pence,
            "compensation_reasons": reasons,
        }
    else:
        fields |= {
            "stage2_response_details": summary.strip(),
            "stage2_compensation_pence": pence,
            "stage2_compensation_reasons": reasons,
        }
    if actions:
        fields["last_update"] = on  # weekly updates on the actions count from the response
    change = Change(fields, new_actions=list(actions))
    if m is not None:
        if met:
            within = (
                "within the extension" if m.extended_to and on > m.due else "within the timeframe"
            )
        else:
            within = "late"
        change.messages.append(
            f"{case.get('stage')} response sent {_uk(on)}: {within} (due {_uk(m.deadline)})"
        )
    return change


# --------------------------------------------------------------------------------------------
# escalate, update, actions, close, reopen, learning, the Ombudsman


def escalate(
    case: Case, rules: Rules, *, received: date, review: str, details: str, handler: str
) -> Change:
    """Columns 16-19: the case moves to Stage 2, under a handler who was not involved."""
    require_open(case)
    ref = _ref(case)
    if case.get("stage") == INFORMAL_STAGE:
        raise ConflictError(
            f"{ref} is a service dissatisfaction: convert it to a Stage 1 complaint first "
            f"(complaints convert {ref})"
        )
    if case.get("stage") != "Stage 1":
        raise ConflictError(f"{ref} is already at {case.get('stage')}")
    kind = review.strip().lower().removesuffix(" review")
    kind = {"senior manager": "manager", "complaint review panel": "panel"}.get(kind, kind)
    if kind not in REVIEWS:
        raise ComplaintsError(f"--review {review!r} is not one of: {', '.join(REVIEWS)}")
    if not details.strip():
        raise ComplaintsError("--details is required: why the resident remains unhappy")
    if not handler.strip():
        raise ComplaintsError("--handler is required: the Stage 2 complaint handler")
    if same_person(handler, case.get("handler")):
        raise ConflictError(
            f"the Stage 2 handler must not be the Stage 1 handler ({case.get('handler')}): "
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
        case,
        rules,
        ("received", "date received"),
        ("stage1_responded", "Stage 1 response"),
    )
    change = Change(
        {
            "stage": "Stage 2",
            "escalated": True,
            "escalation_received": received,
            "escalation_details": details.strip(),
            "review_type": kind,
            "stage2_handler": " ".join(handler.split()),
        }
    )
    if not case.get("stage1_responded"):
        change.messages.append(f"note: {ref} is escalated before any Stage 1 response was recorded")
    from complaints_cli.domain.process import escalation_time_limit

    change.warnings += escalation_time_limit(case, rules, received)
    return change


def update(case: Case, rules: Rules, *, on: date, note: str, outstanding: int) -> Change:
    """A contact with the resident about outstanding actions: the weekly clock restarts."""
    require_open(case)
    if not note.strip():
        raise ComplaintsError("--note is required: what the resident was told")
    check_date(on, "update date", case, rules, ("received", "date received"))
    fields = {"last_update": on} if outstanding else {}
    return Change(fields, note=note.strip())


def action_done(
    case: Case, rules: Rules, *, number: int, on: date, actions: Sequence[Mapping[str, Any]]
) -> Change:
    """Mark action N done; when it was the last outstanding one, weekly updates stop."""
    require_open(case)
    ref = _ref(case)
    found = next((a for a in actions if a["number"] == number), None)
    if found is None:
        numbers = ", ".join(str(a["number"]) for a in actions) or "none"
        raise ComplaintsError(f"{ref} has no action {number} (its actions: {numbers})")
    if found["done"] is not None:
        raise ConflictError(f"action {number} of {ref} was already done on {_uk(found['done'])}")
    check_date(on, "completion date", case, rules, ("received", "date received"))
    still_open = [a for a in actions if a["done"] is None and a["number"] != number]
    change = Change(done_actions={number: on}, note=f"action {number} done: {found['text']}")
    if not still_open:
        change.fields["last_update"] = None
        change.messages.append(f"all actions of {ref} are done: it can be closed")
    return change


def close(
    case: Case, rules: Rules, *, on: date, outstanding: int, force_reason: str | None
) -> Change:
    """Close a case; refused while actions are outstanding unless forced with a reason."""
    require_open(case)
    ref = _ref(case)
    check_date(on, "closing date", case, rules, ("received", "date received"))
    reason = (force_reason or "").strip() or None
    if outstanding and not reason:
        raise ConflictError(
            f"{ref} has {outstanding} outstanding action(s): mark them done "
            f"(complaints action done {ref} N) or close with --force --reason TEXT"
        )
    fields: dict[str, Any] = {
        "status": "Closed",
        "closed": on,
        "close_reason": reason,
        "last_update": None,
    }
    if case.get("stage") == "Stage 1" and case.get("escalated") is None:
        fields["escalated"] = False  # the log's "No" in column 16
    return Change(fields)


def reopen(case: Case, rules: Rules, *, reason: str | None) -> Change:
    """Reopen a closed case, or one whose not-accepted decision is reversed."""
    if not is_finished_status(case.get("status")):
        raise ConflictError(f"{_ref(case)} is not closed")
    fields: dict[str, Any] = {"status": "Open", "closed": None, "close_reason": None}
    if str(case.get("status")).lower().startswith("not accepted"):
        fields |= {"not_accepted_reason": None, "not_accepted_told": None}
    return Change(fields, note=(reason or "").strip() or None)


def learning(case: Case, rules: Rules, *, text: str, replace_existing: bool) -> Change:
    """Column 24. Learning can be recorded at any time, on a closed case too; it is added to
    what is there unless ``replace_existing``."""
    new = text.strip()
    if not new:
        raise ComplaintsError("the learning text is empty")
    existing = (case.get("learning") or "").strip()
    value = new if replace_existing or not existing else f"{existing}\n{new}"
    return Change({"learning": value})


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
    fields: dict[str, Any] = {}
    name = (body or "HOS").strip().upper()
    if name not in BODIES:
        raise ComplaintsError(f"--body {body!r} is not one of: HOS, PRS")
    if referred is not None:
        check_date(referred, "referral date", case, rules, ("received", "date received"))
        fields |= {"ombudsman_referred": referred, "ombudsman_body": name, "stage": "Ombudsman"}
    if requested is not None:
        check_date(
            requested,
            "evidence request date",
            case,
            rules,
            ("received", "date received"),
            ("ombudsman_referred", "referral"),
        )
        fields |= {
            "ombudsman_requested": requested,
            "stage": "Ombudsman",
            "ombudsman_body": case.get("ombudsman_body") or name,
        }
        sent = case.get("ombudsman_evidence_sent")
        if evidence_sent is None and sent is not None and sent < requested:
            # A further request: the evidence sent for the last one does not answer it (the
            # history keeps the earlier request and reply).
            fields["ombudsman_evidence_sent"] = None
    if evidence_sent is not None:
        asked = requested or case.get("ombudsman_requested")
        if asked is None:
            raise ComplaintsError("record the Ombudsman's request first (--requested D)")
        check_date(
            evidence_sent,
            "evidence date",
            {**case, "ombudsman_requested": asked},
            rules,
            ("ombudsman_requested", "Ombudsman's request"),
        )
        fields["ombudsman_evidence_sent"] = evidence_sent
    change = Change(fields)
    m = _milestone(_dates({**case, **fields}), rules, key="ombudsman_evidence")
    if m is not None and m.done is None:
        change.messages.append(f"evidence due to the Ombudsman by {_uk(m.deadline)}")
    return change


# --------------------------------------------------------------------------------------------
# stored deadlines


def stored_deadlines(case: Case, profile: Profile, calendar: Calendar, key: str) -> dict[str, Any]:
    """The deadline columns kept on a case so ``due`` can filter with an index.

    ``next_due`` is the earliest deadline among the case's milestones not yet done (its
    ``next_milestone`` names it); a closed case has none. ``key`` records the profile and
    calendar they were worked out with, so a change of either is noticed and recomputed.
    """
    if is_finished_status(case.get("status")):
        return {"next_due": None, "next_milestone": None, "deadlines_key": key}
    dates = case_dates(case)
    pending = next_milestones(dates, profile, calendar, as_of=dates.received)
    if not pending:
        return {"next_due": None, "next_milestone": None, "deadlines_key": key}
    first = pending[0]
    return {"next_due": first.deadline, "next_milestone": first.key, "deadlines_key": key}
