"""Imports that cannot merge two complaints or roll a case back (issue 12, items 3, 6 and 7).

Seen before: during a changeover the old workbook and the tool both issued SPRUCE002 to
different residents, and ``import --update`` turned the tool's Stage 2 case into the other
resident's Stage 1 case; re-importing an older copy of the log blanked newer dates; an
acknowledgement before the date received, and a typed "Yes" the dates contradict, went in
without a word.

Every workbook here is the tool's own export (written by XlsxWriter), edited with openpyxl as a
handler would edit it in Excel.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from tests.process_steps import Day

ACK = "Date complaint acknowledged"
RESPONDED = "Date response was sent"


def export(day: Day, tmp_path: Path, name: str = "log.xlsx") -> Path:
    target = tmp_path / name
    day.ok("2025-03-10", "export", str(target), "--force")
    return target


def edit(
    path: Path, edits: dict[tuple[str, str], object], *, add: dict[str, object] | None = None
) -> Path:
    """Change cells by (reference, header); ``add`` appends a row by header."""
    book = load_workbook(path)
    sheet = book.active
    headers = [c.value for c in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        for (ref, header), value in edits.items():
            if row[0].value == ref:
                row[headers.index(header)].value = value
    if add is not None:
        sheet.append([add.get(h) for h in headers])
    book.save(path)
    return path


def state(day: Day) -> list[dict[str, Any]]:
    return [
        {k: c[k] for k in ("reference", "complainant", "address", "received", "stage", "status")}
        for c in json.loads(day.ok("2025-03-10", "list", "-f", "json").stdout)
    ]


@pytest.fixture
def two_cases(day: Day) -> Day:
    """SPRUCE001 (Ann Lee) at Stage 2; SPRUCE002 (Bob Ray) open at Stage 1."""
    day.log("2025-02-03")
    day.ok("2025-02-04", "acknowledge", "SPRUCE001", "--summary", "Damp")
    day.ok("2025-02-10", "respond", "SPRUCE001", "--summary", "Upheld")
    day.ok(
        "2025-02-12",
        "escalate",
        "SPRUCE001",
        "--received",
        "12/02/2025",
        "--review",
        "manager",
        "--handler",
        "Kim Ode",
        "--details",
        "Not happy",
    )
    day.ok(
        "2025-02-05",
        "log",
        "--complainant",
        "Bob Ray",
        "--address",
        "2 Mill Lane",
        "--received",
        "05/02/2025",
        "--handler",
        "Sam Patel",
        "--channel",
        "phone",
    )
    return day


def test_a_reference_given_to_another_complaint_is_a_clash_and_nothing_is_imported(
    two_cases: Day, tmp_path: Path
) -> None:
    day = two_cases
    workbook = export(day, tmp_path)
    # The old workbook's SPRUCE001 is another resident's Stage 1 complaint.
    edit(
        workbook,
        {
            ("SPRUCE001", "Complainant"): "Cara Dunn",
            ("SPRUCE001", "Address"): "9 Quay Street",
            ("SPRUCE001", "Stage"): "Stage 1",
        },
        add={
            "Complaints reference": "SPRUCE003",
            "Status": "Open",
            "Stage": "Stage 1",
            "Handler": "Kim Ho",
            "Complainant": "Dev Shah",
            "Address": "4 Park Row",
            "Complaint received": datetime(2025, 2, 20),
        },
    )
    before = state(day)
    for extra in ((), ("--update",), ("--update", "--allow-rollback"), ("--dry-run",)):
        result = day("2025-03-10", "import", str(workbook), *extra)
        assert result.exit_code == 1, result.output
        assert result.stderr.splitlines()[-1] == (
            "complaints: error: 1 row(s) of log.xlsx have a reference the log gives to another "
            "complaint (listed above); nothing was imported: give them new references with "
            "--renumber-clashes, or correct the file"
        )
        assert (
            "SPRUCE001 (sheet 'Complaints Log', row 2) is another complaint than the log's "
            "SPRUCE001:"
        ) in result.stderr
        assert "Complainant  log: 'Ann Lee'   file: 'Cara Dunn'" in result.stderr
        assert "Address      log: '1 Essex Brewery'   file: '9 Quay Street'" in result.stderr
        assert "(stands at)  log: Stage 2 Open   file: Stage 1 Open" in result.stderr
        assert state(day) == before


def test_renumber_clashes_keeps_both_residents_complaints_whole(
    two_cases: Day, tmp_path: Path, root: Path
) -> None:
    day = two_cases
    workbook = edit(
        export(day, tmp_path),
        {("SPRUCE002", "Complainant"): "Eve Moss", ("SPRUCE002", "Address"): "7 Dock Road"},
    )
    before = day.show("2025-03-10", "SPRUCE001")
    result = day(
        "2025-03-10", "import", str(workbook), "--renumber-clashes", "--update", "--create-folders"
    )
    assert result.exit_code == 0, result.output
    assert "1 added, 0 updated, 1 unchanged, 0 conflicting, 0 rejected, 1 renumbered" in (
        result.stdout
    )
    assert (
        "SPRUCE002 (sheet 'Complaints Log', row 3) is another complaint than the log's "
        "SPRUCE002: added as SPRUCE003"
    ) in result.stderr
    bob = day.show("2025-03-10", "SPRUCE002")
    eve = day.show("2025-03-10", "SPRUCE003")
    assert (bob["complainant"], bob["address"]) == ("Bob Ray", "2 Mill Lane")
    assert (eve["complainant"], eve["address"], eve["received"]) == (
        "Eve Moss",
        "7 Dock Road",
        "2025-02-05",
    )
    assert "renumbered" in eve["history"][0]["note"]
    assert day.show("2025-03-10", "SPRUCE001") == before
    assert (root / "7 Dock Road – SPRUCE003").is_dir()
    # The same file again adds nothing: Eve Moss's complaint is already SPRUCE003.
    again = day(
        "2025-03-10", "import", str(workbook), "--renumber-clashes", "--update", "--create-folders"
    )
    assert again.exit_code == 0, again.output
    assert "0 added" in again.stdout
    assert (
        "row 3: SPRUCE002's complaint is already in the log as SPRUCE003 (renumbered by an "
        "earlier import): not added again"
    ) in again.stderr
    # The counter moved past the new reference: the next case is SPRUCE004.
    assert day.log("2025-03-10").stdout.startswith("Logged SPRUCE004")


def test_the_same_complaint_typed_differently_is_not_a_clash(
    two_cases: Day, tmp_path: Path
) -> None:
    day = two_cases
    workbook = edit(
        export(day, tmp_path),
        {("SPRUCE002", "Complainant"): "  bob  RAY ", ("SPRUCE002", "Address"): "2, Mill Lane."},
    )
    result = day("2025-03-10", "import", str(workbook))
    assert result.exit_code == 1, result.output  # a conflict (no clash), nothing else new
    assert "(1 other row(s) unchanged); nothing was imported" in result.stderr
    assert "is another complaint" not in result.stderr


def test_update_never_blanks_a_value_and_never_moves_a_case_back(
    two_cases: Day, tmp_path: Path
) -> None:
    day = two_cases
    day.ok("2025-02-06", "acknowledge", "SPRUCE002", "--summary", "Noise")
    # An older copy: SPRUCE001 still at Stage 1, SPRUCE002 not yet acknowledged.
    old = export(day, tmp_path, "old.xlsx")
    edit(
        old,
        {
            ("SPRUCE001", "Stage"): "Stage 1",
            ("SPRUCE001", "Date escalation request received"): None,
            ("SPRUCE002", ACK): None,
            ("SPRUCE002", "Summary of complaint"): "Noise from the flat above",
        },
    )
    before_one = day.show("2025-03-10", "SPRUCE001")
    dry = day("2025-03-10", "import", str(old), "--update", "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert "would be 0 added, 1 updated, 0 unchanged, 0 conflicting, 0 rejected, 1 held back" in (
        dry.stdout
    )
    # The dry run shows each change as old -> new.
    assert (
        "SPRUCE002 (sheet 'Complaints Log', row 3) 'Summary of complaint': 'Noise' -> "
        "'Noise from the flat above'"
    ) in dry.stderr
    assert (
        f"SPRUCE002 (sheet 'Complaints Log', row 3) '{ACK}': the file's cell is blank; the "
        "log's 06/02/2025 is kept (--allow-rollback to blank it)"
    ) in dry.stderr
    assert "'Stage' back from Stage 2 to Stage 1" in dry.stderr

    done = day("2025-03-10", "import", str(old), "--update")
    assert done.exit_code == 0, done.output
    bob = day.show("2025-03-10", "SPRUCE002")
    assert (bob["acknowledged"], bob["complaint_summary"]) == (
        "2025-02-06",
        "Noise from the flat above",
    )
    assert day.show("2025-03-10", "SPRUCE001") == before_one

    rolled = day("2025-03-10", "import", str(old), "--update", "--allow-rollback")
    assert rolled.exit_code == 0, rolled.output
    ann = day.show("2025-03-10", "SPRUCE001")
    assert (ann["stage"], ann["escalation_received"]) == ("Stage 1", None)
    assert day.show("2025-03-10", "SPRUCE002")["acknowledged"] is None


def test_allow_rollback_needs_update(day: Day, tmp_path: Path) -> None:
    day.log("2025-02-03")
    assert day.fails("2025-03-10", "import", str(export(day, tmp_path)), "--allow-rollback") == (
        "--allow-rollback only applies with --update"
    )


def test_the_import_checks_the_order_of_events_as_the_commands_do(day: Day, tmp_path: Path) -> None:
    day.log("2025-02-03")
    day.log("2025-02-03")
    workbook = edit(
        export(day, tmp_path),
        {("SPRUCE001", ACK): datetime(2025, 2, 1), ("SPRUCE002", RESPONDED): datetime(2025, 4, 1)},
    )
    fresh = tmp_path / "fresh.db"
    result = day("2025-03-10", "--db", str(fresh), "import", str(workbook), "--create")
    assert result.exit_code == 1
    assert (
        f"sheet 'Complaints Log', row 2, column H '{ACK}', value '01/02/2025': the "
        "acknowledgement 01/02/2025 is before the date received 03/02/2025"
    ) in result.stderr
    assert (
        f"row 3, column K '{RESPONDED}', value '01/04/2025': the Stage 1 response 01/04/2025 is "
        "in the future (today is 10/03/2025)"
    ) in result.stderr
    assert not fresh.exists()
    # The same mistake typed into a command is refused the same way.
    assert day.fails(
        "2025-03-10", "acknowledge", "SPRUCE001", "--date", "01/02/2025", "--summary", "x"
    ) == ("acknowledgement date 01/02/2025 is before the date received 03/02/2025")


def test_a_typed_met_value_the_dates_contradict_is_kept_with_a_warning(
    day: Day, tmp_path: Path
) -> None:
    day.log("2025-02-03")
    day.ok("2025-02-04", "acknowledge", "SPRUCE001", "--summary", "Damp")
    day.ok(  # due 18/02: late
        "2025-02-25", "respond", "SPRUCE001", "--summary", "Upheld", "--reason", "Contractor"
    )
    workbook = edit(
        export(day, tmp_path), {("SPRUCE001", "Met HOS code response timeframe?"): "Yes"}
    )
    warning = (
        "SPRUCE001 (sheet 'Complaints Log', row 2) 'Met HOS code response timeframe?': the file "
        "says Yes, the dates say No; the file's Yes is kept"
    )
    # A dry run into a log not yet made warns as the import will (the trial saw none).
    new = tmp_path / "new.db"
    tried = day("2025-03-10", "--db", str(new), "import", str(workbook), "--create", "--dry-run")
    assert tried.exit_code == 0, tried.output
    assert warning in tried.stderr and not new.exists()
    result = day("2025-03-10", "--db", str(new), "import", str(workbook), "--create")
    assert result.exit_code == 0, result.output
    assert warning in result.stderr
    # An --update that types the Met column against the dates is warned the same way.
    updated = day("2025-03-10", "import", str(workbook), "--update")
    assert updated.exit_code == 0, updated.output
    assert (
        "SPRUCE001 (sheet 'Complaints Log', row 2) 'Met HOS code response timeframe?': the file "
        "says Yes, the dates say No; the file's Yes is kept"
    ) in updated.stderr


def test_a_row_at_stage_2_that_was_never_escalated_is_refused(
    two_cases: Day, tmp_path: Path
) -> None:
    day = two_cases
    workbook = edit(
        export(day, tmp_path),
        {("SPRUCE002", "Stage"): "Stage 2", ("SPRUCE002", "Complaint escalated to Stage 2"): "No"},
    )
    result = day(
        "2025-03-10", "--db", str(tmp_path / "new.db"), "import", str(workbook), "--create"
    )
    assert result.exit_code == 1
    assert (
        "the stage is Stage 2, but 'Complaint escalated to Stage 2' says No: a case reaches "
        "Stage 2 by an escalation"
    ) in result.stderr
    # The cell's value in the log's words, as the file has it (it said 'False').
    assert "'Complaint escalated to Stage 2', value 'No':" in result.stderr
    assert "'False'" not in result.stderr
    assert "nothing was imported" in result.stderr


def test_an_update_that_moves_a_date_rejudges_the_met_columns_it_left_blank(
    day: Day, tmp_path: Path
) -> None:
    """The fresh-user trial: an --update moved the acknowledgement late and blanked its Met
    cell; the log kept "Yes" (stale) and warned "the file says Yes". A Met column the file
    leaves blank is worked out again from the new dates; one it types is kept as typed."""
    day.log("2025-02-03")
    day.ok("2025-02-04", "acknowledge", "SPRUCE001", "--summary", "Damp")  # on time: Yes
    met = "Met HOS acknowledgment timeframe"
    workbook = edit(
        export(day, tmp_path), {("SPRUCE001", ACK): "14/02/2025", ("SPRUCE001", met): None}
    )
    updated = day("2025-03-10", "import", str(workbook), "--update")
    assert updated.exit_code == 0, updated.output
    assert "the file says" not in updated.stderr
    case = json.loads(day.ok("2025-03-10", "show", "SPRUCE001", "--format", "json").stdout)
    assert case["acknowledged"] == "2025-02-14"
    assert case["ack_met"] is False  # 3 working days from 03/02 is 06/02: late
    history = day.ok("2025-03-10", "history", "SPRUCE001").stdout
    assert "ack_met" in history or met in history
    # Typed in the file, the Yes is kept (with its warning), as before.
    workbook = edit(workbook, {("SPRUCE001", ACK): "20/02/2025", ("SPRUCE001", met): "Yes"})
    typed = day("2025-03-10", "import", str(workbook), "--update")
    assert typed.exit_code == 0, typed.output
    assert "the file says Yes, the dates say No" in typed.stderr
    case = json.loads(day.ok("2025-03-10", "show", "SPRUCE001", "--format", "json").stdout)
    assert case["ack_met"] is True


def test_a_typed_yes_over_a_no_drops_the_explanation_the_file_leaves_blank(
    day: Day, tmp_path: Path
) -> None:
    """The trial: "Met HOS acknowledgment timeframe: Yes - handler on leave" after an update
    typed Yes over a No whose explanation the file left blank."""
    day.log("2025-02-03")
    day.ok("2025-02-12", "acknowledge", "SPRUCE001", "--summary", "Damp", "--reason", "On leave")
    met = "Met HOS acknowledgment timeframe"
    before = json.loads(day.ok("2025-03-10", "show", "SPRUCE001", "--format", "json").stdout)
    assert (before["ack_met"], before["ack_met_note"]) == (False, "On leave")
    workbook = edit(export(day, tmp_path), {("SPRUCE001", met): "Yes"})
    updated = day("2025-03-10", "import", str(workbook), "--update")
    assert updated.exit_code == 0, updated.output
    case = json.loads(day.ok("2025-03-10", "show", "SPRUCE001", "--format", "json").stdout)
    assert (case["ack_met"], case["ack_met_note"]) == (True, None)
    lines = updated.stderr.splitlines()
    assert (
        "  SPRUCE001 (sheet 'Complaints Log', row 2) 'Met HOS acknowledgment timeframe (its "
        "explanation)': 'On leave' -> blank"
    ) in lines
    assert not any("'On leave' is kept" in line for line in lines)


def test_a_row_at_the_informal_stage_is_a_service_dissatisfaction_with_its_deadline(
    cli: Any, tmp_path: Path, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The fresh-user trial: a row at stage "Informal" became an open "complaint" with no
    deadline (never in ``due``) that the reports counted. It is what ``log --kind "service
    dissatisfaction"`` makes: raised the day it was received, answered within 5 working days."""
    from openpyxl import Workbook as OpenpyxlWorkbook

    monkeypatch.setenv("COMPLAINTS_TODAY", "2025-12-02")
    wb = OpenpyxlWorkbook()
    ws = wb.active
    ws.append(["Ref", "Status", "Stage", "Complainant", "Address", "Date received"])
    ws.append(["SPRUCE001", "Open", "Informal", "Ann Lee", "1 Oak Road", "01/12/2025"])
    ws.append(["SPRUCE002", "Open", "Stage 1", "Bo Hart", "2 Mill Road", "01/12/2025"])
    path = tmp_path / "informal.xlsx"
    wb.save(path)
    result = cli("import", str(path))
    assert result.exit_code == 0, result.output
    informal = json.loads(cli("show", "SPRUCE001", "--format", "json").stdout)
    assert (informal["kind"], informal["informal_received"]) == (
        "service dissatisfaction",
        "2025-12-01",
    )
    formal = json.loads(cli("show", "SPRUCE002", "--format", "json").stdout)
    assert (formal["kind"], formal.get("informal_received")) == ("complaint", None)
    due = json.loads(cli("due", "--format", "json").stdout)
    assert [(i["reference"], i["key"], i["due"]) for i in due if i["reference"] == "SPRUCE001"] == [
        ("SPRUCE001", "dissatisfaction_response", "2025-12-08")
    ]
    again = cli("import", str(path))  # the same file again: nothing to change
    assert again.exit_code == 0, again.output
    assert "2 unchanged" in again.stdout


@pytest.mark.parametrize("met_columns", [True, False], ids=["blank-met-cells", "no-met-columns"])
def test_a_new_case_imported_with_blank_met_columns_gets_them_from_its_dates(
    cli: Any, tmp_path: Path, db_url: str, monkeypatch: pytest.MonkeyPatch, met_columns: bool
) -> None:
    """The fresh-user trial: a new case whose Met cells were blank stayed blank, although the
    README says the Met columns never go stale. They are worked out from the dates, as for a
    case logged by hand; a typed one is kept; importing the file again changes nothing."""
    from openpyxl import Workbook as OpenpyxlWorkbook

    monkeypatch.setenv("COMPLAINTS_TODAY", "2025-03-10")
    met = ["Met HOS acknowledgment timeframe", "Met HOS code response timeframe?"]
    header = ["Ref", "Status", "Stage", "Handler", "Complainant", "Address", "Date received",
              ACK, RESPONDED]  # fmt: skip
    rows = [  # received Mon 03/02: acknowledge by 06/02, respond 10 working days after that
        ["SPRUCE001", "Closed", "Stage 1", "Kim Ho", "Ann Lee", "1 Oak Road", "03/02/2025",
         "04/02/2025", "11/02/2025"],
        ["SPRUCE002", "Open", "Stage 1", "Kim Ho", "Bo Hart", "2 Mill Road", "03/02/2025",
         "10/02/2025", None],
        ["SPRUCE003", "Open", "Stage 1", "Kim Ho", "Cy Dee", "3 Elm Road", "03/02/2025", None,
         None],
    ]  # fmt: skip
    if met_columns:
        header += met
        rows[0] += [None, "No"]  # a typed No the dates contradict: kept, with its warning
        rows[1] += [None, None]
        rows[2] += [None, None]
    wb = OpenpyxlWorkbook()
    for row in [header, *rows]:
        wb.active.append(row)
    path = tmp_path / "old log.xlsx"
    wb.save(path)
    first = cli("import", str(path))
    assert first.exit_code == 0, first.output
    got = {
        c["reference"]: (c["ack_met"], c["stage1_met"])
        for c in json.loads(cli("list", "-f", "json").stdout)
    }
    assert got == {
        "SPRUCE001": (True, not met_columns),  # the typed No is kept
        "SPRUCE002": (False, None),  # acknowledged late; not responded yet
        "SPRUCE003": (None, None),  # nothing done: nothing to judge
    }
    warned = [line for line in first.stderr.splitlines() if "the dates say" in line]
    assert len(warned) == (1 if met_columns else 0)
    again = cli("import", str(path))
    assert again.exit_code == 0, again.output
    assert "0 added, 0 updated, 3 unchanged, 0 conflicting" in again.stdout, again.output
    assert again.stderr == ""


def test_an_export_made_before_a_correction_is_the_same_complaint_not_a_clash(
    two_cases: Day, tmp_path: Path
) -> None:
    """A trial: ``correct --address`` (or ``--complainant``, ``--received``) after an export
    made the export's row "another complaint than the log's", and the hint it gave,
    ``--renumber-clashes``, added the same complaint a second time under a new reference.
    The history knows the earlier values: the row is the same complaint, a conflict."""
    day = two_cases
    workbook = export(day, tmp_path)
    day.ok("2025-03-10", "correct", "SPRUCE002", "--address", "2 Mill Lane, Flat B",
           "--complainant", "Bob Rae", "--received", "04/02/2025", "--reason", "typo")  # fmt: skip
    result = day("2025-03-10", "import", str(workbook))
    assert result.exit_code == 1, result.output
    assert "is another complaint" not in result.stderr
    assert "(1 other row(s) unchanged); nothing was imported" in result.stderr
    renumbered = day("2025-03-10", "import", str(workbook), "--renumber-clashes")
    assert "added as" not in renumbered.output
    assert [c["reference"] for c in state(day)] == ["SPRUCE001", "SPRUCE002"]
