"""One person, one spelling (the fresh-user trial: ``sarah  JONES`` typed beside an existing
``Sarah Jones`` was stored as typed, two handlers in every report). A name the log knows,
typed with other case or spacing, is recorded as the log spells it, said in one line on stderr,
by ``log``, ``escalate`` and ``correct``; whitespace inside every person's name taken is
collapsed. The matching is :func:`complaints_cli.domain.filters.known_spelling`, the rule
``new_person_near`` and ``match_person`` use."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from complaints_cli.domain.filters import known_spelling, new_person_near
from tests.process_steps import Day

DAY = "2025-02-20"


def _log(day: Day, handler: str, address: str) -> object:
    return day(
        DAY, "log", "--no-input", "--complainant", "Ann Lee", "--address", address,
        "--received", "03/02/2025", "--handler", handler, "--channel", "email",
    )  # fmt: skip


def _stored(tmp_path: Path, column: str = "handler") -> list[str]:
    with sqlite3.connect(tmp_path / "log.db") as con:
        return [r[0] for r in con.execute(f"SELECT {column} FROM complaint ORDER BY id")]


def _notes(result: object) -> list[str]:
    return [line for line in result.stderr.splitlines() if line]  # type: ignore[attr-defined]


def test_known_spelling_is_the_one_matching_rule() -> None:
    known = ["Sarah Jones", "Kim Ho"]
    assert known_spelling("sarah  JONES", known) == "Sarah Jones"
    assert known_spelling("Sarah Jones", known) is None  # as the log spells it
    assert known_spelling("Sarah   Jones", known) is None  # only spacing: collapsed anyway
    assert known_spelling("Sarah Jonse", known) is None  # a typo: new_person_near's warning
    assert new_person_near("Sarah Jonse", known) == "Sarah Jones"
    assert known_spelling("Ali Khan", known) is None


def test_log_records_the_logs_spelling_of_a_known_handler(day: Day, tmp_path: Path) -> None:
    assert _log(day, "Sarah Jones", "1 Oak Road").exit_code == 0  # type: ignore[attr-defined]
    result = _log(day, "sarah  JONES", "2 Oak Road")
    assert result.exit_code == 0  # type: ignore[attr-defined]
    assert _notes(result) == [
        "complaints: note: handler 'sarah JONES' recorded as 'Sarah Jones', as the log spells it"
    ]
    assert _stored(tmp_path) == ["Sarah Jones", "Sarah Jones"]
    listed = day.ok(DAY, "list").stdout
    assert "sarah" not in listed


def test_a_new_name_is_single_spaced_and_kept_as_typed(day: Day, tmp_path: Path) -> None:
    result = _log(day, "kim   HO", "1 Oak Road")
    assert result.exit_code == 0 and not _notes(result)  # type: ignore[attr-defined]
    assert _stored(tmp_path) == ["kim HO"]


def test_escalate_and_correct_record_the_logs_spelling(day: Day, tmp_path: Path) -> None:
    for address in ("1 Oak Road", "2 Oak Road"):
        _log(day, "Sarah Jones", address)
    day.ok(DAY, "escalate", "SPRUCE001", "--received", "10/02/2025", "--review", "manager",
           "--details", "x", "--handler", "Jordan Blake")  # fmt: skip
    result = day.ok(DAY, "escalate", "SPRUCE002", "--received", "10/02/2025", "--review",
                    "manager", "--details", "x", "--handler", "JORDAN  blake")  # fmt: skip
    assert _notes(result) == [
        "complaints: note: Stage 2 handler 'JORDAN blake' recorded as 'Jordan Blake', as the "
        "log spells it"
    ]
    assert _stored(tmp_path, "stage2_handler") == ["Jordan Blake", "Jordan Blake"]
    _log(day, "Kim Ho", "3 Oak Road")
    result = day.ok(DAY, "correct", "SPRUCE003", "--handler", "sarah jones", "--reason", "who")
    assert _notes(result) == [
        "complaints: note: --handler 'sarah jones' recorded as 'Sarah Jones', as the log spells it"
    ]
    assert _stored(tmp_path) == ["Sarah Jones"] * 3
    history = day.ok(DAY, "history", "SPRUCE003").stdout
    assert "Handler: Kim Ho -> Sarah Jones" in history


def test_correct_may_respell_a_name_no_other_case_holds(day: Day, tmp_path: Path) -> None:
    _log(day, "sam patel", "1 Oak Road")
    result = day.ok(DAY, "correct", "SPRUCE001", "--handler", "Sam Patel", "--reason", "case")
    assert not _notes(result)
    assert _stored(tmp_path) == ["Sam Patel"]


def test_action_owners_and_compliment_names_are_single_spaced(day: Day, tmp_path: Path) -> None:
    _log(day, "Sam Patel", "1 Oak Road")
    day.ok(DAY, "acknowledge", "SPRUCE001", "--date", "04/02/2025", "--summary", "Damp")
    day.ok(DAY, "respond", "SPRUCE001", "--date", "10/02/2025", "--summary", "Upheld",
           "--outcome", "upheld", "--action", "Fit fan", "--action-due", "28/02/2025",
           "--action-owner", "Repairs   team")  # fmt: skip
    with sqlite3.connect(tmp_path / "log.db") as con:
        assert [r[0] for r in con.execute("SELECT owner FROM action")] == ["Repairs team"]
    day.ok(DAY, "compliment", "--from", "Kemi   Adeyemi", "--about", "Sam Patel",
           "--received", "20/02/2025", "--channel", "email")  # fmt: skip
    with sqlite3.connect(tmp_path / "log.db") as con:
        assert [r[0] for r in con.execute("SELECT from_name FROM compliment")] == ["Kemi Adeyemi"]


def test_a_name_answered_at_the_prompt_is_the_logs_spelling(cli: Any, tmp_path: Path,
                                                           monkeypatch: Any) -> None:  # fmt: skip
    monkeypatch.setenv("COMPLAINTS_TODAY", DAY)
    common = ("--complainant", "Ann Lee", "--received", "03/02/2025", "--channel", "email")
    assert cli("log", "--no-input", "--address", "1 Oak Road", "--handler", "Sarah Jones",
               *common).exit_code == 0  # fmt: skip
    # the handler, then Enter for the summary and the category
    result = cli("log", "--address", "2 Oak Road", *common, input="sarah   jones\n\n\n")
    assert result.exit_code == 0, result.output
    assert (
        "complaints: note: handler 'sarah jones' recorded as 'Sarah Jones', as the log spells it"
        in result.stderr
    )
    assert _stored(tmp_path) == ["Sarah Jones", "Sarah Jones"]


def test_a_refused_command_says_only_why_not_that_a_name_was_recorded(
    day: Day, tmp_path: Path
) -> None:
    """The note that a name was recorded as the log spells it is said once the change is
    saved: a refused escalation records nothing, so it says only why (one line)."""
    _log(day, "Sarah Jones", "1 Oak Road")
    day.ok(DAY, "escalate", "SPRUCE001", "--received", "10/02/2025", "--review", "manager",
           "--details", "x", "--handler", "Jordan Blake")  # fmt: skip
    _log(day, "Kim Ho", "2 Oak Road")
    # the Stage 1 handler cannot review at Stage 2: refused, whatever the spelling
    error = day.fails(DAY, "escalate", "SPRUCE002", "--received", "10/02/2025", "--review",
                      "manager", "--details", "x", "--handler", "KIM  ho")  # fmt: skip
    assert "recorded as" not in error
    assert _stored(tmp_path, "stage2_handler") == ["Jordan Blake", None]
