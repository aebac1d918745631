"""The EMT summary's comparisons: each figure beside last month, its 12-month average, a target
and a RAG rating (issue 13, item 9).

* **Last month** and the **12-month average** come from the trend (the same counts, worked out
  for every month of the 12 ending with this one). A count's average is the mean of the 12
  monthly counts; a share's is pooled, every month's steps together ("85.0% (170 of 200)"), so
  a quiet month weighs no more than its cases; money's is the mean monthly total. A figure the
  trend does not hold (the open cases by stage, overdue, ...) has neither.
* **Targets** are set only where a rule sets one: every step on time is what the Code and the
  procedure require ("must": Code 6.2, 6.3, 6.11, 6.14), so the on-time shares' target is 100%;
  no case should be overdue or answered but left open, so those targets are 0. A team with its
  own targets needs a setting for them (not yet in the config).
* **RAG**: Green when the figure meets its target; Amber when it misses it but is no worse
  than its 12-month average; Red when it misses it and is worse than its 12-month average, or
  has no average to compare with. No target, or nothing to judge (``n/a``): no RAG.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from complaints_cli.domain.presentation import money
from complaints_cli.reports.figures import Figure, Report, percent, share_text

#: Figure key -> its trend key.
TREND_KEY = {
    "received": "received",
    "escalated": "escalated",
    "stage1_responses": "stage1_responses",
    "stage2_responses": "stage2_responses",
    "closed": "closed",
    "withdrawn": "withdrawn",
    "not_accepted": "not_accepted",
    "stage2_refused": "stage2_refused",
    "open_total": "open_at_end",
    "ack_on_time": "ack_on_time",
    "stage1_within_timeframe": "stage1_within_timeframe",
    "stage1_on_time": "stage1_on_time",
    "stage2_ack_on_time": "stage2_ack_on_time",
    "stage2_within_timeframe": "stage2_within_timeframe",
    "stage2_on_time": "stage2_on_time",
    "compensation": "compensation_total",
    "compliments": "compliments",
}

#: Figure key -> (target, higher is better). Shares in percent, counts as counts.
TARGETS: dict[str, tuple[float, bool]] = {
    "ack_on_time": (100.0, True),
    "stage1_on_time": (100.0, True),
    "stage2_ack_on_time": (100.0, True),
    "stage2_on_time": (100.0, True),
    "overdue": (0.0, False),
    "stale": (0.0, False),
}

RAG = ("Green", "Amber", "Red")


def _values(
    figure: Figure, trend: list[dict[str, Any]]
) -> tuple[str | None, str | None, float | None]:
    """(last month, 12-month average, the average as a number) of ``figure``."""
    key = TREND_KEY.get(figure.key)
    if key is None or len(trend) < 2:
        return None, None, None
    last = trend[-2].get(key)
    months = [row.get(key) for row in trend]
    if figure.kind == "share":
        n = sum(m["numerator"] for m in months if m)
        d = sum(m["denominator"] for m in months if m)
        return (
            share_text(last["numerator"], last["denominator"]) if last else None,
            share_text(n, d),
            percent(n, d),
        )
    known = [m for m in months if m is not None]
    if len(known) != len(months):
        return None, None, None
    if figure.kind == "money":
        total = sum((Decimal(str(m)) for m in known), Decimal(0))
        mean = (total / len(known)).quantize(Decimal("0.01"))
        return money(Decimal(str(last))), money(mean), float(mean)
    counts = count_numbers(figure, trend)
    assert counts is not None
    return str(counts[0]), f"{counts[1]:.1f}", counts[1]


def count_numbers(figure: Figure, trend: list[dict[str, Any]]) -> tuple[int, float] | None:
    """(last month, the 12-month average) of a count ``figure``, as numbers (the workbook's
    Summary writes them as number cells, the average to one decimal place), or ``None`` when
    the trend does not hold the figure or a month of it; the texts :func:`compare` gives are
    these numbers written out."""
    key = TREND_KEY.get(figure.key)
    if figure.kind != "count" or key is None or len(trend) < 2:
        return None
    months: list[int] = []
    for row in trend:
        month = row.get(key)
        if month is None:
            return None
        months.append(int(month))
    return months[-2], sum(months) / len(months)


def rag(figure: Figure, average: float | None) -> str | None:
    """Green, Amber or Red against the figure's target (see the module notes); None without a
    target or with nothing to judge."""
    target = TARGETS.get(figure.key)
    value = figure.value
    if target is None or value is None or isinstance(value, Decimal):
        return None
    goal, higher = target
    number = float(value)
    if (number >= goal) if higher else (number <= goal):
        return "Green"
    if average is not None and ((number >= average) if higher else (number <= average)):
        return "Amber"
    return "Red"


def target_text(figure: Figure) -> str | None:
    target = TARGETS.get(figure.key)
    if target is None:
        return None
    return f"{target[0]:.0f}%" if figure.kind == "share" else f"{target[0]:.0f}"


def compare(report: Report) -> dict[str, dict[str, Any]]:
    """Figure key -> ``{"this_month", "last_month", "average", "target", "rag"}`` (text)."""
    out: dict[str, dict[str, Any]] = {}
    for f in report.figures:
        last, average, mean = _values(f, report.trend)
        out[f.key] = {
            "this_month": f.text,
            "last_month": last,
            "average": average,
            "target": target_text(f),
            "rag": rag(f, mean),
        }
    return out
