"""Amounts of compensation: pounds and pence, typed by a person, kept exactly.

The log shows pounds (``£1,250.00``); the store keeps whole pence; everything in between is a
:class:`~decimal.Decimal` of pounds with two decimal places. An amount a person types is read
strictly, so that a slip never becomes a different sum: digit groups only where a thousands
separator belongs (``1,250``, never ``1,2,3``), no exponent (``1e3`` is not £1,000), at most two
decimal places, nothing negative, and no more than :data:`MAX_AMOUNT` (the Housing Ombudsman's
largest orders are thousands of pounds; a million is a typing mistake).
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Final

from complaints_cli.errors import ComplaintsError

__all__ = ["MAX_AMOUNT", "PENNY", "from_pence", "parse_amount", "to_pence"]

PENNY: Final = Decimal("0.01")
#: The largest amount the log accepts, in pounds.
MAX_AMOUNT: Final = Decimal("1000000")

#: ASCII digits only (``\d`` would take ``١٢٣`` and full-width ``１２３``).
_AMOUNT: Final = re.compile(r"£?[ \u00a0]*((?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]{1,2})?)")


def parse_amount(text: str, what: str = "compensation") -> Decimal:
    """``£1,250.00``, ``1250``, ``50.5`` -> ``Decimal("1250.00")``; ``ComplaintsError`` naming
    ``what`` and the value for anything else."""
    m = _AMOUNT.fullmatch(text.strip())
    if m is None:
        raise ComplaintsError(
            f"{what} {text!r} is not an amount in pounds and pence, e.g. 250 or £1,250.00"
        )
    digits = m[1].replace(",", "")
    # Compared before any arithmetic: 400 digits would overflow the decimal context.
    if len(digits.split(".")[0].lstrip("0")) > 7 or Decimal(digits) > MAX_AMOUNT:
        raise ComplaintsError(f"{what} {text!r} is more than £{MAX_AMOUNT:,.0f}: check the amount")
    return Decimal(digits).quantize(PENNY)


def to_pence(amount: Decimal) -> int:
    """Pounds -> whole pence (the amount has at most two decimal places).

    :class:`ComplaintsError` for an amount that is not finite, negative or more than
    :data:`MAX_AMOUNT`, whatever path it came by (a workbook's ``1e308``): the store's
    column holds no more, and SQLite would overflow where PostgreSQL refuses."""
    if not amount.is_finite() or not 0 <= amount <= MAX_AMOUNT:
        raise ComplaintsError(
            f"compensation {amount} is not between £0 and £{MAX_AMOUNT:,.0f}: check the amount"
        )
    return int(amount * 100)


def from_pence(pence: int) -> Decimal:
    """Whole pence -> pounds with two decimal places."""
    return (Decimal(pence) / 100).quantize(PENNY)
