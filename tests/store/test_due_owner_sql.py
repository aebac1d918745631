"""``due`` reads each stored milestone's owner worked out by SQLite or PostgreSQL
(``store/due.OWNER_SQL``, one column a row instead of three): it must name whoever
:func:`complaints_cli.domain.open_milestones.owner_of` names, for every kind of milestone and
case, a Stage 2 handler missing, empty or blank included."""

from __future__ import annotations

import itertools

from complaints_cli.domain.open_milestones import owner_of
from complaints_cli.domain.vocabulary import Stage
from complaints_cli.store import due as due_core
from complaints_cli.store.db import RawDatabase

MILESTONE_STAGES = ["informal", "stage1", "stage2", "ombudsman", "any"]  # profiles.toml's
SECOND_HANDLERS = [None, "", " ", "Sam Patel (SPM)", "Kim Ho (SPM)"]


def test_owner_sql_names_whoever_owner_of_names(db_url: str) -> None:
    sql = (
        f"SELECT {due_core.OWNER_SQL} FROM (SELECT :milestone_stage AS stage) m, "
        "(SELECT :case_stage AS stage, :handler AS handler, :second AS stage2_handler) c"
    )
    seen = set()
    with RawDatabase(db_url) as db:
        for milestone_stage, case_stage, second in itertools.product(
            MILESTONE_STAGES, [s.value for s in Stage], SECOND_HANDLERS
        ):
            params = {
                "milestone_stage": milestone_stage,
                "case_stage": case_stage,
                "handler": "Kim Ho (SPM)",
                "second": second,
            }
            want = owner_of(milestone_stage, case_stage, "Kim Ho (SPM)", second)
            assert db.scalar(sql, params) == want, params
            seen.add(want)
    assert seen == {"Kim Ho (SPM)", "Sam Patel (SPM)", " "}  # each way of choosing was met
