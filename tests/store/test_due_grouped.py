"""``due`` reads its stored items grouped (``store/due.stored_sql``): each group's
references, stages and owners come in one cell, parted by two control characters. A name
holding one of them must never split into items that are not there, lose one, or stop
``due``: the items are read again one a row, the list the same as a log without them gives.
And the queries read what schema 0008 indexed for them, from indexes alone (SQLite's plan)."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest

from complaints_cli.cli.options import Timeframes
from complaints_cli.config import resolve
from complaints_cli.store import due as due_core
from complaints_cli.store.db import RawDatabase
from complaints_cli.store.lookups import people
from tests.conftest import LOG_ARGS


def _due(cli: Any) -> list[dict[str, Any]]:
    result = cli("due", "--within", "30", "-f", "json")
    assert result.exit_code == 0, result.output
    assert "another profile" not in result.stderr
    return list(json.loads(result.stdout))


@pytest.mark.parametrize(
    "odd",
    [
        # An item of four values: the cell's item no longer splits into three.
        "Kim\x1fHo",
        # A second item of three values where there is one: only the count tells.
        "Kim\x1eSPRUCE999\x1fStage 1\x1fNobody",
        "Kim\x1e",
    ],
)
def test_a_name_holding_the_separators_lists_the_items_as_stored(
    cli: Any, db_url: str, monkeypatch: Any, odd: str
) -> None:
    monkeypatch.setenv("COMPLAINTS_TODAY", "2025-02-04")
    for handler in ("Sam Patel", "Kim Ho", "Sam Patel"):
        assert cli("log", *LOG_ARGS, "--handler", handler).exit_code == 0
    plain = _due(cli)
    assert [i["handler"] for i in plain if i["reference"] == "SPRUCE002"]
    with RawDatabase(db_url) as db, db.transaction() as tx:
        tx.execute(
            "UPDATE complaint SET handler = :odd WHERE reference = 'SPRUCE002'", {"odd": odd}
        )
    expected = [i | {"handler": odd} if i["reference"] == "SPRUCE002" else i for i in plain]
    assert _due(cli) == expected
    only = cli("due", "--within", "30", "-f", "json", "--handler", "Sam Patel")
    assert only.exit_code == 0, only.output
    assert json.loads(only.stdout) == [i for i in plain if i["handler"] == "Sam Patel"]


def test_due_reads_milestones_and_cases_from_indexes_alone_without_a_sort(
    cli: Any, db_url: str, monkeypatch: Any
) -> None:
    """Schema 0008: the stored milestones in the order of ``ix_open_milestone_due`` (every
    column read, no sort for the grouping), each case from the open cases' index (0007), and
    the handlers from their indexes, never a scan of the case table."""
    monkeypatch.setenv("COMPLAINTS_TODAY", "2025-02-04")
    for handler in ("Sam Patel", "Kim Ho"):
        assert cli("log", *LOG_ARGS, "--handler", handler).exit_code == 0
    tf = Timeframes(cfg=resolve({"db": db_url}))
    with RawDatabase(db_url) as db:
        assert sorted(people(db)) == ["Kim Ho", "Sam Patel"]
        params = {"horizon": date(2025, 3, 1), "key": tf.key}
        rows = db.execute(due_core.stored_sql(db.dialect), params).fetchall()
        # Both cases' three milestones share their deadlines: three groups of two items.
        assert len(rows) == 3
        for row in rows:
            items = [cell.split(due_core.UNIT) for cell in row[-1].split(due_core.RECORD)]
            assert row[-2] == 2
            assert sorted(items) == [
                ["SPRUCE001", "Stage 1", "Sam Patel"],
                ["SPRUCE002", "Stage 1", "Kim Ho"],
            ]
        if db.dialect != "sqlite":
            return
        plan = " / ".join(
            r[3] for r in db.execute(f"EXPLAIN QUERY PLAN {due_core.stored_sql('sqlite')}", params)
        )
        assert "SEARCH m USING COVERING INDEX ix_open_milestone_due" in plan, plan
        assert "SEARCH c USING COVERING INDEX ix_complaint_open_due" in plan, plan
        assert "TEMP B-TREE" not in plan, plan
        from complaints_cli.store.lookups import _HANDLERS

        plan = " / ".join(r[3] for r in db.execute(f"EXPLAIN QUERY PLAN {_HANDLERS}"))
        assert "ix_complaint_handler" in plan and "ix_complaint_stage2_handler" in plan, plan
        assert "SCAN complaint" not in plan, plan
