"""Cells as spreadsheets store them: serials with floating-point dust, date systems, and the
forms the export writes for extension and compensation cells so that they read back."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from complaints_cli.files.cells import (
    CellError,
    excel_serial_to_date,
    extension_cell_text,
    money_cell_text,
    parse_date_cell,
    parse_extension,
    parse_money,
)

NO_LOG = True  # pure: no log (tests/conftest.py, needs_log)

# --- dates: the day a spreadsheet shows --------------------------------------------------------


@pytest.mark.parametrize(
    ("serial", "expected"),
    [
        (45679, date(2025, 1, 22)),
        (45678.99999999999, date(2025, 1, 22)),  # =A1+1/3+1/3+1/3 and friends
        (45678.999999999, date(2025, 1, 22)),  # within half a millisecond of midnight
        (45678.9999, date(2025, 1, 21)),  # 23:59:51: still the 21st
        (45678.5, date(2025, 1, 21)),  # noon
        (45679.0000000001, date(2025, 1, 22)),
    ],
)
def test_a_serial_is_the_day_a_spreadsheet_shows(serial, expected):
    assert excel_serial_to_date(serial) == expected


def test_a_datetime_a_hair_before_midnight_is_the_next_day():
    assert parse_date_cell(datetime(2025, 1, 21, 23, 59, 59, 999_999)) == date(2025, 1, 22)
    assert parse_date_cell(datetime(2025, 1, 21, 23, 59, 59, 999_500)) == date(2025, 1, 22)
    assert parse_date_cell(datetime(2025, 1, 21, 23, 59, 59, 999_000)) == date(2025, 1, 21)
    assert parse_date_cell(datetime(2025, 1, 21, 0, 0)) == date(2025, 1, 21)


def test_date_systems():
    assert excel_serial_to_date(45691) == date(2025, 2, 3)
    assert excel_serial_to_date(44229, epoch_1904=True) == date(2025, 2, 3)
    # an OpenDocument null date: a plain count from it (StarCalc 1.0's 1900-01-01)
    assert excel_serial_to_date(45689, epoch=date(1900, 1, 1)) == date(2025, 2, 3)
    assert excel_serial_to_date(45691, epoch=date(1899, 12, 30)) == date(2025, 2, 3)
    assert excel_serial_to_date(44229, epoch=date(1904, 1, 1)) == date(2025, 2, 3)


@pytest.mark.parametrize("serial", [1e308, 1e10, -1e10, float("inf"), 10**400])
def test_absurd_serials_are_one_clear_refusal(serial):
    with pytest.raises(CellError, match=r"is (too large to be a date|not a date|negative)"):
        parse_date_cell(serial)


@pytest.mark.parametrize(
    ("value", "year"),
    [("03/02/1989", 1989), ("03/02/2101", 2101), (datetime(1900, 1, 1), 1900), (40, 1900)],
)
def test_years_outside_1990_to_2100_are_refused(value, year):
    with pytest.raises(CellError, match=f"is in {year}: a complaint date must fall between"):
        parse_date_cell(value)


# --- extension cells -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("extended", "reason", "new_date", "written"),
    [
        (True, "awaiting report", date(2025, 3, 24), "Yes - awaiting report (new date 24/03/2025)"),
        (True, None, None, "Yes"),
        (False, None, None, "No"),
        (True, None, date(2025, 3, 24), "Yes (new date 24/03/2025)"),
        # a reason that mentions a date cannot be confused with the new date
        (
            True,
            "new date 03/03/2025 for the visit",
            date(2025, 3, 4),
            "Yes [new date 04/03/2025] [reason] new date 03/03/2025 for the visit",
        ),
        (
            True,
            "contractor: extended to 10 March 2025",
            None,
            "Yes [reason] contractor: extended to 10 March 2025",
        ),
        (
            False,
            "new date 03/03/2025 offered, declined",
            None,
            "No [reason] new date 03/03/2025 offered, declined",
        ),
        (True, "(see letter)", None, "Yes - (see letter)"),
        (True, "[reason] inside", None, "Yes - [reason] inside"),
    ],
)
def test_extension_cells_read_back_exactly(extended, reason, new_date, written):
    text = extension_cell_text(extended, reason, new_date)
    assert text == written
    assert parse_extension(text) == (extended, reason, new_date)


def test_a_structured_extension_with_a_new_date_on_no_is_refused():
    with pytest.raises(CellError, match="says No but gives a new date"):
        parse_extension("No [new date 04/03/2025]")


# --- compensation cells ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "reasons", "written"),
    [
        (Decimal("250.00"), None, "£250.00"),
        (Decimal("1250.00"), "time and trouble", "£1,250.00 (time and trouble)"),
        (
            Decimal("250.00"),
            "£150 time and trouble, £100 distress and inconvenience",
            "£250.00 (£150 time and trouble, £100 distress and inconvenience)",
        ),
        (
            Decimal("250.00"),
            "previous offer £50 declined",
            "£250.00 [reasons] previous offer £50 declined",
        ),
        (Decimal("0.00"), "(not upheld)", "£0.00 ((not upheld))"),
        (Decimal("5.00"), "[reasons] x", "£5.00 ([reasons] x)"),
        (Decimal("5.00"), "x) (y", "£5.00 [reasons] x) (y"),
    ],
)
def test_compensation_cells_read_back_exactly(amount, reasons, written):
    text = money_cell_text(amount, reasons)
    assert text == written
    assert parse_money(text) == (amount, reasons)
