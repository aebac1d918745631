"""Deadlines: every milestone of every packaged profile with a worked example, and the log's
Met columns on both sides of each deadline, with and without an extension."""

from __future__ import annotations

import time
from datetime import date, datetime, timedelta
from types import SimpleNamespace
from typing import Any

import pytest

from complaints_cli.domain.deadlines import (
    CaseDates,
    Milestone,
    State,
    as_case,
    compute_milestones,
    met_columns,
    next_milestones,
    review_type,
)
from complaints_cli.domain.explanations import explain_milestones
from complaints_cli.domain.profiles import Profile, get_profile, load_profiles
from complaints_cli.domain.workdays import Calendar
from complaints_cli.errors import ComplaintsError
from tests.domain.rule_cases import WEEKS


def d(text: str) -> date:
    return date.fromisoformat(text)


CALENDARS = {"england-and-wales": Calendar(), "scotland": Calendar("scotland")}


def setup(name: str) -> tuple[Profile, Calendar]:
    profile = get_profile(name)
    return profile, CALENDARS[profile.nation]


def one(case: CaseDates, name: str, key: str, as_of: date | None = None) -> Milestone | None:
    profile, cal = setup(name)
    found = [
        m
        for m in compute_milestones(case, profile, cal, as_of=as_of or case.received)
        if m.key == key
    ]
    assert len(found) <= 1
    return found[0] if found else None


TEXT_FIELDS = ("stage", "status", "stage2_review")


def case(**dates: str | None) -> CaseDates:
    """A case from ISO date strings (``stage``, ``status``, ``stage2_review`` kept as text)."""
    values: dict[str, Any] = {
        k: (v if k in TEXT_FIELDS else d(v) if v else None) for k, v in dates.items()
    }
    values.setdefault("received", d("2025-03-03"))
    return CaseDates(**values)


# --------------------------------------------------------------------------------------------
# Worked examples: every milestone of every profile (profile, key, case, anchor, due)
# --------------------------------------------------------------------------------------------

WORKED: list[tuple[str, str, dict[str, str], str, str]] = [
    # -- spruce (DOMAIN.md's table) ----------------------------------------------------------
    ("spruce", "contact", {"received": "2025-12-19"}, "2025-12-19", "2025-12-22"),
    ("spruce", "acknowledge", {"received": "2025-12-19"}, "2025-12-19", "2025-12-24"),
    # Until acknowledged, Stage 1 counts from the acknowledgement deadline (Wed 24 Dec).
    ("spruce", "stage1_response", {"received": "2025-12-19"}, "2025-12-24", "2026-01-12"),
    (
        "spruce",
        "stage1_response",
        {"received": "2025-12-19", "acknowledged": "2025-12-23"},
        "2025-12-23",
        "2026-01-09",
    ),
    ("spruce", "update", {"last_update": "2025-03-03"}, "2025-03-03", "2025-03-10"),
    # Weekly update over Easter 2025: Good Friday 18 and Easter Monday 21 April skipped.
    (
        "spruce",
        "update",
        {"stage1_responded": "2025-03-03", "last_update": "2025-04-17"},
        "2025-04-17",
        "2025-04-28",
    ),
    (
        "spruce",
        "close_if_not_escalated",
        {"stage1_responded": "2025-03-03"},
        "2025-03-03",
        "2025-03-31",
    ),
    # State Funeral, Monday 19 September 2022, skipped.
    (
        "spruce",
        "stage2_acknowledge",
        {"received": "2022-08-01", "escalation_received": "2022-09-16"},
        "2022-09-16",
        "2022-09-26",
    ),
    (
        "spruce",
        "stage2_response",
        {"escalation_received": "2025-03-03"},
        "2025-03-03",
        "2025-03-31",
    ),
    # Coronation, Monday 8 May 2023, skipped.
    (
        "spruce",
        "ombudsman_evidence",
        {"received": "2023-01-09", "ombudsman_requested": "2023-05-03"},
        "2023-05-03",
        "2023-05-25",
    ),
    # -- hos-code-2024 -------------------------------------------------------------------------
    # Platinum Jubilee: Thursday 2 and Friday 3 June 2022 skipped.
    ("hos-code-2024", "acknowledge", {"received": "2022-06-01"}, "2022-06-01", "2022-06-10"),
    ("hos-code-2024", "stage1_response", {"received": "2022-06-01"}, "2022-06-10", "2022-06-24"),
    (
        "hos-code-2024",
        "stage1_response",
        {"received": "2022-06-01", "acknowledged": "2022-06-06"},
        "2022-06-06",
        "2022-06-20",
    ),
    (
        "hos-code-2024",
        "stage2_acknowledge",
        {"escalation_received": "2025-03-03"},
        "2025-03-03",
        "2025-03-10",
    ),
    # Stage 2 counts from the acknowledgement: projected (Mon 10 March) until recorded.
    (
        "hos-code-2024",
        "stage2_response",
        {"escalation_received": "2025-03-03"},
        "2025-03-10",
        "2025-04-07",
    ),
    (
        "hos-code-2024",
        "stage2_response",
        {"escalation_received": "2025-03-03", "stage2_acknowledged": "2025-03-05"},
        "2025-03-05",
        "2025-04-02",
    ),
    # -- hos-code-2022 (issue 13): Stage 2 counted from the request, not the acknowledgement --
    ("hos-code-2022", "acknowledge", {"received": "2023-06-26"}, "2023-06-26", "2023-07-03"),
    (
        "hos-code-2022",
        "stage1_response",
        {"received": "2023-06-26", "acknowledged": "2023-06-30"},
        "2023-06-30",
        "2023-07-14",
    ),
    (
        "hos-code-2022",
        "stage2_acknowledge",
        {"escalation_received": "2023-06-26"},
        "2023-06-26",
        "2023-07-03",
    ),
    (
        "hos-code-2022",
        "stage2_response",
        {"escalation_received": "2023-06-26", "stage2_acknowledged": "2023-06-30"},
        "2023-06-26",
        "2023-07-24",
    ),
    # -- homes-plus-england --------------------------------------------------------------------
    ("homes-plus-england", "acknowledge", {"received": "2025-04-17"}, "2025-04-17", "2025-04-28"),
    # From receipt, over Easter and the early May bank holiday (Mon 5 May 2025).
    (
        "homes-plus-england",
        "stage1_response",
        {"received": "2025-04-17", "acknowledged": "2025-04-25"},
        "2025-04-17",
        "2025-05-06",
    ),
    (
        "homes-plus-england",
        "stage2_acknowledge",
        {"escalation_received": "2025-03-03"},
        "2025-03-03",
        "2025-03-10",
    ),
    (
        "homes-plus-england",
        "stage2_response",
        {"escalation_received": "2025-03-03", "stage2_acknowledged": "2025-03-07"},
        "2025-03-03",
        "2025-03-31",
    ),
    # -- homes-plus-scotland (Scottish bank holidays) ----------------------------------------
    # 1 and 2 January are both holidays in Scotland.
    (
        "homes-plus-scotland",
        "stage1_response",
        {"received": "2025-12-31"},
        "2025-12-31",
        "2026-01-09",
    ),
    # St Andrew's Day 2025 falls on a Sunday: substitute Monday 1 December.
    (
        "homes-plus-scotland",
        "stage2_acknowledge",
        {"escalation_received": "2025-11-27"},
        "2025-11-27",
        "2025-12-03",
    ),
    # Scotland's summer bank holiday is Mon 4 August; England's (25 August) is a working day.
    (
        "homes-plus-scotland",
        "stage2_response",
        {"escalation_received": "2025-08-01"},
        "2025-08-01",
        "2025-09-01",
    ),
    # -- service dissatisfactions (informal): 5 working days over Christmas 2025 ----------------
    (
        "spruce",
        "dissatisfaction_response",
        {"received": "2025-12-19", "informal_received": "2025-12-19", "stage": "Informal"},
        "2025-12-19",
        "2025-12-30",
    ),
    (
        "southern-housing",
        "dissatisfaction_response",
        {"received": "2025-12-19", "informal_received": "2025-12-19", "stage": "Informal"},
        "2025-12-19",
        "2025-12-30",
    ),
    # -- southern-housing ----------------------------------------------------------------------
    ("southern-housing", "acknowledge", {"received": "2025-12-19"}, "2025-12-19", "2025-12-24"),
    ("southern-housing", "stage1_response", {"received": "2025-12-19"}, "2025-12-19", "2026-01-07"),
    (
        "southern-housing",
        "stage2_acknowledge",
        {"escalation_received": "2025-12-19"},
        "2025-12-19",
        "2025-12-22",
    ),
    (
        "southern-housing",
        "panel_meeting",
        {"escalation_received": "2025-03-03", "stage2_review": "Complaint Review Panel"},
        "2025-03-03",
        "2025-03-26",
    ),
    (
        "southern-housing",
        "stage2_response",
        {"escalation_received": "2025-03-03", "stage2_review": "Senior Manager Review"},
        "2025-03-03",
        "2025-03-31",
    ),
    (
        "southern-housing",
        "stage2_compensation_response",
        {"escalation_received": "2025-03-03", "stage2_review": "Compensation Review"},
        "2025-03-03",
        "2025-03-17",
    ),
    # The case is to be closed once the final (Stage 2) response is sent (4.7.6): a nil window.
    (
        "southern-housing",
        "close_after_stage2",
        {"escalation_received": "2025-11-19", "stage2_responded": "2025-12-19"},
        "2025-12-19",
        "2025-12-19",
    ),
]


def with_dates(c: CaseDates, **values: Any) -> CaseDates:
    """``CaseDates._replace`` with field names computed at run time."""
    return c._replace(**values)


def _case(dates: dict[str, str]) -> CaseDates:
    return case(**dates)


def test_worked_examples_cover_every_milestone() -> None:
    covered = {(name, key) for name, key, *_ in WORKED}
    every = {(p.name, r.key) for p in load_profiles().values() for r in p.milestones}
    assert covered == every


@pytest.mark.parametrize(
    ("name", "key", "dates", "anchor", "due"),
    WORKED,
    ids=[f"{w[0]}:{w[1]}:{'+'.join(w[2])}" for w in WORKED],
)
def test_worked_example(name: str, key: str, dates: dict[str, str], anchor: str, due: str) -> None:
    m = one(_case(dates), name, key)
    assert m is not None, f"{key} does not apply"
    assert (m.anchor, m.due, m.deadline) == (d(anchor), d(due), d(due))


# --------------------------------------------------------------------------------------------
# Met / missed on both sides of every deadline, with and without extensions
# --------------------------------------------------------------------------------------------


def _deadlines_with_done_by() -> list[tuple[str, str, dict[str, str], str, str]]:
    out = []
    for name, key, dates, anchor, due in WORKED:
        rule = get_profile(name).milestone(key)
        if rule.done_by is not None and rule.kind == "deadline":
            out.append((name, key, dates, anchor, due))
    return out


DONE_CASES = _deadlines_with_done_by()


@pytest.mark.parametrize(
    ("name", "key", "dates", "anchor", "due"),
    DONE_CASES,
    ids=[f"{c[0]}:{c[1]}:{'+'.join(c[2])}" for c in DONE_CASES],
)
def test_met_on_the_deadline_missed_the_day_after(
    name: str, key: str, dates: dict[str, str], anchor: str, due: str
) -> None:
    rule = get_profile(name).milestone(key)
    assert rule.done_by is not None
    base = _case(dates)
    on_time = with_dates(base, **{rule.done_by: d(due)})
    late = with_dates(base, **{rule.done_by: d(due) + timedelta(days=1)})
    early = with_dates(base, **{rule.done_by: d(anchor) + timedelta(days=1)})
    m_on, m_late, m_early = (one(c, name, key) for c in (on_time, late, early))
    assert m_on is not None and m_late is not None and m_early is not None
    assert m_on.due == m_late.due == m_early.due == d(due)
    assert (m_on.state, m_on.met, m_on.within_timeframe) == (State.MET, True, True)
    assert (m_late.state, m_late.met, m_late.within_timeframe) == (State.MISSED, False, False)
    assert (m_early.state, m_early.met) == (State.MET, True)
    assert m_on.within_extension is None and m_on.extension_within_cap is None


EXTENDABLE = [
    # (profile, key, dates, due, cap limit: due + cap working days)
    ("spruce", "stage1_response", {"received": "2025-12-19", "acknowledged": "2025-12-23"},
     "2026-01-09", "2026-01-23"),
    ("spruce", "stage2_response", {"escalation_received": "2025-03-03"}, "2025-03-31",
     "2025-04-14"),
    ("hos-code-2024", "stage1_response", {"received": "2022-06-01"}, "2022-06-24", "2022-07-08"),
    ("hos-code-2024", "stage2_response",
     {"escalation_received": "2025-03-03", "stage2_acknowledged": "2025-03-05"},
     "2025-04-02", "2025-05-02"),
    ("hos-code-2022", "stage1_response", {"received": "2023-06-26", "acknowledged": "2023-06-30"},
     "2023-07-14", "2023-07-28"),
    ("hos-code-2022", "stage2_response", {"escalation_received": "2023-06-26"}, "2023-07-24",
     "2023-08-07"),
    ("homes-plus-england", "stage1_response", {"received": "2025-04-17"}, "2025-05-06",
     "2025-05-20"),
    ("homes-plus-england", "stage2_response", {"escalation_received": "2025-03-03"},
     "2025-03-31", "2025-04-30"),
    ("homes-plus-scotland", "stage2_response", {"escalation_received": "2025-08-01"},
     "2025-09-01", "2025-09-15"),
    ("southern-housing", "stage1_response", {"received": "2025-12-19"}, "2026-01-07",
     "2026-01-21"),
    ("southern-housing", "stage2_response", {"escalation_received": "2025-03-03"},
     "2025-03-31", "2025-04-14"),
    ("southern-housing", "stage2_compensation_response",
     {"escalation_received": "2025-03-03", "stage2_review": "compensation"},
     "2025-03-17", "2025-03-31"),
]  # fmt: skip


def test_extendable_examples_cover_every_extendable_milestone() -> None:
    covered = {(name, key) for name, key, *_ in EXTENDABLE}
    every = {
        (p.name, r.key) for p in load_profiles().values() for r in p.milestones if r.extendable
    }
    assert covered == every


@pytest.mark.parametrize(
    ("name", "key", "dates", "due", "limit"), EXTENDABLE, ids=[f"{e[0]}:{e[1]}" for e in EXTENDABLE]
)
def test_met_with_extension(
    name: str, key: str, dates: dict[str, str], due: str, limit: str
) -> None:
    rule = get_profile(name).milestone(key)
    assert rule.done_by is not None
    done_field: str = rule.done_by
    field = f"{rule.stage}_extended_to"
    base = _case(dates)
    extended = d(due) + timedelta(days=7)  # a week's extension, well inside the cap

    def run(done: date, to: date | None) -> Milestone:
        m = one(with_dates(base, **{done_field: done, field: to}), name, key)
        assert m is not None
        assert m.due == d(due)
        assert m.extension_limit == d(limit)
        return m

    # No extension recorded: the day after the deadline is missed.
    m = run(d(due) + timedelta(days=1), None)
    assert (m.met, m.within_timeframe, m.within_extension) == (False, False, None)
    # Extended: late against the original deadline, on time against the extension.
    m = run(extended, extended)
    assert m.deadline == extended
    assert (m.state, m.met, m.within_timeframe, m.within_extension) == (
        State.MET,
        True,
        False,
        True,
    )
    assert m.extension_within_cap is True
    # Extended, but answered the day after the extended date.
    m = run(extended + timedelta(days=1), extended)
    assert (m.state, m.met, m.within_timeframe, m.within_extension) == (
        State.MISSED,
        False,
        False,
        False,
    )
    # On time anyway: within timeframe and within extension.
    m = run(d(due), extended)
    assert (m.met, m.within_timeframe, m.within_extension) == (True, True, True)
    # An extension beyond the cap: the deadline stops at the cap.
    beyond = d(limit) + timedelta(days=14)
    m = run(d(limit), beyond)
    assert m.deadline == d(limit)
    assert (m.met, m.within_extension, m.extension_within_cap) == (True, True, False)
    m = run(d(limit) + timedelta(days=1), beyond)
    assert (m.met, m.state, m.within_extension, m.extension_within_cap) == (
        False,
        State.MISSED,
        True,
        False,
    )


def test_extension_ignored_where_none_allowed() -> None:
    # Homes Plus Scotland gives no Stage 1 extension: a recorded one does not move the deadline.
    c = case(received="2025-12-31", stage1_responded="2026-01-12", stage1_extended_to="2026-01-16")
    m = one(c, "homes-plus-scotland", "stage1_response")
    assert m is not None
    assert (m.deadline, m.extended_to, m.met) == (d("2026-01-09"), None, False)


def test_extension_before_due_does_not_shorten() -> None:
    c = case(escalation_received="2025-03-03", stage2_extended_to="2025-03-20")
    m = one(c, "spruce", "stage2_response", as_of=d("2025-03-25"))
    assert m is not None
    assert m.deadline == d("2025-03-31")
    assert m.state is State.PENDING


# --------------------------------------------------------------------------------------------
# Open milestones: pending / missed, days left, windows, applicability
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("as_of", "state", "left"),
    [
        ("2025-12-22", State.PENDING, 2),
        ("2025-12-24", State.PENDING, 0),
        ("2025-12-25", State.MISSED, 0),  # Christmas Day: no working day has passed yet
        ("2025-12-29", State.MISSED, -1),
        ("2026-01-02", State.MISSED, -4),
    ],
)
def test_open_deadline_state_and_days_left(as_of: str, state: State, left: int) -> None:
    m = one(case(received="2025-12-19"), "spruce", "acknowledge", as_of=d(as_of))
    assert m is not None
    assert (m.state, m.working_days_left) == (state, left)
    assert m.days_left == (d("2025-12-24") - d(as_of)).days
    assert m.met is None and m.within_timeframe is None


def test_window_pending_then_elapsed() -> None:
    c = case(stage1_responded="2025-03-03")
    m = one(c, "spruce", "close_if_not_escalated", as_of=d("2025-03-31"))
    assert m is not None and m.state is State.PENDING and m.working_days_left == 0
    m = one(c, "spruce", "close_if_not_escalated", as_of=d("2025-04-01"))
    assert m is not None and m.state is State.ELAPSED
    assert (
        one(with_dates(c, escalation_received=d("2025-03-20")), "spruce", "close_if_not_escalated")
        is None
    )
    assert one(with_dates(c, status="Closed"), "spruce", "close_if_not_escalated") is None


def test_projection_flag_and_anchor_event() -> None:
    m = one(case(received="2025-12-19"), "spruce", "stage1_response")
    assert m is not None and m.projected and m.anchor_event == "ack_due"
    m = one(case(received="2025-12-19", acknowledged="2025-12-22"), "spruce", "stage1_response")
    assert m is not None and not m.projected and m.anchor_event == "acknowledged"
    assert m.due == d("2026-01-08")


def test_not_applicable_without_anchor() -> None:
    c = case(received="2025-03-03")
    keys = [m.key for m in compute_milestones(c, *setup("spruce"), as_of=d("2025-03-03"))]
    assert keys == ["contact", "acknowledge", "stage1_response"]


def test_closed_case_keeps_only_what_was_recorded() -> None:
    c = case(
        received="2025-03-03",
        acknowledged="2025-03-05",
        stage1_responded="2025-03-14",
        escalation_received="2025-03-20",
        stage2_responded="2025-04-10",
    )
    closed = with_dates(c, status="Closed", stage="Stage 2")
    keys = [m.key for m in compute_milestones(closed, *setup("spruce"), as_of=d("2025-04-11"))]
    # No Stage 2 acknowledgement recorded, no update tracking once closed; no Ombudsman
    # window: the resident may refer at once (the 8-week wait ended on 1 October 2022).
    assert keys == [
        "contact",
        "acknowledge",
        "stage1_response",
        "stage2_response",
    ]


def test_southern_review_types_select_milestones() -> None:
    profile, cal = setup("southern-housing")

    def keys(review: str | None) -> list[str]:
        c = with_dates(case(escalation_received="2025-03-03"), stage2_review=review)
        return [
            m.key
            for m in compute_milestones(c, profile, cal, as_of=d("2025-03-04"))
            if m.stage == "stage2"
        ]

    assert keys("Senior Manager Review") == ["stage2_acknowledge", "stage2_response"]
    assert keys(None) == ["stage2_acknowledge", "stage2_response"]  # the profile's default
    assert keys("Compensation Review") == ["stage2_acknowledge", "stage2_compensation_response"]
    assert keys("Complaint Review Panel") == ["panel_meeting", "stage2_response"]


def test_panel_meeting_stops_once_responded() -> None:
    c = with_dates(
        case(escalation_received="2025-03-03", stage2_responded="2025-03-28"), stage2_review="panel"
    )
    assert one(c, "southern-housing", "panel_meeting") is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Manager Review", "manager"),
        ("Senior Manager Review", "manager"),
        ("compensation review - wants £500", "compensation"),
        ("Complaint Review Panel", "panel"),
        ("", None),
        (None, None),
        ("not sure", None),
    ],
)
def test_review_type(text: str | None, expected: str | None) -> None:
    assert review_type(text) == expected


def test_next_milestones() -> None:
    profile, cal = setup("spruce")
    c = case(received="2025-12-19", acknowledged="2025-12-23")
    got = next_milestones(c, profile, cal, as_of=d("2026-01-05"))
    assert [(m.key, m.deadline, m.working_days_left) for m in got] == [
        ("stage1_response", d("2026-01-09"), 4),
    ]
    # A response promising actions: weekly updates are due from it (last_update).
    responded = with_dates(c, stage1_responded=d("2026-01-08"), last_update=d("2026-01-08"))
    got = next_milestones(responded, profile, cal, as_of=d("2026-01-19"))
    assert [(m.key, m.deadline, m.state) for m in got] == [
        ("update", d("2026-01-15"), State.MISSED),
        ("close_if_not_escalated", d("2026-02-05"), State.PENDING),
    ]
    # An ended close window stays (the case can be closed now); a closed case has none.
    got = next_milestones(responded, profile, cal, as_of=d("2026-02-06"))
    assert [(m.key, m.state) for m in got] == [
        ("update", State.MISSED),
        ("close_if_not_escalated", State.ELAPSED),
    ]
    assert (
        next_milestones(with_dates(responded, status="Closed"), profile, cal, as_of=d("2026-02-06"))
        == []
    )


def test_next_milestones_ombudsman_window_after_closing() -> None:
    """A window counted in weeks (a profile of tests/data; Spruce's own 8 weeks before the
    Ombudsman ended in 2022, so a closed Spruce case has nothing next)."""
    profile, cal = WEEKS, CALENDARS[WEEKS.nation]
    c = case(
        received="2025-03-03",
        acknowledged="2025-03-04",
        stage1_responded="2025-03-10",
        escalation_received="2025-03-12",
        stage2_acknowledged="2025-03-13",
        stage2_responded="2025-04-01",
        status="Closed",
    )
    got = next_milestones(c, profile, cal, as_of=d("2025-05-01"))
    assert [(m.key, m.deadline, m.days_left) for m in got] == [
        ("ombudsman_referral", d("2025-05-27"), 26)
    ]
    assert next_milestones(c, profile, cal, as_of=d("2025-05-28")) == []
    assert next_milestones(c, *setup("spruce"), as_of=d("2025-05-01")) == []


def test_ombudsman_evidence_open_until_case_closed() -> None:
    profile, cal = setup("spruce")
    c = case(ombudsman_requested="2023-05-03", stage="Ombudsman")
    got = next_milestones(c, profile, cal, as_of=d("2023-05-26"))
    assert [
        (m.key, m.state, m.working_days_left) for m in got if m.key == "ombudsman_evidence"
    ] == [("ombudsman_evidence", State.MISSED, -1)]


# --------------------------------------------------------------------------------------------
# The log's Met columns
# --------------------------------------------------------------------------------------------


def test_met_columns() -> None:
    profile, cal = setup("spruce")
    c = case(
        received="2025-12-19",
        acknowledged="2025-12-29",  # late: due Wed 24 December
        stage1_responded="2026-01-20",  # after the 12 Jan deadline, inside the extension
        stage1_extended_to="2026-01-23",
        escalation_received="2026-02-02",
        stage2_responded="2026-03-03",  # due Mon 2 March
    )
    assert met_columns(c, profile, cal) == {
        "Met HOS acknowledgment timeframe": False,
        "Met HOS code response timeframe?": True,
        "Stage 2 HOS code timeframe met?": False,
    }
    assert met_columns(case(received="2025-12-19"), profile, cal) == {
        "Met HOS acknowledgment timeframe": None,
        "Met HOS code response timeframe?": None,
        "Stage 2 HOS code timeframe met?": None,
    }


# --------------------------------------------------------------------------------------------
# Input forms, explanations, speed
# --------------------------------------------------------------------------------------------


def test_case_from_mapping() -> None:
    c = as_case(
        {
            "received": "19/12/2025",
            "acknowledged": datetime(2025, 12, 23, 9, 30),
            "stage1_responded": "",
            "escalation_received": None,
            "status": "Open",
            "reference": "SPRUCE001",  # other keys are ignored
        }
    )
    assert c == CaseDates(received=d("2025-12-19"), acknowledged=d("2025-12-23"))


def test_case_from_object() -> None:
    row = SimpleNamespace(
        received=d("2025-12-19"), acknowledged=None, status="Closed", stage="Stage 1"
    )
    c = as_case(row)
    assert c.received == d("2025-12-19") and not c.is_open


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "case has no 'received' date"),
        ({"received": "12/31/2025"}, "received '12/31/2025' is not a real date"),
        ({"received": "2025-12-19", "acknowledged": 45000}, "acknowledged 45000 is not a date"),
    ],
)
def test_case_from_mapping_rejects(data: dict[str, object], message: str) -> None:
    with pytest.raises(ComplaintsError, match=message):
        as_case(data)


def test_explain_milestones() -> None:
    profile, cal = setup("spruce")
    c = case(received="2025-12-19", acknowledged="2025-12-23", stage1_extended_to="2026-01-16")
    items = {e.milestone.key: e for e in explain_milestones(c, profile, cal, as_of=d("2026-01-05"))}
    stage1 = items["stage1_response"]
    assert stage1.counting is not None and stage1.counting.due == d("2026-01-09")
    assert stage1.extension is not None and stage1.extension.due == d("2026-01-23")
    text = "\n".join(stage1.lines())
    assert "10 working days from acknowledged Tue 23/12/2025" in text
    assert "skipped Thu 25/12/2025: bank holiday: Christmas Day" in text
    assert "extended to Fri 16/01/2026" in text
    assert "pending, 9 working day(s) left" in text
    projected = explain_milestones(case(received="2025-12-19"), profile, cal, as_of=d("2025-12-19"))
    assert "(projected: not yet recorded)" in "\n".join(projected[2].lines())


def test_referral_window_has_no_working_day_count() -> None:
    profile, cal = WEEKS, CALENDARS[WEEKS.nation]
    c = case(stage2_responded="2025-12-19")
    items = {e.milestone.key: e for e in explain_milestones(c, profile, cal, as_of=d("2025-12-19"))}
    assert items["ombudsman_referral"].counting is None
    assert "8 weeks from stage2 responded" in items["ombudsman_referral"].lines()[0]


def test_speed() -> None:
    profile, cal = setup("spruce")
    start = d("2024-01-01")
    cases = []
    for i in range(20_000):
        r = start + timedelta(days=i % 700)
        cases.append(CaseDates(received=r, acknowledged=r + timedelta(days=2)))
    compute_milestones(cases[0], profile, cal, as_of=d("2025-06-01"))
    began = time.perf_counter()
    for c in cases:
        compute_milestones(c, profile, cal, as_of=d("2025-06-01"))
    elapsed = time.perf_counter() - began
    assert elapsed < 1.5, f"20,000 cases took {elapsed:.2f}s"


def test_a_step_implied_by_a_later_one_is_not_chased() -> None:
    # Imported open case: the log has a Stage 1 response but no acknowledgement date. The
    # acknowledgement happened on a date the log does not hold: not overdue, not judged.
    c = case(received="2025-03-03", stage1_responded="2025-03-14")
    keys = [m.key for m in compute_milestones(c, *setup("spruce"), as_of=d("2025-04-01"))]
    assert "acknowledge" not in keys and "contact" not in keys
    assert one(c, "spruce", "stage1_response", d("2025-04-01")).state is State.MET  # type: ignore[union-attr]
    # A Stage 2 response implies the Stage 2 acknowledgement ...
    s2 = case(
        received="2025-03-03",
        acknowledged="2025-03-04",
        stage1_responded="2025-03-14",
        escalation_received="2025-03-20",
        stage2_responded="2025-04-10",
        stage="Stage 2",
    )
    assert one(s2, "hos-code-2024", "stage2_acknowledge", d("2025-04-11")) is None
    # ... but an escalation alone does not imply a Stage 1 response (the resident may have
    # escalated because none came), and nothing later implies the Stage 2 acknowledgement.
    waiting = case(
        received="2025-03-03",
        acknowledged="2025-03-04",
        escalation_received="2025-03-20",
        stage="Stage 2",
    )
    s1 = one(waiting, "hos-code-2024", "stage1_response", d("2025-04-11"))
    assert s1 is not None and s1.state is State.MISSED
    ack2 = one(waiting, "hos-code-2024", "stage2_acknowledge", d("2025-04-11"))
    assert ack2 is not None and ack2.state is State.MISSED


def test_a_window_counts_calendar_weeks() -> None:
    """Eight calendar weeks, weekends and holidays included (Christmas and New Year inside)."""
    profile, cal = WEEKS, CALENDARS[WEEKS.nation]
    got = {
        m.key: m
        for m in compute_milestones(
            _case({"stage2_responded": "2025-12-19"}), profile, cal, as_of=d("2025-12-19")
        )
    }["ombudsman_referral"]
    assert (got.anchor, got.due, got.deadline) == (
        d("2025-12-19"),
        d("2026-02-13"),
        d("2026-02-13"),
    )
