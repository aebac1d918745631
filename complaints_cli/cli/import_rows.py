"""What ``complaints import`` does with rows the log already has otherwise: a clash (another
complaint under the same reference: refused, or renumbered with ``--renumber-clashes``) and a
conflict (the same complaint with other values: listed, applied only with ``--update``, and
refused when it is all the file has that is new); and how the import lists rows on stderr.
Split from :mod:`complaints_cli.cli.excel` (the 600-line rule, tests/test_architecture.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import typer

from complaints_cli.errors import ComplaintsError

if TYPE_CHECKING:
    from complaints_cli.cli.excel import ImportChoices

__all__ = [
    "MAX_LISTED",
    "_err",
    "_list",
    "_list_conflicts",
    "_refuse_only_conflicts",
    "_settle_clashes",
]

#: Problems listed on stderr before the one-line error; the rest are counted.
MAX_LISTED = 200


def _err(line: str) -> None:
    typer.echo(line, err=True)


def _list(lines: list[str]) -> None:
    for line in lines[:MAX_LISTED]:
        _err(f"  {line}")
    if len(lines) > MAX_LISTED:
        _err(f"  ... and {len(lines) - MAX_LISTED} more")


def _settle_clashes(tx: Any, plan: Any, result: Any, prefix: str, choices: ImportChoices) -> None:
    """Rows whose reference is another complaint's in the log: renumbered (the next free
    references) with ``--renumber-clashes``, else the import is refused, both versions shown."""
    from complaints_cli.domain.import_plan import describe_clash, renumber_clashes
    from complaints_cli.store.bulk import free_references

    if not plan.clashes:
        return
    name = result.path.name
    if choices.renumber_clashes:
        _already_renumbered(tx, plan, name)
        taken = [r.reference for r in result.rows]
        renumber_clashes(plan, free_references(tx, prefix, taken, len(plan.clashes)))
        return
    _err(f"{len(plan.clashes)} row(s) of {name} clash with another complaint in the log:")
    _list([line for clash in plan.clashes for line in describe_clash(result.sheet, clash)])
    raise ComplaintsError(
        f"{len(plan.clashes)} row(s) of {name} have a reference the log gives to another "
        "complaint (listed above); nothing was imported: give them new references with "
        "--renumber-clashes, or correct the file"
    )


def _refuse_only_conflicts(plan: Any, result: Any, choices: ImportChoices) -> None:
    """A file whose only news is cases that differ from the log's (no ``--update``) writes
    nothing: that is refused (exit 1, the differences listed above the error line) rather
    than reported as an import, so a run that wrote nothing never looks like success. Raised
    inside the transaction, so it writes nothing (not even a counter). A dry run, or a file
    that also adds cases, reports the conflicts and carries on, as before."""
    if not plan.conflicts or plan.adds or plan.updates or choices.dry_run:
        return
    from complaints_cli.domain.import_plan import older_copy

    name = result.path.name
    _list_conflicts(result, plan)
    if older_copy(plan.conflicts):
        raise ComplaintsError(
            f"{len(plan.conflicts)} row(s) of {name} have blank cells where the log has values "
            "(listed above): the file is older than the log, and nothing was imported; "
            "--update keeps the log's values, so there is nothing to apply"
        )
    unchanged = f" ({len(plan.unchanged)} other row(s) unchanged)" if plan.unchanged else ""
    raise ComplaintsError(
        f"{len(plan.conflicts)} row(s) of {name} differ from the cases already in the log "
        f"(listed above){unchanged}; nothing was imported: apply the file's values with "
        "--update, or correct the file to match the log"
    )


def _list_conflicts(result: Any, plan: Any) -> None:
    """Each case that differs from the log's, column by column, on stderr."""
    from complaints_cli.domain.import_plan import describe_conflict

    _err(f"{len(plan.conflicts)} case(s) in {result.path.name} differ from the log:")
    _list([line for item in plan.conflicts for line in describe_conflict(result.sheet, item)])


def _already_renumbered(tx: Any, plan: Any, name: str) -> None:
    """A clashing row whose complaint (complainant, address, date received) the log already
    holds under another reference (an earlier ``--renumber-clashes`` of the same file) is
    not added again: importing the same file twice changes nothing."""
    from complaints_cli.store.reads import same_complaint

    for clash in list(plan.clashes):
        values = clash.row.values
        if values.get("received") is None:
            continue
        found = [
            ref
            for ref in same_complaint(
                tx,
                str(values.get("complainant") or ""),
                str(values.get("address") or ""),
                values["received"],
            )
            if ref != clash.row.reference
        ]
        if found:
            plan.clashes.remove(clash)
            _err(
                f"complaints: warning: {name} row {clash.row.row}: {clash.row.reference}'s "
                f"complaint is already in the log as {found[0]} (renumbered by an earlier "
                "import): not added again"
            )
