"""A breakdown's counts (outcomes, categories) are those of the case lines it makes when they
are first read (a table prints the counts; :class:`complaints_cli.reports.figures.DeferredRow`),
and the lines are exactly the ones each case gives, in order of date then reference."""

from __future__ import annotations

from datetime import date

from complaints_cli.domain.periods import Period
from complaints_cli.reports import breakdowns
from complaints_cli.reports.cases import COLUMNS, ReportCase, case_from_row
from complaints_cli.reports.figures import Breakdown, DeferredRow

YEAR = Period(date(2025, 4, 1), date(2026, 3, 31), "2025/26")


def _case(ref: str, **values: object) -> ReportCase:
    row: dict[str, object] = dict.fromkeys(COLUMNS)
    row.update({"id": int(ref[-3:]), "reference": ref}, **values)
    return case_from_row(tuple(row[c] for c in COLUMNS))


CASES = [
    # upheld at Stage 1, escalated, partly upheld at Stage 2; category Repairs
    _case(
        "C-2025-003",
        received="2025-05-02",
        stage1_responded="2025-05-20",
        stage1_outcome="upheld",
        escalation_received="2025-06-02",
        stage2_responded="2025-07-01",
        stage2_outcome="Partly upheld",
        category="Repairs",
    ),
    # no outcome recorded, no category
    _case("C-2025-001", received="2025-05-02", stage1_responded="2025-05-20"),
    # withdrawn at Stage 1 (before its response), reason recorded
    _case(
        "C-2025-002",
        received="2025-04-10",
        withdrawn="2025-04-20",
        withdrawn_reason=" resolved informally ",
        status="Withdrawn",
        category="repairs",
    ),
    # a Stage 1 outcome of "withdrawn" recorded, the same day as the withdrawal above
    _case(
        "C-2025-004",
        received="2025-04-01",
        stage1_responded="2025-04-20",
        stage1_outcome="withdrawn",
        category="Not recorded",  # a category named like the row of cases without one
    ),
    # outside the year
    _case("C-2025-005", received="2024-01-01", stage1_responded="2024-02-01", category="ASB"),
]


def _check(made: Breakdown, eager: Breakdown) -> None:
    counts = [r.counts for r in made.rows]  # before any line is made
    assert all(isinstance(r, DeferredRow) for r in made.rows)
    assert all(r.__dict__["_cells"] is None for r in made.rows)
    assert made.totals() == eager.totals()
    assert counts == [[len(cell) for cell in r.cells] for r in made.rows]
    assert [(r.key, r.label, r.cells) for r in made.rows] == [
        (r.key, r.label, r.cells) for r in eager.rows
    ]
    assert made.as_json() == eager.as_json()


def test_outcomes_counts_are_their_lines() -> None:
    made = breakdowns.outcomes(CASES, YEAR, "B")
    rows = {r.key: r for r in made.rows}
    assert rows["upheld"].counts == [1, 0]
    assert rows["partly_upheld"].counts == [0, 1]
    assert rows["withdrawn"].counts == [2, 0]  # the recorded outcome and the withdrawal
    assert rows["not_recorded"].counts == [1, 0]
    withdrawn = rows["withdrawn"].cells[0]
    assert [(x.reference, x.event, x.on, x.text) for x in withdrawn] == [
        ("C-2025-002", "withdrawn at Stage 1", date(2025, 4, 20), "resolved informally"),
        ("C-2025-004", "Stage 1 response", date(2025, 4, 20), None),
    ]
    assert rows["not_recorded"].cells[0][0].why == (
        "no outcome recorded: complaints respond --outcome"
    )
    _check(breakdowns.outcomes(CASES, YEAR, "B"), made)


def test_categories_counts_are_their_lines() -> None:
    made = breakdowns.categories(CASES, YEAR, "B", ["Damp", "Repairs"])
    rows = {r.key: r for r in made.rows}
    assert [r.key for r in made.rows] == ["damp", "repairs", "not_recorded"]
    assert rows["damp"].counts == [0, 0]
    assert rows["repairs"].counts == [2, 1]
    assert rows["not_recorded"].counts == [2, 0]
    unrecorded = rows["not_recorded"].cells[0]
    assert [(x.reference, x.why) for x in unrecorded] == [
        ("C-2025-004", ""),  # recorded as "Not recorded": a category, not a missing one
        ("C-2025-001", "no category recorded: complaints correct REF --category"),
    ]
    _check(breakdowns.categories(CASES, YEAR, "B", ["Damp", "Repairs"]), made)


def test_a_row_makes_its_lines_once() -> None:
    calls = []

    def make() -> list[list[object]]:
        calls.append(1)
        return [[], []]

    row = DeferredRow("k", "K", [0, 0], make)  # type: ignore[arg-type]
    assert row.total == 0 and not calls
    assert row.cells is row.cells
    assert calls == [1]


def test_the_first_references_are_the_sorted_rows() -> None:
    """A table's first few references of a row are those of its sorted lines, made or not."""
    for made in (
        breakdowns.outcomes(CASES, YEAR, "B"),
        breakdowns.categories(CASES, YEAR, "B", ["Damp", "Repairs"]),
    ):
        firsts = {(r.key, n): r.first_references(n) for r in made.rows for n in (0, 1, 2, 5)}
        assert all(r.__dict__["_cells"] is None for r in made.rows)
        for (key, n), refs in firsts.items():
            row = next(r for r in made.rows if r.key == key)
            assert refs == [x.reference for cell in row.cells for x in cell][:n]
            assert row.first_references(n) == refs
    rows = {r.key: r for r in breakdowns.categories(CASES, YEAR, "B", ["Repairs"]).rows}
    assert rows["repairs"].first_references(3) == ["C-2025-002", "C-2025-003", "C-2025-003"]
    assert rows["not_recorded"].first_references(1) == ["C-2025-004"]  # received first


def test_the_month_s_cases_are_those_with_any_date_in_it() -> None:
    """``dated_in`` keeps, in order, each case with any one of its date columns in the period
    (whichever column it is), and no case without one; a case not read from the log is kept."""
    from complaints_cli.reports.cases import _DATE_INDEX, dated_in

    month = (date(2025, 10, 1), date(2025, 10, 31))
    names = [COLUMNS[i] for i in _DATE_INDEX]
    inside = [
        _case(f"C-2025-{i:03d}", **({"received": "2025-01-02"} | {name: "2025-10-31"}))
        for i, name in enumerate(names, start=100)
        if name != "received"
    ]
    inside.append(_case("C-2025-099", received="2025-10-01"))
    outside = [
        _case("C-2025-001", received="2025-09-30", closed="2025-11-01"),
        _case("C-2025-002", received="2024-10-15", stage1_responded="2025-09-30"),
    ]
    loose = ReportCase("C-2025-003", {}, inside[0].dates)
    every = [outside[0], *inside, loose, outside[1]]
    assert dated_in(every, *month) == [*inside, loose]
