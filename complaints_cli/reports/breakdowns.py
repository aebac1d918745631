"""Outcomes, categories and refusals: the counts the governing body sees (Code 2024 section 9:
the Member Responsible for Complaints sees the volume, categories and outcomes of complaints;
section 8: the annual report summarises the types of complaints the landlord refused).

Every case is counted somewhere: a response with no outcome recorded, or a complaint with no
category, is a "not recorded" row naming its cases, never dropped.

* **Outcomes**, per stage: each response sent in the period gives its stage's recorded outcome
  (upheld, partly upheld, not upheld, resolved; ``respond --outcome``); a complaint withdrawn in
  the period before that stage's response counts as ``withdrawn`` at the stage it was at.
* **Categories**, per stage: Stage 1 complaints received in the period, and Stage 2 escalations
  received in it, by the case's category (the team's list first, in its order, then any other
  category recorded, then "not recorded").
* **Refusals**, by reason: complaints not accepted (dated when the resident was told, else when
  received) and Stage 2 escalations refused in the period, grouped by their recorded reason
  (the same words in any case; "no reason recorded" when blank).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import date
from functools import partial
from operator import attrgetter
from typing import Any

from complaints_cli.domain.periods import Period
from complaints_cli.domain.vocabulary import Outcome
from complaints_cli.reports.cases import ReportCase
from complaints_cli.reports.figures import (
    BY_DATE,
    Breakdown,
    BreakdownRow,
    CaseLine,
    DeferredRow,
    event_line,
)
from complaints_cli.reports.timeliness import uk

STAGES = ("Stage 1", "Stage 2")
NOT_RECORDED = "not_recorded"
_NOT_RECORDED_LABEL = "not recorded"

#: Outcome rows, in order.
OUTCOME_ROWS: tuple[tuple[str, str], ...] = (
    *((o.value.replace(" ", "_"), o.value) for o in Outcome),
    (NOT_RECORDED, _NOT_RECORDED_LABEL),
)
_OUTCOME_KEY = {o.value: o.value.replace(" ", "_") for o in Outcome}


_SLUGS: dict[str, str] = {}


def slug(text: str) -> str:
    """``Damp and mould`` -> ``damp_and_mould``: a stable row key (cached: a log repeats a few
    categories and reasons)."""
    known = _SLUGS.get(text)
    if known is None:
        known = _SLUGS[text] = (
            re.sub(r"[^a-z0-9]+", "_", text.strip().lower()).strip("_") or "blank"
        )
    return known


EVENTS = ("Stage 1 response", "Stage 2 response")
OUTCOME_FIELDS = ("stage1_outcome", "stage2_outcome")
#: Each stage's response date, read from a case.
_RESPONDED = (attrgetter("dates.stage1_responded"), attrgetter("dates.stage2_responded"))
_NO_OUTCOME = "no outcome recorded: complaints respond --outcome"
_NO_CATEGORY = "no category recorded: complaints correct REF --category"


def _outcome_key(recorded: object) -> str:
    key = _OUTCOME_KEY.get(recorded)  # type: ignore[call-overload]
    if key is None:
        key = _OUTCOME_KEY.get(str(recorded).strip().lower(), NOT_RECORDED)
    return key


def _withdrawn_at(case: ReportCase, period: Period, day: date | None) -> str | None:
    """The stage a case was withdrawn at on ``day`` (its withdrawal, or a past one it was
    reopened from), when that is in ``period`` before that stage's response; else None."""
    if day is None or day not in period:
        return None
    d = case.dates
    if d.escalation_received is not None and d.escalation_received <= day:
        return None if d.stage2_responded is not None and d.stage2_responded <= day else "Stage 2"
    return None if d.stage1_responded is not None and d.stage1_responded <= day else "Stage 1"


def outcomes(cases: Iterable[ReportCase], period: Period, section: str) -> Breakdown:
    """Outcomes of the responses sent in ``period``, and withdrawals, per stage. Each row's
    case lines are made when first read (:class:`~.figures.DeferredRow`); the cases counted in
    each cell are found here."""
    responded: dict[str, tuple[list[ReportCase], list[ReportCase]]] = {
        key: ([], []) for key, _ in OUTCOME_ROWS
    }
    withdrawn: tuple[list[tuple[ReportCase, date]], list[tuple[ReportCase, date]]] = ([], [])
    start, end = period.start, period.end
    cases = cases if isinstance(cases, list) else list(cases)
    for i, (day_of, field) in enumerate(zip(_RESPONDED, OUTCOME_FIELDS, strict=True)):
        for c, day in zip(cases, map(day_of, cases), strict=True):
            if day is None or not start <= day <= end:
                continue
            recorded = c.values[field]
            key = NOT_RECORDED if recorded is None else _outcome_key(recorded)
            responded[key][i].append(c)
    for c in cases:
        days = [] if c.values["withdrawn"] is None else [c.values["withdrawn"]]
        if c.closures:  # withdrawals taken back since still count in their period
            days += [x.day for x in c.closures_in("Withdrawn", start, end)]
        for day in days:
            stage_at = _withdrawn_at(c, period, day)
            if stage_at is not None:
                withdrawn[STAGES.index(stage_at)].append((c, day))

    def lines(key: str) -> list[list[CaseLine]]:
        why = _NO_OUTCOME if key == NOT_RECORDED else ""
        cells: list[list[CaseLine]] = []
        for i, (day_of, event) in enumerate(zip(_RESPONDED, EVENTS, strict=True)):
            cell = [
                event_line(c.reference, c.dates.received, event, day_of(c), why=why)
                for c in responded[key][i]
            ]
            if key == "withdrawn":
                cell += [
                    CaseLine(
                        c.reference,
                        c.dates.received,
                        f"withdrawn at {STAGES[i]}",
                        day,
                        text=(c.values["withdrawn_reason"] or "").strip() or None,
                    )
                    for c, day in withdrawn[i]
                ]
            cells.append(cell)
        return cells  # sorted by DeferredRow when read

    def counts(key: str) -> list[int]:
        extra = withdrawn if key == "withdrawn" else ([], [])
        return [len(responded[key][i]) + len(extra[i]) for i in range(len(STAGES))]

    rows: list[BreakdownRow] = [
        DeferredRow(key, label, counts(key), partial(lines, key)) for key, label in OUTCOME_ROWS
    ]
    return Breakdown(
        "outcomes",
        "Outcomes",
        section,
        STAGES,
        rows,
        note=f"Responses sent {_span(period)}, by the outcome recorded at each stage; complaints "
        "withdrawn in it before that stage's response count as withdrawn. A response with no "
        "outcome recorded is counted as not recorded, with its reference.",
    )


def categories(
    cases: Iterable[ReportCase], period: Period, section: str, team: Sequence[str] = ()
) -> Breakdown:
    """Stage 1 complaints received and Stage 2 escalations received in ``period``, by category:
    ``team``'s list first (in its order, each shown even at 0), then any other recorded."""
    found: dict[str, str] = {slug(name): name for name in team}
    counted: dict[str, tuple[list[ReportCase], list[ReportCase]]] = {key: ([], []) for key in found}
    start, end = period.start, period.end
    for c in cases:
        d = c.dates
        received, escalated = d.received, d.escalation_received
        first = start <= received <= end
        second = escalated is not None and start <= escalated <= end
        if not (first or second):
            continue
        recorded = str(c.values["category"] or "").strip()
        key = slug(recorded) if recorded else NOT_RECORDED
        if key not in counted:
            counted[key] = ([], [])
            found.setdefault(key, recorded or _NOT_RECORDED_LABEL)
        if first:
            counted[key][0].append(c)
        if second:
            counted[key][1].append(c)

    def lines(key: str) -> list[list[CaseLine]]:
        cells: list[list[CaseLine]] = []
        for i, event in enumerate(("received", "escalation received")):
            cell = []
            for c in counted.get(key, ((), ()))[i]:
                d = c.dates
                why = "" if str(c.values["category"] or "").strip() else _NO_CATEGORY
                day = d.received if i == 0 else d.escalation_received
                cell.append(event_line(c.reference, d.received, event, day, why=why))
            cells.append(cell)
        return cells  # sorted by DeferredRow when read

    team_keys = [slug(name) for name in team]
    others = sorted(
        (k for k in counted if k not in team_keys and k != NOT_RECORDED),
        key=lambda k: (-sum(len(x) for x in counted[k]), found[k].lower()),
    )
    order = [*team_keys, *others, NOT_RECORDED]
    rows: list[BreakdownRow] = [
        DeferredRow(
            k,
            found.get(k, _NOT_RECORDED_LABEL),
            [len(x) for x in counted.get(k, ((), ()))],
            partial(lines, k),
        )
        for k in order
    ]
    source = "the team's list (config), then the others recorded" if team else "as recorded"
    return Breakdown(
        "categories",
        "Categories",
        section,
        STAGES,
        rows,
        note=f"Stage 1 complaints received and Stage 2 escalations received {_span(period)}, "
        f"by the category recorded ({source}); a complaint with no category is counted as not "
        "recorded, with its reference.",
    )


def refusals(
    not_accepted: Iterable[ReportCase], cases: Iterable[ReportCase], period: Period, section: str
) -> Breakdown:
    """The complaints refused in ``period``, by reason: not accepted under the policy, and
    Stage 2 escalations refused (Code 2024 8.1: a summary of the types of complaints refused)."""
    labels: dict[str, str] = {}
    cells: dict[str, list[list[CaseLine]]] = {}

    def add(
        i: int, c: ReportCase, reason: str | None, event: str, day: date | None, told: Any
    ) -> None:
        text = (reason or "").strip()
        key = slug(text) if text else "no_reason_recorded"
        labels.setdefault(key, text or "no reason recorded")
        cells.setdefault(key, [[], []])[i].append(
            CaseLine(
                c.reference,
                c.dates.received,
                event,
                day,
                counted=False,
                why=f"told {uk(told)}" if told else "no date recorded for telling the resident",
                text=text or None,
            )
        )

    for c in not_accepted:
        told = c.values["not_accepted_told"]
        day = told or c.dates.received
        if day in period:
            add(0, c, c.values["not_accepted_reason"], "not accepted", day, told)
    for c in cases:
        day = c.escalation_refused
        if day is not None and day in period:
            add(
                1,
                c,
                c.values["stage2_refused_reason"],
                "Stage 2 escalation refused",
                day,
                c.values["stage2_refusal_told"],
            )
    order = sorted(cells, key=lambda k: (-sum(len(x) for x in cells[k]), labels[k].lower()))
    rows = [BreakdownRow(k, labels[k], _sorted(cells[k])) for k in order]
    return Breakdown(
        "refusals",
        "Complaints refused, by reason",
        section,
        ("Not accepted", "Stage 2 escalation refused"),
        rows,
        note=f"Complaints not accepted under the policy's exclusions (dated when the resident "
        f"was told, else when received) and Stage 2 escalations refused, {_span(period)}, by "
        "the reason recorded (Code 2024 8.1: the types of complaints refused). Neither is "
        "counted in CH01.",
    )


def _sorted(cells: list[list[CaseLine]]) -> list[list[CaseLine]]:
    for cell in cells:
        cell.sort(key=BY_DATE)
    return cells


def _span(period: Period) -> str:
    return f"from {period.start:%d/%m/%Y} to {period.end:%d/%m/%Y}"
