"""Folder names (files/folders.py): each rule's boundary, exact names.

A name is ``<address> – <reference>``, at most 120 UTF-16 units (as Windows counts), cut at a
word where one is in the second half, never holding a character Windows refuses.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from complaints_cli.files.folders import (
    clean_address,
    folder_name,
    is_reserved,
    name_limit,
    split_folder_name,
)

NO_LOG = True  # pure: no log (tests/conftest.py, needs_log)

REF = "SPRUCE001"
ROOM = 120 - 3 - len(REF)  # 108 units for the address


@pytest.mark.parametrize(
    ("address", "expected"),
    [
        ("1\x07Essex\x1fBrewery", "1 Essex Brewery"),  # control characters
        ("1\tEssex\u2028Brewery\u00a0Rd", "1 Essex Brewery Rd"),  # control, line, space
        # Invisible format characters (soft hyphen, zero-width space, word joiner, byte order
        # mark) show nothing, so they are dropped, never a space (the fresh-user trial:
        # "12 Hamp stead Road").
        ("12 Hamp\u00adstead\u200b Road\u2060\ufeff", "12 Hampstead Road"),
        ("Es\u200bsex", "Essex"),
        ("a|b", "a-b"),
        (" -.1 Essex Brewery.- ", "1 Essex Brewery"),
        ("..-Windows", "Windows"),
        ("Xylophone Box", "Xylophone Box"),
        ("?*", ""),
    ],
)
def test_clean_address(address: str, expected: str) -> None:
    assert clean_address(address) == expected


@pytest.mark.parametrize(
    ("name", "reserved"),
    [
        ("CON", True),
        ("nul.txt", True),
        ("con.tar.gz", True),
        ("LPT1 .log", True),
        ("COM¹", True),
        ("CONIN$", True),
        ("CON – SPRUCE001", False),
        ("CONSOLE", False),
        ("COM0", False),
        ("x.CON", False),
    ],
)
def test_is_reserved(name: str, reserved: bool) -> None:
    assert is_reserved(name) is reserved


def test_an_address_that_just_fits_is_kept_whole() -> None:
    fits = "A" * ROOM
    assert folder_name(fits, REF) == f"{fits} – {REF}"
    over = "A" * (ROOM + 1)
    assert folder_name(over, REF) == f"{'A' * (ROOM - 1)}… – {REF}"
    # UTF-16: an emoji is two units, so 54 of them fill 108 and 55 do not.
    house = "\U0001f3e0"
    assert folder_name(house * 54, REF) == f"{house * 54} – {REF}"
    assert folder_name(house * 55, REF) == f"{house * 53}… – {REF}"


def test_cut_at_the_last_word_in_the_second_half() -> None:
    words = "Flat 1 " + "B" * 50 + " " + "C" * 60
    # Cut to 107 units, back to the last space (at 57, past half of 108), then the ellipsis.
    assert folder_name(words, REF) == f"Flat 1 {'B' * 50}… – {REF}"
    half = "A" * 54 + " " + "B" * 60  # the space at 54: exactly half of 108, still a word cut
    assert folder_name(half, REF) == f"{'A' * 54}… – {REF}"
    early = "A" * 40 + " " + "B" * 80  # the space at 40: too early, cut inside the word
    assert folder_name(early, REF) == f"{'A' * 40} {'B' * 66}… – {REF}"


def test_the_halfway_point_of_an_odd_limit() -> None:
    ref = "SPRUCE1000"  # 107 units of room: half is 53
    assert folder_name("A" * 53 + " " + "B" * 60, ref) == f"{'A' * 53}… – {ref}"


def test_punctuation_before_the_ellipsis_is_dropped() -> None:
    comma = "A" * 60 + ", " + "B" * 60
    assert folder_name(comma, REF) == f"{'A' * 60}… – {REF}"
    dots = "A" * 60 + ".- " + "B" * 60
    assert folder_name(dots, REF) == f"{'A' * 60}… – {REF}"
    ends_x = "A" * 59 + "X " + "B" * 60
    assert folder_name(ends_x, REF) == f"{'A' * 59}X… – {REF}"


def test_the_smallest_room_for_an_address() -> None:
    # 8 units of room: the address is cut; 7: the reference alone.
    assert folder_name("1 Essex Brewery", REF, limit=20) == f"1 Essex… – {REF}"
    assert folder_name("1 Essex Brewery", REF, limit=19) == REF


def test_name_limit() -> None:
    assert name_limit(Path("/c")) == 120
    # 259 - 100 - 1 (the separator) - 60 (room for the files) = 98.
    assert name_limit(Path("/" + "r" * 99)) == 98
    assert name_limit(Path("/" + "r" * 77)) == 120
    assert name_limit(Path("/" + "r" * 78)) == 119


@pytest.mark.parametrize(
    ("name", "parts"),
    [
        ("1 Essex Brewery – SPRUCE001", ("1 Essex Brewery", "SPRUCE001")),
        ("1 Essex – Brewery – SPRUCE001", ("1 Essex – Brewery", "SPRUCE001")),
        ("a - b - spruce3", ("a - b", "SPRUCE003")),
        (" 1 Essex  –  spruce041 ", ("1 Essex", "SPRUCE041")),
        ("spruce001", ("", "SPRUCE001")),
        (" SPRUCE1000 ", ("", "SPRUCE1000")),
        ("x – ABC", None),
        ("x – SPRUCE-001", None),
        ("x – SPRUCE001 copy", None),
        ("hello", None),
        ("spruce-001", None),
        ("SPRUCE 001", None),
        ("Copy of notes", None),
    ],
)
def test_split_folder_name(name: str, parts: tuple[str, str] | None) -> None:
    assert split_folder_name(name) == parts
