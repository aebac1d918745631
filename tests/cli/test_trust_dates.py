"""Met columns that cannot go stale, and extensions with integrity (issue 12, items 5, 6, 9).

Spruce profile, England and Wales. Received Mon 03/02/2025: acknowledge within 3 working days
(Thu 06/02/2025); the Stage 1 response within 10 working days of the acknowledgement (an
acknowledgement on Tue 04/02/2025 makes it Tue 18/02/2025; until one is recorded it is counted
from the acknowledgement deadline, Thu 20/02/2025). An extension adds at most 10 working days
to the original deadline (18/02 + 10 = Tue 04/03/2025).
"""

from __future__ import annotations

from typing import Any

from openpyxl import load_workbook

from tests.process_steps import Day


def column(day: Day, tmp_path: Any, header: str) -> Any:
    target = tmp_path / "log.xlsx"
    day.ok("2025-03-10", "export", str(target), "--force")
    sheet = load_workbook(target).active
    headers = [c.value for c in sheet[1]]
    return sheet[2][headers.index(header)].value


def test_an_earlier_acknowledgement_recorded_later_turns_column_13_to_no(
    day: Day, tmp_path: Any
) -> None:
    """Before: `show` said the response deadline was missed while column 13 still said Yes."""
    day.log("2025-02-03")
    day.ok("2025-02-19", "respond", "SPRUCE001", "--summary", "Upheld", "--date", "19/02/2025")
    assert day.show("2025-02-19")["stage1_met"] is True  # due 20/02 while unacknowledged
    acked = day.ok(
        "2025-02-19",
        "acknowledge",
        "SPRUCE001",
        "--date",
        "04/02/2025",
        "--summary",
        "Damp",
    )
    assert "Met HOS code response timeframe? is now No (was Yes)" in acked.stdout
    shown = day.show("2025-02-19")
    assert shown["stage1_met"] is False
    assert shown["history"][-1]["changes"]["stage1_met"] == [True, False]
    assert column(day, tmp_path, "Met HOS code response timeframe?") == "No"


def test_an_extension_agreed_after_the_deadline_is_refused_unless_late_and_never_counts(
    day: Day,
) -> None:
    day.log("2025-02-03")
    day.ok("2025-02-04", "acknowledge", "SPRUCE001", "--summary", "Damp")
    # Before: extend took no date, so a week late it turned a late response into an on-time one.
    assert day.fails("2025-02-20", "extend", "SPRUCE001", "--reason", "Survey") == (
        "the extension is agreed on 20/02/2025, after the deadline it extends (18/02/2025): "
        "the Code (6.4) needs the resident told within it; record it anyway with --late REASON "
        "(it will not count: the response is judged against 18/02/2025)"
    )
    late = day.ok(
        "2025-02-20", "extend", "SPRUCE001", "--reason", "Survey", "--late", "Manager away"
    )
    assert "recorded late: it does not count, the response is judged against 18/02/2025" in (
        late.stdout
    )
    refused = day.fails(
        "2025-02-25", "respond", "SPRUCE001", "--summary", "Upheld", "--date", "25/02/2025"
    )
    assert refused.startswith("responded 25/02/2025, after its deadline 18/02/2025")
    day.ok(
        "2025-02-25",
        "respond",
        "SPRUCE001",
        "--summary",
        "Upheld",
        "--date",
        "25/02/2025",
        "--reason",
        "Survey",
    )
    shown = day.show("2025-02-25")
    assert (shown["stage1_met"], shown["stage1_extension_agreed"]) == (False, "2025-02-20")


def test_a_timely_extension_counts_and_the_resident_told_afterwards_is_recorded(
    day: Day,
) -> None:
    day.log("2025-02-03")
    day.ok("2025-02-04", "acknowledge", "SPRUCE001", "--summary", "Damp")
    agreed = day.ok("2025-02-17", "extend", "SPRUCE001", "--reason", "Survey", "--days", "5")
    assert "complaints extend SPRUCE001 --told --date D" in agreed.stderr
    # Before: `extend REF --told` was a usage error (exit 2).
    told = day.ok("2025-02-18", "extend", "SPRUCE001", "--told")
    assert "the resident was told of the extension on 18/02/2025" in told.stdout
    shown = day.show("2025-02-18")
    assert (shown["stage1_extension_told"], shown["stage1_extension_told_on"]) == (
        True,
        "2025-02-18",
    )
    assert shown["history"][-1]["command"] == "extension told"
    responded = day.ok(
        "2025-02-25", "respond", "SPRUCE001", "--summary", "Upheld", "--date", "25/02/2025"
    )
    assert "within the extension (due 25/02/2025)" in responded.stdout
    assert day.show("2025-02-25")["stage1_met"] is True


def test_told_after_the_original_deadline_the_extension_does_not_count(day: Day) -> None:
    day.log("2025-02-03")
    day.ok("2025-02-04", "acknowledge", "SPRUCE001", "--summary", "Damp")
    day.ok("2025-02-17", "extend", "SPRUCE001", "--reason", "Survey", "--days", "5")
    told = day.ok("2025-02-19", "extend", "SPRUCE001", "--told")
    assert "after the deadline 18/02/2025: the extension does not count" in told.stdout
    (stage1,) = [d for d in day.show("2025-02-19")["deadlines"] if d["key"] == "stage1_response"]
    assert stage1["deadline"] == "2025-02-18"


def test_reopen_restores_the_weekly_update_on_outstanding_actions(day: Day) -> None:
    """Before: after close --force then reopen, the weekly-update deadline disappeared."""
    day.log("2025-02-03")
    day.ok("2025-02-04", "acknowledge", "SPRUCE001", "--summary", "Damp")
    day.ok(
        "2025-02-14",
        "respond",
        "SPRUCE001",
        "--summary",
        "Upheld",
        "--action",
        "Replace the fan",
        "--action-due",
        "28/03/2025",
    )
    day.ok("2025-02-17", "close", "SPRUCE001", "--force", "--reason", "Resident moved")
    day.ok("2025-02-18", "reopen", "SPRUCE001", "--reason", "Resident came back")
    keys = [k for _r, k, _d, _m in day.due("2025-02-18", "--within", "10")]
    assert "update" in " ".join(keys)


def test_db_recompute_after_a_profile_change_says_which_cases_changed(
    day: Day, monkeypatch: Any
) -> None:
    """Received Mon 03/02/2025, acknowledged Fri 07/02/2025: late under Spruce (3 working days:
    Thu 06/02), in time under Homes Plus England (5 working days from receipt, policy Part 1
    para 4: Mon 10/02). The team moves to Homes Plus England and recomputes."""
    day.log("2025-02-07")
    day.ok(
        "2025-02-07",
        "acknowledge",
        "SPRUCE001",
        "--summary",
        "Damp",
        "--reason",
        "Handler on leave",
    )
    assert day.show("2025-02-07")["ack_met"] is False
    monkeypatch.setenv("COMPLAINTS_PROFILE", "homes-plus-england")
    out = day.ok("2025-02-10", "db", "recompute").stdout.splitlines()
    assert out == [
        "SPRUCE001: Met HOS acknowledgment timeframe No -> Yes; ack_met_note Handler on leave "
        "-> (blank)",
        "Recomputed the log with profile homes-plus-england (england-and-wales): 1 case(s) changed",
    ]
    shown = day.show("2025-02-10")
    assert (shown["ack_met"], shown["ack_met_note"]) == (True, None)
    assert shown["history"][-1]["command"] == "recompute"
    again = day.ok("2025-02-10", "db", "recompute").stdout
    assert again.strip().endswith(": 0 case(s) changed")
