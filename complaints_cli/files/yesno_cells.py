"""Reading a Yes/No cell, with its explanation, and an extension cell, with its new date.

The rules are :mod:`complaints_cli.files.cells`' (its module docstring, "Yes/No"): ``Yes``,
``No``, ``Y``, ``N``, ``TRUE``, ``FALSE``, then an explanation after a dash, colon, comma or
semicolon, or in brackets; an extension's new date only when it is named as one (``new date
24/03/2025``, ``extended to 10 March 2025``). The export writes ``Yes [new date dd/mm/yyyy]
[reason] <text>`` when the plain form would not read back (a Yes/No cell's ``Yes - <text>``
always does: the explanation is everything after the first dash and its spaces).
"""

from __future__ import annotations

import re
from datetime import date

from complaints_cli.domain.dates import format_uk
from complaints_cli.files.cell_basics import CellError, describe, is_empty, note, type_name
from complaints_cli.files.date_cells import parse_text_date

_YESNO = re.compile(r"(?P<word>yes|no|y|n|true|false)(?![a-z0-9'])(?P<rest>.*)", re.I | re.S)
_YESNO_HELP = "write Yes or No, optionally followed by ' - ' and the explanation"


def parse_yesno(value: object) -> tuple[bool, str | None] | None:
    """A Yes/No cell: ``(answer, explanation or None)``, or ``None`` when empty.

    ``Yes - sent late, handler on leave`` -> ``(True, "sent late, handler on leave")``.
    """
    if is_empty(value):
        return None
    if isinstance(value, bool):
        return value, None
    if not isinstance(value, str):
        raise CellError(f"{describe(value)} is {type_name(value)}, not Yes or No: {_YESNO_HELP}")
    text = value.strip()
    m = _YESNO.fullmatch(text)
    if m is None:
        raise CellError(f"{text!r} is not Yes or No: {_YESNO_HELP}")
    answer = m["word"].lower() in {"yes", "y", "true"}
    try:
        explanation = note(m["rest"])
    except ValueError:
        if not m["rest"][:1].isspace():  # "Y/N", "Yes/No": a template, not an answer
            raise CellError(f"{text!r} is not Yes or No: {_YESNO_HELP}") from None
        word = "Yes" if answer else "No"
        raise CellError(
            f"{text!r} does not separate the answer from its explanation: write {word}, "
            f"then ' - ' or brackets, then the explanation (e.g. '{word} - handler on leave')"
        ) from None
    return answer, explanation


_NEW_DATE = re.compile(
    r"\b(?:new\s+(?:response\s+)?(?:due\s+)?(?:date|deadline)|revised\s+(?:response\s+)?"
    r"(?:date|deadline)|extended\s+(?:to|until|till)|extension\s+(?:to|until))\b"
    r"\s*(?:is\s+|of\s+|[:=\-–]\s*)?"
    r"(?P<date>\d{1,4}[/.\-]\d{1,2}[/.\-]\d{1,4}"
    r"|(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+)?"
    r"(?:\d{1,2}(?:st|nd|rd|th)?(?:\s+of)?[\s\-]+[a-z]{3,9}\.?[\s\-,]+\d{2,4}"
    r"|[a-z]{3,9}\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{2,4}))"
    r"(?![\d/.\-]*\d)",
    re.I,
)


def parse_extension(value: object) -> tuple[bool, str | None, date | None] | None:
    """An extension cell (columns 12 and 21): ``(extended, reason, new date)`` or ``None``.

    ``Yes - awaiting contractor report (new date 24/03/2025)`` ->
    ``(True, "awaiting contractor report", date(2025, 3, 24))``.
    """
    text = value.strip() if isinstance(value, str) else ""
    structured = _STRUCTURED_EXTENSION.fullmatch(text)
    if structured and (structured["date"] or structured["reason"] is not None):
        new_date = structured["date"]
        extended = structured["word"].lower() == "yes"
        day = parse_text_date(new_date) if new_date else None
        if day is not None and not extended:
            raise CellError(f"{text!r} says No but gives a new date: write Yes")
        return extended, structured["reason"] or None, day
    parsed = parse_yesno(value)
    if parsed is None:
        return None
    extended, explained = parsed
    if explained is None:
        return extended, None, None
    text = text or str(value)
    matches = list(_NEW_DATE.finditer(explained))
    if not matches:
        return extended, explained, None
    dates: list[date] = []
    for m in matches:
        try:
            dates.append(parse_text_date(m["date"]))
        except CellError as err:
            raise CellError(f"the new date in {text!r} cannot be read: {err.reason}") from None
    if len(set(dates)) > 1:
        listed = " and ".join(format_uk(d) for d in dates)
        raise CellError(f"{text!r} gives two different new dates ({listed}): keep one")
    if not extended:
        raise CellError(f"{text!r} says No but gives a new date: write Yes, or drop the date")
    reason = _without_new_date(explained, matches[0]) if len(matches) == 1 else explained
    return extended, reason or None, dates[0]


#: The export's form when the plain one would not read back: ``Yes [new date 04/03/2025]
#: [reason] <the reason as stored>``; the reason runs to the end of the cell.
_STRUCTURED_EXTENSION = re.compile(
    r"(?P<word>yes|no)(?: \[new date (?P<date>\d{2}/\d{2}/\d{4})\])?"
    r"(?: \[reason\] (?P<reason>.*))?",
    re.I | re.S,
)


def extension_cell_text(extended: bool, reason: str | None, new_date: date | None) -> str:
    """The text an extension cell is written as so that :func:`parse_extension` reads back
    exactly ``(extended, reason, new_date)``: ``Yes - reason (new date 04/03/2025)`` when that
    reads back, else ``Yes [new date 04/03/2025] [reason] reason`` (a reason that mentions a
    date, starts with a bracket, ...)."""
    word = "Yes" if extended else "No"
    plain = f"{word} - {reason}" if reason else word
    if new_date is not None:
        plain += f" (new date {format_uk(new_date)})"
    try:
        if parse_extension(plain) == (extended, reason, new_date):
            return plain
    except CellError:
        pass
    out = word
    if new_date is not None:
        out += f" [new date {format_uk(new_date)}]"
    if reason:
        out += f" [reason] {reason}"
    return out


def _without_new_date(note: str, m: re.Match[str]) -> str:
    """Take the ``new date ...`` phrase out of the reason when it is bracketed or at the end;
    otherwise (it sits mid-sentence) keep the reason as written."""
    before, after = note[: m.start()], note[m.end() :]
    if before.rstrip().endswith("(") and after.lstrip().startswith(")"):
        cut = before.rstrip()[:-1] + after.lstrip()[1:]
    elif not after.strip():
        cut = re.sub(r"[\s,;\-–—:]*$", "", before)
    else:
        return note
    return " ".join(cut.split()).strip(" ,;-–—:")
