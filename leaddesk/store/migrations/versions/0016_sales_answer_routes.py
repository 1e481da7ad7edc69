"""Sales' answer says where a rejected lead went, and when a nurtured one comes back.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-07 02:30:00

The lead definition names sales' reject reasons and where each sends the lead: back to
nurture (with a recycle date, as a nurture verdict has), back to the rep for another try, or
out to marketing. The answer keeps the route it took and, for nurture, the recycle date the
sweep reads. Answers recorded before this have neither: they ended as rejected.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("sales_feedback", schema=None) as batch_op:
        batch_op.add_column(sa.Column("route", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("recycle_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    raise NotImplementedError("LeadDesk migrations are forward only; restore the backup instead")
