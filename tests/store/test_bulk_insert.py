"""The import's bulk insert stores exactly the values it is given (store/bulk.insert_values).

It leaves out of its statement a column that is NULL in every row of a batch, to bind fewer
values; that is only the same as binding NULL where the column's default is NULL.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from complaints_cli.store.bulk import insert_rows, insert_values
from complaints_cli.store.db import RawDatabase


def _table(path: Path) -> RawDatabase:
    db = RawDatabase(f"sqlite:///{path}", create=True)
    with db.transaction() as tx:
        tx.execute(
            "CREATE TABLE sample (a TEXT, b TEXT DEFAULT 'made up', c TEXT, d DATE, "
            "created_at DATETIME)"
        )
    return db


def test_a_column_null_in_every_row_stays_null_even_with_a_default(tmp_path: Path) -> None:
    names = ["a", "b", "c", "d", "created_at"]
    at = datetime(2026, 11, 30, 19, 5, 1, 250)
    rows = [("one", None, None, date(2025, 2, 3), at), ("two", None, None, None, at)]
    with _table(tmp_path / "log.db") as db:
        with db.transaction() as tx:
            insert_values(tx, "sample", names, rows)
        stored = db.execute("SELECT a, b, c, d, created_at FROM sample ORDER BY a").fetchall()
    assert stored == [
        ("one", None, None, "2025-02-03", "2026-11-30 19:05:01.000250"),
        ("two", None, None, None, "2026-11-30 19:05:01.000250"),
    ]


def test_mappings_and_tuples_store_the_same(tmp_path: Path) -> None:
    names = ["a", "b", "c", "d"]
    rows = [{"a": "one", "b": "kept", "c": None, "d": date(2025, 2, 3)}]
    with _table(tmp_path / "log.db") as db:
        with db.transaction() as tx:
            insert_rows(tx, "sample", names, rows)
            insert_values(tx, "sample", names, [("two", "kept", None, date(2025, 2, 3))])
        stored = db.execute("SELECT a, b, c, d FROM sample ORDER BY a").fetchall()
    assert stored == [("one", "kept", None, "2025-02-03"), ("two", "kept", None, "2025-02-03")]
