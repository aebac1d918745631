"""The EMT workbook opens in LibreOffice: rendered headless to HTML, every sheet and both trend
charts (as images), with the summary's headers and figures in the rendered text."""

from __future__ import annotations

import html
import re
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import pytest

from tests.report_log import backdate_learning, build


@pytest.mark.skipif(
    shutil.which("soffice") is None,
    reason="LibreOffice (soffice) is not installed: apt-get install libreoffice-calc",
)
def test_libreoffice_renders_the_emt_workbook(
    cli: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    build(cli, monkeypatch)
    backdate_learning(f"sqlite:///{tmp_path / 'log.db'}")
    book = tmp_path / "emt.xlsx"
    result = cli("report", "emt", "--month", "2025-05", "--output", str(book))
    assert result.exit_code == 0, result.output
    out = tmp_path / "lo"
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [
                "soffice",
                f"-env:UserInstallation=file://{profile}",
                "--headless",
                "--convert-to",
                "html",
                "--outdir",
                str(out),
                str(book),
            ],
            check=True,
            capture_output=True,
            timeout=180,
        )
    page = (out / "emt.html").read_text(encoding="utf-8", errors="replace")
    text = html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page)))
    for expected in (
        "EMT complaints performance report: May 2025",
        "Judged against: spruce (Spruce Homes complaints procedure)",
        "Section Figure Value Number Numerator Denominator Note Cases",
        "Complaints received (Stage 1) 5 5",
        "Acknowledged within the timeframe (3 working days) 2 of 3 (66.7%) 66.7 2 3",
        "Stage 1 responses on time (within the timeframe or an extension) 3 of 4 (75.0%)",
        "Compensation paid £75.50 (2 payments)",
        "Cases overdue at 31/05/2025 1 1",
        "May 2025 5 1 4 0 1 6 66.7 75.0",  # the trend sheet's last month
        "SPRUCE005",
        "=Book contractors by text",  # shown as text, never run as a formula
    ):
        assert expected in text, expected
    assert "Err:" not in text and "#NAME" not in text and "#VALUE" not in text
    # LibreOffice renders each chart as an image beside the page: both trend charts drew.
    charts = sorted(p for p in out.glob("emt_html_*") if p.suffix in (".png", ".gif", ".jpg"))
    assert len(charts) == 2 and all(c.stat().st_size > 1000 for c in charts)
