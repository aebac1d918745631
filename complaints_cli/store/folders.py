"""What the log keeps about its case folders: its own id, each case's claim, and the folders
a purge still has to remove (tables ``log_identity`` and ``folder_removal``, migration 0005).

The file system is the caller's (:mod:`complaints_cli.files.markers`,
:mod:`complaints_cli.files.folders`); these are the statements.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from complaints_cli.domain.case_folders import CaseClaim, creation_stamp
from complaints_cli.store.db import RawDatabase
from complaints_cli.store.reads import to_datetime

__all__ = [
    "FolderCase",
    "PendingRemoval",
    "drop_removals",
    "folder_cases",
    "log_id",
    "pending_removals",
    "removal_rows",
]


def log_id(db: RawDatabase) -> str:
    """The log's own id (a UUID, 32 hex digits): made on first use, then never changed.

    One row, ``id = 1``: two handlers asking at once on a log that has none both get the one
    that was stored first (``ON CONFLICT DO NOTHING``). ``db copy`` copies it with the rest,
    so a log moved to PostgreSQL keeps its folders; a new log (``db init``) gets a new one.
    """
    found = db.scalar("SELECT log_id FROM log_identity ORDER BY id LIMIT 1")
    if found:
        return str(found)
    from complaints_cli.store.writes import utcnow

    with db.transaction() as tx:
        tx.execute(
            "INSERT INTO log_identity (id, log_id, created_at) VALUES (1, :log_id, :at) "
            "ON CONFLICT (id) DO NOTHING",
            {"log_id": uuid.uuid4().hex, "at": utcnow()},
        )
    return str(db.scalar("SELECT log_id FROM log_identity ORDER BY id LIMIT 1"))


@dataclass(frozen=True)
class FolderCase:
    """A case as its folder needs it: where it should be, and the claim its marker makes."""

    reference: str
    address: str
    #: The folder name the log recorded (planned by ``log``, found by ``import``), if any.
    folder: str | None
    claim: CaseClaim
    #: Void cases keep their folder, but ``check`` does not count them.
    void: bool


def _claim(identity: str, reference: str, created: object) -> CaseClaim:
    stamp = to_datetime(created)
    return CaseClaim(identity, str(reference), creation_stamp(stamp) if stamp else "")


def folder_cases(
    db: RawDatabase, identity: str, references: Sequence[str] | None = None
) -> list[FolderCase]:
    """Every case (or those in ``references``), in log order, with its folder's claim."""
    rows = db.execute(
        "SELECT reference, address, folder, created_at, status FROM complaint ORDER BY id"
    ).fetchall()
    wanted = None if references is None else {r.upper() for r in references}
    return [
        FolderCase(
            str(ref),
            str(address or ""),
            folder,
            _claim(identity, ref, created),
            status == "Void",
        )
        for ref, address, folder, created, status in rows
        if wanted is None or str(ref).upper() in wanted
    ]


@dataclass(frozen=True)
class PendingRemoval:
    """A purged case's folder not removed yet: the claim its marker makes."""

    id: int
    claim: CaseClaim


def removal_rows(purged: Sequence[tuple[str, object]], at: object) -> list[dict[str, object]]:
    """``folder_removal`` rows for purged ``(reference, created_at)`` pairs. The folder is
    named by the claim its marker makes (the case's creation time), never by its name: a
    folder name holds an address, the personal data the purge removes from the log."""
    return [
        {
            "reference": str(ref),
            "folder": _claim("", ref, created).created,
            "recorded_at": at,
        }
        for ref, created in purged
    ]


def pending_removals(db: RawDatabase, identity: str) -> list[PendingRemoval]:
    """The folders earlier purges have still to remove, oldest first."""
    rows = db.execute("SELECT id, reference, folder FROM folder_removal ORDER BY id").fetchall()
    return [PendingRemoval(int(i), CaseClaim(identity, str(r), str(f or ""))) for i, r, f in rows]


def drop_removals(db: RawDatabase, ids: Sequence[int]) -> None:
    """Forget the removals that are done (their folders are gone)."""
    if not ids:
        return
    with db.transaction() as tx:
        for removal in ids:
            tx.execute("DELETE FROM folder_removal WHERE id = :id", {"id": removal})
