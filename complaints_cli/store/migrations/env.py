"""Alembic environment for the complaints store.

The Config is built in code by :func:`complaints_cli.store.schema.alembic_config`, which passes the
open connection in ``config.attributes["connection"]`` so that migrations run on the same
connection (and under the same lock) as the command that opened the database.
"""

from __future__ import annotations

from typing import Any

from alembic import context
from sqlalchemy import create_engine, text

config = context.config


def _target_metadata() -> Any:
    # Only autogenerate needs the models; plain upgrades stay cheap.
    if context.is_offline_mode() or not config.cmd_opts:
        return None
    from sqlmodel import SQLModel

    import complaints_cli.store.models  # noqa: F401

    return SQLModel.metadata


def run_migrations_offline() -> None:
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        literal_binds=True,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def _run(connection: Any) -> None:
    context.configure(
        connection=connection,
        target_metadata=_target_metadata(),
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        if connection.dialect.name == "postgresql":
            # Two processes opening a new server database at once: one migrates, one waits.
            connection.execute(text("SELECT pg_advisory_xact_lock(7467001)"))
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = create_engine(config.get_main_option("sqlalchemy.url") or "")
    with engine.connect() as conn:
        _run(conn)
        conn.commit()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
