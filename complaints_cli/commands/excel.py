"""``complaints import`` and ``complaints export``: the log as an Excel workbook."""

from __future__ import annotations

from typing import Any


def register(app: Any) -> None:
    """Add the Excel commands to ``app``."""
