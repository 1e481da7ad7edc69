"""Marketing's figures: who referred a lead, and the amount of the opportunity sales made.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-07 05:10:00

A salesperson who passes on a lead they picked up is credited with it (``leads.referred_by_id``),
so the sources report can say what their referrals became. Sales' answer or the CRM's sync may
bring the opportunity's amount (``opportunity_refs.amount_cents``), which the reports add up by
source, campaign and definition version. Leads and opportunities stored before have neither.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("leads", schema=None) as batch_op:
        batch_op.add_column(sa.Column("referred_by_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            "fk_leads_referred_by_id_users", "users", ["referred_by_id"], ["id"]
        )
    with op.batch_alter_table("opportunity_refs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("amount_cents", sa.BigInteger(), nullable=True))


def downgrade() -> None:
    raise NotImplementedError("LeadDesk migrations are forward only; restore the backup instead")
