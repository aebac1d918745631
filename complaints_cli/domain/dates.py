"""Dates as people type them in a UK office.

ISO ``2025-02-03`` and UK ``03/02/2025`` (3 February) are accepted; US month-first order never
is. Anything that is not certainly one date is refused with a message naming the value, so no
deadline is ever counted from a guess.

Every date a person types is within :data:`EARLIEST_YEAR`-:data:`LATEST_YEAR` (1990-2100): a
complaint, a response or an ``--as-of`` day outside them is a typing slip (``0001``, ``9999``),
and counting working days to it would load thousands of years of bank holidays.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_UK = re.compile(r"(\d{1,2})([/.\-])(\d{1,2})\2(\d{4})")
_SHORT_YEAR = re.compile(r"\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2}")

_WORDS = {"today": 0, "yesterday": -1}

#: The first and last years of a date the log accepts (events, ``--as-of``, COMPLAINTS_TODAY).
EARLIEST_YEAR = 1990
LATEST_YEAR = 2100


def check_year(day: date, what: str, text: str | None = None) -> date:
    """``day`` when its year is within :data:`EARLIEST_YEAR`-:data:`LATEST_YEAR`; else
    :class:`~complaints_cli.errors.ComplaintsError` naming ``what`` and the value typed."""
    from complaints_cli.errors import ComplaintsError

    if not EARLIEST_YEAR <= day.year <= LATEST_YEAR:
        shown = text if text is not None else format_uk(day)
        raise ComplaintsError(  # the import's cells say it in the same words
            f"{what} {shown!r} is in {day.year}: a complaint date must fall between "
            f"{EARLIEST_YEAR} and {LATEST_YEAR}"
        )
    return day


def parse_date(text: str, *, what: str = "date", today: date | None = None) -> date:
    """Read one date typed by a person: ``2025-02-03``, ``03/02/2025``, ``today``.

    Raises :class:`~complaints_cli.errors.ComplaintsError` naming ``what`` and the value when
    the text is not a real date in one of those forms, or its year is not 1990-2100
    (:func:`check_year`).
    """
    from complaints_cli.errors import ComplaintsError

    value = text.strip()
    lowered = value.lower()
    if lowered in _WORDS:
        return check_year((today or date.today()) + timedelta(days=_WORDS[lowered]), what, value)
    if m := _ISO.fullmatch(value):
        year, month, day = int(m[1]), int(m[2]), int(m[3])
    elif m := _UK.fullmatch(value):
        day, month, year = int(m[1]), int(m[3]), int(m[4])
    elif _SHORT_YEAR.fullmatch(value):
        raise ComplaintsError(
            f"{what} {value!r} has a two-digit year: write it as dd/mm/yyyy or yyyy-mm-dd"
        )
    else:
        raise ComplaintsError(
            f"{what} {value!r} is not a date: write it as dd/mm/yyyy (UK order) or yyyy-mm-dd"
        )
    try:
        found = date(year, month, day)
    except ValueError:
        raise ComplaintsError(
            f"{what} {value!r} is not a real date (day {day}, month {month}, year {year})"
        ) from None
    return check_year(found, what, value)


def format_uk(value: date | None) -> str:
    """``date(2025, 2, 3)`` -> ``03/02/2025``; ``None`` -> ``""``."""
    return value.strftime("%d/%m/%Y") if value else ""
