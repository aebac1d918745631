"""What every rule of a case's life shares: its inputs, its result, and the common checks.

A rule (:mod:`~complaints_cli.domain.lifecycle`, :mod:`~complaints_cli.domain.informal`,
:mod:`~complaints_cli.domain.process`) is a pure function. It takes the case as stored
(a :class:`~complaints_cli.domain.case.Case`), its actions, the handler's input and a
:class:`Rules` (the team's profile and calendar, and today's date), and returns a
:class:`Change`: the case as it is to be saved, actions to add or complete, a note for the
history, and what to tell the handler. Or it raises
:class:`~complaints_cli.errors.ComplaintsError` with one line saying what is wrong and how to
put it right. The store applies a change in one transaction and records every field that
differs; nothing here touches a database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from complaints_cli.domain.case import Case
from complaints_cli.domain.deadlines import CaseDates, Milestone, compute_milestones
from complaints_cli.domain.explanations import anchor_words
from complaints_cli.domain.profiles import Profile
from complaints_cli.domain.text import person_key
from complaints_cli.domain.vocabulary import ActionKind, Stage
from complaints_cli.domain.workdays import Calendar
from complaints_cli.errors import ComplaintsError, ConflictError

__all__ = [
    "RESPONSE_STAGES",
    "Change",
    "NewAction",
    "Rules",
    "case_dates",
    "check_date",
    "late_text",
    "milestone",
    "open_stage",
    "require_open",
    "same_person",
    "uk",
]


@dataclass(frozen=True)
class Rules:
    """What a rule needs besides the case: the team's timeframes and today's date."""

    profile: Profile
    calendar: Calendar
    today: date


@dataclass(frozen=True)
class NewAction:
    """An action to add to a case (numbered by the store)."""

    text: str
    owner: str
    due: date
    kind: ActionKind = ActionKind.ACTION


@dataclass
class Change:
    """What a command does to a case; applied by the store in one transaction.

    ``case`` is the case as it is to be saved (the store writes each field that differs from
    the stored case, and records old and new in the history).
    """

    case: Case
    new_actions: list[NewAction] = field(default_factory=list)
    #: Action number -> the date it was done.
    done_actions: dict[int, date] = field(default_factory=dict)
    #: A note for the history (what the resident was told, why a case was reopened, ...).
    note: str | None = None
    #: One-line messages for the handler (what was worked out, what is due next).
    messages: list[str] = field(default_factory=list)
    #: Warnings for stderr (``complaints: warning: ...``): the command still succeeds.
    warnings: list[str] = field(default_factory=list)
    #: Facts for the history that no column holds, each recorded as ``{name: [null, value]}``
    #: with the case's changed fields, and only with a change to the case (``reopen``'s
    #: ``reopened``: the day it was reopened, :mod:`.closures`; ``learning``'s
    #: ``learning_recorded``: the day learning was recorded, by the tool's today or ``--date``).
    recorded: dict[str, object] = field(default_factory=dict)


def uk(day: date) -> str:
    """``03/02/2025``: a date as the log shows it."""
    return day.strftime("%d/%m/%Y")


def same_person(a: str | None, b: str | None) -> bool:
    """``"Sam  Patel"``, ``"sam patel"`` and ``"Sám Patel"`` are one person
    (:func:`~complaints_cli.domain.text.person_key`, the rule ``--handler`` finds people by);
    the Stage 2 independence rule (Code 6.13) depends on it."""
    return bool(a) and bool(b) and person_key(a or "") == person_key(b or "")


def require_open(case: Case) -> None:
    """Refuse a change to a closed or not-accepted case (reopen it first)."""
    if case.status.finished:
        word = case.status.value.lower()
        ref = case.reference
        raise ConflictError(f"{ref} is {word}: reopen it first (complaints reopen {ref})")


def check_date(value: date, what: str, rules: Rules, *after: tuple[date | None, str]) -> None:
    """Refuse a date in the future, or before any of the given earlier dates of the case.

    ``after`` pairs each earlier date (``None``: not recorded, not checked) with its label:
    ``check_date(day, "acknowledgement date", rules, (case.received, "date received"))``.
    """
    if value > rules.today:
        raise ComplaintsError(f"{what} {uk(value)} is in the future (today is {uk(rules.today)})")
    for earlier, label in after:
        if earlier is not None and value < earlier:
            raise ComplaintsError(f"{what} {uk(value)} is before the {label} {uk(earlier)}")


def case_dates(case: Case) -> CaseDates:
    """The dates deadlines depend on."""
    return CaseDates.of(case)


def milestone(
    case: Case, rules: Rules, *, log_column: str | None = None, key: str | None = None
) -> Milestone | None:
    """The milestone filling ``log_column`` (or with ``key``), evaluated on ``case``."""
    for m in compute_milestones(case_dates(case), rules.profile, rules.calendar, as_of=rules.today):
        if (log_column and m.log_column == log_column) or (key and m.key == key):
            return m
    return None


def late_text(m: Milestone) -> str:
    """``after its deadline 06/02/2025 (3 working days from received 03/02/2025)``."""
    limit = m.rule.limit_text
    return (
        f"after its deadline {uk(m.deadline)} "
        f"({limit} from {anchor_words(m.anchor_event)} {uk(m.anchor)})"
    )


def require_review(profile: Profile, kind: str) -> None:
    """Refuse a Stage 2 review type (``panel``) that ``profile``'s procedure does not offer."""
    if kind not in profile.reviews:
        raise ConflictError(
            f"the {profile.name} profile has no {kind} review at Stage 2 (it offers: "
            f"{', '.join(profile.reviews)})"
        )


#: The two stages with a response, and the prefix of their fields.
RESPONSE_STAGES = {Stage.STAGE_1: "stage1", Stage.STAGE_2: "stage2"}


def open_stage(case: Case, what: str) -> Stage:
    """Stage 1 or Stage 2: the stage whose response is still to come."""
    ref = case.reference
    stage = case.stage
    if stage is Stage.INFORMAL:
        raise ConflictError(
            f"{ref} is a service dissatisfaction: convert it to a Stage 1 complaint first "
            f"(complaints convert {ref})"
        )
    if stage not in RESPONSE_STAGES:
        raise ConflictError(f"{ref} is with the {stage}: there is no response to {what}")
    responded = case.stage1_responded if stage is Stage.STAGE_1 else case.stage2_responded
    if responded:
        raise ConflictError(
            f"{ref}'s {stage} response was sent on {uk(responded)}: nothing to {what}"
        )
    return stage
