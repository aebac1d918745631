"""One reported figure and the cases behind it, so every number can be checked.

A figure is a *count* (complaints received), a *share* (9 of 10 acknowledged on time), *money*
(compensation paid) or a *rate* (complaints per 1,000 homes). Each carries the case lines it was
counted from - and, for the annual figures, the cases considered but counted out - with why.

How figures read everywhere (table, Markdown, JSON ``text``, the workbook):

* a share shows its numerator and denominator: ``9 of 10 (90.0%)``; a share of nothing is
  ``n/a`` (not 0% or 100%: there was nothing to judge);
* money is in pounds with pence: ``£1,250.00``;
* a rate names its basis: ``12.50 per 1,000 homes (25 of 2,000 homes)``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from heapq import nsmallest
from operator import itemgetter
from typing import Any, Literal, NamedTuple

from complaints_cli.domain.presentation import money

Kind = Literal["count", "share", "money", "rate", "text"]


def share_text(numerator: int, denominator: int) -> str:
    """``9 of 10 (90.0%)``; ``n/a`` when there is nothing to judge."""
    if denominator == 0:
        return "n/a"
    return f"{numerator} of {denominator} ({percent(numerator, denominator):.1f}%)"


def percent(numerator: int, denominator: int) -> float | None:
    """The share as a percentage rounded to one decimal place (None for 0 of 0)."""
    if denominator == 0:
        return None
    return round(100.0 * numerator / denominator, 1)


class CaseLine(NamedTuple):
    """One case's part in a figure: what happened when, the deadline, and the verdict.

    ``counted`` is False for a case considered but left out (the annual lists say why).
    ``log`` holds the log's own Yes/No column when it disagrees with the dates. (A named tuple:
    a year's report makes a few hundred thousand of these.)
    """

    reference: str
    received: date | None
    event: str  #: what put the case in the figure: "acknowledged", "Stage 1 response", ...
    on: date | None  #: when that happened
    deadline: date | None = None
    counted: bool = True
    result: str = ""  #: "on time", "late", "within the extension", "overdue", "" (a count)
    why: str = ""
    amount: Decimal | None = None
    text: str | None = None  #: the user's own words (compensation reasons, learning)
    log: str | None = None

    def fields(self) -> dict[str, Any]:
        """The line's values under its JSON keys (``on`` is ``date``), as Python values."""
        return dict(zip(LINE_KEYS, self, strict=True))

    def as_json(self) -> dict[str, Any]:
        """The stable JSON object of a case line (dates ISO, money an exact string)."""
        return {
            "reference": self.reference,
            "received": iso(self.received),
            "event": self.event,
            "date": iso(self.on),
            "deadline": iso(self.deadline),
            "counted": self.counted,
            "result": self.result,
            "why": self.why,
            "amount": None if self.amount is None else f"{self.amount:.2f}",
            "text": self.text,
            "log": self.log,
        }


_tuple_new = tuple.__new__


def event_line(
    reference: str,
    received: date | None,
    event: str,
    on: date | None,
    *,
    counted: bool = True,
    result: str = "",
    why: str = "",
) -> CaseLine:
    """``CaseLine(reference, received, event, on, ...)``, made without the named tuple's
    Python-level constructor: a year's report makes a few hundred thousand of these."""
    return _tuple_new(
        CaseLine, (reference, received, event, on, None, counted, result, why, None, None, None)
    )


#: Sort key of case lines by date, then reference (their dates are never None).
BY_DATE = itemgetter(3, 0)


def by_day(line: CaseLine) -> tuple[date, str]:
    """Case lines by their day (an undated line first), then by reference."""
    return (line.on or date.min, line.reference)


#: A case line's JSON keys, in the order of its fields.
LINE_KEYS = (
    "reference",
    "received",
    "event",
    "date",
    "deadline",
    "counted",
    "result",
    "why",
    "amount",
    "text",
    "log",
)

_ISO: dict[date, str] = {}


def iso(day: date | None) -> str | None:
    """``2025-10-03``, cached: a year's lists repeat the same few hundred days."""
    if day is None:
        return None
    text = _ISO.get(day)
    if text is None:
        text = _ISO[day] = day.isoformat()
    return text


@dataclass
class Figure:
    """A reported number, how it reads, and the case lines it was counted from."""

    key: str  #: stable, for JSON and tests
    label: str
    section: str
    kind: Kind
    sheet: str  #: the workbook sheet listing its cases (at most 31 characters)
    count: int = 0  #: a count; a share's numerator; money's number of payments; a rate's cases
    of: int = 0  #: a share's denominator; a rate's homes
    amount: Decimal | None = None  #: money's total, in pounds
    note: str = ""  #: what it means or why it is n/a (a basis, the reasons paid, ...)
    cases: list[CaseLine] = field(default_factory=list)
    #: For kind "text": the whole value (e.g. "not recorded in this log").
    value_text: str = ""
    #: For kind "money": what ``count`` counts ("award": awarded, "payment": paid by a date).
    unit: str = "payment"

    @property
    def percent(self) -> float | None:
        return percent(self.count, self.of) if self.kind == "share" else None

    @property
    def rate(self) -> float | None:
        """Cases per 1,000 homes, to two decimal places (None without a number of homes)."""
        if self.kind != "rate" or self.of <= 0:
            return None
        return round(1000.0 * self.count / self.of, 2)

    @property
    def value(self) -> int | float | Decimal | None:
        """The headline number: a count, a percentage, a total in pounds, a rate."""
        if self.kind == "count":
            return self.count
        if self.kind == "share":
            return self.percent
        if self.kind == "money":
            return self.amount
        if self.kind == "rate":
            return self.rate
        return None

    @property
    def text(self) -> str:
        """How the figure reads: ``9 of 10 (90.0%)``, ``£175.50 (3 awards)``, ``12``."""
        if self.kind == "count":
            return str(self.count)
        if self.kind == "share":
            return share_text(self.count, self.of)
        if self.kind == "money":
            total = money(self.amount or Decimal(0))
            return f"{total} ({self.count} {self.unit}{'s' if self.count != 1 else ''})"
        if self.kind == "rate":
            if self.rate is None:
                return "n/a"
            return f"{self.rate:.2f} per 1,000 homes ({self.count} of {self.of:,} homes)"
        return self.value_text

    def counted_cases(self) -> list[CaseLine]:
        return [c for c in self.cases if c.counted]

    def as_json(self) -> dict[str, Any]:
        """The stable JSON object of a figure (see the README's "Reports")."""
        return self.head_json() | {"cases": [c.as_json() for c in self.cases]}

    def head_json(self) -> dict[str, Any]:
        """:meth:`as_json` without its last key, ``cases``."""
        return {
            "key": self.key,
            "label": self.label,
            "section": self.section,
            "kind": self.kind,
            "value": self.value,
            "numerator": self.count if self.kind in ("share", "rate") else None,
            "denominator": self.of if self.kind in ("share", "rate") else None,
            "count": self.count if self.kind in ("count", "money") else None,
            "text": self.text,
            "note": self.note,
        }


@dataclass
class BreakdownRow:
    """One row of a breakdown (an outcome, a category, a reason), with a case list per column."""

    key: str  #: stable, for JSON: ``upheld``, ``not_recorded``, ``repairs``, ...
    label: str
    cells: list[list[CaseLine]]

    @property
    def counts(self) -> list[int]:
        return [len(cell) for cell in self.cells]

    @property
    def total(self) -> int:
        return sum(self.counts)

    def first_references(self, n: int) -> list[str]:
        """The first ``n`` references of the row's case lists, column by column (each list in
        order of date, then reference)."""
        return [line.reference for cell in self.cells for line in cell][:n]

    def as_json(self) -> dict[str, Any]:
        """The row's counts and, per column, the references counted in it (the case lines
        themselves are in the workbook: a year's breakdowns name every complaint)."""
        return {
            "key": self.key,
            "label": self.label,
            "counts": self.counts,
            "total": self.total,
            "cases": [[c.reference for c in cell] for cell in self.cells],
        }


class DeferredRow(BreakdownRow):
    """A :class:`BreakdownRow` whose case lists are made the first time :attr:`cells` is read,
    its counts known before (``counts``: each column's number of lines ``make`` gives).

    A table or Markdown prints a breakdown's counts, and the first few references of its "not
    recorded" row (:meth:`first_references`: the few smallest lines, not the whole row sorted);
    the JSON, the workbook and the Word document read every row's lines, and get exactly the
    lines an eager row holds. ``make`` gives each column's lines in any order; they are sorted
    (by date, then reference) when :attr:`cells` is first read, and kept. The 2025/26 annual
    table of the generated 100k log sorted ~57,000 outcome and category lines to print 60
    references (BENCHMARKS.md, "Reports").
    """

    def __init__(
        self, key: str, label: str, counts: list[int], make: Callable[[], list[list[CaseLine]]]
    ) -> None:
        self.key, self.label = key, label
        self.__dict__["_counts"] = counts
        self.__dict__["_make"] = make
        self.__dict__["_cells"] = None

    @property  # the dataclass field, made on first read
    def cells(self) -> list[list[CaseLine]]:
        made: list[list[CaseLine]] | None = self.__dict__["_cells"]
        if made is None:
            made = self._unsorted()
            for cell in made:
                cell.sort(key=BY_DATE)
            self.__dict__["_cells"] = made
        return made

    @cells.setter
    def cells(self, value: list[list[CaseLine]]) -> None:
        self.__dict__["_cells"] = value

    def _unsorted(self) -> list[list[CaseLine]]:
        """The lines ``make`` gives (made once, kept until sorted into :attr:`cells`)."""
        lines: list[list[CaseLine]] | None = self.__dict__.get("_lines")
        if lines is None:
            lines = self.__dict__["_lines"] = self.__dict__["_make"]()
            self.__dict__["_make"] = None
        return lines

    def first_references(self, n: int) -> list[str]:
        if self.__dict__["_cells"] is not None:
            return super().first_references(n)
        out: list[str] = []
        for cell in self._unsorted():
            if len(out) >= n:
                break
            out += [line.reference for line in nsmallest(n - len(out), cell, key=BY_DATE)]
        return out

    @property
    def counts(self) -> list[int]:
        made = self.__dict__["_cells"]
        return list(self.__dict__["_counts"]) if made is None else [len(c) for c in made]


@dataclass
class Breakdown:
    """A table of counts: rows (outcomes, categories, reasons) by columns (usually the stages),
    each cell with the cases counted in it, so a "not recorded" row names its cases."""

    key: str  #: ``outcomes``, ``categories``, ``refusals``
    label: str
    section: str
    columns: tuple[str, ...]
    rows: list[BreakdownRow]
    note: str = ""

    def totals(self) -> list[int]:
        return [sum(r.counts[i] for r in self.rows) for i in range(len(self.columns))]

    def row(self, key: str) -> BreakdownRow:
        for r in self.rows:
            if r.key == key:
                return r
        raise KeyError(key)

    def as_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "label": self.label,
            "section": self.section,
            "columns": list(self.columns),
            "note": self.note,
            "rows": [r.as_json() for r in self.rows],
            "totals": self.totals(),
        }


@dataclass
class Report:
    """A whole report: its period, the rules it was judged by, its figures and trend."""

    kind: Literal["emt", "annual"]
    title: str
    period: Any  #: a :class:`~complaints_cli.domain.periods.Period`
    as_of: date  #: the day the open/overdue snapshot is taken
    profile_name: str
    profile_label: str
    generated_at: Any  #: a timezone-aware datetime (UTC)
    figures: list[Figure]
    trend: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    breakdowns: list[Breakdown] = field(default_factory=list)
    #: Annual: the Codes that judged the period's steps (``[{"name", "label", "from", "to"}]``).
    codes: list[dict[str, Any]] = field(default_factory=list)
    #: EMT: figure key -> its comparison (last month, 12-month average, target, RAG).
    comparisons: dict[str, Any] = field(default_factory=dict)

    def figure(self, key: str) -> Figure:
        for f in self.figures:
            if f.key == key:
                return f
        raise KeyError(key)

    def breakdown(self, key: str) -> Breakdown:
        for b in self.breakdowns:
            if b.key == key:
                return b
        raise KeyError(key)

    def sections(self) -> list[tuple[str, list[Figure]]]:
        """The figures grouped by section, in order."""
        out: list[tuple[str, list[Figure]]] = []
        for f in self.figures:
            if not out or out[-1][0] != f.section:
                out.append((f.section, []))
            out[-1][1].append(f)
        return out


class DeferredFigure(Figure):
    """A :class:`Figure` whose case lines are made the first time :attr:`cases` is read.

    A table or Markdown prints a share's counts, not its lines (only the figures of
    ``output.DETAILED`` list their cases there); the JSON, the workbook and the Word document
    read them, and get exactly the lines an eager figure holds. The 2025/26 annual table of the
    generated 100k log made ~57,000 lines it never printed (measured in BENCHMARKS.md,
    "Reports"). ``make`` is called at most once; its lines are kept.
    """

    _make: Callable[[], list[CaseLine]] | None = None

    @property  # the dataclass field, made on first read
    def cases(self) -> list[CaseLine]:
        made: list[CaseLine] | None = self.__dict__.get("_cases")
        if made is None:
            make = self._make
            made = make() if make is not None else []
            self.__dict__["_cases"] = made
            self._make = None
        return made

    @cases.setter
    def cases(self, value: list[CaseLine] | None) -> None:
        self.__dict__["_cases"] = value


def deferred(figure: Figure, make: Callable[[], list[CaseLine]]) -> Figure:
    """``figure`` (made with no case lines) whose lines are ``make()``, made when first read."""
    fig = DeferredFigure.__new__(DeferredFigure)
    fig.__dict__.update(figure.__dict__)
    del fig.__dict__["cases"]  # read through the property from now on
    fig.__dict__["_cases"] = None
    fig._make = make
    return fig
