"""``complaints check``: each kind of problem found on a seeded log, nothing on a clean one.

The log is made with the commands themselves (a handler's February and March 2025); what no
command can record (an imported Met column typed wrongly, an outcome, a category, a date an
extension was agreed) is written into the database the way an import would leave it.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from complaints_cli.config import database_url
from complaints_cli.store.db import RawDatabase

TODAY = "2025-03-20"


def _set(reference: str, **values: Any) -> None:
    """Write columns of one case directly, as an imported workbook would have them."""
    sets = ", ".join(f"{k} = :{k}" for k in values)
    url = database_url(os.environ["COMPLAINTS_DB"])
    with RawDatabase(url) as db, db.transaction() as tx:
        tx.execute(
            f"UPDATE complaint SET {sets} WHERE reference = :ref", {**values, "ref": reference}
        )


@pytest.fixture
def clean(day: Any) -> Any:
    """Three cases that are all in order on 20/03/2025.

    SPRUCE001 answered at Stage 1 and closed; SPRUCE002 logged on 17/03, nothing due yet;
    SPRUCE003 escalated, the Stage 2 request acknowledged, its response still to come.
    """
    day.log("2025-02-03")
    day.ok("2025-02-05", "acknowledge", "SPRUCE001", "--summary", "Damp")
    day.ok("2025-02-14", "respond", "SPRUCE001", "--summary", "Upheld: repair booked")
    day.ok(TODAY, "close", "SPRUCE001")
    day.log("2025-03-17", received="17/03/2025")
    day.log("2025-02-03")
    day.ok("2025-02-05", "acknowledge", "SPRUCE003", "--summary", "Leak")
    day.ok("2025-02-14", "respond", "SPRUCE003", "--summary", "Not upheld")
    day.ok(
        "2025-02-17",
        "escalate",
        "SPRUCE003",
        "--received",
        "17/02/2025",
        "--review",
        "manager",
        "--details",
        "Still leaking",
        "--handler",
        "Jordan Blake",
    )
    day.ok("2025-02-19", "acknowledge", "SPRUCE003")
    return day


def problems(day: Any, when: str = TODAY) -> list[dict[str, Any]]:
    result = day(when, "check", "--format", "json")
    found = json.loads(result.stdout)
    assert result.exit_code == (1 if found else 0), result.output
    return found  # type: ignore[no-any-return]


def kinds(found: list[dict[str, Any]]) -> list[tuple[str, str | None]]:
    return [(p["kind"], p["reference"]) for p in found]


def test_a_clean_log_has_no_problems(clean: Any) -> None:
    result = clean(TODAY, "check")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "No problems found in 3 case(s)."
    assert problems(clean) == []


def test_a_met_column_that_disagrees_with_the_dates(clean: Any) -> None:
    _set("SPRUCE001", ack_met=False, ack_met_note="typed by hand")
    _set("SPRUCE003", stage1_met=None)
    found = problems(clean)
    assert kinds(found) == [("met column", "SPRUCE001"), ("met column", "SPRUCE003")]
    assert found[0]["detail"] == (
        "column 10 'Met HOS acknowledgment timeframe' says No, but it was done 05/02/2025, "
        "on or before its deadline 06/02/2025"
    )
    assert found[0]["fix"] == "complaints db recompute (works every Met column out from the dates)"
    assert "column 13 'Met HOS code response timeframe?' says blank" in found[1]["detail"]
    # The fix named does fix it.
    clean.ok(TODAY, "db", "recompute")
    assert problems(clean) == []


def test_a_met_answer_with_no_date(clean: Any) -> None:
    _set("SPRUCE002", ack_met=True)
    found = problems(clean)
    assert kinds(found) == [("met column", "SPRUCE002")]
    assert found[0]["detail"].endswith("says Yes, but the log has no date for that step")


def test_an_answered_case_left_open(clean: Any) -> None:
    # Stage 1 answered on 14/02; the 20 working days to escalate ended 14/03.
    clean.log("2025-02-03")
    clean.ok("2025-02-05", "acknowledge", "SPRUCE004", "--summary", "Noise")
    clean.ok("2025-02-14", "respond", "SPRUCE004", "--summary", "Upheld")
    assert problems(clean, "2025-03-14") == []  # the last day the resident may escalate
    found = problems(clean, "2025-03-17")
    assert kinds(found) == [("answered, still open", "SPRUCE004")]
    assert found[0]["fix"] == "complaints close SPRUCE004"
    assert "the 20 working days for an escalation ended 14/03/2025" in found[0]["detail"]


def test_a_case_with_an_action_outstanding_stays_open_quietly(clean: Any) -> None:
    clean.log("2025-02-03")
    clean.ok("2025-02-05", "acknowledge", "SPRUCE004", "--summary", "Noise")
    clean.ok(
        "2025-02-14",
        "respond",
        "SPRUCE004",
        "--summary",
        "Upheld",
        "--action",
        "Fit fan",
        "--action-due",
        "30/04/2025",
    )
    clean.ok("2025-03-17", "update", "SPRUCE004", "--note", "Booked")
    assert problems(clean, "2025-03-17") == []


def test_a_stage_2_response_left_open(clean: Any) -> None:
    clean.ok("2025-03-10", "respond", "SPRUCE003", "--summary", "Review upheld the decision")
    found = problems(clean)
    assert kinds(found) == [("answered, still open", "SPRUCE003")]
    assert found[0]["detail"].startswith("the Stage 2 response was sent 10/03/2025")


def test_an_extension_agreed_after_the_deadline(clean: Any) -> None:
    # SPRUCE003's Stage 2 response was due 17/03 (20 working days from 17/02).
    _set("SPRUCE003", stage2_extension_agreed="2025-03-17")
    assert problems(clean) == []  # on the deadline day: in time
    _set("SPRUCE003", stage2_extension_agreed="2025-03-18")
    found = problems(clean)
    assert kinds(found) == [("extension after deadline", "SPRUCE003")]
    assert found[0]["detail"] == (
        "the Stage 2 extension was agreed 18/03/2025, after the deadline 17/03/2025: it "
        "cannot count (Code 6.15)"
    )


def test_an_extension_not_told_near_or_past_its_original_deadline(clean: Any) -> None:
    """An open case whose extension is recorded as not told: the response is judged against
    the original deadline (Code 6.4), so from 2 working days before it ``check`` lists it."""
    clean.log("2025-03-03", received="03/03/2025")
    clean.ok("2025-03-04", "acknowledge", "SPRUCE004", "--date", "04/03/2025", "--summary", "Mould")
    # Due Tue 18/03 (10 working days after 04/03); extended to 25/03, not told.
    clean.ok("2025-03-10", "extend", "SPRUCE004", "--date", "10/03/2025", "--days", "5",
             "--reason", "Awaiting the survey")  # fmt: skip
    assert problems(clean, "2025-03-13") == []  # 3 working days before
    for when in ("2025-03-14", "2025-03-18", TODAY):  # 2 before, the day itself, after it
        found = problems(clean, when)
        assert kinds(found) == [("extension not told", "SPRUCE004")], when
    assert found[0]["detail"] == (
        "the Stage 1 extension to 25/03/2025 is recorded as not told to the resident: the "
        "response is judged against the original deadline 18/03/2025, passed (Code 6.4)"
    )
    assert found[0]["fix"] == "complaints extend SPRUCE004 --told --date D"
    assert problems(clean, "2025-03-14")[0]["detail"].endswith(
        "the original deadline 18/03/2025, in 2 working day(s) (Code 6.4)"
    )
    # Told on 12/03 (in time), recorded now: nothing left.
    clean.ok(TODAY, "extend", "SPRUCE004", "--told", "--date", "12/03/2025")
    assert problems(clean) == []


def test_stage_2_without_an_acknowledgement(clean: Any) -> None:
    clean.log("2025-02-03")
    clean.ok("2025-02-05", "acknowledge", "SPRUCE004", "--summary", "Noise")
    clean.ok("2025-02-14", "respond", "SPRUCE004", "--summary", "Upheld")
    escalate = ("--review", "manager", "--details", "No", "--handler", "Jordan Blake")
    clean.ok("2025-03-03", "escalate", "SPRUCE004", "--received", "03/03/2025", *escalate)
    assert problems(clean, "2025-03-10") == []  # due 10/03 (5 working days)
    found = problems(clean, "2025-03-11")
    assert kinds(found) == [("stage 2 not acknowledged", "SPRUCE004")]
    assert found[0]["fix"].startswith("complaints acknowledge SPRUCE004 --date")
    # Closed without one (an import): the fix is the workbook, not `acknowledge`.
    _set(
        "SPRUCE004",
        status="Closed",
        closed="2025-03-11",
        stage2_responded="2025-03-11",
        stage2_met=True,
    )
    found = problems(clean, "2025-03-11")
    assert kinds(found) == [("stage 2 not acknowledged", "SPRUCE004")]
    assert found[0]["fix"] == (
        "complaints correct SPRUCE004 --stage2-acknowledged DD/MM/YYYY --reason TEXT"
    )
    clean.ok(
        "2025-03-11",
        "correct",
        "SPRUCE004",
        "--stage2-acknowledged",
        "04/03/2025",
        "--reason",
        "From the letter on file",
    )
    assert problems(clean, "2025-03-11") == []


def test_the_stage_1_handler_reviewing_stage_2(clean: Any) -> None:
    _set("SPRUCE003", stage2_handler="  sam PATEL ")
    found = problems(clean)
    assert kinds(found) == [("same stage 2 handler", "SPRUCE003")]


def test_outcomes_and_categories_once_the_log_records_them(clean: Any) -> None:
    # SPRUCE001 and SPRUCE003 have Stage 1 responses; nobody records outcomes yet: quiet.
    assert problems(clean) == []
    _set("SPRUCE001", stage1_outcome="upheld")
    assert kinds(problems(clean)) == [("no outcome", "SPRUCE003")]
    _set("SPRUCE003", stage1_outcome="not upheld", category="repairs")
    found = problems(clean)
    assert kinds(found) == [("no category", "SPRUCE001"), ("no category", "SPRUCE002")]


def test_folders_missing_or_duplicated(clean: Any, root: Path) -> None:
    (folder,) = root.glob("* – SPRUCE002")
    shutil.rmtree(folder)
    (root / "1 Essex Brewery - SPRUCE003").mkdir()
    found = problems(clean)
    assert kinds(found) == [("no folder", "SPRUCE002"), ("two folders", "SPRUCE003")]
    assert found[0]["fix"] == "make the folder '1 Essex Brewery – SPRUCE002' under the root"
    shutil.rmtree(root)
    found = problems(clean)
    assert kinds(found) == [("no folder", None)]


def test_a_legal_hold_past_retention(clean: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    clean.ok(TODAY, "hold", "SPRUCE001", "--reason", "Disrepair claim")
    monkeypatch.setenv("COMPLAINTS_RETENTION_YEARS", "1")
    assert [k for k, _ in kinds(problems(clean, "2026-03-19"))] == []
    found = problems(clean, "2026-03-20")
    assert kinds(found) == [("hold past retention", "SPRUCE001")]
    assert found[0]["fix"] == (
        "if the reason for the hold has ended: complaints hold SPRUCE001 --release"
    )


def test_learning_not_sent_and_added_since(clean: Any) -> None:
    clean.ok(TODAY, "learning", "SPRUCE001", "Confirm contractor appointments by text")
    found = problems(clean)
    assert kinds(found) == [("learning not sent", "SPRUCE001")]
    assert found[0]["fix"] == (
        "complaints learning SPRUCE001 --draft-email, send it, then "
        "complaints learning SPRUCE001 --sent"
    )
    clean.ok(TODAY, "learning", "SPRUCE001", "--sent", "--date", "19/03/2025")
    assert problems(clean) == []
    clean.ok(TODAY, "learning", "SPRUCE001", "Chase surveys weekly")
    found = problems(clean)
    assert kinds(found) == [("learning not sent", "SPRUCE001")]
    # Added when the history says it was (the real clock), after the sending was recorded.
    assert found[0]["detail"].startswith("organisational learning was added ")
    assert found[0]["detail"].endswith(", after it was sent 19/03/2025")


def test_void_cases_are_left_out(clean: Any) -> None:
    _set("SPRUCE002", status="Void", ack_met=True)
    assert problems(clean) == []


def test_the_table_and_the_count_on_stderr(clean: Any) -> None:
    _set("SPRUCE003", stage2_handler="Sam Patel")
    result = clean(TODAY, "check")
    assert result.exit_code == 1
    assert "same stage 2 handler" in result.stdout
    assert result.stderr == "complaints: 1 problem(s) found\n"


def test_a_refusal_the_resident_was_not_told_of(clean: Any) -> None:
    clean.log("2025-02-03")
    clean.ok("2025-02-05", "not-accepted", "SPRUCE004", "--reason", "Court proceedings (2.2)")
    clean.ok("2025-02-20", "refuse-escalation", "SPRUCE001", "--received", "18/02/2025",
             "--reason", "Out of time (policy 5.2)")  # fmt: skip
    found = problems(clean)
    assert kinds(found) == [("refusal not told", "SPRUCE001"), ("refusal not told", "SPRUCE004")]
    assert found[0]["fix"] == (
        "complaints refuse-escalation SPRUCE001 --received 18/02/2025 --told DATE"
    )
    assert found[1]["fix"] == "complaints not-accepted SPRUCE004 --told DATE"
    # The fixes named do fix it.
    clean.ok(
        TODAY, *found[0]["fix"].removeprefix("complaints ").replace("DATE", "19/02/2025").split()
    )
    clean.ok(
        TODAY, *found[1]["fix"].removeprefix("complaints ").replace("DATE", "06/02/2025").split()
    )
    assert problems(clean) == []


def test_a_value_of_invisible_characters_only(clean: Any) -> None:
    """A case logged before ``log`` refused it (a trial: ``--address $'\\u200b\\u00ad'``) or
    imported so: an address, complainant or handler that shows as nothing."""
    _set("SPRUCE002", address="\u200b\u00ad", handler="\ufeff")
    found = problems(clean)
    assert [(p["kind"], p["reference"], p["detail"], p["fix"]) for p in found] == [
        (
            "invisible value",
            "SPRUCE002",
            "the address holds only invisible characters (\\u200b\\xad): it shows as nothing",
            "complaints correct SPRUCE002 --address TEXT --reason TEXT",
        ),
        (
            "invisible value",
            "SPRUCE002",
            "the handler holds only invisible characters (\\ufeff): it shows as nothing",
            "complaints correct SPRUCE002 --handler TEXT --reason TEXT",
        ),
    ]
