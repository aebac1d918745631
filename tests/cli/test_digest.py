"""``complaints digest`` (one handler's week) and ``learning --draft-email``: drafts that open
in Outlook ready to send, read back with the standard library's ``email`` package."""

from __future__ import annotations

import email
from email import policy
from pathlib import Path
from typing import Any

import pytest

SAM = ("--complainant", "Ann Lee", "--address", "1 Essex Brewery", "--handler", "Sam Patel")


@pytest.fixture
def week(day: Any) -> Any:
    """On Thu 20/02/2025: SPRUCE001 (Sam's) acknowledged on time, its Stage 1 response due
    Wed 19/02 and overdue; SPRUCE002 (Sam's) answered with an action due 26/02 and an update
    due; SPRUCE003 (Kim's) just logged."""
    day.ok("2025-02-03", "log", *SAM, "--received", "03/02/2025", "--channel", "email")
    day.ok("2025-02-05", "acknowledge", "SPRUCE001", "--summary", "Damp")
    day.ok("2025-02-03", "log", *SAM, "--received", "03/02/2025", "--channel", "email")
    day.ok("2025-02-05", "acknowledge", "SPRUCE002", "--summary", "Leak")
    day.ok(
        "2025-02-14",
        "respond",
        "SPRUCE002",
        "--summary",
        "Upheld",
        "--action",
        "Replace extractor fan",
        "--action-due",
        "26/02/2025",
    )
    day.ok(
        "2025-02-20",
        "log",
        "--complainant",
        "Bo Hart",
        "--address",
        "2 Road",
        "--handler",
        "Kim Ho",
        "--received",
        "20/02/2025",
        "--channel",
        "phone",
    )
    return day


def test_one_handlers_week_as_markdown(week: Any) -> None:
    out = week.ok("2025-02-20", "digest", "--handler", "sam patel").stdout
    assert out.splitlines() == [
        "# Complaints: sam patel's week from Thu 20/02/2025",
        "",
        "## Overdue (1)",
        "",
        "- **SPRUCE001** Stage 1 response: Wed 19/02/2025 (overdue by 1 working day(s)) (Stage 1)",
        "",
        "## Due in the next 5 working days (0)",
        "",
        "Nothing.",
        "",
        "## Weekly updates to residents due (1)",
        "",
        "- **SPRUCE002** Update the resident on outstanding actions: Fri 21/02/2025 "
        "(in 1 working day(s)) (Stage 1)",
        "",
        "## Actions (1)",
        "",
        "- **SPRUCE002** Action 1: Replace extractor fan: Wed 26/02/2025 (in 4 working day(s)) "
        "(Stage 1)",
        "",
        "3 item(s). `complaints due --explain REF` shows how a deadline was worked out.",
    ]
    assert "SPRUCE003" not in out


def test_an_overdue_update_is_overdue(week: Any) -> None:
    out = week.ok("2025-02-24", "digest", "--handler", "Sam Patel").stdout
    assert "## Weekly updates to residents due (0)" in out
    overdue = out.split("## Overdue")[1].split("##")[0]
    assert "SPRUCE002** Update the resident on outstanding actions: Fri 21/02/2025" in overdue


def test_the_digest_as_an_unsent_email_for_a_scheduled_task(week: Any, tmp_path: Path) -> None:
    target = tmp_path / "Sam's week.eml"
    args = ("digest", "--handler", "Sam Patel", "--output", str(target))
    week.ok("2025-02-20", *args, "--to", "Sam Patel <sam.patel@spruce.org.uk>")
    msg = email.message_from_bytes(target.read_bytes(), policy=policy.default)
    assert msg["X-Unsent"] == "1"
    assert msg["To"] == "Sam Patel <sam.patel@spruce.org.uk>"
    assert msg["Subject"] == "Complaints: Sam Patel's week from Thu 20/02/2025"
    assert msg["From"] is None  # sent from the handler's own account
    body = msg.get_content()
    assert "**SPRUCE001** Stage 1 response" in body
    assert b"\r\n" in target.read_bytes() and b"\n" not in target.read_bytes().replace(b"\r\n", b"")
    # Next week's run: refused without --force, replaced with it.
    assert week.fails("2025-02-27", *args).endswith("already exists: use --force to replace it")
    week.ok("2025-02-27", *args, "--force")
    assert "27/02/2025" in email.message_from_bytes(target.read_bytes())["Subject"]


def test_the_digest_as_markdown_and_bad_options(week: Any, tmp_path: Path) -> None:
    target = tmp_path / "team.md"
    week.ok("2025-02-20", "digest", "--output", str(target))
    text = target.read_text(encoding="utf-8")
    assert text.startswith("# Complaints: the team's week from Thu 20/02/2025")
    assert "(Stage 1, Kim Ho)" in text and "(Stage 1, Sam Patel)" in text
    assert week.fails("2025-02-20", "digest", "--output", str(tmp_path / "x.docx")).endswith(
        "must end in .eml, .md or .txt"
    )
    assert week.fails("2025-02-20", "digest", "--to", "sam at spruce").startswith(
        "--to 'sam at spruce' is not an e-mail address"
    )
    header = "Sam <sam@spruce.org.uk>\nBcc: everyone@spruce.org.uk"
    assert "holds a control character" in week.fails("2025-02-20", "digest", "--to", header)
    assert not (tmp_path / "x.docx").exists()


def test_learning_draft_email_to_the_configured_recipients(
    day: Any, root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    day.log("2025-02-03")
    args = ("learning", "SPRUCE001", "Confirm appointments by text", "--draft-email")
    # No recipients configured: refused before the learning is saved.
    assert day.fails("2025-02-20", *args).startswith("no learning_recipients in the config")
    assert day.show("2025-02-20")["learning"] is None
    monkeypatch.setenv(
        "COMPLAINTS_LEARNING_RECIPIENTS",
        "Senior Property Manager <spm@spruce.org.uk>; hos@spruce.org.uk",
    )
    result = day.ok("2025-02-20", *args)
    (folder,) = root.glob("* – SPRUCE001")
    draft = folder / "SPRUCE001 Learning email DRAFT 2025-02-20.eml"
    assert f"Wrote {draft}" in result.stdout
    msg = email.message_from_bytes(draft.read_bytes(), policy=policy.default)
    assert msg["X-Unsent"] == "1"
    assert msg["To"] == "Senior Property Manager <spm@spruce.org.uk>, hos@spruce.org.uk"
    assert msg["Subject"] == "Organisational learning from complaint SPRUCE001"
    body = msg.get_content()
    assert "    Confirm appointments by text" in body
    assert "Ann Lee" not in body and "Essex" not in body  # the lesson, not the person
    # A second draft the same day never replaces the first.
    day.ok("2025-02-20", "learning", "SPRUCE001", "--draft-email")
    assert (folder / "SPRUCE001 Learning email DRAFT 2025-02-20 (2).eml").is_file()
    assert day.show("2025-02-20")["learning"] == "Confirm appointments by text"
    # Sent: recorded, on the date given.
    day.ok("2025-02-21", "learning", "SPRUCE001", "--sent")
    assert day.show("2025-02-21")["learning_sent"] == "2025-02-21"


def test_learning_needs_text_or_an_option(day: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    day.log("2025-02-03")
    assert day.fails("2025-02-20", "learning", "SPRUCE001") == (
        "give the learning's TEXT (or --draft-email, or --sent)"
    )
    assert day.fails("2025-02-20", "learning", "SPRUCE001", "--sent").startswith(
        "SPRUCE001 has no organisational learning to send"
    )
    monkeypatch.setenv("COMPLAINTS_LEARNING_RECIPIENTS", "not an address")
    assert "is not an e-mail address" in day.fails(
        "2025-02-20", "learning", "SPRUCE001", "x", "--draft-email"
    )
    assert day.show("2025-02-20")["learning"] is None
