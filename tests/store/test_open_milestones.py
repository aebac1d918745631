"""``open_milestone`` is kept equal to each case as saved, by every command that saves one.

After every lifecycle command, every correction, the import (new and updated cases) and
``db recompute``, the stored rows must be exactly what working each case out afresh gives;
and ``due`` read from them must be exactly ``due`` worked out from the dates. On SQLite and on
PostgreSQL.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from complaints_cli.cli.options import Timeframes
from complaints_cli.config import resolve
from complaints_cli.domain.open_milestones import open_milestones
from complaints_cli.store import due as due_core
from complaints_cli.store.db import RawDatabase
from complaints_cli.store.milestones import stored
from complaints_cli.store.reads import CASE_COLUMNS, case_from_row
from complaints_cli.store.schema import SCHEMA_HEAD
from tests.conftest import LOG_ARGS
from tests.paths import SAMPLE


def assert_table_is_fresh(url: str) -> int:
    """The stored rows are what every case gives when worked out now; returns the rows."""
    tf = Timeframes(cfg=resolve({"db": url}))
    with RawDatabase(url) as db:
        rows = db.execute(f"SELECT {', '.join(CASE_COLUMNS)} FROM complaint").fetchall()
        found = stored(db)
    expected = {}
    for case in map(case_from_row, rows):
        # Every save worked the case out: its deadlines carry today's fingerprint.
        assert case.deadlines_key == tf.key, case.reference
        fresh = sorted(open_milestones(case, tf.profile, tf.calendar), key=lambda m: m.key)
        if fresh:
            expected[case.id] = fresh
    assert found == expected
    return sum(map(len, found.values()))


STEPS: list[tuple[str, tuple[str, ...]]] = [
    ("2025-02-03", ("log", *LOG_ARGS)),
    ("2025-02-03", ("log", *LOG_ARGS, "--handler", "Kim Ho")),
    ("2025-02-03", ("log", *LOG_ARGS, "--kind", "dissatisfaction")),
    ("2025-02-03", ("log", *LOG_ARGS, "--kind", "petition")),
    ("2025-02-03", ("log", *LOG_ARGS)),
    ("2025-02-03", ("log", *LOG_ARGS)),
    ("2025-02-05", ("acknowledge", "SPRUCE001", "--summary", "Damp")),
    ("2025-02-05", ("acknowledge", "SPRUCE002", "--summary", "Noise")),
    ("2025-02-10", ("extend", "SPRUCE001", "--reason", "Survey", "--days", "5", "--told")),
    ("2025-02-06", ("correct", "SPRUCE002", "--received", "04/02/2025", "--reason", "Misread")),
    ("2025-02-06", ("correct", "SPRUCE002", "--handler", "Sam Patel", "--reason", "Moved")),
    ("2025-02-07", ("withdraw", "SPRUCE002", "--reason", "Phoned: all sorted")),
    ("2025-02-07", ("reopen", "SPRUCE002", "--reason", "Withdrawn in error")),
    ("2025-02-07", ("convert", "SPRUCE003")),
    ("2025-02-07", ("signatory", "add", "SPRUCE004", "--name", "Raj Singh", "--address", "2 Road")),
    ("2025-02-07", ("vulnerability", "SPRUCE001", "--vulnerable")),
    ("2025-02-07", ("fold", "SPRUCE001", "--issue", "The fan is broken too")),
    ("2025-02-07", ("void", "SPRUCE005", "--duplicate-of", "SPRUCE001", "--reason", "Twice")),
    ("2025-02-07", ("link", "SPRUCE006", "--to", "SPRUCE001")),
    (
        "2025-02-14",
        (
            "respond",
            "SPRUCE001",
            "--summary",
            "Upheld: repair booked",
            "--action",
            "Replace the fan",
            "--action-due",
            "28/02/2025",
        ),
    ),
    ("2025-02-17", ("update", "SPRUCE001", "--note", "Phoned: fitting booked")),
    ("2025-02-17", ("respond", "SPRUCE002", "--summary", "Not upheld")),
    (
        "2025-02-20",
        (
            "refuse-escalation",
            "SPRUCE002",
            "--received",
            "19/02/2025",
            "--reason",
            "Subject of court proceedings (policy 5.2)",
        ),
    ),
    (
        "2025-02-21",
        (
            "refuse-escalation",
            "SPRUCE002",
            "--received",
            "19/02/2025",
            "--reason",
            "Subject of court proceedings (policy 5.2)",
            "--told",
            "21/02/2025",
        ),
    ),
    ("2025-02-20", ("action", "done", "SPRUCE001", "1")),
    ("2025-02-20", ("close", "SPRUCE001")),
    ("2025-02-21", ("reopen", "SPRUCE001", "--reason", "Resident escalated")),
    (
        "2025-02-21",
        (
            "escalate",
            "SPRUCE001",
            "--received",
            "21/02/2025",
            "--review",
            "manager",
            "--details",
            "Repair still not done",
            "--handler",
            "Jordan Blake",
        ),
    ),
    ("2025-02-24", ("acknowledge", "SPRUCE001")),
    ("2025-02-24", ("hold", "SPRUCE001", "--reason", "Claim issued")),
    (
        "2025-02-24",
        ("not-accepted", "SPRUCE006", "--reason", "Legal proceedings", "--told", "24/02/2025"),
    ),
    ("2025-02-25", ("learning", "SPRUCE001", "Confirm appointments by text")),
    ("2025-03-20", ("respond", "SPRUCE001", "--summary", "Review upheld Stage 1")),
    ("2025-03-21", ("ombudsman", "SPRUCE001", "--requested", "21/03/2025")),
    ("2025-03-21", ("db", "recompute")),
]


def test_every_command_keeps_the_table_fresh(cli: Any, db_url: str, monkeypatch: Any) -> None:
    for today, args in STEPS:
        monkeypatch.setenv("COMPLAINTS_TODAY", today)
        result = cli(*args)
        assert result.exit_code == 0, f"{args}: {result.output}"
        assert_table_is_fresh(db_url)
    assert assert_table_is_fresh(db_url) > 3  # the test ran on cases with open milestones


def test_a_new_profile_is_stored_by_db_recompute(cli: Any, db_url: str, monkeypatch: Any) -> None:
    monkeypatch.setenv("COMPLAINTS_TODAY", "2025-02-04")
    for _ in range(3):
        assert cli("log", *LOG_ARGS).exit_code == 0
    monkeypatch.setenv("COMPLAINTS_PROFILE", "hos-code-2024")
    result = cli("due", "-f", "json")
    assert "3 open case(s) had deadlines worked out with another profile" in result.stderr
    assert cli("db", "recompute").exit_code == 0
    assert assert_table_is_fresh(db_url) > 3
    assert "another profile" not in cli("due").stderr


def test_import_stores_new_and_updated_cases(
    cli: Any, db_url: str, monkeypatch: Any, tmp_path: Path
) -> None:
    from openpyxl import load_workbook

    monkeypatch.setenv("COMPLAINTS_TODAY", "2026-11-20")
    result = cli("import", str(SAMPLE))
    assert result.exit_code == 0, result.output
    assert assert_table_is_fresh(db_url) > 10
    out = tmp_path / "edited.xlsx"
    assert cli("export", str(out), "--status", "Open").exit_code == 0
    wb = load_workbook(out)
    ws = wb.active
    headers = [c.value for c in ws[1]]
    acked = headers.index("Date complaint acknowledged")
    changed = 0
    for row in ws.iter_rows(min_row=2):  # acknowledge every open case not yet acknowledged
        if row[acked].value is None and row[headers.index("Complaint received")].value:
            row[acked].value = row[headers.index("Complaint received")].value
            changed += 1
    wb.save(out)
    assert changed
    result = cli("import", "--update", str(out))
    assert result.exit_code == 0, result.output
    assert f" {changed} updated" in result.stdout
    assert assert_table_is_fresh(db_url) > 10


def test_a_change_without_the_deadlines_leaves_nothing_stale(db_url: str) -> None:
    """Saved without its deadlines worked out (a caller of the store that gives none), a case
    has none stored: ``due`` works it out, never trusts stale rows."""
    from complaints_cli.domain.rules import Change
    from complaints_cli.store.writes import Store
    from tests.conftest import sample_new

    tf = Timeframes(cfg=resolve({"db": db_url}))
    with Store(db_url) as store:
        store.log(sample_new(), prefix="SPRUCE", actor="t", folder=str, deadlines=tf.derive)
        with RawDatabase(db_url) as db:
            assert stored(db)
        store.change(
            "SPRUCE001",
            actor="t",
            command="test",
            rule=lambda c, _a: Change(c._replace(acknowledged=date(2025, 2, 4))),
        )
    with RawDatabase(db_url) as db:
        assert stored(db) == {}
        assert db.scalar("SELECT deadlines_key FROM complaint") is None


# --- due from the stored rows is due worked out from the dates ----------------------------------


def _random_log(url: str, n: int, seed: int) -> None:
    """``n`` cases in every state, written straight into the table, then ``db recompute``."""
    import random

    from complaints_cli.domain.case import Case
    from complaints_cli.domain.vocabulary import ReviewType, Stage, Status
    from complaints_cli.store.reads import case_values
    from complaints_cli.store.writes import utcnow

    rng = random.Random(seed)
    # The extensions' told flags and days told from a generator of their own: the other
    # fields are drawn as before.
    told_rng = random.Random(seed * 31 + 1)
    dates = [
        "acknowledged",
        "stage1_responded",
        "stage1_extended_to",
        "escalation_received",
        "stage2_acknowledged",
        "stage2_responded",
        "stage2_extended_to",
        "last_update",
        "ombudsman_requested",
        "ombudsman_evidence_sent",
        "panel_meeting",
        "stage1_extension_agreed",
        "stage2_extension_agreed",
    ]
    with RawDatabase(url) as db, db.transaction() as tx:
        for i in range(1, n + 1):
            received = date(2025, 1, 1) + timedelta(days=rng.randint(0, 300))
            values = {
                name: received + timedelta(days=rng.randint(0, 60))
                for name in dates
                if rng.random() < 0.3
            }
            for stage in ("stage1", "stage2"):
                values[f"{stage}_extension_told"] = told_rng.choice([None, True, False])
                if told_rng.random() < 0.3:
                    values[f"{stage}_extension_told_on"] = received + timedelta(
                        days=told_rng.randint(0, 60)
                    )
            case = Case(
                reference=f"SPRUCE{i:03d}",
                status=Status.OPEN if rng.random() < 0.8 else Status.CLOSED,
                stage=rng.choice([Stage.STAGE_1, Stage.STAGE_2, Stage.OMBUDSMAN]),
                handler=rng.choice(["Sam Patel", "Kim Ho"]),
                complainant="Ann Lee",
                address="1 Road",
                received=received,
                review_type=rng.choice([None, *ReviewType]),
                stage2_handler=rng.choice([None, "Jordan Blake"]),
                created_at=utcnow(),
                updated_at=utcnow(),
                **values,
            )
            row = case_values(case)
            tx.execute(
                f"INSERT INTO complaint ({', '.join(row)}) VALUES "
                f"({', '.join(':' + c for c in row)})",
                row,
            )


@pytest.mark.parametrize("handler", [None, ("Kim Ho",)])  # as match_person gives it
def test_due_from_the_table_is_due_from_the_dates(
    cli: Any, db_url: str, monkeypatch: Any, handler: tuple[str, ...] | None
) -> None:
    from complaints_cli.domain.deadlines import NOT_TOLD_NOTE

    monkeypatch.setenv("COMPLAINTS_TODAY", "2025-06-01")
    _random_log(db_url, 300, seed=7)
    assert cli("db", "recompute").exit_code == 0
    assert assert_table_is_fresh(db_url) > 100
    tf = Timeframes(cfg=resolve({"db": db_url}))
    not_told = 0
    with RawDatabase(db_url) as db:
        for offset in range(0, 400, 23):
            day = date(2025, 6, 1) + timedelta(days=offset)
            ask = {"as_of": day, "within": offset % 12, "handler": handler, "today": day}
            from_rows = due_core.due_rows(db, tf.profile, tf.calendar, key=tf.key, **ask)
            # Another fingerprint: every case is worked out from its dates, as before 0006.
            from_dates = due_core.due_rows(db, tf.profile, tf.calendar, key="x", **ask)
            assert from_rows == from_dates
            assert from_rows or offset == 0
            not_told += sum(NOT_TOLD_NOTE in item[1] for item in from_rows)
    assert not_told  # some extensions not told were compared too


def test_due_output_is_unchanged_by_where_it_came_from(
    cli: Any, db_url: str, monkeypatch: Any
) -> None:
    """The command's JSON and table from the rows, and with every case stale."""
    monkeypatch.setenv("COMPLAINTS_TODAY", "2025-06-01")
    _random_log(db_url, 120, seed=3)
    assert cli("db", "recompute").exit_code == 0
    fresh = [cli("due", "--within", "10", *f).stdout for f in ((), ("-f", "json"))]
    assert json.loads(fresh[1])
    with RawDatabase(db_url) as db:
        db.execute("UPDATE complaint SET deadlines_key = 'old'")
    stale = [cli("due", "--within", "10", *f) for f in ((), ("-f", "json"))]
    assert [r.stdout for r in stale] == fresh
    assert "had deadlines worked out with another profile" in stale[0].stderr


# --- a log from before schema 0006, and the purge ----------------------------------------------


def test_a_log_from_schema_0005_is_upgraded_and_recompute_stores_its_rows(
    cli: Any, blank_db_url: str, monkeypatch: Any
) -> None:
    """Upgrading marks every open case's stored deadlines as not worked out: ``due`` works
    them out from the dates (same list, and it says how to store them) until ``db
    recompute``, which stores every open case's rows."""
    from alembic import command

    from complaints_cli.store.db import make_engine
    from complaints_cli.store.schema import alembic_config

    monkeypatch.setenv("COMPLAINTS_TODAY", "2025-06-01")
    # Stored with today's profile and calendar: without the upgrade's marking, ``due`` would
    # trust them and read no rows (nothing due: a wrong answer that looks like good news).
    key = Timeframes(cfg=resolve({"db": blank_db_url})).key
    engine = make_engine(blank_db_url)
    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), "0005")
        for n, (status, received) in enumerate(
            [("Open", "2025-05-20"), ("Open", "2025-05-28"), ("Closed", "2025-05-01")], start=1
        ):
            conn.exec_driver_sql(
                "INSERT INTO complaint (reference, status, stage, handler, complainant, address, "
                "received, created_at, updated_at, row_version, deadlines_key, next_due) VALUES "
                f"('SPRUCE00{n}', '{status}', 'Stage 1', 'Sam Patel', 'Ann Lee', '{n} Road', "
                f"'{received}', '2025-05-01 09:00:00', '2025-05-01 09:00:00', 1, '{key}', "
                "'2025-05-21')"
            )
        conn.exec_driver_sql("INSERT INTO counter (prefix, last_number) VALUES ('SPRUCE', 3)")
    engine.dispose()
    before = cli("due", "-f", "json")
    assert before.exit_code == 0, before.output
    assert "2 open case(s) had deadlines worked out with another profile" in before.stderr
    listed = json.loads(before.stdout)
    assert {i["reference"] for i in listed} == {"SPRUCE001", "SPRUCE002"}
    with RawDatabase(blank_db_url) as db:
        assert db.scalar("SELECT version_num FROM alembic_version") == SCHEMA_HEAD
        assert db.column("SELECT deadlines_key FROM complaint ORDER BY id") == [None, None, key]
        assert stored(db) == {}
    assert cli("db", "recompute").exit_code == 0
    assert assert_table_is_fresh(blank_db_url) >= 4
    after = cli("due", "-f", "json")
    assert json.loads(after.stdout) == listed
    assert "another profile" not in after.stderr


def _open_case_index(db: RawDatabase) -> str | None:
    """The definition of ``ix_complaint_open_due`` as the database holds it, or None."""
    if db.dialect == "sqlite":
        return db.scalar("SELECT sql FROM sqlite_master WHERE name = 'ix_complaint_open_due'")
    return db.scalar("SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_complaint_open_due'")


def test_a_log_from_schema_0006_gains_the_open_case_index_and_due_reads_it(
    cli: Any, db_url: str, monkeypatch: Any
) -> None:
    """Schema 0007 adds an index, nothing else: a log at 0006 with stored rows is upgraded when
    it is next opened, ``due`` lists the same items from the same stored rows (nothing to work
    out again), and on SQLite both of ``due``'s queries of the cases read the index alone."""
    from alembic import command
    from sqlalchemy import inspect as sa_inspect

    from complaints_cli.store.db import make_engine
    from complaints_cli.store.schema import alembic_config

    monkeypatch.setenv("COMPLAINTS_TODAY", "2025-02-04")
    assert cli("log", *LOG_ARGS).exit_code == 0
    assert cli("log", *LOG_ARGS, "--handler", "Kim Ho").exit_code == 0
    assert cli("log", *LOG_ARGS, "--kind", "dissatisfaction").exit_code == 0
    before = cli("due", "-f", "json")
    assert before.exit_code == 0, before.output
    listed = json.loads(before.stdout)
    assert {i["reference"] for i in listed} == {"SPRUCE001", "SPRUCE002", "SPRUCE003"}
    with RawDatabase(db_url) as db:
        rows = stored(db)
        assert _open_case_index(db) is not None
    engine = make_engine(db_url)
    with engine.begin() as conn:
        command.downgrade(alembic_config(conn), "0006")
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar() == "0006"
        indexes = {i["name"] for i in sa_inspect(conn).get_indexes("complaint")}
        assert "ix_complaint_status_next_due" in indexes
        assert "ix_complaint_open_due" not in indexes
    engine.dispose()
    after = cli("due", "-f", "json")
    assert after.exit_code == 0, after.output
    assert "another profile" not in after.stderr
    assert json.loads(after.stdout) == listed
    tf = Timeframes(cfg=resolve({"db": db_url}))
    with RawDatabase(db_url) as db:
        assert db.scalar("SELECT version_num FROM alembic_version") == SCHEMA_HEAD
        assert stored(db) == rows
        index = _open_case_index(db)
        assert index is not None and "'Open'" in index
        if db.dialect == "sqlite":
            params = {"horizon": date(2025, 3, 1), "open": "Open", "key": tf.key}
            for sql in (due_core.stored_sql("sqlite"), due_core.stale_sql("sqlite")):
                plan = " / ".join(r[3] for r in db.execute(f"EXPLAIN QUERY PLAN {sql}", params))
                assert "COVERING INDEX ix_complaint_open_due" in plan, plan


def test_purge_takes_the_rows_of_a_purged_case_and_keeps_the_others(
    cli: Any, db_url: str, monkeypatch: Any
) -> None:
    """Rows left for a closed case (written by an older version, say) go with it: the purge
    finds ``open_milestone`` by its foreign key like every table that points at a case."""
    monkeypatch.setenv("COMPLAINTS_TODAY", "2019-02-01")
    for _ in range(2):
        assert cli("log", *LOG_ARGS, "--received", "2019-02-01").exit_code == 0
    monkeypatch.setenv("COMPLAINTS_TODAY", "2019-03-01")
    assert cli("close", "SPRUCE001", "--date", "2019-03-01").exit_code == 0
    with RawDatabase(db_url) as db:
        kept = stored(db)
        assert list(kept) == [2]
        with db.transaction() as tx:
            tx.execute(
                "INSERT INTO open_milestone (complaint_id, milestone, label, stage, kind, "
                "while_open, due, deadline) VALUES (1, 'stage1_response', 'Stage 1 response', "
                "'stage1', 'deadline', :no, :day, :day)",
                {"no": False, "day": date(2019, 2, 15)},
            )
    monkeypatch.setenv("COMPLAINTS_TODAY", "2040-01-01")
    result = cli("purge", "--yes")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Purged 1 case(s): SPRUCE001 ")
    with RawDatabase(db_url) as db:
        assert stored(db) == kept
        assert db.column("SELECT reference FROM complaint") == ["SPRUCE002"]
