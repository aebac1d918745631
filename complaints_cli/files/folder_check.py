"""Do the case folders and the log agree? :func:`check_folders` looks; :func:`fix_folders`
finishes what a killed command left, and :func:`adopt_folders` claims folders made before
markers. Nothing here ever deletes or renames a folder it has not claimed.

A case folder is named ``<address> – <reference>`` (:mod:`complaints_cli.files.folders`) and
is the case's when its marker claims it (:mod:`complaints_cli.files.markers`). Handlers also
make and rename folders by hand on the shared drive, so the check reads the reference at the
*end* of each folder name (after ``" – "`` or ``" - "``, or the whole name), in any case, and
reports:

``no folder``
    a case in the log with no folder under the root (``letter`` and ``pack`` need one):
    ``--fix`` makes it;
``two folders``
    two folders end in the case's reference (correspondence split between them, or a copy);
``not claimed``
    the case's only folder has no marker: made before markers, by hand, or left empty by a
    ``log`` or ``import`` killed between making it and claiming it (``--fix`` claims such an
    empty folder with the very name the log recorded or the address gives; any other is for
    ``--adopt``);
``claimed elsewhere``
    the folder's marker names another log, or an earlier case with the same reference (a log
    restored from a backup hands references out again): it is never reused;
``damaged marker``
    a marker that cannot be read (edited, cut short, a link);
``link``
    a link (or a Windows junction) in the root: never followed, written through or listed;
``purged, not removed``
    a purged case's folder still there (a kill after the purge, a file open in it):
    ``--fix`` removes it;
``name out of date``
    the folder's address part no longer matches the case's address, with the name the tool
    would give it now;
``no case``
    a folder whose reference is not in the log (a typo in a hand-made name, or a case removed);
``no reference``
    a folder whose name does not end in a reference at all (it belongs elsewhere).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from complaints_cli.domain.case_folders import CaseClaim, same_address
from complaints_cli.errors import ComplaintsError
from complaints_cli.files.folders import (
    DAMAGED,
    RootEntry,
    claim_folder,
    folder_claim,
    folder_name,
    is_empty_folder,
    make_case_folder,
    name_limit,
    remove_claimed,
    root_entries,
    split_folder_name,
)

#: The problems, in the order they are listed.
PROBLEMS = (
    "no folder",
    "two folders",
    "not claimed",
    "claimed elsewhere",
    "damaged marker",
    "link",
    "purged, not removed",
    "name out of date",
    "no case",
    "no reference",
)


class KnownCase(Protocol):
    """A case as the check needs it (:class:`complaints_cli.store.folders.FolderCase`)."""

    @property
    def reference(self) -> str: ...
    @property
    def address(self) -> str: ...
    @property
    def folder(self) -> str | None: ...
    @property
    def claim(self) -> CaseClaim: ...


@dataclass(frozen=True)
class FolderProblem:
    problem: str
    reference: str | None
    folder: str | None
    #: The name the tool would give the folder now (``no folder``, ``name out of date``).
    expected: str | None
    detail: str


def _same(a: str, b: str) -> bool:
    return unicodedata.normalize("NFC", a).casefold() == unicodedata.normalize("NFC", b).casefold()


def _by_reference(entries: Iterable[RootEntry]) -> dict[str, list[RootEntry]]:
    out: dict[str, list[RootEntry]] = {}
    for e in entries:
        if e.reference is not None:
            out.setdefault(e.reference, []).append(e)
    return out


def _one_folder(root: Path, case: KnownCase, name: str, expected: str) -> FolderProblem | None:
    """The problem with a case's only folder, if any."""
    ref = case.reference
    found = folder_claim(root, name)
    if found is None:
        if name in (case.folder, expected) and is_empty_folder(root, name):
            why = "it is empty, as an interrupted complaints log leaves it: --fix claims it"
        else:
            why = (
                "it has no marker (made before markers, or by hand): if it holds this case's "
                f"files, claim it with complaints folders --adopt {ref}"
            )
        return FolderProblem("not claimed", ref, name, None, why)
    if found == DAMAGED:
        return FolderProblem(
            "damaged marker",
            ref,
            name,
            None,
            "its marker cannot be read: delete the .complaints-case file in it, check the "
            f"files, then claim it with complaints folders --adopt {ref}",
        )
    assert isinstance(found, CaseClaim)
    if not found.matches(case.claim):
        whose = "another log" if found.log_id != case.claim.log_id else "an earlier case"
        return FolderProblem(
            "claimed elsewhere",
            ref,
            name,
            None,
            f"its marker names {whose} with this reference (a copied folder, or a log restored "
            "from a backup): check whose files it holds; it is never reused",
        )
    parts, want = split_folder_name(name), split_folder_name(expected)
    if parts and want and not _same(parts[0], want[0]):
        return FolderProblem(
            "name out of date",
            ref,
            name,
            expected,
            f"the address is now {case.address!r}: rename the folder to {expected!r}",
        )
    return None


def check_folders(
    root: Path, cases: Iterable[KnownCase], pending: Sequence[CaseClaim] = ()
) -> list[FolderProblem]:
    """Every disagreement between the log's cases and ``root`` (read-only: it looks, it never
    renames, creates or removes). ``pending``: the purged cases whose folders are still to be
    removed."""
    entries = root_entries(root)
    by_ref = _by_reference(e for e in entries if not e.link)
    limit = name_limit(root)
    problems: list[FolderProblem] = []
    known: set[str] = set()
    for case in cases:
        ref = case.reference.upper()
        known.add(ref)
        names = [e.name for e in by_ref.get(ref, [])]
        expected = folder_name(case.address or "", case.reference, limit=limit)
        if not names:
            problems.append(
                FolderProblem(
                    "no folder",
                    case.reference,
                    None,
                    expected,
                    f"no folder ends in {case.reference}: --fix makes {expected!r}",
                )
            )
        elif len(names) > 1:
            problems.append(
                FolderProblem(
                    "two folders",
                    case.reference,
                    " | ".join(names),
                    expected,
                    f"{len(names)} folders end in {case.reference}: move the files into one of "
                    "them and delete the other",
                )
            )
        else:
            found = _one_folder(root, case, names[0], expected)
            if found is not None:
                problems.append(found)
    gone = {c.reference.upper(): c for c in pending}
    for ref, claim in gone.items():
        for e in by_ref.get(ref, []):
            marker = folder_claim(root, e.name)
            if isinstance(marker, CaseClaim) and marker.matches(claim):
                problems.append(
                    FolderProblem(
                        "purged, not removed",
                        claim.reference,
                        e.name,
                        None,
                        "the case was purged but its folder is still there: --fix removes it "
                        "(close any file open from it first)",
                    )
                )
    problems.extend(
        FolderProblem(
            "link",
            e.reference,
            e.name,
            None,
            "a link (or a junction): never followed; remove it (a case folder is a real "
            "folder under the root)",
        )
        for e in entries
        if e.link
    )
    for ref, found_entries in by_ref.items():
        if ref in known or ref in gone:
            continue
        problems.extend(
            FolderProblem(
                "no case",
                None,
                e.name,
                None,
                f"no case {ref} in the log: check the reference in the folder's name",
            )
            for e in found_entries
        )
    problems.extend(
        FolderProblem(
            "no reference",
            None,
            e.name,
            None,
            "the name does not end in a complaint reference ('<address> – <reference>')",
        )
        for e in entries
        if e.reference is None and not e.link
    )
    order = {p: i for i, p in enumerate(PROBLEMS)}
    problems.sort(key=lambda p: (order[p.problem], p.reference or "", p.folder or ""))
    return problems


@dataclass
class FixResult:
    """What :func:`fix_folders` did: one line each, and what the log must now record."""

    done: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    #: ``{reference: folder name}`` of the folders made or claimed.
    names: dict[str, str] = field(default_factory=dict)
    #: The purged cases whose folders are gone now (their removal is done).
    removed: list[CaseClaim] = field(default_factory=list)


def fix_folders(
    root: Path,
    cases: Iterable[KnownCase],
    pending: Sequence[CaseClaim] = (),
    progress: Callable[[int], None] | None = None,
) -> FixResult:
    """Finish what a killed ``log``, ``import --create-folders`` or ``purge`` left, safe to
    run at any time: make the folder of each case that has none (claimed at once), claim an
    empty unclaimed folder that has exactly the name the log recorded for the case or the
    name its address gives it (what a killed ``log`` or ``import`` leaves), remove
    each purged case's folder that its marker claims. Everything else (a folder with files
    but no marker, another log's folder, a link, a stray) is left for a person: the caller
    lists it with :func:`check_folders`."""
    result = FixResult()
    by_ref = _by_reference(e for e in root_entries(root) if not e.link)
    limit = name_limit(root)
    for case in cases:
        if progress is not None:
            progress(1)
        names = [e.name for e in by_ref.get(case.reference.upper(), [])]
        planned = (case.folder, folder_name(case.address or "", case.reference, limit=limit))
        if not names:
            try:
                made, _created, _notes = make_case_folder(root, case.address, case.claim)
            except ComplaintsError as exc:
                result.failed.append(f"{case.reference}: {exc}")
                continue
            result.done.append(f"Made {made.name!r} for {case.reference}")
            result.names[case.reference] = made.name
        elif (
            len(names) == 1
            and names[0] in planned
            and folder_claim(root, names[0]) is None
            and is_empty_folder(root, names[0])
        ):
            problem = claim_folder(root, names[0], case.claim)
            if problem:
                result.failed.append(f"{case.reference}: {problem}")
            else:
                result.done.append(f"Claimed the empty folder {names[0]!r} for {case.reference}")
                if names[0] != case.folder:  # a killed import had not recorded it yet
                    result.names[case.reference] = names[0]
    for claim in pending:
        removed, problems, finished = remove_claimed(root, claim)
        result.done += [f"Removed {p.name!r} (purged case {claim.reference})" for p in removed]
        result.failed += problems
        if finished:
            result.removed.append(claim)
    return result


@dataclass
class AdoptResult:
    adopted: list[str] = field(default_factory=list)
    #: ``(reference, folder, why it was left)``.
    left: list[tuple[str, str, str]] = field(default_factory=list)


def adopt_folders(root: Path, cases: Iterable[KnownCase], *, named: bool) -> AdoptResult:
    """Claim folders made before markers (an imported log's Y drive, an older version's
    folders) for the cases in the log: for each case without a claimed folder, its only
    folder that has no marker, when the folder's name agrees with the case's address
    (:func:`~complaints_cli.domain.case_folders.same_address`) or the case was ``named`` by
    the user (``complaints folders --adopt SPRUCE041``: a person has checked it). A link,
    another log's or another case's folder, or two candidates are never adopted."""
    result = AdoptResult()
    by_ref = _by_reference(root_entries(root))
    for case in cases:
        entries = by_ref.get(case.reference.upper(), [])
        claims = {e.name: (None if e.link else folder_claim(root, e.name)) for e in entries}
        if any(isinstance(c, CaseClaim) and c.matches(case.claim) for c in claims.values()):
            continue  # already the case's
        bare = [e for e in entries if not e.link and claims[e.name] is None]
        if not bare:
            if named:
                why = "no folder ends in it" if not entries else "none of its folders can be"
                result.left.append((case.reference, "", why))
            continue
        if len(bare) > 1:
            names = " | ".join(e.name for e in bare)
            result.left.append(
                (case.reference, names, "two folders end in it: move the files into one first")
            )
            continue
        name = bare[0].name
        parts = split_folder_name(name)
        if not named and parts is not None and not same_address(parts[0], case.address):
            result.left.append(
                (
                    case.reference,
                    name,
                    f"its name does not match the address {case.address!r}: check its files, "
                    f"then complaints folders --adopt {case.reference}",
                )
            )
            continue
        problem = claim_folder(root, name, case.claim)
        if problem:
            result.left.append((case.reference, name, problem))
        else:
            result.adopted.append(f"{case.reference}: {name}")
    return result
