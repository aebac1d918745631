"""The working behind each deadline: ``complaints due --explain REF`` shows it day by day.

Built on :func:`complaints_cli.domain.deadlines.compute_milestones` and
:meth:`complaints_cli.domain.workdays.Calendar.explain` (each working day counted, each
weekend, bank holiday and office closure skipped, named).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from complaints_cli.domain.dates import days_left_text
from complaints_cli.domain.deadlines import CaseDates, Milestone, compute_milestones
from complaints_cli.domain.profiles import Profile
from complaints_cli.domain.workdays import Calendar, Explanation

__all__ = ["MilestoneExplanation", "anchor_words", "explain_milestones"]

#: A projected anchor (the deadline standing in for a step not yet done), in words.
_PROJECTED = {
    "ack_due": "the acknowledgement deadline",
    "stage2_ack_due": "the Stage 2 acknowledgement deadline",
}


def anchor_words(event: str) -> str:
    """The event a deadline counts from, in words: ``escalation_received`` is "escalation
    received", the projected ``ack_due`` "the acknowledgement deadline"."""
    return _PROJECTED.get(event, event.replace("_", " "))


@dataclass(frozen=True, slots=True)
class MilestoneExplanation:
    """A milestone with the working behind its dates."""

    milestone: Milestone
    counting: Explanation | None  #: day-by-day count to ``due`` (None for calendar weeks)
    extension: Explanation | None  #: count from ``due`` to the extension limit, if any

    def lines(self) -> list[str]:
        """Plain text for ``complaints due --explain REF``."""
        m = self.milestone
        rule = m.rule
        anchor = f"{anchor_words(m.anchor_event)} {m.anchor:%a %d/%m/%Y}"
        if m.projected:
            anchor += " (projected: not yet recorded)"
        out = [f"{m.label} [{m.key}]: {rule.limit_text} from {anchor}"]
        if rule.source:
            out.append(f"  source: {rule.source}")
        out.append(f"  due {m.due:%a %d/%m/%Y}")
        if m.extended_to is not None:
            out.append(f"  extended to {m.extended_to:%a %d/%m/%Y}")
        if m.extension_limit is not None:
            out.append(f"  an extension may reach at most {m.extension_limit:%a %d/%m/%Y}")
        if m.deadline != m.due:
            out.append(f"  deadline {m.deadline:%a %d/%m/%Y}")
        if m.done is not None:
            out.append(f"  done {m.done:%a %d/%m/%Y}: {m.state}")
        else:
            left = days_left_text(m.working_days_left or 0, m.state)
            out.append(f"  {m.state}, {left}")
        if self.counting is not None:
            out += ["  " + line for line in self.counting.lines()]
        if self.extension is not None:
            out.append("  the extension limit:")
            out += ["    " + line for line in self.extension.lines()]
        return out


def explain_milestones(
    case: CaseDates | Mapping[str, object] | object,
    profile: Profile,
    calendar: Calendar,
    *,
    as_of: date,
) -> list[MilestoneExplanation]:
    """Every applicable milestone with its day-by-day working (see :meth:`Calendar.explain`)."""
    out = []
    for m in compute_milestones(case, profile, calendar, as_of=as_of):
        rule = m.rule
        counting = None
        if rule.working_days is not None:
            counting = calendar.explain(m.anchor, rule.working_days)
        extension = None
        cap = profile.extension_cap(rule.stage) if rule.extendable else None
        if cap is not None and m.extended_to is not None:
            extension = calendar.explain(m.due, cap)
        out.append(MilestoneExplanation(m, counting, extension))
    return out
