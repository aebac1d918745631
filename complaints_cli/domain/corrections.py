"""Putting a record right without losing it: correct, withdraw, void.

The log is the team's only record, and the Housing Ombudsman treats a lost or falsified
record as a complaint handling failure. So a record is never edited out of sight:

* :func:`correct` changes any logged column, with a reason, read and checked exactly as the
  command that first recorded it (the same date grammar, the same order of events, the same
  Stage 2 independence); the history keeps the old value, the new one and the reason.
* :func:`withdraw`: the resident withdrew the complaint (status Withdrawn; the stage's outcome
  ``withdrawn``). It is counted as received, never as responded; ``reopen`` reverses it.
* :func:`void`: logged in error, or a duplicate of another case (status Void). It stays in the
  log and its history (the audit trail), its reference is never used again, and it is out of
  every list, due item and report figure.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from complaints_cli.domain.case import Case
from complaints_cli.domain.classification import parse_category, parse_outcome, parse_tenure
from complaints_cli.domain.dates import parse_date
from complaints_cli.domain.derived import MET_FIELDS, with_met_columns
from complaints_cli.domain.intake import parse_channel
from complaints_cli.domain.lifecycle import parse_review
from complaints_cli.domain.money import parse_amount
from complaints_cli.domain.order import LABELS, check_order, independence_problem, order_problems
from complaints_cli.domain.rules import Change, Rules, check_date, require_open, uk
from complaints_cli.domain.text import handler_name, optional_text, person_lines, required_text
from complaints_cli.domain.vocabulary import Outcome, Stage, Status
from complaints_cli.errors import ComplaintsError, ConflictError

__all__ = [
    "CORRECTABLE",
    "Correctable",
    "correct",
    "read_correction",
    "void",
    "withdraw",
]

#: What a handler types to empty an optional column.
BLANK = frozenset({"", "none", "blank", "-"})


@dataclass(frozen=True)
class Correctable:
    """A column ``correct`` may change: its option, the case field, how to read a value."""

    option: str
    field: str
    kind: str  #: text, required, date, channel, money, review, outcome, tenure, category
    label: str


CORRECTABLE: tuple[Correctable, ...] = (
    Correctable("--complainant", "complainant", "required", "complainant"),
    Correctable("--address", "address", "required", "address"),
    Correctable("--received", "received", "required-date", "date received"),
    Correctable("--handler", "handler", "required", "handler"),
    Correctable("--channel", "channel", "channel", "channel"),
    Correctable("--summary", "complaint_summary", "text", "summary of complaint"),
    Correctable("--events-date", "events_date", "date", "events date"),
    Correctable("--acknowledged", "acknowledged", "date", "acknowledgement date"),
    Correctable("--responded", "stage1_responded", "date", "Stage 1 response date"),
    Correctable("--response-summary", "stage1_response_summary", "text", "response summary"),
    Correctable("--compensation", "compensation_amount", "money", "compensation"),
    Correctable("--compensation-reason", "compensation_reasons", "text", "compensation reasons"),
    Correctable("--compensation-paid", "compensation_paid", "date", "compensation paid"),
    Correctable("--outcome", "stage1_outcome", "outcome", "Stage 1 outcome"),
    Correctable("--escalation-received", "escalation_received", "date", "escalation request date"),
    Correctable("--escalation-details", "escalation_details", "text", "escalation details"),
    Correctable("--review", "review_type", "review", "review type"),
    Correctable("--stage2-handler", "stage2_handler", "text", "Stage 2 handler"),
    Correctable("--stage2-acknowledged", "stage2_acknowledged", "date", "Stage 2 acknowledgement"),
    Correctable("--stage2-responded", "stage2_responded", "date", "Stage 2 response date"),
    Correctable("--stage2-response", "stage2_response_details", "text", "Stage 2 response"),
    Correctable(
        "--stage2-compensation", "stage2_compensation_amount", "money", "Stage 2 compensation"
    ),
    Correctable(
        "--stage2-compensation-reason",
        "stage2_compensation_reasons",
        "text",
        "Stage 2 compensation reasons",
    ),
    Correctable("--stage2-compensation-paid", "stage2_compensation_paid", "date", "Stage 2 paid"),
    Correctable("--stage2-outcome", "stage2_outcome", "outcome", "Stage 2 outcome"),
    Correctable("--closed", "closed", "date", "closing date"),
    Correctable(
        "--extension-told", "stage1_extension_told_on", "date", "Stage 1 extension told on"
    ),
    Correctable(
        "--stage2-extension-told", "stage2_extension_told_on", "date", "Stage 2 extension told on"
    ),
    Correctable("--ack-explanation", "ack_met_note", "text", "acknowledgement explanation"),
    Correctable("--response-explanation", "stage1_met_note", "text", "response explanation"),
    Correctable("--stage2-explanation", "stage2_met_note", "text", "Stage 2 response explanation"),
    Correctable("--category", "category", "category", "category"),
    Correctable("--tenure", "tenure", "tenure", "tenure"),
)
_BY_OPTION = {c.option: c for c in CORRECTABLE}

_READERS: dict[str, Callable[[str, str], Any]] = {
    "channel": lambda text, what: parse_channel(text),
    "money": lambda text, what: parse_amount(text, what),
    "review": lambda text, what: parse_review(text),
    "outcome": parse_outcome,
    "tenure": parse_tenure,
}


def read_correction(
    option: str, text: str, *, today: date, categories: Sequence[str] = ()
) -> tuple[str, Any]:
    """``(field, value)`` for ``--option TEXT``, read as the recording command reads it
    (``--category`` against the team's ``categories``).

    ``none`` (or an empty value) empties an optional column; a required one cannot be
    emptied. Raises :class:`ComplaintsError` naming the option.
    """
    column = _BY_OPTION[option]
    kind = column.kind
    if text.strip().lower() in BLANK:
        if kind.startswith("required"):
            raise ComplaintsError(f"{option} cannot be emptied: the log needs the {column.label}")
        return column.field, None
    if kind in ("date", "required-date"):
        return column.field, parse_date(text, what=option, today=today)
    if column.field in ("handler", "stage2_handler"):  # at most MAX_NAME characters
        return column.field, handler_name(text, option)
    if column.field == "complainant":  # single-spaced lines, as log and the import keep it
        return column.field, person_lines(required_text(text, option))
    if kind == "required":
        return column.field, required_text(text, option)
    if kind == "text":
        return column.field, optional_text(text, option)
    if kind == "category":
        return column.field, parse_category(text, categories, option)
    return column.field, _READERS[kind](text, option)


def _shown(value: object) -> str:
    if value is None:
        return "(blank)"
    if isinstance(value, date):
        return uk(value)
    if isinstance(value, Decimal):
        return f"£{value:,.2f}"
    return str(value)


def correct(case: Case, rules: Rules, *, values: Mapping[str, Any], reason: str | None) -> Change:
    """Change logged columns (``{field: value}``, read by :func:`read_correction`), with a
    reason; refused with one line when the corrected case breaks the order of events, puts a
    date in the future, or makes the Stage 2 handler the Stage 1 handler."""
    why = required_text(reason, "--reason", hint=": why the record is being corrected")
    if not values:
        raise ComplaintsError(
            'give at least one column to correct, e.g. --complainant "Ann Lee" or '
            "--received 03/02/2025 (complaints correct --help lists them)"
        )
    if case.status is Status.VOID:
        raise ConflictError(f"{case.reference} is void: reopen it first to correct it")
    changed = {f: v for f, v in values.items() if getattr(case, f) != v}
    if not changed:
        raise ComplaintsError(f"{case.reference} already says that: nothing to correct")
    if "closed" in changed and changed["closed"] is not None and case.status is not Status.CLOSED:
        raise ConflictError(
            f"{case.reference} is {case.status}: close it (complaints close) to record a closing "
            "date"
        )
    saved = case._replace(**changed, **_told_flags(case, changed, rules))
    problems = order_problems(saved, rules.today)
    independence = independence_problem(saved)
    if independence and ("stage2_handler" in changed or "handler" in changed):
        problems.append(independence)
    if problems:
        raise ComplaintsError(f"{case.reference} not corrected: {problems[0]}")
    _explained(case, saved, rules)
    messages = [
        f"{_label(field)}: {_shown(getattr(case, field))} -> {_shown(value)}"
        for field, value in changed.items()
    ]
    return Change(saved, note=why, messages=messages)


#: The day the resident was told of a stage's extension -> the stage's extension flag, its told
#: flag, the stage and the option (``extend REF --told --date D`` records the day once).
_TOLD = {
    "stage1_extension_told_on": ("stage1_extension", "stage1_extension_told", "Stage 1"),
    "stage2_extension_told_on": ("stage2_extension", "stage2_extension_told", "Stage 2"),
}


def _told_flags(case: Case, changed: Mapping[str, Any], rules: Rules) -> dict[str, Any]:
    """A corrected day told of an extension sets its told flag (told on that day; ``none``:
    not told after all), checked as ``extend --told --date`` checks it: the stage has an
    extension, and the day is neither in the future nor before the date received."""
    flags: dict[str, Any] = {}
    for field, (extension, flag, stage) in _TOLD.items():
        if field not in changed:
            continue
        if not getattr(case, extension):
            raise ConflictError(
                f"{case.reference} has no {stage} extension: there is no day told to correct"
            )
        day = changed[field]
        if day is not None:
            check_date(day, "date told", rules, (case.received, "date received"))
        flags[flag] = day is not None
    return flags


#: The explanation option of each Met column (a "No" in the log carries one).
_EXPLANATION = {
    "ack_met": "--ack-explanation",
    "stage1_met": "--response-explanation",
    "stage2_met": "--stage2-explanation",
}


def _explained(before: Case, saved: Case, rules: Rules) -> None:
    """Refuse a correction that turns a Met column to "No" with no explanation beside it:
    ``acknowledge`` and ``respond`` refuse a late step without ``--reason``, and a correction
    may not record what they refuse."""
    judged = with_met_columns(saved, rules.profile, rules.calendar)
    for column, flag, note in MET_FIELDS:
        newly_no = getattr(judged, flag) is False and getattr(before, flag) is not False
        if newly_no and not getattr(judged, note):
            raise ComplaintsError(
                f"{before.reference} not corrected: column {column!r} becomes No; give the "
                f"explanation the log keeps with a No ({_EXPLANATION[flag]} TEXT)"
            )


def _label(field: str) -> str:
    for column in CORRECTABLE:
        if column.field == field:
            return column.label
    return LABELS.get(field, field.replace("_", " "))


def withdraw(case: Case, rules: Rules, *, on: date, reason: str | None) -> Change:
    """The resident withdrew the complaint: status Withdrawn, the stage's outcome ``withdrawn``.

    Counted as received, never as responded; nothing on it is chased. ``reopen`` reverses it.
    """
    require_open(case)
    why = required_text(reason, "--reason", hint=": what the resident said, and how")
    if on > rules.today:
        raise ComplaintsError(
            f"withdrawal date {uk(on)} is in the future (today is {uk(rules.today)})"
        )
    if on < case.received:
        raise ComplaintsError(
            f"withdrawal date {uk(on)} is before the date received {uk(case.received)}"
        )
    saved = case._replace(
        status=Status.WITHDRAWN, withdrawn=on, withdrawn_reason=why, last_update=None
    )
    check_order(saved, "withdrawal")
    if case.stage is Stage.STAGE_2 and case.stage2_outcome is None:
        saved = saved._replace(stage2_outcome=Outcome.WITHDRAWN)
    elif case.stage is not Stage.STAGE_2 and case.stage1_outcome is None:
        saved = saved._replace(stage1_outcome=Outcome.WITHDRAWN)
    return Change(saved, messages=[f"{case.reference} withdrawn on {uk(on)}: nothing is chased"])


def require_original_stays(case: Case, original: Case) -> None:
    """``case`` is void as a duplicate of ``original`` only while ``original`` stays: a void
    case's duplicate (two handlers voiding each of a pair as the other's, at once or one after
    the other) would leave the complaint in no list and no figure. Checked under the write
    lock, in the transaction that saves the void."""
    if original.status is Status.VOID:
        raise ConflictError(
            f"{original.reference} is void itself ({original.void_reason}): {case.reference} "
            f"cannot be void as its duplicate, or the complaint would be in no list or figure; "
            f"name the case that stays, or reopen {original.reference} if it was voided by "
            "mistake; nothing was saved"
        )


def void(
    case: Case,
    rules: Rules,
    *,
    reason: str | None,
    duplicate_of: tuple[int, str] | None,
) -> Change:
    """Logged in error, or a duplicate of ``duplicate_of`` (its id and reference): status Void.

    Kept in the log and its history; out of every list, due item and report figure; its
    reference is never used again (the counter never goes back).
    """
    ref = case.reference
    why = required_text(reason, "--reason", hint=": why the case was logged in error")
    if case.status is Status.VOID:
        raise ConflictError(f"{ref} is already void ({case.void_reason})")
    if duplicate_of is not None and duplicate_of[0] == case.id:
        raise ComplaintsError(f"{ref} cannot be a duplicate of itself")
    saved = case._replace(
        status=Status.VOID,
        voided=rules.today,
        void_reason=why,
        duplicate_of_id=None if duplicate_of is None else duplicate_of[0],
        last_update=None,
    )
    also = f", a duplicate of {duplicate_of[1]}" if duplicate_of else ""
    return Change(
        saved,
        messages=[
            f"{ref} is void{also}: kept in the log and its history, out of every list and "
            f"figure; {ref} will not be used again"
        ],
    )
