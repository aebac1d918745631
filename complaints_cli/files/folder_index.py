"""What a case folder holds: the index ``complaints pack`` writes and a subject-access answer
lists (every file with its size and date, the tool's own temporary and lock files left out).
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from complaints_cli.domain.subject_access import FolderListing
from complaints_cli.files.markers import (
    MARKERS,
)
from complaints_cli.files.safe_save import is_link

_SKIP_PREFIXES = ("~$", ".~")

INDEX_HEADER = ("File", "Size", "Modified")


@dataclass(frozen=True)
class FileEntry:
    path: str  #: relative to the case folder, with the platform's separator
    size: int
    modified: datetime  #: local time, as Explorer shows it
    #: A link (or junction) inside the folder: listed by name, never followed.
    link: bool = False

    def row(self) -> tuple[str, str, str]:
        size = "link, not followed" if self.link else f"{self.size:,} bytes"
        return (self.path, size, self.modified.strftime("%d/%m/%Y %H:%M"))


def _evidence(name: str) -> bool:
    return not name.startswith(_SKIP_PREFIXES) and name not in MARKERS


def _walk(folder: Path, here: str = "") -> Iterator[tuple[str, os.stat_result | None, str]]:
    """``(relative path, lstat or None, error)`` of every entry under ``folder``, sorted,
    each folder's files before its sub-folders' (as ``os.walk`` gives them), without
    following a link (a link is given, never entered; on Windows a junction too)."""
    try:
        with os.scandir(folder / here if here else folder) as found:
            entries = sorted(found, key=lambda e: e.name)
    except OSError as exc:
        if here:
            yield here, None, exc.strerror or str(exc)
        return
    below: list[str] = []
    for entry in entries:
        if not _evidence(entry.name):
            continue
        rel = f"{here}/{entry.name}" if here else entry.name
        try:
            info = entry.stat(follow_symlinks=False)
        except OSError as exc:
            yield rel, None, exc.strerror or str(exc)
            continue
        if stat.S_ISDIR(info.st_mode) and not is_link(info):
            below.append(rel)
        else:
            yield rel, info, ""
    for rel in below:
        yield from _walk(folder, rel)


def folder_index(folder: Path) -> list[FileEntry]:
    """Every file under ``folder`` (sub-folders too), by path; lock and temporary files and
    markers left out; a link listed by name, never followed."""
    out: list[FileEntry] = []
    for rel, info, _error in _walk(Path(folder)):
        if info is None:
            continue  # removed while we looked
        out.append(
            FileEntry(
                str(Path(rel)),
                0 if is_link(info) else info.st_size,
                datetime.fromtimestamp(info.st_mtime),
                is_link(info),
            )
        )
    return sorted(out, key=lambda f: f.path.casefold())


def list_folder(root: Path, folder: Path | None, note: str | None = None) -> FolderListing | None:
    """A case folder's files (relative names, sizes, modified UTC), never their contents and
    never through a link; ``folder`` is the case's claimed folder (``None``: ``note`` says
    why there is none to list)."""
    if folder is None:
        return None if note is None else FolderListing("", False, note=note)
    files: list[dict[str, Any]] = []
    for rel, info, error in _walk(Path(folder)):
        if info is None:
            files.append({"name": rel, "error": error})
        elif is_link(info):
            files.append({"name": rel, "note": "a link: not followed, not listed"})
        else:
            modified = datetime.fromtimestamp(info.st_mtime, UTC).isoformat(timespec="seconds")
            files.append({"name": rel, "size": info.st_size, "modified": modified})
    return FolderListing(str(folder), True, files)
