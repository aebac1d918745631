"""One owner for each fact: each bug here came from a fact with two or three owners.

* The nation (issue 11): the profile's ``nation`` was read, validated and never used, so a
  Scottish team's deadlines skipped England's Easter Monday.
* The reference grammar: a prefix that holds a digit (``HA2``) was split three ways, and the
  counter handed out ``HA2001`` twice after an import.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import LOG_ARGS


def log_received(cli: Any, received: str) -> Any:
    args = list(LOG_ARGS)
    args[args.index("--received") + 1] = received
    return cli("log", "--no-input", *args)


def test_a_scottish_profile_counts_scotlands_bank_holidays(
    cli: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Homes Plus (Scotland): Stage 1 within 5 working days of receipt (policy Part 1 para 4).

    Received Tue 15/04/2025: Good Friday 18/04 is a bank holiday in Scotland too, Easter Monday
    21/04 is not, so the 5th working day is Wed 23/04/2025 (England's calendar would say
    Thu 24/04/2025). GOV.UK's Scotland list has no Easter Monday.
    """
    monkeypatch.setenv("COMPLAINTS_PROFILE", "homes-plus-scotland")
    monkeypatch.setenv("COMPLAINTS_TODAY", "2025-04-16")
    assert log_received(cli, "15/04/2025").exit_code == 0
    shown = json.loads(cli("show", "SPRUCE001", "-f", "json").stdout)
    (stage1,) = [d for d in shown["deadlines"] if d["key"] == "stage1_response"]
    assert stage1["due"] == "2025-04-23"
    # A reply on the 24th is late under the Scottish calendar.
    monkeypatch.setenv("COMPLAINTS_TODAY", "2025-04-24")
    late = cli("respond", "SPRUCE001", "--summary", "Repair booked", "--date", "24/04/2025")
    assert late.exit_code == 1
    assert "after its deadline 23/04/2025" in late.stderr


def test_calendar_shows_the_nation_in_force_and_why(
    cli: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COMPLAINTS_PROFILE", "homes-plus-scotland")
    shown = cli("calendar", "--year", "2025", "-f", "json")
    days = {d["date"]: d["reason"] for d in json.loads(shown.stdout)}
    assert "2025-04-21" not in days  # Easter Monday: not a Scottish bank holiday
    assert days["2025-01-02"] == "New Year Holiday"
    assert days["2025-12-01"] == "Saint Andrew's Day (substitute day)"
    table = cli("calendar", "--year", "2025").stdout
    assert table.startswith(
        "Non-working weekdays in 2025 (scotland: the nation of profile homes-plus-scotland)"
    )
    config = cli("config", "-f", "json").stdout
    (nation,) = [r for r in json.loads(config) if r["setting"] == "nation"]
    assert nation == {
        "setting": "nation",
        "value": "scotland",
        "source": "the nation of profile homes-plus-scotland",
    }


def test_a_nation_setting_overrides_the_profile_in_any_spelling(
    cli: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COMPLAINTS_NATION", "Scotland")  # refused by the config before
    shown = cli("calendar", "--year", "2025", "-f", "json")
    assert shown.exit_code == 0, shown.output
    days = {d["date"] for d in json.loads(shown.stdout)}
    assert "2025-12-01" in days and "2025-04-21" not in days
    table = cli("calendar", "--year", "2025").stdout
    assert "(scotland: the nation setting (from env COMPLAINTS_NATION))" in table


@pytest.mark.usefixtures("db_url")
def test_a_prefix_holding_a_digit_round_trips_and_the_sequence_continues(
    cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """HA2001, exported and imported into a new log: the next log is HA2002, not HA2001 again
    (which died with a unique-constraint traceback)."""
    monkeypatch.setenv("COMPLAINTS_PREFIX", "HA2")
    assert log_received(cli, "03/02/2025").stdout.startswith("Logged HA2001:")
    exported = tmp_path / "log.xlsx"
    assert cli("export", str(exported)).exit_code == 0
    monkeypatch.setenv("COMPLAINTS_DB", str(tmp_path / "new.db"))
    monkeypatch.setenv("COMPLAINTS_ROOT", str(tmp_path / "New"))
    imported = cli("import", str(exported), "--create")
    assert imported.exit_code == 0, imported.output
    again = log_received(cli, "04/02/2025")
    assert again.exit_code == 0, again.output
    assert again.stdout.startswith("Logged HA2002:")
    # Handlers type it as they like; the known prefix reads it.
    assert json.loads(cli("show", "ha2-2", "-f", "json").stdout)["reference"] == "HA2002"


def test_the_reference_grammar_reads_with_the_prefix_known() -> None:
    from complaints_cli.domain.references import (
        highest_numbers,
        normalise_reference,
        parse_reference,
        split_reference,
    )

    assert split_reference("HA2001") == ("HA", 2001)  # no prefix known: the letters
    assert split_reference("HA2001", ["HA2"]) == ("HA2", 1)
    assert split_reference("ha2 - 7", ["HA2"]) == ("HA2", 7)
    assert split_reference("HA2-001") == ("HA2", 1)  # a separator says where the prefix ends
    assert normalise_reference("spruce 7") == "SPRUCE007"
    assert normalise_reference("ha21", ["HA2"]) == "HA2001"
    assert parse_reference("HA2-001") == "HA2001"
    with pytest.raises(Exception, match="fewer than three digits"):
        parse_reference("SPRUCE1")
    # The counter of each prefix moves past every reference it could write.
    assert highest_numbers(["HA", "HA2"], ["HA2001", "HA2005", "HA017"]) == {"HA": 2005, "HA2": 5}
    assert highest_numbers(["SPRUCE"], ["SPRUCE" + "9" * 19]) == {}  # past the counter's range
