"""One folder per complaint: ``<address> – <reference>`` under the complaints root.

The address is user text and the team opens these folders from Windows over a shared drive, so
the name must be valid on Windows whatever the address holds: no ``<>:"/\\|?*`` or control
characters, no trailing dot or space, no reserved device name, composed (NFC) Unicode, and short
enough that the folder's files still fit in Windows' 260-character path limit. The folder is
always a direct child of the root.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import stat
import sys
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from complaints_cli.domain.case_folders import CaseClaim
from complaints_cli.domain.references import normalise_reference, split_reference
from complaints_cli.errors import ComplaintsError
from complaints_cli.files.markers import (
    CASE_MARKER,
    DamagedMarker,
    make_root,
    read_case_claim,
    write_case_claim,
)
from complaints_cli.files.safe_save import is_link, is_temporary_name

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
#: Characters that stand for a space in a name: controls (a tab, a line break), line and
#: paragraph separators, and every kind of space.
_SPACE_LIKE = {"Cc", "Zl", "Zp", "Zs"}
#: Invisible format characters (Unicode category Cf: a soft hyphen, a zero-width space or
#: joiner, a byte order mark, the bidirectional controls): dropped, as they show nothing (a
#: space put for a soft hyphen made ``Hamp stead Road`` of ``Hampstead Road``).
_FORMAT = "Cf"
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
    """The address as it may appear in a Windows folder name (possibly empty): as it reads,
    without the characters that do not show (:data:`_FORMAT`: dropped) and with a space for
    those that stand for one (:data:`_SPACE_LIKE`)."""
    text = unicodedata.normalize("NFC", address)
    text = "".join(map(_visible_char, text))
    text = text.translate(_REPLACE)
    # Dots at the start make hidden-looking or relative-looking names ("..-Windows"); a dot or
    # space at the end is dropped by Windows.
    return _SPACES.sub(" ", text).strip(" .-")


def _visible_char(ch: str) -> str:
    category = unicodedata.category(ch)
    if category == _FORMAT:
        return ""
    return " " if category in _SPACE_LIKE else ch


def is_reserved(name: str) -> bool:
    """Whether Windows takes ``name`` for a device: ``"CON"``, ``"nul.txt"``, ``"LPT1 .log"``
    -> ``True``; ``"CON – SPRUCE001"`` -> ``False``. Never raises.

    The rule (Microsoft, "Naming Files, Paths, and Namespaces"): CON, PRN, AUX, NUL, COM1-9,
    LPT1-9 (and their superscript-digit forms), CONIN$ and CONOUT$ are devices whatever the
    case and whatever extension follows. Used for folder names and for the names ``complaints
    file`` gives correspondence.
    """
    return name.partition(".")[0].strip().upper() in _RESERVED


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
    return f"_{name}" if is_reserved(name) else name


def name_limit(root: Path) -> int:
    """How long a folder name may be under ``root`` and still leave room for its files."""
    return min(MAX_NAME, MAX_PATH - _units(str(root)) - 1 - FILE_ROOM)


_SEPARATORS = (SEPARATOR, " - ")


def split_folder_name(name: str) -> tuple[str, str] | None:
    """``"1 Essex Brewery – SPRUCE001"`` -> ``("1 Essex Brewery", "SPRUCE001")``; the
    reference as the log stores it (``"... - spruce3"`` -> ``SPRUCE003``, as ``show`` reads it).

    A bare ``"SPRUCE001"`` gives an empty address part; a name that does not end in something
    shaped like a reference gives ``None``.
    """
    for sep in _SEPARATORS:
        if sep in name:
            address, ref = name.rsplit(sep, 1)
            ref = ref.strip()  # read in any case: normalise_reference upper-cases it
            if split_reference(ref) and ref.isalnum():
                return address.strip(), normalise_reference(ref)
            return None
    bare = name.strip()
    return ("", normalise_reference(bare)) if split_reference(bare) and bare.isalnum() else None


# pragma: no mutate start
# The mutation run (README, "Development") covers the folder names above; what follows is file
# system work (claims, markers, removal), tested through real folders and the CLI instead.
@dataclass(frozen=True)
class RootEntry:
    """One entry directly inside the complaints root that looks like a folder."""

    name: str
    #: The reference its name ends in (upper case), ``None`` when it ends in none.
    reference: str | None
    #: A link of any kind (a symbolic link; on Windows a junction or other reparse point):
    #: never followed, written through, listed or removed.
    link: bool


def root_entries(root: Path) -> list[RootEntry]:
    """The folders and links directly inside ``root``, by name, without following any link
    (names starting with ``.`` are the tool's own files, or hidden). A missing root has
    none."""
    out: list[RootEntry] = []
    try:
        entries = sorted(os.scandir(root), key=lambda e: e.name)
    except (FileNotFoundError, NotADirectoryError):
        return out
    for entry in entries:
        if entry.name.startswith("."):
            continue
        try:
            info = entry.stat(follow_symlinks=False)
        except OSError:
            continue  # removed while we looked
        link = is_link(info)
        if not link and not stat.S_ISDIR(info.st_mode):
            continue
        parts = split_folder_name(entry.name)
        out.append(RootEntry(entry.name, parts[1] if parts else None, link))
    return out


def case_folders(root: Path) -> tuple[dict[str, list[str]], list[str]]:
    """One listing of ``root``: reference -> real folder names, and the names of real folders
    with no reference. Links are left out (see :func:`root_entries`)."""
    by_ref: dict[str, list[str]] = {}
    strays: list[str] = []
    for entry in root_entries(root):
        if entry.link:
            continue
        if entry.reference is None:
            strays.append(entry.name)
        else:
            by_ref.setdefault(entry.reference, []).append(entry.name)
    return by_ref, strays


#: What a folder's marker says: a claim, none (``None``), or :data:`DAMAGED`.
DAMAGED = "damaged"


def folder_claim(root: Path, name: str) -> CaseClaim | str | None:
    """The claim of the real folder ``root/name``'s marker: a
    :class:`~complaints_cli.domain.case_folders.CaseClaim`, ``None`` (no marker) or
    :data:`DAMAGED` (a marker that cannot be read, or ``name`` is a link: never read
    through)."""
    path = Path(root) / name
    try:
        if is_link(os.lstat(path)):
            return DAMAGED
        return read_case_claim(path)
    except DamagedMarker:
        return DAMAGED
    except OSError:
        return None


def _ours(root: Path, name: str, want: CaseClaim) -> bool:
    found = folder_claim(root, name)
    return isinstance(found, CaseClaim) and found.matches(want)


def find_claimed(
    root: Path, want: CaseClaim, entries: list[RootEntry] | None = None
) -> Path | None:
    """The case's folder: the real folder directly inside ``root`` whose name ends in the
    reference and whose marker makes the claim ``want`` (same log, reference and creation
    time); ``None`` when there is none. A folder is never a case's by its name alone.

    Raises :class:`ComplaintsError` when two folders claim the case (a copied folder keeps
    its marker): which one holds the correspondence is for a person to say.
    """
    ref = want.reference.upper()
    listing = root_entries(root) if entries is None else entries
    mine = [
        e.name for e in listing if e.reference == ref and not e.link and _ours(root, e.name, want)
    ]
    if not mine:  # renamed by hand (no reference left in the name): its marker says whose
        mine = [
            e.name
            for e in listing
            if e.reference is None and not e.link and _ours(root, e.name, want)
        ]
    if len(mine) > 1:
        raise ComplaintsError(
            f"{len(mine)} folders claim {want.reference} ({', '.join(map(repr, mine))}; one is "
            "probably a copy): move the files into one of them and delete the other"
        )
    return Path(root) / mine[0] if mine else None


def not_claimed_reason(root: Path, want: CaseClaim) -> str:
    """Why no folder is the case's, and what to do: the one line for ``letter``, ``pack``,
    ``file`` and ``learning --draft-email``."""
    ref = want.reference.upper()
    same = [e for e in root_entries(root) if e.reference == ref]
    links = [e.name for e in same if e.link]
    if links:
        return (
            f"{links[0]!r} under {str(root)!r} is a link (or a junction), not {want.reference}'s "
            "folder: nothing is written through a link; remove the link and run complaints "
            "folders --check --fix"
        )
    if same:
        return (
            f"{want.reference}'s folder {same[0].name!r} has no marker from this log, so it is "
            "not known to be this case's: check its files, then claim it with complaints "
            f"folders --adopt {want.reference}"
        )
    return (
        f"{want.reference} has no case folder under {str(root)!r}: complaints folders --check "
        "--fix makes it"
    )


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
    make_root(root)
    return limit


def planned_name(root: Path, address: str, reference: str) -> str:
    """The name a new case's folder will have under ``root`` (pure: no file-system access)."""
    return folder_name(address, reference, limit=name_limit(Path(root)))


def make_case_folder(root: Path, address: str, want: CaseClaim) -> tuple[Path, bool, list[str]]:
    """Return ``(folder, created, notes)``: the case's folder (the one its marker claims for
    ``want``), or a new one made now, named for the address and claimed at once.

    A folder whose name ends in the reference but whose marker does not claim it for this
    case (none: made by hand, before markers, or left by a killed command; another log's or
    another case's) is never reused: it is left as it is, and named in ``notes``. Raises
    :class:`ComplaintsError` when the root cannot hold a folder (too deep for Windows, not a
    folder, not writable) or when the new folder's name is taken by such a folder or a link.
    """
    root = Path(root)
    limit = check_root(root, want.reference)
    entries = root_entries(root)
    existing = find_claimed(root, want, entries)
    if existing is not None:
        return existing, False, []
    ref = want.reference.upper()
    others = [e.name for e in entries if e.reference == ref]
    notes = [
        f"{name!r} also ends in {want.reference} but is not this case's folder (no marker of "
        "this log and case in it): it was left as it is; complaints folders --check lists it"
        for name in others
    ]
    name = folder_name(address, want.reference, limit=limit)
    target = root / name
    if target.parent != root or name in ("", ".", ".."):
        raise ComplaintsError(f"folder name for {want.reference} would leave the complaints root")
    try:
        os.mkdir(target)
    except FileExistsError:
        raise ComplaintsError(
            f"a folder (or link) named {name!r} is already under {str(root)!r} and is not "
            f"{want.reference}'s: it was left as it is; check whose files it holds, then claim "
            f"it with complaints folders --adopt {want.reference}, or rename it and run "
            "complaints folders --check --fix"
        ) from None
    except OSError as exc:
        raise ComplaintsError(
            f"cannot create the case folder {str(target)!r}: {exc.strerror or exc}"
        ) from None
    try:
        write_case_claim(target, want)
    except ComplaintsError:
        with contextlib.suppress(OSError):
            os.rmdir(target)  # empty: nothing of anyone's is lost
        raise
    return target, True, notes


def claim_folder(root: Path, name: str, want: CaseClaim) -> str:
    """Put ``want``'s marker into the existing real folder ``root/name`` (adopting a folder
    made before markers, or finishing a killed ``log``); ``""`` when done, else why not
    (a link, not a folder, already claimed). Never raises for a folder's state."""
    path = Path(root) / name
    if len(Path(name).parts) != 1 or name in (".", ".."):
        return f"{name!r} is not a folder directly inside the root"
    try:
        info = os.lstat(path)
    except OSError as exc:
        return f"{name!r}: {exc.strerror or exc}"
    if is_link(info):
        return f"{name!r} is a link (or a junction): never followed"
    if not stat.S_ISDIR(info.st_mode):
        return f"{name!r} is not a folder"
    found = folder_claim(root, name)
    if found is not None:
        return f"{name!r} already has a marker" + (
            f" (for {found.reference})" if isinstance(found, CaseClaim) else " (damaged)"
        )
    try:
        if not write_case_claim(path, want):
            return f"{name!r} already has a marker"
    except ComplaintsError as exc:
        return str(exc)
    return ""


def is_empty_folder(root: Path, name: str) -> bool:
    """Whether the real folder ``root/name`` holds nothing (temporary files aside)."""
    try:
        with os.scandir(Path(root) / name) as entries:
            return not any(not is_temporary_name(e.name) for e in entries)
    except OSError:
        return False


def rename_case_folder(root: Path, name: str, address: str, want: CaseClaim) -> tuple[str, str]:
    """Give a case's folder the name its (corrected) address gives it: ``(name now, problem)``.

    Never makes a second folder: a folder that is missing, is a link, is not claimed for the
    case (``want``), already has the right name, or whose new name is taken is left as it is;
    one Windows will not rename (a file in it is open) keeps its old name. ``problem`` is
    empty when nothing needs saying.
    """
    root = Path(root)
    wanted = folder_name(address, want.reference, limit=name_limit(root))
    if wanted == name:
        return name, ""
    current = root / name
    if not _ours(root, name, want):
        return name, (
            f"its folder {name!r} is not a folder under {str(root)!r} claimed for "
            f"{want.reference}: nothing was renamed"
        )
    target = root / wanted
    if os.path.lexists(target):
        return name, f"a folder named {wanted!r} already exists: {name!r} was left as it is"
    try:
        os.rename(current, target)
    except OSError as exc:
        return name, (
            f"its folder could not be renamed ({exc.strerror or exc}): close any file open from "
            f"{name!r} and rename it to {wanted!r}"
        )
    return wanted, ""


#: Files in a case folder that are not evidence: Word's lock files, our own temporary files
#: and markers.
def remove_claimed(root: Path, want: CaseClaim) -> tuple[list[Path], list[str], bool]:
    """Remove the purged case's folders under ``root``: ``(removed, problems, finished)``.

    Only real folders directly inside the root whose marker claims them for ``want`` (the
    purged case) are removed; a link is never followed, a folder without that claim is never
    touched (it is named in ``problems``, for a person to check). Read-only files (Windows)
    are made writable first. ``finished`` is false when a claimed folder could not be removed
    (a file open in Excel or Word, Explorer in it): it is tried again on the next run.
    """
    removed: list[Path] = []
    problems: list[str] = []
    finished = True
    ref = want.reference.upper()
    for entry in root_entries(root):
        if entry.reference != ref:
            continue
        path = Path(root) / entry.name
        if entry.link:
            problems.append(f"{want.reference}: {path} is a link; not followed, left")
            continue
        if not _ours(root, entry.name, want):
            problems.append(
                f"{want.reference}: {path} is not claimed for the purged case (no marker of "
                "this log and case in it); left: check it and delete it by hand"
            )
            continue
        errors = _remove_marker_last(path)
        if os.path.lexists(path):
            finished = False
            detail = "; ".join(errors[:3]) or "unknown reason"
            problems.append(
                f"{want.reference}: {path} could not be removed ({detail}); close any file "
                "open from it (Excel, Word, Explorer): complaints purge or complaints folders "
                "--check --fix removes it"
            )
        else:
            removed.append(path)
    return removed, problems, finished


def _remove_marker_last(path: Path) -> list[str]:
    """Remove the claimed folder ``path``: its contents first, its marker last, so a folder
    that cannot be removed whole (a file open in it, a kill half-way) keeps its marker and is
    still known to be the purged case's on the next run. Returns why anything was left."""
    errors: list[str] = []
    handle = _retry_writable(errors)
    try:
        with os.scandir(path) as found:
            names = sorted(e.name for e in found if e.name != CASE_MARKER)
    except OSError as exc:
        return [f"{path.name}: {exc.strerror or exc}"]
    for name in names:
        child = path / name
        try:
            info = os.lstat(child)
        except FileNotFoundError:
            continue
        except OSError as exc:
            errors.append(f"{name}: {exc.strerror or exc}")
            continue
        if stat.S_ISDIR(info.st_mode) and not is_link(info):
            shutil.rmtree(child, onerror=handle)
        else:
            try:
                os.unlink(child)
            except OSError:
                handle(os.unlink, str(child), sys.exc_info())
    if errors:
        return errors
    for step, target in ((os.unlink, path / CASE_MARKER), (os.rmdir, path)):
        try:
            step(target)
        except FileNotFoundError:
            continue
        except OSError:
            handle(step, str(target), sys.exc_info())
            if errors:
                break
    return errors


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


# pragma: no mutate end
