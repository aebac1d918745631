"""What a new complaint must have before it is logged: pure checks, no database.

The CLI gathers the values (options or prompts) *before* any transaction starts, so no lock is
ever held while a handler types; then :func:`new_complaint` validates them all at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from complaints_cli.domain.dates import parse_date
from complaints_cli.domain.text import handler_name, optional_text, required_text
from complaints_cli.domain.vocabulary import CaseKind, Channel, words
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


@dataclass(frozen=True)
class NewComplaint:
    complainant: str
    address: str
    received: date
    handler: str
    channel: Channel
    summary: str | None = None
    #: A service dissatisfaction is logged at the Informal stage; a petition's complainant is
    #: its lead petitioner.
    kind: CaseKind = CaseKind.COMPLAINT
    #: When the events complained of happened (for the policy's time limit).
    events_date: date | None = None
    #: The reference of the case this complaint was raised from as a new issue (Code 6.8).
    related_to: str | None = None


def parse_channel(text: str) -> Channel:
    """``email``, ``telephone``, ``post``, ``face to face`` ... -> the channel."""
    value = " ".join(text.strip().lower().split())
    value = CHANNEL_ALIASES.get(value, value)
    try:
        return Channel(value)
    except ValueError:
        raise ComplaintsError(f"channel {text!r} is not one of: {words(Channel)}") from None


def _required(name: str, value: str | None) -> str:
    return required_text(value, name, hint=f": give --{name} or answer the prompt")


def new_complaint(
    *,
    complainant: str | None,
    address: str | None,
    received: str | date | None,
    handler: str | None,
    channel: str | None,
    summary: str | None,
    today: date,
    kind: CaseKind = CaseKind.COMPLAINT,
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
    text_summary = optional_text(summary, "summary")
    return NewComplaint(
        complainant=_required("complainant", complainant),
        address=_required("address", address),
        received=received_date,
        handler=handler_name(handler, "handler", hint=": give --handler or answer the prompt"),
        channel=parse_channel(_required("channel", channel)),
        summary=text_summary,
        kind=kind,
        events_date=events,
        related_to=optional_text(related_to, "--related-to"),
    )
