"""The report JSON's hand-written case-line encoder writes exactly what ``json.dumps`` writes."""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal

import pytest

from complaints_cli.domain.presentation import json_default
from complaints_cli.reports.figures import CaseLine, Figure
from complaints_cli.reports.output import case_line_json, figure_json

LINES = [
    CaseLine("C-2025-0001", date(2025, 4, 1), "received", date(2025, 4, 1)),
    CaseLine(
        'C-"quoted"\\slash',
        date(2025, 4, 1),
        "Stage 1 response",
        date(2025, 4, 15),
        date(2025, 4, 14),
        False,
        "late",
        "due Mon 14/04/2025: 10 working days from acknowledged\n\ttab \u2028 \x00 \x1f",
        Decimal("1250.5"),
        "Ms O\u2019Brien: caf\u00e9 \U0001f3e0 <b>&</b>",
        "the log says Yes",
    ),
    CaseLine("", None, "compliment", date(2026, 1, 31), text=None),
    CaseLine("C-2", datetime(2025, 4, 1, 9, 30), "x", None, amount=Decimal("0.005")),
    CaseLine("C-3", date(2025, 4, 1), "x", None, counted=1, result="", why=""),  # type: ignore[arg-type]
]


@pytest.mark.parametrize("line", LINES, ids=range(len(LINES)))
def test_case_line_json_is_json_dumps(line: CaseLine) -> None:
    expected = json.dumps(line.as_json(), ensure_ascii=False, default=json_default)
    assert case_line_json(line) == expected
    assert json.loads(case_line_json(line)) == json.loads(expected)


@pytest.mark.parametrize("cases", [[], LINES[:1], LINES])
def test_figure_json_is_json_dumps(cases: list[CaseLine]) -> None:
    figure = Figure(
        "stage1_on_time",
        "Stage 1 responses \u201con time\u201d",
        "Timeliness",
        "share",
        "Stage 1 on time",
        count=3,
        of=4,
        note='a "note"',
        cases=cases,
    )
    expected = json.dumps(figure.as_json(), ensure_ascii=False, default=json_default)
    assert figure_json(figure) == expected
