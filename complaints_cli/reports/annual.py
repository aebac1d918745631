"""The annual figures: the Code self-assessment, the Regulator's TSMs CH01 and CH02, and what
the Code's section 8 report and section 9 oversight need (outcomes, categories, refusals,
learning, compensation, the Ombudsman's determinations).

Each step is judged against the Housing Ombudsman's Complaint Handling Code **in force on the
day its clock started** (:mod:`complaints_cli.domain.code_in_force`): the 2022 Code
(``hos-code-2022``) before 1 April 2024, the 2024 Code (``hos-code-2024``) from then, whatever
profile the team works to day to day. The report names the Code(s) used and says when a period
spans the change. The 2024 Code's timeframes, as quoted in
``seeds/hos-code-2024-self-assessment-extract.txt``:

* 6.2: Stage 1 complaints "acknowledged, defined and logged ... within five working days of the
  complaint being received";
* 6.3: "a full response to stage 1 complaints within 10 working days of the complaint being
  acknowledged"; 6.4: an extension of "no more than 10 working days";
* 6.11: Stage 2 requests acknowledged "within five working days of the escalation request being
  received";
* 6.14: "a final response to the stage 2 within 20 working days of the complaint being
  acknowledged"; 6.15: an extension of "no more than 20 working days".

The 2022 Code's (``profiles.toml``, ``hos-code-2022``): 5 working days to acknowledge; 5.1: a
Stage 1 response "within 10 working days of the complaint being logged", an extension "should
not exceed a further 10 days"; Stage 2: a response within 20 working days of the escalation
*request*, a further 10 at most.

The self-assessment figures are the kind the seed reports ("we logged 99% of complaint cases
within 5 working days", "we responded to 84% of stage 1 complaints within 10 working days (From
the cases that were extended, 68% ...)"). Each is judged in the period the step was done (see
:mod:`.timeliness`) and covers every complaint, whatever its tenure; CH01 and CH02 count LCRA
and LCHO residents only (:mod:`.tsm`).

Each figure lists the cases counted and those considered but counted out (received in the
period but the step done after it, or not yet, withdrawn, refused, another tenure), with why.
The log's own "Met ..." columns are not compared here: they hold the verdicts of the team's
profile, not the Code's.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime
from functools import cache

from complaints_cli.domain.closures import closure_on
from complaints_cli.domain.code_in_force import CODE_2024, codes_in, provision
from complaints_cli.domain.deadlines import extension_not_told
from complaints_cli.domain.periods import Period
from complaints_cli.domain.profiles import Profile
from complaints_cli.domain.rules import same_person
from complaints_cli.domain.workdays import Calendar
from complaints_cli.errors import ComplaintsError
from complaints_cli.reports import activity, breakdowns, timeliness, tsm
from complaints_cli.reports.cases import ReportCase, load_cases
from complaints_cli.reports.figures import CaseLine, Figure, Report
from complaints_cli.reports.timeliness import (
    DONE,
    Judged,
    judge,
    met,
    never_done,
    share,
    uk,
    within_extension,
    within_timeframe,
)
from complaints_cli.reports.tsm import Codes, Homes
from complaints_cli.store import report_queries as log_queries
from complaints_cli.store.db import RawDatabase

SELF = "Self-assessment against the Code (section 6)"
YEAR = "The period's complaints"
MONEY = "Putting things right (Code section 7)"
LEARNING = "Learning and the Ombudsman"
BREAKDOWNS = "Outcomes, categories and refusals"
DATA = "The log itself"

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


def counted_out(
    cases: list[ReportCase], role: str, period: Period, judged: Sequence[Judged] = ()
) -> list[CaseLine]:
    """Cases that entered the step's population in ``period`` but whose step was not done in
    it, each with why (done after the period, not done, withdrawn, or done on an unrecorded
    day). ``judged``: the role's judged steps, among which one never done is judged in the
    period all the same (:func:`~.timeliness.missed_acknowledgement`): not counted out."""
    attr, event = DONE[role]
    start = POPULATION[role]
    out = []
    missed: set[str] | None = None  # the references judged never done: read when needed
    for c in cases:
        began = getattr(c.dates, start)
        done = getattr(c.dates, attr)
        if began is None or began not in period or (done is not None and done in period):
            continue
        if (
            done is None
            and attr == "acknowledged"
            and (escalated := c.dates.escalation_received) is not None
            and c.dates.stage1_responded is None
            and c.values.get("ack_met") is None
        ):
            if missed is None:  # rare: once per report at most
                missed = {j.case.reference for j in judged if never_done(j)}
            if c.reference in missed:
                continue
            why = (
                f"not acknowledged when escalated {uk(escalated)}, after the period: counted "
                "in the period of the escalation request"
                if escalated > period.end
                else f"escalated {uk(escalated)} before its acknowledgement was due: not judged"
            )
        elif done is not None and done > period.end:
            why = f"done {uk(done)}, after the period: it counts in the period it was done"
        elif done is not None:
            why = f"done {uk(done)}, before the period"
        elif any(getattr(c.dates, later) is not None for later in LATER[attr]):
            why = "no date recorded for this step (a later step is recorded): cannot be judged"
        elif (
            c.closures
            and (then := closure_on(c.closures, period.end)) is not None
            and then.status == "Withdrawn"
        ):  # withdrawn then, taken back since (a reopening): as the figures read it then
            why = f"withdrawn {uk(then.day)} before this step: not judged"
        elif c.is_withdrawn and c.closed_by(period.end):
            when = f" {uk(c.withdrawn)}" if c.withdrawn else ""
            why = f"withdrawn{when} before this step: not judged"
        elif c.closed_by(period.end):
            why = "closed without this step"
        else:
            why = f"not done by {uk(period.end)}"
        out.append(CaseLine(c.reference, c.dates.received, event, done, counted=False, why=why))
    return out


def _labels(spans: list[str], role: str, text: str) -> str:
    """``Stage 1 responses within 10 working days (6.3)``: the provision of each Code used."""
    names = [provision(code, role) for code in spans]
    if len(names) == 1:
        return f"{text} ({names[0]})"
    return f"{text} ({names[-1]}; {names[0]} before 01/04/2024)"


def _self_assessment(
    judged: dict[str, list[Judged]],
    unjudged: dict[str, list[CaseLine]],
    out: Callable[[str], list[CaseLine]],
    spans: list[str],
) -> list[Figure]:
    """Section 6's shares; ``out(role)``: the cases counted out of the role's step (made only
    when the lines are read)."""
    stage2_start = (
        "the escalation request (2022 Code) or the Stage 2 acknowledgement (2024 Code 6.14)"
        if len(spans) > 1
        else "the escalation request"
        if spans == ["hos-code-2022"]
        else "the Stage 2 acknowledgement"
    )
    stage2_cap = {"hos-code-2022": "10", CODE_2024: "20"}
    caps = " or ".join(stage2_cap[c] for c in spans)

    def extended(j: Judged) -> bool:  # 6.4/6.15 judge the extended cases only
        return j.extended

    figures = [
        share(
            "sa_ack",
            _labels(spans, "ack", "Complaints logged and acknowledged within 5 working days"),
            SELF,
            "6.2 acknowledged",
            judged["ack"],
            met,
            extra=lambda: [*unjudged["ack"], *out("ack")],
            note="Stage 1 acknowledgements sent in the period, within 5 working days of receipt; "
            "a complaint escalated to Stage 2 in the period with no Stage 1 acknowledgement (nor "
            "response) recorded, after its deadline, counts as not acknowledged in time.",
        ),
        share(
            "sa_stage1",
            _labels(spans, "stage1", "Stage 1 responses within 10 working days"),
            SELF,
            "6.3 Stage 1 response",
            judged["stage1"],
            within_timeframe,
            extra=lambda: [*unjudged["stage1"], *out("stage1")],
            note="Stage 1 responses sent in the period, within 10 working days of the "
            "acknowledgement (of its deadline when none is recorded); an extension does not "
            "count here.",
        ),
        share(
            "sa_stage1_extended",
            _labels(
                spans, "stage1_extended", "Extended Stage 1 cases answered within the extension"
            ),
            SELF,
            "6.4 Stage 1 extended",
            judged["stage1"],
            within_extension,
            only=extended,
            note="Extended Stage 1 responses sent in the period, answered by the extended date "
            "(at most 10 working days more).",
        ),
        share(
            "sa_stage2_ack",
            _labels(spans, "stage2_ack", "Stage 2 requests acknowledged within 5 working days"),
            SELF,
            "6.11 Stage 2 acknowledged",
            judged["stage2_ack"],
            met,
            extra=lambda: [*unjudged["stage2_ack"], *out("stage2_ack")],
            note="Stage 2 acknowledgements sent in the period, within 5 working days of the "
            "escalation request.",
        ),
        share(
            "sa_stage2",
            _labels(spans, "stage2", "Stage 2 responses within 20 working days"),
            SELF,
            "6.14 Stage 2 response",
            judged["stage2"],
            within_timeframe,
            extra=lambda: [*unjudged["stage2"], *out("stage2")],
            note=f"Stage 2 responses sent in the period, within 20 working days of {stage2_start}; "
            "an extension does not count here.",
        ),
        share(
            "sa_stage2_extended",
            _labels(
                spans, "stage2_extended", "Extended Stage 2 cases answered within the extension"
            ),
            SELF,
            "6.15 Stage 2 extended",
            judged["stage2"],
            within_extension,
            only=extended,
            note=f"Extended Stage 2 responses sent in the period, answered by the extended date "
            f"(at most {caps} working days more).",
        ),
        _told(judged["stage1"], "stage1", spans),
        _told(judged["stage2"], "stage2", spans),
        _reviewer(judged["stage2"], spans),
    ]
    return figures


def _told(judged: list[Judged], stage: str, spans: list[str]) -> Figure:
    """Extended responses whose resident was told of the extension (2024 Code 6.5/6.16: with
    the Ombudsman's details), as the log's ``--told`` records it. An extension recorded as
    not told does not count as one (:func:`.deadlines.extension_not_told`), yet it is a
    response extended without telling the resident: it stays here, "not told"."""
    name = "Stage 1" if stage == "stage1" else "Stage 2"
    provision_no = "6.5" if stage == "stage1" else "6.16"
    lines = []
    told_n = 0
    for j in judged:
        m = j.m
        v = j.case.values
        late = False  # recorded, but agreed or told after the original deadline: no count
        if m.extended_to is None and (m.label is m.rule.label or not extension_not_told(m)):
            if v[f"{stage}_extended_to"] is None:
                continue  # not extended (most cases: the label itself, read without a call)
            late = True
        not_told = m.extended_to is None  # extended, but not told (or told late)
        on = v[f"{stage}_extension_told_on"]
        told = bool(v[f"{stage}_extension_told"]) or on is not None
        told_late = late and told
        told = told and not told_late
        told_n += told
        why = (
            f"told {uk(on)}, after the original deadline {uk(m.due)}: the extension does not count"
            if told_late and on
            else f"told after the original deadline {uk(m.due)}: the extension does not count"
            if told_late
            else f"recorded after the original deadline {uk(m.due)}: the extension does not count"
            if late
            else f"told {uk(on)}"
            if on
            else (
                "told (no date recorded)"
                if told
                else (
                    "recorded as not told: the extension does not count"
                    if not_told
                    else "not recorded as told"
                )
            )
        )
        lines.append(
            CaseLine(
                j.case.reference,
                j.case.dates.received,
                f"{name} extension",
                m.due,
                v[f"{stage}_extended_to"] if not_told else m.extended_to,
                result="told" if told else "told late" if told_late else "not told",
                why=why,
            )
        )
    label = _labels(
        spans,
        f"{stage}_told",
        f"Extended {name} cases whose resident was told, with the Ombudsman's details",
    )
    return Figure(
        f"sa_{stage}_extension_told",
        label,
        SELF,
        "share",
        f"{provision_no} told of extension",
        count=told_n,
        of=len(lines),
        note=f"Extended {name} responses sent in the period whose resident was told of the "
        "extension, with the Ombudsman's contact details, as the log records it (extend "
        "--told); the date told where recorded.",
        cases=lines,
    )


def _reviewer(judged: list[Judged], spans: list[str]) -> Figure:
    """Stage 2 responses reviewed by someone other than the Stage 1 handler (6.13)."""
    lines = []
    ok = 0
    for j in judged:
        v = j.case.values
        if not v["stage2_handler"]:
            result, why = "not shown", "no Stage 2 handler recorded"
        elif same_person(v["handler"], v["stage2_handler"]):
            result, why = "same person", f"{v['handler']} handled both stages"
        else:
            result, why = "different", f"Stage 1 {v['handler']}, Stage 2 {v['stage2_handler']}"
            ok += 1
        lines.append(
            CaseLine(
                j.case.reference,
                j.case.dates.received,
                "Stage 2 response",
                j.done,
                result=result,
                why=why,
            )
        )
    return Figure(
        "sa_stage2_reviewer",
        _labels(
            spans, "stage2_reviewer", "Stage 2 responses by someone other than the Stage 1 handler"
        ),
        SELF,
        "share",
        "6.13 Stage 2 reviewer",
        count=ok,
        of=len(lines),
        note="Stage 2 responses sent in the period whose Stage 2 handler differs from the "
        "Stage 1 handler, as the log names them (a missing Stage 2 handler cannot be shown to "
        "differ).",
        cases=lines,
    )


def _activity(cases: list[ReportCase], refused: list[ReportCase], period: Period) -> list[Figure]:
    # The period's complaints received and escalated, whatever their tenure, are the totals of
    # the categories table (and listed, case by case, in CH01 with their tenure).
    return [
        activity.withdrawn(cases, period, YEAR),
        activity.not_accepted(refused, period, YEAR, reopened=cases),
        activity.escalations_refused(cases, period, YEAR),
    ]


def annual_report(
    db: RawDatabase,
    period: Period,
    *,
    codes: Mapping[str, Profile],
    calendar: Calendar,
    homes: Homes,
    today: date,
    generated_at: datetime,
    categories: Sequence[str] = (),
) -> Report:
    """The annual figures for ``period`` (a financial year, or any range); ``codes`` holds the
    ``hos-code-2022`` and ``hos-code-2024`` profiles.

    Raises :class:`ComplaintsError` for a period that starts after ``today`` (as the EMT
    report refuses a month not started): its figures would all be nought."""
    if period.start > today:
        raise ComplaintsError(
            f"{period.label} has not started yet (it starts {period.start:%d/%m/%Y}, today is "
            f"{today:%d/%m/%Y}): nothing to report"
        )
    timeliness.forget()
    cases, refused = load_cases(db, period.start, period.end)
    chooser = Codes(codes)
    spans = codes_in(period.start, period.end)
    names = [s.name for s in spans]
    judged: dict[str, list[Judged]] = {}
    unjudged: dict[str, list[CaseLine]] = {}
    for role in DONE:
        judged[role], unjudged[role] = judge(
            cases,
            role,
            period,
            codes[names[-1]],
            calendar,
            compare_log=False,
            choose=chooser.chooser(role),
        )

    @cache
    def out(role: str) -> list[CaseLine]:  # counted out: listed, never counted (made when read)
        return counted_out(cases, role, period, judged[role])

    stocked = {c.reference for c in cases if tsm.stock_of(c) is not None}
    figures = _self_assessment(judged, unjudged, out, names)
    figures += tsm.ch01(cases, refused, period, homes)
    figures += tsm.ch02(judged, out, stocked, chooser, calendar)
    figures += _activity(cases, refused, period)
    figures.append(activity.compensation_awarded(cases, period, MONEY))
    figures.append(activity.compensation_paid(cases, period, MONEY))
    figures.append(activity.learning(db, period, LEARNING))
    figures.append(
        activity.determinations(cases, log_queries.ombudsman_orders(db, period), period, LEARNING)
    )
    figures.append(activity.closed_undated(cases, DATA))

    used = [codes[n] for n in names]
    notes = [
        "Judged against "
        + " and ".join(f"{p.label} ({p.name})" for p in used)
        + ", whatever profile the team works to; each step is counted in the period it was "
        "done, and judged by the Code in force on the day its clock started (receipt for the "
        "acknowledgement and the Stage 1 response, the escalation request for Stage 2)."
    ]
    if len(spans) > 1:
        notes.append(
            "The period spans the change of Code on 01/04/2024: steps whose clock started "
            "before then are judged by the 2022 Code (Stage 2 counted from the escalation "
            "request, extensions of at most 10 working days), later ones by the 2024 Code."
        )
    if spans[0].before:
        notes.append(
            "The period starts before the 2022 Code took effect (01/04/2022): earlier steps are "
            "judged by the 2022 Code too (no older Code is shipped)."
        )
    if period.end > today:
        notes.append(f"The period is not over: figures are to {today:%d/%m/%Y}.")
    if homes.of(None) is None:
        notes.append(
            "CH01 needs the number of homes owned: give --homes-lcra N and --homes-lcho N (or "
            "--homes N for the total alone), or set homes_lcra and homes_lcho (or homes) in the "
            "config."
        )
    elif not homes.split:
        notes.append(
            "CH01 per stock type needs the homes owned of each type: give --homes-lcra N and "
            "--homes-lcho N (the split is not configured: the total uses --homes)."
        )
    undated = activity.undated_closures_note(
        figures, ": each counts as finished on the last date it records"
    )
    if undated:
        notes.append(f"{undated}.")
    last = used[-1]
    return Report(
        kind="annual",
        title=f"Annual complaints performance: {period.label}",
        period=period,
        as_of=min(period.end, today),
        profile_name=last.name,
        profile_label=last.label,
        generated_at=generated_at,
        figures=figures,
        notes=notes,
        breakdowns=[
            breakdowns.outcomes(cases, period, BREAKDOWNS),
            breakdowns.categories(cases, period, BREAKDOWNS, categories),
            breakdowns.refusals(refused, cases, period, BREAKDOWNS),
        ],
        codes=[
            {"name": s.name, "label": codes[s.name].label, "from": s.start, "to": s.end}
            for s in spans
        ],
    )
