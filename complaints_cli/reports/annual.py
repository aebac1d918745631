"""The annual figures: the Code self-assessment and the Regulator's TSMs CH01 and CH02.

Always judged against the Housing Ombudsman's Complaint Handling Code 2024 (``hos-code-2024``
in ``profiles.toml``), whatever profile the team works to day to day: these are the figures a
landlord publishes against the Code. The Code's timeframes, as quoted in
``seeds/hos-code-2024-self-assessment-extract.txt``:

* 6.2: Stage 1 complaints "acknowledged, defined and logged ... within five working days of the
  complaint being received";
* 6.3: "a full response to stage 1 complaints within 10 working days of the complaint being
  acknowledged"; 6.4: an extension of "no more than 10 working days";
* 6.11: Stage 2 requests acknowledged "within five working days of the escalation request being
  received";
* 6.14: "a final response to the stage 2 within 20 working days of the complaint being
  acknowledged"; 6.15: an extension of "no more than 20 working days".

The self-assessment figures are the kind the seed reports: "we logged 99% of complaint cases
within 5 working days", "we responded to 84% of stage 1 complaints within 10 working days (From
the cases that were extended, 68% of these cases were responded to within the extended
timeframes ...)", and the same at Stage 2. Each is judged in the period the step was done (see
:mod:`.timeliness`).

TSM CH01: Stage 1 complaints received in the period, and Stage 2 escalations received in it,
per 1,000 homes owned. TSM CH02: the share of Stage 1 (and of Stage 2) complaints responded to
in the period within the Code's timescales - on time meaning acknowledged in time *and*
responded to in time (an extension within the Code's limit counts as in time). Where no
acknowledgement date is recorded, a response sent by the acknowledgement deadline shows it was
acknowledged in time; otherwise the case cannot be shown to be on time and counts as late.

Each figure lists the cases counted and those considered but counted out (received in the
period but the step done after it, or not yet), with why. The log's own "Met ..." columns are
not compared here: they hold the verdicts of the team's profile, not the Code's.
"""

from __future__ import annotations

from datetime import date, datetime

from complaints_cli.domain.periods import Period
from complaints_cli.domain.profiles import Profile
from complaints_cli.domain.workdays import Calendar
from complaints_cli.reports import timeliness
from complaints_cli.reports.cases import ReportCase, load_cases
from complaints_cli.reports.figures import CaseLine, Figure, Report
from complaints_cli.reports.timeliness import (
    DONE,
    Judged,
    judge,
    judged_step,
    met,
    share,
    uk,
    within_extension,
    within_timeframe,
    working,
)
from complaints_cli.store.db import RawDatabase

SELF = "Self-assessment against the Code (section 6)"
TSM = "Tenant Satisfaction Measures"

#: Role -> the event that brings a case into the period's population for that step.
POPULATION = {
    "ack": "received",
    "stage1": "received",
    "stage2_ack": "escalation_received",
    "stage2": "escalation_received",
}
#: Later steps whose date shows a step happened on a day the log does not hold.
LATER = {
    "acknowledged": ("stage1_responded", "escalation_received", "stage2_responded"),
    "stage1_responded": ("stage2_acknowledged", "stage2_responded"),
    "stage2_acknowledged": ("stage2_responded",),
    "stage2_responded": (),
}


def counted_out(cases: list[ReportCase], role: str, period: Period) -> list[CaseLine]:
    """Cases that entered the step's population in ``period`` but whose step was not done in
    it, each with why (done after the period, not done, or done on an unrecorded day)."""
    attr, event = DONE[role]
    start = POPULATION[role]
    out = []
    for c in cases:
        began = getattr(c.dates, start)
        done = getattr(c.dates, attr)
        if began is None or began not in period or (done is not None and done in period):
            continue
        if done is not None and done > period.end:
            why = f"done {uk(done)}, after the period: it counts in the period it was done"
        elif done is not None:
            why = f"done {uk(done)}, before the period"
        elif any(getattr(c.dates, later) is not None for later in LATER[attr]):
            why = "no date recorded for this step (a later step is recorded): cannot be judged"
        elif c.closed_by(period.end):
            why = "closed without this step"
        else:
            why = f"not done by {uk(period.end)}"
        out.append(CaseLine(c.reference, c.dates.received, event, done, counted=False, why=why))
    return out


def ch02_line(j: Judged, ack: Judged | None) -> CaseLine:
    """CH02: on time when acknowledged in time and responded to in time (Code timescales)."""
    if ack is not None:
        ack_ok = ack.met
        ack_text = f"acknowledged {uk(ack.done)}, {working(ack.m)}"
    elif j.m.projected:
        ack_ok = j.done <= j.m.anchor
        ack_text = (
            f"no acknowledgement date; the response {uk(j.done)} is "
            + ("by" if ack_ok else "after")
            + f" the acknowledgement deadline {uk(j.m.anchor)}"
        )
    else:
        ack_ok = False
        ack_text = "no acknowledgement date recorded: cannot be shown to be in time"
    ok = ack_ok and j.met
    why = f"{ack_text}; response {working(j.m)}"
    if not ack_ok:
        why += "; acknowledgement late"
    if not j.met:
        why += "; response late"
    return CaseLine(
        j.case.reference,
        j.case.dates.received,
        DONE[j.role][1],
        j.done,
        j.m.deadline,
        True,
        "on time" if ok else "late",
        why,
    )


def _rate(key: str, label: str, sheet: str, lines: list[CaseLine], homes: int | None) -> Figure:
    note = "" if homes else "n/a: give --homes N, or set homes in the config (complaints config)"
    return Figure(
        key,
        label,
        TSM,
        "rate",
        sheet,
        count=len(lines),
        of=homes or 0,
        note=note,
        cases=lines,
    )


def annual_report(
    db: RawDatabase,
    period: Period,
    *,
    code: Profile,
    calendar: Calendar,
    homes: int | None,
    today: date,
    generated_at: datetime,
) -> Report:
    """The annual Code and TSM figures for ``period`` (a financial year, or any range)."""
    timeliness.forget()
    cases = load_cases(db, period.start, period.end)
    judged: dict[str, list[Judged]] = {}
    unjudged: dict[str, list[CaseLine]] = {}
    for role in DONE:
        judged[role], unjudged[role] = judge(cases, role, period, code, calendar, compare_log=False)
    out = {role: counted_out(cases, role, period) for role in DONE}

    def extended(j: Judged) -> bool:  # 6.4/6.15 judge the extended cases only
        return j.extended

    figures = [
        share(
            "sa_ack",
            "Complaints logged and acknowledged within 5 working days (6.2)",
            SELF,
            "6.2 acknowledged",
            judged["ack"],
            met,
            extra=[*unjudged["ack"], *out["ack"]],
        ),
        share(
            "sa_stage1",
            "Stage 1 responses within 10 working days (6.3)",
            SELF,
            "6.3 Stage 1 response",
            judged["stage1"],
            within_timeframe,
            extra=[*unjudged["stage1"], *out["stage1"]],
        ),
        share(
            "sa_stage1_extended",
            "Extended Stage 1 cases answered within the extension (6.4)",
            SELF,
            "6.4 Stage 1 extended",
            judged["stage1"],
            within_extension,
            only=extended,
        ),
        share(
            "sa_stage2_ack",
            "Stage 2 requests acknowledged within 5 working days (6.11)",
            SELF,
            "6.11 Stage 2 acknowledged",
            judged["stage2_ack"],
            met,
            extra=[*unjudged["stage2_ack"], *out["stage2_ack"]],
        ),
        share(
            "sa_stage2",
            "Stage 2 responses within 20 working days (6.14)",
            SELF,
            "6.14 Stage 2 response",
            judged["stage2"],
            within_timeframe,
            extra=[*unjudged["stage2"], *out["stage2"]],
        ),
        share(
            "sa_stage2_extended",
            "Extended Stage 2 cases answered within the extension (6.15)",
            SELF,
            "6.15 Stage 2 extended",
            judged["stage2"],
            within_extension,
            only=extended,
        ),
    ]
    received = [
        CaseLine(c.reference, c.dates.received, "received", c.dates.received)
        for c in cases
        if c.dates.received in period
    ]
    escalated = [
        CaseLine(c.reference, c.dates.received, "escalation received", d)
        for c in cases
        if (d := c.dates.escalation_received) is not None and d in period
    ]
    figures += [
        _rate(
            "ch01_stage1",
            "CH01 Stage 1 complaints received per 1,000 homes",
            "CH01 Stage 1",
            received,
            homes,
        ),
        _rate(
            "ch01_stage2",
            "CH01 Stage 2 complaints received per 1,000 homes",
            "CH01 Stage 2",
            escalated,
            homes,
        ),
    ]
    for stage, name, ack_role in (
        ("stage1", "Stage 1", "ack"),
        ("stage2", "Stage 2", "stage2_ack"),
    ):
        acks: dict[str, Judged] = {}
        for j in judged[stage]:  # the acknowledgement may have been in an earlier period
            m = j.case.milestones(code, calendar).get(ack_role)
            if m is not None and m.done is not None:
                acks[j.case.reference] = judged_step(j.case, ack_role, m)

        def line(j: Judged, acks: dict[str, Judged] = acks) -> CaseLine:
            return ch02_line(j, acks.get(j.case.reference))

        figures.append(
            share(
                f"ch02_{stage}",
                f"CH02 {name} complaints responded to within the Code's timescales",
                TSM,
                f"CH02 {name}",
                judged[stage],
                line,
                extra=[*unjudged[stage], *out[stage]],
            )
        )
    notes = [
        f"Judged against the Code ({code.label}), whatever profile the team works to; each "
        "step is counted in the period it was done.",
    ]
    if period.end > today:
        notes.append(f"The period is not over: figures are to {today:%d/%m/%Y}.")
    if not homes:
        notes.append("CH01 needs the number of homes: give --homes N or set homes in the config.")
    return Report(
        kind="annual",
        title=f"Annual complaints performance: {period.label}",
        period=period,
        as_of=min(period.end, today),
        profile_name=code.name,
        profile_label=code.label,
        generated_at=generated_at,
        figures=figures,
        notes=notes,
    )
