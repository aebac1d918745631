"""Interactive ``complaints log`` (issue 12, item 8): asked in order, each answer checked as it
is given, the date received asked and echoed, Ctrl-C cancels with nothing saved."""

from __future__ import annotations

import json
import os
import select
import signal
import subprocess
import time
from pathlib import Path
from typing import Any

from tests.conftest import complaints_cmd
from tests.process_steps import Day


def test_every_question_in_order_each_answer_checked_when_given(day: Day, root: Path) -> None:
    day.ok(
        "2025-02-10",
        "log",
        "--complainant",
        "Bob Ray",
        "--address",
        "2 Mill Lane",
        "--handler",
        "Sam Patel",
        "--channel",
        "email",
    )
    day.monkeypatch.setenv("COMPLAINTS_TODAY", "2025-02-10")
    answers = "\n".join(
        [
            "Ann Lee",
            "1 Essex Brewery",
            "31/02/2025",  # not a date: asked again, nothing typed so far is lost
            "12/02/2025",  # in the future: asked again
            "03/02/2025",
            "Sam Patl",  # close to a handler the log knows: asked once more
            "Sam Patel",
            "fax",  # not a channel: asked again
            "phone",
            "Damp in the bathroom",
            "dampness",  # not one of the team's categories: asked again
            "damp",
        ]
    )
    result = day.cli("log", input=answers + "\n")
    assert result.exit_code == 0, result.output
    prompts = result.stdout.split("Logged")[0]
    order = [
        "Complainant: ",
        "Address: ",
        "Date received [10/02/2025]: ",
        "Handler (known: Sam Patel): ",
        "Channel (email, phone, letter, in person, website, social media): ",
        "Summary (Enter to skip): ",
        "Category (Repairs, Damp and mould, Anti-social behaviour, Service charges and rent, "
        "Staff conduct, Communication, Estate services, Other) (Enter to skip): ",
    ]
    positions = [prompts.index(p) for p in order]
    assert positions == sorted(positions)
    assert result.stderr.splitlines() == [
        "  date received '31/02/2025' is not a real date (day 31, month 2, year 2025); try again",
        "  date received 12/02/2025 is in the future (today is 10/02/2025); try again",
        "  'Sam Patl' is new to the log; did you mean Sam Patel?: press Enter to keep "
        "'Sam Patl', or type it again",
        "  channel 'fax' is not one of: email, phone, letter, in person, website, social media; "
        "try again",
        "  --category 'dampness' is not one of the team's categories: Repairs, Damp and mould, "
        "Anti-social behaviour, Service charges and rent, Staff conduct, Communication, Estate "
        "services, Other (the list is the categories setting: complaints config); try again",
    ]
    first = result.stdout.split("Other) (Enter to skip): ")[-1].splitlines()[0]
    assert (
        first == "Logged SPRUCE002: Ann Lee, 1 Essex Brewery, received 03/02/2025 (Stage 1, Open)"
    )
    shown = day.show("2025-02-10", "SPRUCE002")
    assert (shown["received"], shown["handler"], shown["channel"], shown["complaint_summary"]) == (
        "2025-02-03",
        "Sam Patel",
        "phone",
        "Damp in the bathroom",
    )
    assert shown["category"] == "Damp and mould"


def test_enter_takes_today_and_skips_the_summary(day: Day) -> None:
    day.monkeypatch.setenv("COMPLAINTS_TODAY", "2025-02-10")
    result = day.cli("log", input="Ann Lee\n1 Essex Brewery\n\nSam Patel\nemail\n\n")
    assert result.exit_code == 0, result.output
    assert "Logged SPRUCE001: Ann Lee, 1 Essex Brewery, received 10/02/2025" in result.stdout
    shown = day.show("2025-02-10")
    assert (shown["received"], shown["complaint_summary"]) == ("2025-02-10", None)


def test_input_that_ends_is_one_line_and_nothing_is_saved(day: Day, tmp_path: Path) -> None:
    result = day("2025-02-10", "log", "--handler", "Sam Patel")
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines()[-1] == (
        "complaints: error: --complainant is required (no answer could be read; give it as an "
        "option)"
    )
    assert json.loads(day.ok("2025-02-10", "list", "-f", "json").stdout) == []


def test_no_input_names_the_first_missing_value(day: Day) -> None:
    assert day.fails("2025-02-10", "log", "--no-input", "--complainant", "Ann") == (
        "--address is required with --no-input"
    )


def _read_until(stream: Any, text: bytes, timeout: float = 30.0) -> bytes:
    seen = b""
    deadline = time.monotonic() + timeout
    while text not in seen:
        left = deadline - time.monotonic()
        assert left > 0, f"never saw {text!r}; saw {seen!r}"
        ready, _, _ = select.select([stream], [], [], left)
        if ready:
            chunk = os.read(stream.fileno(), 4096)
            assert chunk, f"the process ended before {text!r}; saw {seen!r}"
            seen += chunk
    return seen


def test_ctrl_c_at_a_question_cancels_and_nothing_is_saved(tmp_path: Path, root: Path) -> None:
    env = {**os.environ, "COMPLAINTS_TODAY": "2025-02-10"}
    proc = subprocess.Popen(
        [*complaints_cmd(), "log"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    assert proc.stdin is not None and proc.stdout is not None
    proc.stdin.write(b"Ann Lee\n")
    proc.stdin.flush()
    _read_until(proc.stdout, b"Address: ")  # waiting for the answer: the marker, not a sleep
    proc.send_signal(signal.SIGINT)
    _out, err = proc.communicate(timeout=30)
    assert proc.returncode == 130
    assert (
        err.decode().strip().splitlines()[-1] == "complaints: error: cancelled; nothing was saved"
    )
    assert "Traceback" not in err.decode()
    import sqlite3

    with sqlite3.connect(tmp_path / "log.db") as db:
        assert db.execute("SELECT count(*) FROM complaint").fetchone() == (0,)
    assert not root.exists() or list(root.iterdir()) == []
