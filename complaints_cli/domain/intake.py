"""What a new complaint must have before it is logged: pure checks, no database.

The CLI gathers the values (options or prompts) *before* any transaction starts, so no lock is
ever held while a handler types; then :func:`new_complaint` validates them all at once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from complaints_cli.domain.classification import parse_category, parse_tenure
from complaints_cli.domain.dates import parse_date
from complaints_cli.domain.text import handler_name, optional_text, person_lines, required_text
from complaints_cli.domain.vocabulary import CaseKind, Channel, Tenure, words
from complaints_cli.errors import ComplaintsError

#: Everyday words for how a complaint arrived -> the channel we store.
CHANNEL_ALIASES = {
    "e-mail": "email",
    "mail": "letter",
    "post": "letter",
    "telephone": "phone",
    "phone call": "phone",
    "telephone call": "phone",
    "call centre": "phone",
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
    #: The team's category (one of the ``categories`` setting) and the TSM stock type.
    category: str | None = None
    tenure: Tenure | None = None


def parse_channel(text: str) -> Channel:
    """``email``, ``telephone``, ``post``, ``face to face`` ... -> the channel."""
    value = " ".join(text.strip().lower().split())
    value = CHANNEL_ALIASES.get(value, value)
    try:
        return Channel(value)
    except ValueError:
        from complaints_cli.domain.filters import nearest  # difflib: only when refusing

        hint = nearest(text, [c.value for c in Channel])
        raise ComplaintsError(f"channel {text!r} is not one of: {words(Channel)}{hint}") from None


def _required(name: str, value: str | None) -> str:
    return required_text(value, name, hint=f": give --{name} or answer the prompt")


def read_received(received: str | date | None, today: date) -> date:
    """The date a complaint was received: today when not given, never in the future.

    Raises :class:`ComplaintsError` naming the value."""
    if received is None or received == "":
        return today
    day = (
        received
        if isinstance(received, date)
        else parse_date(received, what="date received", today=today)
    )
    if day > today:
        raise ComplaintsError(
            f"date received {day:%d/%m/%Y} is in the future (today is {today:%d/%m/%Y})"
        )
    return day


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
    category: str | None = None,
    tenure: str | None = None,
    categories: Sequence[str] = (),
) -> NewComplaint:
    """Validate a complaint's first details; raise :class:`ComplaintsError` on the first problem.

    ``category`` must be one of the team's ``categories`` (:func:`.classification.parse_category`);
    ``tenure`` is read by :func:`.classification.parse_tenure`.
    """
    received_date = read_received(received, today)
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
        complainant=person_lines(_required("complainant", complainant)),
        address=_required("address", address),
        received=received_date,
        handler=handler_name(handler, "handler", hint=": give --handler or answer the prompt"),
        channel=parse_channel(_required("channel", channel)),
        summary=text_summary,
        kind=kind,
        events_date=events,
        related_to=optional_text(related_to, "--related-to"),
        category=None if category is None else parse_category(category, categories),
        tenure=None if tenure is None else parse_tenure(tenure),
    )
