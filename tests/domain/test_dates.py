from datetime import date

import pytest

from complaints_cli.domain.dates import format_uk, parse_date
from complaints_cli.errors import ComplaintsError


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-02-03", date(2025, 2, 3)),
        ("03/02/2025", date(2025, 2, 3)),  # 3 February: UK order
        ("3/2/2025", date(2025, 2, 3)),
        ("12/11/2025", date(2025, 11, 12)),
        ("31.01.2025", date(2025, 1, 31)),
        ("31-01-2025", date(2025, 1, 31)),
        (" 2025-2-3 ", date(2025, 2, 3)),
        ("29/02/2024", date(2024, 2, 29)),
        # Year first is always year-month-day, whatever the separator.
        ("2025/02/03", date(2025, 2, 3)),
        ("2025.02.03", date(2025, 2, 3)),
        # The month's name is never ambiguous; a time of day is dropped.
        ("3 February 2025", date(2025, 2, 3)),
        ("Monday 3rd of Feb 2025", date(2025, 2, 3)),
        ("February 3, 2025", date(2025, 2, 3)),
        ("03/02/2025 14:30", date(2025, 2, 3)),
        # The bounds themselves.
        ("01/01/1990", date(1990, 1, 1)),
        ("31/12/2100", date(2100, 12, 31)),
    ],
)
def test_accepted_forms(text: str, expected: date) -> None:
    assert parse_date(text) == expected


def test_today_and_yesterday() -> None:
    assert parse_date("today", today=date(2025, 3, 1)) == date(2025, 3, 1)
    assert parse_date("Yesterday", today=date(2025, 3, 1)) == date(2025, 2, 28)


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("02/13/2025", "not a real date"),  # US order: month 13 does not exist
        ("31/02/2025", "not a real date"),
        ("29/02/2025", "not a real date"),
        ("03/02/25", "two-digit year"),
        ("next tuesday", "not a date"),
        ("2025/02/", "not a date"),
        ("", "not a date"),
        ("3 Feb 25", "two-digit year"),
        ("Tuesday 3 February 2025", "contradicts itself"),
        ("03/02/2025 24:00", "time of day that does not exist"),
        # Issue 16: years outside 1990-2100 are typing mistakes, here as in a workbook cell.
        ("31/12/1989", "is in 1989: a complaint date must fall between 1990 and 2100"),
        ("01/01/2101", "is in 2101"),
        ("0001-01-01", "is in 1"),
        ("9999-12-31", "is in 9999"),
    ],
)
def test_refused_with_the_value_named(text: str, fragment: str) -> None:
    with pytest.raises(ComplaintsError) as err:
        parse_date(text, what="date received")
    assert fragment in str(err.value)
    assert repr(text.strip()) in str(err.value)
    assert str(err.value).startswith("date received")


def test_words_only_where_asked() -> None:
    """A workbook cell is not read on the day it was typed: ``today`` is refused there."""
    with pytest.raises(ComplaintsError, match="'today' is not a date"):
        parse_date("today", what="", words=False)


def test_today_is_bounded_too() -> None:
    with pytest.raises(ComplaintsError, match="is in 2101"):
        parse_date("today", today=date(2101, 1, 1))


def test_format_uk() -> None:
    assert format_uk(date(2025, 2, 3)) == "03/02/2025"
    assert format_uk(None) == ""
