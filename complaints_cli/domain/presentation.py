"""How a case's values read in the log: the text of each of the 24 cells, and JSON values.

``show`` prints these cells, and the Excel export writes the same text for the compound columns
("No - handler on leave", "£1,250.00 (time and trouble)"), so a case reads the same everywhere.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from complaints_cli.domain.case import MONEY_FIELDS, Action, Case, Signatory
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


def signatory_part(text: str) -> str:
    """A signatory's name or address as the ``Petition signatories`` cell writes it: a
    backslash doubled and a ``|`` written ``\\|``, so neither can be read as the cell's
    separator (the address keeps its line breaks)."""
    return text.replace("\\", "\\\\").replace("|", "\\|")


def format_signatories(signatories: Iterable[Signatory]) -> str | None:
    """A petition's signatories as the log writes them in one cell, one a line, in the order
    given (the lead petitioner first, as the store lists them), ``None`` when there are none::

        Ann Lee | 1 Essex Brewery, E17 3AB | added 03/02/2025 | lead
        Raj Singh | Flat 3, 1 Essex Brewery, E17 3AB | added 10/02/2025

    Read back by :mod:`complaints_cli.files.signatory_cells`."""
    lines = [
        " | ".join(
            [
                signatory_part(s.name),
                signatory_part(s.address),
                f"added {format_uk(s.added)}",
                *(["lead"] if s.lead else []),
            ]
        )
        for s in signatories
    ]
    return "\n".join(lines) or None


# --- the history in the log's words --------------------------------------------------------------

#: Fields whose log name is not the header of a column they lead: the one owner of these
#: words, for the history, the chronology and the export's columns after the log's 24
#: (:data:`complaints_cli.files.headers.EXTRA_COLUMNS` takes its headers from here).
_FIELD_WORDS: dict[str, str] = {
    "compensation_amount": "Compensation paid",
    "compensation_pence": "Compensation paid",  # history written before 2026-12
    "compensation_reasons": "Compensation reasons",
    "compensation_paid": "Compensation payment date",
    "stage2_compensation_amount": "Stage 2 compensation",
    "stage2_compensation_pence": "Stage 2 compensation",
    "stage2_compensation_reasons": "Stage 2 compensation reasons",
    "stage2_compensation_paid": "Stage 2 compensation payment date",
    "ack_met_note": "Met HOS acknowledgment timeframe: explanation",
    "stage1_met_note": "Met HOS code response timeframe: explanation",
    "stage2_met_note": "Stage 2 HOS code timeframe met: explanation",
    "stage1_extension_reason": "Response extension: why",
    "stage1_extended_to": "Stage 1 extended to",
    "stage2_extension_reason": "Stage 2 extension: why",
    "stage2_extended_to": "Stage 2 extended to",
    "review_type": "Review type",
    "closed": "Date closed",
    "channel": "Channel",
    "kind": "Case kind",
    "stage2_acknowledged": "Stage 2 acknowledged",
    "events_date": "Date of the events complained of",
    "withdrawn": "Date withdrawn",
    "voided": "Date voided",
    "duplicate_of_id": "Duplicate of",
    "duplicate_of": "Duplicate of",
    "last_update": "Last update on actions",
    "ombudsman_referred": "Referred to Ombudsman",
    "ombudsman_requested": "Ombudsman evidence requested",
    "close_reason": "Reason closed with actions outstanding",
    "stage1_extension_told": "Stage 1 extension: resident told",
    "stage2_extension_told": "Stage 2 extension: resident told",
    "not_accepted_reason": "Not accepted: reason",
    "not_accepted_told": "Not accepted: resident told",
    "informal_received": "Service dissatisfaction received",
    "informal_responded": "Service dissatisfaction answered",
    "converted_from_informal": "Converted from service dissatisfaction",
    "folded_issues": "Issues folded in",
    "ombudsman_determined": "Ombudsman determination",
    "related_to_id": "Related case",
    "related_to": "Related case",
    "adjustments": "Reasonable adjustments",
    "category": "Category",
    "tenure": "Tenure (TSM stock type)",
    # "decision", not "outcome": a real log's "Stage 1 outcome" column is its response summary
    # (column 14), so the export's header for this field must not be read as that column.
    "stage1_outcome": "Stage 1 decision",
    "stage2_outcome": "Stage 2 decision",
    "withdrawn_reason": "Why withdrawn",
    "void_reason": "Why voided",
    "stage1_extension_agreed": "Stage 1 extension agreed",
    # "... on": the date; "Stage 1 extension: resident told" is the Yes/No (as headers, the two
    # must not read alike).
    "stage1_extension_told_on": "Resident told of the Stage 1 extension on",
    "stage2_extension_agreed": "Stage 2 extension agreed",
    "stage2_extension_told_on": "Resident told of the Stage 2 extension on",
    "stage2_refused": "Stage 2 request refused (date requested)",
    "stage2_refused_reason": "Why Stage 2 was refused",
    "stage2_refusal_told": "Resident told of the Stage 2 refusal",
    "learning_sent": "Learning sent",
    "signatories": "Petition signatories",
}


def field_label(field: str) -> str:
    """A stored field as the log names it: the header of the column it leads
    (``received`` -> ``Complaint received``), else its own words (``compensation_amount`` ->
    ``Compensation paid``; ``stage2_refused_reason`` -> ``Why Stage 2 was refused``), else
    the field's name in words (``learning_sent`` -> ``Learning sent``)."""
    if field in _FIELD_WORDS:
        return _FIELD_WORDS[field]
    for column in COLUMNS:
        if column.fields[0] == field:
            return column.header
    if field.startswith("extra:"):
        return field.removeprefix("extra:")
    words = field.removesuffix("_pence").removesuffix("_amount").replace("_", " ")
    return words[:1].upper() + words[1:]


def history_value(field: str, value: Any) -> str:
    """A value as the history keeps it (JSON: ISO dates, pounds as text, flags), as the log
    reads it: ``03/02/2025``, ``£75.00``, ``Yes``, ``(blank)``."""
    if value in (None, ""):
        return "(blank)"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if field.endswith("_pence") and isinstance(value, int):  # history written before 2026-12
        return money(Decimal(value) / 100)
    if field in MONEY_FIELDS and isinstance(value, str | int | float | Decimal):
        try:
            return money(Decimal(str(value)))
        except ArithmeticError:
            return str(value)
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            return format_uk(date.fromisoformat(value))
        except ValueError:
            return value
    return str(value)


def describe_changes(changes: Mapping[str, Any]) -> str:
    """``Complaint received: 03/02/2025 -> 05/02/2025; Compensation paid: (blank) -> £75.00``."""
    return "; ".join(
        f"{field_label(field)}: {history_value(field, old)} -> {history_value(field, new)}"
        for field, (old, new) in changes.items()
    )
