"""A report as text: a table for the terminal, Markdown for papers, JSON for scripts.

Table and Markdown print the same sections through :func:`complaints_cli.render.listing.output_rows`
(the summary, with last month, the 12-month average, the target and the RAG for the EMT report;
the outcomes, categories and refusals; the 12-month trend; the case-by-case parts the issue asks
to read in full: compensation, learning, the Ombudsman; then how each figure is counted and the
notes); the per-case lists of every figure are in the JSON and the workbook. The JSON is one
object whose shape is documented in the README ("Reports").
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
from complaints_cli.reports.figures import CaseLine, Figure, Report, iso, share_text

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
    "stage1_within_timeframe": "Stage 1 within timeframe",
    "stage2_ack_on_time": "Stage 2 acknowledged on time",
    "stage2_within_timeframe": "Stage 2 within timeframe",
    "withdrawn": "Withdrawn",
    "not_accepted": "Not accepted",
    "stage2_refused": "Stage 2 refused",
    "compensation_total": "Compensation awarded",
    "compliments": "Compliments",
}

#: Figures whose cases are printed in full in the table and Markdown output (the annual
#: report's: only :data:`DETAILED_ANNUAL`, a year's compensation and learning run long).
DETAILED = (
    "compensation",
    "compensation_paid",
    "learning",
    "ombudsman_referrals",
    "ombudsman_requests",
    "ombudsman_determinations",
    "not_accepted",
    "stage2_refused",
)

DETAILED_ANNUAL = ("ombudsman_determinations", "not_accepted", "stage2_refused")
#: At most this many references are printed for a "not recorded" row (all are in the JSON).
SHOWN_REFERENCES = 30

#: The EMT summary's columns: key -> header.
COMPARE_HEADERS = {
    "figure": "Figure",
    "this_month": "This month",
    "last_month": "Last month",
    "average": "12-month average",
    "target": "Target",
    "rag": "RAG",
}

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
        if report.comparisons:
            rows = [{"figure": f.label} | report.comparisons[f.key] for f in figures]
            columns = [
                k
                for k in COMPARE_HEADERS
                if k in ("figure", "this_month") or any(r.get(k) for r in rows)
            ]
            _section(stream, md, section, rows, columns, COMPARE_HEADERS)
            continue
        rows = [{"figure": f.label, "value": f.text} for f in figures]
        _section(
            stream, md, section, rows, ["figure", "value"], {"figure": "Figure", "value": "Value"}
        )
    for b in report.breakdowns:
        headers = {"label": b.label[:1].upper() + b.label[1:]} | {
            f"c{i}": col for i, col in enumerate(b.columns)
        }
        headers["total"] = "Total"
        rows = [
            {"label": r.label, **{f"c{i}": n for i, n in enumerate(r.counts)}, "total": r.total}
            for r in b.rows
        ]
        totals = b.totals()
        rows.append(
            {"label": "Total", **{f"c{i}": n for i, n in enumerate(totals)}, "total": sum(totals)}
        )
        _section(stream, md, b.label, rows, list(headers), headers)
        missing = [r for r in b.rows if r.key == "not_recorded" and r.total]
        for r in missing:
            shown = ", ".join(r.first_references(SHOWN_REFERENCES))
            if r.total > SHOWN_REFERENCES:
                shown += f" and {r.total - SHOWN_REFERENCES} more (all in the JSON and workbook)"
            stream.write(f"{b.label}, not recorded: {shown}\n\n")
    if report.trend:
        columns = [k for k in TREND_HEADERS if any(k in row for row in report.trend)]
        _section(
            stream, md, "12-month trend", report.trend, columns, TREND_HEADERS, text=trend_cell
        )
    detailed = DETAILED if report.kind == "emt" else DETAILED_ANNUAL
    for f in report.figures:
        if f.key in detailed and f.cases:
            rows = [c.fields() for c in f.cases]
            _section(
                stream, md, f.label, rows, _case_columns(f.cases), CASE_HEADERS, text=line_cell
            )
    counted = [f"{f.label}: {f.note}" for f in report.figures if f.note]
    counted += [f"{b.label}: {b.note}" for b in report.breakdowns if b.note]
    for title, items in (("How each figure is counted", counted), ("Notes", report.notes)):
        if not items:
            continue
        if md:
            stream.write(f"## {title}\n\n" + "".join(f"- {n}\n" for n in items) + "\n")
        else:
            stream.write(f"{title}:\n" + "".join(f"- {n}\n" for n in items) + "\n")


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


class RawJSON(str):
    """JSON text already encoded: :func:`write_json` writes it as it is."""


_encode_text = json.encoder.encode_basestring  # what json.dumps(ensure_ascii=False) uses
_QUOTED_DAYS: dict[date, str] = {}


def _json_value(value: Any) -> str:
    """One value of a case line as ``json.dumps`` writes it."""
    if value is None:
        return "null"
    if type(value) is str:
        return _encode_text(value)
    if value is True:
        return "true"
    if value is False:
        return "false"
    return json.dumps(value, ensure_ascii=False, default=json_default)


def _json_day(day: date | None) -> str:
    if day is None:
        return "null"
    text = _QUOTED_DAYS.get(day)
    if text is None:
        text = _QUOTED_DAYS[day] = _encode_text(iso(day))  # type: ignore[arg-type]
    return text


def case_line_json(line: CaseLine) -> str:
    """``json.dumps(line.as_json(), ensure_ascii=False)``, byte for byte, made directly from
    the line: the annual JSON holds ~104,000 case lines at 100,000 cases, and with a
    dictionary made for each and handed to the encoder, writing it took 1.06 s of CPU; 0.32 s
    this way (``time.process_time``, the 2025/26 report of the generated 100k log, 2026-11-30).
    ``tests/reports/test_report_json.py`` checks it against ``json.dumps`` on lines of every
    kind of value."""
    reference, received, event, on, deadline, counted, result, why, amount, text, log = line
    v = _json_value
    return (
        f'{{"reference": {v(reference)}, "received": {_json_day(received)}, '
        f'"event": {v(event)}, "date": {_json_day(on)}, "deadline": {_json_day(deadline)}, '
        f'"counted": {v(counted)}, "result": {v(result)}, "why": {v(why)}, '
        f'"amount": {"null" if amount is None else _encode_text(f"{amount:.2f}")}, '
        f'"text": {v(text)}, "log": {v(log)}}}'
    )


def figure_json(figure: Figure) -> RawJSON:
    """``json.dumps(figure.as_json(), ensure_ascii=False, default=json_default)``, byte for
    byte, with its case lines written by :func:`case_line_json`."""
    head = json.dumps(figure.head_json(), ensure_ascii=False, default=json_default)
    cases = ", ".join([case_line_json(c) for c in figure.cases])
    return RawJSON(f'{head[:-1]}, "cases": [{cases}]}}')


def write_json(data: dict[str, Any], stream: IO[str]) -> None:
    """One key a line, and one figure (or trend month) a line: readable, and written by json's
    C encoder (``indent`` falls back to the slow pure-Python one: 1.5 s for a 100k log). A list
    may be given as an iterator of objects: each is made and written in turn (a year's case
    lists are a few hundred thousand objects; they are never all held at once)."""

    def dumps(value: Any) -> str:
        if isinstance(value, RawJSON):
            return value
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
    """The stable JSON object of a report (README, "Reports"); ``figures`` is an iterator of
    each figure's JSON text (:func:`figure_json`), for :func:`write_json`."""
    p = report.period
    return {
        "report": report.kind,
        "title": report.title,
        "period": {"key": p.key, "label": p.label, "from": p.start, "to": p.end},
        "as_of": report.as_of,
        "profile": {"name": report.profile_name, "label": report.profile_label},
        "generated_at": report.generated_at,
        "figures": (figure_json(f) for f in report.figures),
        "trend": [
            {k: v for k, v in row.items() if k != "label"} | {"label": row.get("label")}
            for row in report.trend
        ],
        "notes": report.notes,
        "breakdowns": [b.as_json() for b in report.breakdowns],
        "codes": report.codes,
        "comparisons": report.comparisons,
    }
