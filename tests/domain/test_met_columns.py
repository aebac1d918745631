"""The log's Met columns, worked out the fast way, agree with every milestone worked out.

:func:`met_columns` evaluates only the rules that fill a column, and
:func:`met_disagreements` judges an imported row's values without building a case: both must
give exactly what the whole profile's milestones give, for every profile and kind of case.
"""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from complaints_cli.domain.case import Case
from complaints_cli.domain.deadlines import CaseDates, compute_milestones, met_columns
from complaints_cli.domain.derived import MET_FIELDS, met_disagreements
from complaints_cli.domain.profiles import load_profiles
from tests.domain.test_open_milestones import CALENDARS, PROFILES, cases

PROFILE_NAMES = sorted(PROFILES)


def all_milestones_met(dates: CaseDates, profile: Any, calendar: Any) -> dict[str, bool | None]:
    """The Met columns from every milestone of the profile (the definition)."""
    out: dict[str, bool | None] = {
        r.log_column: None for r in profile.milestones if r.log_column is not None
    }
    for m in compute_milestones(dates, profile, calendar, as_of=dates.received):
        if m.log_column is not None and m.done is not None:
            out[m.log_column] = m.met
    return out


@settings(max_examples=300, deadline=None)
@given(case=cases(), name=st.sampled_from(PROFILE_NAMES))
def test_met_columns_evaluates_what_every_milestone_gives(case: Case, name: str) -> None:
    profile = PROFILES[name]
    calendar = CALENDARS[profile.nation]
    dates = CaseDates.of(case)
    assert met_columns(dates, profile, calendar) == all_milestones_met(dates, profile, calendar)


@settings(max_examples=300, deadline=None)
@given(
    case=cases(),
    name=st.sampled_from(PROFILE_NAMES),
    typed=st.tuples(*(st.none() | st.booleans() for _ in MET_FIELDS)),
)
def test_a_rows_values_are_judged_as_the_case_they_make(
    case: Case, name: str, typed: tuple[bool | None, ...]
) -> None:
    profile = PROFILES[name]
    calendar = CALENDARS[profile.nation]
    flags = {flag: value for (_c, flag, _n), value in zip(MET_FIELDS, typed, strict=True)}
    case = case._replace(**flags)
    values = {field: value for field, value in case._asdict().items() if value is not None}
    from_case = met_disagreements(case, profile, calendar)
    assert met_disagreements(values, profile, calendar) == from_case
    judged = all_milestones_met(CaseDates.of(case), profile, calendar)
    expected = [
        (column, "Yes" if flags[flag] else "No", "Yes" if judged[column] else "No")
        for column, flag, _note in MET_FIELDS
        if flags[flag] is not None
        and judged.get(column) is not None
        and flags[flag] != judged[column]
    ]
    assert from_case == expected


def test_a_typed_no_the_dates_call_yes_is_reported() -> None:
    """Acknowledged on the 5th working day (the Code's limit): Yes, whatever the file says."""
    profile = load_profiles()["hos-code-2024"]
    calendar = CALENDARS[profile.nation]
    from datetime import date

    values = {
        "received": date(2025, 3, 3),
        "acknowledged": date(2025, 3, 10),
        "ack_met": False,
        "status": "Open",
        "stage": "Stage 1",
    }
    assert met_disagreements(values, profile, calendar) == [
        ("Met HOS acknowledgment timeframe", "No", "Yes")
    ]
    assert met_disagreements({**values, "acknowledged": date(2025, 3, 11)}, profile, calendar) == []
    assert met_disagreements({**values, "ack_met": None}, profile, calendar) == []


def test_a_rows_review_type_decides_which_stage2_deadline_is_judged() -> None:
    """Southern Housing: a Compensation Review is answered within 10 working days, a Manager
    Review within 20; a row's ``review_type`` must reach the judgement (it is
    ``stage2_review`` among the dates)."""
    profile = PROFILES["southern-housing"]
    calendar = CALENDARS[profile.nation]
    from datetime import date

    values = {
        "received": date(2025, 1, 6),
        "acknowledged": date(2025, 1, 7),
        "stage1_responded": date(2025, 1, 20),
        "escalation_received": date(2025, 2, 3),
        "stage2_acknowledged": date(2025, 2, 4),
        "stage2_responded": date(2025, 3, 3),
        "stage2_met": True,
        "status": "Closed",
        "stage": "Stage 2",
    }
    as_manager = met_disagreements({**values, "review_type": "Manager Review"}, profile, calendar)
    as_compensation = met_disagreements(
        {**values, "review_type": "Compensation Review"}, profile, calendar
    )
    # 20 working days from 3 February 2025 is 3 March (met); 10 is 17 February (missed).
    assert as_manager == []
    assert as_compensation == [("Stage 2 HOS code timeframe met?", "Yes", "No")]
