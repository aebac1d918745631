"""The settings in force (``config``) and the database itself (``db path``, ``db upgrade``,
``db check``, ``db backup``, ``db copy``)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from complaints_cli.cli.options import (
    FormatOpt,
    check_format,
    log_exists,
    new_app,
    open_raw,
    settings,
)
from complaints_cli.errors import ComplaintsError

app = new_app()
db_app = new_app(
    name="db",
    help="Look after the database: where it is, and its schema.",
    no_args_is_help=True,
)


@app.command("config")
def config_cmd(ctx: typer.Context, fmt: FormatOpt = "table") -> None:
    """Show each setting in force and where it came from (flag, environment, file, default).

    Example: complaints config
    """
    from complaints_cli.domain.profiles import get_profile
    from complaints_cli.domain.timeframes import team_nation
    from complaints_cli.render.listing import output_rows

    fmt = check_format(fmt)
    cfg = settings(ctx)
    rows = cfg.rows()
    profile = get_profile(cfg.profile.value, cfg.profiles_file.value)
    nation, why = team_nation(cfg.nation.value, cfg.nation.source, profile)
    for row in rows:
        if row["setting"] == "nation" and cfg.nation.value is None:
            row["value"], row["source"] = nation, why
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
    from complaints_cli.config import hide_password

    return hide_password(url)


@db_app.command("init")
def db_init_cmd(
    ctx: typer.Context,
    path: Annotated[
        str | None,
        typer.Argument(
            help="Where: a file path, or a postgresql+psycopg:// URL [default: the db setting].",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Create a new, empty log (the only command that starts one at a path that has none).

    Every other command refuses a log that does not exist, so a mistyped path is an error, not
    a new empty log. A log already there is left as it is.

    Example: complaints db init "Y:/Complaints/complaints.db"
    """
    from complaints_cli.config import database_url, shown_location
    from complaints_cli.store.db import RawDatabase
    from complaints_cli.store.reads import count_cases

    cfg = settings(ctx)
    url = cfg.db_url if path is None else database_url(path)
    where = shown_location(url)
    existed = log_exists(url)
    with RawDatabase(url, create=True) as db:
        cases = count_cases(db)
    if existed and cases:
        typer.echo(f"The log {where} already exists ({cases} complaint(s)); nothing changed")
        return
    typer.echo(f"The log {where} is ready (empty)")
    if url != cfg.db_url:
        typer.echo(
            f'Point the team at it: set COMPLAINTS_DB={where} or db = "{where}" in '
            f"{cfg.config_file.value} (complaints config shows the settings in force)"
        )


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


@db_app.command("recompute")
def db_recompute_cmd(ctx: typer.Context) -> None:
    """Work out every case's Met columns and deadlines again, and say which cases changed.

    Run it after changing the team's profile, nation or office closures (or the profiles
    file): each case whose "Met ..." column changes gets a history entry.

    Example: complaints db recompute
    """
    from complaints_cli.cli.options import Timeframes, open_store
    from complaints_cli.domain.derived import MET_FIELDS

    tf = Timeframes(ctx)
    with open_store(tf.settings) as store:
        changed = store.recompute(tf.derive, actor=tf.settings.user.value)
    headers = {flag: column for column, flag, _note in MET_FIELDS}
    for reference, diff in changed:
        parts = [
            f"{headers.get(field, field)} {_yes_no(old)} -> {_yes_no(new)}"
            for field, (old, new) in diff.items()
        ]
        typer.echo(f"{reference}: {'; '.join(parts)}")
    typer.echo(
        f"Recomputed the log with profile {tf.profile.name} ({tf.nation}): "
        f"{len(changed)} case(s) changed"
    )


def _yes_no(value: object) -> str:
    if value is None:
        return "(blank)"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    return str(value)


@db_app.command("backup")
def db_backup_cmd(
    ctx: typer.Context,
    path: Annotated[Path, typer.Argument(help="Where to write the copy.")],
    force: Annotated[bool, typer.Option("--force", help="Replace an existing file.")] = False,
) -> None:
    """Take a consistent copy of the log while others keep working (SQLite's online backup).

    Example: complaints db backup "Y:/Backups/complaints-2026-11-23.db"
    """
    from complaints_cli.files.safe_save import save_through_path
    from complaints_cli.store.maintenance import backup_into, backup_target

    counted: list[int] = []
    with open_raw(settings(ctx)) as db:
        target = backup_target(db, path, force=force)
        saved = save_through_path(
            target, lambda tmp: counted.append(backup_into(db, tmp)), force=force
        )
    if saved.locked:
        typer.echo(f"complaints: warning: {saved.left_unchanged(target, 'backup')}", err=True)
    typer.echo(f"Backed up {counted[0]} case(s) to {saved.path}")


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
    from complaints_cli.config import database_url, hide_password
    from complaints_cli.store.transfer import copy_log

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
