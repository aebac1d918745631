"""The EMT report's 12-month trend: each month's headline counts, from the cases already read.

The report reads the cases of its 12-month window once (:func:`.cases.load_cases`); the trend
counts them month by month with the same rules as the month's own figures, so a month's trend
row is that month's report (``tests/cli/test_report_agreement.py`` checks it on a generated
log). One pass over the cases: each event (received, escalated, responded, closed, withdrawn) is
put in its month, and each case adds one to "open at the month end" for the months from its
receipt to its end (closed or withdrawn, the first), by a running sum. A case reopened since
keeps its past closures (:attr:`.cases.ReportCase.closures`): each is counted as closed (or
withdrawn) in its month, and the case is not open at the end of a month inside one.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from operator import attrgetter, itemgetter
from typing import Any

from complaints_cli.domain.closures import finished_on
from complaints_cli.domain.periods import Period
from complaints_cli.reports.cases import ReportCase, columns_reader, pounds

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


def _month(day: date) -> int:
    return day.year * 12 + day.month - 1


class _MonthOf(dict[date, int]):
    """A day -> its month's place counted from the month ``first`` (:func:`_month`), worked
    out once per day: ~28,000 cases of a 12-month window carry a few hundred distinct days."""

    def __init__(self, first: int) -> None:
        super().__init__()
        self.first = first

    def __missing__(self, day: date) -> int:
        i = self[day] = day.year * 12 + day.month - 1 - self.first
        return i


def trend_counts(cases: Sequence[ReportCase], months: Sequence[Period]) -> list[dict[str, Any]]:
    """Each month's counts, open cases at its end and compensation awarded (the shares are
    added by the report)."""
    first = _month(months[0].start)
    n = len(months)
    out: list[dict[str, Any]] = [
        {"month": m.key, "label": f"{m.start:%b %Y}"}
        | dict.fromkeys((*EVENTS, "closed", "withdrawn"), 0)
        | {"open_at_end": 0, "compensation_payments": 0, "compensation_total": Decimal(0)}
        for m in months
    ]
    opened = [0] * (n + 1)  # a running sum gives each month's open cases
    window_start = months[0].start
    month_of = _MonthOf(first)  # a day -> its month's place in the trend (days repeat)
    place = month_of.__getitem__
    read = columns_reader("closed", "withdrawn", *(pence for _day, pence in AWARDS))
    # Each count made by C loops (map, filter, Counter) over the ~28,000 cases of a 12-month
    # window of the generated 100k log, rather than a Python loop over each case's events.
    kept: list[ReportCase] = []
    values: list[tuple[Any, ...]] = []
    for c, v in zip(cases, map(read, map(attrgetter("values"), cases))):  # noqa: B905
        closed = v[0]
        if closed is None or closed >= window_start:  # else read for its Ombudsman activity
            kept.append(c)
            values.append(v)
    dates = list(map(attrgetter("dates"), kept))

    def add(key: str, days: Iterable[date | None]) -> None:
        for i, count in Counter(map(place, filter(None, days))).items():
            if 0 <= i < n:
                out[i][key] += count

    for key, attr in EVENTS.items():
        add(key, map(attrgetter(attr), dates))
    for at, key in ((0, "closed"), (1, "withdrawn")):
        add(key, map(itemgetter(at), values))
    reopened = [c for c in kept if c.closures]  # a few: the cases reopened since
    for key, status in (("closed", "Closed"), ("withdrawn", "Withdrawn")):
        add(
            key,
            (x.day for c in reopened for x in c.closures if x.status == status and not x.undated),
        )
    for at, (attr, _pence) in enumerate(AWARDS, start=2):
        for day, amount in zip(map(attrgetter(attr), dates), map(itemgetter(at), values)):  # noqa: B905
            if day is not None and amount:
                i = place(day)
                if 0 <= i < n and amount > 0:
                    out[i]["compensation_payments"] += 1
                    out[i]["compensation_total"] += pounds(amount) or Decimal(0)
    for c, d in zip(kept, dates):  # noqa: B905  (the same length)
        start = max(place(d.received), 0)
        end = c.end
        stop = n if end is None else min(place(end), n)
        if start < stop:  # open at the end of months start .. stop-1
            opened[start] += 1
            opened[stop] -= 1
            if c.closures:  # not open at the end of a month inside a past closure
                for i in range(start, stop):
                    if finished_on(c.closures, months[i].end):
                        opened[i] -= 1
                        opened[i + 1] += 1
    running = 0
    for i in range(n):
        running += opened[i]
        out[i]["open_at_end"] = running
    return out
