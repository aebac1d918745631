"""Lifecycle: Stage 2 acknowledgement, extensions told, actions, Ombudsman, stored deadlines.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def _new_columns() -> list[sa.Column[Any]]:
    return [
        sa.Column("stage2_acknowledged", sa.Date()),
        sa.Column("stage1_extension_told", sa.Boolean()),
        sa.Column("stage2_extension_told", sa.Boolean()),
        sa.Column("stage2_compensation_pence", sa.Integer()),
        sa.Column("stage2_compensation_reasons", sa.Text()),
        sa.Column("last_update", sa.Date()),
        sa.Column("ombudsman_body", sa.String(10)),
        sa.Column("ombudsman_referred", sa.Date()),
        sa.Column("ombudsman_requested", sa.Date()),
        sa.Column("ombudsman_evidence_sent", sa.Date()),
        sa.Column("close_reason", sa.Text()),
        sa.Column("next_due", sa.Date()),
        sa.Column("next_milestone", sa.String(60)),
        sa.Column("deadlines_key", sa.String(64)),
    ]


def upgrade() -> None:
    with op.batch_alter_table("complaint") as batch:
        for column in _new_columns():
            batch.add_column(column)
    op.create_index("ix_complaint_status_next_due", "complaint", ["status", "next_due"])
    op.create_table(
        "action",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("complaint_id", sa.Integer(), sa.ForeignKey("complaint.id"), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("stage", sa.String(20), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("owner", sa.String(200), nullable=False),
        sa.Column("due", sa.Date(), nullable=False),
        sa.Column("done", sa.Date()),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("complaint_id", "number"),
    )
    op.create_index("ix_action_complaint_id", "action", ["complaint_id"])


def downgrade() -> None:
    op.drop_index("ix_action_complaint_id", "action")
    op.drop_table("action")
    op.drop_index("ix_complaint_status_next_due", "complaint")
    with op.batch_alter_table("complaint") as batch:
        for column in reversed(_new_columns()):
            batch.drop_column(column.name)
