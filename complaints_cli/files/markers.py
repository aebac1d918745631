"""The marker files that say whose a complaints root and a case folder are (issue 16).

The log keeps its own id (the store's ``log_identity``). Two kinds of marker carry it:

``.complaints-log`` in the complaints root
    the id of the one log whose case folders the root holds (and where that log was when it
    claimed the root, for the message). Written on the first use of an empty (or missing) root,
    or by ``complaints folders --adopt``. A log pointed at a root whose marker names another
    log is refused, whatever the paths: the team's machines may reach the same log and the same
    root by different drive letters, so the id decides, never a path.
``.complaints-case`` in each case folder
    the :class:`~complaints_cli.domain.case_folders.CaseClaim` (log id, reference, the case's
    creation time) of the one case the folder belongs to: the tool reuses, writes into, lists
    and removes a folder only when its marker claims it for that case.

Both are small JSON files, written whole in one step (:func:`~.safe_save.save_once`: a kill
leaves either the marker or nothing), never replaced, read without following a link, hidden
on Windows. They hold no personal data: an id, a reference, a time and the log's location.
Deleting a marker makes the folder unclaimed (the tool then leaves it alone until it is
adopted again); copying a case folder copies its marker, so the copy is reported as a second
folder of the case, never a new case's.
"""

from __future__ import annotations

import json
import os
import stat
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from complaints_cli.domain.case_folders import CaseClaim
from complaints_cli.errors import ComplaintsError
from complaints_cli.files.safe_save import is_link, save_once

__all__ = [
    "CASE_MARKER",
    "MARKERS",
    "ROOT_MARKER",
    "DamagedMarker",
    "RootOwner",
    "check_root_owner",
    "claim_root",
    "make_root",
    "read_case_claim",
    "read_root_owner",
    "unclaimed_root",
    "write_case_claim",
]

ROOT_MARKER = ".complaints-log"
CASE_MARKER = ".complaints-case"
MARKERS = frozenset({ROOT_MARKER, CASE_MARKER})
#: A marker is a few hundred bytes; anything much larger is not one of ours.
_MAX_BYTES = 4096
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_BINARY = getattr(os, "O_BINARY", 0)
_NOTE = "Written by the complaints tool: do not delete, move, copy or edit this file."
#: What an empty root may hold: Windows' and macOS's own files, our temporary files.
_IGNORED = frozenset({"desktop.ini", "thumbs.db", ".ds_store"})


class DamagedMarker(ComplaintsError):
    """A marker that cannot be read as one (edited, cut short, a link, not a file)."""


@dataclass(frozen=True)
class RootOwner:
    """What a root's marker says: the log's id, and where that log was when it claimed it."""

    log_id: str
    log: str


def _read(path: Path) -> dict[str, Any] | None:
    """A marker's JSON object; ``None`` when there is none. Raises :class:`DamagedMarker`."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise DamagedMarker(f"cannot read {str(path)!r}: {exc.strerror or exc}") from None
    if is_link(info) or not stat.S_ISREG(info.st_mode) or info.st_size > _MAX_BYTES:
        raise DamagedMarker(f"{str(path)!r} is not a marker the tool wrote (a link or not a file)")
    try:
        fd = os.open(path, os.O_RDONLY | _NOFOLLOW | _BINARY)
        with os.fdopen(fd, "rb") as fh:
            data = fh.read(_MAX_BYTES + 1)
        found = json.loads(data.decode("utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        raise DamagedMarker(
            f"{str(path)!r} cannot be read as a marker (edited or cut short)"
        ) from None
    if not isinstance(found, dict):
        raise DamagedMarker(f"{str(path)!r} cannot be read as a marker (edited or cut short)")
    return found


def _text(found: dict[str, Any], key: str, path: Path) -> str:
    value = found.get(key)
    if not isinstance(value, str) or not value:
        raise DamagedMarker(f"{str(path)!r} has no {key}: it is not a marker the tool wrote")
    return value


def _write(folder: Path, name: str, fields: dict[str, str]) -> bool:
    data = json.dumps({**fields, "note": _NOTE}, ensure_ascii=False, indent=1) + "\n"
    written = save_once(folder, name, data.encode("utf-8"))
    if written and sys.platform == "win32":  # pragma: no cover - Windows only
        import ctypes

        ctypes.windll.kernel32.SetFileAttributesW(str(folder / name), 0x2)  # type: ignore[attr-defined]
    return written


def read_root_owner(root: Path) -> RootOwner | None:
    """The log a root belongs to, ``None`` when it has no marker. Raises
    :class:`DamagedMarker`."""
    path = Path(root) / ROOT_MARKER
    found = _read(path)
    if found is None:
        return None
    return RootOwner(_text(found, "log_id", path), str(found.get("log") or "an unknown place"))


def read_case_claim(folder: Path) -> CaseClaim | None:
    """The claim a case folder's marker makes, ``None`` when it has none. Raises
    :class:`DamagedMarker`."""
    path = Path(folder) / CASE_MARKER
    found = _read(path)
    if found is None:
        return None
    return CaseClaim(
        _text(found, "log_id", path),
        _text(found, "reference", path),
        str(found.get("case_created") or ""),
    )


def write_case_claim(folder: Path, claim: CaseClaim) -> bool:
    """Claim ``folder`` (a real folder) for a case; ``False`` when it already has a marker."""
    return _write(
        folder,
        CASE_MARKER,
        {"log_id": claim.log_id, "reference": claim.reference, "case_created": claim.created},
    )


def _occupied(root: Path) -> int:
    """How many entries of ``root`` count (not the OS's own files, markers or temporary files)."""
    from complaints_cli.files.safe_save import is_temporary_name

    with os.scandir(root) as entries:
        return sum(
            1
            for e in entries
            if e.name.casefold() not in _IGNORED
            and e.name not in MARKERS
            and not is_temporary_name(e.name)
        )


def _other_log(root: Path, owner: RootOwner, log_id: str, log: str) -> ComplaintsError:
    return ComplaintsError(
        f"the complaints root {str(root)!r} holds another log's case folders (log id "
        f"{owner.log_id[:8]}, at {owner.log} when it first used them), not those of the log "
        f"{log} (id {log_id[:8]}): nothing was changed; point --root (COMPLAINTS_ROOT) at this "
        f"log's folders, or --db (COMPLAINTS_DB) at that root's log (complaints config shows "
        "which are in force)"
    )


def check_root_owner(root: Path, log_id: str, log: str, *, claim: bool) -> str:
    """Whose ``root`` is, for the log ``log_id`` (``log``: where it is, for messages):

    * ``"ours"``: its marker names this log, or it was missing or empty and ``claim`` made
      (the root too) and marked it now;
    * ``"missing"`` / ``"empty"``: there is no root, or it holds nothing, and ``claim`` was
      not asked;
    * ``"unclaimed"``: it holds folders but no marker (made before markers, or by hand): only
      ``complaints folders --adopt`` claims it (:func:`claim_root`).

    Raises :class:`ComplaintsError`, one line naming both logs and the fix, when the root's
    marker names another log; when the root is a file; :class:`DamagedMarker` when its marker
    cannot be read.
    """
    root = Path(root)
    if root.exists() and not root.is_dir():
        raise ComplaintsError(
            f"the complaints root {str(root)!r} is a file, not a folder (check --root or "
            "COMPLAINTS_ROOT)"
        )
    if root.is_dir():
        owner = read_root_owner(root)
        if owner is not None:
            if owner.log_id != log_id:
                raise _other_log(root, owner, log_id, log)
            return "ours"
        if _occupied(root):
            return "unclaimed"
    if not claim:
        return "empty" if root.is_dir() else "missing"
    make_root(root)
    return claim_root(root, log_id, log)


def make_root(root: Path) -> None:
    """Create the complaints root (and the folders above it) if it is not there. Raises
    :class:`ComplaintsError` naming the root when it cannot be made."""
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ComplaintsError(
            f"cannot create the complaints root {str(root)!r}: {exc.strerror or exc}"
        ) from None


def claim_root(root: Path, log_id: str, log: str) -> str:
    """Mark ``root`` as the log's (whatever it holds: the explicit claim of
    ``complaints folders --adopt``); ``"ours"``. Two handlers claiming at once: one marker
    wins and the other is read. Raises :class:`ComplaintsError` when the marker there names
    another log."""
    stamp = datetime.now(UTC).isoformat(timespec="seconds")
    if not _write(root, ROOT_MARKER, {"log_id": log_id, "log": log, "claimed": stamp}):
        owner = read_root_owner(root)
        if owner is not None and owner.log_id != log_id:
            raise _other_log(root, owner, log_id, log)
    return "ours"


def unclaimed_root(root: Path) -> ComplaintsError:
    """The refusal of a command that would write under a root that holds folders but no
    marker."""
    return ComplaintsError(
        f"the complaints root {str(root)!r} holds folders but no marker saying which log they "
        f"belong to ({ROOT_MARKER}): nothing was changed; if they are this log's case folders "
        "(made before markers, or imported), claim them with: complaints folders --adopt "
        "(otherwise point --root or COMPLAINTS_ROOT elsewhere)"
    )
