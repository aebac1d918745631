"""Reading what a handler filters by, so a typo is never good news.

``list --status Opn`` or ``due --handler "Sam Patle"`` used to match nothing and say "No
complaints match." / "Nothing due.": an answer that looks like good news. Each filter value is
read here against the words the log knows (the statuses and stages of
:mod:`complaints_cli.domain.vocabulary`, the handlers the log holds); one that matches none is
refused with the known values and the nearest ("did you mean Sam Patel?").
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from typing import TypeVar

from complaints_cli.domain.text import person_key
from complaints_cli.domain.vocabulary import Stage, Status
from complaints_cli.errors import ComplaintsError

__all__ = [
    "closest",
    "known_spelling",
    "match_person",
    "nearest",
    "new_person_near",
    "parse_stage",
    "parse_status",
]

E = TypeVar("E", bound=StrEnum)

_STAGE_WORDS = {
    "1": Stage.STAGE_1,
    "stage1": Stage.STAGE_1,
    "2": Stage.STAGE_2,
    "stage2": Stage.STAGE_2,
    "hos": Stage.OMBUDSMAN,
    "housing ombudsman": Stage.OMBUDSMAN,
    "dissatisfaction": Stage.INFORMAL,
}


#: Case, accents and spacing forgiven: the one rule of who is whom.
_squash = person_key


def closest(text: str, known: Iterable[str]) -> str | None:
    """The known word closest to ``text`` (:mod:`difflib`'s ratio at least 0.6, as typed or
    as :func:`~complaints_cli.domain.text.person_key` folds both), or ``None``."""
    import difflib  # only for a word the log does not know (~2 ms to import)

    names = list(known)
    found = difflib.get_close_matches(text, names, n=1, cutoff=0.6) or difflib.get_close_matches(
        _squash(text), [_squash(n) for n in names], n=1, cutoff=0.6
    )
    if not found:
        return None
    return next((n for n in names if _squash(n) == _squash(found[0])), found[0])


def nearest(text: str, known: Iterable[str]) -> str:
    """``"; did you mean Sam Patel?"`` for the closest known word, or ``""``."""
    best = closest(text, known)
    return "" if best is None else f"; did you mean {best}?"


def new_person_near(text: str, known: Iterable[str]) -> str | None:
    """The person the log knows whom ``text``, a name it does not know, looks like a typo of
    (``Sarah Jonse`` -> ``Sarah Jones``), single-spaced; ``None`` when the log knows ``text``
    under any spelling (:func:`match_person`'s rule), or knows nobody close to it (a new
    member of staff). For a warning, never a refusal: a name new to the log is legitimate.
    ``known``: the names as stored (``store.lookups.people``)."""
    people = {" ".join(k.split()) for k in known if k and k.strip()}
    if not _squash(text) or _spellings(text, people):
        return None
    return closest(" ".join(text.split()), sorted(people))


def known_spelling(text: str, known: Iterable[str]) -> str | None:
    """The spelling the log already holds of the person ``text`` names, when ``text`` spells
    them otherwise (case, accents, spacing: :func:`match_person`'s rule): ``sarah  JONES``
    beside ``Sarah Jones`` -> ``Sarah Jones``, so one person is not two handlers in every
    report. ``None`` when ``text`` is a spelling the log holds, or names someone it does not
    know (:func:`new_person_near` then looks for a typo). With several spellings held, the
    first in order. ``known``: the names as stored (``store.lookups.people``)."""
    typed = " ".join(text.split())
    found = _spellings(typed, known)
    if not found or typed in found:
        return None
    return found[0]


def _spellings(text: str, known: Iterable[str]) -> tuple[str, ...]:
    """Every spelling in ``known`` of the person ``text`` names, as stored, in order: the one
    rule of who is whom (:func:`~complaints_cli.domain.text.person_key`)."""
    wanted = _squash(text)
    return tuple(sorted({k for k in known if k and k.strip() and _squash(k) == wanted}))


def _parse(text: str, enum: type[E], what: str, extra: dict[str, E]) -> E:
    key = _squash(text)
    for member in enum:
        if _squash(member.value) == key:
            return member
    if key.replace(" ", "") in extra:
        return extra[key.replace(" ", "")]
    if key in extra:
        return extra[key]
    values = [m.value for m in enum]
    raise ComplaintsError(
        f"{what} {text!r} is not one of: {', '.join(values)}{nearest(text, values)}"
    )


def parse_status(text: str, what: str = "--status") -> Status:
    """``open``, ``Closed``, ``not-accepted``, ``withdrawn``, ``void`` -> the status."""
    return _parse(text, Status, what, {})


def parse_stage(text: str, what: str = "--stage") -> Stage:
    """``Stage 1``, ``stage2``, ``2``, ``Ombudsman``, ``HOS``, ``Informal`` -> the stage."""
    return _parse(text, Stage, what, _STAGE_WORDS)


def match_person(
    text: str,
    known: Iterable[str],
    what: str = "--handler",
    *,
    noun: str = "a handler in the log",
    nobody: str = "the log has no handlers yet",
) -> tuple[str, ...]:
    """Every spelling the log holds of the person a handler typed (case, accents, spacing,
    line breaks, ``-`` and ``_`` forgiven), exactly as stored, so a filter with them finds
    each of that person's cases (``Sam Patel``, ``sam  patel`` and ``Sam\nPatel`` are one
    person; a filter by the first alone missed the others and said "Nothing due.").
    :class:`ComplaintsError` with the nearest and the people the log knows when none match
    (``noun`` and ``nobody`` word it for another list, such as who compliments are about)."""
    spellings = {k for k in known if k and k.strip()}
    found = _spellings(text, spellings)
    if found:
        return found
    people = sorted({" ".join(k.split()) for k in spellings})
    if not people:
        raise ComplaintsError(f"{what} {text!r}: {nobody}")
    listed = ", ".join(people[:12]) + (" ..." if len(people) > 12 else "")
    raise ComplaintsError(
        f"{what} {text!r} is not {noun}{nearest(text, people)} (the log knows: {listed})"
    )
