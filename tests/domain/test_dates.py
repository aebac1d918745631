from datetime import date

import pytest

from complaints_cli.domain.dates import DATE_HELP, format_uk, parse_date
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


MONTHS = [
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
]


@pytest.mark.parametrize(
    ("name", "month"), [(name, n) for n, names in enumerate(MONTHS, 1) for name in names]
)
def test_every_month_name(name: str, month: int) -> None:
    assert parse_date(f"1 {name.upper()} 2025") == date(2025, month, 1)
    assert parse_date(f"{name} 1, 2025") == date(2025, month, 1)


WEEKDAYS = [
    ("mon", "monday"),
    ("tue", "tues", "tuesday"),
    ("wed", "weds", "wednesday"),
    ("thu", "thur", "thurs", "thursday"),
    ("fri", "friday"),
    ("sat", "saturday"),
    ("sun", "sunday"),
]


@pytest.mark.parametrize(
    ("name", "day"), [(name, 3 + n) for n, names in enumerate(WEEKDAYS) for name in names]
)
def test_every_weekday_name_must_agree(name: str, day: int) -> None:
    # Monday 3 February 2025 to Sunday 9 February 2025.
    assert parse_date(f"{name} {day} February 2025") == date(2025, 2, day)
    other = 10 if day == 9 else day + 1
    with pytest.raises(ComplaintsError) as err:
        parse_date(f"{name} {other} February 2025", what="")
    found = date(2025, 2, other)
    assert str(err.value) == (
        f"'{name} {other} February 2025' contradicts itself: {other} February 2025 is a {found:%A}"
    )


@pytest.mark.parametrize(
    "time",
    ["00:00", "23:59", "23:59:59", "9:05:00.5", "12:00 pm", "1:00 am", "12:59:59 p.m."],
)
def test_times_of_day_that_exist(time: str) -> None:
    assert parse_date(f"03/02/2025 {time}") == date(2025, 2, 3)
    assert parse_date(f"3 Feb 2025 at {time}") == date(2025, 2, 3)


@pytest.mark.parametrize(
    "time", ["24:00", "23:60", "23:59:60", "0:30 am", "13:00 pm", "00:00 pm", "99:99"]
)
def test_times_of_day_that_do_not_exist(time: str) -> None:
    with pytest.raises(ComplaintsError) as err:
        parse_date(f"03/02/2025 {time}", what="date received")
    assert (
        str(err.value) == f"date received '03/02/2025 {time}' has a time of day that does not exist"
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("31/02/2025", "'31/02/2025' is not a real date (day 31, month 2, year 2025)"),
        ("2025-13-01", "'2025-13-01' is not a real date (day 1, month 13, year 2025)"),
        ("31 June 2025", "'31 June 2025' is not a real date (day 31, month 6, year 2025)"),
        ("03/02/25", "'03/02/25' has a two-digit year: write it as dd/mm/yyyy or yyyy-mm-dd"),
        ("3 Feb 25", "'3 Feb 25' has a two-digit year: write the year in full, e.g. 2025"),
        ("3 Feb 202", "'3 Feb 202' is not a date: " + DATE_HELP),
        # A day and month without a year: said so, never completed with this year.
        ("Feb 3", "'Feb 3' has no year: write the year in full, e.g. 2025"),
        ("4th of February", "'4th of February' has no year: write the year in full, e.g. 2025"),
        ("Tue 4 Feb", "'Tue 4 Feb' has no year: write the year in full, e.g. 2025"),
        ("03/02", "'03/02' has no year: write the year in full, e.g. 2025"),
        ("3 Fbr", "'3 Fbr' is not a date: " + DATE_HELP),
        ("13/13", "'13/13' is not a date: " + DATE_HELP),
        ("3 Feb 20255", "'3 Feb 20255' is not a date: " + DATE_HELP),
        ("3 Fbr 2025", "'3 Fbr 2025' is not a date: " + DATE_HELP),
        ("Funday 3 Feb 2025", "'Funday 3 Feb 2025' is not a date: " + DATE_HELP),
        ("123/02/2025", "'123/02/2025' is not a date: " + DATE_HELP),
        ("2025/02/2025", "'2025/02/2025' is not a date: " + DATE_HELP),
        ("2025-02-003", "'2025-02-003' is not a date: " + DATE_HELP),
        ("1989-12-31", "'1989-12-31' is in 1989: a complaint date must fall between 1990 and 2100"),
        ("2101-01-01", "'2101-01-01' is in 2101: a complaint date must fall between 1990 and 2100"),
    ],
)
def test_exact_refusals(text: str, message: str) -> None:
    with pytest.raises(ComplaintsError) as err:
        parse_date(text, what="")
    assert str(err.value) == message


def test_one_digit_and_two_digit_fields() -> None:
    assert parse_date("1/1/1990") == date(1990, 1, 1)
    assert parse_date("2100-12-31") == date(2100, 12, 31)
    assert parse_date("2025-2-3") == date(2025, 2, 3)
    assert parse_date("today", today=date(1990, 1, 1)) == date(1990, 1, 1)
    assert parse_date("  3   February   2025  ") == date(2025, 2, 3)


def test_what_names_the_value() -> None:
    with pytest.raises(ComplaintsError) as err:
        parse_date("31/02/2025", what="date received")
    assert str(err.value) == (
        "date received '31/02/2025' is not a real date (day 31, month 2, year 2025)"
    )
