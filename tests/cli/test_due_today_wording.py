"""A deadline due today reads "today", never "in 0 working day(s)" or "0 working day(s) left"
(the fresh-user trial): in the ``Next:`` lines, ``show``, ``due --explain`` and the digest, all
from the one phrase (``domain.dates.due_when`` / ``days_left_text``). Received Mon 03/02/2025:
the Spruce acknowledgement (3 working days) is due Thu 06/02/2025, the day looked at."""

from __future__ import annotations

import subprocess

from tests.conftest import LOG_ARGS, complaints_cmd
from tests.process_steps import Day

TODAY = "2025-02-06"


def test_next_lines_say_today_for_a_deadline_due_today(day: Day) -> None:
    day.log("2025-02-03")
    out = day.ok(TODAY, "update", "SPRUCE001", "--note", "Phoned the resident").stdout
    assert "Next: Acknowledge the complaint, due Thu 06/02/2025 (today)" in out
    assert "in 0 working day(s)" not in out
    assert "Next: Stage 1 response, due Thu 20/02/2025 (in 10 working day(s))" in out


def test_show_and_explain_say_due_today(day: Day) -> None:
    day.log("2025-02-03")
    shown = day.ok(TODAY, "show", "SPRUCE001").stdout
    ack = next(line for line in shown.splitlines() if line.startswith("Acknowledge the"))
    assert ack.split("06/02/2025", 1)[1].strip() == "pending, due today"
    assert ", 0 working day(s)" not in shown
    explained = day.ok(TODAY, "due", "--explain", "SPRUCE001").stdout
    assert "  pending, due today" in explained
    assert " 0 working day(s) left" not in explained


def test_the_digest_says_today(day: Day) -> None:
    day.log("2025-02-03")
    out = day.ok(TODAY, "digest", "--handler", "sam patel").stdout
    assert "Thu 06/02/2025 (today)" in out
    assert "in 0 working day(s)" not in out


def test_log_as_a_real_process_on_a_one_day_deadline(tmp_path: object) -> None:
    """Logged on the Monday it came in, a Tuesday contact deadline is "in 1 working day(s)";
    logged the Tuesday, it is "today" (a real process, a real SQLite log)."""
    args = [*LOG_ARGS]
    args[args.index("--received") + 1] = "04/02/2025"
    env = {**__import__("os").environ, "COMPLAINTS_TODAY": "2025-02-05"}
    done = subprocess.run(
        [*complaints_cmd(), "log", *args], capture_output=True, text=True, env=env, check=False
    )
    assert done.returncode == 0, done.stderr
    assert (
        "Next: Contact the resident (if not spoken to on receipt), due Wed 05/02/2025 (today)"
        in done.stdout
    )
    assert "in 0 working day(s)" not in done.stdout
