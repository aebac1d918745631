"""The deadlines as calendar events, for ``complaints feed``: what each event says. Pure.

One all-day event per open milestone of an open case (the same milestones ``complaints due``
shows, overdue ones included) and per outstanding action, on its deadline, with a reminder on
the working day before. :mod:`complaints_cli.files.calendar_feed` writes them as iCalendar.

* **Stable identity**: an event's UID is the case's reference and the milestone's key
  (``SPRUCE001-stage1_response@spruce.complaints``), so a calendar that reads the file again
  updates the event instead of adding a second one; its SEQUENCE is the case's version
  (``row_version``, bumped by every change), so a changed deadline is newer than the old one.
* **Done is cancelled**: a milestone or action done in the last :data:`CANCEL_DAYS` days, and
  every milestone and action of a case finished (closed, withdrawn, not accepted) in that
  time, is an event with STATUS:CANCELLED under the same UID, so a calendar that has it
  removes or strikes it. Older ones are left out, so the file does not grow for ever.
* **No personal detail** beyond the reference and the resident's surname (:func:`surname`):
  no first name, no address (so the case folder is given as the root and the reference its
  name ends in, not its full name, which holds the address), no summary, no action text.
  The handler's name is given: it is whose deadline it is.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from complaints_cli.domain.case import Action, Case
from complaints_cli.domain.deadlines import CaseDates, Milestone, State, compute_milestones
from complaints_cli.domain.explanations import anchor_words
from complaints_cli.domain.profiles import Profile
from complaints_cli.domain.rules import same_person, uk
from complaints_cli.domain.vocabulary import Stage, Status
from complaints_cli.domain.workdays import Calendar

__all__ = ["CANCEL_DAYS", "FeedEvent", "feed_events", "owner", "previous_working_day", "surname"]

#: How long a done milestone (or a finished case's) stays in the feed as a cancelled event.
CANCEL_DAYS = 90

#: Words before a name that are not the name.
_TITLES = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "miss",
        "mx",
        "dr",
        "prof",
        "rev",
        "revd",
        "sir",
        "dame",
        "lady",
        "lord",
        "the",
    ]
)
#: Words that belong to the surname after them ("Ní Bhriain", "van der Berg", "de la Cruz").
_PARTICLES = frozenset(
    [
        "ní",
        "nic",
        "ó",
        "o",
        "ua",
        "mac",
        "mc",
        "van",
        "von",
        "der",
        "den",
        "de",
        "del",
        "della",
        "di",
        "da",
        "du",
        "la",
        "le",
        "st",
        "st.",
        "bin",
        "ibn",
    ]
)
#: What joins two people in one complainant field: "and", "&", ";", "/", "+".
_JOINS = re.compile(r"\s+(?:and|&)\s+|\s*[;/+&]\s*", re.IGNORECASE)


@dataclass(frozen=True)
class FeedEvent:
    """One all-day calendar event."""

    uid: str
    day: date  #: the deadline (all day)
    summary: str  #: ``SPRUCE001 Stage 1 response – Lee``
    description: str  #: lines joined with ``\\n``
    cancelled: bool  #: done, or its case finished: STATUS:CANCELLED
    sequence: int  #: the case's ``row_version``
    #: Calendar days from the reminder (the working day before) to ``day``: 1 on Tue-Fri,
    #: 3 on a Monday, more after a bank holiday. ``None`` for a cancelled event.
    remind_days_before: int | None
    handler: str


def surname(complainant: str) -> str:
    """The resident's surname(s) only: ``"Ann Lee"`` -> ``"Lee"``; ``"Lee, Ann"`` -> ``"Lee"``;
    ``"Mr and Mrs K. O'Neill"`` -> ``"O'Neill"``; ``"Ann Lee and Tom Hart"`` ->
    ``"Lee / Hart"``. Text in brackets and titles are dropped; empty when no name is left."""
    text = re.sub(r"\([^)]*\)|\[[^\]]*\]", " ", complainant or "")
    people: list[str] = []
    for part in _JOINS.split(text):
        pieces = [p.strip() for p in part.split(",") if p.strip()]
        if len(pieces) == 2 and len(_name_words(pieces[0])) == 1:  # "Lee, Ann": surname first
            people.append(pieces[0])
        else:
            people += pieces
    out: list[str] = []
    for person in people:
        words = _name_words(person)
        if not words:
            continue
        start = len(words) - 1
        while start > 0 and words[start - 1].casefold() in _PARTICLES:
            start -= 1
        name = " ".join(words[start:]).strip(".,'\"")
        if len(name) > 1 and name.casefold() not in {n.casefold() for n in out}:
            out.append(name)
    return " / ".join(out)


def _name_words(text: str) -> list[str]:
    """The words of a name, titles left out."""
    return [w for w in text.split() if w.rstrip(".").casefold() not in _TITLES]


def previous_working_day(day: date, calendar: Calendar) -> date:
    """The working day before ``day`` (Friday for a Monday, skipping bank holidays)."""
    before = day - timedelta(days=1)
    for _ in range(60):
        if calendar.is_working_day(before):
            return before
        before -= timedelta(days=1)
    return day - timedelta(days=1)  # pragma: no cover - a calendar with no working day


def owner(case: Case, stage: str) -> str:
    """Who must act on a milestone of ``stage``: the Stage 2 handler for Stage 2 ones, the
    Stage 1 handler for Stage 1 ones, and whoever handles the case's stage for the rest
    (as ``complaints due`` shows them)."""
    second = case.stage2_handler
    if stage == "stage2" or (stage != "stage1" and case.stage is not Stage.STAGE_1 and second):
        return second or case.handler
    return case.handler


def _finished_on(case: Case) -> date | None:
    """When a finished case was finished (closed, withdrawn, voided); with no such date (an
    imported log has no closing date), the last date it records; ``None`` for an open case."""
    if case.is_open:
        return None
    day = case.closed or case.withdrawn or case.voided or case.not_accepted_told
    if day is None:
        day = max(d for d in CaseDates.of(case) if isinstance(d, date))  # received is always there
    return day


def _milestone_text(m: Milestone, reference: str, stage: Stage, folder: str) -> list[str]:
    rule = m.rule
    anchor = f"{anchor_words(m.anchor_event)} {m.anchor:%a} {uk(m.anchor)}"
    if m.projected:
        anchor += " (not done yet)"
    lines = [
        f"{m.label} for {reference} ({stage}), due {m.deadline:%a} {uk(m.deadline)}.",
        f"{rule.limit_text} from {anchor}.",
    ]
    if m.extended_to is not None:
        lines.append(f"Extended from {uk(m.due)} to {uk(m.deadline)}.")
    lines.append(folder)
    return lines


def _folder_line(root: str, reference: str) -> str:
    return f"Case folder: the folder ending in {reference} under {root}"


def feed_events(
    cases: Iterable[Case],
    actions: Mapping[int, Sequence[Action]],
    profile: Profile,
    calendar: Calendar,
    *,
    today: date,
    root: str,
    domain: str,
    handler: str | None = None,
) -> list[FeedEvent]:
    """Every event of the feed, by day then UID (see the module notes).

    ``root`` is the complaints root as the team sees it; ``domain`` ends each UID
    (``spruce.complaints``); ``handler`` keeps only that person's milestones and actions.
    """
    since = today - timedelta(days=CANCEL_DAYS)
    out: list[FeedEvent] = []
    for case in cases:
        finished = _finished_on(case)
        if finished is not None and finished < since:
            continue
        ref = case.reference
        name = surname(case.complainant)
        folder = _folder_line(root, ref)
        dates = CaseDates.of(case)._replace(status=Status.OPEN.value)
        for m in compute_milestones(dates, profile, calendar, as_of=today):
            who = owner(case, m.rule.stage)
            if handler and not same_person(who, handler):
                continue
            ended = m.kind == "window" and m.state is State.ELAPSED and not m.rule.while_open
            done = m.done is not None or ended
            if done and (m.done or m.deadline) < since and finished is None:
                continue
            cancelled = done or finished is not None
            lines = _milestone_text(m, ref, case.stage, folder)
            if m.done is not None:
                lines.insert(1, f"Done {m.done:%a} {uk(m.done)}.")
            elif cancelled and finished is not None:
                lines.insert(1, f"The case is {str(case.status).lower()}.")
            lines.append(f"Handler: {who}")
            out.append(
                _event(
                    f"{ref}-{m.key}@{domain}",
                    m.deadline,
                    f"{ref} {m.label}" + (f" – {name}" if name else ""),
                    lines,
                    cancelled=cancelled,
                    sequence=case.row_version,
                    calendar=calendar,
                    handler=who,
                )
            )
        for a in actions.get(case.id if case.id is not None else -1, ()):
            if handler and not (
                same_person(a.owner, handler) or same_person(case.handler, handler)
            ):
                continue
            if a.done is not None and a.done < since and finished is None:
                continue
            cancelled = a.done is not None or finished is not None
            kind = str(a.kind).capitalize()
            lines = [
                f"{kind} {a.number} on {ref} ({a.stage}), due {a.due:%a} {uk(a.due)}: see "
                f"complaints show {ref}.",
                folder,
                f"Owner: {a.owner}",
            ]
            if a.done is not None:
                lines.insert(1, f"Done {a.done:%a} {uk(a.done)}.")
            out.append(
                _event(
                    f"{ref}-action_{a.number}@{domain}",
                    a.due,
                    f"{ref} {kind} {a.number} due" + (f" – {name}" if name else ""),
                    lines,
                    cancelled=cancelled,
                    sequence=case.row_version,
                    calendar=calendar,
                    handler=a.owner,
                )
            )
    return sorted(out, key=lambda e: (e.day, e.uid))


def _event(
    uid: str,
    day: date,
    summary: str,
    lines: list[str],
    *,
    cancelled: bool,
    sequence: int,
    calendar: Calendar,
    handler: str,
) -> FeedEvent:
    """One all-day event; an open one is reminded the working day before (none when
    cancelled)."""
    return FeedEvent(
        uid=uid,
        day=day,
        summary=summary,
        description="\n".join(lines),
        cancelled=cancelled,
        sequence=sequence,
        remind_days_before=None if cancelled else (day - previous_working_day(day, calendar)).days,
        handler=handler,
    )
