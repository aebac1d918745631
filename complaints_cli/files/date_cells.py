"""Reading a date cell: real dates, Excel serial numbers in either date system, UK text dates.

The rules (from the procedure's own examples and from what Excel and LibreOffice write):

* A ``datetime`` gives its day (to the millisecond: 23:59:59.9996 is the next day, as a
  spreadsheet shows it); a ``date`` is itself.
* A number is a serial in the workbook's date system: the 1900 system by default (with
  Excel's fictitious 29 February 1900, serial 60, refused), the 1904 system, or an
  OpenDocument ``table:null-date``. It is taken at 15 significant digits and to the
  millisecond first, so ``45678.99999999999`` is day 45679, as Excel shows it.
* Text is read in UK order only (``03/02/2025`` is 3 February), ISO ``2025-02-03``, or with
  the month's name; two-digit years, words and numbers typed as text are refused.
* Every date must fall between :data:`MIN_YEAR` and :data:`MAX_YEAR` (a typing mistake
  otherwise: ``0025``, ``2205``).
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime, time, timedelta
from typing import Final

from complaints_cli.domain.dates import format_uk, parse_date
from complaints_cli.errors import ComplaintsError
from complaints_cli.files.cell_basics import CellError, describe, is_empty, type_name

#: Complaint dates outside these years are refused as typing mistakes.
MIN_YEAR: Final = 1990
MAX_YEAR: Final = 2100

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
DATE_HELP = "write it as dd/mm/yyyy (UK order), yyyy-mm-dd or 3 February 2025"


def _plausible(day: date, shown: str) -> date:
    if not MIN_YEAR <= day.year <= MAX_YEAR:
        raise CellError(
            f"{shown} is in {day.year}: a complaint date must fall between {MIN_YEAR} and "
            f"{MAX_YEAR}"
        )
    return day


#: Day 0 of each date system. Excel's 1900 system counts from 1899-12-31 with a 29 February
#: 1900 that never was, so from serial 61 on it is a plain count from 1899-12-30 (which is
#: also LibreOffice's default ``table:null-date``); the 1904 system counts from 1904-01-01.
EPOCH_1900: Final = date(1899, 12, 30)
EPOCH_1904: Final = date(1904, 1, 1)

#: A spreadsheet keeps 15 significant digits of a number and shows a date-time to the
#: millisecond at best: a serial computed as 45678.99999999999 is shown as the next day.
_MS_PER_DAY: Final = 86_400_000


def shown_serial(serial: float) -> float:
    """A serial as a spreadsheet shows it: 15 significant digits (Excel's precision), then
    rounded to the millisecond (``45678.99999999999`` -> ``45679.0``)."""
    rounded = float(f"{serial:.15g}")
    if abs(rounded) < 1e12:
        rounded = round(rounded * _MS_PER_DAY) / _MS_PER_DAY
    return rounded


def excel_serial_to_date(
    serial: float, *, epoch_1904: bool = False, epoch: date | None = None
) -> date:
    """The day an Excel date number stands for; any fraction (a time of day) is dropped.

    1900 system: serial 1 is 1900-01-01, and Excel counts a 29 February 1900 that never
    existed (serial 60), so serials from 61 are one day behind a plain count. 1904 system
    (``epoch_1904``): serial 0 is 1904-01-01. ``epoch`` (an OpenDocument ``table:null-date``)
    is day 0 of a plain count and overrides both. The serial is first taken as a spreadsheet
    shows it (:func:`shown_serial`), so floating-point dust below a whole day is that day.
    Raises :class:`CellError` for serial 60 and 0 (1900 system), negative, infinite or
    out-of-range numbers; no year check is made here.
    """
    shown = f"Excel date number {serial!r}"
    if isinstance(serial, float) and not math.isfinite(serial):
        raise CellError(f"{shown} is not a date")
    if abs(serial) > 1e9:  # also a huge int, which cannot become a float
        raise CellError(f"{shown} is too large to be a date")
    whole = math.floor(shown_serial(serial))
    if whole < 0:
        raise CellError(f"{shown} is negative, not a date")
    try:
        if epoch is not None and epoch not in (EPOCH_1900, EPOCH_1904):
            return epoch + timedelta(days=whole)
        if epoch_1904 or epoch == EPOCH_1904:
            return EPOCH_1904 + timedelta(days=whole)
        if whole == 0:
            raise CellError(f"{shown} is Excel's 0 January 1900, not a real date")
        if whole == 60:
            raise CellError(
                f"{shown} is 29 February 1900, a day that did not exist "
                "(Excel's 1900 leap-year bug)"
            )
        if whole < 60:
            return date(1899, 12, 31) + timedelta(days=whole)
        return EPOCH_1900 + timedelta(days=whole)
    except OverflowError:
        raise CellError(f"{shown} is too large to be a date") from None


def datetime_day(value: datetime) -> date:
    """The day a date-time shows: to the millisecond, so 23:59:59.9996 is the next day (a
    reader's float-to-time conversion can leave a serial's last digit just short of it)."""
    day = value.date()
    if value.time() >= _LAST_MS and day < date.max:
        return day + timedelta(days=1)
    return day


_LAST_MS: Final = time(23, 59, 59, 999_500)


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
        raise CellError(f"{shown!r} is not a date: {DATE_HELP}")
    return _plausible(found, repr(shown))


def parse_date_cell(
    value: object, *, epoch_1904: bool = False, epoch: date | None = None
) -> date | None:
    """A date column's cell: a date, or ``None`` when empty. See :mod:`.cells`."""
    if is_empty(value):
        return None
    if isinstance(value, datetime):
        day = datetime_day(value)
        return _plausible(day, day.isoformat())
    if isinstance(value, date):
        return _plausible(value, value.isoformat())
    if isinstance(value, bool):
        raise CellError(f"{describe(value)} is a TRUE/FALSE value, not a date")
    if isinstance(value, int | float):
        day = excel_serial_to_date(value, epoch_1904=epoch_1904, epoch=epoch)
        return _plausible(day, f"Excel date number {value!r} ({format_uk(day)})")
    if isinstance(value, time):
        raise CellError(f"{describe(value)} is a time of day without a date")
    if isinstance(value, str):
        text = value.strip()
        if re.fullmatch(r"\d+(?:\.\d+)?", text):
            raise CellError(f"{text!r} is a number typed as text, not a date: {DATE_HELP}")
        return parse_text_date(text)
    raise CellError(f"{describe(value)} is {type_name(value)}, not a date")
