"""Indexes so that ``due`` reads each stored milestone from an index alone, in the order it
groups them, and ``due --handler`` checks the name without reading every case.

- ``ix_open_milestone_due`` on ``open_milestone (deadline, milestone, label, kind, due,
  while_open, stage, complaint_id)``, replacing ``ix_open_milestone_deadline`` (its first
  column): every column ``due`` reads of a milestone, in the order it groups them
  (``store/due.stored_sql``), so SQLite reads neither a milestone's row nor sorts. At 1M
  cases ~48,000 rows: a few MB.
- ``ix_complaint_open_due`` (schema 0007) again, the same open cases (``status = 'Open' AND
  deadlines_key IS NOT NULL``) with the case's id first: ``(id, deadlines_key, status,
  reference, stage, handler, stage2_handler)``. ``due`` now finds each milestone's case in
  it by its id (a search that compares an integer first: ~3,000 instructions an item fewer
  than comparing the status and the 16-character key first); counting the current cases
  reads the whole index, as it did (all of the open cases have the same key as a rule).
- ``ix_complaint_handler`` and ``ix_complaint_stage2_handler``: everyone the log names as a
  handler (``store/lookups.people``, which ``due --handler`` and ``list --handler`` need to
  recognise a name or suggest one) is read by seeking from one name to the next in these
  indexes, where it read the whole case table twice (~0.6 s at 1M cases).

The indexes are derived from the rows: no data changes, no deadline is worked out again.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

#: The cases ``ix_complaint_open_due`` holds (as 0007 wrote it) and its columns before and after.
OPEN = "status = 'Open' AND deadlines_key IS NOT NULL"
OPEN_0007 = ["status", "deadlines_key", "id", "reference", "stage", "handler", "stage2_handler"]
OPEN_COLUMNS = ["id", "deadlines_key", "status", "reference", "stage", "handler", "stage2_handler"]

#: The columns of ``ix_open_milestone_due``; the same as the model's (``store/models.py``).
DUE_COLUMNS = [
    "deadline",
    "milestone",
    "label",
    "kind",
    "due",
    "while_open",
    "stage",
    "complaint_id",
]


def _open_index(columns: list[str]) -> None:
    op.drop_index("ix_complaint_open_due", "complaint")
    op.create_index(
        "ix_complaint_open_due",
        "complaint",
        columns,
        sqlite_where=sa.text(OPEN),
        postgresql_where=sa.text(OPEN),
    )


def upgrade() -> None:
    _open_index(OPEN_COLUMNS)
    op.drop_index("ix_open_milestone_deadline", "open_milestone")
    op.create_index("ix_open_milestone_due", "open_milestone", DUE_COLUMNS)
    op.create_index("ix_complaint_handler", "complaint", ["handler"])
    op.create_index("ix_complaint_stage2_handler", "complaint", ["stage2_handler"])


def downgrade() -> None:
    op.drop_index("ix_complaint_stage2_handler", "complaint")
    op.drop_index("ix_complaint_handler", "complaint")
    op.drop_index("ix_open_milestone_due", "open_milestone")
    op.create_index("ix_open_milestone_deadline", "open_milestone", ["deadline"])
    _open_index(OPEN_0007)
