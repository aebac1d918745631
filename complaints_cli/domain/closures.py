"""A case's past closures: each time it was finished (closed, withdrawn, not accepted, voided)
and reopened since, read back from the history ``reopen`` writes.

``reopen`` clears the day the case was finished (the case is open again: ``closed``,
``withdrawn``, ``voided`` or ``not_accepted_told`` becomes empty), and its history row keeps
the old values (``{"status": ["Closed", "Open"], "closed": ["2026-09-10", null], ...}``) and,
since this module, the day it was reopened (``"reopened": [null, "2026-11-03"]``). A report for a
past month and ``due --as-of`` a past day read the case as it stood then from these rows, so a
later reopening never rewrites the past (the EMT pack sent last month is reproducible):

* the case was **finished at the end of each day** from the day it was finished (as the case
  said when it was reopened: after any ``correct --closed``) up to the day before it was
  reopened (reopened on day R: open again at the end of R);
* **each closure counts** in the period of its date: a case closed in September, reopened in
  November and closed again in December counts as closed in September and in December (two
  closures), is not open at the end of October, and is open at the end of November; a
  withdrawal and a not-accepted decision reversed count the same way in their own figures; a
  void reversed counts in no figure (void is "logged in error"), but the case was not open on
  the days it was void;
* a case **reopened the day it was finished** was never finished at a day's end: that closure
  counts nowhere;
* a **later closing date before an earlier reopening** (``close --date`` back-dated to before
  the reopening, usually to undo a reopening made by mistake) supersedes the closures reopened
  after it: the case counts as finished from the later closing date, once;
* a closure recorded with **no date** (an imported log marked Closed with no closed date) is
  taken as finished on the last date the case records by its reopening (as the reports read
  an undated closure), and never counted as closed in a month; a not-accepted decision with
  no day the resident was told is dated by the day the case was received, as the figure of
  not-accepted complaints dates it;
* a **reopen row written before the reopening day was recorded** gives the day it was reopened
  by the weekly-update clock it restarted (``last_update``), else by the UK date of the row
  itself, never before the day the case was finished.

Pure: the store (:mod:`complaints_cli.store.closures`) reads the rows; the reports
(:mod:`complaints_cli.reports.cases`) and ``due --as-of`` (:mod:`complaints_cli.store.due`) ask
:func:`finished_on`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any, NamedTuple

from complaints_cli.domain.vocabulary import Status

__all__ = [
    "ENDED_BY",
    "REOPENED",
    "Closure",
    "closure_from_reopen",
    "closure_on",
    "finished_on",
    "kept_closures",
]

#: The history's name for the day a case was reopened (a pseudo-field of the ``reopen`` row:
#: no column holds it).
REOPENED = "reopened"

#: A finished status -> the case's column holding the day it was finished.
ENDED_BY = {
    Status.CLOSED.value: "closed",
    Status.WITHDRAWN.value: "withdrawn",
    Status.NOT_ACCEPTED.value: "not_accepted_told",
    Status.VOID.value: "voided",
}
#: A finished status -> the case's column holding why (cleared by ``reopen`` too).
REASON_OF = {
    Status.CLOSED.value: "close_reason",
    Status.WITHDRAWN.value: "withdrawn_reason",
    Status.NOT_ACCEPTED.value: "not_accepted_reason",
    Status.VOID.value: "void_reason",
}


class Closure(NamedTuple):
    """One past closure of a case, ended by a reopening."""

    #: The status it had: ``Closed``, ``Withdrawn``, ``Not accepted`` or ``Void``.
    status: str
    #: The day it was finished (closed, withdrawn, told it was not accepted, voided); for a
    #: closure recorded with no date, the last date the case records by its reopening.
    day: date
    #: The day it was reopened: open again at the end of that day.
    reopened: date
    #: Recorded with no date (:attr:`day` is worked out): never counted as an event.
    undated: bool = False
    #: Why, as the case said then (the withdrawal's or the decision's reason), if it said.
    reason: str | None = None


def _iso(value: Any) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def closure_from_reopen(
    changes: Mapping[str, Any],
    recorded: date,
    last_recorded: date | None = None,
    received: date | None = None,
) -> Closure | None:
    """The closure a ``reopen`` history row ended: ``changes`` is its ``{"field": [old, new]}``,
    ``recorded`` the UK date the row was written, ``last_recorded`` the last date the case
    records on or before that day (for a closure recorded with no date), ``received`` the day
    the case was received (for a not-accepted decision with no day told). ``None`` for a row
    that reopened nothing finished (no old finished status in it)."""
    status = changes.get("status")
    if not isinstance(status, list) or len(status) != 2 or status[0] not in ENDED_BY:
        return None
    old = changes.get(ENDED_BY[status[0]])
    day = _iso(old[0]) if isinstance(old, list) and len(old) == 2 else None
    said = changes.get(REASON_OF[status[0]])
    reason = str(said[0]) if isinstance(said, list) and len(said) == 2 and said[0] else None
    reopened = None
    for name in (REOPENED, "last_update"):  # the day recorded, else the weekly clock's restart
        value = changes.get(name)
        if isinstance(value, list) and len(value) == 2:
            reopened = _iso(value[1])
            if reopened is not None:
                break
    if reopened is None:
        reopened = recorded
    if day is None and status[0] == Status.NOT_ACCEPTED.value and received is not None:
        day = received  # as the not-accepted figure dates a decision with no day told
    if day is None:
        if status[0] == Status.VOID.value:
            return None  # a void is dated by its command; with no date there is nothing to read
        guess = last_recorded if last_recorded is not None else reopened
        return Closure(status[0], min(guess, reopened), reopened, True, reason)
    return Closure(status[0], day, max(reopened, day), False, reason)


def kept_closures(found: Iterable[Closure], current: date | None) -> tuple[Closure, ...]:
    """The closures that stood, in the order they were recorded (``found``), given the day the
    case is finished now (``current``; None: open now).

    Left out: a closure reopened the day it was finished (never finished at a day's end), and
    every closure a later closing date supersedes (a closing date before its reopening). What
    is kept never overlaps: each closure's reopening is on or before the next one's day."""
    kept: list[Closure] = []
    for closure in (*found, None):
        day = current if closure is None else closure.day
        if day is not None:
            while kept and kept[-1].reopened > day:
                kept.pop()
        if closure is not None and closure.reopened > closure.day:
            kept.append(closure)
    return tuple(kept)


def finished_on(closures: Sequence[Closure], day: date) -> bool:
    """Whether a past closure of ``closures`` held at the end of ``day``."""
    return any(c.day <= day < c.reopened for c in closures)


def closure_on(closures: Sequence[Closure], day: date) -> Closure | None:
    """The past closure of ``closures`` that held at the end of ``day``, if one did."""
    return next((c for c in closures if c.day <= day < c.reopened), None)
