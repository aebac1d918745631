"""Reading a compensation cell: an amount in pounds, then the reasons.

The rules (the procedure's column 15 "Compensation paid & reasons under framework", the
Housing Ombudsman's way of wording awards, and what Excel and LibreOffice store):

* ``£1,250.00 (time and trouble)`` -> ``(Decimal("1250.00"), "time and trouble")``: the amount
  first (``£``, ``GBP`` or ``pounds`` optional), at most two decimal places, thousands commas
  only in groups of three (``1,2,3`` and ``12,34`` are refused), no exponent (``1e3`` is
  refused: a spreadsheet shows the number in full), never negative, at most
  :data:`MAX_AMOUNT`; then the reasons after a dash, colon, comma or in brackets (or after a
  space when the amount has its ``£``).
* A total followed by its breakdown, as the Ombudsman words awards: ``£250 (£150 time and
  trouble, £100 distress and inconvenience)`` is £250 with the breakdown as the reasons, when
  the parts add up to the total; when they do not (``£250 (£150 ..., £50 ...)``, or ``£100
  (offered £50 before)``) the cell is refused naming both figures, since the second amount
  may be a previous offer. Amounts added with ``+`` (``£50 + £25 goodwill``) are refused: the
  cell must say the total.
* ``None``, ``Nil``, ``No``, ``Nothing``, ``No compensation``, ``£0`` mean nothing was paid:
  ``(Decimal("0.00"), reasons)``, which differs from an empty cell (not decided yet).
* A number cell is read as the spreadsheet shows it: 15 significant digits (``0.1 + 0.2``
  computed by a formula is £0.30), and must then be a whole number of pence.
* ``£250.00 [reasons] <text>`` is the form the export writes when the reasons themselves hold
  an amount that is not a breakdown (``previous offer £50 declined``): everything after
  ``[reasons]`` is the reasons, as written.
"""

from __future__ import annotations

import math
import re
from decimal import Decimal
from typing import Final

from complaints_cli.files.cell_basics import CellError, describe, is_empty, note, type_name

PENNY: Final = Decimal("0.01")
#: The largest amount a compensation cell may hold: far above any award (the Ombudsman's
#: largest are tens of thousands), low enough that a stray digit or a pasted reference
#: (``9999999999``) is caught, and well inside what every store keeps in whole pence.
MAX_AMOUNT: Final = Decimal("1000000.00")

_MONEY = re.compile(
    r"(?P<neg>[-−–]\s*)?(?P<cur>£|gbp\b)?\s*(?P<neg2>[-−–]\s*)?"
    r"(?P<amount>\d+(?:,\d+)*(?:\.\d+)?)(?P<rest>.*)",
    re.I | re.S,
)
_AMOUNT_OK = re.compile(r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d{1,2})?")
_POUNDS_SUFFIX = re.compile(r"\s*(?:pounds?|gbp)\b", re.I)
_EXPONENT = re.compile(r"[eE][+-]?\d")
#: An amount inside the reasons: ``£150``, ``GBP 150``, ``150 pounds``, ``+ 25``.
_PART = re.compile(
    r"(?:£|\bgbp)\s*(?P<a>\d[\d,]*(?:\.\d+)?)"
    r"|(?<![\w.,])(?P<b>\d[\d,]*(?:\.\d+)?)\s*(?:pounds?|gbp)\b"
    r"|\+\s*(?P<c>\d[\d,]*(?:\.\d+)?)",
    re.I,
)
_STRUCTURED = re.compile(r"\s*\[reasons\] ?(?P<reasons>.*)", re.S)
_NOTHING_PAID = re.compile(
    r"(?P<word>no\s+compensation(?:\s+(?:paid|offered|due))?|none(?:\s+(?:paid|offered|due))?"
    r"|nil(?:\s+paid)?|nothing(?:\s+paid)?|no|zero)(?![a-z0-9'])(?P<rest>.*)",
    re.I | re.S,
)
MONEY_HELP: Final = (
    "write the amount, then the reasons after a dash or in brackets, e.g. '£50 (delay)'"
)


def pounds(amount: Decimal) -> str:
    """``Decimal("1250")`` -> ``£1,250.00`` (as the log shows money)."""
    return f"£{amount:,.2f}"


def _pennies(amount: Decimal, shown: str) -> Decimal:
    """``amount`` checked against the bounds, with exactly two decimal places."""
    if not amount.is_finite():
        raise CellError(f"{shown} is not an amount")
    if amount < 0:
        raise CellError(f"{shown} is negative: compensation paid cannot be below £0")
    if amount > MAX_AMOUNT:
        raise CellError(
            f"{shown} is more than {pounds(MAX_AMOUNT)}, the most a compensation cell may hold: "
            "check the figure (a stray digit, or a reference pasted into the column?)"
        )
    if amount != amount.quantize(PENNY):
        raise CellError(f"{shown} is not a whole number of pence")
    return abs(amount.quantize(PENNY))  # abs: -0.00 is 0.00


def _number(value: int | float) -> Decimal:
    """A number cell as the spreadsheet shows it: an int exactly, a float to 15 significant
    digits (Excel's precision), never through binary noise (``0.30000000000000004``)."""
    if isinstance(value, int):
        return Decimal(value)
    if not math.isfinite(value):
        raise CellError(f"{value!r} is not an amount")
    return Decimal(f"{value:.15g}")


def _amount(text: str, whole: str, *, part: bool = False) -> Decimal:
    """One written amount (``1,250.00``) as a Decimal, checked for its commas and decimals;
    ``part``: one of a breakdown's amounts (named in the message)."""
    if not _AMOUNT_OK.fullmatch(text):
        if re.search(r"\.\d{3,}$", text):
            where = f" in {text!r}" if part else ""
            raise CellError(f"{whole!r} has more than two decimal places{where}")
        raise CellError(f"{whole!r}: {text!r} is not a clear amount (check the commas)")
    return Decimal(text.replace(",", ""))


def _breakdown(total: Decimal, rest: str, whole: str) -> bool:
    """Whether ``rest`` (what follows the total) holds other amounts; they must be a breakdown
    adding up to the total, else :class:`CellError` names both figures."""
    parts = [m["a"] or m["b"] or m["c"] for m in _PART.finditer(rest)]
    if not parts:
        return False
    amounts = [_amount(p.rstrip(",."), whole, part=True) for p in parts]
    found = sum(amounts, Decimal(0))
    listed = " + ".join(pounds(a) for a in amounts)
    if rest.lstrip().startswith("+"):
        raise CellError(
            f"{whole!r} holds more than one amount ({pounds(total)} + {listed}): write the total "
            f"paid first, then its breakdown, e.g. '{pounds(total + found)} ({pounds(total)} "
            f"..., {pounds(amounts[0])} ...)'"
        )
    if found != total:
        then = listed if len(amounts) == 1 else f"{listed} = {pounds(found)}"
        raise CellError(
            f"{whole!r} holds more than one amount: {pounds(total)}, then {then}, which is not "
            "a breakdown of it (a breakdown's parts add up to the total); write the total "
            "paid, then the reasons"
        )
    return True


def parse_money(value: object) -> tuple[Decimal, str | None] | None:
    """A compensation cell: ``(amount in pounds, reasons or None)``, or ``None`` when empty.

    ``£1,250.00 (time and trouble)`` -> ``(Decimal("1250.00"), "time and trouble")``;
    ``None`` / ``Nil`` / ``No`` -> ``(Decimal("0.00"), None)`` (nothing was paid). See the
    module docstring for every rule.
    """
    if value is None or (isinstance(value, str) and is_empty(value, none_is_empty=False)):
        return None
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise CellError(f"{describe(value)} is {type_name(value)}, not an amount")
    if not isinstance(value, str):
        return _pennies(_number(value), repr(value)), None
    text = value.strip()
    if m := _NOTHING_PAID.fullmatch(text):
        try:
            return Decimal("0.00"), note(m["rest"])
        except ValueError:
            raise CellError(f"{text!r} is not clear: {MONEY_HELP}") from None
    m = _MONEY.fullmatch(text)
    if m is None and re.search(r"\d", text):
        raise CellError(f"{text!r} does not start with the amount: {MONEY_HELP}")
    if m is None:
        raise CellError(f"{text!r} has no amount: {MONEY_HELP}, or None if nothing was paid")
    amount_text, rest = m["amount"], m["rest"]
    if _EXPONENT.match(rest):
        raise CellError(
            f"{text!r} is written with an exponent: write the amount in full, "
            "e.g. £1,000 rather than 1e3"
        )
    if m["neg"] or m["neg2"]:
        raise CellError(f"{text!r} is negative: compensation paid cannot be below £0")
    total = _pennies(_amount(amount_text, text), repr(text))
    if structured := _STRUCTURED.fullmatch(rest):
        return total, structured["reasons"] or None
    has_currency = m["cur"] is not None
    if suffix := _POUNDS_SUFFIX.match(rest):
        has_currency = True
        rest = rest[suffix.end() :]
    if re.match(r"[.,]\d", rest):
        raise CellError(f"{text!r}: the amount is not clear (check the commas and points)")
    _breakdown(total, rest, text)
    try:
        reasons = note(rest, loose=has_currency)
    except ValueError:
        raise CellError(f"{text!r} is not clear: {MONEY_HELP}") from None
    return total, reasons


def money_cell_text(amount: Decimal, reasons: str | None) -> str:
    """The text a compensation cell is written as so that :func:`parse_money` reads back
    exactly ``(amount, reasons)``: ``£1,250.00 (time and trouble)`` when that reads back,
    else the ``[reasons]`` form (reasons holding another amount, brackets, ...)."""
    if not reasons:
        return pounds(amount)
    plain = f"{pounds(amount)} ({reasons})"
    try:
        if parse_money(plain) == (amount, reasons):
            return plain
    except CellError:
        pass
    return f"{pounds(amount)} [reasons] {reasons}"


__all__ = ["MAX_AMOUNT", "MONEY_HELP", "PENNY", "money_cell_text", "parse_money", "pounds"]
