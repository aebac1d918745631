"""Reading a date cell: real dates, Excel serial numbers in either date system, UK text dates.

The rules (from the procedure's own examples and from what Excel and LibreOffice write):

* A ``datetime`` gives its day (to the millisecond: 23:59:59.9996 is the next day, as a
  spreadsheet shows it); a ``date`` is itself.
* A number is a serial in the workbook's date system: the 1900 system by default (with
  Excel's fictitious 29 February 1900, serial 60, refused), the 1904 system, or an
  OpenDocument ``table:null-date``. It is taken at 15 significant digits and to the
  millisecond first, so ``45678.99999999999`` is day 45679, as Excel shows it.
* Text is read by :func:`complaints_cli.domain.dates.parse_date`, the one date grammar: UK
  order only (``03/02/2025`` is 3 February), ISO ``2025-02-03``, or with the month's name;
  two-digit years, words (``today``) and numbers typed as text are refused.
* Every date must fall between :data:`MIN_YEAR` and :data:`MAX_YEAR` (a typing mistake
  otherwise: ``0025``, ``2205``), checked by :func:`complaints_cli.domain.dates.in_years`.
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime, time, timedelta
from typing import Final

from complaints_cli.domain.dates import (
    DATE_HELP,
    format_uk,
    in_years,
    parse_date,
)
from complaints_cli.errors import ComplaintsError
from complaints_cli.files.cell_basics import CellError, describe, is_empty, type_name


def _plausible(day: date, shown: str) -> date:
    try:
        return in_years(day, shown)
    except ComplaintsError as err:
        raise CellError(str(err)) from None


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


def parse_text_date(text: str) -> date:
    """A date typed as text in a cell: :func:`complaints_cli.domain.dates.parse_date`, the one
    date grammar (no words such as ``today``: a cell is not read on the day it was typed),
    its message as a :class:`CellError` naming the value alone."""
    try:
        return parse_date(text, what="", words=False)
    except ComplaintsError as err:
        raise CellError(str(err)) from None


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
