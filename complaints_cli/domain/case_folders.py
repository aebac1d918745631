"""Which folder is a case's: the claim a marker file makes, never a name alone (issue 16).

A case folder's name, ``<address> – <reference>``, is for people: handlers make and rename
folders by hand, a log restored from a backup hands a reference out again, another team's root
has the same references. So the tool claims a folder for a case with a marker inside it
(:mod:`complaints_cli.files.markers`) holding a :class:`CaseClaim`: the log's own id (kept in
the log: ``log_identity``), the reference and the moment the case was created. A folder is a
case's only when all three agree. Pure: the file system is the caller's.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime

__all__ = ["CaseClaim", "creation_stamp", "same_address"]


def creation_stamp(created: datetime) -> str:
    """The moment a case was created, as a marker holds it: ISO 8601 in UTC to the
    microsecond (``"2025-02-03T10:48:25.168942+00:00"``). A time without a zone is UTC (as
    SQLite keeps it). The store keeps microseconds on both backends, so the stamp of a case
    read back is the stamp written when it was logged."""
    aware = created.replace(tzinfo=UTC) if created.tzinfo is None else created.astimezone(UTC)
    return aware.isoformat(timespec="microseconds")


@dataclass(frozen=True)
class CaseClaim:
    """What a case folder's marker says, or what a case needs its folder's marker to say."""

    log_id: str
    reference: str
    #: :func:`creation_stamp` of the case; ``""`` when unknown (then it is not compared).
    created: str = ""

    def matches(self, other: CaseClaim) -> bool:
        """The same log and reference (in any case: Windows does not tell ``spruce041`` from
        ``SPRUCE041``) and, when both know it, the same creation time: a case logged again
        under a reused reference (a log restored from a backup) does not match."""
        return (
            self.log_id == other.log_id
            and self.reference.upper() == other.reference.upper()
            and (not self.created or not other.created or self.created == other.created)
        )


_WORDS = re.compile(r"[^\w]+")


def _squash(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)  # "…" becomes "...", dropped below
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return _WORDS.sub("", plain)


def same_address(folder_part: str, address: str) -> bool:
    """Whether a folder name's address part can be ``address``: equal once case, accents,
    spaces and punctuation are set aside, or its start (a long address is cut, ending in
    ``…``). An empty part (a folder named just ``SPRUCE041``) contradicts nothing. Used to
    adopt folders made before markers (``complaints folders --adopt``): a folder whose name
    names another address is left for a person to check."""
    part, whole = _squash(folder_part), _squash(address)
    if not part:
        return True
    if not whole:
        return False
    return part == whole or (folder_part.rstrip().endswith("\u2026") and whole.startswith(part))
