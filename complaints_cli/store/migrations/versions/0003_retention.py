"""Retention: a legal hold on a case, and a record of what was purged (without personal data).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("complaint") as batch:
        batch.add_column(
            sa.Column("legal_hold", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch.add_column(sa.Column("legal_hold_reason", sa.Text()))
    op.create_table(
        "purge_record",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("reference", sa.String(32), nullable=False),
        sa.Column("received", sa.Date(), nullable=False),
        sa.Column("closed", sa.Date()),
        sa.Column("purged_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("retention_years", sa.Integer(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("purge_record")
    with op.batch_alter_table("complaint") as batch:
        batch.drop_column("legal_hold_reason")
        batch.drop_column("legal_hold")
