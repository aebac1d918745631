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
import unicodedata
from pathlib import Path

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
        name = entry.name.upper()
        if not entry.is_dir():
            continue
        if name == ref or name.endswith((f" {DASH} {ref}", f" - {ref}")):
            return Path(entry.path)
    return None


def ensure_case_folder(root: Path, address: str, reference: str) -> tuple[Path, bool]:
    """Return ``(folder, created)``: the case's existing folder, or a new one.

    Raises :class:`ComplaintsError` if the root cannot hold a folder (too deep for Windows,
    not a folder, not writable).
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
    existing = find_case_folder(root, reference)
    if existing is not None:
        return existing, False
    target = root / folder_name(address, reference, limit=limit)
    if target.parent != root or target.name in ("", ".", ".."):
        raise ComplaintsError(f"folder name for {reference} would leave the complaints root")
    try:
        root.mkdir(parents=True, exist_ok=True)
        target.mkdir()
    except FileExistsError:
        return target, False
    except OSError as exc:
        raise ComplaintsError(
            f"cannot create the case folder {str(target)!r}: {exc.strerror or exc}"
        ) from None
    return target, True
