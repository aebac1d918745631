"""Working-day calendar: DOMAIN.md's examples, worked holidays, nations, closures, and a
day-by-day cross-check against GOV.UK's own bank-holiday file for 2018-2026."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import pytest

from complaints_cli.domain.workdays import (
    Calendar,
    NonWorkingDay,
    RecurringClosure,
    normalise_nation,
    parse_closure,
)
from complaints_cli.errors import ComplaintsError
from tests.paths import DATA, REPO

GOV_UK_FILE = "gov-uk-bank-holidays-2018-2026.json"
DIVISIONS = ("england-and-wales", "scotland", "northern-ireland")

#: Days the ``holidays`` package carries that GOV.UK's 2018-2026 snapshot does not. If this
#: test fails, a package upgrade or a new GOV.UK file changed the list: check and update it.
KNOWN_EXTRA_IN_PACKAGE: dict[str, set[date]] = {
    # Proclaimed after the snapshot: Scotland's World Cup bank holiday, Monday 15 June 2026.
    "scotland": {date(2026, 6, 15)},
}


def d(text: str) -> date:
    return date.fromisoformat(text)


@pytest.fixture(scope="module")
def eng() -> Calendar:
    return Calendar()


@pytest.fixture(scope="module")
def sct() -> Calendar:
    return Calendar("scotland")


@pytest.fixture(scope="module")
def nir() -> Calendar:
    return Calendar("northern-ireland")


@pytest.fixture(scope="session")
def gov_uk() -> dict[str, dict[date, str]]:
    """GOV.UK's bank holidays by division: a copy in tests/data (from the project's shared
    folder), or the shared folder itself."""
    looked = []
    env = os.environ.get("COMPLAINTS_SHARED_DIR")
    candidates = [Path(env)] if env else []
    candidates.append(DATA.parent)
    candidates.append(REPO.parent / "shared")
    for shared in candidates:
        path = shared / "data" / GOV_UK_FILE
        looked.append(str(path))
        if path.is_file():
            data = json.loads(path.read_text(encoding="utf-8"))
            return {
                division: {d(e["date"]): e["title"] for e in data[division]["events"]}
                for division in DIVISIONS
            }
    pytest.skip(
        f"GOV.UK bank-holiday data not found (looked in {', '.join(looked)}): set "
        "COMPLAINTS_SHARED_DIR to the folder holding data/" + GOV_UK_FILE
    )


# --------------------------------------------------------------------------------------------
# DOMAIN.md and worked examples
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        ("2025-12-19", 3, "2025-12-24"),  # Fri + 3 -> Wed (DOMAIN.md)
        ("2025-12-23", 10, "2026-01-09"),  # Tue + 10 -> Fri over Christmas and New Year
        ("2025-11-22", 1, "2025-11-24"),  # Sat + 1 -> Mon: the anchor is never counted
    ],
)
def test_domain_examples(eng: Calendar, start: str, n: int, expected: str) -> None:
    assert eng.add_working_days(d(start), n) == d(expected)


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        # Christmas 2020: Fri 25, Boxing Day Sat 26 -> substitute Mon 28.
        ("2020-12-24", 1, "2020-12-29"),
        # Christmas 2021: Sat 25 / Sun 26 -> substitutes Mon 27 and Tue 28; New Year 2022 is
        # a Saturday -> substitute Mon 3 January.
        ("2021-12-24", 1, "2021-12-29"),
        ("2021-12-24", 3, "2021-12-31"),
        ("2021-12-24", 4, "2022-01-04"),
        ("2021-12-25", 1, "2021-12-29"),  # anchor on a weekend holiday
        ("2021-12-27", 1, "2021-12-29"),  # anchor on a substitute day
        ("2025-12-24", 1, "2025-12-29"),
        ("2025-12-31", 1, "2026-01-02"),  # 2 January is a working day in England
        # Easter 2025: Good Friday 18 April, Easter Monday 21 April.
        ("2025-04-17", 1, "2025-04-22"),
        ("2025-04-18", 1, "2025-04-22"),  # anchor on Good Friday
        ("2025-04-19", 2, "2025-04-23"),  # anchor on Easter Saturday
        ("2025-04-17", 5, "2025-04-28"),
        # One-off days: Platinum Jubilee (Thu 2 Jun 2022 moved spring holiday, Fri 3 Jun).
        ("2022-06-01", 1, "2022-06-06"),
        ("2022-06-02", 1, "2022-06-06"),  # anchor on the moved spring bank holiday
        ("2022-06-01", 5, "2022-06-10"),
        # State Funeral of Queen Elizabeth II, Mon 19 September 2022.
        ("2022-09-16", 1, "2022-09-20"),
        ("2022-09-18", 1, "2022-09-20"),  # Sunday anchor
        ("2022-09-16", 5, "2022-09-26"),
        # Coronation of King Charles III, Mon 8 May 2023 (and early May bank holiday 1 May).
        ("2023-05-05", 1, "2023-05-09"),
        ("2023-05-06", 1, "2023-05-09"),  # Saturday anchor
        ("2023-04-28", 1, "2023-05-02"),
        ("2023-05-03", 15, "2023-05-25"),
    ],
)
def test_worked_examples_england(eng: Calendar, start: str, n: int, expected: str) -> None:
    assert eng.add_working_days(d(start), n) == d(expected)


@pytest.mark.parametrize(
    ("start", "n", "england", "scotland", "northern_ireland"),
    [
        # 2 January is a bank holiday in Scotland only.
        ("2025-12-31", 1, "2026-01-02", "2026-01-05", "2026-01-02"),
        ("2025-12-31", 5, "2026-01-08", "2026-01-09", "2026-01-08"),
        # St Andrew's Day 2025 is a Sunday: Scotland's substitute is Monday 1 December.
        ("2025-11-28", 1, "2025-12-01", "2025-12-02", "2025-12-01"),
        ("2025-11-27", 3, "2025-12-02", "2025-12-03", "2025-12-02"),
        # Easter Monday is not a bank holiday in Scotland.
        ("2025-04-17", 1, "2025-04-22", "2025-04-21", "2025-04-22"),
        # Summer bank holiday: first Monday of August in Scotland, last in England and NI.
        ("2025-08-01", 1, "2025-08-04", "2025-08-05", "2025-08-04"),
        ("2025-08-22", 1, "2025-08-26", "2025-08-25", "2025-08-26"),
        # St Patrick's Day, Monday 17 March 2025: Northern Ireland only.
        ("2025-03-14", 1, "2025-03-17", "2025-03-17", "2025-03-18"),
        # St Patrick's Day 2024 is a Sunday: NI's substitute is Monday 18 March.
        ("2024-03-15", 1, "2024-03-18", "2024-03-18", "2024-03-19"),
        # Battle of the Boyne, 12 July 2025 is a Saturday: NI's substitute is Monday 14 July.
        ("2025-07-11", 1, "2025-07-14", "2025-07-14", "2025-07-15"),
        # 12 July 2023 is a Wednesday.
        ("2023-07-11", 1, "2023-07-12", "2023-07-12", "2023-07-13"),
    ],
)
def test_nations_differ(
    eng: Calendar,
    sct: Calendar,
    nir: Calendar,
    start: str,
    n: int,
    england: str,
    scotland: str,
    northern_ireland: str,
) -> None:
    assert eng.add_working_days(d(start), n) == d(england)
    assert sct.add_working_days(d(start), n) == d(scotland)
    assert nir.add_working_days(d(start), n) == d(northern_ireland)


def test_zero_and_negative(eng: Calendar) -> None:
    assert eng.add_working_days(d("2025-12-25"), 0) == d("2025-12-25")
    assert eng.add_working_days(d("2025-12-29"), -1) == d("2025-12-24")
    assert eng.add_working_days(d("2025-12-27"), -1) == d("2025-12-24")  # Saturday anchor
    assert eng.add_working_days(d("2026-01-09"), -10) == d("2025-12-23")


def test_datetime_is_accepted(eng: Calendar) -> None:
    from datetime import datetime

    assert eng.add_working_days(datetime(2025, 12, 19, 16, 30), 3) == d("2025-12-24")


# --------------------------------------------------------------------------------------------
# working_days_between, is_working_day, non_working_days
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        ("2025-12-19", "2025-12-24", 3),
        ("2025-12-24", "2025-12-19", -3),
        ("2025-12-24", "2025-12-24", 0),
        ("2025-12-23", "2026-01-09", 10),
        ("2025-12-24", "2025-12-28", 0),  # only holidays and a weekend in (24, 28]
        ("2025-12-27", "2025-12-29", 1),  # Saturday to Monday
        ("2026-01-09", "2026-01-12", 1),  # due Friday, asked Monday: one working day late
        ("2026-01-12", "2026-01-09", -1),
        ("2025-12-22", "2025-12-24", 2),  # due Wednesday, asked Monday: two left
    ],
)
def test_working_days_between(eng: Calendar, start: str, end: str, expected: int) -> None:
    assert eng.working_days_between(d(start), d(end)) == expected


def test_between_inverts_add(eng: Calendar) -> None:
    start = d("2021-11-20")
    for n in range(0, 60):
        due = eng.add_working_days(start, n)
        assert eng.working_days_between(start, due) == n
        assert eng.working_days_between(due, start) == -n


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        ("2025-12-24", True),
        ("2025-12-25", False),
        ("2025-12-27", False),
        ("2022-09-19", False),
        ("2023-05-08", False),
        ("2022-06-03", False),
        ("2026-01-02", True),
    ],
)
def test_is_working_day(eng: Calendar, day: str, expected: bool) -> None:
    assert eng.is_working_day(d(day)) is expected


def test_non_working_days_2022_england(eng: Calendar) -> None:
    days = eng.non_working_days(2022)
    assert [x.day for x in days] == [
        d("2022-01-03"),
        d("2022-04-15"),
        d("2022-04-18"),
        d("2022-05-02"),
        d("2022-06-02"),
        d("2022-06-03"),
        d("2022-08-29"),
        d("2022-09-19"),
        d("2022-12-26"),
        d("2022-12-27"),
    ]
    by_day = {x.day: x for x in days}
    assert "Platinum Jubilee" in by_day[d("2022-06-03")].reason
    assert "State Funeral" in by_day[d("2022-09-19")].reason
    assert by_day[d("2022-12-27")].reason == "Christmas Day (substitute day)"
    assert {x.source for x in days} == {"bank holiday"}


def test_non_working_days_2023_coronation(eng: Calendar) -> None:
    names = {x.day: x.reason for x in eng.non_working_days(2023)}
    assert "Coronation" in names[d("2023-05-08")]
    assert d("2023-01-01") not in names  # a Sunday: only its substitute day is listed
    assert d("2023-01-02") in names


def test_reason_not_working(eng: Calendar) -> None:
    assert eng.reason_not_working(d("2025-12-27")) == "weekend (Saturday)"
    assert eng.reason_not_working(d("2025-12-25")) == "bank holiday: Christmas Day"
    assert eng.reason_not_working(d("2025-12-24")) is None


# --------------------------------------------------------------------------------------------
# Office closures
# --------------------------------------------------------------------------------------------


def test_recurring_closure_moves_deadlines() -> None:
    cal = Calendar(closures=[RecurringClosure.parse("12-29", "12-31")])
    assert cal.add_working_days(d("2025-12-24"), 1) == d("2026-01-02")
    assert cal.add_working_days(d("2025-12-23"), 10) == d("2026-01-14")
    assert cal.add_working_days(d("2019-12-24"), 1) == d("2019-12-27")  # a Friday: open
    assert cal.add_working_days(d("2019-12-27"), 1) == d("2020-01-02")  # every year
    assert not cal.is_working_day(d("2030-12-30"))


def test_closures_listed_with_reason() -> None:
    cal = Calendar(closures=["12-29..12-31", "2025-12-24", "12-26"])
    days = {x.day: x for x in cal.non_working_days(2025)}
    assert days[d("2025-12-24")] == NonWorkingDay(
        d("2025-12-24"), "office closure", "office closure"
    )
    assert days[d("2025-12-29")].source == "office closure"
    assert days[d("2025-12-31")].source == "office closure"
    # A bank holiday that is also a closure is reported as the bank holiday.
    assert days[d("2025-12-26")] == NonWorkingDay(d("2025-12-26"), "Boxing Day", "bank holiday")
    assert d("2026-12-24") not in {x.day for x in cal.non_working_days(2026)}  # one-off only


def test_closure_explain_reason() -> None:
    cal = Calendar(closures=[RecurringClosure((12, 29), (12, 31), "Christmas shutdown")])
    skipped = {s.day: s.reason for s in cal.explain(d("2025-12-24"), 1).skipped}
    assert skipped[d("2025-12-29")] == "Christmas shutdown"
    assert skipped[d("2025-12-25")] == "bank holiday: Christmas Day"


def test_wrapping_and_leap_closures() -> None:
    wrap = RecurringClosure.parse("12-31", "01-02")
    assert wrap.days_in(2025) == [d("2025-01-01"), d("2025-01-02"), d("2025-12-31")]
    leap = RecurringClosure.parse("02-29")
    assert leap.days_in(2024) == [d("2024-02-29")]
    assert leap.days_in(2025) == []
    cal = Calendar(closures=[leap])
    assert not cal.is_working_day(d("2024-02-29"))
    assert cal.add_working_days(d("2024-02-28"), 1) == d("2024-03-01")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-12-24", [d("2025-12-24")]),
        (
            "2025-12-30..2026-01-02",
            [d("2025-12-30"), d("2025-12-31"), d("2026-01-01"), d("2026-01-02")],
        ),
        ("12-29..12-31", RecurringClosure((12, 29), (12, 31))),
        ("12-24", RecurringClosure((12, 24), (12, 24))),
    ],
)
def test_parse_closure(text: str, expected: object) -> None:
    assert parse_closure(text) == expected


@pytest.mark.parametrize(
    "text", ["christmas", "13-01", "02-30", "2025-02-30", "2025-12-31..2025-12-01", "1..2..3", ""]
)
def test_parse_closure_rejects(text: str) -> None:
    with pytest.raises(ComplaintsError, match="office closure"):
        parse_closure(text)


# --------------------------------------------------------------------------------------------
# Nations, explain, laziness, speed
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("England", "england-and-wales"),
        ("wales", "england-and-wales"),
        ("England and Wales", "england-and-wales"),
        ("SCOTLAND", "scotland"),
        ("Northern Ireland", "northern-ireland"),
        ("northern_ireland", "northern-ireland"),
        ("NI", "northern-ireland"),
    ],
)
def test_nation_aliases(text: str, expected: str) -> None:
    assert normalise_nation(text) == expected


def test_unknown_nation() -> None:
    with pytest.raises(ComplaintsError, match="unknown nation 'France'"):
        Calendar("France")


def test_explain_domain_example(eng: Calendar) -> None:
    ex = eng.explain(d("2025-12-23"), 10)
    assert ex.due == d("2026-01-09")
    assert ex.anchor_is_working_day
    assert len(ex.counted) == 10
    assert ex.counted[0] == d("2025-12-24") and ex.counted[-1] == d("2026-01-09")
    reasons = {s.day: s.reason for s in ex.skipped}
    assert reasons == {
        d("2025-12-25"): "bank holiday: Christmas Day",
        d("2025-12-26"): "bank holiday: Boxing Day",
        d("2025-12-27"): "weekend (Saturday)",
        d("2025-12-28"): "weekend (Sunday)",
        d("2026-01-01"): "bank holiday: New Year's Day",
        d("2026-01-03"): "weekend (Saturday)",
        d("2026-01-04"): "weekend (Sunday)",
    }
    text = "\n".join(ex.lines())
    assert "Tue 23/12/2025" in text and "due Fri 09/01/2026" in text
    assert text.index("working day 1: Wed 24/12/2025") < text.index("skipped Thu 25/12/2025")


def test_explain_weekend_anchor(eng: Calendar) -> None:
    ex = eng.explain(d("2025-11-22"), 1)
    assert not ex.anchor_is_working_day
    assert ex.counted == (d("2025-11-24"),)
    assert [s.reason for s in ex.skipped] == ["weekend (Sunday)"]
    assert "not a working day" in ex.lines()[0]
    assert eng.explain(d("2025-11-22"), 0).counted == ()


def test_holidays_imported_lazily() -> None:
    code = (
        "import sys, datetime\n"
        "from complaints_cli.domain.workdays import Calendar\n"
        "cal = Calendar('scotland', closures=['12-29..12-31'])\n"
        "print('holidays' in sys.modules)\n"
        "cal.add_working_days(datetime.date(2025, 1, 1), 1)\n"
        "print('holidays' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.split()
    assert out == ["False", "True"]


def test_range_grows_both_ways() -> None:
    cal = Calendar()
    assert cal.add_working_days(d("2025-12-23"), 10) == d("2026-01-09")
    # Far ahead and far behind the first year loaded, and a long count across years.
    assert cal.add_working_days(d("2031-12-24"), 1) == d("2031-12-29")
    assert cal.add_working_days(d("2018-12-24"), 1) == d("2018-12-27")
    fresh = Calendar().preload(2010, 2040)
    for start, n in [(d("2012-03-01"), 2000), (d("2035-06-01"), -3000), (d("2020-01-01"), 1)]:
        assert cal.add_working_days(start, n) == fresh.add_working_days(start, n)
    assert cal.working_days_between(d("2011-01-01"), d("2039-01-01")) == fresh.working_days_between(
        d("2011-01-01"), d("2039-01-01")
    )


def test_custom_holiday_source() -> None:
    def source(subdiv: str, first: int, last: int) -> dict[date, str]:
        assert subdiv == "NIR"
        return {d("2025-06-02"): "Team day"} if first <= 2025 <= last else {}

    cal = Calendar("northern-ireland", holiday_source=source)
    assert cal.add_working_days(d("2025-05-30"), 1) == d("2025-06-03")
    assert cal.add_working_days(d("2025-12-24"), 1) == d("2025-12-25")  # no other holidays


def test_speed(eng: Calendar) -> None:
    starts = [d("2019-01-01") + timedelta(days=i % 2500) for i in range(200_000)]
    eng.add_working_days(starts[0], 20)
    eng.add_working_days(starts[-1], 20)
    begin = time.perf_counter()
    for s in starts:
        eng.add_working_days(s, 20)
    elapsed = time.perf_counter() - begin
    # ~0.1 s here; a day-by-day count would take several seconds.
    assert elapsed < 1.0, f"200,000 deadlines took {elapsed:.2f}s"


# --------------------------------------------------------------------------------------------
# Cross-check against GOV.UK, every day of 2018-2026, all three divisions
# --------------------------------------------------------------------------------------------


def _naive_add(start: date, n: int, holidays: set[date]) -> date:
    """The obvious day-by-day count: step one day at a time, count working days."""
    day, count = start, 0
    while count < n:
        day += timedelta(days=1)
        if day.weekday() < 5 and day not in holidays:
            count += 1
    return day


@pytest.mark.parametrize("division", DIVISIONS)
def test_bank_holidays_match_gov_uk(division: str, gov_uk: dict[str, dict[date, str]]) -> None:
    cal = Calendar(division)
    ours = {x.day for year in range(2018, 2027) for x in cal.non_working_days(year)}
    theirs = {day for day in gov_uk[division] if day.weekday() < 5}
    assert theirs - ours == set()
    assert ours - theirs == KNOWN_EXTRA_IN_PACKAGE.get(division, set())


@pytest.mark.parametrize("division", DIVISIONS)
def test_every_day_2018_2026_matches_gov_uk(
    division: str, gov_uk: dict[str, dict[date, str]]
) -> None:
    cal = Calendar(division)
    holidays = set(gov_uk[division]) | KNOWN_EXTRA_IN_PACKAGE.get(division, set())
    last_known = d("2026-12-31")
    checked = 0
    mismatches = []
    day = d("2018-01-01")
    while day <= last_known:
        for n in (1, 3, 5, 10, 20):
            expected = _naive_add(day, n, holidays)
            if expected > last_known:  # GOV.UK's file says nothing about 2027
                continue
            checked += 1
            got = cal.add_working_days(day, n)
            if got != expected:
                mismatches.append((day, n, got, expected))
        day += timedelta(days=1)
    assert mismatches == []
    assert checked > 16_300  # 3,287 days x 5 counts, less the last weeks of 2026
