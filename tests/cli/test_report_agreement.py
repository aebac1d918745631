"""On a realistic generated log (benchmarks/generate.py), the trend's counts (one pass over the
window's cases, :mod:`complaints_cli.reports.trend`) agree with the case lists each month's own
figures are counted from, month after month: a month's trend row is that month's report."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

#: Trend key -> the month figure counting the same thing.
SAME = {
    "received": "received",
    "escalated": "escalated",
    "stage1_responses": "stage1_responses",
    "stage2_responses": "stage2_responses",
    "closed": "closed",
    "open_at_end": "open_total",
    "compensation_payments": "compensation",
}
#: Counted in the trend and the month's figures, but the generated log has none of them.
MAYBE_NONE = {
    "withdrawn": "withdrawn",
    "not_accepted": "not_accepted",
    "stage2_refused": "stage2_refused",
}


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from benchmarks.generate import generate

    db = tmp_path_factory.mktemp("gen") / "log.db"
    generate(db, 3000, date(2026, 11, 20))
    return db


@pytest.mark.parametrize("month", ["2026-06", "2026-10"])
def test_trend_counts_match_the_month_lists(
    cli: Any, monkeypatch: pytest.MonkeyPatch, generated: Path, month: str
) -> None:
    monkeypatch.setenv("COMPLAINTS_DB", str(generated))
    monkeypatch.setenv("COMPLAINTS_TODAY", "2026-11-20")
    data = json.loads(cli("report", "emt", "--month", month, "-f", "json").stdout)
    figures = {f["key"]: f for f in data["figures"]}
    last = data["trend"][-1]
    for trend_key, figure_key in SAME.items():
        figure = figures[figure_key]
        assert last[trend_key] == figure["count"] == len(figure["cases"]), trend_key
        assert figure["count"] > 0, figure_key  # a real month: nothing is trivially zero
    for trend_key, figure_key in MAYBE_NONE.items():
        assert last[trend_key] == figures[figure_key]["count"], trend_key
    assert last["compensation_total"] == figures["compensation"]["value"]
    for key in (
        "ack_on_time",
        "stage1_within_timeframe",
        "stage1_on_time",
        "stage2_ack_on_time",
        "stage2_within_timeframe",
        "stage2_on_time",
    ):
        figure = figures[key]
        assert (last[key]["numerator"], last[key]["denominator"]) == (
            figure["numerator"],
            figure["denominator"],
        )
    # An earlier month's trend row is that month's own report.
    earlier = json.loads(cli("report", "emt", "--month", data["trend"][-4]["month"], "-f",
                             "json").stdout)  # fmt: skip
    assert earlier["trend"][-1] == data["trend"][-4]
