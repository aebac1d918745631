"""What the reports remember to go faster gives the answers worked out afresh: the deadlines kept
per rule and anchor (one calendar's answer never serves another, one extension's never serves
another), the statuses and review types judged once per text, and a case's values read from its
row (:class:`~complaints_cli.reports.cases.RowValues`) as the dictionary they replaced."""

from __future__ import annotations

from datetime import date

import pytest

from complaints_cli.domain import deadlines
from complaints_cli.domain.deadlines import CaseDates, compute_milestones
from complaints_cli.domain.profiles import get_profile
from complaints_cli.domain.workdays import Calendar
from complaints_cli.reports.cases import COLUMNS, RowValues, case_from_row, columns_reader

PROFILE = get_profile("hos-code-2024")
RECEIVED = date(2025, 12, 19)  # a Friday: the acknowledgement runs over Christmas


def _due(calendar: Calendar, **dates: object) -> dict[str, tuple[date, date]]:
    case = CaseDates(received=RECEIVED, **dates)  # type: ignore[arg-type]
    return {
        m.key: (m.due, m.deadline)
        for m in compute_milestones(case, PROFILE, calendar, as_of=RECEIVED)
    }


def test_a_calendar_never_gets_another_calendars_deadline() -> None:
    """The same rule and anchor under two calendars (one with the office shut between
    Christmas and New Year) give each calendar's own deadline, whichever is asked first."""
    shut = [date(2025, 12, d) for d in (22, 23, 24, 29, 30, 31)]
    open_office, closed_office = Calendar(), Calendar(closures=shut)
    first = _due(open_office)["acknowledge"]
    second = _due(closed_office)["acknowledge"]
    assert first[0] == date(2025, 12, 30)  # Mon 22, Tue 23, Wed 24, Mon 29, Tue 30
    assert second[0] == date(2026, 1, 8)  # the closures skipped as well
    assert _due(open_office)["acknowledge"] == first


def test_an_extension_agreed_late_is_not_another_cases_valid_one() -> None:
    """Two cases with the same anchor and extended date, one told of the extension within the
    deadline and one after it: each gets its own verdict (the extension counts for the first
    only), in either order."""
    cal = Calendar()
    common = {
        "acknowledged": date(2026, 1, 5),
        "stage1_responded": date(2026, 1, 26),
        "stage1_extended_to": date(2026, 1, 30),
    }
    in_time = _due(cal, stage1_extension_told_on=date(2026, 1, 9), **common)["stage1_response"]
    late = _due(cal, stage1_extension_told_on=date(2026, 1, 23), **common)["stage1_response"]
    assert in_time == (date(2026, 1, 19), date(2026, 1, 30))
    assert late == (date(2026, 1, 19), date(2026, 1, 19))
    assert _due(cal, stage1_extension_told_on=date(2026, 1, 9), **common)["stage1_response"] == (
        in_time
    )


def test_an_extension_not_told_is_not_another_cases_unknown_one() -> None:
    """Three cases alike but for the extension's told flag (no date told): recorded not told
    (False), unknown (None: an imported log) and told (True). The deadline memo keys on the
    flag: the extension counts for the last two only, in any order."""
    cal = Calendar()
    common = {
        "acknowledged": date(2026, 2, 2),
        "stage1_responded": date(2026, 2, 23),
        "stage1_extended_to": date(2026, 2, 27),
        "stage1_extension_agreed": date(2026, 2, 9),
    }
    extended, original = (date(2026, 2, 16), date(2026, 2, 27)), (date(2026, 2, 16),) * 2
    for order in ((None, False, True), (False, None, True), (True, False, None)):
        got = {
            told: _due(cal, stage1_extension_told=told, **common)["stage1_response"]
            for told in order
        }
        assert got == {None: extended, False: original, True: extended}, order


def test_the_memo_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    """A long-lived process never grows a rule's memo past its bound."""
    monkeypatch.setattr(deadlines, "_MEMO_SIZE", 3)
    for plan in deadlines._plans(PROFILE):
        plan.deadlines.clear()  # whatever the tests before left
    cal = Calendar()
    for day in range(1, 20):
        compute_milestones(
            CaseDates(received=date(2025, 5, day)), PROFILE, cal, as_of=date(2025, 5, day)
        )
    sizes = [len(plan.deadlines) for plan in deadlines._plans(PROFILE)]
    assert 0 < max(sizes) <= 3  # 19 anchors asked of the acknowledgement: at most 3 kept


def test_statuses_are_judged_per_text() -> None:
    """An open and a closed status each keep their own verdict once remembered."""
    cal = Calendar()
    for _ in range(2):
        open_case = _due(cal)
        closed = _due(cal, status="Closed")  # type: ignore[arg-type]
        assert "acknowledge" in open_case
        assert "acknowledge" not in closed  # nothing to chase or judge: never acknowledged


def _row(**values: object) -> tuple[object, ...]:
    row: dict[str, object] = dict.fromkeys(COLUMNS)
    row.update({"id": 7, "reference": "C-1", "received": "2025-04-01"}, **values)
    return tuple(row[c] for c in COLUMNS)


def test_row_values_read_as_the_dictionary_did() -> None:
    case = case_from_row(
        _row(ack_met=0, stage1_met=1, stage2_met=2, handler="Sam", tenure=None, closed="2025-05-02")
    )
    values = case.values
    assert isinstance(values, RowValues)
    expected = {c: None for c in COLUMNS} | {
        "id": 7,
        "reference": "C-1",
        "received": date(2025, 4, 1),
        "closed": date(2025, 5, 2),
        "ack_met": False,
        "stage1_met": True,
        "stage2_met": True,  # any other value by its truth, as bool() reads it
        "handler": "Sam",
    }
    assert dict(values) == expected
    assert list(values) == list(COLUMNS)
    assert values["handler"] == "Sam" and values.get("tenure", "x") is None
    assert values.get("no such column", "x") == "x" and "no such column" not in values
    with pytest.raises(KeyError):
        values["no such column"]
    assert case.end == date(2025, 5, 2)


def test_columns_reader_reads_a_row_and_a_mapping_alike() -> None:
    read = columns_reader("closed", "handler", "compensation_pence")
    case = case_from_row(_row(handler="Sam", closed="2025-05-02", compensation_pence=2500))
    expected = (date(2025, 5, 2), "Sam", 2500)
    assert read(case.values) == expected
    assert read(dict(case.values)) == expected


def test_a_rules_limit_text_never_serves_another_rule() -> None:
    """Each step's working names its own rule's limit, whichever rule was shown first, and a
    remembered limit kept under a rule's id is used only for that very rule (an id can be
    reused once a rule is gone)."""
    from dataclasses import replace

    from complaints_cli.reports import timeliness

    cal = Calendar()
    case = CaseDates(received=RECEIVED, acknowledged=date(2025, 12, 22))
    ack = next(
        m for m in compute_milestones(case, PROFILE, cal, as_of=RECEIVED) if m.key == "acknowledge"
    )
    longer = replace(ack.rule, working_days=9)
    timeliness.forget()
    assert ": 5 working days from" in timeliness.working(ack)
    other = ack._replace(rule=longer)
    assert ": 9 working days from" in timeliness.working(other)
    timeliness.forget()
    timeliness._LIMITS[id(ack.rule)] = (longer, "9 working days")  # another rule, the same id
    assert ": 5 working days from" in timeliness.working(ack)
    timeliness.forget()
