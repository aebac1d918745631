"""A case pack for an Ombudsman evidence request: the case's chronology. Pure.

(The index of the case folder's files is :func:`complaints_cli.files.folders.folder_index`.)

The chronology has every date the log holds for the case (received, acknowledged, responses,
extensions, escalation, updates, Ombudsman dates, actions due and done, closed), in plain words,
and every history entry (who changed what, when), merged in date order. The case record's dates
are what the log says happened; the history says when someone recorded it. Both are evidence,
and an imported case may have only the first, so both are listed, each marked with its source.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from complaints_cli.domain.case import Action, Case
from complaints_cli.domain.dates import format_uk
from complaints_cli.domain.presentation import describe_changes, money

CHRONOLOGY_HEADER = ("Date", "Time (UTC)", "Source", "Who", "What happened")


@dataclass(frozen=True)
class Entry:
    day: date
    #: A history entry's time (UTC); ``None`` for a date from the case record.
    at: datetime | None
    source: str  #: ``Case record`` or ``History``
    who: str
    what: str

    def row(self) -> tuple[str, str, str, str, str]:
        time = self.at.strftime("%H:%M") if self.at else ""
        return (format_uk(self.day), time, self.source, self.who, self.what)


def _with(text: str, detail: Any) -> str:
    return f"{text}: {detail}" if detail not in (None, "") else text


def _compensation(amount: Any, reasons: Any) -> str:
    if amount is None and not reasons:
        return ""
    paid = f" {money(amount)}" if amount is not None else ""
    return f". Compensation{paid}" + (f" ({reasons})" if reasons else "")


def case_events(case: Case) -> list[Entry]:
    """The case record's dates as plain-word entries (unsorted)."""
    out: list[Entry] = []

    def add(day: Any, who: Any, what: str) -> None:
        if isinstance(day, date):
            out.append(Entry(day, None, "Case record", str(who or ""), what))

    channel = f" by {case.channel}" if case.channel else ""
    add(
        case.received,
        case.handler,
        f"Complaint received{channel} from {case.complainant}",
    )
    ack = "Complaint acknowledged"
    if case.ack_met is False:
        ack += " late" + (f" ({case.ack_met_note})" if case.ack_met_note else "")
    add(case.acknowledged, case.handler, _with(ack, case.complaint_summary))
    for n, extended, to, told_them, reason, handler in (
        (
            "1",
            case.stage1_extension,
            case.stage1_extended_to,
            case.stage1_extension_told,
            case.stage1_extension_reason,
            case.handler,
        ),
        (
            "2",
            case.stage2_extension,
            case.stage2_extended_to,
            case.stage2_extension_told,
            case.stage2_extension_reason,
            case.stage2_handler,
        ),
    ):
        if extended:
            told = " (resident told)" if told_them else ""
            add(to, handler, _with(f"Stage {n} response deadline, as extended{told}", reason))
    add(
        case.stage1_responded,
        case.handler,
        _with("Stage 1 response sent", case.stage1_response_summary)
        + _compensation(case.compensation_amount, case.compensation_reasons),
    )
    review = case.review_type.label if case.review_type else None
    add(
        case.escalation_received,
        case.stage2_handler,
        _with(
            "Escalation to Stage 2 requested" + (f" ({review})" if review else ""),
            case.escalation_details,
        ),
    )
    add(case.stage2_acknowledged, case.stage2_handler, "Stage 2 acknowledged")
    add(
        case.stage2_responded,
        case.stage2_handler,
        _with("Stage 2 response sent", case.stage2_response_details)
        + _compensation(case.stage2_compensation_amount, case.stage2_compensation_reasons),
    )
    add(case.last_update, None, "Last update to the resident on outstanding actions")
    body = case.ombudsman_body or "HOS"
    add(case.ombudsman_referred, None, f"Complaint referred to the Ombudsman ({body})")
    add(case.ombudsman_requested, None, "Ombudsman requested evidence")
    add(case.ombudsman_evidence_sent, None, "Evidence sent to the Ombudsman")
    add(case.closed, None, _with("Case closed", case.close_reason))
    return out


def action_events(actions: Sequence[Action]) -> list[Entry]:
    """Each action's due date, and its completion when done."""
    out: list[Entry] = []
    for a in actions:
        label = f"Action {a.number} ({a.stage})"
        out.append(Entry(a.due, None, "Case record", a.owner, f"{label} due: {a.text}"))
        if a.done:
            out.append(Entry(a.done, None, "Case record", a.owner, f"{label} done"))
    return out


def _filed(e: Mapping[str, Any], at: datetime) -> Entry:
    """Correspondence filed in the case folder (``complaints file``), on its own date: an
    e-mail on the day it was sent (UK time), anything else on the day it was filed under."""
    changes = e.get("changes") or {}

    def new(key: str) -> str:
        pair = changes.get(key)
        return str(pair[1]) if isinstance(pair, list | tuple) and pair[1] is not None else ""

    try:
        day = date.fromisoformat(new("date"))
    except ValueError:
        day = at.date()
    sender, subject = new("from"), new("subject")
    what = f"E-mail from {sender or 'an unknown sender'}" if sender or subject else "Document"
    if subject:
        what += f": {subject!r}"
    what += (
        f", filed as {new('file')!r} by {e.get('actor') or 'unknown'} on "
        f"{format_uk(at.date())} (SHA-256 {new('sha256')[:16]}…)"
    )
    return Entry(day, None, "Correspondence", sender, what)


def history_events(entries: Sequence[Mapping[str, Any]]) -> list[Entry]:
    """Each history entry: who ran which command, and each field from what to what; filed
    correspondence on its own date (:func:`_filed`)."""
    out = []
    for e in entries:
        at: datetime = e["at"]
        at = at.astimezone(UTC) if at.tzinfo else at
        if e["command"] == "file":
            out.append(_filed(e, at))
            continue
        changes = describe_changes(e.get("changes") or {})
        what = e["command"] + (f" ({changes})" if changes else "")
        if e.get("note"):
            what += f". Note: {e['note']}"
        out.append(Entry(at.date(), at, "History", str(e.get("actor") or ""), what))
    return out


def chronology(
    case: Case,
    history: Sequence[Mapping[str, Any]],
    actions: Sequence[Action],
) -> list[Entry]:
    """Everything dated on the case, oldest first; on one day the case record's dates come
    before the history entries, which are in time order."""
    entries = [*case_events(case), *action_events(actions), *history_events(history)]
    # sorted() is stable: entries of one day and kind keep the order they were listed in.
    return sorted(entries, key=lambda e: (e.day, e.at is not None, e.at or datetime.min))
