"""The order of events holds whichever command records a date (domain/order.py is its one
owner): a case is closed or withdrawn after everything that happened on it, an action is done
after the response that promised it, a weekly update never goes back in time, and a
correction may not turn a Met column to "No" without the explanation ``acknowledge`` and
``respond`` require.

Spruce profile, England and Wales. SPRUCE001 received Mon 03/02/2025, acknowledged Tue
04/02/2025, Stage 1 response Mon 10/02/2025 promising one action (due 20/02/2025).
"""

from __future__ import annotations

import pytest

from tests.process_steps import Day


def _answered(day: Day) -> None:
    day.log("2025-02-03", "--summary", "Leak")
    day.ok("2025-02-04", "acknowledge", "SPRUCE001", "--date", "04/02/2025")
    day.ok("2025-02-10", "respond", "SPRUCE001", "--date", "10/02/2025", "--summary", "Fixing",
           "--outcome", "upheld", "--action", "Fix the roof",
           "--action-due", "20/02/2025")  # fmt: skip


@pytest.mark.parametrize(
    ("args", "error"),
    [
        (
            ("close", "SPRUCE001", "--date", "07/02/2025", "--force", "--reason", "x"),
            "SPRUCE001: close refused: the closing date 07/02/2025 is before the Stage 1 "
            "response 10/02/2025",
        ),
        (
            ("withdraw", "SPRUCE001", "--date", "07/02/2025", "--reason", "Phoned"),
            "SPRUCE001: withdrawal refused: the withdrawal 07/02/2025 is before the Stage 1 "
            "response 10/02/2025",
        ),
        (
            ("action", "done", "SPRUCE001", "1", "--date", "08/02/2025"),
            "completion date 08/02/2025 is before the Stage 1 response that promised it 10/02/2025",
        ),
        (
            ("update", "SPRUCE001", "--note", "Phoned", "--date", "07/02/2025"),
            "update date 07/02/2025 is before the last contact about the actions (the response "
            "or an update) 10/02/2025: the weekly clock counts from the latest",
        ),
        (
            ("correct", "SPRUCE001", "--closed", "09/02/2025", "--reason", "x"),
            "SPRUCE001 is Open: close it (complaints close) to record a closing date",
        ),
    ],
)
def test_a_step_dated_before_what_it_follows_is_refused_and_nothing_changes(
    day: Day, args: tuple[str, ...], error: str
) -> None:
    _answered(day)
    before = day.show("2025-02-14")
    assert day.fails("2025-02-14", *args) == error
    after = day.show("2025-02-14")
    assert after["version"] == before["version"]
    assert [a["done"] for a in after["actions"]] == [None]


def test_a_closing_date_corrected_to_before_the_response_is_refused(day: Day) -> None:
    _answered(day)
    day.ok("2025-02-14", "action", "done", "SPRUCE001", "1", "--date", "12/02/2025")
    day.ok("2025-02-14", "close", "SPRUCE001", "--date", "14/02/2025")
    assert day.fails("2025-02-17", "correct", "SPRUCE001", "--closed", "07/02/2025",
                     "--reason", "x") == (
        "SPRUCE001 not corrected: the closing date 07/02/2025 is before the Stage 1 response "
        "10/02/2025"
    )  # fmt: skip
    assert day.show("2025-02-17")["closed"] == "2025-02-14"


def test_withdrawn_after_a_stage_2_request_only_on_or_after_it(day: Day) -> None:
    _answered(day)
    day.ok("2025-02-14", "action", "done", "SPRUCE001", "1", "--date", "12/02/2025")
    day.ok("2025-02-19", "escalate", "SPRUCE001", "--received", "19/02/2025", "--review",
           "manager", "--details", "Unhappy", "--handler", "Jo Blake")  # fmt: skip
    assert day.fails("2025-02-20", "withdraw", "SPRUCE001", "--date", "17/02/2025",
                     "--reason", "x") == (
        "SPRUCE001: withdrawal refused: the withdrawal 17/02/2025 is before the escalation "
        "request 19/02/2025"
    )  # fmt: skip
    day.ok("2025-02-20", "withdraw", "SPRUCE001", "--date", "19/02/2025", "--reason", "Phoned")


def test_a_later_update_moves_the_weekly_clock_an_earlier_one_is_refused(day: Day) -> None:
    _answered(day)
    day.ok("2025-02-14", "update", "SPRUCE001", "--note", "Roofer booked", "--date", "14/02/2025")
    assert day.show("2025-02-14")["last_update"] == "2025-02-14"
    assert day.fails("2025-02-17", "update", "SPRUCE001", "--note", "x", "--date", "12/02/2025")
    assert day.show("2025-02-17")["last_update"] == "2025-02-14"


def test_an_extension_recorded_afterwards_takes_a_new_date_after_the_day_agreed(
    day: Day,
) -> None:
    day.log("2025-02-03", "--summary", "Leak")
    day.ok("2025-02-04", "acknowledge", "SPRUCE001", "--date", "04/02/2025")
    # Recorded on 06/03 for an extension agreed on 17/02, within the Stage 1 deadline, to
    # 04/03/2025: a new date already past on the day it is recorded.
    day.ok("2025-03-06", "extend", "SPRUCE001", "--reason", "Survey", "--new-date",
           "04/03/2025", "--date", "17/02/2025", "--told")  # fmt: skip
    assert day.show("2025-03-06")["stage1_extended_to"] == "2025-03-04"
    assert day.fails("2025-03-06", "extend", "SPRUCE001", "--reason", "x", "--new-date",
                     "17/02/2025", "--date", "17/02/2025") == (
        "the new date 17/02/2025 must be after the day it was agreed (17/02/2025)"
    )  # fmt: skip


def test_a_correction_that_makes_a_step_late_needs_its_explanation(day: Day) -> None:
    day.log("2025-02-03", "--summary", "Leak")
    day.ok("2025-02-04", "acknowledge", "SPRUCE001", "--date", "04/02/2025")
    assert day.fails("2025-02-14", "correct", "SPRUCE001", "--acknowledged", "10/02/2025",
                     "--reason", "Misread") == (
        "SPRUCE001 not corrected: column 'Met HOS acknowledgment timeframe' becomes No; give "
        "the explanation the log keeps with a No (--ack-explanation TEXT)"
    )  # fmt: skip
    assert day.show("2025-02-14")["acknowledged"] == "2025-02-04"
    out = day.ok("2025-02-14", "correct", "SPRUCE001", "--acknowledged", "10/02/2025",
                 "--reason", "Misread", "--ack-explanation", "Post room closed").stdout  # fmt: skip
    assert "Met HOS acknowledgment timeframe is now No (was Yes)" in out
    shown = day.show("2025-02-14")
    assert (shown["ack_met"], shown["ack_met_note"]) == (False, "Post room closed")
    # A correction elsewhere on a case already "No" asks nothing more.
    day.ok("2025-02-14", "correct", "SPRUCE001", "--complainant", "Ann Leigh", "--reason", "x")


def test_reopen_on_a_given_day_restarts_the_weekly_clock_from_it(day: Day) -> None:
    _answered(day)
    day.ok("2025-02-14", "close", "SPRUCE001", "--date", "14/02/2025", "--force", "--reason",
           "Resident moved")  # fmt: skip
    assert day.fails("2025-02-21", "reopen", "SPRUCE001", "--date", "13/02/2025") == (
        "reopening date 13/02/2025 is before the day it was closed 14/02/2025"
    )
    day.ok("2025-02-21", "reopen", "SPRUCE001", "--date", "17/02/2025", "--reason", "Back")
    assert day.show("2025-02-21")["last_update"] == "2025-02-17"
