"""Data protection: retention and purge, legal holds, subject-access requests."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from complaints_cli.cli.options import (
    ExpectVersionOpt,
    FormatOpt,
    apply_rule,
    check_format,
    new_app,
    open_raw,
    open_store,
    settings,
    today,
)
from complaints_cli.errors import ComplaintsError


def _interactive() -> bool:
    """A person at a terminal can answer the confirmation (a scheduled task cannot)."""
    return sys.stdin.isatty()


def _uk(value: Any) -> str:
    return "" if value is None else value.strftime("%d/%m/%Y")


app = new_app()


@app.command("purge")
def purge_cmd(
    ctx: typer.Context,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Only list what is due; change nothing.")
    ] = False,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
    retention_years: Annotated[
        int | None,
        typer.Option(
            "--retention-years",
            help="Years after closure a case is kept [default: retention_years setting, 6].",
        ),
    ] = None,
    fmt: FormatOpt = "table",
) -> None:
    """Remove closed cases past the retention period: record, history, actions and folder.

    Never an open case, never one under a legal hold (complaints hold). The record is
    deleted from the database and the file compacted, so the personal data is not left in
    the file; a purge record (reference and dates only) is kept. Run --dry-run first.

    Example: complaints purge --dry-run
    """
    from complaints_cli.domain import retention
    from complaints_cli.store import reads
    from complaints_cli.store.purge import check_years

    fmt = check_format(fmt)
    cfg = settings(ctx)
    years = check_years(
        retention_years if retention_years is not None else cfg.retention_years.value
    )
    day = today()
    with open_raw(cfg) as db:
        rows = reads.retention_facts(db)
        if not dry_run:  # a root that is another log's is refused before anything is purged
            from complaints_cli.cli.roots import TeamRoot

            TeamRoot(cfg, db, claim=False)
    due, kept = retention.assess_all(rows, today=day, years=years)
    kept_text = ", ".join(f"{n} {kind}" for kind, n in retention.kept_summary(kept).items())
    title = (
        f"Due for purge: {len(due)} case(s) closed {years} or more years ago (as of {day:%d/%m/%Y})"
    )
    empty = f"Nothing is due for purge ({years}-year retention period, as of {day:%d/%m/%Y})."
    if dry_run or not due:
        _list_due(due, cfg.root_path, fmt, title, empty)
        if fmt == "table":
            typer.echo(f"Kept: {kept_text or 'nothing else in the log'}.")
            if due:
                typer.echo("Nothing was changed (dry run).")
        if not dry_run:  # an earlier purge's folders, left by a kill or a file open in them
            removed, problems = _remove_purged_folders(cfg)
            if removed:
                typer.echo(
                    f"Removed {len(removed)} case folder(s) an earlier purge left.",
                    err=fmt != "table",
                )
            _warn_folders(problems)
        return
    if not yes:
        if not _interactive():
            raise ComplaintsError(
                f"purge would remove {len(due)} case(s) for good and needs confirmation: "
                "run it at a terminal, or give --yes (check the list with --dry-run first)"
            )
        _list_due(due, cfg.root_path, "table", title, empty)
        if not typer.confirm(
            f"Remove these {len(due)} case(s), their history, actions and folders for good?",
            default=False,
        ):
            raise ComplaintsError("purge cancelled; nothing was changed")
    _purge(cfg, due, years, day)


@app.command("hold")
def hold_cmd(
    ctx: typer.Context,
    reference: Annotated[str, typer.Argument(help="The complaint reference.")],
    reason: Annotated[
        str | None,
        typer.Option(help="Why the case must be kept (a claim, an investigation, a request)."),
    ] = None,
    release: Annotated[
        bool, typer.Option("--release", help="Lift the hold (the reason goes to history).")
    ] = False,
    expect_version: ExpectVersionOpt = None,
) -> None:
    """Put a case under a legal hold (never purged while held), or release it.

    Example: complaints hold SPRUCE001 --reason "Disrepair claim issued 02/09/2026"
    """
    from complaints_cli.domain.retention import hold, release_hold
    from complaints_cli.domain.text import optional_text

    text = optional_text(reason, "--reason")
    if not release and not text:
        raise ComplaintsError("give --reason (why the case must be kept) or --release")

    def rule(case: Any, _actions: Any, _rules: Any) -> Any:
        if release:
            return release_hold(case, note=text)
        assert text is not None
        return hold(case, reason=text)

    apply_rule(
        ctx,
        reference,
        "release hold" if release else "hold",
        rule,
        expected_version=expect_version,
    )


@app.command("subject-access")
def subject_access_cmd(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The person's name, as it may be written.")],
    output: Annotated[
        Path,
        typer.Option(
            "--output",
            "-o",
            help="File to write: .json for JSON; .md or .txt for a readable report.",
        ),
    ],
    force: Annotated[bool, typer.Option("--force", help="Replace an existing file.")] = False,
) -> None:
    """Gather every case, history entry and folder listing that names a person.

    Matches whole words, ignoring case and accents, in every text field of a case and of
    its history. Folder listings give file names, sizes and dates, not contents.

    Example: complaints subject-access "Ann Lee" --output "Ann Lee SAR.md"
    """
    from complaints_cli.cli.roots import TeamRoot
    from complaints_cli.files import subject_access_report as report
    from complaints_cli.store import subject_access

    cfg = settings(ctx)
    kind = report.output_kind(output)
    if output.exists() and not force:
        raise ComplaintsError(
            f"{str(output)!r} exists: choose another name or give --force to replace it"
        )
    with open_raw(cfg) as db:
        found = subject_access.gather(db, name)
        team = TeamRoot(cfg, db, claim=False)
    for case in found.cases:
        case.folder = team.listing(case.case["reference"], case.case["created_at"])
    report.write(found, output, kind, generated=today(), force=force)
    typer.echo(
        f"Found {len(found.cases)} case(s), {found.history_count} history entry(ies) and "
        f"{found.file_count} file(s) in {found.folder_count} folder(s) naming {name!r}; "
        f"written to {output}"
    )


def _list_due(due: list[Any], root: Path, fmt: str, title: str, empty: str) -> None:
    from complaints_cli.render.listing import output_rows

    rows = [
        {
            "reference": v.reference,
            "closed": v.closed,
            "due": v.due,
            "folder": str(root / v.folder) if v.folder else None,
        }
        for v in due
    ]
    output_rows(
        rows,
        ("reference", "closed", "due", "folder"),
        fmt,
        headers={
            "reference": "Reference",
            "closed": "Closed",
            "due": "Due for purge",
            "folder": "Folder",
        },
        text=lambda _c, v: "" if v is None else (_uk(v) if hasattr(v, "strftime") else str(v)),
        title=title,
        empty=empty,
        no_wrap=("reference", "closed", "due"),
    )


def _remove_purged_folders(cfg: Any) -> tuple[list[Path], list[str]]:
    """Remove the folders of purged cases (this run's and any an earlier run left), outside
    the database's write lock: only those their marker claims for the purged case. Each
    removal is forgotten once its folder is gone. Returns (removed, problems to tell)."""
    from complaints_cli.cli.roots import TeamRoot
    from complaints_cli.files.folders import remove_claimed
    from complaints_cli.store.folders import drop_removals, pending_removals

    removed: list[Path] = []
    problems: list[str] = []
    with open_raw(cfg) as db:
        try:
            team = TeamRoot(cfg, db, claim=False)
        except ComplaintsError as exc:  # another log's root: nothing of it is touched
            return removed, [str(exc)]
        pending = pending_removals(db, team.log_id)
        if not pending:
            return removed, problems
        if team.state == "unclaimed":
            return removed, [
                f"{len(pending)} purged case(s)' folders were not removed: the complaints root "
                f"{str(team.path)!r} has no marker saying it is this log's (complaints folders "
                "--adopt claims it; then complaints folders --check --fix removes them)"
            ]
        done: list[int] = []
        for item in pending:
            gone, said, finished = (
                remove_claimed(team.path, item.claim) if team.state == "ours" else ([], [], True)
            )
            removed += gone
            problems += said
            if finished:
                done.append(item.id)
        drop_removals(db, done)
    return removed, problems


def _warn_folders(problems: list[str]) -> None:
    for problem in problems:
        typer.echo(f"complaints: warning: folder not removed: {problem}", err=True)


def _first_20(refs: list[str], more: str = "") -> str:
    """The first 20 references, and how many more (``more``: what to add after the count)."""
    shown = ", ".join(refs[:20])
    return shown + (f" and {len(refs) - 20} more{more}" if len(refs) > 20 else "")


def _purge(cfg: Any, due: list[Any], years: int, day: Any) -> None:
    from complaints_cli.store.purge import purge_cases, scrub

    with open_store(cfg) as store:
        result = purge_cases(store, due, actor=cfg.user.value, years=years, today=day)
    warning = scrub(cfg.db_url) if result.purged else None
    removed, problems = _remove_purged_folders(cfg)
    refs = _first_20(
        [v.reference for v in result.purged], " (complaints show REF says when each went)"
    )
    typer.echo(
        f"Purged {len(result.purged)} case(s){': ' + refs if refs else ''} "
        "(a purge record of each is kept: reference and dates only)."
    )
    typer.echo(f"Removed {len(removed)} case folder(s).")
    if result.purged_meanwhile:
        typer.echo(
            f"{len(result.purged_meanwhile)} more case(s) were purged meanwhile by another "
            f"handler's purge: {_first_20(result.purged_meanwhile)}"
        )
    for ref, why in result.kept:
        typer.echo(f"complaints: warning: {ref} was kept: {why}", err=True)
    _warn_folders(problems)
    if warning:
        typer.echo(f"complaints: warning: {warning}", err=True)
