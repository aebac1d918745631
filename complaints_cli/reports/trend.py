"""The EMT report's 12-month trend: each month's headline counts, from the cases already read.

The report reads the cases of its 12-month window once (:func:`.cases.load_cases`); the trend
counts them month by month with the same rules as the month's own figures, so a month's trend
row is that month's report (``tests/cli/test_report_agreement.py`` checks it on a generated
log). One pass over the cases: each event (received, escalated, responded, closed, withdrawn) is
put in its month, and each case adds one to "open at the month end" for the months from its
receipt to its end (closed or withdrawn, the first), by a running sum.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from decimal import Decimal
from operator import attrgetter
from typing import Any

from complaints_cli.domain.periods import Period
from complaints_cli.reports.cases import ReportCase, pounds

#: Trend count -> the case date that puts a case in a month (a refused escalation is none).
EVENTS = {
    "received": "received",
    "escalated": "escalation_received",
    "stage1_responses": "stage1_responded",
    "stage2_responses": "stage2_responded",
}
#: Compensation awarded: the response that awarded it dates it.
AWARDS = (
    ("stage1_responded", "compensation_pence"),
    ("stage2_responded", "stage2_compensation_pence"),
)


_ONE_DAY = timedelta(days=1)


def _month(day: date) -> int:
    return day.year * 12 + day.month - 1


def trend_counts(cases: Sequence[ReportCase], months: Sequence[Period]) -> list[dict[str, Any]]:
    """Each month's counts, open cases at its end and compensation awarded (the shares are
    added by the report).

    One pass over the window's cases (28,000 at 100,000 cases), so written lean: a day's
    month is one look-up in a table of the window's days, each count is a list by month,
    and a case's event dates are read at once with ``attrgetter`` (0.05 s against 0.11 s of
    CPU for the loop it replaced, ``time.process_time`` on a loaded machine, 2026-11-30)."""
    first = _month(months[0].start)
    n = len(months)
    out: list[dict[str, Any]] = [
        {"month": m.key, "label": f"{m.start:%b %Y}"}
        | dict.fromkeys((*EVENTS, "closed", "withdrawn"), 0)
        | {"open_at_end": 0, "compensation_payments": 0, "compensation_total": Decimal(0)}
        for m in months
    ]
    # day -> its month's place in the window, for every day of the window's months
    place: dict[date, int] = {}
    one = months[0].start.replace(day=1)
    while (k := _month(one) - first) < n:
        place[one] = k
        one += _ONE_DAY
    at = place.get
    counts = {key: [0] * n for key in (*EVENTS, "closed", "withdrawn")}
    event_counts = [counts[key] for key in EVENTS]
    closed_counts, withdrawn_counts = counts["closed"], counts["withdrawn"]
    payments = [0] * n
    totals = [Decimal(0)] * n
    event_days = attrgetter(*EVENTS.values())
    opened = [0] * (n + 1)  # a running sum gives each month's open cases
    window_start = months[0].start
    for c in cases:
        d, v = c.dates, c.values
        closed = v["closed"]
        if closed is not None and closed < window_start:
            continue  # closed before the window (read only for its Ombudsman activity)
        for per_month, day in zip(event_counts, event_days(d), strict=True):
            if day is not None and (i := at(day)) is not None:
                per_month[i] += 1
        if closed is not None and (i := at(closed)) is not None:
            closed_counts[i] += 1
        withdrawn = v["withdrawn"]
        if withdrawn is not None and (i := at(withdrawn)) is not None:
            withdrawn_counts[i] += 1
        for attr, pence in AWARDS:
            day, amount = getattr(d, attr), v[pence]
            if day is not None and amount and (i := at(day)) is not None and amount > 0:
                payments[i] += 1
                totals[i] += pounds(amount) or Decimal(0)
        received = d.received
        start = max(received.year * 12 + received.month - 1 - first, 0)
        end = c.end
        stop = n if end is None else min(end.year * 12 + end.month - 1 - first, n)
        if start < stop:  # open at the end of months start .. stop-1
            opened[start] += 1
            opened[stop] -= 1
    running = 0
    for k in range(n):
        row = out[k]
        for key, per_month in counts.items():
            row[key] = per_month[k]
        row["compensation_payments"] = payments[k]
        row["compensation_total"] = totals[k]
        running += opened[k]
        row["open_at_end"] = running
    return out
