"""The complaints root and the case folders, as every command that touches them opens them.

The log's id (:func:`complaints_cli.store.folders.log_id`) is checked against the root's
marker (:func:`complaints_cli.files.markers.check_root_owner`) before anything is written
under the root or listed from it, and a case's folder is the one whose marker claims it
(:func:`complaints_cli.files.folders.find_claimed`), never one found by its name alone.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from complaints_cli.errors import ComplaintsError

if TYPE_CHECKING:
    from complaints_cli.config import Settings
    from complaints_cli.domain.case_folders import CaseClaim
    from complaints_cli.domain.subject_access import FolderListing
    from complaints_cli.store.db import RawDatabase


class TeamRoot:
    """The root as this log sees it: its path, the log's id and whose the root is."""

    def __init__(self, cfg: Settings, db: RawDatabase, *, claim: bool) -> None:
        """``claim``: a command that writes under the root (``log``, ``letter``, ...) marks
        a missing or empty root as this log's, and refuses one that holds folders but no
        marker. Raises :class:`ComplaintsError` for a root that is another log's."""
        from complaints_cli.config import shown_location
        from complaints_cli.files.markers import check_root_owner, unclaimed_root
        from complaints_cli.store.folders import log_id

        self.path: Path = cfg.root_path
        self.log_id = log_id(db)
        self.log = shown_location(cfg.db_url)
        self.state = check_root_owner(self.path, self.log_id, self.log, claim=claim)
        if claim and self.state == "unclaimed":
            raise unclaimed_root(self.path)

    def claim_of(self, case: Any) -> CaseClaim:
        """The claim a case's folder marker must make (``case``: a typed case)."""
        return self.claim_for(case.reference, case.created_at)

    def claim_for(self, reference: str, created_at: Any) -> CaseClaim:
        """The claim for the case ``reference`` created at ``created_at`` (a datetime)."""
        from complaints_cli.domain.case_folders import CaseClaim, creation_stamp

        created = creation_stamp(created_at) if created_at else ""
        return CaseClaim(self.log_id, reference, created)

    def listing(self, reference: str, created_at: Any) -> FolderListing | None:
        """A case folder's listing for a subject-access answer: the folder its marker claims
        (never through a link), or a note saying which folders were not listed and why."""
        from complaints_cli.files.folders import find_claimed, list_folder, not_claimed_reason

        want = self.claim_for(reference, created_at)
        if self.state != "ours":
            if self.state in ("missing", "empty"):
                return None
            return list_folder(
                self.path, None, note=f"not listed: {not_claimed_reason(self.path, want)}"
            )
        try:
            folder = find_claimed(self.path, want)
        except ComplaintsError as exc:
            return list_folder(self.path, None, note=f"not listed: {exc}")
        if folder is not None:
            return list_folder(self.path, folder)
        reason = not_claimed_reason(self.path, want)
        if "has no case folder" in reason:
            return None
        return list_folder(self.path, None, note=f"not listed: {reason}")

    def case_folder(self, case: Any) -> Path:
        """The case's folder, claimed by its marker, or the one-line error saying why there
        is none and what to do (``letter``, ``pack``, ``file``, ``learning``)."""
        from complaints_cli.files.folders import find_claimed, not_claimed_reason

        want = self.claim_of(case)
        folder = find_claimed(self.path, want) if self.state == "ours" else None
        if folder is None:
            raise ComplaintsError(not_claimed_reason(self.path, want))
        return folder
