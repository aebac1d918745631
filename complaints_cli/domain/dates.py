"""Dates as people type them in a UK office: the one date grammar.

Every date typed as text is read here: a command's option, an interactive answer, a date in a
workbook cell (:mod:`complaints_cli.files.date_cells` hands its text cells to
:func:`parse_date`), an action's due date, an extension's new date. The forms:

* UK order only: ``03/02/2025``, ``3.2.2025``, ``03-02-2025`` are 3 February; US month-first
  order never is (``02/30/2025`` is refused, not turned round);
* year first: ``2025-02-03`` (ISO), ``2025/02/03``, ``2025.02.03``;
* the month's name, which is never ambiguous: ``3 February 2025``, ``3 Feb 2025``,
  ``3-Feb-2025``, ``3rd of February 2025``, ``Monday 3 February 2025`` (the weekday must
  agree), ``February 3, 2025``;
* any of these followed by a time of day (``03/02/2025 14:30``, ``3 Feb 2025 at 2:30 pm``),
  which must exist and is dropped (the log records days);
* ``today`` and ``yesterday``, where a person types at a prompt or an option (``words``).

Two-digit years are refused (``03/02/25`` could be 1925 or 2025), and so is every date
outside :data:`MIN_YEAR`-:data:`MAX_YEAR` (a typing mistake: ``0025``, ``2205``; issue 16's
bounds). Anything that is not certainly one date is refused with a message naming the value,
so no deadline is ever counted from a guess.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Final

from complaints_cli.errors import ComplaintsError

__all__ = [
    "DATE_HELP",
    "MAX_YEAR",
    "MIN_YEAR",
    "days_left_text",
    "due_when",
    "format_uk",
    "in_years",
    "parse_date",
]

#: Dates outside these years are refused as typing mistakes (issue 16: "years 1990-2100 for
#: events"; the oldest complaint a log migrated from Excel may hold, and a bound far past any
#: deadline the tool works out).
MIN_YEAR: Final = 1990
MAX_YEAR: Final = 2100

#: How to write a date, for messages.
DATE_HELP: Final = "write it as dd/mm/yyyy (UK order), yyyy-mm-dd or 3 February 2025"

_WORDS: Final = {"today": 0, "yesterday": -1}


# Run once, at import: before the mutation run picks a mutant, so none could be caught.
# pragma: no mutate start
def _names(groups: tuple[tuple[str, ...], ...], start: int) -> dict[str, int]:
    return {name: n for n, names in enumerate(groups, start=start) for name in names}


# pragma: no mutate end


_MONTHS: Final = _names(
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
    1,
)
_WEEKDAYS: Final = _names(
    (
        ("mon", "monday"),
        ("tue", "tues", "tuesday"),
        ("wed", "weds", "wednesday"),
        ("thu", "thur", "thurs", "thursday"),
        ("fri", "friday"),
        ("sat", "saturday"),
        ("sun", "sunday"),
    ),
    0,
)
_TIME_SUFFIX: Final = re.compile(
    r"(?P<date>.+?)(?:[ T]+|,\s*|\s+at\s+)(?P<h>\d{1,2}):(?P<m>\d{2})"
    r"(?::(?P<s>\d{2})(?:\.\d{1,6})?)?\s*(?P<ampm>[ap]\.?m\.?)?",
    re.I,
)
_NUMERIC: Final = re.compile(r"(?P<a>\d{1,4})(?P<sep>[/.\-])(?P<b>\d{1,2})(?P=sep)(?P<c>\d{1,4})")
_WEEKDAY_PREFIX: Final = r"(?:(?P<wd>[a-z]+)\.?,?\s+)?"
_DAY_MONTH_YEAR: Final = re.compile(
    _WEEKDAY_PREFIX + r"(?P<d>\d{1,2})(?:st|nd|rd|th)?(?:\s+of)?[\s\-/.]*"
    r"(?P<mon>[a-z]+)\.?[\s\-/.,]*(?P<y>\d+)",
    re.I,
)
_MONTH_DAY_YEAR: Final = re.compile(
    _WEEKDAY_PREFIX + r"(?P<mon>[a-z]+)\.?\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y>\d+)",
    re.I,
)


def in_years(day: date, shown: str) -> date:
    """``day`` when its year is within :data:`MIN_YEAR`-:data:`MAX_YEAR`; else
    :class:`~complaints_cli.errors.ComplaintsError` ``"<shown> is in 2205: a complaint date
    must fall between 1990 and 2100"``."""
    if not MIN_YEAR <= day.year <= MAX_YEAR:
        raise ComplaintsError(
            f"{shown} is in {day.year}: a complaint date must fall between {MIN_YEAR} and "
            f"{MAX_YEAR}"
        )
    return day


def _real(year: int, month: int, day: int, shown: str) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise ComplaintsError(
            f"{shown} is not a real date (day {day}, month {month}, year {year})"
        ) from None


def _numeric(m: re.Match[str], shown: str) -> date | None:
    a, b, c = m["a"], m["b"], m["c"]
    if len(a) == 4 and len(c) <= 2:  # year first: 2025-02-03, 2025/02/03
        return _real(int(a), int(b), int(c), shown)
    if len(a) <= 2 and len(c) == 4:  # UK order: 03/02/2025
        return _real(int(c), int(b), int(a), shown)
    if len(a) <= 2 and len(c) == 2:
        raise ComplaintsError(f"{shown} has a two-digit year: write it as dd/mm/yyyy or yyyy-mm-dd")
    return None


def _named_month(m: re.Match[str], shown: str) -> date | None:
    month = _MONTHS.get(m["mon"].lower())
    weekday = m["wd"]
    if month is None or (weekday is not None and weekday.lower() not in _WEEKDAYS):
        return None
    year_text = m["y"]
    if len(year_text) == 2:
        raise ComplaintsError(f"{shown} has a two-digit year: write the year in full, e.g. 2025")
    if len(year_text) != 4:
        return None
    found = _real(int(year_text), month, int(m["d"]), shown)
    if weekday is not None and found.weekday() != _WEEKDAYS[weekday.lower()]:
        raise ComplaintsError(
            f"{shown} contradicts itself: {found.day} {found:%B %Y} is a {found:%A}"
        )
    return found


def _check_time(m: re.Match[str], shown: str) -> None:
    hour, minute = int(m["h"]), int(m["m"])
    second = int(m["s"]) if m["s"] else 0
    hour_ok = 1 <= hour <= 12 if m["ampm"] else hour <= 23
    if not (hour_ok and minute <= 59 and second <= 59):
        raise ComplaintsError(f"{shown} has a time of day that does not exist")


def parse_date(
    text: str, *, what: str = "date", today: date | None = None, words: bool = True
) -> date:
    """Read one date typed by a person, in any form of the module notes.

    ``what`` names the value in messages (``"date received '31/02/2025' is not a real
    date ..."``; ``""``: the value alone, as a workbook cell's message gives it); ``today``
    is the day ``today`` and ``yesterday`` count from (with ``words``). Raises
    :class:`~complaints_cli.errors.ComplaintsError` naming ``what`` and the value when the
    text is not certainly one real date between :data:`MIN_YEAR` and :data:`MAX_YEAR`.
    """
    value = " ".join(text.split())
    shown = f"{what} {value!r}" if what else repr(value)
    lowered = value.lower()
    if words and lowered in _WORDS:
        day = (today or date.today()) + timedelta(days=_WORDS[lowered])
        return in_years(day, shown)
    body = value
    if m := _TIME_SUFFIX.fullmatch(value):
        _check_time(m, shown)
        body = m["date"].strip()
    found: date | None = None
    if m := _NUMERIC.fullmatch(body):
        found = _numeric(m, shown)
    else:
        for pattern in (_DAY_MONTH_YEAR, _MONTH_DAY_YEAR):
            if (m := pattern.fullmatch(body)) and (found := _named_month(m, shown)):
                break
    if found is None:
        if _without_year(body):
            raise ComplaintsError(f"{shown} has no year: write the year in full, e.g. 2025")
        raise ComplaintsError(f"{shown} is not a date: {DATE_HELP}")
    return in_years(found, shown)


# A day and a month with no year ("4 Feb", "Feb 3rd", "03/02"): said so, never completed with
# this year (a log's dates span years; the fresh-user trial's "Feb 3"). Compiled on first use
# (re's cache), as only a refused date needs it: compiling it at start-up costs every command.
_NO_YEAR: Final = (
    _WEEKDAY_PREFIX + r"(?:(?P<d1>\d{1,2})(?:st|nd|rd|th)?(?:\s+of)?[\s\-/.]*(?P<m1>[a-z]+)\.?"
    r"|(?P<m2>[a-z]+)\.?\s+(?P<d2>\d{1,2})(?:st|nd|rd|th)?"
    r"|(?P<d3>\d{1,2})[/.\-](?P<m3>\d{1,2}))"
)


def _without_year(text: str) -> bool:
    """Whether ``text`` is a real day of a month, with no year."""
    m = re.fullmatch(_NO_YEAR, text, re.I)
    if m is None:
        return False
    if m["d3"]:
        return 1 <= int(m["d3"]) <= 31 and 1 <= int(m["m3"]) <= 12
    day, month = (m["d1"], m["m1"]) if m["d1"] else (m["d2"], m["m2"])
    return 1 <= int(day) <= 31 and month.lower() in _MONTHS


def format_uk(value: date | None) -> str:
    """``date(2025, 2, 3)`` -> ``03/02/2025``; ``None`` -> ``""``."""
    return value.strftime("%d/%m/%Y") if value else ""


def due_when(left: int | None, *, overdue: bool = False) -> str:
    """When a deadline falls, from the working days left: ``today``, ``in 3 working day(s)``,
    ``overdue by 2 working day(s)``, or ``overdue`` (``overdue``: the deadline was the working
    day before a weekend or holiday that ``left`` (0) counts as today). The one phrase of the
    ``Next:`` lines and the digest: a deadline due today read "in 0 working day(s)"."""
    if left is None:
        left = 0
    if left < 0:
        return f"overdue by {-left} working day(s)"
    if left == 0:
        return "overdue" if overdue else "today"
    return f"in {left} working day(s)"


def days_left_text(left: int, state: str) -> str:
    """``show``'s and ``due --explain``'s ``3 working day(s) left`` after a deadline's
    ``state``; ``due today`` for a pending one due today (it read "0 working day(s) left");
    ``overdue by 2 working day(s)`` for a deadline passed, ``2 working day(s) ago`` for a window
    ended (both read "-2 working day(s) left")."""
    if left < 0:
        return f"{-left} working day(s) ago" if state == "elapsed" else due_when(left)
    return "due today" if left == 0 and state == "pending" else f"{left} working day(s) left"
