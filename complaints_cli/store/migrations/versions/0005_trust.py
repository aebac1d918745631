"""Records that can be corrected without being lost, and reports that count what the Code counts.

Adds to ``complaint``: the category and the tenure (the TSM's stock type) of a case, the
outcome at each stage, a withdrawal (date, reason), a void (date, reason, the case it
duplicates), when each extension was agreed and when the resident was told, when compensation
was paid, a refused Stage 2 escalation (date, reason, when the resident was told), and when
the organisational learning was sent. Adds ``log_identity`` (the log's own id, so a log is
never confused with another team's) and ``folder_removal`` (the case folders a purge still has
to remove).

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def _new_columns() -> list[sa.Column[Any]]:
    return [
        sa.Column("category", sa.Text()),
        sa.Column("tenure", sa.String(30)),
        sa.Column("stage1_outcome", sa.String(30)),
        sa.Column("stage2_outcome", sa.String(30)),
        sa.Column("withdrawn", sa.Date()),
        sa.Column("withdrawn_reason", sa.Text()),
        sa.Column("voided", sa.Date()),
        sa.Column("void_reason", sa.Text()),
        sa.Column(
            "duplicate_of_id",
            sa.Integer(),
            sa.ForeignKey("complaint.id", name="fk_complaint_duplicate_of_id"),
        ),
        sa.Column("stage1_extension_agreed", sa.Date()),
        sa.Column("stage1_extension_told_on", sa.Date()),
        sa.Column("stage2_extension_agreed", sa.Date()),
        sa.Column("stage2_extension_told_on", sa.Date()),
        sa.Column("compensation_paid", sa.Date()),
        sa.Column("stage2_compensation_paid", sa.Date()),
        sa.Column("stage2_refused", sa.Date()),
        sa.Column("stage2_refused_reason", sa.Text()),
        sa.Column("stage2_refusal_told", sa.Date()),
        sa.Column("learning_sent", sa.Date()),
    ]


def upgrade() -> None:
    with op.batch_alter_table("complaint") as batch:
        for column in _new_columns():
            batch.add_column(column)
    op.create_index("ix_complaint_duplicate_of_id", "complaint", ["duplicate_of_id"])
    op.create_table(
        "log_identity",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("log_id", sa.String(36), nullable=False, unique=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "folder_removal",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("reference", sa.String(32), nullable=False),
        sa.Column("folder", sa.Text(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("folder_removal")
    op.drop_table("log_identity")
    op.drop_index("ix_complaint_duplicate_of_id", "complaint")
    with op.batch_alter_table("complaint") as batch:
        batch.drop_constraint("fk_complaint_duplicate_of_id", type_="foreignkey")
        for column in reversed(_new_columns()):
            batch.drop_column(column.name)
