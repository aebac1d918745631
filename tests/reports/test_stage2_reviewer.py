"""The annual report's 6.13 figure (Stage 2 reviewed by someone other than the Stage 1
handler) judges "the same person" by the tool's one rule (``domain/rules.same_person``, as
``escalate`` refuses and ``--handler`` finds people): an accent, a hyphen or a pasted
zero-width space does not make the Stage 1 handler someone else (the fresh-user trial: an
import let ``Zoe Adeyemi`` review ``Zoë Adeyemi``'s case, and 6.13 reported it as compliant)."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace
from typing import Any

import pytest

from complaints_cli.reports.annual import _reviewer


def _judged(stage1: str, stage2: str | None) -> Any:
    case = SimpleNamespace(
        reference="SPRUCE001",
        values={"handler": stage1, "stage2_handler": stage2},
        dates=SimpleNamespace(received=date(2025, 6, 2)),
    )
    return SimpleNamespace(case=case, done=date(2025, 7, 1))


@pytest.mark.parametrize(
    ("stage1", "stage2", "result"),
    [
        ("Zoë Adeyemi", "Zoe Adeyemi", "same person"),
        ("Mary-Jane Fox", "mary jane fox", "same person"),
        ("Sam Patel", "Sam\u200b Patel", "same person"),
        ("Sam Patel", "Kim Ho", "different"),
        ("Sam Patel", None, "not shown"),
    ],
)
def test_the_same_person_however_spelt_is_not_independent(
    stage1: str, stage2: str | None, result: str
) -> None:
    figure = _reviewer([_judged(stage1, stage2)], ["2024"])
    assert [line.result for line in figure.cases] == [result]
    assert (figure.count, figure.of) == (int(result == "different"), 1)
