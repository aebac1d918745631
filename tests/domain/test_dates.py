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
        ("2025/02/03", "not a date"),
        ("", "not a date"),
    ],
)
def test_refused_with_the_value_named(text: str, fragment: str) -> None:
    with pytest.raises(ComplaintsError) as err:
        parse_date(text, what="date received")
    assert fragment in str(err.value)
    assert repr(text.strip()) in str(err.value)
    assert str(err.value).startswith("date received")


def test_format_uk() -> None:
    assert format_uk(date(2025, 2, 3)) == "03/02/2025"
    assert format_uk(None) == ""
