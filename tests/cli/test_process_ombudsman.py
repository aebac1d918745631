"""Issue 7 part 4: the Ombudsman - referral, evidence requests (15 working days), and a
determination whose orders and recommendations are actions with an owner and a due date
(Southern Housing procedure 4.10), all in ``due``. On SQLite and PostgreSQL.

Dates (England and Wales, Spruce), worked by hand:
- evidence requested Mon 02/06/2025: +15 working days = Mon 23/06/2025 (no bank holiday).
- a second request Tue 01/07/2025: +15 = Tue 22/07/2025.
- determination Mon 01/09/2025; ``due --within 20`` from it reaches Mon 29/09/2025.
"""

from __future__ import annotations

import pytest

from tests.process_steps import Day


def _through_stage2(day: Day) -> None:
    day.log("2025-02-03")
    day.ok("2025-02-05", "acknowledge", "SPRUCE001", "--summary", "Damp in the bathroom")
    day.ok("2025-02-10", "respond", "SPRUCE001", "--summary", "Not upheld")
    day.ok("2025-02-17", "escalate", "SPRUCE001", "--received", "17/02/2025", "--review",
           "manager", "--details", "Still damp", "--handler", "Jordan Blake")  # fmt: skip
    day.ok("2025-02-18", "acknowledge", "SPRUCE001")
    day.ok("2025-03-10", "respond", "SPRUCE001", "--summary", "Not upheld at Stage 2")


def ombudsman_items(day: Day, as_of: str, *extra: str) -> list[tuple[str, str, str]]:
    return [
        (k, d, m)
        for _r, k, d, m in day.due(as_of, *extra)
        if k.startswith(("ombudsman", "action_"))
    ]


def test_referral_evidence_and_determination(day: Day, db_url: str) -> None:
    _through_stage2(day)
    out = day.ok("2025-05-01", "ombudsman", "SPRUCE001", "--referred", "01/05/2025")
    assert "(Open, Ombudsman)" in out.stdout
    out = day.ok("2025-06-02", "ombudsman", "SPRUCE001", "--requested", "02/06/2025")
    assert "evidence due to the Ombudsman by 23/06/2025" in out.stdout
    assert ombudsman_items(day, "2025-06-02", "--within", "15") == [
        ("ombudsman_evidence", "2025-06-23", "Send evidence to the Housing Ombudsman")
    ]
    assert ombudsman_items(day, "2025-06-24", "--overdue") == [
        ("ombudsman_evidence", "2025-06-23", "Send evidence to the Housing Ombudsman")
    ]
    day.ok("2025-06-20", "ombudsman", "SPRUCE001", "--evidence-sent", "20/06/2025")
    assert ombudsman_items(day, "2025-06-20", "--within", "30") == []
    # A further request: the evidence sent for the first one does not answer it.
    day.ok("2025-07-01", "ombudsman", "SPRUCE001", "--requested", "01/07/2025")
    c = day.show("2025-07-01")
    assert (c["ombudsman_requested"], c["ombudsman_evidence_sent"]) == ("2025-07-01", None)
    assert c["history"][-1]["changes"]["ombudsman_evidence_sent"] == ["2025-06-20", None]
    assert ombudsman_items(day, "2025-07-01", "--within", "15") == [
        ("ombudsman_evidence", "2025-07-22", "Send evidence to the Housing Ombudsman")
    ]
    day.ok("2025-07-21", "ombudsman", "SPRUCE001", "--evidence-sent", "21/07/2025")

    out = day.ok(
        "2025-09-01",
        "determination",
        "SPRUCE001",
        "--findings",
        "Maladministration in the handling of the damp repair",
        "--order",
        "Pay £300 compensation;Sam Patel;29/09/2025",
        "--order",
        "Inspect the property;;15/09/2025",
        "--recommendation",
        "Review the damp and mould procedure;Head of Service;01/12/2025",
    )
    assert "Determination of 01/09/2025 recorded: 2 order(s), 1 recommendation(s)" in out.stdout
    c = day.show("2025-09-01")
    assert (c["stage"], c["ombudsman_body"], c["ombudsman_determined"]) == (
        "Ombudsman",
        "HOS",
        "2025-09-01",
    )
    assert c["ombudsman_findings"] == "Maladministration in the handling of the damp repair"
    assert [(a["number"], a["kind"], a["owner"], a["due"], a["stage"]) for a in c["actions"]] == [
        (1, "order", "Sam Patel", "2025-09-29", "Ombudsman"),
        (2, "order", "Jordan Blake", "2025-09-15", "Ombudsman"),  # the Stage 2 handler
        (3, "recommendation", "Head of Service", "2025-12-01", "Ombudsman"),
    ]
    assert ombudsman_items(day, "2025-09-01", "--within", "20") == [
        ("action_2", "2025-09-15", "Order 2: Inspect the property"),
        ("action_1", "2025-09-29", "Order 1: Pay £300 compensation"),
    ]
    text = day.ok("2025-09-01", "show", "SPRUCE001").stdout
    assert "Order: Pay £300 compensation" in text
    assert "01/09/2025: Maladministration in the handling of the damp repair" in text
    # Owners see their own: due --handler follows the order's owner.
    assert [k for _r, k, _d, _m in day.due("2025-09-01", "--within", "80", "--handler",
                                           "Head of Service")] == ["action_3"]  # fmt: skip
    # The case cannot be closed while an order or recommendation is outstanding.
    assert "has 3 outstanding action(s)" in day.fails("2025-09-15", "close", "SPRUCE001")
    for n in ("1", "2", "3"):
        day.ok("2025-09-15", "action", "done", "SPRUCE001", n)
    assert ombudsman_items(day, "2025-09-15", "--within", "80") == []
    day.ok("2025-09-15", "close", "SPRUCE001")
    assert day.show("2025-09-15")["status"] == "Closed"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--findings", "x", "--order", "Pay"), "--order 1 'Pay' must be 'TEXT;OWNER;DUE'"),
        (("--findings", "x", "--order", ";Sam;01/10/2025"), "--order 1 has no text"),
        (("--findings", "x", "--recommendation", "Review;Sam;"), "--recommendation 1 has no due"),
        (
            ("--findings", "x", "--order", "Pay;Sam;01/08/2025"),
            "order 'Pay' is due 01/08/2025, before the determination 01/09/2025",
        ),
        (("--findings", " "), "--findings is required"),
        (("--findings", "x", "--body", "LGO"), "--body 'LGO' is not one of: HOS, PRS"),
        (
            ("--findings", "x", "--date", "01/02/2025"),
            "determination date 01/02/2025 is before the date received 03/02/2025",
        ),
    ],
)
def test_determination_refusals_write_nothing(
    day: Day, args: tuple[str, ...], message: str
) -> None:
    day.log("2025-02-03")
    assert message in day.fails("2025-09-01", "determination", "SPRUCE001", *args)
    c = day.show("2025-09-01")
    assert (c["version"], c["actions"], c["ombudsman_determined"]) == (1, [], None)


def test_property_redress_scheme_and_one_determination_only(day: Day) -> None:
    day.log("2025-02-03")
    day.ok("2025-05-01", "ombudsman", "SPRUCE001", "--referred", "01/05/2025", "--body", "prs")
    day.ok("2025-09-01", "determination", "SPRUCE001", "--findings", "No maladministration")
    c = day.show("2025-09-01")
    assert (c["ombudsman_body"], c["actions"]) == ("PRS", [])
    assert day.fails("2025-09-02", "determination", "SPRUCE001", "--findings", "x") == (
        "SPRUCE001's determination was already recorded on 01/09/2025"
    )


def test_a_request_before_the_referral_given_with_it_is_refused(day: Day) -> None:
    """The evidence request may not be dated before the referral, whether the referral was
    recorded earlier or is given in the same command (it was checked only against one
    already recorded, so `--referred 05/05/2025 --requested 01/05/2025` was stored)."""
    _through_stage2(day)
    assert day.fails(
        "2025-05-06", "ombudsman", "SPRUCE001", "--referred", "05/05/2025",
        "--requested", "01/05/2025",
    ) == "evidence request date 01/05/2025 is before the referral 05/05/2025"  # fmt: skip
    c = day.show("2025-05-06")
    assert (c["ombudsman_referred"], c["ombudsman_requested"], c["stage"]) == (
        None,
        None,
        "Stage 2",
    )
