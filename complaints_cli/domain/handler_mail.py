"""Messages the procedure asks for, as text: the organisational learning e-mail and a handler's
week (``digest``). Pure: :mod:`complaints_cli.files.email_draft` makes them ``.eml`` drafts.

Spruce's procedure: organisational learning from any case is e-mailed to the Senior Property
Manager and the Head of Service (and reported monthly to EMT). The learning e-mail gives the
reference, the stage and status, the complaint as summarised, the outcome and the learning,
never the resident's name or address: the readers need the lesson, not the person.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from complaints_cli.domain.case import Case
from complaints_cli.domain.dates import due_when
from complaints_cli.domain.rules import Change, Rules, check_date, uk
from complaints_cli.errors import ComplaintsError

__all__ = [
    "DIGEST_SECTIONS",
    "Message",
    "digest_message",
    "learning_message",
    "mark_learning_sent",
]


@dataclass(frozen=True)
class Message:
    """An e-mail's subject and plain-text body (lines joined with ``\\n``)."""

    subject: str
    body: str


def mark_learning_sent(case: Case, rules: Rules, *, on: date) -> Change:
    """Record that the case's organisational learning was sent (``learning_sent``)."""
    ref = case.reference
    if not (case.learning or "").strip():
        raise ComplaintsError(
            f"{ref} has no organisational learning to send: record it first "
            f'(complaints learning {ref} "...")'
        )
    check_date(on, "date sent", rules, (case.received, "date received"))
    return Change(
        case._replace(learning_sent=on),
        messages=[f"{ref}: learning recorded as sent on {uk(on)}"],
    )


def learning_message(case: Case, *, today: date) -> Message:
    """The organisational learning e-mail for one case."""
    ref = case.reference
    if not (case.learning or "").strip():
        raise ComplaintsError(
            f'{ref} has no organisational learning to send: complaints learning {ref} "..."'
        )
    lines = [
        "Dear colleagues,",
        "",
        f"Organisational learning from complaint {ref} ({case.stage}, {case.status}), "
        f"recorded in the complaints log on {uk(today)}:",
        "",
        *(f"    {line}" for line in (case.learning or "").splitlines()),
        "",
    ]
    if case.complaint_summary:
        lines.append(f"The complaint: {case.complaint_summary}")
    for n, outcome in ((1, case.stage1_outcome), (2, case.stage2_outcome)):
        if outcome is not None:
            lines.append(f"Stage {n} outcome: {outcome}")
    lines += [
        "",
        "It will be reported to EMT with this month's figures.",
        "",
        f"(Drafted by the complaints log from {ref}: check it before sending.)",
    ]
    return Message(f"Organisational learning from complaint {ref}", "\n".join(lines))


#: The digest's sections, in order: (title, which due items it holds).
DIGEST_SECTIONS = (
    ("Overdue", "overdue"),
    ("Due in the next 5 working days", "due"),
    ("Weekly updates to residents due", "update"),
    ("Actions", "action"),
)


def _section(item: Mapping[str, Any]) -> str:
    key = str(item["key"])
    if item["state"] != "pending" and not key.startswith("action_"):
        return "overdue"
    if key.startswith("action_"):
        return "action"
    if key == "update":
        return "update"
    return "due"


def _when(item: Mapping[str, Any]) -> str:
    left = item["working_days_left"]
    due: date = item["due"]
    if left is None:
        return f"{due:%a} {uk(due)}"
    # a weekend after it: none passed yet, but overdue
    return f"{due:%a} {uk(due)} ({due_when(left, overdue=item['state'] != 'pending')})"


def digest_message(
    items: Sequence[Mapping[str, Any]], *, handler: str | None, today: date, within: int
) -> Message:
    """One handler's week (or the team's) from ``complaints due`` items, as Markdown.

    ``items`` are :func:`complaints_cli.store.due.as_dicts` rows (reference, milestone, due,
    working_days_left, handler, stage, state, key), due within ``within`` working days.
    """
    who = " ".join(handler.split()) if handler else "the team"
    title = f"Complaints: {who}'s week from {today:%a} {uk(today)}"
    lines = [f"# {title}", ""]
    by_section: dict[str, list[Mapping[str, Any]]] = {k: [] for _, k in DIGEST_SECTIONS}
    for item in items:
        by_section[_section(item)].append(item)
    total = 0
    for heading, key in DIGEST_SECTIONS:
        rows = by_section[key]
        if key == "due":
            heading = f"Due in the next {within} working days"
        lines += [f"## {heading} ({len(rows)})", ""]
        if not rows:
            lines += ["Nothing.", ""]
            continue
        for item in rows:
            total += 1
            extra = "" if handler else f", {item['handler']}"
            lines.append(
                f"- **{item['reference']}** {item['milestone']}: {_when(item)}"
                f" ({item['stage']}{extra})"
            )
        lines.append("")
    lines += [
        f"{total} item(s). `complaints due --explain REF` shows how a deadline was worked out.",
    ]
    return Message(title, "\n".join(lines) + "\n")
