"""A case's past closures read back from its ``reopen`` history rows (domain/closures.py)."""

from __future__ import annotations

from datetime import date

from complaints_cli.domain.closures import (
    Closure,
    closure_from_reopen,
    finished_on,
    kept_closures,
)

SEP10, NOV3, DEC5 = date(2026, 9, 10), date(2026, 11, 3), date(2026, 12, 5)


def test_a_reopen_row_gives_the_closure_it_ended() -> None:
    changes = {
        "status": ["Closed", "Open"],
        "closed": ["2026-09-10", None],
        "close_reason": ["done", None],
        "reopened": [None, "2026-11-03"],
    }
    assert closure_from_reopen(changes, date(2026, 11, 20)) == Closure(
        "Closed", SEP10, NOV3, False, "done"
    )


def test_an_older_row_is_dated_by_the_weekly_clock_else_the_day_it_was_written() -> None:
    old = {"status": ["Withdrawn", "Open"], "withdrawn": ["2026-09-10", None]}
    assert closure_from_reopen(old, NOV3).reopened == NOV3
    clock = old | {"last_update": [None, "2026-11-02"]}
    assert closure_from_reopen(clock, NOV3).reopened == date(2026, 11, 2)  # type: ignore[union-attr]
    # Written (UK date) before the closing date it names: never reopened before it closed.
    assert closure_from_reopen(old, date(2026, 9, 1)).reopened == SEP10  # type: ignore[union-attr]


def test_rows_that_reopened_nothing_finished_give_nothing() -> None:
    assert closure_from_reopen({"status": ["Open", "Open"]}, NOV3) is None
    assert closure_from_reopen({"learning": [None, "x"]}, NOV3) is None
    assert closure_from_reopen({"status": ["Void", "Open"]}, NOV3) is None  # no void date


def test_a_closure_with_no_date_is_dated_by_the_last_date_recorded() -> None:
    undated = {"status": ["Closed", "Open"], "reopened": [None, "2026-11-03"]}
    found = closure_from_reopen(undated, NOV3, date(2026, 8, 1))
    assert found == Closure("Closed", date(2026, 8, 1), NOV3, True, None)


def test_a_decision_with_no_day_told_is_dated_by_the_day_received() -> None:
    refused = {"status": ["Not accepted", "Open"], "not_accepted_reason": ["x", None]}
    found = closure_from_reopen(refused, NOV3, date(2026, 8, 1), date(2026, 7, 1))
    assert found == Closure("Not accepted", date(2026, 7, 1), NOV3, False, "x")


def test_finished_from_its_day_to_the_day_before_the_reopening() -> None:
    closures = (Closure("Closed", SEP10, NOV3),)
    assert not finished_on(closures, date(2026, 9, 9))
    assert finished_on(closures, SEP10)
    assert finished_on(closures, date(2026, 11, 2))
    assert not finished_on(closures, NOV3)


def test_same_day_reopenings_and_superseded_closures_are_left_out() -> None:
    same_day = Closure("Closed", SEP10, SEP10)
    first = Closure("Closed", SEP10, NOV3)
    assert kept_closures([same_day], None) == ()
    assert kept_closures([first], DEC5) == (first,)
    # Closed again on the day it was reopened: both closures stood.
    assert kept_closures([first], NOV3) == (first,)
    # A closing date back-dated before the reopening replaces the closure it reopened.
    assert kept_closures([first], SEP10) == ()
    second = Closure("Withdrawn", date(2026, 10, 1), DEC5)
    assert kept_closures([first, second], None) == (second,)
    later = Closure("Closed", NOV3, DEC5)
    assert kept_closures([first, later], None) == (first, later)
