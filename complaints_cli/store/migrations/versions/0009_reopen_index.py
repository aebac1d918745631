"""An index of the history's ``reopen`` rows, so the reports and ``due --as-of`` read a case's
past closures without reading the whole history.

Adds ``ix_history_reopen``: a partial index of the ``reopen`` rows only (``command =
'reopen'``: a few entries, a case is reopened now and then) on ``complaint_id``. Every EMT
and annual report and every ``due --as-of`` a past day reads those rows
(``store/closures.REOPEN_SQL``); without the index each read the whole history table: 0.21 s
of CPU on the generated 100k log given seven history rows a case (700,000 rows, ~330 bytes
each), 0.0002 s with it (BENCHMARKS.md, "Past closures"). Derived from the rows: no data
changes.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

#: The rows the index holds; the same text as the model's (``store/models.py``) and as the
#: query's condition (SQLite uses a partial index only for a query whose conditions imply it).
REOPEN = "command = 'reopen'"


def upgrade() -> None:
    op.create_index(
        "ix_history_reopen",
        "history",
        ["complaint_id"],
        sqlite_where=sa.text(REOPEN),
        postgresql_where=sa.text(REOPEN),
    )


def downgrade() -> None:
    op.drop_index("ix_history_reopen", "history")
