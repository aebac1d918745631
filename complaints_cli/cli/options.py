"""What every command shares: settings, opening the log, formats, today's date."""

from __future__ import annotations

import os
from datetime import date
from typing import Annotated, Any

import typer

from complaints_cli.errors import ComplaintsError

FormatOpt = Annotated[
    str, typer.Option("--format", "-f", help="Output: table, json or csv.", metavar="FORMAT")
]

ExpectVersionOpt = Annotated[
    int | None,
    typer.Option(
        "--expect-version",
        metavar="N",
        min=1,
        help="Refuse the change if the case is no longer at version N (as `complaints show` "
        "printed it): another handler's change is never overwritten unseen.",
    ),
]


def check_format(fmt: str, allowed: tuple[str, ...] = ("table", "json", "csv")) -> str:
    value = fmt.lower()
    if value not in allowed:
        raise ComplaintsError(f"format {fmt!r} is not one of: {', '.join(allowed)}")
    return value


def settings(ctx: typer.Context) -> Any:
    """The settings in force for this run (flags from the root command's options)."""
    from complaints_cli.config import resolve

    flags = ctx.find_root().obj or {}
    return resolve(flags)


def today() -> date:
    """Today, or ``COMPLAINTS_TODAY`` (yyyy-mm-dd) for demos and tests."""
    fixed = os.environ.get("COMPLAINTS_TODAY")
    if fixed:
        from complaints_cli.domain.dates import parse_date

        return parse_date(fixed, what="COMPLAINTS_TODAY")
    return date.today()


def open_raw(cfg: Any) -> Any:
    """The log for reading, through the raw driver (fast start)."""
    from complaints_cli.store.db import RawDatabase

    return RawDatabase(cfg.db_url, default_location=cfg.db.source == "default")


def open_store(cfg: Any) -> Any:
    """The log for writing (SQLAlchemy; ~0.3 s of imports)."""
    from complaints_cli.config import sqlite_path
    from complaints_cli.store.maintenance import network_location
    from complaints_cli.store.writes import Store

    path = sqlite_path(cfg.db_url)
    where = network_location(path) if path is not None else None
    if where:
        typer.echo(
            f"complaints: warning: the log {path} is on a network share ({where}); SQLite is not "
            "safe for several machines writing over a share: move the team to PostgreSQL "
            "(README, 'Working as a team')",
            err=True,
        )
    return Store(cfg.db_url, default_location=cfg.db.source == "default")
