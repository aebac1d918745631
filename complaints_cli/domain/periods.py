"""Reporting periods: a calendar month, a financial year (April to March), or any range.

The Regulator of Social Housing's TSMs and the Ombudsman's annual self-assessment are reported
for the landlord's financial year, 1 April to 31 March; "2025" names the year that starts on
1 April 2025 (2025/26).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from complaints_cli.domain.dates import MAX_YEAR, MIN_YEAR
from complaints_cli.errors import ComplaintsError

_MONTH = re.compile(r"(\d{4})-(\d{1,2})")


@dataclass(frozen=True, slots=True)
class Period:
    """An inclusive range of days with a name for people (``October 2026``, ``2025/26``)."""

    start: date
    end: date
    label: str

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day <= self.end

    @property
    def key(self) -> str:
        """``2026-10`` for a month, else ``2025-04-01..2026-03-31``: stable, for JSON."""
        if self.start.day == 1 and self.end == month_end(self.start):
            return f"{self.start:%Y-%m}"
        return f"{self.start.isoformat()}..{self.end.isoformat()}"


def month_end(day: date) -> date:
    """The last day of ``day``'s month."""
    following = date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return following - timedelta(days=1)


def month(text: str) -> Period:
    """``2026-10`` -> 1 to 31 October 2026. Anything else (a month of a year outside
    1990-2100 included) is refused with an example."""
    m = _MONTH.fullmatch(text.strip())
    if not m or not 1 <= int(m.group(2)) <= 12:
        raise ComplaintsError(f"month {text!r} is not a month like 2026-10 (yyyy-mm)")
    if not MIN_YEAR <= int(m.group(1)) <= MAX_YEAR:
        raise ComplaintsError(
            f"month {text!r} is not between {MIN_YEAR} and {MAX_YEAR}: check the year"
        )
    start = date(int(m.group(1)), int(m.group(2)), 1)
    return Period(start, month_end(start), f"{start:%B %Y}")


def months_back(last: Period, count: int) -> list[Period]:
    """The ``count`` months ending with ``last`` (a month), oldest first: the trend's months."""
    out = [last]
    while len(out) < count:
        first = out[0].start
        previous = (first - timedelta(days=1)).replace(day=1)
        out.insert(0, Period(previous, month_end(previous), f"{previous:%B %Y}"))
    return out


def financial_year(year: int) -> Period:
    """``2025`` -> 1 April 2025 to 31 March 2026, named ``2025/26`` (years 1990-2099)."""
    if not MIN_YEAR <= year < MAX_YEAR:
        raise ComplaintsError(f"year {year} is not a financial year like 2025 (for 2025/26)")
    return Period(date(year, 4, 1), date(year + 1, 3, 31), f"{year}/{(year + 1) % 100:02d}")


def between(start: date, end: date) -> Period:
    """Any inclusive range; refused when it ends before it starts."""
    if end < start:
        raise ComplaintsError(
            f"the period ends ({end:%d/%m/%Y}) before it starts ({start:%d/%m/%Y})"
        )
    return Period(start, end, f"{start:%d/%m/%Y} to {end:%d/%m/%Y}")
