"""What a new complaint must have before it is logged: pure checks, no database.

The CLI gathers the values (options or prompts) *before* any transaction starts, so no lock is
ever held while a handler types; then :func:`new_complaint` validates them all at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from complaints_cli.domain.columns import CHANNELS
from complaints_cli.domain.dates import parse_date
from complaints_cli.errors import ComplaintsError

#: Everyday words for how a complaint arrived -> the channel we store.
CHANNEL_ALIASES = {
    "e-mail": "email",
    "mail": "letter",
    "post": "letter",
    "telephone": "phone",
    "call": "phone",
    "in-person": "in person",
    "inperson": "in person",
    "face to face": "in person",
    "visit": "in person",
    "web": "website",
    "online": "website",
    "web form": "website",
    "social": "social media",
    "social-media": "social media",
    "facebook": "social media",
    "twitter": "social media",
    "x": "social media",
}

MAX_TEXT = 32_000


@dataclass(frozen=True)
class NewComplaint:
    complainant: str
    address: str
    received: date
    handler: str
    channel: str
    summary: str | None = None
    #: ``complaint``, ``service dissatisfaction`` (logged at the Informal stage) or ``petition``.
    kind: str = "complaint"
    #: When the events complained of happened (for the policy's time limit).
    events_date: date | None = None
    #: The reference of the case this complaint was raised from as a new issue (Code 6.8).
    related_to: str | None = None


def parse_channel(text: str) -> str:
    value = " ".join(text.strip().lower().split())
    value = CHANNEL_ALIASES.get(value, value)
    if value not in CHANNELS:
        raise ComplaintsError(f"channel {text!r} is not one of: {', '.join(CHANNELS)}")
    return value


def _required(name: str, value: str | None) -> str:
    text = (value or "").strip()
    if not text:
        raise ComplaintsError(f"{name} is required: give --{name} or answer the prompt")
    if len(text) > MAX_TEXT:
        raise ComplaintsError(f"{name} is longer than {MAX_TEXT} characters")
    return text


def new_complaint(
    *,
    complainant: str | None,
    address: str | None,
    received: str | date | None,
    handler: str | None,
    channel: str | None,
    summary: str | None,
    today: date,
    kind: str = "complaint",
    events_date: str | date | None = None,
    related_to: str | None = None,
) -> NewComplaint:
    """Validate a complaint's first details; raise :class:`ComplaintsError` on the first problem."""
    if received is None or received == "":
        received_date = today
    elif isinstance(received, date):
        received_date = received
    else:
        received_date = parse_date(received, what="date received", today=today)
    if received_date > today:
        raise ComplaintsError(
            f"date received {received_date:%d/%m/%Y} is in the future (today is {today:%d/%m/%Y})"
        )
    events: date | None = None
    if isinstance(events_date, date):
        events = events_date
    elif events_date:
        events = parse_date(events_date, what="events date", today=today)
    if events is not None and events > received_date:
        raise ComplaintsError(
            f"events date {events:%d/%m/%Y} is after the date received {received_date:%d/%m/%Y}"
        )
    text_summary = (summary or "").strip() or None
    if text_summary and len(text_summary) > MAX_TEXT:
        raise ComplaintsError(f"summary is longer than {MAX_TEXT} characters")
    return NewComplaint(
        complainant=_required("complainant", complainant),
        address=_required("address", address),
        received=received_date,
        handler=_required("handler", handler),
        channel=parse_channel(_required("channel", channel)),
        summary=text_summary,
        kind=kind,
        events_date=events,
        related_to=(related_to or "").strip() or None,
    )
