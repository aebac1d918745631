"""A case pack for an Ombudsman evidence request: the case's chronology and its folder's index.

Pure except for :func:`folder_index`, which reads the folder's file listing (never the files).

The chronology has every date the log holds for the case (received, acknowledged, responses,
extensions, escalation, updates, Ombudsman dates, actions due and done, closed), in plain words,
and every history entry (who changed what, when), merged in date order. The case record's dates
are what the log says happened; the history says when someone recorded it. Both are evidence,
and an imported case may have only the first, so both are listed, each marked with its source.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from complaints_cli.domain.dates import format_uk
from complaints_cli.domain.presentation import REVIEW_LABELS, money

#: Files in a case folder that are not evidence: Word's lock files, our own temporary files.
_SKIP_PREFIXES = ("~$", ".~")

CHRONOLOGY_HEADER = ("Date", "Time (UTC)", "Source", "Who", "What happened")
INDEX_HEADER = ("File", "Size", "Modified")


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


def case_events(case: Mapping[str, Any]) -> list[Entry]:
    """The case record's dates as plain-word entries (unsorted)."""
    out: list[Entry] = []

    def add(day: Any, who: Any, what: str) -> None:
        if isinstance(day, date):
            out.append(Entry(day, None, "Case record", str(who or ""), what))

    channel = f" by {case['channel']}" if case.get("channel") else ""
    add(
        case.get("received"),
        case.get("handler"),
        f"Complaint received{channel} from {case.get('complainant')}",
    )
    ack = "Complaint acknowledged"
    if case.get("ack_met") is False:
        ack += " late" + (f" ({case['ack_met_note']})" if case.get("ack_met_note") else "")
    add(case.get("acknowledged"), case.get("handler"), _with(ack, case.get("complaint_summary")))
    for n, handler_field in (("1", "handler"), ("2", "stage2_handler")):
        prefix = f"stage{n}_"
        if case.get(f"{prefix}extension"):
            told = " (resident told)" if case.get(f"{prefix}extension_told") else ""
            add(
                case.get(f"{prefix}extended_to"),
                case.get(handler_field),
                _with(
                    f"Stage {n} response deadline, as extended{told}",
                    case.get(f"{prefix}extension_reason"),
                ),
            )
    add(
        case.get("stage1_responded"),
        case.get("handler"),
        _with("Stage 1 response sent", case.get("stage1_response_summary"))
        + _compensation(case.get("compensation_amount"), case.get("compensation_reasons")),
    )
    review = REVIEW_LABELS.get(case.get("review_type") or "", case.get("review_type"))
    add(
        case.get("escalation_received"),
        case.get("stage2_handler"),
        _with(
            "Escalation to Stage 2 requested" + (f" ({review})" if review else ""),
            case.get("escalation_details"),
        ),
    )
    add(case.get("stage2_acknowledged"), case.get("stage2_handler"), "Stage 2 acknowledged")
    add(
        case.get("stage2_responded"),
        case.get("stage2_handler"),
        _with("Stage 2 response sent", case.get("stage2_response_details"))
        + _compensation(
            case.get("stage2_compensation_amount"), case.get("stage2_compensation_reasons")
        ),
    )
    add(case.get("last_update"), None, "Last update to the resident on outstanding actions")
    body = case.get("ombudsman_body") or "HOS"
    add(case.get("ombudsman_referred"), None, f"Complaint referred to the Ombudsman ({body})")
    add(case.get("ombudsman_requested"), None, "Ombudsman requested evidence")
    add(case.get("ombudsman_evidence_sent"), None, "Evidence sent to the Ombudsman")
    add(case.get("closed"), None, _with("Case closed", case.get("close_reason")))
    return out


def action_events(actions: Sequence[Mapping[str, Any]]) -> list[Entry]:
    """Each action's due date, and its completion when done."""
    out: list[Entry] = []
    for a in actions:
        label = f"Action {a['number']} ({a['stage']})"
        out.append(Entry(a["due"], None, "Case record", a["owner"], f"{label} due: {a['text']}"))
        if a.get("done"):
            out.append(Entry(a["done"], None, "Case record", a["owner"], f"{label} done"))
    return out


def _value(field: str, value: Any) -> str:
    if value in (None, ""):
        return "(blank)"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if field.endswith("_pence") and isinstance(value, int):
        return money(Decimal(value) / 100)
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            return format_uk(date.fromisoformat(value))
        except ValueError:
            return value
    return str(value)


def _label(field: str) -> str:
    """``compensation_pence`` -> ``compensation``; ``stage1_met`` -> ``stage1 met``."""
    return field.removesuffix("_pence").replace("_", " ")


def history_events(entries: Sequence[Mapping[str, Any]]) -> list[Entry]:
    """Each history entry: who ran which command, and each field from what to what."""
    out = []
    for e in entries:
        at: datetime = e["at"]
        at = at.astimezone(UTC) if at.tzinfo else at
        changes = "; ".join(
            f"{_label(field)}: {_value(field, old)} -> {_value(field, new)}"
            for field, (old, new) in (e.get("changes") or {}).items()
        )
        what = e["command"] + (f" ({changes})" if changes else "")
        if e.get("note"):
            what += f". Note: {e['note']}"
        out.append(Entry(at.date(), at, "History", str(e.get("actor") or ""), what))
    return out


def chronology(
    case: Mapping[str, Any],
    history: Sequence[Mapping[str, Any]],
    actions: Sequence[Mapping[str, Any]],
) -> list[Entry]:
    """Everything dated on the case, oldest first; on one day the case record's dates come
    before the history entries, which are in time order."""
    entries = [*case_events(case), *action_events(actions), *history_events(history)]
    # sorted() is stable: entries of one day and kind keep the order they were listed in.
    return sorted(entries, key=lambda e: (e.day, e.at is not None, e.at or datetime.min))


@dataclass(frozen=True)
class FileEntry:
    path: str  #: relative to the case folder, with the platform's separator
    size: int
    modified: datetime  #: local time, as Explorer shows it

    def row(self) -> tuple[str, str, str]:
        return (self.path, f"{self.size:,} bytes", self.modified.strftime("%d/%m/%Y %H:%M"))


def folder_index(folder: Path) -> list[FileEntry]:
    """Every file under ``folder`` (sub-folders too), by path; lock and temporary files left out."""
    out: list[FileEntry] = []
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames.sort()
        for name in sorted(filenames):
            if name.startswith(_SKIP_PREFIXES):
                continue
            full = Path(dirpath) / name
            try:
                st = full.stat()
            except OSError:
                continue  # removed while we looked
            out.append(
                FileEntry(
                    str(full.relative_to(folder)),
                    st.st_size,
                    datetime.fromtimestamp(st.st_mtime),
                )
            )
    return sorted(out, key=lambda f: f.path.casefold())
