"""The cases a report needs, read once through the raw driver, and their deadlines judged.

Timeliness is worked out from the case's dates with the profile's rules
(:func:`complaints_cli.domain.deadlines.compute_milestones`), not read from the log's stored Yes/No
columns: those were typed by hand in imported logs and may disagree with the dates. Where the
stored column and the dates disagree, the dates count and the case line says what the log says
(``log``), so the entry can be corrected; see :func:`log_disagrees`.

Milestones are found by their role, not their key, so any profile works: the acknowledgement
and the two responses by the log column they fill (``Met HOS acknowledgment timeframe`` ...),
the Stage 2 acknowledgement by the event that completes it (``stage2_acknowledged``).
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from complaints_cli.domain.deadlines import CaseDates, Milestone, State, compute_milestones
from complaints_cli.domain.derived import ACK_COLUMN, STAGE1_COLUMN, STAGE2_COLUMN
from complaints_cli.domain.presentation import yes_no
from complaints_cli.domain.profiles import PROJECTIONS, MilestoneRule, Profile
from complaints_cli.domain.workdays import Calendar
from complaints_cli.store.db import RawDatabase
from complaints_cli.store.report_queries import report_rows

#: Role -> how its milestone is recognised in any profile.
ROLE_COLUMNS = {"ack": ACK_COLUMN, "stage1": STAGE1_COLUMN, "stage2": STAGE2_COLUMN}
_ROLE_COLUMN_NAMES = frozenset(ROLE_COLUMNS.values())
#: Role -> the case's stored Yes/No column and its explanation.
STORED = {
    "ack": ("ack_met", "ack_met_note"),
    "stage1": ("stage1_met", "stage1_met_note"),
    "stage2": ("stage2_met", "stage2_met_note"),
}

#: Roles recognised by the event that completes them.
_DONE_ROLES = {"stage2_acknowledged": "stage2_ack", "ombudsman_evidence_sent": "evidence"}

#: CaseDates' date fields, each a column of the complaint table (as ``due`` reads them).
_DATES = tuple(f.name for f in fields(CaseDates) if f.type in ("date", "date | None"))
_OTHER_DATES = tuple(n for n in ("ombudsman_referred", "closed") if n not in _DATES)
_FLAGS = ("ack_met", "stage1_met", "stage2_met")
_TEXT = (
    "reference",
    "status",
    "stage",
    "review_type",
    "ack_met_note",
    "stage1_met_note",
    "stage2_met_note",
    "compensation_reasons",
    "stage2_compensation_reasons",
    "ombudsman_body",
)
_PENCE = ("compensation_pence", "stage2_compensation_pence")
COLUMNS = ("id", *_DATES, *_OTHER_DATES, *_FLAGS, *_TEXT, *_PENCE)


def as_date(value: Any) -> date | None:
    """SQLite gives ISO text, PostgreSQL a date (or a datetime)."""
    if isinstance(value, datetime):
        return value.date()
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def pounds(pence: Any) -> Decimal | None:
    return None if pence is None else Decimal(int(pence)) / 100


def is_closed_status(status: str | None) -> bool:
    return (status or "").strip().lower().startswith("closed")


@dataclass(slots=True)
class ReportCase:
    """One case as a report sees it: its values, its dates, and its judged milestones."""

    reference: str
    values: dict[str, Any]
    dates: CaseDates
    _judged: dict[int, dict[str, Milestone]] = field(default_factory=dict)

    def closed_by(self, day: date) -> bool:
        """Closed on or before ``day``. A case marked closed without a closed date cannot be
        placed in time, so it is treated as closed throughout."""
        closed = self.values["closed"]
        if closed is None:
            return is_closed_status(self.values["status"])
        return bool(closed <= day)

    def open_at(self, day: date) -> bool:
        return bool(self.dates.received <= day) and not self.closed_by(day)

    def stage_at(self, day: date) -> str:
        """The stage the case was at on ``day``, from its dates."""
        v = self.values
        for name in ("ombudsman_referred", "ombudsman_requested"):
            if v[name] is not None and v[name] <= day:
                return "Ombudsman"
        esc = self.dates.escalation_received
        return "Stage 2" if esc is not None and esc <= day else "Stage 1"

    def as_at(self, day: date) -> CaseDates:
        """The case's dates as they stood at the end of ``day``: later dates not yet recorded."""
        d = self.dates
        later = {n: None for n in _DATES if (v := getattr(d, n)) is not None and v > day}
        status = "Closed" if self.closed_by(day) else "Open"
        return replace(d, **later, status=status, stage=self.stage_at(day))  # type: ignore[arg-type]

    def milestones(self, profile: Profile, calendar: Calendar) -> dict[str, Milestone]:
        """Role -> the case's completed-or-not milestone under ``profile`` (judged once)."""
        cached = self._judged.get(id(profile))
        if cached is not None:
            return cached
        roles: dict[str, Milestone] = {}
        judged = judging_profile(profile)
        for m in compute_milestones(self.dates, judged, calendar, as_of=self.dates.received):
            if m.log_column is not None:
                for role, column in ROLE_COLUMNS.items():
                    if m.log_column == column and role not in roles:
                        roles[role] = m
            done_role = _DONE_ROLES.get(m.rule.done_by or "")
            if done_role is not None and done_role not in roles:
                roles[done_role] = m
        self._judged[id(profile)] = roles
        return roles


def role_rule(profile: Profile, role: str) -> MilestoneRule | None:
    """The profile's milestone rule playing ``role`` (None: the profile sets no timeframe)."""
    column = ROLE_COLUMNS.get(role)
    for rule in profile.milestones:
        if column is not None and rule.log_column == column:
            return rule
        if column is None and _DONE_ROLES.get(rule.done_by or "") == role:
            return rule
    return None


_JUDGING: dict[int, tuple[Profile, Profile]] = {}


def judging_profile(profile: Profile) -> Profile:
    """``profile`` with only the milestones a report judges (and the ones their projections
    count from): the same verdicts, in about half the time on a year of cases."""
    cached = _JUDGING.get(id(profile))
    if cached is not None and cached[0] is profile:
        return cached[1]
    targets = {target for _recorded, target in PROJECTIONS.values()}
    keep = tuple(
        r
        for r in profile.milestones
        if r.key in targets
        or (
            r.kind == "deadline"
            and (r.log_column in _ROLE_COLUMN_NAMES or r.done_by in _DONE_ROLES)
        )
    )
    reduced = replace(profile, milestones=keep)
    _JUDGING[id(profile)] = (profile, reduced)
    return reduced


def load_cases(db: RawDatabase, start: date, end: date) -> list[ReportCase]:
    """Every counted case that can figure in a report on ``start``..``end`` (see
    :func:`complaints_cli.store.report_queries.report_rows`)."""
    return [case_from_row(row) for row in report_rows(db, COLUMNS, start, end)]


_DATE_INDEX = [COLUMNS.index(n) for n in (*_DATES, *_OTHER_DATES)]
_FLAG_INDEX = [COLUMNS.index(n) for n in _FLAGS]


#: CaseDates' date fields come first, in order: a row's dates can be passed by position.
_DATES_FIRST = tuple(f.name for f in fields(CaseDates))[: len(_DATES)] == _DATES
_N = len(_DATES)
_REF, _STAGE, _STATUS, _REVIEW = (
    COLUMNS.index(n) for n in ("reference", "stage", "status", "review_type")
)
#: ISO text -> date: a log's dates repeat (a few thousand distinct days in 100,000 cases).
_DAYS: dict[str, date] = {}


def case_from_row(row: tuple[Any, ...]) -> ReportCase:
    """A row of :data:`COLUMNS` as a :class:`ReportCase` (dates as dates, flags as bools)."""
    values = list(row)
    days = _DAYS
    for i in _DATE_INDEX:
        v = values[i]
        if v is not None:
            if type(v) is str:
                day = days.get(v)
                if day is None:
                    day = days[v] = date.fromisoformat(v[:10])
                values[i] = day
            else:
                values[i] = as_date(v)
    for i in _FLAG_INDEX:
        if values[i] is not None:
            values[i] = bool(values[i])
    stage = values[_STAGE] or "Stage 1"
    status = values[_STATUS] or "Open"
    if _DATES_FIRST:
        dates = CaseDates(  # type: ignore[misc]  # the slice is exactly the date fields
            *values[1 : 1 + _N], stage=stage, status=status, stage2_review=values[_REVIEW]
        )
    else:  # pragma: no cover - only if CaseDates ever puts another field among its dates
        dates = CaseDates(
            **dict(zip(_DATES, values[1 : 1 + _N], strict=True)),
            stage=stage,
            status=status,
            stage2_review=values[_REVIEW],
        )
    return ReportCase(str(values[_REF]), dict(zip(COLUMNS, values, strict=True)), dates)


def log_disagrees(case: ReportCase, role: str, computed: bool) -> str | None:
    """The log's stored Yes/No for ``role`` when it says otherwise than the dates, else None."""
    if role not in STORED:  # the log keeps no Yes/No for this step
        return None
    flag_name, note_name = STORED[role]
    stored = case.values.get(flag_name)
    if stored is None or stored == computed:
        return None
    return f"the log says {yes_no(stored, case.values.get(note_name))}"


def overdue_at(
    case: ReportCase, day: date, profile: Profile, calendar: Calendar
) -> list[Milestone]:
    """The deadlines ``case`` had missed and not met by the end of ``day`` (windows excluded)."""
    dates = case.as_at(day)
    return [
        m
        for m in compute_milestones(dates, profile, calendar, as_of=day)
        if m.done is None and m.state is State.MISSED and m.kind == "deadline"
    ]
