"""The one domain exception.

The core raises :class:`ComplaintsError` for anything a user can fix (a bad date, an unknown
reference, a refused change). The CLI turns it into one line on stderr and an exit status, in
one place, so no command ever shows a traceback for a user's mistake.
"""

from __future__ import annotations


class ComplaintsError(Exception):
    """A problem the user can fix; ``str(err)`` is the whole message, one line."""

    exit_code: int = 1

    def __init__(self, message: str, *, exit_code: int | None = None) -> None:
        super().__init__(message)
        if exit_code is not None:
            self.exit_code = exit_code


class NotFoundError(ComplaintsError):
    """A reference (or other key) that is not in the log."""


class ConflictError(ComplaintsError):
    """A change refused because it clashes with the stored state (stale read, rule broken)."""


class BusyError(ComplaintsError):
    """The log stayed locked by another handler for longer than we are willing to wait."""
