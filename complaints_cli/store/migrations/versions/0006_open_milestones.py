"""Each open case's milestones not yet done, stored so ``due`` reads them through an index.

Adds ``open_milestone``: one row per milestone of an open case that is not done (its key,
label, stage, kind, due date and deadline), written with the case by every save. The rows
cannot be worked out here (they depend on the team's profile and calendar, which are settings),
so every open case's stored deadlines are marked as not worked out (``deadlines_key`` empty):
``due`` works those cases out in memory, as it did before, and says so until
``complaints db recompute`` (or the next change to each case) stores them.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "open_milestone",
        sa.Column(
            "complaint_id",
            sa.Integer(),
            sa.ForeignKey("complaint.id", name="fk_open_milestone_complaint_id"),
            primary_key=True,
        ),
        sa.Column("milestone", sa.String(60), primary_key=True),
        sa.Column("label", sa.Text(), nullable=False),
        sa.Column("stage", sa.String(20), nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("while_open", sa.Boolean(), nullable=False),
        sa.Column("due", sa.Date(), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=False),
    )
    op.create_index("ix_open_milestone_deadline", "open_milestone", ["deadline"])
    op.execute(
        "UPDATE complaint SET deadlines_key = NULL WHERE status = 'Open' "
        "AND deadlines_key IS NOT NULL"
    )


def downgrade() -> None:
    op.drop_index("ix_open_milestone_deadline", "open_milestone")
    op.drop_table("open_milestone")
