"""The log's tables as the migrations made them, read from the database itself.

Copying a log, purging a case and gathering a subject-access request must each cover every
table, including tables a later migration adds. Naming tables and columns in code would silently
miss a new one, so these helpers reflect the migrated schema instead: the tables in dependency
order, and every table (or column) that points at a case.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlalchemy import Column, MetaData, Table
    from sqlalchemy.engine import Connection, Engine

#: Alembic's own bookkeeping: the schema version, never data.
VERSION_TABLE = "alembic_version"
CASE_TABLE = "complaint"
#: Tables the store works out from the cases (``open_milestone``: each open case's deadlines):
#: copied and purged with their cases, but no record of their own (a subject-access request
#: reports the cases themselves).
DERIVED_TABLES = frozenset({"open_milestone"})


def reflect(bind: Engine | Connection) -> MetaData:
    """Every table of the log (without Alembic's version table), as the database has it."""
    from sqlalchemy import MetaData

    metadata = MetaData()
    metadata.reflect(bind=bind)
    if VERSION_TABLE in metadata.tables:
        metadata.remove(metadata.tables[VERSION_TABLE])
    return metadata


def data_tables(metadata: MetaData) -> list[Table]:
    """The tables in an order where each comes after the tables it refers to."""
    return list(metadata.sorted_tables)


@dataclass(frozen=True)
class CaseLink:
    """A column that holds a case's id: ``signatory.complaint_id``, ``complaint.related_to_id``."""

    table: Table
    column: Column[Any]

    @property
    def is_self(self) -> bool:
        """A case pointing at another case (the link is cleared, the case is not removed)."""
        return bool(self.table.name == CASE_TABLE)


def case_links(metadata: MetaData) -> list[CaseLink]:
    """Every column in the log that refers to ``complaint.id``, in dependency order."""
    links: list[CaseLink] = []
    for table in data_tables(metadata):
        for fk in table.foreign_keys:
            if fk.column.table.name == CASE_TABLE and fk.parent is not None:
                links.append(CaseLink(table, fk.parent))
    return links


def text_columns(table: Table, skip: Iterable[str] = ()) -> list[str]:
    """The names of a table's text columns (where a person's name could be written)."""
    from sqlalchemy import String

    skipped = set(skip)
    return [c.name for c in table.columns if isinstance(c.type, String) and c.name not in skipped]


# --- the same, through the raw driver (for read-only commands that must not take a lock) -------
def raw_tables(db: Any) -> list[str]:
    """The log's table names through a :class:`~complaints_cli.store.db.RawDatabase` (the
    tables it records in: :data:`DERIVED_TABLES` left out)."""
    if db.dialect == "sqlite":
        names = db.column(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "ORDER BY name"
        )
    else:
        names = db.column(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = "
            "current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name"
        )
    return [str(n) for n in names if n != VERSION_TABLE and n not in DERIVED_TABLES]


def raw_case_links(db: Any) -> dict[str, list[str]]:
    """``{table: [columns that hold a case's id]}`` for every table but the cases' own (and
    :data:`DERIVED_TABLES`)."""
    links: dict[str, list[str]] = {}
    if db.dialect == "sqlite":
        for table in raw_tables(db):
            for row in db.execute(f'PRAGMA foreign_key_list("{table}")').fetchall():
                if row[2] == CASE_TABLE and table != CASE_TABLE:
                    links.setdefault(table, []).append(str(row[3]))
        return links
    rows = db.rows(
        "SELECT kcu.table_name AS t, kcu.column_name AS c FROM "
        "information_schema.table_constraints tc JOIN information_schema.key_column_usage kcu "
        "ON tc.constraint_name = kcu.constraint_name AND tc.table_schema = kcu.table_schema "
        "JOIN information_schema.constraint_column_usage ccu "
        "ON tc.constraint_name = ccu.constraint_name AND tc.table_schema = ccu.table_schema "
        "WHERE tc.constraint_type = 'FOREIGN KEY' AND tc.table_schema = current_schema() "
        "AND ccu.table_name = :case ORDER BY kcu.table_name, kcu.ordinal_position",
        {"case": CASE_TABLE},
    )
    for row in rows:
        if row["t"] != CASE_TABLE and row["t"] not in DERIVED_TABLES:
            links.setdefault(str(row["t"]), []).append(str(row["c"]))
    return links
