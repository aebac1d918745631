"""Every number and date a person types has bounds, and each refusal is one line (issue 16,
item 6): dates and months 1990-2100, working-day counts, amounts, references."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from complaints_cli.domain import periods
from complaints_cli.domain.dates import MAX_YEAR, MIN_YEAR, in_years, parse_date
from complaints_cli.domain.money import MAX_AMOUNT, parse_amount
from complaints_cli.domain.references import (
    MAX_NUMBER,
    highest_number,
    normalise_reference,
    parse_reference,
)
from complaints_cli.domain.workdays import MAX_WORKING_DAYS, Calendar
from complaints_cli.errors import ComplaintsError


def _no_holidays(subdiv: str, first: int, last: int) -> dict[date, str]:
    return {}


# -- dates -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text", ["01/01/0001", "0001-01-01", "31/12/1989", "2101-01-01", "9999-12-31"]
)
def test_a_date_outside_1990_2100_is_refused_in_one_line(text: str) -> None:
    with pytest.raises(ComplaintsError) as err:
        parse_date(text, what="date received")
    message = str(err.value)
    assert "\n" not in message
    year = int(text[:4]) if "-" in text else int(text[-4:])
    assert message == (
        f"date received {text!r} is in {year}: a complaint date must fall between 1990 and 2100"
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [("01/01/1990", date(1990, 1, 1)), ("2100-12-31", date(2100, 12, 31))],
)
def test_the_first_and_last_days_of_the_range_are_accepted(text: str, expected: date) -> None:
    assert parse_date(text) == expected
    assert (MIN_YEAR, MAX_YEAR) == (1990, 2100)


def test_today_outside_the_range_is_refused() -> None:
    """COMPLAINTS_TODAY=9999-12-31, then ``today``: refused, not counted from."""
    with pytest.raises(ComplaintsError, match="is in 9999: a complaint date must fall between"):
        parse_date("today", today=date(9999, 12, 31))
    with pytest.raises(ComplaintsError, match="is in 1989: a complaint date"):
        parse_date("yesterday", today=date(1990, 1, 1))
    assert parse_date("yesterday", today=date(1990, 1, 2)) == date(1990, 1, 1)


def test_in_years_names_the_value_typed() -> None:
    assert in_years(date(2025, 1, 1), "x") == date(2025, 1, 1)
    with pytest.raises(ComplaintsError, match=r"^--as-of '1989' is in 1989: a complaint"):
        in_years(date(1989, 1, 1), "--as-of '1989'")


@pytest.mark.parametrize("text", ["9999-12", "0000-01", "1989-12", "2101-01"])
def test_a_month_outside_the_years_is_refused(text: str) -> None:
    with pytest.raises(ComplaintsError, match="not between 1990 and 2100"):
        periods.month(text)


@pytest.mark.parametrize("text", ["2026-13", "2026-00", "26-10", "2026/10", ""])
def test_a_month_that_is_not_one_is_refused(text: str) -> None:
    with pytest.raises(ComplaintsError, match="is not a month like 2026-10"):
        periods.month(text)


def test_the_months_at_the_edges() -> None:
    assert periods.month("1990-01").start == date(1990, 1, 1)
    assert periods.month("2100-12").end == date(2100, 12, 31)
    assert periods.month(" 2026-2 ").label == "February 2026"


@pytest.mark.parametrize("year", [0, 1989, 2100, 9999, -1])
def test_a_financial_year_outside_the_range_is_refused(year: int) -> None:
    with pytest.raises(ComplaintsError, match="is not a financial year"):
        periods.financial_year(year)


def test_the_financial_years_at_the_edges() -> None:
    assert periods.financial_year(1990).start == date(1990, 4, 1)
    last = periods.financial_year(2099)
    assert (last.end, last.label) == (date(2100, 3, 31), "2099/00")


# -- working days --------------------------------------------------------------------------


@pytest.mark.parametrize("n", [2_147_483_648, -2_147_483_648, MAX_WORKING_DAYS + 1, 10**18])
def test_a_count_beyond_the_limit_is_refused_at_once(n: int) -> None:
    cal = Calendar(holiday_source=_no_holidays)
    with pytest.raises(ComplaintsError, match="working days is more than the 10,000"):
        cal.add_working_days(date(2025, 1, 1), n)
    with pytest.raises(ComplaintsError, match="more than"):
        cal.add_working_days_ordinal(date(2025, 1, 1).toordinal(), n)


def test_the_limit_itself_is_counted() -> None:
    cal = Calendar(holiday_source=_no_holidays)
    start = date(2025, 1, 1)  # a Wednesday: 10,000 weekdays is exactly 2,000 weeks
    assert cal.add_working_days(start, MAX_WORKING_DAYS).toordinal() == start.toordinal() + 14_000
    assert cal.add_working_days(start, -MAX_WORKING_DAYS).toordinal() == start.toordinal() - 14_000


# -- amounts -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("0", "0.00"),
        ("0.01", "0.01"),
        ("250", "250.00"),
        ("£1,250.00", "1250.00"),
        ("£ 50.5", "50.50"),
        ("1000000", "1000000.00"),
        ("1,000,000.00", "1000000.00"),
    ],
)
def test_amounts_accepted(text: str, expected: str) -> None:
    assert parse_amount(text) == Decimal(expected)


@pytest.mark.parametrize(
    "text",
    [
        "1e3",
        "1E3",
        "1e400",
        "1,2,3",
        "12,50",
        "1,0000",
        ",100",
        "100,",
        "-5",
        "-0.01",
        "−5",  # a minus sign, not a hyphen
        "(5)",
        "5.001",
        "5.",
        ".5",
        "NaN",
        "Infinity",
        "inf",
        "",
        " ",
        "£",
        "£-5",
        "5£",
        "5 5",
        "٣",  # an Arabic-Indic digit: \d would take it
        "１００",  # full-width digits
    ],
)
def test_amounts_refused(text: str) -> None:
    with pytest.raises(ComplaintsError) as err:
        parse_amount(text)
    assert "is not an amount in pounds and pence" in str(err.value)


@pytest.mark.parametrize("text", ["1000000.01", "1,000,001", "99999999999999999999", "9" * 400])
def test_amounts_over_the_maximum_are_refused(text: str) -> None:
    with pytest.raises(ComplaintsError, match=r"is more than £1,000,000: check the amount"):
        parse_amount(text)
    assert Decimal("1000000") == MAX_AMOUNT


# -- references ----------------------------------------------------------------------------


def test_a_reference_number_beyond_the_counter_is_refused_in_a_cell() -> None:
    assert parse_reference(f"SPRUCE{MAX_NUMBER}") == f"SPRUCE{MAX_NUMBER}"
    for number in (MAX_NUMBER + 1, 2**63 - 1, 2**63, 10**30):
        with pytest.raises(ComplaintsError, match="too large for a reference"):
            parse_reference(f"SPRUCE{number}")


def test_a_reference_number_beyond_the_counter_is_never_counted() -> None:
    refs = ["SPRUCE007", f"SPRUCE{2**63 - 1}", f"SPRUCE{MAX_NUMBER + 1}"]
    assert highest_number("SPRUCE", refs) == 7
    assert highest_number("SPRUCE", [*refs, f"SPRUCE{MAX_NUMBER}"]) == MAX_NUMBER


def test_a_typed_reference_beyond_the_counter_is_kept_as_typed() -> None:
    """``show SPRUCE99999999999999999999``: not found, never an overflow."""
    assert normalise_reference("spruce 7") == "SPRUCE007"
    assert normalise_reference(f"spruce{MAX_NUMBER}") == f"SPRUCE{MAX_NUMBER}"
    assert normalise_reference("spruce99999999999999999999") == "SPRUCE99999999999999999999"


@pytest.mark.parametrize("amount", ["1e308", "1000000.01", "-0.01", "NaN", "Infinity"])
def test_an_amount_beyond_the_bounds_never_becomes_pence(amount: str) -> None:
    """Whatever path an amount came by (a workbook's ``1e308``), the store is never given
    pence it cannot hold: SQLite would overflow, PostgreSQL's integer refuse."""
    from complaints_cli.domain.money import to_pence

    with pytest.raises(ComplaintsError, match=r"is not between £0 and £1,000,000"):
        to_pence(Decimal(amount))


def test_amounts_at_the_bounds_become_pence() -> None:
    from complaints_cli.domain.money import to_pence

    assert to_pence(Decimal("1000000.00")) == 100_000_000
    assert to_pence(Decimal("0")) == 0
    assert to_pence(Decimal("12.34")) == 1234


def test_a_handler_name_is_at_most_200_characters() -> None:
    from complaints_cli.domain.text import MAX_NAME, handler_name

    assert handler_name(" " + "H" * MAX_NAME + " ", "handler") == "H" * 200
    with pytest.raises(ComplaintsError, match=r"^handler is 201 characters long; a handler's"):
        handler_name("H" * 201, "handler")
    with pytest.raises(ComplaintsError, match=r"^--handler is required: who\?$"):
        handler_name("  ", "--handler", hint=": who?")
