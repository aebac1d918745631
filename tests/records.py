"""Cases as plain dicts, for tests that compare many fields at once."""

from __future__ import annotations

from typing import Any

from complaints_cli.domain.case import Case


def record(case: Case) -> dict[str, Any]:
    """Every field of ``case`` by name (kept columns as a plain dict)."""
    out = case._asdict()
    out["extra"] = dict(case.extra)
    return out
