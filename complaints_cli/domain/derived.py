"""What is worked out from a case's dates, never typed: the log's "Met ..." columns (10, 13,
22) and the deadlines stored with each case (``next_due`` and the open milestones ``due``
reads).

Every save of a case runs :func:`derived` (the store's one write path, and the import), so
a Met column never goes stale and ``due`` never recomputes what a save already knew.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from complaints_cli.domain.case import Case
from complaints_cli.domain.deadlines import met_columns
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
    "derived",
    "met_disagreements",
    "met_messages",
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
