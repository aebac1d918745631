"""Reading one cell of a messy Complaints Log, and one row of cells."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest

from complaints_cli.domain.columns import COLUMNS, HEADERS
from complaints_cli.errors import ComplaintsError
from complaints_cli.files.cells import (
    CellError,
    excel_serial_to_date,
    is_empty,
    parse_cell,
    parse_channel,
    parse_column,
    parse_date_cell,
    parse_extension,
    parse_money,
    parse_person,
    parse_reference,
    parse_review_type,
    parse_row,
    parse_stage,
    parse_status,
    parse_text,
    parse_text_date,
    parse_yesno,
    review_type_from_details,
    split_reference,
)
from complaints_cli.files.headers import EXTRA_COLUMNS, match_headers

NO_LOG = True  # pure: no log (tests/conftest.py, needs_log)

COL = {c.number: c for c in COLUMNS}
EXTRA = {e.fields[0]: e for e in EXTRA_COLUMNS}


def reason(call, *args, **kwargs) -> str:
    """The reason a parse refuses a value (fails the test if it does not)."""
    with pytest.raises(CellError) as caught:
        call(*args, **kwargs)
    assert caught.value.reason == str(caught.value)
    return caught.value.reason


def test_cell_error_is_a_complaints_error_carrying_its_reason():
    err = CellError("'x' is not a date")
    assert isinstance(err, ComplaintsError)
    assert err.reason == "'x' is not a date"
    assert err.exit_code == 1


# --- empty ---------------------------------------------------------------------------------------

PLACEHOLDERS = [None, "", "   ", "\n", "N/A", "n/a", "NA", "n.a.", "N / A", "Not applicable"]
PLACEHOLDERS += ["TBC", "tbc ", "TBA", "TBD", "To be confirmed", "-", "--", "---", "—", "–"]


@pytest.mark.parametrize("value", PLACEHOLDERS)
def test_placeholders_are_empty_in_every_kind(value):
    assert is_empty(value)
    assert parse_date_cell(value) is None
    assert parse_yesno(value) is None
    assert parse_extension(value) is None
    assert parse_money(value) is None
    assert parse_status(value) is None
    assert parse_stage(value) is None
    assert parse_reference(value) is None
    assert parse_person(value) is None
    assert parse_text(value) is None
    assert parse_channel(value) is None
    assert parse_review_type(value) is None


@pytest.mark.parametrize("value", ["None", "none", "NONE", " None. "])
def test_the_word_none_is_empty_except_in_text_and_money(value):
    assert parse_date_cell(value) is None
    assert parse_yesno(value) is None
    assert parse_status(value) is None
    assert parse_person(value) is None
    assert parse_reference(value) is None
    # in free text it is an answer ("no learning"), in money it means nothing was paid
    assert parse_text(value) == value.strip()
    assert parse_money(value) == (Decimal("0.00"), None)


@pytest.mark.parametrize("value", [0, 0.0, False, "0", "No", "Nil", "x", date(2025, 1, 1)])
def test_real_values_are_not_empty(value):
    assert not is_empty(value)


# --- dates ---------------------------------------------------------------------------------------

FEB_3 = date(2025, 2, 3)


@pytest.mark.parametrize(
    "value",
    [
        FEB_3,
        datetime(2025, 2, 3),
        datetime(2025, 2, 3, 14, 30),  # a time of day is dropped
        datetime(2025, 2, 3, 23, 59, 59),
        "03/02/2025",  # 3 February: UK order
        "3/2/2025",
        "3.2.2025",
        "03.02.2025",
        "03-02-2025",
        "2025-02-03",
        "2025-2-3",
        "2025/02/03",
        "3 February 2025",
        "3 Feb 2025",
        "3 feb 2025",
        "03 FEB 2025",
        "3-Feb-2025",
        "3rd February 2025",
        "3rd of February 2025",
        "Monday 3 February 2025",
        "Mon, 3 Feb 2025",
        "February 3, 2025",
        "Feb 3rd 2025",
        "03/02/2025 14:30",
        "03/02/2025 14:30:15",
        "03/02/2025 2:30 pm",
        "2025-02-03 00:00:00",
        "2025-02-03T14:30:00",
        "3 February 2025 at 09:15",
        "  03/02/2025  ",
        45691,  # Excel serial, 1900 system
        45691.0,
        45691.604166,  # 14:30 on that day
    ],
)
def test_dates_that_are_3_february_2025(value):
    assert parse_date_cell(value) == FEB_3


def test_uk_order_is_never_month_first():
    assert parse_date_cell("02/03/2025") == date(2025, 3, 2)
    assert parse_date_cell("12/01/2025") == date(2025, 1, 12)
    assert "not a real date (day 1, month 13, year 2025)" in reason(parse_date_cell, "01/13/2025")


def test_real_datetime_keeps_only_its_date():
    assert parse_date_cell(datetime(2025, 3, 31, 17, 45)) == date(2025, 3, 31)


@pytest.mark.parametrize(
    ("serial", "expected"),
    [
        (1, date(1900, 1, 1)),
        (59, date(1900, 2, 28)),
        (61, date(1900, 3, 1)),
        (32874, date(1990, 1, 1)),
        (45658, date(2025, 1, 1)),
        (45691, date(2025, 2, 3)),
        (73051, date(2100, 1, 1)),
        (2958465, date(9999, 12, 31)),
    ],
)
def test_excel_1900_serials(serial, expected):
    assert excel_serial_to_date(serial) == expected


@pytest.mark.parametrize(
    ("serial", "expected"),
    [(0, date(1904, 1, 1)), (1, date(1904, 1, 2)), (44229, date(2025, 2, 3))],
)
def test_excel_1904_serials(serial, expected):
    assert excel_serial_to_date(serial, epoch_1904=True) == expected


def test_the_same_serial_differs_by_1462_days_between_systems():
    assert excel_serial_to_date(45691) - excel_serial_to_date(45691, epoch_1904=True) == (
        timedelta(days=-1462)
    )
    assert parse_date_cell(44229, epoch_1904=True) == FEB_3
    assert parse_date_cell(44229) == date(2021, 2, 2)


def test_serial_60_is_excels_fake_leap_day():
    assert reason(excel_serial_to_date, 60) == (
        "Excel date number 60 is 29 February 1900, a day that did not exist "
        "(Excel's 1900 leap-year bug)"
    )
    assert "29 February 1900" in reason(parse_date_cell, 60.5)
    # in the 1904 system 60 is an ordinary (if implausible) day
    assert excel_serial_to_date(60, epoch_1904=True) == date(1904, 3, 1)


@pytest.mark.parametrize(
    ("serial", "expected"),
    [
        (0, "Excel date number 0 is Excel's 0 January 1900, not a real date"),
        (-1, "Excel date number -1 is negative, not a date"),
        (float("nan"), "Excel date number nan is not a date"),
        (float("inf"), "Excel date number inf is not a date"),
        (1e12, "Excel date number 1000000000000.0 is too large to be a date"),
    ],
)
def test_impossible_serials(serial, expected):
    assert reason(excel_serial_to_date, serial) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (
            "03/02/25",
            "'03/02/25' has a two-digit year: write it as dd/mm/yyyy or yyyy-mm-dd",
        ),
        (
            "3.2.25",
            "'3.2.25' has a two-digit year: write it as dd/mm/yyyy or yyyy-mm-dd",
        ),
        (
            "03/02/25 14:30",
            "'03/02/25 14:30' has a two-digit year: write it as dd/mm/yyyy or yyyy-mm-dd",
        ),
        ("3 Feb 25", "'3 Feb 25' has a two-digit year: write the year in full, e.g. 2025"),
        ("03-Feb-25", "'03-Feb-25' has a two-digit year: write the year in full, e.g. 2025"),
        (
            "31/02/2025",
            "'31/02/2025' is not a real date (day 31, month 2, year 2025)",
        ),
        (
            "30 February 2025",
            "'30 February 2025' is not a real date (day 30, month 2, year 2025)",
        ),
        (
            "2025/13/01",
            "'2025/13/01' is not a real date (day 1, month 13, year 2025)",
        ),
        (
            "1985-06-01",
            "'1985-06-01' is in 1985: a complaint date must fall between 1990 and 2100",
        ),
        (
            "01/01/2101",
            "'01/01/2101' is in 2101: a complaint date must fall between 1990 and 2100",
        ),
        (
            "Tuesday 3 February 2025",
            "'Tuesday 3 February 2025' contradicts itself: 3 February 2025 is a Monday",
        ),
        ("03/02/2025 25:00", "'03/02/2025 25:00' has a time of day that does not exist"),
        ("03/02/2025 13:00 pm", "'03/02/2025 13:00 pm' has a time of day that does not exist"),
    ],
)
def test_text_dates_refused_with_their_reason(value, expected):
    assert reason(parse_date_cell, value) == expected


NOT_A_DATE = "is not a date: write it as dd/mm/yyyy (UK order), yyyy-mm-dd or 3 February 2025"


@pytest.mark.parametrize(
    "value",
    [
        "today",
        "yesterday",
        "next week",
        "w/c 3 Feb",
        "Feb 2025",
        "03/02-2025",
        "3 Febtember 2025",
        "Someday 3 February 2025",
        "03/02/20255",
        "Yes",
    ],
)
def test_text_that_is_not_a_date(value):
    assert reason(parse_date_cell, value) == f"{value!r} {NOT_A_DATE}"


@pytest.mark.parametrize("value", ["03/02", "Feb 3", "3rd Feb"])
def test_a_day_without_a_year_is_said_to_have_none(value):
    assert reason(parse_date_cell, value) == (
        f"{value!r} has no year: write the year in full, e.g. 2025"
    )


def test_a_number_typed_as_text_is_not_taken_for_a_serial():
    assert reason(parse_date_cell, "45691") == (
        "'45691' is a number typed as text, not a date: write it as dd/mm/yyyy (UK order), "
        "yyyy-mm-dd or 3 February 2025"
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (
            61,
            "Excel date number 61 (01/03/1900) is in 1900: a complaint date must fall "
            "between 1990 and 2100",
        ),
        (
            32873,
            "Excel date number 32873 (31/12/1989) is in 1989: a complaint date must fall "
            "between 1990 and 2100",
        ),
        (
            date(1989, 12, 31),
            "1989-12-31 is in 1989: a complaint date must fall between 1990 and 2100",
        ),
        (
            datetime(2101, 1, 1, 9, 0),
            "2101-01-01 is in 2101: a complaint date must fall between 1990 and 2100",
        ),
        (True, "True is a TRUE/FALSE value, not a date"),
        (time(14, 30), "14:30:00 is a time of day without a date"),
        (timedelta(days=3), "datetime.timedelta(days=3) is a duration, not a date"),
    ],
)
def test_non_text_cells_refused_in_date_columns(value, expected):
    assert reason(parse_date_cell, value) == expected


def test_plausible_year_boundaries():
    assert parse_date_cell("01/01/1990") == date(1990, 1, 1)
    assert parse_date_cell("31/12/2100") == date(2100, 12, 31)


def test_parse_text_date_is_usable_on_its_own():
    assert parse_text_date("24 March 2025") == date(2025, 3, 24)
    assert "two-digit year" in reason(parse_text_date, "24/03/25")


# --- yes / no ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Yes", (True, None)),
        ("yes", (True, None)),
        ("YES", (True, None)),
        ("Y", (True, None)),
        ("y", (True, None)),
        ("No", (False, None)),
        ("N", (False, None)),
        ("no.", (False, None)),
        ("TRUE", (True, None)),
        ("False", (False, None)),
        (True, (True, None)),
        (False, (False, None)),
        ("Yes - sent late, handler on leave", (True, "sent late, handler on leave")),
        ("No – handler on leave", (False, "handler on leave")),
        ("No — handler on leave", (False, "handler on leave")),
        ("No (annual leave)", (False, "annual leave")),
        ("No(annual leave)", (False, "annual leave")),
        ("No, response delayed by contractor", (False, "response delayed by contractor")),
        ("No: sent on day 4", (False, "sent on day 4")),
        ("No; handler off sick", (False, "handler off sick")),
        ("No - sent late\n(handler on leave)", (False, "sent late\n(handler on leave)")),
        ("No (annual leave) - back 10/03", (False, "(annual leave) - back 10/03")),
        ("No (leave (two weeks))", (False, "leave (two weeks)")),
        ("Yes -", (True, None)),
        ("No ()", (False, None)),
    ],
)
def test_yes_no(value, expected):
    assert parse_yesno(value) == expected


@pytest.mark.parametrize("value", ["Yes sent late", "No handler on leave", "No response sent"])
def test_an_explanation_must_be_separated_from_the_answer(value):
    word = value.split()[0]
    assert reason(parse_yesno, value) == (
        f"{value!r} does not separate the answer from its explanation: write {word}, then "
        f"' - ' or brackets, then the explanation (e.g. '{word} - handler on leave')"
    )


YESNO_HELP = "write Yes or No, optionally followed by ' - ' and the explanation"


@pytest.mark.parametrize(
    "value", ["Maybe", "Not met", "Met", "Late", "Yess", "Nope", "Y/N", "Yes/No", "✓", "1"]
)
def test_text_that_is_not_yes_or_no(value):
    assert reason(parse_yesno, value) == f"{value!r} is not Yes or No: {YESNO_HELP}"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1, f"1 is a number, not Yes or No: {YESNO_HELP}"),
        (0.0, f"0 is a number, not Yes or No: {YESNO_HELP}"),
        (date(2025, 2, 3), f"2025-02-03 is a date, not Yes or No: {YESNO_HELP}"),
    ],
)
def test_non_text_cells_refused_in_yes_no_columns(value, expected):
    assert reason(parse_yesno, value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("No", (False, None, None)),
        ("Yes", (True, None, None)),
        (True, (True, None, None)),
        ("Yes - awaiting contractor report", (True, "awaiting contractor report", None)),
        (
            "Yes - awaiting contractor report (new date 24/03/2025)",
            (True, "awaiting contractor report", date(2025, 3, 24)),
        ),
        (
            "Yes - awaiting report, extended to 24 March 2025",
            (True, "awaiting report", date(2025, 3, 24)),
        ),
        (
            "Yes: contractor delay; new deadline: 2025-03-24",
            (True, "contractor delay", date(2025, 3, 24)),
        ),
        ("Yes (new date 24/03/2025)", (True, None, date(2025, 3, 24))),
        (
            "Yes - extended until Monday 24 March 2025",
            (True, None, date(2025, 3, 24)),
        ),
        (
            # the date is mid-sentence: the reason is kept as written
            "Yes - new date 24/03/2025 agreed with resident by phone",
            (True, "new date 24/03/2025 agreed with resident by phone", date(2025, 3, 24)),
        ),
        (
            # a date without "new date"/"extended to" is part of the reason, not the deadline
            "Yes - contractor report due 20/03/2025",
            (True, "contractor report due 20/03/2025", None),
        ),
        ("Yes - new date to be agreed", (True, "new date to be agreed", None)),
        (
            "Yes (new date 24/03/2025, revised date 24/03/2025)",
            (True, "new date 24/03/2025, revised date 24/03/2025", date(2025, 3, 24)),
        ),
        ("No - not needed", (False, "not needed", None)),
    ],
)
def test_extensions(value, expected):
    assert parse_extension(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (
            "No - new date 24/03/2025",
            "'No - new date 24/03/2025' says No but gives a new date: write Yes, or drop the date",
        ),
        (
            "Yes (new date 24/03/2025) (revised date 25/03/2025)",
            "'Yes (new date 24/03/2025) (revised date 25/03/2025)' gives two different new "
            "dates (24/03/2025 and 25/03/2025): keep one",
        ),
        (
            "Yes - new date 24/03/25",
            "the new date in 'Yes - new date 24/03/25' cannot be read: '24/03/25' has a "
            "two-digit year: write it as dd/mm/yyyy or yyyy-mm-dd",
        ),
        (
            "Yes - new date 31/02/2025",
            "the new date in 'Yes - new date 31/02/2025' cannot be read: '31/02/2025' is not "
            "a real date (day 31, month 2, year 2025)",
        ),
        (
            "Yes - extended to 24 Smarch 2025",
            "the new date in 'Yes - extended to 24 Smarch 2025' cannot be read: "
            f"'24 Smarch 2025' {NOT_A_DATE}",
        ),
        ("Extended", f"'Extended' is not Yes or No: {YESNO_HELP}"),
    ],
)
def test_extensions_refused(value, expected):
    assert reason(parse_extension, value) == expected


# --- money ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("£1,250.00 (time and trouble)", (Decimal("1250.00"), "time and trouble")),
        ("£50 - delay", (Decimal("50.00"), "delay")),
        ("£50 – delay in repairs", (Decimal("50.00"), "delay in repairs")),
        ("£50: delay", (Decimal("50.00"), "delay")),
        ("£50, delay", (Decimal("50.00"), "delay")),
        ("£50 for the delay", (Decimal("50.00"), "for the delay")),
        ("£ 75.50 (goodwill)", (Decimal("75.50"), "goodwill")),
        ("£50.5", (Decimal("50.50"), None)),
        ("£1,000,000", (Decimal("1000000.00"), None)),
        ("GBP 50 (delay)", (Decimal("50.00"), "delay")),
        ("50 pounds (delay)", (Decimal("50.00"), "delay")),
        ("50 GBP", (Decimal("50.00"), None)),
        ("50", (Decimal("50.00"), None)),
        ("50 (delay)", (Decimal("50.00"), "delay")),
        ("50 - delay", (Decimal("50.00"), "delay")),
        ("1250", (Decimal("1250.00"), None)),
        ("£0", (Decimal("0.00"), None)),
        ("£0.00 - not upheld", (Decimal("0.00"), "not upheld")),
        (50, (Decimal("50.00"), None)),
        (0, (Decimal("0.00"), None)),
        (50.5, (Decimal("50.50"), None)),
        (1250.0, (Decimal("1250.00"), None)),
        (0.1, (Decimal("0.10"), None)),
        (19.99, (Decimal("19.99"), None)),
        # nothing paid: an answer, unlike an empty cell
        ("None", (Decimal("0.00"), None)),
        ("Nil", (Decimal("0.00"), None)),
        ("nil paid", (Decimal("0.00"), None)),
        ("No", (Decimal("0.00"), None)),
        ("Nothing", (Decimal("0.00"), None)),
        ("No compensation", (Decimal("0.00"), None)),
        ("None offered", (Decimal("0.00"), None)),
        ("Nil - complaint not upheld", (Decimal("0.00"), "complaint not upheld")),
        ("No (not upheld)", (Decimal("0.00"), "not upheld")),
        # a number computed by a formula is read as the spreadsheet shows it (15 digits)
        (0.1 + 0.2, (Decimal("0.30"), None)),
        (1.1 * 3, (Decimal("3.30"), None)),
        (-0.0, (Decimal("0.00"), None)),
        # the bounds: up to £1,000,000
        ("£1,000,000", (Decimal("1000000.00"), None)),
        (1_000_000, (Decimal("1000000.00"), None)),
        # a total, then its breakdown (the Ombudsman's wording): the parts add up
        (
            "£250 (£150 time and trouble, £100 distress and inconvenience)",
            (Decimal("250.00"), "£150 time and trouble, £100 distress and inconvenience"),
        ),
        (
            "£250 - £150 for time and trouble and £100 for distress",
            (Decimal("250.00"), "£150 for time and trouble and £100 for distress"),
        ),
        (
            "£1,250.00 (£1,000.50 delay, £249.50 repairs)",
            (Decimal("1250.00"), "£1,000.50 delay, £249.50 repairs"),
        ),
        ("£100 (£100 distress)", (Decimal("100.00"), "£100 distress")),
        (
            "£250 (150 pounds time, 100 pounds distress)",
            (Decimal("250.00"), "150 pounds time, 100 pounds distress"),
        ),
        # the export's form for reasons that hold another amount
        (
            "£250.00 [reasons] previous offer £50 declined",
            (Decimal("250.00"), "previous offer £50 declined"),
        ),
        ("£0.00 [reasons] (not upheld)", (Decimal("0.00"), "(not upheld)")),
    ],
)
def test_money(value, expected):
    assert parse_money(value) == expected


def test_money_amounts_always_have_two_decimal_places():
    amount, _ = parse_money("£50") or (None, None)
    assert str(amount) == "50.00"


def test_not_applicable_is_empty_but_none_is_zero():
    assert parse_money("Not applicable") is None
    assert parse_money("N/A") is None
    assert parse_money(None) is None
    assert parse_money("None") == (Decimal("0.00"), None)


MONEY_HELP = "write the amount, then the reasons after a dash or in brackets, e.g. '£50 (delay)'"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (
            "£50 + £25 goodwill",
            "'£50 + £25 goodwill' holds more than one amount (£50.00 + £25.00): write the "
            "total paid first, then its breakdown, e.g. '£75.00 (£50.00 ..., £25.00 ...)'",
        ),
        (
            "£50 (previously offered £25)",
            "'£50 (previously offered £25)' holds more than one amount: £50.00, then £25.00, "
            "which is not a breakdown of it (a breakdown's parts add up to the total); write "
            "the total paid, then the reasons",
        ),
        (
            "£50+25",
            "'£50+25' holds more than one amount (£50.00 + £25.00): write the total paid "
            "first, then its breakdown, e.g. '£75.00 (£50.00 ..., £25.00 ...)'",
        ),
        (
            "50 - delay, 25 pounds goodwill",
            "'50 - delay, 25 pounds goodwill' holds more than one amount: £50.00, then "
            "£25.00, which is not a breakdown of it (a breakdown's parts add up to the "
            "total); write the total paid, then the reasons",
        ),
        (
            "£250 (£150 time and trouble, £50 distress)",
            "'£250 (£150 time and trouble, £50 distress)' holds more than one amount: "
            "£250.00, then £150.00 + £50.00 = £200.00, which is not a breakdown of it (a "
            "breakdown's parts add up to the total); write the total paid, then the reasons",
        ),
        (
            "1e3",
            "'1e3' is written with an exponent: write the amount in full, e.g. £1,000 rather "
            "than 1e3",
        ),
        (
            "£1.5E+3 (delay)",
            "'£1.5E+3 (delay)' is written with an exponent: write the amount in full, e.g. "
            "£1,000 rather than 1e3",
        ),
        ("1,2,3", "'1,2,3': '1,2,3' is not a clear amount (check the commas)"),
        (
            "9" * 40,
            f"'{'9' * 40}' is more than £1,000,000.00, the most a compensation cell may hold: "
            "check the figure (a stray digit, or a reference pasted into the column?)",
        ),
        (
            "£1,000,000.01",
            "'£1,000,000.01' is more than £1,000,000.00, the most a compensation cell may "
            "hold: check the figure (a stray digit, or a reference pasted into the column?)",
        ),
        (
            1e308,
            "1e+308 is more than £1,000,000.00, the most a compensation cell may hold: check "
            "the figure (a stray digit, or a reference pasted into the column?)",
        ),
        (
            10**30,
            f"{10**30} is more than £1,000,000.00, the most a compensation cell may hold: "
            "check the figure (a stray digit, or a reference pasted into the column?)",
        ),
        (float("inf"), "inf is not an amount"),
        (float("-inf"), "-inf is not an amount"),
        (
            "£250 (£150.505 x, £99.495 y)",
            "'£250 (£150.505 x, £99.495 y)' has more than two decimal places in '150.505'",
        ),
        ("-£50", "'-£50' is negative: compensation paid cannot be below £0"),
        ("£-50", "'£-50' is negative: compensation paid cannot be below £0"),
        ("−50", "'−50' is negative: compensation paid cannot be below £0"),
        (-5, "-5 is negative: compensation paid cannot be below £0"),
        (-0.5, "-0.5 is negative: compensation paid cannot be below £0"),
        ("£50.555", "'£50.555' has more than two decimal places"),
        ("£1,25", "'£1,25': '1,25' is not a clear amount (check the commas)"),
        ("£1,2500", "'£1,2500': '1,2500' is not a clear amount (check the commas)"),
        (50.125, "50.125 is not a whole number of pence"),
        (float("nan"), "nan is not an amount"),
        (True, "True is a TRUE/FALSE value, not an amount"),
        (date(2025, 2, 3), "2025-02-03 is a date, not an amount"),
        (
            "Goodwill gesture",
            f"'Goodwill gesture' has no amount: {MONEY_HELP}, or None if nothing was paid",
        ),
        ("Yes", f"'Yes' has no amount: {MONEY_HELP}, or None if nothing was paid"),
        ("TBC later", f"'TBC later' has no amount: {MONEY_HELP}, or None if nothing was paid"),
        ("Goodwill £50", f"'Goodwill £50' does not start with the amount: {MONEY_HELP}"),
        ("50p", f"'50p' is not clear: {MONEY_HELP}"),
        ("£50k", f"'£50k' is not clear: {MONEY_HELP}"),
        ("50 days late", f"'50 days late' is not clear: {MONEY_HELP}"),
        ("None given yet", f"'None given yet' is not clear: {MONEY_HELP}"),
    ],
)
def test_money_refused(value, expected):
    assert reason(parse_money, value) == expected


# --- status and stage ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Open", "Open"),
        ("open", "Open"),
        ("OPEN", "Open"),
        (" Open ", "Open"),
        ("Closed", "Closed"),
        ("closed.", "Closed"),
        ("CLOSED", "Closed"),
    ],
)
def test_status(value, expected):
    assert parse_status(value) == expected


@pytest.mark.parametrize(
    ("value", "shown"),
    [("Pending", "'Pending'"), ("Open - awaiting works", "'Open - awaiting works'"), (1, "1")],
)
def test_status_refused_lists_the_accepted_values(value, shown):
    assert (
        reason(parse_status, value)
        == f"{shown} is not a status: use one of Open, Closed, Not accepted, Withdrawn, Void"
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Stage 1", "Stage 1"),
        ("stage 1", "Stage 1"),
        ("Stage1", "Stage 1"),
        ("STAGE-1", "Stage 1"),
        ("S1", "Stage 1"),
        ("Stage One", "Stage 1"),
        ("1", "Stage 1"),
        (1, "Stage 1"),
        (1.0, "Stage 1"),
        ("stage 2", "Stage 2"),
        ("S2", "Stage 2"),
        ("s2", "Stage 2"),
        ("Stage two", "Stage 2"),
        (2, "Stage 2"),
        ("Ombudsman", "Ombudsman"),
        ("ombudsman", "Ombudsman"),
        ("HOS", "Ombudsman"),
        ("Housing Ombudsman", "Ombudsman"),
    ],
)
def test_stage(value, expected):
    assert parse_stage(value) == expected


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("Stage 3", "'Stage 3'"),
        ("PRS", "'PRS'"),
        ("Closed", "'Closed'"),
        ("Stage 1/2", "'Stage 1/2'"),
        (3, "3"),
        (True, "True"),
        (1.5, "1.5"),
    ],
)
def test_stage_refused_lists_the_accepted_values(value, shown):
    assert reason(parse_stage, value) == (
        f"{shown} is not a stage: use one of Stage 1, Stage 2, Ombudsman, Informal"
    )


# --- channel and review type ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Email", "email"),
        ("e-mail", "email"),
        ("Phone", "phone"),
        ("Telephone", "phone"),
        ("Letter", "letter"),
        ("Post", "letter"),
        ("In person", "in person"),
        ("in-person", "in person"),
        ("Face to face", "in person"),
        ("Website", "website"),
        ("Web form", "website"),
        ("Social media", "social media"),
        ("Facebook", "social media"),
    ],
)
def test_channel(value, expected):
    assert parse_channel(value) == expected


def test_channel_refused():
    assert reason(parse_channel, "Pigeon") == (
        "'Pigeon' is not a channel: use one of email, phone, letter, in person, website, "
        "social media"
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Manager", "manager"),
        ("Manager Review", "manager"),
        ("senior manager review", "manager"),
        ("Compensation", "compensation"),
        ("Compensation review", "compensation"),
    ],
)
def test_review_type(value, expected):
    assert parse_review_type(value) == expected


def test_review_type_refused():
    assert reason(parse_review_type, "Tribunal") == (
        "'Tribunal' is not a review type: use one of Manager review, Compensation review, "
        "Panel review"
    )


def test_panel_review_type():
    """A Complaint Review Panel (Southern Housing 4.8), as the export writes it."""
    assert parse_review_type("Panel review") == "panel"
    assert parse_review_type("panel") == "panel"


@pytest.mark.parametrize(
    ("details", "expected"),
    [
        ("Manager Review - unhappy with the repair", "manager"),
        ("Compensation review: wants more than £50", "compensation"),
        ("Senior manager review requested", "manager"),
        ("Stage 2 - Compensation Review", "compensation"),
        ("Resident unhappy; not a compensation review", None),
        ("Wants a manager to look again", None),
        # A Complaint Review Panel (Southern Housing 4.8), however a log words it first.
        ("Panel - still damp", "panel"),
        ("Complaint Review Panel - repairs", "panel"),
        ("Panel review: wants a hearing", "panel"),
        ("Review Panel", "panel"),
        ("Stage 2 - Panel", "panel"),
        ("Panelling in the hallway is damaged", None),
        ("Wants a panel to look again", None),
        ("", None),
        (None, None),
    ],
)
def test_review_type_only_from_a_leading_label(details, expected):
    assert review_type_from_details(details) == expected


# --- reference -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("SPRUCE001", "SPRUCE001"),
        (" spruce001 ", "SPRUCE001"),
        ("SPRUCE 001", "SPRUCE001"),
        ("spruce-001", "SPRUCE001"),
        ("Spruce_001", "SPRUCE001"),
        ("SPRUCE/001", "SPRUCE001"),
        ("SPRUCE1000", "SPRUCE1000"),
        # Extra leading zeros: the same complaint as the commands read it (show SPRUCE0042).
        ("SPRUCE0042", "SPRUCE042"),
        ("SPRUCE00001000", "SPRUCE1000"),
        ("OAK123", "OAK123"),
        # The one grammar (domain/references): a run of separators, a prefix ending in a digit.
        ("SPRUCE--001", "SPRUCE001"),
        ("ha2-001", "HA2001"),
    ],
)
def test_reference(value, expected):
    assert parse_reference(value) == expected


REF_HELP = "e.g. SPRUCE001"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (
            "SPRUCE1",
            "'SPRUCE1' has fewer than three digits: write it as the log numbers it, e.g. SPRUCE001",
        ),
        (
            "spruce 12",
            "'spruce 12' has fewer than three digits: write it as the log numbers it, "
            "e.g. SPRUCE012",
        ),
        (
            "SPRUCE",
            "'SPRUCE' is not a reference: write a prefix and at least three digits, e.g. SPRUCE001",
        ),
        (
            "001",
            "'001' is not a reference: write a prefix and at least three digits, e.g. SPRUCE001",
        ),
        (
            "SPRUCE" + "9" * 13,
            f"'SPRUCE{'9' * 13}' has a number too large for a reference",
        ),
        (
            "ABCDEFGHIJKLM001",
            "'ABCDEFGHIJKLM001' is not a reference: write a prefix and at least three digits, "
            "e.g. SPRUCE001",
        ),
        (
            "SPRUCE001A",
            "'SPRUCE001A' is not a reference: write a prefix and at least three digits, "
            "e.g. SPRUCE001",
        ),
        (
            "SH-2025-001",
            "'SH-2025-001' is not a reference: write a prefix and at least three digits, "
            "e.g. SPRUCE001",
        ),
        (
            12,
            "12 is a number, not a reference: a reference is a prefix and at least three "
            "digits, e.g. SPRUCE001",
        ),
        (
            1.0,
            "1 is a number, not a reference: a reference is a prefix and at least three "
            "digits, e.g. SPRUCE001",
        ),
        (
            2.5,
            "2.5 is a number, not a reference: a reference is a prefix and at least three "
            "digits, e.g. SPRUCE001",
        ),
    ],
)
def test_reference_refused(value, expected):
    assert reason(parse_reference, value) == expected


def test_a_whole_number_reads_the_same_from_every_format():
    """.xlsx and .ods hold a number cell as a float (4.0), .xls as an int (4): the reason names
    the cell as the spreadsheet shows it, 4, the same as the problem line's "value 4"."""
    from complaints_cli.files.sheet_parser import Problem

    assert reason(parse_reference, 4.0) == reason(parse_reference, 4)
    assert reason(parse_reference, 4.0).startswith("4 is a number, not a reference")
    line = Problem("Log", 9, "A 'Ref'", 4.0, reason(parse_reference, 4.0)).line()
    assert line.startswith("sheet 'Log', row 9, column A 'Ref', value 4: 4 is a number,")


def test_reference_with_an_expected_prefix():
    assert parse_reference("spruce-007", prefix="SPRUCE") == "SPRUCE007"
    assert parse_reference("HA2001", prefix="HA2") == "HA2001"  # number 1 of HA2, not HA 2001
    assert parse_reference("SPRUCE007", prefix="spruce") == "SPRUCE007"
    assert reason(parse_reference, "OAK007", prefix="SPRUCE") == (
        "'OAK007' does not start with this log's prefix SPRUCE"
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("SPRUCE001", ("SPRUCE", 1)),
        ("spruce-012", ("SPRUCE", 12)),
        ("SPRUCE1000", ("SPRUCE", 1000)),
    ],
)
def test_split_reference(value, expected):
    assert split_reference(value) == expected


def test_split_reference_refused():
    assert "is not a reference" in reason(split_reference, "hello")
    assert reason(split_reference, "N/A") == "'N/A' is not a reference"


# --- text and people -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("  Damp in the bathroom  ", "Damp in the bathroom"),
        ("Line one\nLine two", "Line one\nLine two"),
        ("Line one\r\nLine two\r\n", "Line one\nLine two"),
        ("Line one_x000D_\nLine two", "Line one\nLine two"),
        ("Two  spaces kept", "Two  spaces kept"),
        ("None", "None"),
        ("Nil", "Nil"),
        ("No", "No"),
        (12, "12"),
        (12.0, "12"),
        (12.5, "12.5"),
        (0.1, "0.1"),
        (1e-05, "0.00001"),
        (45691, "45691"),  # a serial in a text column is just text
        (True, "TRUE"),
        (False, "FALSE"),
        (date(2025, 2, 3), "03/02/2025"),
        (datetime(2025, 2, 3), "03/02/2025"),
        (datetime(2025, 2, 3, 14, 30), "03/02/2025 14:30"),
        (time(14, 30), "14:30"),
        (time(14, 30, 15), "14:30:15"),
    ],
)
def test_text(value, expected):
    assert parse_text(value) == expected


def test_text_refused():
    assert reason(parse_text, float("inf")) == "inf is not a value that can be kept as text"
    assert reason(parse_text, timedelta(hours=2)) == (
        "datetime.timedelta(seconds=7200) is a duration, which cannot be kept as text"
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Jo Bloggs", "Jo Bloggs"),
        ("  Jo   Bloggs ", "Jo Bloggs"),
        ("Mr A Smith\nMrs B Smith", "Mr A Smith\nMrs B Smith"),
        ("Mr A Smith \r\n\r\n  Mrs  B Smith", "Mr A Smith\nMrs B Smith"),
        ("O'Brien-Jones", "O'Brien-Jones"),
    ],
)
def test_person(value, expected):
    assert parse_person(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (12, "12 is a number, not a name"),
        (True, "True is a TRUE/FALSE value, not a name"),
        (date(2025, 2, 3), "2025-02-03 is a date, not a name"),
    ],
)
def test_person_refused(value, expected):
    assert reason(parse_person, value) == expected


# --- parse_cell and parse_column -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "value", "expected"),
    [
        ("reference", "spruce-001", "SPRUCE001"),
        ("status", "open", "Open"),
        ("stage", "S2", "Stage 2"),
        ("person", " Jo  Bloggs ", "Jo Bloggs"),
        ("text", 12.0, "12"),
        ("date", "03/02/2025", FEB_3),
        ("yesno", "No (leave)", (False, "leave")),
        ("extension", "Yes (new date 24/03/2025)", (True, None, date(2025, 3, 24))),
        ("money", "£50 - delay", (Decimal("50.00"), "delay")),
        ("channel", "Email", "email"),
        ("review_type", "Manager review", "manager"),
    ],
)
def test_parse_cell_dispatches_on_kind(kind, value, expected):
    assert parse_cell(value, kind) == expected


def test_parse_cell_passes_the_epoch_and_prefix():
    assert parse_cell(44229, "date", epoch_1904=True) == FEB_3
    assert "prefix SPRUCE" in reason(parse_cell, "OAK001", "reference", prefix="SPRUCE")


def test_parse_cell_unknown_kind_is_a_programming_error():
    with pytest.raises(ValueError, match="unknown column kind 'colour'"):
        parse_cell("red", "colour")


def test_parse_column_fills_every_field_of_the_column():
    assert parse_column(COL[10], "No - handler on leave") == {
        "ack_met": False,
        "ack_met_note": "handler on leave",
    }
    assert parse_column(COL[12], "Yes - awaiting report (new date 24/03/2025)") == {
        "stage1_extension": True,
        "stage1_extension_reason": "awaiting report",
        "stage1_extended_to": date(2025, 3, 24),
    }
    assert parse_column(COL[15], "£1,250.00 (time and trouble)") == {
        "compensation_amount": Decimal("1250.00"),
        "compensation_reasons": "time and trouble",
    }
    assert parse_column(COL[18], "Manager Review - repairs still outstanding") == {
        "escalation_details": "Manager Review - repairs still outstanding",
        "review_type": "manager",
    }
    assert parse_column(COL[16], "Y") == {"escalated": True}
    assert parse_column(EXTRA["closed"], "31/03/2025") == {"closed": date(2025, 3, 31)}


@pytest.mark.parametrize("column", [*COLUMNS, *EXTRA_COLUMNS], ids=lambda c: c.header)
def test_parse_column_on_an_empty_cell_gives_none_for_every_field(column):
    assert parse_column(column, None) == dict.fromkeys(column.fields)
    assert parse_column(column, "N/A") == dict.fromkeys(column.fields)


def test_escalated_has_no_room_for_an_explanation():
    assert reason(parse_column, COL[16], "Yes - by email on 03/03/2025") == (
        "'Yes - by email on 03/03/2025': this column holds only Yes or No, so the explanation "
        "would be lost; write just Yes or No and put the explanation in another column"
    )


# --- parse_row -----------------------------------------------------------------------------------

MESSY_ROW = {
    COL[1]: "spruce-001",
    COL[2]: "OPEN",
    COL[3]: "Stage1",
    COL[4]: " Jo Bloggs ",
    COL[5]: "Mr A Smith\nMrs B Smith",
    COL[6]: "1 Essex Brewery",
    COL[7]: datetime(2025, 2, 3, 9, 12),
    COL[8]: 45694,  # serial: Thu 6 Feb 2025
    COL[9]: "Damp in the bathroom",
    COL[10]: "Yes",
    COL[11]: "20/02/2025",
    COL[12]: "No",
    COL[13]: "No - sent late, handler on leave",
    COL[14]: "Damp course to be renewed",
    COL[15]: "£1,250.00 (time and trouble)",
    COL[16]: "N",
    COL[17]: "TBC",
    COL[18]: None,
    COL[19]: "N/A",
    COL[20]: "",
    COL[21]: "--",
    COL[22]: None,
    COL[23]: None,
    COL[24]: "None",
}


def test_parse_row_reads_a_messy_row():
    values, errors = parse_row(MESSY_ROW)
    assert errors == []
    assert values == {
        "reference": "SPRUCE001",
        "status": "Open",
        "stage": "Stage 1",
        "handler": "Jo Bloggs",
        "complainant": "Mr A Smith\nMrs B Smith",
        "address": "1 Essex Brewery",
        "received": date(2025, 2, 3),
        "acknowledged": date(2025, 2, 6),
        "complaint_summary": "Damp in the bathroom",
        "ack_met": True,
        "ack_met_note": None,
        "stage1_responded": date(2025, 2, 20),
        "stage1_extension": False,
        "stage1_extension_reason": None,
        "stage1_extended_to": None,
        "stage1_met": False,
        "stage1_met_note": "sent late, handler on leave",
        "stage1_response_summary": "Damp course to be renewed",
        "compensation_amount": Decimal("1250.00"),
        "compensation_reasons": "time and trouble",
        "escalated": False,
        "escalation_received": None,
        "escalation_details": None,
        "review_type": None,
        "stage2_handler": None,
        "stage2_responded": None,
        "stage2_extension": None,
        "stage2_extension_reason": None,
        "stage2_extended_to": None,
        "stage2_met": None,
        "stage2_met_note": None,
        "stage2_response_details": None,
        "learning": "None",
    }


def test_parse_row_covers_every_field_of_every_column():
    values, _ = parse_row(dict.fromkeys([*COLUMNS, *EXTRA_COLUMNS]))
    expected = {f for c in (*COLUMNS, *EXTRA_COLUMNS) for f in c.fields}
    assert set(values) == expected
    assert all(v is None for v in values.values())


def test_parse_row_collects_one_error_per_bad_cell():
    row = {
        COL[1]: "SPRUCE1",
        COL[2]: "Pending",
        COL[7]: "03/02/25",
        COL[10]: "Late",
        COL[15]: "£50 + £25 goodwill",
        COL[24]: "Better damp checks",
    }
    values, errors = parse_row(row)
    assert errors == [
        (
            "Complaints reference",
            "SPRUCE1",
            "'SPRUCE1' has fewer than three digits: write it as the log numbers it, e.g. SPRUCE001",
        ),
        (
            "Status",
            "Pending",
            "'Pending' is not a status: use one of Open, Closed, Not accepted, Withdrawn, Void",
        ),
        (
            "Complaint received",
            "03/02/25",
            "'03/02/25' has a two-digit year: write it as dd/mm/yyyy or yyyy-mm-dd",
        ),
        ("Met HOS acknowledgment timeframe", "Late", f"'Late' is not Yes or No: {YESNO_HELP}"),
        (
            "Compensation paid & reasons under framework",
            "£50 + £25 goodwill",
            "'£50 + £25 goodwill' holds more than one amount (£50.00 + £25.00): write the "
            "total paid first, then its breakdown, e.g. '£75.00 (£50.00 ..., £25.00 ...)'",
        ),
    ]
    # refused columns contribute no fields; the good one is still read
    assert values == {"learning": "Better damp checks"}


def test_parse_row_passes_the_1904_epoch_and_prefix():
    values, errors = parse_row({COL[1]: "SPRUCE001", COL[7]: 44229}, True)
    assert errors == []
    assert values["received"] == FEB_3
    _, errors = parse_row({COL[1]: "OAK001"}, prefix="SPRUCE")
    assert errors == [
        ("Complaints reference", "OAK001", "'OAK001' does not start with this log's prefix SPRUCE")
    ]


def test_parse_row_orders_columns_by_the_log_not_by_the_mapping():
    row = {EXTRA["closed"]: "bad", COL[7]: "also bad", COL[1]: "x"}
    _, errors = parse_row(row)
    assert [header for header, _, _ in errors] == [
        "Complaints reference",
        "Complaint received",
        "Date closed",
    ]


def test_parse_row_merges_the_extension_date_with_the_extended_to_column():
    row = {COL[12]: "Yes - awaiting report", EXTRA["stage1_extended_to"]: "24/03/2025"}
    values, errors = parse_row(row)
    assert errors == []
    assert values["stage1_extension"] is True
    assert values["stage1_extension_reason"] == "awaiting report"
    assert values["stage1_extended_to"] == date(2025, 3, 24)


def test_parse_row_accepts_the_same_new_date_twice():
    row = {
        COL[21]: "Yes - awaiting survey (new date 24/03/2025)",
        EXTRA["stage2_extended_to"]: datetime(2025, 3, 24),
    }
    values, errors = parse_row(row)
    assert errors == []
    assert values["stage2_extended_to"] == date(2025, 3, 24)


def test_parse_row_refuses_two_different_new_dates():
    row = {
        COL[12]: "Yes - awaiting report (new date 24/03/2025)",
        EXTRA["stage1_extended_to"]: "25/03/2025",
    }
    values, errors = parse_row(row)
    assert errors == [
        (
            "Stage 1 extended to",
            "25/03/2025",
            "says 25/03/2025 but 'Response extension required & why?' says 24/03/2025",
        )
    ]
    assert values["stage1_extended_to"] == date(2025, 3, 24)


def test_parse_row_review_type_from_details_and_its_own_column():
    values, errors = parse_row(
        {COL[18]: "Compensation review - wants £500", EXTRA["review_type"]: "Compensation"}
    )
    assert errors == []
    assert values["review_type"] == "compensation"

    values, errors = parse_row({COL[18]: "Unhappy with outcome", EXTRA["review_type"]: "Manager"})
    assert errors == []
    assert values["review_type"] == "manager"

    _, errors = parse_row({COL[18]: "Manager review", EXTRA["review_type"]: "Compensation"})
    assert errors == [
        (
            "Review type",
            "Compensation",
            "says compensation but 'Stage 2 escalation details' says manager",
        )
    ]


def test_import_path_with_openpyxl_cells():
    """Headers and cells as openpyxl really returns them from a saved workbook."""
    openpyxl = pytest.importorskip("openpyxl")
    import io

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Spruce Homes - Complaints Log"])
    sheet.append([*HEADERS, "Channel", "Yardi ref"])
    data = [None] * 26
    data[0] = "SPRUCE007"
    data[1] = "Closed"
    data[2] = "Stage 2"
    data[6] = datetime(2025, 2, 3, 10, 30)
    data[7] = 45694
    data[9] = True
    data[14] = 50.5
    data[15] = "Yes"
    data[16] = "3 March 2025"
    data[17] = "Manager Review - still damp"
    data[20] = "Yes - awaiting survey (new date 14/04/2025)"
    data[23] = 2025
    data[24] = "Phone"
    data[25] = "T0001234"
    sheet.append(data)
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    rows = list(openpyxl.load_workbook(buffer).active.iter_rows(values_only=True))

    from complaints_cli.files.headers import find_header_row

    index, match = find_header_row(rows)
    assert index == 1
    values, errors = parse_row(match.cells(rows[2]))
    assert errors == []
    assert values["reference"] == "SPRUCE007"
    assert values["received"] == FEB_3
    assert values["acknowledged"] == date(2025, 2, 6)
    assert values["ack_met"] is True
    assert values["compensation_amount"] == Decimal("50.50")
    assert values["escalated"] is True
    assert values["escalation_received"] == date(2025, 3, 3)
    assert values["review_type"] == "manager"
    assert values["stage2_extended_to"] == date(2025, 4, 14)
    assert values["learning"] == "2025"
    assert values["channel"] == "phone"
    assert match.unknown_cells(rows[2]) == [("Yardi ref", "T0001234")]


def test_header_match_cells_feed_parse_row():
    match = match_headers(["Ref", "Date received", "Stage 2 handler"])
    values, errors = parse_row(match.cells(["spruce 002", "03/02/2025"]))
    assert errors == []
    assert values == {"reference": "SPRUCE002", "received": FEB_3, "stage2_handler": None}
