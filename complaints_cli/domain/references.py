"""Complaint references: ``SPRUCE001``, ``SPRUCE002``, ... ``SPRUCE999``, ``SPRUCE1000``."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable

from complaints_cli.errors import NotFoundError

_REF = re.compile(r"([A-Z][A-Z0-9]*?)[\s\-_]*(\d+)")


def format_reference(prefix: str, number: int) -> str:
    """At least three digits, growing past 999: ``format_reference("SPRUCE", 7) == "SPRUCE007"``."""
    return f"{prefix}{number:03d}"


def normalise_reference(text: str) -> str:
    """What a handler typed, as stored: ``spruce 7`` and ``Spruce-007`` both -> ``SPRUCE007``."""
    value = text.strip().upper()
    m = _REF.fullmatch(value)
    if m is None:
        return value
    return format_reference(m[1], int(m[2]))


def split_reference(reference: str) -> tuple[str, int] | None:
    """``SPRUCE012`` -> ``("SPRUCE", 12)``; ``None`` for a reference not of that shape."""
    m = _REF.fullmatch(reference.strip().upper())
    return (m[1], int(m[2])) if m else None


def highest_number(prefix: str, references: Iterable[str]) -> int:
    """The largest number among ``references`` that are ``prefix`` then digits (0 when none).

    ``HA2001`` is number 1 of prefix ``HA2`` and number 2001 of prefix ``HA``: a prefix that
    ends in a digit is read with the prefix known, never guessed.
    """
    return highest_numbers([prefix], references).get(prefix, 0)


def highest_numbers(prefixes: Iterable[str], references: Iterable[str]) -> dict[str, int]:
    """``{prefix: the largest number among references with that prefix}`` (only prefixes
    some reference has)."""
    wanted = list(prefixes)
    best: dict[str, int] = {}
    for ref in references:
        for prefix in wanted:
            number = number_after(prefix, ref)
            if number is not None and number > best.get(prefix, -1):
                best[prefix] = number
    return best


def number_after(prefix: str, reference: str) -> int | None:
    """The number of ``reference`` when it is ``prefix`` then digits, else ``None``."""
    if not reference.startswith(prefix):
        return None
    digits = reference[len(prefix) :]
    return int(digits) if digits.isdigit() and digits.isascii() else None


def suggest(reference: str, known: Iterable[str], limit: int = 3) -> list[str]:
    """The nearest known references, for a "did you mean" hint."""
    return difflib.get_close_matches(reference.upper(), list(known), n=limit, cutoff=0.6)


def not_found(reference: str, known: Iterable[str]) -> NotFoundError:
    """The error for an unknown reference, suggesting the nearest known ones."""
    close = suggest(normalise_reference(reference), known)
    hint = f"; did you mean {', '.join(close)}?" if close else ""
    return NotFoundError(f"no complaint with reference {reference!r}{hint}")
