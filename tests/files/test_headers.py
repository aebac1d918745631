"""Matching a spreadsheet's header row to the log's 24 columns and the tool's own columns."""

from __future__ import annotations

import pytest

from complaints_cli.domain.columns import COLUMNS, HEADERS
from complaints_cli.errors import ComplaintsError
from complaints_cli.files.headers import (
    EXTRA_COLUMNS,
    TOOL_COLUMNS,
    ExtraColumn,
    HeaderError,
    column_letter,
    find_header_row,
    header_key,
    match_headers,
    recognise,
)

BY_NUMBER = {c.number: c for c in COLUMNS}
BY_FIELD = {e.fields[0]: e for e in EXTRA_COLUMNS}


def number_of(header: str) -> int | str | None:
    """The column number (or extra field, or tool name) a header is recognised as."""
    found = recognise(header)
    if found is None or isinstance(found, str):
        return found
    if isinstance(found, ExtraColumn):
        return found.fields[0]
    return found.number


# --- single headers ------------------------------------------------------------------------------


@pytest.mark.parametrize("column", COLUMNS, ids=lambda c: c.header)
def test_every_procedure_header_is_recognised(column):
    assert recognise(column.header) is column


@pytest.mark.parametrize("extra", EXTRA_COLUMNS, ids=lambda e: e.header)
def test_every_export_extra_header_is_recognised(extra):
    assert recognise(extra.header) is extra


def test_extra_headers_are_the_histories_words():
    """One owner for a field's words: the export's header is what the history calls it."""
    from complaints_cli.domain.presentation import field_label

    for extra in EXTRA_COLUMNS:
        suffix = " & reasons" if extra.kind == "money" else ""
        assert extra.header == field_label(extra.fields[0]) + suffix


def test_extra_columns_registry_names_its_fields():
    assert [e.fields[0] for e in EXTRA_COLUMNS] == [
        "channel",
        "closed",
        "stage1_extended_to",
        "stage2_extended_to",
        "review_type",
        "stage2_acknowledged",
        "last_update",
        "ombudsman_body",
        "ombudsman_referred",
        "ombudsman_requested",
        "ombudsman_evidence_sent",
        "close_reason",
        "stage1_extension_told",
        "stage2_extension_told",
        "stage2_compensation_amount",
        "kind",
        "not_accepted_reason",
        "not_accepted_told",
        "events_date",
        "informal_received",
        "informal_responded",
        "converted_from_informal",
        "folded_issues",
        "panel_meeting",
        "ombudsman_determined",
        "ombudsman_findings",
        "actions",
        "related_to",
        "category",
        "tenure",
        "stage1_outcome",
        "stage2_outcome",
        "withdrawn",
        "withdrawn_reason",
        "voided",
        "void_reason",
        "duplicate_of",
        "stage1_extension_agreed",
        "stage1_extension_told_on",
        "stage2_extension_agreed",
        "stage2_extension_told_on",
        "compensation_paid",
        "stage2_compensation_paid",
        "stage2_refused",
        "stage2_refused_reason",
        "stage2_refusal_told",
        "learning_sent",
        "signatories",
        "vulnerable",
        "contact_preference",
        "adjustments",
        "vulnerability_notes",
    ]
    assert [e.fields[0] for e in EXTRA_COLUMNS if e.sensitive] == [
        "vulnerable",
        "contact_preference",
        "adjustments",
        "vulnerability_notes",
    ]
    assert [e.header for e in EXTRA_COLUMNS] == [
        "Channel",
        "Date closed",
        "Stage 1 extended to",
        "Stage 2 extended to",
        "Review type",
        "Stage 2 acknowledged",
        "Last update on actions",
        "Ombudsman body",
        "Referred to Ombudsman",
        "Ombudsman evidence requested",
        "Ombudsman evidence sent",
        "Reason closed with actions outstanding",
        "Stage 1 extension: resident told",
        "Stage 2 extension: resident told",
        "Stage 2 compensation & reasons",
        "Case kind",
        "Not accepted: reason",
        "Not accepted: resident told",
        "Date of the events complained of",
        "Service dissatisfaction received",
        "Service dissatisfaction answered",
        "Converted from service dissatisfaction",
        "Issues folded in",
        "Panel meeting",
        "Ombudsman determination",
        "Ombudsman findings",
        "Actions",
        "Related case",
        "Category",
        "Tenure (TSM stock type)",
        "Stage 1 decision",
        "Stage 2 decision",
        "Date withdrawn",
        "Why withdrawn",
        "Date voided",
        "Why voided",
        "Duplicate of",
        "Stage 1 extension agreed",
        "Resident told of the Stage 1 extension on",
        "Stage 2 extension agreed",
        "Resident told of the Stage 2 extension on",
        "Compensation payment date",
        "Stage 2 compensation payment date",
        "Stage 2 request refused (date requested)",
        "Why Stage 2 was refused",
        "Resident told of the Stage 2 refusal",
        "Learning sent",
        "Petition signatories",
        "Vulnerable",
        "Contact preference",
        "Reasonable adjustments",
        "Vulnerability notes",
    ]


@pytest.mark.parametrize("header", ["Created", "Updated", "created", " UPDATED "])
def test_tool_timestamp_columns_are_recognised_as_tool_columns(header):
    assert recognise(header) in TOOL_COLUMNS


@pytest.mark.parametrize(
    ("header", "number"),
    [
        # case, spacing, punctuation
        ("complaints reference", 1),
        ("  COMPLAINTS   REFERENCE  ", 1),
        ("Complaints-Reference:", 1),
        ("Complaints reference\n", 1),
        ("Complaints\nreference", 1),
        ("STATUS", 2),
        ("Stage:", 3),
        # reference variants
        ("Complaint reference", 1),
        ("Ref", 1),
        ("Ref.", 1),
        ("Ref No.", 1),
        ("Reference", 1),
        ("Complaint ref", 1),
        ("Complaint Ref #", 1),
        ("Case reference", 1),
        # received
        ("Date received", 7),
        ("Received", 7),
        ("Received date", 7),
        ("Date Recieved", 7),
        ("Date rec'd", 7),
        ("Date complaint received", 7),
        ("Date received (dd/mm/yyyy)", 7),
        ("Date of complaint", 7),
        # acknowledgement
        ("Date acknowledged", 8),
        ("Acknowledgement date", 8),
        ("Acknowledgment date", 8),
        ("Date of acknowledgement", 8),
        ("Met HOS acknowledgement timeframe", 10),
        ("Met HOS Acknowledgement Time-frame?", 10),
        ("Met HOS acknowledgment timescale", 10),
        ("Acknowledged within timeframe", 10),
        ("Ack timeframe met (Y/N)", 10),
        # people
        ("Handler", 4),
        ("Complaint handler", 4),
        ("Stage 1 handler", 4),
        ("Complainant(s)", 5),
        ("Resident name", 5),
        ("Stage 2 handler", 19),
        ("Stage 2 complaint handler", 19),
        ("S2 handler", 19),
        ("Stage2 handler", 19),
        ("Stage two handler", 19),
        ("Property address", 6),
        # stage 1
        ("Summary of complaint", 9),
        ("Complaint summary", 9),
        ("Date response was sent", 11),
        ("Date response sent", 11),
        ("Response date", 11),
        ("Stage 1 response date", 11),
        ("Response extension required and why", 12),
        ("Response extension required & why", 12),
        ("Extension required?", 12),
        ("Stage 1 extension", 12),
        ("Met HOS code response timeframe", 13),
        ("Met response timeframe?", 13),
        ("Stage 1 timeframe met", 13),
        ("Response summary", 14),
        ("Compensation", 15),
        ("Compensation paid", 15),
        ("Compensation (£)", 15),
        ("Compensation paid and reasons under framework", 15),
        # stage 2
        ("Escalated to stage 2?", 16),
        ("Escalated to S2", 16),
        ("Escalated (Y/N)", 16),
        ("Has the complaint been escalated to Stage 2?", 16),
        ("Date escalation received", 17),
        ("Escalation date", 17),
        ("Date escalated", 17),
        ("Outcome summary", 14),
        ("Summary of outcome", 14),
        ("Escalation details", 18),
        ("Reasons for escalation", 18),
        ("Date stage 2 response sent", 20),
        ("Stage 2 response date", 20),
        ("Stage 2 extension required", 21),
        ("Stage 2 timeframe met", 22),
        ("Met stage 2 timeframe?", 22),
        ("Stage 2 response details", 23),
        ("Stage 2 outcome", 23),
        ("Learning", 24),
        ("Organizational learning", 24),
        ("Lessons learnt", 24),
        ("Lessons learned", 24),
    ],
)
def test_everyday_variants(header, number):
    assert number_of(header) == number


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("Channel", "channel"),
        ("channel", "channel"),
        ("How received", "channel"),
        ("Date closed", "closed"),
        ("Closed date", "closed"),
        ("Closure date", "closed"),
        ("Stage 1 extended to", "stage1_extended_to"),
        ("Extended to", "stage1_extended_to"),
        ("Stage 2 extended to", "stage2_extended_to"),
        ("S2 extended to", "stage2_extended_to"),
        ("Review type", "review_type"),
        ("Type of review", "review_type"),
    ],
)
def test_extra_column_variants(header, field):
    assert number_of(header) == field


@pytest.mark.parametrize(
    ("header", "number"),
    [
        # the three "met timeframe" columns never collapse into one another
        ("Met HOS acknowledgment timeframe", 10),
        ("Met HOS code response timeframe?", 13),
        ("Stage 2 HOS code timeframe met?", 22),
        ("Acknowledgement timeframe met", 10),
        ("Response timeframe met", 13),
        ("Stage 2 response timeframe met", 22),
        # nor do the four dates (8, 11, 17, 20) or the date received (7)
        ("Date complaint acknowledged", 8),
        ("Date response was sent", 11),
        ("Date escalation request received", 17),
        ("Date Stage 2 response provided", 20),
        ("Escalation received", 17),
        ("Stage 2 received", 17),
        ("Stage 2 response sent", 20),
        ("Response sent", 11),
    ],
)
def test_confusable_columns_stay_apart(header, number):
    assert number_of(header) == number


@pytest.mark.parametrize(
    "header",
    [
        # too vague to pick one of 10/13/22
        "Timeframe met?",
        "Met timeframe",
        "Met HOS code timeframe",
        "HOS timeframe met",
        "Within timeframe",
        # too vague to pick a date column
        "Date",
        "Date sent",
        # 16 (Yes/No) or 18 (details)?
        "Stage 2 escalation",
        # a date (11/20) or a summary (14/23)?
        "Stage 1 response",
        "Stage 2 response",
        # Yes/No or a date?
        "Acknowledgement",
        "Closed",
        # handler, complainant, or ...?
        "Name",
        "Details",
        # not log columns at all
        "Notes",
        "Yardi ref",
        "Spruce Complaints Log 2025",
        "HOS",
        "???",
    ],
)
def test_vague_or_foreign_headers_are_unknown(header):
    assert recognise(header) is None


def test_blank_header_is_not_recognised():
    assert recognise(None) is None
    assert recognise("   ") is None


def test_header_key_ignores_order_punctuation_and_fillers():
    assert header_key("Date received") == header_key("Received date")
    assert header_key("Summary of the complaint") == header_key("Complaint summary")
    assert header_key("Met HOS Acknowledgement Time-frame?") == frozenset(
        {"met", "acknowledgment", "timeframe"}
    )
    assert header_key("Escalated (Y/N)") == frozenset({"escalated"})


@pytest.mark.parametrize(
    ("index", "letter"),
    [(0, "A"), (6, "G"), (25, "Z"), (26, "AA"), (51, "AZ"), (52, "BA"), (701, "ZZ"), (702, "AAA")],
)
def test_column_letter(index, letter):
    assert column_letter(index) == letter


# --- whole rows ----------------------------------------------------------------------------------


def test_the_procedures_header_row_maps_every_column_in_order():
    match = match_headers(list(HEADERS))
    assert dict(match.columns) == {i: c for i, c in enumerate(COLUMNS)}
    assert match.unknown == {}
    assert match.missing == ()
    assert match.log_columns == 24


def test_an_export_row_with_extras_tool_and_unknown_columns():
    row = [
        *HEADERS,
        "Channel",
        "Date closed",
        "Stage 1 extended to",
        "Stage 2 extended to",
        "Review type",
        "Created",
        "Updated",
        "Yardi ref",
        None,
        "Notes",
    ]
    match = match_headers(row)
    assert match.columns[24] is BY_FIELD["channel"]
    assert match.columns[25] is BY_FIELD["closed"]
    assert match.columns[26] is BY_FIELD["stage1_extended_to"]
    assert match.columns[27] is BY_FIELD["stage2_extended_to"]
    assert match.columns[28] is BY_FIELD["review_type"]
    assert match.tool == {29: "Created", 30: "Updated"}
    assert match.unknown == {31: "Yardi ref", 33: "Notes"}
    assert match.blank == (32,)
    assert match.index_of(BY_FIELD["closed"]) == 25
    assert match.index_of(BY_NUMBER[7]) == 6


def test_a_messy_partial_row():
    row = ["Ref", "status", "Date Received", "Complainant ", "Compensation (£)", "Misc", 2025]
    match = match_headers(row)
    assert {i: c.header for i, c in match.columns.items()} == {
        0: "Complaints reference",
        1: "Status",
        2: "Complaint received",
        3: "Complainant",
        4: "Compensation paid & reasons under framework",
    }
    assert match.unknown == {5: "Misc", 6: "2025"}
    assert [c.number for c in match.missing] == [
        n for n in range(1, 25) if n not in {1, 2, 7, 5, 15}
    ]


def test_cells_and_unknown_cells_pick_values_from_a_data_row():
    match = match_headers(["Ref", "Notes", "Date received", "Notes", "Status"])
    row = ["SPRUCE001", "call back", "03/02/2025", "second note"]  # shorter than the header
    cells = match.cells(row)
    assert cells == {BY_NUMBER[1]: "SPRUCE001", BY_NUMBER[7]: "03/02/2025", BY_NUMBER[2]: None}
    assert match.unknown_cells(row) == [("Notes", "call back"), ("Notes", "second note")]


def test_duplicate_columns_are_an_error_naming_both_cells():
    row = ["Ref", "Complaint received", "Status", "Date received"]
    with pytest.raises(HeaderError) as caught:
        match_headers(row)
    message = str(caught.value)
    assert "B ('Complaint received')" in message
    assert "D ('Date received')" in message
    assert "both mean 'Complaint received'" in message


def test_duplicates_are_reported_without_strict():
    match = match_headers(["Ref", "Ref no", "Date received"], strict=False)
    assert len(match.duplicates) == 1
    duplicate = match.duplicates[0]
    assert duplicate.column is BY_NUMBER[1]
    assert duplicate.cells == ((0, "Ref"), (1, "Ref no"))
    assert match.columns[0] is BY_NUMBER[1]
    assert 1 not in match.columns
    assert match.problems() == [duplicate.message()]


def test_duplicate_of_an_extra_column_is_an_error_too():
    with pytest.raises(HeaderError, match=r"C \('Channel'\) and D \('How received'\)"):
        match_headers(["Ref", "Date received", "Channel", "How received"])


def test_duplicated_tool_columns_are_harmless():
    match = match_headers(["Ref", "Date received", "Created", "Created"])
    assert match.tool == {2: "Created", 3: "Created"}


def test_missing_reference_is_a_clear_error():
    with pytest.raises(HeaderError, match=r"no 'Complaints reference' column") as caught:
        match_headers(["Status", "Date received", "Address"])
    message = str(caught.value)
    assert "'Ref'" in message
    assert "and 'Complaint received' column" not in message


def test_missing_date_received_is_a_clear_error():
    with pytest.raises(HeaderError, match=r"no 'Complaint received' column"):
        match_headers(["Ref", "Status", "Address"])


def test_missing_both_names_both():
    with pytest.raises(
        HeaderError, match=r"no 'Complaints reference' and 'Complaint received' column"
    ):
        match_headers(["Status", "Stage"])


def test_header_error_is_a_complaints_error():
    assert issubclass(HeaderError, ComplaintsError)


def test_non_text_header_cells_are_read_as_text():
    match = match_headers(["Ref", "Date received", 2025, 3.0, None, "  "])
    assert match.unknown == {2: "2025", 3: "3"}
    assert match.blank == (4, 5)


# --- finding the header row ---------------------------------------------------------------------


def test_find_header_row_below_title_rows():
    rows = [
        ["Spruce Homes Complaints Log", None, None],
        ["Updated monthly - do not sort", None, None],
        [None, None, None],
        ["Complaint Ref", "Status", "Stage", "Handler", "Date received", "Notes"],
        ["SPRUCE001", "Open", "Stage 1", "Jo Bloggs", "03/02/2025", ""],
    ]
    index, match = find_header_row(rows)
    assert index == 3
    assert match.columns[0] is BY_NUMBER[1]
    assert match.columns[4] is BY_NUMBER[7]
    assert match.unknown == {5: "Notes"}


def test_find_header_row_on_the_first_row():
    index, match = find_header_row([list(HEADERS), ["SPRUCE001"]])
    assert index == 0
    assert match.log_columns == 24


def test_find_header_row_reads_a_generator_lazily_and_stops_at_the_header():
    consumed = []

    def rows():
        for row in (["Title"], ["Ref", "Status", "Stage", "Date received"], ["SPRUCE001"]):
            consumed.append(row)
            yield row

    index, _ = find_header_row(rows())
    assert index == 1
    assert len(consumed) == 2


def test_a_title_row_mentioning_columns_is_not_taken_for_the_header():
    rows = [
        ["Reference", None, None, None],  # one recognised word is not a header row
        ["Ref", "Status", "Stage", "Date received", "Address"],
    ]
    assert find_header_row(rows)[0] == 1


def test_a_small_sheet_with_only_recognised_headers_qualifies():
    assert find_header_row([["Title"], ["Ref", "Date received"]])[0] == 1


def test_two_required_columns_with_unknown_headers_do_not_qualify():
    with pytest.raises(HeaderError, match="too few of the log's columns"):
        find_header_row([["Ref", "Date received", "Notes"]])


def test_find_header_row_names_the_near_miss_and_what_it_lacks():
    rows = [["Complaints Log"], ["Status", "Stage", "Handler", "Date received", "Address"]]
    with pytest.raises(HeaderError) as caught:
        find_header_row(rows)
    message = str(caught.value)
    assert "row 2 looks like one" in message
    assert "'Status', 'Stage', 'Handler', 'Complaint received', 'Address'" in message
    assert "has no 'Complaints reference' column" in message


def test_find_header_row_gives_up_after_max_scan_rows():
    rows = [["title"]] * 5 + [list(HEADERS)]
    assert find_header_row(rows, max_scan=6)[0] == 5
    with pytest.raises(HeaderError, match="no header row found in the first 5 rows"):
        find_header_row(rows, max_scan=5)


def test_find_header_row_with_no_rows():
    with pytest.raises(HeaderError, match="no header row found in the first 30 rows"):
        find_header_row([])


def test_find_header_row_rejects_a_header_row_with_a_duplicate():
    rows = [["Log"], ["Ref", "Status", "Stage", "Date received", "Received"]]
    with pytest.raises(HeaderError, match=r"^header row 2: columns D \('Date received'\) and E"):
        find_header_row(rows)


def test_find_header_row_with_openpyxl_rows():
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Spruce Complaints Log"])
    sheet.append([])
    sheet.append(["Complaints Reference", "Status", "Stage", "Complaint Received", "Learning"])
    sheet.append(["SPRUCE001", "Open", "Stage 1", "03/02/2025", None])
    index, match = find_header_row(sheet.iter_rows(values_only=True))
    assert index == 2
    assert match.log_columns == 5
