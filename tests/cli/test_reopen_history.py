"""Reopening a case never rewrites the past (domain/closures.py; README, "How the reports count",
**Reopened cases**): a report for a past month gives the same figures after a later reopening,
and ``due --as-of`` a day the case was closed does not list it.

Spruce profile, England and Wales. SPRUCE001 received Mon 03/02/2025, acknowledged Tue
04/02/2025, Stage 1 response Mon 10/02/2025 (upheld), closed Thu 20/02/2025; reopened Wed
02/04/2025; closed again Tue 06/05/2025. SPRUCE002 (received the same day, never answered: its
acknowledgement was due Thu 06/02/2025) stays open throughout, overdue at every month end.
"""

from __future__ import annotations

import json
from typing import Any

from tests.process_steps import Day
from tests.report_log import report_json


def _figures(data: dict[str, Any]) -> dict[str, tuple[Any, list[str]]]:
    """Each figure's value and the references it counts."""
    return {
        f["key"]: (f["value"], [c["reference"] for c in f["cases"] if c["counted"]])
        for f in data["figures"]
    }


def _emt(day: Day, today: str, month: str) -> dict[str, Any]:
    day.monkeypatch.setenv("COMPLAINTS_TODAY", today)
    data = report_json(day.cli, "emt", "--month", month)
    data.pop("generated_at", None)
    return data


def _trend(data: dict[str, Any], key: str) -> dict[str, int]:
    return {row["month"]: row[key] for row in data["trend"] if row["month"] >= "2025-02"}


def _closed_in_february(day: Day) -> None:
    day.log("2025-02-03", "--summary", "Leak")
    day.log("2025-02-03", "--summary", "Damp")
    day.ok("2025-02-04", "acknowledge", "SPRUCE001", "--date", "04/02/2025")
    day.ok("2025-02-10", "respond", "SPRUCE001", "--date", "10/02/2025", "--summary", "Fixed",
           "--outcome", "upheld")  # fmt: skip
    day.ok("2025-02-20", "close", "SPRUCE001", "--date", "20/02/2025")


def test_a_past_month_reads_the_same_after_a_reopening(db_url: str, day: Day) -> None:
    _closed_in_february(day)
    before = _emt(day, "2025-03-03", "2025-02")
    figures = _figures(before)
    assert figures["closed"] == (1, ["SPRUCE001"])
    assert figures["open_total"] == (1, ["SPRUCE002"])
    assert figures["overdue"] == (1, ["SPRUCE002"])

    day.ok("2025-04-02", "reopen", "SPRUCE001", "--reason", "Resident came back",
           "--date", "02/04/2025")  # fmt: skip
    after = _emt(day, "2025-04-10", "2025-02")
    assert _figures(after) == figures
    assert after == before  # every figure, case line, note and trend month

    # Closed at the end of March (reopened 02/04); open at the end of April.
    march = _figures(_emt(day, "2025-04-10", "2025-03"))
    assert march["closed"] == (0, [])
    assert march["open_total"] == (1, ["SPRUCE002"])
    assert march["overdue"] == (1, ["SPRUCE002"])
    april = _emt(day, "2025-05-02", "2025-04")
    assert _figures(april)["open_total"] == (2, ["SPRUCE001", "SPRUCE002"])
    assert _trend(april, "open_at_end") == {"2025-02": 1, "2025-03": 1, "2025-04": 2}
    assert _trend(april, "closed") == {"2025-02": 1, "2025-03": 0, "2025-04": 0}

    # Closed again in May: two closures, one in February and one in May.
    day.ok("2025-05-06", "close", "SPRUCE001", "--date", "06/05/2025")
    may = _emt(day, "2025-06-02", "2025-05")
    assert _figures(may)["closed"] == (1, ["SPRUCE001"])
    assert _figures(may)["open_total"] == (1, ["SPRUCE002"])
    assert _trend(may, "closed") == {"2025-02": 1, "2025-03": 0, "2025-04": 0, "2025-05": 1}
    assert _trend(may, "open_at_end") == {"2025-02": 1, "2025-03": 1, "2025-04": 2, "2025-05": 1}
    again = _emt(day, "2025-06-02", "2025-02")
    assert _figures(again) == figures
    assert again["trend"] == before["trend"]
    (line,) = next(f for f in again["figures"] if f["key"] == "closed")["cases"]
    assert (line["date"], line["why"]) == ("2025-02-20", "")  # as it read before


def test_due_as_of_a_day_it_was_closed_leaves_it_out(db_url: str, day: Day) -> None:
    _closed_in_february(day)
    day.ok("2025-04-02", "reopen", "SPRUCE001", "--reason", "Resident came back",
           "--date", "02/04/2025")  # fmt: skip

    def refs(as_of: str) -> list[str]:
        out = day.ok("2025-04-10", "due", "--as-of", as_of, "--within", "40", "-f", "json")
        return sorted({i["reference"] for i in json.loads(out.stdout)})

    assert refs("2025-02-19") == ["SPRUCE001", "SPRUCE002"]  # open: closed the next day
    assert refs("2025-02-20") == ["SPRUCE002"]  # closed that day
    assert refs("2025-03-14") == ["SPRUCE002"]
    assert refs("2025-04-01") == ["SPRUCE002"]  # the day before the reopening
    assert refs("2025-04-02") == ["SPRUCE001", "SPRUCE002"]  # reopened that day
    assert refs("2025-04-03") == ["SPRUCE001", "SPRUCE002"]


def test_a_withdrawal_taken_back_still_counts_in_its_month_and_year(db_url: str, day: Day) -> None:
    day.log("2025-02-03", "--summary", "Leak")
    day.ok("2025-02-12", "withdraw", "SPRUCE001", "--date", "12/02/2025", "--reason", "Sorted")
    before = _emt(day, "2025-03-03", "2025-02")
    day.monkeypatch.setenv("COMPLAINTS_TODAY", "2025-04-01")
    year_before = report_json(day.cli, "annual", "--year", "2024")
    assert _figures(before)["withdrawn"] == (1, ["SPRUCE001"])
    assert _figures(year_before)["withdrawn"] == (1, ["SPRUCE001"])
    day.ok("2025-04-07", "reopen", "SPRUCE001", "--reason", "Not sorted after all",
           "--date", "07/04/2025")  # fmt: skip
    after = _emt(day, "2025-04-10", "2025-02")
    assert _figures(after)["withdrawn"] == (1, ["SPRUCE001"])
    assert _figures(after)["open_total"] == (0, [])
    outcomes = {b["key"]: b for b in after["breakdowns"]}["outcomes"]
    assert outcomes == {b["key"]: b for b in before["breakdowns"]}["outcomes"]
    day.monkeypatch.setenv("COMPLAINTS_TODAY", "2025-04-10")
    year_after = report_json(day.cli, "annual", "--year", "2024")
    year_after.pop("generated_at", None)
    year_before.pop("generated_at", None)
    assert _figures(year_after) == _figures(year_before)
    assert year_after == year_before  # every line and its why ("withdrawn ... before this step")
    # Open again from 07/04: listed by due --as-of that day, not the day before.
    due = day.ok("2025-04-10", "due", "--as-of", "2025-04-04", "-f", "json").stdout
    assert "SPRUCE001" not in due
    due = day.ok("2025-04-10", "due", "--as-of", "2025-04-07", "-f", "json").stdout
    assert "SPRUCE001" in due


def test_reopened_the_day_it_was_closed_was_never_closed(db_url: str, day: Day) -> None:
    _closed_in_february(day)
    day.ok("2025-02-20", "reopen", "SPRUCE001", "--reason", "Closed by mistake",
           "--date", "20/02/2025")  # fmt: skip
    figures = _figures(_emt(day, "2025-03-03", "2025-02"))
    assert figures["closed"] == (0, [])
    assert figures["open_total"] == (2, ["SPRUCE001", "SPRUCE002"])


def test_a_back_dated_close_undoes_a_reopening_made_by_mistake(db_url: str, day: Day) -> None:
    _closed_in_february(day)
    day.ok("2025-04-02", "reopen", "SPRUCE001", "--reason", "Wrong case",
           "--date", "02/04/2025")  # fmt: skip
    day.ok("2025-04-02", "close", "SPRUCE001", "--date", "20/02/2025")
    figures = _figures(_emt(day, "2025-04-10", "2025-02"))
    assert figures["closed"] == (1, ["SPRUCE001"])  # once, not twice
    assert _figures(_emt(day, "2025-04-10", "2025-03"))["open_total"] == (1, ["SPRUCE002"])


def test_several_cycles_and_a_corrected_closing_date(db_url: str, day: Day) -> None:
    """Closed 20/02, corrected to 25/02, reopened 02/04, closed 06/05, reopened 03/06, closed
    01/07: three closures (February, May, July); open at the end of April and June only."""
    _closed_in_february(day)
    day.ok("2025-02-26", "correct", "SPRUCE001", "--closed", "25/02/2025", "--reason", "Typo")
    for today, args in (
        ("2025-04-02", ("reopen", "SPRUCE001", "--reason", "Back", "--date", "02/04/2025")),
        ("2025-05-06", ("close", "SPRUCE001", "--date", "06/05/2025")),
        ("2025-06-03", ("reopen", "SPRUCE001", "--reason", "Again", "--date", "03/06/2025")),
        ("2025-07-01", ("close", "SPRUCE001", "--date", "01/07/2025")),
    ):
        day.ok(today, *args)
    july = _emt(day, "2025-08-01", "2025-07")
    assert _trend(july, "closed") == {
        "2025-02": 1, "2025-03": 0, "2025-04": 0, "2025-05": 1, "2025-06": 0, "2025-07": 1
    }  # fmt: skip
    assert _trend(july, "open_at_end") == {
        "2025-02": 1, "2025-03": 1, "2025-04": 2, "2025-05": 1, "2025-06": 2, "2025-07": 1
    }  # fmt: skip
    (line,) = next(
        f for f in _emt(day, "2025-08-01", "2025-02")["figures"] if f["key"] == "closed"
    )["cases"]
    assert line["date"] == "2025-02-25"

    def refs(as_of: str) -> list[str]:
        out = day.ok("2025-08-01", "due", "--as-of", as_of, "--within", "40", "-f", "json")
        return sorted({i["reference"] for i in json.loads(out.stdout)})

    assert refs("2025-02-24") == ["SPRUCE001", "SPRUCE002"]  # closed on 25/02 as corrected
    assert refs("2025-02-25") == ["SPRUCE002"]
    assert refs("2025-05-20") == ["SPRUCE002"]
    assert refs("2025-06-10") == ["SPRUCE001", "SPRUCE002"]
    assert refs("2025-07-02") == ["SPRUCE002"]


def test_a_reversed_not_accepted_decision_still_counts_in_its_month(db_url: str, day: Day) -> None:
    """Not accepted, told 07/02/2025, reversed (reopened) 02/04/2025: February's not-accepted
    figure keeps it; it is a complaint from then on, received on 03/02 (README, **Reopened
    cases**: the one figure of the past a reversal changes); not open, nor due, in between."""
    day.log("2025-02-03", "--summary", "Leak")
    day.log("2025-02-03", "--summary", "Damp")
    day.ok("2025-02-07", "not-accepted", "SPRUCE001", "--reason", "Legal proceedings",
           "--told", "07/02/2025", "--date", "07/02/2025")  # fmt: skip
    before = _figures(_emt(day, "2025-03-03", "2025-02"))
    assert before["not_accepted"] == (1, ["SPRUCE001"])
    assert before["received"] == (1, ["SPRUCE002"])
    day.ok("2025-04-02", "reopen", "SPRUCE001", "--reason", "Proceedings dropped",
           "--date", "02/04/2025")  # fmt: skip
    after = _figures(_emt(day, "2025-04-10", "2025-02"))
    assert after["not_accepted"] == (1, ["SPRUCE001"])
    assert after["received"] == (2, ["SPRUCE001", "SPRUCE002"])
    assert after["open_total"] == before["open_total"] == (1, ["SPRUCE002"])
    assert after["overdue"] == before["overdue"]
    out = day.ok("2025-04-10", "due", "--as-of", "2025-03-14", "-f", "json").stdout
    assert {i["reference"] for i in json.loads(out)} == {"SPRUCE002"}
