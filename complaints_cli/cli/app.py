"""The ``complaints`` command: parse, call the core, print. Nothing else lives here.

Heavy modules (SQLAlchemy, openpyxl, Alembic, holidays) are imported inside the commands that
need them, so ``complaints --help`` and the read-only commands start fast. Every
:class:`~complaints_cli.errors.ComplaintsError` becomes one line on stderr and exit status 1,
in :class:`_Group` below, and nowhere else.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from complaints_cli import __version__
from complaints_cli.cli import case_files, excel, lifecycle, report, team
from complaints_cli.cli import process as process_commands
from complaints_cli.cli.lifecycle import Timeframes, next_lines
from complaints_cli.cli.options import (
    FormatOpt,
    check_format,
    open_raw,
    open_store,
    settings,
    today,
)
from complaints_cli.errors import ComplaintsError


class _Group(TyperGroup):
    """Turns a ComplaintsError raised anywhere below into one line on stderr and its exit code."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except ComplaintsError as exc:
            typer.echo(f"complaints: error: {exc}", err=True)
            raise typer.Exit(exc.exit_code) from None
        except KeyboardInterrupt:
            typer.echo("complaints: interrupted; nothing was saved", err=True)
            raise typer.Exit(130) from None


HELP = """Track housing complaints against the Housing Ombudsman's timeframes.

Replaces the Spruce Complaints Log workbook: log a complaint, see what is due, keep one folder
per complaint.

Example: complaints log --complainant "Ann Lee" --address "1 Essex Brewery" --handler "Sam Patel" --channel email
"""

app = typer.Typer(
    cls=_Group,
    help=HELP,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)
db_app = typer.Typer(
    cls=_Group,
    help="Look after the database: where it is, and its schema.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(db_app, name="db")


def _version(value: bool) -> None:
    if value:
        typer.echo(f"complaints {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    ctx: typer.Context,
    db: Annotated[
        str | None, typer.Option("--db", help="Database file or URL [env COMPLAINTS_DB].")
    ] = None,
    root: Annotated[
        Path | None, typer.Option("--root", help="Folder of case folders [env COMPLAINTS_ROOT].")
    ] = None,
    config: Annotated[
        Path | None,
        typer.Option("--config", help="Team config file (TOML) [env COMPLAINTS_CONFIG]."),
    ] = None,
    prefix: Annotated[
        str | None, typer.Option("--prefix", help="Reference prefix [env COMPLAINTS_PREFIX].")
    ] = None,
    actor: Annotated[
        str | None,
        typer.Option(
            "--as", help="Who is making the change (default: the OS user) [env COMPLAINTS_USER]."
        ),
    ] = None,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    ctx.obj = {
        "db": db,
        "root": str(root) if root else None,
        "config": str(config) if config else None,
        "prefix": prefix,
        "user": actor,
    }


# --------------------------------------------------------------------------------------------
# log


def _ask(
    name: str, value: str | None, *, no_input: bool, prompt: str, default: str | None = None
) -> str | None:
    if value is not None:
        return value
    if no_input:
        if default is not None:
            return default
        raise ComplaintsError(f"--{name} is required with --no-input")
    try:
        answer: str = typer.prompt(prompt, default=default, show_default=default is not None)
    except (EOFError, typer.Abort):
        raise ComplaintsError(
            f"--{name} is required (no answer could be read; give it as an option)"
        ) from None
    return answer


@app.command("log")
def log_cmd(
    ctx: typer.Context,
    complainant: Annotated[
        str | None, typer.Option(help="Who is complaining (one or more names).")
    ] = None,
    address: Annotated[
        str | None, typer.Option(help="The property's address; names the case folder.")
    ] = None,
    received: Annotated[
        str | None, typer.Option(help="Date received: dd/mm/yyyy or yyyy-mm-dd [default: today].")
    ] = None,
    handler: Annotated[str | None, typer.Option(help="Who handles Stage 1.")] = None,
    channel: Annotated[
        str | None,
        typer.Option(
            help="How it came in: email, phone, letter, in person, website, social media."
        ),
    ] = None,
    summary: Annotated[
        str | None, typer.Option(help="What the complaint is about (optional).")
    ] = None,
    kind: Annotated[
        str | None,
        typer.Option(
            help="complaint (default), dissatisfaction (a service dissatisfaction, informal) "
            "or petition (the complainant is the lead petitioner)."
        ),
    ] = None,
    events_date: Annotated[
        str | None,
        typer.Option(
            "--events-date", help="When the events complained of happened (policy time limit)."
        ),
    ] = None,
    related_to: Annotated[
        str | None,
        typer.Option(
            "--related-to", help="The case this new issue was raised in (Code 6.8).", metavar="REF"
        ),
    ] = None,
    no_input: Annotated[
        bool, typer.Option("--no-input", help="Never prompt; a missing value is an error.")
    ] = False,
    fmt: FormatOpt = "table",
) -> None:
    """Log a new complaint: give it the next reference and make its folder.

    Required values not given as options are asked for, unless --no-input. The date received
    defaults to today.

    Example: complaints log --complainant "Ann Lee" --address "1 Essex Brewery" --received 03/02/2025 --handler "Sam Patel" --channel email
    """
    from complaints_cli.domain.intake import new_complaint
    from complaints_cli.domain.process import checks_on_log, parse_kind
    from complaints_cli.domain.references import format_reference
    from complaints_cli.domain.vocabulary import CaseKind
    from complaints_cli.files.folders import check_root, planned_name

    fmt = check_format(fmt, ("table", "json"))
    cfg = settings(ctx)
    day = today()
    case_kind = parse_kind(kind)
    # Every answer is gathered before the database is touched: no lock is held while typing.
    complainant = _ask("complainant", complainant, no_input=no_input, prompt="Complainant")
    address = _ask("address", address, no_input=no_input, prompt="Address")
    handler = _ask("handler", handler, no_input=no_input, prompt="Handler")
    channel = _ask(
        "channel",
        channel,
        no_input=no_input,
        prompt="Channel (email, phone, letter, in person, website, social media)",
    )
    new = new_complaint(
        complainant=complainant,
        address=address,
        received=received,
        handler=handler,
        channel=channel,
        summary=summary,
        today=day,
        kind=case_kind,
        events_date=events_date,
        related_to=related_to,
    )
    tf = Timeframes(ctx)
    warnings = checks_on_log(new, tf.profile)
    root = cfg.root_path
    # Before anything is written: a root that cannot hold case folders is refused.
    check_root(root, format_reference(cfg.prefix.value, 1))
    with open_store(cfg) as store:
        logged = store.log(
            new,
            prefix=cfg.prefix.value,
            actor=cfg.user.value,
            folder=lambda reference: planned_name(root, new.address, reference),
            deadlines=tf.deadlines,
        )
        # The folder is made after the log's write lock is released (a network share can be
        # slow); a crash in between leaves a case without its folder, which
        # `complaints folders --check` reports.
        folder, created = _case_folder(store, root, logged.case)
    for warning in warnings:
        typer.echo(f"complaints: warning: {warning}", err=True)
    case = logged.case
    if fmt == "json":
        import json

        from complaints_cli.domain.deadlines import CaseDates, next_milestones

        upcoming = next_milestones(CaseDates.of(case), tf.profile, tf.calendar, as_of=day)
        deadlines = [
            {"key": m.key, "milestone": m.label, "due": m.deadline.isoformat()} for m in upcoming
        ]
        typer.echo(
            json.dumps(
                {
                    "reference": logged.reference,
                    "folder": str(folder),
                    "folder_created": created,
                    "deadlines": deadlines,
                },
                ensure_ascii=False,
            )
        )
        return
    what = "" if new.kind is CaseKind.COMPLAINT else f"{new.kind}, "
    typer.echo(
        f"Logged {logged.reference}: {new.complainant}, {new.address} ({what}{case.stage}, Open)"
    )
    note = "" if created else " (existing folder reused)"
    typer.echo(f"Folder: {folder}{note}")
    for line in next_lines(case, tf, day):
        typer.echo(line)


def _case_folder(store: Any, root: Path, case: Any) -> tuple[Path, bool]:
    """Make (or find) a newly logged case's folder; record its name if it is not the one
    planned. A folder that cannot be made is a warning: the case is already logged."""
    from complaints_cli.files.folders import make_case_folder

    try:
        folder, created = make_case_folder(root, case.address, case.reference)
    except ComplaintsError as exc:
        typer.echo(
            f"complaints: warning: {case.reference} is logged, but its folder could not be "
            f"made ({exc}); make {case.folder!r} under {str(root)!r} by hand",
            err=True,
        )
        return root / str(case.folder), False
    if folder.name != case.folder:
        store.set_folder(case.reference, folder.name)
    return folder, created


# --------------------------------------------------------------------------------------------
# show / list


@app.command("show")
def show_cmd(
    ctx: typer.Context,
    reference: Annotated[str, typer.Argument(help="The complaint reference, e.g. SPRUCE001.")],
    fmt: FormatOpt = "table",
) -> None:
    """Show every column of one complaint, its folder and its history.

    Example: complaints show SPRUCE001
    """
    from complaints_cli.render import case_view
    from complaints_cli.store import reads

    fmt = check_format(fmt, ("table", "json"))
    tf = Timeframes(ctx)
    with open_raw(tf.settings) as db:
        case = reads.get_case(db, reference)
        assert case.id is not None
        entries = reads.history(db, case.id)
        actions = reads.actions(db, case.id)
        more = {**reads.related(db, case), "signatories": reads.signatories(db, case.id)}
    from complaints_cli.domain.deadlines import compute_milestones

    milestones = compute_milestones(case, tf.profile, tf.calendar, as_of=tf.today)
    case_view.show_case(case, entries, actions, milestones, tf.settings.root_path, fmt, more)


@app.command("list")
def list_cmd(
    ctx: typer.Context,
    status: Annotated[
        str | None, typer.Option(help="Only this status: Open, Closed or 'Not accepted'.")
    ] = None,
    stage: Annotated[
        str | None,
        typer.Option(help="Only this stage: Informal, 'Stage 1', 'Stage 2' or Ombudsman."),
    ] = None,
    handler: Annotated[
        str | None, typer.Option(help="Only cases this person handles (Stage 1 or 2).")
    ] = None,
    search: Annotated[
        str | None,
        typer.Option("--search", "-s", help="Free text in reference, names, address, summaries."),
    ] = None,
    fmt: FormatOpt = "table",
) -> None:
    """List the log, oldest first, with optional filters.

    Example: complaints list --status Open --stage "Stage 2" --format csv
    """
    from complaints_cli.render import case_view
    from complaints_cli.store import reads

    fmt = check_format(fmt)
    cfg = settings(ctx)
    with open_raw(cfg) as db:
        cases = reads.list_cases(db, status=status, stage=stage, handler=handler, text=search)
    case_view.list_cases(cases, fmt)


# --------------------------------------------------------------------------------------------
# config and db


@app.command("config")
def config_cmd(ctx: typer.Context, fmt: FormatOpt = "table") -> None:
    """Show each setting in force and where it came from (flag, environment, file, default).

    Example: complaints config
    """
    from complaints_cli.render.listing import output_rows

    fmt = check_format(fmt)
    rows = settings(ctx).rows()
    output_rows(rows, ["setting", "value", "source"], fmt)


@db_app.command("path")
def db_path_cmd(ctx: typer.Context) -> None:
    """Print where the log is stored (file path or URL, password hidden).

    Example: complaints db path
    """
    cfg = settings(ctx)
    from complaints_cli.config import sqlite_path

    path = sqlite_path(cfg.db_url)
    typer.echo(str(path) if path else _hide_password(cfg.db_url))


def _hide_password(url: str) -> str:
    from complaints_cli.store.transfer import hide_password

    return hide_password(url)


@db_app.command("upgrade")
def db_upgrade_cmd(ctx: typer.Context) -> None:
    """Bring the database's schema up to date (also done automatically on open).

    Example: complaints db upgrade
    """
    from complaints_cli.store.schema import SCHEMA_HEAD

    cfg = settings(ctx)
    open_raw(cfg).close()
    typer.echo(f"Database is at schema {SCHEMA_HEAD}: {_hide_password(cfg.db.value)}")


@db_app.command("check")
def db_check_cmd(ctx: typer.Context) -> None:
    """Check the database's integrity (exit status 1 when a problem is found).

    Example: complaints db check
    """
    from complaints_cli.store.maintenance import integrity_problems
    from complaints_cli.store.reads import count_cases

    with open_raw(settings(ctx)) as db:
        problems = integrity_problems(db)
        cases = count_cases(db)
    if problems:
        for problem in problems:
            typer.echo(f"problem: {problem}", err=True)
        raise ComplaintsError(
            f"the database has {len(problems)} problem(s): restore a backup (complaints db backup)"
        )
    typer.echo(f"Database OK: {cases} case(s), integrity check passed")


@db_app.command("backup")
def db_backup_cmd(
    ctx: typer.Context,
    path: Annotated[Path, typer.Argument(help="Where to write the copy.")],
    force: Annotated[bool, typer.Option("--force", help="Replace an existing file.")] = False,
) -> None:
    """Take a consistent copy of the log while others keep working (SQLite's online backup).

    Example: complaints db backup "Y:/Backups/complaints-2026-11-23.db"
    """
    from complaints_cli.store.maintenance import backup

    with open_raw(settings(ctx)) as db:
        cases = backup(db, path, force=force)
    typer.echo(f"Backed up {cases} case(s) to {path}")


@db_app.command("copy")
def db_copy_cmd(
    ctx: typer.Context,
    to: Annotated[
        str,
        typer.Option(
            "--to",
            help="The empty database to copy into: postgresql+psycopg://user@server/db or a file.",
        ),
    ],
) -> None:
    """Copy the whole log, history included, into an empty database, and verify the copy.

    One transaction on the target: a failure leaves nothing there. Every table's row count and
    a checksum of every row are compared with the log before the copy is kept. Then point the
    team at the new database (db = "..." in the team config file).

    Example: complaints db copy --to postgresql+psycopg://complaints@dbserver/complaints
    """
    from complaints_cli.config import database_url
    from complaints_cli.store.transfer import copy_log, hide_password

    cfg = settings(ctx)
    target = database_url(to)
    report = copy_log(cfg.db_url, target)
    shown = hide_password(target)
    typer.echo(f"Copied the log to {shown}")
    width = max(len(t.name) for t in report.tables)
    for t in report.tables:
        typer.echo(f"  {t.name:<{width}}  {t.rows:>7} row(s)  checksum {t.checksum[:12]} matches")
    typer.echo(
        f"Verified: {len(report.tables)} table(s), {report.cases} case(s); row counts and "
        "checksums match the log."
    )
    typer.echo("Next: point every handler at it (--db, COMPLAINTS_DB, or db in the team config).")


@app.command("history")
def history_cmd(
    ctx: typer.Context,
    reference: Annotated[str, typer.Argument(help="The complaint reference.")],
    fmt: FormatOpt = "table",
) -> None:
    """Show a case's history: when (UTC), who, which command, each field from what to what.

    The history is append-only: the tool offers no way to edit it.

    Example: complaints history SPRUCE001
    """
    from complaints_cli.render.listing import output_rows
    from complaints_cli.store import reads

    fmt = check_format(fmt)
    with open_raw(settings(ctx)) as db:
        case = reads.get_case(db, reference)
        assert case.id is not None
        entries = reads.history(db, case.id)
    rows = [
        {
            **e,
            "changes": e["changes"]
            if fmt == "json"
            else "; ".join(
                f"{k}: {_short(o)} -> {_short(n)}" for k, (o, n) in e["changes"].items()
            ),
        }
        for e in entries
    ]

    def text(column: str, value: Any) -> str:
        if column == "at":
            return value.strftime("%d/%m/%Y %H:%M:%S")
        return "" if value is None else str(value)

    output_rows(
        rows,
        ("at", "actor", "command", "changes", "note"),
        fmt,
        text=text,
        headers={
            "at": "When (UTC)",
            "actor": "Who",
            "command": "Command",
            "changes": "Changes",
            "note": "Note",
        },
        no_wrap=("at",),
    )


def _short(value: Any) -> str:
    return "(blank)" if value in (None, "") else str(value)


# Command groups in their own modules (each light to import; heavy imports inside commands).
lifecycle.register(app)
excel.register(app)
team.register(app)
case_files.register(app)
process_commands.register(app)
report.register(app)


def main() -> None:
    """Console-script entry point."""
    if sys.platform == "win32":  # pragma: no cover - Windows consoles
        for stream in (sys.stdout, sys.stderr):
            reconfigure = getattr(stream, "reconfigure", None)
            if reconfigure:
                reconfigure(errors="replace")
    app(prog_name="complaints")
