"""Records put right without being lost: correct, withdraw, void (issue 12, items 1-3, 7, 8).

Spruce profile, England and Wales. Received Mon 03/02/2025; acknowledgement due Thu 06/02/2025;
Stage 1 response due Thu 20/02/2025 until an acknowledgement is recorded.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.process_steps import Day, warnings


def test_correct_changes_a_column_keeps_the_old_value_and_renames_the_folder(
    day: Day, root: Path
) -> None:
    day.log("2025-02-03")
    assert (root / "1 Essex Brewery – SPRUCE001").is_dir()
    (root / "1 Essex Brewery – SPRUCE001" / "letter.docx").write_bytes(b"kept")
    out = day.ok(
        "2025-02-05",
        "correct",
        "SPRUCE001",
        "--address",
        "1A Essex Brewery",
        "--complainant",
        "Ann Leigh",
        "--reason",
        "Misread from the letter",
    ).stdout
    assert "address: 1 Essex Brewery -> 1A Essex Brewery" in out
    assert "complainant: Ann Lee -> Ann Leigh" in out
    assert "Folder renamed: 1 Essex Brewery – SPRUCE001 -> 1A Essex Brewery – SPRUCE001" in out
    assert not (root / "1 Essex Brewery – SPRUCE001").exists()
    assert (root / "1A Essex Brewery – SPRUCE001" / "letter.docx").read_bytes() == b"kept"
    shown = day.show("2025-02-05")
    assert (shown["address"], shown["complainant"]) == ("1A Essex Brewery", "Ann Leigh")
    assert shown["folder"] == "1A Essex Brewery – SPRUCE001"
    last = [h for h in shown["history"] if h["command"] == "correct"][-1]
    assert last["changes"]["address"] == ["1 Essex Brewery", "1A Essex Brewery"]
    assert last["changes"]["complainant"] == ["Ann Lee", "Ann Leigh"]
    assert last["note"] == "Misread from the letter"


def test_a_corrected_received_date_moves_the_deadlines(day: Day) -> None:
    day.log("2025-02-03")
    day.ok("2025-02-05", "correct", "SPRUCE001", "--received", "05/02/2025", "--reason", "x")
    shown = day.show("2025-02-05")
    assert shown["received"] == "2025-02-05"
    assert ("SPRUCE001", "acknowledge", "2025-02-10", "Acknowledge the complaint") in [
        (r, k, d, m) for r, k, d, m in day.due("2025-02-05")
    ]


@pytest.mark.parametrize(
    ("args", "error"),
    [
        (
            ("--complainant", "Ann"),
            "--reason is required: why the record is being corrected",
        ),
        (
            ("--reason", "x"),
            'give at least one column to correct, e.g. --complainant "Ann Lee" or '
            "--received 03/02/2025 (complaints correct --help lists them)",
        ),
        (
            ("--received", "12/02/2025", "--reason", "x"),
            "SPRUCE001 not corrected: the date received 12/02/2025 is in the future "
            "(today is 10/02/2025)",
        ),
        (
            ("--received", "07/02/2025", "--reason", "x"),
            "SPRUCE001 not corrected: the acknowledgement 06/02/2025 is before the date "
            "received 07/02/2025",
        ),
        (
            ("--complainant", "none", "--reason", "x"),
            "--complainant cannot be emptied: the log needs the complainant",
        ),
        (
            ("--complainant", "Ann Lee", "--reason", "x"),
            "SPRUCE001 already says that: nothing to correct",
        ),
        (
            ("--closed", "07/02/2025", "--reason", "x"),
            "SPRUCE001 is Open: close it (complaints close) to record a closing date",
        ),
        (
            ("--received", "31/02/2025", "--reason", "x"),
            None,  # a date that does not exist: the date grammar's own message
        ),
        (
            ("--outcome", "uphold", "--reason", "x"),
            "--outcome 'uphold' is not one of: upheld, partly upheld, not upheld, resolved, "
            "withdrawn; did you mean upheld?",
        ),
    ],
)
def test_a_correction_that_breaks_the_record_is_refused_and_nothing_changes(
    day: Day, args: tuple[str, ...], error: str | None
) -> None:
    day.log("2025-02-03")
    day.ok("2025-02-06", "acknowledge", "SPRUCE001", "--date", "06/02/2025", "--summary", "Damp")
    before = day.show("2025-02-10")
    message = day.fails("2025-02-10", "correct", "SPRUCE001", *args)
    if error is None:
        assert message.startswith("--received '31/02/2025'"), message
    else:
        assert message == error
    assert day.show("2025-02-10") == before


def test_the_stage2_handler_cannot_be_corrected_to_the_stage1_handler(day: Day) -> None:
    day.log("2025-02-03")
    day.ok("2025-02-04", "acknowledge", "SPRUCE001", "--summary", "Damp")
    day.ok("2025-02-10", "respond", "SPRUCE001", "--summary", "Upheld")
    day.ok(
        "2025-02-11",
        "escalate",
        "SPRUCE001",
        "--details",
        "Not happy",
        "--received",
        "11/02/2025",
        "--review",
        "manager",
        "--handler",
        "Kim Ode",
    )
    message = day.fails(
        "2025-02-12", "correct", "SPRUCE001", "--stage2-handler", "Sam Patel", "--reason", "x"
    )
    assert "Sam Patel" in message and "Stage 1" in message


def test_none_empties_an_optional_column(day: Day) -> None:
    day.log("2025-02-03", "--summary", "Damp")
    day.ok("2025-02-04", "correct", "SPRUCE001", "--summary", "none", "--reason", "Wrong case")
    assert day.show("2025-02-04")["complaint_summary"] is None


def test_withdrawn_is_not_chased_is_listed_and_reopen_reverses_it(day: Day) -> None:
    day.log("2025-02-03")
    assert day.fails("2025-02-05", "withdraw", "SPRUCE001") == (
        "--reason is required: what the resident said, and how"
    )
    assert day.fails(
        "2025-02-05", "withdraw", "SPRUCE001", "--date", "06/02/2025", "--reason", "x"
    ).startswith("withdrawal date 06/02/2025 is in the future")
    out = day.ok("2025-02-05", "withdraw", "SPRUCE001", "--reason", "Phoned: repair done").stdout
    assert "SPRUCE001 withdrawn on 05/02/2025: nothing is chased" in out
    shown = day.show("2025-02-05")
    assert (shown["status"], shown["stage1_outcome"], shown["withdrawn"]) == (
        "Withdrawn",
        "withdrawn",
        "2025-02-05",
    )
    assert day.due("2025-02-20") == []
    listed = day.ok("2025-02-05", "list").stdout
    assert "SPRUCE001   Withdrawn" in listed
    assert day.fails("2025-02-06", "respond", "SPRUCE001", "--summary", "x") == (
        "SPRUCE001 is withdrawn: reopen it first (complaints reopen SPRUCE001)"
    )
    day.ok("2025-02-06", "reopen", "SPRUCE001", "--reason", "She rang back: not fixed")
    shown = day.show("2025-02-06")
    assert (shown["status"], shown["withdrawn"], shown["stage1_outcome"]) == ("Open", None, None)
    assert [k for _, k, _, _ in day.due("2025-02-06", "--within", "15")] == [
        "contact",
        "acknowledge",
        "stage1_response",
    ]


def test_void_is_out_of_every_list_its_reference_is_never_reused(day: Day) -> None:
    day.log("2025-02-03")
    day.log("2025-02-03")
    assert day.fails(
        "2025-02-04", "void", "SPRUCE002", "--duplicate-of", "SPRUCE002", "--reason", "x"
    ) == ("SPRUCE002 cannot be a duplicate of itself")
    out = day.ok(
        "2025-02-04", "void", "SPRUCE002", "--duplicate-of", "SPRUCE001", "--reason", "Twice"
    ).stdout
    assert "SPRUCE002 is void, a duplicate of SPRUCE001" in out
    assert "SPRUCE002" not in day.ok("2025-02-04", "list").stdout
    assert "SPRUCE002" in day.ok("2025-02-04", "list", "--status", "void").stdout
    assert {r for r, *_ in day.due("2025-02-04")} == {"SPRUCE001"}
    exported = json.loads(day.ok("2025-02-04", "list", "--format", "json").stdout)
    assert [c["reference"] for c in exported] == ["SPRUCE001"]
    assert day.log("2025-02-04").stdout.startswith("Logged SPRUCE003")
    shown = day.show("2025-02-04", "SPRUCE002")
    assert (shown["status"], shown["void_reason"]) == ("Void", "Twice")
    assert day.fails("2025-02-04", "void", "SPRUCE002", "--reason", "again").startswith(
        "SPRUCE002 is already void"
    )
    assert day.fails(
        "2025-02-04", "correct", "SPRUCE002", "--complainant", "X", "--reason", "x"
    ) == ("SPRUCE002 is void: reopen it first to correct it")
    day.ok("2025-02-05", "reopen", "SPRUCE002", "--reason", "Not a duplicate after all")
    assert day.show("2025-02-05", "SPRUCE002")["status"] == "Open"


def test_a_void_case_is_not_counted_in_the_monthly_report(day: Day) -> None:
    day.log("2025-02-03")
    day.log("2025-02-03")
    day.ok("2025-02-04", "void", "SPRUCE002", "--reason", "Logged in error")
    report = json.loads(
        day.ok("2025-03-03", "report", "emt", "--month", "2025-02", "--format", "json").stdout
    )
    figures = {f["key"]: f for f in report["figures"]}
    assert figures["received"]["value"] == 1
    assert [c["reference"] for c in figures["received"]["cases"]] == ["SPRUCE001"]


@pytest.mark.parametrize(
    ("args", "error"),
    [
        (
            ("list", "--status", "Withdrawnn"),
            "--status 'Withdrawnn' is not one of: Open, Closed, Not accepted, Withdrawn, Void; "
            "did you mean Withdrawn?",
        ),
        (
            ("list", "--handler", "Sam Patl"),
            "--handler 'Sam Patl' is not a handler in the log; did you mean Sam Patel? "
            "(the log knows: Sam Patel)",
        ),
        (
            ("due", "--handler", "Sam Patl"),
            "--handler 'Sam Patl' is not a handler in the log; did you mean Sam Patel? "
            "(the log knows: Sam Patel)",
        ),
        (("list", "--stage", "3"), None),
    ],
)
def test_a_typo_in_a_filter_is_an_error_never_an_empty_answer(
    day: Day, args: tuple[str, ...], error: str | None
) -> None:
    day.log("2025-02-03")
    message = day.fails("2025-02-04", *args)
    if error is None:
        assert message.startswith("--stage '3' is not one of"), message
    else:
        assert message == error


def test_an_empty_log_says_so_rather_than_nothing_due(day: Day) -> None:
    for command in ("list", "due"):
        result = day("2025-02-04", command)
        assert result.exit_code == 0
        assert "Nothing due." not in result.stdout
        assert "The log " in result.stdout
        assert "is empty: log a complaint (complaints log) or import your workbook" in (
            result.stdout
        )
        as_json = day("2025-02-04", command, "--format", "json")
        assert as_json.stdout.strip() == "[]"
        assert "is empty" in as_json.stderr


def test_due_as_of_a_past_day_shows_the_log_as_it_stood(day: Day) -> None:
    """Before: a case acknowledged and answered since then vanished from an earlier --as-of."""
    day.log("2025-02-03")
    day.ok("2025-02-04", "acknowledge", "SPRUCE001", "--summary", "Damp")
    day.ok("2025-02-10", "respond", "SPRUCE001", "--summary", "Upheld")
    assert day.due("2025-02-20") == []
    earlier = day.ok(
        "2025-02-20", "due", "--as-of", "2025-02-03", "--within", "15", "--format", "json"
    ).stdout
    assert [(i["key"], i["due"]) for i in json.loads(earlier)] == [
        ("contact", "2025-02-04"),
        ("acknowledge", "2025-02-06"),
        ("stage1_response", "2025-02-20"),
    ]


def test_due_warns_when_stored_deadlines_are_stale(day: Day, tmp_path: Path) -> None:
    import sqlite3

    day.log("2025-02-03")
    with sqlite3.connect(tmp_path / "log.db") as db:
        db.execute("UPDATE complaint SET deadlines_key = 'another profile'")
    result = day("2025-02-04", "due")
    assert result.exit_code == 0
    assert warnings(result) == [
        "1 open case(s) had deadlines worked out with another profile, nation or closures: "
        "worked out again for this list; store them with complaints db recompute"
    ]
    assert "SPRUCE001" in result.stdout
    day.ok("2025-02-04", "db", "recompute")
    assert warnings(day("2025-02-04", "due")) == []


def test_history_speaks_the_logs_words_and_json_keeps_the_field_names(day: Day) -> None:
    """Before: ``compensation_pence: (blank) -> 7500``."""
    day.log("2025-02-03")
    day.ok("2025-02-04", "acknowledge", "SPRUCE001", "--summary", "Damp")
    day.ok(
        "2025-02-10",
        "respond",
        "SPRUCE001",
        "--summary",
        "Upheld",
        "--compensation",
        "75",
        "--compensation-reason",
        "Time and trouble",
    )
    table = day.ok("2025-02-10", "history", "SPRUCE001").stdout
    flat = " ".join(table.split())
    assert "Complaint received: (blank) -> 03/02/2025" in flat
    assert "Compensation paid: (blank) -> £75.00" in flat
    assert "Date response was sent: (blank) -> 10/02/2025" in flat
    assert "compensation_amount" not in flat and "stage1_responded" not in flat
    entries = json.loads(day.ok("2025-02-10", "history", "SPRUCE001", "-f", "json").stdout)
    assert entries[-1]["changes"]["compensation_amount"] == [None, "75.00"]
    assert entries[-1]["changes"]["stage1_responded"] == [None, "2025-02-10"]
