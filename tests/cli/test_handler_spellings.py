"""A handler's name is matched as ``match_person`` matches it, everywhere it filters: the
check that a name is known and the filter that follows agree, so a name the log knows never
gets "Nothing due." (the fresh-user trial: ``Kim\\nHo`` from a cell with Alt+Enter)."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest

from complaints_cli.domain.filters import match_person

CASES = (  # (handler as stored, as a handler types it)
    ("Kim\nHo", "Kim Ho"),
    ("Zoë Adeyemi", "zoe adeyemi"),
    ("Mary-Jane Fox", "mary jane fox"),
    ("Sam  Patel", "SAM PATEL"),
    # Invisible characters pasted in with the name (a zero-width space, a byte order mark).
    ("Sam\u200b Patel", "sam patel"),
    ("\ufeffKim Ho", "kim ho"),
)


def test_every_spelling_of_the_person_is_returned_as_stored() -> None:
    known = ["Sam Patel", "sam  patel", "Sam\nPatel", "Kim Ho", "Samuel Patel"]
    assert match_person("sam patel", known) == ("Sam\nPatel", "Sam Patel", "sam  patel")
    assert match_person("Kim  HO", known) == ("Kim Ho",)


@pytest.mark.parametrize(("stored", "typed"), CASES)
def test_due_list_and_digest_find_the_cases_of_a_name_as_typed(
    cli: Any, stored: str, typed: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COMPLAINTS_TODAY", "2025-02-03")
    common = ("--no-input", "--address", "1 Oak Road", "--received", "03/02/2025")
    common += ("--channel", "email")
    assert cli("log", "--complainant", "Ann Lee", "--handler", stored, *common).exit_code == 0
    assert cli("log", "--complainant", "Bo Hart", "--handler", "Ali Khan", *common).exit_code == 0
    due = cli("due", "--handler", typed, "--format", "csv")
    assert due.exit_code == 0, due.output
    assert {row[0] for row in list(csv.reader(io.StringIO(due.stdout)))[1:]} == {"SPRUCE001"}
    listed = cli("list", "--handler", typed, "--format", "csv")
    assert listed.exit_code == 0, listed.output
    assert [row[0] for row in list(csv.reader(io.StringIO(listed.stdout)))[1:]] == ["SPRUCE001"]
    week = cli("digest", "--handler", typed)
    assert week.exit_code == 0, week.output
    assert "SPRUCE001" in week.stdout and "SPRUCE002" not in week.stdout


def test_a_misspelt_name_is_refused_by_digest_as_by_due(cli: Any) -> None:
    assert cli("log", "--no-input", "--complainant", "Ann Lee", "--handler", "Sam Patel",
               "--address", "1 Oak Road", "--received", "03/02/2025",
               "--channel", "email").exit_code == 0  # fmt: skip
    for command in ("due", "digest", "list"):
        result = cli(command, "--handler", "Sam Patl")
        assert result.exit_code == 1, (command, result.output)
        assert "'Sam Patl' is not a handler in the log" in result.stderr


def test_due_csv_writes_days_left_as_numbers_and_text_guarded(
    cli: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Overdue days are negative numbers in CSV (they sort and sum), while a text cell that a
    spreadsheet would run stays guarded (the fresh-user trial: ``'-18``)."""
    monkeypatch.setenv("COMPLAINTS_TODAY", "2025-03-03")
    assert cli("log", "--no-input", "--complainant", "Ann Lee", "--handler", "-Sam Patel",
               "--address", "1 Oak Road", "--received", "03/02/2025",
               "--channel", "email").exit_code == 0  # fmt: skip
    due = cli("due", "--format", "csv")
    assert due.exit_code == 0, due.output
    rows = list(csv.DictReader(io.StringIO(due.stdout)))
    days = next(row for row in rows if row["Milestone"].startswith("Acknowledge"))
    assert int(days["Days left"]) < 0 and not days["Days left"].startswith("'")
    assert {row["Handler"] for row in rows} == {"'-Sam Patel"}


def _log(day: Any, handler: str, complainant: str = "Ann Lee") -> Any:
    return day.ok("2025-02-03", "log", "--no-input", "--complainant", complainant,
                  "--address", "1 Oak Road", "--received", "03/02/2025", "--channel", "email",
                  "--handler", handler)  # fmt: skip


def test_log_warns_of_a_handler_name_close_to_one_the_log_knows(day: Any) -> None:
    """The fresh-user trial: ``log --handler "Sarah Jonse"`` beside "Sarah Jones" was stored
    silently. A new name is legitimate (logged, exit 0), but one a letter away from a known
    handler is warned of, on one line, with the fix."""
    from tests.process_steps import warnings

    assert warnings(_log(day, "Sarah Jones")) == []  # an empty log knows nobody
    typo = _log(day, "Sarah Jonse", "Bo Hart")
    assert warnings(typo) == [
        "handler 'Sarah Jonse' is new to the log; did you mean Sarah Jones, who handles other "
        'cases? If so: complaints correct SPRUCE002 --handler "Sarah Jones" --reason "typo"'
    ]
    assert "Logged SPRUCE002" in typo.stdout
    assert day.show("2025-02-03", "SPRUCE002")["handler"] == "Sarah Jonse"
    # The same person under another spelling, and a new member of staff: no warning.
    assert warnings(_log(day, "sarah  JONES", "Cy Dee")) == []
    assert warnings(_log(day, "Priya Shah", "Di Eve")) == []


def test_escalate_warns_of_a_stage2_handler_name_close_to_a_known_one(day: Any) -> None:
    from tests.process_steps import warnings

    for complainant in ("Ann Lee", "Bo Hart"):
        _log(day, "Sam Patel", complainant)
    for ref in ("SPRUCE001", "SPRUCE002"):
        day.ok("2025-02-04", "respond", ref, "--summary", "Repair booked")
    escalate = ("--received", "05/02/2025", "--review", "manager", "--details", "Unhappy")
    first = day.ok("2025-02-05", "escalate", "SPRUCE001", *escalate, "--handler", "Jordan Blake")
    assert warnings(first) == []
    typo = day.ok("2025-02-05", "escalate", "SPRUCE002", *escalate, "--handler", "Jordan Blak")
    assert warnings(typo) == [
        "handler 'Jordan Blak' is new to the log; did you mean Jordan Blake, who handles other "
        'cases? If so: complaints correct SPRUCE002 --stage2-handler "Jordan Blake" --reason '
        '"typo"'
    ]


def test_correct_warns_of_a_handler_name_close_to_a_known_one(day: Any) -> None:
    """``correct --handler`` / ``--stage2-handler`` warn as ``log`` and ``escalate`` do (the
    one message, :func:`complaints_cli.cli.options.new_handler_warning`); the corrected value is
    saved. The name a correction replaces is not suggested (correcting a typo away)."""
    from tests.process_steps import warnings

    people = (("Sarah Jones", "Ann Lee"), ("Sam Patel", "Bo Hart"), ("Sam Patel", "Cy Dee"))
    for handler, complainant in people:
        _log(day, handler, complainant)
    for ref in ("SPRUCE002", "SPRUCE003"):
        day.ok("2025-02-04", "respond", ref, "--summary", "Repair booked")
        day.ok("2025-02-05", "escalate", ref, "--received", "05/02/2025", "--review", "manager",
               "--details", "Unhappy", "--handler", "Jordan Blake")  # fmt: skip

    def correct(ref: str, *args: str) -> list[str]:
        return warnings(day.ok("2025-02-06", "correct", ref, *args, "--reason", "x"))

    assert correct("SPRUCE002", "--handler", "Sarah Jonse") == [
        "handler 'Sarah Jonse' is new to the log; did you mean Sarah Jones, who handles other "
        'cases? If so: complaints correct SPRUCE002 --handler "Sarah Jones" --reason "typo"'
    ]
    assert day.show("2025-02-06", "SPRUCE002")["handler"] == "Sarah Jonse"
    assert correct("SPRUCE003", "--stage2-handler", "Jordan Blak") == [
        "handler 'Jordan Blak' is new to the log; did you mean Jordan Blake, who handles other "
        'cases? If so: complaints correct SPRUCE003 --stage2-handler "Jordan Blake" --reason '
        '"typo"'
    ]
    # Put right, a new member of staff, and a typo corrected away: no warning.
    assert correct("SPRUCE003", "--stage2-handler", "Jordan Blake") == []
    assert correct("SPRUCE002", "--handler", "Sarah Jones") == []
    assert correct("SPRUCE003", "--handler", "Priya Shahh") == []
    assert correct("SPRUCE003", "--handler", "Priya Shah") == []


def test_a_mistyped_reference_suggests_live_cases_for_a_change_and_a_bare_number(
    day: Any,
) -> None:
    """The fresh-user trial: ``show 1`` suggested nothing, and a write's "did you mean"
    offered a void case. Run as the CLI runs, on a real log."""
    for complainant in ("Ann Lee", "Bo Hart"):
        _log(day, "Sam Patel", complainant)
    day.ok("2025-02-03", "void", "SPRUCE002", "--reason", "logged in error")
    assert day.fails("2025-02-03", "show", "1") == (
        "no complaint with reference '1'; did you mean SPRUCE001?"
    )
    assert day.fails("2025-02-03", "show", "SPRUCE003") == (
        "no complaint with reference 'SPRUCE003'; did you mean SPRUCE002 (void), SPRUCE001?"
    )
    assert day.fails("2025-02-03", "acknowledge", "SPRUCE003", "--summary", "x") == (
        "no complaint with reference 'SPRUCE003'; did you mean SPRUCE001?"
    )
    assert day.fails("2025-02-03", "acknowledge", "2", "--summary", "x") == (
        "no complaint with reference '2'"
    )
