"""Headers over two rows, the nearest known header in a refusal, and rows that are not cases."""

from __future__ import annotations

import pytest

from complaints_cli.domain.columns import COLUMNS, HEADERS
from complaints_cli.files.header_rows import combine, find_header
from complaints_cli.files.headers import HeaderError, find_header_row, nearest_header
from complaints_cli.files.row_kinds import not_cases

BY_NUMBER = {c.number: c for c in COLUMNS}


def test_a_banner_qualifies_the_sub_headers_under_it():
    top = ["Ref", "Date received", "Stage 1", "Stage 1", "Stage 2", "Stage 2", "Notes"]
    bottom = ["", "", "Handler", "Extension required", "Handler", "Extension required", "Ours"]
    assert combine(top, bottom) == [
        "Ref",  # merged down: the top alone
        "Date received",
        "Stage 1 Handler",
        "Stage 1 Extension required",
        "Stage 2 Handler",
        "Stage 2 Extension required",
        "Notes Ours",  # names nothing: both kept as the unknown column's name
    ]


def test_a_banner_that_is_not_a_qualifier_gives_way_to_the_sub_header():
    assert combine(["Complaint details"], ["Summary"]) == ["Summary"]


def test_two_header_rows_with_merges():
    rows = [
        ["Spruce Homes log", "", "", "", "", ""],
        ["Ref", "Date received", "Stage 1", "", "Stage 2", ""],
        ["", "", "Response date", "Extension required", "Handler", "Response date"],
        ["SPRUCE001", "03/02/2025", "17/02/2025", "No", "Jo", ""],
    ]
    merged = [
        ((0, 0), (0, 5)),  # the title across the sheet: not a banner over sub-headers
        ((1, 0), (2, 0)),
        ((1, 1), (2, 1)),
        ((1, 2), (1, 3)),
        ((1, 4), (1, 5)),
    ]
    header = find_header(rows, merged)
    assert (header.first, header.last) == (1, 2)
    assert header.match.columns == {
        0: BY_NUMBER[1],
        1: BY_NUMBER[7],
        2: BY_NUMBER[11],
        3: BY_NUMBER[12],
        4: BY_NUMBER[19],
        5: BY_NUMBER[20],
    }


def test_two_header_rows_without_merges_when_neither_row_is_a_header_alone():
    rows = [
        ["Complaint", "Date", "Complaint", "Stage 2", "Stage 2"],
        ["reference", "received", "handler", "handler", "response date"],
        ["SPRUCE001", "03/02/2025", "Sam", "Jo", ""],
    ]
    header = find_header(rows)
    assert (header.first, header.last) == (0, 1)
    assert header.cells == [
        "Complaint reference",
        "Date received",
        "Complaint handler",
        "Stage 2 handler",
        "Stage 2 response date",
    ]


def test_a_one_row_header_is_not_joined_to_its_first_case():
    rows = [list(HEADERS), ["SPRUCE001", "Open", "Stage 1"]]
    header = find_header(rows)
    assert (header.first, header.last) == (0, 0)
    assert header.match.log_columns == 24


def test_a_two_row_header_naming_a_column_twice_says_which_rows():
    rows = [["Ref", "Date received", "Stage 1", ""], ["", "", "Handler", "Handler"]]
    with pytest.raises(HeaderError, match=r"^header rows 1-2: columns C .* and D"):
        find_header(rows, [((0, 0), (1, 0)), ((0, 1), (1, 1)), ((0, 2), (0, 3))])


@pytest.mark.parametrize(
    ("written", "nearest"),
    [
        ("Complaint Refrence", "Complaints reference"),
        ("Date acknowleged", "Date complaint acknowledged"),
        ("Stage 2 handlr", "Stage 2 complaint handler"),
        ("Recieved date", "Complaint received"),
        ("Organisational lerning", "Organisational learning"),
        ("Favourite colour", None),
    ],
)
def test_the_nearest_known_header(written, nearest):
    assert nearest_header(written) == nearest


def test_a_missing_header_names_the_row_tried_and_the_nearest_headers():
    rows = [
        ["Complaints Log"],
        ["Complaint Refrence", "Status", "Stage", "Handler", "Date recieved", "Yardi"],
    ]
    with pytest.raises(HeaderError) as caught:
        find_header(rows)
    assert str(caught.value) == (
        "no header row found: row 2 looks like one (it has 'Status', 'Stage', 'Handler', "
        "'Complaint received') but has no 'Complaints reference' column; columns not "
        "recognised: A 'Complaint Refrence' (nearest known header 'Complaints reference'), "
        "F 'Yardi' (no known header is close)"
    )
    with pytest.raises(HeaderError, match="columns not recognised: A 'Complaint Refrence'"):
        find_header_row(rows)


# --- rows that are not cases ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "row",
    [
        ["April 2025", "", ""],
        ["APRIL 2025"],
        ["Apr-25", None, None],
        ["", "May 2025", ""],  # a banner merged across, its text in another column
        ["Q1 2025/26"],
        ["Stage 2 cases"],
        ["Total", 12, 250],
        ["Grand total: 40", None, None],
        # The label beside the counts: a count (=COUNTA) in the reference column, or none.
        [4, "Total", None, 250],
        [None, "Total complaints", 4, 0.0],
        ["Cases below were logged by the old team"],
        ["2025"],
    ],
)
def test_headings_notes_and_totals_are_not_cases(row):
    assert not_cases([row], [0], ref_index=0, rec_index=1) == [
        (0, next(" ".join(v.split()) for v in row if isinstance(v, str) and v.strip()))
    ]


@pytest.mark.parametrize(
    "row",
    [
        ["SPRUCE001", "03/02/2025"],
        ["SPRUCE001"],  # a case missing its date received: refused, not skipped
        ["spruce 7"],  # looks like a reference: read, and refused for its three digits
        ["April 2025", "03/02/2025"],  # a date received: a case (its reference refused)
        ["", "03/02/2025", "Ann Lee"],
        # One cell right of the reference: the rest of the case above, split over two rows
        # (read, and refused for its missing reference, never skipped with its text).
        ["", None, "tenant also reports mould in the bedroom"],
        ["", None, "£25 (goodwill)"],
        # "Total" beside a date or other text is a case to read (and refuse), never skipped.
        [4, "Total", "03/02/2025"],
        [None, "Totals", "Ann Lee", 250],
    ],
)
def test_rows_that_may_be_cases_are_read_as_cases(row):
    assert not_cases([row], [0], ref_index=0, rec_index=1) == []
