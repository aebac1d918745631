"""What a save works out (domain/derived.py): the Met columns and the stored next deadline.

The case is tests/domain/rule_cases.py's (received 03/02/2025, acknowledgement due 06/02/2025).
"""

from __future__ import annotations

from datetime import date

from complaints_cli.domain.derived import (
    ACK_COLUMN,
    STAGE1_COLUMN,
    STAGE2_COLUMN,
    derived,
    met_disagreements,
    met_messages,
    stored_deadlines,
    with_met_columns,
)
from complaints_cli.domain.open_milestones import OpenMilestone
from complaints_cli.domain.vocabulary import Status
from tests.domain.rule_cases import ACK_DUE, CALENDAR, SPRUCE, case

LATE = date(2025, 2, 7)
EXTENDED = {
    "acknowledged": ACK_DUE,
    "stage1_extension": True,
    "stage1_extended_to": date(2025, 3, 6),
    "stage1_extension_agreed": date(2025, 2, 10),
    "stage1_extension_told": True,
    "stage1_extension_told_on": date(2025, 2, 10),
}


def test_met_columns_are_judged_from_the_dates() -> None:
    late = with_met_columns(case(acknowledged=LATE), SPRUCE, CALENDAR)
    assert (late.ack_met, late.stage1_met, late.stage2_met) == (False, None, None)
    on_time = case(acknowledged=ACK_DUE, ack_met=False, ack_met_note="typed")
    fixed = with_met_columns(on_time, SPRUCE, CALENDAR)
    assert (fixed.ack_met, fixed.ack_met_note) == (True, None)
    typed_yes = case(acknowledged=LATE, ack_met=True, ack_met_note="kept")
    judged = with_met_columns(typed_yes, SPRUCE, CALENDAR)
    assert (judged.ack_met, judged.ack_met_note) == (False, "kept")


def test_a_column_the_dates_cannot_judge_keeps_what_was_typed() -> None:
    typed = case(ack_met=True, stage1_met=False, stage1_met_note="typed")
    assert with_met_columns(typed, SPRUCE, CALENDAR) is typed
    agreed = case(acknowledged=ACK_DUE, ack_met=True)
    assert with_met_columns(agreed, SPRUCE, CALENDAR) is agreed


def test_stage1_response_met_column() -> None:
    responded = case(acknowledged=ACK_DUE, stage1_responded=date(2025, 2, 21))
    assert with_met_columns(responded, SPRUCE, CALENDAR).stage1_met is False
    on_time = responded._replace(stage1_responded=date(2025, 2, 20), stage1_met_note="x")
    assert with_met_columns(on_time, SPRUCE, CALENDAR).stage1_met is True


def test_met_disagreements() -> None:
    typed = case(acknowledged=LATE, ack_met=True, stage1_met=True)
    assert met_disagreements(typed, SPRUCE, CALENDAR) == [(ACK_COLUMN, "Yes", "No")]
    typed_no = case(acknowledged=ACK_DUE, ack_met=False)
    assert met_disagreements(typed_no, SPRUCE, CALENDAR) == [(ACK_COLUMN, "No", "Yes")]
    assert met_disagreements(case(acknowledged=LATE), SPRUCE, CALENDAR) == []
    assert met_disagreements(case(acknowledged=LATE, ack_met=False), SPRUCE, CALENDAR) == []


def test_met_messages() -> None:
    before = case(stage1_met=True)
    after = case(ack_met=False, stage1_met=False, stage2_met=True)
    assert met_messages(before, after) == [
        f"{ACK_COLUMN} is now No (was blank)",
        f"{STAGE1_COLUMN} is now No (was Yes)",
        f"{STAGE2_COLUMN} is now Yes (was blank)",
    ]
    assert met_messages(case(ack_met=False), case(ack_met=True)) == [
        f"{ACK_COLUMN} is now Yes (was No)"
    ]
    assert met_messages(case(ack_met=False), case()) == []
    assert met_messages(after, after) == []


def test_next_due_is_the_soonest_deadline() -> None:
    saved = stored_deadlines(case(), SPRUCE, CALENDAR, "spruce/england")
    assert (saved.next_due, saved.next_milestone) == (date(2025, 2, 4), "contact")
    assert saved.deadlines_key == "spruce/england"


def test_next_due_is_the_extended_deadline_not_the_original_due_date() -> None:
    result = derived(case(**EXTENDED), SPRUCE, CALENDAR, "k")
    assert result.milestones[0] == OpenMilestone(
        "stage1_response",
        "Stage 1 response",
        "stage1",
        False,
        False,
        date(2025, 2, 20),
        date(2025, 3, 6),
    )
    assert (result.case.next_due, result.case.next_milestone) == (
        date(2025, 3, 6),
        "stage1_response",
    )


def test_next_due_sorts_by_deadline_not_by_due_date() -> None:
    # The update is due 24/02/2025; the response was due 20/02/2025 but is extended to 06/03.
    result = derived(case(**EXTENDED, last_update=date(2025, 2, 17)), SPRUCE, CALENDAR, "k")
    assert [m.key for m in result.milestones] == ["stage1_response", "update"]
    assert (result.case.next_due, result.case.next_milestone) == (date(2025, 2, 24), "update")


def test_a_closed_case_has_no_next_deadline() -> None:
    closed = case(status=Status.CLOSED, closed=ACK_DUE, acknowledged=ACK_DUE, next_due=ACK_DUE)
    result = derived(closed, SPRUCE, CALENDAR, "k")
    assert result.milestones == []
    assert (result.case.next_due, result.case.next_milestone) == (None, None)
    assert result.case.deadlines_key == "k"


def test_stored_deadlines_keeps_the_typed_met_columns() -> None:
    typed = case(acknowledged=LATE, ack_met=True)
    assert stored_deadlines(typed, SPRUCE, CALENDAR, "k").ack_met is True
    assert derived(typed, SPRUCE, CALENDAR, "k").case.ack_met is False
    assert derived(typed, SPRUCE, CALENDAR, "k", met=False).case.ack_met is True


def test_a_later_column_is_judged_after_an_unchanged_one() -> None:
    c = case(acknowledged=ACK_DUE, ack_met=True, stage1_responded=date(2025, 2, 21))
    judged = with_met_columns(c, SPRUCE, CALENDAR)
    assert (judged.ack_met, judged.stage1_met) == (True, False)
