"""Sales answer each hand-off, not each lead once: a lead sent back can go again.

Revision ID: 0023
Revises: 0021
Create Date: 2026-12-07 05:30:00

A lead sales rejects "back to the rep for another try" is worked again and may be handed off
a second time. Its first answer stays (reports, the huddle pack, the timeline read it) and the
new hand-off waits for an answer of its own. Each answer names the batch it answers; answers
recorded before this are given the batch their lead is in.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0023"
down_revision: str | None = "0021"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("sales_feedback", schema=None) as batch_op:
        batch_op.add_column(sa.Column("batch_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            op.f("fk_sales_feedback_batch_id_handoff_batches"),
            "handoff_batches",
            ["batch_id"],
            ["id"],
        )
        batch_op.drop_constraint(op.f("uq_sales_feedback_lead_id"), type_="unique")
        batch_op.create_unique_constraint(
            op.f("uq_sales_feedback_lead_id_batch_id"), ["lead_id", "batch_id"]
        )
        batch_op.create_index(op.f("ix_sales_feedback_lead_id"), ["lead_id"], unique=False)
    op.execute(
        "UPDATE sales_feedback SET batch_id = "
        "(SELECT leads.handoff_batch_id FROM leads WHERE leads.id = sales_feedback.lead_id)"
    )


def downgrade() -> None:
    raise NotImplementedError("LeadDesk migrations are forward only; restore the backup instead")
