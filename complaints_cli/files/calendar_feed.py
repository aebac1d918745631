"""The deadlines feed as an iCalendar file (RFC 5545), written with the ``icalendar`` library.

:func:`feed_bytes` turns :class:`~complaints_cli.domain.feed.FeedEvent` rows into one
VCALENDAR: ``METHOD:PUBLISH``, one all-day VEVENT per event (``DTSTART;VALUE=DATE``, DTEND the
next day, ``TRANSP:TRANSPARENT`` so a deadline never shows the handler as busy), STATUS
CONFIRMED or CANCELLED, SEQUENCE the case's version, and for a live event a VALARM that goes
off at 09:00 on the working day before (a relative trigger, ``-P2DT15H`` for a Monday
deadline: nominal days, so a clock change in between does not move it). The library folds
lines at 75 octets and ends them with CRLF. :func:`save_feed` writes it with the one safe
save, so a calendar reading the file on the shared drive never sees half of it.

Imported only by ``complaints feed`` (icalendar is not needed for anything else).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import IO

from icalendar import Alarm, Calendar, Event

from complaints_cli.domain.feed import FeedEvent
from complaints_cli.files.safe_save import Saved, save_atomically

__all__ = ["PRODID", "REMINDER_HOUR", "feed_bytes", "save_feed"]

PRODID = "-//complaints//deadlines feed//EN"
#: The reminder goes off at this hour (local time) on the working day before.
REMINDER_HOUR = 9


def feed_bytes(events: Sequence[FeedEvent], *, name: str, now: datetime) -> bytes:
    """The whole calendar as RFC 5545 bytes (UTF-8, CRLF, folded). ``now`` (aware, UTC) is
    every event's DTSTAMP."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    # How often a subscribed calendar should read the file again (RFC 7986; Outlook's own).
    cal.add("refresh-interval", timedelta(hours=1), parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", "PT1H")
    for e in events:
        event = Event()
        event.add("uid", e.uid)
        event.add("dtstamp", now)
        event.add("dtstart", e.day)
        event.add("dtend", e.day + timedelta(days=1))
        event.add("summary", e.summary)
        event.add("description", e.description)
        event.add("sequence", e.sequence)
        event.add("status", "CANCELLED" if e.cancelled else "CONFIRMED")
        event.add("transp", "TRANSPARENT")
        event.add("categories", ["Complaints"])
        if e.remind_days_before is not None:
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", f"Due tomorrow (next working day): {e.summary}")
            # From the event's start (midnight): back whole days, then to REMINDER_HOUR.
            alarm.add(
                "trigger",
                -timedelta(days=e.remind_days_before - 1, hours=24 - REMINDER_HOUR),
            )
            event.add_component(alarm)
        cal.add_component(event)
    data: bytes = cal.to_ical()
    return data


def save_feed(target: Path, data: bytes, *, force: bool) -> Saved:
    """Write the feed at ``target`` in one step (an existing file only with ``force``)."""

    def write(stream: IO[bytes]) -> None:
        stream.write(data)

    def check(tmp: Path) -> None:
        Calendar.from_ical(tmp.read_bytes())  # what we wrote reads back

    return save_atomically(target, write, force=force, check=check)
