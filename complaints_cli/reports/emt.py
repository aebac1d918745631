"""The monthly EMT performance report (DOMAIN.md, "Reports"), built from the log.

What each figure counts, for a calendar month M (its cases are listed with each figure, and its
note says what it counts and the timescales used):

* *received*: complaints received (Stage 1) in M; *escalated*: Stage 2 requests received in M
  (a refused escalation is not one); *Stage 1/Stage 2 responses*: responses sent in M;
  *closed*: closures in M (a case closed, reopened and closed again counts once for each
  closure, in the month of each: a later reopening never takes a past closure away,
  :mod:`complaints_cli.domain.closures`); *withdrawn* in M; *not accepted* and *Stage 2 escalations
  refused* in M, with their reasons (counted in no other figure).
* *open at the month end*, by the stage each case was at that day (from its dates: the
  Ombudsman once referred or asked for evidence, Stage 2 once escalated; the log's own Stage
  when it says Ombudsman with no date). A case marked closed without a closed date is taken
  as finished on the last date it records (never closed in a month), and counted in *marked
  closed with no closed date*.
* *answered but still open*: open cases whose answer has been given (see
  :func:`.activity.stale`).
* *timeliness*, judged against the team's own profile (``complaints config``), in the month the
  step was done (see :mod:`.timeliness`): acknowledgements sent in M on time; Stage 1 and
  Stage 2 responses sent in M within the timeframe, extended ones within the extension, and on
  time either way; Stage 2 acknowledgements.
* *extended*: responses whose original deadline fell in M and that carry an extension.
* *overdue at the month end*: cases open that day with a deadline passed and not met by then,
  worked out from the dates as they stood at the month end (later dates ignored).
* *compensation awarded* by the responses sent in M, and *compensation paid* in M (a payment
  date recorded); an award is never called paid without one.
* *learning recorded*, *Ombudsman* referrals, evidence requests and evidence sent, and
  *compliments* received in M.
* *outcomes* of the responses sent in M and *categories* of the complaints received and
  escalated in M (:mod:`.breakdowns`).

The 12-month trend repeats the headline counts from the same cases (:mod:`.trend`) and the
on-time shares of those months; :mod:`.comparison` turns it into last month, the 12-month
average, a target and a RAG.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from complaints_cli.domain.periods import Period, months_back
from complaints_cli.domain.profiles import Profile
from complaints_cli.domain.workdays import Calendar
from complaints_cli.errors import ComplaintsError
from complaints_cli.reports import activity, breakdowns, comparison, timeliness
from complaints_cli.reports.activity import count, event_lines
from complaints_cli.reports.cases import (
    ReportCase,
    dated_in,
    for_reviews,
    load_cases,
    overdue_at,
    role_rules,
)
from complaints_cli.reports.figures import CaseLine, Figure, Report, by_day, percent
from complaints_cli.reports.timeliness import (
    Judged,
    judge,
    kept_deadline,
    kept_timeframe,
    listed,
    met,
    share,
    uk,
    within_extension,
    within_timeframe,
)
from complaints_cli.reports.trend import trend_counts
from complaints_cli.store import report_queries as log_queries
from complaints_cli.store.db import RawDatabase

TREND_MONTHS = 12
ACTIVITY = "Activity in the month"
OPEN = "Open at the month end"
TIMELINESS = "Timeliness"
MONEY = "Compensation"
LEARNING = "Learning, the Ombudsman and compliments"
BREAKDOWNS = "Outcomes and categories"

#: Trend share -> the judged role and whether "on time" is the timeframe alone (False: met).
TREND_SHARES = {
    "ack_on_time": ("ack", False),
    "stage1_within_timeframe": ("stage1", True),
    "stage1_on_time": ("stage1", False),
    "stage2_ack_on_time": ("stage2_ack", False),
    "stage2_within_timeframe": ("stage2", True),
    "stage2_on_time": ("stage2", False),
}


def _limit(profile: Profile, role: str) -> str:
    """``3 working days`` for the role's milestone in this profile (for labels); each review
    type's when they differ (``20 working days for a Manager Review ...; 10 working days for a
    Compensation Review``)."""
    rules = role_rules(profile, role)
    if not rules:
        return "no timeframe in this profile"
    return "; ".join(rule.limit_text + for_reviews(rule, rules) for rule in rules)


def _basis(profile: Profile, role: str, what: str) -> str:
    """A timeliness figure's note: what it counts and the timescale, with its source."""
    rules = role_rules(profile, role)
    if not rules:
        return f"{what}; the {profile.name} profile sets no timeframe for this step."
    parts = []
    for rule in rules:
        start = " or ".join(e.replace("_", " ") for e in rule.start).replace(
            "ack due", "acknowledgement"
        )
        part = f"{rule.limit_text}{for_reviews(rule, rules)} from {start}"
        parts.append(part + (f" ({rule.source})" if rule.source else ""))
    return f"{what}, judged against the {profile.name} profile: {'; '.join(parts)}."


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
    cap = profile.extension_cap
    out = [
        share(
            "ack_on_time",
            f"Acknowledged within the timeframe ({_limit(profile, 'ack')})",
            TIMELINESS,
            "Acknowledged on time",
            judged["ack"],
            met,
            extra=unjudged["ack"],
            note=_basis(profile, "ack", "Acknowledgements sent in the month").removesuffix(".")
            + "; a complaint escalated to Stage 2 in the month with no Stage 1 acknowledgement "
            "(nor response) recorded, after its deadline, counts as not acknowledged in time.",
        )
    ]
    for stage, name in (("stage1", "Stage 1"), ("stage2", "Stage 2")):
        items = judged[stage]
        limit = _limit(profile, stage)
        if stage == "stage2":
            out.append(
                share(
                    "stage2_ack_on_time",
                    f"Stage 2 acknowledged within the timeframe ({_limit(profile, 'stage2_ack')})",
                    TIMELINESS,
                    "S2 acknowledged on time",
                    judged["stage2_ack"],
                    met,
                    extra=unjudged["stage2_ack"],
                    note=_basis(
                        profile, "stage2_ack", "Stage 2 acknowledgements sent in the month"
                    ),
                )
            )
        extra_days = cap(stage)
        allowed = (
            f"an extension of at most {extra_days} working days"
            if extra_days is not None
            else "no extension (the profile allows none)"
        )
        responses = f"{name} responses sent in the month"
        out += [
            share(
                f"{stage}_within_timeframe",
                f"{name} responses within the timeframe ({limit})",
                TIMELINESS,
                f"{name} within timeframe",
                items,
                within_timeframe,
                extra=unjudged[stage],
                note=_basis(profile, stage, responses) + " An extension does not count here.",
            ),
            share(
                f"{stage}_within_extension",
                f"Extended {name} responses within the extension",
                TIMELINESS,
                f"{name} within extension",
                [j for j in items if j.extended],
                within_extension,
                note=f"{responses} that had an extension, answered by the extended date "
                f"({allowed}; a later extended date counts only to that limit).",
            ),
            share(
                f"{stage}_on_time",
                f"{name} responses on time (within the timeframe or an extension)",
                TIMELINESS,
                f"{name} on time",
                items,
                met,
                extra=unjudged[stage],
                note=_basis(profile, stage, responses).removesuffix(".")
                + f", or within {allowed}.",
            ),
        ]
    return out


def _extended(
    cases: list[ReportCase], profile: Profile, calendar: Calendar, month: Period
) -> Figure:
    lines = []
    for c in cases:
        d = c.dates
        if d.stage1_extended_to is None and d.stage2_extended_to is None:
            continue  # no extended date: no milestone of it carries one (none worked out)
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
    lines.sort(key=by_day)
    return count(
        "extended",
        "Responses extended (original deadline in the month)",
        TIMELINESS,
        "Extended",
        lines,
        "Stage 1 and Stage 2 responses whose original deadline fell in the month and that carry "
        "an extension (an extension is decided before the deadline: Code 6.4, 6.15).",
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
    return count(
        "overdue",
        f"Cases overdue at {day:%d/%m/%Y}",
        TIMELINESS,
        "Overdue",
        lines,
        f"Cases open at {day:%d/%m/%Y} with a deadline of the {profile.name} profile passed and "
        "not met by then, from the dates as they stood that day.",
    )


def _ombudsman(
    cases: list[ReportCase], profile: Profile, calendar: Calendar, month: Period, as_of: date
) -> list[Figure]:
    lines = event_lines(cases, "ombudsman_referred", "referred to the Ombudsman", month)
    wanted = {line.reference for line in lines}  # the body is read for these cases only
    body = {c.reference: c.values["ombudsman_body"] for c in cases if c.reference in wanted}
    referred = [line._replace(text=body.get(line.reference) or None) for line in lines]
    requests = []
    sent = []
    for c in cases:
        asked, given = c.dates.ombudsman_requested, c.dates.ombudsman_evidence_sent
        if not ((asked is not None and asked in month) or (given is not None and given in month)):
            continue  # in neither list
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
        lines.sort(key=by_day)
    evidence = _limit(profile, "evidence")
    return [
        count(
            "ombudsman_referrals",
            "Referrals to the Ombudsman",
            LEARNING,
            "Ombudsman referrals",
            referred,
            "Cases referred to the Housing Ombudsman (or the Property Redress Scheme) in the "
            "month.",
        ),
        count(
            "ombudsman_requests",
            "Ombudsman evidence requests",
            LEARNING,
            "Ombudsman requests",
            requests,
            f"The Ombudsman's requests for evidence received in the month, with their deadline "
            f"({evidence} under the {profile.name} profile) and whether the evidence went in time.",
        ),
        count(
            "ombudsman_evidence_sent",
            "Evidence sent to the Ombudsman",
            LEARNING,
            "Ombudsman evidence sent",
            sent,
            "Evidence sent to the Ombudsman in the month, on time or late against its deadline.",
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
    return count(
        "compliments",
        "Compliments received",
        LEARNING,
        "Compliments",
        lines,
        "Compliments received in the month (complaints compliment).",
    )


def _activity(cases: list[ReportCase], refused: list[ReportCase], month: Period) -> list[Figure]:
    def events(key: str, label: str, sheet: str, attr: str, event: str, note: str) -> Figure:
        return count(key, label, ACTIVITY, sheet, event_lines(cases, attr, event, month), note)

    return [
        events(
            "received",
            "Complaints received (Stage 1)",
            "Received",
            "received",
            "received",
            "Complaints (and petitions) received in the month, whatever their tenure; a service "
            "dissatisfaction counts once converted (received on the day of conversion).",
        ),
        events(
            "escalated",
            "Escalated to Stage 2",
            "Escalated",
            "escalation_received",
            "escalation received",
            "Stage 2 escalation requests received in the month (a refused escalation is not one).",
        ),
        events(
            "stage1_responses",
            "Stage 1 responses sent",
            "Stage 1 responses",
            "stage1_responded",
            "Stage 1 response",
            "Stage 1 responses sent in the month.",
        ),
        events(
            "stage2_responses",
            "Stage 2 responses sent",
            "Stage 2 responses",
            "stage2_responded",
            "Stage 2 response",
            "Stage 2 (final) responses sent in the month.",
        ),
        activity.closed(cases, month, ACTIVITY),
        activity.withdrawn(cases, month, ACTIVITY),
        activity.not_accepted(refused, month, ACTIVITY, reopened=cases),
        activity.escalations_refused(cases, month, ACTIVITY),
    ]


def _open(open_cases: list[ReportCase], as_of: date) -> list[Figure]:
    by_stage: dict[str, list[CaseLine]] = {"Stage 1": [], "Stage 2": [], "Ombudsman": []}
    for c in open_cases:
        stage = c.stage_at(as_of)
        by_stage[stage].append(CaseLine(c.reference, c.dates.received, f"open at {stage}", as_of))
    basis = (
        f"Cases open at {as_of:%d/%m/%Y} at {{}}, by the stage each was at that day (from its "
        "dates; the log's own Stage when it says Ombudsman with no Ombudsman date)."
    )
    figures = [
        count(
            f"open_{s.lower().replace(' ', '')}",
            f"Open at {s}",
            OPEN,
            f"Open {s}",
            lines,
            basis.format(s),
        )
        for s, lines in by_stage.items()
    ]
    every = [line for lines in by_stage.values() for line in lines]
    figures.append(
        count(
            "open_total",
            "Open in all",
            OPEN,
            "Open",
            every,
            f"Every case open at {as_of:%d/%m/%Y}: received by then and neither closed nor "
            "withdrawn by then (nor in a closure it was reopened from later).",
        )
    )
    return figures


def _refusals_by_month(
    cases: list[ReportCase], refused: list[ReportCase], months: list[Period]
) -> list[dict[str, int]]:
    """Each month's complaints not accepted and escalations refused, counted as the month's
    own figures count them (the window's cases hold every one of them)."""
    index = {(m.start.year, m.start.month): i for i, m in enumerate(months)}
    out = [{"not_accepted": 0, "stage2_refused": 0} for _ in months]
    told = [c.values["not_accepted_told"] or c.dates.received for c in refused]
    told += [  # the decisions reversed since count in their month, as they did
        x.day
        for c in (*cases, *refused)
        for x in c.closures
        if x.status == "Not accepted" and not x.undated
    ]
    for key, days in (
        ("not_accepted", told),
        ("stage2_refused", [c.escalation_refused for c in cases]),
    ):
        for day in days:
            i = index.get((day.year, day.month)) if day is not None else None
            if i is not None:
                out[i][key] += 1
    return out


def emt_report(
    db: RawDatabase,
    month: Period,
    *,
    profile: Profile,
    calendar: Calendar,
    today: date,
    generated_at: datetime,
    categories: Sequence[str] = (),
) -> Report:
    """The EMT report for ``month``, judged against ``profile`` (the team's); ``categories``
    is the team's list of complaint categories (shown first, in order)."""
    if month.start > today:
        raise ComplaintsError(
            f"{month.label} has not started yet (today is {today:%d/%m/%Y}): nothing to report"
        )
    as_of = min(month.end, today)
    months = months_back(month, TREND_MONTHS)
    window = Period(months[0].start, month.end, "trend")
    timeliness.forget()
    # The trend judges 12 months; only the month's steps are listed (ordered, and compared
    # with the log's Met columns).
    cases, refused = load_cases(db, window.start, window.end)
    judged: dict[str, list[Judged]] = {}
    unjudged: dict[str, list[CaseLine]] = {}
    for role in ("ack", "stage1", "stage2_ack", "stage2"):
        judged[role], unjudged[role] = judge(
            cases, role, window, profile, calendar, compare_log=False, ordered=False
        )

    monthly = {r: by_month(js, months) for r, js in judged.items()}
    in_month = {r: listed(buckets[-1]) for r, buckets in monthly.items()}
    out_month = {r: [x for x in xs if x.on in month] for r, xs in unjudged.items()}
    # The month's own events: counted from the cases with a date in the month (cases.dated_in)
    month_cases = dated_in(cases, month.start, month.end)
    figures = _activity(month_cases, refused, month)
    open_cases = [c for c in cases if c.open_at(as_of)]
    figures += _open(open_cases, as_of)
    open_actions = log_queries.cases_with_open_actions(db, as_of)
    figures.append(activity.stale(open_cases, as_of, profile, calendar, open_actions, OPEN))
    figures.append(activity.closed_undated(cases, OPEN))
    figures += timeliness_figures(in_month, out_month, profile)
    figures.append(_extended(cases, profile, calendar, month))
    figures.append(_overdue(open_cases, profile, calendar, as_of))
    figures.append(activity.compensation_awarded(month_cases, month, MONEY))
    figures.append(activity.compensation_paid(month_cases, month, MONEY))
    figures.append(activity.learning(db, month, LEARNING))
    figures += _ombudsman(month_cases, profile, calendar, month, as_of)
    found = log_queries.compliments(db, months)
    figures.append(_compliments(None if found is None else found[-1]))

    trend = trend_counts(cases, months)
    refusals = _refusals_by_month(cases, refused, months)
    for i, row in enumerate(trend):
        for key, (role, timeframe_only) in TREND_SHARES.items():
            items = monthly[role][i]
            n = sum(map(kept_timeframe if timeframe_only else kept_deadline, items))
            row[key] = {
                "numerator": n,
                "denominator": len(items),
                "percent": percent(n, len(items)),
            }
        row.update(refusals[i])
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
            "(listed in the timeliness case lists, column 'Log')."
        )
    answered = next(f for f in figures if f.key == "stale")
    if answered.count:
        notes.append(
            f"{answered.count} case(s) answered and still open at {as_of:%d/%m/%Y}, with "
            "nothing outstanding (listed under 'Answered but still open'): they count in 'Open "
            "in all' until closed. Close each with complaints close REF."
        )
    undated = activity.undated_closures_note(
        figures,
        " (an imported log has no closed-date column): each counts as open until the last "
        "date it records and finished from then, but is never counted as closed in a month, "
        "so the closed counts are low",
    )
    if undated:
        notes.append(f"{undated} (listed under 'Marked closed with no closed date').")
    report = Report(
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
        breakdowns=[
            breakdowns.outcomes(month_cases, month, BREAKDOWNS),
            breakdowns.categories(month_cases, month, BREAKDOWNS, categories),
        ],
    )
    report.comparisons = comparison.compare(report)
    return report
