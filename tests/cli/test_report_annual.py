"""``complaints report annual``: the Code self-assessment and TSM CH01/CH02, by hand.

The log is ``tests/report_log.py``'s; the period 01/03/2025-31/05/2025 holds all of it. Judged
against the Code (hos-code-2024), whatever the team's profile:

* 6.2 acknowledged within 5 working days: SPRUCE007 (04/03, due 10/03), 004 (16/04, due 22/04),
  001 (07/05, due Fri 09/05), 002 (09/05, due Mon 12/05: late under Spruce's 3 days, on time
  under the Code), 003 (06/05): 5 of 5. Counted out: 005 and 006, never acknowledged.
* 6.3 Stage 1 responses within 10 working days of the acknowledgement: 007 (14/03, due 18/03),
  004 (01/05, due 02/05), 001 (20/05, due 21/05) on time; 002 (27/05, due 23/05) and 003
  (27/05, due 20/05) late: 3 of 5 (60.0%).
* 6.4 extended ones within the extension: 003 (by 27/05) yes, 002 (promised 26/05) no: 1 of 2.
* 6.11 Stage 2 acknowledged within 5 working days: 007 (18/03, escalated 17/03), 004 (12/05,
  escalated 06/05): 2 of 2. 6.14 Stage 2 responses within 20 working days of the
  acknowledgement: 007 (04/04; from Tue 18/03 the 20th working day is Tue 15/04): 1 of 1.
  Counted out: 004, not yet answered. 6.15: no extended Stage 2 case: n/a.
* 6.5: both extended Stage 1 cases were extended with ``--told``: 2 of 2. 6.13: 007's Stage 2
  handler (Jo Reviewer) is not its Stage 1 handler (Sam Patel): 1 of 1.
* CH01 with 1,000 homes (tenures: ``tests/report_log.py`` TENURES): Stage 1 received 007, 004,
  001, 002 (LCRA), 003 (LCHO) = 5 -> 5.00 per 1,000 homes; counted out 005 (no tenure) and 006
  (another tenure). Stage 2: 007, 004 (LCRA) = 2 -> 2.00. Per stock type: n/a, the homes of
  each type are not given.
* CH02 Stage 1: acknowledged in time and answered in time (an extension within the Code's
  limit counts): 007, 004, 001, 003 yes; 002 no (answered after its extension): 4 of 5 (80.0%);
  LCRA 007, 004, 001 of 007, 004, 001, 002: 3 of 4; LCHO 003: 1 of 1. The response alone: the
  same 4 of 5 (every acknowledgement was in time); no converted service dissatisfaction, so
  "from the day raised" is 4 of 5 too. Stage 2: 007: 1 of 1 (100.0%), LCRA.
* compensation awarded £75.50 (001 £50.00, 003 £25.50), none paid; learning 004 (01/05) and
  001 (20/05): 2; no withdrawal, refusal, determination or undated closure.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from tests.report_log import build_backdated, report_json

PERIOD = ("--from", "01/03/2025", "--to", "31/05/2025")

EXPECTED = {
    "sa_ack": ("5 of 5 (100.0%)", 100.0),
    "sa_stage1": ("3 of 5 (60.0%)", 60.0),
    "sa_stage1_extended": ("1 of 2 (50.0%)", 50.0),
    "sa_stage2_ack": ("2 of 2 (100.0%)", 100.0),
    "sa_stage2": ("1 of 1 (100.0%)", 100.0),
    "sa_stage2_extended": ("n/a", None),
    "sa_stage1_extension_told": ("2 of 2 (100.0%)", 100.0),
    "sa_stage2_extension_told": ("n/a", None),
    "sa_stage2_reviewer": ("1 of 1 (100.0%)", 100.0),
    "ch01_stage1": ("5.00 per 1,000 homes (5 of 1,000 homes)", 5.0),
    "ch01_stage1_lcra": ("n/a", None),
    "ch01_stage1_lcho": ("n/a", None),
    "ch01_stage2": ("2.00 per 1,000 homes (2 of 1,000 homes)", 2.0),
    "ch01_stage2_lcra": ("n/a", None),
    "ch01_stage2_lcho": ("n/a", None),
    "ch02_stage1": ("4 of 5 (80.0%)", 80.0),
    "ch02_stage1_lcra": ("3 of 4 (75.0%)", 75.0),
    "ch02_stage1_lcho": ("1 of 1 (100.0%)", 100.0),
    "ch02_stage2": ("1 of 1 (100.0%)", 100.0),
    "ch02_stage2_lcra": ("1 of 1 (100.0%)", 100.0),
    "ch02_stage2_lcho": ("n/a", None),
    "ch02_stage1_response_only": ("4 of 5 (80.0%)", 80.0),
    "ch02_stage1_from_first_contact": ("4 of 5 (80.0%)", 80.0),
    "ch02_stage2_response_only": ("1 of 1 (100.0%)", 100.0),
    "withdrawn": ("0", 0),
    "not_accepted": ("0", 0),
    "stage2_refused": ("0", 0),
    "compensation": ("£75.50 (2 awards)", "75.50"),
    "compensation_paid": ("£0.00 (0 payments)", "0.00"),
    "learning": ("2", 2),
    "ombudsman_determinations": ("0", 0),
    "closed_undated": ("0", 0),
}


@pytest.fixture
def built_log(cli: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Any:
    """tests/report_log.py's log, in this test's SQLite file."""
    return build_backdated(cli, monkeypatch, f"sqlite:///{tmp_path / 'log.db'}")


def annual(cli: Any, *args: str) -> dict[str, Any]:
    data = report_json(cli, "annual", *args)
    return {f["key"]: f for f in data["figures"]} | {"_": data}


def lines(figure: dict[str, Any]) -> dict[str, tuple[bool, str]]:
    return {c["reference"]: (c["counted"], c["result"] or c["why"]) for c in figure["cases"]}


def test_json_gives_the_hand_computed_figures(built_log: Any) -> None:
    figures = annual(built_log, *PERIOD, "--homes", "1000")
    data = figures.pop("_")
    assert data["report"] == "annual"
    assert data["profile"]["name"] == "hos-code-2024"
    assert data["period"]["from"] == "2025-03-01" and data["period"]["to"] == "2025-05-31"
    assert {k: (f["text"], f["value"]) for k, f in figures.items()} == EXPECTED
    assert (figures["ch01_stage1"]["numerator"], figures["ch01_stage1"]["denominator"]) == (5, 1000)
    assert [(c["reference"], c["counted"], c["why"]) for c in figures["ch01_stage1"]["cases"]][
        -2:
    ] == [
        (
            "SPRUCE005",
            False,
            "no tenure recorded: complaints correct SPRUCE005 --tenure 'low-cost rental' (or "
            "'low-cost home ownership', other, unknown) --reason ...",
        ),
        ("SPRUCE006", False, "tenure other: not LCRA or LCHO stock"),
    ]
    assert "with them: 7.00 per 1,000 homes" in figures["ch01_stage1"]["note"]
    assert lines(figures["sa_ack"]) == {
        "SPRUCE007": (True, "on time"),
        "SPRUCE004": (True, "on time"),
        "SPRUCE003": (True, "on time"),
        "SPRUCE001": (True, "on time"),
        "SPRUCE002": (True, "on time"),
        "SPRUCE005": (False, "not done by Sat 31/05/2025"),
        "SPRUCE006": (False, "not done by Sat 31/05/2025"),
    }
    # 6.4 judges the extended cases only: the others are not listed.
    assert lines(figures["sa_stage1_extended"]) == {
        "SPRUCE003": (True, "within the extension"),
        "SPRUCE002": (True, "after the extension"),
    }
    assert lines(figures["sa_stage2"])["SPRUCE004"] == (False, "not done by Sat 31/05/2025")
    ch02 = {c["reference"]: c for c in figures["ch02_stage1"]["cases"]}
    assert ch02["SPRUCE002"]["result"] == "late"
    assert "response late" in ch02["SPRUCE002"]["why"]
    assert "acknowledgement late" not in ch02["SPRUCE002"]["why"]
    assert ch02["SPRUCE003"]["result"] == "on time"


def test_the_code_is_used_whatever_the_team_profile(
    built_log: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COMPLAINTS_PROFILE", "southern-housing")
    figures = annual(built_log, *PERIOD, "--homes", "1000")
    figures.pop("_")
    assert {k: (f["text"], f["value"]) for k, f in figures.items()} == EXPECTED


def test_financial_year_and_what_falls_outside_it(built_log: Any) -> None:
    """2024/25 ends on 31/03/2025: only SPRUCE007's first steps fall in it."""
    figures = annual(built_log, "--year", "2024", "--homes", "1000")
    data = figures.pop("_")
    assert data["period"] == {
        "key": "2024-04-01..2025-03-31",
        "label": "2024/25",
        "from": "2024-04-01",
        "to": "2025-03-31",
    }
    assert data["title"] == "Annual complaints performance: 2024/25"
    assert figures["ch01_stage1"]["text"] == "1.00 per 1,000 homes (1 of 1,000 homes)"
    assert figures["sa_stage2"]["text"] == "n/a"
    assert lines(figures["sa_stage2"]) == {
        "SPRUCE007": (
            False,
            "done Fri 04/04/2025, after the period: it counts in the period it was done",
        )
    }


def test_homes_from_the_config_or_missing(
    built_log: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    figures = annual(built_log, *PERIOD)
    assert figures["ch01_stage1"]["text"] == "n/a"
    assert figures["ch01_stage1"]["value"] is None
    assert "give --homes N" in figures["ch01_stage1"]["note"]
    assert any("number of homes" in n for n in figures["_"]["notes"])
    config = tmp_path / "team.toml"
    config.write_text("homes = 2500\n", encoding="utf-8")
    monkeypatch.setenv("COMPLAINTS_CONFIG", str(config))
    figures = annual(built_log, *PERIOD)
    assert figures["ch01_stage1"]["text"] == "2.00 per 1,000 homes (5 of 2,500 homes)"
    shown = built_log("config").stdout
    assert re.search(rf"^homes\s+2500\s+file {re.escape(str(config))}$", shown, re.M)
    monkeypatch.setenv("COMPLAINTS_HOMES", "lots")
    result = built_log("report", "annual", *PERIOD)
    assert result.exit_code == 1
    assert result.stderr == (
        "complaints: error: homes 'lots' (from env COMPLAINTS_HOMES) must be a whole number "
        "of homes, e.g. 2500\n"
    )


def test_a_response_without_an_acknowledgement_date(built_log: Any, tmp_path: Path) -> None:
    """CH02 needs the acknowledgement in time too: with no date recorded, a response sent by
    the acknowledgement deadline shows it; a later one cannot be shown to be on time."""
    from complaints_cli.store.db import make_engine

    engine = make_engine(f"sqlite:///{tmp_path / 'log.db'}")
    with engine.begin() as conn:
        conn.exec_driver_sql(
            "UPDATE complaint SET acknowledged = NULL WHERE reference IN ('SPRUCE003', 'SPRUCE004')"
        )
    engine.dispose()
    figures = annual(built_log, *PERIOD, "--homes", "1000")
    ch02 = {c["reference"]: c for c in figures["ch02_stage1"]["cases"]}
    # SPRUCE004: received Tue 15/04; the Code's 5 working days: 16, 17, [18, 21 holidays], 22,
    # 23, 24 -> Thu 24/04; answered Thu 01/05, after it (though within the response's own
    # deadline). SPRUCE003: acknowledgement deadline Tue 13/05, answered 27/05.
    assert ch02["SPRUCE004"]["result"] == "late"
    assert "no acknowledgement date; the response Thu 01/05/2025 is after the acknowledgement " \
        "deadline Thu 24/04/2025" in ch02["SPRUCE004"]["why"]  # fmt: skip
    assert figures["ch02_stage1"]["text"] == "2 of 5 (40.0%)"
    assert lines(figures["sa_ack"])["SPRUCE004"] == (
        False,
        "no date recorded for this step (a later step is recorded): cannot be judged",
    )


def test_table_markdown_and_workbook(built_log: Any, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    table = built_log("report", "annual", *PERIOD, "--homes", "1000").stdout
    assert table.startswith("Annual complaints performance: 01/03/2025 to 31/05/2025\n")
    assert "Judged against: hos-code-2024 (Housing Ombudsman Complaint Handling Code 2024)" in table
    assert re.search(
        r"^Stage 1 responses within 10 working days \(6\.3\)\s+3 of 5 \(60\.0%\)$", table, re.M
    )
    assert re.search(r"^CH01 Stage 1 complaints received per 1,000 homes\s+5\.00 per", table, re.M)
    md = built_log("report", "annual", *PERIOD, "--homes", "1000", "-f", "markdown").stdout
    assert "| Extended Stage 2 cases answered within the extension (6.15) | n/a |" in md
    assert (
        "| CH02 Stage 1 complaints responded to within the Code's timescales | 4 of 5 (80.0%) |"
        in md
    )
    target = tmp_path / "annual.xlsx"
    result = built_log("report", "annual", *PERIOD, "--homes", "1000", "-o", str(target))
    assert result.exit_code == 0, result.output
    wb = load_workbook(target)
    assert wb.sheetnames == ["Summary", "Outcomes and categories", "Cases", "How counted"]
    rows = {r[0]: r for r in wb["Summary"].iter_rows(values_only=True) if r[0]}
    assert rows["CH02 Stage 1 complaints responded to within the Code's timescales"][1] == (
        "4 of 5 (80.0%)"
    )
    assert rows["CH01 Stage 2 complaints received per 1,000 homes"][1] == (
        "2.00 per 1,000 homes (2 of 1,000 homes)"
    )
    cases = list(wb["Cases"].iter_rows(values_only=True))
    start = next(i for i, r in enumerate(cases) if str(r[0]).startswith("Complaints logged"))
    section = []
    for r in cases[start + 2 :]:  # after the title and the note
        if r[0] is None:
            break
        section.append((r[0], r[5]))
    assert section == [
        ("SPRUCE007", "yes"),
        ("SPRUCE004", "yes"),
        ("SPRUCE003", "yes"),
        ("SPRUCE001", "yes"),
        ("SPRUCE002", "yes"),
        ("SPRUCE005", "no"),
        ("SPRUCE006", "no"),
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "give --year 2025 (April 2025 to March 2026), or --from and --to"),
        (["--year", "2025", "--from", "01/04/2025"], "give --year, or --from and --to, not both"),
        (["--from", "01/04/2025"], "give both --from and --to (or --year)"),
        (
            ["--from", "01/04/2025", "--to", "01/03/2025"],
            "the period ends (01/03/2025) before it starts (01/04/2025)",
        ),
        (["--year", "2025", "--homes", "0"], "--homes 0 must be at least 1"),
        # A period not started is refused, as the EMT report refuses a month not started:
        # a year of noughts would look like a clean record.
        (
            ["--year", "2026", "-o", "annual.xlsx"],
            "2026/27 has not started yet (it starts 01/04/2026, today is 02/06/2025): nothing "
            "to report",
        ),
        (
            ["--from", "03/06/2025", "--to", "30/06/2025"],
            "03/06/2025 to 30/06/2025 has not started yet (it starts 03/06/2025, today is "
            "02/06/2025): nothing to report",
        ),
    ],
)
def test_bad_input_is_one_line(
    cli: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, args: list[str], message: str
) -> None:
    monkeypatch.setenv("COMPLAINTS_TODAY", "2025-06-02")
    monkeypatch.chdir(tmp_path)
    result = cli("report", "annual", *args)
    assert result.exit_code == 1
    assert result.stderr == f"complaints: error: {message}\n"
    assert result.stdout == ""
    assert not (tmp_path / "annual.xlsx").exists()


def test_same_figures_on_sqlite_and_postgresql(
    cli: Any, monkeypatch: pytest.MonkeyPatch, db_url: str
) -> None:
    build_backdated(cli, monkeypatch, db_url)
    figures = annual(cli, *PERIOD, "--homes", "1000")
    figures.pop("_")
    assert {k: (f["text"], f["value"]) for k, f in figures.items()} == EXPECTED
