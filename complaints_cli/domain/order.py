"""The order of a case's events, checked the same way wherever a date comes from.

A complaint is received, then acknowledged, then answered; a Stage 2 request comes after it
was received (and after the Stage 1 response, when there was one), and is acknowledged and
answered after that. The lifecycle commands check each date as it is recorded; a correction
(``complaints correct``) and an import check the whole case with :func:`order_problems`, so
no route can record what the commands refuse.

Sources: the Spruce procedure (the log's columns, in order), Code 6.2-6.19 (each step follows
the one before).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from complaints_cli.domain.case import Case
from complaints_cli.domain.rules import same_person, uk
from complaints_cli.errors import ComplaintsError

__all__ = [
    "AFTER",
    "LABELS",
    "check_order",
    "independence_problem",
    "order_findings",
    "order_problems",
]

#: Each recorded date, as people name it.
LABELS: dict[str, str] = {
    "events_date": "events date",
    "received": "date received",
    "acknowledged": "acknowledgement",
    "stage1_responded": "Stage 1 response",
    "escalation_received": "escalation request",
    "stage2_acknowledged": "Stage 2 acknowledgement",
    "stage2_responded": "Stage 2 response",
    "closed": "closing date",
    "withdrawn": "withdrawal",
    "compensation_paid": "compensation payment",
    "stage2_compensation_paid": "Stage 2 compensation payment",
}

#: The steps of the process, in order.
_EVERY_STEP = (
    "received",
    "acknowledged",
    "stage1_responded",
    "escalation_received",
    "stage2_acknowledged",
    "stage2_responded",
)

#: Each date, and the dates it may not come before.
AFTER: dict[str, tuple[str, ...]] = {
    "received": ("events_date",),
    "acknowledged": ("received",),
    "stage1_responded": ("received", "acknowledged"),
    "escalation_received": ("received", "stage1_responded"),
    "stage2_acknowledged": ("received", "escalation_received"),
    "stage2_responded": ("received", "escalation_received", "stage2_acknowledged"),
    # A case is closed or withdrawn after everything that happened on it.
    "closed": _EVERY_STEP,
    "withdrawn": _EVERY_STEP,
    "compensation_paid": ("stage1_responded",),
    "stage2_compensation_paid": ("stage2_responded",),
}


def order_problems(case: Case, today: date | None = None) -> list[str]:
    """Every way ``case`` breaks the order of events, one line each (empty: none); with
    ``today``, a date after it too."""
    return [message for _field, message in order_findings(case._asdict(), today)]


def order_findings(
    values: Mapping[str, object], today: date | None = None
) -> list[tuple[str, str]]:
    """``(field, message)`` for each way the dates in ``values`` (a case's fields by name, as
    an import row holds them; missing ones count as blank) break the order of events; the
    field is the later date, the one at fault."""
    problems: list[tuple[str, str]] = []
    stage = values.get("stage")
    # Stage 2 is reached by an escalation; the Ombudsman stage need not be: a resident may
    # refer a complaint the landlord refused to escalate, and the Ombudsman may step in early
    # (``complaints ombudsman`` records a referral at Stage 1, and the import takes back what
    # the export writes of it).
    if str(stage) == "Stage 2" and values.get("escalated") is False:
        problems.append(
            (
                "escalated",
                f"the stage is {stage}, but 'Complaint escalated to Stage 2' says No: a case "
                "reaches Stage 2 by an escalation",
            )
        )
    for field, earlier in AFTER.items():
        value = values.get(field)
        if not isinstance(value, date):
            continue
        if today is not None and value > today:
            problems.append(
                (field, f"the {LABELS[field]} {uk(value)} is in the future (today is {uk(today)})")
            )
        for other in earlier:
            before = values.get(other)
            if isinstance(before, date) and value < before:
                problems.append(
                    (
                        field,
                        f"the {LABELS[field]} {uk(value)} is before the {LABELS[other]} "
                        f"{uk(before)}",
                    )
                )
    return problems


def check_order(case: Case, what: str, today: date | None = None) -> None:
    """Refuse (:class:`ComplaintsError`, the first problem) a change that leaves ``case``'s
    events out of order; ``what`` names the change (``"closing date"``)."""
    problems = order_problems(case, today)
    if problems:
        raise ComplaintsError(f"{case.reference}: {what} refused: {problems[0]}")


def independence_problem(case: Case) -> str | None:
    """The Stage 2 handler is the Stage 1 handler: Stage 2 is a review by a senior manager
    who has not been involved (the Spruce procedure; Code 6.13)."""
    if case.stage2_handler and same_person(case.stage2_handler, case.handler):
        return (
            f"the Stage 2 handler must not be the Stage 1 handler ({case.handler}): Stage 2 is "
            "a review by a senior manager who has not been involved"
        )
    return None
