"""Judging a stage's timeliness over a period: which cases count, and whether each was on time.

A step is judged in the period in which it was *done* (acknowledged, responded to): the
denominator of "Stage 1 responses within 10 working days" is the Stage 1 responses sent in the
period, as in the Regulator's TSM CH02 ("complaints responded to ... within the Handling Code
timescales" out of those responded to) and the self-assessment's "we responded to 84% of stage 1
complaints within 10 working days". Steps not yet done are not judged here: they appear in the
EMT report as overdue at the month end.

For one completed milestone (see :class:`~complaints_cli.domain.deadlines.Milestone`):

* *within the timeframe*: done on or before the original deadline (``due``);
* *extended*: the case records an extended date for that stage;
* *within the extension*: extended, and done on or before the extended date - never later than
  the profile's cap (Code 6.4: at most 10 more working days at Stage 1; 6.15: 20 at Stage 2);
* *met*: within the timeframe or within the extension (the log's Yes/No).

One step never done is judged too: a Stage 1 acknowledgement still missing when the resident
escalated to Stage 2 with no Stage 1 response (:func:`missed_acknowledgement`). It can no
longer be made at Stage 1, so it is judged not on time in the period of the escalation
request (when its deadline had passed by then), and never vanishes from the figures.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from operator import attrgetter
from typing import NamedTuple

from complaints_cli.domain.deadlines import CaseDates, Milestone, State
from complaints_cli.domain.explanations import anchor_words
from complaints_cli.domain.periods import Period
from complaints_cli.domain.profiles import MilestoneRule, Profile
from complaints_cli.domain.workdays import Calendar
from complaints_cli.reports.cases import ReportCase, log_disagrees
from complaints_cli.reports.figures import CaseLine, Figure, deferred

#: Role -> the case date that completes it, and how the step reads.
DONE = {
    "ack": ("acknowledged", "acknowledged"),
    "stage1": ("stage1_responded", "Stage 1 response"),
    "stage2_ack": ("stage2_acknowledged", "Stage 2 acknowledged"),
    "stage2": ("stage2_responded", "Stage 2 response"),
}


_UK: dict[date, str] = {}


def uk(day: date | None) -> str:
    """``Fri 03/10/2025`` (cached: a year's report formats the same few hundred days often)."""
    if day is None:
        return ""
    text = _UK.get(day)
    if text is None:
        text = _UK[day] = f"{day:%a %d/%m/%Y}"
    return text


class Judged(NamedTuple):
    """A case whose step (``role``) was done in the period, with its milestone."""

    case: ReportCase
    role: str
    m: Milestone
    log: str | None  #: the log's Yes/No when it disagrees with the dates
    code: str | None = None  #: the Code that judged it (the annual figures), for the lines

    @property
    def done(self) -> date:
        assert self.m.done is not None
        return self.m.done

    @property
    def within_timeframe(self) -> bool:
        return self.done <= self.m.due

    @property
    def extended(self) -> bool:
        return self.m.extended_to is not None

    @property
    def within_extension(self) -> bool:
        return self.extended and self.done <= self.m.deadline

    @property
    def met(self) -> bool:
        return self.done <= self.m.deadline


#: id(milestone) -> (the milestone, its working): a year's figures show each several times.
#: The milestone is kept with its text, so its id cannot be reused while the entry lives.
_WORKING: dict[int, tuple[Milestone, str]] = {}


#: id(rule) -> (the rule, its :attr:`~MilestoneRule.limit_text`): a year's lines show a few
#: rules' limits tens of thousands of times (kept with the rule: its id is never reused).
_LIMITS: dict[int, tuple[MilestoneRule, str]] = {}


def working(m: Milestone) -> str:
    """How a deadline was worked out: ``due Fri 03/10/2025: 3 working days from ...``."""
    known = _WORKING.get(id(m))
    if known is not None and known[0] is m:
        return known[1]
    rule = m.rule
    limit = _LIMITS.get(id(rule))
    if limit is None or limit[0] is not rule:
        limit = _LIMITS[id(rule)] = (rule, rule.limit_text)
    text = f"due {uk(m.due)}: {limit[1]} from {anchor_words(m.anchor_event)} {uk(m.anchor)}"
    if m.extended_to is not None:
        text += f"; extended to {uk(m.extended_to)}"
        if m.extension_limit is not None and m.extended_to > m.extension_limit:
            text += f", beyond the limit {uk(m.extension_limit)}, which counts instead"
    _WORKING[id(m)] = (m, text)
    return text


def forget() -> None:
    """Drop the text cache (each report starts afresh: a long-lived process never grows)."""
    _WORKING.clear()
    _LIMITS.clear()


#: What a line says of a Stage 1 acknowledgement never made (:func:`missed_acknowledgement`).
NEVER_ACKNOWLEDGED = "not acknowledged"


def missed_acknowledgement(
    case: ReportCase, profile: Profile, calendar: Calendar
) -> Milestone | None:
    """The Stage 1 acknowledgement ``case`` never had, judged on the day Stage 1 ended without
    it: escalated to Stage 2 with neither an acknowledgement nor a Stage 1 response recorded,
    after the acknowledgement's deadline. Its milestone, "done" on the escalation request's
    day and missed; None for any other case (one escalated before its acknowledgement was
    due, or whose log says in column 10 that it was acknowledged on a day it does not hold)."""
    d = case.dates
    escalated = d.escalation_received
    if escalated is None or d.acknowledged is not None or d.stage1_responded is not None:
        return None
    if case.values.get("ack_met") is not None:
        return None
    before = d._replace(
        escalation_received=None,
        stage2_acknowledged=None,
        stage2_responded=None,
        stage="Stage 1",
        status="Open",
    )
    m = case.milestones(profile, calendar, dates=before).get("ack")
    if m is None or escalated <= m.deadline:
        return None
    return m._replace(done=escalated, state=State.MISSED)


def never_done(j: Judged) -> bool:
    """``j`` is a step the case never did (:func:`missed_acknowledgement`)."""
    return j.case.dates[_DONE_AT[j.role]] is None


def judged_step(
    case: ReportCase, role: str, m: Milestone, log: str | None = None, code: str | None = None
) -> Judged:
    """A :class:`Judged` for ``case``'s completed milestone ``m``."""
    return Judged(case, role, m, log, code)


#: A case date's name -> its position in :class:`CaseDates`.
_DATE_AT = {name: i for i, name in enumerate(CaseDates._fields)}
#: A role -> the position of the date that completes it.
_DONE_AT = {role: _DATE_AT[attr] for role, (attr, _event) in DONE.items()}
_new_judged = tuple.__new__  # Judged(...) without the named tuple's Python-level constructor


#: Judged steps in the order done, then by reference: ``(j.m.done, j.case.reference)``, read
#: in C (a year's four roles sort ~100,000 steps: no Python call per step).
_by_done = attrgetter("m.done", "case.reference")


#: Chooses the profile that judges a case's step (the annual figures: the Code in force).
Chooser = Callable[[ReportCase], Profile]


def judge(
    cases: Iterable[ReportCase],
    role: str,
    period: Period,
    profile: Profile,
    calendar: Calendar,
    *,
    compare_log: bool,
    choose: Chooser | None = None,
    ordered: bool = True,
) -> tuple[list[Judged], list[CaseLine]]:
    """The cases whose ``role`` step was done in ``period``, judged, in the order done (then
    by reference; ``ordered=False``: in the order of ``cases``, for :func:`listed` to order the
    ones shown); and those that cannot be (the profile sets no timeframe for the step), as
    counted-out lines saying why. ``choose`` picks another profile for a case (the Code in
    force when the step's clock started)."""
    attr, event = DONE[role]
    judged: list[Judged] = []
    unjudged: list[CaseLine] = []
    at = _DATE_AT[attr]
    start, end = period.start, period.end
    acknowledging = role == "ack"
    for case in cases:
        done: date | None = case.dates[at]  # type: ignore[assignment]  # a date field
        if done is None and acknowledging:
            escalated = case.dates.escalation_received
            if escalated is not None and start <= escalated <= end:
                chosen = profile if choose is None else choose(case)
                missed = missed_acknowledgement(case, chosen, calendar)
                if missed is not None:
                    code = chosen.name if choose is not None else None
                    judged.append(_new_judged(Judged, (case, role, missed, None, code)))
            continue
        if done is None or not start <= done <= end:
            continue
        if choose is not None:
            profile = choose(case)
        m = case.milestones(profile, calendar).get(role)
        if m is None or m.done is None:
            unjudged.append(
                CaseLine(
                    case.reference,
                    case.dates.received,
                    event,
                    done,
                    counted=False,
                    why=f"the {profile.name} profile sets no timeframe for this step",
                )
            )
            continue
        log = log_disagrees(case, role, m.done <= m.deadline) if compare_log else None
        code = profile.name if choose is not None else None
        judged.append(_new_judged(Judged, (case, role, m, log, code)))
    if ordered:
        judged.sort(key=_by_done)
    return judged, unjudged


def listed(judged: list[Judged]) -> list[Judged]:
    """``judged`` (from :func:`judge` with ``compare_log=False, ordered=False``) as
    :func:`judge` gives the steps it lists: in the order done, then by reference, each with
    what the log's Met column says when it disagrees (:attr:`Judged.log`). For a report that
    judges more steps than it lists (the EMT report judges 12 months for its trend and lists
    one month's): the others are neither sorted nor compared with the log."""
    out = [j._replace(log=log_disagrees(j.case, j.role, j.done <= j.m.deadline)) for j in judged]
    out.sort(key=_by_done)
    return out


#: A profile name -> how a line names the Code that judged it.
CODE_NAMES = {"hos-code-2022": "2022 Code", "hos-code-2024": "2024 Code"}


def code_prefix(j: Judged) -> str:
    """``2022 Code: `` for a step the annual figures judged by the 2022 Code; else nothing."""
    return f"{CODE_NAMES.get(j.code, j.code)}: " if j.code else ""


_new_line = tuple.__new__  # CaseLine(...) without the named tuple's Python-level constructor


def _line(j: Judged, deadline: date, ok: bool, ok_text: str, late_text: str, note: str) -> CaseLine:
    """The case line of a judged step (a year's figures make ~57,000 at 100,000 cases: the
    line is made with ``tuple.__new__``, its fields in :class:`CaseLine`'s order, and the
    verdicts read from the milestone once; with :func:`share`'s partition, the annual
    self-assessment figures take 0.33 s of CPU against 0.43 s, ``time.process_time``, the
    generated 100k log, 2026-11-30)."""
    why = working(j.m)  # made only for the lines shown: a trend judges a year
    code = j.code
    if code:
        why = f"{CODE_NAMES.get(code, code)}: {why}"
    if note:
        why += f"; {note}"
    log = j.log
    if log:
        why += f"; {log}: the dates count"
    case = j.case
    event, result = DONE[j.role][1], ok_text if ok else late_text
    if case.dates[_DONE_AT[j.role]] is None:  # never_done(j), inline: a hot path
        event, result = "escalated to Stage 2", NEVER_ACKNOWLEDGED
        why = f"no Stage 1 acknowledgement (nor response) recorded when escalated; {why}"
    return _new_line(
        CaseLine,
        (
            case.reference,
            case.dates.received,
            event,
            j.m.done,
            deadline,
            True,
            result,
            why,
            None,
            None,
            log,
        ),
    )


def within_timeframe(j: Judged) -> CaseLine:
    m = j.m
    done = m.done
    assert done is not None
    in_time = done <= m.due
    note = ""
    if not in_time and m.extended_to is not None and done <= m.deadline:
        note = "late for the timeframe, within the extension"
    return _line(j, m.due, in_time, "on time", "late", note)


def within_extension(j: Judged) -> CaseLine:
    m = j.m
    done = m.done
    assert done is not None
    ok = m.extended_to is not None and done <= m.deadline
    return _line(j, m.deadline, ok, "within the extension", "after the extension", "")


def met(j: Judged) -> CaseLine:
    m = j.m
    done = m.done
    assert done is not None
    ok = done <= m.deadline
    note = "within the extension" if ok and not done <= m.due else ""
    return _line(j, m.deadline, ok, "on time", "late", note)


#: A result that counts in a share's numerator.
_ON_TIME = ("on time", "within the extension")


def _share_lines(
    judged: list[Judged],
    line: Callable[[Judged], CaseLine],
    only: Callable[[Judged], bool] | None,
    out_why: str,
    extra: Iterable[CaseLine],
) -> tuple[list[CaseLine], int, int]:
    """:func:`share`'s case lines, the counted ones first, and its numerator and denominator."""
    lines: list[CaseLine] = []
    numerator = denominator = 0
    for j in judged:
        if only is not None and not only(j):
            if not out_why:  # not a candidate at all: not listed
                continue
            lines.append(
                CaseLine(
                    j.case.reference,
                    j.case.dates.received,
                    DONE[j.role][1],
                    j.done,
                    counted=False,
                    why=out_why,
                )
            )
            continue
        case_line = line(j)
        lines.append(case_line)
        denominator += 1
        numerator += case_line.result in _ON_TIME
    lines.extend(extra)  # judged cases come in the order they were done, counted-out ones after
    # the counted lines first, each group in its order (a stable sort on "not counted", made
    # without a key function called for each of a year's ~28,000 lines)
    lines = [line for line in lines if line.counted] + [line for line in lines if not line.counted]
    return lines, numerator, denominator


def kept_timeframe(j: Judged) -> bool:
    """:func:`within_timeframe`'s verdict (its line's result is "on time")."""
    return j.m.done <= j.m.due  # type: ignore[operator]  # a judged step is done


def kept_extension(j: Judged) -> bool:
    """:func:`within_extension`'s verdict (its line's result is "within the extension")."""
    m = j.m
    return m.extended_to is not None and m.done <= m.deadline  # type: ignore[operator]


def kept_deadline(j: Judged) -> bool:
    """:func:`met`'s verdict (its line's result is "on time")."""
    return j.m.done <= j.m.deadline  # type: ignore[operator]


#: A line function of this module -> whether its line counts in a share's numerator, read
#: from the milestone without making the line.
_VERDICTS: dict[Callable[[Judged], CaseLine], Callable[[Judged], bool]] = {
    within_timeframe: kept_timeframe,
    within_extension: kept_extension,
    met: kept_deadline,
}


def share(
    key: str,
    label: str,
    section: str,
    sheet: str,
    judged: list[Judged],
    line: Callable[[Judged], CaseLine],
    *,
    only: Callable[[Judged], bool] | None = None,
    out_why: str = "",
    extra: Iterable[CaseLine] | Callable[[], Iterable[CaseLine]] = (),
    note: str = "",
) -> Figure:
    """A share figure from judged cases: ``only`` picks the denominator (the others are listed
    as counted out with ``out_why``, or not at all without one); a line whose result is on
    time counts in the numerator; ``extra``: counted-out lines listed after the others (or a
    function giving them, called when the lines are made). With one of this module's lines
    (:func:`met`, :func:`within_timeframe`, :func:`within_extension`) the counts come from the
    same verdicts and the lines are made only when read (:class:`~.figures.DeferredFigure`: a
    table prints a share's counts, not its lines); with any other line, at once."""
    verdict = _VERDICTS.get(line)
    if verdict is None:
        more = extra() if callable(extra) else extra
        lines, numerator, denominator = _share_lines(judged, line, only, out_why, more)
        return Figure(
            key,
            label,
            section,
            "share",
            sheet,
            count=numerator,
            of=denominator,
            note=note,
            cases=lines,
        )
    numerator = denominator = 0
    for j in judged:
        if only is not None and not only(j):
            continue
        denominator += 1
        numerator += verdict(j)
    kept = extra if callable(extra) else list(extra)

    def made() -> list[CaseLine]:
        more = kept() if callable(kept) else kept
        return _share_lines(judged, line, only, out_why, more)[0]

    figure = Figure(key, label, section, "share", sheet, count=numerator, of=denominator, note=note)
    return deferred(figure, made)
