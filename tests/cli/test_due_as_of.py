"""``due --as-of`` a past day answers for the log as it stood that day: the actions promised by
then and not yet done, the weekly update counted from the last contact by then, the extension
agreed by then, and the stage the case was at (domain/as_it_stood.py).

Spruce profile, England and Wales. SPRUCE001 received Mon 03/02/2025, acknowledged Tue
04/02/2025; Stage 1 response Mon 10/02/2025 promising an action due Thu 20/03/2025, so the
weekly update is due Mon 17/02/2025 (5 working days); an update on Fri 14/02/2025 moves it to
Fri 21/02/2025.
"""

from __future__ import annotations

import json
from typing import Any

from tests.process_steps import Day


def _items(day: Day, today: str, as_of: str, *extra: str) -> list[dict[str, Any]]:
    out = day.ok(today, "due", "--as-of", as_of, "--format", "json", *extra).stdout
    return json.loads(out)  # type: ignore[no-any-return]


def _keys(items: list[dict[str, Any]]) -> list[tuple[str, str, str]]:
    return [(i["key"], i["due"], i["stage"]) for i in items]


def _answered_with_an_action(day: Day) -> None:
    day.log("2025-02-03", "--summary", "Leak")
    day.ok("2025-02-04", "acknowledge", "SPRUCE001", "--date", "04/02/2025")
    day.ok("2025-02-10", "respond", "SPRUCE001", "--date", "10/02/2025", "--summary", "Fixing",
           "--outcome", "upheld", "--action", "Fix the roof",
           "--action-due", "20/03/2025")  # fmt: skip


def test_actions_and_weekly_updates_as_they_stood(db_url: str, day: Day) -> None:
    _answered_with_an_action(day)
    day.ok("2025-02-14", "update", "SPRUCE001", "--note", "Roofer booked", "--date", "14/02/2025")
    day.ok("2025-02-24", "update", "SPRUCE001", "--note", "Roofer came", "--date", "24/02/2025")
    day.ok("2025-03-20", "action", "done", "SPRUCE001", "1", "--date", "19/03/2025")
    day.ok("2025-03-21", "close", "SPRUCE001", "--date", "21/03/2025")
    today = "2025-06-02"
    # On 12/02: the action promised on 10/02, the update due 5 working days after it.
    assert _keys(_items(day, today, "2025-02-12", "--within", "40")) == [
        ("update", "2025-02-17", "Stage 1"),
        ("close_if_not_escalated", "2025-03-10", "Stage 1"),
        ("action_1", "2025-03-20", "Stage 1"),
    ]
    # On 18/02: the update of 14/02 had moved the clock to 21/02 (the one of 24/02 had not
    # happened yet).
    assert ("update", "2025-02-21", "Stage 1") in _keys(
        _items(day, today, "2025-02-18", "--within", "5")
    )
    # Before the response nothing had been promised; after the action was done, nothing is.
    assert [k for k, *_ in _keys(_items(day, today, "2025-02-07", "--within", "40"))] == [
        "stage1_response"
    ]
    assert [k for k, *_ in _keys(_items(day, today, "2025-03-20", "--within", "40"))] == [
        "close_if_not_escalated"  # still open on 20/03: closed the day after
    ]


def test_an_extension_counts_from_the_day_it_was_agreed(day: Day) -> None:
    day.log("2025-02-03", "--summary", "Leak")
    day.ok("2025-02-04", "acknowledge", "SPRUCE001", "--date", "04/02/2025")
    before = [i for i in _items(day, "2025-02-12", "2025-02-12", "--within", "20")]
    (deadline,) = [i["due"] for i in before if i["key"] == "stage1_response"]
    day.ok("2025-02-12", "extend", "SPRUCE001", "--reason", "Survey", "--days", "5", "--told",
           "--date", "12/02/2025")  # fmt: skip
    extended = day.show("2025-02-12")["stage1_extended_to"]
    assert extended > deadline
    later = "2025-02-20"

    def response_due(as_of: str) -> str:
        items = _items(day, later, as_of, "--within", "20")
        (due,) = [i["due"] for i in items if i["key"] == "stage1_response"]
        return str(due)

    assert response_due("2025-02-13") == extended  # agreed on 12/02: in force
    assert response_due("2025-02-11") == deadline  # not yet agreed


def test_the_stage_is_the_one_the_case_was_at(db_url: str, day: Day) -> None:
    _answered_with_an_action(day)
    day.ok("2025-02-12", "action", "done", "SPRUCE001", "1", "--date", "12/02/2025")
    day.ok("2025-02-17", "escalate", "SPRUCE001", "--received", "17/02/2025", "--review",
           "manager", "--details", "Unhappy", "--handler", "Jo Blake")  # fmt: skip
    assert {i["stage"] for i in _items(day, "2025-02-20", "2025-02-11", "--within", "40")} == {
        "Stage 1"
    }
    assert {i["stage"] for i in _items(day, "2025-02-20", "2025-02-18", "--within", "40")} == {
        "Stage 2"
    }


def test_a_case_closed_without_a_date_is_open_until_its_last_recorded_date(
    cli: Any, tmp_path: Any, db_url: str
) -> None:
    """An imported log has no closing dates: such a case was finished on the last date it
    records (as the reports count it), so ``due --as-of`` a day before lists it exactly as
    it lists the same case closed on a recorded date (the fresh-user trial: it was left out)."""
    from openpyxl import Workbook as OpenpyxlWorkbook

    def imported(name: str, closed: str | None, db: str) -> list[dict[str, Any]]:
        wb = OpenpyxlWorkbook()
        ws = wb.active
        ws.append(["Ref", "Status", "Stage", "Complainant", "Address", "Date received",
                   "Date acknowledged", "Stage 1 response provided", "Closed date"])  # fmt: skip
        ws.append(["SPRUCE001", "Closed", "Stage 1", "Ann Lee", "1 Oak Road", "01/12/2025",
                   "08/12/2025", "15/12/2025", closed])  # fmt: skip
        path = tmp_path / f"{name}.xlsx"
        wb.save(path)
        made = cli("--db", db, "import", "--create", str(path))
        assert made.exit_code == 0, made.output
        out = {}
        for day in ("03/12/2025", "09/12/2025", "15/12/2025", "17/12/2025"):
            result = cli("--db", db, "due", "--as-of", day, "--format", "json")
            assert result.exit_code == 0, result.output
            out[day] = json.loads(result.stdout) if result.stdout.startswith("[") else []
        return [out]

    # The undated case on each backend (the last recorded date is worked out in SQL).
    undated = imported("undated", None, db_url)
    dated = imported("dated", "15/12/2025", str(tmp_path / "dated.db"))
    assert undated == dated
    listed = undated[0]
    assert [(i["reference"], i["key"], i["state"]) for i in listed["03/12/2025"]] == [
        ("SPRUCE001", "contact", "overdue"),
        ("SPRUCE001", "acknowledge", "pending"),
    ]
    assert listed["17/12/2025"] == []


def test_explain_refuses_a_format_it_would_not_apply(cli: Any) -> None:
    result = cli("due", "--explain", "SPRUCE001", "--format", "json")
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        "complaints: error: --explain shows the working as text: leave out --format json (it "
        "applies to the list of what is due)"
    )
