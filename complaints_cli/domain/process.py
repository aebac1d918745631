"""The rest of the complaints process, as pure rules: what the log's 24 columns leave out.

Like :mod:`complaints_cli.domain.lifecycle`, each rule takes the case as stored, the handler's
input and the :class:`~complaints_cli.domain.rules.Rules`, and returns a
:class:`~complaints_cli.domain.rules.Change` or raises a one-line
:class:`~complaints_cli.errors.ComplaintsError`. Nothing here touches a database.

* **Not accepted** (Spruce policy 2.2): a complaint excluded under the policy is recorded with
  the reason and the date the resident was told of their right to go to the Ombudsman.
* **Related issues** (Code 6.8): a new issue is folded into the open case while its response is
  still to come; otherwise it is logged as a new complaint linked to this one.
* **Vulnerability and reasonable adjustments** (Code 6.1; the policies' equality sections).
* **Complaint Review Panel** meeting (Southern Housing procedure 4.8.2).
* **The Ombudsman's determination** (Southern Housing procedure 4.10): findings, and each
  order or recommendation as an action with an owner and a due date.
* **Petitions** (4.11) and **compliments** (Spruce policy, section 3): checked before anything
  is written.

Service dissatisfactions are in :mod:`complaints_cli.domain.informal`; the policies' time
limits in :mod:`complaints_cli.domain.time_limits`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from complaints_cli.domain.case import Case
from complaints_cli.domain.informal import require_informal_stage, verdict
from complaints_cli.domain.intake import NewComplaint, parse_channel
from complaints_cli.domain.ombudsman_stage import parse_body
from complaints_cli.domain.presentation import field_label
from complaints_cli.domain.profiles import Profile
from complaints_cli.domain.rules import (
    Change,
    NewAction,
    Rules,
    check_date,
    require_open,
    require_review,
    uk,
)
from complaints_cli.domain.text import optional_text, person_key, required_text, single_spaced
from complaints_cli.domain.time_limits import complaint_time_limit
from complaints_cli.domain.vocabulary import (
    ActionKind,
    CaseKind,
    Channel,
    ReviewType,
    Stage,
    Status,
)
from complaints_cli.errors import ComplaintsError, ConflictError

__all__ = [
    "Compliment",
    "checks_on_log",
    "compliment",
    "determination",
    "fold",
    "link",
    "not_accepted",
    "panel_meeting",
    "parse_action_spec",
    "parse_kind",
    "require_petition",
    "signatory",
    "vulnerability",
]

_KIND_WORDS = {
    "complaint": CaseKind.COMPLAINT,
    "formal": CaseKind.COMPLAINT,
    "dissatisfaction": CaseKind.SERVICE_DISSATISFACTION,
    "service dissatisfaction": CaseKind.SERVICE_DISSATISFACTION,
    "sd": CaseKind.SERVICE_DISSATISFACTION,
    "informal": CaseKind.SERVICE_DISSATISFACTION,
    "petition": CaseKind.PETITION,
}


def parse_kind(text: str | None) -> CaseKind:
    """``dissatisfaction`` / ``petition`` / ``complaint`` (and everyday variants) -> the kind."""
    if text is None:
        return CaseKind.COMPLAINT
    kind = _KIND_WORDS.get(" ".join(text.strip().lower().replace("-", " ").split()))
    if kind is None:
        raise ComplaintsError(
            f"--kind {text!r} is not one of: complaint, dissatisfaction (a service "
            "dissatisfaction, informal), petition"
        )
    return kind


def checks_on_log(new: NewComplaint, profile: Profile) -> list[str]:
    """Before a new case is written: refuse what the profile cannot track, warn on time limits."""
    if new.kind is CaseKind.SERVICE_DISSATISFACTION:
        require_informal_stage(profile)
    return complaint_time_limit(profile, new.received, new.events_date)


# --------------------------------------------------------------------------------------------
# Not accepted


def not_accepted(
    case: Case, rules: Rules, *, reason: str | None, told: date | None, on: date
) -> Change:
    """Record that a complaint is not accepted under the policy (or, later, when the resident
    was told of their right to go to the Ombudsman)."""
    ref = case.reference
    text = optional_text(reason, "--reason")
    if case.status is Status.NOT_ACCEPTED:
        if text is not None or told is None:
            raise ConflictError(
                f"{ref} is already not accepted ({case.not_accepted_reason}): give only "
                "--told D to record when the resident was told, or reopen it first"
            )
        check_date(told, "date told", rules, (case.received, "date received"))
        return Change(case._replace(not_accepted_told=told))
    require_open(case)
    if text is None:
        raise ComplaintsError(
            "--reason is required: which exclusion of the policy applies (e.g. 'legal "
            "proceedings have started', 'a first-time request for service')"
        )
    if case.stage not in (Stage.STAGE_1, Stage.INFORMAL) or case.stage1_responded:
        raise ConflictError(
            f"{ref} is past the decision to accept it ({case.stage}"
            + (", Stage 1 response sent" if case.stage1_responded else "")
            + "): close it instead"
        )
    check_date(on, "decision date", rules, (case.received, "date received"))
    if told is not None:
        check_date(told, "date told", rules, (case.received, "date received"))
    change = Change(
        case._replace(
            status=Status.NOT_ACCEPTED,
            not_accepted_reason=text,
            not_accepted_told=told,
            last_update=None,
        ),
        note=f"not accepted on {uk(on)}",
    )
    if told is None:
        change.warnings.append(
            f"tell the resident why, and of their right to go to the Ombudsman, then record it: "
            f"complaints not-accepted {ref} --told DATE"
        )
    return change


# --------------------------------------------------------------------------------------------
# Related issues


def fold(case: Case, rules: Rules, *, issue: str, on: date) -> Change:
    """A new issue raised during the investigation, added to this case (Code 6.8)."""
    require_open(case)
    ref = case.reference
    text = required_text(issue, "--issue")
    responded = {
        Stage.STAGE_1: case.stage1_responded,
        Stage.STAGE_2: case.stage2_responded,
    }.get(case.stage)
    if case.stage is Stage.OMBUDSMAN or responded is not None:
        raise ConflictError(
            f"{ref}'s {case.stage} response was already issued: log the new issue as a new "
            f"complaint linked to it (complaints log ... --related-to {ref}), Code 6.8"
        )
    check_date(on, "date raised", rules, (case.received, "date received"))
    existing = (case.folded_issues or "").strip()
    line = f"{uk(on)}: {text}"
    return Change(case._replace(folded_issues=f"{existing}\n{line}" if existing else line))


def link(case: Case, rules: Rules, *, to_id: int, to_reference: str) -> Change:
    """Record that this complaint was raised from ``to_reference`` as a new issue."""
    if case.id == to_id:
        raise ComplaintsError(f"{case.reference} cannot be related to itself")
    return Change(
        case._replace(related_to_id=to_id),
        note=f"raised from {to_reference} (Code 6.8)",
        messages=[f"{case.reference} is linked to {to_reference}"],
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
    saved = case
    if vulnerable is not None:
        saved = saved._replace(vulnerable=vulnerable)
    if contact is not None:
        value = required_text(contact, "--contact")
        if len(value) > 60:
            raise ComplaintsError(
                "--contact must be at most 60 characters (e.g. 'phone, mornings')"
            )
        saved = saved._replace(contact_preference=value)
    added = [a for a in (optional_text(x, "--adjustment") for x in adjustments) if a]
    if added:
        existing = (case.adjustments or "").strip()
        saved = saved._replace(adjustments="\n".join([existing, *added] if existing else added))
    if notes is not None:
        saved = saved._replace(vulnerability_notes=optional_text(notes, "--notes"))
    if vulnerable is None and contact is None and not added and notes is None:
        raise ComplaintsError(
            "give --vulnerable/--not-vulnerable, --contact, --adjustment or --notes"
        )
    return Change(saved)


# --------------------------------------------------------------------------------------------
# Complaint Review Panel


def panel_meeting(case: Case, rules: Rules, *, on: date) -> Change:
    """When the Complaint Review Panel met (its own deadline, Southern Housing 4.8.2)."""
    require_open(case)
    require_review(rules.profile, ReviewType.PANEL)
    if case.stage is not Stage.STAGE_2 or case.review_type is not ReviewType.PANEL:
        raise ConflictError(
            f"{case.reference} is not at a Stage 2 Complaint Review Panel (escalate it with "
            "--review panel)"
        )
    check_date(on, "meeting date", rules, (case.escalation_received, "escalation request"))
    saved = case._replace(panel_meeting=on)
    change = Change(saved)
    change.messages += verdict(saved, rules, "panel_meeting", "Panel met")
    return change


# --------------------------------------------------------------------------------------------
# The Ombudsman's determination


def parse_action_spec(
    spec: str,
    kind: ActionKind,
    default_owner: str,
    parse: Callable[[str, str], date],
    number: int,
) -> NewAction:
    """``"TEXT;OWNER;DUE"`` (owner may be empty: the handler) -> an order or recommendation.

    ``parse(text, what)`` reads the due date.
    """
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
    return NewAction(
        required_text(text, what),
        single_spaced(optional_text(owner, f"owner of {what}")) or default_owner,
        due,
        kind,
    )


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
    ref = case.reference
    if case.ombudsman_determined:
        raise ConflictError(
            f"{ref}'s determination was already recorded on {uk(case.ombudsman_determined)}"
        )
    text = required_text(findings, "--findings")
    check_date(
        on,
        "determination date",
        rules,
        (case.received, "date received"),
        (case.ombudsman_referred, "referral"),
        (case.ombudsman_requested, "evidence request"),
    )
    for a in actions:
        if a.due < on:
            raise ComplaintsError(
                f"{a.kind} {a.text!r} is due {uk(a.due)}, before the determination {uk(on)}"
            )
    name = parse_body(body if body is not None else case.ombudsman_body)
    change = Change(
        case._replace(
            stage=Stage.OMBUDSMAN,
            ombudsman_body=name,
            ombudsman_determined=on,
            ombudsman_findings=text,
        ),
        new_actions=list(actions),
    )
    orders = sum(1 for a in actions if a.kind is ActionKind.ORDER)
    change.messages.append(
        f"Determination of {uk(on)} recorded: {orders} order(s), "
        f"{len(actions) - orders} recommendation(s)"
    )
    return change


# --------------------------------------------------------------------------------------------
# Petitions and compliments: validation before anything is written


def signatory(
    name: str | None, address: str | None, *, what: tuple[str, str] = ("--name", "--address")
) -> tuple[str, str]:
    """A petition signatory's name (single-spaced) and address (trimmed, line breaks kept),
    both required (procedure 4.11.1) and checked as all text is
    (:func:`~complaints_cli.domain.text.required_text`); ``what`` names the two in messages
    (the options, or an import's cell). Raises :class:`ComplaintsError`."""
    who = required_text(name, what[0])
    where = required_text(address, what[1])
    return " ".join(who.split()), where


def signatory_key(name: str, address: str) -> tuple[str, str]:
    """What makes two signatures the same person's: the name and the address with case,
    accents and spacing ignored (:func:`~complaints_cli.domain.text.person_key`: ``raj  SINGH``
    at ``Flat 3`` signed as ``Raj Singh`` at ``flat 3``, ``lukasz nowak`` as ``Łukasz
    Nowak``). One person signs a petition once (``signatory add`` and the import both refuse a
    second)."""
    return person_key(name), person_key(address)


def signatory_findings(
    values: Mapping[str, object], today: date | None = None
) -> list[tuple[str, str]]:
    """``("signatories", message)`` for each way an imported row's signatories break what
    ``signatory add`` enforces: only a petition has signatories (Southern Housing procedure
    4.11.1; ``kind`` blank counts as a complaint, as an import stores it), and none was added
    after ``today``. ``values``: the row's fields by name, as an import holds them."""
    signed = values.get("signatories")
    if not signed or not isinstance(signed, tuple | list):
        return []
    out: list[tuple[str, str]] = []
    kind = str(values.get("kind") or CaseKind.COMPLAINT.value)
    if kind != CaseKind.PETITION.value:
        out.append(
            (
                "signatories",
                f"only a petition has signatories, and this case is a {kind}: set its "
                f"'{field_label('kind')}' to petition, or empty this cell",
            )
        )
    for n, person in enumerate(signed, start=1):
        added = getattr(person, "added", None)
        if today is not None and isinstance(added, date) and added > today:
            out.append(
                (
                    "signatories",
                    f"signatory {n} ({getattr(person, 'name', '?')}) was added on {uk(added)}, "
                    f"which is in the future (today is {uk(today)})",
                )
            )
    return out


def require_petition(case: Case) -> None:
    if case.kind is not CaseKind.PETITION:
        raise ConflictError(
            f"{case.reference} is not a petition (it is a {case.kind}): log a petition with "
            "complaints log --kind petition"
        )


@dataclass(frozen=True)
class Compliment:
    """A compliment received (Spruce policy, section 3): counted in the EMT report."""

    from_name: str
    about: str
    received: date
    channel: Channel | None
    details: str | None


def compliment(
    *,
    from_name: str | None,
    about: str | None,
    received: date,
    channel: str | None,
    details: str | None,
    today: date,
) -> Compliment:
    """A compliment's fields, validated (Spruce policy 3.2: telephone, email, writing, social)."""
    if received > today:
        raise ComplaintsError(
            f"date received {uk(received)} is in the future (today is {uk(today)})"
        )
    who = required_text(about, "--about")
    if len(who) > 200:
        raise ComplaintsError("--about must be at most 200 characters (a person or a team)")
    return Compliment(
        from_name=" ".join(required_text(from_name, "--from").split()),
        about=" ".join(who.split()),
        received=received,
        channel=None if channel is None else parse_channel(channel),
        details=optional_text(details, "--details"),
    )
