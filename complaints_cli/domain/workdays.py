"""Working-day arithmetic for complaint deadlines.

A *working day* is Monday to Friday, except the bank holidays of the landlord's nation and any
office closure days the team configures. "Within N working days of date D" means on or before
the N-th working day after D; D itself is never counted, whether or not it is a working day.

:class:`Calendar` answers every question with a binary search over a sorted list of the
ordinals (``date.toordinal()``) of its working days, so one deadline costs a fraction of a
microsecond and no case is ever walked day by day. The list covers a range of whole years and
grows on demand (backwards or forwards) when a date falls outside it.

Bank holidays come from the ``holidays`` package (which carries substitute days and one-off
days such as the 2022-09-19 State Funeral and the 2023-05-08 Coronation). It costs ~60 ms to
import, so it is imported only when a calendar first needs its holidays, never at module import.

Office closures are either one-off dates or :class:`RecurringClosure` month-day ranges that
repeat every year ("29-31 December" is ``RecurringClosure.parse("12-29", "12-31")``). Strings
are accepted too, see :func:`parse_closure`.
"""

from __future__ import annotations

import calendar as calendar_module
import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from complaints_cli.errors import ComplaintsError

__all__ = [
    "DEFAULT_NATION",
    "MAX_WORKING_DAYS",
    "NATIONS",
    "BankHolidaySource",
    "Calendar",
    "Explanation",
    "NonWorkingDay",
    "RecurringClosure",
    "SkippedDay",
    "normalise_nation",
    "parse_closure",
]

DEFAULT_NATION = "england-and-wales"

#: Nation name (as GOV.UK's bank-holiday divisions spell it) -> ``holidays`` GB subdivision.
NATIONS: Mapping[str, str] = {
    "england-and-wales": "ENG",
    "scotland": "SCT",
    "northern-ireland": "NIR",
}

_NATION_ALIASES = {
    "england-and-wales": "england-and-wales",
    "england": "england-and-wales",
    "wales": "england-and-wales",
    "eng": "england-and-wales",
    "wls": "england-and-wales",
    "ew": "england-and-wales",
    "scotland": "scotland",
    "sct": "scotland",
    "northern-ireland": "northern-ireland",
    "nir": "northern-ireland",
    "ni": "northern-ireland",
}

BANK_HOLIDAY = "bank holiday"
#: The most working days one count may span (about 40 years): ``extend --days 2147483648``
#: is refused at once instead of loading bank holidays until the year 9999.
MAX_WORKING_DAYS = 10_000
OFFICE_CLOSURE = "office closure"

_WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

#: How a calendar gets bank holidays: ``(subdivision, first_year, last_year) -> {date: name}``.
BankHolidaySource = Callable[[str, int, int], Mapping[date, str]]


def normalise_nation(text: str) -> str:
    """Return the canonical nation name for ``text`` (case, spaces and ``_`` are forgiven).

    ``"England"``, ``"Wales"``, ``"england and wales"`` -> ``"england-and-wales"``;
    ``"Scotland"`` -> ``"scotland"``; ``"Northern Ireland"``, ``"NI"`` -> ``"northern-ireland"``.
    Raises :class:`ComplaintsError` for anything else.
    """
    key = re.sub(r"[\s_]+", "-", text.strip().lower())
    try:
        return _NATION_ALIASES[key]
    except KeyError:
        choices = ", ".join(NATIONS)
        raise ComplaintsError(f"unknown nation {text!r}: use one of {choices}") from None


def _weekday(ordinal: int) -> int:
    """Monday=0 .. Sunday=6 for a proleptic Gregorian ordinal (day 1 was a Monday)."""
    return (ordinal - 1) % 7


# --------------------------------------------------------------------------------------------
# Office closures
# --------------------------------------------------------------------------------------------

_MD = re.compile(r"(\d{1,2})-(\d{1,2})")
_YMD = re.compile(r"\d{4}-\d{1,2}-\d{1,2}")


def _check_month_day(month: int, day: int, text: str) -> tuple[int, int]:
    try:
        date(2000, month, day)  # a leap year, so 02-29 is allowed (it applies in leap years)
    except ValueError:
        raise ComplaintsError(f"office closure {text!r} is not a real month-day") from None
    return month, day


@dataclass(frozen=True, slots=True)
class RecurringClosure:
    """Office closure days that repeat every year: an inclusive month-day range.

    ``start`` and ``end`` are ``(month, day)``. A range may wrap the year end:
    ``RecurringClosure((12, 29), (1, 2))`` closes 29 December to 2 January every winter.
    ``(2, 29)`` applies only in leap years.
    """

    start: tuple[int, int]
    end: tuple[int, int]
    reason: str = OFFICE_CLOSURE

    def __post_init__(self) -> None:
        _check_month_day(*self.start, text=f"{self.start[0]:02d}-{self.start[1]:02d}")
        _check_month_day(*self.end, text=f"{self.end[0]:02d}-{self.end[1]:02d}")

    @classmethod
    def parse(
        cls, start: str, end: str | None = None, reason: str = OFFICE_CLOSURE
    ) -> RecurringClosure:
        """From ``"MM-DD"`` text: ``parse("12-29", "12-31")``; ``end`` defaults to ``start``."""
        return cls(_parse_month_day(start), _parse_month_day(end or start), reason)

    def days_in(self, year: int) -> list[date]:
        """The closure's dates that fall in ``year`` (both ends of a range that wraps)."""
        start, end = _md_in(year, self.start, True), _md_in(year, self.end, False)
        if self.start <= self.end:
            spans = [(start, end)]
        else:
            spans = [(date(year, 1, 1).toordinal(), end), (start, date(year, 12, 31).toordinal())]
        return [date.fromordinal(o) for lo, hi in spans for o in range(lo, hi + 1)]

    def __str__(self) -> str:
        (m1, d1), (m2, d2) = self.start, self.end
        return (
            f"{m1:02d}-{d1:02d}"
            if self.start == self.end
            else f"{m1:02d}-{d1:02d}..{m2:02d}-{d2:02d}"
        )


def _md_in(year: int, md: tuple[int, int], is_start: bool) -> int:
    """Ordinal of month-day ``md`` in ``year``; 29 February in a common year becomes 1 March
    as a range's start and 28 February as its end (so a 02-29 closure is skipped)."""
    if md == (2, 29) and not calendar_module.isleap(year):
        return date(year, 3, 1).toordinal() if is_start else date(year, 2, 28).toordinal()
    return date(year, *md).toordinal()


def _parse_month_day(text: str) -> tuple[int, int]:
    m = _MD.fullmatch(text.strip())
    if not m:
        raise ComplaintsError(f"office closure {text!r} is not a month-day: write it as MM-DD")
    return _check_month_day(int(m[1]), int(m[2]), text)


def parse_closure(text: str) -> list[date] | RecurringClosure:
    """Read one office-closure setting as a team would write it in a config file.

    * ``"2025-12-29"``: one day; ``"2025-12-29..2026-01-02"``: every day of that range.
    * ``"12-24"``: that day every year; ``"12-29..12-31"``: that range every year (may wrap,
      e.g. ``"12-29..01-02"``).

    Raises :class:`ComplaintsError` naming the text when it is none of these.
    """
    parts = [p.strip() for p in text.split("..")]
    if len(parts) > 2 or not all(parts):
        raise ComplaintsError(
            f"office closure {text!r}: write YYYY-MM-DD, MM-DD, or a range like 12-29..12-31"
        )
    if all(_YMD.fullmatch(p) for p in parts):
        try:
            first, last = (date.fromisoformat(_pad_iso(p)) for p in (parts[0], parts[-1]))
        except ValueError:
            raise ComplaintsError(f"office closure {text!r} is not a real date") from None
        if last < first:
            raise ComplaintsError(f"office closure {text!r} ends before it starts")
        return [first + timedelta(days=i) for i in range((last - first).days + 1)]
    if all(_MD.fullmatch(p) for p in parts):
        return RecurringClosure.parse(parts[0], parts[-1])
    raise ComplaintsError(
        f"office closure {text!r}: write YYYY-MM-DD, MM-DD, or a range like 12-29..12-31"
    )


def _pad_iso(text: str) -> str:
    y, m, d = text.split("-")
    return f"{y}-{int(m):02d}-{int(d):02d}"


# --------------------------------------------------------------------------------------------
# Results
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class NonWorkingDay:
    """A weekday that is not a working day, and why."""

    day: date
    reason: str  #: the bank holiday's name, or the closure's reason ("office closure")
    source: str  #: ``"bank holiday"`` or ``"office closure"``


@dataclass(frozen=True, slots=True)
class SkippedDay:
    """A day passed over while counting, with why: weekend, bank holiday or office closure."""

    day: date
    reason: str

    def __str__(self) -> str:
        return f"{self.day:%a %d/%m/%Y}: {self.reason}"


@dataclass(frozen=True, slots=True)
class Explanation:
    """How ``add_working_days(anchor, working_days)`` reached ``due``, day by day."""

    anchor: date
    working_days: int
    due: date
    anchor_is_working_day: bool
    counted: tuple[date, ...]  #: the working days counted, in order (the last one is ``due``)
    skipped: tuple[SkippedDay, ...]  #: every day between anchor and due that was not counted

    def lines(self) -> list[str]:
        """A plain-text account, one line per fact, for ``complaints due --explain``."""
        kind = "a working day" if self.anchor_is_working_day else "not a working day"
        out = [
            f"counted from {self.anchor:%a %d/%m/%Y} ({kind}; the day itself is not counted)",
            f"{self.working_days} working day(s) -> due {self.due:%a %d/%m/%Y}",
        ]
        events: list[tuple[date, str]] = [
            (d, f"  working day {i}: {d:%a %d/%m/%Y}") for i, d in enumerate(self.counted, 1)
        ]
        events += [(s.day, f"  skipped {s}") for s in self.skipped]
        out += [text for _, text in sorted(events)]
        return out


# --------------------------------------------------------------------------------------------
# The calendar
# --------------------------------------------------------------------------------------------


def holidays_from_package(subdiv: str, first_year: int, last_year: int) -> dict[date, str]:
    """Bank holidays for ``first_year..last_year`` from the ``holidays`` package (lazy import).

    Names follow the package, with ``(observed)`` spelt ``(substitute day)`` as GOV.UK does.
    """
    import holidays  # deferred: ~60 ms, only paid when a deadline is actually computed

    found = holidays.country_holidays("GB", subdiv=subdiv, years=range(first_year, last_year + 1))
    return {
        day: str(name).replace("(observed)", "(substitute day)")
        for day, name in found.items()
        if first_year <= day.year <= last_year
    }


class Calendar:
    """Working days for one nation plus the team's office closures.

    ``Calendar()`` is England and Wales with no closures. Construction is cheap: bank holidays
    are loaded on first use, for a few years around the first date asked about, and more years
    are added automatically whenever a date (or a result) falls outside the loaded range.

    :param nation: ``"england-and-wales"`` (default), ``"scotland"`` or ``"northern-ireland"``
        (aliases such as ``"England"`` or ``"NI"`` are accepted).
    :param closures: office closure days: ``date`` objects, :class:`RecurringClosure` ranges,
        or strings understood by :func:`parse_closure` (``"12-29..12-31"``, ``"2025-12-24"``).
    :param holiday_source: where bank holidays come from; defaults to the ``holidays`` package.
        A function ``(subdivision, first_year, last_year) -> {date: name}``.
    """

    __slots__ = (
        "_first",
        "_hi_year",
        "_holiday_source",
        "_last",
        "_lo_year",
        "_nonworking",
        "_ords",
        "nation",
        "one_off_closures",
        "recurring_closures",
    )

    def __init__(
        self,
        nation: str = DEFAULT_NATION,
        *,
        closures: Iterable[date | RecurringClosure | str] = (),
        holiday_source: BankHolidaySource | None = None,
    ) -> None:
        self.nation: str = normalise_nation(nation)
        one_off: set[date] = set()
        recurring: list[RecurringClosure] = []
        for item in closures:
            parsed = parse_closure(item) if isinstance(item, str) else item
            if isinstance(parsed, RecurringClosure):
                recurring.append(parsed)
            elif isinstance(parsed, list):
                one_off.update(parsed)
            elif isinstance(parsed, date):
                one_off.add(parsed)
            else:
                raise ComplaintsError(f"office closure {item!r} is not a date or a date range")
        self.one_off_closures: frozenset[date] = frozenset(one_off)
        self.recurring_closures: tuple[RecurringClosure, ...] = tuple(recurring)
        self._holiday_source: BankHolidaySource = holiday_source or holidays_from_package
        self._ords: list[int] = []  # sorted ordinals of working days in [_first, _last]
        self._nonworking: dict[int, tuple[str, str]] = {}  # weekday ordinal -> (reason, source)
        self._lo_year = 0
        self._hi_year = -1
        self._first = 1  # ordinal of 1 Jan _lo_year (nothing loaded: _first > _last)
        self._last = 0  # ordinal of 31 Dec _hi_year

    def __repr__(self) -> str:
        extra = len(self.one_off_closures) + len(self.recurring_closures)
        return f"Calendar({self.nation!r}, closures={extra})"

    # -- building ------------------------------------------------------------------------

    def _build(self, lo_year: int, hi_year: int) -> tuple[list[int], dict[int, tuple[str, str]]]:
        """Working-day ordinals and non-working weekdays for whole years ``lo..hi``."""
        bank = self._holiday_source(NATIONS[self.nation], lo_year, hi_year)
        nonworking: dict[int, tuple[str, str]] = {}
        for day in self.one_off_closures:
            if lo_year <= day.year <= hi_year:
                nonworking[day.toordinal()] = (OFFICE_CLOSURE, OFFICE_CLOSURE)
        for rule in self.recurring_closures:
            for year in range(lo_year, hi_year + 1):
                for day in rule.days_in(year):
                    nonworking[day.toordinal()] = (rule.reason, OFFICE_CLOSURE)
        for day, name in bank.items():  # a bank holiday wins over a closure on the same day
            if lo_year <= day.year <= hi_year:
                nonworking[day.toordinal()] = (name, BANK_HOLIDAY)
        first, last = date(lo_year, 1, 1).toordinal(), date(hi_year, 12, 31).toordinal()
        nonworking = {o: v for o, v in nonworking.items() if _weekday(o) < 5}
        ords = [o for o in range(first, last + 1) if _weekday(o) < 5 and o not in nonworking]
        return ords, nonworking

    def _cover(self, lo_year: int, hi_year: int) -> None:
        """Make sure whole years ``lo_year..hi_year`` are loaded (extending, never rebuilding)."""
        lo_year, hi_year = max(lo_year, 1), min(hi_year, 9999)
        if self._lo_year > self._hi_year:  # nothing loaded yet
            self._ords, self._nonworking = self._build(lo_year, hi_year)
            self._lo_year, self._hi_year = lo_year, hi_year
        else:
            if lo_year < self._lo_year:
                ords, nonworking = self._build(lo_year, self._lo_year - 1)
                self._ords = ords + self._ords
                self._nonworking.update(nonworking)
                self._lo_year = lo_year
            if hi_year > self._hi_year:
                ords, nonworking = self._build(self._hi_year + 1, hi_year)
                self._ords = self._ords + ords
                self._nonworking.update(nonworking)
                self._hi_year = hi_year
        self._first = date(self._lo_year, 1, 1).toordinal()
        self._last = date(self._hi_year, 12, 31).toordinal()

    def _cover_ordinal(self, ordinal: int) -> None:
        year = date.fromordinal(ordinal).year
        if self._lo_year > self._hi_year:
            self._cover(year - 2, year + 2)
        else:
            self._cover(min(year, self._lo_year), max(year, self._hi_year))

    def preload(self, first_year: int, last_year: int) -> Calendar:
        """Load ``first_year..last_year`` now (optional: loading is automatic). Returns self."""
        self._cover(first_year, last_year)
        return self

    # -- queries -------------------------------------------------------------------------

    def add_working_days(self, start: date, n: int) -> date:
        """The ``n``-th working day after ``start``; ``start`` itself is never counted.

        ``n == 0`` returns ``start`` unchanged; a negative ``n`` counts backwards (the
        ``|n|``-th working day before ``start``). England: Fri 2025-12-19 + 3 -> Wed 2025-12-24.
        """
        o = start.toordinal()
        ords = self._ords
        if self._first <= o <= self._last:
            if n > 0:
                j = bisect_right(ords, o) + n - 1
                if j < len(ords):
                    return date.fromordinal(ords[j])
            elif n < 0:
                j = bisect_left(ords, o) + n
                if j >= 0:
                    return date.fromordinal(ords[j])
            else:
                return start
        return date.fromordinal(self._add_slow(o, n))

    def add_working_days_ordinal(self, ordinal: int, n: int) -> int:
        """:meth:`add_working_days` on ordinals (``date.toordinal()``), for bulk work."""
        ords = self._ords
        if self._first <= ordinal <= self._last:
            if n > 0:
                j = bisect_right(ords, ordinal) + n - 1
                if j < len(ords):
                    return ords[j]
            elif n < 0:
                j = bisect_left(ords, ordinal) + n
                if j >= 0:
                    return ords[j]
            else:
                return ordinal
        return self._add_slow(ordinal, n)

    def add_working_days_many(self, starts: Iterable[date], n: int) -> list[date]:
        """:meth:`add_working_days` for many start dates at once (same ``n``)."""
        add = self.add_working_days
        return [add(d, n) for d in starts]

    def _add_slow(self, o: int, n: int) -> int:
        """Load whatever years are needed, then answer; more than :data:`MAX_WORKING_DAYS`
        is refused (:class:`ComplaintsError`) before anything is loaded."""
        if abs(n) > MAX_WORKING_DAYS:
            raise ComplaintsError(
                f"{n:,} working days is more than the {MAX_WORKING_DAYS:,} (about 40 years) "
                "a deadline can be counted over: check the number"
            )
        if not self._first <= o <= self._last:
            self._cover_ordinal(o)
        if n == 0:
            return o
        step = max(1, abs(n) // 200 + 1)  # ~250 working days a year
        while True:
            ords = self._ords
            if n > 0:
                j = bisect_right(ords, o) + n - 1
                if j < len(ords):
                    return ords[j]
                if self._hi_year >= 9999:  # pragma: no cover - MAX_WORKING_DAYS keeps far off
                    raise ComplaintsError("a deadline would be after the year 9999")
                self._cover(self._lo_year, self._hi_year + step)
            else:
                j = bisect_left(ords, o) + n
                if j >= 0:
                    return ords[j]
                if self._lo_year <= 1:  # pragma: no cover - MAX_WORKING_DAYS keeps far off
                    raise ComplaintsError("a date would be before the year 1")
                self._cover(self._lo_year - step, self._hi_year)

    def working_days_between(self, start: date, end: date) -> int:
        """Signed count of working days in the half-open interval ``(start, end]``.

        * ``end > start``: the number of working days after ``start`` up to and including
          ``end`` (so ``add_working_days(start, k) == end`` gives ``k`` when ``end`` is a
          working day).
        * ``end == start``: 0.
        * ``end < start``: minus the number of working days in ``(end, start]``.

        Used for "working days left": ``working_days_between(today, due)`` is 0 on the due day,
        1 on the working day before it, and -1 on the first working day after it.
        """
        a, b = start.toordinal(), end.toordinal()
        lo, hi = (a, b) if a <= b else (b, a)
        if not (self._first <= lo and hi <= self._last):
            self._cover_ordinal(lo)
            self._cover_ordinal(hi)
        return bisect_right(self._ords, b) - bisect_right(self._ords, a)

    def is_working_day(self, day: date) -> bool:
        """True for a Monday-Friday that is neither a bank holiday nor an office closure."""
        o = day.toordinal()
        if not self._first <= o <= self._last:
            self._cover_ordinal(o)
        return _weekday(o) < 5 and o not in self._nonworking

    def reason_not_working(self, day: date) -> str | None:
        """Why ``day`` is not a working day (``None`` when it is one).

        ``"weekend (Saturday)"``, ``"bank holiday: Christmas Day"`` or the closure's reason
        (``"office closure"``).
        """
        o = day.toordinal()
        if not self._first <= o <= self._last:
            self._cover_ordinal(o)
        wd = _weekday(o)
        if wd >= 5:
            return f"weekend ({_WEEKDAY_NAMES[wd]})"
        hit = self._nonworking.get(o)
        if hit is None:
            return None
        reason, source = hit
        return f"bank holiday: {reason}" if source == BANK_HOLIDAY else reason

    def non_working_days(self, year: int) -> list[NonWorkingDay]:
        """Every Monday-Friday of ``year`` that is not a working day, in date order, with why."""
        first, last = date(year, 1, 1).toordinal(), date(year, 12, 31).toordinal()
        self._cover_ordinal(first)
        self._cover_ordinal(last)
        return [
            NonWorkingDay(date.fromordinal(o), reason, source)
            for o, (reason, source) in sorted(self._nonworking.items())
            if first <= o <= last
        ]

    def explain(self, start: date, n: int) -> Explanation:
        """Show the working of ``add_working_days(start, n)`` (``n >= 0``): each day counted
        and each day skipped with its reason (weekend, bank holiday name, office closure)."""
        if n < 0:
            raise ValueError("explain() counts forwards: n must be 0 or more")
        due = self.add_working_days(start, n)
        counted: list[date] = []
        skipped: list[SkippedDay] = []
        day = start + timedelta(days=1)
        while day <= due:
            why = self.reason_not_working(day)
            if why is None:
                counted.append(day)
            else:
                skipped.append(SkippedDay(day, why))
            day += timedelta(days=1)
        return Explanation(
            anchor=start,
            working_days=n,
            due=due,
            anchor_is_working_day=self.is_working_day(start),
            counted=tuple(counted),
            skipped=tuple(skipped),
        )
