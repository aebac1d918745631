"""The one domain exception, and the exit statuses.

The core raises :class:`ComplaintsError` for anything a user can fix (a bad date, an unknown
reference, a refused change). The CLI turns it into one line on stderr and an exit status, in
one place, so no command ever shows a traceback for a user's mistake.
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """Every exit status the ``complaints`` command gives (README, "Errors")."""

    #: Done.
    OK = 0
    #: A problem the user can fix, said in one line on stderr; nothing was written.
    ERROR = 1
    #: A check found problems (``folders --check``, ``db check``), listed above.
    PROBLEMS_FOUND = 1
    #: The command line itself was wrong (an unknown option, a missing argument).
    USAGE = 2
    #: Interrupted (Ctrl-C); nothing was saved.
    INTERRUPTED = 130


class ComplaintsError(Exception):
    """A problem the user can fix; ``str(err)`` is the whole message, one line."""

    exit_code: int = ExitCode.ERROR

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
