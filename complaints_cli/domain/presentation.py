"""How a case's values read in the log: the text of each of the 24 cells, and JSON values.

``show`` prints these cells, and the Excel export writes the same text for the compound columns
("No - handler on leave", "£1,250.00 (time and trouble)"), so a case reads the same everywhere.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from complaints_cli.domain.case import Action, Case
from complaints_cli.domain.columns import COLUMNS, Column
from complaints_cli.domain.dates import format_uk
from complaints_cli.domain.vocabulary import ReviewType

#: The review types as the log names them (``Panel review``: a Complaint Review Panel,
#: Southern Housing 4.8).
REVIEW_LABELS: dict[str, str] = {r.value: r.label for r in ReviewType}


def money(amount: Decimal | None) -> str:
    """``Decimal("1250")`` -> ``£1,250.00``."""
    return "" if amount is None else f"£{amount:,.2f}"


def yes_no(flag: bool | None, note: str | None = None) -> str:
    if flag is None:
        return ""
    word = "Yes" if flag else "No"
    return f"{word} - {note}" if note else word


def cell_text(column: Column, case: Case) -> str:
    """The text of one log column for ``case``."""
    values = [getattr(case, f) for f in column.fields]
    first = values[0]
    if column.kind == "date":
        return format_uk(first)
    if column.kind == "yesno":
        text = yes_no(first, values[1] if len(values) > 1 else None)
        if len(values) > 2 and values[2]:
            text += f" (new date {format_uk(values[2])})"
        return text
    if column.kind == "money":
        amount, reasons = values
        if amount is None:
            return reasons or ""
        return f"{money(amount)} ({reasons})" if reasons else money(amount)
    if column.number == 18:
        details, review = values
        label = REVIEW_LABELS.get(review or "", review or "")
        if label and details:
            return f"{details} ({label})"
        return details or label or ""
    return "" if first is None else str(first)


def log_cells(case: Case) -> list[tuple[str, str]]:
    """``[(header, text), ...]`` for all 24 columns, in the log's order."""
    return [(c.header, cell_text(c, case)) for c in COLUMNS]


def json_value(value: Any) -> Any:
    """Dates and times in ISO 8601, money as an exact string (``"1250.00"``)."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    return value


def json_default(value: Any) -> Any:
    """``json.dumps(default=...)``: called only for dates and money, so the C encoder stays fast."""
    converted = json_value(value)
    if converted is value:
        raise TypeError(f"{type(value).__name__} is not JSON serialisable")
    return converted


def format_actions(actions: Iterable[Action]) -> str | None:
    """A case's actions as the log writes them in one cell, one action a line (``None`` when
    it has none); read back by :mod:`complaints_cli.files.action_cells`."""
    lines = [
        " | ".join(
            [
                str(a.number),
                a.stage,
                a.kind,
                a.text,
                a.owner,
                f"due {format_uk(a.due)}",
                *([f"done {format_uk(a.done)}"] if a.done else []),
            ]
        )
        for a in actions
    ]
    return "\n".join(lines) or None
