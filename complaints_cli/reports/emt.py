"""The monthly EMT performance report (DOMAIN.md, "Reports"), built from the log.

What each figure counts, for a calendar month M (its cases are listed with each figure):

* *received*: complaints received (Stage 1) in M; *escalated*: Stage 2 requests received in M;
  *Stage 1/Stage 2 responses*: responses sent in M; *closed*: cases closed in M.
* *open at the month end*, by the stage each case was at that day (from its dates: the
  Ombudsman once referred or asked for evidence, Stage 2 once escalated). A case marked closed
  without a closed date is treated as closed throughout.
* *timeliness*, judged against the team's own profile (``complaints config``), in the month the
  step was done (see :mod:`.timeliness`): acknowledgements sent in M on time; Stage 1 and
  Stage 2 responses sent in M within the timeframe, extended ones within the extension, and on
  time either way; Stage 2 acknowledgements.
* *extended*: responses whose original deadline fell in M and that carry an extension (an
  extension is decided before the deadline, Code 6.4, so this counts the month's extensions
  without needing the day each was granted).
* *overdue at the month end*: cases open that day with a deadline passed and not met by then,
  worked out from the dates as they stood at the month end (later dates ignored).
* *compensation paid*: awards (more than £0) made by the Stage 1 or Stage 2 responses sent in
  M - the log records the award with the response, not a payment date.
* *learning recorded*: see :func:`.log_queries.learning_in` for how learning is dated.
* *Ombudsman*: referrals in M, evidence requests in M (with their deadline and whether the
  evidence went in time), evidence sent in M.
* *compliments* received in M, when the log has the compliments table (schema 0004).

The 12-month trend repeats the headline counts with aggregate SQL over the log (see
:mod:`.log_queries`) and the on-time shares from the cases of those months.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal

from complaints_cli.domain.periods import Period, months_back
from complaints_cli.domain.profiles import Profile
from complaints_cli.domain.workdays import Calendar
from complaints_cli.errors import ComplaintsError
from complaints_cli.reports import timeliness
from complaints_cli.reports.cases import ReportCase, load_cases, overdue_at, pounds, role_rule
from complaints_cli.reports.figures import CaseLine, Figure, Report, percent
from complaints_cli.reports.timeliness import (
    Judged,
    judge,
    met,
    share,
    uk,
    within_extension,
    within_timeframe,
)
from complaints_cli.store import report_queries as log_queries
from complaints_cli.store.db import RawDatabase

TREND_MONTHS = 12
ACTIVITY = "Activity in the month"
OPEN = "Open at the month end"
TIMELINESS = "Timeliness"
MONEY = "Compensation"
LEARNING = "Learning, the Ombudsman and compliments"

#: Trend share -> the judged role and how "on time" is decided.
TREND_SHARES = {"ack_on_time": "ack", "stage1_on_time": "stage1", "stage2_on_time": "stage2"}


def _event_lines(
    cases: Iterable[ReportCase], attr: str, event: str, period: Period
) -> list[CaseLine]:
    out = []
    for c in cases:
        day = c.values[attr]
        if day is not None and day in period:
            out.append(CaseLine(c.reference, c.dates.received, event, day))
    out.sort(key=lambda line: (line.on, line.reference))
    return out


def _count(key: str, label: str, section: str, sheet: str, lines: list[CaseLine]) -> Figure:
    return Figure(key, label, section, "count", sheet, count=len(lines), cases=lines)


def _limit(profile: Profile, role: str) -> str:
    """``3 working days`` for the role's milestone in this profile (for labels)."""
    rule = role_rule(profile, role)
    return "no timeframe in this profile" if rule is None else str(rule.limit_text)


def by_month(judged: list[Judged], months: list[Period]) -> list[list[Judged]]:
    """``judged`` split by the month each step was done in (one list per month of ``months``)."""
    index = {(m.start.year, m.start.month): i for i, m in enumerate(months)}
    out: list[list[Judged]] = [[] for _ in months]
    for j in judged:
        done = j.m.done
        i = index.get((done.year, done.month)) if done is not None else None
        if i is not None:
            out[i].append(j)
    return out


def timeliness_figures(
    judged: dict[str, list[Judged]], unjudged: dict[str, list[CaseLine]], profile: Profile
) -> list[Figure]:
    """The month's on-time shares at each stage (``judged``: steps done in the month)."""
    out: list[Figure] = []
    ack = judged["ack"]
    out.append(
        share(
            "ack_on_time",
            f"Acknowledged within the timeframe ({_limit(profile, 'ack')})",
            TIMELINESS,
            "Acknowledged on time",
            ack,
            met,
            extra=unjudged["ack"],
        )
    )
    for stage, name in (("stage1", "Stage 1"), ("stage2", "Stage 2")):
        items = judged[stage]
        limit = _limit(profile, stage)
        if stage == "stage2":
            acks = judged["stage2_ack"]
            out.append(
                share(
                    "stage2_ack_on_time",
                    f"Stage 2 acknowledged within the timeframe ({_limit(profile, 'stage2_ack')})",
                    TIMELINESS,
                    "S2 acknowledged on time",
                    acks,
                    met,
                    extra=unjudged["stage2_ack"],
                )
            )
        out += [
            share(
                f"{stage}_within_timeframe",
                f"{name} responses within the timeframe ({limit})",
                TIMELINESS,
                f"{name} within timeframe",
                items,
                within_timeframe,
                extra=unjudged[stage],
            ),
            share(
                f"{stage}_within_extension",
                f"Extended {name} responses within the extension",
                TIMELINESS,
                f"{name} within extension",
                [j for j in items if j.extended],
                within_extension,
            ),
            share(
                f"{stage}_on_time",
                f"{name} responses on time (within the timeframe or an extension)",
                TIMELINESS,
                f"{name} on time",
                items,
                met,
                extra=unjudged[stage],
            ),
        ]
    return out


def _extended(
    cases: list[ReportCase], profile: Profile, calendar: Calendar, month: Period
) -> Figure:
    lines = []
    for c in cases:
        roles = c.milestones(profile, calendar)
        for role, name in (("stage1", "Stage 1"), ("stage2", "Stage 2")):
            m = roles.get(role)
            if m is None or m.extended_to is None or m.due not in month:
                continue
            lines.append(
                CaseLine(
                    c.reference,
                    c.dates.received,
                    f"{name} extension",
                    m.due,
                    m.deadline,
                    why=f"original deadline {uk(m.due)}, extended to {uk(m.extended_to)}",
                )
            )
    lines.sort(key=lambda line: (line.on or date.min, line.reference))
    return _count(
        "extended",
        "Responses extended (original deadline in the month)",
        TIMELINESS,
        "Extended",
        lines,
    )


def _overdue(cases: list[ReportCase], profile: Profile, calendar: Calendar, day: date) -> Figure:
    lines = []
    for c in cases:
        if not c.open_at(day):
            continue
        missed = overdue_at(c, day, profile, calendar)
        if not missed:
            continue
        first = min(missed, key=lambda m: m.deadline)
        why = "; ".join(
            f"{m.label} due {uk(m.deadline)}, {-(m.working_days_left or 0)} working day(s) overdue"
            for m in missed
        )
        lines.append(
            CaseLine(
                c.reference,
                c.dates.received,
                ", ".join(m.label for m in missed),
                None,
                first.deadline,
                result="overdue",
                why=why,
            )
        )
    lines.sort(key=lambda line: (line.deadline or date.min, line.reference))
    return _count("overdue", f"Cases overdue at {day:%d/%m/%Y}", TIMELINESS, "Overdue", lines)


def compensation_figure(cases: Iterable[ReportCase], month: Period, section: str) -> Figure:
    """Awards of more than £0 made by the responses sent in ``month``, with their reasons."""
    lines = []
    for c in cases:
        for stage, day_attr, pence, reasons in (
            ("Stage 1", "stage1_responded", "compensation_pence", "compensation_reasons"),
            (
                "Stage 2",
                "stage2_responded",
                "stage2_compensation_pence",
                "stage2_compensation_reasons",
            ),
        ):
            day = getattr(c.dates, day_attr)
            amount = pounds(c.values[pence])
            if day is None or day not in month or not amount:
                continue
            lines.append(
                CaseLine(
                    c.reference,
                    c.dates.received,
                    f"{stage} response",
                    day,
                    amount=amount,
                    text=(c.values[reasons] or "").strip() or None,
                )
            )
    lines.sort(key=lambda line: (line.on or date.min, line.reference))
    total = sum((line.amount or Decimal(0) for line in lines), Decimal(0))
    tally = Counter(line.text or "(no reason recorded)" for line in lines)
    note = "; ".join(
        f"{text} ({n})" for text, n in sorted(tally.items(), key=lambda kv: (-kv[1], kv[0]))
    )
    return Figure(
        "compensation",
        "Compensation paid",
        section,
        "money",
        "Compensation",
        count=len(lines),
        amount=total,
        note=note,
        cases=lines,
    )


def _learning(db: RawDatabase, month: Period) -> Figure:
    lines = [
        CaseLine(e.reference, e.received, "learning recorded", e.recorded, why=e.how, text=e.text)
        for e in log_queries.learning_in(db, month)
    ]
    return _count("learning", "Organisational learning recorded", LEARNING, "Learning", lines)


def _ombudsman(
    cases: list[ReportCase], profile: Profile, calendar: Calendar, month: Period, as_of: date
) -> list[Figure]:
    referred = _event_lines(cases, "ombudsman_referred", "referred to the Ombudsman", month)
    for i, line in enumerate(referred):
        body = next(c for c in cases if c.reference == line.reference).values["ombudsman_body"]
        referred[i] = CaseLine(
            line.reference, line.received, line.event, line.on, text=body or None
        )
    requests = []
    sent = []
    for c in cases:
        asked, given = c.dates.ombudsman_requested, c.dates.ombudsman_evidence_sent
        m = c.milestones(profile, calendar).get("evidence")
        deadline = m.deadline if m is not None else None
        if asked is not None and asked in month:
            if given is not None and given <= as_of:
                result = "sent on time" if deadline is None or given <= deadline else "sent late"
                why = f"evidence sent {uk(given)}"
            elif deadline is not None and deadline < as_of:
                result, why = "overdue", f"not sent by {uk(as_of)}"
            else:
                result, why = "not yet due", f"not sent by {uk(as_of)}"
            if deadline is None:
                why += f"; the {profile.name} profile sets no evidence deadline"
            requests.append(
                CaseLine(
                    c.reference,
                    c.dates.received,
                    "evidence requested",
                    asked,
                    deadline,
                    result=result,
                    why=why,
                )
            )
        if given is not None and given in month:
            on_time = deadline is None or given <= deadline
            sent.append(
                CaseLine(
                    c.reference,
                    c.dates.received,
                    "evidence sent",
                    given,
                    deadline,
                    result="on time" if on_time else "late",
                    why=f"requested {uk(asked)}" if asked else "",
                )
            )
    for lines in (requests, sent):
        lines.sort(key=lambda line: (line.on or date.min, line.reference))
    return [
        _count(
            "ombudsman_referrals",
            "Referrals to the Ombudsman",
            LEARNING,
            "Ombudsman referrals",
            referred,
        ),
        _count(
            "ombudsman_requests",
            "Ombudsman evidence requests",
            LEARNING,
            "Ombudsman requests",
            requests,
        ),
        _count(
            "ombudsman_evidence_sent",
            "Evidence sent to the Ombudsman",
            LEARNING,
            "Ombudsman evidence sent",
            sent,
        ),
    ]


def _compliments(found: list[tuple[date, str]] | None) -> Figure:
    if found is None:
        return Figure(
            "compliments",
            "Compliments received",
            LEARNING,
            "text",
            "Compliments",
            value_text="not recorded in this log",
            note="this log has no compliments table yet (complaints db upgrade adds it)",
        )
    lines = [CaseLine("", None, "compliment", day, text=about or None) for day, about in found]
    return _count("compliments", "Compliments received", LEARNING, "Compliments", lines)


def emt_report(
    db: RawDatabase,
    month: Period,
    *,
    profile: Profile,
    calendar: Calendar,
    today: date,
    generated_at: datetime,
) -> Report:
    """The EMT report for ``month``, judged against ``profile`` (the team's)."""
    if month.start > today:
        raise ComplaintsError(
            f"{month.label} has not started yet (today is {today:%d/%m/%Y}): nothing to report"
        )
    as_of = min(month.end, today)
    months = months_back(month, TREND_MONTHS)
    window = Period(months[0].start, month.end, "trend")
    timeliness.forget()
    cases = load_cases(db, window.start, window.end)
    judged: dict[str, list[Judged]] = {}
    unjudged: dict[str, list[CaseLine]] = {}
    for role in ("ack", "stage1", "stage2_ack", "stage2"):
        judged[role], unjudged[role] = judge(
            cases, role, window, profile, calendar, compare_log=True
        )

    monthly = {r: by_month(js, months) for r, js in judged.items()}
    in_month = {r: buckets[-1] for r, buckets in monthly.items()}
    out_month = {r: [x for x in xs if x.on in month] for r, xs in unjudged.items()}
    figures = [
        _count(
            "received",
            "Complaints received (Stage 1)",
            ACTIVITY,
            "Received",
            _event_lines(cases, "received", "received", month),
        ),
        _count(
            "escalated",
            "Escalated to Stage 2",
            ACTIVITY,
            "Escalated",
            _event_lines(cases, "escalation_received", "escalation received", month),
        ),
        _count(
            "stage1_responses",
            "Stage 1 responses sent",
            ACTIVITY,
            "Stage 1 responses",
            _event_lines(cases, "stage1_responded", "Stage 1 response", month),
        ),
        _count(
            "stage2_responses",
            "Stage 2 responses sent",
            ACTIVITY,
            "Stage 2 responses",
            _event_lines(cases, "stage2_responded", "Stage 2 response", month),
        ),
        _count(
            "closed",
            "Cases closed",
            ACTIVITY,
            "Closed",
            _event_lines(cases, "closed", "closed", month),
        ),
    ]
    open_cases = [c for c in cases if c.open_at(as_of)]
    by_stage: dict[str, list[CaseLine]] = {"Stage 1": [], "Stage 2": [], "Ombudsman": []}
    for c in open_cases:
        stage = c.stage_at(as_of)
        by_stage[stage].append(CaseLine(c.reference, c.dates.received, f"open at {stage}", as_of))
    for stage, lines in by_stage.items():
        key = "open_" + stage.lower().replace(" ", "")
        figures.append(_count(key, f"Open at {stage}", OPEN, f"Open {stage}", lines))
    figures.append(
        _count(
            "open_total",
            "Open in all",
            OPEN,
            "Open",
            [line for lines in by_stage.values() for line in lines],
        )
    )
    figures += timeliness_figures(in_month, out_month, profile)
    figures.append(_extended(cases, profile, calendar, month))
    figures.append(_overdue(open_cases, profile, calendar, as_of))
    figures.append(compensation_figure(cases, month, MONEY))
    figures.append(_learning(db, month))
    figures += _ombudsman(cases, profile, calendar, month, as_of)
    found = log_queries.compliments(db, months)
    figures.append(_compliments(None if found is None else found[-1]))

    trend = log_queries.trend_counts(db, months)
    for i, row in enumerate(trend):
        for key, role in TREND_SHARES.items():
            items = monthly[role][i]
            n = sum(j.met for j in items)
            row[key] = {
                "numerator": n,
                "denominator": len(items),
                "percent": percent(n, len(items)),
            }
        row["compliments"] = None if found is None else len(found[i])

    notes = [
        f"Timeliness is judged against the {profile.name} profile ({profile.label}) from the "
        "cases' dates; where the log's own Yes/No column disagrees, the dates count and the "
        "case is listed with what the log says."
    ]
    if as_of < month.end:
        notes.append(f"{month.label} is not over: figures are to {as_of:%d/%m/%Y}.")
    disagree = sum(1 for js in in_month.values() for j in js if j.log)
    if disagree:
        notes.append(
            f"{disagree} step(s) where the log's Met column disagrees with the dates "
            "(listed in the timeliness sheets, column 'Log')."
        )
    return Report(
        kind="emt",
        title=f"EMT complaints performance report: {month.label}",
        period=month,
        as_of=as_of,
        profile_name=profile.name,
        profile_label=profile.label,
        generated_at=generated_at,
        figures=figures,
        trend=trend,
        notes=notes,
    )
