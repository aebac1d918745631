"""Moving a log to another database (``complaints db copy --to URL``), history included.

The usual move is a team's SQLite file to a PostgreSQL server. The copy is generic: it reflects
the migrated schema and copies every table column by column, so a table a later migration adds
is copied too without this module knowing its name. It is all or nothing:

- the target must be empty (a merge would mix two logs' references) and must not be the source;
- it is brought to the same schema head first, then every row is written in ONE transaction,
  ids preserved, so the references, history and actions keep pointing at each other;
- before that transaction commits, each table's row count and a checksum of every row's values
  are compared with the source; any difference rolls the whole copy back;
- PostgreSQL's id sequences are moved past the copied ids, so new cases and history entries
  continue after them (and ``log`` continues the reference numbering from the copied counter).

While the copy runs, the source is held still: on SQLite its write lock is taken, so a handler
saving meanwhile waits (or is told the log is busy) rather than saving into the old log.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from complaints_cli.config import sqlite_path
from complaints_cli.errors import ComplaintsError
from complaints_cli.store.db import RawDatabase, make_engine, translate_db_error
from complaints_cli.store.tables import CASE_TABLE, data_tables, reflect

if TYPE_CHECKING:
    from sqlalchemy import MetaData, Table
    from sqlalchemy.engine import Connection

#: Rows read and written at a time: memory stays flat on a 100k-case log.
BATCH = 2000


@dataclass(frozen=True)
class TableCopy:
    """One table's result: rows copied and the checksum both sides agree on."""

    name: str
    rows: int
    checksum: str


@dataclass(frozen=True)
class CopyReport:
    tables: list[TableCopy]

    @property
    def cases(self) -> int:
        return next((t.rows for t in self.tables if t.name == CASE_TABLE), 0)


def same_database(a: str, b: str) -> bool:
    """Whether two URLs name one database (one file, or one server's database)."""
    pa, pb = sqlite_path(a), sqlite_path(b)
    if pa is not None or pb is not None:
        if pa is None or pb is None:
            return False
        if pa.exists() and pb.exists():
            return os.path.samefile(pa, pb)
        return pa.resolve() == pb.resolve()
    from sqlalchemy.engine import make_url

    ua, ub = make_url(a), make_url(b)
    local = {"localhost", "127.0.0.1", "::1", None, ""}

    def host(h: str | None) -> str | None:
        return "localhost" if h in local else h

    return (host(ua.host), ua.port or 5432, ua.database) == (
        host(ub.host),
        ub.port or 5432,
        ub.database,
    )


# --- canonical values: the same checksum whichever backend holds the row ------------------------
def canonical(value: Any) -> Any:
    """A value as JSON the same way on SQLite and PostgreSQL (timestamps are UTC)."""
    if isinstance(value, datetime):
        aware = value if value.tzinfo else value.replace(tzinfo=UTC)
        return aware.astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value.normalize()) if value == value.to_integral() else str(value)
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value).hex()
    return value


def _key(table: Table) -> list[Any]:
    primary = list(table.primary_key.columns)
    return primary or list(table.columns)


def _rows(conn: Connection, table: Table) -> Iterator[dict[str, Any]]:
    from sqlalchemy import select

    result = conn.execution_options(stream_results=True).execute(
        select(table).order_by(*_key(table))
    )
    for row in result.mappings():
        yield dict(row)


def checksum(conn: Connection, table: Table) -> tuple[int, str]:
    """(rows, sha256 of every row's values, columns by name, rows by primary key)."""
    digest = hashlib.sha256()
    names = sorted(c.name for c in table.columns)
    count = 0
    for row in _rows(conn, table):
        digest.update(
            json.dumps([canonical(row[n]) for n in names], ensure_ascii=False).encode("utf-8")
        )
        digest.update(b"\n")
        count += 1
    return count, digest.hexdigest()


# --- the copy ----------------------------------------------------------------------------------
def _check_target_empty(url: str) -> None:
    """Refuse a target that holds any row (looked at before it is touched)."""
    from sqlalchemy import func, select

    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            metadata = reflect(conn)
            filled = []
            for table in data_tables(metadata):
                count = conn.execute(select(func.count()).select_from(table)).scalar_one()
                if count:
                    filled.append(f"{table.name} ({count} row(s))")
    except ComplaintsError:
        raise
    except Exception as exc:
        translate_db_error(exc)
        raise ComplaintsError(f"cannot read the target database: {_first_line(exc)}") from None
    finally:
        engine.dispose()
    if filled:
        raise ComplaintsError(
            f"the target database is not empty ({', '.join(filled)}): copy only into a new, "
            "empty database (PostgreSQL: createdb complaints_new; SQLite: a new file name)"
        )


def _first_line(exc: BaseException) -> str:
    text = str(getattr(exc, "orig", None) or exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _same_shape(source: MetaData, target: MetaData) -> None:
    """Both sides at one schema head have the same tables and columns; anything else stops."""
    for name, table in source.tables.items():
        other = target.tables.get(name)
        if other is None:
            raise ComplaintsError(f"the target has no table {name!r} after migrating: not copied")
        missing = {c.name for c in table.columns} - {c.name for c in other.columns}
        if missing:
            raise ComplaintsError(
                f"the target's table {name!r} lacks column(s) {', '.join(sorted(missing))}"
            )


def _self_links(table: Table) -> list[str]:
    """Columns of ``table`` that refer to the same table (written after all its rows exist)."""
    return [
        fk.parent.name
        for fk in table.foreign_keys
        if fk.parent is not None and fk.column.table.name == table.name
    ]


def _copy_table(source: Connection, target: Connection, src: Table, dst: Table) -> None:
    from sqlalchemy import DateTime, bindparam, update

    aware = {c.name for c in dst.columns if isinstance(c.type, DateTime) and c.type.timezone}
    later = _self_links(dst)
    pending: list[dict[str, Any]] = []
    batch: list[dict[str, Any]] = []

    def flush() -> None:
        if batch:
            target.execute(dst.insert(), batch)
            batch.clear()

    for row in _rows(source, src):
        for name in aware:  # SQLite hands UTC timestamps back without their offset
            value = row.get(name)
            if isinstance(value, datetime) and value.tzinfo is None:
                row[name] = value.replace(tzinfo=UTC)
        links = {name: row[name] for name in later if row.get(name) is not None}
        if links:
            pending.append({"_id": row["id"], **{f"_{k}": v for k, v in links.items()}})
            for name in links:
                row[name] = None
        batch.append(row)
        if len(batch) >= BATCH:
            flush()
    flush()
    for name in later:
        rows = [{"_id": p["_id"], f"_{name}": p[f"_{name}"]} for p in pending if f"_{name}" in p]
        if rows:
            stmt = (
                update(dst)
                .where(dst.c.id == bindparam("_id"))
                .values({name: bindparam(f"_{name}")})
            )
            target.execute(stmt, rows)


def _reset_sequences(target: Connection, tables: Sequence[Table]) -> None:
    """PostgreSQL: each id sequence continues after the highest copied id."""
    from sqlalchemy import text

    for table in tables:
        if "id" not in table.columns:
            continue
        sequence = target.execute(
            text("SELECT pg_get_serial_sequence(:t, 'id')"), {"t": table.name}
        ).scalar()
        if sequence:
            target.execute(
                text(
                    f'SELECT setval(:s, COALESCE((SELECT MAX(id) FROM "{table.name}"), 1), '
                    f'(SELECT MAX(id) FROM "{table.name}") IS NOT NULL)'
                ),
                {"s": sequence},
            )


@contextmanager
def _held_still(url: str) -> Iterator[Connection]:
    """A read of the whole source that no handler's save can change half-way."""
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            if engine.dialect.name == "postgresql":
                conn = conn.execution_options(isolation_level="REPEATABLE READ")
            with conn.begin():  # SQLite: BEGIN IMMEDIATE (make_engine) holds the write lock
                yield conn
    finally:
        engine.dispose()


def copy_log(source_url: str, target_url: str) -> CopyReport:
    """Copy every table of the log at ``source_url`` into the empty ``target_url``, verified."""
    if same_database(source_url, target_url):
        raise ComplaintsError("the target is the log itself: give a different database to copy to")
    target_file = sqlite_path(target_url)
    created_file = target_file is not None and not target_file.exists()
    RawDatabase(source_url).close()  # the source at head
    try:
        if not created_file:
            _check_target_empty(target_url)
        RawDatabase(target_url, create=True).close()  # the target at the same head, empty
        report = _copy(source_url, target_url)
    except BaseException:
        if created_file and target_file is not None:
            _remove_sqlite(target_file)
        raise
    return report


def _copy(source_url: str, target_url: str) -> CopyReport:
    engine = make_engine(target_url)
    try:
        with _held_still(source_url) as source, engine.connect() as target:
            src_meta = reflect(source)
            with target.begin():  # one transaction: all of it, or none of it
                dst_meta = reflect(target)
                _same_shape(src_meta, dst_meta)
                tables = data_tables(src_meta)
                for src in tables:
                    _copy_table(source, target, src, dst_meta.tables[src.name])
                if target.dialect.name == "postgresql":
                    _reset_sequences(target, [dst_meta.tables[t.name] for t in tables])
                report = _verify(source, target, tables, dst_meta)
            return report
    except ComplaintsError:
        raise
    except Exception as exc:
        translate_db_error(exc)
        raise ComplaintsError(
            f"the copy failed and nothing was kept in the target: {_first_line(exc)}"
        ) from None
    finally:
        engine.dispose()


def _verify(
    source: Connection, target: Connection, tables: Sequence[Table], dst_meta: MetaData
) -> CopyReport:
    """Row counts and checksums, source against target, inside the copy's transaction."""
    out: list[TableCopy] = []
    for src in tables:
        count, digest = checksum(source, src)
        copied, copied_digest = checksum(target, dst_meta.tables[src.name])
        if (count, digest) != (copied, copied_digest):
            raise ComplaintsError(
                f"verification failed for table {src.name!r} (source {count} row(s), copy "
                f"{copied}; checksums {'differ' if count == copied else 'not compared'}): "
                "nothing was kept in the target"
            )
        out.append(TableCopy(src.name, count, digest))
    return CopyReport(out)


def _remove_sqlite(path: Path) -> None:
    """A target file this copy created is removed again when the copy fails."""
    for leftover in (path, path.with_name(path.name + "-journal")):
        with suppress(OSError):
            leftover.unlink(missing_ok=True)
