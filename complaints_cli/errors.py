"""The one domain exception, and the exit statuses.

The core raises :class:`ComplaintsError` for anything a user can fix (a bad date, an unknown
reference, a refused change). The CLI turns it into one line on stderr and an exit status, in
one place, so no command ever shows a traceback for a user's mistake.
"""

from __future__ import annotations

import errno
from enum import IntEnum


class ExitCode(IntEnum):
    """Every exit status the ``complaints`` command gives (README, "Errors")."""

    #: Done.
    OK = 0
    #: A problem the user can fix, said in one line on stderr; nothing was written.
    ERROR = 1
    #: A check found problems (``folders --check``, ``db check``), listed above.
    PROBLEMS_FOUND = 1
    #: The command line itself was wrong (an unknown option, a missing argument, a value of the
    #: wrong type): one line on stderr, as every other error.
    USAGE = 1
    #: Interrupted (Ctrl-C); nothing was saved.
    INTERRUPTED = 130
    #: The program reading the output closed it early (``complaints list | head -1``): no
    #: message, the status a shell gives any program stopped by a closed pipe (128 + SIGPIPE,
    #: as ``seq 1 1000000 | head -1`` gives), so a script can tell it from done (0) and from an
    #: error (1). An error the command had already met keeps its own status.
    CLOSED_PIPE = 141


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


#: What to do, by the error number of a failed file operation.
_OS_ADVICE = {
    errno.ENOSPC: "the disk is full: free some space and try again",
    errno.EDQUOT: "the disk quota is used up: free some space and try again",
    errno.EROFS: "the drive is read-only here: ask for write access, or use another folder",
    errno.EACCES: "permission denied: check the folder's permissions, or use another folder",
    errno.EPERM: "not permitted: check the folder's permissions, or use another folder",
    errno.ENAMETOOLONG: "the name is too long: give a shorter path",
    errno.ENOENT: "it does not exist: check the path",
    errno.EISDIR: "it is a folder, not a file: give a file name",
    errno.ENOTDIR: "a part of the path is a file, not a folder: check the path",
}


def os_error_message(exc: OSError) -> str:
    """A failed file operation as one line naming the file and what to do:
    ``cannot write 'Y:/report.xlsx': the disk is full: free some space and try again``."""
    where = str(exc.filename) if exc.filename is not None else ""
    if len(where) > 160:  # a pasted page as a path: its start and end say which
        where = f"{where[:70]}...{where[-70:]}"
    advice = _OS_ADVICE.get(exc.errno or 0) or (exc.strerror or str(exc) or type(exc).__name__)
    return f"cannot use {where!r}: {advice}" if where else advice
