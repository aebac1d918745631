"""``learning --replace`` rewords learning already recorded: it is not new learning (the
fresh-user trial: the EMT report counted it again, in the month it was replaced, and the
learning's day moved). The learning counts once, on the day it was first recorded, in the EMT
and annual figures; the history keeps the old text and the day it was replaced."""

from __future__ import annotations

import json
from typing import Any

from tests.process_steps import Day

REPORT_DAY = "2026-04-02"


def _learning(day: Day, *args: str) -> list[tuple[str, str, str]]:
    out = json.loads(day.ok(REPORT_DAY, "report", *args, "--format", "json").stdout)
    figure = next(f for f in out["figures"] if f["key"] == "learning")
    return [(c["reference"], c["date"], c["text"]) for c in figure["cases"] if c["counted"]]


def _recorded(day: Day) -> None:
    day.log("2025-04-03", received="03/04/2025")
    day.ok("2025-04-10", "learning", "SPRUCE001", "Confirm contractor visits by text")
    day.ok("2025-05-12", "learning", "SPRUCE001", "--replace",
           "Confirm contractor visits by text the day before")  # fmt: skip


def test_replacing_is_not_counted_again_in_the_emt_report(day: Day) -> None:
    _recorded(day)
    assert _learning(day, "emt", "--month", "2025-04") == [
        ("SPRUCE001", "2025-04-10", "Confirm contractor visits by text")
    ]
    assert _learning(day, "emt", "--month", "2025-05") == []


def test_replacing_is_counted_once_in_the_annual_figures(day: Day) -> None:
    _recorded(day)
    assert _learning(day, "annual", "--year", "2025") == [
        ("SPRUCE001", "2025-04-10", "Confirm contractor visits by text")
    ]


def test_the_history_keeps_the_old_text_and_the_day_replaced(day: Day) -> None:
    _recorded(day)
    history: list[dict[str, Any]] = json.loads(
        day.ok(REPORT_DAY, "history", "SPRUCE001", "--format", "json").stdout
    )
    last = history[-1]["changes"]
    assert last["learning"] == [
        "Confirm contractor visits by text",
        "Confirm contractor visits by text the day before",
    ]
    assert last["learning_replaced"] == [None, "2025-05-12"]
    assert "learning_recorded" not in last
    assert day.show(REPORT_DAY)["learning"] == "Confirm contractor visits by text the day before"


def test_adding_and_a_first_replace_still_count(day: Day) -> None:
    """Adding learning is new learning; so is ``--replace`` on a case with none yet."""
    day.log("2025-04-03", received="03/04/2025")
    day.ok("2025-04-10", "learning", "SPRUCE001", "--replace", "Text before visits")
    day.ok("2025-05-12", "learning", "SPRUCE001", "Check gutters each autumn")
    assert _learning(day, "emt", "--month", "2025-04") == [
        ("SPRUCE001", "2025-04-10", "Text before visits")
    ]
    assert _learning(day, "emt", "--month", "2025-05") == [
        ("SPRUCE001", "2025-05-12", "Check gutters each autumn")
    ]
