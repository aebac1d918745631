"""One folder per complaint: ``<address> – <reference>`` under the complaints root.

The address is user text and the team opens these folders from Windows over a shared drive, so
the name must be valid on Windows whatever the address holds: no ``<>:"/\\|?*`` or control
characters, no trailing dot or space, no reserved device name, composed (NFC) Unicode, and short
enough that the folder's files still fit in Windows' 260-character path limit. The folder is
always a direct child of the root.
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from complaints_cli.domain.references import split_reference
from complaints_cli.domain.retention import Verdict
from complaints_cli.domain.subject_access import FolderListing
from complaints_cli.errors import ComplaintsError

DASH = "\u2013"  # the en dash the procedure uses: "1 Essex Brewery – SPRUCE001"
SEPARATOR = f" {DASH} "

#: Longest folder name we make (UTF-16 code units, as Windows counts them).
MAX_NAME = 120
#: Windows' classic MAX_PATH, less the terminating NUL.
MAX_PATH = 259
#: Room we keep inside a case folder for the files handlers save there.
FILE_ROOM = 60

#: Characters Windows forbids in names, and what stands in for each.
_REPLACE = str.maketrans(
    {'"': "'", "<": "(", ">": ")", ":": "-", "/": "-", "\\": "-", "|": "-", "?": None, "*": None}
)
_INVISIBLE = {"Cc", "Cf", "Zl", "Zp", "Zs"}
_SPACES = re.compile(r"\s+")
_RESERVED = {
    "CON",
    "PRN",
    "AUX",
    "NUL",
    "CONIN$",
    "CONOUT$",
    *(f"COM{i}" for i in "123456789¹²³"),
    *(f"LPT{i}" for i in "123456789¹²³"),
}


def _units(text: str) -> int:
    """Length as Windows counts it (UTF-16 code units)."""
    return len(text.encode("utf-16-le")) // 2


def clean_address(address: str) -> str:
    """The address as it may appear in a Windows folder name (possibly empty)."""
    text = unicodedata.normalize("NFC", address)
    text = "".join(" " if unicodedata.category(ch) in _INVISIBLE else ch for ch in text)
    text = text.translate(_REPLACE)
    text = _SPACES.sub(" ", text).strip(" .-")
    # Dots at the start make hidden-looking or relative-looking names ("..-Windows").
    return text.lstrip(". ")


def _is_reserved(name: str) -> bool:
    """Windows reserves device names, with or without an extension (``CON``, ``nul.txt``)."""
    return name.split(".", 1)[0].strip().upper() in _RESERVED


def _truncate(text: str, limit: int) -> str:
    """Cut ``text`` to ``limit`` UTF-16 units at a word boundary where one is near."""
    if _units(text) <= limit:
        return text
    cut = text
    while _units(cut) > limit - 1:
        cut = cut[:-1]
    space = cut.rfind(" ")
    if space >= limit // 2:
        cut = cut[:space]
    return cut.rstrip(" .-,") + "\u2026"


def folder_name(address: str, reference: str, *, limit: int = MAX_NAME) -> str:
    """The folder name for a case: ``"1 Essex Brewery – SPRUCE001"``.

    An empty (or entirely unusable) address gives just the reference.
    """
    room = limit - _units(SEPARATOR) - _units(reference)
    cleaned = clean_address(address)
    if room < 8 or not cleaned:
        return reference
    name = f"{_truncate(cleaned, room)}{SEPARATOR}{reference}"
    return f"_{name}" if _is_reserved(name) else name


def name_limit(root: Path) -> int:
    """How long a folder name may be under ``root`` and still leave room for its files."""
    return min(MAX_NAME, MAX_PATH - _units(str(root)) - 1 - FILE_ROOM)


_SEPARATORS = (SEPARATOR, " - ")


def split_folder_name(name: str) -> tuple[str, str] | None:
    """``"1 Essex Brewery – SPRUCE001"`` -> ``("1 Essex Brewery", "SPRUCE001")``.

    A bare ``"SPRUCE001"`` gives an empty address part; a name that does not end in something
    shaped like a reference gives ``None``.
    """
    for sep in _SEPARATORS:
        if sep in name:
            address, ref = name.rsplit(sep, 1)
            ref = ref.strip().upper()
            return (address.strip(), ref) if split_reference(ref) and ref.isalnum() else None
    bare = name.strip().upper()
    return ("", bare) if split_reference(bare) and bare.isalnum() else None


def case_folders(root: Path) -> tuple[dict[str, list[str]], list[str]]:
    """One listing of ``root``: reference -> folder names, and the names with no reference."""
    by_ref: dict[str, list[str]] = {}
    strays: list[str] = []
    for entry in sorted(os.scandir(root), key=lambda e: e.name):
        if not entry.is_dir() or entry.name.startswith("."):
            continue
        parts = split_folder_name(entry.name)
        if parts is None:
            strays.append(entry.name)
        else:
            by_ref.setdefault(parts[1], []).append(entry.name)
    return by_ref, strays


def find_case_folder(root: Path, reference: str) -> Path | None:
    """An existing folder for ``reference`` under ``root`` (whatever its address part says).

    Matches ``… – REF``, ``… - REF`` and a bare ``REF``, case-insensitively, so a folder a
    handler made by hand is reused rather than duplicated.
    """
    ref = reference.upper()
    try:
        entries = list(os.scandir(root))
    except (FileNotFoundError, NotADirectoryError):
        return None
    for entry in entries:
        if not entry.is_dir():
            continue
        parts = split_folder_name(entry.name)
        if parts is not None and parts[1] == ref:
            return Path(entry.path)
    return None


def check_root(root: Path, reference: str) -> int:
    """Refuse a complaints root that cannot hold a folder for ``reference`` (a file, or a path
    too deep for Windows); make it when it is missing. Returns the longest folder name it
    takes. Run before a case is logged, so a bad root never uses up a reference.
    """
    root = Path(root)
    if root.exists() and not root.is_dir():
        raise ComplaintsError(
            f"cannot create the case folder: the complaints root {str(root)!r} is a file, "
            "not a folder (check --root or COMPLAINTS_ROOT)"
        )
    limit = name_limit(root)
    if limit < _units(reference):
        raise ComplaintsError(
            f"complaints root {str(root)!r} is too long a path for Windows folders: "
            "choose a root nearer the top of the drive (--root or COMPLAINTS_ROOT)"
        )
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ComplaintsError(
            f"cannot create the complaints root {str(root)!r}: {exc.strerror or exc}"
        ) from None
    return limit


def planned_name(root: Path, address: str, reference: str) -> str:
    """The name a new case's folder will have under ``root`` (pure: no file-system access)."""
    return folder_name(address, reference, limit=name_limit(Path(root)))


def make_case_folder(root: Path, address: str, reference: str) -> tuple[Path, bool]:
    """Return ``(folder, created)``: the case's existing folder, or a new one.

    Raises :class:`ComplaintsError` if the root cannot hold a folder (too deep for Windows,
    not a folder, not writable).
    """
    root = Path(root)
    limit = check_root(root, reference)
    existing = find_case_folder(root, reference)
    if existing is not None:
        return existing, False
    target = root / folder_name(address, reference, limit=limit)
    if target.parent != root or target.name in ("", ".", ".."):
        raise ComplaintsError(f"folder name for {reference} would leave the complaints root")
    try:
        target.mkdir()
    except FileExistsError:
        return target, False
    except OSError as exc:
        raise ComplaintsError(
            f"cannot create the case folder {str(target)!r}: {exc.strerror or exc}"
        ) from None
    return target, True


def rename_case_folder(root: Path, name: str, address: str, reference: str) -> tuple[str, str]:
    """Give a case's folder the name its (corrected) address gives it: ``(name now, problem)``.

    Never makes a second folder: a folder that is missing, is a link, already has the right
    name, or whose new name is taken is left as it is; one Windows will not rename (a file in
    it is open) keeps its old name. ``problem`` is empty when nothing needs saying.
    """
    root = Path(root)
    current = root / name
    wanted = folder_name(address, reference, limit=name_limit(root))
    if wanted == name:
        return name, ""
    if current.is_symlink() or not current.is_dir():
        return name, f"its folder {name!r} is not under {str(root)!r}: nothing was renamed"
    target = root / wanted
    if target.exists():
        return name, f"a folder named {wanted!r} already exists: {name!r} was left as it is"
    try:
        current.rename(target)
    except OSError as exc:
        return name, (
            f"its folder could not be renamed ({exc.strerror or exc}): close any file open from "
            f"{name!r} and rename it to {wanted!r}"
        )
    return wanted, ""


#: The name the importer and older callers know.
ensure_case_folder = make_case_folder


#: Files in a case folder that are not evidence: Word's lock files, our own temporary files.
_SKIP_PREFIXES = ("~$", ".~")

INDEX_HEADER = ("File", "Size", "Modified")


@dataclass(frozen=True)
class FileEntry:
    path: str  #: relative to the case folder, with the platform's separator
    size: int
    modified: datetime  #: local time, as Explorer shows it

    def row(self) -> tuple[str, str, str]:
        return (self.path, f"{self.size:,} bytes", self.modified.strftime("%d/%m/%Y %H:%M"))


def folder_index(folder: Path) -> list[FileEntry]:
    """Every file under ``folder`` (sub-folders too), by path; lock and temporary files left out."""
    out: list[FileEntry] = []
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames.sort()
        for name in sorted(filenames):
            if name.startswith(_SKIP_PREFIXES):
                continue
            full = Path(dirpath) / name
            try:
                st = full.stat()
            except OSError:
                continue  # removed while we looked
            out.append(
                FileEntry(
                    str(full.relative_to(folder)),
                    st.st_size,
                    datetime.fromtimestamp(st.st_mtime),
                )
            )
    return sorted(out, key=lambda f: f.path.casefold())


def list_folder(root: Path, folder: str | None) -> FolderListing | None:
    """A case folder's files (relative names, sizes, modified UTC); never their contents."""
    if not folder:
        return None
    path = root / folder
    if len(Path(folder).parts) != 1 or Path(folder).is_absolute() or path.is_symlink():
        return FolderListing(str(path), False, note="not a folder inside the root: not listed")
    if not path.is_dir():
        return FolderListing(str(path), False, note="the folder does not exist")
    files: list[dict[str, Any]] = []
    for here, dirs, names in os.walk(path, followlinks=False):
        dirs.sort()
        for name in sorted(names):
            full = Path(here) / name
            try:
                info = full.lstat()
            except OSError as exc:
                files.append({"name": full.relative_to(path).as_posix(), "error": exc.strerror})
                continue
            files.append(
                {
                    "name": full.relative_to(path).as_posix(),
                    "size": info.st_size,
                    "modified": datetime.fromtimestamp(info.st_mtime, UTC).isoformat(
                        timespec="seconds"
                    ),
                }
            )
    return FolderListing(str(path), True, files)


def remove_folders(root: Path, purged: Sequence[Verdict]) -> tuple[list[Path], list[str]]:
    """Remove each purged case's folder under ``root``: (removed, problems to tell the user).

    A folder is removed only when its name is a single name directly inside the root and it is
    a real folder, never a link (a link is not followed). Read-only files (Windows) are made
    writable first. What cannot be removed is listed, with why.
    """
    removed: list[Path] = []
    problems: list[str] = []
    base = root.resolve()
    for verdict in purged:
        name = verdict.folder
        if not name:
            continue
        path = root / name
        if Path(name).is_absolute() or len(Path(name).parts) != 1 or name in (".", ".."):
            problems.append(f"{verdict.reference}: folder {name!r} is not inside the root; left")
            continue
        if path.is_symlink():
            problems.append(f"{verdict.reference}: {path} is a link; not followed, left")
            continue
        if not path.exists():
            continue
        if not path.is_dir() or path.resolve().parent != base:
            problems.append(f"{verdict.reference}: {path} is not a folder inside the root; left")
            continue
        errors: list[str] = []
        shutil.rmtree(path, onerror=_retry_writable(errors))
        if path.exists():
            detail = "; ".join(errors[:3]) or "unknown reason"
            problems.append(
                f"{verdict.reference}: {path} could not be removed ({detail}); close any file "
                "open from it (Excel, Word) and delete the folder by hand"
            )
        else:
            removed.append(path)
    return removed, problems


def _retry_writable(errors: list[str]) -> Callable[[Any, str, Any], None]:
    def handle(func: Any, target: str, exc_info: Any) -> None:
        exc = exc_info[1]
        if isinstance(exc, PermissionError):
            try:  # a read-only file on Windows: make it writable and try once more
                os.chmod(target, stat.S_IWRITE | stat.S_IREAD)
                func(target)
                return
            except OSError as again:
                exc = again
        errors.append(f"{Path(target).name}: {getattr(exc, 'strerror', None) or exc}")

    return handle
