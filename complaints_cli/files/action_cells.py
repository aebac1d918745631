"""A case's actions in one spreadsheet cell, one action a line, and back.

The log keeps actions in their own table; the workbook has one row per case, so the export
writes them into the ``Actions`` column and the import reads them back::

    1 | Stage 1 | action | Replace extractor fan | Sam Patel | due 28/02/2025 | done 21/02/2025
    2 | Ombudsman | order | Pay £150 | Jordan Blake | due 01/10/2025

Number, stage and kind are read from the left; the owner, due date and (optional) done date
from the right, so the action's own text may hold ``|``. A line that does not start with
``<number> |`` continues the previous action's text (a line break inside the text).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from typing import Any, NamedTuple

from complaints_cli.domain.presentation import format_actions

__all__ = ["ActionCell", "ActionError", "action_from_row", "format_actions", "parse_actions"]

ACTION_KINDS = ("action", "order", "recommendation")
_START = re.compile(r"^\s*(\d+)\s*\|")
_WHEN = re.compile(r"^(due|done)\s+(\d{1,2}/\d{1,2}/\d{4})$", re.IGNORECASE)


class ActionCell(NamedTuple):
    number: int
    stage: str
    kind: str
    text: str
    owner: str
    due: date
    done: date | None


class ActionError(ValueError):
    """A line of an ``Actions`` cell that cannot be read (the message says how to write it)."""


def action_from_row(row: Mapping[str, Any]) -> ActionCell:
    """An action as :func:`complaints_cli.store.reads.actions` (or the table) gives it."""
    return ActionCell(
        int(row["number"]),
        str(row["stage"]),
        str(row.get("kind") or "action"),
        str(row["text"]),
        str(row["owner"]),
        _as_date(row["due"]),
        None if row.get("done") is None else _as_date(row["done"]),
    )


def _as_date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


#: The most actions a case's cell may number (an action's number is stored as an integer).
MAX_ACTION_NUMBER = 9_999


def _date(text: str, line: str) -> date:
    """A ``dd/mm/yyyy`` date read by :func:`complaints_cli.domain.dates.parse_date` (the one
    date grammar: a real day, 1990-2100); :class:`ActionError` naming the line otherwise."""
    from complaints_cli.domain.dates import parse_date
    from complaints_cli.errors import ComplaintsError

    try:
        return parse_date(text, what="", words=False)
    except ComplaintsError as exc:
        raise ActionError(f"action {line!r}: {exc}") from None


def _one(line: str, parse_stage: Any) -> ActionCell:
    parts = [p.strip() for p in line.split("|")]
    help_ = (
        "write each action as 'number | stage | kind | text | owner | due dd/mm/yyyy' "
        "and, when done, '| done dd/mm/yyyy'"
    )
    if len(parts) < 6:
        raise ActionError(f"action {line!r} has too few parts: {help_}")
    done = None
    tail = parts[-1]
    m = _WHEN.match(tail)
    if m and m[1].lower() == "done":
        done = _date(m[2], line)
        parts = parts[:-1]
    m = _WHEN.match(parts[-1]) if len(parts) >= 6 else None
    if m is None or m[1].lower() != "due":
        raise ActionError(f"action {line!r} has no 'due dd/mm/yyyy': {help_}")
    due = _date(m[2], line)
    number, stage_text, kind = parts[0], parts[1], parts[2].lower()
    owner = parts[-2]
    text = " | ".join(parts[3:-2])
    if kind not in ACTION_KINDS:
        raise ActionError(f"action {line!r}: kind {parts[2]!r} is not one of {ACTION_KINDS}")
    stage = parse_stage(stage_text)
    if not text or not owner or stage is None:
        raise ActionError(f"action {line!r} needs a stage, a text and an owner: {help_}")
    if not number.isdigit() or not 1 <= int(number[:6]) <= MAX_ACTION_NUMBER:
        raise ActionError(
            f"action {line!r}: its number must be between 1 and {MAX_ACTION_NUMBER:,}"
        )
    return ActionCell(int(number), stage, kind, text, owner, due, done)


def parse_actions(text: str, parse_stage: Any) -> tuple[ActionCell, ...]:
    """Read an ``Actions`` cell; raises :class:`ActionError` naming the line at fault.

    ``parse_stage`` reads the stage (``cells.parse_stage``: passed in, as cells imports this).
    """
    lines: list[str] = []
    for raw in text.replace("\r\n", "\n").split("\n"):
        if _START.match(raw) or not lines:
            lines.append(raw)
        else:
            lines[-1] += "\n" + raw
    out = []
    for line in lines:
        if not line.strip():
            continue
        # A line break inside the text: read the action as one line, then put it back.
        action = _one(line.replace("\n", "\u2028"), parse_stage)
        out.append(action._replace(text=action.text.replace("\u2028", "\n")))
    numbers = [a.number for a in out]
    if len(set(numbers)) != len(numbers):
        raise ActionError("two actions have the same number: number each action once")
    return tuple(sorted(out, key=lambda a: a.number))
