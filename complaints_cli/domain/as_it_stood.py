"""A case as the log stood on a past day: what ``due --as-of`` in the past works out from.

The question "what was due (or overdue) on 19/01/2026?" is answered from the case's dates,
not from today's state:

* a step recorded with a date after the day had not happened yet (it is left out);
* an extension counts from the day it was agreed: before that day its new date did not
  exist (an extension recorded without the day it was agreed, as old logs hold them, is
  taken as it is: the log cannot say);
* the resident had been told of an extension only from the day told: before it, the
  extension was one not yet told, which does not count (:func:`told_on`; a "told" with no
  date, or a log with no "told" column, is taken as it is: the log cannot say);
* the weekly update on outstanding actions counts from the last contact on or before the
  day (a later update had not happened), and only while an action was outstanding then;
* the stage is the one the case was at on the day (an escalation or an Ombudsman referral
  after it had not happened).

Pure: the caller (``store/due.py``) reads the dates, the values the history recorded for the
weekly update, and whether an action was outstanding on the day.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from complaints_cli.domain.vocabulary import Stage

__all__ = ["EXTENDED_TO", "TOLD", "dates_on", "stage_on", "told_on"]

#: Deadlines, not events: kept or left out by when they were agreed, not by their own date
#: (``due --as-of`` and the reports' month ends both follow this).
EXTENDED_TO = {
    "stage1_extended_to": "stage1_extension_agreed",
    "stage2_extended_to": "stage2_extension_agreed",
}


#: Each stage's told flag (CaseDates' last fields) -> the date field of the day told.
TOLD = {
    "stage1_extension_told": "stage1_extension_told_on",
    "stage2_extension_told": "stage2_extension_told_on",
}


def told_on(told: bool | None, day_told: date | None, day: date) -> bool | None:
    """A stage's told flag as it stood at the end of ``day``: ``False`` (not told yet) when
    the resident was told after ``day``; otherwise as recorded (``None``: the log cannot
    say). ``dates_on`` leaves the later day told out, so the extension is then one not yet
    told, as ``due`` judged it on that day (:mod:`.deadlines`)."""
    if day_told is not None and day_told > day:
        return False
    return told


def dates_on(
    dates: Mapping[str, Any],
    day: date,
    *,
    recorded_updates: Iterable[date] = (),
    actions_outstanding: bool = False,
) -> dict[str, Any]:
    """``dates`` (CaseDates' date fields by name) as the log stood on ``day``.

    ``recorded_updates``: every value the weekly-update clock (``last_update``) was given in
    the case's history (the response that promised actions, each ``update``);
    ``actions_outstanding``: an action was promised by ``day`` and not yet done on it.
    """
    out: dict[str, Any] = {}
    for field, value in dates.items():
        if field in EXTENDED_TO:
            agreed = dates.get(EXTENDED_TO[field])
            out[field] = None if agreed is not None and agreed > day else value
        elif field == "last_update":
            known = [d for d in (*recorded_updates, value) if d is not None and d <= day]
            out[field] = max(known) if known and actions_outstanding else None
        else:
            out[field] = None if value is not None and value > day else value
    return out


def stage_on(
    stage: str, dates: Mapping[str, Any], day: date, ombudsman_referred: date | None
) -> str:
    """The stage a case at ``stage`` today was at on ``day``: with the Ombudsman once referred
    or once the Ombudsman asked for evidence (``dates["ombudsman_requested"]``); a case the
    log puts with the Ombudsman with neither date recorded (an imported log), from its last
    recorded step (the Stage 2 response, else the escalation, else receipt); Stage 2 once its
    escalation request was received; a service dissatisfaction still Informal; otherwise
    Stage 1. The one rule ``due --as-of`` and the reports' month ends use."""
    if stage == Stage.INFORMAL:
        return stage
    requested = dates.get("ombudsman_requested")
    for when in (ombudsman_referred, requested):
        if when is not None and when <= day:
            return Stage.OMBUDSMAN
    if stage == Stage.OMBUDSMAN and ombudsman_referred is None and requested is None:
        last = (
            dates.get("stage2_responded")
            or dates.get("escalation_received")
            or dates.get("received")
        )
        if last is not None and last <= day:
            return Stage.OMBUDSMAN
    escalated = dates.get("escalation_received")
    if escalated is not None and escalated <= day:
        return Stage.STAGE_2
    return Stage.STAGE_1
