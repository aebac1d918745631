"""``complaints letter``: draft letters in the case folder, opened back with python-docx.

Dates (England and Wales, Spruce profile), as in tests/cli/test_lifecycle_cli.py:
- received Fri 19/12/2025, acknowledged Wed 24/12: Stage 1 response due Mon 12/01/2026.
- extended on 09/01 by 10 working days -> Mon 26/01/2026.
- responded Fri 09/01/2026: the resident may escalate within 20 working days -> Fri 06/02/2026.
- escalated (received) Mon 26/01: Stage 2 response due +20 wd = Mon 23/02/2026.
- Stage 2 response Fri 20/02/2026: the Ombudsman may investigate 8 weeks on, Fri 17/04/2026.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import docx
import pytest

from tests.conftest import LOG_ARGS
from tests.paths import contents

OMBUDSMAN_PHONE = "0300 111 3000"


@pytest.fixture
def at(cli: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    def run(day: str, *args: str) -> Any:
        monkeypatch.setenv("COMPLAINTS_TODAY", day)
        return cli(*args)

    return run


def ok(result: Any) -> Any:
    assert result.exit_code == 0, result.output
    return result


def folder(root: Path) -> Path:
    (only,) = [p for p in root.iterdir() if p.is_dir()]
    return only


def letter_text(path: Path) -> str:
    """Every paragraph of the document, one per line, with the heading/bullet style marked."""
    lines = []
    for p in docx.Document(str(path)).paragraphs:
        mark = {"Heading 2": "## ", "List Bullet": "- "}.get(p.style.name, "")
        lines.append(mark + p.text)
    return "\n".join(lines)


def written(result: Any) -> Path:
    line = result.stdout.splitlines()[0]
    assert line.startswith("Wrote ")
    return Path(line.removeprefix("Wrote "))


def log_and_acknowledge(at: Any) -> None:
    args = list(LOG_ARGS)
    args[args.index("--received") + 1] = "19/12/2025"
    ok(at("2025-12-19", "log", *args))
    ok(
        at(
            "2025-12-24",
            "acknowledge",
            "SPRUCE001",
            "--summary",
            "Damp and mould in the bathroom, reported three times since October",
        )
    )


def respond_stage1(at: Any) -> None:
    ok(
        at(
            "2026-01-09",
            "respond",
            "SPRUCE001",
            "--summary",
            "Upheld: the damp survey found a failed extractor fan that we should have replaced",
            "--compensation",
            "£1,250.00",
            "--compensation-reason",
            "time and trouble",
            "--action",
            "Replace extractor fan",
            "--action-due",
            "2026-02-06",
        )
    )


def test_stage1_letter_has_every_element_of_code_6_9(at: Any, db_url: str, root: Path) -> None:
    log_and_acknowledge(at)
    respond_stage1(at)
    result = ok(at("2026-01-09", "letter", "SPRUCE001", "stage1"))
    path = written(result)
    assert path.parent == folder(root)
    assert path.name == "SPRUCE001 Stage 1 response DRAFT 2026-01-09.docx"
    text = letter_text(path)
    # a. the stage; b. the definition
    assert "Stage 1 response to your complaint" in text
    assert "Our reference: SPRUCE001" in text
    assert "Dear Ann Lee," in text
    assert "received your complaint on Friday 19 December 2025 by email" in text
    assert "Damp and mould in the bathroom, reported three times since October" in text
    # c. the decision; d. its reasons (split from "Upheld: ...")
    assert "## Our decision\nUpheld\n" in text
    assert "## The reasons for our decision\nThe damp survey found a failed extractor fan" in text
    # e. the remedy
    assert "compensation of £1,250.00 for time and trouble" in text
    # f. outstanding actions, and how to escalate to Stage 2
    assert "- Replace extractor fan: by Friday 6 February 2026 (Sam Patel is responsible)" in text
    assert "## If you are not satisfied: Stage 2" in text
    assert "within 20 working days, by Friday 6 February 2026" in text
    assert "respond within 20 working days of receiving your request" in text
    # The Ombudsman may be contacted at any time; the letter is signed by the handler.
    assert f"- Telephone: {OMBUDSMAN_PHONE}" in text
    assert text.rstrip().endswith("Sam Patel\n[Job title]")
    assert "It is a draft" in result.stdout


def test_a_letter_never_replaces_an_existing_file(at: Any, root: Path) -> None:
    log_and_acknowledge(at)
    respond_stage1(at)
    first = written(ok(at("2026-01-20", "letter", "SPRUCE001", "stage1")))
    first.write_bytes(b"the handler's edited letter")
    second = written(ok(at("2026-01-20", "letter", "SPRUCE001", "stage1")))
    third = written(ok(at("2026-01-20", "letter", "SPRUCE001", "Stage1")))
    assert second.name == "SPRUCE001 Stage 1 response DRAFT 2026-01-20 (2).docx"
    assert third.name == "SPRUCE001 Stage 1 response DRAFT 2026-01-20 (3).docx"
    assert first.read_bytes() == b"the handler's edited letter"
    # No temporary file is left behind.
    assert sorted(p.name for p in contents(folder(root))) == sorted(
        [first.name, second.name, third.name]
    )


def test_acknowledgement_letter_gives_the_reference_and_response_date(at: Any) -> None:
    log_and_acknowledge(at)
    text = letter_text(written(ok(at("2025-12-24", "letter", "SPRUCE001", "acknowledgement"))))
    assert "logged it at Stage 1 of our complaints procedure under the reference SPRUCE001" in text
    assert "Damp and mould in the bathroom" in text
    assert "send you our response by Monday 12 January 2026" in text
    assert OMBUDSMAN_PHONE in text


def test_extension_letter_gives_reason_new_date_and_ombudsman(at: Any) -> None:
    log_and_acknowledge(at)
    refused = at("2026-01-09", "letter", "SPRUCE001", "extension")
    assert refused.exit_code == 1
    assert "has no Stage 1 extension recorded" in refused.stderr
    ok(at("2026-01-09", "extend", "SPRUCE001", "--reason", "Awaiting damp survey", "--told"))
    path = written(ok(at("2026-01-09", "letter", "SPRUCE001", "extension")))
    assert path.name == "SPRUCE001 Stage 1 extension DRAFT 2026-01-09.docx"
    text = letter_text(path)
    assert "Stage 1 of our complaints procedure" in text
    assert "by Monday 12 January 2026, as we told you" in text
    assert "We will now respond by Monday 26 January 2026." in text
    assert "## Why we need more time\nAwaiting damp survey" in text
    # Code 6.5: the Ombudsman's contact details on an extension.
    for line in (
        "- Housing Ombudsman Service",
        "- PO Box 1484, Unit D, Preston, PR2 0ET",
        f"- Telephone: {OMBUDSMAN_PHONE}",
        "- Email: info@housing-ombudsman.org.uk",
    ):
        assert line in text


def test_stage2_letter_has_every_element_of_code_6_19(at: Any, db_url: str) -> None:
    log_and_acknowledge(at)
    respond_stage1(at)
    refused = at("2026-01-21", "letter", "SPRUCE001", "stage2")
    assert refused.exit_code == 1
    assert "SPRUCE001 was never escalated to Stage 2" in refused.stderr
    ok(
        at(
            "2026-01-27",
            "escalate",
            "SPRUCE001",
            "--received",
            "2026-01-26",
            "--review",
            "compensation",
            "--details",
            "The compensation does not reflect four months of damp",
            "--handler",
            "Jordan Blake",
        )
    )
    refused = at("2026-01-28", "letter", "SPRUCE001", "stage2")
    assert refused.exit_code == 1
    assert "has no Stage 2 response recorded" in refused.stderr
    ack = letter_text(written(ok(at("2026-01-28", "letter", "SPRUCE001", "acknowledgement"))))
    assert "logged it at Stage 2" in ack
    assert "final response by Monday 23 February 2026" in ack
    ok(
        at(
            "2026-02-20",
            "respond",
            "SPRUCE001",
            "--summary",
            "Partly upheld - the award did not cover the damaged carpet",
            "--compensation",
            "300",
            "--compensation-reason",
            "damaged carpet",
        )
    )
    path = written(ok(at("2026-02-20", "letter", "SPRUCE001", "stage2")))
    assert path.name == "SPRUCE001 Stage 2 response DRAFT 2026-02-20.docx"
    text = letter_text(path)
    assert "Stage 2 final response to your complaint" in text  # a. the stage
    assert "Damp and mould in the bathroom" in text  # b. the definition ...
    assert "on Monday 26 January 2026 to review your complaint at Stage 2 (a Compensation" in text
    assert "The compensation does not reflect four months of damp" in text  # ... and escalation
    assert "we responded at Stage 1: Upheld: the damp survey found" in text  # Stage 1 outcome
    assert "Jordan Blake, who was not involved at Stage 1, reviewed your complaint" in text
    assert "## Our decision\nPartly upheld\n" in text  # c.
    assert "## The reasons for our decision\nThe award did not cover the damaged carpet" in text
    assert "compensation of £300.00 for damaged carpet" in text  # e. (Stage 2's own award)
    assert "- Replace extractor fan: by Friday 6 February 2026" in text  # f. still outstanding
    assert "## If you remain dissatisfied: the Housing Ombudsman" in text
    assert (
        "once 8 weeks have passed from the date of this response (from Friday 17 April 2026)"
        in (text)
    )
    assert "Property Redress Scheme" in text
    assert f"- Telephone: {OMBUDSMAN_PHONE}" in text
    assert text.rstrip().endswith("Jordan Blake\n[Job title]")


def test_missing_information_is_an_instruction_not_invented(at: Any) -> None:
    ok(at("2025-12-19", "log", *LOG_ARGS))
    text = letter_text(written(ok(at("2025-12-19", "letter", "SPRUCE001", "ack"))))
    assert "[Set out each point of the complaint" in text
    assert text.startswith("DRAFT: check and complete every paragraph")


def test_refusals_write_nothing(at: Any, root: Path) -> None:
    log_and_acknowledge(at)
    for kind, message in (
        ("stage1", "has no Stage 1 response recorded"),
        ("stage2", "was never escalated to Stage 2"),
        ("extension", "has no Stage 1 extension recorded"),
        ("final", "letter 'final' is not one of: acknowledgement, extension, stage1, stage2"),
    ):
        result = at("2025-12-29", "letter", "SPRUCE001", kind)
        assert result.exit_code == 1
        assert result.stderr.startswith("complaints: error: ")
        assert message in result.stderr
        assert "Traceback" not in result.output
    unknown = at("2025-12-29", "letter", "SPRUCE404", "stage1")
    assert unknown.exit_code == 1 and "no complaint with reference" in unknown.stderr
    respond_stage1(at)
    late_ack = at("2026-01-20", "letter", "SPRUCE001", "acknowledgement")
    assert late_ack.exit_code == 1
    assert "already has its Stage 1 response" in late_ack.stderr
    assert contents(folder(root)) == []


def test_missing_case_folder_points_to_folders_check(at: Any, root: Path) -> None:
    log_and_acknowledge(at)
    shutil.rmtree(folder(root))
    result = at("2025-12-24", "letter", "SPRUCE001", "acknowledgement")
    assert result.exit_code == 1
    assert "SPRUCE001 has no case folder under" in result.stderr
    assert "complaints folders --check --fix makes it" in result.stderr


def test_help_show_and_list_do_not_import_python_docx(at: Any) -> None:
    ok(at("2025-12-19", "log", *LOG_ARGS))
    for argv in (["--help"], ["letter", "--help"], ["show", "SPRUCE001"], ["list"]):
        code = (
            f"import sys; sys.argv = ['complaints', *{argv!r}]\n"
            "from complaints_cli.cli.app import main\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "print('LOADED', [m for m in ('docx', 'lxml') if m in sys.modules])"
        )
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
        assert out.stdout.rsplit("LOADED", 1)[1].strip() == "[]", argv


def test_adjustments_are_a_reminder_and_closed_or_not_accepted_cases_are_refused(
    at: Any, tmp_path: Path
) -> None:
    import sqlite3

    log_and_acknowledge(at)
    with sqlite3.connect(tmp_path / "log.db") as db:
        db.execute(
            "UPDATE complaint SET contact_preference = 'Email only', "
            "adjustments = 'Large print letters' WHERE reference = 'SPRUCE001'"
        )
    text = letter_text(written(ok(at("2025-12-24", "letter", "SPRUCE001", "acknowledgement"))))
    assert text.splitlines()[1] == (
        "[Before sending, follow the resident's contact: Email only; "
        "adjustments: Large print letters]"
    )
    for status, message in (
        ("Closed", "SPRUCE001 is closed: an extension letter no longer makes sense"),
        ("Not accepted", "SPRUCE001 was not accepted as a complaint"),
    ):
        with sqlite3.connect(tmp_path / "log.db") as db:
            db.execute("UPDATE complaint SET status = ? WHERE reference = 'SPRUCE001'", (status,))
        refused = at("2025-12-29", "letter", "SPRUCE001", "extension")
        assert refused.exit_code == 1
        assert message in refused.stderr
