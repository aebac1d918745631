"""Issue 7 part 3: new issues folded into a case or logged as linked complaints (Code 6.8),
and petitions: one case, a lead petitioner and any number of signatories (Southern Housing
procedure 4.11)."""

from __future__ import annotations

from typing import Any

from tests.process_steps import Day


def test_a_new_issue_is_folded_in_while_the_response_is_to_come(day: Day) -> None:
    day.log("2025-02-03")
    day.ok("2025-02-05", "acknowledge", "SPRUCE001", "--summary", "Damp in the bathroom")
    day.ok("2025-02-06", "fold", "SPRUCE001", "--issue", "Extractor fan broken too")
    day.ok("2025-02-07", "fold", "SPRUCE001", "--issue", "Mould in the bedroom")
    c = day.show("2025-02-07")
    assert (
        c["folded_issues"]
        == "06/02/2025: Extractor fan broken too\n07/02/2025: Mould in the bedroom"
    )
    assert [h["command"] for h in c["history"]] == ["log", "acknowledge", "fold", "fold"]
    assert "Further issues" in day.ok("2025-02-07", "show", "SPRUCE001").stdout
    # The Stage 1 deadline is unchanged: the new issue is answered in the same response.
    assert [(k, d) for _r, k, d, _m in day.due("2025-02-07", "--within", "15")] == [
        ("stage1_response", "2025-02-19")
    ]


def test_after_the_response_a_new_issue_is_a_new_linked_complaint(day: Day) -> None:
    day.log("2025-02-03")
    day.ok("2025-02-05", "acknowledge", "SPRUCE001", "--summary", "Damp")
    day.ok("2025-02-10", "respond", "SPRUCE001", "--summary", "Upheld")
    assert day.fails("2025-02-11", "fold", "SPRUCE001", "--issue", "Fan") == (
        "SPRUCE001's Stage 1 response was already issued: log the new issue as a new complaint "
        "linked to it (complaints log ... --related-to SPRUCE001), Code 6.8"
    )
    day.log("2025-02-11", "--related-to", "spruce001", received="11/02/2025")
    c = day.show("2025-02-11", "SPRUCE002")
    assert (c["related_to"], c["related_to_id"]) == ("SPRUCE001", 1)
    assert c["history"][0]["changes"]["related_to"] == [None, "SPRUCE001"]
    assert day.show("2025-02-11")["related_cases"] == ["SPRUCE002"]
    text = day.ok("2025-02-11", "show", "SPRUCE001").stdout
    assert "New complaints raised from it" in text and "SPRUCE002" in text
    # Its own clock: received 11/02 -> acknowledge by Fri 14/02.
    assert ("SPRUCE002", "acknowledge", "2025-02-14") in [
        (r, k, d) for r, k, d, _m in day.due("2025-02-11")
    ]


def test_link_an_existing_complaint_and_refusals(day: Day) -> None:
    day.log("2025-02-03")
    day.log("2025-02-04", received="04/02/2025")
    out = day.ok("2025-02-04", "link", "SPRUCE002", "--to", "SPRUCE001")
    assert "SPRUCE002 is linked to SPRUCE001" in out.stdout
    linked = day.show("2025-02-04", "SPRUCE002")
    assert linked["related_to"] == "SPRUCE001"
    assert linked["history"][-1]["note"] == "raised from SPRUCE001 (Code 6.8)"
    assert day.fails("2025-02-04", "link", "SPRUCE001", "--to", "SPRUCE001") == (
        "SPRUCE001 cannot be related to itself"
    )
    assert "SPRUCE009" in day.fails("2025-02-04", "link", "SPRUCE002", "--to", "SPRUCE009")
    assert "SPRUCE009" in day.fails(
        "2025-02-04", "log", "--complainant", "A", "--address", "B", "--handler", "C",
        "--channel", "email", "--related-to", "SPRUCE009",
    )  # fmt: skip
    # Nothing was written by the refused log: no case, no used-up reference, no folder.
    day.log("2025-02-04", received="04/02/2025")
    assert day.show("2025-02-04", "SPRUCE003")["reference"] == "SPRUCE003"


def test_petition_with_lead_petitioner_and_signatories(day: Day, root: Any) -> None:
    out = day.log("2025-02-03", "--kind", "petition")
    assert "(petition, Stage 1, Open)" in out.stdout
    day.ok("2025-02-04", "signatory", "add", "SPRUCE001", "--name", "Raj Singh",
           "--address", "Flat 2, 1 Essex Brewery, E17 3AB")  # fmt: skip
    day.ok("2025-02-04", "signatory", "add", "SPRUCE001", "--name", "Mo Khan",
           "--address", "Flat 3, 1 Essex Brewery, E17 3AB")  # fmt: skip
    import json

    rows = json.loads(day.ok("2025-02-04", "signatory", "list", "SPRUCE001", "-f", "json").stdout)
    assert [(r["name"], r["lead"], r["added"]) for r in rows] == [
        ("Ann Lee", True, "2025-02-03"),
        ("Raj Singh", False, "2025-02-04"),
        ("Mo Khan", False, "2025-02-04"),
    ]
    # A new lead petitioner becomes the case's complainant (column 5).
    out = day.ok("2025-02-05", "signatory", "add", "SPRUCE001", "--name", "Bea  Cole",
                 "--address", "Flat 4, 1 Essex Brewery, E17 3AB", "--lead")  # fmt: skip
    assert "SPRUCE001: Bea Cole added as the lead petitioner" in out.stdout
    c = day.show("2025-02-05")
    assert (c["kind"], c["complainant"]) == ("petition", "Bea Cole")
    assert [s["name"] for s in c["signatories"] if s["lead"]] == ["Bea Cole"]
    assert len(c["signatories"]) == 4
    assert c["history"][-1]["changes"] == {
        "signatory": [None, "Bea Cole, Flat 4, 1 Essex Brewery, E17 3AB"],
        "lead petitioner": ["Ann Lee", "Bea Cole"],
        "complainant": ["Ann Lee", "Bea Cole"],
    }
    assert "Signatories" in day.ok("2025-02-05", "show", "SPRUCE001").stdout
    csv_text = day.ok("2025-02-05", "signatory", "list", "SPRUCE001", "-f", "csv").stdout
    assert csv_text.splitlines()[:2] == [
        "Name,Address,Lead,Added",
        'Bea Cole,"Flat 4, 1 Essex Brewery, E17 3AB",lead,05/02/2025',
    ]


def test_signatory_refusals(day: Day) -> None:
    day.log("2025-02-03")
    assert day.fails("2025-02-04", "signatory", "add", "SPRUCE001", "--name", "A",
                     "--address", "B") == (
        "SPRUCE001 is not a petition (it is a complaint): log a petition with complaints log "
        "--kind petition"
    )  # fmt: skip
    # Listing a complaint's signatories is the same mistake, not an empty list.
    assert day.fails("2025-02-04", "signatory", "list", "SPRUCE001") == (
        "SPRUCE001 is not a petition (it is a complaint): log a petition with complaints log "
        "--kind petition"
    )
    day.log("2025-02-03", "--kind", "petition")
    assert day.fails("2025-02-04", "signatory", "add", "SPRUCE002", "--name", " ann lee ",
                     "--address", "1 Essex  Brewery") == (
        "ann lee at 1 Essex  Brewery has already signed SPRUCE002's petition"
    )  # fmt: skip
    # Accents typed or left out are the same person (the fresh-user trial: Łukasz Nowak).
    day.ok("2025-02-04", "signatory", "add", "SPRUCE002", "--name", "Łukasz Nowak",
           "--address", "Flat 10, Kingsway House")  # fmt: skip
    assert day.fails("2025-02-04", "signatory", "add", "SPRUCE002", "--name", "lukasz nowak",
                     "--address", "flat 10,  Kingsway House").endswith(
        "has already signed SPRUCE002's petition"
    )  # fmt: skip
    assert day.fails("2025-02-04", "signatory", "add", "SPRUCE002", "--name", "X",
                     "--address", " ") == "--address is required"  # fmt: skip
    assert day.show("2025-02-04", "SPRUCE002")["version"] == 2  # Łukasz's signature only
