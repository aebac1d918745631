"""Rows of a sheet that are not cases, and columns that are not the log's.

Between its cases a team's log has headings and notes: a month ("April 2025"), "Stage 2
cases", a total row, a remark typed in the reference column (or left of it). :func:`not_cases`
finds them so that they are reported as skipped, with their row numbers, never read as a case
(whose reference would be ``APRIL2025``). :func:`drop_old_reasons` recognises the ``Reason``
column of a rejected-rows workbook written by an earlier version of the tool.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Final

from complaints_cli.files.headers import column_letter

_PLAIN_REFERENCE: Final = re.compile(r"[A-Z]+[0-9]{3,}")


def _is_blank(value: object) -> bool:
    return value is None or value == "" or (isinstance(value, str) and not value.strip())


# A heading between cases: a month ("April 2025", "Apr-25", "APRIL 2025"), a quarter or a
# year ("Q1 2025/26", "2025"), a stage ("Stage 2 cases"), a total row ("Total", "Grand
# total: 12"). A cell with only such text in the reference column is never a reference.
_MONTH_NAMES = (
    "jan|january|feb|february|mar|march|apr|april|may|jun|june|jul|july|aug|august|sep|sept|"
    "september|oct|october|nov|november|dec|december"
)
_HEADING = re.compile(
    rf"(?:(?:{_MONTH_NAMES})\.?[\s\-/']*(?:\d{{2}}|\d{{4}})(?:\s*[-/]\s*\d{{2,4}})?"
    r"|q[1-4]\s*(?:\d{2,4}(?:\s*[-/]\s*\d{2,4})?)?|\d{4}(?:\s*[-/]\s*\d{2,4})?"
    r"|(?:stage\s*[12]|ombudsman|closed|open)\b.*\bcases?\b.*)",
    re.I | re.S,
)
# A total row ("Total", "Totals", "Grand total: 40", "Sub-total"): counts and sums may fill
# its other cells, the date received's included.
_TOTAL = re.compile(r"(?:grand\s+|sub\s*-?\s*)?totals?\b.*", re.I | re.S)
_LIKE_REFERENCE = re.compile(r"[A-Za-z]+[ \-_/]?\d+")


def not_cases(
    rows: Sequence[Sequence[object]], data: list[int], ref_index: int, rec_index: int
) -> list[tuple[int, str]]:
    """The heading, note and total rows among ``data`` (row indices), as ``(index, text)``.

    A row is not a case when its reference cell says "Total" (whatever its other cells hold),
    or is blank or a count with "Total" beside it and only numbers besides, or holds heading
    text (a month, a quarter, "Stage 2 cases") and its date received is blank, or when it has
    a single non-blank cell, of heading text, or of text that does not look like a reference
    typed in the reference column or a column left of it (a note). A
    lone cell in any other column (a summary, an amount, a second complainant) is the rest
    of a case split over two rows: that row is read as a case, and refused for its missing
    reference, never skipped with its value (fresh-user trial). Any other row is a case, and
    is read (and refused when something is missing). Most rows are cheap: a reference as the
    log writes it (``SPRUCE001``) is a case at once.
    """
    out: list[tuple[int, str]] = []
    plain = _PLAIN_REFERENCE.fullmatch
    for index in data:
        row = rows[index]
        ref = row[ref_index] if ref_index < len(row) else None
        if type(ref) is str and plain(ref):
            continue
        received = row[rec_index] if rec_index < len(row) else None
        text = " ".join(ref.split()) if isinstance(ref, str) else ""
        if text and (_TOTAL.fullmatch(text) or (_is_blank(received) and _HEADING.fullmatch(text))):
            out.append((index, text))
            continue
        filled = [(i, v) for i, v in enumerate(row) if not _is_blank(v)]
        label = _total_beside_counts(ref, [v for _, v in filled])
        if label:
            out.append((index, label))
            continue
        column, value = filled[0] if len(filled) == 1 else (0, None)
        if isinstance(value, str):
            note = " ".join(value.split())
            if (
                _HEADING.fullmatch(note)
                or _TOTAL.fullmatch(note)
                or (column <= ref_index and not _LIKE_REFERENCE.fullmatch(note))
            ):
                out.append((index, note))
    return out


def _total_beside_counts(ref: object, filled: list[object]) -> str:
    """The label of a total row whose reference cell is blank or a count (``=COUNTA(A:A)``)
    and whose one text cell says "Total" beside numbers only (counts, sums), else ``""``.
    A "Total" beside a date or other text is left to be read as a case."""
    if isinstance(ref, str) and ref.strip():
        return ""
    texts = [v for v in filled if isinstance(v, str)]
    if len(texts) != 1 or not all(
        isinstance(v, str) or (isinstance(v, int | float) and not isinstance(v, bool))
        for v in filled
    ):
        return ""
    label = " ".join(texts[0].split())
    return label if _TOTAL.fullmatch(label) else ""


def short(text: str) -> str:
    return text if len(text) <= 40 else text[:37] + "..."


_OLD_REASON = re.compile(r"row \d+: ")


def drop_old_reasons(
    rows: Sequence[Sequence[object]], header_index: int, unknown: dict[int, str], notes: list[str]
) -> None:
    """The ``Reason`` column of a rejected-rows workbook written before it was named
    :data:`~complaints_cli.files.headers.REJECTED_BECAUSE`: the last column, headed
    ``Reason``, every value ``row N: ...``. Left out (as ``Rejected because`` is), never kept
    as a case's column."""
    if not unknown:
        return
    index = max(unknown)
    if unknown[index].strip().casefold() != "reason":
        return
    values = [r[index] for r in rows[header_index + 1 :] if index < len(r)]
    filled = [v for v in values if not _is_blank(v)]
    if filled and all(isinstance(v, str) and _OLD_REASON.match(v) for v in filled):
        del unknown[index]
        notes.append(
            f"column {column_letter(index)} 'Reason' holds the reasons a rejected-rows workbook "
            "gives: left out"
        )


__all__ = ["drop_old_reasons", "not_cases", "short"]
