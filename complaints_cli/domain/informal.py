"""Service dissatisfactions: the informal stage before a Stage 1 complaint.

Southern Housing's procedure (4.2) resolves some expressions of dissatisfaction informally,
agreed with the resident, with their own response deadline; converting one makes it a Stage 1
complaint under the same reference, and the Stage 1 clock starts on the day of conversion.
(The Complaint Handling Code 2024 has no informal stage: a profile offers one only when its
procedure does, see :attr:`~complaints_cli.domain.profiles.Profile.has_informal_stage`.)
"""

from __future__ import annotations

from datetime import date

from complaints_cli.domain.case import Case
from complaints_cli.domain.deadlines import compute_milestones
from complaints_cli.domain.profiles import Profile
from complaints_cli.domain.rules import (
    Change,
    Rules,
    case_dates,
    check_date,
    require_open,
    uk,
)
from complaints_cli.domain.text import required_text
from complaints_cli.domain.vocabulary import CaseKind, Stage
from complaints_cli.errors import ConflictError

__all__ = ["convert", "require_informal_stage", "respond_informal", "verdict"]


def require_informal_stage(profile: Profile) -> None:
    """A service dissatisfaction needs a profile with its timeframe (refused otherwise)."""
    if not profile.has_informal_stage:
        raise ConflictError(
            f"the {profile.name} profile has no service dissatisfaction (informal) stage: log "
            "it as a complaint"
        )


def _require_informal(case: Case, what: str) -> None:
    require_open(case)
    if case.stage is not Stage.INFORMAL:
        raise ConflictError(
            f"{case.reference} is not a service dissatisfaction (it is at {case.stage}): "
            f"nothing to {what}"
        )


def verdict(case: Case, rules: Rules, key: str, done: str) -> list[str]:
    """``Answered 24/12/2025: within the timeframe (due 30/12/2025)`` for milestone ``key``."""
    milestones = compute_milestones(
        case_dates(case), rules.profile, rules.calendar, as_of=rules.today
    )
    for m in milestones:
        if m.key == key and m.done is not None:
            word = "within the timeframe" if m.met else "late"
            return [f"{done} {uk(m.done)}: {word} (due {uk(m.deadline)})"]
    return []


def respond_informal(case: Case, rules: Rules, *, on: date, summary: str) -> Change:
    """The response to a service dissatisfaction (the case stays open until closed or
    converted)."""
    _require_informal(case, "respond to informally")
    ref = case.reference
    if case.informal_responded:
        raise ConflictError(
            f"{ref}'s service dissatisfaction was answered on {uk(case.informal_responded)}: "
            f"close it, or convert it to a Stage 1 complaint (complaints convert {ref})"
        )
    text = required_text(summary, "--summary")
    check_date(on, "response date", rules, (case.informal_received, "date raised"))
    saved = case._replace(informal_responded=on)
    change = Change(saved, note=text)
    change.messages += verdict(saved, rules, "dissatisfaction_response", "Answered")
    return change


def convert(case: Case, rules: Rules, *, on: date) -> Change:
    """A service dissatisfaction becomes a Stage 1 complaint, same reference, history kept.

    The Stage 1 clock starts at conversion: ``received`` becomes the conversion date, and the
    date the dissatisfaction was raised stays in ``informal_received``.
    """
    _require_informal(case, "convert")
    check_date(on, "conversion date", rules, (case.informal_received, "date raised"))
    raised = case.informal_received
    return Change(
        case._replace(
            kind=CaseKind.COMPLAINT,
            stage=Stage.STAGE_1,
            received=on,
            converted_from_informal=on,
        ),
        messages=[
            f"{case.reference} is now a Stage 1 complaint, received {uk(on)} (raised "
            f"informally {uk(raised) if raised else 'on an unrecorded date'})"
        ],
    )
