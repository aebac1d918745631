"""What ``show`` and ``list`` print: a case as the log's columns, the log as a table.

Kept apart from :mod:`complaints_cli.cli.app` so the CLI stays a thin parser, and apart from the
core so the core never prints.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from complaints_cli.domain.case import CASE_FIELDS, VULNERABILITY_FIELDS, Action, Case
from complaints_cli.domain.dates import days_left_text, format_uk
from complaints_cli.domain.presentation import (
    describe_changes,
    field_label,
    json_default,
    json_value,
    log_cells,
)
from complaints_cli.render.listing import emphasis, key_values, output_rows, plain_table

LIST_COLUMNS = ("reference", "status", "stage", "handler", "complainant", "address", "received")
LIST_HEADERS = {
    "reference": "Reference",
    "status": "Status",
    "stage": "Stage",
    "handler": "Handler",
    "complainant": "Complainant",
    "address": "Address",
    "received": "Received",
}


def case_json(case: Case) -> dict[str, Any]:
    """The stable JSON object for a case (see the README's "JSON output").

    Dates and money stay Python objects here; dump with ``default=json_default``.
    """
    out = {f: getattr(case, f) for f in CASE_FIELDS}
    out["extra"] = dict(case.extra)
    return out


def _text(_column: str, value: Any) -> str:
    if value is None:
        return ""
    if hasattr(value, "strftime"):
        return format_uk(value)
    return str(value)


def list_cases(cases: Sequence[Case], fmt: str) -> None:
    if fmt == "json":
        # One case per line: readable, and json's C encoder (indent=None) is ~10x faster.
        write = sys.stdout.write
        write("[")
        for i, case in enumerate(cases):
            write(",\n" if i else "\n")
            write(json.dumps(case_json(case), ensure_ascii=False, default=json_default))
        write("\n]\n" if cases else "]\n")
        return
    output_rows(
        [{c: getattr(case, c) for c in LIST_COLUMNS} for case in cases],
        LIST_COLUMNS,
        fmt,
        headers=LIST_HEADERS,
        text=_text,
        empty="No complaints match.",
        no_wrap=("reference", "status", "stage", "received"),
        title=f"{len(cases)} complaint{'s' if len(cases) != 1 else ''}",
    )


def show_case(
    case: Case,
    history: Sequence[dict[str, Any]],
    actions: Sequence[Action],
    milestones: Sequence[Any],
    root: Path,
    fmt: str,
    process: dict[str, Any] | None = None,
) -> None:
    """``process``: the case's signatories and related cases (see :func:`reader.related`)."""
    process = process or {}
    folder = str(root / case.folder) if case.folder else None
    if fmt == "json":
        data = case_json(case)
        data["related_to"] = process.get("related_to")
        data["related_cases"] = process.get("related_cases", [])
        data["vulnerability"] = {f: getattr(case, f) for f in VULNERABILITY_FIELDS}
        data["signatories"] = [
            {k: json_value(v) for k, v in s._asdict().items()}
            for s in process.get("signatories", [])
        ]
        data["folder_path"] = folder
        # What ``--expect-version`` takes: a change is refused if the case has moved on.
        data["version"] = case.row_version
        data["actions"] = [{k: json_value(v) for k, v in a._asdict().items()} for a in actions]
        data["deadlines"] = [
            {
                "key": m.key,
                "milestone": m.label,
                "due": m.due.isoformat(),
                "deadline": m.deadline.isoformat(),
                "done": json_value(m.done),
                "state": str(m.state),
                "working_days_left": m.working_days_left,
            }
            for m in milestones
        ]
        data["history"] = [
            {
                "at": json_value(h["at"]),
                "actor": h["actor"],
                "command": h["command"],
                "changes": h["changes"],
                "note": h["note"],
            }
            for h in history
        ]
        sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False, default=json_default))
        sys.stdout.write("\n")
        return
    _show_text(case, history, actions, milestones, folder, process)


def _show_text(
    case: Case,
    history: Sequence[dict[str, Any]],
    actions: Sequence[Action],
    milestones: Sequence[Any],
    folder: str | None,
    process: dict[str, Any],
) -> None:
    """``show`` as text: every column as "label  value", then deadlines, actions, history.

    Plain text fitted to the terminal (:mod:`complaints_cli.render.listing`): every stored
    value goes through :func:`~complaints_cli.domain.text.terminal_safe`, so a name holding an
    escape sequence can never drive the terminal.
    """
    out = sys.stdout
    write = out.write
    write(emphasis(f"{case.reference}: {case.status}, {case.stage}", out) + "\n")
    pairs = [
        *log_cells(case),
        ("Channel", case.channel or ""),
        ("Stage 2 acknowledged", format_uk(case.stage2_acknowledged)),
        ("Ombudsman", _ombudsman(case)),
        ("Date closed", format_uk(case.closed)),
        ("Folder", folder or "(none)"),
        ("Logged", _stamp(case.created_at)),
        ("Last changed", f"{_stamp(case.updated_at)} (version {case.row_version})"),
        ("Legal hold", _hold(case)),
        *process_rows(case, process),
        *((f"{key} (imported)", str(kept)) for key, kept in case.extra.items()),
    ]
    for line in key_values(pairs, stream=out):
        write(line + "\n")
    if milestones:
        write("\n" + emphasis("Deadlines", out) + "\n")
        rows, styles = [], []
        for m in milestones:
            due = format_uk(m.deadline) + (
                f" (extended from {format_uk(m.due)})" if m.deadline != m.due else ""
            )
            state = str(m.state)
            if m.done is None and m.working_days_left is not None:
                state += ", " + days_left_text(m.working_days_left, m.state)
            rows.append([m.label, due, format_uk(m.done), state])
            styles.append("red" if str(m.state) == "missed" else None)
        for line in plain_table(["Milestone", "Due", "Done", "State"], rows, styles, stream=out):
            write(line + "\n")
    if actions:
        write("\n" + emphasis("Actions", out) + "\n")
        rows = [
            [
                str(a.number),
                a.text if a.kind == "action" else f"{a.kind.capitalize()}: {a.text}",
                a.owner,
                format_uk(a.due),
                format_uk(a.done) or "outstanding",
            ]
            for a in actions
        ]
        for line in plain_table(["#", "Action", "Owner", "Due", "Done"], rows, stream=out):
            write(line + "\n")
    if history:
        write("\n" + emphasis("History", out) + "\n")
        rows = []
        for h in history:
            changes = describe_changes(h["changes"])
            if h.get("note"):
                changes = f"{changes}; note: {h['note']}" if changes else f"note: {h['note']}"
            rows.append([_stamp(h["at"]), str(h["actor"]), str(h["command"]), changes])
        header = ["When (UTC)", "Who", "Command", "Changes"]
        for line in plain_table(header, rows, no_wrap=[True, False, True, False], stream=out):
            write(line + "\n")


def process_rows(case: Case, process: dict[str, Any]) -> list[tuple[str, str]]:
    """``show``'s lines for the process beyond the 24 columns; only those that apply."""
    rows: list[tuple[str, str]] = []
    if case.kind != "complaint" or case.converted_from_informal:
        text = str(case.kind)
        if case.informal_received:
            text += f"; raised informally {format_uk(case.informal_received)}"
        if case.informal_responded:
            text += f", answered {format_uk(case.informal_responded)}"
        if case.converted_from_informal:
            text += f"; converted to Stage 1 {format_uk(case.converted_from_informal)}"
        rows.append(("Kind", text))
    if case.not_accepted_reason:
        told = case.not_accepted_told
        rows.append(
            (
                "Not accepted",
                f"{case.not_accepted_reason}; "
                + (
                    f"told of the right to go to the Ombudsman {format_uk(told)}"
                    if told
                    else "resident not yet told of the right to go to the Ombudsman"
                ),
            )
        )
    if case.events_date:
        rows.append(("Events complained of", format_uk(case.events_date)))
    rows += classification_rows(case)
    if process.get("related_to"):
        rows.append(("Raised from", str(process["related_to"])))
    if process.get("related_cases"):
        rows.append(("New complaints raised from it", ", ".join(process["related_cases"])))
    if case.folded_issues:
        rows.append(("Further issues", str(case.folded_issues)))
    if case.panel_meeting:
        rows.append(("Panel meeting", format_uk(case.panel_meeting)))
    if case.ombudsman_determined:
        rows.append(
            (
                "Ombudsman determination",
                format_uk(case.ombudsman_determined) + f": {case.ombudsman_findings or ''}",
            )
        )
    vulnerable = case.vulnerable
    if vulnerable is not None or any(getattr(case, f) for f in VULNERABILITY_FIELDS[1:]):
        rows.append(("Vulnerable", "" if vulnerable is None else ("yes" if vulnerable else "no")))
        for label, name in (
            ("Preferred contact", "contact_preference"),
            ("Reasonable adjustments", "adjustments"),
            ("Vulnerability notes", "vulnerability_notes"),
        ):
            if getattr(case, name):
                rows.append((label, str(getattr(case, name))))
    signatories = process.get("signatories") or []
    if signatories:
        lead = next((s.name for s in signatories if s.lead), None)
        rows.append(
            (
                "Signatories",
                f"{len(signatories)}"
                + (f", lead petitioner {lead}" if lead else "")
                + f" (complaints signatory list {case.reference})",
            )
        )
    return rows


def classification_rows(case: Case) -> list[tuple[str, str]]:
    """Category, tenure, each stage's outcome, payments, a withdrawal, a void, a refused
    escalation: the lines that apply, in the log's words."""
    rows: list[tuple[str, str]] = []
    for field in ("category", "tenure", "stage1_outcome", "stage2_outcome"):
        if getattr(case, field) is not None:
            rows.append((field_label(field), str(getattr(case, field))))
    if case.stage2_compensation_amount is not None:  # column 15 holds Stage 1's only
        reasons = case.stage2_compensation_reasons
        rows.append(
            (
                "Stage 2 compensation",
                f"£{case.stage2_compensation_amount:,.2f}" + (f" ({reasons})" if reasons else ""),
            )
        )
    for field in ("compensation_paid", "stage2_compensation_paid"):
        if getattr(case, field) is not None:
            rows.append((field_label(field), format_uk(getattr(case, field))))
    if case.withdrawn:
        rows.append(("Withdrawn", f"{format_uk(case.withdrawn)}: {case.withdrawn_reason or ''}"))
    if case.voided:
        rows.append(("Void", f"{format_uk(case.voided)}: {case.void_reason or ''}"))
    if case.stage2_refused:
        told = case.stage2_refusal_told
        rows.append(
            (
                "Stage 2 refused",
                f"requested {format_uk(case.stage2_refused)}: {case.stage2_refused_reason or ''}; "
                + (f"resident told {format_uk(told)}" if told else "resident not yet told"),
            )
        )
    return rows


def _hold(case: Case) -> str:
    if not case.legal_hold:
        return "no"
    return f"yes: {case.legal_hold_reason or 'no reason given'} (never purged while held)"


def _ombudsman(case: Case) -> str:
    parts = []
    if case.ombudsman_referred:
        body = case.ombudsman_body or "HOS"
        parts.append(f"referred to {body} {format_uk(case.ombudsman_referred)}")
    if case.ombudsman_requested:
        parts.append(f"evidence requested {format_uk(case.ombudsman_requested)}")
    if case.ombudsman_evidence_sent:
        parts.append(f"evidence sent {format_uk(case.ombudsman_evidence_sent)}")
    return "; ".join(parts)


def _stamp(value: Any) -> str:
    return value.strftime("%d/%m/%Y %H:%M") if value else ""


def _short(value: Any, limit: int = 60) -> str:
    text = "(blank)" if value in (None, "") else str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"
