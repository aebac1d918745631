"""Do the case folders and the log agree? Read-only: it looks, it never renames or creates.

A case folder is named ``<address> – <reference>`` (:mod:`complaints_cli.files.folders`). Handlers
also make and rename folders by hand on the shared drive, so the check reads the reference at
the *end* of each folder name (after ``" – "`` or ``" - "``, or the whole name), in any case,
and reports:

``no folder``
    a case in the log with no folder under the root (``letter`` and ``pack`` need one);
``no case``
    a folder whose reference is not in the log (a typo in a hand-made name, or a case removed);
``no reference``
    a folder whose name does not end in a reference at all (it belongs elsewhere);
``two folders``
    two folders for the same case (correspondence split between them);
``name out of date``
    a folder whose address part no longer matches the case's address (the address was
    corrected after the folder was made), with the name the tool would give it now.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from complaints_cli.files.folders import case_folders, folder_name, name_limit, split_folder_name

#: The problems, in the order they are listed.
PROBLEMS = ("no folder", "two folders", "name out of date", "no case", "no reference")


@dataclass(frozen=True)
class FolderProblem:
    problem: str
    reference: str | None
    folder: str | None
    #: The name the tool would give the folder now (``name out of date``), else ``None``.
    expected: str | None
    detail: str


def _same(a: str, b: str) -> bool:
    return unicodedata.normalize("NFC", a).casefold() == unicodedata.normalize("NFC", b).casefold()


def check_folders(root: Path, cases: Iterable[tuple[str, str]]) -> list[FolderProblem]:
    """Every disagreement between the log's ``(reference, address)`` pairs and ``root``."""
    by_ref, strays = case_folders(root)
    limit = name_limit(root)
    problems: list[FolderProblem] = []
    known: set[str] = set()
    for reference, address in cases:
        ref = reference.upper()
        known.add(ref)
        names = by_ref.get(ref, [])
        expected = folder_name(address or "", reference, limit=limit)
        if not names:
            problems.append(
                FolderProblem(
                    "no folder",
                    reference,
                    None,
                    expected,
                    f"no folder ends in {reference}: create {expected!r} under the root",
                )
            )
            continue
        if len(names) > 1:
            problems.append(
                FolderProblem(
                    "two folders",
                    reference,
                    " | ".join(names),
                    expected,
                    f"{len(names)} folders end in {reference}: move the files into one of them",
                )
            )
            continue
        actual = names[0]
        parts = split_folder_name(actual)
        want = split_folder_name(expected)
        if parts and want and not _same(parts[0], want[0]):
            problems.append(
                FolderProblem(
                    "name out of date",
                    reference,
                    actual,
                    expected,
                    f"the address is now {address!r}: rename the folder to {expected!r}",
                )
            )
    for ref, names in by_ref.items():
        if ref not in known:
            problems.extend(
                FolderProblem(
                    "no case",
                    None,
                    name,
                    None,
                    f"no case {ref} in the log: check the reference in the folder's name",
                )
                for name in names
            )
    problems.extend(
        FolderProblem(
            "no reference",
            None,
            name,
            None,
            "the name does not end in a complaint reference ('<address> – <reference>')",
        )
        for name in strays
    )
    order = {p: i for i, p in enumerate(PROBLEMS)}
    problems.sort(key=lambda p: (order[p.problem], p.reference or "", p.folder or ""))
    return problems
