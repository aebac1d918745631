"""The cases a report needs, read once through the raw driver, and their deadlines judged.

Timeliness is worked out from the case's dates with the profile's rules
(:func:`complaints_cli.domain.deadlines.compute_milestones`), not read from the log's stored Yes/No
columns: those were typed by hand in imported logs and may disagree with the dates. Where the
stored column and the dates disagree, the dates count and the case line says what the log says
(``log``), so the entry can be corrected; see :func:`log_disagrees`.

Milestones are found by their role, not their key, so any profile works: the acknowledgement
and the two responses by the log column they fill (``Met HOS acknowledgment timeframe`` ...),
the Stage 2 acknowledgement by the event that completes it (``stage2_acknowledged``). Each
case's milestones are worked out once per profile and report (:meth:`ReportCase.milestones`).

What a case's own words mean here (issue 13):

* **withdrawn** (status ``Withdrawn``, a ``withdrawn`` date): counted as received, never as
  responded; finished from the day it was withdrawn (its steps not yet done are not judged);
* **not accepted** (status ``Not accepted``): not a complaint, so in no figure; listed as
  counted out of the figures it would have been in, with its reason (:func:`load_cases` keeps
  them apart);
* **a refused Stage 2 escalation** (``stage2_refused``): not a Stage 2 complaint, so its Stage 2
  steps are not judged and it is not escalated; listed as counted out, with its reason;
* **the stage at a day**: from the dates (the Ombudsman once referred or asked for evidence,
  Stage 2 once escalated), and from the log's own ``Stage`` column when it says Ombudsman with
  no Ombudsman date recorded (from the case's last recorded step);
* **a case reopened**: its past closures (closed, withdrawn, not accepted or voided, then
  reopened) are read from the history (:mod:`complaints_cli.domain.closures`,
  :attr:`ReportCase.closures`): it was finished at the end of each day of each of them, and
  each closure, withdrawal and not-accepted decision counts in the period of its date, so a
  later reopening never changes a past period's figures.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from decimal import Decimal
from operator import itemgetter
from typing import Any, NamedTuple

from complaints_cli.domain.as_it_stood import EXTENDED_TO, stage_on, told_on
from complaints_cli.domain.closures import Closure, finished_on, kept_closures
from complaints_cli.domain.deadlines import (
    DATE_FIELDS,
    CaseDates,
    Milestone,
    State,
    compute_milestones,
)
from complaints_cli.domain.derived import ACK_COLUMN, STAGE1_COLUMN, STAGE2_COLUMN
from complaints_cli.domain.presentation import yes_no
from complaints_cli.domain.profiles import PROJECTIONS, MilestoneRule, Profile
from complaints_cli.domain.vocabulary import ReviewType
from complaints_cli.domain.workdays import Calendar
from complaints_cli.store.closures import past_closures
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
_DATES = DATE_FIELDS
_OTHER_DATES = tuple(
    n
    for n in (
        "ombudsman_referred",
        "closed",
        "withdrawn",
        "stage2_refused",
        "stage2_refusal_told",
        "not_accepted_told",
        "compensation_paid",
        "stage2_compensation_paid",
        "ombudsman_determined",
        "stage1_extension_told_on",
        "stage2_extension_told_on",
    )
    if n not in _DATES
)
_FLAGS = (
    "ack_met",
    "stage1_met",
    "stage2_met",
    "stage1_extension_told",
    "stage2_extension_told",
)
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
    "ombudsman_findings",
    "category",
    "tenure",
    "stage1_outcome",
    "stage2_outcome",
    "withdrawn_reason",
    "stage2_refused_reason",
    "not_accepted_reason",
    "handler",
    "stage2_handler",
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


def _status_is(status: str | None, word: str) -> bool:
    return (status or "").strip().lower().startswith(word)


#: Finished statuses, as the deadline rules read a status (anything not "Closed..." or "Not
#: accepted..." is open there): a withdrawn case is finished, so its steps not yet done are
#: neither chased nor judged.
_FINISHED_AS = "Closed (withdrawn)"


@dataclass(slots=True)
class ReportCase:
    """One case as a report sees it: its values, its dates, and its judged milestones."""

    reference: str
    #: The case's columns by name (:data:`COLUMNS`; a :class:`RowValues` when read from the log)
    values: Mapping[str, Any]
    dates: CaseDates
    #: When it was finished (closed or withdrawn, the first; with no such date recorded, the
    #: last date the case records); None: not finished.
    end: date | None = None
    #: Finished (closed or withdrawn) with no date recorded: :attr:`end` is its last recorded
    #: date, and it is never counted as closed in a month.
    undated_end: bool = False
    #: Its past closures, each ended by a reopening (:mod:`complaints_cli.domain.closures`;
    #: empty for a case never reopened: nearly every case).
    closures: tuple[Closure, ...] = ()
    _judged: dict[int, dict[str, Milestone]] = field(default_factory=dict)

    @property
    def status(self) -> str:
        return str(self.values["status"] or "")

    @property
    def withdrawn(self) -> date | None:
        """When the resident withdrew the complaint (None: not withdrawn, or no date)."""
        day: date | None = self.values["withdrawn"]
        return day

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn is not None or _status_is(self.status, "withdrawn")

    @property
    def escalation_refused(self) -> date | None:
        """The day a refused Stage 2 request was received (``stage2_refused``, as
        ``complaints refuse-escalation --received`` records it); None: none refused. A later
        escalation of the same case (``escalate`` after a refusal) is a real one, in
        ``escalation_received``."""
        day: date | None = self.values["stage2_refused"]
        return day

    def closed_by(self, day: date) -> bool:
        """Finished (closed or withdrawn) at the end of ``day``: finished now, on or before
        it, or in one of its past closures then (closed, withdrawn, not accepted or voided,
        and reopened after ``day``). A case marked closed (or withdrawn) without a date is
        finished on the last date it records: open until then, never closed in a month
        (README, "How the reports count")."""
        end = self.end
        if end is not None and end <= day:
            return True
        closures = self.closures
        if not closures:  # nearly every case: no call made
            return False
        return finished_on(closures, day)

    def closures_in(self, status: str, start: date, end: date) -> list[Closure]:
        """Its past closures with ``status`` (``Closed``, ``Withdrawn``, ``Not accepted``)
        dated from ``start`` to ``end`` (a closure recorded with no date is never one)."""
        return [
            c
            for c in self.closures
            if c.status == status and not c.undated and start <= c.day <= end
        ]

    def open_at(self, day: date) -> bool:
        return bool(self.dates.received <= day) and not self.closed_by(day)

    def stage_at(self, day: date) -> str:
        """The stage the case was at on ``day`` (:func:`~complaints_cli.domain.as_it_stood.
        stage_on`, the one rule); a service dissatisfaction is counted at Stage 1 here."""
        v = self.values
        stage = str(v["stage"] or "").strip()
        at = stage_on(
            "Ombudsman" if stage.lower() == "ombudsman" else "Stage 1",
            {
                "received": self.dates.received,
                "escalation_received": self.dates.escalation_received,
                "stage2_responded": self.dates.stage2_responded,
                "ombudsman_requested": v["ombudsman_requested"],
            },
            day,
            v["ombudsman_referred"],
        )
        return str(at)

    def as_at(self, day: date) -> CaseDates:
        """The case's dates as they stood at the end of ``day``: later dates not yet recorded."""
        d = self.dates
        dates: tuple[date | None, ...] = d[:_N]  # type: ignore[assignment]  # the dates come first
        kept = [None if v is not None and v > day else v for v in dates]
        # An extended date is a deadline, not an event: it stands from the day the extension
        # was agreed (domain.as_it_stood, as due --as-of counts it), whatever date it names.
        for at, agreed_at in _EXTENDED_AT:
            agreed = dates[agreed_at]
            kept[at] = None if agreed is not None and agreed > day else dates[at]
        status = "Closed" if self.closed_by(day) else "Open"
        # Told after the day: not yet told then (as_it_stood.told_on).
        told = (
            told_on(d.stage1_extension_told, d.stage1_extension_told_on, day),
            told_on(d.stage2_extension_told, d.stage2_extension_told_on, day),
        )
        facts = (self.stage_at(day), status, d.stage2_review, *told)
        made: CaseDates = _new_dates(CaseDates, (*kept, *facts))
        return made

    def milestones(
        self, profile: Profile, calendar: Calendar, dates: CaseDates | None = None
    ) -> dict[str, Milestone]:
        """Role -> the case's completed-or-not milestone under ``profile`` (judged once per
        profile; ``dates``: other dates to judge instead, not cached)."""
        if dates is None:
            cached = self._judged.get(id(profile))
            if cached is not None:
                return cached
        roles: dict[str, Milestone] = {}
        judged = judging_profile(profile)
        roles_of = _roles_of(judged)
        use = self.dates if dates is None else dates
        for m in compute_milestones(use, judged, calendar, as_of=use.received):
            for role in roles_of[m.key]:
                if role not in roles:
                    roles[role] = m
        if dates is None:
            self._judged[id(profile)] = roles
        return roles

    def first_contact_dates(self) -> CaseDates | None:
        """A converted service dissatisfaction's dates counted from the day the dissatisfaction
        was raised instead of the day it was converted (the 2024 Code, 5.2: no informal stage);
        None for any other case."""
        d = self.dates
        raised = d.informal_received
        if d.converted_from_informal is None or raised is None or raised >= d.received:
            return None
        return d._replace(received=raised)


def role_rules(profile: Profile, role: str) -> list[MilestoneRule]:
    """The profile's milestone rules playing ``role``, in its order: none when the profile sets
    no timeframe, several when the timeframe depends on the Stage 2 review type (Southern
    Housing: a Compensation Review's 10 working days beside the other reviews' 20)."""
    column = ROLE_COLUMNS.get(role)
    if column is not None:
        return [rule for rule in profile.milestones if rule.log_column == column]
    return [rule for rule in profile.milestones if _DONE_ROLES.get(rule.done_by or "") == role]


def for_reviews(rule: MilestoneRule, rules: list[MilestoneRule]) -> str:
    """`` for a Compensation Review`` when ``rule`` is one of ``rules`` by review type."""
    if len(rules) == 1 or not rule.review:
        return ""
    return " for a " + " or ".join(ReviewType(r).label for r in rule.review)


_ROLES_OF: dict[int, tuple[Profile, dict[str, tuple[str, ...]]]] = {}


def _roles_of(profile: Profile) -> dict[str, tuple[str, ...]]:
    """Milestone key -> the roles it plays in ``profile`` (by its log column, then by the event
    that completes it), worked out once per profile."""
    cached = _ROLES_OF.get(id(profile))
    if cached is not None and cached[0] is profile:
        return cached[1]
    found: dict[str, tuple[str, ...]] = {}
    for rule in profile.milestones:
        roles = [role for role, column in ROLE_COLUMNS.items() if rule.log_column == column]
        done_role = _DONE_ROLES.get(rule.done_by or "")
        if done_role is not None:
            roles.append(done_role)
        found[rule.key] = tuple(roles)
    if len(_ROLES_OF) > 64:  # profiles are few; never let a long-lived process grow this
        _ROLES_OF.clear()
    _ROLES_OF[id(profile)] = (profile, found)
    return found


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


class Loaded(NamedTuple):
    """The cases a report reads: the counted ones, and those not accepted (listed apart)."""

    cases: list[ReportCase]
    not_accepted: list[ReportCase]


def load_cases(db: RawDatabase, start: date, end: date) -> Loaded:
    """Every case that can figure in a report on ``start``..``end`` (see
    :func:`complaints_cli.store.report_queries.report_rows`), the not accepted apart."""
    counted: list[ReportCase] = []
    refused: list[ReportCase] = []
    for row in report_rows(db, COLUMNS, start, end):
        case = case_from_row(row)
        (refused if _status_is(case.status, "not accepted") else counted).append(case)
    reopened = past_closures(db)
    if reopened:
        for case in (*counted, *refused):
            found = reopened.get(case.values["id"])
            if found:
                now = case.end
                if _status_is(case.status, "not accepted"):
                    now = case.values["not_accepted_told"] or case.dates.received
                case.closures = kept_closures(found, now)
    return Loaded(counted, refused)


_DATE_INDEX = [COLUMNS.index(n) for n in (*_DATES, *_OTHER_DATES)]
_FLAG_INDEX = [COLUMNS.index(n) for n in _FLAGS]
#: A column's name -> its position in :data:`COLUMNS` (and in a :class:`RowValues`).
_AT = {name: i for i, name in enumerate(COLUMNS)}


class RowValues(Mapping[str, Any]):
    """A case's values by column name, read from its row (a list in :data:`COLUMNS`' order):
    the mapping a :class:`ReportCase` carries, without a dict per case. Building a 63-key dict
    for each of the ~28,000 cases of a 12-month window of the generated 100k log took more
    than half of :func:`case_from_row` (2026-11-30); a name is looked up when read instead.
    Read-only. ``KeyError`` for a name not in :data:`COLUMNS`."""

    __slots__ = ("_row",)

    def __init__(self, row: list[Any]) -> None:
        self._row = row

    def __getitem__(self, name: str, _at: dict[str, int] = _AT) -> Any:
        return self._row[_at[name]]

    def get(self, name: str, default: Any = None, _at: dict[str, int] = _AT) -> Any:
        i = _at.get(name)
        return default if i is None else self._row[i]

    def __contains__(self, name: object) -> bool:
        return name in _AT

    def __iter__(self) -> Iterator[str]:
        return iter(COLUMNS)

    def __len__(self) -> int:
        return len(COLUMNS)

    def __repr__(self) -> str:
        return f"RowValues({dict(self)!r})"


def columns_reader(*names: str) -> Callable[[Mapping[str, Any]], tuple[Any, ...]]:
    """``values -> (values[name] for name in names)`` as a tuple, read in C from a
    :class:`RowValues`' row (or from any other mapping by name): for a loop over every case
    reading a few columns of each (``names``: two or more of :data:`COLUMNS`)."""
    by_row = itemgetter(*(_AT[n] for n in names))
    by_name = itemgetter(*names)

    def read(values: Mapping[str, Any]) -> tuple[Any, ...]:
        if type(values) is RowValues:
            return by_row(values._row)
        return by_name(values)

    return read


#: CaseDates' date fields come first, in order: a row's dates can be passed by position.
_DATES_FIRST = CaseDates._fields[: len(_DATES)] == _DATES
_N = len(_DATES)
#: The extended dates' places among the dates, with the places of the days they were agreed.
_EXTENDED_AT = tuple((_DATES.index(e), _DATES.index(a)) for e, a in EXTENDED_TO.items())
_REF, _STAGE, _STATUS, _REVIEW, _CLOSED, _WITHDRAWN, _TOLD1, _TOLD2 = (
    COLUMNS.index(n)
    for n in (
        "reference",
        "stage",
        "status",
        "review_type",
        "closed",
        "withdrawn",
        "stage1_extension_told",
        "stage2_extension_told",
    )
)


class _Days(dict[Any, Any]):
    """A date column's value -> its date, worked out once (a log's dates repeat: a few thousand
    distinct days in 100,000 cases): ISO text (SQLite), a date or datetime (PostgreSQL), None."""

    def __missing__(self, value: Any) -> date | None:
        day = date.fromisoformat(value[:10]) if isinstance(value, str) else as_date(value)
        self[value] = day
        return day


class _Flags(dict[Any, Any]):
    """A Yes/No column's value -> ``True``, ``False`` or ``None`` (SQLite's 0/1, PostgreSQL's
    booleans; anything else by its truth, as ``bool`` reads it)."""

    def __missing__(self, value: Any) -> bool:
        return bool(value)


_DAYS = _Days({None: None})
_DAY_OF = _DAYS.__getitem__
_FLAG_OF = _Flags({None: None, 0: False, 1: True}).__getitem__  # True == 1, False == 0
_new_dates = tuple.__new__  # CaseDates(...) without the named tuple's keyword handling
#: The date columns are contiguous in :data:`COLUMNS`, from the second; the Yes/No flags
#: follow them.
_DATE_SPAN = (1, 1 + len(_DATE_INDEX))
_FLAG_SPAN = (_DATE_SPAN[1], _DATE_SPAN[1] + len(_FLAG_INDEX))
assert list(range(*_DATE_SPAN)) == _DATE_INDEX
assert list(range(*_FLAG_SPAN)) == _FLAG_INDEX


def case_from_row(row: tuple[Any, ...]) -> ReportCase:
    """A row of :data:`COLUMNS` as a :class:`ReportCase` (dates as dates, flags as bools).

    The report's hot loop (~28,000 rows for a month's 12-month window of the generated 100k
    log): the dates mapped through :data:`_DAYS`, the flags through :data:`_FLAG_OF`,
    :class:`CaseDates` made with ``tuple.__new__`` (its fields in order), the values kept as
    the row itself (:class:`RowValues`)."""
    first, after = _DATE_SPAN
    flags_end = _FLAG_SPAN[1]
    values = [
        row[0],
        *map(_DAY_OF, row[first:after]),
        *map(_FLAG_OF, row[after:flags_end]),
        *row[flags_end:],
    ]
    stage = values[_STAGE] or "Stage 1"
    raw_status = values[_STATUS]
    status = raw_status or "Open"
    if _status_is(status, "withdrawn"):
        status = _FINISHED_AS
    if _DATES_FIRST:
        facts = (stage, status, values[_REVIEW], values[_TOLD1], values[_TOLD2])
        dates: CaseDates = _new_dates(CaseDates, (*values[1 : 1 + _N], *facts))
    else:  # pragma: no cover - only if CaseDates ever puts another field among its dates
        dates = CaseDates(
            **dict(zip(_DATES, values[1 : 1 + _N], strict=True)),
            stage=stage,
            status=status,
            stage2_review=values[_REVIEW],
            stage1_extension_told=values[_TOLD1],
            stage2_extension_told=values[_TOLD2],
        )
    closed, withdrawn = values[_CLOSED], values[_WITHDRAWN]
    if closed is None or withdrawn is None:
        end = closed if withdrawn is None else withdrawn
        undated = end is None and (
            is_closed_status(raw_status) or _status_is(raw_status, "withdrawn")
        )
        if undated:  # finished on the last date it records (as the calendar feed reads it)
            end = max(d for d in values[1 : 1 + _N] if d is not None)  # received is there
    else:
        end, undated = min(closed, withdrawn), False
    return ReportCase(str(values[_REF]), RowValues(values), dates, end, undated)


def dated_in(cases: Iterable[ReportCase], start: date, end: date) -> list[ReportCase]:
    """The cases (in order) with any date column (:data:`COLUMNS`' dates) on a day from
    ``start`` to ``end``: every case a figure of the period's own events can count (received,
    escalated, responded, closed, withdrawn, refused, paid, referred ... in it), or with a
    past closure in it (:attr:`ReportCase.closures`). A case whose values are not a
    :class:`RowValues` is kept (never left out for want of a look).

    The EMT report reads 12 months for its trend (~28,000 cases of the generated 100k log);
    its month's event figures and breakdowns look at the ~5,000 of these instead, each with
    the same test it makes of every case."""
    days = {start + timedelta(days=n) for n in range((end - start).days + 1)}
    first, after = _DATE_SPAN
    return [
        c
        for c in cases
        if type(c.values) is not RowValues
        or not days.isdisjoint(c.values._row[first:after])
        or (c.closures and any(x.day in days for x in c.closures))
    ]


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
