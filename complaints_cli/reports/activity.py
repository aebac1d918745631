"""Figures both reports count the same way: events in a period, refusals, withdrawals,
compensation awarded and paid, learning, answered cases left open, undated closures and the
Ombudsman's determinations. Each figure's note says what it counts (issue 13, item 5).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from decimal import Decimal

from complaints_cli.domain.deadlines import CaseDates
from complaints_cli.domain.periods import Period
from complaints_cli.domain.profiles import MilestoneRule, Profile
from complaints_cli.domain.workdays import Calendar
from complaints_cli.reports.cases import ReportCase, pounds
from complaints_cli.reports.figures import BY_DATE, CaseLine, Figure, by_day, event_line
from complaints_cli.reports.timeliness import uk
from complaints_cli.store import report_queries as log_queries
from complaints_cli.store.db import RawDatabase

_CASE_DATES = frozenset(CaseDates._fields)


def event_lines(
    cases: Iterable[ReportCase], attr: str, event: str, period: Period
) -> list[CaseLine]:
    """The cases whose ``attr`` date falls in ``period``, in date order. A date the deadline
    rules read (received, escalation_received, ...) is read as they read it: a refused
    escalation is no escalation."""
    out = []
    start, end = period.start, period.end
    if attr in _CASE_DATES:
        for c in cases:
            d = c.dates
            day = getattr(d, attr)
            if day is not None and start <= day <= end:
                out.append(event_line(c.reference, d.received, event, day))
    else:
        for c in cases:
            day = c.values[attr]
            if day is not None and start <= day <= end:
                out.append(event_line(c.reference, c.dates.received, event, day))
    out.sort(key=BY_DATE)
    return out


def reopened_lines(
    cases: Iterable[ReportCase], status: str, event: str, period: Period
) -> list[CaseLine]:
    """The past closures with ``status`` (``Closed``, ``Withdrawn``, ``Not accepted``) dated
    in ``period`` of the cases reopened since (:mod:`complaints_cli.domain.closures`): each
    counts in the period of its date, whatever the case's columns say now, with the line it
    had before the reopening (so a past period's report reads as it did)."""
    out = []
    for c in cases:
        if c.closures:
            for x in c.closures_in(status, period.start, period.end):
                if status == "Closed":
                    out.append(event_line(c.reference, c.dates.received, event, x.day))
                    continue
                why = f"told {uk(x.day)}" if status == "Not accepted" else ""
                text = (x.reason or "").strip() or None
                out.append(
                    CaseLine(c.reference, c.dates.received, event, x.day, why=why, text=text)
                )
    return out


def count(
    key: str, label: str, section: str, sheet: str, lines: list[CaseLine], note: str = ""
) -> Figure:
    counted = sum(1 for line in lines if line.counted)
    return Figure(key, label, section, "count", sheet, count=counted, note=note, cases=lines)


def closed(cases: Iterable[ReportCase], period: Period, section: str) -> Figure:
    """Cases closed in ``period``, each closure counted (the past ones of the cases reopened
    since too: :func:`reopened_lines`)."""
    cases = list(cases)
    lines = event_lines(cases, "closed", "closed", period)
    lines += reopened_lines(cases, "Closed", "closed", period)
    lines.sort(key=BY_DATE)
    return count(
        "closed",
        "Cases closed",
        section,
        "Closed",
        lines,
        "Cases closed in the month, each closure counted: a case closed, reopened and closed "
        "again counts in the month of each closure (twice in one month), and a closure stays "
        "counted in its month after the case is reopened. A case closed with no date is never "
        "counted here: see 'Marked closed with no closed date'.",
    )


def withdrawn(cases: Iterable[ReportCase], period: Period, section: str) -> Figure:
    lines = []
    for c in cases:
        day = c.withdrawn
        if day is not None and day in period:
            reason = (c.values["withdrawn_reason"] or "").strip()
            lines.append(
                CaseLine(c.reference, c.dates.received, "withdrawn", day, text=reason or None)
            )
    lines += reopened_lines(cases, "Withdrawn", "withdrawn", period)
    lines.sort(key=by_day)
    return count(
        "withdrawn",
        "Complaints withdrawn",
        section,
        "Withdrawn",
        lines,
        "Complaints the resident withdrew in the period (counted as received; never as "
        "responded to: their steps not yet done are not judged). A withdrawal the resident "
        "took back later (complaints reopen) still counts in the period it was made.",
    )


def not_accepted(
    cases: Iterable[ReportCase],
    period: Period,
    section: str,
    reopened: Iterable[ReportCase] = (),
) -> Figure:
    """Complaints not accepted under the policy's exclusions (``cases``), dated when the
    resident was told (else when received): counted out of every other figure, with the
    reason; and the decisions of the period reversed since (``reopened``: the counted cases
    with a past closure), as the figure counted them before."""
    cases = list(cases)
    lines = reopened_lines((*cases, *reopened), "Not accepted", "not accepted", period)
    for c in cases:
        told = c.values["not_accepted_told"]
        day = told or c.dates.received
        if day in period:
            reason = (c.values["not_accepted_reason"] or "").strip()
            why = f"told {uk(told)}" if told else "no date recorded for telling the resident"
            lines.append(
                CaseLine(
                    c.reference, c.dates.received, "not accepted", day, why=why, text=reason or None
                )
            )
    lines.sort(key=by_day)
    return count(
        "not_accepted",
        "Complaints not accepted",
        section,
        "Not accepted",
        lines,
        "Expressions of dissatisfaction not accepted as complaints under the policy's "
        "exclusions, dated when the resident was told (else when received), with the reason. "
        "Not counted as received, nor in CH01. A decision reversed later (complaints reopen) "
        "still counts in the period it was made; the case then counts as a complaint received "
        "on the day it was received.",
    )


def escalations_refused(cases: Iterable[ReportCase], period: Period, section: str) -> Figure:
    lines = []
    for c in cases:
        day = c.escalation_refused
        if day is not None and day in period:
            told = c.values["stage2_refusal_told"]
            reason = (c.values["stage2_refused_reason"] or "").strip()
            why = f"told {uk(told)}" if told else "no date recorded for telling the resident"
            lines.append(
                CaseLine(
                    c.reference,
                    c.dates.received,
                    "Stage 2 request refused",
                    day,
                    why=why,
                    text=reason or None,
                )
            )
    lines.sort(key=by_day)
    return count(
        "stage2_refused",
        "Stage 2 escalations refused",
        section,
        "Stage 2 refused",
        lines,
        "Requests to escalate to Stage 2 refused, dated by the request (as complaints "
        "refuse-escalation records it), with the reason (2024 Code 6.10, 2022 Code 5.9: the "
        "reasons and the right to go to the Ombudsman in writing). Not counted as escalated, "
        "nor in CH01 Stage 2 (a later escalation of the same case is).",
    )


_STAGES = (
    (
        "Stage 1",
        "stage1_responded",
        "compensation_pence",
        "compensation_reasons",
        "compensation_paid",
    ),
    (
        "Stage 2",
        "stage2_responded",
        "stage2_compensation_pence",
        "stage2_compensation_reasons",
        "stage2_compensation_paid",
    ),
)


def compensation_awarded(cases: Iterable[ReportCase], period: Period, section: str) -> Figure:
    """Awards (more than £0) made by the responses sent in ``period``, with their reasons; each
    line says whether a payment date is recorded."""
    lines = []
    first, last = period.start, period.end
    for c in cases:
        for stage, day_attr, pence, reasons, paid_attr in _STAGES:
            day = getattr(c.dates, day_attr)
            if day is None or not first <= day <= last:
                continue
            amount = pounds(c.values[pence])
            if not amount:
                continue
            paid = c.values[paid_attr]
            lines.append(
                CaseLine(
                    c.reference,
                    c.dates.received,
                    f"{stage} response",
                    day,
                    result=f"paid {uk(paid)}" if paid else "awarded",
                    why="" if paid else "no payment date recorded",
                    amount=amount,
                    text=(c.values[reasons] or "").strip() or None,
                )
            )
    lines.sort(key=by_day)
    total = sum((line.amount or Decimal(0) for line in lines), Decimal(0))
    tally = Counter(line.text or "(no reason recorded)" for line in lines)
    reasons = "; ".join(
        f"{t} ({n})" for t, n in sorted(tally.items(), key=lambda kv: (-kv[1], kv[0]))
    )
    unpaid = sum(1 for line in lines if line.result == "awarded")
    note = (
        "Compensation awarded (more than £0) by the Stage 1 and Stage 2 responses sent in the "
        f"period; {unpaid} with no payment date recorded."
    )
    if reasons:
        note += f" Reasons: {reasons}."
    return Figure(
        "compensation",
        "Compensation awarded",
        section,
        "money",
        "Compensation awarded",
        count=len(lines),
        amount=total,
        note=note,
        cases=lines,
        unit="award",
    )


def compensation_paid(cases: Iterable[ReportCase], period: Period, section: str) -> Figure:
    """Payments recorded in ``period`` (``compensation_paid``), whenever awarded."""
    lines = []
    first, last = period.start, period.end
    for c in cases:
        for stage, day_attr, pence, reasons, paid_attr in _STAGES:
            paid = c.values[paid_attr]
            if paid is None or not first <= paid <= last:
                continue
            amount = pounds(c.values[pence])
            if not amount:
                continue
            awarded = getattr(c.dates, day_attr)
            lines.append(
                CaseLine(
                    c.reference,
                    c.dates.received,
                    f"{stage} compensation paid",
                    paid,
                    why=f"awarded {uk(awarded)}" if awarded else "",
                    amount=amount,
                    text=(c.values[reasons] or "").strip() or None,
                )
            )
    lines.sort(key=by_day)
    total = sum((line.amount or Decimal(0) for line in lines), Decimal(0))
    return Figure(
        "compensation_paid",
        "Compensation paid",
        section,
        "money",
        "Compensation paid",
        count=len(lines),
        amount=total,
        note="Payments of compensation whose payment date (compensation paid) falls in the "
        "period, whenever awarded. An award with no payment date is not counted as paid.",
        cases=lines,
    )


def learning(db: RawDatabase, period: Period, section: str) -> Figure:
    lines = [
        CaseLine(e.reference, e.received, "learning recorded", e.recorded, why=e.how, text=e.text)
        for e in log_queries.learning_in(db, period)
    ]
    return count(
        "learning",
        "Organisational learning recorded",
        section,
        "Learning",
        lines,
        "Learning recorded in the period: a change made in the tool is dated by its history "
        "entry (UK time); learning that came with an import by the case's closed date, else "
        "its last response, else its receipt.",
    )


def closed_undated(cases: Iterable[ReportCase], section: str) -> Figure:
    """Cases marked closed (or withdrawn) with no date: each is taken as finished on the last
    date it records (open until then, never closed in a month), and listed with its fix
    (README, "How the reports count")."""
    lines = []
    for c in cases:
        if c.undated_end and c.end is not None:
            why = (
                f"counted as finished on its last recorded date, {uk(c.end)}; fix: complaints "
                f"correct {c.reference} --closed DATE --reason TEXT"
            )
            lines.append(
                CaseLine(c.reference, c.dates.received, f"status {c.status}", None, why=why)
            )
    return count(
        "closed_undated",
        "Marked closed with no closed date",
        section,
        "Closed undated",
        lines,
        "Cases whose status is Closed (or Withdrawn) with no date recorded, usually from an "
        "imported log with no closed-date column: each counts as open until the last date it "
        "records (its last response, escalation or Ombudsman step) and finished from then, but "
        "never as closed in a month, so the closed counts run low. Record the date with "
        "complaints correct REF --closed DATE --reason TEXT.",
    )


def _closing_window(profile: Profile, anchor: str) -> MilestoneRule | None:
    """The profile's window to close a case answered on ``anchor`` (a while-open window
    counted from that response), if it has one."""
    for rule in profile.milestones:
        if rule.kind == "window" and rule.while_open and rule.start == (anchor,):
            return rule
    return None


def stale(
    open_cases: Iterable[ReportCase],
    day: date,
    profile: Profile,
    calendar: Calendar,
    open_actions: set[int],
    section: str,
) -> Figure:
    """Answered cases still open at the end of ``day`` (``open_cases``: those open then): the
    final (Stage 2) response sent, or the Stage 1 response sent and the profile's window to
    escalate over, with no action outstanding and nothing with the Ombudsman. The profile's own
    closing window counts where it has one (Southern Housing 4.7.6: on the Stage 2 response;
    Spruce: 20 working days after the Stage 1 response); Stage 2 is the final response (Code
    6.10), so without one the case is due to be closed once answered."""
    after = {
        "stage1": _closing_window(profile, "stage1_responded"),
        "stage2": _closing_window(profile, "stage2_responded"),
    }
    lines = []
    for c in open_cases:
        if c.values["id"] in open_actions:
            continue
        d = c.dates
        if d.stage2_responded is not None and d.stage2_responded <= day:
            answered, stage, rule = d.stage2_responded, "Stage 2 (final) response", after["stage2"]
        elif (
            d.stage1_responded is not None
            and d.stage1_responded <= day
            and (d.escalation_received is None or d.escalation_received > day)
        ):
            answered, stage, rule = d.stage1_responded, "Stage 1 response", after["stage1"]
            if rule is None:
                continue  # no window to escalate in: the resident may still escalate
        else:
            continue
        if c.stage_at(day) == "Ombudsman":
            continue
        end = None
        if rule is not None:
            if any((e := d.event(u)) is not None and e <= day for u in rule.unless):
                continue
            if rule.weeks is not None:
                end = answered + timedelta(weeks=rule.weeks)
            else:
                end = calendar.add_working_days(answered, rule.working_days or 0)
            if day <= end:
                continue  # the window is not over
        why = f"{stage} {uk(answered)}; no action outstanding"
        why += (
            f"; {rule.label.lower()}: {rule.limit_text} after it, ended {uk(end)}"
            if rule is not None and end is not None
            else "; the final response: close it"
        )
        lines.append(
            CaseLine(
                c.reference, c.dates.received, stage, answered, end, result="still open", why=why
            )
        )
    lines.sort(key=by_day)
    return count(
        "stale",
        "Answered but still open",
        section,
        "Answered still open",
        lines,
        f"Cases open at {day:%d/%m/%Y} whose answer has been given, with no action outstanding "
        "and nothing with the Ombudsman: the Stage 2 (final) response sent, or the Stage 1 "
        f"response sent and the {profile.name} profile's window to escalate over. They count "
        "as open until closed: close them with complaints close REF.",
    )


def determinations(
    cases: Iterable[ReportCase], orders: list[log_queries.OrderEntry], period: Period, section: str
) -> Figure:
    """The Ombudsman's determinations made in ``period``, each with its findings and orders."""
    by_case: dict[str, list[str]] = {}
    for o in orders:
        state = f"done {uk(o.done)}" if o.done else f"due {uk(o.due)}"
        by_case.setdefault(o.reference, []).append(f"{o.kind}: {o.text} ({state})")
    lines = []
    for c in cases:
        day = c.values["ombudsman_determined"]
        if day is None or day not in period:
            continue
        findings = (c.values["ombudsman_findings"] or "").strip()
        made = by_case.get(c.reference, [])
        lines.append(
            CaseLine(
                c.reference,
                c.dates.received,
                "Ombudsman determination",
                day,
                why="; ".join(made) if made else "no orders or recommendations recorded",
                text=findings or None,
            )
        )
    lines.sort(key=by_day)
    return count(
        "ombudsman_determinations",
        "Ombudsman determinations",
        section,
        "Determinations",
        lines,
        "The Ombudsman's determinations recorded in the period (complaints determination), "
        "with the findings and each order or recommendation and whether it is done.",
    )


#: How a case marked closed with no closed date is put right (both reports' notes say it).
CLOSED_DATE_FIX = "complaints correct REF --closed DATE --reason TEXT"


def undated_closures_note(figures: Sequence[Figure], detail: str) -> str | None:
    """The note on the cases marked closed with no closed date (figure ``closed_undated``),
    ``None`` when there are none; ``detail`` says what they do to this report's counts."""
    undated = next(f for f in figures if f.key == "closed_undated")
    if not undated.count:
        return None
    return (
        f"{undated.count} case(s) are marked closed with no closed date{detail}. Put each date "
        f"right with {CLOSED_DATE_FIX}"
    )
