"""What every cell parser shares: the error type, empty cells, and how a value and its note
are told apart (``Yes - late``, ``£50 (delay)``).

The rules are those of :mod:`complaints_cli.files.cells` (its module docstring lists them);
this module only holds the pieces :mod:`.date_cells`, :mod:`.money_cells` and :mod:`.cells`
all use.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from typing import Final

from complaints_cli.errors import ComplaintsError


class CellError(ComplaintsError):
    """One cell's value cannot be read; ``reason`` (also ``str(err)``) says why."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


# --- empty cells -----------------------------------------------------------------------------

_PLACEHOLDERS: Final = frozenset(
    {
        "",
        "n/a",
        "n / a",
        "na",
        "n.a",
        "n. a",
        "not applicable",
        "tbc",
        "tba",
        "tbd",
        "to be confirmed",
        "to be advised",
        "-",
        "--",
        "---",
        "–",
        "—",
    }
)


def is_empty(value: object, *, none_is_empty: bool = True) -> bool:
    """Whether a cell means "nothing here": ``None``, blank text or a placeholder.

    ``none_is_empty=False`` keeps the word ``None`` as a value (free-text columns).
    """
    if value is None:
        return True
    if not isinstance(value, str):
        return False
    key = " ".join(value.split()).lower().rstrip(".")
    if key in _PLACEHOLDERS:
        return True
    return none_is_empty and key == "none"


# --- helpers ------------------------------------------------------------------------------------


def describe(value: object) -> str:
    """How a refused value is shown in a reason: as the spreadsheet shows it, so the same
    cell reads the same from .xlsx, .xls and .ods (a whole number ``4``, never ``4.0``)."""
    if isinstance(value, str):
        return repr(value.strip())
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return shown_number(value) or repr(value)


def shown_number(value: object) -> str:
    """A number cell as typed (``4``, not ``4.0``; ``2.5``), or ``""`` for anything else."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return ""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return str(value)


def type_name(value: object) -> str:
    if isinstance(value, bool):
        return "a TRUE/FALSE value"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, datetime | date):
        return "a date"
    if isinstance(value, time):
        return "a time"
    if isinstance(value, timedelta):
        return "a duration"
    return f"a {type(value).__name__}"


_SEPARATOR = re.compile(r"\s*[-–—:,;]+\s*(.*)", re.S)


def outer_brackets(text: str) -> bool:
    """Whether ``text`` is one bracketed group: ``(a (b) c)`` yes, ``(a) b (c)`` no."""
    if not (text.startswith("(") and text.endswith(")")):
        return False
    depth = 0
    for i, char in enumerate(text):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth == 0 and i < len(text) - 1:
            return False
    return depth == 0


def note(rest: str, *, loose: bool = False) -> str | None:
    """The explanation after a value: ``" - late"`` / ``" (late)"`` / ``", late"`` -> ``late``.

    Raises ``ValueError`` when the explanation is not separated (a space only), unless
    ``loose``.
    """
    stripped = rest.strip()
    if not stripped or re.fullmatch(r"[.!]+", stripped):
        return None
    if m := _SEPARATOR.fullmatch(rest):
        return m[1].strip() or None
    if stripped.startswith("("):
        return (stripped[1:-1].strip() if outer_brackets(stripped) else stripped) or None
    if loose and rest[:1].isspace() and stripped[:1].isalpha():
        return stripped
    raise ValueError(stripped)
