"""The policies' time limits for raising a complaint and for asking for Stage 2.

Checked with a warning only, never a refusal: every policy keeps the discretion to accept a
late complaint (Spruce policy 2.3, Homes Plus para 18). The limits are the profile's
(:class:`~complaints_cli.domain.profiles.TimeLimits`).
"""

from __future__ import annotations

import calendar
from datetime import date

from complaints_cli.domain.case import Case
from complaints_cli.domain.profiles import Profile
from complaints_cli.domain.rules import Rules, uk

__all__ = ["add_months", "complaint_time_limit", "escalation_time_limit"]


def add_months(day: date, months: int) -> date:
    """``day`` plus calendar months, the day clamped to the month's end (31/01 + 1 -> 28/02)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def complaint_time_limit(profile: Profile, received: date, events: date | None) -> list[str]:
    """A warning when the events complained of are older than the policy's limit."""
    months = profile.time_limits.complaint_months
    if events is None or months is None:
        return []
    limit = add_months(events, months)
    if received <= limit:
        return []
    source = profile.time_limits.complaint_source or profile.label
    return [
        f"the events complained of ({uk(events)}) are more than {months} months before the "
        f"complaint was received ({uk(received)}): outside the policy's time limit ({source}); "
        "accept it only with a reason (e.g. a recurring problem), or record it as not accepted "
        "(complaints not-accepted)"
    ]


def escalation_time_limit(case: Case, rules: Rules, received: date) -> list[str]:
    """A warning when Stage 2 is asked for later than the policy's period after Stage 1."""
    responded = case.stage1_responded
    limits = rules.profile.time_limits
    if responded is None:
        return []
    if limits.escalation_working_days is not None:
        limit = rules.calendar.add_working_days(responded, limits.escalation_working_days)
        period = f"{limits.escalation_working_days} working days"
    elif limits.escalation_months is not None:
        limit = add_months(responded, limits.escalation_months)
        period = f"{limits.escalation_months} months"
    else:
        return []
    if received <= limit:
        return []
    source = limits.escalation_source or rules.profile.label
    return [
        f"the Stage 2 request ({uk(received)}) came more than {period} after the Stage 1 "
        f"response ({uk(responded)}): the limit was {uk(limit)} ({source}); escalated anyway, "
        "record why in the details if it was accepted late"
    ]
