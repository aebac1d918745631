"""Keeping a database's schema at the version this code expects.

Every command that opens a database calls :func:`ensure_current`. The common case (already at
head) costs one small query on the raw driver; only a new or older database imports Alembic and
runs the migrations in ``complaints_cli/store/migrations`` (shipped inside the package).
A database made by a newer version of the tool is refused rather than damaged.

Revision ids are zero-padded numbers (``0001``, ``0002``, ...) so "newer than head" is a
string comparison.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from complaints_cli.errors import ComplaintsError

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection, Engine

#: The newest migration in ``migrations/versions``; a test checks it is Alembic's only head.
SCHEMA_HEAD = "0009"


def migrations_dir() -> Path:
    """The migrations folder, beside this module (in a checkout and in the wheel alike)."""
    candidate = Path(__file__).resolve().parent / "migrations"
    if (candidate / "env.py").is_file():
        return candidate
    raise ComplaintsError("the database migrations are missing from this installation")


def alembic_config(connection: Connection | None = None, url: str | None = None) -> Any:
    """An Alembic ``Config`` built in code (no alembic.ini needed)."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(migrations_dir()))
    if url:
        cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def check_version(found: str | None) -> bool:
    """True when ``found`` is head; False when it needs upgrading; an error when it is newer."""
    if found == SCHEMA_HEAD:
        return True
    if found is not None and found > SCHEMA_HEAD:
        raise ComplaintsError(
            f"this log was written by a newer version of complaints (schema {found}; this "
            f"version knows up to {SCHEMA_HEAD}): upgrade complaints before using it"
        )
    return False


def upgrade(engine: Engine) -> None:
    """Bring the database to head, in one transaction, under the database's write lock.

    On SQLite, Alembic's batch mode rebuilds a table to alter it (copy, DROP, rename); with
    foreign keys enforced, dropping ``complaint`` fails as soon as ``history`` or ``action``
    rows point at it. So, as SQLite's own procedure for schema changes says, enforcement is
    off for the migration (it can only change outside a transaction) and every foreign key is
    checked before the commit: a problem rolls the whole upgrade back.
    """
    from alembic import command

    with engine.connect() as conn:
        sqlite = conn.dialect.name == "sqlite"
        if sqlite:
            conn.connection.dbapi_connection.execute("PRAGMA foreign_keys = OFF")  # type: ignore[union-attr]
        with conn.begin():
            command.upgrade(alembic_config(conn), "head")
            if sqlite:
                broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if broken:
                    raise ComplaintsError(
                        f"upgrading the log's schema would leave {len(broken)} broken link(s) "
                        f"between tables (first: {tuple(broken[0])}); nothing was changed"
                    )
        if sqlite:  # the connection goes back to the pool: enforce foreign keys again
            conn.connection.dbapi_connection.execute("PRAGMA foreign_keys = ON")  # type: ignore[union-attr]


def current_version(engine: Engine) -> str | None:
    from sqlalchemy import inspect, text

    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def main() -> None:
    """``python -m complaints_cli.store.schema revision -m MSG``: Alembic for developers."""
    import sys

    from alembic.config import CommandLine

    cli = CommandLine(prog="python -m complaints_cli.store.schema")
    options = cli.parser.parse_args(sys.argv[1:])
    cfg = alembic_config(url="sqlite:///" + str(Path.cwd() / "dev.db"))
    cfg.cmd_opts = options
    cli.run_cmd(cfg, options)


if __name__ == "__main__":
    main()
