"""Complaint references: the one grammar for ``SPRUCE001``, ``SPRUCE1000``, ``HA2001``.

A reference is a **prefix** and a **number**, written as the prefix then the number with at
least three digits (the procedure's ``SPRUCE001``; it grows past 999 to ``SPRUCE1000``). The
prefix is 1-12 capital letters or digits, starting with a letter (:data:`PREFIX`), so it may end
in a digit (``HA2``): then ``HA2001`` is number 1 of prefix ``HA2`` *and* could be read as
number 2001 of prefix ``HA``. The grammar never guesses between them:

* where the prefix is known (the team's configured prefix, the prefixes the log's counter
  already holds), a reference is read with it: :func:`split_reference` with ``prefixes``;
* numbers are handed out per prefix and checked with the prefix known (:func:`number_after`,
  :func:`highest_numbers`), so the counter for ``HA`` moves past ``HA2001`` too, and no two
  prefixes can ever hand out the same text;
* what a handler types is forgiven: case, spaces and separators (``spruce 7``, ``Spruce-007``
  -> ``SPRUCE007``); without a known prefix the prefix is everything before the separator, or
  the letters before the digits.

Config validation (:func:`check_prefix`), the commands (:func:`normalise_reference`), the
import's reference cells (:func:`parse_reference`), the counter and the folder names all use
this module.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Final

from complaints_cli.errors import ComplaintsError, NotFoundError

__all__ = [
    "MIN_DIGITS",
    "PREFIX",
    "check_prefix",
    "format_reference",
    "highest_number",
    "highest_numbers",
    "normalise_reference",
    "not_found",
    "number_after",
    "parse_reference",
    "split_reference",
    "suggest",
]

#: A reference prefix: 1-12 capital letters or digits, starting with a letter.
PREFIX: Final = re.compile(r"[A-Z][A-Z0-9]{0,11}")
#: The fewest digits a reference's number is written with.
MIN_DIGITS: Final = 3
#: The largest number a reference may carry: nine digits, so that the counter (a 32-bit
#: ``INTEGER`` on PostgreSQL, whose largest is 2,147,483,647) always holds it and the next one;
#: a longer number is a typing mistake, not a complaint.
MAX_NUMBER: Final = 10**9 - 1

_SEPARATED: Final = re.compile(r"([A-Z][A-Z0-9]{0,11})[\s\-_/]+(\d+)")
_LETTERS: Final = re.compile(r"([A-Z]{1,12})(\d+)")
_COMPACT: Final = re.compile(r"[\s\-_/]+")


def check_prefix(text: str, source: str) -> str:
    """A configured prefix, upper-cased; :class:`ComplaintsError` naming ``source`` if it is
    not 1-12 letters or digits starting with a letter."""
    prefix = text.strip().upper()
    if not PREFIX.fullmatch(prefix):
        raise ComplaintsError(
            f"reference prefix {text!r} (from {source}) must be 1-12 letters or digits "
            "starting with a letter, e.g. SPRUCE"
        )
    return prefix


def format_reference(prefix: str, number: int) -> str:
    """At least three digits, growing past 999: ``format_reference("SPRUCE", 7) == "SPRUCE007"``."""
    return f"{prefix}{number:0{MIN_DIGITS}d}"


def number_after(prefix: str, reference: str) -> int | None:
    """The number of ``reference`` when it is ``prefix`` then digits, else ``None``."""
    if not reference.startswith(prefix):
        return None
    digits = reference[len(prefix) :]
    return int(digits) if digits.isdigit() and digits.isascii() else None


def split_reference(text: str, prefixes: Iterable[str] = ()) -> tuple[str, int] | None:
    """``(prefix, number)`` of a reference as typed, or ``None`` when it is not one.

    A known prefix (longest first) wins; then a prefix written before a separator
    (``HA2-001``); then the letters before the digits (``SPRUCE012``).
    """
    value = text.strip().upper()
    compact = _COMPACT.sub("", value)
    for prefix in sorted(prefixes, key=len, reverse=True):
        number = number_after(prefix, compact)
        if number is not None:
            return prefix, number
    m = _SEPARATED.fullmatch(value) or _LETTERS.fullmatch(compact)
    if m is None:
        return None
    return m[1], int(m[2])


def normalise_reference(text: str, prefixes: Iterable[str] = ()) -> str:
    """What a handler typed, as stored: ``spruce 7`` and ``Spruce-007`` both -> ``SPRUCE007``;
    text that is not a reference comes back upper-cased, to be reported as not found."""
    parts = split_reference(text, prefixes)
    if parts is None or parts[1] > MAX_NUMBER:
        return text.strip().upper()
    return format_reference(*parts)


def parse_reference(text: str, prefixes: Iterable[str] = ()) -> str:
    """A reference as a workbook cell holds it, strictly: the prefix and at least three
    digits (``SPRUCE1`` is refused, not padded: its folder is named with what the log says).
    Returned as the commands read it (:func:`normalise_reference`): ``SPRUCE0001`` is
    ``SPRUCE001``, the same complaint (kept as typed, it was a second case no command could
    reach: ``show SPRUCE0001`` showed SPRUCE001). Raises :class:`ComplaintsError` with what
    is wrong and how to write it."""
    value = " ".join(text.split()).upper()
    parts = split_reference(value, prefixes)
    if parts is None:
        raise ComplaintsError(
            f"{text!r} is not a reference: write a prefix and at least three digits, e.g. SPRUCE001"
        )
    prefix, number = parts
    if not re.fullmatch(rf"{re.escape(prefix)}[\s\-_/]*\d+", value):
        # Separators inside the number (SH-2025-001) are another scheme's structure: it is
        # not read as SH2025001.
        raise ComplaintsError(
            f"{text!r} is not a reference: write a prefix and at least three digits, e.g. SPRUCE001"
        )
    digits = _COMPACT.sub("", value)[len(prefix) :]
    if len(digits) < MIN_DIGITS:
        raise ComplaintsError(
            f"{text!r} has fewer than three digits: write it as the log numbers it, "
            f"e.g. {format_reference(prefix, number)}"
        )
    if number > MAX_NUMBER:
        raise ComplaintsError(f"{text!r} has a number too large for a reference")
    return format_reference(prefix, number)


def highest_numbers(prefixes: Iterable[str], references: Iterable[str]) -> dict[str, int]:
    """``{prefix: the largest number among references that are that prefix then digits}``
    (only prefixes some reference has; numbers beyond :data:`MAX_NUMBER` are ignored)."""
    wanted = list(prefixes)
    best: dict[str, int] = {}
    for ref in references:
        for prefix in wanted:
            number = number_after(prefix, ref)
            if number is not None and number > best.get(prefix, -1) and number <= MAX_NUMBER:
                best[prefix] = number
    return best


def highest_number(prefix: str, references: Iterable[str]) -> int:
    """The largest number among ``references`` that are ``prefix`` then digits (0 when none).

    ``HA2001`` is number 1 of prefix ``HA2`` and number 2001 of prefix ``HA``: a prefix that
    ends in a digit is read with the prefix known, never guessed.
    """
    return highest_numbers([prefix], references).get(prefix, 0)


def suggest(reference: str, known: Iterable[str], limit: int = 3) -> list[str]:
    """The nearest known references, for a "did you mean" hint."""
    import difflib  # only when a reference is not found

    return difflib.get_close_matches(reference.upper(), list(known), n=limit)  # cutoff 0.6


def not_found(
    reference: str,
    known: Iterable[str],
    *,
    void: Iterable[str] = (),
    prefixes: Iterable[str] = (),
    writing: bool = False,
) -> NotFoundError:
    """The error for an unknown reference, suggesting the nearest known ones.

    ``known``: the log's references; ``prefixes``: the prefixes it numbers (the counter's).
    A bare number (``show 1``) suggests the references with that number under each prefix
    (``SPRUCE001``), never a near spelling; anything else the nearest spellings
    (:func:`suggest`). ``void``: the void references among ``known``: shown marked ``(void)``
    where the case is read (``show``), left out where it would be changed (``writing``: a
    void case takes no change but ``reopen``, so it is never the "did you mean" of one).
    """
    void_refs = set(void)
    candidates = [k for k in known if not (writing and k in void_refs)]
    text = reference.strip()
    if text.isdigit() and text.isascii():
        number = int(text)
        have = set(candidates)
        wanted = {format_reference(p, number) for p in prefixes}
        close = sorted(wanted & have)
    else:
        close = suggest(normalise_reference(reference, prefixes), candidates)
    shown = [f"{c} (void)" if c in void_refs else c for c in close]
    hint = f"; did you mean {', '.join(shown)}?" if shown else ""
    return NotFoundError(f"no complaint with reference {reference!r}{hint}")
