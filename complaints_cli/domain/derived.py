"""What is worked out from a case's dates, never typed: the log's "Met ..." columns (10, 13,
22) and the deadlines stored with each case (``next_due`` and the open milestones ``due``
reads).

Every save of a case runs :func:`derived` (the store's one write path, and the import), so
a Met column never goes stale and ``due`` never recomputes what a save already knew.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date
from functools import partial
from typing import Any, NamedTuple

from complaints_cli.domain.case import Case
from complaints_cli.domain.case_dates import TOLD_FIELDS
from complaints_cli.domain.deadlines import (
    DATE_FIELDS,
    CaseDates,
    is_finished_status,
    met_columns,
    met_judge,
)
from complaints_cli.domain.open_milestones import OpenMilestone, open_milestones, state_on
from complaints_cli.domain.profiles import Profile
from complaints_cli.domain.rules import case_dates
from complaints_cli.domain.workdays import Calendar

__all__ = [
    "ACK_COLUMN",
    "MET_FIELDS",
    "STAGE1_COLUMN",
    "STAGE2_COLUMN",
    "Derived",
    "Stamps",
    "deadline_stamps",
    "derived",
    "met_after_update",
    "met_disagreements",
    "met_messages",
    "met_worked_out",
    "new_row_met",
    "stored_deadlines",
    "with_met_columns",
]

ACK_COLUMN = "Met HOS acknowledgment timeframe"
STAGE1_COLUMN = "Met HOS code response timeframe?"
STAGE2_COLUMN = "Stage 2 HOS code timeframe met?"


#: The log's computed Yes/No columns: (column header, the flag field, its explanation field).
MET_FIELDS: tuple[tuple[str, str, str], ...] = (
    (ACK_COLUMN, "ack_met", "ack_met_note"),
    (STAGE1_COLUMN, "stage1_met", "stage1_met_note"),
    (STAGE2_COLUMN, "stage2_met", "stage2_met_note"),
)


_MET_FLAGS = tuple(flag for _column, flag, _note in MET_FIELDS)
_NO_MET = [None] * len(MET_FIELDS)


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
    case: Case | Mapping[str, Any], profile: Profile, calendar: Calendar
) -> list[tuple[str, str, str]]:
    """``(column, recorded, judged)`` (``"Yes"``/``"No"``) for each Met column whose recorded
    value the case's dates contradict: an imported log's typed values, checked (issue 12).

    ``case`` is a stored case, or a row's values by field name (the import's parsed row, read
    by :meth:`.CaseDates.of_row`: no full case is built for each of its rows). Returns ``[]``
    when no Met column is recorded, without judging the dates.
    """
    if not isinstance(case, Case):  # a mapping (a concrete class is checked faster than an ABC)
        recorded_met = list(map(case.get, _MET_FLAGS))
        if recorded_met == _NO_MET:  # nothing recorded (the flags are True, False or None)
            return []
        dates = CaseDates.of_row(case)
    else:
        recorded_met = [getattr(case, flag) for _column, flag, _note in MET_FIELDS]
        if all(value is None for value in recorded_met):
            return []
        dates = case_dates(case)
    judged = met_columns(dates, profile, calendar)
    out = []
    for (column, _flag, _note), recorded in zip(MET_FIELDS, recorded_met, strict=True):
        met = judged.get(column)
        if recorded is not None and met is not None and recorded != met:
            out.append((column, "Yes" if recorded else "No", "Yes" if met else "No"))
    return out


def new_row_met(
    profile: Profile, calendar: Calendar
) -> Callable[[Mapping[str, Any]], tuple[dict[str, bool], list[tuple[str, str, str]]]]:
    """What the import does with a new case's Met columns, as a function of the row's values
    by field name (as :meth:`.CaseDates.of_row` reads them), from one judgement of its dates
    (the profile's rules looked up once for the whole import, not once per row):

    * ``{flag field: met}`` for each column the row leaves blank and the dates judge: filled,
      as the one write path fills a case logged by hand (README: the Met columns never go
      stale); one whose step has no date stays blank;
    * ``(column, typed, judged)`` for each column the row typed and the dates contradict:
      kept as typed, with a warning (as :func:`met_disagreements`).
    """
    return partial(_new_row_met, met_judge(profile, calendar))


def _new_row_met(
    judge: Callable[[CaseDates], dict[str, bool | None]], values: Mapping[str, Any]
) -> tuple[dict[str, bool], list[tuple[str, str, str]]]:
    judged = judge(CaseDates.of_row(values))
    fills: dict[str, bool] = {}
    disagree: list[tuple[str, str, str]] = []
    for column, flag, _note in MET_FIELDS:
        met = judged.get(column)
        if met is None:
            continue
        typed = values.get(flag)
        if typed is None:
            fills[flag] = met
        elif typed != met:
            disagree.append((column, "Yes" if typed else "No", "Yes" if met else "No"))
    return fills, disagree


def met_worked_out(
    stored: Mapping[str, Any], profile: Profile, calendar: Calendar
) -> dict[str, bool | None]:
    """``{flag field: met}`` of the Met columns as a stored case's dates judge them (None:
    the dates cannot). The import's diff reads a blank Met cell against a log value equal to
    this as no difference: the log worked it out from the same dates (an import of a file
    with blank Met columns fills them, and importing it again changes nothing)."""
    judged = met_columns(CaseDates.of_row(stored), profile, calendar)
    return {flag: judged.get(column) for column, flag, _note in MET_FIELDS}


#: The facts besides the dates that decide which deadlines apply (and so the Met columns):
#: the told flags too (an extension not told does not count).
_DECIDING: frozenset[str] = frozenset(
    {*DATE_FIELDS, "stage", "status", "review_type", *TOLD_FIELDS}
)


def met_after_update(
    existing: Mapping[str, Any],
    changed: Mapping[str, Any],
    typed: Mapping[str, Any],
    profile: Profile,
    calendar: Calendar,
) -> list[tuple[str, Any, Any]]:
    """``(field, old, new)`` for each Met column (and its explanation) an import's update
    must change so that the column does not go stale: the update ``changed`` a date (or the
    stage, status, review type or an extension's told flag) of the ``existing`` case, the
    file's row (``typed``, by field) left that Met column blank, and the new dates judge it
    otherwise. A Met column the file typed is kept as typed (:func:`met_disagreements` warns
    when the dates disagree). A "No" that becomes "Yes" (typed or judged) loses the
    explanation the file leaves blank, as in :func:`with_met_columns`."""
    after = {**existing, **changed}
    out: list[tuple[str, Any, Any]] = []
    for _column, flag, note in MET_FIELDS:
        # A typed "No" made "Yes" loses the explanation the file leaves blank.
        if changed.get(flag) is True and typed.get(note) is None and after.get(note) is not None:
            out.append((note, after.get(note), None))
    if not _DECIDING.intersection(changed):
        return out
    judged = met_columns(CaseDates.of_row(after), profile, calendar)
    for column, flag, note in MET_FIELDS:
        met = judged.get(column)
        if typed.get(flag) is not None or met is None or met == after.get(flag):
            continue
        out.append((flag, after.get(flag), met))
        if met and after.get(note) is not None and typed.get(note) is None:
            out.append((note, after.get(note), None))
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


class Stamps(NamedTuple):
    """The deadlines stored with a case (columns ``next_due``, ``next_milestone``,
    ``deadlines_key``) and its open milestones (the rows of ``open_milestone``)."""

    next_due: date | None
    next_milestone: str | None
    deadlines_key: str
    milestones: list[OpenMilestone]


_new_stamps = tuple.__new__  # Stamps(...) minus its Python __new__: one per imported row


def deadline_stamps(
    case: Case | Mapping[str, Any], profile: Profile, calendar: Calendar, key: str
) -> Stamps:
    """What is stored with ``case`` so ``due`` reads its deadlines instead of working them out.

    ``case`` is a stored case, or a row's values by field name (the import's parsed rows: a
    finished one needs no dates read, and none needs a whole case built; 100k rows cost
    ~0.6 s instead of ~3 s through :class:`Case`, 2026-11-30). ``key`` records the profile
    and calendar they were worked out with, so a change of either is noticed and recomputed.
    Raises :class:`ComplaintsError` for a row without a received date.
    """
    if not isinstance(case, Case):  # a mapping (a concrete class is checked faster than an ABC)
        if is_finished_status(case.get("status")):
            return _new_stamps(Stamps, (None, None, key, []))
        dates = CaseDates.of_row(case)
    else:
        dates = case_dates(case)
    milestones = open_milestones(dates, profile, calendar)
    next_due, next_milestone = _next_due(milestones, dates.received)
    return _new_stamps(Stamps, (next_due, next_milestone, key, milestones))


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
    stamps = deadline_stamps(case, profile, calendar, key)
    if (case.next_due, case.next_milestone, case.deadlines_key) != stamps[:3]:
        case = case._replace(  # a case has 90 fields: _replace only when something changed
            next_due=stamps.next_due,
            next_milestone=stamps.next_milestone,
            deadlines_key=key,
        )
    return Derived(case, stamps.milestones)


def stored_deadlines(case: Case, profile: Profile, calendar: Calendar, key: str) -> Case:
    """The case with the deadline columns kept so ``due`` can filter with an index.

    ``next_due`` is the earliest deadline among the case's milestones not yet done (its
    ``next_milestone`` names it); a closed case has none. ``key`` records the profile and
    calendar they were worked out with, so a change of either is noticed and recomputed.
    """
    return derived(case, profile, calendar, key, met=False).case


def _next_due(
    milestones: Sequence[OpenMilestone], received: date
) -> tuple[date | None, str | None]:
    """``(next_due, next_milestone)``: the soonest deadline of those
    :func:`.next_milestones` lists on the day the case was received (the first in the
    profile's order on a tie), and its milestone's key; ``(None, None)`` when none is."""
    pending = [
        m for m in milestones if state_on(m.window, m.while_open, m.due, m.deadline, received)
    ]
    if not pending:
        return None, None
    first = min(pending, key=lambda m: m.deadline)
    return first.deadline, first.key
