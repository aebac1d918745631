"""A log that checks itself: every record that will make a report wrong or a regulator unhappy.

Pure: it reads typed cases (and, for the folders, the facts the caller found on disk) and
returns :class:`Problem` rows, each with the case's reference and the command (or the step)
that puts it right. ``complaints check`` prints them and exits 1 when there are any.

The kinds, in the order they are listed (:data:`KINDS`):

``met column``
    column 10, 13 or 22 ("Met ... timeframe") says something other than the dates say under
    the team's profile and calendar (an imported log typed by hand, or a profile changed since);
    a blank column where the dates give an answer counts, and so does an answer with no date.
``answered, still open``
    the Stage 2 response was sent, or the Stage 1 response was sent and the profile's waiting
    period for an escalation has ended, with no action outstanding: the case should be closed
    (the EMT report counts it as open).
``extension after deadline``
    an extension agreed (``stage1_extension_agreed``/``stage2_extension_agreed``) after the
    original deadline: Code 6.4 lets a landlord extend only before it, so it cannot count.
``extension not told``
    an open case whose extension is recorded as not told (:func:`.deadlines.extension_not_told`),
    its original deadline passed or within :data:`NOT_TOLD_WARNING_DAYS` working days, and its
    response not sent by it: the response is judged against that deadline until the resident
    is recorded told by it (Code 6.4; the Ombudsman: told within the original timeframe).
``stage 2 not acknowledged``
    an escalation with no Stage 2 acknowledgement once its deadline has passed (Code 6.11).
``same stage 2 handler``
    the Stage 2 handler is the Stage 1 handler (``escalate`` refuses it; an import can bring
    it): the review is not independent.
``no outcome`` / ``no category``
    a stage with a response but no outcome, or a complaint with no category (Code section 9:
    the governing body sees categories and outcomes). Only once the log records them at all:
    a log that has never recorded a category is not listed case by case.
``refusal not told``
    a complaint not accepted, or a Stage 2 escalation refused, with no record that the resident
    was told in writing why and of their right to go to the Ombudsman (Code 5.6).
``no folder`` / ``two folders``
    no case folder under the root, or two (the procedure keeps all correspondence in one).
``hold past retention``
    a closed case under a legal hold whose retention period has run out: review the hold.
``learning not sent``
    organisational learning recorded but not sent to the SPM and the HoS (Spruce procedure),
    or added to since it was sent.

Void cases (logged in error, or duplicates) are left out: they are out of every figure.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from complaints_cli.domain.case import Action, Case
from complaints_cli.domain.dates import due_when
from complaints_cli.domain.deadlines import (
    CaseDates,
    Milestone,
    State,
    compute_milestones,
    extension_not_told,
)
from complaints_cli.domain.extensions import code_paragraphs
from complaints_cli.domain.profiles import Profile
from complaints_cli.domain.retention import due_date
from complaints_cli.domain.rules import same_person, uk
from complaints_cli.domain.text import shows_nothing, terminal_safe
from complaints_cli.domain.vocabulary import CaseKind, Stage, Status
from complaints_cli.domain.workdays import Calendar

__all__ = ["KINDS", "LogFacts", "Problem", "check_case", "check_log", "sort_problems"]

#: Every kind of problem, in the order ``check`` lists them.
KINDS: tuple[str, ...] = (
    "met column",
    "answered, still open",
    "extension after deadline",
    "extension not told",
    "stage 2 not acknowledged",
    "same stage 2 handler",
    "no outcome",
    "no category",
    "invisible value",
    "refusal not told",
    "no folder",
    "two folders",
    "hold past retention",
    "learning not sent",
)

#: ``extension not told`` lists a case from this many working days before its original
#: deadline (while telling the resident can still make the extension count).
NOT_TOLD_WARNING_DAYS = 2

#: The Met columns worked out again from the dates, for the whole log.
RECOMPUTE = "complaints db recompute (works every Met column out from the dates)"
#: The ``complaints correct`` option for the date that decides each Met column.
_DATE_OPTION = {10: "--acknowledged", 13: "--responded", 22: "--stage2-responded"}

#: (the Case field, its log column's number, the column's header as the profiles name it).
_MET = (
    ("ack_met", 10, "Met HOS acknowledgment timeframe"),
    ("stage1_met", 13, "Met HOS code response timeframe?"),
    ("stage2_met", 22, "Stage 2 HOS code timeframe met?"),
)


@dataclass(frozen=True)
class Problem:
    """One thing wrong in the log: what, which case, and how to put it right."""

    kind: str  #: one of :data:`KINDS`
    reference: str | None
    detail: str  #: what is wrong, with the values that show it
    fix: str  #: the command that puts it right (or the step, where no command records it)


@dataclass(frozen=True)
class LogFacts:
    """What the checks need besides each case: the team's rules and what the whole log holds."""

    profile: Profile
    calendar: Calendar
    today: date
    #: Years a closed case is kept (``retention_years``).
    retention_years: int
    #: The log records outcomes / categories at all (some case has one).
    uses_outcomes: bool = False
    uses_categories: bool = False


#: A stage's number as the checks write it -> the stage.
_STAGE = {"1": Stage.STAGE_1, "2": Stage.STAGE_2}


def _yes_no(flag: bool | None) -> str:
    return "blank" if flag is None else ("Yes" if flag else "No")


def _as_open(case: Case) -> CaseDates:
    """The case's dates as if it were open, so every deadline it had is worked out."""
    return CaseDates.of(case)._replace(status=Status.OPEN.value)


def _met_problems(case: Case, milestones: Sequence[Milestone]) -> list[Problem]:
    out: list[Problem] = []
    by_column = {m.log_column: m for m in milestones if m.log_column is not None}
    ref = case.reference
    for field, number, header in _MET:
        stored: bool | None = getattr(case, field)
        m = by_column.get(header)
        computed = None if m is None or m.done is None else m.met
        if stored == computed:
            continue
        if m is None or m.done is None:
            why = "but the log has no date for that step"
        else:
            word = "on or before" if computed else "after"
            why = f"but it was done {uk(m.done)}, {word} its deadline {uk(m.deadline)}"
        out.append(
            Problem(
                "met column",
                ref,
                f"column {number} '{header}' says {_yes_no(stored)}, {why}",
                RECOMPUTE
                if m is not None and m.done is not None
                else f"record the date: complaints correct {ref} {_DATE_OPTION[number]} "
                "DD/MM/YYYY --reason TEXT",
            )
        )
    return out


def _answered_open(case: Case, milestones: Sequence[Milestone], outstanding: int) -> str | None:
    """Why an open case with nothing outstanding should be closed (``None``: it should not)."""
    if not case.is_open or outstanding:
        return None
    if case.stage is Stage.STAGE_2 and case.stage2_responded is not None:
        return f"the Stage 2 response was sent {uk(case.stage2_responded)}"
    if (
        case.stage is Stage.STAGE_1
        and case.stage1_responded is not None
        and case.escalation_received is None
    ):
        for m in milestones:
            if m.kind == "window" and m.rule.while_open and m.state is State.ELAPSED:
                return (
                    f"the Stage 1 response was sent {uk(case.stage1_responded)} and the "
                    f"{m.rule.limit_text} for an escalation ended {uk(m.due)}"
                )
    return None


def _extension_problems(case: Case, milestones: Sequence[Milestone]) -> list[Problem]:
    out: list[Problem] = []
    for stage, agreed in (
        ("stage1", case.stage1_extension_agreed),
        ("stage2", case.stage2_extension_agreed),
    ):
        if agreed is None:
            continue
        m = next((x for x in milestones if x.rule.stage == stage and x.rule.extendable), None)
        if m is None or agreed <= m.due:
            continue
        n = stage[-1]
        out.append(
            Problem(
                "extension after deadline",
                case.reference,
                f"the Stage {n} extension was agreed {uk(agreed)}, after the deadline "
                f"{uk(m.due)}: it cannot count (Code {code_paragraphs(_STAGE[n])[0]})",
                f"judge the Stage {n} response against {uk(m.due)}: {RECOMPUTE}",
            )
        )
    return out


def _not_told_problems(
    case: Case, milestones: Sequence[Milestone], calendar: Calendar, today: date
) -> list[Problem]:
    """``extension not told``: see the module notes (``milestones``: the case as it is)."""
    out: list[Problem] = []
    if not case.is_open:
        return out
    for m in milestones:
        if not m.rule.extendable or not extension_not_told(m):
            continue
        if m.done is not None and m.done <= m.due:
            continue  # answered by the original deadline: the extension was not needed
        left = calendar.working_days_between(today, m.due)
        if left > NOT_TOLD_WARNING_DAYS:
            continue
        n = m.rule.stage[-1]
        extended_to = case.stage1_extended_to if n == "1" else case.stage2_extended_to
        when = "passed" if left < 0 else due_when(left)
        out.append(
            Problem(
                "extension not told",
                case.reference,
                f"the Stage {n} extension to {uk(extended_to) if extended_to else '(no date)'} "
                "is recorded as not told to the resident: the response is judged against the "
                f"original deadline {uk(m.due)}, {when} (Code {code_paragraphs(_STAGE[n])[0]})",
                f"complaints extend {case.reference} --told --date D",
            )
        )
    return out


def _stage2_ack(case: Case, milestones: Sequence[Milestone], today: date) -> Problem | None:
    if case.escalation_received is None or case.stage2_acknowledged is not None:
        return None
    m = next((x for x in milestones if x.rule.done_by == "stage2_acknowledged"), None)
    if m is None or m.deadline >= today:
        return None
    ref = case.reference
    fix = (
        f"complaints acknowledge {ref} --date DD/MM/YYYY (the day it was acknowledged)"
        if case.is_open and case.stage is Stage.STAGE_2
        else f"complaints correct {ref} --stage2-acknowledged DD/MM/YYYY --reason TEXT"
    )
    return Problem(
        "stage 2 not acknowledged",
        ref,
        f"escalated {uk(case.escalation_received)}; no Stage 2 acknowledgement recorded "
        f"(due {uk(m.deadline)}, Code 6.11)",
        fix,
    )


def check_case(
    case: Case,
    actions: Sequence[Action],
    facts: LogFacts,
    *,
    learning_added: date | None = None,
) -> list[Problem]:
    """Every problem of one case (folders aside: see :func:`check_log`).

    ``learning_added``: the day learning was added to the case after it was last sent (from
    its history), so the new learning is listed as not sent.
    """
    if case.status is Status.VOID:
        return []
    ref = case.reference
    out: list[Problem] = []
    milestones = compute_milestones(
        _as_open(case), facts.profile, facts.calendar, as_of=facts.today
    )
    actual = compute_milestones(case, facts.profile, facts.calendar, as_of=facts.today)
    if case.status is not Status.NOT_ACCEPTED:
        out += _met_problems(case, actual)
    outstanding = sum(1 for a in actions if a.outstanding)
    why = _answered_open(case, actual, outstanding)
    if why is not None:
        out.append(
            Problem(
                "answered, still open",
                ref,
                f"{why}; no action is outstanding",
                f"complaints close {ref}",
            )
        )
    out += _extension_problems(case, milestones)
    out += _not_told_problems(case, actual, facts.calendar, facts.today)
    # A Stage 2 response implies an acknowledgement to the deadlines; here its absence counts.
    unanswered = _as_open(case)._replace(stage2_responded=None)
    ack = _stage2_ack(
        case,
        compute_milestones(unanswered, facts.profile, facts.calendar, as_of=facts.today),
        facts.today,
    )
    if ack is not None:
        out.append(ack)
    if case.stage2_handler and same_person(case.handler, case.stage2_handler):
        out.append(
            Problem(
                "same stage 2 handler",
                ref,
                f"the Stage 2 handler {case.stage2_handler!r} also handled Stage 1: the review "
                "is not independent",
                f"complaints correct {ref} --stage2-handler NAME --reason TEXT (a senior "
                "manager who was not involved)",
            )
        )
    counted = case.status not in (Status.NOT_ACCEPTED, Status.WITHDRAWN)
    if facts.uses_outcomes and counted:
        for n, responded, outcome in (
            (1, case.stage1_responded, case.stage1_outcome),
            (2, case.stage2_responded, case.stage2_outcome),
        ):
            if responded is not None and outcome is None:
                out.append(
                    Problem(
                        "no outcome",
                        ref,
                        f"the Stage {n} response was sent {uk(responded)} with no outcome "
                        "(upheld, partly upheld, not upheld, resolved)",
                        f"complaints correct {ref} "
                        f"--{'outcome' if n == 1 else 'stage2-outcome'} "
                        "upheld|partly upheld|not upheld|resolved --reason TEXT",
                    )
                )
    informal = case.kind is CaseKind.SERVICE_DISSATISFACTION
    if facts.uses_categories and counted and not informal and not case.category:
        out.append(
            Problem(
                "no category",
                ref,
                "the complaint has no category",
                f"complaints correct {ref} --category NAME --reason TEXT",
            )
        )
    for option, value in (
        ("complainant", case.complainant),
        ("address", case.address),
        ("handler", case.handler),
        ("stage2-handler", case.stage2_handler),
    ):
        if value and shows_nothing(value):
            out.append(
                Problem(
                    "invisible value",
                    ref,
                    f"the {option.replace('-', ' ')} holds only invisible characters "
                    f"({terminal_safe(value)}): it shows as nothing",
                    f"complaints correct {ref} --{option} TEXT --reason TEXT",
                )
            )
    out += _refusals_not_told(case)
    if case.status is Status.CLOSED and case.legal_hold and case.closed is not None:
        due = due_date(case.closed, facts.retention_years)
        if due <= facts.today:
            out.append(
                Problem(
                    "hold past retention",
                    ref,
                    f"closed {uk(case.closed)}, retention ended {uk(due)} "
                    f"({facts.retention_years} years); held: "
                    f"{case.legal_hold_reason or 'no reason recorded'}",
                    f"if the reason for the hold has ended: complaints hold {ref} --release",
                )
            )
    if case.learning:
        sent = case.learning_sent
        if sent is None or learning_added is not None:
            detail = (
                "organisational learning is recorded but was never sent to the SPM and the HoS"
                if sent is None
                else f"organisational learning was added {uk(learning_added or sent)}, after "
                f"it was sent {uk(sent)}"
            )
            out.append(
                Problem(
                    "learning not sent",
                    ref,
                    detail,
                    f"complaints learning {ref} --draft-email, send it, then "
                    f"complaints learning {ref} --sent",
                )
            )
    return out


def _refusals_not_told(case: Case) -> list[Problem]:
    """A refusal (not accepted, or Stage 2 refused) the resident has not been told of."""
    ref = case.reference
    out = []
    if case.status is Status.NOT_ACCEPTED and case.not_accepted_told is None:
        out.append(
            Problem(
                "refusal not told",
                ref,
                f"not accepted ({case.not_accepted_reason or 'no reason recorded'}); no record "
                "that the resident was told why and of their right to go to the Ombudsman",
                f"complaints not-accepted {ref} --told DATE",
            )
        )
    if case.stage2_refused is not None and case.stage2_refusal_told is None:
        out.append(
            Problem(
                "refusal not told",
                ref,
                f"the Stage 2 request of {uk(case.stage2_refused)} was refused "
                f"({case.stage2_refused_reason}); no record that the resident was told why and "
                "of their right to go to the Ombudsman",
                f"complaints refuse-escalation {ref} --received {uk(case.stage2_refused)} "
                "--told DATE",
            )
        )
    return out


def check_log(
    cases: Iterable[Case],
    actions: Mapping[int, Sequence[Action]],
    facts: LogFacts,
    *,
    learning_added: Mapping[int, date] | None = None,
    folder_problems: Iterable[Problem] = (),
) -> list[Problem]:
    """Every problem of every case, with the folders' (found on disk by the caller), sorted."""
    added = learning_added or {}
    out: list[Problem] = list(folder_problems)
    for case in cases:
        key = case.id if case.id is not None else -1
        out += check_case(case, actions.get(key, ()), facts, learning_added=added.get(key))
    return sort_problems(out)


def sort_problems(problems: Iterable[Problem]) -> list[Problem]:
    """In :data:`KINDS` order, then by reference."""
    order = {k: i for i, k in enumerate(KINDS)}
    return sorted(problems, key=lambda p: (order.get(p.kind, len(order)), p.reference or ""))
