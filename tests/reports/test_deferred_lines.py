"""A share's counts come from the same verdicts as its case lines, and its lines are made only
when read (a table prints the counts): :func:`complaints_cli.reports.timeliness.share`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict
from datetime import date

import pytest

from complaints_cli.domain.deadlines import CaseDates, Milestone, State
from complaints_cli.domain.profiles import get_profile
from complaints_cli.reports.cases import ReportCase, role_rules
from complaints_cli.reports.figures import CaseLine, DeferredFigure, Figure, deferred
from complaints_cli.reports.timeliness import (
    Judged,
    _share_lines,
    met,
    share,
    within_extension,
    within_timeframe,
)

(RULE,) = role_rules(get_profile("hos-code-2024"), "stage1")
DUE = date(2025, 4, 15)  # a Tuesday
#: (done, extended to, the extension's deadline): on time; late; within an extension; after
#: it; on the due day; an extension recorded but answered within the timeframe.
STEPS = [
    (date(2025, 4, 14), None, DUE),
    (date(2025, 4, 16), None, DUE),
    (date(2025, 4, 22), date(2025, 4, 25), date(2025, 4, 25)),
    (date(2025, 4, 29), date(2025, 4, 25), date(2025, 4, 25)),
    (DUE, None, DUE),
    (date(2025, 4, 10), date(2025, 4, 25), date(2025, 4, 25)),
]


def _judged(i: int, done: date, extended_to: date | None, deadline: date) -> Judged:
    assert RULE is not None
    dates = CaseDates(received=date(2025, 4, 1), stage1_responded=done)
    case = ReportCase(f"C-2025-{i:04d}", {}, dates)
    m = Milestone(
        RULE.key,
        RULE.label,
        RULE.stage,
        RULE.kind,
        "acknowledged",
        date(2025, 4, 1),
        False,
        DUE,
        deadline,
        extended_to,
        None,
        done,
        State.MET if done <= deadline else State.MISSED,
        None,
        None,
        RULE.log_column,
        RULE,
    )
    return Judged(case, "stage1", m, None)


JUDGED = [_judged(i, *step) for i, step in enumerate(STEPS)]
EXTRA = [CaseLine("C-2025-0099", date(2025, 4, 1), "Stage 1 response", None, counted=False)]


def _extended(j: Judged) -> bool:
    return j.extended


@pytest.mark.parametrize(
    ("line", "only", "numerator", "denominator"),
    [
        (met, None, 4, 6),
        (within_timeframe, None, 3, 6),
        (within_extension, None, 2, 6),
        (within_extension, _extended, 2, 3),
    ],
)
def test_share_counts_are_its_lines_verdicts(
    line: Callable[[Judged], CaseLine],
    only: Callable[[Judged], bool] | None,
    numerator: int,
    denominator: int,
) -> None:
    figure = share("k", "label", "section", "sheet", JUDGED, line, only=only, extra=EXTRA)
    assert isinstance(figure, DeferredFigure)
    assert (figure.count, figure.of) == (numerator, denominator)
    lines, eager_n, eager_d = _share_lines(JUDGED, line, only, "", EXTRA)
    assert (eager_n, eager_d) == (numerator, denominator)  # what the lines themselves say
    assert figure.cases == lines
    assert figure.cases[-1] == EXTRA[0]
    on_time = [
        c for c in figure.cases if c.counted and c.result in ("on time", "within the extension")
    ]
    assert len(on_time) == numerator


def test_extra_may_be_given_as_a_function_called_when_the_lines_are_read() -> None:
    calls: list[int] = []

    def extra() -> list[CaseLine]:
        calls.append(1)
        return EXTRA

    figure = share("k", "label", "section", "sheet", JUDGED, met, extra=extra)
    assert (figure.count, figure.of, figure.text) == (4, 6, "4 of 6 (66.7%)")
    assert calls == []
    assert figure.cases[-1] == EXTRA[0]
    assert figure.cases[-1] == EXTRA[0]
    assert calls == [1]


def test_a_deferred_figure_makes_its_lines_once_and_only_when_read() -> None:
    made: list[int] = []

    def make() -> list[CaseLine]:
        made.append(1)
        return EXTRA

    figure = deferred(Figure("k", "label", "section", "count", "sheet", count=1), make)
    figure.note = "a note"
    assert (figure.text, figure.head_json()["value"], made) == ("1", 1, [])
    assert figure.cases == EXTRA
    assert figure.counted_cases() == []
    assert figure.as_json()["cases"] == [EXTRA[0].as_json()]
    assert made == [1]
    eager = Figure("k", "label", "section", "count", "sheet", count=1, note="a note", cases=EXTRA)
    assert asdict(figure) == asdict(eager)
