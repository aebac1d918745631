"""``complaints report emt``: exact figures from a small hand-computed log, in every format.

The log and the working behind every date are in ``tests/report_log.py``. The May 2025 figures,
counted by hand from it (Spruce profile):

* received in May: SPRUCE001 (01/05), 002 (02/05), 003 (06/05), 005 (14/05), 006 (30/05) = 5;
  escalated: 004 (06/05) = 1; Stage 1 responses: 004 (01/05), 001 (20/05), 002 and 003 (27/05)
  = 4; Stage 2 responses: 0; closed: 001 (30/05) = 1.
* open at 31/05: Stage 1 002, 003, 005, 006 = 4; Stage 2 004 = 1; Ombudsman 007 = 1; 6 in all.
* acknowledged in May: 001 on its deadline day (on time), 002 a day late, 003 the same day:
  2 of 3 (66.7%). Stage 2 acknowledged: 004, a day early: 1 of 1 (100.0%).
* Stage 1 responses in May within the timeframe: 004 and 001 yes, 002 and 003 no: 2 of 4
  (50.0%). Extended ones within the extension: 003 yes (27/05 by 27/05), 002 no (27/05 after
  the promised Mon 26/05, a bank holiday): 1 of 2 (50.0%). On time either way: 3 of 4 (75.0%).
* extended (original deadline in May): 002 (23/05) and 003 (20/05) = 2.
* overdue at 31/05: 005 (contact due 15/05, acknowledgement due 19/05) = 1.
* compensation awarded: £50.00 (001, time and trouble) + £25.50 (003, delay) = £75.50, 2
  payments; none recorded as paid, so compensation paid is £0.00.
* withdrawn, not accepted, Stage 2 escalations refused, marked closed with no closed date: 0.
* answered but still open: 0 (002 and 003 answered at Stage 1 on 27/05: Spruce's 20 working
  days to escalate are not over; 001 is closed; 004 is not answered at Stage 2).
* learning: 004 (imported-style, dated by its last response 01/05) and 001 (history, 20/05) = 2.
* Ombudsman: 007 referred 12/05, evidence requested 14/05, due Thu 05/06: not yet due.
* compliments: 1 (15/05).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import LOG_ARGS
from tests.report_log import backdate_learning, build, build_backdated, report_json

#: key -> the figure as it reads, and its number.
EXPECTED: dict[str, tuple[str, Any]] = {
    "received": ("5", 5),
    "escalated": ("1", 1),
    "stage1_responses": ("4", 4),
    "stage2_responses": ("0", 0),
    "closed": ("1", 1),
    "open_stage1": ("4", 4),
    "open_stage2": ("1", 1),
    "open_ombudsman": ("1", 1),
    "open_total": ("6", 6),
    "ack_on_time": ("2 of 3 (66.7%)", 66.7),
    "stage1_within_timeframe": ("2 of 4 (50.0%)", 50.0),
    "stage1_within_extension": ("1 of 2 (50.0%)", 50.0),
    "stage1_on_time": ("3 of 4 (75.0%)", 75.0),
    "stage2_ack_on_time": ("1 of 1 (100.0%)", 100.0),
    "stage2_within_timeframe": ("n/a", None),
    "stage2_within_extension": ("n/a", None),
    "stage2_on_time": ("n/a", None),
    "extended": ("2", 2),
    "overdue": ("1", 1),
    "withdrawn": ("0", 0),
    "not_accepted": ("0", 0),
    "stage2_refused": ("0", 0),
    "stale": ("0", 0),
    "closed_undated": ("0", 0),
    "compensation": ("£75.50 (2 awards)", "75.50"),
    "compensation_paid": ("£0.00 (0 payments)", "0.00"),
    "learning": ("2", 2),
    "ombudsman_referrals": ("1", 1),
    "ombudsman_requests": ("1", 1),
    "ombudsman_evidence_sent": ("0", 0),
    "compliments": ("1", 1),
}

#: key -> the references counted in it.
CASES = {
    "received": ["SPRUCE001", "SPRUCE002", "SPRUCE003", "SPRUCE005", "SPRUCE006"],
    "escalated": ["SPRUCE004"],
    "stage1_responses": ["SPRUCE004", "SPRUCE001", "SPRUCE002", "SPRUCE003"],
    "closed": ["SPRUCE001"],
    "open_stage1": ["SPRUCE002", "SPRUCE003", "SPRUCE005", "SPRUCE006"],
    "open_ombudsman": ["SPRUCE007"],
    "extended": ["SPRUCE003", "SPRUCE002"],
    "overdue": ["SPRUCE005"],
    "compensation": ["SPRUCE001", "SPRUCE003"],
    "learning": ["SPRUCE004", "SPRUCE001"],
}


@pytest.fixture
def built_log(cli: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Any:
    """tests/report_log.py's log, in this test's SQLite file."""
    return build_backdated(cli, monkeypatch, f"sqlite:///{tmp_path / 'log.db'}")


def emt_json(cli: Any, *args: str) -> dict[str, Any]:
    return report_json(cli, "emt", *args)


def by_key(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {f["key"]: f for f in data["figures"]}


def counted(figure: dict[str, Any]) -> list[str]:
    return [c["reference"] for c in figure["cases"] if c["counted"]]


def test_json_gives_the_hand_computed_figures(built_log: Any) -> None:
    data = emt_json(built_log, "--month", "2025-05")
    assert data["report"] == "emt"
    assert data["period"] == {
        "key": "2025-05",
        "label": "May 2025",
        "from": "2025-05-01",
        "to": "2025-05-31",
    }
    assert data["as_of"] == "2025-05-31"
    assert data["profile"]["name"] == "spruce"
    figures = by_key(data)
    assert {k: (f["text"], f["value"]) for k, f in figures.items()} == EXPECTED
    for key, refs in CASES.items():
        assert counted(figures[key]) == refs, key
    ack = figures["ack_on_time"]
    assert (ack["numerator"], ack["denominator"]) == (2, 3)
    assert figures["stage2_on_time"]["denominator"] == 0
    assert figures["compensation"]["label"] == "Compensation awarded"
    assert figures["compensation"]["note"].endswith("Reasons: delay (1); time and trouble (1).")
    assert [c["amount"] for c in figures["compensation"]["cases"]] == ["50.00", "25.50"]
    # Awarded, not paid: no payment date is recorded (issue 13, item 7).
    assert [c["result"] for c in figures["compensation"]["cases"]] == ["awarded", "awarded"]


def test_acknowledged_on_the_deadline_day_is_on_time(built_log: Any) -> None:
    lines = {c["reference"]: c for c in by_key(emt_json(built_log, "--month", "2025-05"))[
        "ack_on_time"]["cases"]}  # fmt: skip
    first = lines["SPRUCE001"]
    assert (first["date"], first["deadline"], first["result"]) == (
        "2025-05-07",
        "2025-05-07",
        "on time",
    )
    assert "3 working days from received Thu 01/05/2025" in first["why"]
    late = lines["SPRUCE002"]
    assert (late["date"], late["deadline"], late["result"]) == ("2025-05-09", "2025-05-08", "late")


def test_an_extension_ending_on_a_bank_holiday(built_log: Any) -> None:
    """SPRUCE002 was promised Mon 26/05 (Spring bank holiday) and answered Tue 27/05: after the
    extension. SPRUCE003's 4 working days skip the holiday to Tue 27/05: answered that day."""
    figures = by_key(emt_json(built_log, "--month", "2025-05"))
    lines = {c["reference"]: c for c in figures["stage1_within_extension"]["cases"]}
    assert (lines["SPRUCE002"]["deadline"], lines["SPRUCE002"]["result"]) == (
        "2025-05-26",
        "after the extension",
    )
    assert (lines["SPRUCE003"]["deadline"], lines["SPRUCE003"]["result"]) == (
        "2025-05-27",
        "within the extension",
    )
    on_time = {c["reference"]: c for c in figures["stage1_on_time"]["cases"]}
    assert on_time["SPRUCE003"]["result"] == "on time"
    assert "within the extension" in on_time["SPRUCE003"]["why"]
    assert on_time["SPRUCE002"]["result"] == "late"
    extended = {c["reference"]: c for c in figures["extended"]["cases"]}
    assert (extended["SPRUCE002"]["date"], extended["SPRUCE002"]["deadline"]) == (
        "2025-05-23",
        "2025-05-26",
    )


def test_learning_ombudsman_and_overdue_lines(built_log: Any) -> None:
    figures = by_key(emt_json(built_log, "--month", "2025-05"))
    learning = figures["learning"]["cases"]
    assert [(c["reference"], c["date"], c["text"]) for c in learning] == [
        ("SPRUCE004", "2025-05-01", "Check roofs after storms"),
        ("SPRUCE001", "2025-05-20", "=Book contractors by text"),
    ]
    assert "history" in learning[1]["why"] and "last response" in learning[0]["why"]
    request = figures["ombudsman_requests"]["cases"][0]
    assert (request["date"], request["deadline"], request["result"]) == (
        "2025-05-14",
        "2025-06-05",
        "not yet due",
    )
    overdue = figures["overdue"]["cases"][0]
    assert overdue["deadline"] == "2025-05-15"
    assert "Acknowledge the complaint due Mon 19/05/2025" in overdue["why"]


def test_trend_repeats_the_month_and_counts_earlier_months(built_log: Any) -> None:
    trend = emt_json(built_log, "--month", "2025-05")["trend"]
    assert trend[0]["month"] == "2024-06" and len(trend) == 12
    may, april, march = trend[-1], trend[-2], trend[-3]
    assert may == {
        "month": "2025-05",
        "received": 5,
        "escalated": 1,
        "stage1_responses": 4,
        "stage2_responses": 0,
        "closed": 1,
        "withdrawn": 0,
        "open_at_end": 6,
        "compensation_payments": 2,
        "compensation_total": "75.50",
        "ack_on_time": {"numerator": 2, "denominator": 3, "percent": 66.7},
        "stage1_within_timeframe": {"numerator": 2, "denominator": 4, "percent": 50.0},
        "stage1_on_time": {"numerator": 3, "denominator": 4, "percent": 75.0},
        "stage2_ack_on_time": {"numerator": 1, "denominator": 1, "percent": 100.0},
        "stage2_within_timeframe": {"numerator": 0, "denominator": 0, "percent": None},
        "stage2_on_time": {"numerator": 0, "denominator": 0, "percent": None},
        "not_accepted": 0,
        "stage2_refused": 0,
        "compliments": 1,
        "label": "May 2025",
    }
    # April: SPRUCE004 received and acknowledged; SPRUCE007's Stage 2 response; both open.
    assert (april["received"], april["stage2_responses"], april["open_at_end"]) == (1, 1, 2)
    assert april["stage2_on_time"] == {"numerator": 1, "denominator": 1, "percent": 100.0}
    assert (march["received"], march["escalated"], march["open_at_end"]) == (1, 1, 1)


def test_table_and_markdown_show_the_same_figures(built_log: Any) -> None:
    table = built_log("report", "emt", "--month", "2025-05")
    assert table.exit_code == 0, table.output
    text = table.stdout
    assert text.startswith("EMT complaints performance report: May 2025\n")
    assert "Judged against: spruce (Spruce Homes complaints procedure)" in text
    for label, value in (
        (r"Acknowledged within the timeframe \(3 working days\)", r"2 of 3 \(66\.7%\)"),
        (r"Stage 1 responses within the timeframe \(10 working days\)", r"2 of 4 \(50\.0%\)"),
        (r"Extended Stage 1 responses within the extension", r"1 of 2 \(50\.0%\)"),
        (r"Stage 2 responses on time \(within the timeframe or an extension\)", "n/a"),
        (r"Compensation awarded", r"£75\.50 \(2 awards\)"),
        (r"Compensation paid", r"£0\.00 \(0 payments\)"),
        (r"Cases overdue at 31/05/2025", "1"),
        (r"Compliments received", "1"),
    ):
        assert re.search(rf"^{label}\s+{value}(\s|$)", text, re.M), label
    assert re.search(r"^May 2025\s+5\s+1\s+4\s+0\s+1\s+6\s+2 of 3 \(66\.7%\)", text, re.M)
    md = built_log("report", "emt", "--month", "2025-05", "-f", "markdown").stdout
    assert md.startswith("# EMT complaints performance report: May 2025\n")
    assert "| Acknowledged within the timeframe (3 working days) | 2 of 3 (66.7%) |" in md
    assert "| Compensation awarded | £75.50 (2 awards) | £0.00 | £6.29 |" in md
    assert "time and trouble (1)" in md.split("## How each figure is counted")[1]
    assert "| Stage 2 responses on time (within the timeframe or an extension) | n/a |" in md
    assert "| May 2025 | 5 | 1 | 4 | 0 | 1 | 6 | 2 of 3 (66.7%) | 3 of 4 (75.0%) | n/a |" in md
    # The EMT summary: this month, last month, the 12-month average, the target and the RAG.
    assert (
        "| Acknowledged within the timeframe (3 working days) | 2 of 3 (66.7%) | 1 of 1 (100.0%) "
        "| 4 of 5 (80.0%) | 100% | Red |" in md
    )
    assert "| SPRUCE001 | 01/05/2025 | learning recorded | 20/05/2025 |" in md


def test_workbook_summary_chart_and_case_sheets(built_log: Any, tmp_path: Path) -> None:
    """The summary is one readable table (issue 13, item 9): a heading row per section, then
    each figure with this month, last month, the 12-month average, the target and the RAG, and
    a link to its cases; the cases are on one sheet, a section per figure."""
    from openpyxl import load_workbook

    target = tmp_path / "emt.xlsx"
    result = built_log("report", "emt", "--month", "2025-05", "--output", str(target))
    assert result.exit_code == 0, result.output
    assert f"Saved the report to {target}" in result.stderr
    wb = load_workbook(target)
    assert wb.sheetnames == ["Summary", "Trend", "Outcomes and categories", "Cases", "How counted"]
    summary = wb["Summary"]
    assert summary["A1"].value == "EMT complaints performance report: May 2025"
    rows = list(summary.iter_rows(values_only=True))
    head = rows.index(
        ("Figure", "This month", "Last month", "12-month average", "Target", "RAG", "Cases")
    )
    assert rows[head + 1][0] == "Activity in the month"  # a section heading, once
    figures = {r[0]: r for r in rows[head + 1 :] if r[0]}
    # April: 004 acknowledged on time (1 of 1); the 12 months: 007 (March), 004, 001, 003 on
    # time, 002 late: 4 of 5. The target is every step on time; 66.7% is below the average.
    assert figures["Acknowledged within the timeframe (3 working days)"][1:6] == (
        "2 of 3 (66.7%)",
        "1 of 1 (100.0%)",
        "4 of 5 (80.0%)",
        "100%",
        "Red",
    )
    # Received: 5 in May, 1 in April (004), 1 in March (007): 7 / 12 = 0.6 a month. Counts
    # are number cells (text would be flagged by Excel and could not be summed), the average
    # shown to one decimal place, as the report's text gives it.
    assert figures["Complaints received (Stage 1)"][1:4] == (5, 1, pytest.approx(7 / 12))
    received_row = 1 + next(
        i for i, r in enumerate(rows) if r[0] == "Complaints received (Stage 1)"
    )
    assert summary.cell(row=received_row, column=4).number_format == "0.0"
    overdue = next(r for label, r in figures.items() if label.startswith("Cases overdue"))
    assert isinstance(overdue[1], int) and overdue[4] == 0  # a count's target is a number too
    assert figures["Compensation awarded"][1] == "£75.50 (2 awards)"
    assert figures["Stage 2 responses on time (within the timeframe or an extension)"][1:6] == (
        "n/a",
        "1 of 1 (100.0%)",
        "1 of 1 (100.0%)",
        "100%",
        None,
    )
    link = summary.cell(row=head + 3, column=7)
    assert link.value == "5 case(s)" and link.hyperlink.location.startswith("'Cases'!A")
    cases = wb["Cases"]
    anchor = int(link.hyperlink.location.split("!A")[1])
    assert cases.cell(row=anchor, column=1).value == "Complaints received (Stage 1): 5"
    trend = wb["Trend"]
    assert len(trend._charts) == 2
    assert [c.value for c in trend["A"]][1:] == [
        "Jun 2024", "Jul 2024", "Aug 2024", "Sep 2024", "Oct 2024", "Nov 2024", "Dec 2024",
        "Jan 2025", "Feb 2025", "Mar 2025", "Apr 2025", "May 2025",
    ]  # fmt: skip
    rows = [r for r in cases.iter_rows(values_only=True)]
    start = rows.index(
        ("Acknowledged within the timeframe (3 working days): 2 of 3 (66.7%)",) + (None,) * 10
    )
    acks = rows[start + 2 : start + 5]  # after the title and the note
    assert [(r[0], r[3].date().isoformat(), r[4].date().isoformat(), r[6]) for r in acks] == [
        ("SPRUCE003", "2025-05-06", "2025-05-09", "on time"),
        ("SPRUCE001", "2025-05-07", "2025-05-07", "on time"),
        ("SPRUCE002", "2025-05-09", "2025-05-08", "late"),
    ]
    cell = next(c for row in cases.iter_rows() for c in row if c.value and
                str(c.value).startswith("=Book"))  # fmt: skip
    assert cell.data_type == "s"  # user text is never a formula


def test_the_workbook_prints_on_a4_landscape(built_log: Any, tmp_path: Path) -> None:
    """Every sheet: landscape A4, fitted to the page width, its header row repeated, the title
    in the page header, "Page N of M" in the footer; the summary on one page (issue 13, 9)."""
    from openpyxl import load_workbook

    target = tmp_path / "emt.xlsx"
    assert built_log("report", "emt", "--month", "2025-05", "-o", str(target)).exit_code == 0
    wb = load_workbook(target)
    for ws in wb.worksheets:
        setup = ws.page_setup
        assert (setup.orientation, int(setup.paperSize)) == ("landscape", 9), ws.title  # A4
        assert ws.sheet_properties.pageSetUpPr.fitToPage and setup.fitToWidth == 1, ws.title
        assert ws.oddFooter.center.text == "Page &P of &N", ws.title
        assert ws.oddHeader.left.text == "EMT complaints performance report: May 2025"
    assert wb["Summary"].page_setup.fitToHeight == 1  # one page
    assert wb["Cases"].print_title_rows == "$1:$1" == wb["Trend"].print_title_rows
    # Columns at least as wide as their headers' longest word (the trend's headers wrap).
    trend = wb["Trend"]
    for cell in trend[1]:
        width = trend.column_dimensions[cell.column_letter].width
        assert width >= max(len(w) for w in str(cell.value).split()), cell.value


def test_the_on_time_chart_draws_straight_lines_with_markers(
    built_log: Any, tmp_path: Path
) -> None:
    """LibreOffice drew the on-time shares as smoothed curves dipping below the real values,
    and nothing at all with one month of data: the series are straight, with markers, and a
    month with nothing to judge is a gap (issue 13, item 9)."""
    import zipfile

    target = tmp_path / "emt.xlsx"
    assert built_log("report", "emt", "--month", "2025-05", "-o", str(target)).exit_code == 0
    with zipfile.ZipFile(target) as z:
        charts = [z.read(n).decode() for n in z.namelist() if n.startswith("xl/charts/chart")]
    line = next(c for c in charts if "<lineChart>" in c)
    assert line.count('<smooth val="0"/>') == 4 and line.count('<symbol val="circle"/>') == 4
    assert '<dispBlanksAs val="gap"/>' in line


def test_refuses_to_replace_a_workbook_without_force(built_log: Any, tmp_path: Path) -> None:
    target = tmp_path / "emt.xlsx"
    target.write_bytes(b"keep me")
    result = built_log("report", "emt", "--month", "2025-05", "-o", str(target))
    assert result.exit_code == 1
    assert (
        result.stderr
        == f"complaints: error: {str(target)!r} already exists: use --force to replace it\n"
    )
    assert target.read_bytes() == b"keep me" and result.stdout == ""
    forced = built_log("report", "emt", "--month", "2025-05", "-o", str(target), "--force")
    assert forced.exit_code == 0 and target.read_bytes()[:2] == b"PK"


def test_a_month_with_no_complaints(cli: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COMPLAINTS_TODAY", "2025-06-02")
    figures = by_key(emt_json(cli, "--month", "2025-02"))
    for key, figure in figures.items():
        if figure["kind"] == "count":
            assert (figure["value"], figure["text"], figure["cases"]) == (0, "0", []), key
        elif figure["kind"] == "share":
            assert (figure["value"], figure["text"], figure["denominator"]) == (None, "n/a", 0)
    assert figures["compensation"]["text"] == "£0.00 (0 awards)"
    assert figures["compensation"]["value"] == "0.00"
    table = cli("report", "emt", "--month", "2025-02").stdout
    assert re.search(r"^Acknowledged within the timeframe \(3 working days\)\s+n/a\s", table, re.M)


def test_the_log_column_disagreeing_with_the_dates(built_log: Any, tmp_path: Path) -> None:
    """An imported 'Yes' on a late acknowledgement: the dates count, and the line says so."""
    from complaints_cli.store.db import make_engine

    engine = make_engine(f"sqlite:///{tmp_path / 'log.db'}")
    with engine.begin() as conn:
        conn.exec_driver_sql(
            "UPDATE complaint SET ack_met = 1, ack_met_note = 'sent by post' "
            "WHERE reference = 'SPRUCE002'"
        )
    engine.dispose()
    data = emt_json(built_log, "--month", "2025-05")
    line = next(c for c in by_key(data)["ack_on_time"]["cases"] if c["reference"] == "SPRUCE002")
    assert line["result"] == "late"
    assert line["log"] == "the log says Yes - sent by post"
    assert "the dates count" in line["why"]
    assert by_key(data)["ack_on_time"]["text"] == "2 of 3 (66.7%)"
    assert any("1 step(s) where the log's Met column disagrees" in n for n in data["notes"])


def test_learning_is_dated_in_uk_time(built_log: Any, tmp_path: Path) -> None:
    """A history entry with no day of its own (made before ``learning`` recorded one): 23:30
    UTC on 31 May is 00:30 on 1 June in the UK (BST): June's learning, not May's."""
    from complaints_cli.store.db import make_engine

    engine = make_engine(f"sqlite:///{tmp_path / 'log.db'}")
    with engine.begin() as conn:
        conn.exec_driver_sql(
            "UPDATE history SET at = '2025-05-31 23:30:00.000000', changes = "
            "'{\"learning\": [null, \"=Book contractors by text\"]}' WHERE command = 'learning'"
        )
    engine.dispose()
    may = by_key(emt_json(built_log, "--month", "2025-05"))["learning"]
    assert counted(may) == ["SPRUCE004"]
    june = by_key(emt_json(built_log, "--month", "2025-06"))["learning"]
    assert [(c["reference"], c["date"]) for c in june["cases"]] == [("SPRUCE001", "2025-06-01")]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--month", "2025-13"], "month '2025-13' is not a month like 2026-10 (yyyy-mm)"),
        (["--month", "May"], "month 'May' is not a month like 2026-10 (yyyy-mm)"),
        (
            ["--month", "2025-07"],
            "July 2025 has not started yet (today is 02/06/2025): nothing to report",
        ),
        (["--month", "2025-05", "-f", "csv"], "format 'csv' is not one of: table, json, markdown"),
        (["--month", "2025-05", "-o", "emt.csv"], "--output 'emt.csv' must be an .xlsx workbook"),
    ],
)
def test_bad_input_is_one_line(
    cli: Any, monkeypatch: pytest.MonkeyPatch, args: list[str], message: str
) -> None:
    monkeypatch.setenv("COMPLAINTS_TODAY", "2025-06-02")
    result = cli("report", "emt", *args)
    assert result.exit_code == 1
    assert result.stderr == f"complaints: error: {message}\n"
    assert result.stdout == ""


def test_same_figures_on_sqlite_and_postgresql(
    cli: Any, monkeypatch: pytest.MonkeyPatch, db_url: str
) -> None:
    build(cli, monkeypatch)
    backdate_learning(db_url)
    figures = by_key(emt_json(cli, "--month", "2025-05"))
    assert {k: (f["text"], f["value"]) for k, f in figures.items()} == EXPECTED
    for key, refs in CASES.items():
        assert counted(figures[key]) == refs, key


def test_a_month_in_progress_is_reported_to_today(
    built_log: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COMPLAINTS_TODAY", "2025-05-16")
    data = emt_json(built_log, "--month", "2025-05")
    assert data["as_of"] == "2025-05-16"
    assert "May 2025 is not over: figures are to 16/05/2025." in data["notes"]
    figures = by_key(data)
    # On Fri 16/05 SPRUCE005 (received 14/05) had missed its contact (due Thu 15/05); its
    # acknowledgement was not due until Mon 19/05.
    overdue = figures["overdue"]["cases"]
    assert [(c["reference"], c["event"]) for c in overdue] == [
        ("SPRUCE005", "Contact the resident (if not spoken to on receipt)")
    ]
    # Open on 16/05: SPRUCE001 (closed only on 30/05), 002, 003, 004, 005 and 007; 006 not
    # yet received.
    assert counted(figures["open_total"]) == [
        "SPRUCE001", "SPRUCE002", "SPRUCE003", "SPRUCE005", "SPRUCE004", "SPRUCE007"
    ]  # fmt: skip


def test_reports_read_without_sqlalchemy_and_openpyxl_only_for_output(
    built_log: Any, tmp_path: Path
) -> None:
    from tests.cli.test_smoke import heavy_modules_imported_by

    assert heavy_modules_imported_by("report", "emt", "--month", "2025-05") == []
    assert heavy_modules_imported_by("report", "annual", "--year", "2025", "-f", "json") == []
    out = str(tmp_path / "emt.xlsx")
    assert heavy_modules_imported_by("report", "emt", "--month", "2025-05", "-o", out) == [
        "openpyxl"
    ]


@pytest.mark.parametrize(
    "args",
    [
        ("emt", "--month", "2025-05"),
        ("annual", "--from", "01/03/2025", "--to", "31/05/2025", "--homes", "1000"),
    ],
)
def test_every_figure_reads_the_same_in_every_format(
    built_log: Any, tmp_path: Path, args: tuple[str, ...]
) -> None:
    """Each figure's label and value, as the JSON gives them, in the table, the Markdown and
    the workbook's summary."""
    from openpyxl import load_workbook

    data = json.loads(built_log("report", *args, "-f", "json").stdout)
    table = built_log("report", *args).stdout
    md = built_log("report", *args, "-f", "markdown").stdout
    book = tmp_path / "report.xlsx"
    assert built_log("report", *args, "-o", str(book)).exit_code == 0
    summary = {r[0]: r[1] for r in load_workbook(book)["Summary"].iter_rows(values_only=True)}
    assert len(data["figures"]) >= 10
    for f in data["figures"]:
        label, text = f["label"], f["text"]
        assert re.search(rf"^{re.escape(label)}\s+{re.escape(text)}(\s|$)", table, re.M), label
        assert f"| {label} | {text} |" in md, label
        # A count is a number cell; everything else reads as the text.
        assert summary[label] == (int(text) if f["kind"] == "count" else text), label


def test_learning_is_dated_by_the_tools_day_not_the_computers_clock(
    cli: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The fresh-user trial: learning recorded with COMPLAINTS_TODAY (or --date) was dated by
    the computer's clock, so the month's report missed it. It takes the day every command
    takes: today (COMPLAINTS_TODAY) or --date."""
    monkeypatch.setenv("COMPLAINTS_TODAY", "2025-02-20")
    for complainant in ("Ann Lee", "Bo Hart"):
        args = list(LOG_ARGS)
        args[args.index("--complainant") + 1] = complainant
        assert cli("log", *args).exit_code == 0
    assert cli("learning", "SPRUCE001", "Text before visits").exit_code == 0
    monkeypatch.setenv("COMPLAINTS_TODAY", "2025-03-04")
    dated = cli("learning", "SPRUCE002", "Check gutters", "--date", "27/02/2025")
    assert dated.exit_code == 0, dated.output
    february = by_key(emt_json(cli, "--month", "2025-02"))["learning"]
    assert [(c["reference"], c["date"]) for c in february["cases"]] == [
        ("SPRUCE001", "2025-02-20"),
        ("SPRUCE002", "2025-02-27"),
    ]
    assert by_key(emt_json(cli, "--month", "2025-03"))["learning"]["cases"] == []
    history = cli("history", "SPRUCE002").stdout
    assert "Learning recorded" in history and "27/02/2025" in history
    future = cli("learning", "SPRUCE002", "More", "--date", "05/03/2025")
    assert future.exit_code == 1
    assert future.stderr == (
        "complaints: error: learning date 05/03/2025 is in the future (today is 04/03/2025)\n"
    )


def test_the_on_time_notes_read_as_one_sentence(cli: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """A trial: the note read "... (Spruce procedure, Complaint: Stage 1; Code 6.3)., or within
    an extension of at most 10 working days."."""
    from tests.conftest import LOG_ARGS

    monkeypatch.setenv("COMPLAINTS_TODAY", "2025-03-10")
    assert cli("log", *LOG_ARGS).exit_code == 0
    data = json.loads(cli("report", "emt", "--month", "2025-02", "-f", "json").stdout)
    notes = {f["key"]: f["note"] for f in data["figures"]}
    assert notes["stage1_on_time"].endswith(
        "(Spruce procedure, Complaint: Stage 1; Code 6.3), or within an extension of at most 10 "
        "working days."
    ), notes["stage1_on_time"]
    assert all(".," not in note for note in notes.values()), notes
