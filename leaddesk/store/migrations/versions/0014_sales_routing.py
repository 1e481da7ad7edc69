"""A hand-off names its salesperson, and the sales follow-up clock starts at the verdict.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07 02:30:00

A hand-off went to "sales" as a whole, and sales' clock started only when the rep exported the
day's batch. Now the verdict names the salesperson (``leads.sales_owner_id``, kept on the
verdict too) and starts the clock: when it started, when the follow-up is due (in the
salesperson's business hours: ``users.timezone``) and when it was flagged as late. Older leads
keep none of these and wait on their batch's clock as before.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("timezone", sa.String(length=64), nullable=True))
    with op.batch_alter_table("leads", schema=None) as batch_op:
        batch_op.add_column(sa.Column("sales_owner_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("sales_clock_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("sales_due_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(
            sa.Column("sales_flagged_at", sa.DateTime(timezone=True), nullable=True)
        )
        batch_op.create_foreign_key(
            "fk_leads_sales_owner_id_users", "users", ["sales_owner_id"], ["id"]
        )
        batch_op.create_index("ix_leads_sales_owner", ["sales_owner_id", "stage"], unique=False)
    with op.batch_alter_table("verdicts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("salesperson_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            "fk_verdicts_salesperson_id_users", "users", ["salesperson_id"], ["id"]
        )


def downgrade() -> None:
    raise NotImplementedError("LeadDesk migrations are forward only; restore the backup instead")
