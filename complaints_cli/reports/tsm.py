"""The Regulator of Social Housing's Tenant Satisfaction Measures CH01 and CH02, per stock type.

Source: Regulator of Social Housing, "Tenant Satisfaction Measures: Technical Requirements"
(updated 15 March 2024 "to confirm how CH01 and CH02 will reflect the Housing Ombudsman
Service's new 2024 Complaints Handling Code"; sections "Level of reporting", "Relevant social
housing stock", "Ownership" and the CH01/CH02 definitions), and DOMAIN.md, "What the regulators
count":

* the measures are reported **per stock type**: low-cost rental accommodation (LCRA) and
  low-cost home ownership (LCHO), on the homes the landlord **owns** of that type; the total
  here is LCRA and LCHO together. A complaint from another tenure (market rent, a non-resident)
  or one whose tenure is not recorded cannot be placed: it is counted out, with why (the note
  gives the figure with them, for comparison);
* **CH01**: Stage 1 complaints received in the year, and Stage 2 complaints (escalations)
  received in it, per 1,000 homes owned. A complaint not accepted, or an escalation refused, is
  not a complaint at that stage: counted out, with its reason;
* **CH02**: the share of Stage 1 (and Stage 2) complaints responded to in the year within the
  Code's timescales. "Within the timescales" is read here as the acknowledgement in time *and*
  the response in time (an extension within the Code's limit counts). Two other readings are
  shown beside it, because landlords differ: the **response alone** in time (the
  acknowledgement not judged), and a converted service dissatisfaction counted **from the day
  it was first raised** (the 2024 Code, 5.2, permits no informal stage), Stage 1 only.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import partial
from typing import Final

from complaints_cli.domain.code_in_force import (
    CODE_2022,
    CODE_2024,
    CODE_2024_FROM,
    STARTED_BY,
    code_on,
)
from complaints_cli.domain.periods import Period
from complaints_cli.domain.profiles import Profile
from complaints_cli.domain.vocabulary import Tenure
from complaints_cli.domain.workdays import Calendar
from complaints_cli.reports.cases import ReportCase
from complaints_cli.reports.figures import CaseLine, Figure, deferred, event_line
from complaints_cli.reports.timeliness import DONE, Judged, code_prefix, met, share, uk, working

TSM = "Tenant Satisfaction Measures"
OTHER_READINGS = "Tenant Satisfaction Measures: other readings"

#: Stock type key -> (the tenure recorded, how it reads).
STOCK: Final = {
    "lcra": (Tenure.LOW_COST_RENTAL, "low-cost rental (LCRA)"),
    "lcho": (Tenure.LOW_COST_HOME_OWNERSHIP, "low-cost home ownership (LCHO)"),
}
_BY_TENURE: Final = {tenure.value: key for key, (tenure, _label) in STOCK.items()}
#: Why a case with no tenure is counted out, and the command that records one.
_NO_TENURE: Final = (
    "no tenure recorded: complaints correct {ref} --tenure 'low-cost rental' (or 'low-cost "
    "home ownership', other, unknown) --reason ..."
)


@dataclass(frozen=True, slots=True)
class Homes:
    """Homes owned, for CH01: in all, and per stock type when the split is configured."""

    total: int | None = None  #: ``--homes`` or the ``homes`` setting
    lcra: int | None = None  #: ``--homes-lcra`` or the ``homes_lcra`` setting
    lcho: int | None = None  #: ``--homes-lcho`` or the ``homes_lcho`` setting

    @property
    def split(self) -> bool:
        return self.lcra is not None and self.lcho is not None

    def of(self, stock: str | None) -> int | None:
        """Homes owned of ``stock`` (None: LCRA and LCHO together)."""
        if stock == "lcra":
            return self.lcra
        if stock == "lcho":
            return self.lcho
        if self.split:
            return (self.lcra or 0) + (self.lcho or 0)
        return self.total

    def basis(self, stock: str | None) -> str:
        if stock is not None:
            homes = self.of(stock)
            if homes is None:
                return (
                    f"n/a: homes owned ({STOCK[stock][1]}) not configured: give --homes-{stock} N"
                )
            return f"{homes:,} {STOCK[stock][1]} homes owned."
        if self.split:
            return f"Homes owned: {self.lcra:,} LCRA + {self.lcho:,} LCHO."
        if self.total is not None:
            return (
                f"Homes owned: {self.total:,} in all (--homes or the homes setting); the split "
                "by stock type is not configured (--homes-lcra, --homes-lcho)."
            )
        return "n/a: give --homes N, or set homes in the config (complaints config)"


def stock_of(case: ReportCase) -> str | None:
    """``lcra`` or ``lcho`` for a case of that tenure; None for any other or none recorded."""
    tenure = case.values["tenure"]
    if tenure is None:
        return None
    stock = _BY_TENURE.get(tenure)
    return stock if stock is not None else _BY_TENURE.get(str(tenure).strip().lower())


def tenure_why(case: ReportCase) -> str:
    """Why a case is not in the stock-type figures."""
    tenure = str(case.values["tenure"] or "").strip()
    if not tenure:
        return _NO_TENURE.format(ref=case.reference)
    if tenure.lower() == Tenure.UNKNOWN.value:
        return "tenure unknown: not LCRA or LCHO stock"
    return f"tenure {tenure}: not LCRA or LCHO stock"


def _rate(key: str, label: str, counted: int, homes: Homes, stock: str | None) -> Figure:
    """A CH01 rate of ``counted`` cases (its case lines given later, see :func:`ch01`)."""
    return Figure(
        key,
        label,
        TSM,
        "rate",
        label.split(":")[0][:31],
        count=counted,
        of=homes.of(stock) or 0,
    )


def _ch01_lines(
    cases: Iterable[ReportCase], not_accepted: Iterable[ReportCase], period: Period, stage: str
) -> tuple[list[CaseLine], dict[str, list[CaseLine]]]:
    """CH01's case lines at ``stage`` (the counted first), and the counted ones per stock."""
    lines: list[CaseLine] = []
    stocks: dict[str, list[CaseLine]] = {"lcra": [], "lcho": []}
    for c in cases:
        day: date | None
        if stage == "stage1":
            day, event = c.dates.received, "received"
        else:
            day, event = c.dates.escalation_received, "escalation received"
            asked = c.escalation_refused
            if asked is not None and asked in period:
                reason = (c.values["stage2_refused_reason"] or "").strip()
                lines.append(
                    CaseLine(
                        c.reference,
                        c.dates.received,
                        "Stage 2 request refused",
                        asked,
                        counted=False,
                        why=f"Stage 2 request of {uk(asked)} refused: "
                        + (reason or "no reason recorded"),
                    )
                )
        if day is None or day not in period:
            continue
        stock = stock_of(c)
        if stock is None:
            why = tenure_why(c)
            lines.append(
                event_line(c.reference, c.dates.received, event, day, counted=False, why=why)
            )
            continue
        line = event_line(c.reference, c.dates.received, event, day, result=STOCK[stock][1])
        lines.append(line)
        stocks[stock].append(line)
    if stage == "stage1":
        for c in not_accepted:
            if c.dates.received in period:
                reason = (c.values["not_accepted_reason"] or "").strip()
                lines.append(
                    CaseLine(
                        c.reference,
                        c.dates.received,
                        "received",
                        c.dates.received,
                        counted=False,
                        why="not accepted under the policy: " + (reason or "no reason recorded"),
                    )
                )
    lines.sort(key=lambda line: (not line.counted, line.on or period.start, line.reference))
    return lines, stocks


def _ch01_counts(
    cases: Iterable[ReportCase], period: Period, stage: str
) -> tuple[dict[str, int], int]:
    """What :func:`_ch01_lines` counts, without its lines: the cases of each stock, and the
    others (another or unrecorded tenure)."""
    counts = {"lcra": 0, "lcho": 0}
    others = 0
    for c in cases:
        day = c.dates.received if stage == "stage1" else c.dates.escalation_received
        if day is None or day not in period:
            continue
        stock = stock_of(c)
        if stock is None:
            others += 1
        else:
            counts[stock] += 1
    return counts, others


def ch01(
    cases: Sequence[ReportCase], not_accepted: Sequence[ReportCase], period: Period, homes: Homes
) -> list[Figure]:
    """CH01 at each stage: in total (LCRA and LCHO) and per stock type. The counts come first;
    the case lines are made when read (:func:`~.figures.deferred`: a table prints counts)."""
    out: list[Figure] = []
    for stage, name in (("stage1", "Stage 1"), ("stage2", "Stage 2")):
        counts, others = _ch01_counts(cases, period, stage)
        made: list[tuple[list[CaseLine], dict[str, list[CaseLine]]]] = []

        def lines_of(
            stock: str | None,
            stage: str = stage,
            made: list[tuple[list[CaseLine], dict[str, list[CaseLine]]]] = made,
        ) -> list[CaseLine]:
            if not made:
                made.append(_ch01_lines(cases, not_accepted, period, stage))
            lines, stocks = made[0]
            return lines if stock is None else stocks[stock]

        counted = sum(counts.values())
        label = f"CH01 {name} complaints received per 1,000 homes"
        total = deferred(
            _rate(f"ch01_{stage}", label, counted, homes, None),
            partial(lines_of, None),
        )
        what = (
            "Stage 1 complaints received" if stage == "stage1" else "Stage 2 escalations received"
        )
        total.note = (
            f"{what} in the period from LCRA and LCHO residents, per 1,000 homes owned of those "
            f"types. {homes.basis(None)}"
        )
        if others and homes.of(None):
            with_others = 1000.0 * (counted + others) / (homes.of(None) or 1)
            total.note += (
                f" Counted out: {others} of another or unrecorded tenure (with them: "
                f"{with_others:.2f} per 1,000 homes)."
            )
        out.append(total)
        for stock, (_tenure, stock_label) in STOCK.items():
            fig = deferred(
                _rate(
                    f"ch01_{stage}_{stock}",
                    f"CH01 {name} complaints per 1,000 homes: {stock_label}",
                    counts[stock],
                    homes,
                    stock,
                ),
                partial(lines_of, stock),
            )
            fig.sheet = f"CH01 {name} {stock.upper()}"
            fig.note = f"{what} in the period from {stock_label} residents. {homes.basis(stock)}"
            out.append(fig)
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
    why = f"{code_prefix(j)}{ack_text}; response {working(j.m)}"
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


class Codes:
    """The Codes' profiles, and which one judges a step: the one in force on the day the step's
    clock started (:mod:`complaints_cli.domain.code_in_force`)."""

    def __init__(self, profiles: Mapping[str, Profile]) -> None:
        self.profiles = profiles

    def on(self, day: date) -> Profile:
        return self.profiles[code_on(day)]

    def for_step(self, case: ReportCase, role: str) -> Profile:
        started = getattr(case.dates, STARTED_BY[role]) or case.dates.received
        return self.on(started)

    def chooser(self, role: str) -> Callable[[ReportCase], Profile]:
        """:meth:`for_step` for one role, as a fast function (it runs for every step judged)."""
        attr = STARTED_BY[role]
        earlier, later = self.profiles[CODE_2022], self.profiles[CODE_2024]

        def choose(case: ReportCase) -> Profile:
            d = case.dates
            started = getattr(d, attr) or d.received
            return later if started >= CODE_2024_FROM else earlier

        return choose


def ch02(
    judged: dict[str, list[Judged]],
    out_lines: Callable[[str], list[CaseLine]],
    stocked_refs: set[str],
    codes: Codes,
    calendar: Calendar,
) -> list[Figure]:
    """CH02 at each stage, in total and per stock type, then the other readings.
    ``out_lines(stage)``: the cases whose step was not done in the period (counted out, with
    why);
    ``stocked_refs``: the references of the LCRA and LCHO cases."""
    figures: list[Figure] = []
    readings: list[Figure] = []
    for stage, name, ack_role in (
        ("stage1", "Stage 1", "ack"),
        ("stage2", "Stage 2", "stage2_ack"),
    ):
        acks: dict[str, Judged] = {}
        stocked: list[Judged] = []
        others = 0
        for j in judged[stage]:
            if stock_of(j.case) is None:
                others += 1  # listed in CH01, counted out with why
                continue
            stocked.append(j)
            code = codes.for_step(j.case, ack_role)
            m = j.case.milestones(code, calendar).get(ack_role)
            if m is not None and m.done is not None:
                acks[j.case.reference] = Judged(j.case, ack_role, m, None, code.name)
        lines = {id(j): ch02_line(j, acks.get(j.case.reference)) for j in stocked}

        def line_of(j: Judged, lines: dict[int, CaseLine] = lines) -> CaseLine:
            return lines[id(j)]

        extra = (
            [line for line in out_lines(stage) if line.reference in stocked_refs]
            if stocked_refs
            else []
        )
        total = share(
            f"ch02_{stage}",
            f"CH02 {name} complaints responded to within the Code's timescales",
            TSM,
            f"CH02 {name}",
            stocked,
            line_of,
            extra=extra,
        )
        total.note = (
            f"{name} complaints from LCRA and LCHO residents responded to in the period, on time "
            "when acknowledged within the Code's timescale and responded to within it (an "
            "extension within the Code's limit counts), each step judged by the Code in force "
            f"when its clock started. Counted out: {others} of another or unrecorded tenure "
            f"(listed in CH01, with why), and {len(extra)} not responded to in the period."
        )
        figures.append(total)
        for stock, (_tenure, stock_label) in STOCK.items():
            fig = share(
                f"ch02_{stage}_{stock}",
                f"CH02 {name}: {stock_label}",
                TSM,
                f"CH02 {name} {stock.upper()}",
                [j for j in stocked if stock_of(j.case) == stock],
                line_of,
            )
            fig.note = f"As CH02 {name}, for {stock_label} residents only."
            figures.append(fig)
        alone = share(
            f"ch02_{stage}_response_only",
            f"CH02 {name}, another reading: the response alone in time",
            OTHER_READINGS,
            f"CH02 {name} response only",
            stocked,
            met,
        )
        alone.note = (
            f"As CH02 {name}, judging the response alone (the acknowledgement not judged): "
            f"{alone.text}, against {total.text} when the acknowledgement is judged too. The "
            "Regulator asks landlords to publish the timescales they used."
        )
        readings.append(alone)
        if stage == "stage1":
            readings.append(_first_contact(stocked, lines, codes, calendar, total))
    return figures + readings


def _first_contact(
    stocked: list[Judged],
    lines: dict[int, CaseLine],
    codes: Codes,
    calendar: Calendar,
    main: Figure,
) -> Figure:
    """CH02 Stage 1 with each converted service dissatisfaction counted from the day raised."""
    alt: dict[int, CaseLine] = {}
    converted = 0
    for j in stocked:
        dates = j.case.first_contact_dates()
        alt[id(j)] = lines[id(j)]
        if dates is None:
            continue
        code = codes.on(dates.received)  # the Code in force when the dissatisfaction was raised
        roles = j.case.milestones(code, calendar, dates)
        m, ack_m = roles.get("stage1"), roles.get("ack")
        if m is None or m.done is None:
            continue
        converted += 1
        ack = Judged(j.case, "ack", ack_m, None, code.name) if ack_m and ack_m.done else None
        line = ch02_line(Judged(j.case, "stage1", m, None, code.name), ack)
        alt[id(j)] = line._replace(
            why=f"{line.why}; counted from the service dissatisfaction raised {uk(dates.received)}"
        )
    fig = share(
        "ch02_stage1_from_first_contact",
        "CH02 Stage 1, another reading: from the day a service dissatisfaction was raised",
        OTHER_READINGS,
        "CH02 S1 from first contact",
        stocked,
        lambda j: alt[id(j)],
    )
    fig.note = (
        f"As CH02 Stage 1, with each of the {converted} converted service dissatisfaction(s) "
        "counted from the day it was first raised instead of the day it was converted (the "
        f"2024 Code, 5.2, permits no informal stage): {fig.text}, against {main.text}."
    )
    return fig
