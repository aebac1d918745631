"""The rest of the complaints process, as pure rules: what the log's 24 columns leave out.

Like :mod:`complaints_cli.domain.lifecycle`, each rule takes the case as stored (a mapping), the
handler's input and the :class:`~complaints_cli.domain.lifecycle.Rules`, and returns a
:class:`~complaints_cli.domain.lifecycle.Change` or raises a one-line
:class:`~complaints_cli.errors.ComplaintsError`. Nothing here touches a database.

* **Not accepted** (Spruce policy 2.2): a complaint excluded under the policy is recorded with
  the reason and the date the resident was told of their right to go to the Ombudsman.
* **Service dissatisfaction** (Southern Housing procedure 4.2): an informal case agreed with the
  resident, with its own response deadline; converting it makes it a Stage 1 complaint under
  the same reference, and the Stage 1 clock starts on the day of conversion.
* **Related issues** (Code 6.8): a new issue is folded into the open case while its response is
  still to come; otherwise it is logged as a new complaint linked to this one.
* **Vulnerability and reasonable adjustments** (Code 6.1; the policies' equality sections).
* **Complaint Review Panel** meeting (Southern Housing procedure 4.8.2).
* **The Ombudsman's determination** (Southern Housing procedure 4.10): findings, and each
  order or recommendation as an action with an owner and a due date.
* **Time limits** (Spruce policy 2.3 and the other policies): checked with a warning only; every
  policy keeps the discretion to accept a late complaint.
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from datetime import date
from typing import Any

from complaints_cli.domain.deadlines import INFORMAL_STAGE, compute_milestones, is_finished_status
from complaints_cli.domain.lifecycle import (
    Case,
    Change,
    NewAction,
    Rules,
    case_dates,
    check_date,
    require_open,
)
from complaints_cli.domain.profiles import Profile
from complaints_cli.errors import ComplaintsError, ConflictError

#: The kinds of case (``complaint.kind``).
COMPLAINT = "complaint"
SERVICE_DISSATISFACTION = "service dissatisfaction"
PETITION = "petition"
KINDS: tuple[str, ...] = (COMPLAINT, SERVICE_DISSATISFACTION, PETITION)
_KIND_WORDS = {
    "complaint": COMPLAINT,
    "formal": COMPLAINT,
    "dissatisfaction": SERVICE_DISSATISFACTION,
    "service dissatisfaction": SERVICE_DISSATISFACTION,
    "sd": SERVICE_DISSATISFACTION,
    "informal": SERVICE_DISSATISFACTION,
    "petition": PETITION,
}

#: The status of a complaint not accepted under the policy's exclusions.
NOT_ACCEPTED = "Not accepted"

#: An Ombudsman determination's actions (``action.kind``).
ORDER = "order"
RECOMMENDATION = "recommendation"

MAX_TEXT = 32_000


def _uk(d: date) -> str:
    return d.strftime("%d/%m/%Y")


def _ref(case: Case) -> str:
    return str(case.get("reference") or "the case")


def _text(value: str | None, what: str, *, required: bool = True) -> str | None:
    """Trimmed text; an empty required one, or one too long, is refused."""
    text = (value or "").strip()
    if not text:
        if required:
            raise ComplaintsError(f"{what} is required")
        return None
    if len(text) > MAX_TEXT:
        raise ComplaintsError(f"{what} is longer than {MAX_TEXT} characters")
    return text


def parse_kind(text: str | None) -> str:
    """``dissatisfaction`` / ``petition`` / ``complaint`` (and everyday variants) -> the kind."""
    if text is None:
        return COMPLAINT
    kind = _KIND_WORDS.get(" ".join(text.strip().lower().replace("-", " ").split()))
    if kind is None:
        raise ComplaintsError(
            f"--kind {text!r} is not one of: complaint, dissatisfaction (a service "
            "dissatisfaction, informal), petition"
        )
    return kind


def require_informal_stage(profile: Profile) -> None:
    """A service dissatisfaction needs a profile with its timeframe (refused otherwise)."""
    if not profile.has_informal_stage:
        raise ConflictError(
            f"the {profile.name} profile has no service dissatisfaction (informal) stage: log "
            "it as a complaint"
        )


# --------------------------------------------------------------------------------------------
# Time limits


def add_months(day: date, months: int) -> date:
    """``day`` plus calendar months, the day clamped to the month's end (31/01 + 1 -> 28/02)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def complaint_time_limit(profile: Profile, received: date, events: date | None) -> list[str]:
    """A warning when the events complained of are older than the policy's limit."""
    months = profile.time_limits.complaint_months
    if events is None or months is None:
        return []
    limit = add_months(events, months)
    if received <= limit:
        return []
    source = profile.time_limits.complaint_source or profile.label
    return [
        f"the events complained of ({_uk(events)}) are more than {months} months before the "
        f"complaint was received ({_uk(received)}): outside the policy's time limit ({source}); "
        "accept it only with a reason (e.g. a recurring problem), or record it as not accepted "
        "(complaints not-accepted)"
    ]


def escalation_time_limit(case: Case, rules: Rules, received: date) -> list[str]:
    """A warning when Stage 2 is asked for later than the policy's period after Stage 1."""
    responded: date | None = case.get("stage1_responded")
    limits = rules.profile.time_limits
    if responded is None:
        return []
    if limits.escalation_working_days is not None:
        limit = rules.calendar.add_working_days(responded, limits.escalation_working_days)
        period = f"{limits.escalation_working_days} working days"
    elif limits.escalation_months is not None:
        limit = add_months(responded, limits.escalation_months)
        period = f"{limits.escalation_months} months"
    else:
        return []
    if received <= limit:
        return []
    source = limits.escalation_source or rules.profile.label
    return [
        f"the Stage 2 request ({_uk(received)}) came more than {period} after the Stage 1 "
        f"response ({_uk(responded)}): the limit was {_uk(limit)} ({source}); escalated anyway, "
        "record why in the details if it was accepted late"
    ]


# --------------------------------------------------------------------------------------------
# Not accepted


def not_accepted(
    case: Case, rules: Rules, *, reason: str | None, told: date | None, on: date
) -> Change:
    """Record that a complaint is not accepted under the policy (or, later, when the resident
    was told of their right to go to the Ombudsman)."""
    ref = _ref(case)
    text = _text(reason, "--reason", required=False)
    if str(case.get("status", "")).lower().startswith("not accepted"):
        if text is not None or told is None:
            raise ConflictError(
                f"{ref} is already not accepted ({case.get('not_accepted_reason')}): give only "
                "--told D to record when the resident was told, or reopen it first"
            )
        check_date(told, "date told", case, rules, ("received", "date received"))
        return Change({"not_accepted_told": told})
    require_open(case)
    if text is None:
        raise ComplaintsError(
            "--reason is required: which exclusion of the policy applies (e.g. 'legal "
            "proceedings have started', 'a first-time request for service')"
        )
    if case.get("stage") not in ("Stage 1", INFORMAL_STAGE) or case.get("stage1_responded"):
        raise ConflictError(
            f"{ref} is past the decision to accept it ({case.get('stage')}"
            + (", Stage 1 response sent" if case.get("stage1_responded") else "")
            + "): close it instead"
        )
    check_date(on, "decision date", case, rules, ("received", "date received"))
    if told is not None:
        check_date(told, "date told", case, rules, ("received", "date received"))
    change = Change(
        {
            "status": NOT_ACCEPTED,
            "not_accepted_reason": text,
            "not_accepted_told": told,
            "last_update": None,
        },
        note=f"not accepted on {_uk(on)}",
    )
    if told is None:
        change.warnings.append(
            f"tell the resident why, and of their right to go to the Ombudsman, then record it: "
            f"complaints not-accepted {ref} --told DATE"
        )
    return change


# --------------------------------------------------------------------------------------------
# Service dissatisfaction


def _require_informal(case: Case, what: str) -> None:
    require_open(case)
    if case.get("stage") != INFORMAL_STAGE:
        raise ConflictError(
            f"{_ref(case)} is not a service dissatisfaction (it is at {case.get('stage')}): "
            f"nothing to {what}"
        )


def respond_informal(case: Case, rules: Rules, *, on: date, summary: str) -> Change:
    """The response to a service dissatisfaction (the case stays open until closed or converted)."""
    _require_informal(case, "respond to informally")
    ref = _ref(case)
    if case.get("informal_responded"):
        raise ConflictError(
            f"{ref}'s service dissatisfaction was answered on {_uk(case['informal_responded'])}: "
            f"close it, or convert it to a Stage 1 complaint (complaints convert {ref})"
        )
    text = _text(summary, "--summary")
    check_date(on, "response date", case, rules, ("informal_received", "date raised"))
    change = Change({"informal_responded": on}, note=text)
    change.messages += _verdict(
        case, rules, "dissatisfaction_response", "Answered", **change.fields
    )
    return change


def _verdict(case: Case, rules: Rules, key: str, done: str, **changes: Any) -> list[str]:
    """``Answered 24/12/2025: within the timeframe (due 30/12/2025)`` for milestone ``key``."""
    dates = case_dates({**case, **changes})
    for m in compute_milestones(dates, rules.profile, rules.calendar, as_of=rules.today):
        if m.key == key and m.done is not None:
            verdict = "within the timeframe" if m.met else "late"
            return [f"{done} {_uk(m.done)}: {verdict} (due {_uk(m.deadline)})"]
    return []


def convert(case: Case, rules: Rules, *, on: date) -> Change:
    """A service dissatisfaction becomes a Stage 1 complaint, same reference, history kept.

    The Stage 1 clock starts at conversion: ``received`` becomes the conversion date, and the
    date the dissatisfaction was raised stays in ``informal_received``.
    """
    _require_informal(case, "convert")
    check_date(on, "conversion date", case, rules, ("informal_received", "date raised"))
    return Change(
        {
            "kind": COMPLAINT,
            "stage": "Stage 1",
            "received": on,
            "converted_from_informal": on,
        },
        messages=[
            f"{_ref(case)} is now a Stage 1 complaint, received {_uk(on)} (raised informally "
            f"{_uk(case['informal_received'])})"
        ],
    )


# --------------------------------------------------------------------------------------------
# Related issues


def fold(case: Case, rules: Rules, *, issue: str, on: date) -> Change:
    """A new issue raised during the investigation, added to this case (Code 6.8)."""
    require_open(case)
    ref = _ref(case)
    text = _text(issue, "--issue")
    stage = str(case.get("stage"))
    responded = {
        "Stage 1": case.get("stage1_responded"),
        "Stage 2": case.get("stage2_responded"),
    }.get(stage)
    if stage == "Ombudsman" or responded is not None:
        raise ConflictError(
            f"{ref}'s {stage} response was already issued: log the new issue as a new "
            f"complaint linked to it (complaints log ... --related-to {ref}), Code 6.8"
        )
    check_date(on, "date raised", case, rules, ("received", "date received"))
    existing = (case.get("folded_issues") or "").strip()
    line = f"{_uk(on)}: {text}"
    return Change({"folded_issues": f"{existing}\n{line}" if existing else line})


def link(case: Case, rules: Rules, *, to_id: int, to_reference: str) -> Change:
    """Record that this complaint was raised from ``to_reference`` as a new issue."""
    if case.get("id") == to_id:
        raise ComplaintsError(f"{_ref(case)} cannot be related to itself")
    return Change(
        {"related_to_id": to_id},
        note=f"raised from {to_reference} (Code 6.8)",
        messages=[f"{_ref(case)} is linked to {to_reference}"],
    )


# --------------------------------------------------------------------------------------------
# Vulnerability


def vulnerability(
    case: Case,
    rules: Rules,
    *,
    vulnerable: bool | None,
    contact: str | None,
    adjustments: Sequence[str],
    notes: str | None,
) -> Change:
    """Vulnerability, preferred contact and reasonable adjustments; any time, closed too."""
    fields: dict[str, Any] = {}
    if vulnerable is not None:
        fields["vulnerable"] = vulnerable
    if contact is not None:
        value = _text(contact, "--contact")
        if value is not None and len(value) > 60:
            raise ComplaintsError(
                "--contact must be at most 60 characters (e.g. 'phone, mornings')"
            )
        fields["contact_preference"] = value
    added = [a for a in (_text(x, "--adjustment", required=False) for x in adjustments) if a]
    if added:
        existing = (case.get("adjustments") or "").strip()
        fields["adjustments"] = "\n".join([existing, *added] if existing else added)
    if notes is not None:
        fields["vulnerability_notes"] = _text(notes, "--notes", required=False)
    if not fields:
        raise ComplaintsError(
            "give --vulnerable/--not-vulnerable, --contact, --adjustment or --notes"
        )
    return Change(fields)


# --------------------------------------------------------------------------------------------
# Complaint Review Panel


def panel_meeting(case: Case, rules: Rules, *, on: date) -> Change:
    """When the Complaint Review Panel met (its own deadline, Southern Housing 4.8.2)."""
    require_open(case)
    ref = _ref(case)
    if case.get("stage") != "Stage 2" or case.get("review_type") != "panel":
        raise ConflictError(
            f"{ref} is not at a Stage 2 Complaint Review Panel (escalate it with --review panel)"
        )
    check_date(on, "meeting date", case, rules, ("escalation_received", "escalation request"))
    change = Change({"panel_meeting": on})
    change.messages += _verdict(case, rules, "panel_meeting", "Panel met", **change.fields)
    return change


# --------------------------------------------------------------------------------------------
# The Ombudsman's determination


def parse_action_spec(
    spec: str, kind: str, default_owner: str, parse: Any, number: int
) -> NewAction:
    """``"TEXT;OWNER;DUE"`` (owner may be empty: the handler) -> an order or recommendation."""
    parts = [p.strip() for p in spec.split(";")]
    what = f"--{kind} {number}"
    if len(parts) != 3:
        raise ComplaintsError(
            f"{what} {spec!r} must be 'TEXT;OWNER;DUE', e.g. 'Pay £300 compensation;Sam "
            "Patel;30/06/2025'"
        )
    text, owner, due_text = parts
    if not text:
        raise ComplaintsError(f"{what} has no text")
    if not due_text:
        raise ComplaintsError(f"{what} has no due date (the determination gives one)")
    due = parse(due_text, f"due date of {what}")
    return NewAction(text, owner or default_owner, due, kind)


def determination(
    case: Case,
    rules: Rules,
    *,
    on: date,
    findings: str,
    actions: Sequence[NewAction],
    body: str | None,
) -> Change:
    """The Ombudsman's determination: its date and findings; orders and recommendations are
    actions (in ``due`` until done; the case cannot be closed while any is outstanding)."""
    require_open(case)
    ref = _ref(case)
    if case.get("ombudsman_determined"):
        raise ConflictError(
            f"{ref}'s determination was already recorded on {_uk(case['ombudsman_determined'])}"
        )
    text = _text(findings, "--findings")
    check_date(
        on,
        "determination date",
        case,
        rules,
        ("received", "date received"),
        ("ombudsman_referred", "referral"),
        ("ombudsman_requested", "evidence request"),
    )
    for a in actions:
        if a.due < on:
            raise ComplaintsError(
                f"{a.kind} {a.text!r} is due {_uk(a.due)}, before the determination {_uk(on)}"
            )
    name = (body or case.get("ombudsman_body") or "HOS").strip().upper()
    if name not in ("HOS", "PRS"):
        raise ComplaintsError(f"--body {body!r} is not one of: HOS, PRS")
    change = Change(
        {
            "stage": "Ombudsman",
            "ombudsman_body": name,
            "ombudsman_determined": on,
            "ombudsman_findings": text,
        },
        new_actions=list(actions),
    )
    orders = sum(1 for a in actions if a.kind == ORDER)
    change.messages.append(
        f"Determination of {_uk(on)} recorded: {orders} order(s), "
        f"{len(actions) - orders} recommendation(s)"
    )
    return change


# --------------------------------------------------------------------------------------------
# Petitions and compliments: validation before anything is written


def signatory(name: str | None, address: str | None) -> tuple[str, str]:
    """A petition signatory's name and address (both required: procedure 4.11.1)."""
    n = _text(name, "--name")
    a = _text(address, "--address")
    assert n is not None and a is not None
    return " ".join(n.split()), a


def require_petition(case: Case) -> None:
    if case.get("kind") != PETITION:
        ref = _ref(case)
        raise ConflictError(
            f"{ref} is not a petition (it is a {case.get('kind') or COMPLAINT}): log a petition "
            "with complaints log --kind petition"
        )


def compliment(
    *,
    from_name: str | None,
    about: str | None,
    received: date,
    channel: str | None,
    details: str | None,
    today: date,
) -> dict[str, Any]:
    """A compliment's fields, validated (Spruce policy 3.2: telephone, email, writing, social)."""
    from complaints_cli.domain.intake import parse_channel

    if received > today:
        raise ComplaintsError(
            f"date received {_uk(received)} is in the future (today is {_uk(today)})"
        )
    who = _text(about, "--about")
    assert who is not None
    if len(who) > 200:
        raise ComplaintsError("--about must be at most 200 characters (a person or a team)")
    return {
        "from_name": _text(from_name, "--from"),
        "about": " ".join(who.split()),
        "received": received,
        "channel": None if channel is None else parse_channel(channel),
        "details": _text(details, "--details", required=False),
    }


__all__ = [
    "COMPLAINT",
    "KINDS",
    "NOT_ACCEPTED",
    "ORDER",
    "PETITION",
    "RECOMMENDATION",
    "SERVICE_DISSATISFACTION",
    "add_months",
    "complaint_time_limit",
    "compliment",
    "convert",
    "determination",
    "escalation_time_limit",
    "fold",
    "is_finished_status",
    "link",
    "not_accepted",
    "panel_meeting",
    "parse_action_spec",
    "parse_kind",
    "require_informal_stage",
    "require_petition",
    "respond_informal",
    "signatory",
    "vulnerability",
]


def checks_on_log(new: Any, profile: Profile) -> list[str]:
    """Before a new case is written: refuse what the profile cannot track, warn on time limits.

    ``new`` is an :class:`~complaints_cli.domain.intake.NewComplaint`.
    """
    if new.kind == SERVICE_DISSATISFACTION:
        require_informal_stage(profile)
    return complaint_time_limit(profile, new.received, new.events_date)
