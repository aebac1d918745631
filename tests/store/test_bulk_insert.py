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


def test_new_ids_read_back_when_the_ids_after_the_last_have_a_gap(tmp_path: Path) -> None:
    """The new cases' ids are taken as the ids after the log's last one only when they are
    exactly those; rows numbered otherwise (here by hand, ids 3 and 7 after id 2) are read
    back by reference, never paired up by position."""
    from complaints_cli.store.bulk import _new_ids

    db = RawDatabase(f"sqlite:///{tmp_path / 'log.db'}", create=True)
    with db.transaction() as tx:
        tx.execute("DROP TABLE complaint")
        tx.execute("CREATE TABLE complaint (id INTEGER PRIMARY KEY, reference TEXT)")
        tx.execute("INSERT INTO complaint VALUES (1, 'A001'), (2, 'A002')")
        tx.execute("INSERT INTO complaint VALUES (7, 'A003'), (3, 'A004')")
        found = [pair for chunk in _new_ids(tx, 2, ["A003", "A004"]) for pair in chunk]
        tx.execute("INSERT INTO complaint (reference) VALUES ('A005'), ('A006')")
        sequential = [pair for chunk in _new_ids(tx, 7, ["A005", "A006"]) for pair in chunk]
    db.close()
    assert sorted(found) == [(3, "A004"), (7, "A003")]
    assert sequential == [(8, "A005"), (9, "A006")]
