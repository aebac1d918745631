"""A Spruce case and the rules a domain test runs it through (fixed days, no clock).

Received Monday 03/02/2025 (England): acknowledgement due Thursday 06/02/2025, the Stage 1
response Thursday 20/02/2025 (10 working days after the acknowledgement was due), an extension
at most to Thursday 06/03/2025. Today is Monday 31/03/2025.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from complaints_cli.domain.case import Case
from complaints_cli.domain.profiles import get_profile, load_profiles
from complaints_cli.domain.rules import Rules
from complaints_cli.domain.vocabulary import Stage, Status
from complaints_cli.domain.workdays import Calendar
from complaints_cli.errors import ComplaintsError

PROFILES = load_profiles()
SPRUCE = PROFILES["spruce"]
#: A profile with a window counted in calendar weeks (tests/data/weeks_profile.toml): the
#: packaged ones have none since Spruce's 8-week wait before the Ombudsman was dropped.
WEEKS = get_profile(path=Path(__file__).resolve().parent.parent / "data" / "weeks_profile.toml")
CALENDAR = Calendar(SPRUCE.nation)
TODAY = date(2025, 3, 31)
RULES = Rules(SPRUCE, CALENDAR, TODAY)
RECEIVED = date(2025, 2, 3)
ACK_DUE = date(2025, 2, 6)
STAGE1_DUE = date(2025, 2, 20)


def case(**fields: Any) -> Case:
    """An open Stage 1 case received 03/02/2025, with ``fields`` replaced."""
    values: dict[str, Any] = {
        "reference": "SPRUCE001",
        "status": Status.OPEN,
        "stage": Stage.STAGE_1,
        "handler": "Sam Patel",
        "complainant": "Ann Lee",
        "address": "1 Essex Brewery",
        "received": RECEIVED,
    }
    values.update(fields)
    return Case(**values)


def refusal(rule: Callable[..., Any], *args: Any, **kwargs: Any) -> tuple[str, str]:
    """``(error class name, message)`` of a refused rule."""
    with pytest.raises(ComplaintsError) as caught:
        rule(*args, **kwargs)
    return type(caught.value).__name__, str(caught.value)
