"""The case lifecycle and its deadlines: acknowledge, extend, respond, escalate, close, due."""

from __future__ import annotations

from typing import Any


def register(app: Any) -> None:
    """Add the lifecycle and deadline commands to ``app``."""
