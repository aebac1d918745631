"""Bank holidays kept in the user's cache folder: read back, never trusted blindly."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from complaints_cli.files.holiday_cache import cached_holidays, holidays_version


def cache_file(tmp_path: Path) -> Path:
    return tmp_path / "home" / ".cache" / "complaints" / "holidays-ENG.json"


def test_holidays_are_cached_and_a_corrupt_cache_is_ignored(tmp_path: Path) -> None:
    first = cached_holidays("ENG", 2025, 2026)
    assert first[date(2025, 12, 25)] == "Christmas Day"
    assert first[date(2026, 12, 28)] == "Boxing Day (substitute day)"
    cache = cache_file(tmp_path)
    data = json.loads(cache.read_text())
    assert data["version"] == holidays_version()
    assert data["years"]["2026"]["2026-12-28"] == "Boxing Day (substitute day)"
    cache.write_text("{not json")
    assert cached_holidays("ENG", 2025, 2026) == first
    assert json.loads(cache.read_text())["years"]["2025"]["2025-12-25"] == "Christmas Day"


def test_a_cache_from_another_package_version_is_not_used(tmp_path: Path) -> None:
    cached_holidays("ENG", 2025, 2025)
    cache = cache_file(tmp_path)
    data = json.loads(cache.read_text())
    data["version"] = "0.1"
    data["years"]["2025"]["2025-12-25"] = "Not Christmas"
    cache.write_text(json.dumps(data))
    assert cached_holidays("ENG", 2025, 2025)[date(2025, 12, 25)] == "Christmas Day"


def test_missing_years_are_added_to_the_kept_ones(tmp_path: Path) -> None:
    cached_holidays("ENG", 2025, 2025)
    later = cached_holidays("ENG", 2030, 2031)
    assert later[date(2030, 12, 25)] == "Christmas Day"
    years = json.loads(cache_file(tmp_path).read_text())["years"]
    assert {"2025", "2030", "2031"} <= set(years)


def test_an_unusable_cache_folder_falls_back_to_the_temporary_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A file where the cache folder should be: no folder can be made there (even by root).
    blocked = cache_file(tmp_path).parent
    blocked.parent.mkdir(parents=True)
    blocked.write_text("not a folder")
    monkeypatch.setenv("TMPDIR", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", None)  # re-read TMPDIR
    assert cached_holidays("ENG", 2025, 2025)[date(2025, 12, 25)] == "Christmas Day"
    (kept,) = (tmp_path / "tmp").glob("complaints-*-cache/holidays-ENG.json")
    assert json.loads(kept.read_text())["years"]["2025"]["2025-12-25"] == "Christmas Day"


def test_a_kept_year_is_read_without_importing_the_package(tmp_path: Path) -> None:
    """The point of the cache: a command that counts working days does not pay for holidays."""
    cached_holidays("ENG", 2024, 2028)
    code = (
        "import sys\n"
        "from complaints_cli.files.holiday_cache import cached_holidays\n"
        "found = cached_holidays('ENG', 2025, 2026)\n"
        "print(len(found), 'holidays' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=dict(os.environ)
    ).stdout.split()
    assert out == [str(len(cached_holidays("ENG", 2025, 2026))), "False"]


def test_a_far_year_is_answered_but_not_kept(tmp_path: Path) -> None:
    """Every command reads the file: a date once asked about a century away (a typo'd year)
    must not make it grow for good (years beyond 50 either side of this one are not kept)."""
    now = date.today().year
    far = cached_holidays("ENG", 1880, 1881)
    assert far[date(1881, 12, 25)] == "Christmas Day"
    years = {int(y) for y in json.loads(cache_file(tmp_path).read_text())["years"]}
    assert now in years
    assert all(abs(y - now) <= 50 for y in years)
    assert cached_holidays("ENG", 1881, 1881) == {d: n for d, n in far.items() if d.year == 1881}


def test_a_kept_year_that_is_not_dates_is_worked_out_again(tmp_path: Path) -> None:
    """Dates are parsed only for the years asked for; a corrupt one is never trusted."""
    good = cached_holidays("ENG", 2025, 2026)
    cache = cache_file(tmp_path)
    data = json.loads(cache.read_text())
    data["years"]["2026"] = {"25/12/2026": "Christmas Day"}
    cache.write_text(json.dumps(data))
    assert cached_holidays("ENG", 2025, 2025) == {
        d: n for d, n in good.items() if d.year == 2025
    }  # the year asked for is sound
    assert cached_holidays("ENG", 2025, 2026) == good
    assert json.loads(cache.read_text())["years"]["2026"]["2026-12-25"] == "Christmas Day"
    data["years"]["2027"] = ["2027-12-25"]  # not a year's {date: name}: the file is not used
    cache.write_text(json.dumps(data))
    assert cached_holidays("ENG", 2025, 2026) == good


def test_far_years_an_earlier_version_kept_are_dropped_on_the_next_read(tmp_path: Path) -> None:
    good = cached_holidays("ENG", 2025, 2026)
    cache = cache_file(tmp_path)
    data = json.loads(cache.read_text())
    data["years"]["1700"] = {}
    data["years"]["9999"] = {}
    cache.write_text(json.dumps(data))
    assert cached_holidays("ENG", 2025, 2026) == good
    years = set(json.loads(cache.read_text())["years"])
    assert {"2025", "2026"} <= years
    assert not {"1700", "9999"} & years
