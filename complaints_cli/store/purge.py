"""Removing cases past their retention period: from the database, from its file, from the drive.

Three steps, in this order, so that a failure never leaves personal data behind unnoticed:

1. :func:`purge_cases`: one transaction deletes each due case, its history, its actions and any
   row of any other table that belongs to it (found by reflecting the schema, so a later
   migration's tables are covered), and writes a :class:`~complaints_cli.store.models.PurgeRecord`
   without personal data. Each case is re-assessed under the write lock: a case reopened or
   put on hold since the listing is kept.
2. :func:`scrub`: the deleted bytes leave the database file. SQLite: the deletes run with
   ``PRAGMA secure_delete`` (freed space is overwritten with zeros) and then ``VACUUM`` rebuilds
   the file; the rollback journal is deleted at commit. PostgreSQL: ``VACUUM FULL`` rewrites the
   tables (see the README for what the server still keeps: WAL, backups).
3. :func:`complaints_cli.files.folders.remove_claimed` (called by the command, outside the
   database's write lock): each purged case's folder, only a real folder directly inside the
   root whose marker claims it for that case. Step 1 lists each in ``folder_removal`` (by
   reference and the claim, never by its name, which holds an address); a folder that cannot
   be removed yet (a file open in Excel), or a kill before step 3, leaves it listed, and the
   next ``purge`` or ``complaints folders --check --fix`` removes it.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from complaints_cli.domain.retention import Verdict, assess
from complaints_cli.errors import ComplaintsError
from complaints_cli.store.reads import RETENTION_COLUMNS, facts_from_row
from complaints_cli.store.tables import CASE_TABLE, case_links, reflect


@dataclass
class PurgeResult:
    purged: list[Verdict] = field(default_factory=list)
    #: (reference, why it was kept after all): changed since it was listed.
    kept: list[tuple[str, str]] = field(default_factory=list)
    #: Purged by another handler's purge since it was listed (its purge record says so).
    purged_meanwhile: list[str] = field(default_factory=list)


#: Ids per ``IN (...)`` list: SQLite allows 32,766 parameters, and a big purge has more cases.
CHUNK = 500


def _chunks(values: Sequence[Any]) -> Iterator[Sequence[Any]]:
    for start in range(0, len(values), CHUNK):
        yield values[start : start + CHUNK]


@contextmanager
def _purge_transaction(store: Any) -> Iterator[Any]:
    """One transaction for the whole purge, with SQLite's secure delete.

    On SQLite, foreign keys are not enforced row by row during the purge (each deleted case
    would scan every case for a link to it: 72k cases took hours); the purge removes or clears
    every link itself, and ``PRAGMA foreign_key_check`` must find nothing before it commits.
    """
    from sqlalchemy.exc import DBAPIError

    from complaints_cli.store.db import make_engine, translate_db_error

    engine = make_engine(store.url)
    try:
        with engine.connect() as conn:
            sqlite = conn.dialect.name == "sqlite"
            if sqlite:  # before BEGIN: the setting cannot change inside a transaction
                raw = conn.connection.dbapi_connection
                assert raw is not None
                raw.execute("PRAGMA foreign_keys = OFF")
                raw.execute("PRAGMA secure_delete = ON")
            with conn.begin():
                yield conn
                store.db.check_same_file()  # the file at the log's path is still this one
                if sqlite:
                    broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if broken:
                        raise ComplaintsError(
                            f"the purge would leave {len(broken)} row(s) pointing at a removed "
                            f"case (table {broken[0][0]}); nothing was purged"
                        )
    except DBAPIError as exc:
        translate_db_error(exc)
        raise
    finally:
        engine.dispose()


def purge_cases(
    store: Any, due: Sequence[Verdict], *, actor: str, years: int, today: date
) -> PurgeResult:
    """Delete the ``due`` cases and everything that belongs to them, in one transaction."""
    from sqlalchemy import bindparam, delete, insert, select, update

    from complaints_cli.store.folders import removal_rows
    from complaints_cli.store.writes import changes_json, utcnow

    result = PurgeResult()
    if not due:
        return result
    with _purge_transaction(store) as conn:
        metadata = reflect(conn)
        complaint = metadata.tables[CASE_TABLE]
        wanted = [v.reference for v in due]
        rows: dict[str, dict[str, Any]] = {}
        for chunk in _chunks(wanted):
            stmt = select(complaint).where(complaint.c.reference.in_(chunk))
            if conn.dialect.name == "postgresql":
                stmt = stmt.with_for_update()
            rows.update({r["reference"]: dict(r) for r in conn.execute(stmt).mappings()})
        records = metadata.tables["purge_record"]
        gone_already = {
            str(ref)
            for chunk in _chunks([ref for ref in wanted if ref not in rows])
            for ref in conn.execute(
                select(records.c.reference).where(records.c.reference.in_(chunk))
            ).scalars()
        }
        ids: dict[int, dict[str, Any]] = {}
        for ref in wanted:
            row = rows.get(ref)
            if row is None and ref in gone_already:
                result.purged_meanwhile.append(ref)
                continue
            if row is None:
                result.kept.append((ref, "no longer in the log"))
                continue
            verdict = assess(
                facts_from_row([row[c] for c in RETENTION_COLUMNS]), today=today, years=years
            )
            if not verdict.purge:
                result.kept.append((ref, f"changed since it was listed: {verdict.reason}"))
                continue
            ids[row["id"]] = row
            result.purged.append(verdict)
        if not ids:
            return result
        now = utcnow()
        gone = list(ids)
        links = case_links(metadata)
        history = metadata.tables["history"]
        notes: list[dict[str, Any]] = []
        for link in (link for link in links if link.is_self):
            for chunk in _chunks(gone):
                refers = conn.execute(
                    select(complaint.c.id, link.column).where(link.column.in_(chunk))
                ).all()
                # Another case that points at a purged one keeps a history entry saying so.
                notes += [
                    {
                        "complaint_id": other,
                        "at": now,
                        "actor": actor,
                        "command": "purge",
                        "changes": changes_json({link.column.name: (target, None)}),
                        "note": f"the related case {ids[target]['reference']} was purged under "
                        f"the {years}-year retention period",
                    }
                    for other, target in refers
                    if other not in ids
                ]
                conn.execute(
                    update(complaint).where(link.column.in_(chunk)).values({link.column: None})
                )
        for chunk in _chunks(gone):
            for link in reversed(links):
                if not link.is_self:
                    conn.execute(delete(link.table).where(link.column.in_(chunk)))
            conn.execute(delete(complaint).where(complaint.c.id.in_(chunk)))
        if notes:
            conn.execute(insert(history), notes)
        # Their folders are removed after the commit (outside the write lock); until each is
        # gone it stays listed here, so a kill or a locked file never leaves one forgotten.
        conn.execute(
            insert(metadata.tables["folder_removal"]),
            removal_rows([(row["reference"], row["created_at"]) for row in ids.values()], now),
        )
        conn.execute(
            insert(metadata.tables["purge_record"]).values(
                reference=bindparam("reference"),
                received=bindparam("received"),
                closed=bindparam("closed"),
                purged_at=now,
                actor=actor,
                retention_years=years,
            ),
            [
                {
                    "reference": row["reference"],
                    "received": _day(row["received"]) or today,
                    "closed": _day(row["closed"]),
                }
                for row in ids.values()
            ],
        )
    return result


def _day(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def scrub(url: str) -> str | None:
    """Make the database file give up the deleted bytes; a warning if it could not, else None."""
    from complaints_cli.config import sqlite_path
    from complaints_cli.store.db import RawDatabase, busy_timeout

    path = sqlite_path(url)
    if path is not None:
        import sqlite3

        try:
            conn = sqlite3.connect(path, timeout=busy_timeout(), isolation_level=None)
            try:
                conn.execute("PRAGMA secure_delete = ON")
                conn.execute("PRAGMA temp_store = MEMORY")  # no temporary copy on disk
                conn.execute("VACUUM")
            finally:
                conn.close()
        except sqlite3.OperationalError as exc:
            return (
                f"the database file could not be compacted ({exc}); the purged rows were "
                "overwritten in place, but run `complaints purge` again when nobody is saving "
                "to finish"
            )
        journal = path.with_name(path.name + "-journal")
        if journal.exists():
            return f"a rollback journal {journal} was left behind: delete it when nobody is saving"
        return None
    with RawDatabase(url) as db:
        try:
            db.execute("SET lock_timeout = '10s'")
            db.execute(f"VACUUM FULL {', '.join(_pg_tables(db))}")
        except Exception as exc:  # a handler's long transaction: fall back to a plain VACUUM
            db.execute("VACUUM")
            return f"VACUUM FULL could not run now ({str(exc).strip()}); a plain VACUUM ran"
    return None


def _pg_tables(db: Any) -> list[str]:
    names = db.column(
        "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() "
        "AND tablename <> 'alembic_version' ORDER BY tablename"
    )
    return [f'"{n}"' for n in names]


def check_years(years: int) -> int:
    if not 1 <= years <= 100:
        raise ComplaintsError(f"--retention-years {years} must be a whole number of years, 1-100")
    return years
