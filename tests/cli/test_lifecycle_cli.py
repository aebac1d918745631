"""The case lifecycle through the CLI, with ``due --as-of`` checked at every step.

Dates (England and Wales, Spruce profile), worked by hand:
- received Fri 19/12/2025. Contact due +1 wd = Mon 22/12; acknowledge +3 wd = Wed 24/12
  (Thu 25 Christmas, Fri 26 Boxing Day are bank holidays).
- acknowledged Wed 24/12 (on the deadline day: met). Stage 1 response +10 wd from it:
  29, 30, 31 Dec, [1 Jan holiday], 2, 5, 6, 7, 8, 9, 12 Jan -> Mon 12/01/2026.
- extended by 10 wd -> 13..16, 19..23, 26 Jan -> Mon 26/01/2026.
- responded Tue 20/01 (after 12/01, within the extension: met via the extension).
- escalated Mon 26/01: Stage 2 acknowledge +5 wd = Mon 02/02; response +20 wd = Mon 23/02.
- responded at Stage 2 Fri 20/02 (met). Ombudsman asks for evidence Mon 02/03: due +15 wd
  = Mon 23/03/2026.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest

from tests.conftest import LOG_ARGS


@pytest.fixture
def at(cli: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    """Run the CLI as if today were ``day`` (yyyy-mm-dd)."""

    def run(day: str, *args: str) -> Any:
        monkeypatch.setenv("COMPLAINTS_TODAY", day)
        return cli(*args)

    return run


def due(at: Any, day: str, *extra: str) -> list[tuple[str, str, str, int]]:
    result = at(day, "due", "--as-of", day, "--format", "json", *extra)
    assert result.exit_code == 0, result.output
    return [
        (i["reference"], i["key"], i["due"], i["working_days_left"])
        for i in json.loads(result.stdout)
    ]


def case(at: Any, day: str, ref: str = "SPRUCE001") -> dict[str, Any]:
    return json.loads(at(day, "show", ref, "-f", "json").stdout)  # type: ignore[no-any-return]


def log(at: Any, day: str, received: str, handler: str = "Sam Patel") -> None:
    args = list(LOG_ARGS)
    args[args.index("--received") + 1] = received
    args[args.index("--handler") + 1] = handler
    result = at(day, "log", *args)
    assert result.exit_code == 0, result.output


def ok(result: Any) -> Any:
    assert result.exit_code == 0, result.output
    return result


def test_stage1_to_stage2_to_ombudsman(at: Any, db_url: str) -> None:
    log(at, "2025-12-19", "2025-12-19")
    assert due(at, "2025-12-19") == [
        ("SPRUCE001", "contact", "2025-12-22", 1),
        ("SPRUCE001", "acknowledge", "2025-12-24", 3),
    ]
    # Nothing due within 0 days ahead on the Friday itself; overdue list is empty.
    assert due(at, "2025-12-19", "--overdue") == []

    out = ok(at("2025-12-24", "acknowledge", "SPRUCE001", "--summary", "Damp in bathroom"))
    assert "within the timeframe (due 24/12/2025)" in out.stdout
    assert "Stage 1 response, due Mon 12/01/2026" in out.stdout
    c = case(at, "2025-12-24")
    assert (c["acknowledged"], c["ack_met"], c["ack_met_note"]) == ("2025-12-24", True, None)
    assert due(at, "2026-01-05") == [("SPRUCE001", "stage1_response", "2026-01-12", 5)]

    ok(at("2026-01-09", "extend", "SPRUCE001", "--reason", "Awaiting damp survey", "--told"))
    c = case(at, "2026-01-09")
    assert (c["stage1_extension"], c["stage1_extended_to"], c["stage1_extension_told"]) == (
        True,
        "2026-01-26",
        True,
    )
    assert due(at, "2026-01-13") == []  # 26/01 is beyond the default 5 working days
    assert due(at, "2026-01-13", "--within", "9") == [
        ("SPRUCE001", "stage1_response", "2026-01-26", 9)
    ]
    assert due(at, "2026-01-13", "--overdue") == []

    out = ok(
        at(
            "2026-01-20",
            "respond",
            "SPRUCE001",
            "--summary",
            "Upheld: survey done",
            "--compensation",
            "£1,250.00",
            "--compensation-reason",
            "time and trouble",
            "--action",
            "Replace extractor fan",
            "--action-due",
            "2026-02-06",
        )
    )
    assert "within the extension" in out.stdout
    c = case(at, "2026-01-20")
    assert (c["stage1_responded"], c["stage1_met"], c["compensation_amount"]) == (
        "2026-01-20",
        True,
        "1250.00",
    )
    assert c["actions"] == [
        {
            "number": 1,
            "stage": "Stage 1",
            "kind": "action",
            "text": "Replace extractor fan",
            "owner": "Sam Patel",
            "due": "2026-02-06",
            "done": None,
        }
    ]
    # Weekly updates on the action (5 wd from the response: Tue 27/01), the action itself,
    # and the close window (20 wd from the response: Tue 17/02).
    assert due(at, "2026-01-27", "--within", "10") == [
        ("SPRUCE001", "update", "2026-01-27", 0),
        ("SPRUCE001", "action_1", "2026-02-06", 8),
    ]
    ok(at("2026-01-27", "update", "SPRUCE001", "--note", "Phoned: fan ordered"))
    assert due(at, "2026-01-27", "--within", "5")[0][1:3] == ("update", "2026-02-03")

    # The resident escalates; the Stage 1 handler may not review it.
    refused = at(
        "2026-01-26",
        "escalate",
        "SPRUCE001",
        "--received",
        "2026-01-26",
        "--review",
        "manager",
        "--details",
        "Still damp",
        "--handler",
        " sam  PATEL ",
    )
    assert refused.exit_code == 1
    assert "must not be the Stage 1 handler" in refused.stderr
    ok(
        at(
            "2026-01-27",
            "escalate",
            "SPRUCE001",
            "--received",
            "2026-01-26",
            "--review",
            "manager",
            "--details",
            "Still damp",
            "--handler",
            "Jordan Blake",
        )
    )
    items = due(at, "2026-01-28", "--within", "20")
    assert ("SPRUCE001", "stage2_acknowledge", "2026-02-02", 3) in items
    assert ("SPRUCE001", "stage2_response", "2026-02-23", 18) in items
    stage2 = json.loads(
        at(
            "2026-01-28",
            "due",
            "--as-of",
            "2026-01-28",
            "--within",
            "20",
            "-f",
            "json",
            "--handler",
            "jordan blake",
        ).stdout
    )
    # Jordan's: the Stage 2 deadlines and, now the case is at Stage 2, the weekly update.
    assert {i["key"] for i in stage2} == {"stage2_acknowledge", "stage2_response", "update"}
    assert {i["handler"] for i in stage2} == {"Jordan Blake"}

    ok(at("2026-01-29", "acknowledge", "SPRUCE001"))
    ok(at("2026-01-30", "action", "done", "SPRUCE001", "1"))
    assert [i[1] for i in due(at, "2026-02-02", "--within", "20")] == ["stage2_response"]
    ok(at("2026-02-20", "respond", "SPRUCE001", "--summary", "Review upheld Stage 1"))
    c = case(at, "2026-02-20")
    assert (c["stage2_responded"], c["stage2_met"], c["stage2_extension"]) == (
        "2026-02-20",
        True,
        False,
    )

    ok(
        at(
            "2026-03-02",
            "ombudsman",
            "SPRUCE001",
            "--referred",
            "2026-02-27",
            "--requested",
            "2026-03-02",
        )
    )
    assert case(at, "2026-03-02")["stage"] == "Ombudsman"
    assert due(at, "2026-03-02", "--within", "15") == [
        ("SPRUCE001", "ombudsman_evidence", "2026-03-23", 15)
    ]
    assert due(at, "2026-03-24", "--overdue") == [
        ("SPRUCE001", "ombudsman_evidence", "2026-03-23", -1)
    ]
    ok(at("2026-03-20", "ombudsman", "SPRUCE001", "--evidence-sent", "2026-03-20"))
    assert due(at, "2026-03-24", "--overdue") == []

    history = [h["command"] for h in case(at, "2026-03-24")["history"]]
    assert history == [
        "log",
        "acknowledge",
        "extend",
        "respond",
        "update",
        "escalate",
        "acknowledge",
        "action done",
        "respond",
        "ombudsman",
        "ombudsman",
    ]


def test_late_acknowledgement_needs_its_explanation(at: Any) -> None:
    log(at, "2025-12-19", "2025-12-19")
    late = at("2025-12-29", "acknowledge", "SPRUCE001", "--summary", "Damp")
    assert late.exit_code == 1
    assert late.stderr == (
        "complaints: error: acknowledged 29/12/2025, after its deadline 24/12/2025 (3 working "
        "days from received 19/12/2025): give --reason to explain the 'No' in the log\n"
    )
    assert case(at, "2025-12-29")["acknowledged"] is None  # nothing written
    ok(at("2025-12-29", "acknowledge", "SPRUCE001", "--summary", "Damp", "--reason", "on leave"))
    c = case(at, "2025-12-29")
    assert (c["ack_met"], c["ack_met_note"]) == (False, "on leave")


@pytest.mark.parametrize(
    ("responded", "met"),
    [("2026-01-12", True), ("2026-01-13", False)],  # on the deadline day / the day after
)
def test_stage1_met_on_both_sides_of_the_deadline(at: Any, responded: str, met: bool) -> None:
    log(at, "2025-12-19", "2025-12-19")
    ok(at("2025-12-24", "acknowledge", "SPRUCE001", "--summary", "Damp"))
    args = ["respond", "SPRUCE001", "--date", responded, "--summary", "Done"]
    if not met:
        assert at(responded, *args).exit_code == 1
        args += ["--reason", "contractor delay"]
    ok(at(responded, *args))
    c = case(at, responded)
    assert c["stage1_met"] is met
    assert c["stage1_met_note"] == (None if met else "contractor delay")


@pytest.mark.parametrize(("responded", "met"), [("2026-01-26", True), ("2026-01-27", False)])
def test_stage1_met_on_both_sides_of_an_extension(at: Any, responded: str, met: bool) -> None:
    log(at, "2025-12-19", "2025-12-19")
    ok(at("2025-12-24", "acknowledge", "SPRUCE001", "--summary", "Damp"))
    ok(at("2026-01-09", "extend", "SPRUCE001", "--reason", "Survey", "--new-date", "26/01/2026",
          "--told"))  # fmt: skip
    args = ["respond", "SPRUCE001", "--date", responded, "--summary", "Done"]
    ok(at(responded, *args, *([] if met else ["--reason", "late again"])))
    assert case(at, responded)["stage1_met"] is met


def test_extension_beyond_the_cap_needs_a_reason(at: Any) -> None:
    log(at, "2025-12-19", "2025-12-19")
    ok(at("2025-12-24", "acknowledge", "SPRUCE001", "--summary", "Damp"))
    over = at("2026-01-09", "extend", "SPRUCE001", "--reason", "Survey", "--days", "11")
    assert over.exit_code == 1
    assert "is 11 working days after the original deadline 12/01/2026" in over.stderr
    assert "allows at most 10" in over.stderr
    ok(
        at(
            "2026-01-09",
            "extend",
            "SPRUCE001",
            "--reason",
            "Survey",
            "--days",
            "11",
            "--beyond-cap",
            "Resident asked for more time",
        )
    )
    c = case(at, "2026-01-09")
    assert c["stage1_extended_to"] == "2026-01-27"
    assert (
        "beyond the 10-working-day limit: Resident asked for more time"
        in c["stage1_extension_reason"]
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("acknowledge", "SPRUCE001", "--date", "2025-12-18", "--summary", "x"),
            "acknowledgement date 18/12/2025 is before the date received 19/12/2025",
        ),
        (
            ("acknowledge", "SPRUCE001", "--date", "2026-01-01", "--summary", "x"),
            "acknowledgement date 01/01/2026 is in the future",
        ),
        (
            ("respond", "SPRUCE001", "--date", "2025-12-18", "--summary", "x"),
            "response date 18/12/2025 is before the date received 19/12/2025",
        ),
        (
            ("respond", "SPRUCE001", "--stage", "2", "--summary", "x"),
            "SPRUCE001 is at Stage 1: escalate it before recording a Stage 2 response",
        ),
        (
            (
                "escalate",
                "SPRUCE001",
                "--received",
                "2025-12-20",
                "--review",
                "panel review",
                "--details",
                "x",
                "--handler",
                "Sam Patel",
            ),
            "must not be the Stage 1 handler",
        ),
        (
            (
                "escalate",
                "SPRUCE001",
                "--received",
                "2025-12-20",
                "--review",
                "tribunal",
                "--details",
                "x",
                "--handler",
                "Jo",
            ),
            "--review 'tribunal' is not one of",
        ),
        (
            ("extend", "SPRUCE001", "--reason", "x", "--days", "3", "--new-date", "2026-01-20"),
            "give --days or --new-date, not both",
        ),
        (
            (
                "respond",
                "SPRUCE001",
                "--summary",
                "x",
                "--compensation",
                "lots",
                "--compensation-reason",
                "y",
            ),
            "compensation 'lots' is not an amount",
        ),
        (
            (
                "respond",
                "SPRUCE001",
                "--summary",
                "x",
                "--action",
                "Fix",
                "--action-due",
                "2026-01-01",
                "--action",
                "Paint",
            ),
            "give one --action-due for each --action",
        ),
        (("action", "done", "SPRUCE001", "3"), "SPRUCE001 has no action 3"),
        (("reopen", "SPRUCE001"), "SPRUCE001 is not closed"),
        (("acknowledge", "SPRUCE009", "--summary", "x"), "no complaint with reference 'SPRUCE009'"),
    ],
)
def test_impossible_orders_are_refused_and_nothing_changes(
    at: Any, args: tuple[str, ...], message: str
) -> None:
    log(at, "2025-12-19", "2025-12-19")
    before = case(at, "2025-12-22")
    result = at("2025-12-22", *args)
    assert result.exit_code == 1
    assert message in result.stderr
    assert result.stderr.count("\n") == 1 and result.stdout == ""
    after = case(at, "2025-12-22")
    assert after["row_version"] == before["row_version"] == 1
    assert len(after["history"]) == 1


def test_close_is_refused_with_outstanding_actions_and_a_closed_case_needs_reopen(
    at: Any, db_url: str
) -> None:
    log(at, "2025-12-19", "2025-12-19")
    ok(
        at(
            "2025-12-22",
            "respond",
            "SPRUCE001",
            "--summary",
            "Upheld",
            "--action",
            "Fix gutter",
            "--action-due",
            "2026-01-09",
            "--action-owner",
            "Repairs team",
        )
    )
    refused = at("2025-12-23", "close", "SPRUCE001")
    assert refused.exit_code == 1
    assert "1 outstanding action(s)" in refused.stderr
    assert at("2025-12-23", "close", "SPRUCE001", "--force").exit_code == 1  # no reason
    ok(at("2025-12-23", "close", "SPRUCE001", "--force", "--reason", "Resident moved out"))
    c = case(at, "2025-12-23")
    assert (c["status"], c["closed"], c["close_reason"], c["escalated"]) == (
        "Closed",
        "2025-12-23",
        "Resident moved out",
        False,
    )
    assert due(at, "2025-12-23", "--within", "30") == []  # closed: nothing due
    changed = at("2025-12-23", "update", "SPRUCE001", "--note", "x")
    assert changed.exit_code == 1
    assert "SPRUCE001 is closed: reopen it first (complaints reopen SPRUCE001)" in changed.stderr
    ok(at("2025-12-23", "learning", "SPRUCE001", "Gutters need a yearly check"))  # any time
    ok(at("2025-12-23", "learning", "SPRUCE001", "Tell residents about delays"))
    assert (
        case(at, "2025-12-23")["learning"]
        == "Gutters need a yearly check\nTell residents about delays"
    )
    ok(at("2025-12-24", "reopen", "SPRUCE001", "--reason", "Escalation arrived"))
    c = case(at, "2025-12-24")
    assert (c["status"], c["closed"]) == ("Open", None)


def test_response_without_actions_asks_for_no_weekly_updates(at: Any) -> None:
    log(at, "2025-12-19", "2025-12-19")
    ok(at("2025-12-22", "acknowledge", "SPRUCE001", "--summary", "Damp"))
    ok(at("2025-12-23", "respond", "SPRUCE001", "--summary", "Not upheld"))
    keys = [i[1] for i in due(at, "2026-01-20", "--within", "20")]
    assert keys == ["close_if_not_escalated"]


def test_a_changed_profile_recomputes_stored_deadlines(
    at: Any, tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    log(at, "2025-12-19", "2025-12-19")
    assert [i[1:3] for i in due(at, "2025-12-19", "--within", "10")] == [
        ("contact", "2025-12-22"),
        ("acknowledge", "2025-12-24"),
    ]
    config = tmp_path / "team.toml"
    config.write_text('profile = "hos-code-2024"\n', encoding="utf-8")
    monkeypatch.setenv("COMPLAINTS_CONFIG", str(config))
    # The Code: acknowledge within 5 working days: 22, 23, 24, [25, 26 holidays], 29, 30 Dec.
    assert [i[1:3] for i in due(at, "2025-12-19", "--within", "10")] == [
        ("acknowledge", "2025-12-30")
    ]


def test_due_explain_shows_the_working(at: Any) -> None:
    log(at, "2025-12-19", "2025-12-19")
    out = ok(at("2025-12-19", "due", "--explain", "spruce1", "--as-of", "2025-12-19")).stdout
    assert (
        "Acknowledge the complaint [acknowledge]: 3 working days from received Fri 19/12/2025"
        in out
    )
    assert "skipped Sat 20/12/2025: weekend (Saturday)" in out
    assert "due Wed 24/12/2025" in out


def test_due_table_colours_and_order(at: Any) -> None:
    log(at, "2025-12-01", "2025-12-01")
    log(at, "2025-12-19", "2025-12-19", handler="Kim Ho")
    out = ok(at("2025-12-22", "due", "--as-of", "2025-12-22", "--within", "3")).stdout
    lines = [line for line in out.splitlines() if line.startswith("SPRUCE")]
    # SPRUCE001 (received 01/12, never acknowledged): contact, acknowledgement and the projected
    # Stage 1 response are all overdue, oldest first; then SPRUCE002's two.
    assert [line.split()[0] for line in lines] == ["SPRUCE001"] * 3 + ["SPRUCE002"] * 2
    assert "Contact the resident" in lines[0] and "-14" in lines[0]
    assert "Stage 1 response" in lines[2] and "Thu 18/12/2025" in lines[2] and "-2" in lines[2]
    assert "Wed 24/12/2025" in lines[4] and "Kim Ho" in lines[4]


def test_calendar_lists_holidays_and_closures(
    at: Any, tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "team.toml"
    config.write_text('closures = ["12-29..12-31"]\nnation = "scotland"\n', encoding="utf-8")
    monkeypatch.setenv("COMPLAINTS_CONFIG", str(config))
    rows = json.loads(ok(at("2025-06-01", "calendar", "--year", "2025", "-f", "json")).stdout)
    by_date = {r["date"]: r for r in rows}
    assert by_date["2025-01-02"]["source"] == "bank holiday"  # Scotland's 2 January
    assert by_date["2025-12-01"]["source"] == "bank holiday"  # St Andrew's Day (substitute)
    assert by_date["2025-12-29"]["source"] == "office closure"
    assert "2025-04-21" not in by_date  # Easter Monday is not a Scottish bank holiday
    assert date(2025, 12, 27).isoformat() not in by_date  # weekends are not listed


def _close_refused(cli: Any, message: str) -> dict[str, Any]:
    """``close SPRUCE001 --force`` refused with ``message`` as its one line, exit 1; the case
    as ``show`` then gives it (nothing written)."""
    refused = cli("close", "SPRUCE001", "--force", "--reason", "Resident moved out")
    assert refused.exit_code == 1
    assert refused.stderr == f"complaints: error: {message}\n"
    return json.loads(cli("show", "SPRUCE001", "-f", "json").stdout)  # type: ignore[no-any-return]


def test_a_case_never_answered_is_refused_closing_and_an_old_log_still_imports(
    cli: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    """The fresh-user trial: ``close`` of a case with no response (not withdrawn, not refused)
    was accepted. It is refused with what to do, nothing written; answered, it closes. An old
    log's closed cases with no response date still import (the rule is the command's)."""
    from openpyxl import Workbook

    monkeypatch.setenv("COMPLAINTS_TODAY", "2025-03-10")
    assert cli("log", "--no-input", *LOG_ARGS).exit_code == 0
    shown = _close_refused(
        cli,
        "SPRUCE001 has no response recorded: record it first (complaints respond SPRUCE001 "
        "--summary TEXT), or if the resident withdrew the complaint, complaints withdraw "
        "SPRUCE001 --reason TEXT, or if the policy does not accept it, complaints not-accepted "
        "SPRUCE001 --reason TEXT",
    )
    assert (shown["status"], shown["closed"], shown["version"]) == ("Open", None, 1)
    answered = cli("respond", "SPRUCE001", "--summary", "Repair booked", "--date", "10/02/2025")
    assert answered.exit_code == 0, answered.output
    assert cli("close", "SPRUCE001").exit_code == 0
    assert json.loads(cli("show", "SPRUCE001", "-f", "json").stdout)["status"] == "Closed"

    book = Workbook()
    book.active.append(["Ref", "Status", "Complainant", "Address", "Date received"])
    book.active.append(["SPRUCE002", "Closed", "Bo Hart", "2 Mill Road", "03/02/2025"])
    book.save(tmp_path / "old.xlsx")
    imported = cli("import", str(tmp_path / "old.xlsx"))
    assert imported.exit_code == 0, imported.output
    assert json.loads(cli("show", "SPRUCE002", "-f", "json").stdout)["status"] == "Closed"


def test_a_stage2_case_never_answered_at_stage2_is_refused_closing(
    cli: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    """As at Stage 1: ``close`` of a Stage 2 case with no Stage 2 response (not withdrawn) is
    refused in one line, nothing written; answered, it closes. An old log's closed Stage 2
    cases with no Stage 2 response date still import."""
    from openpyxl import Workbook

    monkeypatch.setenv("COMPLAINTS_TODAY", "2025-03-10")
    assert cli("log", "--no-input", *LOG_ARGS).exit_code == 0
    for step in (
        ("respond", "SPRUCE001", "--summary", "Not upheld", "--date", "10/02/2025"),
        ("escalate", "SPRUCE001", "--received", "03/03/2025", "--review", "manager",
         "--details", "Still leaking", "--handler", "Jordan Blake"),
    ):  # fmt: skip
        done = cli(*step)
        assert done.exit_code == 0, done.output
    shown = _close_refused(
        cli,
        "SPRUCE001 has no Stage 2 response recorded: record it first (complaints respond "
        "SPRUCE001 --summary TEXT), or if the resident withdrew the complaint, complaints "
        "withdraw SPRUCE001 --reason TEXT",
    )
    assert (shown["status"], shown["closed"], shown["stage"]) == ("Open", None, "Stage 2")
    answered = cli("respond", "SPRUCE001", "--summary", "Review upheld", "--date", "10/03/2025")
    assert answered.exit_code == 0, answered.output
    assert cli("close", "SPRUCE001").exit_code == 0
    assert json.loads(cli("show", "SPRUCE001", "-f", "json").stdout)["status"] == "Closed"

    book = Workbook()
    headers = ["Ref", "Status", "Stage", "Complainant", "Address", "Date received",
               "Date response was sent", "Complaint escalated to Stage 2",
               "Date escalation request received", "Stage 2 complaint handler"]  # fmt: skip
    book.active.append(headers)
    row = ["SPRUCE002", "Closed", "Stage 2", "Bo Hart", "2 Mill Road",
           "03/02/2025", "10/02/2025", "Yes", "17/02/2025", "Jordan Blake"]  # fmt: skip
    book.active.append(row)
    book.save(tmp_path / "old.xlsx")
    imported = cli("import", str(tmp_path / "old.xlsx"))
    assert imported.exit_code == 0, imported.output
    shown = json.loads(cli("show", "SPRUCE002", "-f", "json").stdout)
    assert (shown["status"], shown["stage"], shown["stage2_responded"]) == (
        "Closed",
        "Stage 2",
        None,
    )


def test_the_event_a_deadline_counts_from_is_in_words(at: Any) -> None:
    """A late Stage 2 response's error and `due --explain` name the escalation request in
    words ("escalation received"), as the feed does, never the field's name with its
    underscore; a deadline counted from one not yet recorded names that deadline."""
    log(at, "2025-12-19", "2025-12-19")
    ok(at("2025-12-22", "acknowledge", "SPRUCE001", "--summary", "Damp"))
    ok(at("2026-01-05", "respond", "SPRUCE001", "--summary", "No", "--outcome", "not upheld"))
    escalation = ("--review", "manager", "--details", "Still damp", "--handler", "Jordan Blake")
    ok(at("2026-01-26", "escalate", "SPRUCE001", "--received", "2026-01-26", *escalation))
    late = at("2026-02-24", "respond", "SPRUCE001", "--stage", "2", "--summary", "Review")
    assert late.exit_code == 1
    assert late.stderr == (
        "complaints: error: responded 24/02/2026, after its deadline 23/02/2026 (20 working "
        "days from escalation received 26/01/2026): give --reason to explain the 'No' in the "
        "log\n"
    )
    out = ok(at("2026-02-24", "due", "--explain", "SPRUCE001")).stdout
    assert (
        "Acknowledge the Stage 2 escalation [stage2_acknowledge]: 5 working days from "
        "escalation received Mon 26/01/2026" in out
    )
    assert "_received" not in out


def test_a_missed_deadline_says_by_how_much_not_a_negative_count_left(at: Any) -> None:
    """`show` and `due --explain` say a deadline passed and not met is "overdue by 2 working
    day(s)", as the `Next:` lines do, not "-3 working day(s) left". Received Fri 19/12/2025:
    acknowledgement due Wed 24/12; Tue 30/12 is 2 working days after it (25, 26 holidays)."""
    log(at, "2025-12-19", "2025-12-19")
    show = ok(at("2025-12-30", "show", "SPRUCE001")).stdout
    assert "missed, overdue by 2 working day(s)" in show
    assert "-2 working day(s) left" not in show
    explain = ok(at("2025-12-30", "due", "--explain", "SPRUCE001")).stdout
    assert "  missed, overdue by 2 working day(s)" in explain
    assert "-2 working day(s) left" not in explain
    # A window ended (20 working days after the response with no escalation) says when.
    ok(at("2025-12-30", "respond", "SPRUCE001", "--summary", "Upheld", "--outcome", "upheld",
          "--reason", "Late"))  # fmt: skip
    ended = ok(at("2026-02-02", "due", "--explain", "SPRUCE001")).stdout
    assert "  elapsed, 3 working day(s) ago" in ended
