"""The reference grammar (domain/references.py) and amounts (money.py) at their boundaries."""

from __future__ import annotations

import pytest

from complaints_cli.domain.money import parse_amount
from complaints_cli.domain.references import (
    MAX_NUMBER,
    check_prefix,
    highest_number,
    highest_numbers,
    normalise_reference,
    not_found,
    number_after,
    parse_reference,
    split_reference,
    suggest,
)
from complaints_cli.errors import ComplaintsError


def test_number_after() -> None:
    assert number_after("SPRUCE", "SPRUCE041") == 41
    assert number_after("SPRUCE", "SPRUCEABC") is None
    assert number_after("SPRUCE", "SPRUCE") is None
    assert number_after("SPRUCE", "SPRUCE\u0663\u0663\u0663") is None  # Arabic-Indic digits
    assert number_after("HA2", "HA2001") == 1
    assert number_after("HA", "HA2001") == 2001
    assert number_after("SPRUCE", "XSPRUCE001") is None


def test_a_known_prefix_is_read_first_longest_first() -> None:
    assert split_reference("ha21", ["HA2"]) == ("HA2", 1)
    assert split_reference("ha21") == ("HA", 21)
    assert split_reference("HA2001", ["HA", "HA2"]) == ("HA2", 1)
    assert split_reference("HA2-001") == ("HA2", 1)
    assert split_reference("spruce 7") == ("SPRUCE", 7)
    assert split_reference("7") is None


def test_normalise_reference() -> None:
    assert normalise_reference("ha21", ["HA2"]) == "HA2001"
    assert normalise_reference("ha21") == "HA021"
    assert normalise_reference(" Spruce-007 ") == "SPRUCE007"
    assert normalise_reference(" hello ") == "HELLO"
    assert normalise_reference(f"spruce {MAX_NUMBER}") == f"SPRUCE{MAX_NUMBER}"
    # One past the largest number: kept as typed (upper-cased), to be reported as not found.
    assert normalise_reference(f"spruce {MAX_NUMBER + 1}") == f"SPRUCE {MAX_NUMBER + 1}"


def test_parse_reference_refusals() -> None:
    cases = {
        "SPRUCE": "'SPRUCE' is not a reference: write a prefix and at least three digits, "
        "e.g. SPRUCE001",
        "SH-2025-001": "'SH-2025-001' is not a reference: write a prefix and at least three "
        "digits, e.g. SPRUCE001",
        "spruce01": "'spruce01' has fewer than three digits: write it as the log numbers it, "
        "e.g. SPRUCE001",
        f"SPRUCE{MAX_NUMBER + 1}": f"'SPRUCE{MAX_NUMBER + 1}' has a number too large for a "
        "reference",
    }
    for text, message in cases.items():
        with pytest.raises(ComplaintsError) as err:
            parse_reference(text)
        assert str(err.value) == message
    assert parse_reference("spruce 001") == "SPRUCE001"
    assert parse_reference(f"SPRUCE{MAX_NUMBER}") == f"SPRUCE{MAX_NUMBER}"
    assert parse_reference("HA2001", ["HA2"]) == "HA2001"


def test_highest_numbers() -> None:
    refs = ["SPRUCE005", "SPRUCE003", "HA2001", "SPRUCE000", "OTHER900"]
    assert highest_numbers(["SPRUCE", "HA", "HA2", "NONE"], refs) == {
        "SPRUCE": 5,
        "HA": 2001,
        "HA2": 1,
    }
    assert highest_numbers(["SPRUCE"], ["SPRUCE000"]) == {"SPRUCE": 0}
    assert highest_numbers(["SPRUCE"], [f"SPRUCE{MAX_NUMBER + 1}", "SPRUCE002"]) == {"SPRUCE": 2}
    assert highest_numbers(["SPRUCE"], [f"SPRUCE{MAX_NUMBER}"]) == {"SPRUCE": MAX_NUMBER}
    assert highest_number("SPRUCE", refs) == 5
    assert highest_number("SPRUCE", ["OTHER001"]) == 0


def test_check_prefix() -> None:
    assert check_prefix(" spruce ", "config") == "SPRUCE"
    assert check_prefix("A" * 12, "config") == "A" * 12
    with pytest.raises(ComplaintsError) as err:
        check_prefix("A" * 13, "the config file")
    assert str(err.value) == (
        f"reference prefix {'A' * 13!r} (from the config file) must be 1-12 letters or digits "
        "starting with a letter, e.g. SPRUCE"
    )


def test_not_found_suggests_the_nearest() -> None:
    err = not_found("spruce 42", ["SPRUCE041", "SPRUCE420", "HA001"])
    assert str(err) == "no complaint with reference 'spruce 42'; did you mean SPRUCE420, SPRUCE041?"
    assert str(not_found("x", ["SPRUCE041"])) == "no complaint with reference 'x'"


def test_a_bare_number_suggests_that_number_under_each_prefix() -> None:
    """The fresh-user trial: ``show 1`` suggested nothing."""
    known = ["SPRUCE001", "SPRUCE010", "HA2001", "HA2002"]
    prefixes = ["SPRUCE", "HA2"]
    assert str(not_found("1", known, prefixes=prefixes)) == (
        "no complaint with reference '1'; did you mean HA2001, SPRUCE001?"
    )
    assert str(not_found(" 10 ", known, prefixes=prefixes)) == (
        "no complaint with reference ' 10 '; did you mean SPRUCE010?"
    )
    assert str(not_found("7", known, prefixes=prefixes)) == "no complaint with reference '7'"


def test_a_void_case_is_marked_when_read_and_never_suggested_for_a_change() -> None:
    """The fresh-user trial: ``acknowledge SPRUCE003`` suggested the void SPRUCE002 first."""
    known, void = ["SPRUCE001", "SPRUCE002"], ["SPRUCE002"]
    assert str(not_found("SPRUCE003", known, void=void, prefixes=["SPRUCE"])) == (
        "no complaint with reference 'SPRUCE003'; did you mean SPRUCE002 (void), SPRUCE001?"
    )
    assert str(not_found("SPRUCE003", known, void=void, writing=True)) == (
        "no complaint with reference 'SPRUCE003'; did you mean SPRUCE001?"
    )
    only_void = not_found("2", known, void=void, prefixes=["SPRUCE"], writing=True)
    assert str(only_void) == "no complaint with reference '2'"


def test_suggest_at_most_limit() -> None:
    known = ["SPRUCE041", "SPRUCE042", "SPRUCE043", "SPRUCE044", "SPRUCE045"]
    # Equally close: difflib lists the later ones first.
    assert suggest("spruce040", known) == ["SPRUCE045", "SPRUCE044", "SPRUCE043"]
    assert suggest("spruce040", known, limit=1) == ["SPRUCE045"]
    assert suggest("spruce040", ["HA001"]) == []


def test_amount_messages_name_compensation_by_default() -> None:
    with pytest.raises(ComplaintsError) as err:
        parse_amount("1e3")
    assert str(err.value) == (
        "compensation '1e3' is not an amount in pounds and pence, e.g. 250 or £1,250.00"
    )
    with pytest.raises(ComplaintsError) as err:
        parse_amount("-5", "--stage2-compensation")
    assert str(err.value).startswith("--stage2-compensation '-5' is not an amount")
    with pytest.raises(ComplaintsError) as err:
        parse_amount("1,000,000.01")
    assert str(err.value) == "compensation '1,000,000.01' is more than £1,000,000: check the amount"
    assert str(parse_amount("£1,000,000")) == "1000000.00"
    assert str(parse_amount("0001000000.00")) == "1000000.00"


def test_from_pence() -> None:
    from decimal import Decimal

    from complaints_cli.domain.money import from_pence, to_pence

    assert str(from_pence(123456)) == "1234.56"
    assert str(from_pence(5)) == "0.05"
    assert str(from_pence(0)) == "0.00"
    assert to_pence(from_pence(100000000)) == 100000000
    assert from_pence(1) == Decimal("0.01")


def test_parse_reference_reads_with_the_known_prefix() -> None:
    for prefixes, example in ((["HA2"], "HA2001"), ([], "HA021")):
        with pytest.raises(ComplaintsError) as err:
            parse_reference("ha21", prefixes)
        assert str(err.value) == (
            f"'ha21' has fewer than three digits: write it as the log numbers it, e.g. {example}"
        )
