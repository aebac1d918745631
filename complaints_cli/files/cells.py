"""Reading one cell of a Complaints Log spreadsheet, never guessing.

A cell arrives as openpyxl or calamine gives it: ``str``, ``int``, ``float``, ``datetime``,
``date``, ``time``, ``bool`` or ``None``. Each ``parse_*`` function returns the value the
column stores, ``None`` for an empty cell, or raises :class:`CellError` whose ``reason`` says
exactly what is wrong with the value and how to write it. Nothing is silently dropped: a value
that could mean two things is refused.

Decisions on the ambiguous cases
--------------------------------
Empty
    ``None``, ``""``, whitespace, ``N/A``, ``n/a``, ``NA``, ``N.A.``, ``Not applicable``,
    ``TBC``, ``TBA``, ``TBD``, ``To be confirmed``, ``-``, ``--``, ``---``, ``–``, ``—`` are
    empty in every column. ``None`` is empty too, except in free-text columns (summaries,
    learning, address: ``None`` is an answer there, e.g. "no learning", and is kept as text)
    and in the compensation column (where it means nothing was paid, see below).
Dates
    A ``datetime`` gives its date; any time of day is dropped (the log records days). Numbers
    are Excel serials: the 1900 system by default (serial 1 is 1 January 1900; serial 60 is
    Excel's fictitious 29 February 1900 and is refused), the 1904 system with
    ``epoch_1904=True``; a fraction (a time of day) is dropped. Text is read in UK order only:
    ``03/02/2025``, ``3.2.2025``, ``03-02-2025`` are 3 February; also ``2025-02-03`` (and
    ``2025/02/03``), ``3 February 2025``, ``3 Feb 2025``, ``3-Feb-2025``, ``Monday 3 February
    2025`` (the weekday must agree), ``February 3, 2025`` (a month *name* is never ambiguous),
    each optionally followed by a time (``03/02/2025 14:30``), which is dropped. Two-digit
    years, words (``today``), a number typed as text (``45678``), a lone ``time`` and years
    before 1990 or after 2100 are refused.
Yes/No
    ``Yes``/``No``/``Y``/``N``/``TRUE``/``FALSE`` (text or a real boolean), optionally followed
    by an explanation after a dash, colon, comma or semicolon, or in brackets: ``No (annual
    leave)`` -> ``(False, "annual leave")``. An explanation separated by a space only (``No
    response sent``) is refused: it may be a sentence that starts with "No". Column 16 (escalated)
    stores no explanation, so ``Yes - by email`` is refused there rather than losing the text.
    Numbers (1/0) are refused. In the extension columns an explicit ``new date``, ``new
    deadline``, ``revised date`` or ``extended to/until`` followed by a date gives the new
    deadline (it is taken out of the reason when it is bracketed or ends the text); a date
    without such words stays part of the reason; two different new dates, or a new date on a
    ``No``, are refused.
Money
    An amount in pounds, optionally with ``£``/``GBP``/``pounds`` and thousands commas, and at
    most two decimal places, then the reasons after a dash, colon, comma or in brackets (or
    after a space when the amount has its ``£``): ``£1,250.00 (time and trouble)`` ->
    ``(Decimal("1250.00"), "time and trouble")``. Amounts are always returned with two
    decimal places. A float cell is read through its shortest repr (``50.5`` -> ``50.50``) and
    refused unless it is a whole number of pence. ``None``, ``Nil``, ``No``, ``Nothing``,
    ``No compensation`` and ``£0`` mean *nothing was paid*: ``(Decimal("0.00"), reasons)``,
    which differs from an empty cell (not decided yet). More than one amount (``£50 + £25
    goodwill``) is refused rather than summed, since a second amount may be a previous offer;
    so are negative amounts, pence (``50p``) and text without an amount.
Status / stage
    Case, spacing and punctuation are ignored; stages also accept ``Stage1``, ``S2``, ``Stage
    two``, ``1``/``2`` and ``HOS``/``Housing Ombudsman`` for ``Ombudsman``. ``PRS`` is refused:
    the Property Redress Scheme is not the Ombudsman.
Reference
    Upper-cased, and one space, hyphen, underscore or slash between the prefix and the digits is
    removed: ``spruce-001`` -> ``SPRUCE001``. The prefix is letters only and the number has at
    least three digits (``SPRUCE1`` is refused, not padded: its folder is named with what the log
    says). A bare number is refused: its prefix is missing.
Text / person
    Outer whitespace is stripped; line breaks inside a cell are kept (``\\r\\n`` becomes
    ``\\n``). Numbers become their text (``12.0`` -> ``"12"``), dates ``dd/mm/yyyy``, booleans
    ``TRUE``/``FALSE`` as Excel shows them. Person columns accept text only, with runs of spaces
    collapsed in each line (a complainant cell may list several people, one a line).
Stage 2 escalation details (column 18)
    The text is kept whole; the review type is taken from it only when the text *starts* with
    ``Manager review`` or ``Compensation review`` (``Senior`` and ``Stage 2 -`` allowed before).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Final

from complaints_cli.domain.columns import CHANNELS, REVIEW_TYPES, STAGES, STATUSES, Column
from complaints_cli.domain.dates import format_uk, parse_date
from complaints_cli.errors import ComplaintsError
from complaints_cli.files.headers import EXTRA_COLUMNS, ExtraColumn

#: Complaint dates outside these years are refused as typing mistakes.
MIN_YEAR: Final = 1990
MAX_YEAR: Final = 2100

PENNY: Final = Decimal("0.01")


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


def _describe(value: object) -> str:
    """How a refused value is shown in a reason."""
    if isinstance(value, str):
        return repr(value.strip())
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return repr(value)


def _type_name(value: object) -> str:
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


def _outer_brackets(text: str) -> bool:
    """Whether ``text`` is one bracketed group: ``(a (b) c)`` yes, ``(a) b (c)`` no."""
    if not (text.startswith("(") and text.endswith(")")):
        return False
    depth = 0
    for i, char in enumerate(text):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth == 0 and i < len(text) - 1:
            return False
    return depth == 0


def _note(rest: str, *, loose: bool = False) -> str | None:
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
        return (stripped[1:-1].strip() if _outer_brackets(stripped) else stripped) or None
    if loose and rest[:1].isspace() and stripped[:1].isalpha():
        return stripped
    raise ValueError(stripped)


# --- dates --------------------------------------------------------------------------------------

_MONTHS: Final = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}
_WEEKDAYS: Final = {
    name: number
    for number, names in enumerate(
        (
            ("mon", "monday"),
            ("tue", "tues", "tuesday"),
            ("wed", "weds", "wednesday"),
            ("thu", "thur", "thurs", "thursday"),
            ("fri", "friday"),
            ("sat", "saturday"),
            ("sun", "sunday"),
        )
    )
    for name in names
}
_TIME_SUFFIX = re.compile(
    r"(?P<date>.+?)(?:[ T]+|,\s*|\s+at\s+)(?P<h>\d{1,2}):(?P<m>\d{2})"
    r"(?::(?P<s>\d{2})(?:\.\d{1,6})?)?\s*(?P<ampm>[ap]\.?m\.?)?",
    re.I,
)
_NUMERIC_DATE = re.compile(r"(?P<a>\d{1,4})(?P<sep>[/.\-])(?P<b>\d{1,2})(?P=sep)(?P<c>\d{1,4})")
_WEEKDAY_PREFIX = r"(?:(?P<wd>[a-z]+)\.?,?\s+)?"
_DAY_MONTH_YEAR = re.compile(
    _WEEKDAY_PREFIX + r"(?P<d>\d{1,2})(?:st|nd|rd|th)?(?:\s+of)?[\s\-/.]*"
    r"(?P<mon>[a-z]+)\.?[\s\-/.,]*(?P<y>\d+)",
    re.I,
)
_MONTH_DAY_YEAR = re.compile(
    _WEEKDAY_PREFIX + r"(?P<mon>[a-z]+)\.?\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y>\d+)",
    re.I,
)
_DATE_HELP = "write it as dd/mm/yyyy (UK order), yyyy-mm-dd or 3 February 2025"


def _plausible(day: date, shown: str) -> date:
    if not MIN_YEAR <= day.year <= MAX_YEAR:
        raise CellError(
            f"{shown} is in {day.year}: a complaint date must fall between {MIN_YEAR} and "
            f"{MAX_YEAR}"
        )
    return day


def excel_serial_to_date(serial: float, *, epoch_1904: bool = False) -> date:
    """The day an Excel date number stands for; any fraction (a time of day) is dropped.

    1900 system: serial 1 is 1900-01-01, and Excel counts a 29 February 1900 that never
    existed (serial 60), so serials from 61 are one day behind a plain count. 1904 system
    (``epoch_1904``): serial 0 is 1904-01-01. Raises :class:`CellError` for serial 60 and 0
    (1900 system), negative, infinite or out-of-range numbers; no year check is made here.
    """
    shown = f"Excel date number {serial!r}"
    if not math.isfinite(serial):
        raise CellError(f"{shown} is not a date")
    whole = math.floor(serial)
    if whole < 0:
        raise CellError(f"{shown} is negative, not a date")
    try:
        if epoch_1904:
            return date(1904, 1, 1) + timedelta(days=whole)
        if whole == 0:
            raise CellError(f"{shown} is Excel's 0 January 1900, not a real date")
        if whole == 60:
            raise CellError(
                f"{shown} is 29 February 1900, a day that did not exist "
                "(Excel's 1900 leap-year bug)"
            )
        if whole < 60:
            return date(1899, 12, 31) + timedelta(days=whole)
        return date(1899, 12, 30) + timedelta(days=whole)
    except OverflowError:
        raise CellError(f"{shown} is too large to be a date") from None


def _check_time(m: re.Match[str], text: str) -> None:
    hour, minute = int(m["h"]), int(m["m"])
    second = int(m["s"]) if m["s"] else 0
    limit_ok = 1 <= hour <= 12 if m["ampm"] else hour <= 23
    if not (limit_ok and minute <= 59 and second <= 59):
        raise CellError(f"{text!r} has a time of day that does not exist")


def _named_month_date(m: re.Match[str], text: str) -> date | None:
    month = _MONTHS.get(m["mon"].lower())
    weekday = m["wd"]
    if month is None or (weekday is not None and weekday.lower() not in _WEEKDAYS):
        return None
    year_text = m["y"]
    if len(year_text) == 2:
        raise CellError(f"{text!r} has a two-digit year: write the year in full, e.g. 2025")
    if len(year_text) != 4:
        return None
    day, year = int(m["d"]), int(year_text)
    try:
        found = date(year, month, day)
    except ValueError:
        raise CellError(
            f"{text!r} is not a real date (day {day}, month {month}, year {year})"
        ) from None
    if weekday is not None and found.weekday() != _WEEKDAYS[weekday.lower()]:
        raise CellError(f"{text!r} contradicts itself: {found.day} {found:%B %Y} is a {found:%A}")
    return found


def parse_text_date(text: str) -> date:
    """Read a date typed as text (UK order, see the module docstring); check its year."""
    shown = " ".join(text.split())
    body = shown
    if m := _TIME_SUFFIX.fullmatch(shown):
        _check_time(m, shown)
        body = m["date"].strip()
    found: date | None = None
    if m := _NUMERIC_DATE.fullmatch(body):
        a, sep, b, c = m["a"], m["sep"], m["b"], m["c"]
        if len(a) == 4 and len(c) <= 2 and sep != "-":
            # 2025/02/03 or 2025.02.03: year first is always year-month-day.
            try:
                found = date(int(a), int(b), int(c))
            except ValueError:
                raise CellError(
                    f"{shown!r} is not a real date (day {c}, month {b}, year {a})"
                ) from None
        elif (len(a) == 4 and len(c) <= 2) or (len(a) <= 2 and len(c) in (2, 4)):
            try:
                found = parse_date(body, what="date")
            except ComplaintsError as err:
                reason = str(err).removeprefix("date ")
                raise CellError(reason.replace(repr(body), repr(shown), 1)) from None
    else:
        for pattern in (_DAY_MONTH_YEAR, _MONTH_DAY_YEAR):
            if m := pattern.fullmatch(body):
                found = _named_month_date(m, shown)
                if found is not None:
                    break
    if found is None:
        raise CellError(f"{shown!r} is not a date: {_DATE_HELP}")
    return _plausible(found, repr(shown))


def parse_date_cell(value: object, *, epoch_1904: bool = False) -> date | None:
    """A date column's cell: a date, or ``None`` when empty. See the module docstring."""
    if is_empty(value):
        return None
    if isinstance(value, datetime):
        return _plausible(value.date(), value.date().isoformat())
    if isinstance(value, date):
        return _plausible(value, value.isoformat())
    if isinstance(value, bool):
        raise CellError(f"{_describe(value)} is a TRUE/FALSE value, not a date")
    if isinstance(value, int | float):
        day = excel_serial_to_date(value, epoch_1904=epoch_1904)
        return _plausible(day, f"Excel date number {value!r} ({format_uk(day)})")
    if isinstance(value, time):
        raise CellError(f"{_describe(value)} is a time of day without a date")
    if isinstance(value, str):
        text = value.strip()
        if re.fullmatch(r"\d+(?:\.\d+)?", text):
            raise CellError(f"{text!r} is a number typed as text, not a date: {_DATE_HELP}")
        return parse_text_date(text)
    raise CellError(f"{_describe(value)} is {_type_name(value)}, not a date")


# --- yes/no -------------------------------------------------------------------------------------

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
        raise CellError(f"{_describe(value)} is {_type_name(value)}, not Yes or No: {_YESNO_HELP}")
    text = value.strip()
    m = _YESNO.fullmatch(text)
    if m is None:
        raise CellError(f"{text!r} is not Yes or No: {_YESNO_HELP}")
    answer = m["word"].lower() in {"yes", "y", "true"}
    try:
        note = _note(m["rest"])
    except ValueError:
        if not m["rest"][:1].isspace():  # "Y/N", "Yes/No": a template, not an answer
            raise CellError(f"{text!r} is not Yes or No: {_YESNO_HELP}") from None
        word = "Yes" if answer else "No"
        raise CellError(
            f"{text!r} does not separate the answer from its explanation: write {word}, "
            f"then ' - ' or brackets, then the explanation (e.g. '{word} - handler on leave')"
        ) from None
    return answer, note


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
    parsed = parse_yesno(value)
    if parsed is None:
        return None
    extended, note = parsed
    if note is None:
        return extended, None, None
    text = value.strip() if isinstance(value, str) else str(value)
    matches = list(_NEW_DATE.finditer(note))
    if not matches:
        return extended, note, None
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
    reason = _without_new_date(note, matches[0]) if len(matches) == 1 else note
    return extended, reason or None, dates[0]


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


# --- money --------------------------------------------------------------------------------------

_MONEY = re.compile(
    r"(?P<neg>[-−–]\s*)?(?P<cur>£|gbp\b)?\s*(?P<neg2>[-−–]\s*)?"
    r"(?P<amount>\d+(?:,\d+)*(?:\.\d+)?)(?P<rest>.*)",
    re.I | re.S,
)
_AMOUNT_OK = re.compile(r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d{1,2})?")
_POUNDS_SUFFIX = re.compile(r"\s*(?:pounds?|gbp)\b", re.I)
_ANOTHER_AMOUNT = re.compile(r"£\s*\d|\bgbp\s*\d|\d\s*(?:pounds?|gbp)\b|\+\s*£?\s*\d", re.I)
_NOTHING_PAID = re.compile(
    r"(?P<word>no\s+compensation(?:\s+(?:paid|offered|due))?|none(?:\s+(?:paid|offered|due))?"
    r"|nil(?:\s+paid)?|nothing(?:\s+paid)?|no|zero)(?![a-z0-9'])(?P<rest>.*)",
    re.I | re.S,
)
_MONEY_HELP = "write the amount, then the reasons after a dash or in brackets, e.g. '£50 (delay)'"


def _pennies(amount: Decimal, shown: str) -> Decimal:
    if amount < 0:
        raise CellError(f"{shown} is negative: compensation paid cannot be below £0")
    if amount != amount.quantize(PENNY):
        raise CellError(f"{shown} is not a whole number of pence")
    return amount.quantize(PENNY)


def parse_money(value: object) -> tuple[Decimal, str | None] | None:
    """A compensation cell: ``(amount in pounds, reasons or None)``, or ``None`` when empty.

    ``£1,250.00 (time and trouble)`` -> ``(Decimal("1250.00"), "time and trouble")``;
    ``None`` / ``Nil`` / ``No`` -> ``(Decimal("0.00"), None)`` (nothing was paid).
    """
    if value is None or (isinstance(value, str) and is_empty(value, none_is_empty=False)):
        return None
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise CellError(f"{_describe(value)} is {_type_name(value)}, not an amount")
    if isinstance(value, int):
        return _pennies(Decimal(value), repr(value)), None
    if isinstance(value, float):
        if not math.isfinite(value):
            raise CellError(f"{value!r} is not an amount")
        return _pennies(Decimal(repr(value)), repr(value)), None
    text = value.strip()
    if m := _NOTHING_PAID.fullmatch(text):
        try:
            return Decimal("0.00"), _note(m["rest"])
        except ValueError:
            raise CellError(f"{text!r} is not clear: {_MONEY_HELP}") from None
    m = _MONEY.fullmatch(text)
    if m is None and re.search(r"\d", text):
        raise CellError(f"{text!r} does not start with the amount: {_MONEY_HELP}")
    if m is None:
        raise CellError(f"{text!r} has no amount: {_MONEY_HELP}, or None if nothing was paid")
    amount_text, rest = m["amount"], m["rest"]
    has_currency = m["cur"] is not None
    if suffix := _POUNDS_SUFFIX.match(rest):
        has_currency = True
        rest = rest[suffix.end() :]
    if _ANOTHER_AMOUNT.search(rest):
        raise CellError(
            f"{text!r} holds more than one amount: write the total paid, then the reasons"
        )
    if m["neg"] or m["neg2"]:
        raise CellError(f"{text!r} is negative: compensation paid cannot be below £0")
    if not _AMOUNT_OK.fullmatch(amount_text):
        if re.search(r"\.\d{3,}$", amount_text):
            raise CellError(f"{text!r} has more than two decimal places")
        raise CellError(f"{text!r}: {amount_text!r} is not a clear amount (check the commas)")
    if re.match(r"[.,]\d", rest):
        raise CellError(f"{text!r}: the amount is not clear (check the commas and points)")
    try:
        reasons = _note(rest, loose=has_currency)
    except ValueError:
        raise CellError(f"{text!r} is not clear: {_MONEY_HELP}") from None
    return _pennies(Decimal(amount_text.replace(",", "")), repr(text)), reasons


# --- status, stage, channel, review type -------------------------------------------------------


def _squash(text: str) -> str:
    """Lower case without spaces or punctuation: ``' Stage-1. '`` -> ``'stage1'``."""
    return re.sub(r"[\W_]+", "", text.lower())


def _choice(value: object, what: str, table: Mapping[str, str], accepted: tuple[str, ...]) -> str:
    found = table.get(_squash(value)) if isinstance(value, str) else None
    if found is None:
        raise CellError(f"{_describe(value)} is not a {what}: use one of {', '.join(accepted)}")
    return found


def parse_status(value: object) -> str | None:
    """A status cell: one of :data:`.columns.STATUSES`, or ``None`` when empty."""
    if is_empty(value):
        return None
    return _choice(value, "status", {_squash(s): s for s in STATUSES}, STATUSES)


_STAGE_WORDS: Final = {
    "Stage 1": ("stage1", "s1", "stg1", "st1", "stageone", "stagei", "1"),
    "Stage 2": ("stage2", "s2", "stg2", "st2", "stagetwo", "stageii", "2"),
    "Ombudsman": ("ombudsman", "hos", "housingombudsman", "housingombudsmanservice"),
}


def parse_stage(value: object) -> str | None:
    """A stage cell: one of :data:`~complaints_cli.domain.columns.STAGES`, or ``None`` when empty.

    Also accepts the numbers 1 and 2 (an Excel number in a Stage column).
    """
    if is_empty(value):
        return None
    table = {_squash(s): s for s in STAGES}
    for stage, words in _STAGE_WORDS.items():
        if stage in STAGES:
            table.update(dict.fromkeys(words, stage))
    if isinstance(value, int | float) and not isinstance(value, bool) and value in (1, 2):
        value = str(int(value))
    return _choice(value, "stage", table, STAGES)


_CHANNEL_WORDS: Final = {
    "email": ("email", "emails", "emailed"),
    "phone": ("phone", "telephone", "tel", "phonecall", "telephonecall", "call"),
    "letter": ("letter", "post", "bypost"),
    "in person": ("inperson", "facetoface", "f2f"),
    "website": ("website", "web", "webform", "onlineform", "websiteform"),
    "social media": ("socialmedia", "facebook", "twitter", "instagram"),
}


def parse_channel(value: object) -> str | None:
    """A channel cell: one of :data:`~complaints_cli.domain.columns.CHANNELS`, or ``None``."""
    if is_empty(value):
        return None
    table = {_squash(c): c for c in CHANNELS}
    for channel, words in _CHANNEL_WORDS.items():
        if channel in CHANNELS:
            table.update(dict.fromkeys(words, channel))
    return _choice(value, "channel", table, CHANNELS)


_REVIEW_ACCEPTED: Final = tuple(f"{kind.capitalize()} review" for kind in REVIEW_TYPES)


def parse_review_type(value: object) -> str | None:
    """A review type cell: ``manager`` or ``compensation``, or ``None`` when empty."""
    if is_empty(value):
        return None
    table: dict[str, str] = {}
    for kind in REVIEW_TYPES:
        for form in (kind, f"{kind} review", f"senior {kind} review", f"stage 2 {kind} review"):
            table[_squash(form)] = kind
    return _choice(value, "review type", table, _REVIEW_ACCEPTED)


_LEADING_REVIEW = re.compile(
    r"(?:stage\s*2\s*[-–—:,]?\s*)?(?:senior\s+)?(?P<kind>manager|compensation)\s+review\b",
    re.I,
)


def review_type_from_details(details: str | None) -> str | None:
    """The review type a Stage 2 escalation text starts with, or ``None``.

    ``Manager Review - unhappy with repairs`` -> ``manager``; a mention further in (``not a
    compensation review``) is not read, so nothing is guessed from a sentence.
    """
    if not details:
        return None
    m = _LEADING_REVIEW.match(details.strip())
    return m["kind"].lower() if m and m["kind"].lower() in REVIEW_TYPES else None


def parse_actions_cell(value: object) -> tuple[object, ...] | None:
    """An ``Actions`` cell: the case's actions, one a line (:mod:`.action_cells`), as a tuple
    of :class:`.action_cells.ActionCell`, or ``None`` when empty."""
    if is_empty(value):
        return None
    from complaints_cli.files.action_cells import ActionError, parse_actions

    if not isinstance(value, str):
        raise CellError(f"{_describe(value)} is {_type_name(value)}, not a list of actions")
    try:
        return parse_actions(value, parse_stage) or None
    except (ActionError, CellError) as exc:
        raise CellError(str(exc.reason if isinstance(exc, CellError) else exc)) from None


def parse_case_kind(value: object) -> str | None:
    """A case kind cell: ``complaint``, ``service dissatisfaction`` or ``petition``, or
    ``None`` when empty (the log's everyday words too: ``informal``, ``SD``, ``formal``)."""
    if is_empty(value):
        return None
    from complaints_cli.domain.process import parse_kind
    from complaints_cli.domain.vocabulary import CaseKind

    KINDS = tuple(CaseKind)

    if isinstance(value, str):
        try:
            return parse_kind(value)
        except ComplaintsError:
            pass
    raise CellError(f"{_describe(value)} is not a case kind: use one of {', '.join(KINDS)}")


# --- reference -----------------------------------------------------------------------------------

_REFERENCE = re.compile(r"(?P<prefix>[A-Z]+)[ \-_/]?(?P<digits>\d+)")


def parse_reference(value: object, *, prefix: str | None = None) -> str | None:
    """A reference cell, normalised (``spruce-001`` -> ``SPRUCE001``), or ``None`` when empty.

    With ``prefix``, the reference must use it.
    """
    if is_empty(value):
        return None
    if not isinstance(value, str):
        raise CellError(
            f"{_describe(value)} is {_type_name(value)}, not a reference: a reference is a "
            "prefix and at least three digits, e.g. SPRUCE001"
        )
    text = " ".join(value.split())
    m = _REFERENCE.fullmatch(text.upper())
    if m is None:
        raise CellError(
            f"{text!r} is not a reference: write a prefix and at least three digits, e.g. SPRUCE001"
        )
    if len(m["digits"]) < 3:
        raise CellError(
            f"{text!r} has fewer than three digits: write it as the log numbers it, "
            f"e.g. {m['prefix']}{m['digits'].zfill(3)}"
        )
    if prefix is not None and m["prefix"] != prefix.upper():
        raise CellError(f"{text!r} does not start with this log's prefix {prefix.upper()}")
    return m["prefix"] + m["digits"]


def split_reference(reference: str) -> tuple[str, int]:
    """``SPRUCE012`` -> ``("SPRUCE", 12)``; raises :class:`CellError` if it is not one."""
    normal = parse_reference(reference)
    if normal is None:
        raise CellError(f"{reference!r} is not a reference")
    m = _REFERENCE.fullmatch(normal)
    assert m is not None
    return m["prefix"], int(m["digits"])


# --- text and people -----------------------------------------------------------------------------


def _clean_lines(text: str) -> str:
    return text.replace("_x000D_", "").replace("\r\n", "\n").replace("\r", "\n").strip()


def _number_text(value: float) -> str:
    if not math.isfinite(value):
        raise CellError(f"{value!r} is not a value that can be kept as text")
    if value.is_integer():
        return str(int(value))
    return format(Decimal(repr(value)), "f")


def parse_text(value: object) -> str | None:
    """A free-text cell as text, or ``None`` when empty (the word ``None`` is kept)."""
    if is_empty(value, none_is_empty=False):
        return None
    if isinstance(value, str):
        return _clean_lines(value)
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _number_text(value)
    if isinstance(value, datetime):
        shown = format_uk(value.date())
        return shown if value.time() == time(0) else f"{shown} {value.strftime('%H:%M')}"
    if isinstance(value, date):
        return format_uk(value)
    if isinstance(value, time):
        return value.strftime("%H:%M:%S" if value.second else "%H:%M")
    raise CellError(f"{_describe(value)} is {_type_name(value)}, which cannot be kept as text")


def parse_person(value: object) -> str | None:
    """A person cell (one name a line), or ``None`` when empty."""
    if is_empty(value):
        return None
    if not isinstance(value, str):
        raise CellError(f"{_describe(value)} is {_type_name(value)}, not a name")
    lines = (" ".join(line.split()) for line in _clean_lines(value).split("\n"))
    return "\n".join(line for line in lines if line)


# --- one column, one row ------------------------------------------------------------------------


def parse_cell(
    value: object, kind: str, *, epoch_1904: bool = False, prefix: str | None = None
) -> object:
    """Parse one cell for a column kind (a :data:`~complaints_cli.domain.columns.Kind`, or
    ``extension``, ``channel``, ``review_type``, ``case_kind``); see the ``parse_*`` function
    of each kind."""
    if kind == "date":
        return parse_date_cell(value, epoch_1904=epoch_1904)
    if kind == "reference":
        return parse_reference(value, prefix=prefix)
    parsers: dict[str, Callable[[object], object]] = {
        "status": parse_status,
        "stage": parse_stage,
        "person": parse_person,
        "text": parse_text,
        "yesno": parse_yesno,
        "extension": parse_extension,
        "money": parse_money,
        "channel": parse_channel,
        "review_type": parse_review_type,
        "case_kind": parse_case_kind,
        "actions": parse_actions_cell,
    }
    if kind not in parsers:
        raise ValueError(f"unknown column kind {kind!r}")
    return parsers[kind](value)


def parse_column(
    column: Column | ExtraColumn,
    value: object,
    *,
    epoch_1904: bool = False,
    prefix: str | None = None,
) -> dict[str, object]:
    """One cell as the stored fields of its column, every field present (``None`` if empty)."""
    fields = column.fields
    empty: dict[str, object] = dict.fromkeys(fields)
    if column.kind == "yesno" and len(fields) == 3:
        extension = parse_extension(value)
        return empty if extension is None else dict(zip(fields, extension, strict=True))
    if column.kind == "yesno":
        answer = parse_yesno(value)
        if answer is None:
            return empty
        if len(fields) == 1 and answer[1] is not None:
            raise CellError(
                f"{_describe(value)}: this column holds only Yes or No, so the explanation "
                "would be lost; write just Yes or No and put the explanation in another column"
            )
        return dict(zip(fields, answer[: len(fields)], strict=True))
    if column.kind == "money":
        money = parse_money(value)
        return empty if money is None else dict(zip(fields, money, strict=True))
    parsed = parse_cell(value, column.kind, epoch_1904=epoch_1904, prefix=prefix)
    if len(fields) == 2 and fields[1] == "review_type":
        text = parsed if isinstance(parsed, str) else None
        return {fields[0]: parsed, fields[1]: review_type_from_details(text)}
    return {fields[0]: parsed}


def _order(column: Column | ExtraColumn) -> tuple[int, int]:
    if isinstance(column, Column):
        return 0, column.number
    return 1, EXTRA_COLUMNS.index(column) if column in EXTRA_COLUMNS else len(EXTRA_COLUMNS)


def _show(value: object) -> str:
    return format_uk(value) if isinstance(value, date) else str(value)


RowError = tuple[str, object, str]


def parse_row(
    cells_by_column: Mapping[Column | ExtraColumn, object],
    epoch_1904: bool = False,
    *,
    prefix: str | None = None,
) -> tuple[dict[str, object], list[RowError]]:
    """Parse every cell of one row.

    Returns the values keyed by model field name (every field of every column given, ``None``
    when its cell is empty; a column whose cell is refused contributes no fields) and the
    errors as ``(column header, raw value, reason)``. When two columns fill the same field
    (``Stage 1 extended to`` and a new date in column 12; ``Review type`` and a review type
    read from column 18) they must agree, or the later column gets an error.
    """
    values: dict[str, object] = {}
    set_by: dict[str, str] = {}
    errors: list[RowError] = []
    for column, value in sorted(cells_by_column.items(), key=lambda item: _order(item[0])):
        try:
            parsed = parse_column(column, value, epoch_1904=epoch_1904, prefix=prefix)
        except CellError as err:
            errors.append((column.header, value, err.reason))
            continue
        clash = next(
            (
                (name, new)
                for name, new in parsed.items()
                if new is not None and values.get(name) is not None and values[name] != new
            ),
            None,
        )
        if clash is not None:
            name, new = clash
            errors.append(
                (
                    column.header,
                    value,
                    f"says {_show(new)} but {set_by[name]!r} says {_show(values[name])}",
                )
            )
            continue
        for name, new in parsed.items():
            if new is not None:
                values[name] = new
                set_by[name] = column.header
            else:
                values.setdefault(name, None)
    return values, errors
