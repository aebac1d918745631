"""The stored open milestones give what working the case out on the day gives, on any day.

``due`` reads each open case's milestones from what was stored when the case was saved
(:func:`open_milestones`) and judges them on the day asked (:func:`state_on`); the answer must
be :func:`next_milestones`' for every profile, every kind of case and every day.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from complaints_cli.domain.case import Case
from complaints_cli.domain.deadlines import CaseDates, next_milestones
from complaints_cli.domain.derived import derived
from complaints_cli.domain.open_milestones import (
    STATE_NAMES,
    open_milestones,
    owner_of,
    state_on,
)
from complaints_cli.domain.profiles import load_profiles
from complaints_cli.domain.vocabulary import ReviewType, Stage, Status
from complaints_cli.domain.workdays import Calendar

PROFILES = load_profiles()
CALENDARS = {nation: Calendar(nation) for nation in {p.nation for p in PROFILES.values()}}
DATES = [f for f in CaseDates._fields if f not in ("received", "stage", "status")]
DATES.remove("stage2_review")


@st.composite
def cases(draw: Any) -> Case:
    received = date(2024, 1, 1) + timedelta(days=draw(st.integers(0, 700)))
    values: dict[str, Any] = {}
    for name in DATES:
        if draw(st.booleans()):
            values[name] = received + timedelta(days=draw(st.integers(-20, 200)))
    return Case(
        reference="SPRUCE001",
        status=draw(st.sampled_from(list(Status))),
        stage=draw(st.sampled_from(list(Stage))),
        handler="Sam Patel",
        complainant="Ann Lee",
        address="1 Essex Brewery",
        received=received,
        review_type=draw(st.none() | st.sampled_from(list(ReviewType))),
        stage2_handler=draw(st.none() | st.just("Jo Reid")),
        **values,
    )


def on_the_day(case: Case, profile: Any, calendar: Calendar, day: date) -> list[tuple[Any, ...]]:
    """What ``due`` lists for the case, worked out from its dates on ``day``."""
    return sorted(
        (
            m.deadline,
            m.key,
            m.label,
            STATE_NAMES[m.state],
            m.working_days_left,
            owner_of(m.stage, case.stage, case.handler, case.stage2_handler),
        )
        for m in next_milestones(CaseDates.of(case), profile, calendar, as_of=day)
    )


def from_stored(case: Case, profile: Any, calendar: Calendar, day: date) -> list[tuple[Any, ...]]:
    """What ``due`` lists for the case from its stored rows, judged on ``day``."""
    out = []
    for m in open_milestones(case, profile, calendar):
        state = state_on(m.window, m.while_open, m.due, m.deadline, day)
        if state is not None:
            owner = owner_of(m.stage, case.stage, case.handler, case.stage2_handler)
            left = calendar.working_days_between(day, m.deadline)
            out.append((m.deadline, m.key, m.label, state, left, owner))
    return sorted(out)


@settings(max_examples=300, deadline=None)
@given(
    case=cases(),
    name=st.sampled_from(sorted(PROFILES)),
    offsets=st.lists(st.integers(-30, 400), min_size=1, max_size=6),
)
def test_stored_rows_judged_on_any_day_are_what_the_dates_give(
    case: Case, name: str, offsets: list[int]
) -> None:
    """``due`` lists open cases only (a finished one has no rows: test below)."""
    profile = PROFILES[name]
    calendar = CALENDARS[profile.nation]
    case = case._replace(status=Status.OPEN)
    for offset in offsets:
        day = case.received + timedelta(days=offset)
        assert from_stored(case, profile, calendar, day) == on_the_day(case, profile, calendar, day)


@settings(max_examples=300, deadline=None)
@given(case=cases(), name=st.sampled_from(sorted(PROFILES)))
def test_next_due_is_the_soonest_open_milestone_on_the_day_received(case: Case, name: str) -> None:
    """The stored ``next_due`` is what it was before the rows were stored (the first of
    ``next_milestones`` on the day received)."""
    profile = PROFILES[name]
    calendar = CALENDARS[profile.nation]
    saved = derived(case, profile, calendar, "k", met=False).case
    pending = (
        []
        if case.status.finished
        else next_milestones(CaseDates.of(case), profile, calendar, as_of=case.received)
    )
    first = pending[0] if pending else None
    assert (saved.next_due, saved.next_milestone, saved.deadlines_key) == (
        first.deadline if first else None,
        first.key if first else None,
        "k",
    )


@settings(max_examples=100, deadline=None)
@given(case=cases(), name=st.sampled_from(sorted(PROFILES)))
def test_a_finished_case_has_none(case: Case, name: str) -> None:
    profile = PROFILES[name]
    if case.status.finished:
        assert open_milestones(case, profile, CALENDARS[profile.nation]) == []
