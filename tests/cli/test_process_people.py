"""Issue 7 parts 5 and 6: vulnerability and reasonable adjustments (Code 6.1), shown on
``show`` and kept out of listings; compliments recorded and listed (Spruce policy, section 3).
On SQLite and PostgreSQL."""

from __future__ import annotations

import json

import pytest

from tests.process_steps import Day


def test_vulnerability_on_show_and_not_in_listings(day: Day, db_url: str) -> None:
    day.log("2025-02-03")
    out = day.ok("2025-02-04", "vulnerability", "SPRUCE001", "--vulnerable", "--contact",
                 "phone, mornings", "--adjustment", "Letters in large print", "--notes",
                 "Recently bereaved")  # fmt: skip
    assert "SPRUCE001: vulnerability recorded (Open, Stage 1)" in out.stdout
    day.ok("2025-02-05", "vulnerability", "SPRUCE001", "--adjustment", "Extra time to reply")
    c = day.show("2025-02-05")
    assert c["vulnerability"] == {
        "vulnerable": True,
        "contact_preference": "phone, mornings",
        "adjustments": "Letters in large print\nExtra time to reply",
        "vulnerability_notes": "Recently bereaved",
    }
    text = day.ok("2025-02-05", "show", "SPRUCE001").stdout
    for expected in ("Vulnerable", "phone, mornings", "Extra time to reply", "Recently bereaved"):
        assert expected in text
    # Kept out of listings (list -f json / csv) unless asked for.
    listed = day.ok("2025-02-05", "list", "-f", "json").stdout
    assert "Recently bereaved" not in listed and "vulnerable" not in listed
    assert "large print" not in day.ok("2025-02-05", "list", "-f", "csv").stdout
    # Recorded as a change with history, like every other.
    assert c["history"][-1]["changes"] == {
        "adjustments": ["Letters in large print", "Letters in large print\nExtra time to reply"]
    }
    day.ok("2025-02-06", "vulnerability", "SPRUCE001", "--not-vulnerable", "--notes", "")
    c = day.show("2025-02-06")
    assert (c["vulnerability"]["vulnerable"], c["vulnerability"]["vulnerability_notes"]) == (
        False,
        None,
    )


def test_vulnerability_needs_something_to_record(day: Day) -> None:
    day.log("2025-02-03")
    assert day.fails("2025-02-04", "vulnerability", "SPRUCE001") == (
        "give --vulnerable/--not-vulnerable, --contact, --adjustment or --notes"
    )
    assert "at most 60 characters" in day.fails(
        "2025-02-04", "vulnerability", "SPRUCE001", "--contact", "x" * 61
    )


def test_compliments_recorded_and_listed_by_month(day: Day, db_url: str) -> None:
    out = day.ok("2025-03-10", "compliment", "--from", "Ann Lee", "--about", "Sam  Patel",
                 "--received", "10/03/2025", "--channel", "e-mail", "--details",
                 "Thanked Sam for the quick repair")  # fmt: skip
    assert out.stdout.startswith("Compliment 1 recorded: from Ann Lee about Sam Patel")
    day.ok("2025-03-31", "compliment", "--from", "Raj Singh", "--about", "Repairs team")
    day.ok("2025-04-01", "compliment", "--from", "Mo Khan", "--about", "Sam Patel",
           "--received", "01/04/2025", "--channel", "phone")  # fmt: skip
    rows = json.loads(
        day.ok("2025-04-01", "compliments", "--month", "2025-03", "-f", "json").stdout
    )
    assert [(r["id"], r["received"], r["from_name"], r["about"], r["channel"]) for r in rows] == [
        (1, "2025-03-10", "Ann Lee", "Sam Patel", "email"),
        (2, "2025-03-31", "Raj Singh", "Repairs team", None),
    ]
    assert rows[0]["actor"] == "tester"
    text = day.ok("2025-04-01", "compliments", "--month", "04/2025").stdout
    assert "1 compliment in April 2025" in text and "Mo Khan" in text
    about = json.loads(
        day.ok("2025-04-01", "compliments", "--about", "sam patel", "-f", "json").stdout
    )
    assert [r["from_name"] for r in about] == ["Ann Lee", "Mo Khan"]
    # An accent or a hyphen does not make another person; a typo is an error naming the
    # nearest, never "No compliments" (the fresh-user trial).
    about = json.loads(
        day.ok("2025-04-01", "compliments", "--about", "Sám-Patel", "-f", "json").stdout
    )
    assert [r["from_name"] for r in about] == ["Ann Lee", "Mo Khan"]
    assert day.fails("2025-04-01", "compliments", "--about", "Sam Patl") == (
        "--about 'Sam Patl' is not anyone a compliment is about; did you mean Sam Patel? (the "
        "log knows: Repairs team, Sam Patel)"
    )
    assert "No compliments that month." in day.ok("2025-04-01", "compliments", "--month",
                                                   "2025-05").stdout  # fmt: skip


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--from", "A", "--about", "B", "--received", "02/04/2025"), "is in the future"),
        (("--from", " ", "--about", "B"), "--from is required"),
        (("--from", "A", "--about", "B", "--channel", "pigeon"), "channel 'pigeon' is not one of"),
        (("--from", "A", "--about", "B" * 201), "--about must be at most 200 characters"),
    ],
)
def test_compliment_refusals(day: Day, args: tuple[str, ...], message: str) -> None:
    assert message in day.fails("2025-04-01", "compliment", *args)
    assert "No compliments recorded." in day.ok("2025-04-01", "compliments").stdout


def test_compliments_month_must_be_a_month(day: Day) -> None:
    assert day.fails("2025-04-01", "compliments", "--month", "March") == (
        "--month 'March' must be yyyy-mm or mm/yyyy, e.g. 2025-03"
    )
