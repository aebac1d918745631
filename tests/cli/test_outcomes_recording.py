"""Recording what the governing body is told (issue 13): category, tenure, outcome, the day
compensation was paid, and a refused Stage 2 escalation.

Spruce profile, England and Wales. Received Mon 03/02/2025; acknowledged Tue 04/02/2025;
Stage 1 response Mon 10/02/2025.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from tests.process_steps import Day, warnings


def _responded(day: Day, *extra: str) -> Any:
    day.log("2025-02-03", "--category", "repairs", "--tenure", "LCRA", "--summary", "Leak")
    day.ok("2025-02-04", "acknowledge", "SPRUCE001", "--date", "04/02/2025")
    return day.ok(
        "2025-02-10",
        "respond",
        "SPRUCE001",
        "--date",
        "10/02/2025",
        "--summary",
        "Repair booked",
        *extra,
    )


def _count(db: Path) -> int:
    with sqlite3.connect(db) as con:
        return int(con.execute("SELECT count(*) FROM complaint").fetchone()[0])


def test_log_records_the_teams_spelling_of_category_and_the_tenure(day: Day) -> None:
    day.log("2025-02-03", "--category", "damp & MOULD", "--tenure", "lcho")
    shown = day.show("2025-02-03")
    assert (shown["category"], shown["tenure"]) == ("Damp and mould", "low-cost home ownership")
    # A unique beginning is enough; the history says it in the log's words.
    day.log("2025-02-03", "--category", "anti")
    assert day.show("2025-02-03", "SPRUCE002")["category"] == "Anti-social behaviour"
    text = day.ok("2025-02-03", "show", "SPRUCE001").stdout
    assert "Category: (blank) -> Damp and mould" in " ".join(text.split())
    assert "Tenure (TSM stock type): (blank) -> low-cost home ownership" in " ".join(text.split())


@pytest.mark.parametrize(
    ("args", "error"),
    [
        (
            ("--category", "Dampness"),
            "--category 'Dampness' is not one of the team's categories: Repairs, Damp and "
            "mould, Anti-social behaviour, Service charges and rent, Staff conduct, "
            "Communication, Estate services, Other (the list is the categories setting: "
            "complaints config)",
        ),
        (
            ("--category", "s"),
            "--category 's' could be any of Service charges and rent, Staff conduct: give "
            "more of the name",
        ),
        (
            ("--tenure", "council"),
            "--tenure 'council' is not one of: LCRA (low-cost rental), LCHO (low-cost home "
            "ownership, shared ownership), other, unknown",
        ),
    ],
)
def test_a_typo_in_category_or_tenure_is_refused_and_nothing_is_logged(
    day: Day, isolated: Path, args: tuple[str, ...], error: str
) -> None:
    day.log("2025-02-03")
    before = _count(isolated / "log.db")
    result = day("2025-02-03", "log", "--complainant", "Bo", "--address", "2 High St",
                 "--handler", "Sam Patel", "--channel", "email", "--no-input", *args)  # fmt: skip
    assert result.exit_code == 1
    assert result.stderr.strip() == f"complaints: error: {error}"
    assert _count(isolated / "log.db") == before


def test_the_teams_own_categories_replace_the_default_list(
    day: Day, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COMPLAINTS_CATEGORIES", "Lifts; Heating;Repairs")
    day.log("2025-02-03", "--category", "lifts")
    assert day.show("2025-02-03")["category"] == "Lifts"
    error = day.fails("2025-02-03", "correct", "SPRUCE001", "--category", "Damp", "--reason", "x")
    assert error.startswith("--category 'Damp' is not one of the team's categories: Lifts, ")
    day.ok("2025-02-03", "correct", "SPRUCE001", "--category", "heating", "--reason", "Misread")
    assert day.show("2025-02-03")["category"] == "Heating"
    config = day.ok("2025-02-03", "config", "--format", "json").stdout
    row = next(r for r in json.loads(config) if r["setting"] == "categories")
    assert row["source"] == "env COMPLAINTS_CATEGORIES"
    monkeypatch.setenv("COMPLAINTS_CATEGORIES", "Lifts;lifts")
    assert day.fails("2025-02-03", "list") == (
        "categories (from env COMPLAINTS_CATEGORIES) must list each category once (lifts twice)"
    )


def test_respond_records_the_outcome_and_the_payment(day: Day) -> None:
    result = _responded(
        day,
        "--outcome",
        "Partly-Upheld",
        "--compensation",
        "50",
        "--compensation-reason",
        "time and trouble",
        "--paid",
        "10/02/2025",
    )
    assert warnings(result) == []
    shown = day.show("2025-02-10")
    assert shown["stage1_outcome"] == "partly upheld"
    assert shown["compensation_paid"] == "2025-02-10"
    assert shown["compensation_amount"] == "50.00"


def test_a_response_without_an_outcome_is_recorded_with_a_warning_that_says_the_fix(
    day: Day,
) -> None:
    result = _responded(day)
    assert warnings(result) == [
        "SPRUCE001: no outcome recorded (upheld, partly upheld, not upheld, resolved); the "
        "governing body's figures count it as unknown: complaints correct SPRUCE001 --outcome "
        "OUTCOME --reason TEXT"
    ]
    day.ok("2025-02-11", "correct", "SPRUCE001", "--outcome", "not upheld", "--reason", "Letter")
    assert day.show("2025-02-11")["stage1_outcome"] == "not upheld"


@pytest.mark.parametrize(
    ("args", "error"),
    [
        (("--paid", "10/02/2025"), "--paid needs --compensation AMOUNT: what was paid"),
        (
            ("--compensation", "50", "--compensation-reason", "x", "--paid", "07/02/2025"),
            "payment date 07/02/2025 is before the response 10/02/2025",
        ),
        (
            ("--outcome", "withdrawn"),
            "a withdrawn complaint has no response: record it with complaints withdraw SPRUCE001",
        ),
        (
            ("--outcome", "uphold"),
            "--outcome 'uphold' is not one of: upheld, partly upheld, not upheld, resolved; "
            "did you mean upheld?",
        ),
    ],
)
def test_respond_refuses_a_payment_or_outcome_that_cannot_be(
    day: Day, args: tuple[str, ...], error: str
) -> None:
    day.log("2025-02-03", "--summary", "Leak")
    day.ok("2025-02-04", "acknowledge", "SPRUCE001", "--date", "04/02/2025")
    assert (
        day.fails(
            "2025-02-10", "respond", "SPRUCE001", "--date", "10/02/2025", "--summary", "x", *args
        )
        == error
    )
    assert day.show("2025-02-10")["stage1_responded"] is None


def test_compensation_paid_later_at_each_stage(day: Day) -> None:
    _responded(day, "--outcome", "upheld", "--compensation", "£75", "--compensation-reason", "x")
    out = day.ok("2025-02-20", "compensation", "paid", "SPRUCE001", "--date", "20/02/2025").stdout
    assert "Stage 1 compensation £75.00 paid 20/02/2025" in out
    assert day.show("2025-02-20")["compensation_paid"] == "2025-02-20"
    assert day.fails("2025-02-21", "compensation", "paid", "SPRUCE001") == (
        "SPRUCE001: the Stage 1 compensation is already recorded as paid on 20/02/2025 (a "
        "wrong date: complaints correct SPRUCE001 --compensation-paid DATE --reason TEXT)"
    )
    assert day.fails("2025-02-21", "compensation", "paid", "SPRUCE001", "--stage", "2") == (
        "SPRUCE001 has no Stage 2 compensation recorded: record the award first (complaints "
        "correct SPRUCE001 --stage2-compensation AMOUNT --reason TEXT)"
    )
    assert day.fails("2025-02-21", "compensation", "paid", "SPRUCE001", "--stage", "HOS") == (
        "--stage 'HOS' must be 1 or 2: compensation is decided there"
    )
    day.ok("2025-02-21", "escalate", "SPRUCE001", "--received", "21/02/2025", "--review",
           "compensation", "--details", "Not enough", "--handler", "Jo Blake")  # fmt: skip
    day.ok("2025-02-24", "acknowledge", "SPRUCE001", "--date", "24/02/2025")
    day.ok("2025-03-10", "respond", "SPRUCE001", "--date", "10/03/2025", "--summary", "More",
           "--outcome", "upheld", "--compensation", "100",
           "--compensation-reason", "distress")  # fmt: skip
    day.ok("2025-03-10", "close", "SPRUCE001", "--date", "10/03/2025")
    # A closed case takes its payment; with no --stage, the unpaid Stage 2 award is meant.
    out = day.ok("2025-03-14", "compensation", "paid", "SPRUCE001", "--date", "14/03/2025").stdout
    assert "Stage 2 compensation £100.00 paid 14/03/2025" in out
    shown = day.show("2025-03-14")
    assert (shown["compensation_paid"], shown["stage2_compensation_paid"]) == (
        "2025-02-20",
        "2025-03-14",
    )
    assert [h["command"] for h in shown["history"]].count("compensation paid") == 2
    text = " ".join(day.ok("2025-03-14", "show", "SPRUCE001").stdout.split())
    assert "Stage 2 compensation £100.00 (distress)" in text
    assert "Stage 2 compensation payment date 14/03/2025" in text


@pytest.mark.parametrize(
    ("when", "error"),
    [
        ("09/02/2025", "payment date 09/02/2025 is before the Stage 1 response 10/02/2025"),
        ("21/02/2025", "payment date 21/02/2025 is in the future (today is 20/02/2025)"),
    ],
)
def test_a_payment_date_out_of_order_is_refused(day: Day, when: str, error: str) -> None:
    _responded(day, "--outcome", "upheld", "--compensation", "75", "--compensation-reason", "x")
    assert day.fails("2025-02-20", "compensation", "paid", "SPRUCE001", "--date", when) == error
    assert day.show("2025-02-20")["compensation_paid"] is None


def test_a_void_case_takes_no_payment(day: Day) -> None:
    _responded(day, "--outcome", "upheld", "--compensation", "75", "--compensation-reason", "x")
    day.ok("2025-02-11", "void", "SPRUCE001", "--reason", "Logged twice")
    assert day.fails("2025-02-12", "compensation", "paid", "SPRUCE001") == (
        "SPRUCE001 is void: reopen it first to record a payment"
    )


def test_refuse_escalation_records_the_request_the_reason_and_when_told(day: Day) -> None:
    _responded(day, "--outcome", "not upheld")
    result = day.ok(
        "2025-02-20",
        "refuse-escalation",
        "SPRUCE001",
        "--received",
        "18/02/2025",
        "--reason",
        "Subject of court proceedings (policy 5.2)",
    )
    assert "Stage 2 request of 18/02/2025 refused: Subject of court proceedings" in result.stdout
    assert warnings(result) == [
        "SPRUCE001: the Code requires a Stage 2 review when the resident remains unhappy (Code "
        "6.10, 6.12); refuse only a complaint the policy excludes, and tell the resident in "
        "writing why and that they may refer it to the Housing Ombudsman (Code 5.6)",
        "SPRUCE001: record when the resident was told: complaints refuse-escalation SPRUCE001 "
        "--received 18/02/2025 --told DATE",
    ]
    shown = day.show("2025-02-20")
    # Never an escalation: the case stays at Stage 1 with columns 16-19 blank.
    assert (shown["stage"], shown["escalation_received"]) == ("Stage 1", None)
    assert (shown["stage2_refused"], shown["stage2_refusal_told"]) == ("2025-02-18", None)
    assert shown["stage2_refused_reason"] == "Subject of court proceedings (policy 5.2)"
    # The warning's own command adds the day the resident was told.
    day.ok("2025-02-21", "refuse-escalation", "SPRUCE001", "--received", "18/02/2025",
           "--told", "21/02/2025")  # fmt: skip
    assert day.show("2025-02-21")["stage2_refusal_told"] == "2025-02-21"
    text = " ".join(day.ok("2025-02-21", "show", "SPRUCE001").stdout.split())
    assert "Stage 2 refused requested 18/02/2025: Subject of court proceedings (policy 5.2); " \
        "resident told 21/02/2025" in text  # fmt: skip
    assert "Why Stage 2 was refused: (blank) -> Subject of court proceedings" in text
    assert day.fails("2025-02-24", "refuse-escalation", "SPRUCE001", "--received",
                     "18/02/2025", "--reason", "again") == (
        "SPRUCE001: a Stage 2 request of 18/02/2025 is already recorded as refused (Subject "
        "of court proceedings (policy 5.2))"
    )  # fmt: skip


@pytest.mark.parametrize(
    ("setup", "args", "error"),
    [
        (
            "logged",
            ("--received", "05/02/2025", "--reason", "x"),
            "SPRUCE001 has no Stage 1 response yet: a Stage 2 request comes after it (record "
            "the response with complaints respond SPRUCE001)",
        ),
        (
            "responded",
            ("--received", "07/02/2025", "--reason", "x"),
            "escalation request date 07/02/2025 is before the Stage 1 response 10/02/2025",
        ),
        (
            "responded",
            ("--received", "12/02/2025"),
            "--reason is required: why the escalation is refused",
        ),
        (
            "responded",
            ("--reason", "x"),
            "--received is required: the date the resident asked for Stage 2",
        ),
        (
            "responded",
            ("--received", "12/02/2025", "--reason", "x", "--told", "11/02/2025"),
            "date the resident was told 11/02/2025 is before the request 12/02/2025",
        ),
        (
            "escalated",
            ("--received", "12/02/2025", "--reason", "x"),
            "SPRUCE001 is already escalated (Stage 2): nothing to refuse",
        ),
    ],
)
def test_refuse_escalation_refuses_what_cannot_be(
    day: Day, setup: str, args: tuple[str, ...], error: str
) -> None:
    if setup == "logged":
        day.log("2025-02-03", "--summary", "Leak")
    else:
        _responded(day, "--outcome", "upheld")
    if setup == "escalated":
        day.ok("2025-02-12", "escalate", "SPRUCE001", "--received", "12/02/2025", "--review",
               "manager", "--details", "Unhappy", "--handler", "Jo Blake")  # fmt: skip
    before = day.show("2025-02-14")
    assert day.fails("2025-02-14", "refuse-escalation", "SPRUCE001", *args) == error
    after = day.show("2025-02-14")
    assert after["version"] == before["version"]


def test_list_filters_by_category_and_final_outcome(day: Day) -> None:
    _responded(day, "--outcome", "upheld")
    day.log("2025-02-03", "--category", "Staff conduct")
    day.log("2025-02-03")
    day.ok("2025-02-12", "escalate", "SPRUCE001", "--received", "12/02/2025", "--review",
           "manager", "--details", "Unhappy", "--handler", "Jo Blake")  # fmt: skip
    day.ok("2025-02-13", "acknowledge", "SPRUCE001", "--date", "13/02/2025")
    day.ok("2025-03-03", "respond", "SPRUCE001", "--date", "03/03/2025", "--summary", "No",
           "--outcome", "not upheld")  # fmt: skip

    def refs(*args: str) -> list[str]:
        out = day.ok("2025-03-03", "list", "--format", "json", *args).stdout
        return [c["reference"] for c in json.loads(out)]

    assert refs("--category", "repairs") == ["SPRUCE001"]
    assert refs("--category", "staff") == ["SPRUCE002"]
    # The outcome the complaint ended with: Stage 2's, not Stage 1's.
    assert refs("--outcome", "upheld") == []
    assert refs("--outcome", "not-upheld") == ["SPRUCE001"]
    assert refs("--outcome", "none") == ["SPRUCE002", "SPRUCE003"]
    assert day.fails("2025-03-03", "list", "--category", "Stafff conduct").startswith(
        "--category 'Stafff conduct' is not one of the team's categories:"
    )


def test_recording_works_on_each_backend(db_url: str, day: Day) -> None:
    _responded(day, "--outcome", "resolved", "--compensation", "20", "--compensation-reason", "x")
    day.ok("2025-02-14", "compensation", "paid", "SPRUCE001", "--date", "14/02/2025")
    day.ok("2025-02-20", "refuse-escalation", "SPRUCE001", "--received", "18/02/2025",
           "--reason", "Court proceedings", "--told", "19/02/2025")  # fmt: skip
    shown = day.show("2025-02-20")
    assert (shown["category"], shown["tenure"], shown["stage1_outcome"]) == (
        "Repairs",
        "low-cost rental",
        "resolved",
    )
    assert (shown["compensation_paid"], shown["stage2_refused"], shown["stage2_refusal_told"]) == (
        "2025-02-14",
        "2025-02-18",
        "2025-02-19",
    )


def test_an_escalation_after_a_refusal_goes_ahead_and_the_refusal_stays(day: Day) -> None:
    _responded(day, "--outcome", "not upheld")
    day.ok("2025-02-20", "refuse-escalation", "SPRUCE001", "--received", "18/02/2025",
           "--reason", "Out of time", "--told", "19/02/2025")  # fmt: skip
    out = day.ok("2025-02-24", "escalate", "SPRUCE001", "--received", "24/02/2025",
                 "--review", "manager", "--details", "Reconsidered",
                 "--handler", "Jo Blake").stdout  # fmt: skip
    assert (
        "note: the Stage 2 request of 18/02/2025 was refused (Out of time); the refusal stays on "
        "record and this escalation goes ahead" in out
    )
    shown = day.show("2025-02-24")
    assert (shown["stage"], shown["stage2_refused"]) == ("Stage 2", "2025-02-18")


def test_list_by_handler_knows_handlers_not_action_owners(day: Day) -> None:
    _responded(day, "--outcome", "upheld", "--action", "Fix", "--action-due", "20/02/2025",
               "--action-owner", "Repairs team")  # fmt: skip
    error = day.fails("2025-02-11", "list", "--handler", "Repairs team")
    assert error == (
        "--handler 'Repairs team' is not a handler in the log (the log knows: Sam Patel)"
    )
    # due lists actions by their owner, so it knows the owner.
    assert [r for r, *_ in day.due("2025-02-11", "--handler", "repairs team", "--within", "10")]


def test_the_same_complaint_logged_twice_is_warned_with_the_void_that_fixes_it(
    day: Day,
) -> None:
    day.log("2025-02-03")
    again = day.cli("log", "--complainant", " ann  LEE", "--address", "1 essex brewery",
                    "--received", "03/02/2025", "--handler", "Sam Patel",
                    "--channel", "phone")  # fmt: skip
    assert again.exit_code == 0, again.output
    assert warnings(again) == [
        "SPRUCE001 has the same complainant, address and date received: if SPRUCE002 is the "
        "same complaint logged twice, void it with complaints void SPRUCE002 --duplicate-of "
        "SPRUCE001 --reason TEXT"
    ]
    day.ok("2025-02-03", "void", "SPRUCE002", "--duplicate-of", "SPRUCE001", "--reason", "Twice")
    # An accent typed or left out is the same person (the fresh-user trial: "Ffion Jônes").
    accented = day.cli("log", "--complainant", "Ánn Lée", "--address", "1 Essex Brewery",
                       "--received", "03/02/2025", "--handler", "Sam Patel",
                       "--channel", "phone")  # fmt: skip
    assert accented.exit_code == 0, accented.output
    assert warnings(accented)[0].startswith("SPRUCE001 has the same complainant, address")
    # Another date, or another address, is another complaint.
    other = day.log("2025-02-04", received="04/02/2025")
    assert warnings(other) == []


def test_due_filters_by_category(day: Day) -> None:
    day.log("2025-02-03", "--category", "repairs")
    day.log("2025-02-03", "--category", "damp", "--address", "2 Mill Lane")
    assert {r for r, *_ in day.due("2025-02-04", "--category", "Damp and mould")} == {"SPRUCE002"}
    assert {r for r, *_ in day.due("2025-02-04", "--category", "REPAIRS")} == {"SPRUCE001"}
    assert day.fails("2025-02-04", "due", "--category", "Dampp").startswith(
        "--category 'Dampp' is not one of the team's categories:"
    )
