"""``complaints file`` and ``log --from-email`` on real .eml files made with the standard
library's ``email`` package: hostile subjects, odd dates, encoded words, duplicates."""

from __future__ import annotations

import hashlib
import json
import shutil
from email.message import EmailMessage
from email.policy import SMTP
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import LOG_ARGS
from tests.paths import contents


def eml(
    path: Path,
    *,
    subject: str | None = "Re: repair",
    sender: str | None = "Ann Lee <ann.lee@example.org>",
    date: str | None = "Wed, 05 Feb 2025 10:30:00 +0000",
    body: str = "The bathroom is still damp.",
) -> Path:
    """A real RFC 5322 message, as Outlook or a webmail saves it."""
    msg = EmailMessage(policy=SMTP)
    if sender is not None:
        msg["From"] = sender
    msg["To"] = "complaints@spruce.org.uk"
    if subject is not None:
        msg["Subject"] = subject
    if date is not None:
        msg["Date"] = date
    msg["Message-ID"] = f"<{hashlib.sha1((str(subject) + body).encode()).hexdigest()}@example.org>"
    msg.set_content(body)
    path.write_bytes(msg.as_bytes())
    return path


@pytest.fixture
def case(day: Any, root: Path) -> Path:
    day.log("2025-02-03")
    (folder,) = root.glob("* – SPRUCE001")
    return folder


def history(day: Any) -> list[dict[str, Any]]:
    out = day.ok("2025-02-20", "history", "SPRUCE001", "--format", "json").stdout
    return [h for h in json.loads(out) if h["command"] == "file"]


def test_an_email_is_filed_under_its_date_sender_and_subject(
    day: Any, case: Path, tmp_path: Path
) -> None:
    src = eml(tmp_path / "message.eml")
    result = day.ok("2025-02-20", "file", "SPRUCE001", str(src))
    name = "2025-02-05 email from Ann Lee - Re repair.eml"
    assert result.stdout == f"Filed {src} as {name}\n"
    assert (case / name).read_bytes() == src.read_bytes()
    assert src.exists()  # copied, not moved
    (entry,) = history(day)
    digest = hashlib.sha256(src.read_bytes()).hexdigest()
    assert entry["changes"] == {
        "date": [None, "2025-02-05"],
        "file": [None, name],
        "from": [None, "Ann Lee <ann.lee@example.org>"],
        "original": [None, "message.eml"],
        "sha256": [None, digest],
        "subject": [None, "Re: repair"],
    }
    assert entry["actor"] == "tester"


@pytest.mark.parametrize(
    ("sender", "shown"),
    [
        ("Zoë Ní Bhriain".encode(), "Zoë Ní Bhriain"),  # UTF-8 typed raw (RFC 6532)
        ("Zoë Ní Bhriain".encode("cp1252"), "Zoë Ní Bhriain"),  # an older client's code page
    ],
)
def test_a_sender_typed_without_encoded_words_is_read(
    day: Any, case: Path, tmp_path: Path, sender: bytes, shown: str
) -> None:
    # Many mail programs save the headers in UTF-8 as they are: the parser hands the name
    # over as surrogate escapes, which no history entry can store (a traceback, nothing filed).
    src = tmp_path / "raw.eml"
    src.write_bytes(
        b"From: " + sender + b" <zoe@example.org>\r\nTo: complaints@spruce.org.uk\r\n"
        b"Subject: Damp\r\nDate: Wed, 05 Feb 2025 10:30:00 +0000\r\n\r\nHello\r\n"
    )
    name = f"2025-02-05 email from {shown} - Damp.eml"
    assert day.ok("2025-02-20", "file", "SPRUCE001", str(src)).stdout == f"Filed {src} as {name}\n"
    assert (case / name).read_bytes() == src.read_bytes()
    (entry,) = history(day)
    assert entry["changes"]["from"] == [None, f"{shown} <zoe@example.org>"]


@pytest.mark.parametrize(
    ("subject", "expected"),
    [
        ("Re: ../../etc/passwd \\ C:\\Windows", "Re ..-..-etc-passwd - C-Windows"),
        ("CON", "CON"),  # the whole name starts with the date: not a device name
        ('Why? <urgent> "now" | *today*', "Why (urgent) 'now' - today"),
        ("=?utf-8?b?w4lsw6hhbm9yIOKAkyBkYW1w?=", "Élèanor – damp"),  # an encoded word
        ("Tab\there\x07bell and\u202eRLO", "Tab here bell and RLO"),
        ("trailing dots...   ", "trailing dots"),
    ],
)
def test_hostile_subjects_make_safe_names(
    day: Any, case: Path, tmp_path: Path, subject: str, expected: str
) -> None:
    src = eml(tmp_path / "m.eml", subject=subject)
    day.ok("2025-02-20", "file", "SPRUCE001", str(src))
    (filed,) = contents(case)
    assert filed.name == f"2025-02-05 email from Ann Lee - {expected}.eml"
    assert filed.parent == case


def test_a_300_character_subject_fits_windows_paths(day: Any, case: Path, tmp_path: Path) -> None:
    src = eml(tmp_path / "m.eml", subject="Damp " * 60)
    day.ok("2025-02-20", "file", "SPRUCE001", str(src))
    (filed,) = contents(case)
    assert filed.name.startswith("2025-02-05 email from Ann Lee - Damp Damp")
    assert filed.name.endswith("….eml")
    assert len(filed.name) <= 150
    assert len(str(filed).encode("utf-16-le")) // 2 <= 259 - 6


def test_a_device_name_and_a_hostile_file_name(day: Any, case: Path, tmp_path: Path) -> None:
    weird = tmp_path / "con.txt"
    weird.write_text("letter", encoding="utf-8")
    day.ok("2025-02-20", "file", "SPRUCE001", str(weird), "--date", "18/02/2025")
    assert (case / "2025-02-18 con.txt").read_text(encoding="utf-8") == "letter"
    dated = tmp_path / "2025-02-01 Surveyor's report.PDF"
    dated.write_bytes(b"%PDF-1.4 report")
    day.ok("2025-02-20", "file", "SPRUCE001", str(dated))
    assert (case / "2025-02-01 Surveyor's report.pdf").is_file()  # not dated twice


def test_reserved_names_are_never_made(tmp_path: Path) -> None:
    from datetime import date

    from complaints_cli.files.correspondence import filed_name

    stem, suffix = filed_name(tmp_path, day=date(2025, 2, 5), original="2025-02-05.txt")
    assert (stem, suffix) == ("2025-02-05", ".txt")
    stem, _ = filed_name(tmp_path, day=date(2025, 2, 5), original="2025-02-05 NUL")
    assert stem == "2025-02-05 NUL"  # "2025-02-05 NUL" is not a device name
    stem, _ = filed_name(tmp_path, day=date(2025, 2, 5), original="x", sender=None, email=True)
    assert stem == "2025-02-05 email - x"


@pytest.mark.parametrize(
    ("header", "filed_on"),
    [
        # Late evening in New York is the next morning in London.
        ("Wed, 05 Feb 2025 23:30:00 -0500", "2025-02-06"),
        # British Summer Time: 23:30 UTC on 30 June is 00:30 on 1 July in London.
        ("Mon, 30 Jun 2025 23:30:00 +0000", "2025-07-01"),
        # A two-digit year (RFC 2822's obsolete form) and no day name.
        ("5 Feb 25 10:00:00 GMT", "2025-02-05"),
        # No zone at all (-0000): taken as UTC.
        ("Wed, 05 Feb 2025 23:59:00 -0000", "2025-02-05"),
    ],
)
def test_odd_dates_are_read_in_uk_time(
    day: Any,
    case: Path,
    tmp_path: Path,
    header: str,
    filed_on: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import time

    # The machine's own zone never counts (a date with no zone is UTC, not local time).
    src = eml(tmp_path / "m.eml", date=header)
    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    try:
        day.ok("2025-07-02", "file", "SPRUCE001", str(src))
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()
    (filed,) = contents(case)
    assert filed.name.startswith(f"{filed_on} email from Ann Lee")


@pytest.mark.parametrize("header", ["not a date", "Wed, 31 Feb 2025 10:00:00 +0000", None])
def test_an_unreadable_date_uses_the_filing_date_with_a_warning(
    day: Any, case: Path, tmp_path: Path, header: str | None
) -> None:
    src = eml(tmp_path / "m.eml", date=header)
    result = day.ok("2025-02-20", "file", "SPRUCE001", str(src), "--date", "19/02/2025")
    assert "m.eml has no readable Date header: dated by --date" in result.stderr
    assert (case / "2025-02-19 email from Ann Lee - Re repair.eml").is_file()


def test_never_overwritten_and_the_same_file_filed_once(
    day: Any, case: Path, tmp_path: Path
) -> None:
    first = eml(tmp_path / "a.eml", body="one")
    second = eml(tmp_path / "b.eml", body="two")  # same date, sender, subject
    day.ok("2025-02-20", "file", "SPRUCE001", str(first), str(second))
    base = "2025-02-05 email from Ann Lee - Re repair"
    assert (case / f"{base}.eml").read_bytes() == first.read_bytes()
    assert (case / f"{base} (2).eml").read_bytes() == second.read_bytes()
    again = day.ok("2025-02-20", "file", "SPRUCE001", str(first))
    assert again.stdout == f"{first}: already filed (the same file); not copied again\n"
    assert len(contents(case)) == 2
    assert len(history(day)) == 2
    # Removed from the folder by hand: filed again.
    (case / f"{base}.eml").unlink()
    day.ok("2025-02-20", "file", "SPRUCE001", str(first))
    assert (case / f"{base}.eml").read_bytes() == first.read_bytes()


def test_move_removes_the_originals_once_filed(day: Any, case: Path, tmp_path: Path) -> None:
    src = eml(tmp_path / "m.eml")
    letter = tmp_path / "letter.docx"
    letter.write_bytes(b"PK\x03\x04 a letter")
    day.ok("2025-02-20", "file", "SPRUCE001", str(src), str(letter), "--move")
    assert not src.exists() and not letter.exists()
    assert sorted(p.name for p in contents(case)) == [
        "2025-02-05 email from Ann Lee - Re repair.eml",
        "2025-02-20 letter.docx",
    ]


def test_bad_input_writes_nothing(day: Any, case: Path, tmp_path: Path) -> None:
    good = eml(tmp_path / "good.eml")
    missing = tmp_path / "missing.pdf"
    message = day.fails("2025-02-20", "file", "SPRUCE001", str(good), str(missing))
    assert message == f"'{missing}' does not exist"
    not_mail = tmp_path / "fake.eml"
    not_mail.write_bytes(b"\x00\x01 binary junk")
    message = day.fails("2025-02-20", "file", "SPRUCE001", str(not_mail), "--move")
    assert message.endswith("not an e-mail: it has no From, Date, Subject or To header")
    assert day.fails("2025-02-20", "file", "SPRUCE404", str(good)).startswith(
        "no complaint with reference 'SPRUCE404'"
    )
    folder_file = case / "inside.txt"
    folder_file.write_text("x", encoding="utf-8")
    assert day.fails("2025-02-20", "file", "SPRUCE001", str(folder_file)).endswith(
        f"is already in the case folder {case.name!r}"
    )
    folder_file.unlink()
    assert contents(case) == [] and good.exists() and not_mail.exists()
    assert history(day) == []


def test_a_case_folder_that_is_a_link_out_of_the_root_is_refused(
    day: Any, case: Path, tmp_path: Path, root: Path
) -> None:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    shutil.rmtree(case)
    (root / "1 Essex Brewery – SPRUCE001").symlink_to(outside, target_is_directory=True)
    src = eml(tmp_path / "m.eml")
    message = day.fails("2025-02-20", "file", "SPRUCE001", str(src))
    assert message == (
        f"'1 Essex Brewery – SPRUCE001' under {str(root)!r} is a link (or a junction), not "
        "SPRUCE001's folder: nothing is written through a link; remove the link and run "
        "complaints folders --check --fix"
    )
    assert list(outside.iterdir()) == []


def test_log_from_email_prefills_and_files_it(day: Any, root: Path, tmp_path: Path) -> None:
    src = eml(
        tmp_path / "complaint.eml",
        subject="=?utf-8?q?Damp_in_the_bathroom_=E2=80=93_again?=",
        sender="=?utf-8?q?Zo=C3=AB_N=C3=AD_Bhriain?= <zoe@example.org>",
        date="Sun, 09 Feb 2025 23:15:00 -0500",  # Mon 10/02 in London
    )
    result = day.ok(
        "2025-02-10",
        "log",
        "--from-email",
        str(src),
        "--address",
        "9 Station Approach",
        "--handler",
        "Kim Ho",
        "--format",
        "json",
    )
    out = json.loads(result.stdout)
    assert out["filed"] == "2025-02-10 email from Zoë Ní Bhriain - Damp in the bathroom – again.eml"
    shown = day.show("2025-02-10")
    assert (shown["complainant"], shown["received"], shown["channel"]) == (
        "Zoë Ní Bhriain",
        "2025-02-10",
        "email",
    )
    assert shown["complaint_summary"] == "Damp in the bathroom – again"
    folder = root / out["folder"]
    assert (folder / out["filed"]).read_bytes() == src.read_bytes()


def test_log_from_email_asks_for_the_rest(day: Any, tmp_path: Path) -> None:
    src = eml(tmp_path / "c.eml", sender="noreply@example.org")  # no name: asked for
    day.monkeypatch.setenv("COMPLAINTS_TODAY", "2025-02-10")
    result = day.cli("log", "--from-email", str(src), input="Ann Lee\n1 Road\nSam\n")
    assert result.exit_code == 0, result.output
    assert "Complainant:" in result.stdout and "Address:" in result.stdout
    shown = day.show("2025-02-10")
    assert (shown["complainant"], shown["received"]) == ("Ann Lee", "2025-02-05")


def test_log_from_email_refuses_before_anything_is_saved(day: Any, tmp_path: Path) -> None:
    undated = eml(tmp_path / "u.eml", date=None)
    args = ("--address", "1 Road", "--handler", "Sam", "--no-input")
    assert day.fails("2025-02-10", "log", "--from-email", str(undated), *args) == (
        f"'{undated}' has no readable Date header: give --received (the day it arrived)"
    )
    msg = tmp_path / "outlook.msg"
    msg.write_bytes(b"\xd0\xcf\x11\xe0")
    assert "is an Outlook .msg file, which is not read yet" in day.fails(
        "2025-02-10", "log", "--from-email", str(msg), *args
    )
    assert "no complaint" in day.fails("2025-02-10", "show", "SPRUCE001")


def test_the_pack_lists_filed_correspondence_in_the_chronology(
    day: Any, case: Path, tmp_path: Path
) -> None:
    from docx import Document

    day.ok("2025-02-20", "file", "SPRUCE001", str(eml(tmp_path / "m.eml")))
    day.ok("2025-02-20", "pack", "SPRUCE001")
    (pack,) = case.glob("SPRUCE001 Case pack *.docx")
    rows = [[c.text for c in r.cells] for r in Document(str(pack)).tables[0].rows]
    filed = [r for r in rows if r[2] == "Correspondence"]
    assert len(filed) == 1
    date_cell, _time, _source, who, what = filed[0]
    assert (date_cell, who) == ("05/02/2025", "Ann Lee <ann.lee@example.org>")
    assert what.startswith(
        "E-mail from Ann Lee <ann.lee@example.org>: 'Re: repair', filed as "
        "'2025-02-05 email from Ann Lee - Re repair.eml' by tester on "
    )
    # In date order: after the complaint was received (03/02), before it was filed (20/02).
    days = [r[0] for r in rows[1:]]
    assert days.index("05/02/2025") > days.index("03/02/2025")


def test_the_log_args_still_log(day: Any) -> None:
    assert day.ok("2025-02-03", "log", *LOG_ARGS).exit_code == 0


def test_a_failure_to_record_removes_what_was_filed(
    day: Any, case: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Filed and recorded together, or not at all: the log busy at the last step leaves the
    folder as it was and the originals where they were (even with --move)."""
    from complaints_cli.errors import BusyError
    from complaints_cli.store import correspondence

    def busy(*_args: Any, **_kwargs: Any) -> None:
        raise BusyError("the log is busy")

    monkeypatch.setattr(correspondence, "record_filed", busy)
    src = eml(tmp_path / "m.eml")
    assert day.fails("2025-02-20", "file", "SPRUCE001", str(src), "--move") == "the log is busy"
    assert contents(case) == []
    assert src.exists()
