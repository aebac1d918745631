"""An item due on a Friday is overdue on the Saturday, though no working day has passed since
(``working_days_between`` counts 0): every place that shows it says "overdue", never a bare
``0`` or "in 0 working day(s)", which read as "due today" (the fresh-user trial). The JSON keeps
the count and says the state. Dates: Thu 06/02/2025 received, so the Spruce contact (one
working day) is due Fri 07/02/2025; Sat 08/02/2025 is the day looked at."""

from __future__ import annotations

import json

from tests.process_steps import Day


def _row(out: str, reference: str, milestone: str) -> list[str]:
    for line in out.splitlines():
        if line.startswith(reference) and milestone in line:
            return line.split()
    raise AssertionError(out)


def test_due_on_a_saturday_shows_fridays_item_overdue(day: Day) -> None:
    day.log("2025-02-06", received="06/02/2025")
    out = day.ok("2025-02-08", "due").stdout
    row = _row(out, "SPRUCE001", "Contact the resident")
    assert "Fri 07/02/2025" in " ".join(row)
    assert row[row.index("07/02/2025") + 1] == "overdue"
    # Acknowledging is due Tue 11/02/2025 (3 working days): not overdue, its count as before.
    ack = _row(out, "SPRUCE001", "Acknowledge")
    assert ack[ack.index("11/02/2025") + 1] == "2"
    items = json.loads(day.ok("2025-02-08", "due", "--format", "json").stdout)
    contact = next(i for i in items if i["key"] == "contact")
    assert (contact["working_days_left"], contact["state"]) == (0, "overdue")
    # On the Friday itself it is due today: 0, not overdue.
    friday = day.ok("2025-02-07", "due").stdout
    row = _row(friday, "SPRUCE001", "Contact the resident")
    assert row[row.index("07/02/2025") + 1] == "0"
    # On Monday a working day has passed: overdue by 1.
    monday = day.ok("2025-02-10", "due").stdout
    row = _row(monday, "SPRUCE001", "Contact the resident")
    assert row[row.index("07/02/2025") + 1] == "-1"


def test_due_overdue_is_headed_overdue_not_due_by(day: Day) -> None:
    day.log("2025-02-06", received="06/02/2025")
    out = day.ok("2025-02-10", "due", "--overdue").stdout
    assert out.splitlines()[0] == "Overdue (as of 10/02/2025)"
    assert day.ok("2025-02-10", "due").stdout.splitlines()[0] == (
        "Due by Mon 17/02/2025 (as of 10/02/2025)"
    )


def test_next_lines_after_a_change_on_a_saturday_say_overdue(day: Day) -> None:
    day.log("2025-02-06", received="06/02/2025")
    out = day.ok("2025-02-08", "vulnerability", "SPRUCE001", "--vulnerable").stdout
    assert "Next: Contact the resident (if not spoken to on receipt), due Fri 07/02/2025 " \
        "(overdue)" in out  # fmt: skip
    assert "in 0 working day(s)" not in out


def test_the_weekly_digest_on_a_saturday_says_overdue(day: Day) -> None:
    day.log("2025-02-06", received="06/02/2025")
    out = day.ok("2025-02-08", "digest", "--handler", "sam patel").stdout
    assert "Fri 07/02/2025 (overdue)" in out
    assert "in 0 working day(s)" not in out
