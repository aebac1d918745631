"""Where the tests' files are: the repository, the fixtures, the published reference data."""

from __future__ import annotations

from pathlib import Path

#: The repository's top folder.
REPO = Path(__file__).resolve().parents[1]
#: Workbooks made by the programs that make them (``tests/fixtures/build_fixtures.py``).
FIXTURES = REPO / "tests" / "fixtures"
#: Published reference data (GOV.UK bank holidays), copied from the project's shared folder.
DATA = REPO / "tests" / "data"
#: The sample log shipped with the README's quick start.
SAMPLE = REPO / "sample_log.xlsx"


def contents(folder: Path) -> list[Path]:
    """What ``folder`` holds, sorted, without the tool's markers (``.complaints-case``,
    ``.complaints-log``): the files a handler sees in Explorer (markers are hidden there)."""
    from complaints_cli.files.markers import MARKERS

    return sorted(p for p in Path(folder).iterdir() if p.name not in MARKERS)
