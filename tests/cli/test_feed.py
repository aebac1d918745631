"""``complaints feed``: the deadlines as an iCalendar file, read back with ``icalendar`` and
``recurring_ical_events``, checked against RFC 5545's line rules, regenerated."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
import recurring_ical_events
from icalendar import Calendar

LEE = ("--complainant", "Ann Lee", "--address", "1 Essex Brewery", "--handler", "Sam Patel")


def read(path: Path) -> dict[str, Any]:
    """UID -> the VEVENT, from the file as a calendar program reads it."""
    cal = Calendar.from_ical(path.read_bytes())
    return {str(e["uid"]): e for e in cal.walk("VEVENT")}


@pytest.fixture
def log(day: Any) -> Any:
    """SPRUCE001 (Ann Lee) received Mon 03/02/2025, acknowledged Wed 05/02; SPRUCE002 (Kim
    Ho's, Zoë Ní Bhriain) received Fri 14/02."""
    day.ok("2025-02-03", "log", *LEE, "--received", "03/02/2025", "--channel", "email")
    day.ok("2025-02-05", "acknowledge", "SPRUCE001", "--summary", "Damp in the bathroom")
    day.ok(
        "2025-02-14",
        "log",
        "--complainant",
        "Dr Zoë Ní Bhriain",
        "--address",
        "Flat 2, 9 Station Approach",
        "--handler",
        "Kim Ho",
        "--received",
        "14/02/2025",
        "--channel",
        "phone",
    )
    return day


def test_one_all_day_event_per_open_milestone(log: Any, tmp_path: Path) -> None:
    out = tmp_path / "due.ics"
    result = log.ok("2025-02-14", "feed", "--output", str(out))
    events = read(out)
    live = {uid for uid, e in events.items() if e["status"] == "CONFIRMED"}
    assert live == {
        "SPRUCE001-stage1_response@spruce.complaints",
        "SPRUCE002-contact@spruce.complaints",
        "SPRUCE002-acknowledge@spruce.complaints",
        "SPRUCE002-stage1_response@spruce.complaints",
    }
    assert result.stdout == f"Wrote {out}: 4 deadline(s), 2 cancelled (done) event(s)\n"
    e = events["SPRUCE001-stage1_response@spruce.complaints"]
    assert str(e["summary"]) == "SPRUCE001 Stage 1 response – Lee"
    # Due Wed 19/02/2025: 10 working days from the acknowledgement on Wed 05/02.
    assert e.decoded("dtstart") == date(2025, 2, 19)
    assert e.decoded("dtend") == date(2025, 2, 20)
    assert e["dtstart"].params["VALUE"] == "DATE"
    description = str(e["description"])
    assert description.splitlines() == [
        "Stage 1 response for SPRUCE001 (Stage 1), due Wed 19/02/2025.",
        "10 working days from acknowledged Wed 05/02/2025.",
        f"Case folder: the folder ending in SPRUCE001 under {tmp_path / 'Complaints'}",
        "Handler: Sam Patel",
    ]
    # The reminder: 09:00 on Tue 18/02, the working day before.
    (alarm,) = e.walk("VALARM")
    assert alarm.decoded("trigger") == -timedelta(hours=15)
    contact = events["SPRUCE002-contact@spruce.complaints"]
    assert str(contact["summary"]) == (
        "SPRUCE002 Contact the resident (if not spoken to on receipt) – Ní Bhriain"
    )
    # Received Fri 14/02, contact due Mon 17/02: reminded Fri 14/02 at 09:00.
    assert contact.decoded("dtstart") == date(2025, 2, 17)
    (alarm,) = contact.walk("VALARM")
    assert alarm.decoded("trigger") == -timedelta(days=2, hours=15)
    assert "Handler: Kim Ho" in str(contact["description"])


def test_no_personal_detail_beyond_surname_and_reference(log: Any, tmp_path: Path) -> None:
    out = tmp_path / "due.ics"
    log.ok("2025-02-14", "feed", "--output", str(out))
    text = out.read_bytes().decode("utf-8")
    unfolded = text.replace("\r\n ", "")
    for private in ("Ann", "Zoë", "Essex", "Brewery", "Station", "Damp", "bathroom"):
        assert private not in unfolded


def test_a_monday_deadline_reminds_on_friday_and_a_bank_holiday_is_skipped(
    day: Any, tmp_path: Path
) -> None:
    # Received Tue 15/04/2025: acknowledge within 3 working days (Wed 16, Thu 17, then Good
    # Friday 18/04 and Easter Monday 21/04 skipped) -> Tue 22/04, reminded on Thu 17/04.
    day.ok("2025-04-15", "log", *LEE, "--received", "15/04/2025", "--channel", "email")
    out = tmp_path / "due.ics"
    day.ok("2025-04-15", "feed", "--output", str(out))
    events = read(out)
    ack = events["SPRUCE001-acknowledge@spruce.complaints"]
    assert ack.decoded("dtstart") == date(2025, 4, 22)
    (alarm,) = ack.walk("VALARM")
    assert alarm.decoded("trigger") == -timedelta(days=4, hours=15)  # Thu 17/04 09:00
    assert "TRIGGER:-P4DT15H" in out.read_text(encoding="utf-8")
    # Stage 1 response: 10 working days from Tue 22/04, past the 05/05 bank holiday ->
    # Wed 07/05, reminded Tue 06/05 at 09:00.
    s1 = events["SPRUCE001-stage1_response@spruce.complaints"]
    assert s1.decoded("dtstart") == date(2025, 5, 7)
    (alarm,) = s1.walk("VALARM")
    assert alarm.decoded("trigger") == -timedelta(hours=15)
    # The event and its alarm expand as a calendar reader would show them.
    cal = Calendar.from_ical(out.read_bytes())
    shown = recurring_ical_events.of(cal).between(date(2025, 4, 22), date(2025, 4, 23))
    assert [str(e["uid"]) for e in shown] == ["SPRUCE001-acknowledge@spruce.complaints"]


def test_rfc_5545_lines_are_folded_at_75_octets_with_crlf(day: Any, tmp_path: Path) -> None:
    # A long, multi-byte name and address make lines that must be folded.
    name = "Ŵyn Ællan-" + "Ŕŏśę" * 30
    day.ok(
        "2025-02-03",
        "log",
        "--complainant",
        name,
        "--address",
        "1 Road",
        "--handler",
        "Sam Patel",
        "--received",
        "03/02/2025",
        "--channel",
        "email",
    )
    out = tmp_path / "due.ics"
    day.ok("2025-02-03", "feed", "--output", str(out))
    data = out.read_bytes()
    assert data.endswith(b"\r\n")
    assert b"\n" not in data.replace(b"\r\n", b"")  # no bare LF (or CR)
    lines = data.split(b"\r\n")[:-1]
    assert max(len(line) for line in lines) == 75
    assert all(len(line) <= 75 for line in lines)
    for line in lines:
        line.decode("utf-8")  # a fold never splits a character
    folded = [line for line in lines if line.startswith(b" ")]
    assert folded
    unfolded = data.replace(b"\r\n ", b"").decode("utf-8")
    assert f"SUMMARY:SPRUCE001 Acknowledge the complaint – {name.split()[-1]}" in unfolded
    assert str(read(out)["SPRUCE001-acknowledge@spruce.complaints"]["summary"]).endswith(
        name.split()[-1]
    )


def test_regenerating_keeps_every_uid_and_a_done_milestone_is_cancelled(
    log: Any, tmp_path: Path
) -> None:
    first, second = tmp_path / "first.ics", tmp_path / "second.ics"
    log.ok("2025-02-14", "feed", "--output", str(first))
    before = read(first)
    log.ok("2025-02-17", "acknowledge", "SPRUCE002", "--summary", "Noise")
    log.ok("2025-02-17", "feed", "--output", str(second))
    after = read(second)
    assert set(before) <= set(after)  # every UID kept: a reader updates, never duplicates
    ack = after["SPRUCE002-acknowledge@spruce.complaints"]
    assert ack["status"] == "CANCELLED"
    assert ack.decoded("dtstart") == before["SPRUCE002-acknowledge@spruce.complaints"].decoded(
        "dtstart"
    )
    assert not ack.walk("VALARM")
    assert "Done Mon 17/02/2025." in str(ack["description"])
    old_seq = before["SPRUCE002-acknowledge@spruce.complaints"]["sequence"]
    assert ack["sequence"] > old_seq  # newer than what the reader has
    # The Stage 1 response moved from the projected to the real acknowledgement: same UID.
    s1 = "SPRUCE002-stage1_response@spruce.complaints"
    assert after[s1]["status"] == "CONFIRMED"
    assert after[s1].decoded("dtstart") == date(2025, 3, 3)
    # Unchanged case: same UID, same SEQUENCE, same date.
    s1_1 = "SPRUCE001-stage1_response@spruce.complaints"
    assert after[s1_1]["sequence"] == before[s1_1]["sequence"]


def test_a_closed_case_is_cancelled_then_left_out(log: Any, tmp_path: Path) -> None:
    out = tmp_path / "due.ics"
    log.ok("2025-02-14", "respond", "SPRUCE001", "--summary", "Upheld")
    log.ok("2025-02-14", "close", "SPRUCE001")
    log.ok("2025-02-14", "feed", "--output", str(out))
    mine = {u: e for u, e in read(out).items() if u.startswith("SPRUCE001")}
    assert mine and all(e["status"] == "CANCELLED" for e in mine.values())
    # Closed 14/02: cancelled for 90 days (to 15/05), then left out of the file.
    log.ok("2025-05-15", "feed", "--output", str(out), "--force")
    assert any(u.startswith("SPRUCE001") for u in read(out))
    log.ok("2025-05-16", "feed", "--output", str(out), "--force")
    assert not any(u.startswith("SPRUCE001") for u in read(out))


def test_only_one_handlers_deadlines(log: Any, tmp_path: Path) -> None:
    out = tmp_path / "kim.ics"
    log.ok("2025-02-14", "feed", "--output", str(out), "--handler", "kim  ho")
    uids = set(read(out))
    assert uids and all(u.startswith("SPRUCE002-") for u in uids)
    assert "X-WR-CALNAME:Complaints deadlines: kim ho" in out.read_text(encoding="utf-8")
    # A misspelt name is an error naming the nearest, and no file is written: an empty
    # calendar would read as "nothing due" (the fresh-user trial).
    typo = tmp_path / "typo.ics"
    message = log.fails("2025-02-14", "feed", "--output", str(typo), "--handler", "Kim H0")
    assert message.startswith(
        "--handler 'Kim H0' is not a handler in the log; did you mean Kim Ho?"
    )
    assert not typo.exists()


def test_an_existing_file_is_replaced_only_with_force(log: Any, tmp_path: Path) -> None:
    out = tmp_path / "due.ics"
    out.write_text("someone else's file", encoding="utf-8")
    message = log.fails("2025-02-14", "feed", "--output", str(out))
    assert message == f"'{out}' already exists: use --force to replace it"
    assert out.read_text(encoding="utf-8") == "someone else's file"
    log.ok("2025-02-14", "feed", "--output", str(out), "--force")
    assert read(out)
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".~")]


def test_bad_output_is_refused_and_nothing_written(log: Any, tmp_path: Path) -> None:
    assert log.fails("2025-02-14", "feed", "--output", str(tmp_path / "due.xlsx")) == (
        f"--output '{tmp_path / 'due.xlsx'}' must end in .ics (an iCalendar file)"
    )
    missing = tmp_path / "no such folder" / "due.ics"
    assert re.match(
        r"the folder .* does not exist", log.fails("2025-02-14", "feed", "-o", str(missing))
    )
    assert not (tmp_path / "due.xlsx").exists()


def test_an_imported_closed_case_with_no_closing_date_is_not_in_the_feed(
    log: Any, tmp_path: Path
) -> None:
    """An imported log has no closing dates: such a case counts as finished on its last
    recorded date (here the acknowledgement, 05/02), not on the day of the import."""
    from complaints_cli.config import database_url
    from complaints_cli.store.db import RawDatabase

    url = database_url(str(tmp_path / "log.db"))
    with RawDatabase(url) as db, db.transaction() as tx:
        tx.execute("UPDATE complaint SET status = 'Closed' WHERE reference = 'SPRUCE001'")
    out = tmp_path / "due.ics"
    log.ok("2025-05-06", "feed", "--output", str(out))  # 05/02 + 90 days = 06/05: still in
    assert {str(e["status"]) for u, e in read(out).items() if u.startswith("SPRUCE001")} == {
        "CANCELLED"
    }
    log.ok("2025-05-07", "feed", "--output", str(out), "--force")
    assert not [u for u in read(out) if u.startswith("SPRUCE001")]
