"""The Spruce Complaints Log: complaints, their history, and the reference counter.

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "complaint",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("reference", sa.String(32), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("stage", sa.String(20), nullable=False),
        sa.Column("handler", sa.String(200), nullable=False),
        sa.Column("complainant", sa.Text(), nullable=False),
        sa.Column("address", sa.Text(), nullable=False),
        sa.Column("received", sa.Date(), nullable=False),
        sa.Column("acknowledged", sa.Date()),
        sa.Column("complaint_summary", sa.Text()),
        sa.Column("ack_met", sa.Boolean()),
        sa.Column("ack_met_note", sa.Text()),
        sa.Column("stage1_responded", sa.Date()),
        sa.Column("stage1_extension", sa.Boolean()),
        sa.Column("stage1_extension_reason", sa.Text()),
        sa.Column("stage1_extended_to", sa.Date()),
        sa.Column("stage1_met", sa.Boolean()),
        sa.Column("stage1_met_note", sa.Text()),
        sa.Column("stage1_response_summary", sa.Text()),
        sa.Column("compensation_pence", sa.Integer()),
        sa.Column("compensation_reasons", sa.Text()),
        sa.Column("escalated", sa.Boolean()),
        sa.Column("escalation_received", sa.Date()),
        sa.Column("escalation_details", sa.Text()),
        sa.Column("review_type", sa.String(40)),
        sa.Column("stage2_handler", sa.String(200)),
        sa.Column("stage2_responded", sa.Date()),
        sa.Column("stage2_extension", sa.Boolean()),
        sa.Column("stage2_extension_reason", sa.Text()),
        sa.Column("stage2_extended_to", sa.Date()),
        sa.Column("stage2_met", sa.Boolean()),
        sa.Column("stage2_met_note", sa.Text()),
        sa.Column("stage2_response_details", sa.Text()),
        sa.Column("learning", sa.Text()),
        sa.Column("channel", sa.String(20)),
        sa.Column("closed", sa.Date()),
        sa.Column("folder", sa.Text()),
        sa.Column("extra", sa.Text()),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("row_version", sa.Integer(), nullable=False),
    )
    op.create_index("ix_complaint_reference", "complaint", ["reference"], unique=True)
    op.create_index("ix_complaint_status_stage", "complaint", ["status", "stage"])
    op.create_table(
        "history",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("complaint_id", sa.Integer(), sa.ForeignKey("complaint.id"), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("command", sa.String(60), nullable=False),
        sa.Column("changes", sa.Text(), nullable=False),
        sa.Column("note", sa.Text()),
    )
    op.create_index("ix_history_complaint_id", "history", ["complaint_id"])
    op.create_table(
        "counter",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("prefix", sa.String(12), nullable=False),
        sa.Column("last_number", sa.Integer(), nullable=False),
        sa.UniqueConstraint("prefix"),
    )


def downgrade() -> None:
    op.drop_table("counter")
    op.drop_index("ix_history_complaint_id", "history")
    op.drop_table("history")
    op.drop_index("ix_complaint_status_stage", "complaint")
    op.drop_index("ix_complaint_reference", "complaint")
    op.drop_table("complaint")
