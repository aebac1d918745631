"""A case's open milestones as the log stores them, and how ``due`` reads them back. Pure.

``due`` lists what is due across every open case. Working each case's milestones out on every
run cost ~40 µs per item (the profile's rules evaluated for every open case, then sorted), so
the store keeps each open case's milestones not yet done in a table of their own
(``open_milestone``), written whenever the case is saved (see
:mod:`complaints_cli.store.milestones`), and ``due`` reads them through an index.

What is stored does not depend on the day it is read: a milestone's deadline, label and stage
come from the case's dates, the profile and the calendar (all three are in the case's
``deadlines_key``). Only the day asked about decides, when the rows are read
(:func:`state_on`):

* whether a deadline is still ``pending`` or ``overdue`` (missed);
* whether a ``window`` (a period to wait out) has ``ended``: an ended window is dropped unless
  it is ``while_open`` (it then asks for action, e.g. close the case);
* the working days left (:meth:`~complaints_cli.domain.workdays.Calendar.working_days_between`).

So ``due`` gives exactly what :func:`~complaints_cli.domain.deadlines.next_milestones` gives on
any day from the case's last change on; a test compares both.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, NamedTuple

from complaints_cli.domain.vocabulary import Stage

if TYPE_CHECKING:
    from complaints_cli.domain.case import Case
    from complaints_cli.domain.deadlines import CaseDates
    from complaints_cli.domain.profiles import Profile
    from complaints_cli.domain.workdays import Calendar

__all__ = ["STATE_NAMES", "OpenMilestone", "open_milestones", "owner_of", "state_on"]


class OpenMilestone(NamedTuple):
    """One milestone of an open case that is not done yet (a row of ``open_milestone``)."""

    key: str
    label: str
    stage: str  #: the milestone's stage in the profile: informal, stage1, stage2, ...
    window: bool  #: a period to wait out (``kind = "window"``), not something to do
    while_open: bool  #: tracked only while the case is open (an ended window stays)
    due: date  #: the original deadline (a window's end)
    deadline: date  #: ``due``, or the recorded extension (capped)


def open_milestones(
    case: Case | CaseDates, profile: Profile, calendar: Calendar
) -> list[OpenMilestone]:
    """The milestones of ``case`` (a stored case, or just its dates) not yet done, in the
    profile's order (none once finished).

    Evaluated as on the day the case was received: what is left out or kept does not depend
    on the day (see the module notes); :func:`state_on` judges them on a given day.
    """
    from complaints_cli.domain.case import Case
    from complaints_cli.domain.deadlines import CaseDates, compute_milestones

    if type(case) is CaseDates:
        dates = case
        if not dates.is_open:
            return []
    else:
        assert isinstance(case, Case)
        if case.status.finished:
            return []
        dates = CaseDates.of(case)
    return [
        OpenMilestone(
            m.key, m.label, m.stage, m.kind == "window", m.rule.while_open, m.due, m.deadline
        )
        for m in compute_milestones(dates, profile, calendar, as_of=dates.received)
        if m.done is None
    ]


def state_on(window: bool, while_open: bool, due: date, deadline: date, day: date) -> str | None:
    """``due``'s state of an open milestone on ``day``: ``"pending"``, ``"overdue"`` or
    ``"ended"``; ``None`` when it is no longer listed (an ended window that is not
    ``while_open``). The same judgement as :func:`.deadlines.next_milestones`."""
    if window:
        if day <= due:
            return "pending"
        return "ended" if while_open else None
    return "pending" if day <= deadline else "overdue"


#: The names ``due`` gives each :class:`~complaints_cli.domain.deadlines.State` of an open one,
#: keyed by the states' values (``State`` is a ``StrEnum``: ``STATE_NAMES[State.MISSED]`` is
#: ``"overdue"``), so that ``due`` reading the stored rows does not import the deadline code.
STATE_NAMES = {"pending": "pending", "missed": "overdue", "elapsed": "ended"}


def owner_of(stage: str, case_stage: str, handler: str, stage2_handler: str | None) -> str:
    """Who must act on a milestone of ``stage``: Stage 1 milestones are the Stage 1 handler's;
    Stage 2 ones the Stage 2 handler's; the rest belong to whoever handles the stage the case
    is at."""
    if stage == "stage2" or (stage != "stage1" and case_stage != Stage.STAGE_1 and stage2_handler):
        return str(stage2_handler or handler)
    return str(handler)
