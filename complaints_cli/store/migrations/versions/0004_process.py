"""The whole process: informal cases, not accepted, petitions, the Ombudsman, compliments.

Adds to ``complaint``: the kind of case (complaint, service dissatisfaction, petition), the
not-accepted decision, the events date for the time limit, the informal stage's dates, a link to
the case a new complaint came from, issues folded into a case, vulnerability and reasonable
adjustments, the panel meeting and the Ombudsman's determination. Adds ``action.kind`` (order or
recommendation of a determination), and the ``signatory`` and ``compliment`` tables.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def _new_columns() -> list[sa.Column[Any]]:
    return [
        sa.Column("kind", sa.String(30), nullable=False, server_default="complaint"),
        sa.Column("not_accepted_reason", sa.Text()),
        sa.Column("not_accepted_told", sa.Date()),
        sa.Column("events_date", sa.Date()),
        sa.Column("informal_received", sa.Date()),
        sa.Column("informal_responded", sa.Date()),
        sa.Column("converted_from_informal", sa.Date()),
        sa.Column(
            "related_to_id",
            sa.Integer(),
            sa.ForeignKey("complaint.id", name="fk_complaint_related_to_id"),
        ),
        sa.Column("folded_issues", sa.Text()),
        sa.Column("vulnerable", sa.Boolean()),
        sa.Column("contact_preference", sa.String(60)),
        sa.Column("adjustments", sa.Text()),
        sa.Column("vulnerability_notes", sa.Text()),
        sa.Column("panel_meeting", sa.Date()),
        sa.Column("ombudsman_determined", sa.Date()),
        sa.Column("ombudsman_findings", sa.Text()),
    ]


def upgrade() -> None:
    with op.batch_alter_table("complaint") as batch:
        for column in _new_columns():
            batch.add_column(column)
    # Purging a case looks for complaints linked to it; without an index that scans the table.
    op.create_index("ix_complaint_related_to_id", "complaint", ["related_to_id"])
    with op.batch_alter_table("action") as batch:
        batch.add_column(sa.Column("kind", sa.String(20), nullable=False, server_default="action"))
    op.create_table(
        "signatory",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("complaint_id", sa.Integer(), sa.ForeignKey("complaint.id"), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("address", sa.Text(), nullable=False),
        sa.Column("lead", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("added", sa.Date(), nullable=False),
    )
    op.create_index("ix_signatory_complaint_id", "signatory", ["complaint_id"])
    op.create_table(
        "compliment",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("received", sa.Date(), nullable=False),
        sa.Column("from_name", sa.Text(), nullable=False),
        sa.Column("about", sa.String(200), nullable=False),
        sa.Column("channel", sa.String(20)),
        sa.Column("details", sa.Text()),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
    )
    op.create_index("ix_compliment_received", "compliment", ["received"])


def downgrade() -> None:
    op.drop_index("ix_compliment_received", "compliment")
    op.drop_table("compliment")
    op.drop_index("ix_signatory_complaint_id", "signatory")
    op.drop_table("signatory")
    with op.batch_alter_table("action") as batch:
        batch.drop_column("kind")
    op.drop_index("ix_complaint_related_to_id", "complaint")
    with op.batch_alter_table("complaint") as batch:
        batch.drop_constraint("fk_complaint_related_to_id", type_="foreignkey")
        for column in reversed(_new_columns()):
            batch.drop_column(column.name)
