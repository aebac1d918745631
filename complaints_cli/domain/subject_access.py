"""Subject-access requests (UK GDPR article 15): how a person is found, and what is found.

A resident may ask for every record that names them. Matching is on whole words, ignoring case
and accents by the tool's one folding (:func:`complaints_cli.domain.text.fold`, which
``list --search`` uses too): ``"lukasz"`` finds ``"Łukasz"``, ``"zoe"`` finds ``"Zoë"``,
``"Ann Lee"`` finds ``"ann lee"`` and ``"Lee, Ann"`` but not ``"Anne Lee"``. The store gathers
the records (:mod:`complaints_cli.store.subject_access`), the case folders are listed by
:func:`complaints_cli.files.folder_index.list_folder`, and the answer is written by
:mod:`complaints_cli.files.subject_access_report`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from complaints_cli.domain.text import fold
from complaints_cli.errors import ComplaintsError

__all__ = ["CaseFound", "FolderListing", "Found", "fold", "mentions", "name_pattern"]


def name_pattern(name: str) -> re.Pattern[str]:
    """Whole words of ``name`` in order, or surname first (``"Lee, Ann"``), on folded text."""
    words = re.findall(r"\w+", fold(name))
    if not words:
        raise ComplaintsError(f"the name {name!r} has no letters to search for")
    # Surname first ("Lee, Ann"; "Ní Bhriain, Zoë"): every split of the name, swapped round.
    orders = [words[k:] + words[:k] for k in range(len(words))]
    alternatives = "|".join(r"\W+".join(map(re.escape, order)) for order in orders)
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)")


def mentions(pattern: re.Pattern[str], row: dict[str, Any]) -> list[str]:
    """The columns of ``row`` whose text names the person."""
    return [k for k, v in row.items() if isinstance(v, str) and pattern.search(fold(v))]


@dataclass
class FolderListing:
    path: str
    exists: bool
    files: list[dict[str, Any]] = field(default_factory=list)
    note: str | None = None


@dataclass
class CaseFound:
    #: Every field of the case, the personal and sensitive ones included.
    case: dict[str, Any]
    #: Where the person is named: ``complainant``, ``history``, ``signatory.name``, ...
    matched: list[str]
    history: list[dict[str, Any]]
    linked: dict[str, list[dict[str, Any]]]
    #: The case folder's name (listed by the caller: the store does no file-system work).
    folder_name: str | None = None
    folder: FolderListing | None = None


@dataclass
class Found:
    name: str
    cases: list[CaseFound]
    other: list[dict[str, Any]]

    @property
    def history_count(self) -> int:
        return sum(1 for c in self.cases for h in c.history if h["mentions"])

    @property
    def folder_count(self) -> int:
        return sum(1 for c in self.cases if c.folder and c.folder.exists)

    @property
    def file_count(self) -> int:
        return sum(len(c.folder.files) for c in self.cases if c.folder)
