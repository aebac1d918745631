"""A report as text: a table for the terminal, Markdown for papers, JSON for scripts.

Table and Markdown print the same sections through :func:`complaints_cli.render.listing.output_rows`
(the summary, the 12-month trend, then the case-by-case parts the issue asks to read in full:
compensation, learning, the Ombudsman); the per-case lists of every figure are in the JSON and
the workbook. The JSON is one object whose shape is documented in the README ("Reports").
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from typing import IO, Any

from complaints_cli.domain.dates import format_uk
from complaints_cli.domain.presentation import json_default, money
from complaints_cli.render.listing import output_rows
from complaints_cli.reports.figures import CaseLine, Report, share_text

#: Trend columns: key -> header. Shares read "9 of 10 (90.0%)", money in pounds.
TREND_HEADERS = {
    "label": "Month",
    "received": "Received",
    "escalated": "Escalated",
    "stage1_responses": "Stage 1 responses",
    "stage2_responses": "Stage 2 responses",
    "closed": "Closed",
    "open_at_end": "Open at month end",
    "ack_on_time": "Acknowledged on time",
    "stage1_on_time": "Stage 1 on time",
    "stage2_on_time": "Stage 2 on time",
    "compensation_total": "Compensation",
    "compliments": "Compliments",
}

#: Figures whose cases are printed in full in the table and Markdown output.
DETAILED = ("compensation", "learning", "ombudsman_referrals", "ombudsman_requests")

CASE_HEADERS = {
    "reference": "Reference",
    "received": "Received",
    "event": "What",
    "date": "Date",
    "deadline": "Deadline",
    "counted": "Counted",
    "result": "Result",
    "why": "Why",
    "amount": "Amount",
    "text": "Text",
    "log": "Log",
}


def trend_cell(key: str, value: Any) -> str:
    if value is None:
        return "n/a" if key == "compliments" else ""
    if isinstance(value, dict):
        return share_text(value["numerator"], value["denominator"])
    if key == "compensation_total":
        return money(value)
    return str(value)


def line_cell(_key: str, value: Any) -> str:
    """A case line's value as table text: dates dd/mm/yyyy, money in pounds, yes/no."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, date):
        return format_uk(value)
    if isinstance(value, Decimal):
        return money(value)
    return str(value)


def header_lines(report: Report) -> list[str]:
    p = report.period
    lines = [
        report.title,
        f"Period: {format_uk(p.start)} to {format_uk(p.end)}; open and overdue as at "
        f"{format_uk(report.as_of)}",
        f"Judged against: {report.profile_name} ({report.profile_label})",
        f"Generated: {report.generated_at:%d/%m/%Y %H:%M} UTC",
    ]
    return lines


def _case_columns(lines: list[CaseLine]) -> list[str]:
    """The case-line columns that hold something, so a list reads without empty columns."""
    rows = [c.fields() for c in lines]
    keep = [k for k in CASE_HEADERS if k in ("reference", "date") or any(r[k] for r in rows)]
    if all(r["counted"] for r in rows):
        keep = [k for k in keep if k != "counted"]
    return keep


def print_report(report: Report, fmt: str, out: IO[str] | None = None) -> None:
    """Print ``report`` as ``table``, ``markdown`` or ``json``."""
    stream = out or sys.stdout
    if fmt == "json":
        write_json(report_json(report), stream)
        return
    md = fmt == "markdown"
    head = header_lines(report)
    if md:
        stream.write(f"# {head[0]}\n\n" + "".join(f"- {h}\n" for h in head[1:]) + "\n")
    else:
        stream.write("\n".join(head) + "\n\n")
    for section, figures in report.sections():
        rows = [{"figure": f.label, "value": f.text, "note": f.note} for f in figures]
        columns = ["figure", "value"] + (["note"] if any(f.note for f in figures) else [])
        _section(
            stream,
            md,
            section,
            rows,
            columns,
            {"figure": "Figure", "value": "Value", "note": "Note"},
        )
    if report.trend:
        columns = [k for k in TREND_HEADERS if any(k in row for row in report.trend)]
        _section(
            stream, md, "12-month trend", report.trend, columns, TREND_HEADERS, text=trend_cell
        )
    for f in report.figures:
        if f.key in DETAILED and f.cases:
            rows = [c.fields() for c in f.cases]
            _section(
                stream, md, f.label, rows, _case_columns(f.cases), CASE_HEADERS, text=line_cell
            )
    if report.notes:
        if md:
            stream.write("## Notes\n\n" + "".join(f"- {n}\n" for n in report.notes))
        else:
            stream.write("Notes:\n" + "".join(f"- {n}\n" for n in report.notes))


def _section(
    stream: IO[str],
    md: bool,
    title: str,
    rows: list[dict[str, Any]],
    columns: list[str],
    headers: dict[str, str],
    *,
    text: Any = None,
) -> None:
    if md:
        stream.write(f"## {title}\n\n")
    output_rows(
        rows,
        columns,
        "markdown" if md else "table",
        headers=headers,
        text=text,
        title=None if md else title,
        out=stream,
    )
    stream.write("\n")


def write_json(data: dict[str, Any], stream: IO[str]) -> None:
    """One key a line, and one figure (or trend month) a line: readable, and written by json's
    C encoder (``indent`` falls back to the slow pure-Python one: 1.5 s for a 100k log). A list
    may be given as an iterator of objects: each is made and written in turn (a year's case
    lists are a few hundred thousand objects; they are never all held at once)."""

    def dumps(value: Any) -> str:
        return json.dumps(value, ensure_ascii=False, default=json_default)

    stream.write("{")
    for i, (key, value) in enumerate(data.items()):
        stream.write(",\n" if i else "\n")
        if isinstance(value, Iterator) or (value and isinstance(value, list)):
            stream.write(f"{dumps(key)}: [")
            n = 0
            for n, item in enumerate(value, start=1):
                stream.write(("," if n > 1 else "") + "\n  " + dumps(item))
            stream.write("\n]" if n else "]")
        else:
            stream.write(f"{dumps(key)}: {dumps(value)}")
    stream.write("\n}\n")


def report_json(report: Report) -> dict[str, Any]:
    """The stable JSON object of a report (README, "Reports"); ``figures`` is an iterator, for
    :func:`write_json`."""
    p = report.period
    return {
        "report": report.kind,
        "title": report.title,
        "period": {"key": p.key, "label": p.label, "from": p.start, "to": p.end},
        "as_of": report.as_of,
        "profile": {"name": report.profile_name, "label": report.profile_label},
        "generated_at": report.generated_at,
        "figures": (f.as_json() for f in report.figures),
        "trend": [
            {k: v for k, v in row.items() if k != "label"} | {"label": row.get("label")}
            for row in report.trend
        ],
        "notes": report.notes,
    }
