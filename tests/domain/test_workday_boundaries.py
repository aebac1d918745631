"""Working-day counting (domain/workdays.py) against a plain day-by-day count, on each side of
every boundary: year ends, the loaded range's edges, a bank holiday, a closure, n of 0 and -1.

The bank holidays are a fixed list (a holiday source), so the count is the calendar's alone.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from complaints_cli.domain.workdays import (
    MAX_WORKING_DAYS,
    Calendar,
    Explanation,
    RecurringClosure,
    SkippedDay,
    holidays_from_package,
    parse_closure,
)
from complaints_cli.errors import ComplaintsError

HOLIDAYS = {
    date(2024, 12, 25): "Christmas Day",
    date(2024, 12, 26): "Boxing Day",
    date(2025, 1, 1): "New Year's Day",
    date(2025, 4, 18): "Good Friday",
    date(2025, 12, 25): "Christmas Day",
    date(2025, 12, 26): "Boxing Day",
    date(2026, 1, 1): "New Year's Day",
    date(2030, 1, 1): "New Year's Day",
    date(2020, 1, 1): "New Year's Day",
}
CLOSED = {date(2025, 12, 29), date(2025, 12, 30), date(2025, 12, 31)}


def source(subdiv: str, first: int, last: int) -> dict[date, str]:
    assert subdiv == "ENG"
    return {d: n for d, n in HOLIDAYS.items() if first <= d.year <= last}


def fresh() -> Calendar:
    return Calendar(closures=["12-29..12-31"], holiday_source=source)


def plain_add(start: date, n: int) -> date:
    day, left, step = start, abs(n), (1 if n > 0 else -1)
    while left:
        day += timedelta(days=step)
        if (
            day.weekday() < 5
            and day not in HOLIDAYS
            and (day.month, day.day)
            not in {
                (12, 29),
                (12, 30),
                (12, 31),
            }
        ):
            left -= 1
    return day


STARTS = [
    date(2025, 1, 1),
    date(2024, 12, 31),
    date(2025, 12, 24),
    date(2025, 12, 27),
    date(2025, 12, 28),
    date(2026, 1, 2),
    date(2025, 4, 17),
    date(2025, 4, 18),
    date(2023, 1, 1),
    date(2027, 12, 31),
]


@pytest.mark.parametrize("start", STARTS)
def test_add_matches_a_plain_count(start: date) -> None:
    shared = fresh()
    for n in [*range(-12, 13), 250, -250, 600, -600]:
        expected = plain_add(start, n)
        assert shared.add_working_days(start, n) == expected, (start, n)
        assert fresh().add_working_days(start, n) == expected, (start, n)
        ordinal = fresh().add_working_days_ordinal(start.toordinal(), n)
        assert ordinal == expected.toordinal(), (start, n)
        assert shared.add_working_days_ordinal(start.toordinal(), n) == expected.toordinal()
        if n > 0:
            assert shared.working_days_between(start, expected) == n
            assert fresh().working_days_between(expected, start) == -n


def test_loaded_range_edges() -> None:
    cal = fresh().preload(2025, 2025)
    # The first and last working days of the loaded year, counted inside and across its edges.
    # 29-31 December are closed every year: the working day before 02/01/2025 is 27/12/2024.
    assert cal.add_working_days(date(2025, 1, 2), -1) == date(2024, 12, 27)
    assert cal.add_working_days(date(2025, 12, 24), 1) == date(2026, 1, 2)
    assert cal.add_working_days_ordinal(date(2025, 1, 2).toordinal(), -1) == (
        date(2024, 12, 27).toordinal()
    )
    assert cal.add_working_days_ordinal(date(2025, 12, 24).toordinal(), 1) == (
        date(2026, 1, 2).toordinal()
    )
    assert cal.add_working_days_ordinal(date(2025, 6, 7).toordinal(), 0) == (
        date(2025, 6, 7).toordinal()
    )
    assert cal.add_working_days(date(2025, 6, 7), 0) == date(2025, 6, 7)
    assert cal.add_working_days(date(2031, 6, 7), 0) == date(2031, 6, 7)
    assert cal.add_working_days_ordinal(date(2031, 6, 7).toordinal(), 0) == (
        date(2031, 6, 7).toordinal()
    )
    assert cal.add_working_days_many([date(2025, 12, 24), date(2025, 4, 17)], 1) == [
        date(2026, 1, 2),
        date(2025, 4, 21),  # no Easter Monday in this list of holidays
    ]


def test_between_loads_both_ends() -> None:
    assert fresh().working_days_between(date(2019, 12, 31), date(2020, 1, 2)) == 1
    assert fresh().working_days_between(date(2030, 1, 2), date(2029, 12, 31)) == -1
    assert fresh().working_days_between(date(2025, 3, 3), date(2025, 3, 3)) == 0
    far = fresh()
    far.preload(2025, 2025)
    assert far.working_days_between(date(2019, 12, 30), date(2030, 1, 2)) == (
        far.working_days_between(date(2019, 12, 30), date(2025, 1, 1))
        + far.working_days_between(date(2025, 1, 1), date(2030, 1, 2))
    )


def test_too_many_working_days_is_refused() -> None:
    cal = fresh()
    assert cal.add_working_days(date(2025, 1, 1), MAX_WORKING_DAYS) > date(2060, 1, 1)
    with pytest.raises(ComplaintsError) as err:
        fresh().add_working_days(date(2025, 1, 1), MAX_WORKING_DAYS + 1)
    assert str(err.value) == (
        "10,001 working days is more than the 10,000 (about 40 years) a deadline can be "
        "counted over: check the number"
    )
    with pytest.raises(ComplaintsError):
        fresh().add_working_days_ordinal(date(2025, 1, 1).toordinal(), -MAX_WORKING_DAYS - 1)
    assert fresh().add_working_days(date(2025, 1, 1), -MAX_WORKING_DAYS) < date(1990, 1, 1)


def test_reasons_and_non_working_days() -> None:
    cal = fresh()
    assert cal.reason_not_working(date(2025, 12, 27)) == "weekend (Saturday)"
    assert cal.reason_not_working(date(2025, 12, 28)) == "weekend (Sunday)"
    assert cal.reason_not_working(date(2025, 12, 26)) == "bank holiday: Boxing Day"
    assert cal.reason_not_working(date(2025, 12, 29)) == "office closure"
    assert cal.reason_not_working(date(2025, 12, 24)) is None
    assert [(d.day, d.reason, d.source) for d in fresh().non_working_days(2025)] == [
        (date(2025, 1, 1), "New Year's Day", "bank holiday"),
        (date(2025, 4, 18), "Good Friday", "bank holiday"),
        (date(2025, 12, 25), "Christmas Day", "bank holiday"),
        (date(2025, 12, 26), "Boxing Day", "bank holiday"),
        (date(2025, 12, 29), "office closure", "office closure"),
        (date(2025, 12, 30), "office closure", "office closure"),
        (date(2025, 12, 31), "office closure", "office closure"),
    ]
    # A bank holiday wins over a closure on the same day; closures on weekends are not listed.
    both = Calendar(closures=[date(2025, 12, 25), date(2025, 12, 27)], holiday_source=source)
    assert both.reason_not_working(date(2025, 12, 25)) == "bank holiday: Christmas Day"
    assert [d.day for d in both.non_working_days(2025)][-2:] == [
        date(2025, 12, 25),
        date(2025, 12, 26),
    ]
    assert not both.is_working_day(date(2025, 12, 27))
    assert both.is_working_day(date(2025, 12, 29))
    assert not fresh().is_working_day(date(2025, 12, 29))


def test_explanation_lines() -> None:
    explained = fresh().explain(date(2025, 12, 24), 2)
    assert explained == Explanation(
        anchor=date(2025, 12, 24),
        working_days=2,
        due=date(2026, 1, 5),
        anchor_is_working_day=True,
        counted=(date(2026, 1, 2), date(2026, 1, 5)),
        skipped=(
            SkippedDay(date(2025, 12, 25), "bank holiday: Christmas Day"),
            SkippedDay(date(2025, 12, 26), "bank holiday: Boxing Day"),
            SkippedDay(date(2025, 12, 27), "weekend (Saturday)"),
            SkippedDay(date(2025, 12, 28), "weekend (Sunday)"),
            SkippedDay(date(2025, 12, 29), "office closure"),
            SkippedDay(date(2025, 12, 30), "office closure"),
            SkippedDay(date(2025, 12, 31), "office closure"),
            SkippedDay(date(2026, 1, 1), "bank holiday: New Year's Day"),
            SkippedDay(date(2026, 1, 3), "weekend (Saturday)"),
            SkippedDay(date(2026, 1, 4), "weekend (Sunday)"),
        ),
    )
    assert explained.lines()[:5] == [
        "counted from Wed 24/12/2025 (a working day; the day itself is not counted)",
        "2 working day(s) -> due Mon 05/01/2026",
        "  skipped Thu 25/12/2025: bank holiday: Christmas Day",
        "  skipped Fri 26/12/2025: bank holiday: Boxing Day",
        "  skipped Sat 27/12/2025: weekend (Saturday)",
    ]
    assert explained.lines()[-4:] == [
        "  working day 1: Fri 02/01/2026",
        "  skipped Sat 03/01/2026: weekend (Saturday)",
        "  skipped Sun 04/01/2026: weekend (Sunday)",
        "  working day 2: Mon 05/01/2026",
    ]
    weekend = fresh().explain(date(2025, 12, 27), 0)
    assert weekend.lines() == [
        "counted from Sat 27/12/2025 (not a working day; the day itself is not counted)",
        "0 working day(s) -> due Sat 27/12/2025",
    ]
    with pytest.raises(ValueError, match=r"^explain\(\) counts forwards: n must be 0 or more$"):
        fresh().explain(date(2025, 12, 27), -1)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2025-12-31..2025-12-30", "office closure '2025-12-31..2025-12-30' ends before it starts"),
        ("2025-02-30", "office closure '2025-02-30' is not a real date"),
        ("13-01", "office closure '13-01' is not a real month-day"),
        ("02-30", "office closure '02-30' is not a real month-day"),
        (
            "12-29..12-30..12-31",
            "office closure '12-29..12-30..12-31': write YYYY-MM-DD, MM-DD, or a range like "
            "12-29..12-31",
        ),
        (
            "12-29..",
            "office closure '12-29..': write YYYY-MM-DD, MM-DD, or a range like 12-29..12-31",
        ),
        (
            "2025-12-29..12-31",
            "office closure '2025-12-29..12-31': write YYYY-MM-DD, MM-DD, or a range like "
            "12-29..12-31",
        ),
    ],
)
def test_closure_refusals(text: str, message: str) -> None:
    with pytest.raises(ComplaintsError) as err:
        parse_closure(text)
    assert str(err.value) == message


def test_closures_read() -> None:
    assert parse_closure(" 2025-12-30 .. 2026-1-1 ") == [
        date(2025, 12, 30),
        date(2025, 12, 31),
        date(2026, 1, 1),
    ]
    assert parse_closure("2025-12-30") == [date(2025, 12, 30)]
    assert parse_closure("12-24") == RecurringClosure((12, 24), (12, 24))
    assert parse_closure("12-29..1-2") == RecurringClosure((12, 29), (1, 2))
    assert str(RecurringClosure((12, 29), (1, 2))) == "12-29..01-02"
    assert str(RecurringClosure((2, 9), (2, 9))) == "02-09"
    assert RecurringClosure.parse("12-24").end == (12, 24)
    with pytest.raises(ComplaintsError) as err:
        RecurringClosure.parse("xmas")
    assert str(err.value) == "office closure 'xmas' is not a month-day: write it as MM-DD"
    assert RecurringClosure((12, 31), (1, 1)).days_in(2025) == [
        date(2025, 1, 1),
        date(2025, 12, 31),
    ]
    assert RecurringClosure((2, 28), (3, 1)).days_in(2024) == [
        date(2024, 2, 28),
        date(2024, 2, 29),
        date(2024, 3, 1),
    ]
    assert RecurringClosure((2, 29), (2, 29)).days_in(2025) == []
    assert RecurringClosure((2, 29), (3, 1)).days_in(2025) == [date(2025, 3, 1)]
    assert RecurringClosure((2, 27), (2, 29)).days_in(2025) == [
        date(2025, 2, 27),
        date(2025, 2, 28),
    ]
    with pytest.raises(ComplaintsError) as err:
        Calendar(closures=[3.5])  # type: ignore[list-item]
    assert str(err.value) == "office closure 3.5 is not a date or a date range"
    assert repr(Calendar("Scotland", closures=["12-24", "2025-01-02"])) == (
        "Calendar('scotland', closures=2)"
    )


def test_bank_holidays_from_the_package() -> None:
    found = holidays_from_package("ENG", 2027, 2027)
    assert found[date(2027, 12, 28)] == "Boxing Day (substitute day)"
    assert min(found).year == max(found).year == 2027
    assert found[date(2027, 1, 1)] == "New Year's Day"
