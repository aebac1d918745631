"""Which closed cases are due for purge, and why every other case is kept. Pure: no I/O.

A complaint record holds personal data (names, addresses, what happened in a home), which the
landlord may keep only as long as it needs it: a retention period counted from closure (6 years
by default, a common housing schedule). A case is due for purge on the anniversary of its
closure after that many years. Every case that is not due says why, so ``purge --dry-run`` can
answer "why was this one kept?":

- it is open (or reopened): nothing open is ever purged;
- it is under a legal hold (a claim, an Ombudsman investigation, a subject-access request);
- it has no closing date, so the period cannot be counted (record one first);
- it is not due yet (the date it will be).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from complaints_cli.domain.case import Case
from complaints_cli.domain.rules import Change
from complaints_cli.domain.vocabulary import Status
from complaints_cli.errors import ComplaintsError


def due_date(closed: date, years: int) -> date:
    """``closed`` plus ``years`` whole years; 29 February becomes 28 February."""
    try:
        return closed.replace(year=closed.year + years)
    except ValueError:
        return closed.replace(year=closed.year + years, day=28)


@dataclass(frozen=True)
class Verdict:
    """One case's retention decision."""

    reference: str
    closed: date | None
    #: When the case becomes (or became) due for purge; ``None`` when it cannot be counted.
    due: date | None
    folder: str | None
    purge: bool
    #: Why it is kept (empty when it is purged).
    reason: str


class RetentionFacts(NamedTuple):
    """What the retention decision reads of a case: never its personal data."""

    reference: str
    status: Status
    closed: date | None
    folder: str | None
    legal_hold: bool
    legal_hold_reason: str | None


def assess(case: RetentionFacts, *, today: date, years: int) -> Verdict:
    """Whether ``case`` is due for purge on ``today`` under a ``years`` retention period."""
    reference = case.reference
    closed = case.closed
    folder = case.folder
    due = due_date(closed, years) if closed else None

    def keep(reason: str) -> Verdict:
        return Verdict(reference, closed, due, folder, False, reason)

    if case.status is not Status.CLOSED:
        return keep(f"open ({case.status})")
    if case.legal_hold:
        return keep(f"legal hold: {case.legal_hold_reason or 'no reason recorded'}")
    if closed is None or due is None:
        return keep("closed with no closing date: the retention period cannot be counted")
    if today < due:
        return keep(f"not due until {due:%d/%m/%Y}")
    return Verdict(reference, closed, due, folder, True, "")


def assess_all(
    cases: Iterable[RetentionFacts], *, today: date, years: int
) -> tuple[list[Verdict], list[Verdict]]:
    """(due for purge, kept), each in the order given."""
    due: list[Verdict] = []
    kept: list[Verdict] = []
    for case in cases:
        verdict = assess(case, today=today, years=years)
        (due if verdict.purge else kept).append(verdict)
    return due, kept


def kept_summary(kept: Iterable[Verdict]) -> dict[str, int]:
    """How many cases are kept for each kind of reason: ``{"open": 12, "legal hold": 1, ...}``."""
    out: dict[str, int] = {}
    for verdict in kept:
        kind = verdict.reason.split(":")[0].split(" (")[0]
        kind = "not due yet" if kind.startswith("not due") else kind
        kind = "no closing date" if kind.startswith("closed with no") else kind
        out[kind] = out.get(kind, 0) + 1
    return out


def hold(case: Case, *, reason: str) -> Change:
    """Put a case under a legal hold: it is never purged while held."""
    ref = case.reference
    if case.legal_hold:
        raise ComplaintsError(
            f"{ref} is already under a legal hold ({case.legal_hold_reason}): release it first "
            "to record a different reason"
        )
    return Change(
        case._replace(legal_hold=True, legal_hold_reason=reason),
        messages=[f"{ref} is under a legal hold: it will not be purged until released."],
    )


def release_hold(case: Case, *, note: str | None) -> Change:
    """Lift a legal hold (the reason, if given, goes to the history)."""
    ref = case.reference
    if not case.legal_hold:
        raise ComplaintsError(f"{ref} is not under a legal hold")
    return Change(
        case._replace(legal_hold=False, legal_hold_reason=None),
        note=note,
        messages=[f"{ref} is no longer held: it can be purged when it is due."],
    )
