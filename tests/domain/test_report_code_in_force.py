"""Which Code judges a step (issue 13, item 3): the 2022 Code before 1 April 2024, the 2024
Code from that day; the 2022 Code counts the Stage 2 response from the escalation request.

Sources: Housing Ombudsman, "The Complaint Handling Code" (2024 Code statutory from 1 April
2024) and "Complaint Handling Code 2022" ("The updated Code took effect on 1 April 2022");
DOMAIN.md, "Which Code applies"; the issue's worked case.
"""

from __future__ import annotations

from datetime import date

from complaints_cli.domain.code_in_force import (
    CODE_2022,
    CODE_2024,
    CodeSpan,
    code_on,
    codes_in,
    provision,
)
from complaints_cli.domain.deadlines import CaseDates, compute_milestones
from complaints_cli.domain.profiles import get_profile
from complaints_cli.domain.workdays import Calendar


def test_the_code_changes_on_1_april_2024() -> None:
    assert code_on(date(2024, 3, 31)) == CODE_2022
    assert code_on(date(2024, 4, 1)) == CODE_2024
    assert code_on(date(2023, 6, 26)) == CODE_2022


def test_a_period_across_the_change_has_two_spans() -> None:
    assert codes_in(date(2023, 4, 1), date(2024, 3, 31)) == [
        CodeSpan(CODE_2022, date(2023, 4, 1), date(2024, 3, 31))
    ]
    assert codes_in(date(2025, 4, 1), date(2026, 3, 31)) == [
        CodeSpan(CODE_2024, date(2025, 4, 1), date(2026, 3, 31))
    ]
    assert codes_in(date(2024, 1, 1), date(2024, 12, 31)) == [
        CodeSpan(CODE_2022, date(2024, 1, 1), date(2024, 3, 31)),
        CodeSpan(CODE_2024, date(2024, 4, 1), date(2024, 12, 31)),
    ]
    # Before the 2022 Code no Code profile is shipped: the span says so.
    assert codes_in(date(2021, 4, 1), date(2022, 3, 31))[0].before is True


def test_provision_labels_name_only_checked_numbers() -> None:
    assert provision(CODE_2024, "stage2") == "6.14"
    assert provision(CODE_2022, "stage1") == "2022 Code 5.1"
    assert provision(CODE_2022, "stage2") == "2022 Code"


def test_the_issue_s_2023_stage_2_case_is_late_under_the_2022_code() -> None:
    """Request Mon 26/06/2023, acknowledged Fri 30/06, answered Thu 27/07/2023 (England).

    2022 Code: 20 working days from the request: Jun 27-30 (4), Jul 3-7 (9), 10-14 (14),
    17-21 (19), Mon 24 (20) -> due Mon 24/07/2023: late. 2024 Code 6.14: from the acknowledgement
    Fri 30/06: Jul 3-7 (5), 10-14 (10), 17-21 (15), 24-28 (20) -> due Fri 28/07: on time.
    """
    case = CaseDates(
        received=date(2023, 5, 2),
        acknowledged=date(2023, 5, 3),
        stage1_responded=date(2023, 5, 10),
        escalation_received=date(2023, 6, 26),
        stage2_acknowledged=date(2023, 6, 30),
        stage2_responded=date(2023, 7, 27),
    )
    calendar = Calendar("england-and-wales")

    def stage2(code: str) -> tuple[date, bool | None]:
        m = next(
            m
            for m in compute_milestones(case, get_profile(code), calendar, as_of=date(2023, 8, 1))
            if m.key == "stage2_response"
        )
        return m.due, m.met

    assert stage2(code_on(case.escalation_received)) == (date(2023, 7, 24), False)
    assert stage2(CODE_2024) == (date(2023, 7, 28), True)
