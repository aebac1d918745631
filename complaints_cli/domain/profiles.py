"""Timeframe profiles: each landlord's complaint timeframes as data, not code.

The packaged ``profiles.toml`` (next to this module) ships ``spruce`` (the default),
``hos-code-2024``, ``homes-plus-england``, ``homes-plus-scotland`` and ``southern-housing``. A
team may keep its own file in the same format and pass its path. Every file is validated in full
when loaded; a problem raises :class:`~complaints_cli.errors.ComplaintsError` naming the file,
the profile, the milestone and what is wrong, on one line.

File format (one TOML document)::

    default = "spruce"
    [profiles.spruce]
    label = "Spruce Homes complaints procedure"
    nation = "england-and-wales"          # optional, the default
    source = "..."                         # optional
    default_review = "manager"             # optional, the default
    reviews = ["manager", "compensation"]  # Stage 2 review types offered (optional, this default)
    [profiles.spruce.time_limits]          # optional: the policy's time limits (warnings only)
    complaint_months = 12                  # events older than this before the complaint
    complaint_source = "policy 2.3"        # optional, quoted in the warning
    escalation_working_days = 20           # or escalation_months: Stage 2 asked for after this
    escalation_source = "procedure"        # optional
    [profiles.spruce.extensions]           # optional: most extra working days per stage
    stage1 = 10
    stage2 = 10
    [[profiles.spruce.milestones]]
    key = "acknowledge"                    # unique within the profile
    label = "Acknowledge the complaint"
    stage = "stage1"                       # informal | stage1 | stage2 | ombudsman | any
    from = "received"                      # event, or list of events (first recorded wins)
    working_days = 3                       # or: weeks = 8 (calendar weeks); exactly one
    kind = "deadline"                      # deadline | window            (optional)
    done_by = "acknowledged"               # event completing a deadline  (optional)
    extendable = false                     # the stage's extension moves it (optional)
    unless = []                            # events that make it not apply (optional)
    while_open = false                     # only while the case is open  (optional)
    review = []                            # Stage 2 review types; empty = all (optional)
    log_column = "Met HOS acknowledgment timeframe"   # (optional)
    source = "procedure, Receiving a complaint"       # (optional)

See :mod:`complaints_cli.domain.deadlines` for how milestones are evaluated against a case.
"""

from __future__ import annotations

import functools
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from complaints_cli.domain.workdays import DEFAULT_NATION, normalise_nation
from complaints_cli.errors import ComplaintsError

__all__ = [
    "ANCHOR_EVENTS",
    "CASE_EVENTS",
    "DEFAULT_PROFILE",
    "KINDS",
    "PROJECTIONS",
    "REVIEW_TYPES",
    "STAGES",
    "MilestoneRule",
    "Profile",
    "ProfileSet",
    "TimeLimits",
    "get_profile",
    "load_profile_set",
    "load_profiles",
    "profile_names",
]

DEFAULT_PROFILE = "spruce"

#: Dates recorded on a case that a milestone may count from or be completed by.
CASE_EVENTS: tuple[str, ...] = (
    "received",
    "acknowledged",
    "stage1_responded",
    "escalation_received",
    "stage2_acknowledged",
    "stage2_responded",
    "last_update",
    "ombudsman_requested",
    "ombudsman_evidence_sent",
    "informal_received",
    "informal_responded",
    "converted_from_informal",
    "panel_meeting",
)

#: Projected events: the recorded date once there is one, until then the due date of the
#: named milestone (so Stage 1 can be counted from the acknowledgement deadline).
PROJECTIONS: Mapping[str, tuple[str, str]] = {
    "ack_due": ("acknowledged", "acknowledge"),
    "stage2_ack_due": ("stage2_acknowledged", "stage2_acknowledge"),
}

#: Everything a milestone may count ``from``.
ANCHOR_EVENTS: tuple[str, ...] = CASE_EVENTS + tuple(PROJECTIONS)

#: ``informal`` milestones apply only to a service dissatisfaction (a case at the ``Informal``
#: stage), and only they do.
STAGES: tuple[str, ...] = ("informal", "stage1", "stage2", "ombudsman", "any")
KINDS: tuple[str, ...] = ("deadline", "window")
REVIEW_TYPES: tuple[str, ...] = ("manager", "compensation", "panel")
#: The Stage 2 review types a profile offers when it does not say (DOMAIN.md: Manager Review or
#: Compensation Review; a Complaint Review Panel only where the procedure has one).
DEFAULT_REVIEWS: tuple[str, ...] = ("manager", "compensation")
EXTENDABLE_STAGES: tuple[str, ...] = ("stage1", "stage2")

_NAME = re.compile(r"[a-z0-9][a-z0-9-]*")
_PROFILE_FIELDS = {
    "label",
    "nation",
    "source",
    "default_review",
    "reviews",
    "time_limits",
    "extensions",
    "milestones",
}
_TIME_LIMIT_FIELDS = {"complaint_months", "escalation_working_days", "escalation_months"}
_MILESTONE_FIELDS = {
    "key",
    "label",
    "stage",
    "from",
    "working_days",
    "weeks",
    "kind",
    "done_by",
    "extendable",
    "unless",
    "while_open",
    "review",
    "log_column",
    "source",
}


@dataclass(frozen=True, slots=True)
class MilestoneRule:
    """One timeframe of a profile: what is due, counted from what, and how long."""

    key: str
    label: str
    stage: str  #: stage1 | stage2 | ombudsman | any
    start: tuple[str, ...]  #: the ``from`` events, tried in order; the first recorded one counts
    working_days: int | None  #: the limit in working days, or None when ``weeks`` is set
    weeks: int | None = None  #: the limit in calendar weeks, or None
    kind: str = "deadline"  #: ``deadline`` (something must be done) or ``window`` (a wait)
    done_by: str | None = None  #: the case event that completes a deadline
    extendable: bool = False  #: a recorded extension for ``stage`` moves this deadline
    unless: tuple[str, ...] = ()  #: once any of these events is recorded it no longer applies
    while_open: bool = False  #: only tracked while the case is open
    review: tuple[str, ...] = ()  #: Stage 2 review types it applies to (empty: all)
    log_column: str | None = None  #: the log's Yes/No column this milestone fills
    source: str | None = None  #: where the number comes from

    @property
    def limit_text(self) -> str:
        """``"10 working days"`` or ``"8 weeks"``."""
        if self.weeks is not None:
            return f"{self.weeks} week{'s' * (self.weeks != 1)}"
        return f"{self.working_days} working day{'s' * (self.working_days != 1)}"


@dataclass(frozen=True, slots=True)
class TimeLimits:
    """A policy's time limits for raising a complaint and asking for Stage 2.

    They are checked with a warning, never a refusal: every policy keeps the discretion to
    accept a late complaint (e.g. Spruce policy 2.3, Homes Plus para 18).
    """

    #: A complaint about events more than this many months before it was received.
    complaint_months: int | None = None
    #: A Stage 2 request more than this many working days after the Stage 1 response ...
    escalation_working_days: int | None = None
    #: ... or more than this many calendar months after it.
    escalation_months: int | None = None
    #: Where each limit comes from (quoted in the warning).
    complaint_source: str | None = None
    escalation_source: str | None = None


@dataclass(frozen=True, slots=True)
class Profile:
    """A named set of timeframes (one landlord's procedure)."""

    name: str
    label: str
    milestones: tuple[MilestoneRule, ...]
    nation: str = DEFAULT_NATION
    #: stage -> most extra working days an extension may add (a stage absent: none allowed)
    extension_caps: Mapping[str, int] = field(default_factory=dict, hash=False)
    default_review: str = "manager"
    source: str | None = None
    #: The Stage 2 review types this procedure offers.
    reviews: tuple[str, ...] = DEFAULT_REVIEWS
    time_limits: TimeLimits = field(default_factory=TimeLimits)

    @property
    def has_informal_stage(self) -> bool:
        """The procedure has a service dissatisfaction (informal) stage with a timeframe."""
        return any(r.stage == "informal" for r in self.milestones)

    def milestone(self, key: str) -> MilestoneRule:
        """The milestone with ``key``; :class:`ComplaintsError` if there is none."""
        for rule in self.milestones:
            if rule.key == key:
                return rule
        keys = ", ".join(r.key for r in self.milestones)
        raise ComplaintsError(f"profile {self.name!r} has no milestone {key!r} (it has: {keys})")

    def extension_cap(self, stage: str) -> int | None:
        """Most extra working days an extension may add at ``stage`` (None: none allowed)."""
        return self.extension_caps.get(stage)


@dataclass(frozen=True, slots=True)
class ProfileSet:
    """All profiles of one file, and which one is the default."""

    profiles: Mapping[str, Profile] = field(hash=False)
    default: str
    path: str  #: where they were read from ("<packaged>" for the shipped file)

    def get(self, name: str | None = None) -> Profile:
        """The profile called ``name`` (the file's default when None)."""
        wanted = self.default if name is None else name.strip().lower()
        try:
            return self.profiles[wanted]
        except KeyError:
            names = ", ".join(self.profiles)
            raise ComplaintsError(
                f"unknown timeframe profile {name!r} in {self.path}: use one of {names}"
            ) from None


# --------------------------------------------------------------------------------------------
# Loading and validation
# --------------------------------------------------------------------------------------------

PACKAGED = "<packaged profiles.toml>"


class _Where:
    """Builds one-line error messages that say exactly where the problem is."""

    def __init__(self, path: str, profile: str | None = None, milestone: str | None = None):
        self.path, self.profile, self.milestone = path, profile, milestone

    def error(self, problem: str) -> ComplaintsError:
        where = [self.path]
        if self.profile is not None:
            where.append(f"profile {self.profile!r}")
        if self.milestone is not None:
            where.append(f"milestone {self.milestone!r}")
        return ComplaintsError(f"{', '.join(where)}: {problem}")


def _text(raw: Mapping[str, Any], name: str, where: _Where) -> str | None:
    """An optional non-empty text field (None when absent)."""
    value = raw.get(name)
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise where.error(f"{name!r} must be non-empty text, not {value!r}")
    return value.strip()


def _required_text(raw: Mapping[str, Any], name: str, where: _Where) -> str:
    value = _text(raw, name, where)
    if value is None:
        raise where.error(f"missing {name!r}")
    return value


def _bool(raw: Mapping[str, Any], name: str, where: _Where) -> bool:
    value = raw.get(name, False)
    if not isinstance(value, bool):
        raise where.error(f"{name!r} must be true or false, not {value!r}")
    return value


def _count(value: object, name: str, where: _Where) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise where.error(f"{name!r} must be a whole number, not {value!r}")
    if value < 0:
        raise where.error(f"{name!r} must not be negative (got {value})")
    return value


def _choice(value: str, name: str, allowed: tuple[str, ...], where: _Where) -> str:
    if value not in allowed:
        raise where.error(f"unknown {name} {value!r} (known: {', '.join(allowed)})")
    return value


def _names(
    raw: Mapping[str, Any], name: str, allowed: tuple[str, ...], what: str, where: _Where
) -> tuple[str, ...]:
    value = raw.get(name, [])
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
        raise where.error(f"{name!r} must be a name or a list of names, not {value!r}")
    return tuple(_choice(i.strip(), what, allowed, where) for i in items)


def _parse_milestone(raw: object, index: int, where: _Where) -> MilestoneRule:
    if not isinstance(raw, dict):
        raise where.error(f"milestone #{index} must be a table ([[...milestones]])")
    key_where = _Where(where.path, where.profile, f"#{index}")
    key = _required_text(raw, "key", key_where)
    w = _Where(where.path, where.profile, key)
    unknown = sorted(set(raw) - _MILESTONE_FIELDS)
    if unknown:
        raise w.error(f"unknown field(s) {', '.join(unknown)}")
    label = _required_text(raw, "label", w)
    stage = _choice(_required_text(raw, "stage", w), "stage", STAGES, w)
    if "from" not in raw:
        raise w.error("missing 'from' (the event it is counted from)")
    start = _names(raw, "from", ANCHOR_EVENTS, "event", w)
    if not start:
        raise w.error("'from' names no event")
    has_days, has_weeks = "working_days" in raw, "weeks" in raw
    if has_days == has_weeks:
        raise w.error("give exactly one of 'working_days' or 'weeks'")
    working_days = _count(raw["working_days"], "working_days", w) if has_days else None
    weeks = _count(raw["weeks"], "weeks", w) if has_weeks else None
    kind = _choice(raw.get("kind", "deadline"), "kind", KINDS, w)
    done_by = _text(raw, "done_by", w)
    if done_by is not None:
        _choice(done_by, "event", CASE_EVENTS, w)
    extendable = _bool(raw, "extendable", w)
    if kind == "window" and (done_by or extendable):
        raise w.error("a window has no 'done_by' and cannot be 'extendable'")
    if extendable and stage not in EXTENDABLE_STAGES:
        raise w.error(f"only stage1 and stage2 milestones can be extendable, not {stage}")
    if extendable and weeks is not None:
        raise w.error("an extendable milestone must be counted in working_days")
    return MilestoneRule(
        key=key,
        label=label,
        stage=stage,
        start=start,
        working_days=working_days,
        weeks=weeks,
        kind=kind,
        done_by=done_by,
        extendable=extendable,
        unless=_names(raw, "unless", CASE_EVENTS, "event", w),
        while_open=_bool(raw, "while_open", w),
        review=_names(raw, "review", REVIEW_TYPES, "review type", w),
        log_column=_text(raw, "log_column", w),
        source=_text(raw, "source", w),
    )


def _parse_profile(name: str, raw: object, path: str) -> Profile:
    where = _Where(path, name)
    if not _NAME.fullmatch(name):
        raise where.error("a profile name must be lower-case letters, digits and hyphens")
    if not isinstance(raw, dict):
        raise where.error("must be a table ([profiles.NAME])")
    unknown = sorted(set(raw) - _PROFILE_FIELDS)
    if unknown:
        raise where.error(f"unknown field(s) {', '.join(unknown)}")
    label = _required_text(raw, "label", where)
    nation_text = _text(raw, "nation", where) or DEFAULT_NATION
    try:
        nation = normalise_nation(nation_text)
    except ComplaintsError as err:
        raise where.error(str(err)) from None
    review = _text(raw, "default_review", where) or "manager"
    _choice(review, "review type", REVIEW_TYPES, where)
    reviews = (
        _names(raw, "reviews", REVIEW_TYPES, "review type", where)
        if "reviews" in raw
        else DEFAULT_REVIEWS
    )
    if not reviews:
        raise where.error("'reviews' names no Stage 2 review type")
    if review not in reviews:
        raise where.error(
            f"default_review {review!r} is not one of its reviews ({', '.join(reviews)})"
        )
    limits = _time_limits(raw.get("time_limits", {}), where)

    caps_raw = raw.get("extensions", {})
    if not isinstance(caps_raw, dict):
        raise where.error("'extensions' must be a table of stage = working days")
    caps: dict[str, int] = {}
    for stage, value in caps_raw.items():
        _choice(stage, "extension stage", EXTENDABLE_STAGES, where)
        caps[stage] = _count(value, f"extensions.{stage}", where)

    items = raw.get("milestones")
    if not isinstance(items, list) or not items:
        raise where.error("missing 'milestones' (at least one [[...milestones]] table)")
    rules = [_parse_milestone(item, i, where) for i, item in enumerate(items, 1)]

    seen: set[str] = set()
    by_key = {r.key: r for r in rules}
    for rule in rules:
        w = _Where(path, name, rule.key)
        if rule.key in seen:
            raise w.error("duplicate milestone key")
        seen.add(rule.key)
        if rule.extendable and rule.stage not in caps:
            raise w.error(f"is extendable but the profile has no 'extensions.{rule.stage}' cap")
        for event in rule.start:
            if event not in PROJECTIONS:
                continue
            recorded, target_key = PROJECTIONS[event]
            target = by_key.get(target_key)
            if target is None or target.done_by != recorded:
                raise w.error(
                    f"counts from {event!r}, which needs a milestone {target_key!r} "
                    f"done_by {recorded!r}"
                )
            if any(e in PROJECTIONS for e in target.start) or target.weeks is not None:
                raise w.error(
                    f"counts from {event!r}, but milestone {target_key!r} must itself be "
                    "counted in working days from a recorded event"
                )
    return Profile(
        name=name,
        label=label,
        milestones=tuple(rules),
        nation=nation,
        extension_caps=MappingProxyType(caps),
        default_review=review,
        source=_text(raw, "source", where),
        reviews=reviews,
        time_limits=limits,
    )


def _time_limits(raw: object, where: _Where) -> TimeLimits:
    if not isinstance(raw, dict):
        raise where.error("'time_limits' must be a table")
    unknown = sorted(set(raw) - _TIME_LIMIT_FIELDS - {"complaint_source", "escalation_source"})
    if unknown:
        raise where.error(f"unknown time_limits field(s) {', '.join(unknown)}")
    if "escalation_working_days" in raw and "escalation_months" in raw:
        raise where.error("give one of time_limits.escalation_working_days or escalation_months")
    values = {
        name: _count(raw[name], f"time_limits.{name}", where)
        for name in _TIME_LIMIT_FIELDS
        if name in raw
    }
    return TimeLimits(
        **values,
        complaint_source=_text(raw, "complaint_source", where),
        escalation_source=_text(raw, "escalation_source", where),
    )


def _parse_document(data: Mapping[str, Any], path: str) -> ProfileSet:
    where = _Where(path)
    unknown = sorted(set(data) - {"default", "profiles"})
    if unknown:
        raise where.error(f"unknown top-level field(s) {', '.join(unknown)}")
    raw_profiles = data.get("profiles")
    if not isinstance(raw_profiles, dict) or not raw_profiles:
        raise where.error("no profiles: add at least one [profiles.NAME] table")
    profiles = {name: _parse_profile(name, raw, path) for name, raw in raw_profiles.items()}
    default = data.get("default", DEFAULT_PROFILE if DEFAULT_PROFILE in profiles else None)
    if default is None and len(profiles) == 1:
        default = next(iter(profiles))
    if not isinstance(default, str) or default not in profiles:
        names = ", ".join(profiles)
        raise where.error(f"default profile {default!r} is not one of the profiles ({names})")
    return ProfileSet(profiles=MappingProxyType(profiles), default=default, path=path)


@functools.cache
def _packaged() -> ProfileSet:
    return _parse_document(packaged_data(), PACKAGED)


def packaged_data() -> dict[str, Any]:
    """The packaged ``profiles.toml`` as :func:`tomllib.loads` gives it: the copy made ahead
    in :mod:`complaints_cli.domain.profiles_parsed` (by ``scripts/make_profiles_parsed.py``)
    while its text is the file's, else the file parsed (~6 ms of CPU saved on every run)."""
    from complaints_cli.domain import profiles_parsed

    text = _packaged_text()
    if text == profiles_parsed.TEXT:
        return profiles_parsed.DATA
    return tomllib.loads(text)


def _packaged_text() -> str:
    """The packaged ``profiles.toml``: read beside this module, through
    :mod:`importlib.resources` only when the package is not a folder (a zip). Importing
    ``importlib.resources`` cost every command ~10 ms of CPU (it brings ``zipfile``,
    ``tempfile`` and more; measured on Python 3.11), for one small file beside this one."""
    beside = Path(__file__).with_name("profiles.toml")
    if beside.is_file():
        return beside.read_text("utf-8")
    from importlib import resources  # pragma: no cover - the package zipped

    return (  # pragma: no cover
        resources.files("complaints_cli.domain").joinpath("profiles.toml").read_text("utf-8")
    )


def load_profile_set(path: str | Path | None = None) -> ProfileSet:
    """Read and validate a profiles file: the packaged one when ``path`` is None.

    Raises :class:`ComplaintsError` when the file cannot be read, is not valid TOML, or any
    profile or milestone is invalid (unknown event, negative days, missing field, ...).
    """
    if path is None:
        return _packaged()
    shown = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ComplaintsError(f"{shown}: profiles file not found") from None
    except (OSError, UnicodeDecodeError) as err:
        raise ComplaintsError(f"{shown}: cannot read profiles file ({err})") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise ComplaintsError(f"{shown}: not valid TOML ({err})") from None
    return _parse_document(data, shown)


def load_profiles(path: str | Path | None = None) -> dict[str, Profile]:
    """All profiles in a file (the packaged one when ``path`` is None), by name."""
    return dict(load_profile_set(path).profiles)


def get_profile(name: str | None = None, path: str | Path | None = None) -> Profile:
    """One profile by name (the file's default when ``name`` is None)."""
    return load_profile_set(path).get(name)


def profile_names(path: str | Path | None = None) -> list[str]:
    """The profile names in a file, in file order."""
    return list(load_profile_set(path).profiles)
