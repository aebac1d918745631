"""The reports as LibreOffice opens and prints them (issue 13, items 8 and 9).

* The EMT workbook printed to PDF (headless LibreOffice Calc): the summary on one A4 landscape
  page, the whole workbook in :data:`EMT_PAGES` pages (stated in the README, "Output"), every
  page with the report's title and sheet in its header and "Page N of M" in its footer, every
  page of the case lists with their header row; the trend's two charts render.
* The annual report's Word document opens in LibreOffice Writer and prints.

Skipped, saying why, where LibreOffice (Calc, or Writer for the document) is not installed.
"""

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

needs_soffice = pytest.mark.skipif(
    shutil.which("soffice") is None or shutil.which("pdftotext") is None,
    reason="LibreOffice (soffice) or poppler-utils (pdftotext) is not installed: "
    "apt-get install libreoffice-calc libreoffice-writer poppler-utils",
)

#: The EMT workbook of tests/report_log.py's log, printed: Summary 1, Trend 1, Outcomes and
#: categories 1, Cases 3, How counted 1.
EMT_PAGES = 7
TITLE = "EMT complaints performance report: May 2025"


def convert(source: Path, to: str, out: Path) -> Path:
    """``source`` converted by headless LibreOffice; the converted file (it must exist)."""
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [
                "soffice",
                f"-env:UserInstallation=file://{profile}",
                "--headless",
                "--convert-to",
                to,
                "--outdir",
                str(out),
                str(source),
            ],
            check=True,
            capture_output=True,
            timeout=180,
        )
    return out / f"{source.stem}.{to}"


def pdf_pages(pdf: Path) -> list[str]:
    """Each page's text, as pdftotext lays it out."""
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    return [" ".join(page.split()) for page in text.split("\f")[:-1]]


@pytest.fixture
def emt_book(cli: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    build(cli, monkeypatch)
    backdate_learning(f"sqlite:///{tmp_path / 'log.db'}")
    book = tmp_path / "emt.xlsx"
    result = cli("report", "emt", "--month", "2025-05", "--output", str(book))
    assert result.exit_code == 0, result.output
    return book


@needs_soffice
def test_the_emt_workbook_prints_in_a_few_pages_each_with_its_header(
    emt_book: Path, tmp_path: Path
) -> None:
    pdf = convert(emt_book, "pdf", tmp_path / "pdf")
    pages = pdf_pages(pdf)
    assert len(pages) == EMT_PAGES
    for n, page in enumerate(pages, start=1):
        assert page.startswith(TITLE), n  # the page header: the title, then the sheet
        assert page.endswith(f"Page {n} of {EMT_PAGES}"), n
    sheets = [page[len(TITLE) :].split()[0] for page in pages]
    assert sheets == ["Summary", "Trend", "Outcomes", "Cases", "Cases", "Cases", "How"]
    summary = pages[0]  # the whole summary on page 1, as a readable table
    for expected in (
        "Figure This month Last month 12-month average Target RAG Cases",
        "Activity in the month",
        "Complaints received (Stage 1) 5 1 0.6 5 case(s)",
        "Acknowledged within the timeframe (3 working days) 2 of 3 (66.7%) 1 of 1 (100.0%) "
        "4 of 5 (80.0%) 100% Red",
        "Compliments received 1 0 0.1",  # the last figure: nothing ran onto a second page
    ):
        assert expected in summary, expected
    for page in pages[3:6]:  # the case lists: their header row on every page
        assert "Reference Received What Date Deadline Counted Result Why" in page
    assert "=Book contractors by text" in " ".join(pages)  # text, never run as a formula
    assert not any(bad in " ".join(pages) for bad in ("Err:", "#NAME", "#VALUE"))


@needs_soffice
def test_libreoffice_renders_the_trend_charts(emt_book: Path, tmp_path: Path) -> None:
    """Rendered to HTML, LibreOffice draws each chart as an image beside the page."""
    out = tmp_path / "lo"
    page = convert(emt_book, "html", out).read_text(encoding="utf-8", errors="replace")
    text = html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page)))
    assert "May 2025 5 1 4 0 1 6 66.7 75.0" in text  # the trend sheet's last month
    charts = sorted(p for p in out.glob("emt_html_*") if p.suffix in (".png", ".gif", ".jpg"))
    assert len(charts) == 2 and all(c.stat().st_size > 1000 for c in charts)


def writer_installed() -> bool:
    program = Path(shutil.which("soffice") or "/nonexistent").resolve().parent
    return any(program.glob("libswlo.so*")) or any(program.glob("swriter*"))


@pytest.mark.skipif(
    shutil.which("soffice") is None or not writer_installed() or shutil.which("pdftotext") is None,
    reason="LibreOffice Writer is not installed: apt-get install libreoffice-writer",
)
def test_the_annual_document_opens_in_libreoffice_writer(
    cli: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    build(cli, monkeypatch)
    backdate_learning(f"sqlite:///{tmp_path / 'log.db'}")
    document = tmp_path / "annual.docx"
    period = ("--from", "01/03/2025", "--to", "31/05/2025", "--homes", "1000")
    result = cli("report", "annual", *period, "--docx", str(document))
    assert result.exit_code == 0, result.output
    pages = pdf_pages(convert(document, "pdf", tmp_path / "pdf"))
    text = " ".join(pages)
    assert len(pages) >= 3
    assert "Annual complaints performance and service improvement report" in text
    # Table cells wrap in print, so their words interleave with their neighbours': check the
    # values (the tables themselves are compared with the JSON in test_report_document.py).
    for value in ("5 of 5 (100.0%)", "3 of 5 (60.0%)", "4 of 5 (80.0%)", "SPRUCE004"):
        assert value in text, value
    assert "The governing body's response" in text
