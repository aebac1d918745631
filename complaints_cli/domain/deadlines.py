"""A case's deadlines: what is due when, and whether it was met. Pure functions.

Given a case's dates (:class:`CaseDates`, a mapping, or any object with those attributes), a
:class:`~complaints_cli.domain.profiles.Profile` and a
:class:`~complaints_cli.domain.workdays.Calendar`:

* :func:`compute_milestones` evaluates every milestone of the profile that applies to the case;
* :func:`next_milestones` keeps the open ones, soonest first, with working days left;
* :func:`met_columns` gives the log's computed Yes/No columns ("Met HOS acknowledgment
  timeframe", "Met HOS code response timeframe?", "Stage 2 HOS code timeframe met?");
* :func:`explain_milestones` shows the working for ``complaints due --explain REF``.

Rules (see ``profiles.toml`` for the data):

* A milestone applies when its ``from`` event is known (the first recorded of its list; a
  projected event such as ``ack_due`` is the acknowledgement date once recorded and until then
  the acknowledgement *deadline*, flagged ``projected``), none of its ``unless`` events is
  recorded, its Stage 2 ``review`` types include the case's, and - for ``while_open`` ones - the
  case is open. On a closed case a deadline whose completing event was never recorded is left
  out (there is nothing to chase and nothing to judge). So is one whose completing event is
  missing while a *later* step of the same case is recorded (:data:`IMPLIED_BY`): a case with a
  Stage 1 response but no acknowledgement date (common in imported logs) was acknowledged on a
  date the log does not hold, so it is neither chased in ``due`` nor judged.
* ``due`` is the N-th working day after the anchor (or the anchor plus N calendar weeks).
* An extension counts only on ``extendable`` milestones and only when the case records the
  extended date for that stage. The *deadline* is then that date, but never later than the
  profile's cap (``due`` plus the stage's maximum extra working days).
* An extension counts only when the resident was told within the deadline it extends (Code
  6.4; the Ombudsman): one agreed or told after it never counts; one recorded as not told
  (flag ``False``, no day told) not until told in time, its label saying so meanwhile
  (:data:`NOT_TOLD_NOTE`); one whose flag the log lacks (``None``) counts as recorded.
* A completed deadline is ``met`` when done on or before its deadline, else ``missed``. An open
  one is ``pending`` up to and including its deadline and ``missed`` (overdue) after it. A
  ``window`` (a period to wait out, e.g. before closing an unescalated case) is ``pending`` until
  its end and ``elapsed`` after it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, timedelta
from enum import StrEnum
from functools import partial
from typing import NamedTuple

from complaints_cli.domain.case_dates import DATE_FIELDS, CaseDates, as_case, is_finished_status
from complaints_cli.domain.profiles import PROJECTIONS, MilestoneRule, Profile
from complaints_cli.domain.vocabulary import Stage
from complaints_cli.domain.workdays import Calendar

__all__ = [
    "DATE_FIELDS",
    "INFORMAL_STAGE",
    "NOT_TOLD_NOTE",
    "CaseDates",
    "Milestone",
    "State",
    "as_case",
    "compute_milestones",
    "extension_not_told",
    "is_finished_status",
    "met_columns",
    "next_milestones",
    "review_type",
]


#: The stage of a service dissatisfaction (informal, before any Stage 1 complaint).
INFORMAL_STAGE = Stage.INFORMAL
#: A case with the Ombudsman (or PRS): a stage's waiting window (close the case if the
#: resident has not escalated, close after the final response) no longer applies: the
#: landlord's process has given way to the Ombudsman's (the fresh-user trial: a case referred
#: without a Stage 2 showed "Close the case if the resident has not escalated" overdue for
#: months). Its deadlines (a Stage 1 response not yet sent) still stand.
OMBUDSMAN_STAGE = Stage.OMBUDSMAN


def review_type(text: str | None) -> str | None:
    """Map the log's Stage 2 details to a review type: manager, compensation, panel, or None."""
    if not text:
        return None
    lowered = text.lower()
    for kind in ("compensation", "panel", "manager"):
        if kind in lowered:
            return kind
    return None


class State(StrEnum):
    """Where a milestone stands."""

    MET = "met"  #: done on or before its deadline
    MISSED = "missed"  #: done late, or not done and the deadline has passed (overdue)
    PENDING = "pending"  #: not done yet, deadline today or later (a window: not yet ended)
    ELAPSED = "elapsed"  #: a window that has ended


class Milestone(NamedTuple):
    """One milestone of one case, evaluated (an immutable record)."""

    key: str
    label: str
    stage: str
    kind: str  #: ``deadline`` or ``window``
    anchor_event: str  #: the event counted from (a projection's name while projected)
    anchor: date
    projected: bool  #: the anchor is a projected deadline, not a recorded date
    due: date  #: the original deadline (or a window's end)
    deadline: date  #: ``due``, or the recorded extension (capped) when there is one
    extended_to: date | None  #: the extended date recorded on the case, if any
    extension_limit: date | None  #: the latest date the profile lets an extension reach
    done: date | None  #: when it was done (``None``: not recorded / not applicable)
    state: State
    working_days_left: int | None  #: open ones: working days from ``as_of`` to ``deadline``
    days_left: int | None  #: open ones: calendar days from ``as_of`` to ``deadline``
    log_column: str | None
    rule: MilestoneRule

    @property
    def within_timeframe(self) -> bool | None:
        """Done on or before the original deadline (None when not done)."""
        return None if self.done is None else self.done <= self.due

    @property
    def within_extension(self) -> bool | None:
        """Done on or before the recorded extended date (None: not done or no extension)."""
        if self.done is None or self.extended_to is None:
            return None
        return self.done <= self.extended_to

    @property
    def extension_within_cap(self) -> bool | None:
        """The recorded extension is within the profile's cap (None: no extension)."""
        if self.extended_to is None or self.extension_limit is None:
            return None
        return self.extended_to <= self.extension_limit

    @property
    def met(self) -> bool | None:
        """Done on or before the deadline (extension included): the log's Yes/No."""
        return None if self.done is None else self.done <= self.deadline


# --------------------------------------------------------------------------------------------
# Evaluation
# --------------------------------------------------------------------------------------------

#: A completing event is implied (done, date unknown) once any of these later events is recorded.
#: Escalation implies neither the Stage 1 acknowledgement nor the response (a resident may
#: escalate because nothing came): both are chased until the Stage 2 acknowledgement.
IMPLIED_BY: Mapping[str, tuple[str, ...]] = {
    "acknowledged": (
        "stage1_responded",
        "stage2_acknowledged",
        "stage2_responded",
    ),
    "stage1_responded": ("stage2_acknowledged", "stage2_responded"),
    "stage2_acknowledged": ("stage2_responded",),
}

_EXTENDED_FIELD = {"stage1": "stage1_extended_to", "stage2": "stage2_extended_to"}
#: When the extension was agreed, the day the resident was told, and the told flag, per stage.
_AGREED_FIELDS = {
    "stage1": ("stage1_extension_agreed", "stage1_extension_told_on", "stage1_extension_told"),
    "stage2": ("stage2_extension_agreed", "stage2_extension_told_on", "stage2_extension_told"),
}
#: What a milestone's label adds while its extension waits for the resident to be told.
NOT_TOLD_NOTE = "extension not yet told"


def _rule_due(rule: MilestoneRule, anchor: date, calendar: Calendar) -> date:
    if rule.weeks is not None:
        return anchor + timedelta(weeks=rule.weeks)
    assert rule.working_days is not None
    return calendar.add_working_days(anchor, rule.working_days)


class _Start(NamedTuple):
    """One ``from`` event, ready to evaluate."""

    event: str  #: the name shown while projected (``ack_due``) or the case event
    recorded: str  #: the case attribute holding the recorded date
    target: MilestoneRule | None  #: for a projection: the milestone whose due date stands in
    target_starts: tuple[str, ...]  #: that milestone's ``from`` events (all recorded ones)
    recorded_at: int  #: ``recorded``'s place in :class:`CaseDates`
    target_starts_at: tuple[int, ...]  #: ``target_starts``' places


#: :func:`_deadline`'s answer: ``(due, deadline, extended_to, limit, label)``.
_Worked = tuple[date, date, date | None, date | None, str]


class _Plan(NamedTuple):
    """A profile's milestone rule, precompiled so a case is evaluated without look-ups."""

    rule: MilestoneRule
    starts: tuple[_Start, ...]
    unless: tuple[str, ...]
    review: frozenset[str]
    done_attr: str | None
    extended_attr: str | None
    agreed_attrs: tuple[str, str, str] | None  #: (agreed, told on, told) of the extension
    cap: int | None
    window: bool
    implied_by: tuple[str, ...]  #: later events that imply ``done_attr`` happened
    #: The places in :class:`CaseDates` of ``unless``, ``done_attr``, ``implied_by``,
    #: ``extended_attr`` and ``agreed_attrs``: a case's dates are read by position (every
    #: event a profile names is a :class:`CaseDates` field, :data:`.profiles.CASE_EVENTS`).
    unless_at: tuple[int, ...]
    done_at: int | None
    implied_at: tuple[int, ...]
    extended_at: int | None
    agreed_at: tuple[int, ...] | None  #: ``agreed_attrs``' places
    #: :func:`_deadline`'s answers already worked out for this rule: ``(calendar, anchor,
    #: extended_to, agreed, told_on, told) -> (due, deadline, extended_to, limit, label)``
    deadlines: dict[tuple[object, ...], _Worked]
    not_told_label: str  #: the rule's label with :data:`NOT_TOLD_NOTE`


_PLANS: dict[int, tuple[Profile, tuple[_Plan, ...]]] = {}
#: A :class:`CaseDates` field -> its place in the tuple.
_AT = {name: i for i, name in enumerate(CaseDates._fields)}
#: Per profile: its rules that fill a Met column, and those columns, each blank.
_MET_RULES: dict[int, tuple[Profile, tuple[_Plan, ...], dict[str, bool | None]]] = {}


def _met_rules(profile: Profile) -> tuple[tuple[_Plan, ...], dict[str, bool | None]]:
    """The profile's compiled rules that fill a "Met ..." column (3 of the Code profile's 10:
    all :func:`met_columns` evaluates), and each such column blank (None): its start."""
    cached = _MET_RULES.get(id(profile))
    if cached is not None and cached[0] is profile:
        return cached[1], cached[2]
    plans = tuple(p for p in _plans(profile) if p.rule.log_column is not None)
    blank: dict[str, bool | None] = {
        r.log_column: None for r in profile.milestones if r.log_column is not None
    }
    if len(_MET_RULES) > 64:
        _MET_RULES.clear()
    _MET_RULES[id(profile)] = (profile, plans, blank)
    return plans, blank


def _plans(profile: Profile) -> tuple[_Plan, ...]:
    """The profile's rules, compiled once per profile object."""
    cached = _PLANS.get(id(profile))
    if cached is not None and cached[0] is profile:
        return cached[1]
    plans = []
    for rule in profile.milestones:
        starts = []
        for event in rule.start:
            projection = PROJECTIONS.get(event)
            if projection is None:
                starts.append(_Start(event, event, None, (), _AT[event], ()))
            else:
                recorded, target_key = projection
                target = profile.milestone(target_key)
                starts.append(
                    _Start(
                        event,
                        recorded,
                        target,
                        target.start,
                        _AT[recorded],
                        tuple(_AT[e] for e in target.start),
                    )
                )
        extendable = rule.extendable and rule.stage in _EXTENDED_FIELD
        implied = IMPLIED_BY.get(rule.done_by or "", ())
        agreed = _AGREED_FIELDS[rule.stage] if extendable else None
        plans.append(
            _Plan(
                rule=rule,
                starts=tuple(starts),
                unless=rule.unless,
                review=frozenset(rule.review),
                done_attr=rule.done_by,
                extended_attr=_EXTENDED_FIELD[rule.stage] if extendable else None,
                agreed_attrs=agreed,
                cap=profile.extension_cap(rule.stage) if extendable else None,
                window=rule.kind == "window",
                implied_by=implied,
                deadlines={},
                unless_at=tuple(_AT[e] for e in rule.unless),
                done_at=None if rule.done_by is None else _AT[rule.done_by],
                implied_at=tuple(_AT[e] for e in implied),
                extended_at=_AT[_EXTENDED_FIELD[rule.stage]] if extendable else None,
                agreed_at=None if agreed is None else tuple(_AT[f] for f in agreed),
                not_told_label=f"{rule.label} ({NOT_TOLD_NOTE})",
            )
        )
    result = tuple(plans)
    if len(_PLANS) > 64:  # profiles are few; never let a long-lived process grow this
        _PLANS.clear()
    _PLANS[id(profile)] = (profile, result)
    return result


_new_milestone = tuple.__new__  # Milestone(...) minus one Python call: this is the hot path


def _anchor(plan: _Plan, case: CaseDates, calendar: Calendar) -> tuple[date, str, bool] | None:
    """Where ``plan``'s rule starts for ``case``: ``(day, event, projected)``, or None when
    the rule does not apply (an ``unless`` event is recorded, or no start is known)."""
    for i in plan.unless_at:
        if case[i] is not None:
            return None
    for start in plan.starts:
        anchor: date | None = case[start.recorded_at]  # type: ignore[assignment]  # a date
        if anchor is not None:
            return anchor, start.recorded, False
        if start.target is not None:
            for i in start.target_starts_at:
                base: date | None = case[i]  # type: ignore[assignment]  # a date field
                if base is not None:
                    return _rule_due(start.target, base, calendar), start.event, True
    return None


def _deadline(plan: _Plan, case: CaseDates, anchor: date, calendar: Calendar) -> _Worked:
    """``(due, deadline, extended_to, limit, label)`` of ``plan``'s rule started on ``anchor``:
    the timeframe's end, the deadline once a valid extension is applied, the recorded
    extension (None when absent, agreed or told too late, or not told), the furthest an
    extension may go (None when the rule cannot be extended) and the milestone's label (with
    :data:`NOT_TOLD_NOTE` while the extension waits only for the resident to be told).

    Worked out once per rule, calendar, anchor and recorded extension (with the days it was
    agreed and told, and its told flag: :attr:`_Plan.deadlines`:
    a log's anchors repeat, a few thousand distinct days in 100,000 cases, and most cases have
    no extension), so a report judging a year of cases counts working days a few thousand
    times, not once per case and rule."""
    extended_at = plan.extended_at
    if extended_at is None:
        key: tuple[object, ...] = (calendar, anchor)
    else:
        extended = case[extended_at]
        if extended is None:
            key = (calendar, anchor)
        else:
            agreed_at = plan.agreed_at
            assert agreed_at is not None  # set with extended_at
            agreed, told_on, told = agreed_at
            key = (calendar, anchor, extended, case[agreed], case[told_on], case[told])
    memo = plan.deadlines
    found = memo.get(key)
    if found is None:
        found = _work_out_deadline(plan, case, anchor, calendar)
        if len(memo) >= _MEMO_SIZE:  # a long-lived process never grows this without bound
            memo.clear()
        memo[key] = found
    return found


#: How many answers :func:`_deadline` keeps per rule (ten years of anchors, many extensions).
_MEMO_SIZE = 20_000


def _work_out_deadline(plan: _Plan, case: CaseDates, anchor: date, calendar: Calendar) -> _Worked:
    """:func:`_deadline`, worked out."""
    rule = plan.rule
    weeks = rule.weeks
    if weeks is None:
        due = calendar.add_working_days(anchor, rule.working_days or 0)
    else:
        due = anchor + timedelta(weeks=weeks)

    deadline, extended_to, limit, label = due, None, None, rule.label
    extended_attr = plan.extended_attr
    if extended_attr is not None:
        extended_to = getattr(case, extended_attr)
        cap = plan.cap
        if cap is not None:
            limit = calendar.add_working_days(due, cap)
        agreed_attrs = plan.agreed_attrs
        if extended_to is not None and agreed_attrs is not None:
            agreed, told_on, told = (getattr(case, a) for a in agreed_attrs)
            if (agreed is not None and agreed > due) or (told_on is not None and told_on > due):
                # Agreed, or told to the resident, after the deadline it extends: a late
                # extension never makes a late response "within the extension" (Code 6.4;
                # the Ombudsman: the resident must be told within the original timeframe).
                extended_to = None
            elif told_on is None and told is not None and not told:
                # Recorded as not told (yet); an unknown flag (None: the log cannot say) counts.
                extended_to, label = None, plan.not_told_label
        if extended_to is not None:
            deadline = max(due, extended_to if limit is None else min(extended_to, limit))
    return due, deadline, extended_to, limit, label


def _evaluate(
    plan: _Plan, case: CaseDates, is_open: bool, calendar: Calendar, as_of: date
) -> Milestone | None:
    """One rule against one case; None when it does not apply (see the module notes)."""
    started = _anchor(plan, case, calendar)
    if started is None:
        return None
    anchor, anchor_event, projected = started
    rule = plan.rule
    done_at = plan.done_at
    window = plan.window
    done: date | None = None if done_at is None else case[done_at]  # type: ignore[assignment]
    if done is None and not window:
        if not is_open:
            return None
        for i in plan.implied_at:
            if case[i] is not None:
                return None
    due, deadline, extended_to, limit, label = _deadline(plan, case, anchor, calendar)

    if done is None:
        if window:
            state = State.PENDING if as_of <= due else State.ELAPSED
        else:
            state = State.PENDING if as_of <= deadline else State.MISSED
        return _new_milestone(
            Milestone,
            (
                rule.key,
                label,
                rule.stage,
                rule.kind,
                anchor_event,
                anchor,
                projected,
                due,
                deadline,
                extended_to,
                limit,
                None,
                state,
                calendar.working_days_between(as_of, deadline),
                (deadline - as_of).days,
                rule.log_column,
                rule,
            ),
        )
    return _new_milestone(
        Milestone,
        (
            rule.key,
            label,
            rule.stage,
            rule.kind,
            anchor_event,
            anchor,
            projected,
            due,
            deadline,
            extended_to,
            limit,
            done,
            State.MET if done <= deadline else State.MISSED,
            None,
            None,
            rule.log_column,
            rule,
        ),
    )


def compute_milestones(
    case: CaseDates | Mapping[str, object] | object,
    profile: Profile,
    calendar: Calendar,
    *,
    as_of: date,
) -> list[Milestone]:
    """Every milestone of ``profile`` that applies to ``case``, in the profile's order.

    ``as_of`` (usually today) decides pending versus missed for what is not yet done, and the
    days left; completed milestones do not depend on it.
    """
    c = case if type(case) is CaseDates else as_case(case)
    return _evaluate_all(_plans(profile), c, profile, calendar, as_of)


def _evaluate_all(
    plans: tuple[_Plan, ...], c: CaseDates, profile: Profile, calendar: Calendar, as_of: date
) -> list[Milestone]:
    """Each of ``plans`` that applies to ``c``, evaluated, in the plans' order."""
    status, details = c.status, c.stage2_review
    is_open = _OPEN.get(status) if type(status) is str else None
    if is_open is None:
        is_open = c.is_open
        if type(status) is str and len(_OPEN) < 1_000:  # a log's statuses are few
            _OPEN[status] = is_open
    review = (_REVIEWS[details] if details in _REVIEWS else _review(details)) or (
        profile.default_review
    )
    informal = c.stage == INFORMAL_STAGE
    with_ombudsman = c.stage == OMBUDSMAN_STAGE
    out = []
    for plan in plans:
        rule = plan.rule
        if (rule.stage == "informal") is not informal:
            continue  # a service dissatisfaction has only its own milestones
        if rule.while_open and not is_open:
            continue
        if with_ombudsman and rule.kind == "window" and rule.stage != "ombudsman":
            continue
        if plan.review and review not in plan.review:
            continue
        m = _evaluate(plan, c, is_open, calendar, as_of)
        if m is not None:
            out.append(m)
    return out


#: A status -> open (:attr:`CaseDates.is_open`), and the log's Stage 2 details -> their review
#: type (:func:`review_type`), each worked out once per distinct text: a report judges
#: thousands of cases with a handful of each.
_OPEN: dict[str, bool] = {}
_REVIEWS: dict[str | None, str | None] = {None: None}


def _review(details: str | None) -> str | None:
    """:func:`review_type`, remembered in :data:`_REVIEWS`."""
    found = review_type(details)
    if type(details) is str and len(_REVIEWS) < 1_000:
        _REVIEWS[details] = found
    return found


def extension_not_told(m: Milestone) -> bool:
    """``m``'s extension does not count only as the resident is recorded not told of it yet:
    its label then carries :data:`NOT_TOLD_NOTE`, and its ``extended_to`` is None."""
    return m.label != m.rule.label


def next_milestones(
    case: CaseDates | Mapping[str, object] | object,
    profile: Profile,
    calendar: Calendar,
    *,
    as_of: date,
) -> list[Milestone]:
    """The case's open milestones, soonest deadline first, each with working days left.

    Open means not done: pending and overdue deadlines, and windows not yet ended. A
    ``while_open`` window that has ended stays (it asks for action, e.g. close the case);
    other ended windows are dropped.
    """
    items = [
        m
        for m in compute_milestones(case, profile, calendar, as_of=as_of)
        if m.done is None and (m.state is not State.ELAPSED or m.rule.while_open)
    ]
    return sorted(items, key=lambda m: m.deadline)


def met_columns(
    case: CaseDates | Mapping[str, object] | object, profile: Profile, calendar: Calendar
) -> dict[str, bool | None]:
    """The log's computed Yes/No columns: column header -> met (None: not done / n/a).

    Every ``log_column`` the profile names is present, so an export can fill each cell.
    Only the rules that fill a column are evaluated: each rule is judged on its own, so the
    others cannot change these (an import judges every row's columns: this is its hot path).
    """
    return _judge_met(*_met_rules(profile), profile, calendar, as_case(case))


def met_judge(
    profile: Profile, calendar: Calendar
) -> Callable[[CaseDates], dict[str, bool | None]]:
    """:func:`met_columns` of many cases (an import's rows), the profile's rules read once."""
    return partial(_judge_met, *_met_rules(profile), profile, calendar)


def _judge_met(
    plans: tuple[_Plan, ...],
    blank: dict[str, bool | None],
    profile: Profile,
    calendar: Calendar,
    c: CaseDates,
) -> dict[str, bool | None]:
    """:func:`met_columns` of ``c``, the profile's :func:`_met_rules` already read."""
    result = dict(blank)
    # As _evaluate_all, minus what cannot fill a column: a rule whose completing event is
    # not recorded leaves its column blank, so neither its milestone nor its days left are
    # worked out (a 100k-row import judges every row: ~30% less time, 2026-11-30).
    informal = c.stage == INFORMAL_STAGE
    is_open = c.is_open
    review = None
    for plan in plans:
        done_attr = plan.done_attr
        done = getattr(c, done_attr) if done_attr else None
        if done is None:
            continue
        rule = plan.rule
        if (rule.stage == "informal") is not informal or (rule.while_open and not is_open):
            continue
        if plan.review:
            review = review or review_type(c.stage2_review) or profile.default_review
            if review not in plan.review:
                continue
        started = _anchor(plan, c, calendar)
        if started is not None and rule.log_column is not None:
            result[rule.log_column] = done <= _deadline(plan, c, started[0], calendar)[1]
    return result
