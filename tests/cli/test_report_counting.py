"""What the reports count (issue 13): outcomes, categories, tenures, refusals, a withdrawal, the
Code in force on the day, answered cases left open, undated closures, compensation awarded and
paid, on the extended hand-computed log of ``tests/report_log.py`` (every date and deadline is
worked there), on SQLite and PostgreSQL.

The EMT report for May 2025 (Spruce profile), counted by hand:

* received in May 6: 001, 002, 003, 008, 005, 006 (009 was not accepted: in no figure but its
  own); escalated 1: 004 (010's request of 20/05 was refused: no escalation); Stage 1 responses
  5: 004 (01/05), 012 (06/05), 001, 002, 003; Stage 2 responses 1: 013 (09/05); closed 3: 012
  (09/05), 010 (22/05), 001 (30/05); withdrawn 1: 008; not accepted 1: 009 (told 14/05);
  Stage 2 escalations refused 1: 010 (its request of 20/05, as refuse-escalation dates it).
* open at 31/05: Stage 1 002, 003, 005, 006 = 4; Stage 2 004, 013 = 2; Ombudsman 007 (referred)
  and 014 (the log's Stage says Ombudsman, no date) = 2; 8 in all. Answered but still open: 013
  (its final response sent 09/05, nothing outstanding). Marked closed with no date: 015.
* acknowledged in May: 001 (on its deadline), 002 (late), 003, 008: 3 of 4 (75.0%). Stage 1
  within the timeframe: 004, 012 (due 07/05), 001 yes, 002 and 003 no: 3 of 5; within the
  extension 003 of 002, 003: 1 of 2; on time 4 of 5. Stage 2: 004 acknowledged on time (1 of
  1); 013 answered on time (1 of 1). Extended 2 (002, 003); overdue 1 (005).
* compensation awarded: 013 £100.00 (Stage 2, paid 23/05), 001 £50.00 (paid 28/05), 003 £25.50
  (not paid) = £175.50, 3 awards; paid in May: 013 and 001 = £150.00, 2 payments.
* outcomes of May's responses: Stage 1 upheld 001; not upheld 004, 002; resolved 012; withdrawn
  008; not recorded 003. Stage 2 not upheld 013. Categories of May's complaints: Repairs 002,
  008, 006 (Stage 1) and 004 (Stage 2); Anti-social behaviour 003; Damp and mould 001; not
  recorded 005.

The annual figures for 01/03/2025-31/05/2025 (the 2024 Code throughout), with 800 LCRA and 200
LCHO homes:

* 6.2 acknowledged in the period: 007, 010 (LATE: due Mon 17/03, sent 18/03), 013, 004, 012
  (due Mon 28/04), 003, 001, 008, 002: 8 of 9 (88.9%). 6.3: 007, 010, 013, 004, 012, 001 on
  time, 002 and 003 late: 6 of 8; 008 counted out, withdrawn before its response. 6.4: 1 of 2.
  6.11: 007, 013, 004: 3 of 3. 6.14: 014 (due 18/03), 007, 013: 3 of 3. 6.5: 2 of 2 (both
  extensions told). 6.13: 014, 007, 013 reviewed by Jo Reviewer: 3 of 3.
* CH01 Stage 1: LCRA 007, 010, 004, 012, 001, 002, 008 = 7 of 800 homes (8.75); LCHO 013, 003
  = 2 of 200 (10.00); together 9 of 1,000 (9.00); counted out 005 (no tenure), 006 (other), 009
  (not accepted). Stage 2: LCRA 007, 004 (2.50), LCHO 013 (5.00), 3.00 together; 010's refused
  escalation counted out.
* CH02 Stage 1 (acknowledgement and response in time): all 8 responses are LCRA or LCHO; 002
  (late response) and 010 (late acknowledgement) late: 6 of 8 (75.0%); LCRA 4 of 6, LCHO 2 of
  2. The response alone: only 002 late: 7 of 8 (87.5%): the reading matters. From the day a
  service dissatisfaction was raised: 012's acknowledgement is late too: 5 of 8 (62.5%).
  CH02 Stage 2: 3 of 3.
* refused, by reason: "Outside the 12-month time limit" (009, not accepted); "Asked more than 20
  working days after the Stage 1 response" (010, Stage 2 refused).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.report_log import (
    build_extended,
    extended_log,
    extended_log_file,  # noqa: F401  (the fixture extended_log uses)
    report_json,
    store,
)

EMT: dict[str, tuple[str, Any]] = {
    "received": ("6", 6),
    "escalated": ("1", 1),
    "stage1_responses": ("5", 5),
    "stage2_responses": ("1", 1),
    "closed": ("3", 3),
    "withdrawn": ("1", 1),
    "not_accepted": ("1", 1),
    "stage2_refused": ("1", 1),
    "open_stage1": ("4", 4),
    "open_stage2": ("2", 2),
    "open_ombudsman": ("2", 2),
    "open_total": ("8", 8),
    "stale": ("1", 1),
    "closed_undated": ("1", 1),
    "ack_on_time": ("3 of 4 (75.0%)", 75.0),
    "stage1_within_timeframe": ("3 of 5 (60.0%)", 60.0),
    "stage1_within_extension": ("1 of 2 (50.0%)", 50.0),
    "stage1_on_time": ("4 of 5 (80.0%)", 80.0),
    "stage2_ack_on_time": ("1 of 1 (100.0%)", 100.0),
    "stage2_within_timeframe": ("1 of 1 (100.0%)", 100.0),
    "stage2_within_extension": ("n/a", None),
    "stage2_on_time": ("1 of 1 (100.0%)", 100.0),
    "extended": ("2", 2),
    "overdue": ("1", 1),
    "compensation": ("£175.50 (3 awards)", "175.50"),
    "compensation_paid": ("£150.00 (2 payments)", "150.00"),
    "learning": ("2", 2),
    "ombudsman_referrals": ("1", 1),
    "ombudsman_requests": ("1", 1),
    "ombudsman_evidence_sent": ("0", 0),
    "compliments": ("1", 1),
}
EMT_CASES = {
    "received": ["SPRUCE001", "SPRUCE002", "SPRUCE003", "SPRUCE008", "SPRUCE005", "SPRUCE006"],
    "escalated": ["SPRUCE004"],
    "closed": ["SPRUCE012", "SPRUCE010", "SPRUCE001"],
    "withdrawn": ["SPRUCE008"],
    "not_accepted": ["SPRUCE009"],
    "stage2_refused": ["SPRUCE010"],
    "open_ombudsman": ["SPRUCE014", "SPRUCE007"],
    "open_stage2": ["SPRUCE013", "SPRUCE004"],
    "stale": ["SPRUCE013"],
    "closed_undated": ["SPRUCE015"],
    "overdue": ["SPRUCE005"],
    "compensation_paid": ["SPRUCE013", "SPRUCE001"],
}
#: breakdown -> row -> (Stage 1 references, Stage 2 references)
EMT_BREAKDOWNS = {
    "outcomes": {
        "upheld": (["SPRUCE001"], []),
        "partly_upheld": ([], []),
        "not_upheld": (["SPRUCE004", "SPRUCE002"], ["SPRUCE013"]),
        "resolved": (["SPRUCE012"], []),
        "withdrawn": (["SPRUCE008"], []),
        "not_recorded": (["SPRUCE003"], []),
    },
    # The team's list (the default categories setting) in its order, each even at 0.
    "categories": {
        "repairs": (["SPRUCE002", "SPRUCE008", "SPRUCE006"], ["SPRUCE004"]),
        "damp_and_mould": (["SPRUCE001"], []),
        "anti_social_behaviour": (["SPRUCE003"], []),
        "service_charges_and_rent": ([], []),
        "staff_conduct": ([], []),
        "communication": ([], []),
        "estate_services": ([], []),
        "other": ([], []),
        "not_recorded": (["SPRUCE005"], []),
    },
}
ANNUAL: dict[str, tuple[str, Any]] = {
    "sa_ack": ("8 of 9 (88.9%)", 88.9),
    "sa_stage1": ("6 of 8 (75.0%)", 75.0),
    "sa_stage1_extended": ("1 of 2 (50.0%)", 50.0),
    "sa_stage2_ack": ("3 of 3 (100.0%)", 100.0),
    "sa_stage2": ("3 of 3 (100.0%)", 100.0),
    "sa_stage2_extended": ("n/a", None),
    "sa_stage1_extension_told": ("2 of 2 (100.0%)", 100.0),
    "sa_stage2_extension_told": ("n/a", None),
    "sa_stage2_reviewer": ("3 of 3 (100.0%)", 100.0),
    "ch01_stage1": ("9.00 per 1,000 homes (9 of 1,000 homes)", 9.0),
    "ch01_stage1_lcra": ("8.75 per 1,000 homes (7 of 800 homes)", 8.75),
    "ch01_stage1_lcho": ("10.00 per 1,000 homes (2 of 200 homes)", 10.0),
    "ch01_stage2": ("3.00 per 1,000 homes (3 of 1,000 homes)", 3.0),
    "ch01_stage2_lcra": ("2.50 per 1,000 homes (2 of 800 homes)", 2.5),
    "ch01_stage2_lcho": ("5.00 per 1,000 homes (1 of 200 homes)", 5.0),
    "ch02_stage1": ("6 of 8 (75.0%)", 75.0),
    "ch02_stage1_lcra": ("4 of 6 (66.7%)", 66.7),
    "ch02_stage1_lcho": ("2 of 2 (100.0%)", 100.0),
    "ch02_stage2": ("3 of 3 (100.0%)", 100.0),
    "ch02_stage2_lcra": ("2 of 2 (100.0%)", 100.0),
    "ch02_stage2_lcho": ("1 of 1 (100.0%)", 100.0),
    "ch02_stage1_response_only": ("7 of 8 (87.5%)", 87.5),
    "ch02_stage1_from_first_contact": ("5 of 8 (62.5%)", 62.5),
    "ch02_stage2_response_only": ("3 of 3 (100.0%)", 100.0),
    "withdrawn": ("1", 1),
    "not_accepted": ("1", 1),
    "stage2_refused": ("1", 1),
    "compensation": ("£175.50 (3 awards)", "175.50"),
    "compensation_paid": ("£150.00 (2 payments)", "150.00"),
    "learning": ("2", 2),
    "ombudsman_determinations": ("1", 1),
    "closed_undated": ("1", 1),
}
ANNUAL_BREAKDOWNS = {
    "outcomes": {
        "upheld": (["SPRUCE001"], []),
        "partly_upheld": ([], ["SPRUCE014", "SPRUCE007"]),
        "not_upheld": (["SPRUCE007", "SPRUCE013", "SPRUCE004", "SPRUCE002"], ["SPRUCE013"]),
        "resolved": (["SPRUCE010", "SPRUCE012"], []),
        "withdrawn": (["SPRUCE008"], []),
        "not_recorded": (["SPRUCE003"], []),
    },
    # The team's list (the default categories setting) in its order, each even at 0.
    "categories": {
        "repairs": (
            ["SPRUCE007", "SPRUCE004", "SPRUCE002", "SPRUCE008", "SPRUCE006"],
            ["SPRUCE007", "SPRUCE004"],
        ),
        "damp_and_mould": (["SPRUCE001"], []),
        "anti_social_behaviour": (["SPRUCE003"], []),
        "service_charges_and_rent": ([], []),
        "staff_conduct": (["SPRUCE013"], ["SPRUCE013"]),
        "communication": (["SPRUCE010", "SPRUCE012"], []),
        "estate_services": ([], []),
        "other": ([], []),
        "not_recorded": (["SPRUCE005"], []),
    },
    "refusals": {
        "asked_more_than_20_working_days_after_the_stage_1_response": ([], ["SPRUCE010"]),
        "outside_the_12_month_time_limit": (["SPRUCE009"], []),
    },
}
PERIOD = (
    "--from",
    "01/03/2025",
    "--to",
    "31/05/2025",
    "--homes-lcra",
    "800",
    "--homes-lcho",
    "200",
)


def by_key(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {f["key"]: f for f in data["figures"]}


def counted(figure: dict[str, Any]) -> list[str]:
    return [c["reference"] for c in figure["cases"] if c["counted"]]


def breakdowns(data: dict[str, Any]) -> dict[str, dict[str, tuple[list[str], ...]]]:
    return {b["key"]: {r["key"]: tuple(r["cases"]) for r in b["rows"]} for b in data["breakdowns"]}


# A module's worth of tests read one extended log on SQLite: it is built once and copied.


log = extended_log  # the extended log in this test's own file (tests/report_log.py)


def check_emt(data: dict[str, Any]) -> None:
    figures = by_key(data)
    assert {k: (f["text"], f["value"]) for k, f in figures.items()} == EMT
    for key, refs in EMT_CASES.items():
        assert counted(figures[key]) == refs, key
    assert breakdowns(data) == EMT_BREAKDOWNS
    assert list(breakdowns(data)["categories"]) == list(EMT_BREAKDOWNS["categories"])
    assert data["trend"][-1] | {"compensation_total": None} == data["trend"][-1] | {
        "month": "2025-05",
        "received": 6,
        "escalated": 1,
        "closed": 3,
        "withdrawn": 1,
        "open_at_end": 8,
        "not_accepted": 1,
        "stage2_refused": 1,
        "compensation_total": None,
    }


def check_annual(data: dict[str, Any]) -> None:
    figures = by_key(data)
    assert {k: (f["text"], f["value"]) for k, f in figures.items()} == ANNUAL
    assert breakdowns(data) == ANNUAL_BREAKDOWNS
    assert list(breakdowns(data)["categories"]) == list(ANNUAL_BREAKDOWNS["categories"])
    assert data["codes"] == [
        {
            "name": "hos-code-2024",
            "label": "Housing Ombudsman Complaint Handling Code 2024",
            "from": "2025-03-01",
            "to": "2025-05-31",
        }
    ]


def test_emt_and_annual_on_sqlite_and_postgresql(
    cli: Any, monkeypatch: pytest.MonkeyPatch, db_url: str
) -> None:
    build_extended(cli, monkeypatch, db_url)
    check_emt(report_json(cli, "emt", "--month", "2025-05"))
    check_annual(report_json(cli, "annual", *PERIOD))


def test_refusals_withdrawals_and_payments_read_true(log: Any) -> None:
    """Each refusal is listed with its reason and when the resident was told; a withdrawal with
    its reason; an award is "paid" only with a payment date (issue 13, items 2 and 7)."""
    figures = by_key(report_json(log, "emt", "--month", "2025-05"))
    (refused,) = figures["not_accepted"]["cases"]
    assert (refused["text"], refused["why"]) == (
        "Outside the 12-month time limit",
        "told Wed 14/05/2025",
    )
    (escalation,) = figures["stage2_refused"]["cases"]
    assert escalation["text"] == "Asked more than 20 working days after the Stage 1 response"
    assert figures["withdrawn"]["cases"][0]["text"] == "Resolved by the repairs team"
    assert [(c["reference"], c["result"]) for c in figures["compensation"]["cases"]] == [
        ("SPRUCE013", "paid Fri 23/05/2025"),
        ("SPRUCE001", "paid Wed 28/05/2025"),
        ("SPRUCE003", "awarded"),
    ]
    annual = by_key(report_json(log, "annual", *PERIOD))
    out = {c["reference"]: c for c in annual["ch01_stage1"]["cases"] if not c["counted"]}
    assert (
        out["SPRUCE009"]["why"] == "not accepted under the policy: Outside the 12-month time limit"
    )
    assert out["SPRUCE005"]["why"].startswith("no tenure recorded")
    assert out["SPRUCE006"]["why"] == "tenure other: not LCRA or LCHO stock"
    (refused2,) = [c for c in annual["ch01_stage2"]["cases"] if not c["counted"]]
    assert refused2["reference"] == "SPRUCE010"
    assert (refused2["date"], refused2["event"]) == ("2025-05-20", "Stage 2 request refused")
    assert refused2["why"] == (
        "Stage 2 request of Tue 20/05/2025 refused: Asked more than 20 working days after the "
        "Stage 1 response"
    )
    withdrawn = next(c for c in annual["sa_stage1"]["cases"] if c["reference"] == "SPRUCE008")
    assert (withdrawn["counted"], withdrawn["why"]) == (
        False,
        "withdrawn Tue 13/05/2025 before this step: not judged",
    )
    (determination,) = annual["ombudsman_determinations"]["cases"]
    assert determination["text"] == "Service failure in complaint handling"
    assert determination["why"] == "order: Pay £100 compensation (due Wed 25/06/2025)"


def test_the_2023_24_stage_2_is_judged_by_the_2022_code(log: Any) -> None:
    """SPRUCE011: Stage 2 requested Mon 26/06/2023, acknowledged Fri 30/06, answered Thu
    27/07/2023. The 2022 Code counts 20 working days from the request: due Mon 24/07, late (the
    2024 Code, from the acknowledgement, would give Fri 28/07: on time)."""
    data = report_json(log, "annual", "--year", "2023", "--homes", "1000")
    assert data["profile"]["name"] == "hos-code-2022"
    assert [c["name"] for c in data["codes"]] == ["hos-code-2022"]
    figures = by_key(data)
    stage2 = figures["sa_stage2"]
    assert stage2["label"] == "Stage 2 responses within 20 working days (2022 Code)"
    assert stage2["text"] == "0 of 1 (0.0%)"
    (line,) = stage2["cases"]
    assert (line["deadline"], line["result"]) == ("2023-07-24", "late")
    assert line["why"].startswith(
        "2022 Code: due Mon 24/07/2023: 20 working days from escalation received Mon 26/06/2023"
    )
    assert (
        figures["sa_stage1"]["label"] == "Stage 1 responses within 10 working days (2022 Code 5.1)"
    )
    assert figures["sa_stage2_reviewer"]["label"].endswith("(2022 Code 5.12)")
    assert figures["ch02_stage2"]["text"] == "0 of 1 (0.0%)"
    assert figures["ch02_stage2_lcho"]["text"] == "0 of 1 (0.0%)"


WARNING_2022 = (
    "complaints: warning: the period starts before 01/04/2024: steps whose clock started "
    "before then are judged by the Housing Ombudsman Complaint Handling Code 2022, in force "
    "then (Stage 2 counted from the escalation request), not by the 2024 Code; the report's "
    "notes say which Code applied"
)


@pytest.mark.parametrize(
    ("period", "warned"),
    [
        (("--year", "2023"), True),  # 01/04/2023-31/03/2024: the 2022 Code throughout
        (("--from", "01/01/2024", "--to", "31/05/2025"), True),  # across the change
        (("--year", "2024"), False),  # from 01/04/2024: the 2024 Code only
    ],
)
def test_a_year_before_the_2024_code_is_warned(
    log: Any, period: tuple[str, ...], warned: bool
) -> None:
    """Issue 13: ``--year 2023`` gave no warning that the 2024 Code was not in force."""
    result = log("report", "annual", *period, "--homes", "1000")
    assert result.exit_code == 0, result.output
    assert (WARNING_2022 in result.stderr) is warned


def test_a_period_across_the_change_of_code_says_so(log: Any) -> None:
    data = report_json(log, "annual", "--from", "01/01/2024", "--to", "31/05/2025")
    assert [(c["name"], c["from"], c["to"]) for c in data["codes"]] == [
        ("hos-code-2022", "2024-01-01", "2024-03-31"),
        ("hos-code-2024", "2024-04-01", "2025-05-31"),
    ]
    assert any(
        n.startswith("The period spans the change of Code on 01/04/2024") for n in data["notes"]
    )
    figures = by_key(data)
    assert figures["sa_stage1"]["label"] == (
        "Stage 1 responses within 10 working days (6.3; 2022 Code 5.1 before 01/04/2024)"
    )


def test_the_stage_at_a_month_end_follows_the_log_s_ombudsman_stage(log: Any) -> None:
    """SPRUCE014's Stage says Ombudsman with no referral date: from its Stage 2 response (Fri
    14/03/2025) it is open at the Ombudsman, not at Stage 2, and not 'answered but open'."""
    march = by_key(report_json(log, "emt", "--month", "2025-03"))
    assert "SPRUCE014" in counted(march["open_ombudsman"])
    assert "SPRUCE014" not in counted(march["open_stage2"])
    assert counted(march["stale"]) == []
    february = by_key(report_json(log, "emt", "--month", "2025-02"))
    assert counted(february["open_stage2"]) == ["SPRUCE014"]  # before its Stage 2 response


def test_an_answered_case_with_an_action_outstanding_is_not_stale(log: Any, tmp_path: Path) -> None:
    """SPRUCE013 stays open while an action promised in its response is outstanding (DOMAIN.md:
    a case with outstanding actions stays open until they are done)."""
    from complaints_cli.store.db import RawDatabase

    log_db = f"sqlite:///{tmp_path / 'log.db'}"
    with RawDatabase(log_db) as db, db.transaction() as tx:
        case_id = tx.execute("SELECT id FROM complaint WHERE reference = 'SPRUCE013'").fetchone()[0]
        tx.execute(
            "INSERT INTO action (complaint_id, number, stage, text, owner, due, done, created_at, "
            "kind) VALUES (:c, 1, 'Stage 2', 'Retrain the officer', 'HoS', '2025-06-30', NULL, "
            "'2025-05-09 12:00:00.000000', 'action')",
            {"c": case_id},
        )
    assert counted(by_key(report_json(log, "emt", "--month", "2025-05"))["stale"]) == []
    store(log_db, "SPRUCE013", status="Closed", closed=None)
    closed = by_key(report_json(log, "emt", "--month", "2025-05"))
    assert counted(closed["closed_undated"]) == ["SPRUCE015", "SPRUCE013"]


def test_the_notes_say_how_many_closed_cases_have_no_date_and_the_fix(log: Any) -> None:
    data = report_json(log, "emt", "--month", "2025-05")
    (note,) = [n for n in data["notes"] if "no closed date" in n]
    assert note.startswith("1 case(s) are marked closed with no closed date")
    assert "complaints correct REF --closed DATE --reason TEXT" in note
    (line,) = by_key(data)["closed_undated"]["cases"]
    assert line["why"] == (
        "counted as finished on its last recorded date, Fri 17/01/2025; fix: complaints correct "
        "SPRUCE015 --closed DATE --reason TEXT"
    )


def test_a_case_closed_with_no_date_is_open_until_its_last_recorded_date(
    log: Any, tmp_path: Path
) -> None:
    """Issue 13: after importing a workbook with no closed-date column, every month showed 0
    closed and several 0 open. SPRUCE013 (received Tue 01/04/2025, its last recorded date the
    Stage 2 response of Fri 09/05) marked Closed with no date: it is open at the end of April
    (6 open then, as before) and finished from 09/05 (open at 31/05: 8 - 1 = 7), and never
    counted as closed in a month (May's closed stays 3: 012, 010, 001)."""
    store(f"sqlite:///{tmp_path / 'log.db'}", "SPRUCE013", status="Closed", closed=None)
    data = report_json(log, "emt", "--month", "2025-05")
    figures = by_key(data)
    april = next(t for t in data["trend"] if t["month"] == "2025-04")
    may = data["trend"][-1]
    assert (april["open_at_end"], may["open_at_end"], may["closed"]) == (6, 7, 3)
    assert figures["open_total"]["value"] == 7
    assert "SPRUCE013" not in counted(figures["closed"])
    assert "SPRUCE013" in counted(
        by_key(report_json(log, "emt", "--month", "2025-04"))["open_stage2"]
    )
    (note,) = [n for n in data["notes"] if "no closed date" in n]
    assert note.startswith(
        "2 case(s) are marked closed with no closed date (an imported log has no closed-date "
        "column): each counts as open until the last date it records"
    )


def test_every_figure_says_what_it_counts(log: Any) -> None:
    for kind, args in (("emt", ("--month", "2025-05")), ("annual", PERIOD)):
        data = report_json(log, kind, *args)
        for f in data["figures"]:
            assert len(f["note"]) > 30, (kind, f["key"])
        for b in data["breakdowns"]:
            assert b["note"], (kind, b["key"])
    figures = by_key(report_json(log, "annual", *PERIOD))
    alone = figures["ch02_stage1_response_only"]["note"]
    assert "7 of 8 (87.5%), against 6 of 8 (75.0%)" in alone
    assert "publish the timescales" in alone
    assert (
        "5 of 8 (62.5%), against 6 of 8 (75.0%)"
        in figures["ch02_stage1_from_first_contact"]["note"]
    )


def test_the_markdown_lists_cases_without_an_outcome(log: Any) -> None:
    md = log("report", "emt", "--month", "2025-05", "-f", "markdown").stdout
    assert "| not recorded | 1 | 0 | 1 |" in md
    assert "Outcomes, not recorded: SPRUCE003" in md
    assert "Categories, not recorded: SPRUCE005" in md
    data = json.loads(log("report", "annual", *PERIOD, "-f", "json").stdout)
    assert data["report"] == "annual"


def test_withdrawn_and_void_cases_are_never_open_or_overdue(log: Any) -> None:
    """A report once counted a Withdrawn case as overdue (issue 13). SPRUCE005 (received Wed
    14/05, acknowledgement due Mon 19/05: the one case overdue at 31/05) withdrawn with
    ``withdraw --date 20/05/2025``: still received in May, now withdrawn, neither open nor
    overdue at 31/05. SPRUCE006 (received Fri 30/05, open at Stage 1) voided with ``void``:
    logged in error, so in no figure at all (its receipt included). May then: received 5 (001,
    002, 003, 008, 005), withdrawn 2 (008, 005), open at Stage 1 002, 003 = 2, open 6 in all,
    overdue 0."""
    for args in (
        ("withdraw", "SPRUCE005", "--date", "20/05/2025", "--reason", "Phoned: repaired"),
        ("void", "SPRUCE006", "--reason", "Logged in error"),
    ):
        result = log(*args)
        assert result.exit_code == 0, result.output
    figures = by_key(report_json(log, "emt", "--month", "2025-05"))
    assert counted(figures["received"]) == [
        "SPRUCE001",
        "SPRUCE002",
        "SPRUCE003",
        "SPRUCE008",
        "SPRUCE005",
    ]
    assert counted(figures["withdrawn"]) == ["SPRUCE008", "SPRUCE005"]
    assert counted(figures["open_stage1"]) == ["SPRUCE002", "SPRUCE003"]
    assert (figures["open_total"]["value"], figures["overdue"]["value"]) == (6, 0)
    assert figures["overdue"]["cases"] == []
    every = {c["reference"] for f in figures.values() for c in f["cases"]}
    assert "SPRUCE006" not in every
    annual = by_key(report_json(log, "annual", *PERIOD))
    assert "SPRUCE006" not in {c["reference"] for f in annual.values() for c in f["cases"]}


def test_an_escalation_after_a_refused_request_is_a_real_one(log: Any) -> None:
    """SPRUCE010's Stage 2 request of Tue 20/05/2025 was refused (``refuse-escalation``); the
    case reopened and escalated on Tue 27/05 (main: ``escalate`` after a refusal goes ahead, the
    refusal stays on record). May: escalated 004 (06/05) and 010 (27/05); the refusal still
    counted, dated by its request; 010 open at Stage 2 on 31/05. CH01 Stage 2 over
    01/03-31/05: 007, 013, 004 and 010 counted (4 of 1,000 homes), the refused request counted
    out with why."""
    for args in (
        ("reopen", "SPRUCE010", "--reason", "Asked again with new evidence",
         "--date", "27/05/2025"),
        ("escalate", "SPRUCE010", "--received", "27/05/2025", "--review", "manager",
         "--details", "New evidence", "--handler", "Jo Reviewer"),
    ):  # fmt: skip
        result = log(*args)
        assert result.exit_code == 0, result.output
    figures = by_key(report_json(log, "emt", "--month", "2025-05"))
    assert counted(figures["escalated"]) == ["SPRUCE004", "SPRUCE010"]
    assert [(c["reference"], c["date"]) for c in figures["stage2_refused"]["cases"]] == [
        ("SPRUCE010", "2025-05-20")
    ]
    assert "SPRUCE010" in counted(figures["open_stage2"])
    ch01 = by_key(report_json(log, "annual", *PERIOD))["ch01_stage2"]
    assert ch01["text"] == "4.00 per 1,000 homes (4 of 1,000 homes)"
    assert [(c["reference"], c["counted"], c["date"]) for c in ch01["cases"]][-2:] == [
        ("SPRUCE010", True, "2025-05-27"),
        ("SPRUCE010", False, "2025-05-20"),
    ]
