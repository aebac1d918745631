"""The cells read by the commands' own word lists (tenure, outcome, Ombudsman body, case kind),
the Actions cell and numbers kept as text (files/cells.py): exact values and exact reasons."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from complaints_cli.files.action_cells import ActionCell
from complaints_cli.files.cells import (
    CellError,
    parse_actions_cell,
    parse_case_kind,
    parse_ombudsman_body,
    parse_outcome,
    parse_tenure,
    parse_text,
)

NO_LOG = True  # pure: no log (tests/conftest.py, needs_log)

TENURES = (
    "is not one of: LCRA (low-cost rental), LCHO (low-cost home ownership, shared ownership), "
    "other, unknown"
)


def reason(call: Callable[..., object], *args: object) -> str:
    with pytest.raises(CellError) as caught:
        call(*args)
    return caught.value.reason


@pytest.mark.parametrize("parse", [parse_tenure, parse_outcome, parse_ombudsman_body])
@pytest.mark.parametrize("empty", [None, "", "  "])
def test_empty_word_cells(parse: Callable[[object], str | None], empty: str | None) -> None:
    assert parse(empty) is None


def test_word_cells() -> None:
    assert parse_tenure(" lcra ") == "low-cost rental"
    assert parse_outcome("Partly Upheld") == "partly upheld"
    assert parse_ombudsman_body("prs") == "PRS"
    assert reason(parse_tenure, "general needs") == f"'general needs' {TENURES}"
    assert reason(parse_outcome, "meh") == (
        "'meh' is not one of: upheld, partly upheld, not upheld, resolved, withdrawn"
    )
    assert reason(parse_ombudsman_body, "LGO") == "'LGO' is not one of: HOS, PRS"
    assert reason(parse_outcome, 1.5) == "1.5 is a number, not one of the log's words"
    assert reason(parse_tenure, 3) == "3 is a number, not one of the log's words"


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("complaint", "complaint"),
        ("formal", "complaint"),
        ("informal", "service dissatisfaction"),
        ("SD", "service dissatisfaction"),
        ("Petition", "petition"),
    ],
)
def test_case_kind(text: str, kind: str) -> None:
    assert parse_case_kind(text) == kind


def test_case_kind_refusals() -> None:
    accepted = "use one of complaint, service dissatisfaction, petition"
    assert parse_case_kind("") is None
    assert parse_case_kind(None) is None
    assert reason(parse_case_kind, "zzz") == f"'zzz' is not a case kind: {accepted}"
    assert reason(parse_case_kind, 3) == f"3 is not a case kind: {accepted}"


def test_actions_cell() -> None:
    text = (
        "1 | Stage 1 | action | Fix roof | Repairs | due 01/03/2025\n"
        "2 | Stage 2 | action | Paint | Jo | due 02/03/2025 | done 03/03/2025"
    )
    assert parse_actions_cell(text) == (
        ActionCell(1, "Stage 1", "action", "Fix roof", "Repairs", date(2025, 3, 1), None),
        ActionCell(2, "Stage 2", "action", "Paint", "Jo", date(2025, 3, 2), date(2025, 3, 3)),
    )
    assert parse_actions_cell("") is None
    assert parse_actions_cell(None) is None


def test_actions_cell_refusals() -> None:
    assert reason(parse_actions_cell, 5) == "5 is a number, not a list of actions"
    assert reason(parse_actions_cell, "garbage") == (
        "action 'garbage' has too few parts: write each action as 'number | stage | kind | text "
        "| owner | due dd/mm/yyyy' and, when done, '| done dd/mm/yyyy'"
    )
    assert reason(parse_actions_cell, "1 | Stage 9 | action | Fix | R | due 01/03/2025") == (
        "'Stage 9' is not a stage: use one of Stage 1, Stage 2, Ombudsman, Informal"
    )
    assert reason(parse_actions_cell, "1 | Stage 1 | action | Fix | R | due 31/02/2025") == (
        "action '1 | Stage 1 | action | Fix | R | due 31/02/2025': '31/02/2025' is not a real "
        "date (day 31, month 2, year 2025)"
    )


@pytest.mark.parametrize(
    ("number", "text"),
    [
        (1.5, "1.5"),
        (0.1, "0.1"),
        (2.0, "2"),
        (-0.0, "0"),
        (-3.0, "-3"),
        (1e20, "100000000000000000000"),
        (1e-07, "0.0000001"),
        (123456789.125, "123456789.125"),
    ],
)
def test_numbers_kept_as_text(number: float, text: str) -> None:
    assert parse_text(number) == text


@pytest.mark.parametrize("number", [float("inf"), float("-inf"), float("nan")])
def test_numbers_that_cannot_be_text(number: float) -> None:
    assert reason(parse_text, number) == f"{number!r} is not a value that can be kept as text"


def test_line_ends_in_text_cells() -> None:
    assert parse_text("a\rb\r\nc_x000D_\nd") == "a\nb\nc\nd"
    assert parse_text("  a\r  ") == "a"


def test_parse_row_orders_the_tools_own_columns_as_the_export_does() -> None:
    from complaints_cli.files.cells import parse_row
    from complaints_cli.files.headers import EXTRA_COLUMNS, ExtraColumn

    extra = {e.fields[0]: e for e in EXTRA_COLUMNS}
    _, errors = parse_row({extra["closed"]: "bad", extra["channel"]: "bad"})
    assert [header for header, _, _ in errors] == ["Channel", "Date closed"]
    unknown = ExtraColumn("Someone's own date", "date", ("events_date",))
    _, errors = parse_row({unknown: "bad", extra["closed"]: "bad"})
    assert [header for header, _, _ in errors] == ["Date closed", "Someone's own date"]


def test_parse_row_reads_every_column_after_a_clash_and_passes_the_epoch() -> None:
    from complaints_cli.domain.columns import COLUMNS
    from complaints_cli.files.cells import parse_row
    from complaints_cli.files.headers import EXTRA_COLUMNS

    col = {c.number: c for c in COLUMNS}
    extra = {e.fields[0]: e for e in EXTRA_COLUMNS}
    row = {
        col[12]: "Yes - awaiting report (new date 24/03/2025)",
        extra["stage1_extended_to"]: "25/03/2025",
        extra["stage2_extended_to"]: "26/03/2025",
        extra["closed"]: 45000,
    }
    values, errors = parse_row(row, epoch=date(1899, 12, 30))
    assert [header for header, _, _ in errors] == ["Stage 1 extended to"]
    assert values["stage2_extended_to"] == date(2025, 3, 26)
    assert values["closed"] == date(2023, 3, 15)
    assert parse_row({extra["closed"]: 45000}, epoch=date(1904, 1, 1))[0]["closed"] == date(
        2027, 3, 16
    )


@pytest.mark.parametrize(
    ("details", "review", "cell"),
    [
        (None, "manager", None),
        ("", None, ""),
        ("Unhappy", None, "Unhappy"),
        ("Manager review - x", "manager", "Manager review - x"),
        ("Manager review wanted", "compensation", "[details] Manager review wanted"),
        ("Compensation review", None, "[details] Compensation review"),
        ("[details] x", None, "[details] [details] x"),
    ],
)
def test_details_cell_text(details: str | None, review: str | None, cell: str | None) -> None:
    from complaints_cli.files.cells import details_cell_text

    assert details_cell_text(details, review) == cell


def test_a_reference_cell_is_read_with_the_logs_prefix() -> None:
    from complaints_cli.files.cells import parse_reference

    assert reason(lambda: parse_reference("ha21", prefix="HA2")) == (
        "'ha21' has fewer than three digits: write it as the log numbers it, e.g. HA2001"
    )
    assert parse_reference("ha2 001", prefix="ha2") == "HA2001"


def test_parse_column_reads_serials_in_the_1900_system_by_default() -> None:
    from complaints_cli.domain.columns import COLUMNS
    from complaints_cli.files.cells import parse_column

    received = next(c for c in COLUMNS if c.number == 7)
    assert parse_column(received, 45000) == {"received": date(2023, 3, 15)}
    assert parse_column(received, 45000, epoch_1904=True) == {"received": date(2027, 3, 16)}
