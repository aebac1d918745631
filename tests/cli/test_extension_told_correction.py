"""A mistyped day the resident was told of an extension can be put right (the fresh-user
trial: ``extend --told --date`` refused "already told" and nothing else could change it).
``correct --extension-told D`` (``--stage2-extension-told``) changes it with a reason, the
history keeping the old day; the refusal names that correction. Received Mon 03/02/2025,
acknowledged Wed 05/02/2025: the Stage 1 response is due Wed 19/02/2025, extended to
05/03/2025."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from tests.conftest import complaints_cmd
from tests.process_steps import Day

TODAY = "2025-02-20"


def _extended(day: Day, told_on: str = "12/02/2025") -> None:
    day.log("2025-02-03")
    day.ok("2025-02-05", "acknowledge", "SPRUCE001", "--summary", "Damp")
    day.ok(TODAY, "extend", "SPRUCE001", "--reason", "Awaiting the survey", "--days", "10",
           "--told", "--date", told_on)  # fmt: skip


def test_a_second_telling_names_the_correction(day: Day) -> None:
    _extended(day)
    assert day.fails(TODAY, "extend", "SPRUCE001", "--told", "--date", "13/02/2025") == (
        "SPRUCE001's resident was already told on 12/02/2025; if that day is wrong, correct it "
        "with complaints correct SPRUCE001 --extension-told D --reason TEXT"
    )


def test_correct_changes_the_day_told_and_keeps_the_old_one(day: Day) -> None:
    _extended(day)
    out = day.ok(TODAY, "correct", "SPRUCE001", "--extension-told", "11/02/2025", "--reason",
                 "Typed the wrong day").stdout  # fmt: skip
    assert "Stage 1 extension told on: 12/02/2025 -> 11/02/2025" in out
    shown = day.show(TODAY)
    assert (shown["stage1_extension_told"], shown["stage1_extension_told_on"]) == (
        True,
        "2025-02-11",
    )
    history = json.loads(day.ok(TODAY, "history", "SPRUCE001", "--format", "json").stdout)
    last = history[-1]
    assert last["command"] == "correct"
    assert last["changes"]["stage1_extension_told_on"] == ["2025-02-12", "2025-02-11"]


def test_a_corrected_day_after_the_original_deadline_stops_the_extension(day: Day) -> None:
    """Told on 20/02/2025, after the original deadline 19/02/2025: the extension no longer
    counts, so the response is due (overdue) on 19/02/2025."""
    _extended(day)
    assert day.due(TODAY, "--within", "20")[0][:3] == ("SPRUCE001", "stage1_response", "2025-03-05")
    day.ok(TODAY, "correct", "SPRUCE001", "--extension-told", "20/02/2025", "--reason", "Late")
    assert day.due(TODAY, "--within", "20")[0][:3] == ("SPRUCE001", "stage1_response", "2025-02-19")


def test_refused_without_an_extension_or_in_the_future(day: Day) -> None:
    day.log("2025-02-03")
    assert day.fails(TODAY, "correct", "SPRUCE001", "--extension-told", "11/02/2025",
                     "--reason", "x") == (
        "SPRUCE001 has no Stage 1 extension: there is no day told to correct"
    )  # fmt: skip
    day.ok("2025-02-05", "acknowledge", "SPRUCE001", "--summary", "Damp")
    day.ok(TODAY, "extend", "SPRUCE001", "--reason", "Survey", "--told", "--date", "12/02/2025")
    assert day.fails(TODAY, "correct", "SPRUCE001", "--extension-told", "21/02/2025",
                     "--reason", "x") == (
        "date told 21/02/2025 is in the future (today is 20/02/2025)"
    )  # fmt: skip


def test_as_a_real_process(day: Day, tmp_path: Path) -> None:
    _extended(day)
    env = {**os.environ, "COMPLAINTS_TODAY": TODAY}
    done = subprocess.run(
        [*complaints_cmd(), "correct", "spruce1", "--extension-told", "11/02/2025", "--reason",
         "Typed the wrong day"],
        capture_output=True, text=True, env=env, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert day.show(TODAY)["stage1_extension_told_on"] == "2025-02-11"
