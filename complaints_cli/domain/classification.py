"""What kind of complaint it is, and what came of it: category, tenure and outcome.

The Code asks the landlord to tell its governing body the volumes, **categories and
outcomes** of its complaints (Complaint Handling Code 2024, 8.1 and 9.x), and the Regulator's
TSMs CH01 and CH02 are published per stock type, low-cost rental (LCRA) and low-cost home
ownership (LCHO) (Tenant Satisfaction Measures: Technical requirements, CH01/CH02). The
categories are the team's own list (the ``categories`` setting); :data:`DEFAULT_CATEGORIES`
holds the kinds every housing complaints report names.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from complaints_cli.domain.vocabulary import Outcome, Tenure
from complaints_cli.errors import ComplaintsError

if TYPE_CHECKING:
    from complaints_cli.domain.case import Case

__all__ = [
    "DEFAULT_CATEGORIES",
    "final_outcome",
    "matches",
    "parse_category",
    "parse_outcome",
    "parse_outcome_filter",
    "parse_tenure",
    "recorded_outcomes",
]

#: The categories a team starts with (the ``categories`` setting replaces them).
DEFAULT_CATEGORIES: tuple[str, ...] = (
    "Repairs",
    "Damp and mould",
    "Anti-social behaviour",
    "Service charges and rent",
    "Staff conduct",
    "Communication",
    "Estate services",
    "Other",
)


def _squash(text: str) -> str:
    return " ".join(text.strip().casefold().replace("-", " ").replace("&", "and").split())


def parse_category(text: str, known: Sequence[str], what: str = "--category") -> str:
    """The team's own spelling of a category (case, hyphens and ``&`` forgiven); one not in
    the list is refused with the list and the nearest (``damp`` -> did you mean Damp and
    mould?); the start of a name is enough when it starts one category only, and one that
    starts several is refused naming them (not called unknown).

    Raises :class:`ComplaintsError` for an unknown or ambiguous name."""
    from complaints_cli.domain.filters import nearest  # difflib: only when refusing

    for category in known:
        if _squash(category) == _squash(text):
            return category
    prefixed = [c for c in known if _squash(c).startswith(_squash(text))] if text.strip() else []
    if len(prefixed) == 1:
        return prefixed[0]
    if prefixed:
        raise ComplaintsError(
            f"{what} {text!r} could be any of {', '.join(prefixed)}: give more of the name"
        )
    raise ComplaintsError(
        f"{what} {text!r} is not one of the team's categories: {', '.join(known)}"
        f"{nearest(text, known)} (the list is the categories setting: complaints config)"
    )


#: The outcomes a response can record (``withdrawn`` is ``complaints withdraw``'s).
recorded_outcomes: tuple[Outcome, ...] = (
    Outcome.UPHELD,
    Outcome.PARTLY_UPHELD,
    Outcome.NOT_UPHELD,
    Outcome.RESOLVED,
)


def parse_outcome(
    text: str, what: str = "--outcome", shown: Sequence[Outcome] = tuple(Outcome)
) -> Outcome:
    """``upheld``, ``Partly upheld``, ``not upheld``, ``resolved``, ``withdrawn``; an unknown
    word is refused listing ``shown`` (``respond`` shows :data:`recorded_outcomes`, and refuses
    ``withdrawn`` itself with the command that records a withdrawal)."""
    value = " ".join(text.strip().lower().replace("-", " ").split())
    value = {"partially upheld": "partly upheld", "part upheld": "partly upheld"}.get(value, value)
    try:
        return Outcome(value)
    except ValueError:
        from complaints_cli.domain.filters import nearest  # difflib: only when refusing

        listed = ", ".join(str(o) for o in shown)
        hint = nearest(text, [str(o) for o in shown])
        raise ComplaintsError(f"{what} {text!r} is not one of: {listed}{hint}") from None


def parse_tenure(text: str, what: str = "--tenure") -> Tenure:
    """``low-cost rental`` (``LCRA``), ``low-cost home ownership`` (``LCHO``), ``other``,
    ``unknown``."""
    value = " ".join(text.strip().lower().replace("_", " ").split())
    value = {
        "lcra": "low-cost rental",
        "low cost rental": "low-cost rental",
        "lcho": "low-cost home ownership",
        "low cost home ownership": "low-cost home ownership",
        "shared ownership": "low-cost home ownership",
    }.get(value, value)
    try:
        return Tenure(value)
    except ValueError:
        raise ComplaintsError(
            f"{what} {text!r} is not one of: LCRA (low-cost rental), LCHO (low-cost home "
            "ownership, shared ownership), other, unknown"
        ) from None


def final_outcome(case: Case) -> Outcome | None:
    """The outcome the complaint ended with: Stage 2's when there is one, else Stage 1's."""
    return case.stage2_outcome if case.stage2_outcome is not None else case.stage1_outcome


#: ``--outcome none``: the cases with no outcome recorded.
NO_OUTCOME = ("none", "blank", "unknown", "not recorded")


def matches(
    case: Case, *, category: str | None = None, outcome: Outcome | str | None = None
) -> bool:
    """Whether ``case`` is in ``category`` (the team's spelling, from :func:`parse_category`)
    and ended with ``outcome`` (:func:`final_outcome`; ``"none"``: no outcome recorded)."""
    if category is not None and case.category != category:
        return False
    if outcome is None:
        return True
    if outcome == "none":
        return final_outcome(case) is None
    return final_outcome(case) is outcome


def parse_outcome_filter(text: str, what: str = "--outcome") -> Outcome | str:
    """An outcome, or ``"none"`` for the cases with none recorded."""
    if " ".join(text.strip().lower().split()) in NO_OUTCOME:
        return "none"
    return parse_outcome(text, what)
