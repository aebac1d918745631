"""``complaints import`` and ``complaints export``: the log as an Excel workbook.

Only Typer is imported at the top: the readers, writers and the store are imported inside
the commands, so ``complaints --help`` stays fast (see :mod:`complaints_cli.cli.app`).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Annotated, Any

import typer

from complaints_cli.cli.import_rows import (
    MAX_LISTED,
    _err,
    _list,
    _list_conflicts,
    _refuse_only_conflicts,
    _settle_clashes,
)
from complaints_cli.cli.options import (
    CreateOpt,
    Timeframes,
    check_format,
    log_exists,
    new_app,
    open_raw,
    open_store,
    settings,
)
from complaints_cli.errors import ComplaintsError


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


@dataclass(frozen=True)
class ImportChoices:
    """What ``complaints import`` was asked to do (its flags)."""

    sheet: str | None = None
    dry_run: bool = False
    update: bool = False
    skip_invalid: bool = False
    create_folders: bool = False
    create: bool = False
    renumber_clashes: bool = False
    allow_rollback: bool = False


def _import(ctx: typer.Context, file: Path, choices: ImportChoices) -> None:
    from complaints_cli.files.importer import bulk_work

    tf = Timeframes(ctx)
    with bulk_work():
        _import_file(tf, file, choices)


def _import_file(tf: Any, file: Path, choices: ImportChoices) -> None:
    from complaints_cli.domain.import_plan import Source, make_plan
    from complaints_cli.files.importer import (
        FIELD_HEADERS,
        existing_folders,
        read_log,
        unknown_columns_note,
    )
    from complaints_cli.files.spreadsheet import Workbook
    from complaints_cli.store.bulk import apply_plan, load_existing

    cfg = tf.settings
    with Workbook(file) as workbook, _progress("Reading", None) as advance:
        result = read_log(workbook, sheet_name=choices.sheet, progress=advance, today=tf.today)
    name = file.name
    for note in filter(None, [unknown_columns_note(result), *result.notes]):
        _err(f"note: {note}")
    problems = result.problems
    if problems:
        _err(f"{name}: {len(problems)} problem(s) in {len(result.rejected)} row(s):")
        _list([p.line() for p in problems])
        if not result.rows:
            # Nothing valid to import: --skip-invalid would import nothing and say so as if
            # it had worked, so neither is offered.
            raise ComplaintsError(
                f"none of the {len(result.rejected)} row(s) of {name} can be imported (listed "
                "above); nothing was imported: correct them and import the file again"
            )
        if not choices.skip_invalid:
            raise ComplaintsError(
                f"{len(result.rejected)} row(s) of {name} cannot be imported (listed above); "
                f"nothing was imported: correct them, or use --skip-invalid to import the "
                f"{len(result.rows)} valid row(s)"
            )
    if not result.rows and not problems:
        raise ComplaintsError(
            f"sheet {result.sheet!r} of {name} has no complaints below its headers"
        )

    root: Path = cfg.root_path
    # The folders are listed before the log's write lock is taken (a network share can be
    # slow), and made after it is released.
    folders = existing_folders(root) if root.is_dir() else {}
    source = Source(name, result.sha256, result.sheet)
    outcome = None
    plan_for = partial(
        make_plan,
        result.rows,
        fields=result.fields,
        update=choices.update,
        headers=FIELD_HEADERS,
        allow_rollback=choices.allow_rollback,
        worked_out=_worked_out(tf),
    )
    if choices.dry_run and choices.create and not log_exists(cfg.db_url):
        # A dry run writes nothing, not even the new log: every row would be added.
        plan = plan_for({})
        new_lines, _fields = _fill_met(tf, result, plan, result.fields)
        _met_warnings(tf, result, plan, new_lines)  # as the import itself would warn
        _report(result, plan, choices)
        return
    made = 0
    with open_store(cfg, create=choices.create and not choices.dry_run) as store:
        team = None
        if choices.create_folders and not choices.dry_run:
            # Refused before anything is written: another log's root, or one whose folders
            # no log has claimed (folders --adopt first), or one too deep for Windows.
            from complaints_cli.cli.roots import TeamRoot
            from complaints_cli.files.folders import check_root

            check_root(root, result.rows[0].reference if result.rows else "X")
            team = TeamRoot(cfg, store.db, claim=True)
        with store.transaction() as tx:
            existing = load_existing(tx, [r.reference for r in result.rows])
            plan = plan_for(existing)
            _settle_clashes(tx, plan, result, cfg.prefix.value, choices)
            _rejudge_met(tf, plan)
            new_lines, fields = _fill_met(tf, result, plan, result.fields)
            _refuse_only_conflicts(plan, result, choices)
            if not choices.dry_run:
                with _progress("Writing", len(plan.adds) + len(plan.updates)) as advance:
                    outcome = apply_plan(
                        store,
                        tx,
                        plan,
                        source,
                        fields,
                        actor=cfg.user.value,
                        prefixes=[cfg.prefix.value],
                        folders=folders,
                        deadlines=tf.stamper(),
                        progress=advance,
                    )
        if outcome is not None and team is not None:
            made = _make_folders(store, team, plan.adds, folders)
    _met_warnings(tf, result, plan, new_lines)
    _report(result, plan, choices, made=made)


def _worked_out(tf: Any) -> Callable[[Mapping[str, Any]], Mapping[str, Any]]:
    """The Met columns a stored case's dates give, for the diff (a blank cell against the
    log's worked-out value is no difference)."""
    from complaints_cli.domain.derived import met_worked_out

    return partial(met_worked_out, profile=tf.profile, calendar=tf.calendar)


def _fill_met(
    tf: Any, result: Any, plan: Any, fields: Sequence[str]
) -> tuple[list[str], list[str]]:
    """Each new case's Met columns the file leaves blank, worked out from its dates as the
    one write path works out a case logged by hand (README: they never go stale), written
    into its row; a typed one the dates contradict is kept, with a warning. Returns the
    warnings (one judgement per row serves both) and ``fields`` with the flags filled whose
    column the sheet lacks (so they are written; blank for the other new rows). A case
    already in the log keeps its Met columns as the import always left them."""
    from complaints_cli.domain.derived import new_row_met

    judge = new_row_met(tf.profile, tf.calendar)  # read once, not for each of 100k rows
    filled: set[str] = set()
    lines: list[str] = []
    for row in plan.adds:
        met, disagree = judge(row.values)
        if met:
            row.values.update(met)
            filled.update(met)
        if disagree:
            lines += [_met_line(result, row, *d) for d in disagree]
    missing = sorted(filled - set(fields))
    if missing:
        for row in plan.adds:
            for flag in missing:
                row.values.setdefault(flag, None)
    return lines, [*fields, *missing]


def _rejudge_met(tf: Any, plan: Any) -> None:
    """An update that changes a case's dates changes the Met columns its row left blank too
    (they are worked out from the dates, never left stale): added to its changes, so the
    report lists them and the history records them."""
    from complaints_cli.domain.derived import met_after_update
    from complaints_cli.domain.import_plan import FieldChange
    from complaints_cli.files.importer import FIELD_HEADERS

    for item in plan.updates:
        changed = {ch.field: ch.new for ch in item.changes}
        extra = met_after_update(item.existing, changed, item.row.values, tf.profile, tf.calendar)
        item.changes.extend(
            FieldChange(field, FIELD_HEADERS.get(field, field), old, new)
            for field, old, new in extra
        )
        made = {field for field, _old, _new in extra}
        item.kept[:] = [ch for ch in item.kept if ch.field not in made]  # no longer kept


def _met_warnings(tf: Any, result: Any, plan: Any, new_lines: Sequence[str]) -> None:
    """A Met column the file typed that the dates contradict is kept, with a warning: the
    new cases' (``new_lines``, from :func:`_fill_met`), then the updated ones'."""
    from complaints_cli.domain.derived import MET_FIELDS, met_disagreements

    # Updated cases as they will be: the log's values with the file's changes (only when a
    # Met column or a date it depends on changes).
    candidates: list[tuple[Any, Mapping[str, Any]]] = []
    for item in plan.updates:
        if item.changes:
            changed = {ch.field: ch.new for ch in item.changes}
            after = {**item.existing, **changed}
            for _column, flag, _note in MET_FIELDS:  # only what the file typed is "the file's"
                if item.row.values.get(flag) is None:
                    after[flag] = None
            candidates.append((item.row, after))
    lines = list(new_lines)
    profile, calendar = tf.profile, tf.calendar  # read once, not for each of 100k rows
    for row, values in candidates:
        for column, typed, judged in met_disagreements(values, profile, calendar):
            lines.append(_met_line(result, row, column, typed, judged))
    if lines:
        _err(f"complaints: warning: {len(lines)} Met column(s) disagree with the dates:")
        _list(lines)


def _met_line(result: Any, row: Any, column: str, typed: str, judged: str) -> str:
    return (
        f"{row.reference} (sheet {result.sheet!r}, row {row.row}) {column!r}: the file "
        f"says {typed}, the dates say {judged}; the file's {typed} is kept (complaints "
        "db recompute works every Met column out from the dates)"
    )


def _report(result: Any, plan: Any, choices: ImportChoices, *, made: int = 0) -> None:
    """What the import did (or would do): the differences on stderr, the counts on stdout."""
    from complaints_cli.domain.import_plan import describe_update

    name = result.path.name
    sheet = result.sheet
    dry_run = choices.dry_run
    if plan.conflicts:
        _list_conflicts(result, plan)
        _err("  (not written: use --update to apply the file's values)")
    if plan.blanks:
        _err(f"{len(plan.blanks)} case(s) in {name} have blank cells where the log has values:")
        _list([line for item in plan.blanks for line in describe_update(sheet, item)])
    if plan.updates:
        verb = "would be updated" if dry_run else "were updated"
        _err(f"{len(plan.updates)} case(s) in {name} {verb}:")
        _list([line for item in plan.updates for line in describe_update(sheet, item)])
    if plan.held:
        _err(f"{len(plan.held)} case(s) in {name} were held back:")
        _list([line for item in plan.held for line in describe_update(sheet, item)])
    for row, old, new in plan.renumbered:
        would = "would be added" if dry_run else "added"
        _err(
            f"{old} (sheet {sheet!r}, row {row}) is another complaint than the log's {old}: "
            f"{would} as {new} (rename its folder, if it has one, to end in {new})"
        )
    rejected_file = None
    if result.rejected and choices.skip_invalid and not dry_run:
        rejected_file = _write_rejected(result)
    counts = (
        f"{len(plan.adds)} added, {len(plan.updates)} updated, {len(plan.unchanged)} unchanged, "
        f"{len(plan.conflicts)} conflicting, {len(result.rejected)} rejected"
    )
    if plan.renumbered:
        counts += f", {len(plan.renumbered)} renumbered"
    if plan.held:
        counts += f", {len(plan.held)} held back"
    where = f"{name} (sheet {sheet!r})"
    if dry_run:
        typer.echo(f"Dry run of {where}: would be {counts}; nothing was written")
        return
    tail = f"; rejected rows saved to {rejected_file}" if rejected_file else ""
    folders_made = f"; {made} folder(s) made" if made else ""
    typer.echo(f"Imported {where}: {counts}{folders_made}{tail}")


#: Folders made between two records of their names (each record is one short transaction).
FOLDER_BATCH = 200


def _make_folders(store: Any, team: Any, adds: list[Any], folders: dict[str, str]) -> int:
    """Make the folders of the imported cases that have none, after the import committed and
    outside any write lock, each claimed by its marker; record their names a batch at a time,
    so a kill leaves every folder made either recorded or for ``folders --check --fix``. A
    case whose reference already ends a folder's name is left to ``folders --adopt`` (never
    reused by name); a folder that cannot be made is a warning."""
    from complaints_cli.files.folders import check_root, make_case_folder
    from complaints_cli.store.folders import folder_cases

    already = [row.reference for row in adds if row.reference.upper() in folders]
    if already:
        _err(
            f"complaints: warning: {len(already)} imported case(s) already have a folder under "
            "the root that no marker claims (first: "
            f"{folders[already[0].upper()]!r}): none was made for them; check and claim them "
            "with complaints folders --adopt"
        )
    refs = [row.reference for row in adds if row.reference.upper() not in folders]
    if not refs:
        return 0
    check_root(team.path, refs[0])
    wanted = folder_cases(store.db, team.log_id, refs)
    made = 0
    problems: list[str] = []
    with _progress("Making folders", len(wanted)) as advance:
        for start in range(0, len(wanted), FOLDER_BATCH):
            names: dict[str, str] = {}
            for case in wanted[start : start + FOLDER_BATCH]:
                try:
                    path, created, _notes = make_case_folder(team.path, case.address, case.claim)
                except ComplaintsError as exc:
                    problems.append(f"{case.reference}: {exc}")
                    continue
                names[case.reference] = path.name
                made += created
            store.set_folders(names)
            if advance is not None:
                advance(len(wanted[start : start + FOLDER_BATCH]))
    for problem in problems[:MAX_LISTED]:
        _err(f"complaints: warning: no folder made for {problem}")
    return made


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
    from complaints_cli.store import reads

    suffix = file.suffix.lower()
    if fmt is None and suffix not in (".xlsx", ".csv", ".xls", ".ods", ".xlsm"):
        # A typo in the extension (.xslx) would be a workbook Excel does not open from
        # Explorer: the name is the user's choice only with --format.
        raise ComplaintsError(
            f"{file.name!r} does not end in .xlsx or .csv: name the file {file.stem}.xlsx, "
            "or give --format xlsx to write a workbook under this name"
        )
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
    overdue = None
    if fmt == "xlsx":
        tf = Timeframes(cfg=cfg)
        overdue = overdue_check(tf.profile, tf.calendar, tf.today)
    with open_raw(cfg) as db:
        # The export is the record: void cases go in (status Void), so a log made from it
        # never gives their references to new cases.
        total = reads.count_cases(db, status=status, stage=stage, void=True)
        with _progress("Exporting", total) as advance:
            result = export_log(
                reads.iter_cases(db, status=status, stage=stage, void=True),
                file,
                fmt=fmt,
                force=force,
                extra_keys=reads.extra_keys(db, status=status, stage=stage, void=True),
                actions=reads.actions_by_case(db),
                related=reads.related_references(db),
                duplicates=reads.duplicate_references(db),
                signatories=reads.signatories_by_case(db),
                overdue=overdue,
                progress=advance,
                include_sensitive=include_sensitive,
            )
    for line in result.warnings:
        _err(f"warning: {line}")
    if result.saved.locked:
        _err(f"warning: {result.saved.left_unchanged(file, 'export')}")
    late = f", {result.overdue} overdue highlighted" if result.overdue else ""
    typer.echo(
        f"Exported {result.rows} case(s) to {result.saved.path} "
        f"({fmt}, {result.columns} columns{late})"
    )


app = new_app()


@app.command("import")
def import_cmd(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="The workbook: .xlsx, .xls or .ods.")],
    sheet: Annotated[str | None, typer.Option("--sheet", help="The sheet holding the log.")] = None,
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
    create: CreateOpt = False,
    renumber_clashes: Annotated[
        bool,
        typer.Option(
            "--renumber-clashes",
            help="Give a row whose reference is another complaint's in the log the next free "
            "reference, instead of refusing the import.",
        ),
    ] = False,
    allow_rollback: Annotated[
        bool,
        typer.Option(
            "--allow-rollback",
            help="With --update: let blank cells empty the log's values and cases move back "
            "(an earlier stage, Closed to Open).",
        ),
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
    choices = ImportChoices(
        sheet=sheet,
        dry_run=dry_run,
        update=update,
        skip_invalid=skip_invalid,
        create_folders=create_folders,
        create=create,
        renumber_clashes=renumber_clashes,
        allow_rollback=allow_rollback,
    )
    if allow_rollback and not update:
        raise ComplaintsError("--allow-rollback only applies with --update")
    _import(ctx, file, choices)


@app.command("export")
def export_cmd(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="The file to write: .xlsx or .csv.")],
    status: Annotated[
        str | None,
        typer.Option(help="Only this status: Open, Closed, 'Not accepted', Withdrawn or Void."),
    ] = None,
    stage: Annotated[
        str | None, typer.Option(help="Only this stage: 'Stage 1', 'Stage 2' or Ombudsman.")
    ] = None,
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format", "-f", help="xlsx or csv [default: from the file name, .xlsx or .csv]."
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace the file if it exists.")] = False,
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
