"""Which Housing Ombudsman Complaint Handling Code judges a step, by the day its clock started.

Two Codes matter to a log that reaches back before April 2024:

* the **2022 Code** (``hos-code-2022`` in ``profiles.toml``), in force from 1 April 2022
  ("The updated Code took effect on 1 April 2022": Housing Ombudsman, "Complaint Handling Code
  2022"); its Stage 2 response is due within 20 working days of the escalation *request*, and an
  extension may add at most 10 working days at either stage;
* the **2024 Code** (``hos-code-2024``), statutory from 1 April 2024 (Housing Ombudsman, "The
  Complaint Handling Code": "The statutory Code will take effect from 1 April 2024"); its Stage 2
  response is due within 20 working days of the Stage 2 *acknowledgement* (6.14), and a Stage 2
  extension may add 20 (6.15).

A step is judged by the Code in force on the day its clock started: the day the complaint was
received for the acknowledgement and the Stage 1 response, the day the escalation request was
received for the Stage 2 acknowledgement and response (:data:`STARTED_BY`). So a 2023/24 Stage 2
request of Mon 26/06/2023, acknowledged Fri 30/06 and answered Thu 27/07/2023 is judged by the
2022 Code: due Mon 24/07/2023, late (under the 2024 Code, counted from the acknowledgement, it
would have been due Fri 28/07 and on time). The Ombudsman's own note reads the same way for
whole complaints ("If your complaint relates to a case made before 1st April 2024 - please refer
to ... the Complaint Handling Code 2022"); for a Stage 2 request made on or after 1 April 2024
on a complaint made before it, this module uses the 2024 Code, in force when that request was
received (README, "How the reports count").

Before 1 April 2022 no Code profile is shipped: the 2022 Code is used for earlier steps too, and
:func:`codes_in` says so (``before`` is True).

Pure: dates in, names out.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Final, NamedTuple

__all__ = [
    "CODE_2022",
    "CODE_2022_FROM",
    "CODE_2024",
    "CODE_2024_FROM",
    "PROVISIONS",
    "STARTED_BY",
    "CodeSpan",
    "code_on",
    "codes_in",
    "provision",
]

CODE_2022: Final = "hos-code-2022"
CODE_2024: Final = "hos-code-2024"
#: The 2022 Code took effect on 1 April 2022.
CODE_2022_FROM: Final = date(2022, 4, 1)
#: The statutory 2024 Code took effect on 1 April 2024.
CODE_2024_FROM: Final = date(2024, 4, 1)

#: Report role -> the case event whose day decides which Code judges the step.
STARTED_BY: Final[dict[str, str]] = {
    "ack": "received",
    "stage1": "received",
    "stage2_ack": "escalation_received",
    "stage2": "escalation_received",
}

#: Code -> role -> the provision that sets the step's timescale (None: the provision's number
#: could not be checked against the Code's text; the label then names the Code only).
#: 2024: the self-assessment extract (seeds/hos-code-2024-self-assessment-extract.txt).
#: 2022: 5.1, 5.9 and 5.12 as quoted in published self-assessments against the 2022 Code
#: (Slough, Great Yarmouth); the other numbers were not found in the stored sources, so none is
#: given.
PROVISIONS: Final[dict[str, dict[str, str | None]]] = {
    CODE_2024: {
        "ack": "6.2",
        "stage1": "6.3",
        "stage1_extended": "6.4",
        "stage2_ack": "6.11",
        "stage2": "6.14",
        "stage2_extended": "6.15",
        "stage1_told": "6.5",
        "stage2_told": "6.16",
        "stage2_reviewer": "6.13",
        "stage2_refused": "6.10",
    },
    CODE_2022: {
        "ack": None,
        "stage1": "5.1",
        "stage1_extended": "5.1",
        "stage2_ack": None,
        "stage2": None,
        "stage2_extended": None,
        "stage1_told": None,
        "stage2_told": None,
        "stage2_reviewer": "5.12",
        "stage2_refused": "5.9",
    },
}

_YEAR: Final = {CODE_2022: "2022", CODE_2024: "2024"}


def code_on(day: date) -> str:
    """The Code in force on ``day``: ``hos-code-2024`` from 1 April 2024, else ``hos-code-2022``.

    ``code_on(date(2024, 3, 31))`` -> ``"hos-code-2022"``; ``code_on(date(2024, 4, 1))`` ->
    ``"hos-code-2024"``.
    """
    return CODE_2024 if day >= CODE_2024_FROM else CODE_2022


def provision(code: str, role: str) -> str:
    """``"6.3"`` or ``"2022 Code 5.1"``, or ``"2022 Code"`` where the number is not known."""
    number = PROVISIONS.get(code, {}).get(role)
    if code == CODE_2024:
        return number or "2024 Code"
    year = _YEAR.get(code, code)
    return f"{year} Code {number}" if number else f"{year} Code"


class CodeSpan(NamedTuple):
    """The part of a period one Code governs."""

    name: str  #: the profile's name
    start: date
    end: date
    #: The span starts before the Code was in force (no older Code is shipped).
    before: bool = False


def codes_in(start: date, end: date) -> list[CodeSpan]:
    """The Codes in force over ``start``..``end``, in order, with the days each governs.

    A period wholly after 1 April 2024 gives one span (``hos-code-2024``); 2023/24 gives one
    (``hos-code-2022``); a period across 1 April 2024 gives two: the report says it spans the
    change.
    """
    out: list[CodeSpan] = []
    if start < CODE_2024_FROM:
        out.append(
            CodeSpan(
                CODE_2022,
                start,
                min(end, CODE_2024_FROM - timedelta(days=1)),
                before=start < CODE_2022_FROM,
            )
        )
    if end >= CODE_2024_FROM:
        out.append(CodeSpan(CODE_2024, max(start, CODE_2024_FROM), end))
    return out
