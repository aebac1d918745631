"""Folder names must be valid on Windows, inside the root, and short enough for its paths."""

import re
import unicodedata
from pathlib import Path

import pytest

from complaints_cli.domain.case_folders import CaseClaim
from complaints_cli.errors import ComplaintsError
from complaints_cli.files.folders import (
    MAX_NAME,
    find_claimed,
    folder_name,
    make_case_folder,
)

LOG = "0123456789abcdef0123456789abcdef"


def claim(reference: str, created: str = "2025-02-03T10:00:00.000000+00:00") -> CaseClaim:
    return CaseClaim(LOG, reference, created)


def ensure_case_folder(root: Path, address: str, reference: str) -> tuple[Path, bool]:
    folder, created, _notes = make_case_folder(root, address, claim(reference))
    return folder, created


WINDOWS_FORBIDDEN = re.compile(r'[<>:"/\\|?*\x00-\x1f]')
RESERVED = {
    "CON",
    "PRN",
    "AUX",
    "NUL",
    *(f"COM{i}" for i in range(1, 10)),
    *(f"LPT{i}" for i in range(1, 10)),
}


def assert_valid_windows_name(name: str) -> None:
    assert name, "empty name"
    assert not WINDOWS_FORBIDDEN.search(name), name
    assert not name.endswith((".", " ")), name
    assert name.split(".", 1)[0].strip().upper() not in RESERVED, name
    assert name not in (".", "..")
    assert len(name.encode("utf-16-le")) // 2 <= 255
    assert unicodedata.is_normalized("NFC", name)


@pytest.mark.parametrize(
    ("address", "expected"),
    [
        ("1 Essex Brewery", "1 Essex Brewery – SPRUCE001"),
        ("../../Windows", "Windows – SPRUCE001"),
        ("a/b\\c:d", "a-b-c-d – SPRUCE001"),
        ("Flat 3.", "Flat 3 – SPRUCE001"),
        ("CON", "CON – SPRUCE001"),  # not a device name once the reference follows
        ("CON.txt", "_CON.txt – SPRUCE001"),  # would be the device CON on Windows
        ("", "SPRUCE001"),
        ("   ", "SPRUCE001"),
        ('Flat 2 "The Maltings" <rear>?*', "Flat 2 'The Maltings' (rear) – SPRUCE001"),
        ("12 High St\r\nLondon\tE1", "12 High St London E1 – SPRUCE001"),
    ],
)
def test_folder_names(address: str, expected: str) -> None:
    name = folder_name(address, "SPRUCE001")
    assert name == expected
    assert_valid_windows_name(name)


def test_decomposed_unicode_is_composed() -> None:
    decomposed = "Cafe\u0301 Terrace, Ro\u0308ntgenstrasse"
    name = folder_name(decomposed, "SPRUCE001")
    assert name == "Café Terrace, Röntgenstrasse – SPRUCE001"
    assert "\u0301" not in name
    assert_valid_windows_name(name)


def test_long_address_is_cut_at_a_word_and_keeps_the_reference() -> None:
    address = " ".join(["Flat 12, The Old Brewery Buildings, Long Lane"] * 7)  # ~330 chars
    assert len(address) > 300
    name = folder_name(address, "SPRUCE1234")
    assert name.endswith(" – SPRUCE1234")
    assert len(name) <= MAX_NAME
    assert name.startswith("Flat 12, The Old Brewery")
    assert "…" in name
    assert_valid_windows_name(name)


def test_300_character_word_is_cut() -> None:
    name = folder_name("x" * 300, "SPRUCE001")
    assert len(name) == MAX_NAME
    assert_valid_windows_name(name)


def test_folder_is_always_directly_inside_the_root(tmp_path: Path) -> None:
    root = tmp_path / "Complaints"
    for i, address in enumerate(["../../Windows", "..", "/etc/passwd", "C:\\Windows", "a/../b"]):
        folder, created = ensure_case_folder(root, address, f"SPRUCE{i:03d}")
        assert created
        assert folder.parent == root
        assert folder.resolve().parent == root.resolve()
        assert folder.is_dir()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["Complaints", "home", "log.db"]


def test_a_folder_is_the_cases_by_its_marker_never_by_its_name(tmp_path: Path) -> None:
    root = tmp_path / "Complaints"
    (root / "1Essex Brewery - SPRUCE007").mkdir(parents=True)  # made by hand, hyphen
    folder, created, notes = make_case_folder(root, "1 Essex Brewery", claim("SPRUCE007"))
    assert created
    assert folder.name == "1 Essex Brewery – SPRUCE007"
    assert notes == [
        "'1Essex Brewery - SPRUCE007' also ends in SPRUCE007 but is not this case's folder "
        "(no marker of this log and case in it): it was left as it is; complaints folders "
        "--check lists it"
    ]
    assert find_claimed(root, claim("SPRUCE007")) == folder
    # Found again by its marker, whatever it is renamed to; a similar reference is not it.
    folder.rename(root / "Renamed by hand - spruce007")
    (root / "x – SPRUCE0071").mkdir()
    assert find_claimed(root, claim("SPRUCE007")) == root / "Renamed by hand - spruce007"
    again, created, _ = make_case_folder(root, "1 Essex Brewery", claim("SPRUCE007"))
    assert (again, created) == (root / "Renamed by hand - spruce007", False)
    # Another case under the same reference (a log restored from a backup) is not it.
    other = claim("SPRUCE007", "2025-03-01T09:00:00.000000+00:00")
    assert find_claimed(root, other) is None
    (root / "9 Old Road – SPRUCE007").mkdir()  # an orphan of the same name: never reused
    with pytest.raises(ComplaintsError, match=r"is already under .* and is not SPRUCE007's"):
        make_case_folder(root, "9 Old Road", other)
    assert list((root / "9 Old Road – SPRUCE007").iterdir()) == []


def test_root_too_deep_for_windows_is_refused(tmp_path: Path) -> None:
    deep = tmp_path / ("d" * 200)
    with pytest.raises(ComplaintsError, match="too long a path for Windows"):
        ensure_case_folder(deep, "1 Essex Brewery", "SPRUCE001")


def test_name_shrinks_with_a_deep_root(tmp_path: Path) -> None:
    root = tmp_path / ("d" * 120)
    folder, _ = ensure_case_folder(
        root, "Flat 12, The Old Brewery Buildings, Long Lane", "SPRUCE001"
    )
    assert folder.name.endswith("SPRUCE001")
    assert len(str(folder)) <= 259 - 60
