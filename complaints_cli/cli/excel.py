"""``complaints import`` and ``complaints export``: the log as an Excel workbook.

Imported on every run, so only Typer is imported here: openpyxl, python-calamine, SQLAlchemy
and the models are imported inside the commands (see ``commands/__init__.py``).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Annotated, Any

import typer

from complaints_cli.cli.options import check_format, open_raw, open_store, settings, today
from complaints_cli.errors import ComplaintsError

#: Problems listed on stderr before the one-line error; the rest are counted.
MAX_LISTED = 200


@contextmanager
def _progress(label: str, total: int | None) -> Iterator[Callable[[int], None] | None]:
    """A rich progress bar on stderr when it is a terminal; nothing when output is piped."""
    if not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        console=Console(stderr=True),
        transient=True,
    ) as bar:
        task = bar.add_task(label, total=total)
        yield lambda n: bar.advance(task, n)


def _err(line: str) -> None:
    typer.echo(line, err=True)


def _list(lines: list[str]) -> None:
    for line in lines[:MAX_LISTED]:
        _err(f"  {line}")
    if len(lines) > MAX_LISTED:
        _err(f"  ... and {len(lines) - MAX_LISTED} more")


def _rejected_name(source: Path) -> Path:
    target = source.with_name(f"{source.stem}-rejected.xlsx")
    n = 2
    while target.exists():
        target = source.with_name(f"{source.stem}-rejected ({n}).xlsx")
        n += 1
    return target


def _write_rejected(result: Any) -> Path:
    """The rejected rows, as read, with a ``Rejected because`` column: a workbook to fix and
    import again (its dates are real dates; the reasons column is left out on import)."""
    from complaints_cli.files.exporter import ExportColumn, XlsxWriter, check_xlsx, save_atomically
    from complaints_cli.files.headers import REJECTED_BECAUSE

    width = max([len(result.headers), *(len(r.raw) for r in result.rejected)])
    headers = [str(h) if h not in (None, "") else "" for h in result.headers]
    headers += [""] * (width - len(headers))
    columns = [ExportColumn(h, "any", 30.0, lambda case: None) for h in headers]
    columns.append(ExportColumn(REJECTED_BECAUSE, "text", 60.0, lambda case: None))

    def write(stream: Any) -> None:
        writer = XlsxWriter(stream, columns, sheet="Rejected rows")
        for rejected in result.rejected:
            cells = list(rejected.raw) + [None] * (width - len(rejected.raw))
            reasons = "; ".join(
                (f"{p.column}: " if p.column else "") + p.reason for p in rejected.problems
            )
            writer.add_row([*cells, f"row {rejected.row}: {reasons}"])
        writer.close()

    target = _rejected_name(result.path)
    return save_atomically(target, write, force=False, check=check_xlsx).path


def _import(ctx: typer.Context, *args: Any) -> None:
    from concurrent.futures import ThreadPoolExecutor

    from complaints_cli.files.importer import bulk_work

    cfg = settings(ctx)
    # Open the log (SQLAlchemy's ~0.7 s of imports, the schema check) in a thread while the
    # workbook is read: python-calamine releases the GIL while it parses.
    pool = ThreadPoolExecutor(max_workers=1)
    opening = pool.submit(open_store, cfg)
    pool.shutdown(wait=False)
    try:
        with bulk_work():
            _import_file(cfg, opening.result, *args)
    finally:
        with suppress(Exception):
            opening.result().close()


def _import_file(
    cfg: Any,
    get_store: Callable[[], Any],
    file: Path,
    sheet: str | None,
    dry_run: bool,
    update: bool,
    skip_invalid: bool,
    create_folders: bool,
) -> None:
    from complaints_cli.files.importer import (
        apply_plan,
        describe_conflict,
        load_existing,
        make_plan,
        read_log,
        unknown_columns_note,
    )
    from complaints_cli.files.spreadsheet import Workbook

    with Workbook(file) as workbook, _progress("Reading", None) as advance:
        result = read_log(workbook, sheet_name=sheet, progress=advance)
    name = file.name
    for note in filter(None, [unknown_columns_note(result), *result.notes]):
        _err(f"note: {note}")
    problems = result.problems
    if problems:
        _err(f"{name}: {len(problems)} problem(s) in {len(result.rejected)} row(s):")
        _list([p.line() for p in problems])
        if not skip_invalid:
            raise ComplaintsError(
                f"{len(result.rejected)} row(s) of {name} cannot be imported (listed above); "
                f"nothing was imported: correct them, or use --skip-invalid to import the "
                f"{len(result.rows)} valid row(s)"
            )
    if not result.rows and not problems:
        raise ComplaintsError(
            f"sheet {result.sheet!r} of {name} has no complaints below its headers"
        )

    created: list[Path] = []
    store = get_store()
    try:
        with store.transaction() as session:
            existing = load_existing(session, [r.reference for r in result.rows])
            plan = make_plan(result.rows, existing, result.fields, update=update)
            outcome = None
            if not dry_run:
                with _progress("Writing", len(plan.adds) + len(plan.updates)) as advance:
                    outcome = apply_plan(
                        store,
                        session,
                        plan,
                        result,
                        actor=cfg.user.value,
                        root=cfg.root_path,
                        create_folders=create_folders,
                        created=created,
                        progress=advance,
                    )
    except BaseException:
        for folder in created:
            with suppress(OSError):
                folder.rmdir()
        raise

    changed = plan.conflicts if not update else plan.updates
    if changed:
        verb = "differ from the log" if not update else "were updated"
        _err(f"{len(changed)} case(s) in {name} {verb}:")
        _list([line for item in changed for line in describe_conflict(result.sheet, item)])
        if not update:
            _err("  (not written: use --update to apply the file's values)")
    rejected_file = None
    if problems and skip_invalid and not dry_run:
        rejected_file = _write_rejected(result)
    counts = (
        f"{len(plan.adds)} added, {len(plan.updates)} updated, {len(plan.unchanged)} unchanged, "
        f"{len(plan.conflicts)} conflicting, {len(result.rejected)} rejected"
    )
    where = f"{name} (sheet {result.sheet!r})"
    if dry_run:
        typer.echo(f"Dry run of {where}: would be {counts}; nothing was written")
        return
    tail = f"; rejected rows saved to {rejected_file}" if rejected_file else ""
    folders = (
        f"; {outcome.folders_created} folder(s) made" if outcome and outcome.folders_created else ""
    )
    typer.echo(f"Imported {where}: {counts}{folders}{tail}")


def _export(
    ctx: typer.Context,
    file: Path,
    status: str | None,
    stage: str | None,
    fmt: str | None,
    force: bool,
    include_sensitive: bool = False,
) -> None:
    from complaints_cli.files.exporter import export_log, overdue_check

    suffix = file.suffix.lower()
    if fmt is None:
        fmt = "csv" if suffix == ".csv" else "xlsx"
    fmt = check_format(fmt, ("xlsx", "csv"))
    if suffix in (".xlsx", ".csv") and suffix != f".{fmt}":
        raise ComplaintsError(
            f"{file.name!r} does not end in .{fmt}: name the file {file.stem}.{fmt}"
        )
    if suffix in (".xls", ".ods", ".xlsm"):
        raise ComplaintsError(f"export writes .xlsx or .csv, not {suffix}")
    cfg = settings(ctx)
    overdue = overdue_check(cfg, today()) if fmt == "xlsx" else None
    with open_raw(cfg) as db:
        total = db.scalar("SELECT COUNT(*) FROM complaint")
        with _progress("Exporting", total) as advance:
            result = export_log(
                db,
                file,
                fmt=fmt,
                force=force,
                status=status,
                stage=stage,
                overdue=overdue,
                progress=advance,
                include_sensitive=include_sensitive,
            )
    for line in result.warnings:
        _err(f"warning: {line}")
    if result.saved.locked:
        _err(
            f"warning: {file} is open in another program (Excel?), so it was left unchanged; "
            f"the export was saved as {result.saved.path} instead"
        )
    late = f", {result.overdue} overdue highlighted" if result.overdue else ""
    typer.echo(
        f"Exported {result.rows} case(s) to {result.saved.path} "
        f"({fmt}, {result.columns} columns{late})"
    )


def register(app: Any) -> None:
    """Add the Excel commands to ``app``."""

    @app.command("import")
    def import_cmd(
        ctx: typer.Context,
        file: Annotated[Path, typer.Argument(help="The workbook: .xlsx, .xls or .ods.")],
        sheet: Annotated[
            str | None, typer.Option("--sheet", help="The sheet holding the log.")
        ] = None,
        dry_run: Annotated[
            bool, typer.Option("--dry-run", help="Report what would happen; write nothing.")
        ] = False,
        update: Annotated[
            bool,
            typer.Option("--update", help="Apply the file's values to cases already in the log."),
        ] = False,
        skip_invalid: Annotated[
            bool,
            typer.Option(
                "--skip-invalid",
                help="Import the valid rows; save the others, with reasons, beside the file.",
            ),
        ] = False,
        create_folders: Annotated[
            bool,
            typer.Option("--create-folders", help="Make missing case folders for new cases."),
        ] = False,
    ) -> None:
        """Import an existing Complaints Log workbook into the log.

        Finds the header row below any title rows, reads every cell (UK dates, Excel dates,
        "Yes - explanation", "£50 (reasons)"), and checks the whole file first: any problem is
        listed by sheet, row, column and value, and nothing is written unless every row is
        valid (or --skip-invalid). All rows are written in one transaction. Cases already in
        the log are left alone when they match, and reported column by column when they
        differ (applied with --update). Columns the log does not know are kept and exported
        back. Importing the same file twice changes nothing.

        Example: complaints import sample_log.xlsx --dry-run
        """
        _import(ctx, file, sheet, dry_run, update, skip_invalid, create_folders)

    @app.command("export")
    def export_cmd(
        ctx: typer.Context,
        file: Annotated[Path, typer.Argument(help="The file to write: .xlsx or .csv.")],
        status: Annotated[
            str | None, typer.Option(help="Only this status: Open or Closed.")
        ] = None,
        stage: Annotated[
            str | None, typer.Option(help="Only this stage: 'Stage 1', 'Stage 2' or Ombudsman.")
        ] = None,
        fmt: Annotated[
            str | None,
            typer.Option(
                "--format", "-f", help="xlsx or csv [default: from the file name, else xlsx]."
            ),
        ] = None,
        force: Annotated[
            bool, typer.Option("--force", help="Replace the file if it exists.")
        ] = False,
        include_sensitive: Annotated[
            bool,
            typer.Option(
                "--include-sensitive",
                help="Also export the vulnerability columns (vulnerable, contact preference, "
                "adjustments, notes): personal data, left out by default.",
            ),
        ] = False,
    ) -> None:
        """Export the log as the Spruce Complaints Log workbook (or CSV).

        The 24 columns with the procedure's headers, in its order, then the tool's own columns
        and any kept columns from imports. Real dates shown dd/mm/yyyy, compensation in pounds,
        a frozen header row with filters, overdue open cases highlighted. No text is ever
        written as a formula. The file is written beside the target and moved into place, so
        an existing file is never half-overwritten; if it is open in Excel, the export is
        saved under another name instead. The residents' vulnerability details are left out
        unless --include-sensitive.

        Example: complaints export log.xlsx --status Open --force
        """
        _export(ctx, file, status, stage, fmt, force, include_sensitive)
