"""Extending a response deadline, and telling the resident (Complaint Handling Code 2024, 6.4).

An extension is agreed within the deadline it extends and the resident is told of it, with
the Ombudsman's details, within that deadline too; one agreed or told later is recorded but
never counts (the response is judged against the original deadline). One recorded without
``--told`` does not count until the resident is recorded told on a day by the original
deadline (:func:`extension_told`; the Ombudsman: "told within the original timeframe",
DOMAIN.md; :mod:`.deadlines`). The profile caps the extension (Spruce: 10 working days,
procedure "Complaint: Stage 1" and "Stage 2"); beyond it needs a reason and still counts only
up to the cap.
"""

from __future__ import annotations

from datetime import date

from complaints_cli.domain.case import Case
from complaints_cli.domain.deadlines import Milestone, compute_milestones, extension_not_told
from complaints_cli.domain.rules import (
    RESPONSE_STAGES,
    Change,
    Rules,
    case_dates,
    check_date,
    open_stage,
    require_open,
    uk,
)
from complaints_cli.domain.text import optional_text, required_text
from complaints_cli.domain.vocabulary import Stage
from complaints_cli.errors import ComplaintsError, ConflictError

__all__ = ["MAX_EXTENSION_DAYS", "code_paragraphs", "extend", "extension_told"]


#: The most working days ``extend --days`` takes (a year), even with ``--beyond-cap``: a
#: count like ``2147483648`` is refused at once instead of counting bank holidays for ever.
MAX_EXTENSION_DAYS = 260


def code_paragraphs(stage: Stage) -> tuple[str, str]:
    """The Code's paragraphs on an extension at ``stage``: deciding it and telling the resident
    the new date (6.4; Stage 2: 6.15), with the Ombudsman's contact details (6.5; 6.16)."""
    return ("6.4", "6.5") if stage is Stage.STAGE_1 else ("6.15", "6.16")


def _extendable(case: Case, rules: Rules, stage: Stage, *, done: bool = False) -> Milestone:
    """The stage's extendable response milestone, not yet done (or, with ``done``, done or
    not). Raises :class:`ConflictError` when there is none."""
    key = RESPONSE_STAGES[stage]
    m = next(
        (
            x
            for x in compute_milestones(
                case_dates(case), rules.profile, rules.calendar, as_of=rules.today
            )
            if x.rule.stage == key and x.rule.extendable and (done or x.done is None)
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
    ``told``: the resident was told, on the day it was agreed. Without it the extension is
    recorded as not told, and does not count until :func:`extension_told` records the
    resident told on a day by the original deadline: a warning (stderr) says so.

    The log holds one extension a stage (column 12 or 21): a second one replaces the first's
    new date and reason, and its told facts are the second one's own (told now, or not yet:
    the resident told of the first date was not told of this one), the first's kept in the
    case's history; it keeps the first one's agreement day when timely, so the deadlines
    judge the latest date against the original deadline and the cap counts from it (the
    total, not each extension, is capped).
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
    stage = open_stage(case, "extend")
    day = agreed or rules.today
    check_date(day, "agreement date", rules, (case.received, "date received"))
    m = _extendable(case, rules, stage)
    key = RESPONSE_STAGES[stage]
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
            f"({uk(m.deadline)}): the Code ({code_paragraphs(stage)[0]}) needs the resident told "
            "within it; record it "
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
            stage1_extension_told=told,
            stage1_extension_agreed=agreed_on,
            stage1_extension_told_on=told_on,
        )
    else:
        saved = case._replace(
            stage2_extension=True,
            stage2_extension_reason=text,
            stage2_extended_to=target,
            stage2_extension_told=told,
            stage2_extension_agreed=agreed_on,
            stage2_extension_told_on=told_on,
        )
    change = Change(saved)
    # As the deadlines judge the saved case (.deadlines): it counts, or waits to be told.
    after = _extendable(saved, rules, stage)
    not_told = extension_not_told(after)
    if is_late:
        change.messages.append(
            f"{stage} extension to {uk(target)} recorded late: it does not count, the response "
            f"is judged against {uk(m.deadline)}"
        )
    elif not_told:
        change.messages.append(
            f"{stage} extension to {uk(target)} recorded ({extra} working day(s) after the "
            f"original {uk(m.due)}), not yet told to the resident: the response is still due "
            f"{uk(m.due)}"
        )
    elif after.extended_to is None:  # told, on a day after the original deadline
        change.messages.append(
            f"{stage} extension to {uk(target)} recorded, told on {uk(day)}, after the original "
            f"deadline: it does not count, the response is judged against {uk(m.due)}"
        )
    else:
        change.messages.append(
            f"{stage} response now due {uk(target)} "
            f"({extra} working day(s) after the original {uk(m.due)})"
        )
    before, why = (
        (case.stage1_extended_to, case.stage1_extension_reason)
        if stage is Stage.STAGE_1
        else (case.stage2_extended_to, case.stage2_extension_reason)
    )
    if before is not None:  # the log holds one extension a stage: say which one this replaces
        change.messages.append(
            f"It replaces the {stage} extension to {uk(before)} ({why or 'no reason recorded'}), "
            "kept in the case's history"
        )
    if told:
        pass
    elif not_told and not is_late:
        change.warnings.append(
            "the extension does not count until the resident is told of it, with the "
            f"Ombudsman's contact details, by the original deadline {uk(m.due)} "
            f"(Code {code_paragraphs(stage)[0]}): "
            f"until then the {stage} response is judged against {uk(m.due)}; when told, record "
            f"it with complaints extend {case.reference} --told --date D"
        )
    else:  # late: it never counts
        change.warnings.append(
            f"the Code ({', '.join(code_paragraphs(stage))}) requires telling the resident of "
            "the new date, with the "
            "Ombudsman's contact details; record it with complaints extend "
            f"{case.reference} --told --date D"
        )
    return change


def _already_told(case: Case, day: date, option: str) -> ConflictError:
    """The refusal of a second telling, naming the correction that puts a wrong day right."""
    return ConflictError(
        f"{case.reference}'s resident was already told on {uk(day)}; if that day is wrong, "
        f"correct it with complaints correct {case.reference} {option} D --reason TEXT"
    )


def extension_told(case: Case, rules: Rules, *, on: date) -> Change:
    """Record afterwards that the resident was told of the stage's extension, on ``on``.

    Told after the deadline the extension extends, it does not count (the Ombudsman: the
    resident must be told within the original timeframe); the message says so. Told by it,
    the extension counts from now on, whether or not the response has been sent (its Met
    column is judged again when the case is saved).
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
            raise _already_told(case, case.stage1_extension_told_on, "--extension-told")
        saved = case._replace(stage1_extension_told=True, stage1_extension_told_on=on)
    else:
        if case.stage2_extension_told_on is not None:
            raise _already_told(case, case.stage2_extension_told_on, "--stage2-extension-told")
        saved = case._replace(stage2_extension_told=True, stage2_extension_told_on=on)
    change = Change(saved)
    # Its ``due``: the deadline before extension (the response may be sent already).
    counting = _extendable(case, rules, stage, done=True)
    if on > counting.due:
        change.messages.append(
            f"told on {uk(on)}, after the deadline {uk(counting.due)}: the extension does not "
            f"count, the response is judged against {uk(counting.due)}"
        )
    else:
        change.messages.append(
            f"the resident was told of the extension on {uk(on)}: the extension to "
            f"{uk(original)} counts"
        )
    return change
