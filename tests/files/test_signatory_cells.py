"""The ``Petition signatories`` cell (files/signatory_cells.py): written and read back exactly,
and refused with the signatory at fault and how to write it."""

from __future__ import annotations

from datetime import date

import pytest

from complaints_cli.domain.case import Signatory
from complaints_cli.domain.presentation import format_signatories
from complaints_cli.files.signatory_cells import SignatoryError, parse_signatories

ANN = Signatory("Ann Lee", "1 Essex Brewery", True, date(2025, 2, 3))


@pytest.mark.parametrize(
    "address",
    [
        "Flat 3 | Block B",
        "C:\\odd\\",
        "Flat 3\\|x",
        "Flat 3\n1 Essex Brewery",
        "Flat 3\nadded 01/01/2025\nlead",
        "Flat 3 | added 03/02/2025 | lead\nE17",
    ],
)
def test_any_address_reads_back(address: str) -> None:
    people = (ANN, Signatory("Raj Singh", address, False, date(2025, 2, 10)))
    text = format_signatories(people)
    assert text is not None
    assert parse_signatories(text) == people


def test_the_written_form() -> None:
    people = (ANN, Signatory("Raj Singh", "Flat 3 | B\\C", False, date(2025, 2, 10)))
    assert format_signatories(people) == (
        "Ann Lee | 1 Essex Brewery | added 03/02/2025 | lead\n"
        "Raj Singh | Flat 3 \\| B\\\\C | added 10/02/2025"
    )
    assert format_signatories([]) is None


def test_hand_typed_cells_are_read_as_the_commands_read_them() -> None:
    # Any spacing, any case of "added"/"lead", the date in any form the one date grammar reads;
    # the lead petitioner is listed first whatever the cell's order.
    cell = (
        "Raj   Singh|Flat 3|ADDED 10 Feb 2025\r\nAnn Lee | 1 Essex Brewery | added 3/2/2025 | Lead"
    )
    assert parse_signatories(cell) == (
        ANN,
        Signatory("Raj Singh", "Flat 3", False, date(2025, 2, 10)),
    )


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ("Ann Lee | 1 Essex Brewery", "signatory 1 ('Ann Lee | 1 Essex Brewery') has too few"),
        ("Ann Lee | 1 Essex Brewery | 03/02/2025", "has no 'added dd/mm/yyyy' after its address"),
        ("Ann | 1 Road | added 03/02/2025 | chair", "more parts than name, address, date and lead"),
        (
            " | 1 Road | added 03/02/2025",
            "signatory 1 (' | 1 Road | added 03/02/2025'): the name is required",
        ),
        ("Ann | 1 Road | added 31/02/2025", "the date added '31/02/2025' is not a real date"),
        (
            "Ann | 1 Road | added 03/02/2025 | lead\nRaj | 2 Road | added 03/02/2025 | lead",
            "signatories 1 and 2 are both marked lead",
        ),
        (
            "Ann Lee | 1 Road | added 03/02/2025\nANN  LEE | 1  road | added 04/02/2025",
            "signatories 1 and 2 are the same person (ANN LEE at 1  road): each signs once",
        ),
        ("Ann | 1 Road\x0b | added 03/02/2025", "holds a control character (U+000B"),
    ],
)
def test_refusals_name_the_signatory_and_the_fix(cell: str, message: str) -> None:
    with pytest.raises(SignatoryError) as caught:
        parse_signatories(cell)
    assert message in str(caught.value)
