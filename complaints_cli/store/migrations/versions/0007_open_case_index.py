"""An index of the open cases that holds what ``due`` reads of each, so it reads no case row.

Adds ``ix_complaint_open_due``: a partial index of the open cases with stored deadlines only
(``status = 'Open' AND deadlines_key IS NOT NULL``: tens of thousands of entries on a
million-case log, ~4 MB), on ``(status, deadlines_key, id, reference, stage, handler,
stage2_handler)``. ``due`` counts the open cases whose stored deadlines are current and joins
each stored open milestone to its case from the index alone;
before it, both looked up every open case's row in the ``complaint`` table (~600 bytes each,
scattered over the file): at 1M cases ~0.1 s for the count and ~0.3 s for the join (see
BENCHMARKS.md). The index is derived, so it needs no data change and no re-working of
deadlines.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

#: The cases the index holds; the same text as the model's (``store/models.py``). Only a query
#: that names ``deadlines_key`` (``due``'s) can use it: others (``list --status Open``, say)
#: keep the indexes they had.
OPEN = "status = 'Open' AND deadlines_key IS NOT NULL"


def upgrade() -> None:
    op.create_index(
        "ix_complaint_open_due",
        "complaint",
        ["status", "deadlines_key", "id", "reference", "stage", "handler", "stage2_handler"],
        sqlite_where=sa.text(OPEN),
        postgresql_where=sa.text(OPEN),
    )


def downgrade() -> None:
    op.drop_index("ix_complaint_open_due", "complaint")
